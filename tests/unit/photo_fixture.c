#include "config.h"

#include "tests/unit/photo_fixture.h"

const char *const fixtures[4] = { "somchai", "malee", "boonruen", "thana" };

void fixture_load(const char *name, struct blob *out)
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

size_t jpeg_find(const struct blob *j, uint8_t marker)
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

void sof_size(const struct blob *j, int *w, int *h)
{
	size_t s = jpeg_find(j, 0xC0);

	assert_true(s > 0);
	*h = j->b[s + 5] << 8 | j->b[s + 6];
	*w = j->b[s + 7] << 8 | j->b[s + 8];
}

void sof_set_size(struct blob *j, int w, int h)
{
	size_t s = jpeg_find(j, 0xC0);

	assert_true(s > 0);
	j->b[s + 5] = (uint8_t)(h >> 8);
	j->b[s + 6] = (uint8_t)h;
	j->b[s + 7] = (uint8_t)(w >> 8);
	j->b[s + 8] = (uint8_t)w;
}

void expect_refused(const uint8_t *b, size_t n)
{
	tb_err e = { TB_OK, 0, NULL };
	struct photo *p = photo_new(b, n, &e);

	assert_null(p);
	assert_int_equal(e.id, TB_E_CARD_PHOTO);
}

void jpeg_make_pattern(struct blob *out, int w, int h, int components, bool split)
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

void jpeg_make(struct blob *out, int w, int h, int components)
{
	jpeg_make_pattern(out, w, h, components, false);
}
