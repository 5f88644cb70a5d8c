/* The audit row of one registry query: see audit_row.h. */
#include "config.h"

#include "services/registry/audit_row.h"

#include <stdio.h>
#include <string.h>

#include "services/accounts/audit.h"
#include "services/registry/linkage.h"

int registry_audit_query(struct db *d, const char *username, const char *office, int service,
			 const char *cid, const char *purpose, const char *consent, const tb_err *e,
			 tb_err *err)
{
	char what[32], result[64];
	tb_err audit_err = { 0 };

	snprintf(what, sizeof what, "%s/%s", office, linkage_service_code(service));
	if (!e)
		snprintf(result, sizeof result, "OK");
	else if (e->detail && (strcmp(err_domain(e->id), "linkage") == 0 ||
			       strcmp(err_domain(e->id), "gateway") == 0))
		snprintf(result, sizeof result, "%s %ld", err_code(e->id), e->detail);
	else
		snprintf(result, sizeof result, "%s", err_code(e->id));
	if (audit_append(d, &(struct audit_entry){ .username = username,
			 .action = AUDIT_LINKAGE_QUERY, .service = what, .subject = cid,
			 .purpose = purpose, .consent = consent, .result = result }, &audit_err) == 0)
		return 0;
	/* The database's code stays as the detail, for support. */
	audit_err.id = TB_E_AUDIT_UNWRITTEN;
	if (err)
		*err = audit_err;
	return -1;
}
