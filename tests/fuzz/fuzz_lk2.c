/* The Linkage Center 2 proxy's answers: login (the office wanted and the
 * first), the jobs, and a batch of the six services. */
#include "config.h"

#include "tests/fuzz/fuzz.h"

#include "services/registry/lk2.h"

static const int six[] = { LINKAGE_PERSON, LINKAGE_ADDRESSES, LINKAGE_HOUSEHOLD, LINKAGE_HOUSE,
			   LINKAGE_FIRST_NAMES, LINKAGE_SURNAMES };
static const int ids[] = { 1, 2, 3, 4, 5, 6 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct lk2_login_answer a;
	struct lk2_item items[6];
	char job[64], msg[256];
	tb_err e = { 0 };

	(void)lk2_parse_login(200, body, size, "", &a, &e);
	(void)lk2_parse_login(200, body, size, "10024", &a, &e);
	(void)lk2_parse_jobs(200, body, size, job, sizeof job, &e);
	if (lk2_parse_batch(200, body, size, six, ids, 6, NULL, items, msg, sizeof msg, &e) == 0)
		lk2_items_free(items, 6);
	if (lk2_parse_batch(400, body, size, six, ids, 1, NULL, items, NULL, 0, &e) == 0)
		lk2_items_free(items, 1);
	return 0;
}
