/* Login sessions.  A session row lives from login to logout; the front end
 * touches it while the user is there and saves a small state (the pane and
 * non-personal selections, as text: never a citizen's data).  When tabien
 * dies or the SSH link drops, the row stays open; the same user's next login
 * on the same terminal closes it as "lost" and carries its state over. */
#ifndef TABIEN_SESSION_H
#define TABIEN_SESSION_H

#include <stdint.h>

#include "services/base/errors.h"
#include "storage/db.h"
#include "storage/sessions_db.h"
#include "storage/users_db.h"

/* End reasons. */
#define SESSION_END_LOGOUT "logout"   /* the user logged out */
#define SESSION_END_IDLE "idle"       /* the idle lock ended it (not only locked) */
#define SESSION_END_QUIT "quit"       /* the program was closed */
#define SESSION_END_LOST "lost"       /* found open at the next login: crash, SSH drop */

/* Starts a session for u on this terminal.  An open session of the same
 * user and terminal is ended as lost and its state copied into out (with
 * out->resumed set, and a session.resume audit row). */
int session_start(struct db *d, const struct user *u, struct session *out, tb_err *err);

/* A sign of life (the front end calls it now and then, not per key). */
int session_touch(struct db *d, int64_t id, tb_err *err);

/* Replaces the saved state: at most SESSION_STATE_MAX bytes of text. */
int session_save_state(struct db *d, int64_t id, const char *state, tb_err *err);

/* Ends the session (once) and records the logout with the reason. */
int session_end(struct db *d, int64_t id, const char *username, const char *reason,
		tb_err *err);

/* The user's newest session on this terminal that never ended: 1 and *out,
 * 0 when none, -1 on error. */
int session_find_open(struct db *d, int64_t user_id, struct session *out, tb_err *err);

int session_get(struct db *d, int64_t id, struct session *out, tb_err *err);

#endif
