/* The digital copy: the time from the request (the copy handed to
 * tabien-copy) to the signed file written, with the card's photo, and the
 * file's size.  A key and certificate are made with openssl in a scratch
 * folder.  Memory: what the first copy adds to the program that asks for
 * it (this one, through the same copy_run code tabien's c key uses: its
 * VmRSS and VmHWM before and after), and the peak of tabien-copy itself,
 * the child that loads cairo, pango and OpenSSL (its ru_maxrss, measured
 * in a forked helper whose only child it is).  Prints figures; passes or
 * fails on nothing but errors.
 *   bench_copy [--runs N] */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "services/copy/copy_doc.h"
#include "services/copy/copy_run.h"
#include "tests/lib/harness.h"

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = malloc(1 << 20);

	*len = f && b ? fread(b, 1, 1 << 20, f) : 0;
	if (f)
		fclose(f);
	return b;
}

static void self_mem(long *hwm, long *rss)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	*hwm = *rss = -1;
	while (f && fgets(line, sizeof line, f)) {
		sscanf(line, "VmHWM: %ld", hwm);
		sscanf(line, "VmRSS: %ld", rss);
	}
	if (f)
		fclose(f);
}

/* tabien-copy's own peak, in KiB: one copy from a forked helper, whose
 * children are then only that one. */
static long child_peak(const struct copy_doc *d, const char *prog)
{
	int p[2];
	long kb = -1;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct copy_result r;
		struct rusage ru;
		tb_err e = { 0 };
		long v = -1;

		close(p[0]);
		if (copy_run(d, prog, &r, &e) == 0 && getrusage(RUSAGE_CHILDREN, &ru) == 0)
			v = ru.ru_maxrss;
		_exit(write(p[1], &v, sizeof v) == sizeof v ? 0 : 1);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &kb, sizeof kb) != sizeof kb)
		kb = -1;
	close(p[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return kb;
}

int main(int argc, char **argv)
{
	char tmp[] = "/tmp/tabien-bench-copy.XXXXXX", cmd[1024], path[600], prog[600];
	int runs = argc == 3 && strcmp(argv[1], "--runs") == 0 ? atoi(argv[2]) : 7;
	double ms[64];
	long hwm0, rss0, hwm1, rss1, peak = -1;
	size_t jlen, size = 0;
	unsigned char *jpeg = slurp(TABIEN_SRCDIR "/sim/fixtures/somchai.jpg", &jlen);
	tb_err err = { 0 };

	if (runs < 1 || runs > 64 || !mkdtemp(tmp) || !jlen)
		return 1;
	snprintf(cmd, sizeof cmd, "cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem "
		 "-out c.pem -days 2 -subj /CN=bench >/dev/null 2>&1 && chmod 600 k.pem", tmp);
	if (system(cmd))
		return 1;
	snprintf(prog, sizeof prog, "%s/tabien-copy", TABIEN_BUILDDIR);
	for (int i = 0; i < runs; i++) {
		struct copy_doc *d = copy_doc_new();
		struct copy_result r;
		struct stat st;
		double t0;

		snprintf(path, sizeof path, "%s/k.pem", tmp);
		copy_doc_set(d, COPY_KEY, path, &err);
		snprintf(path, sizeof path, "%s/c.pem", tmp);
		copy_doc_set(d, COPY_CERT, path, &err);
		snprintf(path, sizeof path, "%s/copy.pdf", tmp);
		copy_doc_set(d, COPY_OUT, path, &err);
		copy_doc_set(d, COPY_PURPOSE, "สมัครงานราชการ", &err);
		copy_doc_set(d, COPY_REF, "0123456789abcdef", &err);
		copy_doc_section(d, "บัตรประจำตัวประชาชน / National ID card", "ชิปในบัตร / the card's chip", &err);
		copy_doc_photo(d, jpeg, jlen, &err);
		copy_doc_field(d, "เลขประจำตัวประชาชน / Citizen ID", "1-4001-00123-45-1", &err);
		copy_doc_field(d, "ชื่อ / Name", "นายสมชาย ใจดี", &err);
		copy_doc_field(d, "ที่อยู่ / Address", "99/1 หมู่ที่ 4 ซอยสุขใจ ถนนมิตรภาพ ตำบลในเมือง "
			       "อำเภอเมืองขอนแก่น จังหวัดขอนแก่น", &err);
		if (i == 0)
			self_mem(&hwm0, &rss0);
		t0 = harness_now_ms();
		if (copy_run(d, prog, &r, &err)) {
			fprintf(stderr, "bench_copy: %s\n", err_code(err.id));
			return 1;
		}
		ms[i] = harness_now_ms() - t0;
		if (i == 0)
			self_mem(&hwm1, &rss1);
		size = stat(path, &st) == 0 ? (size_t)st.st_size : 0;
		if (i == runs - 1)
			peak = child_peak(d, prog);
		copy_doc_free(&d);
	}
	printf("digital copy with photo: request to signed file written, median %.0f ms over %d runs "
	       "(target <= 250 ms)\n", harness_median(ms, runs), runs);
	printf("digital copy with photo: %zu bytes (%.0f KB; target <= 150 KB)\n", size, size / 1024.0);
	printf("digital copy, memory of the program asking (as tabien's c key): VmRSS %ld KiB before the "
	       "first copy, %ld KiB after (%+ld KiB); VmHWM %ld -> %ld KiB (%+ld KiB)\n",
	       rss0, rss1, rss1 - rss0, hwm0, hwm1, hwm1 - hwm0);
	printf("digital copy, memory of tabien-copy (the child: cairo, pango, fonts, OpenSSL): "
	       "peak RSS %ld KiB, gone with it\n", peak);
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	free(jpeg);
	return system(cmd) ? 1 : 0;
}
