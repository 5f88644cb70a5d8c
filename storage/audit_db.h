/* The audit table (append-only by rule, hash-chained by services/accounts/audit.c)
 * and its head: the last sequence number and hash, kept apart so that
 * removing the newest rows is noticed too. */
#ifndef TABIEN_AUDIT_DB_H
#define TABIEN_AUDIT_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "services/base/errors.h"
#include "storage/db.h"

#define AUDIT_HASH_HEX 64

/* One row.  The strings belong to the caller (append) or to the scan (valid
 * during the callback only); none is NULL. */
struct audit_row {
	int64_t seq;
	const char *time;       /* UTC ISO-8601 */
	const char *terminal;
	const char *branch;
	const char *username;
	const char *action;
	const char *service;
	const char *subject;
	const char *purpose;
	const char *consent;    /* "" but on registry lookups: yes, no, mission, auto */
	const char *acting;     /* "" but when acting for someone: "grantor=ID grantee=ID" */
	const char *chain;      /* the writer's chain: its terminal ('' the rows before step 8) */
	const char *result;
	const char *hash;       /* hex SHA-256 */
};

/* NULL members do not filter; times are UTC ISO-8601, until exclusive. */
struct audit_db_filter {
	const char *username;
	const char *subject;
	const char *action;
	const char *since;
	const char *until;
	int limit;              /* 0: all */
	int newest_first;
	const char *branch;     /* the rows written at that branch's terminals */
};

/* A chain's head: 1 with seq and hash, 0 when the chain is empty, -1 on
 * error. */
int audit_db_head(struct db *d, const char *chain, int64_t *seq, char hash[AUDIT_HASH_HEX + 1],
		  tb_err *err);

/* Inside a write transaction: takes the chain's lock, then gives the next
 * row's seq and the chain's head hash ("" when the chain is empty). */
int audit_db_next(struct db *d, const char *chain, int64_t *seq,
		  char hash[AUDIT_HASH_HEX + 1], tb_err *err);

/* Calls fn for each chain's head; nonzero from fn stops and is returned. */
int audit_db_heads(struct db *d,
		   int (*fn)(const char *chain, int64_t seq, const char *hash, void *arg),
		   void *arg, tb_err *err);

/* How many rows of the chain come after seq (-1 on error). */
int64_t audit_db_count_after(struct db *d, const char *chain, int64_t seq, tb_err *err);

/* Inserts the row and moves its chain's head to it (call inside a
 * transaction, after audit_db_next). */
int audit_db_append(struct db *d, const struct audit_row *r, tb_err *err);

/* Calls fn for each row matching f (NULL: all), by sequence number; fn
 * returning nonzero stops the scan and is returned. */
int audit_db_scan(struct db *d, const struct audit_db_filter *f,
		  int (*fn)(const struct audit_row *r, void *arg), void *arg, tb_err *err);

/* The hash stored in row seq: 1, 0 when there is no such row, -1 on error. */
int audit_db_row_hash(struct db *d, int64_t seq, char hash[AUDIT_HASH_HEX + 1], tb_err *err);

/* A seal of the head (services/accounts/audit_seal.h says what it means).
 * Strings as in struct audit_row. */
struct audit_seal_row {
	const char *key_id;     /* 16 hex digits */
	int64_t epoch;
	int64_t seq;            /* the head sealed: the newest row then, 0 for none */
	const char *head;       /* that row's hash */
	const char *time;
	const char *terminal;
	const char *next_key;   /* the next epoch's public key, hex */
	const char *sig;        /* hex Ed25519 */
};

/* Inserts a seal; a second one for the same key and epoch is refused
 * (TB_E_STORE). */
int audit_db_seal_add(struct db *d, const struct audit_seal_row *s, tb_err *err);

/* 1 when the key's seal of that epoch is stored, 0 when not, -1 on error. */
int audit_db_seal_has(struct db *d, const char *key_id, int64_t epoch, tb_err *err);

/* Calls fn for each seal (key_id NULL: all keys) by key and epoch; fn
 * returning nonzero stops the scan and is returned. */
int audit_db_seal_scan(struct db *d, const char *key_id,
		       int (*fn)(const struct audit_seal_row *s, void *arg), void *arg,
		       tb_err *err);

#endif
