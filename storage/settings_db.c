/* The settings tables' SQL. */
#include "config.h"

#include "storage/settings_db.h"
#include "storage/db_private.h"

/* Steps a one-column SELECT already bound: 1 with the value, 0, or -1. */
static int get_one(struct db_stmt *st, char *out, size_t size, tb_err *err)
{
	int rc = db_step(st, err);

	if (rc == DB_ROW)
		db_col_copy(st, 0, out, size);
	db_stmt_finish(&st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int settings_db_get(struct db *d, const char *key, char *out, size_t size, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "SELECT value FROM branch_settings WHERE key = ?", &st, err))
		return -1;
	db_bind_text(st, 1, key);
	return get_one(st, out, size, err);
}

int settings_db_set(struct db *d, const char *key, const char *value, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "INSERT INTO branch_settings (key, value) VALUES (?, ?) "
		       "ON CONFLICT (key) DO UPDATE SET value = excluded.value", &st, err))
		return -1;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	return db_exec_stmt(st, err) ? -1 : 0;
}

int settings_db_user_get(struct db *d, int64_t user_id, const char *key, char *out,
			 size_t size, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "SELECT value FROM user_settings WHERE user_id = ? AND key = ?", &st, err))
		return -1;
	db_bind_int64(st, 1, user_id);
	db_bind_text(st, 2, key);
	return get_one(st, out, size, err);
}

int settings_db_user_set(struct db *d, int64_t user_id, const char *key, const char *value,
			 tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "INSERT INTO user_settings (user_id, key, value) VALUES (?, ?, ?) "
		       "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value", &st, err))
		return -1;
	db_bind_int64(st, 1, user_id);
	db_bind_text(st, 2, key);
	db_bind_text(st, 3, value);
	return db_exec_stmt(st, err) ? -1 : 0;
}
