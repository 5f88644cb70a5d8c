/* The audit table's SQL. */
#include "config.h"

#include "storage/audit_db.h"
#include "storage/db_private.h"

#include <stdint.h>

int audit_db_head(struct db *d, const char *chain, int64_t *seq, char hash[AUDIT_HASH_HEX + 1],
		  tb_err *err)
{
	struct db_stmt *st;
	int rc;

	*seq = 0;
	hash[0] = '\0';
	/* In a transaction (a seal) no writer of the chain moves it meanwhile. */
	if (db_lock_chain(d, chain, err) ||
	    db_stmt_prepare(d, "SELECT seq, hash FROM audit_heads WHERE chain = ?", &st, err))
		return -1;
	db_bind_text(st, 1, chain);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		*seq = db_col_int64(st, 0);
		db_col_copy(st, 1, hash, AUDIT_HASH_HEX + 1);
	}
	db_stmt_finish(&st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int audit_db_next(struct db *d, const char *chain, int64_t *seq,
		  char hash[AUDIT_HASH_HEX + 1], tb_err *err)
{
	struct db_stmt *st;
	int rc;

	*seq = 0;
	hash[0] = '\0';
	/* The head is read only under the chain's lock: no other writer of
	 * this chain reads it until this one has committed. */
	if (db_lock_chain(d, chain, err) ||
	    db_stmt_prepare(d, db_audit_next_sql(d), &st, err))
		return -1;
	db_bind_text(st, 1, chain);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		*seq = db_col_int64(st, 0);
		db_col_copy(st, 1, hash, AUDIT_HASH_HEX + 1);
	}
	db_stmt_finish(&st);
	if (rc == DB_ROW && *seq > 0)
		return 0;
	return rc == DB_ROW ? err_set(err, TB_E_STORE, 0, "audit seq") : -1;
}

/* How a scan ended, its statement finished: what fn returned to stop it,
 * else 0 when every row was read, -1 when a step failed (in err). */
static int scan_end(struct db_stmt **st, int rc, int stop)
{
	db_stmt_finish(st);
	if (stop)
		return stop;
	return rc == DB_DONE ? 0 : -1;
}

int audit_db_heads(struct db *d,
		   int (*fn)(const char *chain, int64_t seq, const char *hash, void *arg),
		   void *arg, tb_err *err)
{
	struct db_stmt *st;
	int rc, stop = 0;

	if (db_stmt_prepare(d, "SELECT chain, seq, hash FROM audit_heads", &st, err))
		return -1;
	while ((rc = db_step(st, err)) == DB_ROW)
		if ((stop = fn(db_col_text(st, 0), db_col_int64(st, 1), db_col_text(st, 2), arg)))
			break;
	return scan_end(&st, rc, stop);
}

int64_t audit_db_count_after(struct db *d, const char *chain, int64_t seq, tb_err *err)
{
	struct db_stmt *st;
	int64_t n = -1;

	if (db_stmt_prepare(d, "SELECT count(*) FROM audit WHERE chain = ? AND seq > ?", &st, err))
		return -1;
	db_bind_text(st, 1, chain);
	db_bind_int64(st, 2, seq);
	if (db_step(st, err) == DB_ROW)
		n = db_col_int64(st, 0);
	db_stmt_finish(&st);
	return n;
}

int audit_db_append(struct db *d, const struct audit_row *r, tb_err *err)
{
	struct db_stmt *st;

	/* A row that is not a lookup leaves consent (and one not made for
	 * someone else, acting) to the column's default, as the rows before
	 * them had; a row naming both citizens writes its consent, '' or not. */
	static const char *const sql[3] = {
		"INSERT INTO audit (seq, time, terminal, branch, username, action, "
		"service, subject, purpose, result, hash, chain) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"INSERT INTO audit (seq, time, terminal, branch, username, action, "
		"service, subject, purpose, result, hash, chain, consent) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"INSERT INTO audit (seq, time, terminal, branch, username, action, "
		"service, subject, purpose, result, hash, chain, consent, acting) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	};
	bool consent = r->consent && r->consent[0], acting = r->acting && r->acting[0];

	if (db_stmt_prepare(d, sql[acting ? 2 : consent], &st, err))
		return -1;
	db_bind_int64(st, 1, r->seq);
	db_bind_text(st, 2, r->time);
	db_bind_text(st, 3, r->terminal);
	db_bind_text(st, 4, r->branch);
	db_bind_text(st, 5, r->username);
	db_bind_text(st, 6, r->action);
	db_bind_text(st, 7, r->service);
	db_bind_text(st, 8, r->subject);
	db_bind_text(st, 9, r->purpose);
	db_bind_text(st, 10, r->result);
	db_bind_text(st, 11, r->hash);
	db_bind_text(st, 12, r->chain);
	if (consent || acting)
		db_bind_text(st, 13, consent ? r->consent : "");
	if (acting)
		db_bind_text(st, 14, r->acting);
	if (db_exec_stmt(st, err))
		return -1;
	if (db_stmt_prepare(d, "INSERT INTO audit_heads (chain, seq, hash) VALUES (?3, ?1, ?2) "
		       "ON CONFLICT (chain) DO UPDATE SET seq = ?1, hash = ?2", &st, err))
		return -1;
	db_bind_int64(st, 1, r->seq);
	db_bind_text(st, 2, r->hash);
	db_bind_text(st, 3, r->chain);
	return db_exec_stmt(st, err) ? -1 : 0;
}

static void bind_opt(struct db_stmt *st, int i, const char *s)
{
	if (s)
		db_bind_text(st, i, s);
	else
		db_bind_null(st, i);
}

int audit_db_scan(struct db *d, const struct audit_db_filter *f,
		  int (*fn)(const struct audit_row *r, void *arg), void *arg, tb_err *err)
{
	static const struct audit_db_filter all = { 0 };
	/* Two constant statements rather than an ORDER BY built from input. */
	static const char *const sql[2] = {
		"SELECT seq, time, terminal, branch, username, action, service, subject, purpose, "
		"result, hash, consent, acting, chain FROM audit WHERE (?1 IS NULL OR username = ?1) AND "
		"(?2 IS NULL OR subject = ?2) AND (?3 IS NULL OR action = ?3) AND "
		"(?4 IS NULL OR time >= ?4) AND (?5 IS NULL OR time < ?5) AND "
		"(?7 IS NULL OR branch = ?7) ORDER BY seq LIMIT ?6",
		"SELECT seq, time, terminal, branch, username, action, service, subject, purpose, "
		"result, hash, consent, acting, chain FROM audit WHERE (?1 IS NULL OR username = ?1) AND "
		"(?2 IS NULL OR subject = ?2) AND (?3 IS NULL OR action = ?3) AND "
		"(?4 IS NULL OR time >= ?4) AND (?5 IS NULL OR time < ?5) AND "
		"(?7 IS NULL OR branch = ?7) ORDER BY seq DESC LIMIT ?6",
	};
	struct db_stmt *st;
	struct audit_row r;
	int rc, stop = 0;

	if (!f)
		f = &all;
	if (db_stmt_prepare(d, sql[f->newest_first != 0], &st, err))
		return -1;
	bind_opt(st, 1, f->username);
	bind_opt(st, 2, f->subject);
	bind_opt(st, 3, f->action);
	bind_opt(st, 4, f->since);
	bind_opt(st, 5, f->until);
	db_bind_int64(st, 6, f->limit > 0 ? f->limit : INT64_MAX);
	bind_opt(st, 7, f->branch);
	while ((rc = db_step(st, err)) == DB_ROW) {
		r = (struct audit_row){
			.seq = db_col_int64(st, 0),
			.time = db_col_text(st, 1),
			.terminal = db_col_text(st, 2),
			.branch = db_col_text(st, 3),
			.username = db_col_text(st, 4),
			.action = db_col_text(st, 5),
			.service = db_col_text(st, 6),
			.subject = db_col_text(st, 7),
			.purpose = db_col_text(st, 8),
			.result = db_col_text(st, 9),
			.hash = db_col_text(st, 10),
			.consent = db_col_text(st, 11),
			.acting = db_col_text(st, 12),
			.chain = db_col_text(st, 13),
		};
		if ((stop = fn(&r, arg)))
			break;
	}
	return scan_end(&st, rc, stop);
}

int audit_db_row_hash(struct db *d, int64_t seq, char hash[AUDIT_HASH_HEX + 1], tb_err *err)
{
	struct db_stmt *st;
	int rc;

	hash[0] = '\0';
	if (db_stmt_prepare(d, "SELECT hash FROM audit WHERE seq = ?", &st, err))
		return -1;
	db_bind_int64(st, 1, seq);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		db_col_copy(st, 0, hash, AUDIT_HASH_HEX + 1);
	db_stmt_finish(&st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int audit_db_seal_add(struct db *d, const struct audit_seal_row *s, tb_err *err)
{
	struct db_stmt *st;

	if (db_stmt_prepare(d, "INSERT INTO audit_seal (key_id, epoch, seq, head, time, terminal, "
		       "next_key, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st, err))
		return -1;
	db_bind_text(st, 1, s->key_id);
	db_bind_int64(st, 2, s->epoch);
	db_bind_int64(st, 3, s->seq);
	db_bind_text(st, 4, s->head);
	db_bind_text(st, 5, s->time);
	db_bind_text(st, 6, s->terminal);
	db_bind_text(st, 7, s->next_key);
	db_bind_text(st, 8, s->sig);
	return db_exec_stmt(st, err) ? -1 : 0;
}

int audit_db_seal_has(struct db *d, const char *key_id, int64_t epoch, tb_err *err)
{
	struct db_stmt *st;
	int rc;

	if (db_stmt_prepare(d, "SELECT 1 FROM audit_seal WHERE key_id = ? AND epoch = ?", &st, err))
		return -1;
	db_bind_text(st, 1, key_id);
	db_bind_int64(st, 2, epoch);
	rc = db_step(st, err);
	db_stmt_finish(&st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int audit_db_seal_scan(struct db *d, const char *key_id,
		       int (*fn)(const struct audit_seal_row *s, void *arg), void *arg,
		       tb_err *err)
{
	struct db_stmt *st;
	struct audit_seal_row r;
	int rc, stop = 0;

	if (db_stmt_prepare(d, "SELECT key_id, epoch, seq, head, time, terminal, next_key, sig "
		       "FROM audit_seal WHERE ?1 IS NULL OR key_id = ?1 ORDER BY key_id, epoch",
		       &st, err))
		return -1;
	bind_opt(st, 1, key_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		r = (struct audit_seal_row){
			.key_id = db_col_text(st, 0),
			.epoch = db_col_int64(st, 1),
			.seq = db_col_int64(st, 2),
			.head = db_col_text(st, 3),
			.time = db_col_text(st, 4),
			.terminal = db_col_text(st, 5),
			.next_key = db_col_text(st, 6),
			.sig = db_col_text(st, 7),
		};
		if ((stop = fn(&r, arg)))
			break;
	}
	return scan_end(&st, rc, stop);
}
