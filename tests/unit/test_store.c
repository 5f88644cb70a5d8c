/* Storage and the services on it, against real SQLite files in a private
 * temporary folder: migrations, refusals, file modes, damaged and read-only
 * files; registration, approval, lock-out, admin rules; the audit chain and
 * its exports; sessions and settings; hostile text in every field. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "services/accounts/audit.h"
#include "services/accounts/session.h"
#include "services/accounts/settings.h"
#include "services/accounts/users.h"
#include "storage/db.h"

#define ADMIN "admin1"
#define ADMIN_PW "admin-password-1"
#define STAFF_PW "staff-password-1"
#define OTHER_UID 65534   /* nobody: for read-only files when the tests run as root */

static const char *const hostile[] = {
	"'); DROP TABLE users;--",
	"\" OR 1=1 --",
	"นางสาวมาลี ใจดี ๑๒๓",
};

struct fixture {
	char dir[64];
	char path[128];
	struct db *d;
	int64_t now;
};

static int64_t fake_clock(void *arg)
{
	return *(int64_t *)arg;
}

/* A citizen ID with a correct check digit from 12 digits. */
static void make_cid(const char *first12, char out[14])
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

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s/tabien-store.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/data/tabien.db", f->dir);
	f->now = 1700000000;  /* 2023-11-14T22:13:20Z */
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	db_close(&f->d);
	chmod(f->dir, 0700);
	nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static struct db *open_ok(struct fixture *f, unsigned flags)
{
	tb_err err = { 0 };
	struct db *d = db_open(f->path, flags, &err);

	if (!d)
		fail_msg("db_open: %s (%ld)", err_code(err.id), err.detail);
	db_set_clock(d, fake_clock, &f->now);
	return d;
}

static void branch_fill(struct branch_settings *b)
{
	settings_branch_defaults(b);
	snprintf(b->agency, sizeof b->agency, "กรมทดสอบระบบ");
	snprintf(b->code, sizeof b->code, "BR-01");
	snprintf(b->name, sizeof b->name, "สาขาทดสอบ");
}

/* The first run: the branch and ADMIN. */
static void init_branch(struct fixture *f)
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

static int register_user(struct fixture *f, const char *name, const char *pw, tb_err *err)
{
	char cid[14];

	make_cid("310050012345", cid);
	return users_register(f->d, &(struct user_new){ .username = name, .full_name = "มาลี มีสุข",
			      .cid = cid, .position = "เจ้าหน้าที่", .password = pw }, err);
}

/* An active staff account. */
static void add_active(struct fixture *f, const char *name)
{
	tb_err err = { 0 };

	assert_int_equal(register_user(f, name, STAFF_PW, &err), 0);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, name, &err), 0);
}

static enum tb_err_id login_err(struct fixture *f, const char *user, const char *pw, long *detail)
{
	struct user u;
	tb_err err = { 0 };

	if (users_login(f->d, user, pw, &u, &err) == 0)
		return TB_OK;
	if (detail)
		*detail = err.detail;
	return err.id;
}

/* Runs SQL through SQLite directly, as someone with the sqlite3 tool would. */
static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *h;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
	sqlite3_close(h);
}

static long long raw_int(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static void append(struct fixture *f, const char *user, const char *action, const char *subject,
		   const char *purpose)
{
	tb_err err = { 0 };

	assert_int_equal(audit_append(f->d, &(struct audit_entry){ .username = user, .action = action,
				       .service = "00023/001", .subject = subject, .purpose = purpose,
				       .result = "OK" }, &err), 0);
}

static int64_t verify_bad(struct fixture *f)
{
	struct audit_check chk;
	tb_err err = { 0 };

	if (audit_verify(f->d, &chk, &err) == 0)
		return 0;
	assert_int_equal(err.id, TB_E_AUDIT_BROKEN);
	assert_int_equal(err.detail, chk.first_bad);
	return chk.first_bad;
}

/* --- opening and migrations ----------------------------------------------------- */

static void creates_private_file_at_current_version(void **state)
{
	struct fixture *f = *state;
	struct stat sb;
	char wal[160];
	mode_t old = umask(0);   /* the file is private whatever the umask */

	f->d = open_ok(f, DB_OPEN_CREATE);
	umask(old);
	assert_int_equal(db_version(f->d), DB_SCHEMA_VERSION);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(wal, sizeof wal, "%s/data", f->dir);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	init_branch(f);
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
	assert_int_equal(raw_int(f->path, "PRAGMA application_id"), 0x54424E31);
}

static void missing_file_is_not_initialised(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	assert_null(db_open(f->path, 0, &err));
	assert_int_equal(err.id, TB_E_STORE_NOT_INIT);
	assert_int_equal(access(f->path, F_OK), -1);
	/* An empty but created database is not set up either. */
	f->d = open_ok(f, DB_OPEN_CREATE);
	assert_int_equal(settings_initialised(f->d, &err), 0);
	assert_int_equal(err.id, TB_E_STORE_NOT_INIT);
	assert_int_equal(register_user(f, "staff.a", STAFF_PW, &err), -1);
	assert_int_equal(err.id, TB_E_STORE_NOT_INIT);
}

static void migrates_from_each_earlier_version(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	for (int v = 0; v < DB_SCHEMA_VERSION; v++) {
		char path[160];
		struct db *d;

		snprintf(path, sizeof path, "%s/v%d.db", f->dir, v);
		d = db_open_at(path, DB_OPEN_CREATE, v, &err);
		assert_non_null(d);
		assert_int_equal(db_version(d), v);
		db_close(&d);
		assert_null(d);
		assert_int_equal(raw_int(path, "PRAGMA user_version"), v);
		d = db_open(path, 0, &err);
		assert_non_null(d);
		assert_int_equal(db_version(d), DB_SCHEMA_VERSION);
		db_close(&d);
		assert_int_equal(raw_int(path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
	}
}

/* Data written under version 1 survives the move to version 2, which adds
 * user settings and the sessions' saved state. */
static void migration_from_v1_keeps_data(void **state)
{
	struct fixture *f = *state;
	struct user u;
	struct session s;
	struct user_settings us;
	struct audit_check chk;
	tb_err err = { 0 };

	f->d = db_open_at(f->path, DB_OPEN_CREATE, 1, &err);
	assert_non_null(f->d);
	db_set_clock(f->d, fake_clock, &f->now);
	init_branch(f);
	add_active(f, "staff.a");
	assert_int_equal(register_user(f, "staff.b", STAFF_PW, &err), 0);
	db_close(&f->d);
	/* A version-1 session, as the version-1 program wrote it. */
	raw_sql(f->path, "INSERT INTO sessions (user_id, terminal, started, last_seen) "
		"VALUES (2, 'counter-1', '2023-11-14T22:00:00Z', '2023-11-14T22:05:00Z')");

	f->d = open_ok(f, 0);
	assert_int_equal(db_version(f->d), DB_SCHEMA_VERSION);
	assert_int_equal(users_get(f->d, "staff.a", &u, &err), 0);
	assert_int_equal(u.status, USER_ACTIVE);
	assert_string_equal(u.full_name, "มาลี มีสุข");
	assert_int_equal(users_get(f->d, "staff.b", &u, &err), 0);
	assert_int_equal(u.status, USER_PENDING);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_OK);
	assert_int_equal(session_get(f->d, 1, &s, &err), 0);
	assert_string_equal(s.terminal, "counter-1");
	assert_string_equal(s.state, "");
	assert_int_equal(session_save_state(f->d, 1, "pane=card", &err), 0);
	assert_int_equal(session_get(f->d, 1, &s, &err), 0);
	assert_string_equal(s.state, "pane=card");
	assert_int_equal(settings_user_set(f->d, 2, &(struct user_settings){ .theme = "mono",
					   .language = "th", .default_pane = "diag" }, &err), 0);
	assert_int_equal(settings_user_get(f->d, 2, &us, &err), 0);
	assert_string_equal(us.theme, "mono");
	assert_int_equal(audit_verify(f->d, &chk, &err), 0);
	assert_true(chk.rows >= 4);
}

static void newer_database_is_refused(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	f->d = open_ok(f, DB_OPEN_CREATE);
	db_close(&f->d);
	raw_sql(f->path, "PRAGMA user_version = 99");
	assert_null(db_open(f->path, 0, &err));
	assert_int_equal(err.id, TB_E_STORE_NEWER);
	assert_int_equal(err.detail, 99);
	/* Untouched: a newer program still finds its data. */
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 99);
}

static void loose_mode_is_made_private(void **state)
{
	struct fixture *f = *state;
	struct stat sb;

	f->d = open_ok(f, DB_OPEN_CREATE);
	assert_int_equal(db_fixed_mode(f->d), 0);
	db_close(&f->d);
	assert_int_equal(chmod(f->path, 0644), 0);
	f->d = open_ok(f, 0);
	assert_int_equal(db_fixed_mode(f->d), 0644);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
}

static void write_file(const char *path, const void *data, size_t n, off_t at)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0600);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, n, at), (ssize_t)n);
	close(fd);
}

static void garbage_file_is_corrupt(void **state)
{
	struct fixture *f = *state;
	char garbage[4096];
	char path[160];
	tb_err err = { 0 };

	for (size_t i = 0; i < sizeof garbage; i++)
		garbage[i] = (char)(i * 7 + 3);
	snprintf(path, sizeof path, "%s/garbage.db", f->dir);
	write_file(path, garbage, sizeof garbage, 0);
	assert_null(db_open(path, 0, &err));
	assert_int_equal(err.id, TB_E_STORE_CORRUPT);
	/* A text file (a wrong --db) is no better. */
	snprintf(path, sizeof path, "%s/notes.txt", f->dir);
	write_file(path, "hello\n", 6, 0);
	assert_null(db_open(path, 0, &err));
	assert_int_equal(err.id, TB_E_STORE_CORRUPT);
	/* Nor is another program's SQLite database. */
	snprintf(path, sizeof path, "%s/other.db", f->dir);
	raw_sql(path, "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
	assert_null(db_open(path, 0, &err));
	assert_int_equal(err.id, TB_E_STORE_FOREIGN);
	assert_int_equal(raw_int(path, "SELECT x FROM t"), 1);
}

/* A database whose pages were overwritten: whatever is read first fails
 * with the corrupt error, never a crash. */
static void damaged_pages_are_corrupt(void **state)
{
	struct fixture *f = *state;
	char junk[8192];
	tb_err err = { 0 };
	int r;

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	for (int i = 0; i < 20; i++)
		append(f, ADMIN, AUDIT_CARD_READ, "1101700203450", "check");
	db_close(&f->d);
	memset(junk, 0xA5, sizeof junk);
	write_file(f->path, junk, sizeof junk, 4096);
	f->d = db_open(f->path, 0, &err);
	if (!f->d) {
		assert_int_equal(err.id, TB_E_STORE_CORRUPT);
		return;
	}
	r = db_check(f->d, &err);
	assert_int_equal(r, -1);
	assert_int_equal(err.id, TB_E_STORE_CORRUPT);
}

/* Runs db_open as an account that cannot write (nobody, when the tests run
 * as root, since root writes anything), and returns its error. */
static tb_err open_as_other(const char *path)
{
	tb_err err = { 0 };
	int fds[2];
	pid_t pid;

	if (geteuid() != 0) {
		struct db *d = db_open(path, 0, &err);
		db_close(&d);
		return err;
	}
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct db *d;
		close(fds[0]);
		if (setgid(OTHER_UID) != 0 || setuid(OTHER_UID) != 0)
			_exit(3);
		d = db_open(path, 0, &err);
		db_close(&d);
		if (write(fds[1], &err, sizeof err) != (ssize_t)sizeof err)
			_exit(4);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &err, sizeof err) != (ssize_t)sizeof err)
		err.id = TB_ERR_COUNT;
	close(fds[0]);
	waitpid(pid, NULL, 0);
	return err;
}

static void own_tree(const char *dir)
{
	if (geteuid() == 0) {
		char cmd[256];
		snprintf(cmd, sizeof cmd, "chown -R %d:%d '%s'", OTHER_UID, OTHER_UID, dir);
		assert_int_equal(system(cmd), 0);
	}
}

static void read_only_file_and_folder(void **state)
{
	struct fixture *f = *state;
	char dir[160];
	tb_err err;

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	db_close(&f->d);
	assert_int_equal(chmod(f->dir, 0711), 0);
	snprintf(dir, sizeof dir, "%s/data", f->dir);
	own_tree(dir);

	assert_int_equal(chmod(f->path, 0400), 0);
	err = open_as_other(f->path);
	assert_int_equal(err.id, TB_E_STORE_READONLY);

	assert_int_equal(chmod(f->path, 0600), 0);
	assert_int_equal(chmod(dir, 0500), 0);
	err = open_as_other(f->path);
	assert_int_equal(err.id, TB_E_STORE_READONLY);
	assert_int_equal(chmod(dir, 0700), 0);
	err = open_as_other(f->path);
	assert_int_equal(err.id, TB_OK);
}

/* --- accounts ------------------------------------------------------------------- */

static void registration_needs_approval(void **state)
{
	struct fixture *f = *state;
	struct user u;
	tb_err err = { 0 };
	char msg[512];

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	assert_int_equal(register_user(f, "staff.a", STAFF_PW, &err), 0);
	assert_int_equal(users_get(f->d, "staff.a", &u, &err), 0);
	assert_int_equal(u.status, USER_PENDING);
	assert_int_equal(u.role, USER_STAFF);
	assert_int_equal(register_user(f, "staff.a", STAFF_PW, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_TAKEN);

	assert_int_equal(users_login(f->d, "staff.a", STAFF_PW, &u, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_PENDING);
	err_format(&err, TB_LANG_TH, msg, sizeof msg);
	assert_non_null(strstr(msg, "รอผู้ดูแลระบบของหน่วยงานอนุมัติ"));
	err_format(&err, TB_LANG_EN, msg, sizeof msg);
	assert_non_null(strstr(msg, "waiting for your agency's admin"));
	/* A wrong password says nothing about the account's status. */
	assert_int_equal(login_err(f, "staff.a", "not-the-password", NULL), TB_E_AUTH_WRONG);

	assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, "staff.a", &err), 0);
	assert_int_equal(users_login(f->d, "staff.a", STAFF_PW, &u, &err), 0);
	assert_int_equal(u.status, USER_ACTIVE);
	assert_string_equal(u.decided_by, ADMIN);
	assert_string_equal(u.last_login, "2023-11-14T22:13:20Z");
	assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, "staff.a", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_STATE);
}

static void rejected_then_approved(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	assert_int_equal(register_user(f, "staff.a", STAFF_PW, &err), 0);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_REJECT, "staff.a", &err), 0);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_E_AUTH_REJECTED);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_SUSPEND, "staff.a", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_STATE);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, "staff.a", &err), 0);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_OK);
}

static void suspended_is_not_authorised(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	assert_int_equal(users_admin(f->d, ADMIN, USERS_SUSPEND, "staff.a", &err), 0);
	assert_int_equal(users_login(f->d, "staff.a", STAFF_PW, NULL, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_SUSPENDED);
	assert_string_equal(err_message(err.id, TB_LANG_TH), "ท่านไม่ได้รับสิทธิ์เข้าใช้งานระบบ");
	assert_string_equal(err_message(err.id, TB_LANG_EN), "You are not authorised to use the system");
	assert_int_equal(users_admin(f->d, ADMIN, USERS_REINSTATE, "staff.a", &err), 0);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_OK);
}

static int same_err(const tb_err *a, const tb_err *b)
{
	return a->id == b->id && a->detail == b->detail &&
	       (a->field == b->field || (a->field && b->field && strcmp(a->field, b->field) == 0));
}

static void unknown_user_and_wrong_password_look_alike(void **state)
{
	struct fixture *f = *state;
	tb_err a = { 0 }, b = { 0 };
	char ma[512], mb[512];

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	assert_int_equal(users_login(f->d, "staff.a", "wrong-password", NULL, &a), -1);
	assert_int_equal(users_login(f->d, "nobody.here", "wrong-password", NULL, &b), -1);
	assert_int_equal(a.id, TB_E_AUTH_WRONG);
	assert_true(same_err(&a, &b));
	for (int lang = TB_LANG_EN; lang <= TB_LANG_TH; lang++) {
		err_format(&a, lang, ma, sizeof ma);
		err_format(&b, lang, mb, sizeof mb);
		assert_string_equal(ma, mb);
	}
	/* Also for names that could never exist. */
	assert_int_equal(users_login(f->d, hostile[0], "wrong-password", NULL, &b), -1);
	assert_true(same_err(&a, &b));
	assert_int_equal(users_login(f->d, "", "", NULL, &b), -1);
	assert_true(same_err(&a, &b));
}

static void lock_out_backs_off_and_survives_restart(void **state)
{
	struct fixture *f = *state;
	long detail = 0;

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	for (int i = 1; i < USERS_LOCK_AFTER; i++)
		assert_int_equal(login_err(f, "staff.a", "wrong-password", NULL), TB_E_AUTH_WRONG);
	assert_int_equal(login_err(f, "staff.a", "wrong-password", &detail), TB_E_AUTH_LOCKED);
	assert_int_equal(detail, USERS_LOCK_FIRST_S);
	/* Locked: even the right password waits, and nothing is counted. */
	f->now += 10;
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, &detail), TB_E_AUTH_LOCKED);
	assert_int_equal(detail, USERS_LOCK_FIRST_S - 10);

	/* The lock is in the database: a restart does not lift it. */
	db_close(&f->d);
	f->d = open_ok(f, 0);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, &detail), TB_E_AUTH_LOCKED);
	assert_int_equal(detail, USERS_LOCK_FIRST_S - 10);

	f->now += USERS_LOCK_FIRST_S;
	assert_int_equal(login_err(f, "staff.a", "wrong-password", &detail), TB_E_AUTH_LOCKED);
	assert_int_equal(detail, 2 * USERS_LOCK_FIRST_S);
	f->now += 2 * USERS_LOCK_FIRST_S;
	assert_int_equal(login_err(f, "staff.a", "wrong-password", &detail), TB_E_AUTH_LOCKED);
	assert_int_equal(detail, 4 * USERS_LOCK_FIRST_S);
	/* Capped. */
	for (int i = 0; i < 10; i++) {
		f->now += USERS_LOCK_MAX_S;
		assert_int_equal(login_err(f, "staff.a", "wrong-password", &detail), TB_E_AUTH_LOCKED);
	}
	assert_int_equal(detail, USERS_LOCK_MAX_S);
	f->now += USERS_LOCK_MAX_S;
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_OK);
	/* A good login starts the count again. */
	assert_int_equal(login_err(f, "staff.a", "wrong-password", NULL), TB_E_AUTH_WRONG);
	/* A clock set back a day does not turn a lock into a day's lock. */
	for (int i = 1; i < USERS_LOCK_AFTER; i++)
		login_err(f, "staff.a", "wrong-password", NULL);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_E_AUTH_LOCKED);
	f->now -= 86400;
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_OK);
}

static void admin_reset_unlocks_and_forces_a_change(void **state)
{
	struct fixture *f = *state;
	char temp[USERS_TEMP_PASSWORD_LEN + 1];
	struct user u;
	tb_err err = { 0 };

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	for (int i = 0; i < USERS_LOCK_AFTER; i++)
		login_err(f, "staff.a", "wrong-password", NULL);
	assert_int_equal(users_reset_password(f->d, "staff.a", "staff.a", NULL, temp, sizeof temp, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_NOT_ADMIN);
	assert_int_equal(users_reset_password(f->d, ADMIN, "staff.a", NULL, temp, sizeof temp, &err), 0);
	assert_int_equal(strlen(temp), USERS_TEMP_PASSWORD_LEN);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_E_AUTH_WRONG);
	assert_int_equal(users_login(f->d, "staff.a", temp, &u, &err), 0);
	assert_true(u.must_change);
	assert_int_equal(users_change_password(f->d, "staff.a", temp, "short", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_PASSWORD_SHORT);
	assert_int_equal(err.detail, USERS_PASSWORD_MIN);
	assert_int_equal(users_change_password(f->d, "staff.a", temp, "a-new-password", &err), 0);
	assert_int_equal(users_login(f->d, "staff.a", "a-new-password", &u, &err), 0);
	assert_false(u.must_change);
}

static void last_admin_is_protected(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	assert_int_equal(users_admin(f->d, ADMIN, USERS_SUSPEND, ADMIN, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_LAST_ADMIN);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_REMOVE_ADMIN, ADMIN, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_LAST_ADMIN);

	assert_int_equal(users_admin(f->d, ADMIN, USERS_MAKE_ADMIN, "staff.a", &err), 0);
	assert_int_equal(users_admin(f->d, "staff.a", USERS_REMOVE_ADMIN, ADMIN, &err), 0);
	/* Now staff.a is the only one. */
	assert_int_equal(users_admin(f->d, "staff.a", USERS_SUSPEND, "staff.a", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_LAST_ADMIN);
	assert_int_equal(users_admin(f->d, "staff.a", USERS_REMOVE_ADMIN, "staff.a", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_LAST_ADMIN);
	/* A suspended admin does not count as one. */
	assert_int_equal(users_admin(f->d, "staff.a", USERS_MAKE_ADMIN, ADMIN, &err), 0);
	assert_int_equal(users_admin(f->d, "staff.a", USERS_SUSPEND, ADMIN, &err), 0);
	assert_int_equal(users_admin(f->d, "staff.a", USERS_SUSPEND, "staff.a", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_LAST_ADMIN);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_REINSTATE, ADMIN, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_NOT_ADMIN);
}

static int count_result(const struct audit_row *r, void *arg)
{
	if (strcmp(r->result, "NOT-ADMIN") == 0 && strcmp(r->subject, "staff.b") == 0)
		(*(int *)arg)++;
	return 0;
}

static void only_admins_act(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };
	int refused = 0;

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	assert_int_equal(register_user(f, "staff.b", STAFF_PW, &err), 0);
	for (int a = 0; a < USERS_ACTION_COUNT; a++) {
		assert_int_equal(users_admin(f->d, "staff.a", a, "staff.b", &err), -1);
		assert_int_equal(err.id, TB_E_AUTH_NOT_ADMIN);
	}
	assert_int_equal(users_admin(f->d, "no.such.admin", USERS_APPROVE, "staff.b", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_NOT_ADMIN);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, "no.such.user", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_NO_USER);
	/* The attempts are on record. */
	assert_int_equal(audit_query(f->d, NULL, count_result, &refused, &err), 0);
	assert_int_equal(refused, USERS_ACTION_COUNT + 1);
	assert_int_equal(login_err(f, "staff.b", STAFF_PW, NULL), TB_E_AUTH_PENDING);
}

static void fields_are_validated(void **state)
{
	char cid[14], bad_cid[14];
	tb_err err = { 0 };
	struct {
		const char *user, *name, *cid, *pos, *pw, *field;
		enum tb_err_id id;
	} cases[] = {
		{ "ab", "ชื่อ", cid, "ตำแหน่ง", STAFF_PW, "username", TB_E_AUTH_INVALID },
		{ "Upper", "ชื่อ", cid, "ตำแหน่ง", STAFF_PW, "username", TB_E_AUTH_INVALID },
		{ "abcdefghijklmnopqrstuvwxyz0123456", "ชื่อ", cid, "ตำแหน่ง", STAFF_PW, "username", TB_E_AUTH_INVALID },
		{ "ok.user", "", cid, "ตำแหน่ง", STAFF_PW, "full_name", TB_E_AUTH_INVALID },
		{ "ok.user", "   ", cid, "ตำแหน่ง", STAFF_PW, "full_name", TB_E_AUTH_INVALID },
		{ "ok.user", "bell\a", cid, "ตำแหน่ง", STAFF_PW, "full_name", TB_E_AUTH_INVALID },
		{ "ok.user", "esc\x1b[2J", cid, "ตำแหน่ง", STAFF_PW, "full_name", TB_E_AUTH_INVALID },
		{ "ok.user", "rtl\xe2\x80\xaeoverride", cid, "ตำแหน่ง", STAFF_PW, "full_name", TB_E_AUTH_INVALID },
		{ "ok.user", "bad\xff utf8", cid, "ตำแหน่ง", STAFF_PW, "full_name", TB_E_AUTH_INVALID },
		{ "ok.user", "ชื่อ", bad_cid, "ตำแหน่ง", STAFF_PW, "cid", TB_E_AUTH_INVALID },
		{ "ok.user", "ชื่อ", "123", "ตำแหน่ง", STAFF_PW, "cid", TB_E_AUTH_INVALID },
		{ "ok.user", "ชื่อ", cid, "", STAFF_PW, "position", TB_E_AUTH_INVALID },
		{ "ok.user", "ชื่อ", cid, "ตำแหน่ง", "123456789", "password", TB_E_AUTH_PASSWORD_SHORT },
	};

	make_cid("110170020345", cid);
	snprintf(bad_cid, sizeof bad_cid, "%s", cid);
	bad_cid[12] = bad_cid[12] == '9' ? '0' : (char)(bad_cid[12] + 1);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		err_clear(&err);
		assert_int_equal(users_validate(&(struct user_new){ .username = cases[i].user,
				 .full_name = cases[i].name, .cid = cases[i].cid,
				 .position = cases[i].pos, .password = cases[i].pw }, &err), -1);
		assert_int_equal(err.id, cases[i].id);
		assert_string_equal(err.field, cases[i].field);
	}
	/* Ten Thai characters are ten characters, though thirty bytes. */
	assert_int_equal(users_validate(&(struct user_new){ .username = "a.b-c_9", .full_name = "ก",
			 .cid = cid, .position = "ข", .password = "กขคงจฉชซฌญ" }, &err), 0);
	assert_int_equal(users_utf8_chars("กขค abc"), 7);
	assert_int_equal(users_utf8_chars("\xc0\x80"), -1);
}

/* --- hostile text ------------------------------------------------------------------- */

static int row_copy(const struct audit_row *r, void *arg)
{
	char **out = arg;
	free(*out);
	*out = strdup(r->purpose);
	return 0;
}

static void injection_is_stored_verbatim(void **state)
{
	struct fixture *f = *state;
	char long_text[1001], cid[14];
	struct branch_settings *b = calloc(1, sizeof *b), *got = calloc(1, sizeof *got);
	struct session *s = calloc(1, sizeof *s);
	struct user_settings us;
	struct user u;
	struct audit_check chk;
	tb_err err = { 0 };

	assert_non_null(b);
	assert_non_null(got);
	assert_non_null(s);
	memset(long_text, 'x', 1000);
	long_text[1000] = '\0';
	make_cid("310050012345", cid);
	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);

	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		const char *h = hostile[i];
		char name[16], *back = NULL;
		struct audit_filter q = { .subject = h };

		/* Names and positions: stored and read back byte for byte. */
		snprintf(name, sizeof name, "user.%zu", i);
		assert_int_equal(users_register(f->d, &(struct user_new){ .username = name,
				 .full_name = h, .cid = cid, .position = h, .password = h }, &err), 0);
		assert_int_equal(users_get(f->d, name, &u, &err), 0);
		assert_string_equal(u.full_name, h);
		assert_string_equal(u.position, h);
		assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, name, &err), 0);
		/* As a password. */
		assert_int_equal(login_err(f, name, h, NULL), TB_OK);
		/* As a username: not a valid one, so refused, and nothing else. */
		assert_int_equal(users_register(f->d, &(struct user_new){ .username = h,
				 .full_name = "x", .cid = cid, .position = "x", .password = STAFF_PW }, &err), -1);
		assert_int_equal(err.id, TB_E_AUTH_INVALID);
		assert_int_equal(login_err(f, h, h, NULL), TB_E_AUTH_WRONG);
		assert_int_equal(users_get(f->d, h, &u, &err), -1);

		/* Branch settings. */
		branch_fill(b);
		snprintf(b->agency, sizeof b->agency, "%s", h);
		snprintf(b->name, sizeof b->name, "%s", h);
		snprintf(b->purposes[0], sizeof b->purposes[0], "%s", h);
		assert_int_equal(settings_branch_set(f->d, ADMIN, b, &err), 0);
		assert_int_equal(settings_branch_get(f->d, got, &err), 0);
		assert_string_equal(got->agency, h);
		assert_string_equal(got->name, h);
		assert_string_equal(got->purposes[0], h);
		snprintf(b->code, sizeof b->code, "%.*s", (int)sizeof b->code - 1, h);
		assert_int_equal(settings_branch_set(f->d, ADMIN, b, &err), -1);
		assert_int_equal(err.id, TB_E_AUTH_INVALID);

		/* Every audit field, and a search by one. */
		assert_int_equal(audit_append(f->d, &(struct audit_entry){ .username = h, .action = h,
				 .service = h, .subject = h, .purpose = h, .result = h }, &err), 0);
		assert_int_equal(audit_query(f->d, &q, row_copy, &back, &err), 0);
		assert_non_null(back);
		assert_string_equal(back, h);
		free(back);

		/* Session state; user settings refuse what is not a name. */
		assert_int_equal(users_get(f->d, name, &u, &err), 0);
		assert_int_equal(session_start(f->d, &u, s, &err), 0);
		assert_int_equal(session_save_state(f->d, s->id, h, &err), 0);
		assert_int_equal(session_get(f->d, s->id, s, &err), 0);
		assert_string_equal(s->state, h);
		assert_int_equal(settings_user_set(f->d, u.id, &(struct user_settings){ .theme = "x",
				 .default_pane = "card" }, &err), 0);
		us = (struct user_settings){ .default_pane = "card" };
		snprintf(us.theme, sizeof us.theme, "%s", h);
		assert_int_equal(settings_user_set(f->d, u.id, &us, &err), -1);
		assert_int_equal(err.id, TB_E_AUTH_INVALID);
	}

	/* 1000 characters: too long for a name, kept whole where text may be long. */
	assert_int_equal(users_register(f->d, &(struct user_new){ .username = "long.name",
			 .full_name = long_text, .cid = cid, .position = "x", .password = STAFF_PW }, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_INVALID);
	assert_string_equal(err.field, "full_name");
	assert_int_equal(users_register(f->d, &(struct user_new){ .username = "long.name",
			 .full_name = "x", .cid = cid, .position = long_text, .password = STAFF_PW }, &err), -1);
	assert_string_equal(err.field, "position");
	branch_fill(b);
	/* (the agency's field holds 200 characters: 300 do not pass) */
	memset(b->agency, 'x', 300);
	b->agency[300] = '\0';
	assert_int_equal(settings_branch_set(f->d, ADMIN, b, &err), -1);
	assert_string_equal(err.field, "agency");
	{
		char *back = NULL;
		struct audit_filter q = { .subject = long_text };
		assert_int_equal(audit_append(f->d, &(struct audit_entry){ .username = long_text,
				 .subject = long_text, .purpose = long_text, .result = long_text }, &err), 0);
		assert_int_equal(audit_query(f->d, &q, row_copy, &back, &err), 0);
		assert_non_null(back);
		assert_string_equal(back, long_text);
		free(back);
	}
	assert_int_equal(session_save_state(f->d, s->id, long_text, &err), 0);
	assert_int_equal(session_get(f->d, s->id, s, &err), 0);
	assert_string_equal(s->state, long_text);
	/* A password of 1000 characters is fine too. */
	assert_int_equal(users_register(f->d, &(struct user_new){ .username = "long.pw",
			 .full_name = "x", .cid = cid, .position = "x", .password = long_text }, &err), 0);

	/* Harmless: every table is there and the chain holds. */
	db_close(&f->d);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM users"), 5);
	assert_true(raw_int(f->path, "SELECT count(*) FROM audit") > 10);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"), 8);
	f->d = open_ok(f, 0);
	assert_int_equal(audit_verify(f->d, &chk, &err), 0);
	free(b);
	free(got);
	free(s);
}

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

static void chain_detects_every_kind_of_tampering(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *sql;
		int64_t bad;
	} cases[] = {
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
		{ "DELETE FROM audit_head", 6 },
		{ "UPDATE audit_head SET seq = 5", 6 },
		{ "INSERT INTO audit SELECT 7, time, terminal, branch, username, action, service, "
		  "subject, purpose, result, hash FROM audit WHERE seq = 6", 7 },
	};
	char copy[160];

	fill_trail(f, 6);
	snprintf(copy, sizeof copy, "%s.orig", f->path);
	assert_int_equal(rename(f->path, copy), 0);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char cmd[400];
		snprintf(cmd, sizeof cmd, "cp '%s' '%s'", copy, f->path);
		assert_int_equal(system(cmd), 0);
		raw_sql(f->path, cases[i].sql);
		f->d = open_ok(f, 0);
		if (verify_bad(f) != cases[i].bad)
			fail_msg("%s: first bad row %lld, expected %lld", cases[i].sql,
				 (long long)verify_bad(f), (long long)cases[i].bad);
		db_close(&f->d);
	}
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
	assert_int_equal(audit_export_csv(f->d, "staff.a", &q, out, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_NOT_ADMIN);
	rows = audit_export_csv(f->d, ADMIN, &q, out, &err);
	fclose(out);
	assert_int_equal(rows, 4);
	assert_non_null(strstr(buf, "seq,time,terminal,branch,username,action,service,subject,"
			       "purpose,result,hash\r\n"));
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
	assert_int_equal(err.id, TB_E_AUTH_NOT_ADMIN);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(creates_private_file_at_current_version),
		T(missing_file_is_not_initialised),
		T(migrates_from_each_earlier_version),
		T(migration_from_v1_keeps_data),
		T(newer_database_is_refused),
		T(loose_mode_is_made_private),
		T(garbage_file_is_corrupt),
		T(damaged_pages_are_corrupt),
		T(read_only_file_and_folder),
		T(registration_needs_approval),
		T(rejected_then_approved),
		T(suspended_is_not_authorised),
		T(unknown_user_and_wrong_password_look_alike),
		T(lock_out_backs_off_and_survives_restart),
		T(admin_reset_unlocks_and_forces_a_change),
		T(last_admin_is_protected),
		T(only_admins_act),
		T(fields_are_validated),
		T(injection_is_stored_verbatim),
		T(chain_detects_edit),
		T(chain_detects_every_kind_of_tampering),
		T(chain_continues_across_restarts),
		T(query_filters),
		T(csv_quotes_and_neutralises_formulas),
		T(sessions_resume_after_a_crash),
		T(branch_and_user_settings),
#undef T
	};

	/* Fast password hashing (see services/accounts/users.h) and a fixed terminal name. */
	setenv("TABIEN_PWHASH", "fast", 1);
	setenv("TABIEN_TERMINAL", "test-terminal", 1);
	unsetenv("TABIEN_DB");
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
