/* The PostgreSQL engine: a shared server for many terminals, through libpq
 * loaded on first use (dlopen), so a terminal on SQLite never maps it.
 * The connection string comes from the `database` setting (or --db,
 * $TABIEN_DB) and never holds the password: that comes from ~/.pgpass or
 * the file PGPASSFILE or passfile= names, which must be private.  Every
 * other libpq keyword passes through (sslmode=verify-full, sslrootcert…). */
#include "config.h"

#include "storage/db_engine.h"
#include "storage/db_private.h"

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#define PQ_FUNCS(X) \
	X(PQconnectdbParams, PGconn *, (const char *const *, const char *const *, int)) \
	X(PQstatus, ConnStatusType, (const PGconn *)) \
	X(PQerrorMessage, char *, (const PGconn *)) \
	X(PQfinish, void, (PGconn *)) \
	X(PQreset, void, (PGconn *)) \
	X(PQconsumeInput, int, (PGconn *)) \
	X(PQexec, PGresult *, (PGconn *, const char *)) \
	X(PQexecParams, PGresult *, (PGconn *, const char *, int, const Oid *, \
				     const char *const *, const int *, const int *, int)) \
	X(PQresultStatus, ExecStatusType, (const PGresult *)) \
	X(PQresultErrorField, char *, (const PGresult *, int)) \
	X(PQclear, void, (PGresult *)) \
	X(PQntuples, int, (const PGresult *)) \
	X(PQnfields, int, (const PGresult *)) \
	X(PQgetvalue, char *, (const PGresult *, int, int)) \
	X(PQgetlength, int, (const PGresult *, int, int)) \
	X(PQcmdTuples, char *, (PGresult *)) \
	X(PQconninfoParse, PQconninfoOption *, (const char *, char **)) \
	X(PQconninfoFree, void, (PQconninfoOption *)) \
	X(PQfreemem, void, (void *)) \
	X(PQsetNoticeProcessor, PQnoticeProcessor, (PGconn *, PQnoticeProcessor, void *))

static struct {
#define PQ_PTR(name, ret, args) ret (*name) args;
	PQ_FUNCS(PQ_PTR)
#undef PQ_PTR
	int loaded;
} lib;

/* 0, or -1 when libpq (the libpq5 package) cannot be loaded. */
static int lib_load(void)
{
	void *so;

	if (lib.loaded)
		return 0;
	so = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
	if (!so)
		return -1;
#define PQ_SYM(name, ret, args) \
	if (!(*(void **)&lib.name = dlsym(so, #name))) \
		return -1;
	PQ_FUNCS(PQ_SYM)
#undef PQ_SYM
	lib.loaded = 1;
	return 0;
}

/* From here the calls read as libpq's own. */
#define PQconnectdbParams lib.PQconnectdbParams
#define PQstatus lib.PQstatus
#define PQerrorMessage lib.PQerrorMessage
#define PQfinish lib.PQfinish
#define PQreset lib.PQreset
#define PQconsumeInput lib.PQconsumeInput
#define PQexec lib.PQexec
#define PQexecParams lib.PQexecParams
#define PQresultStatus lib.PQresultStatus
#define PQresultErrorField lib.PQresultErrorField
#define PQclear lib.PQclear
#define PQntuples lib.PQntuples
#define PQnfields lib.PQnfields
#define PQgetvalue lib.PQgetvalue
#define PQgetlength lib.PQgetlength
#define PQcmdTuples lib.PQcmdTuples
#define PQconninfoParse lib.PQconninfoParse
#define PQconninfoFree lib.PQconninfoFree
#define PQfreemem lib.PQfreemem
#define PQsetNoticeProcessor lib.PQsetNoticeProcessor

/* The types of parameters (pg_type's fixed Oids): `$1 IS NULL` alone
 * cannot tell the server what $1 is. */
#define OID_INT8 20
#define OID_TEXT 25

/* Advisory locks: "TBN0" the schema's steps, "TBN1" with the chain key's
 * hash one audit chain's head (a terminal's appends wait for each other,
 * other terminals' do not; two keys sharing a hash only wait needlessly). */
#define LOCK_SCHEMA "SELECT pg_advisory_xact_lock(1413631536)"
#define LOCK_CHAIN "SELECT pg_advisory_xact_lock(1413631537, hashtext(?))"

static int has(const char *s, const char *what)
{
	return s && strstr(s, what) != NULL;
}

/* Why a connection failed, from libpq's message (it gives no code). */
static int connect_fail(PGconn *c, tb_err *err)
{
	const char *m = c ? PQerrorMessage(c) : NULL;

	if (!c)
		return err_set(err, TB_E_NOMEM, 0, "libpq");
	if (has(m, "password") || has(m, "authentication") || has(m, "role \"") ||
	    has(m, "pg_hba.conf"))
		return err_set(err, TB_E_PG_AUTH, 0, "postgresql");
	if (has(m, "certificate") || has(m, "SSL") || has(m, "root cert"))
		return err_set(err, TB_E_PG_TLS, 0, "postgresql");
	if (has(m, "does not exist"))
		return err_set(err, TB_E_STORE_NOT_INIT, 0, "postgresql");
	return err_set(err, TB_E_PG_DOWN, 0, "postgresql");
}

/* A failed statement's SQLSTATE to the catalogue. */
static int result_fail(struct db *d, PGresult *r, tb_err *err)
{
	const char *code = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	if (PQstatus(d->pg) != CONNECTION_OK || !code || strncmp(code, "08", 2) == 0 ||
	    strncmp(code, "57P", 3) == 0)
		return err_set(err, TB_E_PG_LOST, 0, "postgresql");
	if (strcmp(code, "23505") == 0) {
		err_set(err, TB_E_STORE, 23505, "constraint");
		return DB_CONFLICT;
	}
	if (strcmp(code, "53100") == 0)
		return err_set(err, TB_E_STORE_FULL, 0, "postgresql");
	if (strcmp(code, "40001") == 0 || strcmp(code, "40P01") == 0 || strcmp(code, "55P03") == 0)
		return err_set(err, TB_E_STORE_BUSY, 0, "postgresql");
	if (strcmp(code, "42501") == 0 || strcmp(code, "25006") == 0)
		return err_set(err, TB_E_STORE_READONLY, 0, "postgresql");
	return err_set(err, TB_E_STORE, strtol(code, NULL, 36), "postgresql");
}

/* libpq reads the password file only when it is private and says nothing
 * when it is not; here a loose one is an error that names it. */
static int passfile_check(const char *path, tb_err *err)
{
	struct stat sb;

	if (!path || !*path || lstat(path, &sb) != 0)
		return 0;
	if (S_ISLNK(sb.st_mode) || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid())
		return err_set(err, TB_E_PG_PASSFILE, 0, "passfile");
	if (sb.st_mode & 077)
		return err_set(err, TB_E_PG_PASSFILE, (long)(sb.st_mode & 0777), "passfile");
	return 0;
}

/* The connection string: no password in it, and the password file private. */
static int conninfo_check(const char *conninfo, tb_err *err)
{
	PQconninfoOption *opts, *o;
	char *msg = NULL, home[PATH_MAX];
	const char *passfile = getenv("PGPASSFILE");
	int rc = 0;

	opts = PQconninfoParse(conninfo, &msg);
	if (!opts) {
		if (msg)
			PQfreemem(msg);
		return err_set(err, TB_E_CONFIG, 0, "database");
	}
	for (o = opts; o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (strcmp(o->keyword, "password") == 0)
			rc = err_set(err, TB_E_PG_PASSWORD, 0, "database");
		else if (strcmp(o->keyword, "passfile") == 0)
			passfile = o->val;
	}
	if (rc == 0 && (!passfile || !*passfile) && getenv("HOME")) {
		snprintf(home, sizeof home, "%s/.pgpass", getenv("HOME"));
		passfile = home;
	}
	if (rc == 0)
		rc = passfile_check(passfile, err);
	PQconninfoFree(opts);
	return rc;
}

/* The server's notices ("already exists, skipping") are not for the officer. */
static void notice_drop(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int pg_connect(struct db *d, tb_err *err)
{
	/* Ours first, the setting's after: what it says wins. */
	static const char *const keys[] = {
		"connect_timeout", "application_name", "client_encoding", "dbname", NULL,
	};
	const char *vals[] = { "5", "tabien", "UTF8", d->path, NULL };

	d->pg = PQconnectdbParams(keys, vals, 1);
	if (!d->pg || PQstatus(d->pg) != CONNECTION_OK) {
		connect_fail(d->pg, err);
		if (d->pg)
			PQfinish(d->pg);
		d->pg = NULL;
		return -1;
	}
	PQsetNoticeProcessor(d->pg, notice_drop, NULL);
	return 0;
}

/* An idle connection whose server went away still says CONNECTION_OK
 * until it is read.  Reading what is there never blocks (libpq's socket is
 * non-blocking): the first read may take the server's last words
 * ("terminating connection"), the second finds the end. */
static int pg_alive(struct db *d)
{
	for (int i = 0; i < 2 && PQstatus(d->pg) == CONNECTION_OK; i++)
		if (!PQconsumeInput(d->pg))
			break;
	return PQstatus(d->pg) == CONNECTION_OK;
}

/* Before a transaction or a statement outside one: a connection found
 * broken is made again (the server restarted, the network came back), so
 * the first statement after a restart goes on a new connection instead of
 * failing once.  Inside a transaction it is not: what was in it is gone.
 * A connection that cannot be made again mid-session is PG-LOST: the
 * action was not written, and the next one tries again. */
static int pg_ready(struct db *d, tb_err *err)
{
	if (d->pg && PQstatus(d->pg) == CONNECTION_OK && (d->depth > 0 || pg_alive(d)))
		return 0;
	if (d->depth > 0)
		return err_set(err, TB_E_PG_LOST, 0, "postgresql");
	if (d->pg) {
		PQreset(d->pg);
		if (PQstatus(d->pg) == CONNECTION_OK) {
			PQsetNoticeProcessor(d->pg, notice_drop, NULL);
			return 0;
		}
		connect_fail(d->pg, err);
		if (err && err->id == TB_E_PG_DOWN)
			err->id = TB_E_PG_LOST;
		return -1;
	}
	return pg_connect(d, err);
}

static int exec_raw(struct db *d, const char *sql, tb_err *err)
{
	PGresult *r = PQexec(d->pg, sql);
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	int rc = 0;

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		rc = result_fail(d, r, err);
	PQclear(r);
	return rc < 0 ? -1 : 0;
}

static int pg_exec(struct db *d, const char *sql, tb_err *err)
{
	int begin = strncmp(sql, "BEGIN", 5) == 0;

	/* COMMIT and ROLLBACK end this connection's transaction: never sent
	 * on a new one, where a COMMIT would end nothing and say it had. */
	if (!begin) {
		if (d->pg && PQstatus(d->pg) == CONNECTION_OK)
			return exec_raw(d, sql, err);
		if (strcmp(sql, "ROLLBACK") == 0)
			return 0;       /* the server rolled back when the link broke */
		return err_set(err, TB_E_PG_LOST, 0, "postgresql");
	}
	if (pg_ready(d, err))
		return -1;
	if (exec_raw(d, sql, err) == 0)
		return 0;
	/* A BEGIN on a connection that died while idle sent nothing that
	 * counts: connect again and begin once more. */
	if (begin && PQstatus(d->pg) != CONNECTION_OK && pg_ready(d, err) == 0)
		return exec_raw(d, sql, err);
	return -1;
}

/* One integer from a constant query, 0 when it returns no row. */
static int pg_int(struct db *d, const char *sql, long long *out, tb_err *err)
{
	PGresult *r = PQexec(d->pg, sql);
	int rc = 0;

	*out = 0;
	if (!r || PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = result_fail(d, r, err);
	else if (PQntuples(r) > 0)
		*out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return rc < 0 ? -1 : 0;
}

/* Tells an empty database, ours, and anything else apart. */
static int check_identity(struct db *d, tb_err *err)
{
	long long ours, tables, version;

	if (pg_int(d, "SELECT count(*) FROM pg_catalog.pg_tables "
		   "WHERE schemaname = current_schema() AND tablename = 'tabien_schema'", &ours, err) ||
	    pg_int(d, "SELECT count(*) FROM pg_catalog.pg_tables "
		   "WHERE schemaname = current_schema()", &tables, err))
		return -1;
	if (!ours) {
		if (tables)
			return err_set(err, TB_E_STORE_FOREIGN, 0, "tabien_schema");
		d->version = 0;
		return 0;
	}
	if (pg_int(d, "SELECT version FROM tabien_schema WHERE id = 1 AND application = 'tabien'",
		   &version, err))
		return -1;
	if (version > DB_SCHEMA_VERSION)
		return err_set(err, TB_E_STORE_NEWER, (long)version, NULL);
	if (version < 0)
		return err_set(err, TB_E_STORE_CORRUPT, (long)version, "tabien_schema");
	d->version = (int)version;
	return 0;
}

static int pg_open(struct db *d, unsigned flags, tb_err *err)
{
	(void)flags;
	if (lib_load())
		return err_set(err, TB_E_PG_LIB, 0, "libpq.so.5");
	if (conninfo_check(d->path, err) || pg_connect(d, err))
		return -1;
	return check_identity(d, err);
}

static void pg_close(struct db *d)
{
	if (d->pg) {
		if (d->depth && PQstatus(d->pg) == CONNECTION_OK)
			exec_raw(d, "ROLLBACK", NULL);
		PQfinish(d->pg);
		d->pg = NULL;
	}
}

/* Step v under the schema's lock, with the version read again there:
 * another terminal may have taken the schema past it meanwhile. */
static int pg_migrate(struct db *d, int v, tb_err *err)
{
	char set[160];
	long long cur;

	snprintf(set, sizeof set, "INSERT INTO tabien_schema (id, application, version) "
		 "VALUES (1, 'tabien', %d) ON CONFLICT (id) DO UPDATE SET version = %d", v, v);
	if (pg_exec(d, "BEGIN", err))
		return -1;
	if (exec_raw(d, LOCK_SCHEMA, err) ||
	    exec_raw(d, "CREATE TABLE IF NOT EXISTS tabien_schema ("
		     "  id INTEGER PRIMARY KEY CHECK (id = 1),"
		     "  application TEXT NOT NULL,"
		     "  version INTEGER NOT NULL)", err) ||
	    pg_int(d, "SELECT version FROM tabien_schema WHERE id = 1", &cur, err))
		goto fail;
	if (cur > DB_SCHEMA_VERSION) {
		err_set(err, TB_E_STORE_NEWER, (long)cur, NULL);
		goto fail;
	}
	if (cur < v && (exec_raw(d, db_schema_pg[v - 1], err) || exec_raw(d, set, err)))
		goto fail;
	return exec_raw(d, "COMMIT", err);
fail:
	if (PQstatus(d->pg) == CONNECTION_OK)
		exec_raw(d, "ROLLBACK", NULL);
	return -1;
}

static int pg_check(struct db *d, tb_err *err)
{
	long long v;

	if (pg_ready(d, err) ||
	    pg_int(d, "SELECT version FROM tabien_schema WHERE id = 1", &v, err))
		return -1;
	return v == d->version ? 0 : err_set(err, TB_E_STORE_CORRUPT, (long)v, "tabien_schema");
}

static int pg_ping(struct db *d, tb_err *err)
{
	return pg_ready(d, err) || exec_raw(d, "SELECT 1", err) ? -1 : 0;
}

static int pg_lock_chain(struct db *d, const char *chain, tb_err *err)
{
	struct db_stmt *st;
	int rc;

	if (db_stmt_prepare(d, LOCK_CHAIN, &st, err))
		return -1;
	db_bind_text(st, 1, chain);
	rc = db_step(st, err);
	db_stmt_finish(&st);
	return rc == DB_ROW ? 0 : -1;
}

/* `?` becomes $1, $2…; `?N` becomes $N.  Quoted text is left alone. */
static int pg_prepare(struct db_stmt *st, const char *sql, tb_err *err)
{
	size_t n = strlen(sql), o = 0;
	char *out = malloc(n * 3 + 1);
	int next = 0, quote = 0;

	if (!out)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	for (size_t i = 0; i < n; i++) {
		char c = sql[i];

		if (c == '\'')
			quote = !quote;
		if (c != '?' || quote) {
			out[o++] = c;
			continue;
		}
		if (sql[i + 1] >= '1' && sql[i + 1] <= '9') {
			int k = 0;
			while (sql[i + 1] >= '0' && sql[i + 1] <= '9' && k < 1000)
				k = k * 10 + (sql[++i] - '0');
			next = k > next ? k : next;
			o += (size_t)sprintf(out + o, "$%d", k);
		} else {
			o += (size_t)sprintf(out + o, "$%d", ++next);
		}
		if (next > DB_PARAMS_MAX) {
			free(out);
			return err_set(err, TB_E_STORE, next, "parameters");
		}
	}
	out[o] = '\0';
	st->sql = out;
	st->nparams = next;
	for (int i = 0; i < DB_PARAMS_MAX; i++)
		st->types[i] = OID_TEXT;
	return 0;
}

static void pg_bind(struct db_stmt *st, int i, int kind, const char *s, size_t n, int64_t v)
{
	char num[24], *copy = NULL;

	if (i < 1 || i > st->nparams) {
		st->bind_rc = st->bind_rc ? st->bind_rc : 1;
		return;
	}
	if (kind == 'i') {
		snprintf(num, sizeof num, "%" PRId64, v);
		copy = strdup(num);
	} else if (kind == 't') {
		copy = malloc(n + 1);
		if (copy) {
			memcpy(copy, s, n);
			copy[n] = '\0';
		}
	}
	if (kind != 'n' && !copy)
		st->bind_rc = st->bind_rc ? st->bind_rc : 2;
	free(st->vals[i - 1]);
	st->vals[i - 1] = copy;
	st->types[i - 1] = kind == 'i' ? OID_INT8 : OID_TEXT;
}

static int pg_step(struct db_stmt *st, tb_err *err)
{
	struct db *d = st->d;
	ExecStatusType s;

	if (st->bind_rc)
		return err_set(err, st->bind_rc == 2 ? TB_E_NOMEM : TB_E_STORE, 0, "bind");
	if (!st->ran) {
		if (pg_ready(d, err))
			return -1;
		st->ran = 1;
		st->res = PQexecParams(d->pg, st->sql, st->nparams, st->types,
				       (const char *const *)st->vals, NULL, NULL, 0);
		s = st->res ? PQresultStatus(st->res) : PGRES_FATAL_ERROR;
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
			return result_fail(d, st->res, err);
		st->rows = s == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
		st->changes = strtol(PQcmdTuples(st->res), NULL, 10);
		st->row = -1;
	}
	if (st->row + 1 < st->rows) {
		st->row++;
		return DB_ROW;
	}
	return DB_DONE;
}

static const char *pg_col_text(struct db_stmt *st, int col)
{
	if (!st->res || st->row < 0 || st->row >= st->rows || col < 0 || col >= PQnfields(st->res))
		return "";
	return PQgetvalue(st->res, st->row, col);
}

static size_t pg_col_bytes(struct db_stmt *st, int col)
{
	if (!st->res || st->row < 0 || st->row >= st->rows || col < 0 || col >= PQnfields(st->res))
		return 0;
	return (size_t)PQgetlength(st->res, st->row, col);
}

static void pg_finish(struct db_stmt *st)
{
	if (st->res)
		PQclear(st->res);
	for (int i = 0; i < DB_PARAMS_MAX; i++)
		free(st->vals[i]);
	free(st->sql);
}

const struct db_engine db_pg_engine = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.migrate = pg_migrate,
	.check = pg_check,
	.ping = pg_ping,
	.lock_chain = pg_lock_chain,
	.begin = "BEGIN",
	.snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	/* Under the chain's lock only: the sequence gives every terminal's
	 * rows one order (with gaps where a transaction rolled back). */
	.audit_next = "SELECT nextval('audit_seq'), (SELECT hash FROM audit_heads WHERE chain = ?1)",
	.prepare = pg_prepare,
	.bind = pg_bind,
	.step = pg_step,
	.col_text = pg_col_text,
	.col_bytes = pg_col_bytes,
	.finish = pg_finish,
};
