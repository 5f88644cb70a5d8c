/* The forger the seals are for: runs SQL on the database as the sqlite3
 * tool would (a row changed, removed or moved), then makes every row's hash
 * and every chain's head again the way tabien does, so the chains alone
 * verify.
 * Usage: audit_forge DB SQL.  Exit 0 when done. */
#include "config.h"

#include <inttypes.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "services/accounts/audit.h"

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? (const char *)s : "";
}

/* Each chain's rows hashed again from the genesis, and its head moved. */
static int forge_chain(sqlite3 *db, const char *chain, int64_t *rows)
{
	char prev[AUDIT_HASH_HEX + 1] = "", h[AUDIT_HASH_HEX + 1];
	sqlite3_stmt *st, *up;
	int64_t last = 0;

	if (sqlite3_prepare_v2(db, "SELECT seq, time, terminal, branch, username, action, service, "
			       "subject, purpose, result, consent, acting, chain FROM audit "
			       "WHERE chain = ? ORDER BY seq", -1, &st, NULL) ||
	    sqlite3_prepare_v2(db, "UPDATE audit SET hash = ? WHERE seq = ?", -1, &up, NULL))
		return -1;
	sqlite3_bind_text(st, 1, chain, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct audit_row r = {
			.seq = sqlite3_column_int64(st, 0), .time = col(st, 1),
			.terminal = col(st, 2), .branch = col(st, 3), .username = col(st, 4),
			.action = col(st, 5), .service = col(st, 6), .subject = col(st, 7),
			.purpose = col(st, 8), .result = col(st, 9), .consent = col(st, 10),
			.acting = col(st, 11), .chain = col(st, 12),
		};
		audit_row_hash(prev, &r, h);
		sqlite3_bind_text(up, 1, h, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(up, 2, r.seq);
		if (sqlite3_step(up) != SQLITE_DONE)
			return -1;
		sqlite3_reset(up);
		memcpy(prev, h, sizeof h);
		last = r.seq;
		(*rows)++;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	if (sqlite3_prepare_v2(db, "INSERT INTO audit_heads (chain, seq, hash) VALUES (?3, ?1, ?2) "
			       "ON CONFLICT (chain) DO UPDATE SET seq = ?1, hash = ?2", -1, &up, NULL))
		return -1;
	sqlite3_bind_int64(up, 1, last);
	sqlite3_bind_text(up, 2, prev, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(up, 3, chain, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(up) != SQLITE_DONE)
		return -1;
	sqlite3_finalize(up);
	return 0;
}

int main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t rows = 0;

	if (argc != 3 || sodium_init() < 0 || sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, argv[2], NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "usage: audit_forge DB SQL (%s)\n", argc == 3 ? "failed" : "args");
		return 2;
	}
	/* Renumbered from 1, so removed or moved rows leave no gap either. */
	if (sqlite3_exec(db, "CREATE TEMP TABLE f AS SELECT * FROM audit ORDER BY seq;"
			 "DELETE FROM audit; INSERT INTO audit SELECT rowid, time, terminal, branch, "
			 "username, action, service, subject, purpose, result, hash, consent, acting, "
			 "chain FROM f; CREATE TEMP TABLE c AS SELECT chain FROM audit "
			 "UNION SELECT chain FROM audit_heads", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT chain FROM temp.c", -1, &st, NULL))
		return 2;
	while (sqlite3_step(st) == SQLITE_ROW)
		if (forge_chain(db, col(st, 0), &rows))
			return 2;
	sqlite3_finalize(st);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return 2;
	sqlite3_close(db);
	printf("rewrote %" PRId64 " rows and the heads\n", rows);
	return 0;
}
