/* What the photo tests share: the test citizens' JPEGs read from
 * sim/fixtures, JPEGs made to measure (colour or grey, any size), their
 * markers found and their size read or changed. */
#ifndef TABIEN_PHOTO_FIXTURE_H
#define TABIEN_PHOTO_FIXTURE_H

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

#include <cmocka.h>
#include <jpeglib.h>
#include <jerror.h>

#include "tui/photo.h"

/* cmocka hands every test a state pointer most tests do not need. */
#define UNUSED __attribute__((unused))
#ifndef TABIEN_SRCDIR
#define TABIEN_SRCDIR "."
#endif
#define JPEG_CAP 16384

extern const char *const fixtures[4];

#define FIXTURE_COUNT ((int)(sizeof fixtures / sizeof fixtures[0]))

struct blob {
	uint8_t b[JPEG_CAP];
	size_t n;
};

void fixture_load(const char *name, struct blob *out);

/* Offset of the first segment with this marker (the FF byte), walking the
 * header segments from SOI; 0 when absent. Independent of libjpeg. */
size_t jpeg_find(const struct blob *j, uint8_t marker);

void sof_size(const struct blob *j, int *w, int *h);

void sof_set_size(struct blob *j, int w, int h);

void expect_refused(const uint8_t *b, size_t n);

/* A small JPEG made here (libjpeg's encoder): a diagonal test pattern, or
 * with `split` the top half of the rows black and the bottom half white. */
void jpeg_make_pattern(struct blob *out, int w, int h, int components, bool split);

void jpeg_make(struct blob *out, int w, int h, int components);

#endif
