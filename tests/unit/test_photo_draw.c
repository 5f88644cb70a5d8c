/* The card photo drawn on real curses screens (xterm-256color,
 * rxvt-unicode-256color, vt100) whose output goes to /dev/null or a
 * temporary file: colours, greys, shades, clipping and the bytes sent. */
#include "config.h"

#include "tests/unit/photo_fixture.h"

/* ---- drawing --------------------------------------------------------------------------- */

enum { BOX_COLS = 24, BOX_ROWS = 14, WIN_LINES = 20, WIN_COLS = 40, BOX_Y = 3, BOX_X = 5 };

struct screen {
	SCREEN *s;
	FILE *out, *in;
	WINDOW *w;
};

/* A real screen on a terminal type of our choosing; out is a file to count
 * the bytes sent, or /dev/null. */
static void screen_open(struct screen *t, const char *term, bool to_file)
{
	t->out = to_file ? tmpfile() : fopen("/dev/null", "w");
	t->in = fopen("/dev/null", "r");
	assert_non_null(t->out);
	assert_non_null(t->in);
	t->s = newterm(term, t->out, t->in);
	assert_non_null(t->s);
	if (has_colors())
		start_color();
	t->w = newwin(WIN_LINES, WIN_COLS, 1, 1);
	assert_non_null(t->w);
	/* a sentinel everywhere, to see what the photo touched */
	for (int y = 0; y < WIN_LINES; y++)
		for (int x = 0; x < WIN_COLS; x++)
			mvwaddch(t->w, y, x, 'x');
}

static void screen_close(struct screen *t)
{
	delwin(t->w);
	endwin();
	delscreen(t->s);
	fclose(t->out);
	fclose(t->in);
}

static long screen_bytes(struct screen *t)
{
	struct stat st;

	fflush(t->out);
	assert_int_equal(fstat(fileno(t->out), &st), 0);
	return (long)st.st_size;
}

struct cell {
	wchar_t ch;
	attr_t attrs;
	int pair, fg, bg;
};

static struct cell cell_at(WINDOW *w, int y, int x)
{
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1] = { 0 };
	short pair_short = 0;
	struct cell c = { 0, 0, 0, -1, -1 };

	assert_int_equal(mvwin_wch(w, y, x, &cc), OK);
	assert_int_equal(getcchar(&cc, wch, &c.attrs, &pair_short, &c.pair), OK);
	c.ch = wch[0];
	if (c.pair > 0)
		assert_int_equal(extended_pair_content(c.pair, &c.fg, &c.bg), OK);
	return c;
}

static bool in_box(int y, int x, int by, int bx, int cols, int rows)
{
	return y >= by && y < by + rows && x >= bx && x < bx + cols;
}

static void expect_untouched_outside(WINDOW *w, int by, int bx, int cols, int rows)
{
	for (int y = 0; y < WIN_LINES; y++) {
		for (int x = 0; x < WIN_COLS; x++) {
			struct cell c;

			if (in_box(y, x, by, bx, cols, rows))
				continue;
			c = cell_at(w, y, x);
			assert_int_equal(c.ch, L'x');
			assert_int_equal(c.pair, 0);
		}
	}
}

/* The xterm palette, written out again here so the test does not trust
 * the code under test for it. */
static int xterm_luma(int idx)
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	int r, g, b;

	assert_in_range(idx, 16, 255);
	if (idx >= 232) {
		r = g = b = 8 + 10 * (idx - 232);
	} else {
		r = level[(idx - 16) / 36];
		g = level[(idx - 16) / 6 % 6];
		b = level[(idx - 16) % 6];
	}
	return (54 * r + 183 * g + 19 * b) / 256;
}

static bool is_grey(int idx)
{
	return idx == 16 || idx == 231 || (idx >= 232 && idx <= 255);
}

static struct photo *fixture_photo(const char *name)
{
	struct blob j;
	tb_err e;
	struct photo *p;

	fixture_load(name, &j);
	p = photo_new(j.b, j.n, &e);
	assert_non_null(p);
	return p;
}

static void test_draw_colour(void **state UNUSED)
{
	struct screen t;
	struct photo *p = fixture_photo("somchai");
	short fixed_fg[64], fixed_bg[64];
	int pairs_seen = 0;
	static bool seen[65536];
	struct cell sky, hair, shirt;
	attr_t a;
	short ps;
	int pe = 0, cy, cx;

	setlocale(LC_CTYPE, "C.UTF-8");
	screen_open(&t, "xterm-256color", false);
	use_default_colors(); /* as the program does */
	assert_int_equal(photo_style_for(0), PHOTO_COLOUR);
	assert_int_equal(photo_style_for(1), PHOTO_GREY);
	/* the program's own pairs, in the 16 basic colours */
	for (short i = 1; i < 64; i++) {
		fixed_fg[i] = (short)(i % 16);
		fixed_bg[i] = (short)((i / 16 + 3) % 8);
		assert_int_equal(init_pair(i, fixed_fg[i], fixed_bg[i]), OK);
	}
	wattr_on(t.w, A_BOLD, NULL);
	wmove(t.w, 1, 2);

	photo_draw(p, t.w, BOX_Y, BOX_X, BOX_COLS, BOX_ROWS, PHOTO_COLOUR);
	getyx(t.w, cy, cx);
	assert_int_equal(cy, 1);
	assert_int_equal(cx, 2);

	memset(seen, 0, sizeof seen);
	for (int y = 0; y < BOX_ROWS; y++) {
		for (int x = 0; x < BOX_COLS; x++) {
			struct cell c = cell_at(t.w, BOX_Y + y, BOX_X + x);

			assert_int_equal(c.ch, 0x2580);
			assert_int_equal(c.attrs & A_BOLD, 0); /* the window's bold stays out */
			assert_true(c.pair >= 64);
			assert_in_range(c.fg, 16, 255);
			assert_in_range(c.bg, 16, 255);
			if (!seen[c.pair]) {
				seen[c.pair] = true;
				pairs_seen++;
			}
		}
	}
	/* a picture, not a flat box: light backdrop, dark hair, red shirt */
	assert_true(pairs_seen > 20);
	sky = cell_at(t.w, BOX_Y, BOX_X);
	hair = cell_at(t.w, BOX_Y + 3, BOX_X + 9);
	shirt = cell_at(t.w, BOX_Y + BOX_ROWS - 1, BOX_X + BOX_COLS / 2);
	assert_true(sky.pair != hair.pair);
	assert_true(xterm_luma(sky.fg) > 180 && xterm_luma(sky.bg) > 180);
	assert_true(xterm_luma(hair.fg) < 80 && xterm_luma(hair.bg) < 80);
	assert_true(!is_grey(shirt.fg) && !is_grey(shirt.bg));

	expect_untouched_outside(t.w, BOX_Y, BOX_X, BOX_COLS, BOX_ROWS);
	/* the program's pairs are as it made them; the window's state is back */
	for (short i = 1; i < 64; i++) {
		int fg, bg;

		assert_int_equal(extended_pair_content(i, &fg, &bg), OK);
		assert_int_equal(fg, fixed_fg[i]);
		assert_int_equal(bg, fixed_bg[i]);
	}
	wattr_get(t.w, &a, &ps, &pe);
	assert_true(a & A_BOLD);

	screen_close(&t);
	photo_free(&p);
}

/* Black over white, 16 x 4 pixels squeezed into 16 x 1 cells: every cell
 * shows the top pixels in the foreground of U+2580, the bottom ones behind. */
static void test_draw_top_is_foreground(void **state UNUSED)
{
	struct screen t;
	struct blob j;
	struct photo *p;
	tb_err e;
	const int cols = 16, rows = 1;

	jpeg_make_pattern(&j, 16, 4, 3, true);
	p = photo_new(j.b, j.n, &e);
	assert_non_null(p);
	screen_open(&t, "xterm-256color", false);
	for (int s = PHOTO_COLOUR; s <= PHOTO_GREY; s++) {
		photo_draw(p, t.w, BOX_Y, BOX_X, cols, rows, (enum photo_style)s);
		for (int x = 0; x < cols; x++) {
			struct cell c = cell_at(t.w, BOX_Y, BOX_X + x);

			assert_int_equal(c.ch, 0x2580);
			assert_true(xterm_luma(c.fg) < 40);
			assert_true(xterm_luma(c.bg) > 215);
		}
		expect_untouched_outside(t.w, BOX_Y, BOX_X, cols, rows);
	}
	screen_close(&t);
	photo_free(&p);
}

static void test_draw_redraw_same(void **state UNUSED)
{
	struct screen t;
	struct photo *p = fixture_photo("malee");
	static int first[BOX_ROWS][BOX_COLS];

	screen_open(&t, "xterm-256color", false);
	photo_draw(p, t.w, BOX_Y, BOX_X, BOX_COLS, BOX_ROWS, PHOTO_COLOUR);
	for (int y = 0; y < BOX_ROWS; y++)
		for (int x = 0; x < BOX_COLS; x++)
			first[y][x] = cell_at(t.w, BOX_Y + y, BOX_X + x).pair;
	/* another size and style in between, then the first again: same cells */
	photo_draw(p, t.w, 0, 0, 10, 6, PHOTO_COLOUR);
	photo_draw(p, t.w, 0, 0, 10, 6, PHOTO_GREY);
	photo_draw(p, t.w, BOX_Y, BOX_X, BOX_COLS, BOX_ROWS, PHOTO_COLOUR);
	for (int y = 0; y < BOX_ROWS; y++)
		for (int x = 0; x < BOX_COLS; x++)
			assert_int_equal(cell_at(t.w, BOX_Y + y, BOX_X + x).pair, first[y][x]);
	screen_close(&t);
	photo_free(&p);
}

static void test_draw_grey(void **state UNUSED)
{
	struct screen t;
	struct photo *p = fixture_photo("thana");
	struct cell sky, hair;

	screen_open(&t, "xterm-256color", false);
	photo_draw(p, t.w, BOX_Y, BOX_X, BOX_COLS, BOX_ROWS, PHOTO_GREY);
	for (int y = 0; y < BOX_ROWS; y++) {
		for (int x = 0; x < BOX_COLS; x++) {
			struct cell c = cell_at(t.w, BOX_Y + y, BOX_X + x);

			assert_int_equal(c.ch, 0x2580);
			assert_true(is_grey(c.fg));
			assert_true(is_grey(c.bg));
		}
	}
	sky = cell_at(t.w, BOX_Y, BOX_X);
	hair = cell_at(t.w, BOX_Y + 3, BOX_X + 9);
	assert_true(xterm_luma(sky.fg) > xterm_luma(hair.fg) + 80);
	expect_untouched_outside(t.w, BOX_Y, BOX_X, BOX_COLS, BOX_ROWS);
	screen_close(&t);
	photo_free(&p);
}

/* rxvt-unicode-256color has 32767 pairs, too few for every pair of 240
 * colours: a cube without the 135 level keeps alloc_pair from recycling. */
static void test_draw_fewer_pairs(void **state UNUSED)
{
	struct screen t;
	struct photo *p = fixture_photo("boonruen");

	screen_open(&t, "rxvt-unicode-256color", false);
	assert_true(COLOR_PAIRS < 240 * 240);
	assert_int_equal(photo_style_for(0), PHOTO_COLOUR);
	photo_draw(p, t.w, BOX_Y, BOX_X, BOX_COLS, BOX_ROWS, PHOTO_COLOUR);
	for (int y = 0; y < BOX_ROWS; y++) {
		for (int x = 0; x < BOX_COLS; x++) {
			struct cell c = cell_at(t.w, BOX_Y + y, BOX_X + x);
			int both[2] = { c.fg, c.bg };

			assert_int_equal(c.ch, 0x2580);
			for (int k = 0; k < 2; k++) {
				int i = both[k] - 16;

				if (both[k] >= 232)
					continue;
				assert_true(i / 36 != 2 && i / 6 % 6 != 2 && i % 6 != 2);
			}
		}
	}
	screen_close(&t);
	photo_free(&p);
}

static void shade_check(const char *locale, const wchar_t *ramp)
{
	struct screen t;
	struct photo *p = fixture_photo("somchai");
	struct cell sky, hair;

	assert_non_null(setlocale(LC_CTYPE, locale));
	screen_open(&t, "vt100", false);
	assert_false(has_colors());
	assert_int_equal(photo_style_for(0), PHOTO_SHADE);
	assert_int_equal(photo_style_for(1), PHOTO_SHADE);
	/* asked for colour on a terminal without: shades all the same */
	photo_draw(p, t.w, BOX_Y, BOX_X, BOX_COLS, BOX_ROWS, PHOTO_COLOUR);
	for (int y = 0; y < BOX_ROWS; y++) {
		for (int x = 0; x < BOX_COLS; x++) {
			struct cell c = cell_at(t.w, BOX_Y + y, BOX_X + x);

			assert_true(c.ch != 0 && wcschr(ramp, c.ch) != NULL);
			assert_int_equal(c.pair, 0);
		}
	}
	/* light backdrop: dense; dark hair: sparse */
	sky = cell_at(t.w, BOX_Y, BOX_X);
	hair = cell_at(t.w, BOX_Y + 3, BOX_X + 9);
	assert_true(wcschr(ramp, sky.ch) - ramp > wcschr(ramp, hair.ch) - ramp + 1);
	expect_untouched_outside(t.w, BOX_Y, BOX_X, BOX_COLS, BOX_ROWS);
	screen_close(&t);
	photo_free(&p);
}

static void test_draw_shade_utf8(void **state UNUSED)
{
	shade_check("C.UTF-8", L" \u2591\u2592\u2593\u2588");
}

static void test_draw_shade_ascii(void **state UNUSED)
{
	shade_check("C", L" .:-=+*#%@");
	setlocale(LC_CTYPE, "C.UTF-8");
}

static void test_draw_8_colours_shades(void **state UNUSED)
{
	struct screen t;

	screen_open(&t, "xterm", false);
	assert_true(has_colors());
	assert_int_equal(photo_style_for(0), PHOTO_SHADE);
	screen_close(&t);
}

/* Boxes hanging over the window's edges draw what lands inside and nothing
 * else; nonsense arguments draw nothing. */
static void test_draw_clipped(void **state UNUSED)
{
	struct screen t;
	struct photo *p = fixture_photo("malee");

	screen_open(&t, "xterm-256color", false);
	photo_draw(p, t.w, -5, -7, BOX_COLS, BOX_ROWS, PHOTO_COLOUR);
	assert_int_equal(cell_at(t.w, 0, 0).ch, 0x2580);
	assert_int_equal(cell_at(t.w, BOX_ROWS - 6, BOX_COLS - 8).ch, 0x2580);
	expect_untouched_outside(t.w, 0, 0, BOX_COLS - 7, BOX_ROWS - 5);

	photo_draw(p, t.w, WIN_LINES - 2, WIN_COLS - 3, BOX_COLS, BOX_ROWS, PHOTO_GREY);
	assert_int_equal(cell_at(t.w, WIN_LINES - 1, WIN_COLS - 1).ch, 0x2580);
	assert_int_equal(cell_at(t.w, WIN_LINES - 3, WIN_COLS - 1).ch, L'x');

	photo_draw(p, t.w, 2, 2, 0, 5, PHOTO_COLOUR);
	photo_draw(p, t.w, 2, 2, 5, -1, PHOTO_COLOUR);
	photo_draw(p, t.w, 2, 2, 5, 5, (enum photo_style)7);
	photo_draw(p, t.w, WIN_LINES, 0, 5, 5, PHOTO_COLOUR);
	photo_draw(p, NULL, 2, 2, 5, 5, PHOTO_COLOUR);
	photo_draw(NULL, t.w, 2, 2, 5, 5, PHOTO_COLOUR);
	assert_int_equal(cell_at(t.w, 2 + 5 + 2, 2 + 5 + 2).ch, L'x');
	assert_int_equal(cell_at(t.w, 2 + 4, 2 + 4).ch, 0x2580); /* from the first draw */
	screen_close(&t);
	photo_free(&p);
}

/* What a photo costs on the wire: few enough pair changes (each is ~22
 * bytes of SGR) that a 24x14 photo stays a few KiB over SSH. */
static void test_wire_cost(void **state UNUSED)
{
	static const struct {
		const char *term;
		enum photo_style style;
		long max_bytes;
	} runs[] = {
		{ "xterm-256color", PHOTO_COLOUR, 3900 },
		{ "xterm-256color", PHOTO_GREY, 3900 },
		{ "vt100", PHOTO_SHADE, 1400 },
	};

	for (int f = 0; f < FIXTURE_COUNT; f++) {
		struct photo *p = fixture_photo(fixtures[f]);

		for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
			struct screen t;
			long before, sent;
			int changes = 0, prev = -1;

			screen_open(&t, runs[r].term, true);
			werase(t.w);
			wnoutrefresh(t.w);
			doupdate();
			before = screen_bytes(&t);
			photo_draw(p, t.w, BOX_Y, BOX_X, BOX_COLS, BOX_ROWS, runs[r].style);
			wnoutrefresh(t.w);
			doupdate();
			sent = screen_bytes(&t) - before;
			assert_true(sent > BOX_COLS * BOX_ROWS);
			assert_true(sent <= runs[r].max_bytes);
			for (int y = 0; y < BOX_ROWS; y++)
				for (int x = 0; x < BOX_COLS; x++) {
					int pr = cell_at(t.w, BOX_Y + y, BOX_X + x).pair;

					changes += pr != prev;
					prev = pr;
				}
			/* a redraw of an unchanged photo sends nothing (the
			 * cursor is put back where the last update left it) */
			wmove(t.w, 0, 0);
			wnoutrefresh(t.w);
			doupdate();
			before = screen_bytes(&t);
			photo_draw(p, t.w, BOX_Y, BOX_X, BOX_COLS, BOX_ROWS, runs[r].style);
			wnoutrefresh(t.w);
			doupdate();
			assert_int_equal(screen_bytes(&t), before);
			/* nearest colours alone change pair ~140 times */
			if (runs[r].style != PHOTO_SHADE)
				assert_true(changes <= 125);
			screen_close(&t);
		}
		photo_free(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draw_colour),
		cmocka_unit_test(test_draw_top_is_foreground),
		cmocka_unit_test(test_draw_redraw_same),
		cmocka_unit_test(test_draw_grey),
		cmocka_unit_test(test_draw_fewer_pairs),
		cmocka_unit_test(test_draw_shade_utf8),
		cmocka_unit_test(test_draw_shade_ascii),
		cmocka_unit_test(test_draw_8_colours_shades),
		cmocka_unit_test(test_draw_clipped),
		cmocka_unit_test(test_wire_cost),
	};

	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
