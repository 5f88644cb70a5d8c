/* What every libFuzzer target shares: the entry point's prototype and a
 * copy of the input that ends where the input ends, so ASan sees a read
 * past it (libFuzzer's own buffer has no NUL). */
#ifndef TABIEN_FUZZ_H
#define TABIEN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a C string of exactly size + 1 bytes; NULL when out of
 * memory (the target then returns: that is no finding). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif
