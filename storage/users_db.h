/* The users table: local accounts, their approval status, role, password
 * hash and failed-login counter.  Rules (who may do what) live in
 * services/accounts/users.c; this is only the SQL. */
#ifndef TABIEN_USERS_DB_H
#define TABIEN_USERS_DB_H

#include <stddef.h>
#include <stdint.h>

#include "services/base/errors.h"
#include "storage/db.h"

#define USER_NAME_MAX 32                    /* bytes, [a-z0-9._-] */
#define USER_TEXT_CHARS 100                 /* full name, position */
#define USER_TEXT_BYTES (USER_TEXT_CHARS * 4 + 1)
#define USER_CID_LEN 13
#define USER_PWHASH_MAX 128                 /* crypto_pwhash_STRBYTES */

enum user_status { USER_PENDING, USER_ACTIVE, USER_SUSPENDED, USER_REJECTED };
/* In rising order: each may do what the ones below may (rights.c). */
enum user_role { USER_OFFICER, USER_SUPERVISOR, USER_BRANCH_ADMIN, USER_AGENCY_ADMIN,
		 USER_ROLE_COUNT };
#define USER_BRANCH_MAX DB_BRANCH_MAX

struct user {
	int64_t id;
	char username[USER_NAME_MAX + 1];
	char full_name[USER_TEXT_BYTES];
	char cid[USER_CID_LEN + 1];        /* the staff member's own ID, for approval */
	char position[USER_TEXT_BYTES];
	enum user_role role;
	enum user_status status;
	char branch[USER_BRANCH_MAX + 1];  /* its code (branches_db) */
	char created[DB_TIME_MAX];
	char decided_by[USER_NAME_MAX + 1]; /* the admin of the last status change */
	char decided_at[DB_TIME_MAX];
	char last_login[DB_TIME_MAX];
	int failures;                       /* failed logins since the last good one */
	int64_t locked_until;               /* epoch seconds; 0 when not locked */
	int must_change;                    /* the password was reset by an admin */
};

/* "pending", "active", "suspended", "rejected"; "officer", "supervisor",
 * "branch_admin", "agency_admin". */
const char *users_db_status_name(enum user_status s);
int users_db_status_parse(const char *s);    /* -1 when unknown */
const char *users_db_role_name(enum user_role r);
int users_db_role_parse(const char *s);      /* -1 when unknown */

/* Inserts u (id ignored) with the hash; TB_E_AUTH_TAKEN when the username
 * exists.  *id may be NULL. */
int users_db_insert(struct db *d, const struct user *u, const char *pwhash, int64_t *id,
		    tb_err *err);

/* 1 and *out (and the hash, when pwhash is not NULL) when found, 0 when not,
 * -1 on error. */
int users_db_find(struct db *d, const char *username, struct user *out, char *pwhash,
		  size_t pwsize, tb_err *err);

/* Calls fn for each user (status < 0: all), oldest first; fn returning
 * nonzero stops.  Returns 0 or -1. */
int users_db_list(struct db *d, int status, int (*fn)(const struct user *u, void *arg),
		  void *arg, tb_err *err);

int users_db_set_status(struct db *d, int64_t id, enum user_status s, const char *by,
			const char *when, tb_err *err);
int users_db_set_role(struct db *d, int64_t id, enum user_role r, tb_err *err);
int users_db_set_branch(struct db *d, int64_t id, const char *branch, tb_err *err);
/* Also clears the failed-login counter and the lock. */
int users_db_set_password(struct db *d, int64_t id, const char *pwhash, int must_change,
			  tb_err *err);
int users_db_set_failures(struct db *d, int64_t id, int failures, int64_t locked_until,
			  tb_err *err);
/* A good login: last_login = when, counter and lock cleared. */
int users_db_set_login(struct db *d, int64_t id, const char *when, tb_err *err);

/* Active agency admins; -1 on error. */
int users_db_count_admins(struct db *d, tb_err *err);

#endif
