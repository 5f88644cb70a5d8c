/* Login sessions and what they resume from. */
#include "config.h"

#include "services/accounts/session.h"

#include <stdlib.h>
#include <string.h>

#include "services/accounts/audit.h"

int session_find_open(struct db *d, int64_t user_id, struct session *out, tb_err *err)
{
	return sessions_db_last_open(d, user_id, db_terminal(d), out, err);
}

int session_get(struct db *d, int64_t id, struct session *out, tb_err *err)
{
	int r = sessions_db_get(d, id, out, err);

	if (r == 0)
		return err_set(err, TB_E_STORE, 0, "no such session");
	return r < 0 ? -1 : 0;
}

int session_start(struct db *d, const struct user *u, struct session *out, tb_err *err)
{
	char now[DB_TIME_MAX];
	struct session *old;
	int found, ok;

	old = calloc(1, sizeof *old);  /* 4 KiB of state: not on the stack twice */
	if (!old)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	memset(out, 0, sizeof *out);
	db_time_iso(db_now(d), now);
	if (db_tx_begin(d, err)) {
		free(old);
		return -1;
	}
	found = session_find_open(d, u->id, old, err);
	ok = found >= 0;
	if (ok && found)
		ok = sessions_db_end(d, old->id, now, SESSION_END_LOST, err) >= 0 &&
		     audit_append(d, &(struct audit_entry){ .username = u->username,
				  .action = AUDIT_SESSION_RESUME, .result = "OK" }, err) == 0;
	ok = ok && sessions_db_insert(d, u->id, db_terminal(d), now, found ? old->state : "",
				      &out->id, err) == 0;
	free(old);
	if (db_tx_end(d, ok, err) || session_get(d, out->id, out, err))
		return -1;
	out->resumed = found > 0;
	return 0;
}

int session_touch(struct db *d, int64_t id, tb_err *err)
{
	char now[DB_TIME_MAX];

	db_time_iso(db_now(d), now);
	return sessions_db_touch(d, id, now, err);
}

int session_save_state(struct db *d, int64_t id, const char *state, tb_err *err)
{
	char now[DB_TIME_MAX];

	if (!state || strlen(state) > SESSION_STATE_MAX)
		return err_set(err, TB_E_AUTH_INVALID, SESSION_STATE_MAX, "state");
	db_time_iso(db_now(d), now);
	return sessions_db_set_state(d, id, state, now, err);
}

int session_end(struct db *d, int64_t id, const char *username, const char *reason,
		tb_err *err)
{
	char now[DB_TIME_MAX];
	int ok, ended;

	db_time_iso(db_now(d), now);
	if (db_tx_begin(d, err))
		return -1;
	ended = sessions_db_end(d, id, now, reason, err);
	ok = ended >= 0 && (ended == 0 || audit_append(d, &(struct audit_entry){ .username = username,
			  .action = AUDIT_USER_LOGOUT, .result = reason }, err) == 0);
	if (db_tx_end(d, ok, err))
		return -1;
	/* Log-out seals what the session wrote; failing that is logged. */
	audit_seal_due(d, 1);
	return 0;
}
