/* For the files of storage/ only: one statement interface over both engines
 * (SQLite, PostgreSQL), so each table's code is written once.  SQL lives in
 * storage/ and nowhere else; it uses `?` placeholders (or `?N` to name one
 * twice), which the PostgreSQL engine turns into `$N`. */
#ifndef TABIEN_DB_PRIVATE_H
#define TABIEN_DB_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "storage/db.h"

struct db_stmt;

/* What db_step returns besides -1 (an error, err set). */
enum {
	DB_DONE = 0,
	DB_ROW = 1,
	DB_CONFLICT = -2,   /* a UNIQUE or PRIMARY KEY constraint refused the row (err set) */
};

/* Inside a transaction: waits until no other writer holds the audit
 * chain's head, and holds it until the transaction ends (SQLite's write
 * lock does so already; on PostgreSQL an advisory lock). */
int db_lock_chain(struct db *d, const char *chain, tb_err *err);
const char *db_audit_next_sql(const struct db *d);

/* Prepares one statement; -1 with err set on failure. */
int db_stmt_prepare(struct db *d, const char *sql, struct db_stmt **st, tb_err *err);

/* Binds parameter i (from 1).  A failure is kept and reported by db_step.
 * Text is UTF-8; NULL binds "". */
void db_bind_text(struct db_stmt *st, int i, const char *s);
void db_bind_text_len(struct db_stmt *st, int i, const char *s, size_t n);
void db_bind_int64(struct db_stmt *st, int i, int64_t v);
void db_bind_null(struct db_stmt *st, int i);

/* DB_ROW while there are rows, then DB_DONE; DB_CONFLICT or -1 with err. */
int db_step(struct db_stmt *st, tb_err *err);

/* The current row's columns (from 0): text is "" for NULL and valid until
 * the next step. */
const char *db_col_text(struct db_stmt *st, int col);
size_t db_col_bytes(struct db_stmt *st, int col);
int64_t db_col_int64(struct db_stmt *st, int col);

/* Copies column `col` as text into out, cut at a character boundary when it
 * does not fit (only possible after an edit outside the program). */
void db_col_copy(struct db_stmt *st, int col, char *out, size_t size);

/* Rows the statement changed (after its last step). */
long db_stmt_changes(struct db_stmt *st);

/* Frees the statement; NULL is fine. */
void db_stmt_finish(struct db_stmt **st);

/* Steps a statement that returns no row (or whose rows are not wanted)
 * and finishes it: 0, DB_CONFLICT, or -1. */
int db_exec_stmt(struct db_stmt *st, tb_err *err);

/* The same, for an INSERT … RETURNING id: the id into *id. */
int db_exec_id(struct db_stmt *st, int64_t *id, tb_err *err);

/* The same, the number of rows changed, or -1. */
long db_exec_changes(struct db_stmt *st, tb_err *err);

#endif
