/* The form widget as a typist meets it: Thai typed letter by letter,
 * Backspace taking one mark at a time, the cursor stepping over whole
 * letters, ID fields refusing letters, passwords never drawn. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>
#include <curses.h>

#include "tui/form.h"
#include "tui/text.h"
#include "tui/theme.h"

static void type(struct form *f, const wchar_t *s)
{
	for (; *s; s++)
		form_key(f, false, (wint_t)*s);
}

static void thai_typing_and_backspace(void **state)
{
	struct form_field fields[1] = { { .label = "Name" } };
	struct form f = { fields, 1, 0 };

	type(&f, L"น้ำ");
	assert_string_equal(fields[0].value, "น้ำ");
	/* Backspace takes ำ, then the tone mark, leaving น. */
	form_key(&f, true, KEY_BACKSPACE);
	assert_string_equal(fields[0].value, "น้");
	form_key(&f, false, 0x7F);
	assert_string_equal(fields[0].value, "น");
	form_key(&f, true, KEY_BACKSPACE);
	form_key(&f, true, KEY_BACKSPACE); /* nothing left: harmless */
	assert_string_equal(fields[0].value, "");
}

static void cursor_steps_over_whole_letters(void **state)
{
	struct form_field fields[1] = { { .label = "Name" } };
	struct form f = { fields, 1, 0 };

	type(&f, L"ชื่อ");                    /* ช ื ่ อ */
	form_key(&f, true, KEY_LEFT);          /* before อ */
	assert_int_equal(fields[0].cursor, strlen("ชื่"));
	form_key(&f, true, KEY_LEFT);          /* before ช with its marks */
	assert_int_equal(fields[0].cursor, 0);
	form_key(&f, true, KEY_RIGHT);
	assert_int_equal(fields[0].cursor, strlen("ชื่"));
	type(&f, L"x");
	assert_string_equal(fields[0].value, "ชื่xอ");
	form_key(&f, true, KEY_END);
	form_key(&f, true, KEY_DC);            /* at the end: nothing */
	form_key(&f, true, KEY_HOME);
	form_key(&f, true, KEY_DC);            /* deletes ช (its marks stay: they are characters) */
	assert_string_equal(fields[0].value, "ื่xอ");
}

static void digits_only_and_limits(void **state)
{
	struct form_field fields[1] = { { .label = "Citizen ID", .flags = FIELD_DIGITS, .max_chars = 13 } };
	struct form f = { fields, 1, 0 };

	type(&f, L"12a34-5๑6789012345");
	assert_string_equal(fields[0].value, "1234567890123");
	type(&f, L"\x01\x1b");  /* control characters never land in a value */
	assert_string_equal(fields[0].value, "1234567890123");
}

static void focus_submit_cancel(void **state)
{
	struct form_field fields[2] = { { .label = "User name" }, { .label = "Password", .flags = FIELD_SECRET } };
	struct form f = { fields, 2, 0 };

	assert_int_equal(form_key(&f, false, '\n'), FORM_CHANGED);
	assert_int_equal(f.focus, 1);
	assert_int_equal(form_key(&f, false, '\r'), FORM_SUBMIT);
	assert_int_equal(form_key(&f, false, 27), FORM_CANCEL);
	assert_int_equal(form_key(&f, true, KEY_F(5)), FORM_IGNORED);
	form_key(&f, true, KEY_UP);
	assert_int_equal(f.focus, 0);
	type(&f, L"somchai");
	form_wipe(&f);
	assert_string_equal(fields[0].value, "");
	assert_int_equal(f.focus, 0);
}

static void password_is_never_drawn(void **state)
{
	struct form_field fields[2] = { { .label = "User name" }, { .label = "Password", .flags = FIELD_SECRET } };
	struct form f = { fields, 2, 1 };
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr = newterm("xterm-256color", out, in);
	struct theme t;
	wchar_t row[128];

	assert_non_null(scr);
	theme_builtin(&t);
	theme_apply(&t);
	type(&f, L"ลับมากๆ99");
	form_draw(&f, stdscr, 0, 0, 12, 30);
	/* The cursor sits after the last bullet. */
	assert_int_equal(getcury(stdscr), 1);
	assert_int_equal(getcurx(stdscr), 13 + 9);
	mvinnwstr(1, 0, row, 60);
	assert_null(wcsstr(row, L"ลับ"));
	assert_null(wcsstr(row, L"99"));
	assert_non_null(wcsstr(row, L"•••••••••"));   /* one bullet a character */
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}

/* The cursor rests in the focused field, not in the last one drawn. */
static void cursor_rests_in_the_focused_field(void **state)
{
	struct form_field fields[3] = { { .label = "User name" }, { .label = "Password", .flags = FIELD_SECRET },
					{ .label = "Position" } };
	struct form f = { fields, 3, 0 };
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr = newterm("xterm-256color", out, in);
	struct theme t;

	assert_non_null(scr);
	theme_builtin(&t);
	theme_apply(&t);
	type(&f, L"ab");
	fields[2].err.id = TB_E_AUTH_INVALID;   /* an error line under the last field */
	form_draw(&f, stdscr, 2, 0, 12, 30);
	assert_int_equal(getcury(stdscr), 2);
	assert_int_equal(getcurx(stdscr), 13 + 2);
	f.focus = 1;
	form_draw(&f, stdscr, 2, 0, 12, 30);
	assert_int_equal(getcury(stdscr), 3);
	assert_int_equal(getcurx(stdscr), 13);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(thai_typing_and_backspace),
		cmocka_unit_test(cursor_steps_over_whole_letters),
		cmocka_unit_test(digits_only_and_limits),
		cmocka_unit_test(focus_submit_cancel),
		cmocka_unit_test(password_is_never_drawn),
		cmocka_unit_test(cursor_rests_in_the_focused_field),
	};
	text_locale_init();
	return cmocka_run_group_tests_name("forms", tests, NULL, NULL);
}
