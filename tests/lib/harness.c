/* See harness.h.  Processes are started with posix_spawn and their output
 * goes to files in the private directory, read when a test fails. */
#include "config.h"

#include "tests/lib/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <winscard.h>

extern char **environ;

#define READY_MS 8000

const char *harness_srcdir(void)
{
	const char *s = getenv("TABIEN_SRCDIR");
	return s && *s ? s : TABIEN_SRCDIR;
}

const char *harness_builddir(void)
{
	const char *s = getenv("TABIEN_BUILDDIR");
	return s && *s ? s : TABIEN_BUILDDIR;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int port_free(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	if (fd < 0)
		return 0;
	ok = bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	close(fd);
	return ok;
}

/* vpcd takes the port and the next one (its second slot). */
static int pick_port(void)
{
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	for (int i = 0; i < 200; i++) {
		int p = 20000 + 2 * (rand() % 15000);
		if (port_free(p) && port_free(p + 1))
			return p;
	}
	return -1;
}

int harness_init(struct harness *h)
{
	const char *tmp = getenv("TMPDIR");

	memset(h, 0, sizeof *h);
	snprintf(h->dir, sizeof h->dir, "%s/tabien-test.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(h->dir)) {
		perror("harness: mkdtemp");
		return -1;
	}
	snprintf(h->sock, sizeof h->sock, "%s/pcscd.comm", h->dir);
	h->port = pick_port();
	if (h->port < 0) {
		fprintf(stderr, "harness: no free port pair\n");
		return -1;
	}
	setenv("PCSCLITE_CSOCK_NAME", h->sock, 1);
	return 0;
}

static pid_t spawn_logged(const char *const *argv, const char *log)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		fprintf(stderr, "harness: cannot start %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	return pid;
}

static void dump_log(const char *dir, const char *name)
{
	char path[512], line[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return;
	fprintf(stderr, "--- %s\n", path);
	while (fgets(line, sizeof line, f))
		fprintf(stderr, "  %s", line);
	fclose(f);
}

int harness_pcscd_start(struct harness *h, bool with_reader)
{
	char exe[512], port[16], log[512];
	const char *argv[] = { exe, "--dir", h->dir, "--port", port, NULL, NULL };
	int waited;

	snprintf(exe, sizeof exe, "%s/sim/tabien-pcscd", harness_builddir());
	snprintf(port, sizeof port, "%d", h->port);
	snprintf(log, sizeof log, "%s/pcscd.log", h->dir);
	if (!with_reader)
		argv[5] = "--no-reader";
	h->pcscd = spawn_logged(argv, log);
	if (h->pcscd < 0)
		return -1;
	/* Ready when a context can be made and (with a reader) it is listed. */
	for (waited = 0; waited < READY_MS; waited += 20) {
		SCARDCONTEXT ctx;
		if (access(h->sock, F_OK) == 0 &&
		    SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx) == SCARD_S_SUCCESS) {
			char buf[1024];
			DWORD n = sizeof buf;
			LONG rv = SCardListReaders(ctx, NULL, buf, &n);
			SCardReleaseContext(ctx);
			if (!with_reader || rv == SCARD_S_SUCCESS)
				return 0;
		}
		if (waitpid(h->pcscd, NULL, WNOHANG) == h->pcscd) {
			h->pcscd = 0;
			break;
		}
		sleep_ms(20);
	}
	fprintf(stderr, "harness: pcscd did not become ready\n");
	dump_log(h->dir, "pcscd.log");
	return -1;
}

static void stop_pid(pid_t *pid)
{
	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	for (int i = 0; i < 250; i++) {
		if (waitpid(*pid, NULL, WNOHANG) == *pid) {
			*pid = 0;
			return;
		}
		sleep_ms(20);
	}
	kill(*pid, SIGKILL);
	waitpid(*pid, NULL, 0);
	*pid = 0;
}

void harness_pcscd_stop(struct harness *h)
{
	stop_pid(&h->pcscd);
	unlink(h->sock);
}

/* Waits until the (only) reader's state has all of `want` bits. */
static int wait_reader(DWORD want, int ms)
{
	SCARDCONTEXT ctx;
	char name[256];
	DWORD n = sizeof name;
	SCARD_READERSTATE st = { .dwCurrentState = SCARD_STATE_UNAWARE };
	int rc = -1;

	if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx) != SCARD_S_SUCCESS)
		return -1;
	if (SCardListReaders(ctx, NULL, name, &n) != SCARD_S_SUCCESS)
		goto out;
	st.szReader = name;
	for (int waited = 0; waited <= ms; waited += 100) {
		if (SCardGetStatusChange(ctx, 100, &st, 1) == SCARD_S_SUCCESS)
			st.dwCurrentState = st.dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
		if ((st.dwCurrentState & want) == want) {
			rc = 0;
			break;
		}
	}
out:
	SCardReleaseContext(ctx);
	return rc;
}

int harness_insert(struct harness *h, const char *fixture, const char *const *args,
		   bool wait_present)
{
	char exe[512], fix[512], port[16], log[512];
	const char *argv[32] = { exe, "--fixture", fix, "--port", port };
	int n = 5;

	snprintf(exe, sizeof exe, "%s/sim/tabien-vcard", harness_builddir());
	snprintf(fix, sizeof fix, "%s/sim/fixtures/%s.card", harness_srcdir(), fixture);
	snprintf(port, sizeof port, "%d", h->port);
	snprintf(log, sizeof log, "%s/vcard.log", h->dir);
	for (; args && *args && n < 30; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	h->vcard = spawn_logged(argv, log);
	if (h->vcard < 0)
		return -1;
	if (wait_present && wait_reader(SCARD_STATE_PRESENT, READY_MS)) {
		fprintf(stderr, "harness: the card did not show as present\n");
		dump_log(h->dir, "vcard.log");
		dump_log(h->dir, "pcscd.log");
		return -1;
	}
	return 0;
}

int harness_remove(struct harness *h)
{
	stop_pid(&h->vcard);
	return wait_reader(SCARD_STATE_EMPTY, READY_MS);
}

int harness_wait_card_gone(struct harness *h)
{
	for (int i = 0; i < READY_MS / 20 && h->vcard > 0; i++) {
		if (waitpid(h->vcard, NULL, WNOHANG) == h->vcard)
			h->vcard = 0;
		else
			sleep_ms(20);
	}
	if (h->vcard > 0)
		return -1;
	return wait_reader(SCARD_STATE_EMPTY, READY_MS);
}

void harness_fini(struct harness *h)
{
	char cmd[600];

	stop_pid(&h->vcard);
	harness_pcscd_stop(h);
	if (h->dir[0] && !getenv("TABIEN_KEEP_TEST_DIR")) {
		snprintf(cmd, sizeof cmd, "%s/reader.conf.d/vpcd", h->dir);
		unlink(cmd);
		snprintf(cmd, sizeof cmd, "%s/reader.conf.d", h->dir);
		rmdir(cmd);
		snprintf(cmd, sizeof cmd, "%s/pcscd.log", h->dir);
		unlink(cmd);
		snprintf(cmd, sizeof cmd, "%s/vcard.log", h->dir);
		unlink(cmd);
		snprintf(cmd, sizeof cmd, "%s/run", h->dir);
		rmdir(cmd);
		rmdir(h->dir);
	}
}

int harness_fixture_value(const char *name, const char *key, char *out, size_t size)
{
	char path[512], line[1024];
	size_t klen = strlen(key);
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof path, "%s/sim/fixtures/%s.card", harness_srcdir(), name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		char *v;
		if (line[0] == '#' || strncmp(line, key, klen) || line[klen] != ':')
			continue;
		v = line + klen + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		v[strcspn(v, "\r\n")] = '\0';
		snprintf(out, size, "%s", v);
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

unsigned char *harness_fixture_photo(const char *name, size_t *len)
{
	char file[256], path[768];
	unsigned char *buf = NULL;
	struct stat sb;
	FILE *f;

	if (harness_fixture_value(name, "photo", file, sizeof file))
		return NULL;
	snprintf(path, sizeof path, "%s/sim/fixtures/%s", harness_srcdir(), file);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fstat(fileno(f), &sb) == 0 && sb.st_size > 0 && (buf = malloc((size_t)sb.st_size)) &&
	    fread(buf, 1, (size_t)sb.st_size, f) == (size_t)sb.st_size) {
		*len = (size_t)sb.st_size;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

pid_t harness_gateway_start(const char *dir, const char *const *args, int *port)
{
	char exe[1024], portfile[512];
	const char *argv[24];
	int n = 0;
	pid_t pid;

	snprintf(exe, sizeof exe, "%s/sim/tabien-gateway", harness_builddir());
	snprintf(portfile, sizeof portfile, "%s/gateway.port", dir);
	unlink(portfile);
	argv[n++] = exe;
	argv[n++] = "--port-file";
	argv[n++] = portfile;
	for (int i = 0; args && args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 250; i++) {
		FILE *f = fopen(portfile, "r");
		if (f) {
			int ok = fscanf(f, "%d", port) == 1;
			fclose(f);
			if (ok)
				return pid;
		}
		sleep_ms(20);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return -1;
}

int harness_gateway_config(const char *config_dir, int port)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/tabien", config_dir);
	if (mkdir(path, 0700) && errno != EEXIST)
		return -1;
	snprintf(path, sizeof path, "%s/tabien/tabien.conf", config_dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "gdx.url = http://127.0.0.1:%d\ngdx.consumer_key = sim-key\n"
		   "gdx.consumer_secret = sim-secret\n", port);
	if (fclose(f) || chmod(path, 0600))
		return -1;
	return 0;
}

double harness_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double harness_median(const double *v, int n)
{
	double s[HARNESS_MAX_SAMPLES];

	if (n < 1)
		return 0;
	if (n > HARNESS_MAX_SAMPLES)
		n = HARNESS_MAX_SAMPLES;
	memcpy(s, v, sizeof *v * (size_t)n);
	qsort(s, (size_t)n, sizeof *s, cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
