/* Local accounts: registration (pending until an admin of the agency
 * approves), login with argon2id hashes and a lock-out that backs off, and
 * the admin actions.  Every outcome is written to the audit trail.
 *
 * Password hashing cost: libsodium's INTERACTIVE limits (64 MiB, 2 passes,
 * about 60 ms here), worked out in a child process so that the program's own
 * memory stays small.  TABIEN_PWHASH=moderate picks MODERATE (256 MiB) where
 * memory allows; TABIEN_PWHASH=fast the library's minimum, for the test
 * suite only.  A hash made with other limits is redone at the next good
 * login. */
#ifndef TABIEN_USERS_H
#define TABIEN_USERS_H

#include <stddef.h>
#include <stdint.h>

#include "services/base/errors.h"
#include "storage/db.h"
#include "storage/users_db.h"

#define USERS_PASSWORD_MIN 10     /* characters */
#define USERS_PASSWORD_MAX 1024   /* bytes */
#define USERS_LOCK_AFTER 5        /* failed logins before the first lock */
#define USERS_LOCK_FIRST_S 30     /* doubled at each further failure */
#define USERS_LOCK_MAX_S 900
#define USERS_TEMP_PASSWORD_LEN 12

/* What a person types to register. */
struct user_new {
	const char *username;   /* [a-z0-9._-]{3,32} */
	const char *full_name;  /* 1..100 characters, UTF-8, no control characters */
	const char *cid;        /* 13 digits with a correct check digit */
	const char *position;   /* 1..100 characters */
	const char *password;   /* USERS_PASSWORD_MIN characters or more */
};

/* libsodium's initialisation; every function here calls it, so calling it
 * early only moves the cost.  0 or -1 (TB_E_SYSTEM). */
int users_init(tb_err *err);

/* Checks the fields without touching the database: TB_E_AUTH_INVALID with
 * the field's name ("username", "full_name", "cid", "position", "password"),
 * or TB_E_AUTH_PASSWORD_SHORT with the minimum as detail. */
int users_validate(const struct user_new *n, tb_err *err);

/* A new pending account in the terminal's branch (db_branch, else the
 * default one); TB_E_AUTH_TAKEN when the username exists. */
int users_register(struct db *d, const struct user_new *n, tb_err *err);

/* The first agency admin, active, with no one to approve it, in `branch`:
 * used by settings_init() inside its transaction. */
int users_create_first_admin(struct db *d, const struct user_new *n, const char *branch,
			     tb_err *err);

/* The branch this terminal belongs to: db_branch(), else the database's
 * default one.  TB_E_STORE_NOT_INIT before `admin init`. */
int users_terminal_branch(struct db *d, char code[USER_BRANCH_MAX + 1], tb_err *err);

/* Checks the password and the account.  0 and *out for an active account
 * (out->must_change set: the front end makes the user choose a new
 * password before anything else).  Errors: TB_E_AUTH_WRONG for an unknown
 * user and a wrong password alike (same text, same time spent),
 * TB_E_AUTH_LOCKED (detail: seconds left), TB_E_AUTH_PENDING,
 * TB_E_AUTH_REJECTED, TB_E_AUTH_SUSPENDED, and TB_E_AUTH_OTHER_BRANCH (an
 * account of another branch than the terminal's, unless an agency admin:
 * refused and recorded once the password is right, not counted as a
 * failure). */
int users_login(struct db *d, const char *username, const char *password, struct user *out,
		tb_err *err);

/* The user changes their own password (the old one is checked like a
 * login, lock-out included). */
int users_change_password(struct db *d, const char *username, const char *old_password,
			  const char *new_password, tb_err *err);

/* 0 and *out, or TB_E_AUTH_NO_USER. */
int users_get(struct db *d, const char *username, struct user *out, tb_err *err);

/* Each user with the status (< 0: all), oldest first. */
int users_list(struct db *d, int status, int (*fn)(const struct user *u, void *arg),
	       void *arg, tb_err *err);

enum users_action {
	USERS_APPROVE,       /* pending or rejected -> active */
	USERS_REJECT,        /* pending -> rejected */
	USERS_SUSPEND,       /* active -> suspended */
	USERS_REINSTATE,     /* suspended -> active */
	USERS_MAKE_ADMIN,    /* active staff -> admin */
	USERS_REMOVE_ADMIN,  /* admin -> staff */
	USERS_ACTION_COUNT
};

/* "approve", "reject", "suspend", "reinstate", "make-admin", "remove-admin";
 * users_action_parse returns -1 for anything else. */
const char *users_action_name(enum users_action a);
int users_action_parse(const char *s);

/* `actor` (holding the users right over the target's branch: rights.h)
 * acts on `target`.  make-admin makes a branch admin (and needs an admin);
 * remove-admin makes a counter officer.  The last active agency admin can
 * be neither suspended nor demoted (TB_E_AUTH_LAST_ADMIN).  Other errors:
 * TB_E_RIGHT_REFUSED, TB_E_RIGHT_BRANCH, TB_E_AUTH_NO_USER, TB_E_AUTH_STATE. */
int users_admin(struct db *d, const char *actor, enum users_action a, const char *target,
		tb_err *err);

/* Sets a new password for `target`, who must change it at the next login;
 * clears the lock.  new_password NULL: one is generated
 * (USERS_TEMP_PASSWORD_LEN characters) and written to temp (size >
 * USERS_TEMP_PASSWORD_LEN); the caller shows it once and wipes it. */
int users_reset_password(struct db *d, const char *actor, const char *target,
			 const char *new_password, char *temp, size_t size, tb_err *err);

/* Characters (code points) in UTF-8 text; -1 when it is not valid UTF-8. */
long users_utf8_chars(const char *s);

/* Text people type for others to read (names, positions, purposes): valid
 * UTF-8 of 1..max characters, not only spaces, with nothing a terminal acts
 * on (control characters, bidirectional overrides).  1 or 0. */
int users_text_valid(const char *s, long max);

#endif
