/* Who may do what.  Below users and audit (both ask it), above storage only,
 * so neither of them needs the other for a check. */
#ifndef TABIEN_RIGHTS_H
#define TABIEN_RIGHTS_H

#include "services/base/errors.h"
#include "storage/db.h"
#include "storage/users_db.h"

/* 0 when `actor` is an active admin (and *out, which may be NULL), else
 * TB_E_AUTH_NOT_ADMIN. */
int rights_require_admin(struct db *d, const char *actor, struct user *out, tb_err *err);

#endif
