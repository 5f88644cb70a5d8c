/* The branches' SQL. */
#include "config.h"

#include "storage/branches_db.h"
#include "storage/db_private.h"

static void row_to_branch(struct db_stmt *st, struct branch *b)
{
	db_col_copy(st, 0, b->code, sizeof b->code);
	db_col_copy(st, 1, b->name, sizeof b->name);
	db_col_copy(st, 2, b->created, sizeof b->created);
}

int branches_db_add(struct db *d, const struct branch *b, tb_err *err)
{
	struct db_stmt *st;
	int rc;

	if (db_stmt_prepare(d, "INSERT INTO branches (code, name, created) VALUES (?, ?, ?)", &st, err))
		return -1;
	db_bind_text(st, 1, b->code);
	db_bind_text(st, 2, b->name);
	db_bind_text(st, 3, b->created);
	rc = db_exec_stmt(st, err);
	if (rc == DB_CONFLICT)
		return err_set(err, TB_E_BRANCH_TAKEN, 0, "code");
	return rc ? -1 : 0;
}

int branches_db_rename(struct db *d, const char *code, const char *name, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "UPDATE branches SET name = ? WHERE code = ?", &st, err))
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, code);
	return db_exec_stmt(st, err) ? -1 : 0;
}

int branches_db_find(struct db *d, const char *code, struct branch *out, tb_err *err)
{
	struct db_stmt *st;
	int rc;

	if (db_stmt_prepare(d, "SELECT code, name, created FROM branches WHERE code = ?", &st, err))
		return -1;
	db_bind_text(st, 1, code);
	rc = db_step(st, err);
	if (rc == DB_ROW && out)
		row_to_branch(st, out);
	db_stmt_finish(&st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int branches_db_list(struct db *d, int (*fn)(const struct branch *b, void *arg), void *arg,
		     tb_err *err)
{
	struct db_stmt *st;
	struct branch b;
	int rc;

	if (db_stmt_prepare(d, "SELECT code, name, created FROM branches ORDER BY code", &st, err))
		return -1;
	while ((rc = db_step(st, err)) == DB_ROW) {
		row_to_branch(st, &b);
		if (fn(&b, arg)) {
			rc = DB_DONE;
			break;
		}
	}
	db_stmt_finish(&st);
	return rc == DB_DONE ? 0 : -1;
}

int branches_db_get(struct db *d, const char *branch, const char *key, char *out, size_t size,
		    tb_err *err)
{
	struct db_stmt *st;
	int rc;

	if (db_stmt_prepare(d, "SELECT value FROM branch_config WHERE branch = ? AND key = ?", &st, err))
		return -1;
	db_bind_text(st, 1, branch);
	db_bind_text(st, 2, key);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		db_col_copy(st, 0, out, size);
	db_stmt_finish(&st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int branches_db_set(struct db *d, const char *branch, const char *key, const char *value,
		    tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "INSERT INTO branch_config (branch, key, value) VALUES (?, ?, ?) "
		       "ON CONFLICT (branch, key) DO UPDATE SET value = excluded.value", &st, err))
		return -1;
	db_bind_text(st, 1, branch);
	db_bind_text(st, 2, key);
	db_bind_text(st, 3, value);
	return db_exec_stmt(st, err) ? -1 : 0;
}

int branches_db_purposes(struct db *d, const char *branch,
			 int (*fn)(const char *text, void *arg), void *arg, tb_err *err)
{
	struct db_stmt *st;
	int rc;

	if (db_stmt_prepare(d, "SELECT text FROM branch_purposes WHERE branch = ? ORDER BY pos",
			    &st, err))
		return -1;
	db_bind_text(st, 1, branch);
	while ((rc = db_step(st, err)) == DB_ROW)
		if (fn(db_col_text(st, 0), arg)) {
			rc = DB_DONE;
			break;
		}
	db_stmt_finish(&st);
	return rc == DB_DONE ? 0 : -1;
}

int branches_db_purposes_set(struct db *d, const char *branch, const char *const *texts,
			     size_t n, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "DELETE FROM branch_purposes WHERE branch = ?", &st, err))
		return -1;
	db_bind_text(st, 1, branch);
	if (db_exec_stmt(st, err))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (db_stmt_prepare(d, "INSERT INTO branch_purposes (branch, pos, text) VALUES (?, ?, ?)",
				    &st, err))
			return -1;
		db_bind_text(st, 1, branch);
		db_bind_int64(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, texts[i]);
		if (db_exec_stmt(st, err))
			return -1;
	}
	return 0;
}

int branches_db_users_in_role(struct db *d, const char *branch, const char *role,
			      int (*fn)(const char *username, void *arg), void *arg,
			      tb_err *err)
{
	struct db_stmt *st;
	int rc;

	if (db_stmt_prepare(d, "SELECT username FROM users WHERE status = 'active' AND role = ?1 "
			    "AND (?2 IS NULL OR branch = ?2) ORDER BY id", &st, err))
		return -1;
	db_bind_text(st, 1, role);
	if (branch)
		db_bind_text(st, 2, branch);
	else
		db_bind_null(st, 2);
	while ((rc = db_step(st, err)) == DB_ROW)
		if (fn(db_col_text(st, 0), arg)) {
			rc = DB_DONE;
			break;
		}
	db_stmt_finish(&st);
	return rc == DB_DONE ? 0 : -1;
}
