/* The front end's pure parts: text measured in columns (Thai marks take
 * none), the config file, the keymap and its overrides, theme files. Bad
 * files are reported with their line and never half-applied. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curses.h>

#include "services/base/configfile.h"
#include "services/juristic/juristic.h"
#include "services/registry/linkage.h"
#include "tui/actions.h"
#include "tui/text.h"
#include "tui/theme.h"

static char tmpdir[64];

static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* --- text ----------------------------------------------------------------- */

static void thai_marks_take_no_columns(void **state)
{
	assert_int_equal(text_width("ศรีสุวรรณ์"), 7);     /* ี ุ ์ are marks */
	assert_int_equal(text_width("น้ำ"), 2);            /* ้ is a mark, ำ is not */
	assert_int_equal(text_width("เลขประจำตัวประชาชน"), 17);
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("\xFF" "a"), 2);      /* a bad byte counts one */
}

static void cutting_keeps_marks_with_their_letter(void **state)
{
	const char *s = "ชื่นชู";  /* ช ื ่ น ช ู : 4 columns */
	size_t n = text_fit(s, 1);

	/* One column holds ช with both its marks, never ช alone. */
	assert_int_equal(n, strlen("ชื่"));
	assert_int_equal(text_fit(s, 4), strlen(s));
	assert_int_equal(text_fit(s, 0), 0);
	/* Never inside a UTF-8 sequence. */
	assert_int_equal(text_fit("กข", 1), 3);
}

struct lines {
	char l[8][128];
	int n;
};

static void collect(void *ud, const char *start, size_t len)
{
	struct lines *ls = ud;
	snprintf(ls->l[ls->n++], sizeof ls->l[0], "%.*s", (int)len, start);
}

static void wrapping_breaks_at_spaces(void **state)
{
	struct lines ls = { .n = 0 };

	assert_int_equal(text_wrap("ซอยลาดพร้าว 64 ถนนลาดพร้าว แขวงวังทองหลาง", 20, collect, &ls), 3);
	assert_string_equal(ls.l[0], "ซอยลาดพร้าว 64");
	assert_string_equal(ls.l[1], "ถนนลาดพร้าว");
	assert_string_equal(ls.l[2], "แขวงวังทองหลาง");
	for (int i = 0; i < ls.n; i++)
		assert_true(text_width(ls.l[i]) <= 20);
	/* A word longer than the line is cut, at a character. */
	ls.n = 0;
	assert_int_equal(text_wrap("กรุงเทพมหานคร", 4, collect, &ls), 3);
	assert_string_equal(ls.l[0], "กรุงเ");
	assert_string_equal(ls.l[2], "านคร");
}

/* --- config file ----------------------------------------------------------- */

static void config_reads_settings_and_reports_bad_lines(void **state)
{
	struct config c;
	tb_err err = { 0 };

	assert_int_equal(config_load(&c, write_file("a.conf", "# comment\n\ntheme = mono   # after a value\n"
								" language=th \nkey.quit = #\nx.y = a#b\tc\t# note\n"), &err), 0);
	assert_string_equal(config_get(&c, "theme"), "mono");
	assert_string_equal(config_get(&c, "language"), "th");
	/* A # that does not follow a space is part of the value. */
	assert_string_equal(config_get(&c, "key.quit"), "#");
	assert_string_equal(config_get(&c, "x.y"), "a#b\tc");
	assert_null(config_get(&c, "missing"));
	assert_null(config_unused(&c));

	/* Every bad line is kept with its number; the lines around them load. */
	assert_int_equal(config_load(&c, write_file("b.conf", "theme = mono\nthis line is wrong\n"
							      "bad key! = 1\nlanguage = th\n"), &err), -1);
	assert_int_equal(err.id, TB_E_CONFIG);
	assert_string_equal(err.field, "line 2: not key = value");
	assert_int_equal(c.nproblems, 2);
	assert_int_equal(c.problems[1].line, 3);
	assert_string_equal(config_get(&c, "theme"), "mono");
	assert_string_equal(config_get(&c, "language"), "th");

	/* A missing file is no error: the defaults apply. */
	assert_int_equal(config_load(&c, "/nonexistent/tabien.conf", &err), 0);
	assert_int_equal(c.n, 0);
}

static void config_reports_unknown_settings(void **state)
{
	struct config c;
	const struct config_entry *u;

	assert_int_equal(config_load(&c, write_file("c.conf", "theme = x\nthem = y\n"), NULL), 0);
	config_get(&c, "theme");
	u = config_unused(&c);
	assert_non_null(u);
	assert_string_equal(u->key, "them");
	assert_int_equal(u->line, 2);
	/* Named with the nearest key asked for, its value left out. */
	config_get(&c, "language");
	config_check_unknown(&c);
	assert_int_equal(c.nproblems, 1);
	assert_int_equal(c.problems[0].id, TB_E_CONFIG_UNKNOWN);
	assert_string_equal(c.problems[0].text, "line 2: them: nearest known theme");
	assert_null(config_nearest(&c, "gdx.consumer_secret"));
}

static void shipped_example_config_is_understood(void **state)
{
	char path[512];
	const char *src = getenv("TABIEN_SRCDIR");
	struct config c;
	struct linkage_config lc;
	struct juristic_config jc;
	tb_err err = { 0 };

	snprintf(path, sizeof path, "%s/tabien.conf.example", src && *src ? src : TABIEN_SRCDIR);
	assert_int_equal(config_load(&c, path, &err), 0);
	assert_int_equal(actions_init(&c, &err), 0);
	/* What the program reads at start-up, without the comments written
	 * after the values. */
	assert_string_equal(config_get(&c, "theme"), "default");
	assert_string_equal(config_get(&c, "language"), "th");
	config_get(&c, "database");
	linkage_config_from(&lc, &c, &err);   /* not set up in the example: fine */
	linkage_config_wipe(&lc);
	assert_int_equal(juristic_config_from(&jc, &c, 0, &err), 0);
	assert_null(config_unused(&c));
}

/* --- keymap ------------------------------------------------------------------ */

static void default_keys_and_help(void **state)
{
	char keys[64];

	assert_int_equal(actions_init(NULL, NULL), 0);
	assert_int_equal(actions_for_key(KEY_F(1), 1), ACT_HELP);
	assert_int_equal(actions_for_key('?', 0), ACT_HELP);
	assert_int_equal(actions_for_key('q', 0), ACT_QUIT);
	assert_int_equal(actions_for_key('\r', 0), ACT_SELECT);
	assert_int_equal(actions_for_key('z', 0), ACT_NONE);
	actions_keys(ACT_HELP, keys, sizeof keys);
	assert_string_equal(keys, "F1 ?");
	for (int a = 1; a < ACT_COUNT; a++) {
		actions_keys((enum action)a, keys, sizeof keys);
		assert_true(keys[0]);                 /* every action has a key */
		assert_true(strlen(action_help((enum action)a)) > 3);
	}
}

static void overrides_from_the_config(void **state)
{
	struct config c;
	tb_err err = { 0 };
	char keys[64];

	assert_int_equal(config_load(&c, write_file("k.conf", "key.quit = F12 Q\nkey.help = ^H\n"), NULL), 0);
	assert_int_equal(actions_init(&c, &err), 0);
	assert_int_equal(actions_for_key(KEY_F(12), 1), ACT_QUIT);
	assert_int_equal(actions_for_key('Q', 0), ACT_QUIT);
	assert_int_equal(actions_for_key('q', 0), ACT_NONE);   /* replaced */
	assert_int_equal(actions_for_key(8, 0), ACT_HELP);
	actions_keys(ACT_QUIT, keys, sizeof keys);
	assert_string_equal(keys, "F12 Q");
	assert_null(config_unused(&c));
}

static void bad_overrides_are_reported_and_skipped(void **state)
{
	struct config c;
	tb_err err = { 0 };

	assert_int_equal(config_load(&c, write_file("kb.conf", "key.quit = F99\nkey.nosuch = x\n"), NULL), 0);
	assert_int_equal(actions_init(&c, &err), -1);
	assert_int_equal(err.id, TB_E_CONFIG);
	/* The bad binding left the default in place. */
	assert_int_equal(actions_for_key('q', 0), ACT_QUIT);
}

/* --- themes ----------------------------------------------------------------------- */

static void shipped_themes_load(void **state)
{
	char names[16][64];
	struct theme t;
	tb_err err = { 0 };
	int n = theme_list(names, 16);

	assert_true(n >= 3);
	assert_string_equal(names[0], "default");
	for (int i = 0; i < n; i++)
		assert_int_equal(theme_load(&t, names[i], &err), 0);
	assert_int_equal(theme_load(&t, "mono", &err), 0);
	assert_int_equal(t.photo, THEME_PHOTO_GREY);
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_int_equal(t.role[r].fg, -1); /* no colour at all */
}

static void broken_theme_falls_back_to_builtin(void **state)
{
	struct theme t, builtin;
	tb_err err = { 0 };
	char dir[128];

	snprintf(dir, sizeof dir, "%s", tmpdir);
	setenv("TABIEN_THEMES", dir, 1);
	write_file("broken.theme", "title = white blue bold\nlabel = purple default\n");
	assert_int_equal(theme_load(&t, "broken", &err), -1);
	assert_int_equal(err.id, TB_E_THEME);
	assert_int_equal(err.detail, 2);
	theme_builtin(&builtin);
	assert_memory_equal(&t, &builtin, sizeof t);
	assert_int_equal(theme_load(&t, "../etc/passwd", &err), -1); /* names only */
	assert_int_equal(theme_load(&t, "absent", &err), -1);
	write_file("bad-photo.theme", "photo = sepia\n");
	assert_int_equal(theme_load(&t, "bad-photo", &err), -1);
	assert_int_equal(err.detail, 1);
	unsetenv("TABIEN_THEMES");
}

static int setup(void **state)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tabien-tui.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	text_locale_init();
	setenv("TABIEN_THEMES", TABIEN_SRCDIR "/themes", 1);
	if (getenv("TABIEN_SRCDIR")) {
		static char themes[512];
		snprintf(themes, sizeof themes, "%s/themes", getenv("TABIEN_SRCDIR"));
		setenv("TABIEN_THEMES", themes, 1);
	}
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(thai_marks_take_no_columns),
		cmocka_unit_test(cutting_keeps_marks_with_their_letter),
		cmocka_unit_test(wrapping_breaks_at_spaces),
		cmocka_unit_test(config_reads_settings_and_reports_bad_lines),
		cmocka_unit_test(config_reports_unknown_settings),
		cmocka_unit_test(shipped_example_config_is_understood),
		cmocka_unit_test(default_keys_and_help),
		cmocka_unit_test(overrides_from_the_config),
		cmocka_unit_test(bad_overrides_are_reported_and_skipped),
		cmocka_unit_test(shipped_themes_load),
		cmocka_unit_test(broken_theme_falls_back_to_builtin),
	};
	return cmocka_run_group_tests_name("front end parts", tests, setup, teardown);
}
