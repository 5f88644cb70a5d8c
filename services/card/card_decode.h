/* Pure decoders for what the Thai ID card sends: no I/O, no allocation
 * except where stated.  Memory map in card_decode.c. */
#ifndef TABIEN_CARD_DECODE_H
#define TABIEN_CARD_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/base/format.h"
#include "services/card/card_record.h"
#include "services/base/errors.h"

/* Offsets and lengths on the card (citizen applet). */
#define CARD_OFF_HEADER    0x0000
#define CARD_LEN_HEADER    0x017B /* 379: version .. photo length */
#define CARD_OFF_PHOTO     0x017B
#define CARD_OFF_ADDRESS   0x1579
#define CARD_LEN_ADDRESS   160
#define CARD_OFF_PHOTO_NO  0x1619
#define CARD_LEN_PHOTO_NO  14
/* Address and photo number are contiguous: one read covers both. */
#define CARD_LEN_TAIL      (CARD_LEN_ADDRESS + CARD_LEN_PHOTO_NO)

/* TIS-620 bytes to UTF-8 with iconv, trailing spaces and NULs trimmed (and
 * leading spaces).  Valid: printable ASCII, 0xA1-0xDA, 0xDF-0xFB; anything
 * else (control bytes and a NUL inside the text included) is invalid: it
 * becomes U+FFFD, *bad_at gets its offset from in[0] (first one only; -1 when
 * all bytes were valid) and the function returns 1.  Returns 0 when clean,
 * -1 with err set (TB_E_SYSTEM, detail E2BIG) when out does not fit; out then
 * holds the whole characters that fit.  bad_at and err may be NULL. */
int tis620_decode(const uint8_t *in, size_t n, char *out, size_t outsz,
		  long *bad_at, tb_err *err);

/* Printable ASCII field, trimmed like text.  Returns 1 (with '?' in place of
 * the bad byte) when a byte is not printable ASCII, else 0.  Cut to fit out. */
int ascii_field(const uint8_t *in, size_t n, char *out, size_t outsz);

/* "title#first#middle#last" (UTF-8) into its parts by position, each
 * trimmed with inner runs of spaces made one.  Missing parts are empty; a
 * fifth '#' part is appended to last, so nothing is lost. */
void card_name_parse(const char *utf8, struct card_name *out);

/* 8 ASCII digits, Buddhist era YYYYMMDD.  "99999999" = lifelong (lifelong
 * set, year 9999 so it never reads as absent); month or day "00" = unknown;
 * all spaces/NULs or all '0' = absent (year 0).  Returns -1 for anything else
 * (non-digits, month 13, day 32, 31 April, 29 February outside a leap year
 * of the Gregorian calendar, a day with month 00) and leaves *out absent. */
int card_date_parse(const uint8_t in[8], struct card_date *out);

enum card_gender card_gender_parse(uint8_t b);

/* Split an address ("#"-separated, UTF-8) by Thai prefixes, not by slot.
 * An unprefixed token before any prefixed one is the house number; one after
 * the district (or กรุงเทพมหานคร anywhere) is the province; a prefix whose
 * field is already filled, and every other token, goes whole to extra. */
void card_address_parse(const char *utf8, struct card_address *out);

/* A JPEG starts FF D8 FF; its length is up to and including the last FF D9.
 * Returns 0 and sets *len, or -1 when the markers are missing. */
int jpeg_extent(const uint8_t *buf, size_t n, size_t *len);

/* Photo length field (big-endian at 0x0179): the value when it is 1..5100,
 * otherwise 0 (meaning: read the whole 5100-byte area). */
size_t card_photo_len_field(const uint8_t hdr[CARD_LEN_HEADER]);

/* Decode the 379-byte header into r (version, CID, names, birth, gender,
 * request number, issuer, dates, card type) and set CARD_HAVE_HEADER.
 * Problems found go into r's warnings with a static field name: "cid"
 * (TB_E_CARD_CID; the CID is still shown as read), "name_th", "name_en",
 * "issuer", "version", "request_no" (TB_E_CARD_TEXT, detail = offset of the
 * first bad byte in the field), "birth", "issue", "expiry" (TB_E_CARD_DATE).
 * Issuer code and card type, whose format is not known, are shown as text
 * when printable and as hex otherwise, without a warning. */
void card_header_decode(const uint8_t hdr[CARD_LEN_HEADER], struct card_record *r);

/* Decode the address and the photo number (CARD_LEN_TAIL bytes from
 * CARD_OFF_ADDRESS) and set CARD_HAVE_ADDRESS.  Warnings as above, with the
 * fields "address" and "photo_no". */
void card_tail_decode(const uint8_t tail[CARD_LEN_TAIL], struct card_record *r);

#endif
