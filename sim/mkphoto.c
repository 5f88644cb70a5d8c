/* mkphoto: a synthetic ID-card portrait for test fixtures.
 *
 * Draws a plain backdrop, shoulders, neck, a shaded head with ears, eyes,
 * brows, nose, mouth and hair, all from ellipses, with colours and shapes
 * chosen by a seeded generator so each fixture citizen looks different. No
 * real face is involved. The JPEG gets the highest quality that fits the
 * card's photo slot, as real card photos are squeezed to fit it too.
 *
 * Only + - * /, sqrt and fabs are used on floating point (all exact or
 * exactly rounded in IEEE 754), so a seed gives the same bytes on any
 * machine with the same libjpeg. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

enum { EXIT_USAGE = 2 };

struct rgb {
	double r, g, b;
};

/* splitmix64: tiny, well mixed, and the same everywhere */
struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *g)
{
	uint64_t z = (g->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double rng_range(struct rng *g, double lo, double hi)
{
	return lo + (hi - lo) * (double)(rng_next(g) >> 11) / 9007199254740992.0;
}

static struct rgb rgb_mix(struct rgb a, struct rgb b, double t)
{
	return (struct rgb){ a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t };
}

static struct rgb rgb_scale(struct rgb c, double k)
{
	return (struct rgb){ c.r * k, c.g * k, c.b * k };
}

static struct rgb rgb_jitter(struct rng *g, struct rgb c, double amount)
{
	return (struct rgb){ c.r + rng_range(g, -amount, amount),
			     c.g + rng_range(g, -amount, amount),
			     c.b + rng_range(g, -amount, amount) };
}

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

enum hair_style { HAIR_SHORT, HAIR_LONG, HAIR_BOB, HAIR_COUNT };

/* Everything that differs between two people; lengths are fractions of
 * the image width (x) or height (y), so any size gives the same picture. */
struct look {
	struct rgb back_top, back_bottom, skin, hair, shirt, iris, lips;
	double head_x, head_y, head_rx, head_ry;
	double eye_dx, eye_y, eye_r, brow_lift;
	double mouth_y, mouth_w;
	double neck_w, shoulder_y, shoulder_rx;
	double hairline, hair_puff;
	enum hair_style style;
};

static void look_pick(struct look *lk, uint64_t seed)
{
	static const struct rgb backdrops[] = {
		{ 196, 214, 234 }, { 214, 219, 226 }, { 203, 226, 236 }, { 222, 226, 232 },
	};
	static const struct rgb shirts[] = {
		{ 238, 238, 236 }, { 168, 194, 224 }, { 184, 164, 112 },
		{ 42, 52, 84 },	   { 34, 34, 38 },    { 120, 40, 48 },
	};
	struct rng g = { seed ^ 0x74616269656E21ull };

	struct rgb back = rgb_jitter(&g, backdrops[rng_next(&g) % 4], 8);
	lk->back_top = rgb_scale(back, 0.97);
	lk->back_bottom = rgb_scale(back, 1.03);
	lk->skin = rgb_jitter(&g, rgb_mix((struct rgb){ 236, 200, 168 }, (struct rgb){ 150, 104, 72 },
					  rng_range(&g, 0, 1)), 6);
	if (rng_range(&g, 0, 1) < 0.25) {
		double grey = rng_range(&g, 140, 205);
		lk->hair = (struct rgb){ grey, grey, grey + 4 };
	} else {
		lk->hair = rgb_mix((struct rgb){ 22, 18, 16 }, (struct rgb){ 78, 54, 36 },
				   rng_range(&g, 0, 1));
	}
	lk->shirt = rgb_jitter(&g, shirts[rng_next(&g) % 6], 6);
	lk->iris = rgb_mix((struct rgb){ 30, 20, 14 }, (struct rgb){ 70, 46, 28 }, rng_range(&g, 0, 1));
	lk->lips = (struct rgb){ lk->skin.r * 0.86, lk->skin.g * 0.64, lk->skin.b * 0.66 };

	lk->head_x = 0.5 + rng_range(&g, -0.012, 0.012);
	lk->head_y = rng_range(&g, 0.395, 0.425);
	lk->head_rx = rng_range(&g, 0.215, 0.250);
	lk->head_ry = rng_range(&g, 0.215, 0.240);
	lk->eye_dx = lk->head_rx * rng_range(&g, 0.36, 0.44);
	lk->eye_y = lk->head_y + lk->head_ry * rng_range(&g, -0.05, 0.08);
	lk->eye_r = lk->head_rx * rng_range(&g, 0.10, 0.13);
	lk->brow_lift = lk->head_ry * rng_range(&g, 0.17, 0.24);
	lk->mouth_y = lk->head_y + lk->head_ry * rng_range(&g, 0.52, 0.62);
	lk->mouth_w = lk->head_rx * rng_range(&g, 0.28, 0.40);
	lk->neck_w = lk->head_rx * rng_range(&g, 0.95, 1.15);
	lk->shoulder_y = rng_range(&g, 0.74, 0.78);
	lk->shoulder_rx = rng_range(&g, 0.58, 0.68);
	lk->hairline = rng_range(&g, 0.30, 0.55);
	lk->hair_puff = rng_range(&g, 1.04, 1.12);
	lk->style = (enum hair_style)(rng_next(&g) % HAIR_COUNT);
}

struct canvas {
	int w, h;
	double px, py; /* the pixel centre being drawn */
	struct rgb c;
};

/* Coverage of an ellipse at the current pixel, antialiased over ~1 px;
 * *nx, *ny (if given) are the normalised position inside it. */
static double ellipse_cover(const struct canvas *cv, double cx, double cy, double rx, double ry,
			    double *nx, double *ny)
{
	double ex = rx * cv->w, ey = ry * cv->h;
	double dx = (cv->px - cx * cv->w) / ex, dy = (cv->py - cy * cv->h) / ey;
	double f = sqrt(dx * dx + dy * dy);
	double r = ex < ey ? ex : ey;

	if (nx)
		*nx = dx;
	if (ny)
		*ny = dy;
	return clamp01(0.5 - (f - 1) * r);
}

static void paint(struct canvas *cv, struct rgb c, double alpha)
{
	if (alpha > 0)
		cv->c = rgb_mix(cv->c, c, alpha);
}

/* Fake sphere lighting from the upper left: 0.6 in shadow .. 1.1 lit. */
static double sphere_light(double nx, double ny)
{
	double nz2 = 1 - nx * nx - ny * ny;
	double nz = nz2 > 0 ? sqrt(nz2) : 0;
	double lambert = -0.40 * nx - 0.45 * ny + 0.80 * nz;

	return 0.6 + 0.5 * clamp01(lambert);
}

static void hair_paint(struct canvas *cv, const struct look *lk, int front)
{
	double nx, ny, a;

	if (!front) {
		if (lk->style == HAIR_LONG)
			a = ellipse_cover(cv, lk->head_x, lk->head_y + lk->head_ry * 0.9,
					  lk->head_rx * 1.25, lk->head_ry * 1.75, &nx, &ny);
		else if (lk->style == HAIR_BOB)
			a = ellipse_cover(cv, lk->head_x, lk->head_y + lk->head_ry * 0.25,
					  lk->head_rx * 1.22, lk->head_ry * 1.15, &nx, &ny);
		else
			return;
		/* the long hair stops on the shoulders */
		if (cv->py > (lk->shoulder_y + 0.03) * cv->h)
			a = 0;
		paint(cv, rgb_scale(lk->hair, 0.55 + 0.35 * sphere_light(nx * 0.8, ny * 0.8)), a);
		return;
	}
	a = ellipse_cover(cv, lk->head_x, lk->head_y - lk->head_ry * 0.06,
			  lk->head_rx * lk->hair_puff, lk->head_ry * lk->hair_puff, &nx, &ny);
	/* hairline: higher in the middle, lower at the temples */
	double line = -lk->hairline + 0.9 * nx * nx;
	double below = (ny - line) * lk->head_ry * cv->h;
	a *= clamp01(0.5 - below / 1.5);
	double shade = sphere_light(nx, ny);
	double sheen = clamp01(1 - 9 * ((nx + 0.3) * (nx + 0.3) + (ny + 0.55) * (ny + 0.55)));
	paint(cv, rgb_mix(rgb_scale(lk->hair, shade), (struct rgb){ 235, 235, 235 }, 0.18 * sheen), a);
}

static void face_paint(struct canvas *cv, const struct look *lk)
{
	double nx, ny, a;
	struct rgb white = { 242, 240, 236 };

	for (int side = -1; side <= 1; side += 2) {
		double ex = lk->head_x + side * lk->eye_dx;
		double sy = lk->eye_r * cv->w / cv->h; /* eye radius in y units */

		paint(cv, white, ellipse_cover(cv, ex, lk->eye_y, lk->eye_r * 1.7, sy, NULL, NULL));
		paint(cv, lk->iris, ellipse_cover(cv, ex, lk->eye_y, lk->eye_r * 0.85, sy * 0.95,
						  NULL, NULL));
		paint(cv, (struct rgb){ 12, 10, 10 },
		      ellipse_cover(cv, ex, lk->eye_y, lk->eye_r * 0.4, sy * 0.4, NULL, NULL));
		paint(cv, (struct rgb){ 250, 250, 250 },
		      ellipse_cover(cv, ex - lk->eye_r * 0.3, lk->eye_y - sy * 0.3, lk->eye_r * 0.18,
				    sy * 0.18, NULL, NULL));
		/* brow: a thin ellipse, kept to its upper half for an arch */
		a = ellipse_cover(cv, ex, lk->eye_y - lk->brow_lift + sy * 0.9, lk->eye_r * 2.1,
				  sy * 1.2, &nx, &ny);
		double inner = ellipse_cover(cv, ex, lk->eye_y - lk->brow_lift + sy * 1.35,
					     lk->eye_r * 2.0, sy * 1.25, NULL, NULL);
		paint(cv, rgb_scale(lk->hair, 0.8), a * (1 - inner) * (ny < 0 ? 1 : 0));
	}
	/* nose: a soft shadow and a lit tip */
	double nose_y = (lk->eye_y + lk->mouth_y) / 2 + lk->head_ry * 0.05;
	paint(cv, rgb_scale(lk->skin, 0.72),
	      0.5 * ellipse_cover(cv, lk->head_x + lk->head_rx * 0.05, nose_y, lk->head_rx * 0.13,
				  lk->head_ry * 0.07, NULL, NULL));
	paint(cv, rgb_scale(lk->skin, 1.08),
	      0.5 * ellipse_cover(cv, lk->head_x - lk->head_rx * 0.03, nose_y - lk->head_ry * 0.03,
				  lk->head_rx * 0.07, lk->head_ry * 0.05, NULL, NULL));
	/* mouth: lips, and a darker line where they meet */
	paint(cv, lk->lips, ellipse_cover(cv, lk->head_x, lk->mouth_y, lk->mouth_w,
					  lk->head_ry * 0.075, NULL, NULL));
	paint(cv, rgb_scale(lk->lips, 0.6), ellipse_cover(cv, lk->head_x, lk->mouth_y,
							  lk->mouth_w * 0.95, lk->head_ry * 0.012,
							  NULL, NULL));
}

static void pixel_paint(struct canvas *cv, const struct look *lk)
{
	double nx, ny, a;
	double v = cv->py / cv->h, u = cv->px / cv->w;

	cv->c = rgb_mix(lk->back_top, lk->back_bottom, v);
	/* a soft halo of light behind the head, as from a studio lamp */
	double du = u - lk->head_x, dv = v - lk->head_y;
	cv->c = rgb_scale(cv->c, 1.0 + 0.05 * clamp01(1 - 3 * (du * du + dv * dv)));

	hair_paint(cv, lk, 0);

	/* neck: a column, shaded under the chin */
	double half = lk->neck_w / 2 * cv->w;
	a = clamp01(0.5 - (fabs(cv->px - lk->head_x * cv->w) - half));
	if (v < lk->head_y)
		a = 0;
	double chin = clamp01((v - lk->head_y - lk->head_ry * 0.8) / (lk->head_ry * 0.5));
	paint(cv, rgb_scale(lk->skin, 0.70 + 0.2 * chin), a);

	/* shoulders and the shirt, with a V-neck of skin */
	a = ellipse_cover(cv, 0.5, lk->shoulder_y + 0.30, lk->shoulder_rx, 0.33, &nx, &ny);
	paint(cv, rgb_scale(lk->shirt, 0.75 + 0.3 * sphere_light(nx * 0.9, ny * 0.5)), a);
	double vbottom = lk->shoulder_y + 0.11, slope = 0.45;
	double vx = fabs(cv->px - lk->head_x * cv->w) - slope * (vbottom * cv->h - cv->py);
	double vneck = clamp01(0.5 - vx / 1.1);
	paint(cv, rgb_scale(lk->skin, 0.82), a * vneck);

	/* ears, then the head */
	for (int side = -1; side <= 1; side += 2)
		paint(cv, rgb_scale(lk->skin, 0.85),
		      ellipse_cover(cv, lk->head_x + side * lk->head_rx * 0.97, lk->head_y + 0.01,
				    lk->head_rx * 0.17, lk->head_ry * 0.2, NULL, NULL));
	a = ellipse_cover(cv, lk->head_x, lk->head_y, lk->head_rx, lk->head_ry, &nx, &ny);
	paint(cv, rgb_scale(lk->skin, sphere_light(nx, ny)), a);
	if (a > 0)
		face_paint(cv, lk);
	hair_paint(cv, lk, 1);
}

static unsigned char *portrait_render(const struct look *lk, int w, int h)
{
	unsigned char *rgb = malloc((size_t)w * (size_t)h * 3);
	struct canvas cv = { .w = w, .h = h };

	if (!rgb)
		return NULL;
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			cv.px = x + 0.5;
			cv.py = y + 0.5;
			pixel_paint(&cv, lk);
			unsigned char *p = rgb + ((size_t)y * (size_t)w + (size_t)x) * 3;
			p[0] = (unsigned char)(clamp01(cv.c.r / 255) * 255 + 0.5);
			p[1] = (unsigned char)(clamp01(cv.c.g / 255) * 255 + 0.5);
			p[2] = (unsigned char)(clamp01(cv.c.b / 255) * 255 + 0.5);
		}
	}
	return rgb;
}

/* ---- JPEG ------------------------------------------------------------------ */

struct jpeg_fail {
	struct jpeg_error_mgr mgr;
	jmp_buf back;
};

static void jpeg_fail_exit(j_common_ptr cinfo)
{
	struct jpeg_fail *f = (struct jpeg_fail *)cinfo->err;

	(*cinfo->err->output_message)(cinfo);
	longjmp(f->back, 1);
}

/* Encodes at `quality`; the caller frees *out. Returns 0 or -1. */
static int jpeg_encode(const unsigned char *rgb, int w, int h, int quality, unsigned char **out,
		       unsigned long *outlen)
{
	struct jpeg_compress_struct cinfo;
	struct jpeg_fail fail;

	*out = NULL;
	*outlen = 0;
	cinfo.err = jpeg_std_error(&fail.mgr);
	fail.mgr.error_exit = jpeg_fail_exit;
	if (setjmp(fail.back)) {
		/* not freed: libjpeg may have moved the buffer, and we exit next */
		jpeg_destroy_compress(&cinfo);
		*out = NULL;
		return -1;
	}
	jpeg_create_compress(&cinfo);
	jpeg_mem_dest(&cinfo, out, outlen);
	cinfo.image_width = (JDIMENSION)w;
	cinfo.image_height = (JDIMENSION)h;
	cinfo.input_components = 3;
	cinfo.in_color_space = JCS_RGB;
	jpeg_set_defaults(&cinfo);
	jpeg_set_quality(&cinfo, quality, TRUE);
	cinfo.optimize_coding = TRUE; /* smaller, and still deterministic */
	jpeg_start_compress(&cinfo, TRUE);
	while (cinfo.next_scanline < cinfo.image_height) {
		JSAMPROW row = (JSAMPROW)(rgb + (size_t)cinfo.next_scanline * (size_t)w * 3);
		jpeg_write_scanlines(&cinfo, &row, 1);
	}
	jpeg_finish_compress(&cinfo);
	jpeg_destroy_compress(&cinfo);
	return 0;
}

/* Written beside the target and renamed, so a failed run leaves no half file. */
static int file_write(const char *path, const unsigned char *data, size_t len)
{
	size_t n = strlen(path) + 5;
	char *tmp = malloc(n);
	int r = -1;

	if (!tmp)
		return -1;
	snprintf(tmp, n, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (f) {
		size_t put = fwrite(data, 1, len, f);
		int closed = fclose(f);
		if (put == len && closed == 0 && rename(tmp, path) == 0)
			r = 0;
		else
			fprintf(stderr, "mkphoto: %s: %s\n", path, strerror(errno));
		if (r < 0)
			remove(tmp);
	} else {
		fprintf(stderr, "mkphoto: %s: %s\n", tmp, strerror(errno));
	}
	free(tmp);
	return r;
}

/* ---- main -------------------------------------------------------------------- */

static void usage_print(FILE *out)
{
	fputs("usage: mkphoto --seed N --out FILE [--max-bytes 5100] [--width 297 --height 356]\n"
	      "Draws a synthetic portrait (no real face) for a test card and saves it as\n"
	      "the best-quality JPEG that fits in --max-bytes. Same seed, same file.\n",
	      out);
}

static unsigned long long number_parse(const char *opt, const char *s, unsigned long long min,
				       unsigned long long max)
{
	char *end;

	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max) {
		fprintf(stderr, "mkphoto: --%s wants a whole number from %llu to %llu, not '%s'\n",
			opt, min, max, s);
		exit(EXIT_USAGE);
	}
	return v;
}

int main(int argc, char **argv)
{
	enum { OPT_SEED = 256, OPT_OUT, OPT_MAX, OPT_W, OPT_H, OPT_HELP };
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "max-bytes", required_argument, NULL, OPT_MAX },
		{ "width", required_argument, NULL, OPT_W },
		{ "height", required_argument, NULL, OPT_H },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	uint64_t seed = 0;
	int have_seed = 0, c;
	unsigned long max_bytes = 5100;
	int w = 297, h = 356;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SEED:
			seed = number_parse("seed", optarg, 0, UINT64_MAX);
			have_seed = 1;
			break;
		case OPT_OUT:
			out = optarg;
			break;
		case OPT_MAX:
			max_bytes = (unsigned long)number_parse("max-bytes", optarg, 500, 100000000);
			break;
		case OPT_W:
			w = (int)number_parse("width", optarg, 16, 4000);
			break;
		case OPT_H:
			h = (int)number_parse("height", optarg, 16, 4000);
			break;
		case OPT_HELP:
			usage_print(stdout);
			return 0;
		default:
			usage_print(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc || !have_seed || !out) {
		fputs(optind < argc ? "mkphoto: unexpected argument\n"
				    : "mkphoto: --seed and --out are required\n",
		      stderr);
		usage_print(stderr);
		return EXIT_USAGE;
	}

	struct look lk;
	look_pick(&lk, seed);
	unsigned char *rgb = portrait_render(&lk, w, h);
	if (!rgb) {
		fputs("mkphoto: out of memory\n", stderr);
		return 1;
	}
	/* size is not strictly monotonic in quality, so walk down from the top */
	unsigned char *jpg = NULL;
	unsigned long len = 0;
	int quality;
	for (quality = 100; quality >= 1; quality--) {
		if (jpeg_encode(rgb, w, h, quality, &jpg, &len) < 0) {
			free(rgb);
			return 1;
		}
		if (len <= max_bytes)
			break;
		free(jpg);
		jpg = NULL;
	}
	free(rgb);
	if (!jpg) {
		fprintf(stderr, "mkphoto: even quality 1 is over %lu bytes at %dx%d\n", max_bytes, w,
			h);
		return 1;
	}
	int r = file_write(out, jpg, len);
	free(jpg);
	if (r < 0)
		return 1;
	printf("mkphoto: %s: %dx%d, quality %d, %lu bytes\n", out, w, h, quality, len);
	return 0;
}
