/* Per-user grants: a right given beyond the user's role (allow 1) or taken
 * from it (allow 0).  Which rights exist and what roles hold by default is
 * services/accounts/rights.c's; this is only the SQL. */
#ifndef TABIEN_GRANTS_DB_H
#define TABIEN_GRANTS_DB_H

#include <stdint.h>

#include "services/base/errors.h"
#include "storage/db.h"
#include "storage/users_db.h"

#define GRANT_RIGHT_MAX 32

struct grant {
	char right[GRANT_RIGHT_MAX + 1];
	int allow;
	char by[USER_NAME_MAX + 1];       /* the username who set it */
	char at[DB_TIME_MAX];
};

/* Sets (or replaces) the user's grant for the right. */
int grants_db_set(struct db *d, int64_t user_id, const struct grant *g, tb_err *err);

/* Drops the user's grant for the right (back to the role's default): 1
 * when there was one, 0 when not, -1. */
int grants_db_clear(struct db *d, int64_t user_id, const char *right, tb_err *err);

/* 1 and *allow when the user has a grant for the right, 0 when not, -1. */
int grants_db_get(struct db *d, int64_t user_id, const char *right, int *allow, tb_err *err);

/* The user's grants by right; fn returning nonzero stops. */
int grants_db_list(struct db *d, int64_t user_id, int (*fn)(const struct grant *g, void *arg),
		   void *arg, tb_err *err);

#endif
