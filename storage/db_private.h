/* For the files of storage/ only: the SQLite handle and the helpers every table's
 * code shares.  SQL lives in storage/ and nowhere else. */
#ifndef TABIEN_DB_PRIVATE_H
#define TABIEN_DB_PRIVATE_H

#include <sqlite3.h>
#include <stddef.h>

#include "storage/db.h"

sqlite3 *db_handle(struct db *d);

/* Maps an SQLite result code to the catalogue and returns -1. */
int db_fail(struct db *d, int rc, tb_err *err);

/* Prepares one statement; -1 with err set on failure. */
int db_prepare(struct db *d, const char *sql, sqlite3_stmt **st, tb_err *err);

/* Binds UTF-8 text (NULL binds ""); returns the SQLite code. */
int db_bind_text(sqlite3_stmt *st, int i, const char *s);

/* Steps a statement that returns no row and finalizes it. */
int db_exec_stmt(struct db *d, sqlite3_stmt *st, tb_err *err);

/* Copies column `col` as text into out, cut at a character boundary when it
 * does not fit (only possible after an edit outside the program). */
void db_col_copy(sqlite3_stmt *st, int col, char *out, size_t size);

/* Column text, "" for NULL. */
const char *db_col_text(sqlite3_stmt *st, int col);

#endif
