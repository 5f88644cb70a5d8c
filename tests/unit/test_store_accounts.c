/* Accounts against a real SQLite file: registration, approval, lock-out,
 * the admin rules, fields validated; hostile text in every field stored
 * as it was typed. */
#include "config.h"

#include "tests/unit/store_fixture.h"
#include "storage/grants_db.h"

static const char *const hostile[] = {
	"'); DROP TABLE users;--",
	"\" OR 1=1 --",
	"นางสาวมาลี ใจดี ๑๒๓",
};

/* --- accounts ------------------------------------------------------------------- */

static void registration_needs_approval(void **state)
{
	struct fixture *f = *state;
	struct user u;
	tb_err err = { 0 };
	char msg[512];

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	assert_int_equal(register_user(f, "staff.a", STAFF_PW, &err), 0);
	assert_int_equal(users_get(f->d, "staff.a", &u, &err), 0);
	assert_int_equal(u.status, USER_PENDING);
	assert_int_equal(u.role, USER_OFFICER);
	assert_int_equal(register_user(f, "staff.a", STAFF_PW, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_TAKEN);

	assert_int_equal(users_login(f->d, "staff.a", STAFF_PW, &u, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_PENDING);
	err_format(&err, TB_LANG_TH, msg, sizeof msg);
	assert_non_null(strstr(msg, "รอผู้ดูแลระบบของหน่วยงานอนุมัติ"));
	err_format(&err, TB_LANG_EN, msg, sizeof msg);
	assert_non_null(strstr(msg, "waiting for your agency's admin"));
	/* A wrong password says nothing about the account's status. */
	assert_int_equal(login_err(f, "staff.a", "not-the-password", NULL), TB_E_AUTH_WRONG);

	assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, "staff.a", &err), 0);
	assert_int_equal(users_login(f->d, "staff.a", STAFF_PW, &u, &err), 0);
	assert_int_equal(u.status, USER_ACTIVE);
	assert_string_equal(u.decided_by, ADMIN);
	assert_string_equal(u.last_login, "2023-11-14T22:13:20Z");
	assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, "staff.a", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_STATE);
}

static void rejected_then_approved(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	assert_int_equal(register_user(f, "staff.a", STAFF_PW, &err), 0);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_REJECT, "staff.a", &err), 0);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_E_AUTH_REJECTED);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_SUSPEND, "staff.a", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_STATE);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, "staff.a", &err), 0);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_OK);
}

static void suspended_is_not_authorised(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	assert_int_equal(users_admin(f->d, ADMIN, USERS_SUSPEND, "staff.a", &err), 0);
	assert_int_equal(users_login(f->d, "staff.a", STAFF_PW, NULL, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_SUSPENDED);
	assert_string_equal(err_message(err.id, TB_LANG_TH), "ท่านไม่ได้รับสิทธิ์เข้าใช้งานระบบ");
	assert_string_equal(err_message(err.id, TB_LANG_EN), "You are not authorised to use the system");
	assert_int_equal(users_admin(f->d, ADMIN, USERS_REINSTATE, "staff.a", &err), 0);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_OK);
}

static int same_err(const tb_err *a, const tb_err *b)
{
	return a->id == b->id && a->detail == b->detail &&
	       (a->field == b->field || (a->field && b->field && strcmp(a->field, b->field) == 0));
}

static void unknown_user_and_wrong_password_look_alike(void **state)
{
	struct fixture *f = *state;
	tb_err a = { 0 }, b = { 0 };
	char ma[512], mb[512];

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	assert_int_equal(users_login(f->d, "staff.a", "wrong-password", NULL, &a), -1);
	assert_int_equal(users_login(f->d, "nobody.here", "wrong-password", NULL, &b), -1);
	assert_int_equal(a.id, TB_E_AUTH_WRONG);
	assert_true(same_err(&a, &b));
	for (int lang = TB_LANG_EN; lang <= TB_LANG_TH; lang++) {
		err_format(&a, lang, ma, sizeof ma);
		err_format(&b, lang, mb, sizeof mb);
		assert_string_equal(ma, mb);
	}
	/* Also for names that could never exist. */
	assert_int_equal(users_login(f->d, hostile[0], "wrong-password", NULL, &b), -1);
	assert_true(same_err(&a, &b));
	assert_int_equal(users_login(f->d, "", "", NULL, &b), -1);
	assert_true(same_err(&a, &b));
}

static void lock_out_backs_off_and_survives_restart(void **state)
{
	struct fixture *f = *state;
	long detail = 0;

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	for (int i = 1; i < USERS_LOCK_AFTER; i++)
		assert_int_equal(login_err(f, "staff.a", "wrong-password", NULL), TB_E_AUTH_WRONG);
	assert_int_equal(login_err(f, "staff.a", "wrong-password", &detail), TB_E_AUTH_LOCKED);
	assert_int_equal(detail, USERS_LOCK_FIRST_S);
	/* Locked: even the right password waits, and nothing is counted. */
	f->now += 10;
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, &detail), TB_E_AUTH_LOCKED);
	assert_int_equal(detail, USERS_LOCK_FIRST_S - 10);

	/* The lock is in the database: a restart does not lift it. */
	db_close(&f->d);
	f->d = open_ok(f, 0);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, &detail), TB_E_AUTH_LOCKED);
	assert_int_equal(detail, USERS_LOCK_FIRST_S - 10);

	f->now += USERS_LOCK_FIRST_S;
	assert_int_equal(login_err(f, "staff.a", "wrong-password", &detail), TB_E_AUTH_LOCKED);
	assert_int_equal(detail, 2 * USERS_LOCK_FIRST_S);
	f->now += 2 * USERS_LOCK_FIRST_S;
	assert_int_equal(login_err(f, "staff.a", "wrong-password", &detail), TB_E_AUTH_LOCKED);
	assert_int_equal(detail, 4 * USERS_LOCK_FIRST_S);
	/* Capped. */
	for (int i = 0; i < 10; i++) {
		f->now += USERS_LOCK_MAX_S;
		assert_int_equal(login_err(f, "staff.a", "wrong-password", &detail), TB_E_AUTH_LOCKED);
	}
	assert_int_equal(detail, USERS_LOCK_MAX_S);
	f->now += USERS_LOCK_MAX_S;
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_OK);
	/* A good login starts the count again. */
	assert_int_equal(login_err(f, "staff.a", "wrong-password", NULL), TB_E_AUTH_WRONG);
	/* A clock set back a day does not turn a lock into a day's lock. */
	for (int i = 1; i < USERS_LOCK_AFTER; i++)
		login_err(f, "staff.a", "wrong-password", NULL);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_E_AUTH_LOCKED);
	f->now -= 86400;
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_OK);
}

static void admin_reset_unlocks_and_forces_a_change(void **state)
{
	struct fixture *f = *state;
	char temp[USERS_TEMP_PASSWORD_LEN + 1];
	struct user u;
	tb_err err = { 0 };

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	for (int i = 0; i < USERS_LOCK_AFTER; i++)
		login_err(f, "staff.a", "wrong-password", NULL);
	assert_int_equal(users_reset_password(f->d, "staff.a", "staff.a", NULL, temp, sizeof temp, &err), -1);
	assert_int_equal(err.id, TB_E_RIGHT_REFUSED);
	assert_int_equal(users_reset_password(f->d, ADMIN, "staff.a", NULL, temp, sizeof temp, &err), 0);
	assert_int_equal(strlen(temp), USERS_TEMP_PASSWORD_LEN);
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_E_AUTH_WRONG);
	assert_int_equal(users_login(f->d, "staff.a", temp, &u, &err), 0);
	assert_true(u.must_change);
	assert_int_equal(users_change_password(f->d, "staff.a", temp, "short", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_PASSWORD_SHORT);
	assert_int_equal(err.detail, USERS_PASSWORD_MIN);
	assert_int_equal(users_change_password(f->d, "staff.a", temp, "a-new-password", &err), 0);
	assert_int_equal(users_login(f->d, "staff.a", "a-new-password", &u, &err), 0);
	assert_false(u.must_change);
}

static void last_admin_is_protected(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	assert_int_equal(users_admin(f->d, ADMIN, USERS_SUSPEND, ADMIN, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_LAST_ADMIN);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_REMOVE_ADMIN, ADMIN, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_LAST_ADMIN);

	assert_int_equal(users_admin(f->d, ADMIN, USERS_MAKE_ADMIN, "staff.a", &err), 0);
	/* A branch admin does not demote an agency admin. */
	assert_int_equal(users_admin(f->d, "staff.a", USERS_REMOVE_ADMIN, ADMIN, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_NOT_ADMIN);
	assert_int_equal(rights_set_role(f->d, ADMIN, "staff.a", USER_AGENCY_ADMIN, &err), 0);
	assert_int_equal(users_admin(f->d, "staff.a", USERS_REMOVE_ADMIN, ADMIN, &err), 0);
	/* Now staff.a is the only one. */
	assert_int_equal(users_admin(f->d, "staff.a", USERS_SUSPEND, "staff.a", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_LAST_ADMIN);
	assert_int_equal(users_admin(f->d, "staff.a", USERS_REMOVE_ADMIN, "staff.a", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_LAST_ADMIN);
	/* A suspended admin does not count as one. */
	assert_int_equal(rights_set_role(f->d, "staff.a", ADMIN, USER_AGENCY_ADMIN, &err), 0);
	assert_int_equal(users_admin(f->d, "staff.a", USERS_SUSPEND, ADMIN, &err), 0);
	assert_int_equal(users_admin(f->d, "staff.a", USERS_SUSPEND, "staff.a", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_LAST_ADMIN);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_REINSTATE, ADMIN, &err), -1);
	assert_int_equal(err.id, TB_E_RIGHT_REFUSED);
}

static int count_result(const struct audit_row *r, void *arg)
{
	if (strcmp(r->result, "RIGHT-REFUSED") == 0 && strcmp(r->subject, "staff.b") == 0)
		(*(int *)arg)++;
	return 0;
}

static void only_admins_act(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };
	int refused = 0;

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	assert_int_equal(register_user(f, "staff.b", STAFF_PW, &err), 0);
	for (int a = 0; a < USERS_ACTION_COUNT; a++) {
		assert_int_equal(users_admin(f->d, "staff.a", a, "staff.b", &err), -1);
		assert_int_equal(err.id, TB_E_RIGHT_REFUSED);
	}
	assert_int_equal(users_admin(f->d, "no.such.admin", USERS_APPROVE, "staff.b", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_NO_USER);
	assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, "no.such.user", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_NO_USER);
	/* The attempts are on record. */
	assert_int_equal(audit_query(f->d, NULL, count_result, &refused, &err), 0);
	assert_int_equal(refused, USERS_ACTION_COUNT);
	assert_int_equal(login_err(f, "staff.b", STAFF_PW, NULL), TB_E_AUTH_PENDING);
}

/* arg: the resets done and refused. */
static int count_resets(const struct audit_row *r, void *arg)
{
	int *n = arg;

	if (strcmp(r->action, AUDIT_ADMIN_RESET_RIGHT) == 0 && strcmp(r->subject, "staff.a") == 0)
		n[strcmp(r->result, "OK") != 0]++;
	return 0;
}

/* A grant or a revocation reset: back to the role's default, audited once,
 * by who may grant the right only (a refusal on record too). */
static void grant_reset_to_role(void **state)
{
	struct fixture *f = *state;
	struct user u;
	tb_err err = { 0 };
	int allow, resets[2] = { 0 };   /* done, refused */

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	assert_int_equal(users_get(f->d, "staff.a", &u, &err), 0);
	assert_int_equal(rights_grant(f->d, ADMIN, "staff.a", RIGHT_AUDIT, 1, &err), 0);
	assert_int_equal(rights_grant(f->d, ADMIN, "staff.a", RIGHT_HOUSEHOLD, 0, &err), 0);
	assert_int_equal(rights_has(f->d, &u, RIGHT_AUDIT, &err), 1);
	assert_int_equal(rights_has(f->d, &u, RIGHT_HOUSEHOLD, &err), 0);
	/* An officer may not reset anyone's rights, nor their own. */
	assert_int_equal(rights_reset(f->d, "staff.a", "staff.a", RIGHT_HOUSEHOLD, &err), -1);
	assert_int_equal(err.id, TB_E_RIGHT_REFUSED);
	assert_int_equal(rights_has(f->d, &u, RIGHT_HOUSEHOLD, &err), 0);

	assert_int_equal(rights_reset(f->d, ADMIN, "staff.a", RIGHT_AUDIT, &err), 0);
	assert_int_equal(rights_reset(f->d, ADMIN, "staff.a", RIGHT_HOUSEHOLD, &err), 0);
	assert_int_equal(rights_has(f->d, &u, RIGHT_AUDIT, &err), 0);
	assert_int_equal(rights_has(f->d, &u, RIGHT_HOUSEHOLD, &err), 1);
	assert_int_equal(grants_db_get(f->d, u.id, "audit", &allow, &err), 0);
	/* Nothing left to reset: no change, no row. */
	assert_int_equal(rights_reset(f->d, ADMIN, "staff.a", RIGHT_AUDIT, &err), 0);
	assert_int_equal(audit_query(f->d, NULL, count_resets, resets, &err), 0);
	assert_int_equal(resets[0], 2);
	assert_int_equal(resets[1], 1);
}

static int count_above_own(const struct audit_row *r, void *arg)
{
	if (strcmp(r->action, AUDIT_ADMIN_ROLE) == 0 && strcmp(r->result, "ROLE-ABOVE-OWN") == 0)
		(*(int *)arg)++;
	return 0;
}

/* No one gives a role above their own nor touches a user above them:
 * ROLE-ABOVE-OWN with their role named, on record, and who can do it
 * instead; a refused right names who can grant it, never the one asking. */
static void role_above_own_says_who_can(void **state)
{
	struct fixture *f = *state;
	char names[RIGHTS_GRANTERS_MAX];
	tb_err err = { 0 };
	struct user u;
	int above = 0;

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	add_active(f, "staff.b");
	add_active(f, "staff.c");
	assert_int_equal(rights_set_role(f->d, ADMIN, "staff.a", USER_BRANCH_ADMIN, &err), 0);
	assert_int_equal(rights_set_role(f->d, "staff.a", "staff.b", USER_AGENCY_ADMIN, &err), -1);
	assert_int_equal(err.id, TB_E_ROLE_ABOVE_OWN);
	assert_string_equal(err.field, "branch-admin");
	assert_int_equal(rights_who_can(f->d, "staff.a", "staff.b", USER_AGENCY_ADMIN, &err, names,
					&(tb_err){ 0 }), 0);
	assert_string_equal(names, ADMIN);
	/* The agency admin is above the branch admin. */
	assert_int_equal(rights_set_role(f->d, "staff.a", ADMIN, USER_OFFICER, &err), -1);
	assert_int_equal(err.id, TB_E_ROLE_ABOVE_OWN);
	/* A supervisor given the users right: up to supervisor; the branch
	 * admin gives branch admin. */
	assert_int_equal(rights_set_role(f->d, "staff.a", "staff.b", USER_SUPERVISOR, &err), 0);
	assert_int_equal(rights_grant(f->d, "staff.a", "staff.b", RIGHT_USERS, 1, &err), 0);
	assert_int_equal(rights_set_role(f->d, "staff.b", "staff.c", USER_SUPERVISOR, &err), 0);
	assert_int_equal(rights_set_role(f->d, "staff.b", "staff.c", USER_BRANCH_ADMIN, &err), -1);
	assert_int_equal(err.id, TB_E_ROLE_ABOVE_OWN);
	assert_string_equal(err.field, "supervisor");
	assert_int_equal(rights_who_can(f->d, "staff.b", "staff.c", USER_BRANCH_ADMIN, &err, names,
					&(tb_err){ 0 }), 0);
	assert_string_equal(names, "staff.a");
	assert_int_equal(users_get(f->d, "staff.c", &u, &err), 0);
	assert_int_equal(u.role, USER_SUPERVISOR);
	assert_int_equal(audit_query(f->d, NULL, count_above_own, &above, &err), 0);
	assert_int_equal(above, 3);
	/* The branch admin refused a right is told of the agency admin, not
	 * of themselves. */
	assert_int_equal(rights_grant(f->d, ADMIN, "staff.a", RIGHT_COPIES, 0, &err), 0);
	assert_int_equal(rights_check(f->d, "staff.a", RIGHT_COPIES, NULL, NULL, names, &err), -1);
	assert_int_equal(err.id, TB_E_RIGHT_REFUSED);
	assert_string_equal(names, ADMIN);
	/* Any other error: nobody to name. */
	err_set(&err, TB_E_AUTH_LAST_ADMIN, 0, NULL);
	assert_int_equal(rights_who_can(f->d, "staff.a", "staff.b", -1, &err, names, &(tb_err){ 0 }), 0);
	assert_string_equal(names, "");
}

static int count_other_branch(const struct audit_row *r, void *arg)
{
	if (strcmp(r->action, AUDIT_USER_LOGIN_FAILED) == 0 && strcmp(r->result, "AUTH-OTHER-BRANCH") == 0 &&
	    strcmp(r->username, "staff.a") == 0 && strcmp(r->subject, "BR-01") == 0 &&
	    strcmp(r->branch, "BR-02") == 0)
		(*(int *)arg)++;
	return 0;
}

/* A terminal of another branch refuses the account once the password is
 * right, without counting it as a failure; an agency admin logs in
 * anywhere. */
static void other_branch_terminal_is_refused(void **state)
{
	struct fixture *f = *state;
	struct user u;
	tb_err err = { 0 };
	int refused = 0;

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	assert_int_equal(settings_branch_add(f->d, ADMIN, "BR-02", "สาขาสอง", &err), 0);
	db_set_branch(f->d, "BR-02");
	for (int i = 0; i < USERS_LOCK_AFTER + 2; i++)
		assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_E_AUTH_OTHER_BRANCH);
	/* A wrong password is a wrong password: the branch tells nothing. */
	assert_int_equal(login_err(f, "staff.a", "wrong-password", NULL), TB_E_AUTH_WRONG);
	assert_int_equal(login_err(f, ADMIN, ADMIN_PW, NULL), TB_OK);
	assert_int_equal(audit_query(f->d, NULL, count_other_branch, &refused, &err), 0);
	assert_int_equal(refused, USERS_LOCK_AFTER + 2);
	assert_int_equal(users_get(f->d, "staff.a", &u, &err), 0);
	assert_int_equal(u.failures, 1);
	assert_int_equal(u.locked_until, 0);
	/* At their own branch's terminal, and at one naming no branch (the
	 * default one, theirs), as before. */
	db_set_branch(f->d, "BR-01");
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_OK);
	db_set_branch(f->d, "");
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_OK);
}

static int count_moves(const struct audit_row *r, void *arg)
{
	int *n = arg;

	if (strcmp(r->action, AUDIT_ADMIN_MOVE) == 0 && strcmp(r->subject, "staff.a") == 0)
		n[strcmp(r->result, "OK") == 0 && strcmp(r->service, "BR-01>BR-02") == 0 ? 0 : 1]++;
	return 0;
}

/* Only an agency admin moves a user, into a branch that exists. */
static void agency_admin_moves_a_user(void **state)
{
	struct fixture *f = *state;
	struct user u;
	tb_err err = { 0 };
	int moves[2] = { 0, 0 };
	char names[RIGHTS_GRANTERS_MAX];

	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);
	add_active(f, "staff.a");
	add_active(f, "staff.c");
	assert_int_equal(settings_branch_add(f->d, ADMIN, "BR-02", "สาขาสอง", &err), 0);
	assert_int_equal(rights_move(f->d, "staff.a", "staff.a", "BR-02", &err), -1);
	assert_int_equal(err.id, TB_E_RIGHT_REFUSED);
	assert_int_equal(rights_set_role(f->d, ADMIN, "staff.c", USER_BRANCH_ADMIN, &err), 0);
	assert_int_equal(rights_move(f->d, "staff.c", "staff.a", "BR-02", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_NOT_ADMIN);
	/* Who can: the agency's admins, never the branch admin refused. */
	assert_int_equal(rights_who_can(f->d, "staff.c", "staff.a", -1, &err, names, &(tb_err){ 0 }), 0);
	assert_string_equal(names, ADMIN);
	assert_int_equal(rights_move(f->d, ADMIN, "staff.a", "BR-99", &err), -1);
	assert_int_equal(err.id, TB_E_BRANCH_NO_SUCH);
	assert_int_equal(rights_move(f->d, ADMIN, "no.such.user", "BR-02", &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_NO_USER);
	assert_int_equal(rights_move(f->d, ADMIN, "staff.a", "BR-02", &err), 0);
	assert_int_equal(users_get(f->d, "staff.a", &u, &err), 0);
	assert_string_equal(u.branch, "BR-02");
	assert_int_equal(u.role, USER_OFFICER);
	/* Now a user of BR-02's terminals, and no longer of BR-01's. */
	db_set_branch(f->d, "BR-02");
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_OK);
	db_set_branch(f->d, "BR-01");
	assert_int_equal(login_err(f, "staff.a", STAFF_PW, NULL), TB_E_AUTH_OTHER_BRANCH);
	assert_int_equal(audit_query(f->d, NULL, count_moves, moves, &err), 0);
	assert_int_equal(moves[0], 1);
	assert_int_equal(moves[1], 2);   /* the two refused for want of a right */
}

static void fields_are_validated(void **state)
{
	char cid[14], bad_cid[14];
	tb_err err = { 0 };
	struct {
		const char *user, *name, *cid, *pos, *pw, *field;
		enum tb_err_id id;
	} cases[] = {
		{ "ab", "ชื่อ", cid, "ตำแหน่ง", STAFF_PW, "username", TB_E_AUTH_INVALID },
		{ "Upper", "ชื่อ", cid, "ตำแหน่ง", STAFF_PW, "username", TB_E_AUTH_INVALID },
		{ "abcdefghijklmnopqrstuvwxyz0123456", "ชื่อ", cid, "ตำแหน่ง", STAFF_PW, "username", TB_E_AUTH_INVALID },
		{ "ok.user", "", cid, "ตำแหน่ง", STAFF_PW, "full_name", TB_E_AUTH_INVALID },
		{ "ok.user", "   ", cid, "ตำแหน่ง", STAFF_PW, "full_name", TB_E_AUTH_INVALID },
		{ "ok.user", "bell\a", cid, "ตำแหน่ง", STAFF_PW, "full_name", TB_E_AUTH_INVALID },
		{ "ok.user", "esc\x1b[2J", cid, "ตำแหน่ง", STAFF_PW, "full_name", TB_E_AUTH_INVALID },
		{ "ok.user", "rtl\xe2\x80\xaeoverride", cid, "ตำแหน่ง", STAFF_PW, "full_name", TB_E_AUTH_INVALID },
		{ "ok.user", "bad\xff utf8", cid, "ตำแหน่ง", STAFF_PW, "full_name", TB_E_AUTH_INVALID },
		{ "ok.user", "ชื่อ", bad_cid, "ตำแหน่ง", STAFF_PW, "cid", TB_E_AUTH_INVALID },
		{ "ok.user", "ชื่อ", "123", "ตำแหน่ง", STAFF_PW, "cid", TB_E_AUTH_INVALID },
		{ "ok.user", "ชื่อ", cid, "", STAFF_PW, "position", TB_E_AUTH_INVALID },
		{ "ok.user", "ชื่อ", cid, "ตำแหน่ง", "123456789", "password", TB_E_AUTH_PASSWORD_SHORT },
	};

	make_cid("110170020345", cid);
	snprintf(bad_cid, sizeof bad_cid, "%s", cid);
	bad_cid[12] = bad_cid[12] == '9' ? '0' : (char)(bad_cid[12] + 1);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		err_clear(&err);
		assert_int_equal(users_validate(&(struct user_new){ .username = cases[i].user,
				 .full_name = cases[i].name, .cid = cases[i].cid,
				 .position = cases[i].pos, .password = cases[i].pw }, &err), -1);
		assert_int_equal(err.id, cases[i].id);
		assert_string_equal(err.field, cases[i].field);
	}
	/* Ten Thai characters are ten characters, though thirty bytes. */
	assert_int_equal(users_validate(&(struct user_new){ .username = "a.b-c_9", .full_name = "ก",
			 .cid = cid, .position = "ข", .password = "กขคงจฉชซฌญ" }, &err), 0);
	assert_int_equal(users_utf8_chars("กขค abc"), 7);
	assert_int_equal(users_utf8_chars("\xc0\x80"), -1);
}

/* --- hostile text ------------------------------------------------------------------- */

static int row_copy(const struct audit_row *r, void *arg)
{
	char **out = arg;
	free(*out);
	*out = strdup(r->purpose);
	return 0;
}

static void injection_is_stored_verbatim(void **state)
{
	struct fixture *f = *state;
	char long_text[1001], cid[14];
	struct branch_settings *b = calloc(1, sizeof *b), *got = calloc(1, sizeof *got);
	struct session *s = calloc(1, sizeof *s);
	struct user_settings us;
	struct user u;
	struct audit_check chk;
	tb_err err = { 0 };

	assert_non_null(b);
	assert_non_null(got);
	assert_non_null(s);
	memset(long_text, 'x', 1000);
	long_text[1000] = '\0';
	make_cid("310050012345", cid);
	f->d = open_ok(f, DB_OPEN_CREATE);
	init_branch(f);

	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		const char *h = hostile[i];
		char name[16], *back = NULL;
		struct audit_filter q = { .subject = h };

		/* Names and positions: stored and read back byte for byte. */
		snprintf(name, sizeof name, "user.%zu", i);
		assert_int_equal(users_register(f->d, &(struct user_new){ .username = name,
				 .full_name = h, .cid = cid, .position = h, .password = h }, &err), 0);
		assert_int_equal(users_get(f->d, name, &u, &err), 0);
		assert_string_equal(u.full_name, h);
		assert_string_equal(u.position, h);
		assert_int_equal(users_admin(f->d, ADMIN, USERS_APPROVE, name, &err), 0);
		/* As a password. */
		assert_int_equal(login_err(f, name, h, NULL), TB_OK);
		/* As a username: not a valid one, so refused, and nothing else. */
		assert_int_equal(users_register(f->d, &(struct user_new){ .username = h,
				 .full_name = "x", .cid = cid, .position = "x", .password = STAFF_PW }, &err), -1);
		assert_int_equal(err.id, TB_E_AUTH_INVALID);
		assert_int_equal(login_err(f, h, h, NULL), TB_E_AUTH_WRONG);
		assert_int_equal(users_get(f->d, h, &u, &err), -1);

		/* Branch settings. */
		branch_fill(b);
		snprintf(b->agency, sizeof b->agency, "%s", h);
		snprintf(b->name, sizeof b->name, "%s", h);
		snprintf(b->purposes[0], sizeof b->purposes[0], "%s", h);
		assert_int_equal(settings_branch_set(f->d, ADMIN, b, &err), 0);
		assert_int_equal(settings_branch_get(f->d, got, &err), 0);
		assert_string_equal(got->agency, h);
		assert_string_equal(got->name, h);
		assert_string_equal(got->purposes[0], h);
		snprintf(b->code, sizeof b->code, "%.*s", (int)sizeof b->code - 1, h);
		assert_int_equal(settings_branch_set(f->d, ADMIN, b, &err), -1);
		assert_int_equal(err.id, TB_E_AUTH_INVALID);

		/* Every audit field, and a search by one. */
		assert_int_equal(audit_append(f->d, &(struct audit_entry){ .username = h, .action = h,
				 .service = h, .subject = h, .purpose = h, .result = h }, &err), 0);
		assert_int_equal(audit_query(f->d, &q, row_copy, &back, &err), 0);
		assert_non_null(back);
		assert_string_equal(back, h);
		free(back);

		/* Session state; user settings refuse what is not a name. */
		assert_int_equal(users_get(f->d, name, &u, &err), 0);
		assert_int_equal(session_start(f->d, &u, s, &err), 0);
		assert_int_equal(session_save_state(f->d, s->id, h, &err), 0);
		assert_int_equal(session_get(f->d, s->id, s, &err), 0);
		assert_string_equal(s->state, h);
		assert_int_equal(settings_user_set(f->d, u.id, &(struct user_settings){ .theme = "x",
				 .default_pane = "card" }, &err), 0);
		us = (struct user_settings){ .default_pane = "card" };
		snprintf(us.theme, sizeof us.theme, "%s", h);
		assert_int_equal(settings_user_set(f->d, u.id, &us, &err), -1);
		assert_int_equal(err.id, TB_E_AUTH_INVALID);
	}

	/* 1000 characters: too long for a name, kept whole where text may be long. */
	assert_int_equal(users_register(f->d, &(struct user_new){ .username = "long.name",
			 .full_name = long_text, .cid = cid, .position = "x", .password = STAFF_PW }, &err), -1);
	assert_int_equal(err.id, TB_E_AUTH_INVALID);
	assert_string_equal(err.field, "full_name");
	assert_int_equal(users_register(f->d, &(struct user_new){ .username = "long.name",
			 .full_name = "x", .cid = cid, .position = long_text, .password = STAFF_PW }, &err), -1);
	assert_string_equal(err.field, "position");
	branch_fill(b);
	/* (the agency's field holds 200 characters: 300 do not pass) */
	memset(b->agency, 'x', 300);
	b->agency[300] = '\0';
	assert_int_equal(settings_branch_set(f->d, ADMIN, b, &err), -1);
	assert_string_equal(err.field, "agency");
	{
		char *back = NULL;
		struct audit_filter q = { .subject = long_text };
		assert_int_equal(audit_append(f->d, &(struct audit_entry){ .username = long_text,
				 .subject = long_text, .purpose = long_text, .result = long_text }, &err), 0);
		assert_int_equal(audit_query(f->d, &q, row_copy, &back, &err), 0);
		assert_non_null(back);
		assert_string_equal(back, long_text);
		free(back);
	}
	assert_int_equal(session_save_state(f->d, s->id, long_text, &err), 0);
	assert_int_equal(session_get(f->d, s->id, s, &err), 0);
	assert_string_equal(s->state, long_text);
	/* A password of 1000 characters is fine too. */
	assert_int_equal(users_register(f->d, &(struct user_new){ .username = "long.pw",
			 .full_name = "x", .cid = cid, .position = "x", .password = long_text }, &err), 0);

	/* Harmless: every table is there and the chain holds. */
	db_close(&f->d);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM users"), 5);
	assert_true(raw_int(f->path, "SELECT count(*) FROM audit") > 10);
	assert_int_equal(raw_int(f->path, on_server()
				 ? "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
				 : "SELECT count(*) FROM sqlite_master WHERE type = 'table'"),
			 on_server() ? 13 : 12);
	f->d = open_ok(f, 0);
	assert_int_equal(audit_verify(f->d, &chk, &err), 0);
	free(b);
	free(got);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(registration_needs_approval),
		T(rejected_then_approved),
		T(suspended_is_not_authorised),
		T(unknown_user_and_wrong_password_look_alike),
		T(lock_out_backs_off_and_survives_restart),
		T(admin_reset_unlocks_and_forces_a_change),
		T(last_admin_is_protected),
		T(only_admins_act),
		T(grant_reset_to_role),
		T(role_above_own_says_who_can),
		T(other_branch_terminal_is_refused),
		T(agency_admin_moves_a_user),
		T(fields_are_validated),
		T(injection_is_stored_verbatim),
#undef T
	};

	store_env();
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
