#include "config.h"

#include "tests/unit/store_fixture.h"

#include <libpq-fe.h>

#include "storage/audit_db.h"
#include "storage/db_private.h"

int on_server(void)
{
	const char *pg = getenv("TABIEN_TEST_PG");
	return pg && *pg;
}

/* Runs SQL on the server: dbname NULL for the maintenance database. */
static void pg_run(const char *conninfo, const char *sql, long long *out)
{
	PGconn *c = PQconnectdb(conninfo);
	PGresult *r;

	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("connect %s: %s", conninfo, PQerrorMessage(c));
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	if (out)
		*out = PQntuples(r) > 0 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1;
	PQclear(r);
	PQfinish(c);
}

/* CREATE or DROP of the test's database, from the maintenance one. */
static void pg_admin(int create, const char *name)
{
	char conn[400], sql[200];

	snprintf(conn, sizeof conn, "%s dbname=postgres", getenv("TABIEN_TEST_PG"));
	if (create)
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	else
		snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", name);
	pg_run(conn, sql, NULL);
}

void seal_key_path(struct fixture *f, char *out, size_t size)
{
	if (on_server())
		snprintf(out, size, "%s/tabien/server.seal", f->dir);
	else
		snprintf(out, size, "%s.seal", f->path);
}

int64_t fake_clock(void *arg)
{
	return *(int64_t *)arg;
}

void make_cid(const char *first12, char out[14])
{
	int sum = 0;

	for (int i = 0; i < 12; i++)
		sum += (first12[i] - '0') * (13 - i);
	snprintf(out, 14, "%s%d", first12, (11 - sum % 11) % 10);
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s/tabien-store.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/data/tabien.db", f->dir);
	if (on_server()) {
		static int count;

		/* A database of its own, and the key file in the test's folder. */
		snprintf(f->pgname, sizeof f->pgname, "t%ld_%d", (long)getpid(), ++count);
		pg_admin(1, f->pgname);
		snprintf(f->path, sizeof f->path, "%s dbname=%s", getenv("TABIEN_TEST_PG"), f->pgname);
		setenv("XDG_DATA_HOME", f->dir, 1);
	}
	f->now = 1700000000;  /* 2023-11-14T22:13:20Z */
	*state = f;
	return 0;
}

int teardown(void **state)
{
	struct fixture *f = *state;

	db_close(&f->d);
	if (f->pgname[0])
		pg_admin(0, f->pgname);
	chmod(f->dir, 0700);
	nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

struct db *open_ok(struct fixture *f, unsigned flags)
{
	tb_err err = { 0 };
	struct db *d = db_open(f->path, flags, &err);

	if (!d)
		fail_msg("db_open: %s (%ld)", err_code(err.id), err.detail);
	db_set_clock(d, fake_clock, &f->now);
	return d;
}

void branch_fill(struct branch_settings *b)
{
	settings_branch_defaults(b);
	snprintf(b->agency, sizeof b->agency, "กรมทดสอบระบบ");
	snprintf(b->code, sizeof b->code, "BR-01");
	snprintf(b->name, sizeof b->name, "สาขาทดสอบ");
}

void init_branch(struct fixture *f)
{
	struct branch_settings *b = calloc(1, sizeof *b);
	char cid[14];
	tb_err err = { 0 };

	assert_non_null(b);
	branch_fill(b);
	make_cid("110170020345", cid);
	if (settings_init(f->d, b, &(struct user_new){ .username = ADMIN, .full_name = "สมชาย ใจดี",
			  .cid = cid, .position = "หัวหน้างาน", .password = ADMIN_PW }, &err))
		fail_msg("settings_init: %s %s", err_code(err.id), err.field ? err.field : "");
	free(b);
}

/* What `admin init`, an approval and a registration wrote before schema
 * step 6 (one branch, roles admin and staff), written as that program wrote
 * it, into the file open at `version` (reopened at the same version). */
void init_branch_old(struct fixture *f, int version)
{
	char admin[crypto_pwhash_STRBYTES], staff[crypto_pwhash_STRBYTES], sql[2048];
	char cid_a[14], cid_s[14];
	tb_err err = { 0 };

	assert_true(sodium_init() >= 0);
	assert_int_equal(crypto_pwhash_str(admin, ADMIN_PW, strlen(ADMIN_PW), crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_int_equal(crypto_pwhash_str(staff, STAFF_PW, strlen(STAFF_PW), crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
	make_cid("110170020345", cid_a);
	make_cid("310050012345", cid_s);
	db_close(&f->d);
	raw_sql(f->path, "INSERT INTO branch_settings (key, value) VALUES ('agency', 'กรมทดสอบระบบ'), "
		"('branch_code', 'BR-01'), ('branch_name', 'สาขาทดสอบ'), ('idle_timeout', '600'), "
		"('gateway_profile', 'gdx-prod'), ('copy_unsigned', '1'), ('auto_purpose', '');"
		"INSERT INTO purposes (pos, text) VALUES (1, 'ยืนยันตัวตน'), (2, 'ตามภารกิจ')");
	snprintf(sql, sizeof sql, "INSERT INTO users (username, full_name, cid, position, pwhash, role, "
		 "status, created) VALUES ('%s', 'สมชาย ใจดี', '%s', 'หัวหน้างาน', '%s', 'admin', 'active', "
		 "'2023-11-14T22:13:20Z'), ('staff.a', 'มาลี มีสุข', '%s', 'เจ้าหน้าที่', '%s', 'staff', "
		 "'active', '2023-11-14T22:13:20Z'), ('staff.b', 'มาลี มีสุข', '%s', 'เจ้าหน้าที่', '%s', "
		 "'staff', 'pending', '2023-11-14T22:13:20Z')", ADMIN, cid_a, admin, cid_s, staff, cid_s, staff);
	raw_sql(f->path, sql);
	f->d = db_open_at(f->path, 0, version, &err);
	assert_non_null(f->d);
	db_set_clock(f->d, fake_clock, &f->now);
}

int register_user(struct fixture *f, const char *name, const char *pw, tb_err *err)
{
	char cid[14];

	make_cid("310050012345", cid);
	return users_register(f->d, &(struct user_new){ .username = name, .full_name = "มาลี มีสุข",
			      .cid = cid, .position = "เจ้าหน้าที่", .password = pw }, err);
}

void add_active(struct fixture *f, const char *name)
{
	tb_err err = { 0 };

	assert_int_equal(register_user(f, name, STAFF_PW, &err), 0);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, name, &err), 0);
}

enum tb_err_id login_err(struct fixture *f, const char *user, const char *pw, long *detail)
{
	struct user u;
	tb_err err = { 0 };

	if (users_login(f->d, user, pw, &u, &err) == 0)
		return TB_OK;
	if (detail)
		*detail = err.detail;
	return err.id;
}

void raw_sql(const char *path, const char *sql)
{
	sqlite3 *h;
	char *msg = NULL;

	if (on_server()) {
		char *all = malloc(strlen(sql) + 64);

		assert_non_null(all);
		sprintf(all, "SET session_replication_role = replica; %s", sql);
		pg_run(path, all, NULL);
		free(all);
		return;
	}
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
	sqlite3_close(h);
}

long long raw_int(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long long v = -1;

	if (on_server()) {
		pg_run(path, sql, &v);
		return v;
	}
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

void append(struct fixture *f, const char *user, const char *action, const char *subject,
		   const char *purpose)
{
	tb_err err = { 0 };

	assert_int_equal(audit_append(f->d, &(struct audit_entry){ .username = user, .action = action,
				       .service = "00023/001", .subject = subject, .purpose = purpose,
				       .result = "OK" }, &err), 0);
}

void append_old(struct fixture *f, const char *user, const char *action, const char *subject)
{
	char prev[AUDIT_HASH_HEX + 1] = "", hash[AUDIT_HASH_HEX + 1], when[DB_TIME_MAX];
	struct db_stmt *st;
	struct audit_row r;
	int64_t seq = 0;
	tb_err err = { 0 };

	/* One chain, its head in audit_head, seq the highest plus one: as a
	 * program of schema 7 or before wrote its rows. */
	assert_int_equal(db_tx_begin(f->d, &err), 0);
	assert_int_equal(db_stmt_prepare(f->d, "SELECT seq, hash FROM audit_head", &st, &err), 0);
	if (db_step(st, &err) == DB_ROW) {
		seq = db_col_int64(st, 0);
		db_col_copy(st, 1, prev, sizeof prev);
	}
	db_stmt_finish(&st);
	db_time_iso(db_now(f->d), when);
	r = (struct audit_row){ .seq = seq + 1, .time = when, .terminal = db_terminal(f->d),
				.branch = "BR-01", .username = user, .action = action, .service = "",
				.subject = subject, .purpose = "", .consent = "", .acting = "",
				.result = "OK", .chain = "" };
	audit_row_hash(prev, &r, hash);
	assert_int_equal(db_stmt_prepare(f->d, "INSERT INTO audit (seq, time, terminal, branch, "
					 "username, action, service, subject, purpose, result, hash) "
					 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, &err), 0);
	db_bind_int64(st, 1, r.seq);
	db_bind_text(st, 2, r.time);
	db_bind_text(st, 3, r.terminal);
	db_bind_text(st, 4, r.branch);
	db_bind_text(st, 5, r.username);
	db_bind_text(st, 6, r.action);
	db_bind_text(st, 7, r.service);
	db_bind_text(st, 8, r.subject);
	db_bind_text(st, 9, r.purpose);
	db_bind_text(st, 10, r.result);
	db_bind_text(st, 11, hash);
	assert_int_equal(db_exec_stmt(st, &err), 0);
	assert_int_equal(db_stmt_prepare(f->d, "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2) "
					 "ON CONFLICT (id) DO UPDATE SET seq = ?1, hash = ?2", &st, &err), 0);
	db_bind_int64(st, 1, r.seq);
	db_bind_text(st, 2, hash);
	assert_int_equal(db_exec_stmt(st, &err), 0);
	assert_int_equal(db_tx_end(f->d, 1, &err), 0);
}

int64_t verify_bad(struct fixture *f)
{
	struct audit_check chk;
	tb_err err = { 0 };

	if (audit_verify(f->d, &chk, &err) == 0)
		return 0;
	assert_int_equal(err.id, TB_E_AUDIT_BROKEN);
	assert_int_equal(err.detail, chk.first_bad);
	return chk.first_bad;
}

void store_env(void)
{
	/* Fast password hashing (see services/accounts/users.h) and a fixed terminal name. */
	setenv("TABIEN_PWHASH", "fast", 1);
	setenv("TABIEN_TERMINAL", "test-terminal", 1);
	unsetenv("TABIEN_DB");
}
