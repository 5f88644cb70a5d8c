/* The Linkage Center's answers: the same body parsed as each of the six
 * services (a 200, so the service's own shape is read), and asked whether
 * it means an expired token. */
#include "config.h"

#include "tests/fuzz/fuzz.h"

#include "services/registry/linkage.h"

static const int services[] = { LINKAGE_PERSON, LINKAGE_ADDRESSES, LINKAGE_HOUSEHOLD,
				LINKAGE_HOUSE, LINKAGE_FIRST_NAMES, LINKAGE_SURNAMES };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;

	for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
		struct linkage_result *r = NULL;
		tb_err e = { 0 };

		if (linkage_parse(services[i], 200, body, size, NULL, &r, &e) == 0)
			linkage_result_free(&r);
	}
	(void)linkage_token_expired(401, body, size);
	(void)linkage_token_expired(200, body, size);
	return 0;
}
