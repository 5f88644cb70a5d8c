/* The database: one SQLite file per terminal account holding branch settings,
 * users, user settings, sessions, the audit trail (never citizen data, only
 * the audit's references to it) and a cache of DBD company answers (public
 * business data).  Opened in WAL mode with a busy
 * timeout and foreign keys; the schema is migrated forward one version at a
 * time, each in its own transaction; a file newer than the program is
 * refused.  Every time stored comes from db_now(), so tests can move it. */
#ifndef TABIEN_DB_H
#define TABIEN_DB_H

#include <stddef.h>
#include <stdint.h>

#include "services/base/errors.h"

/* The schema this program writes.  1: branch settings, purposes, users,
 * sessions, audit; 2: user settings and the sessions' saved state;
 * 3: the juristic (DBD) cache; 4: the consent of a registry lookup on its
 * audit rows; 5: the audit trail's seals; 6: branches, roles and grants;
 * 7: both citizens on the audit rows of someone acting for another. */
#define DB_SCHEMA_VERSION 8

/* "2024-05-01T03:04:05Z" plus the NUL. */
#define DB_TIME_MAX 21
#define DB_TERMINAL_MAX 64
#define DB_BRANCH_MAX 32

enum {
	DB_OPEN_CREATE = 1u << 0,  /* create the file (0600) and its folders (0700) */
};

struct db;

/* Whether path names a PostgreSQL server rather than a file: a libpq URI
 * (postgresql://…, postgres://…) or keyword/value string ("service=x",
 * "host=db dbname=tabien"). */
int db_is_server(const char *path);

/* "sqlite" or "postgresql". */
const char *db_engine_name(const struct db *d);

/* $TABIEN_DB, else $XDG_DATA_HOME/tabien/tabien.db, else
 * ~/.local/share/tabien/tabien.db. */
void db_path_default(char *out, size_t size);

/* Opens path (NULL: db_path_default()) and migrates it to DB_SCHEMA_VERSION.
 * A missing file without DB_OPEN_CREATE is TB_E_STORE_NOT_INIT.  Other
 * errors: TB_E_STORE_NEWER (detail: the file's version), TB_E_STORE_CORRUPT,
 * TB_E_STORE_READONLY, TB_E_STORE_BUSY, TB_E_STORE_MODE, TB_E_STORE_OPEN. */
struct db *db_open(const char *path, unsigned flags, tb_err *err);

/* The same, migrating only up to `version` (tests of older schemas). */
struct db *db_open_at(const char *path, unsigned flags, int version, tb_err *err);

void db_close(struct db **d);

/* Whether the database answers now: on a server one round trip (a broken
 * connection made again first, outside a transaction), PG-LOST when it
 * does not; a file always does.  For what must not begin when its audit
 * row could not be written (a registry lookup). */
int db_ping(struct db *d, tb_err *err);

/* SQLite's quick_check over the whole file: 0, or TB_E_STORE_CORRUPT when a
 * page is damaged (for the diagnostics and `tabien audit verify`). */
int db_check(struct db *d, tb_err *err);

const char *db_path(const struct db *d);
int db_version(const struct db *d);

/* The mode the file had when it was opened, if it was readable by others and
 * has been made 0600; else 0.  The front end tells the user. */
unsigned db_fixed_mode(const struct db *d);

/* Transactions nest: the outermost begin takes the write lock (BEGIN
 * IMMEDIATE), the outermost end commits, or rolls back when any level ended
 * with ok == 0.  db_tx_end returns -1 when the commit failed (or ok was 0). */
int db_tx_begin(struct db *d, tb_err *err);
/* A transaction that only reads, all of it one snapshot of the database
 * (PostgreSQL's REPEATABLE READ; SQLite's write lock is one already): what
 * verifies the audit trail sees each chain's rows and head as committed
 * together.  Ended by db_tx_end. */
int db_tx_begin_snapshot(struct db *d, tb_err *err);
int db_tx_end(struct db *d, int ok, tb_err *err);
/* 0 outside any transaction. */
int db_tx_depth(const struct db *d);

/* The clock: seconds since the epoch.  NULL restores the real clock. */
typedef int64_t (*db_clock_fn)(void *arg);
void db_set_clock(struct db *d, db_clock_fn fn, void *arg);
int64_t db_now(const struct db *d);

/* UTC ISO-8601, as stored. */
void db_time_iso(int64_t t, char out[DB_TIME_MAX]);

/* The terminal name the audit trail records: $TABIEN_TERMINAL, else the
 * host name.  Cut to DB_TERMINAL_MAX bytes. */
void db_set_terminal(struct db *d, const char *name);
const char *db_terminal(const struct db *d);

/* The branch this terminal belongs to (the config's `branch`, checked
 * against the database by the caller); "" until set, which means the
 * database's default branch.  A code longer than DB_BRANCH_MAX sets "". */
void db_set_branch(struct db *d, const char *code);
const char *db_branch(const struct db *d);

#endif
