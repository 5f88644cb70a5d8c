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
	struct db_stmt *st;

	if (db_stmt_prepare(d, "INSERT INTO juristic_cache (id, source, fetched_at, body) "
		       "VALUES (?, ?, ?, ?) ON CONFLICT (id, source) DO UPDATE SET "
		       "fetched_at = excluded.fetched_at, body = excluded.body", &st, err))
		return -1;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, source);
	db_bind_int64(st, 3, fetched_at);
	db_bind_text_len(st, 4, body, len);
	return db_exec_stmt(st, err) ? -1 : 0;
}

int juristic_db_get(struct db *d, const char *id, const char *source, char **body, size_t *len,
		    int64_t *fetched_at, char *out_source, size_t source_size, tb_err *err)
{
	struct db_stmt *st;
	int rc;

	*body = NULL;
	*len = 0;
	if (source)
		rc = db_stmt_prepare(d, "SELECT body, fetched_at, source FROM juristic_cache "
				"WHERE id = ? AND source = ?", &st, err);
	else
		rc = db_stmt_prepare(d, "SELECT body, fetched_at, source FROM juristic_cache "
				"WHERE id = ? ORDER BY fetched_at DESC LIMIT 1", &st, err);
	if (rc)
		return -1;
	db_bind_text(st, 1, id);
	if (source)
		db_bind_text(st, 2, source);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		const char *b = db_col_text(st, 0);
		size_t n = db_col_bytes(st, 0);

		*body = malloc(n + 1);
		if (!*body) {
			db_stmt_finish(&st);
			return err_set(err, TB_E_NOMEM, 0, NULL);
		}
		memcpy(*body, b, n);
		(*body)[n] = '\0';
		*len = n;
		*fetched_at = db_col_int64(st, 1);
		if (out_source && source_size)
			str_copy(out_source, source_size, db_col_text(st, 2));
		db_stmt_finish(&st);
		return 1;
	}
	db_stmt_finish(&st);
	return rc == DB_DONE ? 0 : -1;
}

long juristic_db_purge(struct db *d, int64_t before, tb_err *err)
{
	struct db_stmt *st;
	long n;

	if (db_stmt_prepare(d, "DELETE FROM juristic_cache WHERE fetched_at < ?", &st, err))
		return -1;
	db_bind_int64(st, 1, before);
	n = db_exec_changes(st, err);
	return n < 0 ? -1 : n;
}
