/* The officer's presence: agent/permission's {AgentID, CitizenID,
 * SessionState}. */
#include "config.h"

#include "tests/fuzz/fuzz.h"

#include "services/registry/linkage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct linkage_permission p;
	tb_err e = { 0 };

	(void)linkage_parse_permission(200, (const char *)data, size, &p, &e);
	(void)linkage_parse_permission(403, (const char *)data, size, &p, &e);
	return 0;
}
