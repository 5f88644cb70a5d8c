/* What a counter clerk would see from the card decoders: Thai text, names,
 * dates, the citizen ID check, the address split, the photo extent, and a
 * whole header built byte by byte from the memory map. */
#include "config.h"

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

/* ---- helpers, independent of the code under test ----------------------------- */

/* UTF-8 Thai/ASCII to TIS-620 by the table in the protocol doc (U+0E01..U+0E5B
 * map linearly onto 0xA1..0xFB).  Returns the byte count. */
static size_t tis_from_utf8(const char *s, uint8_t *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p) {
		unsigned cp;

		if (*p < 0x80) {
			cp = *p++;
		} else {
			assert_int_equal(*p & 0xF0, 0xE0); /* Thai is 3 bytes */
			cp = ((unsigned)(p[0] & 0x0F) << 12) |
			     ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
			p += 3;
			assert_true(cp >= 0x0E01 && cp <= 0x0E5B);
			cp = cp - 0x0E01 + 0xA1;
		}
		assert_true(n < outsz);
		out[n++] = (uint8_t)cp;
	}
	return n;
}

/* Write a space-padded field as the card stores it. */
static void put_ascii(uint8_t *buf, size_t off, size_t len, const char *s)
{
	size_t n = strlen(s);

	assert_true(n <= len);
	memset(buf + off, ' ', len);
	memcpy(buf + off, s, n);
}

static void put_thai(uint8_t *buf, size_t off, size_t len, const char *utf8)
{
	memset(buf + off, ' ', len);
	tis_from_utf8(utf8, buf + off, len);
}

/* Check digit computed here, not with cid_valid(). */
static void cid_make(const char *d12, char out[14])
{
	int sum = 0, i;

	for (i = 0; i < 12; i++) {
		out[i] = d12[i];
		sum += (d12[i] - '0') * (13 - i);
	}
	out[12] = (char)('0' + (11 - sum % 11) % 10);
	out[13] = '\0';
}

/* True when s is well-formed UTF-8 (no character cut in half). */
static int utf8_whole(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int k = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : 3;

		p++;
		while (k-- > 0)
			if ((*p++ & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

enum {
	H_VERSION = 0x00, H_CID = 0x04, H_NAME_TH = 0x11, H_NAME_EN = 0x75,
	H_BIRTH = 0xD9, H_GENDER = 0xE1, H_REQUEST = 0xE2, H_ISSUER = 0xF6,
	H_ISSUER_CODE = 0x15A, H_ISSUE = 0x167, H_EXPIRY = 0x16F,
	H_CARD_TYPE = 0x177, H_PHOTO_LEN = 0x179,
};

static char good_cid[14];

/* A complete, valid header: a clerk would see every field filled. */
static void hdr_build(uint8_t h[CARD_LEN_HEADER])
{
	memset(h, ' ', CARD_LEN_HEADER);
	cid_make("310100123456", good_cid);
	put_ascii(h, H_VERSION, 4, "0003");
	put_ascii(h, H_CID, 13, good_cid);
	put_thai(h, H_NAME_TH, 100, "นางสาว#น้ำผึ้ง##ศรีสุวรรณ์");
	put_ascii(h, H_NAME_EN, 100, "Miss#Namphueng##Srisuwan");
	put_ascii(h, H_BIRTH, 8, "25360719");
	h[H_GENDER] = '2';
	put_ascii(h, H_REQUEST, 20, "1001-01-12345678");
	put_thai(h, H_ISSUER, 100, "อำเภอปากเกร็ด/นนทบุรี");
	put_ascii(h, H_ISSUER_CODE, 13, "1203000012345");
	put_ascii(h, H_ISSUE, 8, "25640101");
	put_ascii(h, H_EXPIRY, 8, "25720718");
	put_ascii(h, H_CARD_TYPE, 2, "01");
	h[H_PHOTO_LEN] = 0x0F; /* 4000, big-endian */
	h[H_PHOTO_LEN + 1] = 0xA0;
}

static const tb_err *warn_find(const struct card_record *r, const char *field)
{
	int i;

	for (i = 0; i < r->nwarn; i++)
		if (r->warn[i].field && strcmp(r->warn[i].field, field) == 0)
			return &r->warn[i];
	return NULL;
}

/* ---- TIS-620 ------------------------------------------------------------------ */

static void test_tis620_surname_with_marks(void **state UNUSED)
{
	static const uint8_t in[] = { 0xC8, 0xC3, 0xD5, 0xCA, 0xD8, 0xC7,
				      0xC3, 0xC3, 0xB3, 0xEC };
	char out[64];
	long bad = 42;

	assert_int_equal(tis620_decode(in, sizeof(in), out, sizeof(out), &bad, NULL), 0);
	assert_string_equal(out, "ศรีสุวรรณ์");
	assert_int_equal(bad, -1);
}

static void test_tis620_stacked_tone_marks(void **state UNUSED)
{
	static const uint8_t in[] = { 0xB9, 0xE9, 0xD3, 0xBC, 0xD6, 0xE9, 0xA7 };
	char out[64];
	long bad;

	assert_int_equal(tis620_decode(in, sizeof(in), out, sizeof(out), &bad, NULL), 0);
	assert_string_equal(out, "น้ำผึ้ง");
	assert_int_equal(bad, -1);
}

static void test_tis620_trims_space_and_nul_padding(void **state UNUSED)
{
	uint8_t in[100];
	char out[CARD_TEXT_MAX];
	long bad;

	memset(in, ' ', sizeof(in));
	in[0] = ' ';
	in[1] = 0xB9; /* น */
	in[2] = ' ';
	in[3] = 0xA1; /* ก */
	memset(in + 60, 0, 40);
	in[59] = ' ';
	assert_int_equal(tis620_decode(in, sizeof(in), out, sizeof(out), &bad, NULL), 0);
	assert_string_equal(out, "น ก");

	memset(in, 0, sizeof(in));
	assert_int_equal(tis620_decode(in, sizeof(in), out, sizeof(out), &bad, NULL), 0);
	assert_string_equal(out, "");
	memset(in, ' ', sizeof(in));
	assert_int_equal(tis620_decode(in, sizeof(in), out, sizeof(out), &bad, NULL), 0);
	assert_string_equal(out, "");
}

/* "ก" X "ก": the bad byte shows as U+FFFD, nothing around it is lost. */
static void check_bad_byte(uint8_t x)
{
	uint8_t in[] = { 'A', 0xA1, x, 0xA1, 'Z', ' ', ' ' };
	char out[64];
	long bad = -7;
	tb_err e = { TB_OK, 0, NULL };

	assert_int_equal(tis620_decode(in, sizeof(in), out, sizeof(out), &bad, &e), 1);
	assert_string_equal(out, "Aก" U_FFFD "กZ");
	assert_int_equal(bad, 2);
}

static void test_tis620_bad_ff(void **state UNUSED)
{
	check_bad_byte(0xFF);
}

static void test_tis620_bad_db(void **state UNUSED)
{
	check_bad_byte(0xDB);
}

static void test_tis620_bad_80(void **state UNUSED)
{
	check_bad_byte(0x80);
}

static void test_tis620_bad_control(void **state UNUSED)
{
	check_bad_byte(0x07);
	check_bad_byte(0x7F);
	check_bad_byte(0x00); /* a NUL inside the text is not padding */
}

/* Every byte value against the table in the protocol doc. */
static void test_tis620_every_byte(void **state UNUSED)
{
	int b;

	for (b = 0; b < 256; b++) {
		uint8_t in[3] = { 0xA1, (uint8_t)b, 0xA1 };
		char out[32];
		long bad;
		int valid = (b >= 0x20 && b <= 0x7E) || (b >= 0xA1 && b <= 0xDA) ||
			    (b >= 0xDF && b <= 0xFB);
		int rc = tis620_decode(in, 3, out, sizeof(out), &bad, NULL);

		if (!valid) {
			assert_int_equal(rc, 1);
			assert_int_equal(bad, 1);
			assert_string_equal(out, "ก" U_FFFD "ก");
		} else if (b < 0x80) {
			char want[8] = "ก?ก";

			want[3] = (char)b;
			assert_int_equal(rc, 0);
			assert_string_equal(out, want);
		} else {
			unsigned cp = 0x0E01 + (unsigned)(b - 0xA1);
			char want[16];

			want[0] = "ก"[0];
			want[1] = "ก"[1];
			want[2] = "ก"[2];
			want[3] = (char)(0xE0 | (cp >> 12));
			want[4] = (char)(0x80 | ((cp >> 6) & 0x3F));
			want[5] = (char)(0x80 | (cp & 0x3F));
			memcpy(want + 6, "ก", 4);
			assert_int_equal(rc, 0);
			assert_string_equal(out, want);
		}
	}
}

static void test_tis620_first_bad_offset_kept(void **state UNUSED)
{
	static const uint8_t in[] = { ' ', 0xA1, 0x80, 0xA1, 0xFF, 0xA1 };
	char out[64];
	long bad;

	assert_int_equal(tis620_decode(in, sizeof(in), out, sizeof(out), &bad, NULL), 1);
	assert_int_equal(bad, 2); /* offset in the field, leading space counted */
	assert_string_equal(out, "ก" U_FFFD "ก" U_FFFD "ก");
}

static void test_tis620_output_too_small(void **state UNUSED)
{
	static const uint8_t in[] = { 0xC8, 0xC3, 0xD5, 0xCA, 0xD8 }; /* ศรีสุ */
	static const uint8_t badin[] = { 0xA1, 0xFF };
	char out[8];
	long bad;
	tb_err e = { TB_OK, 0, NULL };

	memset(out, 'x', sizeof(out));
	assert_int_equal(tis620_decode(in, sizeof(in), out, sizeof(out), &bad, &e), -1);
	assert_int_not_equal(e.id, TB_OK);
	/* Two whole letters (6 bytes) fit in 8 with the NUL; never half of one. */
	assert_string_equal(out, "ศร");

	e.id = TB_OK;
	assert_int_equal(tis620_decode(badin, sizeof(badin), out, 5, &bad, &e), -1);
	assert_int_not_equal(e.id, TB_OK);
	assert_string_equal(out, "ก");
	assert_true(utf8_whole(out));

	assert_int_equal(tis620_decode(in, sizeof(in), out, 0, &bad, &e), -1);
}

static void test_ascii_field(void **state UNUSED)
{
	static const uint8_t good[] = { ' ', '0', '0', '0', '3', ' ', 0, 0 };
	static const uint8_t bad[] = { '1', 0x01, '2', 0xB9 };
	char out[16];

	assert_int_equal(ascii_field(good, sizeof(good), out, sizeof(out)), 0);
	assert_string_equal(out, "0003");
	assert_int_equal(ascii_field(bad, sizeof(bad), out, sizeof(out)), 1);
	assert_string_equal(out, "1?2?");
	assert_int_equal(ascii_field(good, sizeof(good), out, 3), 0);
	assert_string_equal(out, "00");
}

/* ---- names ------------------------------------------------------------------------ */

static void test_name_empty_middle(void **state UNUSED)
{
	struct card_name n;

	card_name_parse("นาย#สมชาย##ใจดี", &n);
	assert_string_equal(n.title, "นาย");
	assert_string_equal(n.first, "สมชาย");
	assert_string_equal(n.middle, "");
	assert_string_equal(n.last, "ใจดี");
}

static void test_name_with_middle(void **state UNUSED)
{
	struct card_name n;

	card_name_parse("Mr.#John#Paul#Smith", &n);
	assert_string_equal(n.title, "Mr.");
	assert_string_equal(n.first, "John");
	assert_string_equal(n.middle, "Paul");
	assert_string_equal(n.last, "Smith");
}

static void test_name_missing_parts(void **state UNUSED)
{
	struct card_name n;

	card_name_parse("นาย#สมชาย", &n);
	assert_string_equal(n.title, "นาย");
	assert_string_equal(n.first, "สมชาย");
	assert_string_equal(n.middle, "");
	assert_string_equal(n.last, "");

	card_name_parse("", &n);
	assert_string_equal(n.title, "");
	assert_string_equal(n.last, "");

	memset(&n, 'x', sizeof(n));
	card_name_parse(NULL, &n);
	assert_string_equal(n.first, "");
}

static void test_name_extra_spaces(void **state UNUSED)
{
	struct card_name n;

	card_name_parse("  Mr. #  Somchai   # #  Jai   Dee  ", &n);
	assert_string_equal(n.title, "Mr.");
	assert_string_equal(n.first, "Somchai");
	assert_string_equal(n.middle, "");
	assert_string_equal(n.last, "Jai Dee");
}

static void test_name_extra_hash_not_lost(void **state UNUSED)
{
	struct card_name n;

	card_name_parse("นาย#สม#ชาย#ใจ#ดี", &n);
	assert_string_equal(n.middle, "ชาย");
	assert_string_equal(n.last, "ใจ ดี");
}

/* ---- dates -------------------------------------------------------------------------- */

static int date_of(const char *s, struct card_date *d)
{
	assert_int_equal(strlen(s), 8);
	return card_date_parse((const uint8_t *)s, d);
}

static void test_date_normal(void **state UNUSED)
{
	struct card_date d;

	assert_int_equal(date_of("25360719", &d), 0);
	assert_int_equal(d.year, 2536);
	assert_int_equal(d.month, 7);
	assert_int_equal(d.day, 19);
	assert_false(d.lifelong);
}

static void test_date_lifelong(void **state UNUSED)
{
	struct card_date d;

	assert_int_equal(date_of("99999999", &d), 0);
	assert_true(d.lifelong);
	assert_int_not_equal(d.year, 0); /* not mistaken for absent */
}

static void test_date_unknown_day_and_month(void **state UNUSED)
{
	struct card_date d;

	assert_int_equal(date_of("25360700", &d), 0);
	assert_int_equal(d.year, 2536);
	assert_int_equal(d.month, 7);
	assert_int_equal(d.day, 0);
	assert_int_equal(date_of("25360000", &d), 0);
	assert_int_equal(d.year, 2536);
	assert_int_equal(d.month, 0);
	assert_int_equal(d.day, 0);
}

static void test_date_absent(void **state UNUSED)
{
	static const uint8_t nuls[8] = { 0 };
	struct card_date d;

	assert_int_equal(date_of("        ", &d), 0);
	assert_int_equal(d.year, 0);
	assert_false(d.lifelong);
	assert_int_equal(date_of("00000000", &d), 0);
	assert_int_equal(d.year, 0);
	assert_int_equal(card_date_parse(nuls, &d), 0);
	assert_int_equal(d.year, 0);
}

static void test_date_invalid(void **state UNUSED)
{
	static const char *const bad[] = {
		"25361301", /* month 13 */
		"25360132", /* day 32 */
		"25360230", /* 30 February */
		"25360431", /* 31 April */
		"25360931", /* 31 September */
		"2536O719", /* letter O */
		"253607 9",
		"25360015", /* a day without a month */
		"00000719", /* a month without a year */
		"-2536071",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct card_date d = { 1, 1, 1, true };

		assert_int_equal(date_of(bad[i], &d), -1);
		/* Nothing half-parsed is left for display. */
		assert_int_equal(d.year, 0);
		assert_false(d.lifelong);
	}
}

/* The leap rule runs on the Gregorian year (BE - 543): 2567 BE is 2024. */
static void test_date_leap_years(void **state UNUSED)
{
	struct card_date d;

	assert_int_equal(date_of("25670229", &d), 0); /* 2024 */
	assert_int_equal(d.day, 29);
	assert_int_equal(date_of("25430229", &d), 0); /* 2000, divisible by 400 */
	assert_int_equal(date_of("25390229", &d), 0); /* 1996 */
	assert_int_equal(date_of("25660229", &d), -1); /* 2023 */
	assert_int_equal(date_of("25680229", &d), -1); /* 2025, though 2568 % 4 == 0 */
	assert_int_equal(date_of("24430229", &d), -1); /* 1900 */
	assert_int_equal(date_of("26430229", &d), -1); /* 2100 */
	assert_int_equal(date_of("25660228", &d), 0);
}

static void test_gender(void **state UNUSED)
{
	assert_int_equal(card_gender_parse('1'), CARD_GENDER_MALE);
	assert_int_equal(card_gender_parse('2'), CARD_GENDER_FEMALE);
	assert_int_equal(card_gender_parse('3'), CARD_GENDER_UNKNOWN);
	assert_int_equal(card_gender_parse(' '), CARD_GENDER_UNKNOWN);
	assert_int_equal(card_gender_parse(1), CARD_GENDER_UNKNOWN);
	assert_int_equal(card_gender_parse(0xFF), CARD_GENDER_UNKNOWN);
}

/* ---- citizen ID ---------------------------------------------------------------------- */

static void test_cid_valid(void **state UNUSED)
{
	static const char *const prefixes[] = {
		"310100123456", "110170020345", "000000000000", "999999999999",
		"123456789012", "510199900011", "876543210987",
	};
	size_t i;

	/* Worked by hand: 1101700203450: sum 144, 144 % 11 = 1, (11-1) % 10 = 0.
	 * 1234567890121: sum 352 = 32 * 11, (11-0) % 10 = 1.
	 * 5000000000001: sum 65, 65 % 11 = 10, (11-10) % 10 = 1. */
	assert_true(cid_valid("1101700203450"));
	assert_true(cid_valid("1234567890121"));
	assert_true(cid_valid("5000000000001"));
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		char cid[14];

		cid_make(prefixes[i], cid);
		assert_true(cid_valid(cid));
	}
}

static void test_cid_wrong_check_digit(void **state UNUSED)
{
	char cid[14];
	char d;

	cid_make("310100123456", cid);
	for (d = '0'; d <= '9'; d++) {
		char other[14];

		if (d == cid[12])
			continue;
		memcpy(other, cid, sizeof(other));
		other[12] = d;
		assert_false(cid_valid(other));
	}
	/* Two digits swapped: the weights catch it. */
	assert_false(cid_valid("1011700203450"));
}

static void test_cid_wrong_shape(void **state UNUSED)
{
	assert_false(cid_valid("110170020345"));   /* 12 digits */
	assert_false(cid_valid("11017002034500")); /* 14 digits */
	assert_false(cid_valid("11017002O3450"));  /* a letter O */
	assert_false(cid_valid("1101700 03450"));
	assert_false(cid_valid("ABCDEFGHIJKLM"));
	assert_false(cid_valid(""));
	assert_false(cid_valid(NULL));
}

/* ---- address ------------------------------------------------------------------------- */

static void test_address_provincial(void **state UNUSED)
{
	struct card_address a;

	card_address_parse("99/1#หมู่ที่ 5#ตรอกวัด#ซอยสุขใจ#ถนนพหลโยธิน#ตำบลบางพูด#อำเภอปากเกร็ด#จังหวัดนนทบุรี", &a);
	assert_string_equal(a.house_no, "99/1");
	assert_string_equal(a.village_no, "5");
	assert_string_equal(a.trok, "วัด");
	assert_string_equal(a.soi, "สุขใจ");
	assert_string_equal(a.road, "พหลโยธิน");
	assert_string_equal(a.subdistrict, "บางพูด");
	assert_string_equal(a.district, "ปากเกร็ด");
	assert_string_equal(a.province, "นนทบุรี");
	assert_string_equal(a.extra, "");
	assert_string_equal(a.full, "99/1 หมู่ที่ 5 ตรอกวัด ซอยสุขใจ ถนนพหลโยธิน ตำบลบางพูด อำเภอปากเกร็ด จังหวัดนนทบุรี");
}

static void test_address_bangkok(void **state UNUSED)
{
	struct card_address a;

	card_address_parse("111/11#####แขวงลาดยาว#เขตจตุจักร#กรุงเทพมหานคร", &a);
	assert_string_equal(a.house_no, "111/11");
	assert_string_equal(a.village_no, "");
	assert_string_equal(a.soi, "");
	assert_string_equal(a.road, "");
	assert_string_equal(a.subdistrict, "ลาดยาว");
	assert_string_equal(a.district, "จตุจักร");
	assert_string_equal(a.province, "กรุงเทพมหานคร");
	assert_string_equal(a.extra, "");
	assert_string_equal(a.full, "111/11 แขวงลาดยาว เขตจตุจักร กรุงเทพมหานคร");
}

/* Readers disagree on slot order: prefixes decide, not positions. */
static void test_address_slots_out_of_order(void **state UNUSED)
{
	struct card_address a;

	card_address_parse("7#ถนนสุขุมวิท#ซอย 11##หมู่ 3#ตำบลคลองเตยเหนือ#อำเภอเมือง#จังหวัดชลบุรี", &a);
	assert_string_equal(a.house_no, "7");
	assert_string_equal(a.road, "สุขุมวิท");
	assert_string_equal(a.soi, "11");
	assert_string_equal(a.village_no, "3");
	assert_string_equal(a.province, "ชลบุรี");
}

static void test_address_empty_slots(void **state UNUSED)
{
	struct card_address a;

	card_address_parse("#######", &a);
	assert_string_equal(a.house_no, "");
	assert_string_equal(a.province, "");
	assert_string_equal(a.extra, "");
	assert_string_equal(a.full, "");

	card_address_parse("  12  #  # ถนนพระราม 4 #", &a);
	assert_string_equal(a.house_no, "12");
	assert_string_equal(a.road, "พระราม 4");
	assert_string_equal(a.full, "12 ถนนพระราม 4");

	card_address_parse(NULL, &a);
	assert_string_equal(a.full, "");
}

static void test_address_unknown_kept_in_extra(void **state UNUSED)
{
	struct card_address a;

	/* A housing estate is not a village number, and not the house. */
	card_address_parse("99/1#หมู่บ้านสุขใจ#ซอย 1#ซอย 2#ตำบลบางพูด#อำเภอปากเกร็ด#จังหวัดนนทบุรี#ห้อง 5", &a);
	assert_string_equal(a.house_no, "99/1");
	assert_string_equal(a.village_no, "");
	assert_string_equal(a.soi, "1");
	assert_string_equal(a.province, "นนทบุรี");
	assert_string_equal(a.extra, "หมู่บ้านสุขใจ ซอย 2 ห้อง 5");
	assert_string_equal(a.full, "99/1 หมู่บ้านสุขใจ ซอย 1 ซอย 2 ตำบลบางพูด อำเภอปากเกร็ด จังหวัดนนทบุรี ห้อง 5");
}

/* No house number on the card: a later name is not promoted to one. */
static void test_address_no_house_number(void **state UNUSED)
{
	struct card_address a;

	card_address_parse("#หมู่ที่ 4#บ้านหนองบัว###ตำบลนาดี#อำเภอเมือง#จังหวัดอุดรธานี", &a);
	assert_string_equal(a.house_no, "");
	assert_string_equal(a.village_no, "4");
	assert_string_equal(a.extra, "บ้านหนองบัว");
	assert_string_equal(a.province, "อุดรธานี");
}

/* ---- photo --------------------------------------------------------------------------- */

static void test_jpeg_trailing_padding(void **state UNUSED)
{
	uint8_t buf[64];
	size_t len = 99;

	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\xFF\xD9", 13);
	assert_int_equal(jpeg_extent(buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 13);

	memset(buf + 13, 0, sizeof(buf) - 13);
	len = 99;
	assert_int_equal(jpeg_extent(buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 13);

	/* No padding at all: the whole buffer. */
	assert_int_equal(jpeg_extent(buf, 13, &len), 0);
	assert_int_equal(len, 13);
}

static void test_jpeg_missing_markers(void **state UNUSED)
{
	static const uint8_t no_soi[] = { 0x00, 0xD8, 0xFF, 0xE0, 0xFF, 0xD9 };
	static const uint8_t no_eoi[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x12, 0xFF, 0x20 };
	static const uint8_t tiny[] = { 0xFF, 0xD8 };
	size_t len = 5;

	assert_int_equal(jpeg_extent(no_soi, sizeof(no_soi), &len), -1);
	assert_int_equal(jpeg_extent(no_eoi, sizeof(no_eoi), &len), -1);
	assert_int_equal(jpeg_extent(tiny, sizeof(tiny), &len), -1);
	assert_int_equal(jpeg_extent(NULL, 0, &len), -1);
}

static void test_jpeg_last_eoi_wins(void **state UNUSED)
{
	static const uint8_t buf[] = { 0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xD9, /* thumbnail end */
				       0x11, 0x22, 0xFF, 0xDA, 0x33, 0xFF, 0xD9,
				       0x00, 0x20, 0x20 };
	size_t len = 0;

	assert_int_equal(jpeg_extent(buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 13);
}

static void test_photo_len_field(void **state UNUSED)
{
	uint8_t h[CARD_LEN_HEADER];

	memset(h, ' ', sizeof(h));
	h[0x179] = 0x0F;
	h[0x17A] = 0xA0;
	assert_int_equal(card_photo_len_field(h), 4000);
	h[0x179] = 0x13;
	h[0x17A] = 0xEC;
	assert_int_equal(card_photo_len_field(h), 5100);
	h[0x17A] = 0xED;
	assert_int_equal(card_photo_len_field(h), 0); /* 5101: too long */
	h[0x179] = 0;
	h[0x17A] = 0;
	assert_int_equal(card_photo_len_field(h), 0);
	h[0x179] = 0x20; /* spaces: a card without the field */
	h[0x17A] = 0x20;
	assert_int_equal(card_photo_len_field(h), 0);
	h[0x179] = 0x00;
	h[0x17A] = 0x01;
	assert_int_equal(card_photo_len_field(h), 1);
}

/* ---- whole header and tail ------------------------------------------------------------ */

static void test_header_decode_good(void **state UNUSED)
{
	uint8_t h[CARD_LEN_HEADER];
	struct card_record *r = card_record_new();

	assert_non_null(r);
	hdr_build(h);
	card_header_decode(h, r);
	assert_true(r->have & CARD_HAVE_HEADER);
	assert_int_equal(r->flags, 0);
	assert_int_equal(r->nwarn, 0);
	assert_string_equal(r->version, "0003");
	assert_string_equal(r->cid, good_cid);
	assert_string_equal(r->th.title, "นางสาว");
	assert_string_equal(r->th.first, "น้ำผึ้ง");
	assert_string_equal(r->th.middle, "");
	assert_string_equal(r->th.last, "ศรีสุวรรณ์");
	assert_string_equal(r->en.title, "Miss");
	assert_string_equal(r->en.first, "Namphueng");
	assert_string_equal(r->en.last, "Srisuwan");
	assert_int_equal(r->birth.year, 2536);
	assert_int_equal(r->birth.month, 7);
	assert_int_equal(r->birth.day, 19);
	assert_int_equal(r->gender, CARD_GENDER_FEMALE);
	assert_string_equal(r->request_no, "1001-01-12345678");
	assert_string_equal(r->issuer, "อำเภอปากเกร็ด/นนทบุรี");
	assert_string_equal(r->issuer_code, "1203000012345");
	assert_int_equal(r->issue.year, 2564);
	assert_int_equal(r->issue.month, 1);
	assert_int_equal(r->issue.day, 1);
	assert_int_equal(r->expiry.year, 2572);
	assert_int_equal(r->expiry.month, 7);
	assert_int_equal(r->expiry.day, 18);
	assert_false(r->expiry.lifelong);
	assert_string_equal(r->card_type, "01");
	assert_int_equal(card_photo_len_field(h), 4000);
	card_record_free(&r);
}

static void test_header_lifelong_and_unknown_birth_day(void **state UNUSED)
{
	uint8_t h[CARD_LEN_HEADER];
	struct card_record *r = card_record_new();

	hdr_build(h);
	put_ascii(h, H_EXPIRY, 8, "99999999");
	put_ascii(h, H_BIRTH, 8, "24900000");
	h[H_GENDER] = '1';
	card_header_decode(h, r);
	assert_int_equal(r->nwarn, 0);
	assert_true(r->expiry.lifelong);
	assert_int_equal(r->birth.year, 2490);
	assert_int_equal(r->birth.month, 0);
	assert_int_equal(r->gender, CARD_GENDER_MALE);
	card_record_free(&r);
}

static void test_header_bad_checksum(void **state UNUSED)
{
	uint8_t h[CARD_LEN_HEADER];
	struct card_record *r = card_record_new();
	const tb_err *w;
	char shown[14];

	hdr_build(h);
	h[H_CID + 12] = good_cid[12] == '9' ? '0' : (uint8_t)(good_cid[12] + 1);
	memcpy(shown, h + H_CID, 13);
	shown[13] = '\0';
	card_header_decode(h, r);
	assert_true(r->flags & CARD_FLAG_CID_BAD);
	w = warn_find(r, "cid");
	assert_non_null(w);
	assert_int_equal(w->id, TB_E_CARD_CID);
	assert_string_equal(r->cid, shown); /* shown as read, never hidden */
	assert_string_equal(r->th.first, "น้ำผึ้ง"); /* the rest still decoded */
	card_record_free(&r);
}

static void test_header_bad_thai_byte(void **state UNUSED)
{
	uint8_t h[CARD_LEN_HEADER];
	struct card_record *r = card_record_new();
	const tb_err *w;

	hdr_build(h);
	h[H_NAME_TH + 8] = 0xFF; /* inside the first name */
	card_header_decode(h, r);
	assert_true(r->flags & CARD_FLAG_TEXT_BAD);
	assert_false(r->flags & CARD_FLAG_CID_BAD);
	w = warn_find(r, "name_th");
	assert_non_null(w);
	assert_int_equal(w->id, TB_E_CARD_TEXT);
	assert_int_equal(w->detail, 8);
	assert_non_null(strstr(r->th.first, U_FFFD));
	assert_string_equal(r->th.title, "นางสาว");
	assert_string_equal(r->th.last, "ศรีสุวรรณ์");
	card_record_free(&r);
}

static void test_header_bad_date(void **state UNUSED)
{
	uint8_t h[CARD_LEN_HEADER];
	struct card_record *r = card_record_new();
	const tb_err *w;

	hdr_build(h);
	put_ascii(h, H_EXPIRY, 8, "25721345");
	card_header_decode(h, r);
	assert_true(r->flags & CARD_FLAG_DATE_BAD);
	w = warn_find(r, "expiry");
	assert_non_null(w);
	assert_int_equal(w->id, TB_E_CARD_DATE);
	assert_null(warn_find(r, "birth"));
	assert_int_equal(r->birth.year, 2536);

	put_ascii(h, H_BIRTH, 8, "2536021x");
	card_header_decode(h, r);
	assert_non_null(warn_find(r, "birth"));
	card_record_free(&r);
}

static void test_tail_decode(void **state UNUSED)
{
	uint8_t t[CARD_LEN_TAIL];
	struct card_record *r = card_record_new();

	memset(t, ' ', sizeof(t));
	put_thai(t, 0, CARD_LEN_ADDRESS,
		 "111/11#####แขวงลาดยาว#เขตจตุจักร#กรุงเทพมหานคร");
	put_ascii(t, CARD_LEN_ADDRESS, CARD_LEN_PHOTO_NO, "12345678901234");
	card_tail_decode(t, r);
	assert_true(r->have & CARD_HAVE_ADDRESS);
	assert_int_equal(r->nwarn, 0);
	assert_string_equal(r->addr.house_no, "111/11");
	assert_string_equal(r->addr.district, "จตุจักร");
	assert_string_equal(r->addr.province, "กรุงเทพมหานคร");
	assert_string_equal(r->photo_no, "12345678901234");
	card_record_free(&r);
}

static void test_tail_bad_byte(void **state UNUSED)
{
	uint8_t t[CARD_LEN_TAIL];
	struct card_record *r = card_record_new();
	const tb_err *w;
	size_t n;

	memset(t, ' ', sizeof(t));
	n = tis_from_utf8("5#ถนนสุขุมวิท", t, CARD_LEN_ADDRESS);
	t[n] = 0x9F;
	card_tail_decode(t, r);
	assert_true(r->flags & CARD_FLAG_TEXT_BAD);
	w = warn_find(r, "address");
	assert_non_null(w);
	assert_int_equal(w->id, TB_E_CARD_TEXT);
	assert_int_equal(w->detail, (long)n);
	assert_string_equal(r->addr.road, "สุขุมวิท" U_FFFD);
	card_record_free(&r);
}

/* ---- record ---------------------------------------------------------------------------- */

static void test_record_dup_and_free(void **state UNUSED)
{
	static const uint8_t jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x01, 0xFF, 0xD9 };
	uint8_t h[CARD_LEN_HEADER];
	struct card_record *r = card_record_new();
	struct card_record *c;

	hdr_build(h);
	card_header_decode(h, r);
	r->photo = malloc(sizeof(jpeg));
	assert_non_null(r->photo);
	memcpy(r->photo, jpeg, sizeof(jpeg));
	r->photo_len = sizeof(jpeg);
	r->have |= CARD_HAVE_PHOTO;

	c = card_record_dup(r);
	assert_non_null(c);
	assert_ptr_not_equal(c->photo, r->photo); /* a copy, not shared */
	assert_int_equal(c->photo_len, sizeof(jpeg));
	assert_memory_equal(c->photo, jpeg, sizeof(jpeg));
	assert_string_equal(c->th.last, "ศรีสุวรรณ์");

	card_record_free(&r);
	assert_null(r);
	/* The copy outlives the original. */
	assert_memory_equal(c->photo, jpeg, sizeof(jpeg));
	assert_string_equal(c->cid, good_cid);
	card_record_free(&c);
	assert_null(c);
	card_record_free(&c); /* freeing twice through the same pointer is safe */
	card_record_free(NULL);
}

static void test_record_dup_without_photo(void **state UNUSED)
{
	struct card_record *r = card_record_new();
	struct card_record *c;

	assert_non_null(r);
	assert_null(r->photo);
	c = card_record_dup(r);
	assert_non_null(c);
	assert_null(c->photo);
	assert_int_equal(c->photo_len, 0);
	card_record_free(&c);
	card_record_free(&r);
	assert_null(card_record_dup(NULL));
}

static void test_record_warn_overflow(void **state UNUSED)
{
	struct card_record *r = card_record_new();
	int i;

	for (i = 0; i < CARD_WARN_MAX + 3; i++)
		card_record_warn(r, CARD_FLAG_DATE_BAD, TB_E_CARD_DATE, i, "birth");
	card_record_warn(r, CARD_FLAG_PHOTO_BAD, TB_E_CARD_PHOTO, 0, "photo");
	assert_int_equal(r->nwarn, CARD_WARN_MAX);
	assert_int_equal(r->warn[0].id, TB_E_CARD_DATE);
	assert_int_equal(r->warn[CARD_WARN_MAX - 1].detail, CARD_WARN_MAX - 1);
	/* Past the limit the flag still tells the clerk. */
	assert_true(r->flags & CARD_FLAG_PHOTO_BAD);
	card_record_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tis620_surname_with_marks),
		cmocka_unit_test(test_tis620_stacked_tone_marks),
		cmocka_unit_test(test_tis620_trims_space_and_nul_padding),
		cmocka_unit_test(test_tis620_bad_ff),
		cmocka_unit_test(test_tis620_bad_db),
		cmocka_unit_test(test_tis620_bad_80),
		cmocka_unit_test(test_tis620_bad_control),
		cmocka_unit_test(test_tis620_every_byte),
		cmocka_unit_test(test_tis620_first_bad_offset_kept),
		cmocka_unit_test(test_tis620_output_too_small),
		cmocka_unit_test(test_ascii_field),
		cmocka_unit_test(test_name_empty_middle),
		cmocka_unit_test(test_name_with_middle),
		cmocka_unit_test(test_name_missing_parts),
		cmocka_unit_test(test_name_extra_spaces),
		cmocka_unit_test(test_name_extra_hash_not_lost),
		cmocka_unit_test(test_date_normal),
		cmocka_unit_test(test_date_lifelong),
		cmocka_unit_test(test_date_unknown_day_and_month),
		cmocka_unit_test(test_date_absent),
		cmocka_unit_test(test_date_invalid),
		cmocka_unit_test(test_date_leap_years),
		cmocka_unit_test(test_gender),
		cmocka_unit_test(test_cid_valid),
		cmocka_unit_test(test_cid_wrong_check_digit),
		cmocka_unit_test(test_cid_wrong_shape),
		cmocka_unit_test(test_address_provincial),
		cmocka_unit_test(test_address_bangkok),
		cmocka_unit_test(test_address_slots_out_of_order),
		cmocka_unit_test(test_address_empty_slots),
		cmocka_unit_test(test_address_unknown_kept_in_extra),
		cmocka_unit_test(test_address_no_house_number),
		cmocka_unit_test(test_jpeg_trailing_padding),
		cmocka_unit_test(test_jpeg_missing_markers),
		cmocka_unit_test(test_jpeg_last_eoi_wins),
		cmocka_unit_test(test_photo_len_field),
		cmocka_unit_test(test_header_decode_good),
		cmocka_unit_test(test_header_lifelong_and_unknown_birth_day),
		cmocka_unit_test(test_header_bad_checksum),
		cmocka_unit_test(test_header_bad_thai_byte),
		cmocka_unit_test(test_header_bad_date),
		cmocka_unit_test(test_tail_decode),
		cmocka_unit_test(test_tail_bad_byte),
		cmocka_unit_test(test_record_dup_and_free),
		cmocka_unit_test(test_record_dup_without_photo),
		cmocka_unit_test(test_record_warn_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
