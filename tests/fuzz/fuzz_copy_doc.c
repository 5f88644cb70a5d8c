/* The form tabien hands tabien-copy (services/copy/copy_doc.h): decoded,
 * and when it decodes, encoded again and decoded once more, which must give
 * the same form back (a reader and a writer that disagree would sign
 * something other than what the officer saw). */
#include "config.h"

#include "tests/fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "services/copy/copy_doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct copy_doc *d = NULL, *again = NULL;
	unsigned char *out = NULL, *out2 = NULL;
	size_t n = 0, n2 = 0;
	tb_err e = { 0 };

	if (copy_doc_decode(data, size, &d, &e))
		return 0;
	if (copy_doc_encode(d, &out, &n, &e) == 0) {
		if (copy_doc_decode(out, n, &again, &e))
			abort();
		if (copy_doc_encode(again, &out2, &n2, &e) || n2 != n || (n && memcmp(out, out2, n)))
			abort();
	}
	copy_doc_free(&again);
	copy_doc_free(&d);
	free(out);
	free(out2);
	return 0;
}
