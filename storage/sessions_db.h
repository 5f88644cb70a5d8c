/* The sessions table: one row per login, with start, last sign of life,
 * end and why, and a small saved state (the pane and non-personal
 * selections, as text) that a crashed or dropped session resumes from. */
#ifndef TABIEN_SESSIONS_DB_H
#define TABIEN_SESSIONS_DB_H

#include <stdint.h>

#include "services/base/errors.h"
#include "storage/db.h"

#define SESSION_STATE_MAX 4096   /* bytes */
#define SESSION_REASON_MAX 32

struct session {
	int64_t id;
	int64_t user_id;
	char terminal[DB_TERMINAL_MAX + 1];
	char started[DB_TIME_MAX];
	char last_seen[DB_TIME_MAX];
	char ended[DB_TIME_MAX];                 /* "" while it runs */
	char end_reason[SESSION_REASON_MAX + 1];
	char state[SESSION_STATE_MAX + 1];
	int resumed;                             /* state came from a lost session */
};

int sessions_db_insert(struct db *d, int64_t user_id, const char *terminal, const char *now,
		       const char *state, int64_t *id, tb_err *err);
int sessions_db_touch(struct db *d, int64_t id, const char *now, tb_err *err);
int sessions_db_set_state(struct db *d, int64_t id, const char *state, const char *now,
			  tb_err *err);
/* Ends a session still running: 1; one already ended keeps its end: 0. */
int sessions_db_end(struct db *d, int64_t id, const char *now, const char *reason,
		    tb_err *err);
/* 1 and *out when found, 0 when not, -1 on error. */
int sessions_db_get(struct db *d, int64_t id, struct session *out, tb_err *err);
/* The newest session of the user on this terminal that never ended. */
int sessions_db_last_open(struct db *d, int64_t user_id, const char *terminal,
			  struct session *out, tb_err *err);

#endif
