/* The database whatever the engine: which one a path names, opening and
 * the schema's steps, transactions, the statements' common part, the clock
 * and the terminal name.  db_sqlite.c and db_pg.c do the rest. */
#include "config.h"

#include "storage/db.h"
#include "storage/db_engine.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *db_path(const struct db *d) { return d->path; }
int db_version(const struct db *d) { return d->version; }
unsigned db_fixed_mode(const struct db *d) { return d->fixed_mode; }
const char *db_terminal(const struct db *d) { return d->terminal; }
const char *db_branch(const struct db *d) { return d->branch; }
const char *db_engine_name(const struct db *d) { return d->eng->name; }

int db_is_server(const char *path)
{
	size_t k;

	if (!path)
		return 0;
	if (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0)
		return 1;
	/* A libpq keyword/value string ("service=branch", "host=db dbname=x"):
	 * a word of letters and _ then "=".  No file path starts so. */
	k = strspn(path, "abcdefghijklmnopqrstuvwxyz_");
	return k > 0 && path[k + strspn(path + k, " ")] == '=';
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
	d->eng = db_is_server(d->path) ? &db_pg_engine : &db_sqlite_engine;
	terminal_default(d);
	if (d->eng->open(d, flags, err))
		goto fail;
	/* Each step in its own transaction; the engine checks the version
	 * again under its lock, as another terminal may be migrating too. */
	while (d->version < version) {
		if (d->eng->migrate(d, d->version + 1, err))
			goto fail;
		d->version++;
	}
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
	d->eng->close(d);
	free(d);
	*dp = NULL;
}

int db_ping(struct db *d, tb_err *err)
{
	return d->depth == 0 && d->eng->ping ? d->eng->ping(d, err) : 0;
}

int db_check(struct db *d, tb_err *err)
{
	return d->eng->check(d, err);
}

int db_tx_begin(struct db *d, tb_err *err)
{
	if (d->depth == 0) {
		if (d->eng->exec(d, d->eng->begin, err))
			return -1;
		d->failed = 0;
	}
	d->depth++;
	return 0;
}

int db_tx_begin_snapshot(struct db *d, tb_err *err)
{
	if (d->depth == 0 && d->eng->snapshot) {
		if (d->eng->exec(d, d->eng->snapshot, err))
			return -1;
		d->failed = 0;
		d->depth++;
		return 0;
	}
	return db_tx_begin(d, err);
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
		d->eng->exec(d, "ROLLBACK", NULL);
		return -1;
	}
	if (d->eng->exec(d, "COMMIT", err)) {
		d->eng->exec(d, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

int db_tx_depth(const struct db *d)
{
	return d->depth;
}

int db_lock_chain(struct db *d, const char *chain, tb_err *err)
{
	return d->depth > 0 ? d->eng->lock_chain(d, chain, err) : 0;
}

const char *db_audit_next_sql(const struct db *d)
{
	return d->eng->audit_next;
}

/* Statements: the engine does the work, these keep its bookkeeping. */

int db_stmt_prepare(struct db *d, const char *sql, struct db_stmt **out, tb_err *err)
{
	struct db_stmt *st = calloc(1, sizeof *st);

	*out = NULL;
	if (!st)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	st->d = d;
	if (d->eng->prepare(st, sql, err)) {
		d->eng->finish(st);
		free(st);
		return -1;
	}
	*out = st;
	return 0;
}

void db_bind_text(struct db_stmt *st, int i, const char *s)
{
	st->d->eng->bind(st, i, 't', s ? s : "", s ? strlen(s) : 0, 0);
}

void db_bind_text_len(struct db_stmt *st, int i, const char *s, size_t n)
{
	st->d->eng->bind(st, i, 't', s ? s : "", s ? n : 0, 0);
}

void db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	st->d->eng->bind(st, i, 'i', NULL, 0, v);
}

void db_bind_null(struct db_stmt *st, int i)
{
	st->d->eng->bind(st, i, 'n', NULL, 0, 0);
}

int db_step(struct db_stmt *st, tb_err *err)
{
	return st->d->eng->step(st, err);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return st->d->eng->col_text(st, col);
}

size_t db_col_bytes(struct db_stmt *st, int col)
{
	return st->d->eng->col_bytes(st, col);
}

int64_t db_col_int64(struct db_stmt *st, int col)
{
	return strtoll(db_col_text(st, col), NULL, 10);
}

long db_stmt_changes(struct db_stmt *st)
{
	return st->changes;
}

void db_stmt_finish(struct db_stmt **stp)
{
	struct db_stmt *st = stp ? *stp : NULL;

	if (!st)
		return;
	st->d->eng->finish(st);
	free(st);
	*stp = NULL;
}

void db_col_copy(struct db_stmt *st, int col, char *out, size_t size)
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

long db_exec_changes(struct db_stmt *st, tb_err *err)
{
	int rc;

	while ((rc = db_step(st, err)) == DB_ROW)
		;
	if (rc == DB_DONE) {
		long n = db_stmt_changes(st);
		db_stmt_finish(&st);
		return n;
	}
	db_stmt_finish(&st);
	return rc;
}

int db_exec_stmt(struct db_stmt *st, tb_err *err)
{
	long rc = db_exec_changes(st, err);
	return rc < 0 ? (int)rc : 0;
}

int db_exec_id(struct db_stmt *st, int64_t *id, tb_err *err)
{
	int rc = db_step(st, err);

	if (rc == DB_ROW) {
		*id = db_col_int64(st, 0);
		return db_exec_stmt(st, err);
	}
	db_stmt_finish(&st);
	return rc == DB_DONE ? err_set(err, TB_E_STORE, 0, "no id") : rc;
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

void db_set_branch(struct db *d, const char *code)
{
	snprintf(d->branch, sizeof d->branch, "%s", code && strlen(code) <= DB_BRANCH_MAX ? code : "");
}
