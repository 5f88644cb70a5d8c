/* The SQLite engine: one file per terminal account, created 0600 by us,
 * checked before SQLite reads it, WAL, synchronous=FULL. */
#include "config.h"

#include "storage/db_engine.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

/* "TBN1" in the file header: tells our database from any other SQLite file. */
#define DB_APPLICATION_ID 0x54424E31

#define DB_BUSY_MS 5000

static int64_t busy_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for the write lock in steps of 1-2 ms, for DB_BUSY_MS at most.
 * SQLite's own busy timeout sleeps ever longer (up to 100 ms a time): a
 * writer asleep that long finds the lock taken again at each wake-up while
 * the others pass it round, and with 32 writers on one file (bench_store)
 * some waited out the 5 s on their first append.  The jitter keeps the
 * waiters from waking together. */
static int lite_busy(void *arg, int tries)
{
	struct db *d = arg;
	int64_t now = busy_now_ms();

	if (tries == 0)
		d->busy_since = now;
	if (now - d->busy_since >= DB_BUSY_MS)
		return 0;
	nanosleep(&(struct timespec){ 0, 1000000L + (long)((getpid() + tries) % 7) * 150000L },
		  NULL);
	return 1;
}

static int dir_writable(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		return access(".", W_OK) == 0;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return access(dir, W_OK) == 0;
}

/* Maps an SQLite result code to the catalogue and returns -1. */
static int db_fail(struct db *d, int rc, tb_err *err)
{
	enum tb_err_id id;

	switch (rc & 0xFF) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		id = TB_E_STORE_CORRUPT;
		break;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		id = TB_E_STORE_READONLY;
		break;
	case SQLITE_CANTOPEN:
		/* The file opened, so this is the -wal or -shm beside it. */
		id = d && !dir_writable(d->path) ? TB_E_STORE_READONLY : TB_E_STORE_OPEN;
		break;
	case SQLITE_IOERR:
		id = (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC) && d && !dir_writable(d->path)
			? TB_E_STORE_READONLY : TB_E_STORE;
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		id = TB_E_STORE_BUSY;
		break;
	case SQLITE_FULL:
		id = TB_E_STORE_FULL;
		break;
	case SQLITE_NOMEM:
		id = TB_E_NOMEM;
		break;
	default:
		id = TB_E_STORE;
		break;
	}
	return err_set(err, id, rc, "sqlite");
}

static int prepare_raw(struct db *d, const char *sql, sqlite3_stmt **st, tb_err *err)
{
	int rc = sqlite3_prepare_v2(d->h, sql, -1, st, NULL);

	if (rc != SQLITE_OK) {
		*st = NULL;
		return db_fail(d, rc, err);
	}
	return 0;
}

static int lite_prepare(struct db_stmt *st, const char *sql, tb_err *err)
{
	return prepare_raw(st->d, sql, &st->lite, err);
}

static void lite_bind(struct db_stmt *st, int i, int kind, const char *s, size_t n, int64_t v)
{
	int rc;

	if (kind == 'i')
		rc = sqlite3_bind_int64(st->lite, i, v);
	else if (kind == 'n')
		rc = sqlite3_bind_null(st->lite, i);
	else if (n > INT_MAX)
		rc = SQLITE_TOOBIG;
	else
		rc = sqlite3_bind_text(st->lite, i, s, (int)n, SQLITE_TRANSIENT);
	if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK)
		st->bind_rc = rc;
}

static int lite_step(struct db_stmt *st, tb_err *err)
{
	int rc = st->bind_rc;

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st->lite);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		st->changes = sqlite3_changes(st->d->h);
		return DB_DONE;
	}
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		err_set(err, TB_E_STORE, rc, "constraint");
		return DB_CONFLICT;
	}
	return db_fail(st->d, rc, err);
}

static const char *lite_col_text(struct db_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st->lite, col);
	return s ? (const char *)s : "";
}

static size_t lite_col_bytes(struct db_stmt *st, int col)
{
	int n = sqlite3_column_bytes(st->lite, col);
	return n > 0 ? (size_t)n : 0;
}

static void lite_finish(struct db_stmt *st)
{
	sqlite3_finalize(st->lite);
}

/* Runs constant SQL (pragmas, DDL, transaction control). */
static int db_exec(struct db *d, const char *sql, tb_err *err)
{
	int rc = sqlite3_exec(d->h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : db_fail(d, rc, err);
}

/* One integer from a constant query (pragmas). */
static int db_int(struct db *d, const char *sql, long long *out, tb_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare_raw(d, sql, &st, err))
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		*out = 0;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : db_fail(d, rc, err);
}

/* mkdir -p of the file's folder, new folders private. */
static int make_parents(const char *path, tb_err *err)
{
	char dir[PATH_MAX];

	if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
		return err_set(err, TB_E_STORE_OPEN, ENAMETOOLONG, "path");
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return err_set(err, errno == EACCES || errno == EROFS ? TB_E_STORE_READONLY
				       : TB_E_STORE_OPEN, errno, "folder");
		*p = '/';
	}
	return 0;
}

/* SQLite puts these beside the database and opens them by name: one
 * planted as a link would be written through. */
static int sidecars_check(const char *path, tb_err *err)
{
	static const char *const ext[] = { "-wal", "-shm", "-journal" };
	char side[PATH_MAX + 16];
	struct stat sb;

	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		snprintf(side, sizeof side, "%s%s", path, ext[i]);
		if (lstat(side, &sb) != 0)
			continue;
		if (S_ISLNK(sb.st_mode))
			return err_set(err, TB_E_STORE_LINK, 0, ext[i]);
		if (!S_ISREG(sb.st_mode) || sb.st_uid != geteuid())
			return err_set(err, TB_E_STORE_NOT_OURS, (long)sb.st_uid, ext[i]);
	}
	return 0;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What the header says before SQLite reads (and maybe writes) the file:
 * empty is new; else SQLite's magic and our application id, or no id on a
 * file with no schema yet (a new database whose first step is still in the
 * WAL).  Anything else is left exactly as it was. */
static int header_check(int fd, off_t size, tb_err *err)
{
	unsigned char h[100];
	ssize_t n;
	uint32_t app;

	if (size == 0)
		return 0;
	n = pread(fd, h, sizeof h, 0);
	if (n < 0)
		return err_set(err, TB_E_STORE_OPEN, errno, "file");
	if (n < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
		return err_set(err, TB_E_STORE_CORRUPT, 0, "not a tabien database");
	app = be32(h + 68);
	if (app == DB_APPLICATION_ID || (app == 0 && be32(h + 40) == 0))
		return 0;
	return err_set(err, TB_E_STORE_FOREIGN, (long)app, "application_id");
}

/* The file is created here, not by SQLite, so that it is 0600 from its first
 * moment whatever the umask; SQLite gives the -wal and -shm files the same
 * mode.  Nothing is changed before the file is known to be ours: a link, a
 * file of another account, anything but a plain file or another program's
 * database is refused as it is.  The descriptor stays open, so the mode is
 * fixed on the very file that was checked (file_secure), once SQLite has
 * read it. */
static int file_prepare(struct db *d, unsigned flags, tb_err *err)
{
	struct stat sb;
	int fd;

	if ((flags & DB_OPEN_CREATE) && make_parents(d->path, err))
		return -1;
	if (sidecars_check(d->path, err))
		return -1;
	/* O_NONBLOCK: a FIFO planted at the path does not hang the open. */
	fd = open(d->path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK |
		  ((flags & DB_OPEN_CREATE) ? O_CREAT : 0), 0600);
	if (fd < 0) {
		int e = errno;
		if (e == ELOOP)
			return err_set(err, TB_E_STORE_LINK, 0, "file");
		if (e == ENOENT && !(flags & DB_OPEN_CREATE))
			return err_set(err, TB_E_STORE_NOT_INIT, 0, NULL);
		if ((e == EACCES || e == EROFS || e == EPERM) && lstat(d->path, &sb) == 0)
			return sb.st_uid != geteuid() ? err_set(err, TB_E_STORE_NOT_OURS, (long)sb.st_uid, "owner")
				: err_set(err, TB_E_STORE_READONLY, e, "file");
		if (e == EACCES || e == EROFS)
			return err_set(err, TB_E_STORE_READONLY, e, "folder");
		return err_set(err, TB_E_STORE_OPEN, e, "file");
	}
	d->fd = fd;
	if (fstat(fd, &sb) != 0)
		return err_set(err, TB_E_STORE_OPEN, errno, "file");
	if (!S_ISREG(sb.st_mode))
		return err_set(err, TB_E_STORE_NOT_OURS, 0, "not a plain file");
	if (sb.st_uid != geteuid())
		return err_set(err, TB_E_STORE_NOT_OURS, (long)sb.st_uid, "owner");
	d->dev = sb.st_dev;
	d->ino = sb.st_ino;
	d->mode = sb.st_mode & 07777;
	return header_check(fd, sb.st_size, err);
}

/* Once SQLite has said the file is ours (check_identity): the file SQLite
 * opened must be the one checked, and a file others can read is made
 * private, through the checked descriptor. */
static int file_secure(struct db *d, tb_err *err)
{
	struct stat sb;

	if (lstat(d->path, &sb) != 0 || sb.st_dev != d->dev || sb.st_ino != d->ino)
		return err_set(err, TB_E_STORE_OPEN, EAGAIN, "file changed while opening");
	if (d->mode & 077) {
		if (fchmod(d->fd, 0600) != 0)
			return err_set(err, TB_E_STORE_MODE, errno, "file");
		d->fixed_mode = d->mode;
	}
	return 0;
}

static int lite_migrate(struct db *d, int v, tb_err *err)
{
	char sql[64], app[64];

	/* Pragmas take no bound parameters; these are our own integers. */
	snprintf(app, sizeof app, "PRAGMA application_id = %d", DB_APPLICATION_ID);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
	if (db_exec(d, "BEGIN IMMEDIATE", err))
		return -1;
	if (db_exec(d, db_schema_sqlite[v - 1], err) || db_exec(d, sql, err) ||
	    (v == 1 && db_exec(d, app, err)) ||
	    db_exec(d, "COMMIT", err)) {
		sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* Tells an empty file, our database, and anything else apart. */
static int check_identity(struct db *d, tb_err *err)
{
	long long app, version, objects;

	if (db_int(d, "PRAGMA application_id", &app, err) ||
	    db_int(d, "PRAGMA user_version", &version, err) ||
	    db_int(d, "SELECT count(*) FROM sqlite_master", &objects, err))
		return -1;
	if (app != DB_APPLICATION_ID && (version != 0 || objects != 0 || app != 0))
		return err_set(err, TB_E_STORE_FOREIGN, (long)app, "application_id");
	if (version > DB_SCHEMA_VERSION)
		return err_set(err, TB_E_STORE_NEWER, (long)version, NULL);
	if (version < 0)
		return err_set(err, TB_E_STORE_CORRUPT, (long)version, "user_version");
	d->version = (int)version;
	return 0;
}

static int lite_open(struct db *d, unsigned flags, tb_err *err)
{
	int rc;

	d->fd = -1;
	if (file_prepare(d, flags, err))
		return -1;
	rc = sqlite3_open_v2(d->path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK)
		return db_fail(d, rc, err);
	sqlite3_extended_result_codes(d->h, 1);
	sqlite3_busy_handler(d->h, lite_busy, d);
	/* No writable_schema tricks, no functions run from a hostile schema. */
	sqlite3_db_config(d->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(d->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	if (sqlite3_db_readonly(d->h, "main") == 1)
		return err_set(err, TB_E_STORE_READONLY, 0, "file");
	if (check_identity(d, err) || file_secure(d, err))
		return -1;
	/* WAL lets a reader (the audit pane, `tabien audit`) run beside the
	 * writer; synchronous=FULL because an audit row acknowledged must
	 * survive a power cut; secure_delete so removed rows leave no trace. */
	return db_exec(d, "PRAGMA journal_mode = WAL", err) ||
	       db_exec(d, "PRAGMA foreign_keys = ON", err) ||
	       db_exec(d, "PRAGMA synchronous = FULL", err) ||
	       db_exec(d, "PRAGMA secure_delete = ON", err) ? -1 : 0;
}

static void lite_close(struct db *d)
{
	if (d->h) {
		if (d->depth)
			sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(d->h);
	}
	/* Only now: closing any descriptor of the file drops every POSIX lock
	 * the process holds on it, SQLite's included. */
	if (d->fd >= 0)
		close(d->fd);
}

static int lite_check(struct db *d, tb_err *err)
{
	sqlite3_stmt *st;
	int rc, ok = 0;

	if (prepare_raw(d, "PRAGMA quick_check(1)", &st, err))
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		ok = t && strcmp((const char *)t, "ok") == 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(d, rc, err);
	return ok ? 0 : err_set(err, TB_E_STORE_CORRUPT, 0, "quick_check");
}

/* BEGIN IMMEDIATE has taken the file's write lock already. */
static int lite_lock_chain(struct db *d, const char *chain, tb_err *err)
{
	(void)d;
	(void)chain;
	(void)err;
	return 0;
}

const struct db_engine db_sqlite_engine = {
	.name = "sqlite",
	.open = lite_open,
	.close = lite_close,
	.exec = db_exec,
	.migrate = lite_migrate,
	.check = lite_check,
	.lock_chain = lite_lock_chain,
	.begin = "BEGIN IMMEDIATE",
	/* One writer at a time: the highest seq plus one is unique. */
	.audit_next = "SELECT (SELECT COALESCE(max(seq), 0) + 1 FROM audit), "
		      "(SELECT hash FROM audit_heads WHERE chain = ?1)",
	.prepare = lite_prepare,
	.bind = lite_bind,
	.step = lite_step,
	.col_text = lite_col_text,
	.col_bytes = lite_col_bytes,
	.finish = lite_finish,
};
