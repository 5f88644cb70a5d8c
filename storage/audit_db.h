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
};

/* The head: 1 with seq and hash, 0 when the trail is empty, -1 on error. */
int audit_db_head(struct db *d, int64_t *seq, char hash[AUDIT_HASH_HEX + 1], tb_err *err);

/* Inserts the row and moves the head to it (call inside a transaction). */
int audit_db_append(struct db *d, const struct audit_row *r, tb_err *err);

/* Calls fn for each row matching f (NULL: all), by sequence number; fn
 * returning nonzero stops the scan and is returned. */
int audit_db_scan(struct db *d, const struct audit_db_filter *f,
		  int (*fn)(const struct audit_row *r, void *arg), void *arg, tb_err *err);

#endif
