/* Who may do what.  Four roles, in rising order (users_db.h): the counter
 * officer, the supervisor, the branch admin, the agency admin.  Each right
 * below is held by default from a role upwards; a per-user grant gives it
 * beyond the role or takes it away (allow 0).  Every pane and command asks
 * here; a refusal is written to the audit trail and says who can grant it.
 *
 * Scope: an agency admin acts on every branch; everyone else on their own
 * branch's users, settings and audit rows only.  Below users, settings and
 * the front end; above audit (it records refusals) and storage. */
#ifndef TABIEN_RIGHTS_H
#define TABIEN_RIGHTS_H

#include <stdbool.h>
#include <stddef.h>

#include "services/accounts/audit.h"
#include "services/base/errors.h"
#include "storage/db.h"
#include "storage/users_db.h"

/* X(id, name, the least role holding it by default) */
#define RIGHTS(X) \
	X(RIGHT_CARD, "card", USER_OFFICER) \
	X(RIGHT_REGISTRY, "registry", USER_OFFICER) \
	X(RIGHT_HOUSEHOLD, "household", USER_OFFICER) \
	X(RIGHT_NAMES, "names", USER_OFFICER) \
	X(RIGHT_COMPANIES, "companies", USER_OFFICER) \
	X(RIGHT_COPIES, "copies", USER_OFFICER) \
	X(RIGHT_AUDIT, "audit", USER_SUPERVISOR) \
	X(RIGHT_USERS, "users", USER_BRANCH_ADMIN) \
	X(RIGHT_SETTINGS, "settings", USER_BRANCH_ADMIN)

enum right {
#define RIGHT_ENUM(id, name, role) id,
	RIGHTS(RIGHT_ENUM)
#undef RIGHT_ENUM
	RIGHT_COUNT
};

/* Room for the names of who can grant a right: "somchai, malee, ...". */
#define RIGHTS_GRANTERS_MAX 256

const char *rights_name(enum right r);
int rights_parse(const char *s);                    /* -1 when unknown */
/* "officer", "supervisor", "branch-admin", "agency-admin" as typed; -1. */
int rights_role_parse(const char *s);
const char *rights_role_label(enum user_role role); /* as typed */
bool rights_role_default(enum user_role role, enum right r);

/* Whether u (as read now) holds r: active, and its grant or else its
 * role's default.  1, 0, or -1 on a storage error. */
int rights_has(struct db *d, const struct user *u, enum right r, tb_err *err);

/* The front door: `username` (looked up afresh: a grant or a suspension
 * made meanwhile counts) asks for r about `subject` (may be NULL).  0 and
 * *out (may be NULL) when allowed; else TB_E_RIGHT_REFUSED with the right's
 * name, an audit row (right.refused) and, in granters (may be NULL), the
 * names of who can grant it. */
int rights_check(struct db *d, const char *username, enum right r, const char *subject,
		 struct user *out, char granters[RIGHTS_GRANTERS_MAX], tb_err *err);

/* The active users who can grant rights to `branch`'s users: its branch
 * admins, else the agency admins.  "" when nobody. */
int rights_granters(struct db *d, const char *branch, char out[RIGHTS_GRANTERS_MAX],
		    tb_err *err);

/* `actor` may use r on things of `branch` (the right, then the scope:
 * TB_E_RIGHT_BRANCH for another branch unless an agency admin).  No audit
 * row: the callers record their refusals with their own action. */
int rights_require(struct db *d, const char *actor, enum right r, const char *branch,
		   struct user *out, tb_err *err);

/* 0 when `actor` is an active branch or agency admin, else
 * TB_E_AUTH_NOT_ADMIN. */
int rights_require_admin(struct db *d, const char *actor, struct user *out, tb_err *err);

/* Before reading the audit trail: the audit right (refusal audited), then
 * f->branch set to the reader's branch (copied into branch) unless they
 * are an agency admin, who reads every branch. */
int rights_audit_scope(struct db *d, const char *actor, struct audit_filter *f,
		       char branch[USER_BRANCH_MAX + 1], tb_err *err);

/* `actor` gives (allow 1) or takes (0) r to `target`: the users right over
 * the target's branch, and only a right the actor holds.  Audited. */
int rights_grant(struct db *d, const char *actor, const char *target, enum right r, int allow,
		 tb_err *err);

/* The same rules as rights_grant, but the target's grant for r is dropped:
 * back to its role's default.  Audited when there was a grant; 0 either
 * way. */
int rights_reset(struct db *d, const char *actor, const char *target, enum right r, tb_err *err);

/* `actor` sets target's role: the users right over its branch, a role no
 * higher than the actor's own (and the target's no higher: else
 * TB_E_ROLE_ABOVE_OWN, the actor's role in its field), never leaving the
 * agency without an active agency admin.  Audited. */
int rights_set_role(struct db *d, const char *actor, const char *target, enum user_role role,
		    tb_err *err);

/* Under a refusal e of what `actor` tried on `target` (NULL: nobody; role:
 * the role given, or -1): who can do it, the actor left out.
 * RIGHT-REFUSED: who can grant the actor the right (rights_granters of
 * their branch); OTHER-BRANCH: the admins of the target's branch (the
 * agency admins when target is NULL);
 * ROLE-ABOVE-OWN: who may give that role to that user (the target's branch
 * admins up to branch admin, else the agency admins); NOT-ADMIN (an agency
 * admin's alone, as moving a user): the agency admins.  "" otherwise. */
int rights_who_can(struct db *d, const char *actor, const char *target, int role,
		   const tb_err *e, char out[RIGHTS_GRANTERS_MAX], tb_err *err);
/* `actor`, an agency admin, moves `target` into the existing `branch`
 * (TB_E_BRANCH_NO_SUCH otherwise): they log in at its terminals from then
 * on, their role and grants kept.  Audited (admin.move, service
 * "FROM>TO"), a refusal too. */
int rights_move(struct db *d, const char *actor, const char *target, const char *branch,
		tb_err *err);

/* What `username` holds, each right with where it comes from: fn(right,
 * held, granted: 1 given, 0 taken, -1 the role's default). */
int rights_list(struct db *d, const struct user *u,
		int (*fn)(enum right r, bool held, int granted, void *arg), void *arg, tb_err *err);

#endif
