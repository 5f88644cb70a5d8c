/* The audit row of one registry query, the same for the GDX Linkage and the
 * Linkage Center 2. */
#ifndef TABIEN_AUDIT_ROW_H
#define TABIEN_AUDIT_ROW_H

#include "services/base/errors.h"
#include "storage/db.h"

/* Writes the AUDIT_LINKAGE_QUERY row of one service (LINKAGE_PERSON ...)
 * asked about citizen cid: service "OFFICE/NNN", result "OK" when e is NULL,
 * else the error's code, with its number for the gateway's and the Linkage
 * Center's errors ("LK-NO-DATA 90500").  purpose and consent
 * (AUDIT_CONSENT_*) may be NULL.  A row not
 * written: -1 and *err TB_E_AUDIT_UNWRITTEN, the database's code as detail;
 * what it was about must then not be shown. */
int registry_audit_query(struct db *d, const char *username, const char *office, int service,
			 const char *cid, const char *purpose, const char *consent, const tb_err *e,
			 tb_err *err);

#endif
