/* The audit chain against a real SQLite file: tampering of every kind
 * found, the chain across restarts, filters and the CSV export; the seals
 * against a forger who makes the chain again; sessions
 * resumed after a crash, branch and user settings. */
#include "config.h"

#include "tests/unit/store_fixture.h"

#include "services/accounts/audit_seal.h"

/* --- the audit chain ---------------------------------------------------------------- */

static void fill_trail(struct fixture *f, int n)
{
	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);   /* one row */
	for (int i = 1; i < n; i++) {
		f->now += 60;
		append(f, ADMIN, AUDIT_CARD_READ, "1101700203450", "ยืนยันตัวตน");
	}
	assert_int_equal(verify_bad(f), 0);
	db_close(&f->d);
}

/* The trail as it stands kept beside it (PATH.orig in copy), so that each
 * case can start from it again with trail_restore. */
static void trail_keep(const struct fixture *f, char copy[300])
{
	char cmd[700];

	snprintf(copy, 300, "%s.orig", f->path);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", f->path, copy);
	assert_int_equal(system(cmd), 0);
}

static void trail_restore(const struct fixture *f, const char *copy)
{
	char cmd[700];

	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", copy, f->path);
	assert_int_equal(system(cmd), 0);
}

struct tampering {
	const char *sql;
	int64_t bad;   /* the first row verify must name */
};

/* Each case's SQL on the trail as it stands now (closed), one at a time. */
static void tamper_each(struct fixture *f, const struct tampering *cases, size_t n)
{
	char copy[300];

	trail_keep(f, copy);
	for (size_t i = 0; i < n; i++) {
		trail_restore(f, copy);
		raw_sql(f->path, cases[i].sql);
		f->d = open_ok(f, 0);
		if (verify_bad(f) != cases[i].bad)
			fail_msg("%s: first bad row %lld, expected %lld", cases[i].sql,
				 (long long)verify_bad(f), (long long)cases[i].bad);
		db_close(&f->d);
	}
}

static void chain_detects_edit(void **state)
{
	struct fixture *f = *state;
	struct audit_check chk;
	tb_err err = { 0 };

	fill_trail(f, 8);
	f->d = open_ok(f, 0);
	assert_int_equal(audit_verify(f->d, &chk, &err), 0);
	assert_int_equal(chk.rows, 8);
	assert_int_equal(strlen(chk.head), AUDIT_HASH_HEX);
	db_close(&f->d);
	raw_sql(f->path, "UPDATE audit SET subject = '3100500123458' WHERE seq = 5");
	f->d = open_ok(f, 0);
	assert_int_equal(verify_bad(f), 5);
	assert_int_equal(audit_verify(f->d, &chk, &err), -1);
	assert_int_equal(chk.rows, 4);
}

/* Consent joins the chain: rows without it (as before the column) hash as
 * they did, rows with it are chained over it, and any change shows. */
static void chain_covers_consent(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	fill_trail(f, 3);
	f->d = open_ok(f, 0);
	assert_int_equal(audit_append(f->d, &(struct audit_entry){
		.username = ADMIN, .action = AUDIT_LINKAGE_QUERY, .service = "00023/001",
		.subject = "1101700203450", .purpose = "ยืนยันตัวตน", .consent = AUDIT_CONSENT_YES,
		.result = "OK" }, &err), 0);
	assert_int_equal(verify_bad(f), 0);
	db_close(&f->d);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE consent = 'yes'"), 1);
	raw_sql(f->path, "UPDATE audit SET consent = 'mission' WHERE seq = 4");
	f->d = open_ok(f, 0);
	assert_int_equal(verify_bad(f), 4);
	db_close(&f->d);
	raw_sql(f->path, "UPDATE audit SET consent = '' WHERE seq = 4");
	f->d = open_ok(f, 0);
	assert_int_equal(verify_bad(f), 4);
	db_close(&f->d);
	raw_sql(f->path, "UPDATE audit SET consent = 'yes' WHERE seq = 4;"
		"UPDATE audit SET consent = 'no' WHERE seq = 2");
	f->d = open_ok(f, 0);
	assert_int_equal(verify_bad(f), 2);
}

/* Acting for someone joins the chain too: both citizens named, any change
 * shows, and a value moved between consent and acting shows as well. */
static void chain_covers_acting(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	fill_trail(f, 3);
	f->d = open_ok(f, 0);
	assert_int_equal(audit_append(f->d, &(struct audit_entry){
		.username = ADMIN, .action = AUDIT_LINKAGE_QUERY, .service = "00023/001",
		.subject = "1101700203450", .purpose = "ยืนยันตัวตน",
		.acting = "grantor=1101700203450 grantee=1400100123451", .result = "OK" }, &err), 0);
	assert_int_equal(audit_append(f->d, &(struct audit_entry){
		.username = ADMIN, .action = AUDIT_LINKAGE_QUERY, .service = "00023/001",
		.subject = "1400100123451", .purpose = "ยืนยันตัวตน", .consent = AUDIT_CONSENT_YES,
		.result = "OK" }, &err), 0);
	assert_int_equal(verify_bad(f), 0);
	db_close(&f->d);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE acting = "
				 "'grantor=1101700203450 grantee=1400100123451' AND consent = ''"), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE acting = ''"), 4);
	raw_sql(f->path, "UPDATE audit SET acting = 'grantor=1101700203450' WHERE seq = 4");
	f->d = open_ok(f, 0);
	assert_int_equal(verify_bad(f), 4);
	db_close(&f->d);
	/* Back as it was, then the consent of row 5 moved into its acting. */
	raw_sql(f->path, "UPDATE audit SET acting = 'grantor=1101700203450 grantee=1400100123451' "
		"WHERE seq = 4; UPDATE audit SET acting = consent, consent = '' WHERE seq = 5");
	f->d = open_ok(f, 0);
	assert_int_equal(verify_bad(f), 5);
}

static void chain_detects_every_kind_of_tampering(void **state)
{
	struct fixture *f = *state;
	static const struct tampering cases[] = {
		{ "DELETE FROM audit WHERE seq = 3", 3 },
		{ "DELETE FROM audit WHERE seq = 1", 1 },
		{ "DELETE FROM audit WHERE seq = 6", 6 },              /* the newest */
		{ "DELETE FROM audit WHERE seq >= 4", 4 },
		{ "DELETE FROM audit", 1 },
		{ "UPDATE audit SET seq = 100 WHERE seq = 2", 2 },
		{ "UPDATE audit SET seq = -seq WHERE seq IN (2, 3);"   /* two rows swapped */
		  "UPDATE audit SET seq = 3 WHERE seq = -2; UPDATE audit SET seq = 2 WHERE seq = -3", 2 },
		{ "UPDATE audit SET hash = '00' WHERE seq = 4", 4 },
		{ "UPDATE audit SET time = '2020-01-01T00:00:00Z' WHERE seq = 2", 2 },
		{ "UPDATE audit SET username = 'someone' WHERE seq = 6", 6 },
		{ "UPDATE audit SET purpose = purpose || ' ' WHERE seq = 3", 3 },
		/* Boundaries cannot move: "ab"+"c" is not "a"+"bc". */
		{ "UPDATE audit SET service = service || substr(subject, 1, 1), "
		  "subject = substr(subject, 2) WHERE seq = 2", 2 },
		{ "DELETE FROM audit_heads", 6 },
		{ "UPDATE audit_heads SET seq = 5", 6 },
		{ "INSERT INTO audit SELECT 7, time, terminal, branch, username, action, service, "
		  "subject, purpose, result, hash, consent, acting, chain FROM audit WHERE seq = 6", 7 },
		/* Moved to the chain of before, or to another terminal's. */
		{ "UPDATE audit SET chain = '' WHERE seq = 4", 4 },
		{ "UPDATE audit SET chain = 'counter-2' WHERE seq = 5", 5 },
	};

	SKIP_ON_SERVER();
	fill_trail(f, 6);
	tamper_each(f, cases, sizeof cases / sizeof *cases);
}

/* Two terminals' chains interleaved in one table: each verifies on its
 * own, and a row edited, removed or moved in one is named. */
static void chains_interleaved(void **state)
{
	struct fixture *f = *state;
	static const struct tampering cases[] = {
		{ "UPDATE audit SET subject = '3100500123458' WHERE seq = 4", 4 },
		{ "UPDATE audit SET chain = 'test-terminal' WHERE seq = 4", 4 }, /* moved */
		{ "UPDATE audit SET chain = 'counter-b', terminal = 'counter-b' WHERE seq = 5", 5 },
		{ "DELETE FROM audit WHERE seq = 4", 4 },                     /* removed */
		{ "DELETE FROM audit WHERE seq = 7", 7 },       /* one chain's newest */
		{ "DELETE FROM audit_heads WHERE chain = 'counter-b'", 8 },
		{ "UPDATE audit SET seq = -seq WHERE seq IN (4, 6);"   /* one chain's swapped */
		  "UPDATE audit SET seq = 6 WHERE seq = -4; UPDATE audit SET seq = 4 WHERE seq = -6", 4 },
	};
	struct audit_check chk;
	tb_err err = { 0 };

	SKIP_ON_SERVER();
	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);                              /* 1 on test-terminal */
	for (int i = 2; i <= 8; i++) {               /* even on counter-b */
		db_set_terminal(f->d, i % 2 ? "test-terminal" : "counter-b");
		append(f, ADMIN, AUDIT_CARD_READ, "1101700203450", "ยืนยันตัวตน");
	}
	assert_int_equal(audit_verify(f->d, &chk, &err), 0);
	assert_int_equal(chk.rows, 8);
	db_close(&f->d);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit_heads"), 2);
	assert_int_equal(raw_int(f->path, "SELECT seq FROM audit_heads WHERE chain = 'counter-b'"), 8);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE chain = terminal"), 8);
	tamper_each(f, cases, sizeof cases / sizeof *cases);
}

static void chain_continues_across_restarts(void **state)
{
	struct fixture *f = *state;
	struct audit_check chk;
	tb_err err = { 0 };

	fill_trail(f, 3);
	f->d = open_ok(f, 0);
	append(f, ADMIN, AUDIT_LINKAGE_QUERY, "1101700203450", "x");
	db_close(&f->d);
	f->d = open_ok(f, 0);
	append(f, ADMIN, AUDIT_JURISTIC_QUERY, "0105500000001", "y");
	assert_int_equal(audit_verify(f->d, &chk, &err), 0);
	assert_int_equal(chk.rows, 5);
}

struct collect {
	int n;
	int64_t seqs[64];
};

static int collect_row(const struct audit_row *r, void *arg)
{
	struct collect *c = arg;
	if (c->n < 64)
		c->seqs[c->n] = r->seq;
	c->n++;
	return 0;
}

static void query_filters(void **state)
{
	struct fixture *f = *state;
	struct audit_filter q = { 0 };
	struct collect c;
	tb_err err = { 0 };

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);                                           /* seq 1 */
	add_active(f, "staff.a");                                 /* 2 register, 3 approve */
	append(f, "staff.a", AUDIT_CARD_READ, "1101700203450", "p");      /* 4 */
	f->now += 86400;
	append(f, "staff.a", AUDIT_LINKAGE_QUERY, "1101700203450", "p");  /* 5 */
	append(f, ADMIN, AUDIT_CARD_READ, "3100500123458", "p");          /* 6 */

	c = (struct collect){ 0 };
	q = (struct audit_filter){ .username = "staff.a" };
	assert_int_equal(audit_query(f->d, &q, collect_row, &c, &err), 0);
	assert_int_equal(c.n, 3);
	c = (struct collect){ 0 };
	q = (struct audit_filter){ .subject = "1101700203450" };
	assert_int_equal(audit_query(f->d, &q, collect_row, &c, &err), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.seqs[0], 4);
	c = (struct collect){ 0 };
	q = (struct audit_filter){ .action = AUDIT_CARD_READ, .newest_first = 1, .limit = 1 };
	assert_int_equal(audit_query(f->d, &q, collect_row, &c, &err), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.seqs[0], 6);
	c = (struct collect){ 0 };
	q = (struct audit_filter){ .since = f->now };
	assert_int_equal(audit_query(f->d, &q, collect_row, &c, &err), 0);
	assert_int_equal(c.n, 2);
	c = (struct collect){ 0 };
	q = (struct audit_filter){ .until = f->now };
	assert_int_equal(audit_query(f->d, &q, collect_row, &c, &err), 0);
	assert_int_equal(c.n, 4);

	/* Calendar dates bound whole local days. */
	q = (struct audit_filter){ 0 };
	assert_int_equal(audit_date_range("2024-02-29", "2024-02-29", &q, &err), 0);
	assert_int_equal(q.until - q.since, 86400);
	assert_int_equal(audit_date_range("2023-02-29", NULL, &q, &err), -1);
	assert_string_equal(err.field, "since");
	assert_int_equal(audit_date_range(NULL, "2024-1-01", &q, &err), -1);
	assert_string_equal(err.field, "until");
	assert_int_equal(audit_date_range("2024-01-01x", NULL, &q, &err), -1);
}

static void csv_quotes_and_neutralises_formulas(void **state)
{
	struct fixture *f = *state;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	long rows;
	tb_err err = { 0 };
	struct audit_filter q = { .action = AUDIT_CARD_READ };
	char scope[USER_BRANCH_MAX + 1];
	struct collect c = { 0 };

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	append(f, "staff.a", AUDIT_CARD_READ, "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0");
	append(f, "staff.a", AUDIT_CARD_READ, "-2+3", "@SUM(A1)");
	append(f, "staff.a", AUDIT_CARD_READ, "a,b", "line\r\nbreak");
	append(f, "staff.a", AUDIT_CARD_READ, "\tx", "ไทย \"quoted\"");

	out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(rights_audit_scope(f->d, "staff.a", &q, scope, &err), -1);
	assert_int_equal(err.id, TB_E_RIGHT_REFUSED);
	assert_int_equal(rights_audit_scope(f->d, ADMIN, &q, scope, &err), 0);
	assert_null(q.branch);
	rows = audit_export_csv(f->d, ADMIN, &q, out, &err);
	fclose(out);
	assert_int_equal(rows, 4);
	assert_non_null(strstr(buf, "seq,time,terminal,branch,username,action,service,subject,"
			       "purpose,result,hash,consent,acting\r\n"));
	assert_non_null(strstr(buf, ",\"'=HYPERLINK(\"\"http://x\"\")\",'+cmd|' /C calc'!A0,OK,"));
	assert_non_null(strstr(buf, ",'-2+3,'@SUM(A1),OK,"));
	assert_non_null(strstr(buf, ",\"a,b\",\"line\r\nbreak\",OK,"));
	assert_non_null(strstr(buf, ",'\tx,\"ไทย \"\"quoted\"\"\",OK,"));
	assert_non_null(strstr(buf, ",test-terminal,BR-01,staff.a,card.read,00023/001,"));
	free(buf);

	/* The export itself is on record, and the chain still holds. */
	q = (struct audit_filter){ .action = AUDIT_EXPORT };
	assert_int_equal(audit_query(f->d, &q, collect_row, &c, &err), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(verify_bad(f), 0);
}

/* --- sessions and settings -------------------------------------------------------- */

static void sessions_resume_after_a_crash(void **state)
{
	struct fixture *f = *state;
	struct session *s = calloc(1, sizeof *s), *again = calloc(1, sizeof *again);
	struct user u;
	int64_t first;
	tb_err err = { 0 };

	assert_non_null(s);
	assert_non_null(again);
	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	assert_int_equal(users_login(f->d, "staff.a", STAFF_PW, &u, &err), 0);
	assert_int_equal(session_start(f->d, &u, s, &err), 0);
	assert_false(s->resumed);
	first = s->id;
	assert_int_equal(session_save_state(f->d, s->id, "pane=household\nmember=3", &err), 0);
	f->now += 30;
	assert_int_equal(session_touch(f->d, s->id, &err), 0);
	assert_int_equal(session_get(f->d, s->id, s, &err), 0);
	assert_string_equal(s->last_seen, "2023-11-14T22:13:50Z");
	assert_string_equal(s->ended, "");

	/* The program dies: nothing ends the session.  The next login resumes. */
	db_close(&f->d);
	f->d = open_ok(f, 0);
	f->now += 600;
	assert_int_equal(session_find_open(f->d, u.id, again, &err), 1);
	assert_int_equal(again->id, first);
	assert_int_equal(session_start(f->d, &u, again, &err), 0);
	assert_true(again->resumed);
	assert_string_equal(again->state, "pane=household\nmember=3");
	assert_int_not_equal(again->id, first);
	assert_int_equal(session_get(f->d, first, s, &err), 0);
	assert_string_equal(s->end_reason, SESSION_END_LOST);

	assert_int_equal(session_end(f->d, again->id, u.username, SESSION_END_LOGOUT, &err), 0);
	assert_int_equal(session_get(f->d, again->id, s, &err), 0);
	assert_string_equal(s->end_reason, SESSION_END_LOGOUT);
	assert_string_equal(s->ended, "2023-11-14T22:23:50Z");
	/* Ending twice changes nothing. */
	f->now += 5;
	assert_int_equal(session_end(f->d, again->id, u.username, SESSION_END_QUIT, &err), 0);
	assert_int_equal(session_get(f->d, again->id, s, &err), 0);
	assert_string_equal(s->end_reason, SESSION_END_LOGOUT);
	assert_int_equal(session_find_open(f->d, u.id, s, &err), 0);
	assert_int_equal(session_save_state(f->d, again->id, NULL, &err), -1);
	free(s);
	free(again);
}

static void branch_and_user_settings(void **state)
{
	struct fixture *f = *state;
	struct branch_settings *b = calloc(1, sizeof *b);
	struct user_settings us;
	struct user u;
	tb_err err = { 0 };

	assert_non_null(b);
	f->d = open_ok(f, DB_OPEN_CREATE);
	assert_int_equal(settings_branch_get(f->d, b, &err), -1);
	assert_int_equal(err.id, TB_E_STORE_NOT_INIT);
	init_branch(f);
	assert_int_equal(settings_branch_get(f->d, b, &err), 0);
	assert_int_equal(settings_init(f->d, b, &(struct user_new){ .username = "second",
			 .full_name = "x", .cid = "1101700203450", .position = "x",
			 .password = ADMIN_PW }, &err), -1);
	assert_int_equal(err.id, TB_E_STORE_ALREADY_INIT);
	assert_string_equal(b->code, "BR-01");
	assert_int_equal(b->idle_timeout_s, SETTINGS_IDLE_DEFAULT_S);
	assert_true(b->npurposes >= 1);

	b->idle_timeout_s = 600;
	b->npurposes = 2;
	snprintf(b->purposes[0], sizeof b->purposes[0], "ตรวจสอบสิทธิ์");
	snprintf(b->purposes[1], sizeof b->purposes[1], "ยินยอม");
	snprintf(b->gateway_profile, sizeof b->gateway_profile, "gdx-prod");
	add_active(f, "staff.a");
	assert_int_equal(settings_branch_set(f->d, "staff.a", b, &err), -1);
	assert_int_equal(err.id, TB_E_RIGHT_REFUSED);
	assert_int_equal(settings_branch_set(f->d, ADMIN, b, &err), 0);
	memset(b, 0, sizeof *b);
	assert_int_equal(settings_branch_get(f->d, b, &err), 0);
	assert_int_equal(b->idle_timeout_s, 600);
	assert_int_equal(b->npurposes, 2);
	assert_string_equal(b->purposes[1], "ยินยอม");
	assert_string_equal(b->gateway_profile, "gdx-prod");
	b->idle_timeout_s = 0;
	assert_int_equal(settings_branch_set(f->d, ADMIN, b, &err), -1);
	assert_string_equal(err.field, "idle_timeout");
	b->idle_timeout_s = 600;
	b->npurposes = 0;
	assert_int_equal(settings_branch_set(f->d, ADMIN, b, &err), -1);
	assert_string_equal(err.field, "purposes");

	assert_int_equal(users_get(f->d, "staff.a", &u, &err), 0);
	assert_int_equal(settings_user_get(f->d, u.id, &us, &err), 0);
	assert_string_equal(us.theme, ""); /* unset: the terminal's own theme */
	assert_string_equal(us.default_pane, "card");
	assert_int_equal(settings_user_set(f->d, u.id, &(struct user_settings){ .theme = "high-contrast",
					   .language = "en", .default_pane = "diag" }, &err), 0);
	assert_int_equal(settings_user_get(f->d, u.id, &us, &err), 0);
	assert_string_equal(us.theme, "high-contrast");
	assert_string_equal(us.language, "en");
	assert_int_equal(settings_user_set(f->d, u.id, &(struct user_settings){ .theme = "../../etc",
					   .default_pane = "card" }, &err), -1);
	assert_int_equal(settings_user_set(f->d, u.id, &(struct user_settings){ .theme = "x",
					   .language = "fr", .default_pane = "card" }, &err), -1);
	assert_string_equal(err.field, "language");
	free(b);
}

/* --- the seals ------------------------------------------------------------------------ */

/* A trail of 6 rows sealed at seal-init (epoch 0, row 6), 70 more rows (the
 * automatic seal at row 70, epoch 1) and 5 after it, sealed by hand
 * (epoch 2, row 81). */
static void sealed_trail(struct fixture *f, char vkey[AUDIT_SEAL_KEY_TEXT])
{
	tb_err err = { 0 };

	fill_trail(f, 6);
	f->d = open_ok(f, 0);
	assert_int_equal(audit_seal_init(f->d, vkey, &err), 0);
	assert_int_equal(audit_seal_init(f->d, vkey + 0, &err), -1);
	assert_int_equal(err.id, TB_E_AUDIT_SEAL_EXISTS);
	for (int i = 0; i < 75; i++) {
		f->now += 60;
		append(f, ADMIN, AUDIT_CARD_READ, "1101700203450", "ยืนยันตัวตน");
	}
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit_seal"), 2);
	assert_int_equal(raw_int(f->path, "SELECT seq FROM audit_seal WHERE epoch = 1"), 70);
	assert_int_equal(audit_seal(f->d, 1, &err), 1);
	assert_int_equal(audit_seal(f->d, 1, &err), 0);   /* nothing new */
	db_close(&f->d);
}

/* The key file as text, to play the forger who holds the machine. */
static void key_file(struct fixture *f, char *out, size_t size, const char *write)
{
	char path[600];
	FILE *fp;

	seal_key_path(f, path, sizeof path);
	fp = fopen(path, write ? "w" : "r");
	assert_non_null(fp);
	if (write)
		fputs(write, fp);
	else
		out[fread(out, 1, size - 1, fp)] = '\0';
	fclose(fp);
}

static void forge(struct fixture *f, const char *sql)
{
	char cmd[1200];

	snprintf(cmd, sizeof cmd, "'%s/tests/lib/audit_forge' '%s' \"%s\" >/dev/null",
		 TABIEN_BUILDDIR, f->path, sql);
	assert_int_equal(system(cmd), 0);
}

static int seal_check(struct fixture *f, const char *vkey, struct audit_seal_check *s,
		      tb_err *err)
{
	struct audit_check chk;
	int r;

	f->d = open_ok(f, 0);
	/* The forger made the chain again: on its own it says intact. */
	assert_int_equal(audit_verify(f->d, &chk, err), 0);
	r = audit_seal_verify(f->d, vkey, s, err);
	db_close(&f->d);
	return r;
}

static void seals_verify_and_say_what_is_sealed(void **state)
{
	struct fixture *f = *state;
	char vkey[AUDIT_SEAL_KEY_TEXT];
	struct audit_seal_check s;
	tb_err err = { 0 };

	sealed_trail(f, vkey);
	assert_int_equal(seal_check(f, vkey, &s, &err), 0);
	assert_int_equal(s.seals, 3);
	assert_int_equal(s.sealed_seq, 81);
	assert_int_equal(s.unsealed, 0);
	assert_int_equal(s.key_epoch, 3);
	f->d = open_ok(f, 0);
	append(f, ADMIN, AUDIT_USER_LOGIN, "", "");
	db_close(&f->d);
	assert_int_equal(seal_check(f, NULL, &s, &err), 0);
	assert_int_equal(s.seals, 3);
	assert_int_equal(s.unsealed, 1);      /* a warning, not a failure */
	assert_int_equal(seal_check(f, "tbseal1-00", &s, &err), -1);
	assert_int_equal(err.id, TB_E_AUDIT_SEAL_KEY);
	/* The key file is private: a looser one is refused, not used. */
	{
		char path[600];
		seal_key_path(f, path, sizeof path);
		assert_int_equal(chmod(path, 0644), 0);
		f->d = open_ok(f, 0);
		assert_int_equal(audit_seal(f->d, 1, &err), -1);
		assert_int_equal(err.id, TB_E_AUDIT_SEAL_KEY);
		db_close(&f->d);
		assert_int_equal(chmod(path, 0600), 0);
	}
}

static void seal_catches_the_forgers_rewrite(void **state)
{
	struct fixture *f = *state;
	char vkey[AUDIT_SEAL_KEY_TEXT];
	struct audit_seal_check s;
	tb_err err = { 0 };
	char copy[300];

	SKIP_ON_SERVER();
	sealed_trail(f, vkey);
	trail_keep(f, copy);
	static const struct {
		const char *sql;
		int64_t from, to, epoch;
	} cases[] = {
		{ "UPDATE audit SET subject = '3100500123458' WHERE seq = 3", 1, 6, 0 },
		{ "UPDATE audit SET username = 'someone' WHERE seq = 40", 7, 70, 1 },
		{ "DELETE FROM audit WHERE seq = 75", 71, 81, 2 },
		{ "UPDATE audit SET seq = -seq WHERE seq IN (20, 21);"
		  "UPDATE audit SET seq = 21 WHERE seq = -20; UPDATE audit SET seq = 20 WHERE seq = -21",
		  7, 70, 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		trail_restore(f, copy);
		forge(f, cases[i].sql);
		assert_int_equal(seal_check(f, vkey, &s, &err), -1);
		assert_int_equal(err.id, TB_E_AUDIT_REWRITTEN);
		assert_int_equal(s.bad_from, cases[i].from);
		assert_int_equal(s.bad_to, cases[i].to);
		assert_int_equal(s.bad_epoch, cases[i].epoch);
	}
	/* The seal edited to the forged head: its signature no longer holds. */
	trail_restore(f, copy);
	forge(f, "UPDATE audit SET subject = '3100500123458' WHERE seq = 75");
	raw_sql(f->path, "UPDATE audit_seal SET head = (SELECT hash FROM audit WHERE seq = 81) "
		"WHERE epoch = 2");
	assert_int_equal(seal_check(f, vkey, &s, &err), -1);
	assert_int_equal(err.id, TB_E_AUDIT_SEAL_FORGED);
	assert_int_equal(s.bad_epoch, 2);
}

/* The forger holds the current epoch's seed: seals made with it under an
 * earlier epoch's number fail against that epoch's key. */
static void seal_with_a_later_key_refused(void **state)
{
	struct fixture *f = *state;
	char vkey[AUDIT_SEAL_KEY_TEXT], text[2048], *last, *ep;
	struct audit_seal_check s;
	tb_err err = { 0 };

	SKIP_ON_SERVER();
	sealed_trail(f, vkey);
	forge(f, "UPDATE audit SET subject = '3100500123458' WHERE seq = 3");
	raw_sql(f->path, "DELETE FROM audit_seal");
	key_file(f, text, sizeof text, NULL);
	last = strstr(text, "\nlast ");
	assert_non_null(last);
	last[1] = '\0';
	ep = strstr(text, "epoch 3");
	assert_non_null(ep);
	ep[6] = '0';
	key_file(f, NULL, 0, text);
	f->d = open_ok(f, 0);
	assert_int_equal(audit_seal(f->d, 1, &err), 1);   /* "epoch 0", the key of epoch 3 */
	db_close(&f->d);
	assert_int_equal(seal_check(f, vkey, &s, &err), -1);
	assert_int_equal(err.id, TB_E_AUDIT_SEAL_FORGED);
	assert_int_equal(s.bad_epoch, 0);
}

static void removed_seals_found(void **state)
{
	struct fixture *f = *state;
	char vkey[AUDIT_SEAL_KEY_TEXT];
	struct audit_seal_check s;
	tb_err err = { 0 };

	sealed_trail(f, vkey);
	/* The last seals: the key file's epoch is ahead, with the key or not. */
	raw_sql(f->path, "DELETE FROM audit_seal WHERE epoch >= 1");
	assert_int_equal(seal_check(f, vkey, &s, &err), -1);
	assert_int_equal(err.id, TB_E_AUDIT_SEAL_MISSING);
	assert_int_equal(s.bad_epoch, 1);
	assert_int_equal(s.key_epoch, 3);
	assert_int_equal(seal_check(f, NULL, &s, &err), -1);
	assert_int_equal(err.id, TB_E_AUDIT_SEAL_MISSING);
	/* A seal lost between the key file and the database (a crash) is
	 * stored again from the key file at the next seal. */
	raw_sql(f->path, "DELETE FROM audit_seal WHERE epoch = 0");
	f->d = open_ok(f, 0);
	append(f, ADMIN, AUDIT_USER_LOGIN, "", "");
	assert_int_equal(audit_seal(f->d, 1, &err), 1);
	db_close(&f->d);
	assert_int_equal(seal_check(f, vkey, &s, &err), -1);   /* epoch 0 is gone for good */
	assert_int_equal(err.id, TB_E_AUDIT_SEAL_MISSING);
	assert_int_equal(s.bad_epoch, 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit_seal WHERE epoch = 2"), 1);
}

/* A database of schema 3 (no seals table) moves to 4: its chain verifies
 * and it says it is not sealed. */
static void older_database_unsealed(void **state)
{
	struct fixture *f = *state;
	char vkey[AUDIT_SEAL_KEY_TEXT];
	struct audit_seal_check s;
	tb_err err = { 0 };

	f->d = db_open_at(f->path, DB_OPEN_CREATE, 3, &err);
	assert_non_null(f->d);
	init_branch_old(f, 3);
	append_old(f, ADMIN, AUDIT_CARD_READ, "1101700203450");
	append_old(f, ADMIN, AUDIT_USER_LOGIN, "");
	db_close(&f->d);
	assert_int_equal(seal_check(f, NULL, &s, &err), 0);
	assert_int_equal(s.seals, 0);
	assert_int_equal(s.unsealed, 2);
	assert_int_equal(s.key_epoch, -1);
	/* Sealed before this terminal wrote a row: the chain of before is. */
	f->d = open_ok(f, 0);
	assert_int_equal(audit_seal_init(f->d, vkey, &err), 0);
	db_close(&f->d);
	assert_int_equal(seal_check(f, vkey, &s, &err), 0);
	assert_int_equal(s.seals, 1);
	assert_int_equal(s.sealed_seq, 2);
	assert_int_equal(s.unsealed, 0);
	f->d = open_ok(f, 0);
	append(f, ADMIN, AUDIT_CARD_READ, "1101700203450", "ยืนยันตัวตน");
	assert_int_equal(audit_seal(f->d, 1, &err), 1);
	db_close(&f->d);
	assert_int_equal(seal_check(f, vkey, &s, &err), 0);
	assert_int_equal(s.seals, 2);
	assert_int_equal(s.sealed_seq, 3);
	assert_int_equal(s.unsealed, 0);
}

/* On a server: a transaction whose connection is lost after its last
 * statement is refused at COMMIT as PG-LOST and leaves nothing (the COMMIT
 * is never sent on a new connection, where it would end nothing and
 * succeed); the next append connects again. */
static void commit_on_a_lost_connection_refused(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };
	long long before;

	/* SQLite has no connection to lose. */
	if (!on_server())
		return;
	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	before = raw_int(f->path, "SELECT count(*) FROM audit");
	assert_int_equal(db_tx_begin(f->d, &err), 0);
	append(f, ADMIN, AUDIT_CARD_READ, "lost", "");
	/* The terminal's backend ended, waited for (up to 10 s). */
	assert_int_equal(raw_int(f->path, "WITH t AS MATERIALIZED (SELECT pid FROM pg_stat_activity "
				 "WHERE datname = current_database() AND application_name = 'tabien') "
				 "SELECT count(*) FROM t WHERE pg_terminate_backend(pid, 10000)"), 1);
	assert_int_equal(db_tx_end(f->d, 1, &err), -1);
	assert_int_equal(err.id, TB_E_PG_LOST);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit"), before);
	append(f, ADMIN, AUDIT_CARD_READ, "after", "");
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE subject = 'after'"), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM audit WHERE subject = 'lost'"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(chain_detects_edit),
		T(chain_covers_consent),
		T(chain_covers_acting),
		T(chain_detects_every_kind_of_tampering),
		T(chains_interleaved),
		T(chain_continues_across_restarts),
		T(query_filters),
		T(csv_quotes_and_neutralises_formulas),
		T(sessions_resume_after_a_crash),
		T(branch_and_user_settings),
		T(seals_verify_and_say_what_is_sealed),
		T(seal_catches_the_forgers_rewrite),
		T(seal_with_a_later_key_refused),
		T(removed_seals_found),
		T(older_database_unsealed),
		T(commit_on_a_lost_connection_refused),
#undef T
	};

	store_env();
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
