/* Inside the database layer only (db.c, db_sqlite.c, db_pg.c): the handle,
 * the statement, and what each engine provides.  The tables' code sees
 * none of this (db_private.h). */
#ifndef TABIEN_DB_ENGINE_H
#define TABIEN_DB_ENGINE_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include "storage/db_private.h"

/* Parameters of one statement, at most. */
#define DB_PARAMS_MAX 16

struct sqlite3;
struct sqlite3_stmt;
struct pg_conn;
struct pg_result;

struct db_engine {
	const char *name;
	/* Opens the file or connects, checks it is ours and sets d->version. */
	int (*open)(struct db *d, unsigned flags, tb_err *err);
	void (*close)(struct db *d);
	/* Constant SQL: transaction control. */
	int (*exec)(struct db *d, const char *sql, tb_err *err);
	/* Schema step v (from v - 1), in its own transaction. */
	int (*migrate)(struct db *d, int v, tb_err *err);
	int (*check)(struct db *d, tb_err *err);
	/* One round trip to a server; NULL for a file, always there. */
	int (*ping)(struct db *d, tb_err *err);
	/* Serialises the writers of one audit chain until the transaction ends. */
	int (*lock_chain)(struct db *d, const char *chain, tb_err *err);
	const char *begin;
	const char *snapshot;   /* a read-only one-snapshot BEGIN; NULL: begin is one */
	/* The next row's seq (the global order, not gap-free) and the chain's
	 * head hash (?1, NULL when none), in one statement. */
	const char *audit_next;
	int (*prepare)(struct db_stmt *st, const char *sql, tb_err *err);
	/* kind: 't' text (s, n), 'i' integer (v), 'n' NULL. */
	void (*bind)(struct db_stmt *st, int i, int kind, const char *s, size_t n, int64_t v);
	int (*step)(struct db_stmt *st, tb_err *err);
	const char *(*col_text)(struct db_stmt *st, int col);
	size_t (*col_bytes)(struct db_stmt *st, int col);
	void (*finish)(struct db_stmt *st);
};

extern const struct db_engine db_sqlite_engine;
extern const struct db_engine db_pg_engine;

struct db {
	const struct db_engine *eng;
	char path[PATH_MAX];   /* the file, or the server's connection string */
	char terminal[DB_TERMINAL_MAX + 1];
	char branch[DB_BRANCH_MAX + 1];
	int version;
	int depth;             /* transaction nesting */
	int failed;            /* an inner level ended with ok == 0 */
	db_clock_fn clock;
	void *clock_arg;
	/* SQLite */
	struct sqlite3 *h;
	unsigned fixed_mode;
	int fd;                /* the checked file, held open as long as SQLite's (see db_close) */
	dev_t dev;
	ino_t ino;
	mode_t mode;
	int64_t busy_since;    /* when the wait for the write lock began (ms) */
	/* PostgreSQL */
	struct pg_conn *pg;
};

struct db_stmt {
	struct db *d;
	long changes;
	int bind_rc;           /* the first failed bind, reported by db_step */
	/* SQLite */
	struct sqlite3_stmt *lite;
	/* PostgreSQL: the text with $N, the values, the result and its row */
	char *sql;
	int nparams;
	char *vals[DB_PARAMS_MAX];
	unsigned types[DB_PARAMS_MAX];   /* the parameters' types (Oid): text unless bound as integer */
	struct pg_result *res;
	int row, rows, ran;
};

/* The schema steps for each engine (db_schema.c). */
extern const char *const db_schema_sqlite[DB_SCHEMA_VERSION];
extern const char *const db_schema_pg[DB_SCHEMA_VERSION];

#endif
