#include "config.h"

#include "services/accounts/rights.h"

int rights_require_admin(struct db *d, const char *actor, struct user *out, tb_err *err)
{
	struct user u;
	int r = actor && *actor ? users_db_find(d, actor, &u, NULL, 0, err) : 0;

	if (r < 0)
		return -1;
	if (r == 0 || u.role != USER_ADMIN || u.status != USER_ACTIVE)
		return err_set(err, TB_E_AUTH_NOT_ADMIN, 0, NULL);
	if (out)
		*out = u;
	return 0;
}
