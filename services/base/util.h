/* Small helpers shared by the services. */
#ifndef TABIEN_UTIL_H
#define TABIEN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Copies src into dst (capacity size > 0), always NUL-terminated; returns
 * false when src did not fit and was cut (callers of byte-oriented fields
 * only: never used on UTF-8 text, which must be cut at a character). */
static inline bool str_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	bool fits = n < size;

	if (!fits)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return fits;
}

/* A command line from the configuration split at spaces and tabs, without
 * a shell (no quotes, no expansion): the words copied into buf (capacity
 * size), argv[0..n) pointing into it and argv[n] = NULL, so argv holds
 * max + 1 entries.  -1 when the line does not fit buf, has more than max
 * words, or none. */
static inline int str_split_words(const char *s, char *buf, size_t size, char **argv, int max)
{
	int n = 0;

	if (!str_copy(buf, size, s))
		return -1;
	for (char *save = NULL, *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return -1;
		argv[n++] = t;
	}
	argv[n] = NULL;
	return n ? 0 : -1;
}

/* "3B 79 96 ..." for ATRs and status bytes; stops at a whole byte when out
 * is full. */
static inline void hex_encode(const uint8_t *b, size_t n, char *out, size_t size)
{
	size_t o = 0;

	if (size)
		out[0] = '\0';
	for (size_t i = 0; i < n && o + 4 <= size; i++)
		o += (size_t)snprintf(out + o, size - o, i ? " %02X" : "%02X", b[i]);
}

#endif
