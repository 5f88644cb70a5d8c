/* Opening the database, its pragmas, and the schema's migrations. */
#include "config.h"

#include "storage/db.h"
#include "storage/db_private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* "TBN1" in the file header: tells our database from any other SQLite file. */
#define DB_APPLICATION_ID 0x54424E31

#define DB_BUSY_MS 5000

struct db {
	sqlite3 *h;
	char path[PATH_MAX];
	char terminal[DB_TERMINAL_MAX + 1];
	int version;
	unsigned fixed_mode;
	int fd;               /* the checked file, held open as long as SQLite's (see db_close) */
	dev_t dev;
	ino_t ino;
	mode_t mode;
	int depth;            /* transaction nesting */
	int failed;           /* an inner level ended with ok == 0 */
	db_clock_fn clock;
	void *clock_arg;
};

/* Each step takes the schema from version i to i + 1.  Constant DDL only:
 * no value from outside ever reaches these strings. */
static const char *const migrations[DB_SCHEMA_VERSION] = {
	/* 1: the core tables. */
	"CREATE TABLE branch_settings ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE purposes ("
	"  pos INTEGER PRIMARY KEY,"
	"  text TEXT NOT NULL"
	");"
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  username TEXT NOT NULL UNIQUE,"
	"  full_name TEXT NOT NULL,"
	"  cid TEXT NOT NULL,"
	"  position TEXT NOT NULL,"
	"  pwhash TEXT NOT NULL,"
	"  role TEXT NOT NULL DEFAULT 'staff' CHECK (role IN ('staff', 'admin')),"
	"  status TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (status IN ('pending', 'active', 'suspended', 'rejected')),"
	"  created TEXT NOT NULL,"
	"  decided_by TEXT NOT NULL DEFAULT '',"
	"  decided_at TEXT NOT NULL DEFAULT '',"
	"  last_login TEXT NOT NULL DEFAULT '',"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  locked_until INTEGER NOT NULL DEFAULT 0,"
	"  must_change INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE sessions ("
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  terminal TEXT NOT NULL,"
	"  started TEXT NOT NULL,"
	"  last_seen TEXT NOT NULL,"
	"  ended TEXT NOT NULL DEFAULT '',"
	"  end_reason TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE INDEX sessions_user ON sessions(user_id, ended);"
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY,"
	"  time TEXT NOT NULL,"
	"  terminal TEXT NOT NULL,"
	"  branch TEXT NOT NULL,"
	"  username TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  service TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  purpose TEXT NOT NULL,"
	"  result TEXT NOT NULL,"
	"  hash TEXT NOT NULL"
	");"
	"CREATE INDEX audit_username ON audit(username);"
	"CREATE INDEX audit_subject ON audit(subject);"
	"CREATE INDEX audit_time ON audit(time);"
	/* The chain's head, so that removing the newest rows is caught too. */
	"CREATE TABLE audit_head ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  seq INTEGER NOT NULL,"
	"  hash TEXT NOT NULL"
	");",

	/* 2: each user's settings, and the state a session resumes from. */
	"CREATE TABLE user_settings ("
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (user_id, key)"
	") WITHOUT ROWID;"
	"ALTER TABLE sessions ADD COLUMN state TEXT NOT NULL DEFAULT '';",

	/* 3: DBD answers kept for a while (public business data, not personal),
	 * one per company and source, so a lookup within the TTL sends nothing
	 * and an outage can still show the last copy. */
	"CREATE TABLE juristic_cache ("
	"  id TEXT NOT NULL,"
	"  source TEXT NOT NULL CHECK (source IN ('gdx', 'open')),"
	"  fetched_at INTEGER NOT NULL,"
	"  body TEXT NOT NULL,"
	"  PRIMARY KEY (id, source)"
	") WITHOUT ROWID;",

	/* 4: whether the citizen consented to a registry lookup ('yes', 'no'),
	 * or the mission requires it ('mission'), or the branch looks every
	 * visitor up ('auto'); '' on rows that are not lookups and on the rows
	 * written before. */
	"ALTER TABLE audit ADD COLUMN consent TEXT NOT NULL DEFAULT '';",

	/* 5: seals of the chain's head, each signed with the key of its own
	 * epoch (services/accounts/audit_seal.c); key_id names the terminal's
	 * key, so many terminals' seals can share one table. */
	"CREATE TABLE audit_seal ("
	"  key_id TEXT NOT NULL,"
	"  epoch INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  head TEXT NOT NULL,"
	"  time TEXT NOT NULL,"
	"  terminal TEXT NOT NULL,"
	"  next_key TEXT NOT NULL,"
	"  sig TEXT NOT NULL,"
	"  PRIMARY KEY (key_id, epoch)"
	") WITHOUT ROWID;",

	/* 6: someone acting for a citizen at the counter (ผู้รับมอบอำนาจ): on
	 * every row of such a visit, both citizens, "grantor=ID grantee=ID"
	 * (the grantee's part once their card was read); '' otherwise. */
	"ALTER TABLE audit ADD COLUMN acting TEXT NOT NULL DEFAULT '';",
};

sqlite3 *db_handle(struct db *d)
{
	return d->h;
}

const char *db_path(const struct db *d) { return d->path; }
int db_version(const struct db *d) { return d->version; }
unsigned db_fixed_mode(const struct db *d) { return d->fixed_mode; }
const char *db_terminal(const struct db *d) { return d->terminal; }

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

int db_fail(struct db *d, int rc, tb_err *err)
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

int db_prepare(struct db *d, const char *sql, sqlite3_stmt **st, tb_err *err)
{
	int rc = sqlite3_prepare_v2(d->h, sql, -1, st, NULL);

	if (rc != SQLITE_OK) {
		*st = NULL;
		return db_fail(d, rc, err);
	}
	return 0;
}

int db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

int db_exec_stmt(struct db *d, sqlite3_stmt *st, tb_err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(d, rc, err);
	return 0;
}

const char *db_col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? (const char *)s : "";
}

void db_col_copy(sqlite3_stmt *st, int col, char *out, size_t size)
{
	const char *s = db_col_text(st, col);
	size_t n = strlen(s);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, s, n);
	out[n] = '\0';
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

	if (db_prepare(d, sql, &st, err))
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

void db_path_default(char *out, size_t size)
{
	const char *env = getenv("TABIEN_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (env && *env) {
		snprintf(out, size, "%s", env);
		return;
	}
	if (xdg && *xdg == '/') {
		snprintf(out, size, "%s/tabien/tabien.db", xdg);
		return;
	}
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : "/";
	}
	snprintf(out, size, "%s/.local/share/tabien/tabien.db", home);
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

static int migrate(struct db *d, int target, tb_err *err)
{
	char sql[64], app[64];

	snprintf(app, sizeof app, "PRAGMA application_id = %d", DB_APPLICATION_ID);
	while (d->version < target) {
		int v = d->version + 1;

		if (db_exec(d, "BEGIN IMMEDIATE", err))
			return -1;
		/* Pragmas take no bound parameters; these are our own integers. */
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
		if (db_exec(d, migrations[v - 1], err) || db_exec(d, sql, err) ||
		    (v == 1 && db_exec(d, app, err)) ||
		    db_exec(d, "COMMIT", err)) {
			sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		d->version = v;
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

static void terminal_default(struct db *d)
{
	const char *env = getenv("TABIEN_TERMINAL");
	char host[256] = "";

	if (env && *env) {
		db_set_terminal(d, env);
		return;
	}
	if (gethostname(host, sizeof host - 1) != 0 || !host[0])
		snprintf(host, sizeof host, "unknown");
	host[sizeof host - 1] = '\0';
	db_set_terminal(d, host);
}

struct db *db_open_at(const char *path, unsigned flags, int version, tb_err *err)
{
	struct db *d;
	int rc;

	if (version < 0 || version > DB_SCHEMA_VERSION) {
		err_set(err, TB_E_USAGE, version, "schema version");
		return NULL;
	}
	d = calloc(1, sizeof *d);
	if (!d) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	d->fd = -1;
	if (path)
		snprintf(d->path, sizeof d->path, "%s", path);
	else
		db_path_default(d->path, sizeof d->path);
	terminal_default(d);
	if (file_prepare(d, flags, err))
		goto fail;
	rc = sqlite3_open_v2(d->path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK) {
		db_fail(d, rc, err);
		goto fail;
	}
	sqlite3_extended_result_codes(d->h, 1);
	sqlite3_busy_timeout(d->h, DB_BUSY_MS);
	/* No writable_schema tricks, no functions run from a hostile schema. */
	sqlite3_db_config(d->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(d->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	if (sqlite3_db_readonly(d->h, "main") == 1) {
		err_set(err, TB_E_STORE_READONLY, 0, "file");
		goto fail;
	}
	if (check_identity(d, err) || file_secure(d, err))
		goto fail;
	/* WAL lets a reader (the audit pane, `tabien audit`) run beside the
	 * writer; synchronous=FULL because an audit row acknowledged must
	 * survive a power cut; secure_delete so removed rows leave no trace. */
	if (db_exec(d, "PRAGMA journal_mode = WAL", err) ||
	    db_exec(d, "PRAGMA foreign_keys = ON", err) ||
	    db_exec(d, "PRAGMA synchronous = FULL", err) ||
	    db_exec(d, "PRAGMA secure_delete = ON", err))
		goto fail;
	if (migrate(d, version, err))
		goto fail;
	return d;
fail:
	db_close(&d);
	return NULL;
}

struct db *db_open(const char *path, unsigned flags, tb_err *err)
{
	return db_open_at(path, flags, DB_SCHEMA_VERSION, err);
}

void db_close(struct db **dp)
{
	struct db *d = dp ? *dp : NULL;

	if (!d)
		return;
	if (d->h) {
		if (d->depth)
			sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(d->h);
	}
	/* Only now: closing any descriptor of the file drops every POSIX lock
	 * the process holds on it, SQLite's included. */
	if (d->fd >= 0)
		close(d->fd);
	free(d);
	*dp = NULL;
}

int db_check(struct db *d, tb_err *err)
{
	sqlite3_stmt *st;
	int rc, ok = 0;

	if (db_prepare(d, "PRAGMA quick_check(1)", &st, err))
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ok = strcmp(db_col_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(d, rc, err);
	return ok ? 0 : err_set(err, TB_E_STORE_CORRUPT, 0, "quick_check");
}

int db_tx_begin(struct db *d, tb_err *err)
{
	if (d->depth == 0) {
		if (db_exec(d, "BEGIN IMMEDIATE", err))
			return -1;
		d->failed = 0;
	}
	d->depth++;
	return 0;
}

int db_tx_end(struct db *d, int ok, tb_err *err)
{
	if (d->depth == 0)
		return err_set(err, TB_E_STORE, 0, "transaction");
	if (!ok)
		d->failed = 1;
	if (--d->depth > 0)
		return ok ? 0 : -1;
	if (d->failed) {
		sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (db_exec(d, "COMMIT", err)) {
		sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

int db_tx_depth(const struct db *d)
{
	return d->depth;
}

void db_set_clock(struct db *d, db_clock_fn fn, void *arg)
{
	d->clock = fn;
	d->clock_arg = arg;
}

int64_t db_now(const struct db *d)
{
	if (d->clock)
		return d->clock(d->clock_arg);
	return (int64_t)time(NULL);
}

void db_time_iso(int64_t t, char out[DB_TIME_MAX])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(out, DB_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, DB_TIME_MAX, "1970-01-01T00:00:00Z");
}

void db_set_terminal(struct db *d, const char *name)
{
	size_t n = strlen(name);

	if (n > DB_TERMINAL_MAX) {
		n = DB_TERMINAL_MAX;
		while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(d->terminal, name, n);
	d->terminal[n] = '\0';
}
