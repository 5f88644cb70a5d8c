/* The users table's SQL. */
#include "config.h"

#include "storage/users_db.h"
#include "storage/db_private.h"

#include <string.h>

static const char *const status_names[] = {
	[USER_PENDING] = "pending",
	[USER_ACTIVE] = "active",
	[USER_SUSPENDED] = "suspended",
	[USER_REJECTED] = "rejected",
};

const char *users_db_status_name(enum user_status s)
{
	return (unsigned)s < sizeof status_names / sizeof *status_names ? status_names[s] : "?";
}

int users_db_status_parse(const char *s)
{
	for (size_t i = 0; i < sizeof status_names / sizeof *status_names; i++)
		if (s && strcmp(s, status_names[i]) == 0)
			return (int)i;
	return -1;
}

static const char *const role_names[USER_ROLE_COUNT] = {
	[USER_OFFICER] = "officer",
	[USER_SUPERVISOR] = "supervisor",
	[USER_BRANCH_ADMIN] = "branch_admin",
	[USER_AGENCY_ADMIN] = "agency_admin",
};

const char *users_db_role_name(enum user_role r)
{
	return (unsigned)r < USER_ROLE_COUNT ? role_names[r] : "?";
}

int users_db_role_parse(const char *s)
{
	for (int i = 0; i < USER_ROLE_COUNT; i++)
		if (s && strcmp(s, role_names[i]) == 0)
			return i;
	return -1;
}

#define USER_COLUMNS "id, username, full_name, cid, position, role, status, created, " \
	"decided_by, decided_at, last_login, failures, locked_until, must_change, pwhash, branch"

static void row_to_user(struct db_stmt *st, struct user *u)
{
	int s, r;

	memset(u, 0, sizeof *u);
	u->id = db_col_int64(st, 0);
	db_col_copy(st, 1, u->username, sizeof u->username);
	db_col_copy(st, 2, u->full_name, sizeof u->full_name);
	db_col_copy(st, 3, u->cid, sizeof u->cid);
	db_col_copy(st, 4, u->position, sizeof u->position);
	/* An unknown role (an edit outside the program) is the least one. */
	r = users_db_role_parse(db_col_text(st, 5));
	u->role = r < 0 ? USER_OFFICER : (enum user_role)r;
	s = users_db_status_parse(db_col_text(st, 6));
	/* An unknown status (an edit outside the program) never lets anyone in. */
	u->status = s < 0 ? USER_SUSPENDED : (enum user_status)s;
	db_col_copy(st, 7, u->created, sizeof u->created);
	db_col_copy(st, 8, u->decided_by, sizeof u->decided_by);
	db_col_copy(st, 9, u->decided_at, sizeof u->decided_at);
	db_col_copy(st, 10, u->last_login, sizeof u->last_login);
	u->failures = (int)db_col_int64(st, 11);
	u->locked_until = db_col_int64(st, 12);
	u->must_change = db_col_int64(st, 13) != 0;
	db_col_copy(st, 15, u->branch, sizeof u->branch);
}

int users_db_insert(struct db *d, const struct user *u, const char *pwhash, int64_t *id,
		    tb_err *err)
{
	struct db_stmt *st;
	int rc;

	if (db_stmt_prepare(d, "INSERT INTO users (username, full_name, cid, position, pwhash, role, "
		       "status, created, decided_by, decided_at, must_change, branch) "
		       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &st, err))
		return -1;
	db_bind_text(st, 1, u->username);
	db_bind_text(st, 2, u->full_name);
	db_bind_text(st, 3, u->cid);
	db_bind_text(st, 4, u->position);
	db_bind_text(st, 5, pwhash);
	db_bind_text(st, 6, users_db_role_name(u->role));
	db_bind_text(st, 7, users_db_status_name(u->status));
	db_bind_text(st, 8, u->created);
	db_bind_text(st, 9, u->decided_by);
	db_bind_text(st, 10, u->decided_at);
	db_bind_int64(st, 11, u->must_change != 0);
	db_bind_text(st, 12, u->branch);
	rc = db_exec_id(st, id ? id : &(int64_t){ 0 }, err);
	if (rc == DB_CONFLICT)
		return err_set(err, TB_E_AUTH_TAKEN, 0, "username");
	return rc ? -1 : 0;
}

int users_db_find(struct db *d, const char *username, struct user *out, char *pwhash,
		  size_t pwsize, tb_err *err)
{
	struct db_stmt *st;
	int rc;

	if (db_stmt_prepare(d, "SELECT " USER_COLUMNS " FROM users WHERE username = ?", &st, err))
		return -1;
	db_bind_text(st, 1, username);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		row_to_user(st, out);
		if (pwhash)
			db_col_copy(st, 14, pwhash, pwsize);
	}
	db_stmt_finish(&st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int users_db_list(struct db *d, int status, int (*fn)(const struct user *u, void *arg),
		  void *arg, tb_err *err)
{
	struct db_stmt *st;
	struct user u;
	int rc;

	if (db_stmt_prepare(d, "SELECT " USER_COLUMNS " FROM users "
		       "WHERE ?1 IS NULL OR status = ?1 ORDER BY id", &st, err))
		return -1;
	if (status >= 0)
		db_bind_text(st, 1, users_db_status_name((enum user_status)status));
	while ((rc = db_step(st, err)) == DB_ROW) {
		row_to_user(st, &u);
		if (fn(&u, arg)) {
			rc = DB_DONE;
			break;
		}
	}
	db_stmt_finish(&st);
	return rc == DB_DONE ? 0 : -1;
}

/* Runs an UPDATE of one row by id whose first parameters are already bound;
 * the id is bound last, at index `id_at`. */
static int update_one(struct db_stmt *st, int id_at, int64_t id, tb_err *err)
{
	db_bind_int64(st, id_at, id);
	return db_exec_stmt(st, err) ? -1 : 0;
}

int users_db_set_status(struct db *d, int64_t id, enum user_status s, const char *by,
			const char *when, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "UPDATE users SET status = ?, decided_by = ?, decided_at = ? "
		       "WHERE id = ?", &st, err))
		return -1;
	db_bind_text(st, 1, users_db_status_name(s));
	db_bind_text(st, 2, by);
	db_bind_text(st, 3, when);
	return update_one(st, 4, id, err);
}

int users_db_set_role(struct db *d, int64_t id, enum user_role r, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "UPDATE users SET role = ? WHERE id = ?", &st, err))
		return -1;
	db_bind_text(st, 1, users_db_role_name(r));
	return update_one(st, 2, id, err);
}

int users_db_set_branch(struct db *d, int64_t id, const char *branch, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "UPDATE users SET branch = ? WHERE id = ?", &st, err))
		return -1;
	db_bind_text(st, 1, branch);
	return update_one(st, 2, id, err);
}

int users_db_set_password(struct db *d, int64_t id, const char *pwhash, int must_change,
			  tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "UPDATE users SET pwhash = ?, must_change = ?, failures = 0, "
		       "locked_until = 0 WHERE id = ?", &st, err))
		return -1;
	db_bind_text(st, 1, pwhash);
	db_bind_int64(st, 2, must_change != 0);
	return update_one(st, 3, id, err);
}

int users_db_set_failures(struct db *d, int64_t id, int failures, int64_t locked_until,
			  tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "UPDATE users SET failures = ?, locked_until = ? WHERE id = ?", &st, err))
		return -1;
	db_bind_int64(st, 1, failures);
	db_bind_int64(st, 2, locked_until);
	return update_one(st, 3, id, err);
}

int users_db_set_login(struct db *d, int64_t id, const char *when, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "UPDATE users SET last_login = ?, failures = 0, locked_until = 0 "
		       "WHERE id = ?", &st, err))
		return -1;
	db_bind_text(st, 1, when);
	return update_one(st, 2, id, err);
}

int users_db_count_admins(struct db *d, tb_err *err)
{
	struct db_stmt *st;
	int rc, n = -1;

	if (db_stmt_prepare(d, "SELECT count(*) FROM users WHERE role = 'agency_admin' AND status = 'active'",
		       &st, err))
		return -1;
	rc = db_step(st, err);
	if (rc == DB_ROW)
		n = (int)db_col_int64(st, 0);
	else if (rc == DB_DONE)
		err_set(err, TB_E_STORE, 0, "count");
	db_stmt_finish(&st);
	return n;
}
