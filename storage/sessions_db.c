/* The sessions table's SQL. */
#include "config.h"

#include "storage/sessions_db.h"
#include "storage/db_private.h"

#include <string.h>

#define SESSION_COLUMNS "id, user_id, terminal, started, last_seen, ended, end_reason, state"

int sessions_db_insert(struct db *d, int64_t user_id, const char *terminal, const char *now,
		       const char *state, int64_t *id, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "INSERT INTO sessions (user_id, terminal, started, last_seen, state) "
		       "VALUES (?, ?, ?, ?, ?) RETURNING id", &st, err))
		return -1;
	db_bind_int64(st, 1, user_id);
	db_bind_text(st, 2, terminal);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, state);
	return db_exec_id(st, id, err) ? -1 : 0;
}

int sessions_db_touch(struct db *d, int64_t id, const char *now, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "UPDATE sessions SET last_seen = ? WHERE id = ?", &st, err))
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int64(st, 2, id);
	return db_exec_stmt(st, err) ? -1 : 0;
}

int sessions_db_set_state(struct db *d, int64_t id, const char *state, const char *now,
			  tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "UPDATE sessions SET state = ?, last_seen = ? WHERE id = ?", &st, err))
		return -1;
	db_bind_text(st, 1, state);
	db_bind_text(st, 2, now);
	db_bind_int64(st, 3, id);
	return db_exec_stmt(st, err) ? -1 : 0;
}

int sessions_db_end(struct db *d, int64_t id, const char *now, const char *reason,
		    tb_err *err)
{
	struct db_stmt *st;
	long n;

	if (db_stmt_prepare(d, "UPDATE sessions SET ended = ?1, last_seen = ?1, end_reason = ?2 "
		       "WHERE id = ?3 AND ended = ''", &st, err))
		return -1;
	db_bind_text(st, 1, now);
	db_bind_text(st, 2, reason);
	db_bind_int64(st, 3, id);
	n = db_exec_changes(st, err);
	return n < 0 ? -1 : n > 0;
}

static int get_row(struct db_stmt *st, struct session *out, tb_err *err)
{
	int rc = db_step(st, err);

	if (rc == DB_ROW) {
		memset(out, 0, sizeof *out);
		out->id = db_col_int64(st, 0);
		out->user_id = db_col_int64(st, 1);
		db_col_copy(st, 2, out->terminal, sizeof out->terminal);
		db_col_copy(st, 3, out->started, sizeof out->started);
		db_col_copy(st, 4, out->last_seen, sizeof out->last_seen);
		db_col_copy(st, 5, out->ended, sizeof out->ended);
		db_col_copy(st, 6, out->end_reason, sizeof out->end_reason);
		db_col_copy(st, 7, out->state, sizeof out->state);
	}
	db_stmt_finish(&st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int sessions_db_get(struct db *d, int64_t id, struct session *out, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "SELECT " SESSION_COLUMNS " FROM sessions WHERE id = ?", &st, err))
		return -1;
	db_bind_int64(st, 1, id);
	return get_row(st, out, err);
}

int sessions_db_last_open(struct db *d, int64_t user_id, const char *terminal,
			  struct session *out, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "SELECT " SESSION_COLUMNS " FROM sessions "
		       "WHERE user_id = ? AND terminal = ? AND ended = '' ORDER BY id DESC LIMIT 1",
		       &st, err))
		return -1;
	db_bind_int64(st, 1, user_id);
	db_bind_text(st, 2, terminal);
	return get_row(st, out, err);
}
