/* The grants table's SQL. */
#include "config.h"

#include "storage/grants_db.h"
#include "storage/db_private.h"

int grants_db_set(struct db *d, int64_t user_id, const struct grant *g, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "INSERT INTO grants (user_id, right_name, allow, granted_by, granted_at) "
			    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, right_name) DO UPDATE SET "
			    "allow = excluded.allow, granted_by = excluded.granted_by, "
			    "granted_at = excluded.granted_at", &st, err))
		return -1;
	db_bind_int64(st, 1, user_id);
	db_bind_text(st, 2, g->right);
	db_bind_int64(st, 3, g->allow != 0);
	db_bind_text(st, 4, g->by);
	db_bind_text(st, 5, g->at);
	return db_exec_stmt(st, err) ? -1 : 0;
}

int grants_db_clear(struct db *d, int64_t user_id, const char *right, tb_err *err)
{
	struct db_stmt *st;
	long n;

	if (db_stmt_prepare(d, "DELETE FROM grants WHERE user_id = ? AND right_name = ?", &st, err))
		return -1;
	db_bind_int64(st, 1, user_id);
	db_bind_text(st, 2, right);
	n = db_exec_changes(st, err);
	return n < 0 ? -1 : n > 0;
}

int grants_db_get(struct db *d, int64_t user_id, const char *right, int *allow, tb_err *err)
{
	struct db_stmt *st;
	int rc;

	if (db_stmt_prepare(d, "SELECT allow FROM grants WHERE user_id = ? AND right_name = ?", &st, err))
		return -1;
	db_bind_int64(st, 1, user_id);
	db_bind_text(st, 2, right);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		*allow = db_col_int64(st, 0) == 1;
	db_stmt_finish(&st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int grants_db_list(struct db *d, int64_t user_id, int (*fn)(const struct grant *g, void *arg),
		   void *arg, tb_err *err)
{
	struct db_stmt *st;
	struct grant g;
	int rc;

	if (db_stmt_prepare(d, "SELECT right_name, allow, granted_by, granted_at FROM grants "
			    "WHERE user_id = ? ORDER BY right_name", &st, err))
		return -1;
	db_bind_int64(st, 1, user_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		db_col_copy(st, 0, g.right, sizeof g.right);
		g.allow = db_col_int64(st, 1) == 1;
		db_col_copy(st, 2, g.by, sizeof g.by);
		db_col_copy(st, 3, g.at, sizeof g.at);
		if (fn(&g, arg)) {
			rc = DB_DONE;
			break;
		}
	}
	db_stmt_finish(&st);
	return rc == DB_DONE ? 0 : -1;
}
