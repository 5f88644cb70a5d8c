/* Opening the SQLite file, against real files in a private temporary folder:
 * migrations from every earlier version, a newer file refused, file modes,
 * garbage, damaged pages, read-only files and folders. */
#include "config.h"

#include "tests/unit/store_fixture.h"

/* --- opening and migrations ----------------------------------------------------- */

static void creates_private_file_at_current_version(void **state)
{
	struct fixture *f = *state;
	struct stat sb;
	char wal[300];
	mode_t old;

	SKIP_ON_SERVER();
	old = umask(0);   /* the file is private whatever the umask */
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

	SKIP_ON_SERVER();
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

	SKIP_ON_SERVER();
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
	init_branch_old(f, 1);
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
	assert_true(chk.rows >= 1);
}

/* A step-5 file (one branch, admin and staff) moves to step 6: the branch
 * becomes the default one with its settings and purposes, its users belong
 * to it, admin becomes agency admin and staff counter officer, and the
 * chain written before still verifies. */
static void migration_from_v5_makes_branches_and_roles(void **state)
{
	struct fixture *f = *state;
	struct branch_settings *b = calloc(1, sizeof *b);
	struct user u;
	struct audit_check chk;
	tb_err err = { 0 };

	assert_non_null(b);
	f->d = db_open_at(f->path, DB_OPEN_CREATE, 5, &err);
	assert_non_null(f->d);
	init_branch_old(f, 5);
	append_old(f, "staff.a", AUDIT_CARD_READ, "1101700203450");
	db_close(&f->d);
	if (!on_server())
		assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 5);

	f->d = open_ok(f, 0);
	assert_int_equal(db_version(f->d), DB_SCHEMA_VERSION);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM branches WHERE code = 'BR-01' "
				 "AND name = 'สาขาทดสอบ'"), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM users WHERE branch = 'BR-01'"), 3);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM grants"), 0);
	assert_int_equal(raw_int(f->path, on_server()
				 ? "SELECT count(*) FROM pg_tables WHERE tablename = 'purposes'"
				 : "SELECT count(*) FROM sqlite_master WHERE name = 'purposes'"), 0);
	assert_int_equal(users_get(f->d, ADMIN, &u, &err), 0);
	assert_int_equal(u.role, USER_AGENCY_ADMIN);
	assert_string_equal(u.branch, "BR-01");
	assert_int_equal(users_get(f->d, "staff.a", &u, &err), 0);
	assert_int_equal(u.role, USER_OFFICER);
	assert_int_equal(rights_has(f->d, &u, RIGHT_CARD, &err), 1);
	assert_int_equal(rights_has(f->d, &u, RIGHT_AUDIT, &err), 0);
	assert_int_equal(settings_branch_get(f->d, b, &err), 0);
	assert_string_equal(b->agency, "กรมทดสอบระบบ");
	assert_string_equal(b->code, "BR-01");
	assert_string_equal(b->name, "สาขาทดสอบ");
	assert_int_equal(b->idle_timeout_s, 600);
	assert_string_equal(b->gateway_profile, "gdx-prod");
	assert_true(b->copy_unsigned);
	assert_int_equal(b->npurposes, 2);
	assert_string_equal(b->purposes[1], "ตามภารกิจ");
	assert_int_equal(login_err(f, ADMIN, ADMIN_PW, NULL), TB_OK);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, "staff.b", &err), 0);
	assert_int_equal(login_err(f, "staff.b", STAFF_PW, NULL), TB_OK);
	assert_int_equal(audit_verify(f->d, &chk, &err), 0);
	assert_int_equal(chk.rows, 4);
	free(b);
}

static void newer_database_is_refused(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	f->d = open_ok(f, DB_OPEN_CREATE);
	db_close(&f->d);
	raw_sql(f->path, on_server() ? "UPDATE tabien_schema SET version = 99"
		: "PRAGMA user_version = 99");
	assert_null(db_open(f->path, 0, &err));
	assert_int_equal(err.id, TB_E_STORE_NEWER);
	assert_int_equal(err.detail, 99);
	/* Untouched: a newer program still finds its data. */
	assert_int_equal(raw_int(f->path, on_server() ? "SELECT version FROM tabien_schema"
				 : "PRAGMA user_version"), 99);
}

static void loose_mode_is_made_private(void **state)
{
	struct fixture *f = *state;
	struct stat sb;

	SKIP_ON_SERVER();
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

	SKIP_ON_SERVER();
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

	SKIP_ON_SERVER();
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

	SKIP_ON_SERVER();
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

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(creates_private_file_at_current_version),
		T(missing_file_is_not_initialised),
		T(migrates_from_each_earlier_version),
		T(migration_from_v1_keeps_data),
		T(migration_from_v5_makes_branches_and_roles),
		T(newer_database_is_refused),
		T(loose_mode_is_made_private),
		T(garbage_file_is_corrupt),
		T(damaged_pages_are_corrupt),
		T(read_only_file_and_folder),
#undef T
	};

	store_env();
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
