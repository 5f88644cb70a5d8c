/* bench_tui: the full-screen program as a terminal sees it.  Runs the real
 * `tabien` under a pseudo-terminal (80x24, TERM=xterm-256color) against a
 * private pcscd and the virtual card, reads every byte it writes, and prints
 * figures next to their targets: time to the first full screen, bytes sent
 * for start-up, a pane switch, a cursor move and the help overlay, the time
 * from card insertion to the citizen's ID on screen, and peak memory.  The
 * baseline, measured in the same run, is the same pane switch with the photo
 * in grey (theme mono) instead of colour.
 * Figures only: nothing here passes or fails on a time.
 *
 *   bench_tui [--runs N] [--inserts N] [--delay-ms D] [--fixture NAME]
 *             [--pwhash fast|interactive|moderate]
 *
 * The program wants a set-up terminal and a login: the bench makes a private
 * database (`tabien admin init`, an officer registered and approved) with the
 * program's default password hashing unless --pwhash names another cost, and
 * logs the officer in through the form.
 *
 * How things are detected:
 *  - exec: a close-on-exec pipe the child holds; it reads as closed the
 *    moment execve succeeds.
 *  - first full screen: the output holds the tab line's title and then stays
 *    quiet for 30 ms; the figure is the time of the last byte before the
 *    quiet spell, from exec.  Before a login that screen is the login form.
 *  - login: from the Enter that submits the password to the status bar's
 *    "Purpose", shown only to someone logged in (it lands on blank cells, so
 *    the terminal gets the word whole).
 *  - bytes for a key: the screen is left quiet for 150 ms, the key is
 *    written, and everything up to the next 150 ms of quiet is counted.
 *  - card timing: the virtual card's --log lines (unbuffered stderr, read as
 *    they are written) mark when pcscd powered the card up (it does that when
 *    its 400 ms presence poll finds the card) and when the first command came
 *    (the log line follows the per-exchange delay, which is taken off).
 *
 * The pseudo-terminal and the counting of bytes are in tui_pty.c. */
#include "config.h"

#include "tests/bench/tui_pty.h"

#define QUIET_FIRST_MS 30.0
#define MAX_RUNS 32

/* The terminal's accounts: an admin and the officer at the counter. */
#define ADMIN "admin1"
#define ADMIN_PASSWORD "admin-password-1"
#define OFFICER "staff1"
#define OFFICER_PASSWORD "counter-password-1"

/* xterm-256color's keys as ncurses knows them (keypad transmit mode is on
 * while the program runs). */
#define KEY_F1 "\033OP"
#define KEY_F2 "\033OQ"
#define KEY_F9 "\033[20~"
#define KEY_DOWN "\033OB"
#define KEY_UP "\033OA"
#define KEY_ESC "\033"
#define KEY_F10 "\033[21~"

/* Targets to print next to the figures. */
#define TARGET_START_MS 50.0
/* Until the gateway is used, and once its TLS stack is loaded. */
#define TARGET_RSS_KB 8192L
#define TARGET_RSS_TLS_KB 16384L
#define TARGET_MOVE_BYTES 64
#define TARGET_SWITCH_BYTES 4096
#define TARGET_CARD_MS 150.0

/* --- the card ------------------------------------------------------------------ */

/* Whether the file holds s after offset `from`. */
static bool file_has(const char *path, long from, const char *s)
{
	char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;
	bool found = false;

	if (!f)
		return false;
	if (fseek(f, from, SEEK_SET) == 0) {
		n = fread(buf, 1, sizeof buf - 1, f);
		buf[n] = '\0';
		found = strstr(buf, s) != NULL;
	}
	fclose(f);
	return found;
}

static long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long)sb.st_size : 0;
}

struct insert_times {
	double cid;        /* insertion -> ID on screen */
	double power;      /* insertion -> pcscd powered the card (found it present) */
	double first_cmd;  /* insertion -> the first command reached the card */
	bool ok;
};

/* Inserts the card and times the citizen's ID on screen; leaves the card
 * in, the read finished. */
static int time_insert(struct harness *h, struct term *t, const char *fixture, int delay,
		       const char *cid_shown, struct insert_times *it)
{
	char delay_s[16], log[512];
	const char *args[] = { "--delay-ms", delay_s, "--log", NULL };
	double t0, t_power = -1, t_cmd = -1, t_cid = -1;
	size_t mark;
	long from;

	memset(it, 0, sizeof *it);
	snprintf(delay_s, sizeof delay_s, "%d", delay);
	snprintf(log, sizeof log, "%s/vcard.log", h->dir);
	term_settle(t, QUIET_KEY_MS, 5000);
	mark = t->len;
	from = file_size(log);
	t0 = harness_now_ms();
	if (harness_insert(h, fixture, args, false))
		return -1;
	while (t_cid < 0 && harness_now_ms() - t0 < 10000) {
		if (term_pump(t, 1) < 0)
			return -1;
		if (term_has(t, mark, cid_shown))
			t_cid = t->t_last;
		if (t_power < 0 && file_has(log, from, "vcard: power on"))
			t_power = harness_now_ms();
		if (t_cmd < 0 && file_has(log, from, "vcard: 00 A4"))
			t_cmd = harness_now_ms() - delay;
	}
	if (t_cid < 0) {
		fprintf(stderr, "bench: the citizen's ID did not appear within 10 s\n");
		return -1;
	}
	/* The photo follows at the same pace; the read is over when the
	 * progress bar stops moving. */
	term_settle(t, 400, 20000);
	it->cid = t_cid - t0;
	it->power = t_power >= 0 ? t_power - t0 : -1;
	it->first_cmd = t_cmd >= 0 ? t_cmd - t0 : -1;
	it->ok = term_has(t, mark, "\xE2\x96\x80");
	return 0;
}

/* Logs the officer in through the login form; returns the time from the
 * Enter that submits the password to the logged-in screen (its status bar's
 * "Logged in" message), or -1. */
static double term_login(struct term *t)
{
	size_t mark;
	double t0;

	if (term_wait_for(t, 0, "Password", 5000))
		return -1;
	term_settle(t, QUIET_KEY_MS, 5000);
	if (term_send(t, OFFICER "\r") || term_settle(t, QUIET_KEY_MS, 5000) ||
	    term_send(t, OFFICER_PASSWORD))
		return -1;
	term_settle(t, QUIET_KEY_MS, 5000);
	mark = t->len;
	t0 = harness_now_ms();
	if (term_send(t, "\r") || term_wait_for(t, mark, "Logged in", 20000)) {
		fprintf(stderr, "bench: the login did not go through\n");
		return -1;
	}
	return t->t_last - t0;
}

/* --- the terminal's accounts ------------------------------------------------------ */

/* Runs `tabien ARGS...` with `input` on its standard input and its output
 * in the private directory's admin.log; returns 0 when it exits 0. */
static int run_admin(const struct paths *p, char **env, const char *input, const char *const *args)
{
	char log[400];
	const char *argv[16] = { p->exe };
	posix_spawn_file_actions_t fa;
	size_t len = strlen(input);
	int in[2], status = -1, n = 1;
	pid_t pid;

	for (; *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	snprintf(log, sizeof log, "%s/admin.log", p->top);
	if (pipe2(in, O_CLOEXEC))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (posix_spawn(&pid, p->exe, &fa, NULL, (char *const *)argv, env)) {
		posix_spawn_file_actions_destroy(&fa);
		close(in[0]);
		close(in[1]);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	if (write(in[1], input, len) != (ssize_t)len)
		fprintf(stderr, "bench: could not write the answers to tabien %s\n", args[0]);
	close(in[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: tabien %s %s failed (see %s)\n", argv[1], argv[2], log);
		return -1;
	}
	return 0;
}

/* A citizen ID with its check digit, from 12 digits. */
static void cid_with_check(const char *first12, char out[14])
{
	int s = 0;

	for (int i = 0; i < 12; i++)
		s += (first12[i] - '0') * (13 - i);
	snprintf(out, 14, "%s%d", first12, (11 - s % 11) % 10);
}

/* The terminal as a branch has it: set up by an admin, with an officer's
 * account registered and approved.  The password hashing cost is the
 * program's default unless --pwhash says otherwise.  The branch looks every
 * card up at once (automatic lookups), so that card-to-screen is timed
 * without the officer's purpose and consent keys. */
static int accounts_make(const struct paths *p, char **env)
{
	static const char *const init[] = { "admin", "init", "--batch", NULL };
	static const char *const reg[] = { "admin", "register", "--batch", NULL };
	static const char *const approve[] = { "admin", "approve", OFFICER, "--as", ADMIN,
					       "--batch", NULL };
	static const char *const autom[] = { "admin", "settings", "--as", ADMIN, "--batch",
					     "--auto-purpose", "ยืนยันตัวตนผู้มาติดต่อขอรับบริการ", NULL };
	char admin_cid[14], officer_cid[14], in[1024];

	cid_with_check("110170020345", admin_cid);
	cid_with_check("310050012345", officer_cid);
	snprintf(in, sizeof in, "กรมทดสอบ\nBR-01\nสาขาทดสอบ\n%s\nสมชาย ใจดี\n%s\nหัวหน้างาน\n%s\n%s\n",
		 ADMIN, admin_cid, ADMIN_PASSWORD, ADMIN_PASSWORD);
	if (run_admin(p, env, in, init))
		return -1;
	snprintf(in, sizeof in, "%s\nมาลัย ใจงาม\n%s\nเจ้าหน้าที่\n%s\n%s\n", OFFICER, officer_cid,
		 OFFICER_PASSWORD, OFFICER_PASSWORD);
	if (run_admin(p, env, in, reg))
		return -1;
	snprintf(in, sizeof in, "%s\n", ADMIN_PASSWORD);
	if (run_admin(p, env, in, approve))
		return -1;
	return run_admin(p, env, in, autom);
}

/* The agency's signing key and certificate for the digital copy, made
 * with openssl beside the program's home and added to its configuration. */
static int copy_keys_add(const struct paths *p)
{
	char cmd[1024], path[600];
	FILE *f;

	snprintf(cmd, sizeof cmd, "cd '%s' && openssl req -x509 -newkey rsa:2048 -nodes -keyout copy.key "
		 "-out copy.pem -days 2 -subj /CN=bench >/dev/null 2>&1 && chmod 600 copy.key", p->top);
	if (system(cmd))
		return -1;
	snprintf(path, sizeof path, "%s/tabien/tabien.conf", p->config);
	if (!(f = fopen(path, "a")))
		return -1;
	fprintf(f, "copy.key = %s/copy.key\ncopy.cert = %s/copy.pem\n", p->top, p->top);
	return fclose(f) ? -1 : 0;
}

/* --- clean-up of the program's home ------------------------------------------- */

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static int paths_init(struct paths *p)
{
	const char *tmp = getenv("TMPDIR");

	memset(p, 0, sizeof *p);
	snprintf(p->top, sizeof p->top, "%s/tabien-bench-tui.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(p->top)) {
		perror("bench: mkdtemp");
		p->top[0] = '\0';
		return -1;
	}
	snprintf(p->home, sizeof p->home, "%s/home", p->top);
	snprintf(p->config, sizeof p->config, "%s/config", p->top);
	snprintf(p->state, sizeof p->state, "%s/state", p->top);
	snprintf(p->db, sizeof p->db, "%s/data/tabien.db", p->top);
	snprintf(p->themes, sizeof p->themes, "%s/themes", harness_srcdir());
	snprintf(p->localedir, sizeof p->localedir, "%s/po", harness_builddir());
	snprintf(p->exe, sizeof p->exe, "%s/tabien", harness_builddir());
	if (mkdir(p->home, 0700) || mkdir(p->config, 0700) || mkdir(p->state, 0700)) {
		perror("bench: mkdir");
		return -1;
	}
	if (access(p->exe, X_OK)) {
		fprintf(stderr, "bench: %s: %s\n", p->exe, strerror(errno));
		return -1;
	}
	return 0;
}

static void paths_fini(struct paths *p)
{
	if (p->top[0])
		nftw(p->top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* --- the figures ---------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: bench_tui [--runs N] [--inserts N] [--delay-ms D] [--fixture NAME]\n"
			"                 [--pwhash fast|interactive|moderate]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ "inserts", required_argument, NULL, 'i' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "fixture", required_argument, NULL, 'f' },
		{ "pwhash", required_argument, NULL, 'p' },
		{ 0 },
	};
	const char *fixture = "malee", *pwhash = NULL;
	int runs = 5, inserts = 3, delay = 20, c, rc = 1;
	double login_ms, first[MAX_RUNS], t_cid[MAX_RUNS], t_power[MAX_RUNS], t_cmd[MAX_RUNS];
	size_t start_bytes[MAX_RUNS];
	struct bytes start_b = { 0 }, scratch, diag0, card0, diag1, card1, diag2, card2, diag3, card3, help0, close0, help1, close1, down, up;
	struct bytes person = { 0 }, household = { 0 }, person_back = { 0 };
	pid_t gateway = -1;
	int gateway_port = 0;
	char cid[32], cid_shown[48];
	const char *pull_args[] = { "--delay-ms", "5", "--pull-after", "10", NULL };
	long hwm_start = -1, hwm_login = -1, rss_login = -1, rss = -1, hwm = -1;
	long hwm_copy0 = -1, rss_copy0 = -1, hwm_copy1 = -1, rss_copy1 = -1;
	bool copy_ok = false;
	struct harness h = { .dir = "" };
	struct paths p = { .top = "" };
	struct term t = { .fd = -1 };
	char **env = NULL;
	int status;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': runs = atoi(optarg); break;
		case 'i': inserts = atoi(optarg); break;
		case 'd': delay = atoi(optarg); break;
		case 'f': fixture = optarg; break;
		case 'p': pwhash = optarg; break;
		default: usage(); return 2;
		}
	}
	if (optind < argc || runs < 1 || runs > MAX_RUNS || inserts < 1 || inserts > MAX_RUNS ||
	    delay < 0) {
		usage();
		fprintf(stderr, "bench: --runs and --inserts 1..%d, --delay-ms >= 0\n", MAX_RUNS);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (harness_fixture_value(fixture, "cid", cid, sizeof cid)) {
		fprintf(stderr, "bench: no fixture '%s'\n", fixture);
		return 2;
	}
	format_cid(cid, cid_shown, sizeof cid_shown);
	if (paths_init(&p))
		goto out;
	p.pwhash = pwhash;
	if (harness_init(&h) || harness_pcscd_start(&h, true) ||
	    !(env = child_env(&p, "bench")) || accounts_make(&p, env))
		goto out;
	/* The registry gateway as a counter has it set up: each card read
	 * also asks it for the person's six services (libcurl is loaded then). */
	gateway = harness_gateway_start(p.top, NULL, &gateway_port);
	if (gateway < 0 || harness_gateway_config(p.config, gateway_port)) {
		fprintf(stderr, "bench: the gateway simulator did not start\n");
		goto out;
	}
	if (copy_keys_add(&p)) {
		fprintf(stderr, "bench: openssl could not make the copy's key\n");
		goto out;
	}

	/* Start-up, several times: the first screen is the login form. */
	for (int i = 0; i < runs; i++) {
		if (term_start(&t, &p, env))
			goto out;
		if (term_wait_for(&t, 0, "ทะเบียน", 5000)) {
			fprintf(stderr, "bench: no tab line within 5 s; the program wrote %zu bytes\n", t.len);
			goto out;
		}
		term_settle(&t, QUIET_FIRST_MS, 5000);
		first[i] = t.t_last - t.t_exec;
		if (term_wait_for(&t, 0, "Password", 5000)) {
			fprintf(stderr, "bench: no login form within 5 s\n");
			goto out;
		}
		term_settle(&t, QUIET_KEY_MS, 5000);
		start_bytes[i] = t.len;
		if (i == 0)
			bytes_count(t.buf, t.len, &start_b);
		if (i < runs - 1) {
			term_quit(&t, KEY_F10);
			term_free(&t);
		}
	}
	term_rss(&t, &hwm_start, &rss);

	/* The officer logs in: the card pane, no card. */
	login_ms = term_login(&t);
	if (login_ms < 0 || term_wait_for(&t, 0, "citizen", 5000)) {
		fprintf(stderr, "bench: no card prompt after the login\n");
		goto out;
	}
	term_settle(&t, QUIET_KEY_MS, 5000);
	term_rss(&t, &hwm_login, &rss_login);

	/* No card: a pane switch there and back, the help overlay. */
	key_bytes(&t, KEY_F9, "Card service", &diag0);
	key_bytes(&t, KEY_F2, NULL, &card0);
	key_bytes(&t, KEY_F1, "Keys", &help0);
	key_bytes(&t, KEY_ESC, NULL, &close0);

	/* The card, inserted into the running program. */
	for (int i = 0; i < inserts; i++) {
		struct insert_times it;
		if (i > 0 && harness_remove(&h))
			goto out;
		if (time_insert(&h, &t, fixture, delay, cid_shown, &it))
			goto out;
		if (!it.ok)
			fprintf(stderr, "bench: insertion %d: no photo drawn\n", i + 1);
		t_cid[i] = it.cid;
		t_power[i] = it.power;
		t_cmd[i] = it.first_cmd;
	}

	/* The registry panes, filled from the last card's lookups. */
	key_bytes(&t, "i", "In the registry", &person);
	key_bytes(&t, "h", "People in the house", &household);
	key_bytes(&t, "i", "In the registry", &person_back);
	key_bytes(&t, KEY_F2, "\xE2\x96\x80", &scratch);

	/* The first digital copy of the card (c, then an Enter of its own):
	 * what it adds to the program, whose child tabien-copy does the work. */
	term_rss(&t, &hwm_copy0, &rss_copy0);
	key_bytes(&t, "c", "Digital copy", &scratch);
	{
		size_t mark = t.len;

		copy_ok = term_send(&t, "\r") == 0 && term_wait_for(&t, mark, "Copy written", 20000) == 0;
	}
	term_settle(&t, QUIET_KEY_MS, 5000);
	term_rss(&t, &hwm_copy1, &rss_copy1);
	if (!copy_ok)
		fprintf(stderr, "bench: the digital copy was not written\n");

	/* A card shown, photo included. */
	key_bytes(&t, KEY_F9, "Card service", &diag1);
	key_bytes(&t, KEY_F2, "\xE2\x96\x80", &card1);
	key_bytes(&t, KEY_F1, "Keys", &help1);
	key_bytes(&t, KEY_ESC, "\xE2\x96\x80", &close1);

	/* The same switches in the same run with the other photo styles: t
	 * goes default -> high-contrast -> low-bandwidth (photo in shade
	 * characters) -> mono (photo in greys) -> default. */
	key_bytes(&t, "t", NULL, &scratch);
	key_bytes(&t, "t", NULL, &scratch);
	key_bytes(&t, KEY_F9, "Card service", &diag3);
	key_bytes(&t, KEY_F2, "\xE2\x96\x91", &card3);
	key_bytes(&t, "t", NULL, &scratch);
	key_bytes(&t, KEY_F9, "Card service", &diag2);
	key_bytes(&t, KEY_F2, "\xE2\x96\x80", &card2);
	key_bytes(&t, "t", NULL, &scratch);
	if (!grey_photo(&card2))
		fprintf(stderr, "bench: warning: the mono theme's photo was not drawn in greys\n");

	/* Two failed reads (the card pulled mid-read) give the diagnostics
	 * pane's error list two entries to move between. */
	if (harness_remove(&h))
		goto out;
	for (int i = 0; i < 2; i++) {
		if (harness_insert(&h, fixture, pull_args, false) || harness_wait_card_gone(&h))
			goto out;
		term_settle(&t, QUIET_KEY_MS, 5000);
	}
	key_bytes(&t, KEY_F9, "CARD-REMOVED", &scratch);
	key_bytes(&t, KEY_DOWN, "›", &down);
	key_bytes(&t, KEY_UP, "›", &up);

	term_rss(&t, &hwm, &rss);
	status = term_quit(&t, "q");

	printf("tabien full-screen, %dx%d, TERM=xterm-256color, private pcscd + virtual card (%s)\n",
	       COLS, ROWS, fixture);
	printf("  program: %s\n", p.exe);
	printf("  password hashing: %s\n", p.pwhash ? p.pwhash : "the program's default");
	printf("start-up, %d runs (median; min..max)\n", runs);
	{
		double lo = first[0], hi = first[0];
		for (int i = 1; i < runs; i++) {
			lo = first[i] < lo ? first[i] : lo;
			hi = first[i] > hi ? first[i] : hi;
		}
		printf("  %-52s %7.1f ms  (%.1f..%.1f)  target <= %.0f ms%s\n",
		       "exec -> first full screen (the login form)", harness_median(first, runs), lo,
		       hi, TARGET_START_MS, harness_median(first, runs) > TARGET_START_MS ? HARNESS_OVER : "");
	}
	{
		double sb[MAX_RUNS];
		for (int i = 0; i < runs; i++)
			sb[i] = (double)start_bytes[i];
		printf("  %-52s %7.0f B\n", "bytes written for start-up (the login form)",
		       harness_median(sb, runs));
		bytes_print(&start_b);
	}
	printf("  %-52s %7.1f ms\n", "login: Enter on the password -> logged-in screen", login_ms);
	printf("one key, bytes written (from a quiet screen to the next 150 ms of quiet)\n");
	print_bytes_line("no card: pane switch to diagnostics (F9)", &diag0, TARGET_SWITCH_BYTES);
	print_bytes_line("no card: pane switch back to the card (F2)", &card0, TARGET_SWITCH_BYTES);
	print_bytes_line("no card: help overlay open (F1)", &help0, TARGET_SWITCH_BYTES);
	print_bytes_line("no card: help overlay close (Esc)", &close0, TARGET_SWITCH_BYTES);
	print_bytes_line("card shown: pane switch to diagnostics (F9)", &diag1, TARGET_SWITCH_BYTES);
	print_bytes_line("card shown: pane switch back to the card (F2)", &card1, TARGET_SWITCH_BYTES);
	print_bytes_line("card shown: help overlay open (F1)", &help1, TARGET_SWITCH_BYTES);
	print_bytes_line("card shown: help overlay close (Esc)", &close1, TARGET_SWITCH_BYTES);
	if (card3.total) {
		print_bytes_line("photo in shade characters (theme low-bandwidth): to diagnostics", &diag3,
				 TARGET_SWITCH_BYTES);
		print_bytes_line("photo in shade characters (theme low-bandwidth): back to the card", &card3,
				 TARGET_SWITCH_BYTES);
	}
	if (card2.total) {
		print_bytes_line("baseline, photo in grey (theme mono): to diagnostics", &diag2,
				 TARGET_SWITCH_BYTES);
		print_bytes_line("baseline, photo in grey (theme mono): back to the card", &card2,
				 TARGET_SWITCH_BYTES);
		printf("      colour photo vs grey: %.2fx the bytes of the switch back to the card\n",
		       (double)card1.total / (double)card2.total);
	}
	print_bytes_line("registry: card -> person pane (i), filled", &person, TARGET_SWITCH_BYTES);
	print_bytes_line("registry: person -> household (h)", &household, TARGET_SWITCH_BYTES);
	print_bytes_line("registry: household -> person (i)", &person_back, TARGET_SWITCH_BYTES);
	print_bytes_line("cursor move: diagnostics error list, Down", &down, TARGET_MOVE_BYTES);
	print_bytes_line("cursor move: diagnostics error list, Up", &up, TARGET_MOVE_BYTES);
	printf("card inserted into the running program, %d ms per card exchange, %d times "
	       "(median; each)\n", delay, inserts);
	{
		double cmd_to_cid[MAX_RUNS], power_to_cid[MAX_RUNS];
		for (int i = 0; i < inserts; i++) {
			cmd_to_cid[i] = t_cid[i] - t_cmd[i];
			power_to_cid[i] = t_cid[i] - t_power[i];
		}
		printf("  %-52s %7.1f ms  (", "insertion -> citizen's ID on screen", harness_median(t_cid, inserts));
		for (int i = 0; i < inserts; i++)
			printf("%s%.0f", i ? " " : "", t_cid[i]);
		printf(")\n  %-52s %7.1f ms  (", "  of which pcscd noticing the card (400 ms poll)",
		       harness_median(t_power, inserts));
		for (int i = 0; i < inserts; i++)
			printf("%s%.0f", i ? " " : "", t_power[i]);
		printf(")\n  %-52s %7.1f ms  (", "pcscd found the card -> ID on screen",
		       harness_median(power_to_cid, inserts));
		for (int i = 0; i < inserts; i++)
			printf("%s%.0f", i ? " " : "", power_to_cid[i]);
		printf(")  target <= %.0f ms%s\n", TARGET_CARD_MS,
		       harness_median(power_to_cid, inserts) > TARGET_CARD_MS ? HARNESS_OVER : "");
		printf("  %-52s %7.1f ms  (", "first card command -> ID on screen",
		       harness_median(cmd_to_cid, inserts));
		for (int i = 0; i < inserts; i++)
			printf("%s%.0f", i ? " " : "", cmd_to_cid[i]);
		printf(")\n");
	}
	printf("memory\n");
	printf("  %-52s %7ld KiB   target <= %ld KiB%s\n", "peak RSS (VmHWM), registry lookups made (TLS stack)",
	       hwm, TARGET_RSS_TLS_KB, hwm > TARGET_RSS_TLS_KB ? HARNESS_OVER : "");
	printf("  %-52s %7ld KiB   target <= %ld KiB%s\n", "peak RSS at the login form (before any login)",
	       hwm_start, TARGET_RSS_KB, hwm_start > TARGET_RSS_KB ? HARNESS_OVER : "");
	printf("  %-52s %7ld KiB   target <= %ld KiB%s\n", "peak RSS just after the login (password check)",
	       hwm_login, TARGET_RSS_KB, hwm_login > TARGET_RSS_KB ? HARNESS_OVER : "");
	printf("  %-52s %7ld KiB   (just after the login: %ld KiB)\n", "resident now (VmRSS) before quitting", rss, rss_login);
	printf("  %-52s %7ld KiB   (%+ld KiB; VmRSS %ld -> %ld KiB)%s\n",
	       "peak RSS (VmHWM) after the first digital copy (c)", hwm_copy1, hwm_copy1 - hwm_copy0, rss_copy0,
	       rss_copy1, copy_ok ? "" : "   (no copy written)");
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		printf("  note: the program's exit status was %d\n", status);
	rc = 0;
out:
	term_free(&t);
	env_free(env);
	if (gateway > 0) {
		kill(gateway, SIGTERM);
		waitpid(gateway, NULL, 0);
	}
	if (h.dir[0])
		harness_fini(&h);
	paths_fini(&p);
	return rc;
}
