/* The card photo: decoding the fixtures, refusing damaged JPEGs without a
 * crash or a leak, and fitting the box. */
#include "config.h"

#include "tests/unit/photo_fixture.h"

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
	};

	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
