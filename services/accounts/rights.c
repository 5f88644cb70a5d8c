/* The rules of rights.h: defaults by role, grants, scope by branch. */
#include "config.h"

#include "services/accounts/rights.h"

#include <stdio.h>
#include <string.h>

#include "storage/branches_db.h"
#include "storage/grants_db.h"

static const struct {
	const char *name;
	enum user_role least;
} table[RIGHT_COUNT] = {
#define RIGHT_ROW(id, name, role) [id] = { name, role },
	RIGHTS(RIGHT_ROW)
#undef RIGHT_ROW
};

/* The roles as people type them (users_db's names use '_'). */
static const char *const role_labels[USER_ROLE_COUNT] = {
	[USER_OFFICER] = "officer",
	[USER_SUPERVISOR] = "supervisor",
	[USER_BRANCH_ADMIN] = "branch-admin",
	[USER_AGENCY_ADMIN] = "agency-admin",
};

const char *rights_name(enum right r)
{
	return (unsigned)r < RIGHT_COUNT ? table[r].name : "?";
}

int rights_parse(const char *s)
{
	for (int i = 0; i < RIGHT_COUNT; i++)
		if (s && strcmp(s, table[i].name) == 0)
			return i;
	return -1;
}

int rights_role_parse(const char *s)
{
	for (int i = 0; i < USER_ROLE_COUNT; i++)
		if (s && strcmp(s, role_labels[i]) == 0)
			return i;
	return -1;
}

const char *rights_role_label(enum user_role role)
{
	return (unsigned)role < USER_ROLE_COUNT ? role_labels[role] : "?";
}

bool rights_role_default(enum user_role role, enum right r)
{
	return (unsigned)r < RIGHT_COUNT && role >= table[r].least;
}

int rights_has(struct db *d, const struct user *u, enum right r, tb_err *err)
{
	int allow, g;

	if ((unsigned)r >= RIGHT_COUNT)
		return err_set(err, TB_E_USAGE, r, "right");
	if (u->status != USER_ACTIVE)
		return 0;
	g = grants_db_get(d, u->id, table[r].name, &allow, err);
	if (g < 0)
		return -1;
	return g ? allow : rights_role_default(u->role, r);
}

struct names {
	char *out;
	size_t len;
	const char *skip;  /* the one asking: never told to ask themselves */
};

static int name_add(const char *username, void *arg)
{
	struct names *n = arg;
	size_t k = strlen(username);

	if (n->skip && strcmp(username, n->skip) == 0)
		return 0;
	/* Whole names only; the list says "..." when it is full. */
	if (n->len + k + 6 >= RIGHTS_GRANTERS_MAX) {
		snprintf(n->out + n->len, RIGHTS_GRANTERS_MAX - n->len, "%s...", n->len ? ", " : "");
		return 1;
	}
	n->len += (size_t)snprintf(n->out + n->len, RIGHTS_GRANTERS_MAX - n->len, "%s%s",
				   n->len ? ", " : "", username);
	return 0;
}

/* branch's admins (when `least` is no higher than branch admin), else the
 * agency admins; skip left out. */
static int granters(struct db *d, const char *branch, enum user_role least, const char *skip,
		    char out[RIGHTS_GRANTERS_MAX], tb_err *err)
{
	struct names n = { out, 0, skip };

	out[0] = '\0';
	if (least <= USER_BRANCH_ADMIN &&
	    branches_db_users_in_role(d, branch, users_db_role_name(USER_BRANCH_ADMIN), name_add,
				      &n, err))
		return -1;
	if (n.len)
		return 0;
	return branches_db_users_in_role(d, NULL, users_db_role_name(USER_AGENCY_ADMIN), name_add,
					 &n, err);
}

int rights_granters(struct db *d, const char *branch, char out[RIGHTS_GRANTERS_MAX],
		    tb_err *err)
{
	return granters(d, branch, USER_BRANCH_ADMIN, NULL, out, err);
}

static int user_find(struct db *d, const char *username, struct user *u, tb_err *err)
{
	int r = username && *username ? users_db_find(d, username, u, NULL, 0, err) : 0;

	if (r == 0)
		return err_set(err, TB_E_AUTH_NO_USER, 0, NULL);
	return r < 0 ? -1 : 0;
}

int rights_check(struct db *d, const char *username, enum right r, const char *subject,
		 struct user *out, char granters[RIGHTS_GRANTERS_MAX], tb_err *err)
{
	struct user u;
	tb_err ignored;
	int held;

	if (granters)
		granters[0] = '\0';
	if (user_find(d, username, &u, err))
		return -1;
	held = rights_has(d, &u, r, err);
	if (held < 0)
		return -1;
	if (held) {
		if (out)
			*out = u;
		return 0;
	}
	/* Recorded whatever else fails: an attempt is worth knowing. */
	audit_append(d, &(struct audit_entry){ .username = u.username, .action = AUDIT_RIGHT_REFUSED,
		     .service = table[r].name, .subject = subject,
		     .result = err_code(TB_E_RIGHT_REFUSED) }, &ignored);
	if (granters)
		rights_who_can(d, u.username, NULL, -1,
			       &(tb_err){ .id = TB_E_RIGHT_REFUSED }, granters, &ignored);
	return err_set(err, TB_E_RIGHT_REFUSED, 0, table[r].name);
}

int rights_require(struct db *d, const char *actor, enum right r, const char *branch,
		   struct user *out, tb_err *err)
{
	struct user u;
	int held;

	if (user_find(d, actor, &u, err))
		return -1;
	held = rights_has(d, &u, r, err);
	if (held < 0)
		return -1;
	if (!held)
		return err_set(err, TB_E_RIGHT_REFUSED, 0, table[r].name);
	if (branch && u.role != USER_AGENCY_ADMIN && strcmp(branch, u.branch) != 0)
		return err_set(err, TB_E_RIGHT_BRANCH, 0, NULL);
	if (out)
		*out = u;
	return 0;
}

int rights_require_admin(struct db *d, const char *actor, struct user *out, tb_err *err)
{
	struct user u;
	int r = actor && *actor ? users_db_find(d, actor, &u, NULL, 0, err) : 0;

	if (r < 0)
		return -1;
	if (r == 0 || u.role < USER_BRANCH_ADMIN || u.status != USER_ACTIVE)
		return err_set(err, TB_E_AUTH_NOT_ADMIN, 0, NULL);
	if (out)
		*out = u;
	return 0;
}

int rights_audit_scope(struct db *d, const char *actor, struct audit_filter *f,
		       char branch[USER_BRANCH_MAX + 1], tb_err *err)
{
	struct user u;

	if (rights_check(d, actor, RIGHT_AUDIT, NULL, &u, NULL, err))
		return -1;
	branch[0] = '\0';
	f->branch = NULL;
	if (u.role != USER_AGENCY_ADMIN) {
		snprintf(branch, USER_BRANCH_MAX + 1, "%s", u.branch);
		f->branch = branch;
	}
	return 0;
}

/* A refused change of someone's rights, recorded after the rollback. */
static void refused(struct db *d, const char *actor, const char *action, const char *what,
		    const char *target, const tb_err *err)
{
	tb_err ignored;

	if (strcmp(err_domain(err->id), "auth") == 0)
		audit_append(d, &(struct audit_entry){ .username = actor, .action = action,
			     .service = what, .subject = target, .result = err_code(err->id) },
			     &ignored);
}

/* Gives (allow 1), takes (0) or resets (-1: the grant dropped) r. */
static int grant_change(struct db *d, const char *actor, const char *target, enum right r,
			int allow, tb_err *err)
{
	const char *action = allow > 0 ? AUDIT_ADMIN_GRANT : allow == 0 ? AUDIT_ADMIN_REVOKE
			   : AUDIT_ADMIN_RESET_RIGHT;
	struct grant g = { .allow = allow > 0 };
	struct user a, t;
	int ok, held = 0, changed = 1;

	if ((unsigned)r >= RIGHT_COUNT)
		return err_set(err, TB_E_USAGE, r, "right");
	snprintf(g.right, sizeof g.right, "%s", table[r].name);
	if (db_tx_begin(d, err))
		return -1;
	ok = user_find(d, target, &t, err) == 0 &&
	     rights_require(d, actor, RIGHT_USERS, t.branch, &a, err) == 0 &&
	     (held = rights_has(d, &a, r, err)) >= 0;
	/* Nobody hands on more than they hold. */
	if (ok && !held)
		ok = err_set(err, TB_E_RIGHT_REFUSED, 0, table[r].name) == 0;
	if (ok && allow < 0) {
		ok = (changed = grants_db_clear(d, t.id, g.right, err)) >= 0;
	} else if (ok) {
		snprintf(g.by, sizeof g.by, "%s", a.username);
		db_time_iso(db_now(d), g.at);
		ok = grants_db_set(d, t.id, &g, err) == 0;
	}
	/* A reset with no grant to drop changed nothing: no row. */
	if (ok && changed)
		ok = audit_append(d, &(struct audit_entry){ .username = actor, .action = action,
				  .service = table[r].name, .subject = t.username, .result = "OK" },
				  err) == 0;
	if (db_tx_end(d, ok, err)) {
		refused(d, actor, action, table[r].name, target, err);
		return -1;
	}
	return 0;
}

int rights_grant(struct db *d, const char *actor, const char *target, enum right r, int allow,
		 tb_err *err)
{
	return grant_change(d, actor, target, r, allow != 0, err);
}

int rights_reset(struct db *d, const char *actor, const char *target, enum right r, tb_err *err)
{
	return grant_change(d, actor, target, r, -1, err);
}

int rights_set_role(struct db *d, const char *actor, const char *target, enum user_role role,
		    tb_err *err)
{
	struct user a, t;
	int ok, n = 2;

	if ((unsigned)role >= USER_ROLE_COUNT)
		return err_set(err, TB_E_USAGE, role, "role");
	if (db_tx_begin(d, err))
		return -1;
	ok = user_find(d, target, &t, err) == 0 &&
	     rights_require(d, actor, RIGHT_USERS, t.branch, &a, err) == 0;
	if (ok && (role > a.role || t.role > a.role))
		ok = err_set(err, TB_E_ROLE_ABOVE_OWN, 0, rights_role_label(a.role)) == 0;
	if (ok && t.status != USER_ACTIVE)
		ok = err_set(err, TB_E_AUTH_STATE, 0, users_db_status_name(t.status)) == 0;
	if (ok && t.role == USER_AGENCY_ADMIN && role != USER_AGENCY_ADMIN)
		ok = (n = users_db_count_admins(d, err)) >= 0;
	if (ok && n <= 1)
		ok = err_set(err, TB_E_AUTH_LAST_ADMIN, 0, NULL) == 0;
	ok = ok && users_db_set_role(d, t.id, role, err) == 0 &&
	     audit_append(d, &(struct audit_entry){ .username = actor, .action = AUDIT_ADMIN_ROLE,
			  .service = users_db_role_name(role), .subject = t.username, .result = "OK" },
			  err) == 0;
	if (db_tx_end(d, ok, err)) {
		refused(d, actor, AUDIT_ADMIN_ROLE, users_db_role_name(role), target, err);
		return -1;
	}
	return 0;
}

int rights_who_can(struct db *d, const char *actor, const char *target, int role,
		   const tb_err *e, char out[RIGHTS_GRANTERS_MAX], tb_err *err)
{
	struct user a, t;
	enum user_role least = USER_BRANCH_ADMIN;
	const char *branch;

	out[0] = '\0';
	if (e->id != TB_E_RIGHT_REFUSED && e->id != TB_E_RIGHT_BRANCH && e->id != TB_E_ROLE_ABOVE_OWN &&
	    e->id != TB_E_AUTH_NOT_ADMIN)
		return 0;
	if (user_find(d, actor, &a, err))
		return -1;
	branch = a.branch;
	/* Another branch's user, unnamed: the agency admins can. */
	if ((e->id == TB_E_RIGHT_BRANCH && !target) || e->id == TB_E_AUTH_NOT_ADMIN)
		least = USER_AGENCY_ADMIN;
	if (e->id != TB_E_RIGHT_REFUSED && target) {
		if (user_find(d, target, &t, err))
			return -1;
		branch = t.branch;
		/* Whoever gives the role must stand at or above it and the user. */
		if (e->id == TB_E_ROLE_ABOVE_OWN)
			least = role > (int)t.role ? (enum user_role)role : t.role;
	}
	return granters(d, branch, least, a.username, out, err);
}

int rights_move(struct db *d, const char *actor, const char *target, const char *branch,
		tb_err *err)
{
	char from[USER_BRANCH_MAX + 1] = "", what[2 * USER_BRANCH_MAX + 8];
	struct user a, t;
	int ok, found = 0;

	snprintf(what, sizeof what, "%.*s", USER_BRANCH_MAX, branch);
	if (db_tx_begin(d, err))
		return -1;
	ok = user_find(d, target, &t, err) == 0 &&
	     rights_require(d, actor, RIGHT_USERS, NULL, &a, err) == 0;
	if (ok && a.role != USER_AGENCY_ADMIN)
		ok = err_set(err, TB_E_AUTH_NOT_ADMIN, 0, NULL) == 0;
	ok = ok && (found = strlen(branch) <= USER_BRANCH_MAX ? branches_db_find(d, branch, NULL, err) : 0) >= 0;
	if (ok && !found)
		ok = err_set(err, TB_E_BRANCH_NO_SUCH, 0, NULL) == 0;
	if (ok) {
		/* The row says from where to where. */
		snprintf(from, sizeof from, "%s", t.branch);
		snprintf(what, sizeof what, "%s>%s", from, branch);
		ok = users_db_set_branch(d, t.id, branch, err) == 0 &&
		     audit_append(d, &(struct audit_entry){ .username = actor, .action = AUDIT_ADMIN_MOVE,
				  .service = what, .subject = t.username, .result = "OK" }, err) == 0;
	}
	if (db_tx_end(d, ok, err)) {
		refused(d, actor, AUDIT_ADMIN_MOVE, what, target, err);
		return -1;
	}
	return 0;
}

int rights_list(struct db *d, const struct user *u,
		int (*fn)(enum right r, bool held, int granted, void *arg), void *arg, tb_err *err)
{
	for (int i = 0; i < RIGHT_COUNT; i++) {
		int allow, g = grants_db_get(d, u->id, table[i].name, &allow, err);
		int held = rights_has(d, u, (enum right)i, err);

		if (g < 0 || held < 0)
			return -1;
		if (fn((enum right)i, held != 0, g ? allow : -1, arg))
			break;
	}
	return 0;
}
