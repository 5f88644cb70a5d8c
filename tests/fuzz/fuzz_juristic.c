/* DBD's answers: the profile from GDX and from the open API (served as
 * text/html), then the shareholders and the financial statements read
 * into the same result. */
#include "config.h"

#include "tests/fuzz/fuzz.h"

#include "services/juristic/juristic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct juristic_result *r = NULL;
	tb_err e = { 0 };

	if (juristic_parse(JURISTIC_OPEN, 200, "text/html", body, size, NULL, &r, &e) == 0)
		juristic_result_free(&r);
	if (juristic_parse(JURISTIC_GDX, 200, "application/json", body, size, NULL, &r, &e) != 0 &&
	    !(r = calloc(1, sizeof *r)))
		return 0;
	(void)juristic_parse_shareholders(JURISTIC_GDX, 200, NULL, body, size, NULL, r, &e);
	(void)juristic_parse_financials(JURISTIC_GDX, 200, NULL, body, size, NULL, r, &e);
	juristic_result_free(&r);
	return 0;
}
