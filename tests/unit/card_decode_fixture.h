/* What the card decoder tests share: TIS-620 made from UTF-8 by the
 * protocol document's table (independent of the code under test), fields
 * written into a buffer, citizen IDs with their check digit, and a whole
 * valid header built byte by byte from the memory map. */
#ifndef TABIEN_CARD_DECODE_FIXTURE_H
#define TABIEN_CARD_DECODE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "services/card/card_decode.h"
#include "services/card/card_record.h"

#define U_FFFD "\xEF\xBF\xBD"

/* cmocka hands every test a state pointer these tests do not need. */
#define UNUSED __attribute__((unused))

/* UTF-8 Thai/ASCII to TIS-620 by the table in the protocol doc (U+0E01..U+0E5B
 * map linearly onto 0xA1..0xFB).  Returns the byte count. */
size_t tis_from_utf8(const char *s, uint8_t *out, size_t outsz);

/* Write a space-padded field as the card stores it. */
void put_ascii(uint8_t *buf, size_t off, size_t len, const char *s);

void put_thai(uint8_t *buf, size_t off, size_t len, const char *utf8);

/* Check digit computed here, not with cid_valid(). */
void cid_make(const char *d12, char out[14]);

/* True when s is well-formed UTF-8 (no character cut in half). */
int utf8_whole(const char *s);

enum {
	H_VERSION = 0x00, H_CID = 0x04, H_NAME_TH = 0x11, H_NAME_EN = 0x75,
	H_BIRTH = 0xD9, H_GENDER = 0xE1, H_REQUEST = 0xE2, H_ISSUER = 0xF6,
	H_ISSUER_CODE = 0x15A, H_ISSUE = 0x167, H_EXPIRY = 0x16F,
	H_CARD_TYPE = 0x177, H_PHOTO_LEN = 0x179,
};

extern char good_cid[14];

/* A complete, valid header: a clerk would see every field filled. */
void hdr_build(uint8_t h[CARD_LEN_HEADER]);

const tb_err *warn_find(const struct card_record *r, const char *field);

#endif
