/* bench_linkage: a person's six Linkage services from the gateway simulator
 * over real HTTP with a set latency per answer, fetched all at once (as the
 * person pane does) and one after another (the baseline) in the same run.
 * Prints the median time from "card read done" to "all six in", the
 * requests, connections and bytes each way used, and the ratio to one
 * gateway round trip; then the same six through the command line
 * (`tabien linkage query`, the whole process: start, officer login, token,
 * queries).  Figures, not a test.
 *
 *   bench_linkage [--runs N] [--latency-ms L] */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "services/registry/linkage.h"
#include "tests/lib/harness.h"

#define MAX_RUNS 32

static const int six[] = {
	LINKAGE_PERSON, LINKAGE_ADDRESSES, LINKAGE_HOUSEHOLD,
	LINKAGE_HOUSE, LINKAGE_FIRST_NAMES, LINKAGE_SURNAMES,
};
/* Two card holders of the simulator's population, and the officer. */
static const char *const citizens[] = { "1400100123451", "1104500678902" };
static const char *const officer = "3100500123458";

static void fail(const char *what, const tb_err *e)
{
	char msg[512];
	err_format(e, TB_LANG_EN, msg, sizeof msg);
	fprintf(stderr, "bench_linkage: %s: %s\n", what, msg);
	exit(1);
}

struct way {
	double cold[MAX_RUNS], warm[MAX_RUNS];
	struct gdx_stats st;       /* the last run's, for one cold + one warm person */
};

/* One person, all six at once. */
static void fetch_concurrent(struct linkage *lk, const char *cid)
{
	struct linkage_request rq = { .cid = cid, .agent_cid = officer, .username = "bench" };
	tb_err err = { 0 };
	struct linkage_fetch *f = linkage_fetch_start(lk, NULL, &rq, six, 6, &err);

	if (!f || linkage_fetch_wait(f, &err))
		fail("fetch", &err);
	for (int i = 0; i < 6; i++)
		if (linkage_fetch_get(f, six[i], NULL, &err) != LINKAGE_DONE)
			fail("a service failed", &err);
	linkage_fetch_free(&f);
}

/* One person, the six one after another. */
static void fetch_sequential(struct linkage *lk, const char *cid)
{
	for (int i = 0; i < 6; i++) {
		struct linkage_request rq = { .service = six[i], .cid = cid, .agent_cid = officer,
					      .username = "bench" };
		struct linkage_result *r = NULL;
		tb_err err = { 0 };

		if (linkage_query(lk, NULL, &rq, &r, &err))
			fail("query", &err);
		linkage_result_free(&r);
	}
}

/* `tabien linkage query` for the services in list, as an officer would
 * run it (the password on standard input); the time the whole command
 * took, or exits on failure. */
static double cli_query(const char *dir, const char *list)
{
	char cmd[2048];
	double t;

	snprintf(cmd, sizeof cmd,
		 "printf 'bench-password-1\\n' | '%s/tabien' linkage query --service %s "
		 "--cid %s --as officer1 --batch --purpose bench >'%s/cli.out' 2>&1",
		 harness_builddir(), list, citizens[0], dir);
	t = harness_now_ms();
	if (system(cmd) != 0) {
		fprintf(stderr, "bench_linkage: tabien linkage query failed (%s/cli.out)\n", dir);
		exit(1);
	}
	return harness_now_ms() - t;
}

/* A branch with one officer (whose card holder ID is the officer's). */
static void cli_setup(const char *dir, const char *conf)
{
	char cmd[2048], db[600];

	snprintf(db, sizeof db, "%s/tabien.db", dir);
	setenv("TABIEN_DB", db, 1);
	setenv("TABIEN_CONFIG", conf, 1);
	setenv("TABIEN_PWHASH", "fast", 1);
	snprintf(cmd, sizeof cmd,
		 "printf '%%s\\n' Bench BR-01 Bench officer1 'Bench Officer' %s Officer "
		 "bench-password-1 bench-password-1 | '%s/tabien' admin init --batch >/dev/null 2>&1",
		 officer, harness_builddir());
	if (system(cmd) != 0) {
		fprintf(stderr, "bench_linkage: tabien admin init failed\n");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runs", required_argument, NULL, 'n' },
		{ "latency-ms", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	int runs = 5, latency = 200, port = 0, c;
	char dir[] = "/tmp/tabien-bench-lk.XXXXXX", conf[600], lat[16];
	struct way conc = { 0 }, seq = { 0 };
	double single[MAX_RUNS], cli_six[MAX_RUNS], cli_one[MAX_RUNS];
	struct linkage_config lc;
	tb_err err = { 0 };
	pid_t sim;
	FILE *f;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n')
			runs = atoi(optarg);
		else if (c == 'l')
			latency = atoi(optarg);
		else
			return 2;
	}
	if (runs < 1 || runs > MAX_RUNS)
		runs = 5;
	if (!mkdtemp(dir)) {
		perror("bench_linkage: mkdtemp");
		return 1;
	}
	snprintf(lat, sizeof lat, "%d", latency);
	sim = harness_gateway_start(dir, (const char *const[]){ "--latency-ms", lat, NULL }, &port);
	if (sim < 0) {
		fprintf(stderr, "bench_linkage: the gateway simulator did not start\n");
		return 1;
	}
	snprintf(conf, sizeof conf, "%s/tabien.conf", dir);
	f = fopen(conf, "w");
	if (!f)
		return 1;
	fprintf(f, "gdx.url = http://127.0.0.1:%d\ngdx.consumer_key = sim-key\n"
		   "gdx.consumer_secret = sim-secret\n", port);
	fclose(f);
	chmod(conf, 0600);
	if (linkage_config_load(&lc, conf, &err))
		fail("config", &err);

	for (int i = 0; i < runs; i++) {
		struct linkage *lk;
		double t;

		/* All at once: a new client (token, new connections), then the
		 * next person on the same client (what a counter sees all day). */
		lk = linkage_new(&lc, &err);
		if (!lk)
			fail("client", &err);
		t = harness_now_ms();
		fetch_concurrent(lk, citizens[0]);
		conc.cold[i] = harness_now_ms() - t;
		t = harness_now_ms();
		fetch_concurrent(lk, citizens[1]);
		conc.warm[i] = harness_now_ms() - t;
		conc.st = *linkage_stats(lk);
		/* One round trip of one service, token at hand. */
		t = harness_now_ms();
		{
			static const int one[] = { LINKAGE_PERSON };
			struct linkage_request rq = { .cid = citizens[0], .agent_cid = officer };
			struct linkage_fetch *fe = linkage_fetch_start(lk, NULL, &rq, one, 1, &err);
			if (!fe || linkage_fetch_wait(fe, &err))
				fail("one query", &err);
			linkage_fetch_free(&fe);
		}
		single[i] = harness_now_ms() - t;
		linkage_free(&lk);

		lk = linkage_new(&lc, &err);
		if (!lk)
			fail("client", &err);
		t = harness_now_ms();
		fetch_sequential(lk, citizens[0]);
		seq.cold[i] = harness_now_ms() - t;
		t = harness_now_ms();
		fetch_sequential(lk, citizens[1]);
		seq.warm[i] = harness_now_ms() - t;
		seq.st = *linkage_stats(lk);
		linkage_free(&lk);
	}
	/* The command line: a new process each time, as a script runs it. */
	cli_setup(dir, conf);
	for (int i = 0; i < runs; i++) {
		cli_six[i] = cli_query(dir, "001,027,007,008,013,017");
		cli_one[i] = cli_query(dir, "001");
	}
	kill(sim, SIGTERM);
	waitpid(sim, NULL, 0);
	{
		char p[600];
		static const char *const left[] = { "tabien.db", "tabien.db-wal", "tabien.db-shm",
						     "cli.out" };
		for (size_t i = 0; i < sizeof left / sizeof *left; i++) {
			snprintf(p, sizeof p, "%s/%s", dir, left[i]);
			unlink(p);
		}
	}
	unlink(conf);
	{
		char p[600];
		snprintf(p, sizeof p, "%s/gateway.port", dir);
		unlink(p);
	}
	rmdir(dir);
	linkage_config_wipe(&lc);

	double rt = harness_median(single, runs), cw = harness_median(conc.warm, runs), cc = harness_median(conc.cold, runs);
	double sw = harness_median(seq.warm, runs), sc = harness_median(seq.cold, runs);
	printf("Linkage: a person's six services, gateway simulator over HTTP, %d ms per answer, "
	       "median of %d runs\n", latency, runs);
	printf("  one round trip (one service, token at hand)   %7.1f ms\n", rt);
	printf("  all six at once, next person (token, connections reused)  %7.1f ms  = %.2f x one round trip\n",
	       cw, cw / rt);
	printf("  all six at once, first person (with the token)            %7.1f ms\n", cc);
	printf("  one after another, next person                            %7.1f ms  = %.2f x one round trip\n",
	       sw, sw / rt);
	printf("  one after another, first person                           %7.1f ms\n", sc);
	{
		double c6 = harness_median(cli_six, runs), c1 = harness_median(cli_one, runs);
		printf("  command line, six services (tabien linkage query, whole process) %7.1f ms  = %.2f x one round trip\n",
		       c6, c6 / rt);
		printf("  command line, one service (the same, for comparison)             %7.1f ms  = %.2f x one round trip\n",
		       c1, c1 / rt);
	}
	printf("  requests for two people: at once %u token + %u queries, %lu connections, %lu bytes in\n",
	       conc.st.tokens, conc.st.queries, conc.st.connects, conc.st.bytes_in);
	printf("                   one after another %u token + %u queries, %lu connections, %lu bytes in\n",
	       seq.st.tokens, seq.st.queries, seq.st.connects, seq.st.bytes_in);
	return 0;
}
