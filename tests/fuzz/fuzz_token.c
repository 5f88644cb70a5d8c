/* The token answers: GDX's {"Result":...} and LK2's {token} (confirm and
 * renewal), into buffers of the size the clients use and a tight one. */
#include "config.h"

#include "tests/fuzz/fuzz.h"

#include "services/registry/linkage.h"
#include "services/registry/lk2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	char tok[2048], tight[8];
	tb_err e = { 0 };

	(void)linkage_parse_token(200, body, size, tok, sizeof tok, &e);
	(void)linkage_parse_token(200, body, size, tight, sizeof tight, &e);
	(void)lk2_parse_token(200, body, size, tok, sizeof tok, &e);
	(void)lk2_parse_token(201, body, size, tight, sizeof tight, &e);
	return 0;
}
