/* The errors catalogue: every entry speaks both languages and says what to
 * do; PC/SC codes map to the entries staff understand. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <winscard.h>

#include <cmocka.h>

#include "services/base/errors.h"

/* Thai script lives in U+0E00..U+0E7F: UTF-8 E0 B8 xx / E0 B9 xx. */
static int has_thai(const char *s)
{
	for (; s[0] && s[1] && s[2]; s++)
		if ((unsigned char)s[0] == 0xE0 && ((unsigned char)s[1] == 0xB8 || (unsigned char)s[1] == 0xB9))
			return 1;
	return 0;
}

static void every_entry_has_both_languages_and_a_hint(void **state)
{
	for (int id = 1; id < TB_ERR_COUNT; id++) {
		assert_true(strlen(err_message(id, TB_LANG_EN)) > 5);
		assert_true(has_thai(err_message(id, TB_LANG_TH)));
		assert_true(strlen(err_hint(id, TB_LANG_EN)) > 5);
		assert_true(has_thai(err_hint(id, TB_LANG_TH)));
		assert_false(has_thai(err_message(id, TB_LANG_EN)));
		assert_true(strlen(err_code(id)) > 1);
	}
}

static void codes_are_unique(void **state)
{
	for (int a = 0; a < TB_ERR_COUNT; a++)
		for (int b = a + 1; b < TB_ERR_COUNT; b++)
			assert_string_not_equal(err_code(a), err_code(b));
}

static void pcsc_codes_map(void **state)
{
	assert_int_equal(err_from_pcsc(SCARD_E_NO_SERVICE), TB_E_PCSC_NO_SERVICE);
	assert_int_equal(err_from_pcsc(SCARD_E_NO_READERS_AVAILABLE), TB_E_PCSC_NO_READER);
	assert_int_equal(err_from_pcsc(SCARD_W_REMOVED_CARD), TB_E_CARD_REMOVED);
	assert_int_equal(err_from_pcsc(SCARD_W_RESET_CARD), TB_E_CARD_RESET);
	assert_int_equal(err_from_pcsc(SCARD_E_SHARING_VIOLATION), TB_E_PCSC_SHARING);
	assert_int_equal(err_from_pcsc(SCARD_E_NO_SMARTCARD), TB_E_PCSC_NO_CARD);
	assert_int_equal(err_from_pcsc(0x80100099L), TB_E_PCSC_OTHER);
}

static void format_shows_code_detail_and_hint(void **state)
{
	tb_err e = { 0 };
	char buf[512];

	err_set(&e, TB_E_CARD_REMOVED, (long)SCARD_W_REMOVED_CARD, "photo");
	err_format(&e, TB_LANG_EN, buf, sizeof buf);
	assert_string_equal(buf, "CARD-REMOVED (0x80100069, photo): The card was removed before "
			    "reading finished — Insert the card again and leave it in until reading finishes");
	err_set(&e, TB_E_CARD_STATUS, 0x6F00, NULL);
	err_format(&e, TB_LANG_TH, buf, sizeof buf);
	assert_non_null(strstr(buf, "CARD-STATUS (SW 6F00): บัตรตอบกลับผิดรูปแบบ"));
	/* A short buffer is cut but terminated. */
	err_format(&e, TB_LANG_EN, buf, 8);
	assert_string_equal(buf, "CARD-ST");
}

static void out_of_range_id_is_safe(void **state)
{
	assert_string_equal(err_code((enum tb_err_id)9999), err_code(TB_E_SYSTEM));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_entry_has_both_languages_and_a_hint),
		cmocka_unit_test(codes_are_unique),
		cmocka_unit_test(pcsc_codes_map),
		cmocka_unit_test(format_shows_code_detail_and_hint),
		cmocka_unit_test(out_of_range_id_is_safe),
	};
	return cmocka_run_group_tests_name("errors", tests, NULL, NULL);
}
