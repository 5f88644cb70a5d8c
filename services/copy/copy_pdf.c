/* The copy's pages: pango shapes the Thai (marks placed by the font's
 * rules), cairo's PDF surface embeds the font as a subset and the card's
 * photo as its own JPEG bytes (MIME data), so nothing is re-encoded. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "services/copy/copy_private.h"

#define PAGE_W 595.276   /* A4 in points */
#define PAGE_H 841.89
#define MARGIN 48.0
#define LABEL_W 170.0
#define GAP 10.0
#define PHOTO_W 96.0
#define FOOT_H 28.0
#define FONT "Loma"

int copy_buf_add(struct copy_buf *b, const void *p, size_t n)
{
	if (n > b->cap - b->n || !b->p) {
		size_t cap = b->cap ? b->cap : 64 * 1024;
		unsigned char *q;

		while (cap - b->n < n)
			cap *= 2;
		q = malloc(cap);
		if (!q)
			return -1;
		if (b->p) {
			memcpy(q, b->p, b->n);
			explicit_bzero(b->p, b->cap);
			free(b->p);
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	return 0;
}

void copy_buf_wipe(struct copy_buf *b)
{
	if (b->p) {
		explicit_bzero(b->p, b->cap);
		free(b->p);
	}
	*b = (struct copy_buf){ 0 };
}

static cairo_status_t on_write(void *ud, const unsigned char *data, unsigned int len)
{
	return copy_buf_add(ud, data, len) ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* The frame's width and height from its SOF marker; -1 for anything that
 * is not a whole baseline or progressive JPEG header. */
static int jpeg_size(const unsigned char *p, size_t n, int *w, int *h)
{
	size_t i = 2;

	if (n < 4 || p[0] != 0xFF || p[1] != 0xD8)
		return -1;
	while (i + 4 <= n) {
		unsigned m, len;

		if (p[i] != 0xFF)
			return -1;
		m = p[i + 1];
		if (m == 0xFF) {
			i++;
			continue;
		}
		len = (unsigned)p[i + 2] << 8 | p[i + 3];
		if (len < 2 || len > n - i - 2)
			return -1;
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			if (len < 7)
				return -1;
			*h = p[i + 5] << 8 | p[i + 6];
			*w = p[i + 7] << 8 | p[i + 8];
			return *w > 0 && *h > 0 ? 0 : -1;
		}
		if (m == 0xDA || m == 0xD9)
			return -1;
		i += 2 + len;
	}
	return -1;
}

struct pen {
	const struct copy_doc *d;
	cairo_t *cr;
	PangoLayout *lo;
	double y;
	int page;
};

static void set_font(struct pen *p, double size, int bold)
{
	PangoFontDescription *fd = pango_font_description_from_string(FONT);

	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(p->lo, fd);
	pango_font_description_free(fd);
}

static double measure(struct pen *p, const char *text, double width)
{
	int w, h;

	pango_layout_set_width(p->lo, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(p->lo, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(p->lo, text, -1);
	pango_layout_get_size(p->lo, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void show(struct pen *p, const char *text, double x, double y, double width)
{
	measure(p, text, width);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, p->lo);
}

static void footer(struct pen *p)
{
	char buf[512];

	int unsigned_copy = strcmp(copy_doc_get(p->d, COPY_UNSIGNED), "1") == 0;

	if (unsigned_copy)
		cairo_set_source_rgb(p->cr, 0.75, 0.05, 0.05);
	else
		cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
	set_font(p, 7.5, unsigned_copy);
	snprintf(buf, sizeof buf, "%s — เลขอ้างอิง %s — หน้า %d / %s — reference %s — page %d",
		 unsigned_copy ? "ไม่ได้ลงนาม สำเนานี้ไม่มีลายมือชื่อดิจิทัล" : "สำเนาอิเล็กทรอนิกส์ลงลายมือชื่อดิจิทัล",
		 copy_doc_get(p->d, COPY_REF), p->page,
		 unsigned_copy ? "UNSIGNED: this copy carries no digital signature" : "Digitally signed copy",
		 copy_doc_get(p->d, COPY_REF), p->page);
	show(p, buf, MARGIN, PAGE_H - MARGIN + 6, PAGE_W - 2 * MARGIN);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

/* Room for h more points on this page, or the next page. */
static void room(struct pen *p, double h)
{
	if (p->y + h <= PAGE_H - MARGIN - FOOT_H)
		return;
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN;
}

/* A line across the text width; wraps, breaks the page when needed. */
static void line(struct pen *p, const char *text, double size, int bold)
{
	double h;

	set_font(p, size, bold);
	h = measure(p, text, PAGE_W - 2 * MARGIN);
	room(p, h);
	show(p, text, MARGIN, p->y, PAGE_W - 2 * MARGIN);
	p->y += h + 2;
}

/* The purpose laid diagonally across a box: the copy cannot serve another
 * purpose without this showing. */
static void diagonal(struct pen *p, double x, double y, double w, double h, double size)
{
	char buf[COPY_TEXT_MAX + 64];
	int tw, th;

	snprintf(buf, sizeof buf, "ใช้สำหรับ %s เท่านั้น", copy_doc_get(p->d, COPY_PURPOSE));
	cairo_save(p->cr);
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_clip(p->cr);
	cairo_translate(p->cr, x + w / 2, y + h / 2);
	cairo_rotate(p->cr, -0.6);
	set_font(p, size, 1);
	pango_layout_set_width(p->lo, -1);
	pango_layout_set_text(p->lo, buf, -1);
	pango_layout_get_size(p->lo, &tw, &th);
	cairo_set_source_rgba(p->cr, 0.8, 0.05, 0.05, 0.55);
	cairo_move_to(p->cr, -(double)tw / PANGO_SCALE / 2, -(double)th / PANGO_SCALE / 2);
	pango_cairo_show_layout(p->cr, p->lo);
	cairo_restore(p->cr);
}

static int photo(struct pen *p, const struct copy_section *s, double *bottom, tb_err *err)
{
	cairo_surface_t *img;
	int w, h;
	double scale, x = PAGE_W - MARGIN - PHOTO_W;

	if (jpeg_size(s->photo, s->photo_len, &w, &h) || w > 4096 || h > 4096)
		return err_set(err, TB_E_COPY_RENDER, 0, "photo");
	scale = PHOTO_W / w;
	room(p, h * scale);
	img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	/* The PDF surface writes these bytes as the image (DCTDecode). */
	if (cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, s->photo, s->photo_len,
					NULL, NULL) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(img);
		return err_set(err, TB_E_COPY_RENDER, 0, "photo");
	}
	cairo_save(p->cr);
	cairo_translate(p->cr, x, p->y);
	cairo_scale(p->cr, scale, scale);
	cairo_set_source_surface(p->cr, img, 0, 0);
	cairo_paint(p->cr);
	cairo_restore(p->cr);
	cairo_surface_destroy(img);
	diagonal(p, x, p->y, PHOTO_W, h * scale, 9);
	*bottom = p->y + h * scale;
	return 0;
}

static int section(struct pen *p, const struct copy_section *s, tb_err *err)
{
	double top, bottom = 0, vw = PAGE_W - 2 * MARGIN - LABEL_W - GAP;
	int first_page;

	p->y += 8;
	line(p, s->title, 12, 1);
	cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
	line(p, s->source, 8, 0);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	top = p->y;
	first_page = p->page;
	if (s->photo) {
		if (photo(p, s, &bottom, err))
			return -1;
		top = p->y;
		vw -= PHOTO_W + GAP;
	}
	for (size_t i = 0; i < s->nf; i++) {
		double hl, hv;

		set_font(p, 9.5, 0);
		hv = measure(p, s->f[i].value, vw);
		hl = measure(p, s->f[i].label, LABEL_W);
		room(p, hl > hv ? hl : hv);
		cairo_set_source_rgb(p->cr, 0.25, 0.25, 0.25);
		show(p, s->f[i].label, MARGIN, p->y, LABEL_W);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		show(p, s->f[i].value, MARGIN + LABEL_W + GAP, p->y, vw);
		p->y += (hl > hv ? hl : hv) + 3;
	}
	if (s->photo && p->page == first_page) {
		if (p->y < bottom)
			p->y = bottom;
		/* Across the card's text as well as its photo. */
		diagonal(p, MARGIN, top, PAGE_W - 2 * MARGIN, p->y - top, 18);
	}
	return 0;
}

int copy_pdf_render(const struct copy_doc *d, struct copy_buf *pdf, tb_err *err)
{
	cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(on_write, pdf, PAGE_W, PAGE_H);
	struct pen p = { .d = d, .y = MARGIN, .page = 1 };
	char buf[COPY_TEXT_MAX * 2];
	int rc = -1;

	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "tabien " PACKAGE_VERSION);
	p.cr = cairo_create(surf);
	p.lo = pango_cairo_create_layout(p.cr);
	line(&p, "สำเนาถูกต้อง / Certified true copy", 18, 1);
	line(&p, copy_doc_get(d, COPY_TITLE), 12, 1);
	cairo_set_source_rgb(p.cr, 0.75, 0.05, 0.05);
	snprintf(buf, sizeof buf, "ใช้สำหรับ %s เท่านั้น / For this purpose only",
		 copy_doc_get(d, COPY_PURPOSE));
	line(&p, buf, 12, 1);
	cairo_set_source_rgb(p.cr, 0, 0, 0);
	snprintf(buf, sizeof buf, "หน่วยงาน / Agency: %s", copy_doc_get(d, COPY_AGENCY));
	line(&p, buf, 9.5, 0);
	snprintf(buf, sizeof buf, "สาขา / Branch: %s", copy_doc_get(d, COPY_BRANCH));
	line(&p, buf, 9.5, 0);
	snprintf(buf, sizeof buf, "เจ้าหน้าที่ผู้รับรอง / Certified by: %s", copy_doc_get(d, COPY_OFFICER));
	line(&p, buf, 9.5, 0);
	snprintf(buf, sizeof buf, "วันเวลาที่ทำสำเนา / Made: %s", copy_doc_get(d, COPY_WHEN));
	line(&p, buf, 9.5, 0);
	snprintf(buf, sizeof buf, "เลขอ้างอิงบันทึกการใช้งาน / Audit reference: %s", copy_doc_get(d, COPY_REF));
	line(&p, buf, 9.5, 0);
	for (size_t i = 0; i < d->ns; i++)
		if (section(&p, &d->s[i], err))
			goto out;
	footer(&p);
	cairo_show_page(p.cr);
	rc = 0;
out:
	g_object_unref(p.lo);
	cairo_destroy(p.cr);
	cairo_surface_finish(surf);
	if (rc == 0 && cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
		rc = err_set(err, TB_E_COPY_RENDER, cairo_surface_status(surf), "pdf");
	cairo_surface_destroy(surf);
	return rc;
}
