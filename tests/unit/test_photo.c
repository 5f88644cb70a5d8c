/* The card photo: decoding the fixtures, refusing damaged JPEGs without a
 * crash or a leak, fitting the box, and drawing on real curses screens
 * (xterm-256color, rxvt-unicode-256color, vt100) whose output goes to
 * /dev/null or a temporary file. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

#include <cmocka.h>
#include <jpeglib.h>
#include <jerror.h>

#include "tui/photo.h"

/* cmocka hands every test a state pointer most tests do not need. */
#define UNUSED __attribute__((unused))

#ifndef TABIEN_SRCDIR
#define TABIEN_SRCDIR "."
#endif

#define JPEG_CAP 16384

static const char *const fixtures[] = { "somchai", "malee", "boonruen", "thana" };

#define FIXTURE_COUNT ((int)(sizeof fixtures / sizeof fixtures[0]))

struct blob {
	uint8_t b[JPEG_CAP];
	size_t n;
};

static void fixture_load(const char *name, struct blob *out)
{
	const char *dir = getenv("TABIEN_SRCDIR");
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/sim/fixtures/%s.jpg", dir && *dir ? dir : TABIEN_SRCDIR,
		 name);
	f = fopen(path, "rb");
	assert_non_null(f);
	out->n = fread(out->b, 1, sizeof out->b, f);
	fclose(f);
	assert_true(out->n > 4 && out->n < sizeof out->b);
}

/* Offset of the first segment with this marker (the FF byte), walking the
 * header segments from SOI; 0 when absent. Independent of libjpeg. */
static size_t jpeg_find(const struct blob *j, uint8_t marker)
{
	size_t i = 2;

	while (i + 4 <= j->n && j->b[i] == 0xFF) {
		uint8_t m = j->b[i + 1];

		if (m == marker)
			return i;
		if (m == 0xDA) /* entropy data follows SOS */
			return 0;
		i += 2 + ((size_t)j->b[i + 2] << 8 | j->b[i + 3]);
	}
	return 0;
}

static void sof_size(const struct blob *j, int *w, int *h)
{
	size_t s = jpeg_find(j, 0xC0);

	assert_true(s > 0);
	*h = j->b[s + 5] << 8 | j->b[s + 6];
	*w = j->b[s + 7] << 8 | j->b[s + 8];
}

static void sof_set_size(struct blob *j, int w, int h)
{
	size_t s = jpeg_find(j, 0xC0);

	assert_true(s > 0);
	j->b[s + 5] = (uint8_t)(h >> 8);
	j->b[s + 6] = (uint8_t)h;
	j->b[s + 7] = (uint8_t)(w >> 8);
	j->b[s + 8] = (uint8_t)w;
}

static void expect_refused(const uint8_t *b, size_t n)
{
	tb_err e = { TB_OK, 0, NULL };
	struct photo *p = photo_new(b, n, &e);

	assert_null(p);
	assert_int_equal(e.id, TB_E_CARD_PHOTO);
}

/* A small JPEG made here (libjpeg's encoder): a diagonal test pattern, or
 * with `split` the top half of the rows black and the bottom half white. */
static void jpeg_make_pattern(struct blob *out, int w, int h, int components, bool split)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr jerr;
	unsigned char *mem = NULL;
	unsigned long len = 0;
	unsigned char *row = malloc((size_t)w * (size_t)components);

	assert_non_null(row);
	c.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &mem, &len);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = components;
	c.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 90, TRUE);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		int y = (int)c.next_scanline;

		for (int x = 0; x < w * components; x++)
			row[x] = split ? (y < h / 2 ? 0 : 255) : (uint8_t)((x * 7 + y * 3) & 0xFF);
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	assert_true(len < sizeof out->b);
	memcpy(out->b, mem, len);
	out->n = len;
	free(mem);
	free(row);
}

static void jpeg_make(struct blob *out, int w, int h, int components)
{
	jpeg_make_pattern(out, w, h, components, false);
}

/* ---- decoding ------------------------------------------------------------------ */

static void test_fixtures_decode(void **state UNUSED)
{
	for (int i = 0; i < FIXTURE_COUNT; i++) {
		struct blob j;
		tb_err e = { TB_E_SYSTEM, 1, "stale" };
		struct photo *p;
		int w, h, cols, rows;

		fixture_load(fixtures[i], &j);
		sof_size(&j, &w, &h);
		assert_int_equal(w, 297);
		assert_int_equal(h, 356);
		p = photo_new(j.b, j.n, &e);
		assert_non_null(p);
		assert_int_equal(e.id, TB_OK);
		/* 297 x 356 pixels are 297 x 178 cells, and nothing wider */
		photo_fit(p, 1000, 178, &cols, &rows);
		assert_int_equal(cols, 297);
		assert_int_equal(rows, 178);
		photo_fit(p, 297, 1000, &cols, &rows);
		assert_int_equal(cols, 297);
		assert_int_equal(rows, 178);
		photo_free(&p);
		assert_null(p);
	}
}

static void test_grey_and_tiny_jpegs_decode(void **state UNUSED)
{
	static const int sizes[][3] = { { 16, 16, 1 }, { 1, 1, 3 }, { 1024, 2, 3 }, { 3, 1024, 1 } };

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		struct blob j;
		tb_err e;
		struct photo *p;

		jpeg_make(&j, sizes[i][0], sizes[i][1], sizes[i][2]);
		p = photo_new(j.b, j.n, &e);
		assert_non_null(p);
		photo_free(&p);
	}
}

static void test_garbage_refused(void **state UNUSED)
{
	uint8_t junk[4096];
	uint32_t x = 12345;

	for (size_t i = 0; i < sizeof junk; i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (uint8_t)(x >> 16);
	}
	expect_refused(junk, sizeof junk);
	/* a JPEG start followed by junk gets further into libjpeg */
	junk[0] = 0xFF;
	junk[1] = 0xD8;
	expect_refused(junk, sizeof junk);
	junk[2] = 0xFF;
	junk[3] = 0xD9;
	expect_refused(junk, sizeof junk);
	expect_refused(junk, 2);
}

static void test_empty_refused(void **state UNUSED)
{
	static const uint8_t one = 0xFF;
	tb_err e;

	expect_refused(NULL, 0);
	expect_refused(&one, 0);
	expect_refused(&one, 1);
	assert_null(photo_new(NULL, 100, &e));
	assert_int_equal(e.id, TB_E_CARD_PHOTO);
	assert_null(photo_new(&one, 0, NULL)); /* err is optional */
}

static void test_truncated_refused(void **state UNUSED)
{
	struct blob j;
	tb_err e;

	fixture_load("somchai", &j);
	assert_null(photo_new(j.b, j.n / 2, &e));
	assert_int_equal(e.id, TB_E_CARD_PHOTO);
	assert_int_equal(e.detail, JWRN_JPEG_EOF); /* a warning, refused all the same */
	/* any cut, even the last byte of the EOI marker */
	for (size_t n = 1; n < j.n; n += (n < j.n - 16 ? 37 : 1))
		expect_refused(j.b, n);
}

static void test_corrupt_header_refused(void **state UNUSED)
{
	struct blob orig, j;
	size_t sof, dht, sos;
	tb_err e;

	fixture_load("malee", &orig);
	sof = jpeg_find(&orig, 0xC0);
	dht = jpeg_find(&orig, 0xC4);
	sos = jpeg_find(&orig, 0xDA);
	assert_true(sof > 0 && dht > 0 && sos > 0);

	j = orig;
	j.b[1] = 0x00; /* no SOI */
	expect_refused(j.b, j.n);
	j = orig;
	j.b[sof + 4] = 7; /* sample precision */
	expect_refused(j.b, j.n);
	j = orig;
	j.b[sof + 9] = 0; /* no components */
	expect_refused(j.b, j.n);
	j = orig;
	j.b[sof + 2] = 0; /* segment length 0..1 */
	j.b[sof + 3] = 1;
	expect_refused(j.b, j.n);
	j = orig;
	memset(j.b + dht + 4, 0xFF, 17); /* Huffman table class/id and code counts */
	expect_refused(j.b, j.n);

	/* two stray bytes before SOS: libjpeg only warns, and decodes on */
	memcpy(j.b, orig.b, sos);
	j.b[sos] = 0x12;
	j.b[sos + 1] = 0x34;
	memcpy(j.b + sos + 2, orig.b + sos, orig.n - sos);
	j.n = orig.n + 2;
	assert_null(photo_new(j.b, j.n, &e));
	assert_int_equal(e.id, TB_E_CARD_PHOTO);
	assert_int_equal(e.detail, JWRN_EXTRANEOUS_DATA);
}

static void test_huge_size_refused(void **state UNUSED)
{
	static const int sizes[][2] = { { 1025, 356 }, { 297, 1025 }, { 2000, 2000 }, { 60000, 60000 },
					{ 65535, 65535 } };
	struct blob orig, j;
	tb_err e;

	fixture_load("thana", &orig);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		j = orig;
		sof_set_size(&j, sizes[i][0], sizes[i][1]);
		assert_null(photo_new(j.b, j.n, &e));
		assert_int_equal(e.id, TB_E_CARD_PHOTO);
		assert_int_equal(e.detail, JERR_IMAGE_TOO_BIG);
	}
	/* within the limit but not what the data holds: refused by libjpeg */
	j = orig;
	sof_set_size(&j, 1024, 1024);
	expect_refused(j.b, j.n);
	j = orig;
	sof_set_size(&j, 0, 356);
	expect_refused(j.b, j.n);
}

static void test_free_nulls(void **state UNUSED)
{
	struct blob j;
	struct photo *p, *none = NULL;
	tb_err e;

	fixture_load("boonruen", &j);
	p = photo_new(j.b, j.n, &e);
	assert_non_null(p);
	photo_free(&p);
	assert_null(p);
	photo_free(&p); /* twice is harmless */
	photo_free(&none);
	photo_free(NULL);
}

/* ---- fitting ----------------------------------------------------------------------- */

static void fit_check(const struct photo *p, int w, int h, int max_cols, int max_rows)
{
	int cols = -1, rows = -1;

	photo_fit(p, max_cols, max_rows, &cols, &rows);
	if (max_cols <= 0 || max_rows <= 0) {
		assert_int_equal(cols, 0);
		assert_int_equal(rows, 0);
		return;
	}
	assert_in_range(cols, 1, max_cols);
	assert_in_range(rows, 1, max_rows);
	/* one side is the box's, so it is the largest that fits */
	assert_true(cols == max_cols || rows == max_rows);
	/* the other is within one cell of the photo's aspect (cell = 1 x 2 px):
	 * rows = cols * h / 2w or cols = rows * 2w / h, give or take one,
	 * compared without division */
	assert_true((cols == max_cols && labs((long)rows * 2 * w - (long)cols * h) <= 2L * w) ||
		    (rows == max_rows && labs((long)cols * h - (long)rows * 2 * w) <= (long)h));
}

static void test_fit_boxes(void **state UNUSED)
{
	static const int boxes[][2] = { { 24, 14 }, { 80, 24 }, { 10, 40 }, { 40, 5 }, { 1, 1 },
					{ 2, 1 },   { 1, 2 },   { 3, 1 },   { 1, 3 }, { 297, 178 },
					{ 1000, 1000 }, { 0, 0 }, { 0, 10 }, { 10, 0 }, { -1, 5 } };
	static const int shapes[][3] = { { 16, 16, 1 }, { 1024, 2, 3 }, { 3, 1024, 1 } };
	struct blob j;
	struct photo *p;
	tb_err e;
	int cols = 5, rows = 5;

	fixture_load("somchai", &j);
	p = photo_new(j.b, j.n, &e);
	assert_non_null(p);
	for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++)
		fit_check(p, 297, 356, boxes[i][0], boxes[i][1]);
	photo_fit(p, 24, 14, &cols, &rows);
	assert_int_equal(cols, 24);
	assert_int_equal(rows, 14);
	photo_free(&p);

	photo_fit(NULL, 24, 14, &cols, &rows);
	assert_int_equal(cols, 0);
	assert_int_equal(rows, 0);

	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		jpeg_make(&j, shapes[s][0], shapes[s][1], shapes[s][2]);
		p = photo_new(j.b, j.n, &e);
		assert_non_null(p);
		for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++)
			fit_check(p, shapes[s][0], shapes[s][1], boxes[i][0], boxes[i][1]);
		photo_free(&p);
	}
}

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
		cmocka_unit_test(test_fixtures_decode),
		cmocka_unit_test(test_grey_and_tiny_jpegs_decode),
		cmocka_unit_test(test_garbage_refused),
		cmocka_unit_test(test_empty_refused),
		cmocka_unit_test(test_truncated_refused),
		cmocka_unit_test(test_corrupt_header_refused),
		cmocka_unit_test(test_huge_size_refused),
		cmocka_unit_test(test_free_nulls),
		cmocka_unit_test(test_fit_boxes),
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
