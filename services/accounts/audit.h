/* The audit trail: who looked at whom, when, from which terminal and branch,
 * through which service, why, and with what result; and every login and
 * admin action.  Rows are hash-chained: each row's hash is SHA-256 over the
 * previous row's hash and a length-prefixed encoding of the row, the first
 * chaining from a fixed genesis value, and the newest hash is kept apart as
 * the head; audit_verify() finds any row changed, removed or moved. */
#ifndef TABIEN_AUDIT_H
#define TABIEN_AUDIT_H

#include <stdint.h>
#include <stdio.h>

#include "services/base/errors.h"
#include "storage/audit_db.h"
#include "storage/db.h"

/* Actions.  The front end uses the first three for lookups. */
#define AUDIT_RIGHT_REFUSED     "right.refused" /* service: the right; subject: what was asked */
#define AUDIT_ADMIN_GRANT       "admin.grant"   /* service: the right; subject: the user */
#define AUDIT_ADMIN_REVOKE      "admin.revoke"
#define AUDIT_ADMIN_RESET_RIGHT "admin.reset_right" /* service: the right; subject: the user */
#define AUDIT_ADMIN_ROLE        "admin.role"    /* service: the new role */
#define AUDIT_ADMIN_BRANCH      "admin.branch"  /* subject: the branch added */
#define AUDIT_ADMIN_MOVE        "admin.move"    /* service: "FROM>TO" branches; subject: the user */
#define AUDIT_CARD_READ         "card.read"
#define AUDIT_LINKAGE_QUERY     "linkage.query"
#define AUDIT_JURISTIC_QUERY    "juristic.query"
#define AUDIT_USER_REGISTER     "user.register"
#define AUDIT_USER_LOGIN        "user.login"
#define AUDIT_USER_LOGIN_FAILED "user.login_failed"
#define AUDIT_USER_LOGOUT       "user.logout"
#define AUDIT_USER_PASSWORD     "user.password"
#define AUDIT_SESSION_LOCK      "session.lock"
#define AUDIT_SESSION_RESUME    "session.resume"
#define AUDIT_ADMIN_INIT        "admin.init"
#define AUDIT_ADMIN_APPROVE     "admin.approve"
#define AUDIT_ADMIN_REJECT      "admin.reject"
#define AUDIT_ADMIN_SUSPEND     "admin.suspend"
#define AUDIT_ADMIN_REINSTATE   "admin.reinstate"
#define AUDIT_ADMIN_MAKE_ADMIN  "admin.make_admin"
#define AUDIT_ADMIN_REMOVE_ADMIN "admin.remove_admin"
#define AUDIT_ADMIN_RESET_PASSWORD "admin.reset_password"
#define AUDIT_ADMIN_SETTINGS    "admin.settings"
#define AUDIT_EXPORT            "audit.export"
#define AUDIT_COPY              "copy.make"   /* a signed digital copy (services/copy/) */

/* A registry lookup's ground besides its purpose (domain rules: the
 * mission's reason and/or the card owner's consent). */
#define AUDIT_CONSENT_YES       "yes"       /* the citizen consented */
#define AUDIT_CONSENT_NO        "no"        /* the citizen did not */
#define AUDIT_CONSENT_MISSION   "mission"   /* the mission requires the lookup */
#define AUDIT_CONSENT_AUTO      "auto"      /* the branch looks every visitor up */

/* What the caller says; NULL members are stored as "".  Time, terminal and
 * branch code are filled in by audit_append. */
struct audit_entry {
	const char *username;   /* who acted */
	const char *action;     /* AUDIT_* */
	const char *service;    /* e.g. "00023/001"; may be empty */
	const char *subject;    /* the citizen's or company's ID, or the username acted on */
	const char *purpose;    /* one of the branch's purposes; may be empty */
	const char *consent;    /* registry lookups: AUDIT_CONSENT_*; may be empty */
	const char *acting;     /* acting for someone: "grantor=ID grantee=ID"; may be empty */
	const char *result;     /* "OK" or an error code such as "CARD-REMOVED" */
};

/* Appends one row (in its own transaction, or the caller's). */
int audit_append(struct db *d, const struct audit_entry *e, tb_err *err);

/* Seals the head (audit_seal.h) if enough rows came since the last seal,
 * or with `force` if any did (log-out, exit); only outside a transaction,
 * and a failure goes to the system log: the rows are written either way. */
void audit_seal_due(struct db *d, int force);

/* The hash a row gets after prev (hex; NULL or "" for the first row).
 * Public like the chain itself: the seals, not this, stop a forger (the
 * tests' forger calls it). */
void audit_row_hash(const char *prev, const struct audit_row *r, char out[AUDIT_HASH_HEX + 1]);

/* Filters for the audit pane and exports; NULL/0 members do not filter.
 * since and until are epoch seconds, until exclusive. */
struct audit_filter {
	const char *username;
	const char *subject;
	const char *action;
	int64_t since;
	int64_t until;
	int limit;              /* 0: all */
	int newest_first;
	const char *branch;     /* one branch's rows: rights_audit_scope sets it */
};

/* Local calendar dates "YYYY-MM-DD" (either may be NULL) to the instants
 * that bound them: since = that day's local midnight, until = the local
 * midnight after the `until` day.  TB_E_AUTH_INVALID (field "since" or
 * "until") for anything else. */
int audit_date_range(const char *since, const char *until, struct audit_filter *f,
		     tb_err *err);

/* Calls fn for each matching row (valid during the call only); fn returning
 * nonzero stops.  The caller asks rights_audit_scope() first, which checks
 * the reader's right and narrows f to their branch. */
int audit_query(struct db *d, const struct audit_filter *f,
		int (*fn)(const struct audit_row *r, void *arg), void *arg, tb_err *err);

/* Writes the matching rows as CSV (RFC 4180, CRLF, a header line; a field
 * starting with = + - @ TAB or CR gets a leading ' so no spreadsheet runs it)
 * and records the export by `actor`, whose right rights_audit_scope() has
 * checked (narrowing f to their branch).
 * Returns the number of rows written, or -1. */
long audit_export_csv(struct db *d, const char *actor, const struct audit_filter *f,
		      FILE *out, tb_err *err);

/* One CSV field as audit_export_csv writes it. */
void audit_csv_field(FILE *out, const char *s);

struct audit_check {
	int64_t rows;                        /* rows read */
	int64_t first_bad;                   /* 0 when intact */
	char head[AUDIT_HASH_HEX + 1];       /* the newest hash, to note down elsewhere */
};

/* Walks the whole chain.  0 when intact; -1 with TB_E_AUDIT_BROKEN (detail:
 * the first bad sequence number, also in out->first_bad) when a row was
 * changed, removed or moved, or with a storage error. */
int audit_verify(struct db *d, struct audit_check *out, tb_err *err);

#endif
