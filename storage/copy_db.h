/* Moving a database to another, whatever the engines: a terminal's SQLite
 * file into a branch's PostgreSQL server (tabien admin migrate). */
#ifndef TABIEN_COPY_DB_H
#define TABIEN_COPY_DB_H

#include "services/base/errors.h"
#include "storage/db.h"

#define DB_COPY_TABLES 12

struct db_copy_count {
	const char *table;
	long rows;
};

/* Copies every row of every table of `from` into `to` (both at
 * DB_SCHEMA_VERSION), in one transaction of `to`: all of it or nothing.
 * `to` must hold no user and no audit row yet (TB_E_STORE_ALREADY_INIT).
 * Then reads both again and compares them row by row (TB_E_STORE when
 * they differ).  counts: the rows moved, per table. */
int db_copy(struct db *from, struct db *to, struct db_copy_count counts[DB_COPY_TABLES],
	    tb_err *err);

#endif
