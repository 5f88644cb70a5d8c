/* The card's fields as a counter clerk reads them: Buddhist-era dates
 * (lifelong, unknown day and month, leap years), gender, the citizen ID's
 * check digit, and the address split by its Thai prefixes. */
#include "config.h"

#include "tests/unit/card_decode_fixture.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
