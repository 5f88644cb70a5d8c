/* The branches of one agency in one database: each with its code and name,
 * its own settings (key/value) and purposes, and the users who belong to it
 * (users_db's branch).  What the keys may hold, and who may change them, is
 * services/accounts/settings.c's. */
#ifndef TABIEN_BRANCHES_DB_H
#define TABIEN_BRANCHES_DB_H

#include <stddef.h>

#include "services/base/errors.h"
#include "storage/db.h"

#define BRANCH_NAME_BYTES 801     /* 200 characters of UTF-8 */

struct branch {
	char code[DB_BRANCH_MAX + 1];
	char name[BRANCH_NAME_BYTES];
	char created[DB_TIME_MAX];
};

/* TB_E_BRANCH_TAKEN when the code exists. */
int branches_db_add(struct db *d, const struct branch *b, tb_err *err);
int branches_db_rename(struct db *d, const char *code, const char *name, tb_err *err);

/* 1 and *out (may be NULL) when found, 0 when not, -1 on error. */
int branches_db_find(struct db *d, const char *code, struct branch *out, tb_err *err);

/* Each branch by code; fn returning nonzero stops. */
int branches_db_list(struct db *d, int (*fn)(const struct branch *b, void *arg), void *arg,
		     tb_err *err);

/* The branch's own settings: 1 and the value, 0 when unset, -1. */
int branches_db_get(struct db *d, const char *branch, const char *key, char *out, size_t size,
		    tb_err *err);
int branches_db_set(struct db *d, const char *branch, const char *key, const char *value,
		    tb_err *err);

/* The branch's purposes in order; fn returning nonzero stops. */
int branches_db_purposes(struct db *d, const char *branch,
			 int (*fn)(const char *text, void *arg), void *arg, tb_err *err);
/* Replaces the branch's list (call inside a transaction). */
int branches_db_purposes_set(struct db *d, const char *branch, const char *const *texts,
			     size_t n, tb_err *err);

/* The usernames of the active users of `branch` with the role named
 * (users_db_role_name), oldest first; branch NULL: of every branch. */
int branches_db_users_in_role(struct db *d, const char *branch, const char *role,
			      int (*fn)(const char *username, void *arg), void *arg,
			      tb_err *err);

#endif
