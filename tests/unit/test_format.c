/* How IDs and dates read on screen, in Thai and in English, and when a card
 * counts as expired. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "services/base/format.h"
#include "tests/unit/card_decode_fixture.h"

/* cmocka hands every test a state pointer these tests do not need. */
#define UNUSED __attribute__((unused))

static struct card_date date_make(int y, int m, int d)
{
	struct card_date x = { y, m, d, false };

	return x;
}

static const struct card_date lifelong = { 9999, 0, 0, true };
static const struct card_date absent = { 0, 0, 0, false };

/* ---- citizen ID --------------------------------------------------------------- */

static void test_cid_grouped(void **state UNUSED)
{
	char out[32];

	format_cid("1234567890121", out, sizeof(out));
	assert_string_equal(out, "1-2345-67890-12-1");
	format_cid("3101001234565", out, sizeof(out));
	assert_string_equal(out, "3-1010-01234-56-5");
}

static void test_cid_not_13_digits_copied(void **state UNUSED)
{
	char out[32];

	format_cid("123456789012", out, sizeof(out));
	assert_string_equal(out, "123456789012");
	format_cid("12345678901?1", out, sizeof(out));
	assert_string_equal(out, "12345678901?1");
	format_cid("", out, sizeof(out));
	assert_string_equal(out, "");
}

static void test_cid_small_buffer(void **state UNUSED)
{
	char out[8];

	memset(out, 'x', sizeof(out));
	format_cid("1234567890121", out, sizeof(out));
	assert_string_equal(out, "1-2345-");
}

/* ---- dates -------------------------------------------------------------------- */

static void test_date_th(void **state UNUSED)
{
	struct card_date d;
	char out[64];

	d = date_make(2536, 7, 19);
	format_date(&d, TB_LANG_TH, out, sizeof(out));
	assert_string_equal(out, "19 ก.ค. 2536");
	d = date_make(2536, 7, 0);
	format_date(&d, TB_LANG_TH, out, sizeof(out));
	assert_string_equal(out, "ก.ค. 2536");
	d = date_make(2536, 0, 0);
	format_date(&d, TB_LANG_TH, out, sizeof(out));
	assert_string_equal(out, "2536");
	format_date(&lifelong, TB_LANG_TH, out, sizeof(out));
	assert_string_equal(out, "ตลอดชีพ");
	format_date(&absent, TB_LANG_TH, out, sizeof(out));
	assert_string_equal(out, "-");
	format_date(NULL, TB_LANG_TH, out, sizeof(out));
	assert_string_equal(out, "-");
}

static void test_date_en(void **state UNUSED)
{
	struct card_date d;
	char out[64];

	d = date_make(2536, 7, 19);
	format_date(&d, TB_LANG_EN, out, sizeof(out));
	assert_string_equal(out, "19 Jul 2536 BE");
	d = date_make(2536, 7, 0);
	format_date(&d, TB_LANG_EN, out, sizeof(out));
	assert_string_equal(out, "Jul 2536 BE");
	d = date_make(2536, 0, 0);
	format_date(&d, TB_LANG_EN, out, sizeof(out));
	assert_string_equal(out, "2536 BE");
	format_date(&lifelong, TB_LANG_EN, out, sizeof(out));
	assert_string_equal(out, "lifelong");
	format_date(&absent, TB_LANG_EN, out, sizeof(out));
	assert_string_equal(out, "-");
}

static void test_date_every_month(void **state UNUSED)
{
	static const char *const th[12] = {
		"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
		"ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
	};
	static const char *const en[12] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	int m;

	for (m = 1; m <= 12; m++) {
		struct card_date d = date_make(2567, m, 1);
		char out[64], want[64];

		format_date(&d, TB_LANG_TH, out, sizeof(out));
		strcpy(want, "1 ");
		strcat(want, th[m - 1]);
		strcat(want, " 2567");
		assert_string_equal(out, want);
		format_date(&d, TB_LANG_EN, out, sizeof(out));
		strcpy(want, "1 ");
		strcat(want, en[m - 1]);
		strcat(want, " 2567 BE");
		assert_string_equal(out, want);
	}
}

/* A narrow column must not end in half a Thai letter. */
static void test_date_small_buffer_whole_chars(void **state UNUSED)
{
	struct card_date d = date_make(2536, 7, 19);
	size_t size;

	for (size = 1; size <= 20; size++) {
		char out[20];

		memset(out, 'x', sizeof(out));
		format_date(&d, TB_LANG_TH, out, size);
		assert_true(strlen(out) < size);
		assert_true(utf8_whole(out));
		assert_memory_equal(out, "19 ก.ค. 2536", strlen(out));
	}
	{
		char out[6];

		format_date(&lifelong, TB_LANG_TH, out, sizeof(out));
		assert_string_equal(out, "ต");
	}
}

static void test_date_be(void **state UNUSED)
{
	struct card_date d;
	char out[32];

	d = date_make(2536, 7, 19);
	format_date_be(&d, out, sizeof(out));
	assert_string_equal(out, "2536-07-19");
	d = date_make(2536, 7, 0);
	format_date_be(&d, out, sizeof(out));
	assert_string_equal(out, "2536-07-00");
	d = date_make(2536, 0, 0);
	format_date_be(&d, out, sizeof(out));
	assert_string_equal(out, "2536-00-00");
	format_date_be(&lifelong, out, sizeof(out));
	assert_string_equal(out, "99999999");
	format_date_be(&absent, out, sizeof(out));
	assert_string_equal(out, "");
}

static void test_today_is_buddhist_era(void **state UNUSED)
{
	struct card_date d;
	time_t now = time(NULL);
	struct tm tm;

	format_today(&d);
	localtime_r(&now, &tm);
	assert_int_equal(d.year, tm.tm_year + 1900 + 543);
	assert_true(d.year >= 2567);
	assert_true(d.month >= 1 && d.month <= 12);
	assert_true(d.day >= 1 && d.day <= 31);
	assert_false(d.lifelong);
}

/* ---- comparing and expiry --------------------------------------------------------- */

static void test_date_cmp(void **state UNUSED)
{
	struct card_date a = date_make(2567, 3, 15);
	struct card_date b = date_make(2567, 3, 16);
	struct card_date c = date_make(2567, 4, 1);
	struct card_date d = date_make(2568, 1, 1);
	struct card_date month_only = date_make(2567, 3, 0);
	struct card_date year_only = date_make(2567, 0, 0);

	assert_true(card_date_cmp(&a, &b) < 0);
	assert_true(card_date_cmp(&b, &a) > 0);
	assert_true(card_date_cmp(&b, &c) < 0);
	assert_true(card_date_cmp(&c, &d) < 0);
	assert_int_equal(card_date_cmp(&a, &a), 0);
	/* Unknown parts are the earliest. */
	assert_true(card_date_cmp(&month_only, &a) < 0);
	assert_true(card_date_cmp(&year_only, &month_only) < 0);
	assert_true(card_date_cmp(&absent, &year_only) < 0);
	/* Lifelong is after everything. */
	assert_true(card_date_cmp(&lifelong, &d) > 0);
	assert_true(card_date_cmp(&d, &lifelong) < 0);
	assert_int_equal(card_date_cmp(&lifelong, &lifelong), 0);
}

static void test_expired(void **state UNUSED)
{
	struct card_date today = date_make(2567, 6, 15);
	struct card_date past = date_make(2567, 6, 14);
	struct card_date same = date_make(2567, 6, 15);
	struct card_date future = date_make(2572, 7, 18);
	struct card_date last_year = date_make(2566, 12, 31);

	assert_true(card_date_expired(&past, &today));
	assert_true(card_date_expired(&last_year, &today));
	assert_false(card_date_expired(&same, &today)); /* valid through the day */
	assert_false(card_date_expired(&future, &today));
	assert_false(card_date_expired(&lifelong, &today));
	assert_false(card_date_expired(&absent, &today));
}

static void test_expired_against_now(void **state UNUSED)
{
	struct card_date old = date_make(2500, 1, 1);
	struct card_date far = date_make(3000, 1, 1);

	assert_true(card_date_expired(&old, NULL));
	assert_false(card_date_expired(&far, NULL));
	assert_false(card_date_expired(&lifelong, NULL));
}

static void test_clean(void **state)
{
	char out[32];

	(void)state;
	/* Controls (C0, DEL, C1) and stray continuation bytes go; Thai stays
	 * whole; trailing padding is trimmed. */
	assert_int_equal(format_clean(out, sizeof out, "a\x1b[2Jb\x7f\xc2\x9b" "c\x80 ไทย   ", false), 16);
	assert_string_equal(out, "a[2Jbc ไทย");
	/* Folded: breaks, tabs and runs of spaces become one space, none leading. */
	format_clean(out, sizeof out, "  one\r\ntwo\t\tthree  ", true);
	assert_string_equal(out, "one two three");
	/* A letter that does not fit is left out whole, never cut. */
	format_clean(out, 5, "abไทย", false);
	assert_string_equal(out, "ab");
}

static void test_clock(void **state)
{
	char out[32] = "old";

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	format_clock((time_t)0, "%Y-%m-%d %H:%M", out, sizeof out);
	assert_string_equal(out, "1970-01-01 00:00");
	/* Beyond what localtime_r can break down: empty, not garbage. */
	strcpy(out, "old");
	format_clock((time_t)INT64_MAX, "%H:%M", out, sizeof out);
	assert_string_equal(out, "");
}

/* The age as of a given day: the birthday not yet come this year, on the
 * day itself, an unknown month or day (the year's start), not born yet. */
static void test_age_on(void **state UNUSED)
{
	struct card_date today = { 2569, 12, 4, false };

	assert_int_equal(format_age_on(25280315, &today), 41);
	assert_int_equal(format_age_on(25281204, &today), 41);
	assert_int_equal(format_age_on(25281205, &today), 40);
	assert_int_equal(format_age_on(25281231, &today), 40);
	assert_int_equal(format_age_on(25280000, &today), 41);
	assert_int_equal(format_age_on(25281200, &today), 41);
	assert_int_equal(format_age_on(25691204, &today), 0);
	assert_int_equal(format_age_on(25691205, &today), -1);
	assert_int_equal(format_age_on(25700101, &today), -1);
	assert_int_equal(format_age_on(0, &today), -1);
	assert_int_equal(format_age_on(-5, &today), -1);
	assert_int_equal(format_age_on(25280315, NULL), -1);
	/* Today's: the same function as of format_today. */
	format_today(&today);
	assert_int_equal(format_age(25280315), format_age_on(25280315, &today));
}

/* Stored UTC times in local time (here UTC+7 without tzdata), the
 * Buddhist era, the day turning over; anything else copied. */
static void test_stamp(void **state UNUSED)
{
	char out[96];

	setenv("TZ", "ICT-7", 1);
	tzset();
	assert_int_equal(format_stamp("2026-11-21T17:05:41Z", TB_LANG_TH, out, sizeof out), 0);
	assert_string_equal(out, "22 พ.ย. 2569 00:05");
	assert_int_equal(format_stamp("2026-11-21T17:05:41Z", TB_LANG_EN, out, sizeof out), 0);
	assert_string_equal(out, "22 Nov 2569 BE 00:05");
	assert_int_equal(format_stamp("2026-12-31T16:59:00Z", TB_LANG_EN, out, sizeof out), 0);
	assert_string_equal(out, "31 Dec 2569 BE 23:59");
	assert_int_equal(format_stamp("2026-12-31T17:00:00Z", TB_LANG_EN, out, sizeof out), 0);
	assert_string_equal(out, "1 Jan 2570 BE 00:00");
	assert_int_equal(format_stamp("2026-13-01T00:00:00Z", TB_LANG_EN, out, sizeof out), -1);
	assert_string_equal(out, "2026-13-01T00:00:00Z");
	assert_int_equal(format_stamp("2026-11-21 17:05", TB_LANG_EN, out, sizeof out), -1);
	assert_int_equal(format_stamp("2026-11-21T17:05:41Zx", TB_LANG_EN, out, sizeof out), -1);
	assert_int_equal(format_stamp(NULL, TB_LANG_EN, out, sizeof out), -1);
	assert_string_equal(out, "");
	/* Cut whole: never half a Thai letter. */
	assert_int_equal(format_stamp("2026-11-21T17:05:41Z", TB_LANG_TH, out, 8), 0);
	assert_string_equal(out, "22 พ.");
	unsetenv("TZ");
	tzset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cid_grouped),
		cmocka_unit_test(test_cid_not_13_digits_copied),
		cmocka_unit_test(test_cid_small_buffer),
		cmocka_unit_test(test_date_th),
		cmocka_unit_test(test_date_en),
		cmocka_unit_test(test_date_every_month),
		cmocka_unit_test(test_date_small_buffer_whole_chars),
		cmocka_unit_test(test_date_be),
		cmocka_unit_test(test_today_is_buddhist_era),
		cmocka_unit_test(test_date_cmp),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_expired_against_now),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_age_on),
		cmocka_unit_test(test_stamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
