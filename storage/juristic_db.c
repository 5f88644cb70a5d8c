/* The juristic cache's SQL. */
#include "config.h"

#include "storage/juristic_db.h"
#include "storage/db_private.h"

#include <stdlib.h>
#include <string.h>

#include "services/base/util.h"

int juristic_db_put(struct db *d, const char *id, const char *source, int64_t fetched_at,
		    const char *body, size_t len, tb_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(d, "INSERT INTO juristic_cache (id, source, fetched_at, body) "
		       "VALUES (?, ?, ?, ?) ON CONFLICT (id, source) DO UPDATE SET "
		       "fetched_at = excluded.fetched_at, body = excluded.body", &st, err))
		return -1;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, source);
	sqlite3_bind_int64(st, 3, fetched_at);
	sqlite3_bind_text(st, 4, body, (int)len, SQLITE_TRANSIENT);
	return db_exec_stmt(d, st, err);
}

int juristic_db_get(struct db *d, const char *id, const char *source, char **body, size_t *len,
		    int64_t *fetched_at, char *out_source, size_t source_size, tb_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*body = NULL;
	*len = 0;
	if (source)
		rc = db_prepare(d, "SELECT body, fetched_at, source FROM juristic_cache "
				"WHERE id = ? AND source = ?", &st, err);
	else
		rc = db_prepare(d, "SELECT body, fetched_at, source FROM juristic_cache "
				"WHERE id = ? ORDER BY fetched_at DESC LIMIT 1", &st, err);
	if (rc)
		return -1;
	db_bind_text(st, 1, id);
	if (source)
		db_bind_text(st, 2, source);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *b = db_col_text(st, 0);
		size_t n = (size_t)sqlite3_column_bytes(st, 0);

		*body = malloc(n + 1);
		if (!*body) {
			sqlite3_finalize(st);
			return err_set(err, TB_E_NOMEM, 0, NULL);
		}
		memcpy(*body, b, n);
		(*body)[n] = '\0';
		*len = n;
		*fetched_at = sqlite3_column_int64(st, 1);
		if (out_source && source_size)
			str_copy(out_source, source_size, db_col_text(st, 2));
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(d, rc, err);
}

long juristic_db_purge(struct db *d, int64_t before, tb_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(d, "DELETE FROM juristic_cache WHERE fetched_at < ?", &st, err))
		return -1;
	sqlite3_bind_int64(st, 1, before);
	if (db_exec_stmt(d, st, err))
		return -1;
	return (long)sqlite3_changes(db_handle(d));
}
