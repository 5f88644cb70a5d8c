/* Every table's rows from one database to another, through the statement
 * interface, so either engine may be on either side. */
#include "config.h"

#include "storage/copy_db.h"
#include "storage/db_private.h"

#include <stdio.h>
#include <string.h>

/* Each table in an order the foreign keys allow, its columns with their
 * kind (i: integer, t: text) and the key that orders a comparison.  Text
 * keys are ordered by their bytes on both sides (SQLite's BINARY, "C" on
 * PostgreSQL, whose default collation may be Thai's). */
static const struct table {
	const char *name, *cols, *kinds, *order;
} tables[DB_COPY_TABLES] = {
	{ "branch_settings", "key, value", "tt", "key%s" },
	{ "branches", "code, name, created", "ttt", "code%s" },
	{ "branch_config", "branch, key, value", "ttt", "branch%s, key%s" },
	{ "branch_purposes", "branch, pos, text", "tit", "branch%s, pos" },
	{ "users", "id, username, full_name, cid, position, pwhash, role, status, created, "
	  "decided_by, decided_at, last_login, failures, locked_until, must_change, branch",
	  "itttttttttttiiit", "id" },
	{ "grants", "user_id, right_name, allow, granted_by, granted_at", "ititt",
	  "user_id, right_name%s" },
	{ "user_settings", "user_id, key, value", "itt", "user_id, key%s" },
	{ "sessions", "id, user_id, terminal, started, last_seen, ended, end_reason, state",
	  "iitttttt", "id" },
	{ "audit", "seq, time, terminal, branch, username, action, service, subject, purpose, "
	  "result, hash, consent, acting, chain", "ittttttttttttt", "seq" },
	{ "audit_heads", "chain, seq, hash", "tit", "chain%s" },
	{ "audit_seal", "key_id, epoch, seq, head, time, terminal, next_key, sig", "tiittttt",
	  "key_id%s, epoch" },
	{ "juristic_cache", "id, source, fetched_at, body", "ttit", "id%s, source%s" },
};

/* SELECT of every column in the key's byte order, for d's engine: each
 * "%s" of the order (after a text key) becomes its collation. */
static void select_sql(struct db *d, const struct table *t, char *out, size_t size)
{
	const char *c = strcmp(db_engine_name(d), "postgresql") == 0 ? " COLLATE \"C\"" : "";
	char order[128];
	size_t o = 0;

	for (const char *p = t->order; *p && o + strlen(c) + 2 < sizeof order; p++) {
		if (p[0] == '%' && p[1] == 's') {
			memcpy(order + o, c, strlen(c));
			o += strlen(c);
			p++;
		} else {
			order[o++] = *p;
		}
	}
	order[o] = '\0';
	snprintf(out, size, "SELECT %s FROM %s ORDER BY %s", t->cols, t->name, order);
}

static long count_rows(struct db *d, const char *table, tb_err *err)
{
	char sql[96];
	struct db_stmt *st;
	long n = -1;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	if (db_stmt_prepare(d, sql, &st, err))
		return -1;
	if (db_step(st, err) == DB_ROW)
		n = (long)db_col_int64(st, 0);
	db_stmt_finish(&st);
	return n;
}

static long copy_table(struct db *from, struct db *to, const struct table *t, tb_err *err)
{
	char sel[400], ins[400], marks[64] = "";
	struct db_stmt *st, *in;
	size_t ncols = strlen(t->kinds);
	long n = 0;
	int rc;

	for (size_t i = 0; i < ncols; i++)
		strcat(marks, i ? ", ?" : "?");
	select_sql(from, t, sel, sizeof sel);
	snprintf(ins, sizeof ins, "INSERT INTO %s (%s) VALUES (%s)", t->name, t->cols, marks);
	if (db_stmt_prepare(from, sel, &st, err))
		return -1;
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (db_stmt_prepare(to, ins, &in, err))
			break;
		for (size_t i = 0; i < ncols; i++) {
			if (t->kinds[i] == 'i')
				db_bind_int64(in, (int)i + 1, db_col_int64(st, (int)i));
			else
				db_bind_text_len(in, (int)i + 1, db_col_text(st, (int)i),
						 db_col_bytes(st, (int)i));
		}
		if (db_exec_stmt(in, err)) {
			rc = -1;
			break;
		}
		n++;
	}
	db_stmt_finish(&st);
	return rc == DB_DONE ? n : -1;
}

/* Both sides read in the same order, every column compared as text. */
static int compare_table(struct db *a, struct db *b, const struct table *t, tb_err *err)
{
	char sel[400], selb[400];
	struct db_stmt *sa, *sb;
	size_t ncols = strlen(t->kinds);
	int ra, rb, same = 1;

	select_sql(a, t, sel, sizeof sel);
	select_sql(b, t, selb, sizeof selb);
	if (db_stmt_prepare(a, sel, &sa, err))
		return -1;
	if (db_stmt_prepare(b, selb, &sb, err)) {
		db_stmt_finish(&sa);
		return -1;
	}
	do {
		ra = db_step(sa, err);
		rb = db_step(sb, err);
		if (ra != rb)
			same = 0;
		for (size_t i = 0; same && ra == DB_ROW && i < ncols; i++)
			same = db_col_bytes(sa, (int)i) == db_col_bytes(sb, (int)i) &&
			       strcmp(db_col_text(sa, (int)i), db_col_text(sb, (int)i)) == 0;
	} while (same && ra == DB_ROW);
	db_stmt_finish(&sa);
	db_stmt_finish(&sb);
	if (ra < 0 || rb < 0)
		return -1;
	return same ? 0 : err_set(err, TB_E_STORE, 0, t->name);
}

/* PostgreSQL's identity columns and the audit's sequence go on from the
 * highest id moved. */
static int identities_reset(struct db *to, tb_err *err)
{
	static const char *const sql[] = {
		"SELECT setval(pg_get_serial_sequence('users', 'id'), max(id)) FROM users",
		"SELECT setval(pg_get_serial_sequence('sessions', 'id'), max(id)) FROM sessions",
		"SELECT setval('audit_seq', max(seq)) FROM audit",
	};
	struct db_stmt *st;

	if (strcmp(db_engine_name(to), "postgresql") != 0)
		return 0;
	for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
		if (db_stmt_prepare(to, sql[i], &st, err) || db_exec_stmt(st, err))
			return -1;
	return 0;
}

int db_copy(struct db *from, struct db *to, struct db_copy_count counts[DB_COPY_TABLES],
	    tb_err *err)
{
	long users, rows;
	int ok = 1;

	if (db_tx_begin(to, err))
		return -1;
	users = count_rows(to, "users", err);
	rows = users < 0 ? -1 : count_rows(to, "audit", err);
	if (rows < 0)
		ok = 0;
	else if (users > 0 || rows > 0)
		ok = err_set(err, TB_E_STORE_ALREADY_INIT, users, "target") == 0;
	for (int i = 0; ok && i < DB_COPY_TABLES; i++) {
		counts[i].table = tables[i].name;
		counts[i].rows = copy_table(from, to, &tables[i], err);
		ok = counts[i].rows >= 0;
	}
	if (ok)
		ok = identities_reset(to, err) == 0;
	if (db_tx_end(to, ok, err))
		return -1;
	for (int i = 0; i < DB_COPY_TABLES; i++)
		if (compare_table(from, to, &tables[i], err))
			return -1;
	return 0;
}
