/* What a counter clerk would see from the card decoders' text: TIS-620
 * with its marks, bad bytes and padding, and names split at their #. */
#include "config.h"

#include "tests/unit/card_decode_fixture.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
