/* One terminal writing audited registry lookups as fast as it can, for the
 * many-writers tests and the benchmark: opens the database named (a file or
 * a server's connection string), appends N rows through audit_append as a
 * lookup does, the subject "TAG-i", and prints "ok TAG-i" for each row once
 * it is committed, then "ms TOTAL" and each append's time in microseconds
 * ("us T").  With --retry a refused append (the server gone) is tried again
 * on the same handle, which connects again by itself once the server is
 * back, until it is written or 60 s have passed; without, it ends the run.
 * With --barrier it opens the database, prints "ready" and waits for the
 * end of its standard input before the first append, so that many writers
 * start appending together, and prints the monotonic times (microseconds,
 * one clock for every process) of its first append's start ("t0 T") and
 * its last append's commit ("t1 T"): the benchmark's window is from the
 * first writer's t0 to the last one's t1, with no process start-up in it.
 * Usage: audit_writer [--retry] [--barrier] DB N TAG.  Exit 0 when all N
 * were written.
 * audit_writer --login DB N USER PASSWORD signs USER in N times instead and
 * prints each sign-in's time ("us T"), the password hashing included. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "services/accounts/audit.h"
#include "services/accounts/users.h"
#include "storage/db.h"

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int logins(const char *path, long n, const char *user, const char *pw)
{
	tb_err err = { 0 };
	struct db *d = db_open(path, 0, &err);
	struct user u;
	int64_t t;

	if (!d || users_init(&err)) {
		fprintf(stderr, "open: %s\n", err_code(err.id));
		return 1;
	}
	for (long i = 0; i < n; i++) {
		t = now_us();
		if (users_login(d, user, pw, &u, &err)) {
			fprintf(stderr, "login: %s\n", err_code(err.id));
			db_close(&d);
			return 1;
		}
		printf("us %lld\n", (long long)(now_us() - t));
	}
	db_close(&d);
	return 0;
}

/* Waits for the end of standard input (the benchmark closes its end once
 * every writer is ready). */
static void barrier_wait(void)
{
	char buf[64];

	printf("ready\n");
	fflush(stdout);
	while (read(0, buf, sizeof buf) > 0)
		;
}

int main(int argc, char **argv)
{
	int retry = 0, barrier = 0, a = 1;
	struct db *d = NULL;
	tb_err err = { 0 };
	char subject[96];
	long n, done = 0;
	int64_t start, t, give_up, first = 0, last = 0;

	if (argc == 6 && strcmp(argv[1], "--login") == 0)
		return logins(argv[2], atol(argv[3]), argv[4], argv[5]);
	for (; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
		if (strcmp(argv[a], "--retry") == 0)
			retry = 1;
		else if (strcmp(argv[a], "--barrier") == 0)
			barrier = 1;
		else
			break;
	}
	if (argc != a + 3) {
		fprintf(stderr, "usage: audit_writer [--retry] [--barrier] DB N TAG\n");
		return 2;
	}
	n = atol(argv[a + 1]);
	start = now_us();
	give_up = start + 60 * 1000000LL;
	while (done < n) {
		if (!d && !(d = db_open(argv[a], 0, &err))) {
			fprintf(stderr, "open: %s\n", err_code(err.id));
			if (!retry || now_us() > give_up)
				return 1;
			nanosleep(&(struct timespec){ 0, 20 * 1000000 }, NULL);
			continue;
		}
		if (barrier) {
			barrier = 0;
			barrier_wait();
		}
		snprintf(subject, sizeof subject, "%s-%ld", argv[a + 2], done);
		t = now_us();
		if (!first)
			first = t;
		if (audit_append(d, &(struct audit_entry){
				 .username = "writer", .action = AUDIT_LINKAGE_QUERY,
				 .service = "00023/001", .subject = subject,
				 .purpose = "test", .consent = "yes", .result = "OK" }, &err)) {
			fprintf(stderr, "append %s: %s\n", subject, err_code(err.id));
			if (!retry || now_us() > give_up)
				break;
			nanosleep(&(struct timespec){ 0, 20 * 1000000 }, NULL);
			continue;
		}
		last = now_us();
		printf("ok %s\nus %lld\n", subject, (long long)(last - t));
		fflush(stdout);
		done++;
	}
	printf("t0 %lld\nt1 %lld\nms %lld\n", (long long)first, (long long)last,
	       (long long)((now_us() - start) / 1000));
	db_close(&d);
	return done == n ? 0 : 1;
}
