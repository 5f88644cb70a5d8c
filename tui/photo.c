/* The card photo in terminal cells: decode (libjpeg), area-average to the
 * box, map to the xterm palette, draw with half blocks.
 *
 * Everything derived from the photo (decoded RGB, the scaled picture, the
 * palette indices kept for redraws) is a picture of the citizen's face and is
 * wiped before it is freed.  libjpeg's own working rows are freed by
 * jpeg_destroy_decompress() without wiping; they hold a few rows of a
 * baseline image, the whole coefficient set of a progressive one. */
#include "config.h"

#include "tui/photo.h"

#include <langinfo.h>
#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h> /* jpeglib.h uses FILE and size_t without including them */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <jpeglib.h>
#include <jerror.h> /* the message codes reported as the error detail */

enum {
	PHOTO_MAX_SIDE = 1024,
	/* A card photo is one baseline scan; hundreds of progressive scans
	 * in a crafted file would only burn CPU on the UI thread. */
	PHOTO_MAX_SCANS = 64,
	/* Pair 0, the program's fixed pairs 1..63, and room for other
	 * alloc_pair users.  alloc_pair recycles the oldest pair once the
	 * table is full, and the oldest are the program's: so the photo only
	 * uses palettes whose every pair fits beside these.  (alloc_pair may
	 * hand back a program pair that holds exactly the wanted colours:
	 * shared, never redefined.) */
	PHOTO_PAIRS_KEPT = 128,
	PHOTO_GREY_COLOURS = 26,
	HALF_BLOCK = 0x2580,
};

/* libjpeg's working memory cap: far above what 1024 x 1024 needs, far
 * below what a hostile header could make it try. */
#define PHOTO_JPEG_MEMORY (32L * 1024 * 1024)

/* Colours are matched in OKLab with lightness weighted down a little: with
 * a palette this coarse, a skin tone turned olive or grey reads worse than
 * one a shade too light or dark (compared by eye on the fixtures). */
#ifndef PHOTO_L_WEIGHT
#define PHOTO_L_WEIGHT 0.7f
#endif

/* A cell keeps the previous cell's pair when each of its two pixels is then
 * at most this much (OKLab distance, about one just-noticeable difference)
 * further from its true colour than with its own nearest colour.  ncurses
 * sends both colours, ~22 bytes of SGR, for any change of pair; see
 * map_pairs for what this saves. */
#ifndef PHOTO_KEEP_SLACK
#define PHOTO_KEEP_SLACK 0.02f
#endif

/* ---- the xterm 256-colour palette -------------------------------------------- */

static const uint8_t cube_level[6] = { 0, 95, 135, 175, 215, 255 };

/* The colour sets COLOUR may use, fine to coarse.  Each needs n * n free
 * pairs (see PHOTO_PAIRS_KEPT): xterm-256color and tmux have 65536, the
 * finest; rxvt-unicode-256color has 32767, the second. */
struct photo_palette {
	unsigned levels; /* bit i set: cube_level[i] is used */
	int n;           /* colours: the cube's plus the 24 greys 232..255 */
};

static const struct photo_palette palettes[] = {
	{ 0x3f, 6 * 6 * 6 + 24 },
	{ 0x3b, 5 * 5 * 5 + 24 }, /* without 135 */
	{ 0x2b, 4 * 4 * 4 + 24 }, /* without 135 and 215 */
};

#define PALETTE_COUNT ((int)(sizeof palettes / sizeof palettes[0]))
#define PALETTE_MAX (6 * 6 * 6 + 24)

static void xterm_rgb(int idx, uint8_t rgb[3])
{
	if (idx >= 232) {
		rgb[0] = rgb[1] = rgb[2] = (uint8_t)(8 + 10 * (idx - 232));
	} else {
		idx -= 16;
		rgb[0] = cube_level[idx / 36];
		rgb[1] = cube_level[idx / 6 % 6];
		rgb[2] = cube_level[idx % 6];
	}
}

/* Colours are compared in OKLab, where distance follows what the eye sees:
 * in RGB a muted red shirt comes out nearer a grey than the cube's red. */
struct lab {
	float l, a, b;
};

static float srgb_linear(uint8_t v)
{
	float c = (float)v / 255.0f;

	return c <= 0.04045f ? c / 12.92f : powf((c + 0.055f) / 1.055f, 2.4f);
}

static struct lab lab_of(const uint8_t rgb[3])
{
	float r = srgb_linear(rgb[0]), g = srgb_linear(rgb[1]), b = srgb_linear(rgb[2]);
	float l = cbrtf(0.4122214708f * r + 0.5363325363f * g + 0.0514459929f * b);
	float m = cbrtf(0.2119034982f * r + 0.6806995451f * g + 0.1073969566f * b);
	float s = cbrtf(0.0883024619f * r + 0.2817188376f * g + 0.6299787005f * b);

	return (struct lab){
		0.2104542553f * l + 0.7936177850f * m - 0.0040720468f * s,
		1.9779984951f * l - 2.4285922050f * m + 0.4505937099f * s,
		0.0259040371f * l + 0.7827717662f * m - 0.8086757660f * s,
	};
}

static float lab_dist(struct lab x, struct lab y)
{
	float dl = x.l - y.l, da = x.a - y.a, db = x.b - y.b;

	return PHOTO_L_WEIGHT * dl * dl + da * da + db * db;
}

/* The colours one style may use: xterm index and OKLab value. */
struct colours {
	int n;
	uint8_t idx[PALETTE_MAX];
	struct lab lab[PALETTE_MAX];
};

static void colours_add(struct colours *set, int idx)
{
	uint8_t rgb[3];

	xterm_rgb(idx, rgb);
	set->idx[set->n] = (uint8_t)idx;
	set->lab[set->n] = lab_of(rgb);
	set->n++;
}

/* GREY: black (16), the ramp 232..255, white (231).  COLOUR: the cube's
 * colours whose levels are all in `levels`, and the ramp. */
static void colours_build(struct colours *set, enum photo_style style, unsigned levels)
{
	set->n = 0;
	if (style == PHOTO_GREY) {
		colours_add(set, 16);
		colours_add(set, 231);
	} else {
		for (int i = 0; i < 216; i++)
			if ((levels >> (i / 36) & 1) && (levels >> (i / 6 % 6) & 1) &&
			    (levels >> (i % 6) & 1))
				colours_add(set, 16 + i);
	}
	for (int g = 232; g <= 255; g++)
		colours_add(set, g);
}

/* Position in set of the colour nearest px: every candidate is tried,
 * a few hundred per pixel once per card and size. */
static int colours_nearest(const struct colours *set, struct lab px)
{
	int best = 0;
	float best_d = lab_dist(px, set->lab[0]);

	for (int k = 1; k < set->n; k++) {
		float d = lab_dist(px, set->lab[k]);

		if (d < best_d) {
			best = k;
			best_d = d;
		}
	}
	return best;
}

/* The finest palette whose every pair fits the terminal's pair table, or
 * -1 when none does. */
static int palette_for_pairs(void)
{
	for (int t = 0; t < PALETTE_COUNT; t++)
		if ((long)palettes[t].n * palettes[t].n + PHOTO_PAIRS_KEPT <= COLOR_PAIRS)
			return t;
	return -1;
}

static bool grey_fits_pairs(void)
{
	return PHOTO_GREY_COLOURS * PHOTO_GREY_COLOURS + PHOTO_PAIRS_KEPT <= COLOR_PAIRS;
}

enum photo_style photo_style_for(int want_grey)
{
	if (!has_colors() || COLORS < 256)
		return PHOTO_SHADE;
	if (!want_grey && palette_for_pairs() >= 0)
		return PHOTO_COLOUR;
	return grey_fits_pairs() ? PHOTO_GREY : PHOTO_SHADE;
}

/* ---- the decoded photo and its cache ------------------------------------------ */

/* What a redraw needs for one style: COLOUR and GREY keep two palette
 * indices per cell (top, bottom), SHADE one level 0..255 per cell. */
struct photo_cache {
	int cols, rows, palette; /* cols == 0: empty */
	uint8_t *cell;
	size_t len;
};

struct photo {
	int width, height;
	uint8_t *rgb; /* width * height * 3 */
	struct photo_cache cache[3]; /* by enum photo_style */
};

static void buf_wipe_free(void *buf, size_t len)
{
	if (buf) {
		explicit_bzero(buf, len);
		free(buf);
	}
}

static void cache_clear(struct photo_cache *c)
{
	buf_wipe_free(c->cell, c->len);
	*c = (struct photo_cache){ 0 };
}

void photo_free(struct photo **pp)
{
	struct photo *p;

	if (!pp || !*pp)
		return;
	p = *pp;
	buf_wipe_free(p->rgb, (size_t)p->width * (size_t)p->height * 3);
	for (int s = 0; s < 3; s++)
		cache_clear(&p->cache[s]);
	explicit_bzero(p, sizeof *p);
	free(p);
	*pp = NULL;
}

/* ---- decoding ---------------------------------------------------------------- */

struct photo_decoder {
	struct jpeg_decompress_struct cinfo;
	struct jpeg_error_mgr jerr;
	struct jpeg_progress_mgr progress;
	jmp_buf escape;
	long detail; /* the libjpeg message code of the failure */
	struct photo *p;
};

static struct photo_decoder *decoder_of(j_common_ptr c)
{
	/* cinfo is the first member: the decoder starts where it does */
	return (struct photo_decoder *)(void *)c;
}

static void decoder_fail(j_common_ptr c)
{
	struct photo_decoder *d = decoder_of(c);

	d->detail = c->err->msg_code;
	longjmp(d->escape, 1);
}

/* Level -1 is a warning (corrupt data, premature end): a damaged face must
 * not be shown as if it were whole.  Trace messages (>= 0) are ignored. */
static void decoder_message(j_common_ptr c, int level)
{
	if (level < 0)
		decoder_fail(c);
}

/* libjpeg's default prints to stderr, which would tear the curses screen. */
static void decoder_output(j_common_ptr c)
{
	(void)c;
}

static void decoder_progress(j_common_ptr c)
{
	j_decompress_ptr cinfo = (j_decompress_ptr)c;

	if (cinfo->input_scan_number > PHOTO_MAX_SCANS) {
		c->err->msg_code = JWRN_BOGUS_PROGRESSION;
		decoder_fail(c);
	}
}

/* Returns 0, or -1 with d->detail set.  Nothing here may stay live across
 * the longjmp but *d, which lives in the caller's frame. */
static int decoder_run(struct photo_decoder *d, const uint8_t *jpeg, size_t len)
{
	struct jpeg_decompress_struct *ci = &d->cinfo;
	JDIMENSION w, h;

	if (setjmp(d->escape))
		return -1;
	/* created here, after setjmp: creating can fail (out of memory) too */
	jpeg_create_decompress(ci);
	ci->progress = &d->progress;
	jpeg_mem_src(ci, jpeg, (unsigned long)len);
	if (jpeg_read_header(ci, TRUE) != JPEG_HEADER_OK) {
		d->detail = JERR_NO_IMAGE;
		return -1;
	}
	w = ci->image_width;
	h = ci->image_height;
	if (w == 0 || h == 0 || w > PHOTO_MAX_SIDE || h > PHOTO_MAX_SIDE) {
		d->detail = JERR_IMAGE_TOO_BIG;
		return -1;
	}
	ci->out_color_space = JCS_RGB;
	ci->mem->max_memory_to_use = PHOTO_JPEG_MEMORY;
	jpeg_start_decompress(ci);
	if (ci->output_components != 3 || ci->output_width != w || ci->output_height != h) {
		d->detail = JERR_CONVERSION_NOTIMPL;
		return -1;
	}
	d->p->width = (int)w;
	d->p->height = (int)h;
	d->p->rgb = malloc((size_t)w * h * 3);
	if (!d->p->rgb) {
		d->detail = JERR_OUT_OF_MEMORY;
		return -1;
	}
	while (ci->output_scanline < h) {
		JSAMPROW row = d->p->rgb + (size_t)ci->output_scanline * w * 3;

		/* the memory source never suspends, so 0 rows means broken */
		if (jpeg_read_scanlines(ci, &row, 1) != 1) {
			d->detail = JWRN_JPEG_EOF;
			return -1;
		}
	}
	jpeg_finish_decompress(ci);
	return 0;
}

struct photo *photo_new(const uint8_t *jpeg, size_t len, tb_err *err)
{
	struct photo_decoder *d;
	struct photo *p = NULL;
	int rc;

	err_clear(err);
	if (!jpeg || len == 0) {
		err_set(err, TB_E_CARD_PHOTO, JERR_INPUT_EMPTY, "photo");
		return NULL;
	}
	/* on the heap: a jmp_buf and libjpeg's structs are a few KiB */
	d = calloc(1, sizeof *d);
	if (d)
		d->p = calloc(1, sizeof *d->p);
	if (!d || !d->p) {
		free(d);
		err_set(err, TB_E_NOMEM, 0, "photo");
		return NULL;
	}
	d->cinfo.err = jpeg_std_error(&d->jerr);
	d->jerr.error_exit = decoder_fail;
	d->jerr.emit_message = decoder_message;
	d->jerr.output_message = decoder_output;
	d->progress.progress_monitor = decoder_progress;
	rc = decoder_run(d, jpeg, len);
	jpeg_destroy_decompress(&d->cinfo);
	if (rc == 0) {
		p = d->p;
	} else {
		err_set(err, d->detail == JERR_OUT_OF_MEMORY ? TB_E_NOMEM : TB_E_CARD_PHOTO,
			d->detail, "photo");
		photo_free(&d->p);
	}
	explicit_bzero(d, sizeof *d);
	free(d);
	return p;
}

/* ---- size -------------------------------------------------------------------- */

void photo_fit(const struct photo *p, int max_cols, int max_rows, int *cols, int *rows)
{
	long c, r;

	*cols = *rows = 0;
	if (!p || max_cols <= 0 || max_rows <= 0)
		return;
	/* a cell is 1 x 2 pixels: cols / rows = 2 * width / height */
	c = max_cols;
	r = (c * p->height + p->width) / (2L * p->width); /* rounded */
	if (r > max_rows) {
		r = max_rows;
		c = (2L * r * p->width + p->height / 2) / p->height;
		if (c > max_cols)
			c = max_cols;
	}
	*cols = c < 1 ? 1 : (int)c;
	*rows = r < 1 ? 1 : (int)r;
}

/* ---- scaling and mapping ------------------------------------------------------- */

/* Area average into dw x dh pixels: each output pixel is the mean of the
 * source area it covers, partial pixels weighted by overlap, in integers.
 * Output pixel i spans [i*W, (i+1)*W) in units where source pixel s spans
 * [s*dw, (s+1)*dw), so the weights of one output pixel sum to W * H. */
static void photo_scale(const struct photo *p, int dw, int dh, uint8_t *out)
{
	const uint64_t W = (uint64_t)p->width, H = (uint64_t)p->height;
	const uint64_t total = W * H;

	for (int j = 0; j < dh; j++) {
		uint64_t y0 = (uint64_t)j * H, y1 = y0 + H;
		uint64_t t0 = y0 / (uint64_t)dh, t1 = (y1 - 1) / (uint64_t)dh;

		for (int i = 0; i < dw; i++) {
			uint64_t x0 = (uint64_t)i * W, x1 = x0 + W;
			uint64_t s0 = x0 / (uint64_t)dw, s1 = (x1 - 1) / (uint64_t)dw;
			uint64_t sum[3] = { 0, 0, 0 };

			for (uint64_t t = t0; t <= t1; t++) {
				uint64_t ty0 = t * (uint64_t)dh, ty1 = ty0 + (uint64_t)dh;
				uint64_t wy = (y1 < ty1 ? y1 : ty1) - (y0 > ty0 ? y0 : ty0);
				const uint8_t *row = p->rgb + t * W * 3;

				for (uint64_t s = s0; s <= s1; s++) {
					uint64_t sx0 = s * (uint64_t)dw, sx1 = sx0 + (uint64_t)dw;
					uint64_t wt = wy * ((x1 < sx1 ? x1 : sx1) - (x0 > sx0 ? x0 : sx0));

					sum[0] += wt * row[s * 3];
					sum[1] += wt * row[s * 3 + 1];
					sum[2] += wt * row[s * 3 + 2];
				}
			}
			for (int k = 0; k < 3; k++)
				out[((size_t)j * (size_t)dw + (size_t)i) * 3 + (size_t)k] =
					(uint8_t)((sum[k] + total / 2) / total);
		}
	}
}

/* The pixel at column c of pixel row y of the scaled picture, as the style
 * sees it: GREY keeps only the lightness. */
static struct lab pixel_lab(const uint8_t *px, int cols, int y, int c, enum photo_style style)
{
	struct lab v = lab_of(px + ((size_t)y * (size_t)cols + (size_t)c) * 3);

	if (style == PHOTO_GREY)
		v.a = v.b = 0;
	return v;
}

/* Whether colour `kept` shows px no more than PHOTO_KEEP_SLACK worse than
 * its nearest colour `best` does. */
static bool keep_fits(const struct colours *set, struct lab px, int best, int kept)
{
	return sqrtf(lab_dist(px, set->lab[kept])) <=
	       sqrtf(lab_dist(px, set->lab[best])) + PHOTO_KEEP_SLACK;
}

/* Two palette indices per cell.  Cells are visited in the order the
 * terminal receives them; a cell keeps the previous cell's pair when that
 * fits nearly as well as its own nearest colours (keep_fits).  Measured on
 * the four fixtures at 24x14 cells: pair changes 136 -> 95 per photo, bytes
 * sent 4100 -> 3200 (GREY 4180 -> 3500), mean colour error 0.0275 -> 0.029. */
static void map_pairs(const struct colours *set, enum photo_style style, const uint8_t *px,
		      int cols, int rows, uint8_t *cell)
{
	int keep_top = -1, keep_bot = -1;

	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < cols; c++) {
			struct lab top = pixel_lab(px, cols, 2 * r, c, style);
			struct lab bot = pixel_lab(px, cols, 2 * r + 1, c, style);
			int kt = colours_nearest(set, top), kb = colours_nearest(set, bot);
			uint8_t *out = cell + ((size_t)r * (size_t)cols + (size_t)c) * 2;

			if (keep_top >= 0 && (keep_top != kt || keep_bot != kb) &&
			    keep_fits(set, top, kt, keep_top) && keep_fits(set, bot, kb, keep_bot)) {
				kt = keep_top;
				kb = keep_bot;
			}
			out[0] = set->idx[kt];
			out[1] = set->idx[kb];
			keep_top = kt;
			keep_bot = kb;
		}
	}
}

/* One level per cell from both pixels' lightness, stretched to the full
 * range: five or ten characters leave no steps to waste. */
static void map_shade(const uint8_t *px, int cols, int rows, uint8_t *cell)
{
	size_t n = (size_t)cols * (size_t)rows;
	int lo = 255, hi = 0;

	for (int r = 0; r < rows; r++) {
		for (int c = 0; c < cols; c++) {
			float l = pixel_lab(px, cols, 2 * r, c, PHOTO_GREY).l +
				  pixel_lab(px, cols, 2 * r + 1, c, PHOTO_GREY).l;
			int v = (int)(l / 2 * 255 + 0.5f);

			v = v < 0 ? 0 : v > 255 ? 255 : v;
			cell[(size_t)r * (size_t)cols + (size_t)c] = (uint8_t)v;
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	}
	if (hi - lo < 2) /* a flat picture: nothing to stretch */
		return;
	for (size_t i = 0; i < n; i++)
		cell[i] = (uint8_t)(((cell[i] - lo) * 255 + (hi - lo) / 2) / (hi - lo));
}

/* The cached cells for this size and style, rebuilt when either changed.
 * NULL when out of memory (the photo is then not drawn). */
static const uint8_t *photo_cells(struct photo *p, int cols, int rows, enum photo_style style,
				  int palette)
{
	struct photo_cache *c = &p->cache[style];
	size_t npx = (size_t)cols * (size_t)rows * 2;
	uint8_t *px;

	if (c->cell && c->cols == cols && c->rows == rows && c->palette == palette)
		return c->cell;
	cache_clear(c);
	px = malloc(npx * 3);
	c->len = style == PHOTO_SHADE ? npx / 2 : npx;
	c->cell = malloc(c->len);
	if (!px || !c->cell) {
		free(px);
		cache_clear(c);
		return NULL;
	}
	photo_scale(p, cols, rows * 2, px);
	if (style == PHOTO_SHADE) {
		map_shade(px, cols, rows, c->cell);
	} else {
		struct colours set;

		colours_build(&set, style, palette >= 0 ? palettes[palette].levels : 0);
		map_pairs(&set, style, px, cols, rows, c->cell);
	}
	buf_wipe_free(px, npx * 3);
	c->cols = cols;
	c->rows = rows;
	c->palette = palette;
	return c->cell;
}

/* ---- drawing ------------------------------------------------------------------- */

static bool locale_utf8(void)
{
	return MB_CUR_MAX > 1 && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

static wchar_t shade_char(uint8_t level, bool utf8)
{
	static const wchar_t blocks[] = { L' ', 0x2591, 0x2592, 0x2593, 0x2588 };
	static const char ramp[] = " .:-=+*#%@";
	int n = utf8 ? 5 : 10;
	int i = (level * (n - 1) + 127) / 255;

	return utf8 ? blocks[i] : (wchar_t)ramp[i];
}

/* The style the terminal can really show: a caller's COLOUR on a screen
 * without enough colours or pairs must not turn into recycled pairs. */
static enum photo_style style_clamp(enum photo_style style, int *palette)
{
	enum photo_style can = photo_style_for(style != PHOTO_COLOUR);

	*palette = -1;
	if (style == PHOTO_SHADE || can == PHOTO_SHADE)
		return PHOTO_SHADE;
	if (style == PHOTO_COLOUR && can == PHOTO_COLOUR) {
		*palette = palette_for_pairs();
		return PHOTO_COLOUR;
	}
	return PHOTO_GREY;
}

void photo_draw(struct photo *p, WINDOW *w, int y, int x, int cols, int rows, enum photo_style style)
{
	const uint8_t *cell;
	int palette, maxy, maxx, cy, cx, wpair = 0;
	short wpair_short = 0;
	attr_t wattrs = A_NORMAL;
	bool utf8;

	if (!p || !w || cols <= 0 || rows <= 0 || (unsigned)style > PHOTO_SHADE)
		return;
	getmaxyx(w, maxy, maxx);
	/* the picture is scaled for the whole box; only what lands in w is drawn */
	if (cols > PHOTO_MAX_SIDE || rows > PHOTO_MAX_SIDE || y >= maxy || x >= maxx ||
	    y + rows <= 0 || x + cols <= 0)
		return;
	style = style_clamp(style, &palette);
	cell = photo_cells(p, cols, rows, style, palette);
	if (!cell)
		return;
	utf8 = locale_utf8();
	getyx(w, cy, cx);
	/* the window's own attributes (bold, a theme's pair) would mix into the
	 * cells; set them aside and put them back */
	wattr_get(w, &wattrs, &wpair_short, &wpair);
	wattr_set(w, A_NORMAL, 0, NULL);
	for (int r = 0; r < rows; r++) {
		if (y + r < 0 || y + r >= maxy)
			continue;
		for (int c = 0; c < cols; c++) {
			size_t i = (size_t)r * (size_t)cols + (size_t)c;
			wchar_t wch[2] = { 0, 0 };
			cchar_t cc;
			int pair = 0;

			if (x + c < 0 || x + c >= maxx)
				continue;
			if (style == PHOTO_SHADE) {
				wch[0] = shade_char(cell[i], utf8);
			} else {
				wch[0] = HALF_BLOCK;
				pair = alloc_pair(cell[2 * i], cell[2 * i + 1]);
				if (pair < 0)
					pair = 0;
			}
			setcchar(&cc, wch, A_NORMAL, 0, &pair);
			mvwadd_wch(w, y + r, x + c, &cc);
		}
	}
	wattr_set(w, wattrs, wpair_short, &wpair);
	wmove(w, cy, cx);
}
