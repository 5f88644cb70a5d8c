/* The digital copy's data and its serialised form (copy_doc.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "services/copy/copy_doc.h"

/* Tags: the metadata by index from 'A'; the rest below. */
#define TAG_META 'A'
#define TAG_SECTION 's'
#define TAG_SOURCE 'o'
#define TAG_LABEL 'l'
#define TAG_VALUE 'v'
#define TAG_PHOTO 'j'

static void wipe_str(char **s)
{
	if (*s) {
		explicit_bzero(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

struct copy_doc *copy_doc_new(void)
{
	return calloc(1, sizeof(struct copy_doc));
}

void copy_doc_free(struct copy_doc **dp)
{
	struct copy_doc *d = dp ? *dp : NULL;

	if (!d)
		return;
	for (int m = 0; m < COPY_META_COUNT; m++)
		wipe_str(&d->meta[m]);
	for (size_t i = 0; i < d->ns; i++) {
		struct copy_section *s = &d->s[i];

		wipe_str(&s->title);
		wipe_str(&s->source);
		for (size_t k = 0; k < s->nf; k++) {
			wipe_str(&s->f[k].label);
			wipe_str(&s->f[k].value);
		}
		free(s->f);
		if (s->photo) {
			explicit_bzero(s->photo, s->photo_len);
			free(s->photo);
		}
	}
	explicit_bzero(d, sizeof *d);
	free(d);
	*dp = NULL;
}

static char *dup_text(const char *t, size_t n, tb_err *err)
{
	char *s;

	if (n > COPY_TEXT_MAX) {
		err_set(err, TB_E_USAGE, (long)n, "copy text");
		return NULL;
	}
	s = malloc(n + 1);
	if (!s) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	memcpy(s, t, n);
	s[n] = '\0';
	return s;
}

int copy_doc_set(struct copy_doc *d, enum copy_meta m, const char *text, tb_err *err)
{
	char *s = dup_text(text ? text : "", text ? strlen(text) : 0, err);

	if (!s)
		return -1;
	wipe_str(&d->meta[m]);
	d->meta[m] = s;
	return 0;
}

const char *copy_doc_get(const struct copy_doc *d, enum copy_meta m)
{
	return d->meta[m] ? d->meta[m] : "";
}

int copy_doc_section(struct copy_doc *d, const char *title, const char *source, tb_err *err)
{
	struct copy_section *s;

	if (d->ns >= COPY_SECTIONS_MAX)
		return err_set(err, TB_E_USAGE, (long)d->ns, "copy sections");
	s = &d->s[d->ns];
	memset(s, 0, sizeof *s);
	if (!(s->title = dup_text(title, strlen(title), err)))
		return -1;
	if (!(s->source = dup_text(source, strlen(source), err))) {
		wipe_str(&s->title);
		return -1;
	}
	d->ns++;
	return 0;
}

static int field_add(struct copy_section *s, char *label, char *value, tb_err *err)
{
	if (s->nf >= COPY_FIELDS_MAX)
		goto full;
	if (s->nf == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct copy_field *f = realloc(s->f, cap * sizeof *f);

		if (!f) {
			err_set(err, TB_E_NOMEM, 0, NULL);
			goto fail;
		}
		s->f = f;
		s->cap = cap;
	}
	s->f[s->nf++] = (struct copy_field){ label, value };
	return 0;
full:
	err_set(err, TB_E_USAGE, (long)s->nf, "copy fields");
fail:
	wipe_str(&label);
	wipe_str(&value);
	return -1;
}

int copy_doc_field(struct copy_doc *d, const char *label, const char *value, tb_err *err)
{
	char *l, *v;

	if (!d->ns)
		return err_set(err, TB_E_USAGE, 0, "copy field before a section");
	value = value && *value ? value : "-";
	if (!(l = dup_text(label, strlen(label), err)))
		return -1;
	if (!(v = dup_text(value, strlen(value), err))) {
		wipe_str(&l);
		return -1;
	}
	return field_add(&d->s[d->ns - 1], l, v, err);
}

int copy_doc_photo(struct copy_doc *d, const unsigned char *jpeg, size_t len, tb_err *err)
{
	struct copy_section *s;

	if (!d->ns)
		return err_set(err, TB_E_USAGE, 0, "copy photo before a section");
	s = &d->s[d->ns - 1];
	if (s->photo || !len || len > COPY_DOC_MAX / 2)
		return err_set(err, TB_E_USAGE, (long)len, "copy photo");
	s->photo = malloc(len);
	if (!s->photo)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	memcpy(s->photo, jpeg, len);
	s->photo_len = len;
	return 0;
}

/* --- the serialised form ------------------------------------------------------------- */

struct out {
	unsigned char *p;
	size_t n, cap;
	int failed;
};

static void put(struct out *o, int tag, const void *b, size_t n)
{
	size_t need = o->n + 5 + n;

	if (o->failed)
		return;
	if (need > COPY_DOC_MAX) {
		o->failed = TB_E_USAGE;
		return;
	}
	if (need > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		unsigned char *q;

		while (cap < need)
			cap *= 2;
		/* Not realloc: the old buffer holds personal data and is wiped. */
		q = malloc(cap);
		if (!q) {
			o->failed = TB_E_NOMEM;
			return;
		}
		if (o->p) {
			memcpy(q, o->p, o->n);
			explicit_bzero(o->p, o->cap);
			free(o->p);
		}
		o->p = q;
		o->cap = cap;
	}
	o->p[o->n++] = (unsigned char)tag;
	o->p[o->n++] = (unsigned char)(n >> 24);
	o->p[o->n++] = (unsigned char)(n >> 16);
	o->p[o->n++] = (unsigned char)(n >> 8);
	o->p[o->n++] = (unsigned char)n;
	if (n)
		memcpy(o->p + o->n, b, n);
	o->n += n;
}

static void put_text(struct out *o, int tag, const char *s)
{
	put(o, tag, s ? s : "", s ? strlen(s) : 0);
}

int copy_doc_encode(const struct copy_doc *d, unsigned char **out, size_t *len, tb_err *err)
{
	struct out o = { 0 };

	for (int m = 0; m < COPY_META_COUNT; m++)
		if (d->meta[m])
			put_text(&o, TAG_META + m, d->meta[m]);
	for (size_t i = 0; i < d->ns; i++) {
		const struct copy_section *s = &d->s[i];

		put_text(&o, TAG_SECTION, s->title);
		put_text(&o, TAG_SOURCE, s->source);
		if (s->photo)
			put(&o, TAG_PHOTO, s->photo, s->photo_len);
		for (size_t k = 0; k < s->nf; k++) {
			put_text(&o, TAG_LABEL, s->f[k].label);
			put_text(&o, TAG_VALUE, s->f[k].value);
		}
	}
	if (o.failed) {
		if (o.p) {
			explicit_bzero(o.p, o.cap);
			free(o.p);
		}
		return err_set(err, (enum tb_err_id)o.failed, 0, "copy form");
	}
	*out = o.p;
	*len = o.n;
	return 0;
}

int copy_doc_decode(const unsigned char *p, size_t n, struct copy_doc **out, tb_err *err)
{
	struct copy_doc *d;
	const char *label = NULL;
	size_t label_len = 0, at = 0;

	*out = NULL;
	if (n > COPY_DOC_MAX)
		return err_set(err, TB_E_USAGE, (long)n, "copy form");
	if (!(d = copy_doc_new()))
		return err_set(err, TB_E_NOMEM, 0, NULL);
	while (at < n) {
		int tag;
		size_t len;
		const char *b;
		char *t;

		if (n - at < 5)
			goto bad;
		tag = p[at];
		len = (size_t)p[at + 1] << 24 | (size_t)p[at + 2] << 16 | (size_t)p[at + 3] << 8 | p[at + 4];
		at += 5;
		if (len > n - at)
			goto bad;
		b = (const char *)p + at;
		if (tag != TAG_PHOTO && memchr(b, '\0', len))
			goto bad;
		at += len;
		if (tag >= TAG_META && tag < TAG_META + COPY_META_COUNT) {
			if (!(t = dup_text(b, len, err)))
				goto fail;
			wipe_str(&d->meta[tag - TAG_META]);
			d->meta[tag - TAG_META] = t;
		} else if (tag == TAG_SECTION) {
			char *title = dup_text(b, len, err);

			if (!title)
				goto fail;
			if (copy_doc_section(d, title, "", err)) {
				wipe_str(&title);
				goto fail;
			}
			wipe_str(&title);
		} else if (tag == TAG_SOURCE && d->ns) {
			if (!(t = dup_text(b, len, err)))
				goto fail;
			wipe_str(&d->s[d->ns - 1].source);
			d->s[d->ns - 1].source = t;
		} else if (tag == TAG_PHOTO) {
			if (copy_doc_photo(d, (const unsigned char *)b, len, err))
				goto fail;
		} else if (tag == TAG_LABEL && !label) {
			label = b;
			label_len = len;
		} else if (tag == TAG_VALUE && label) {
			char *l = dup_text(label, label_len, err), *v;

			if (!l)
				goto fail;
			if (!(v = dup_text(b, len, err))) {
				wipe_str(&l);
				goto fail;
			}
			if (!d->ns) {
				wipe_str(&l);
				wipe_str(&v);
				goto bad;
			}
			if (field_add(&d->s[d->ns - 1], l, v, err))
				goto fail;
			label = NULL;
		} else {
			goto bad;
		}
	}
	if (label)
		goto bad;
	*out = d;
	return 0;
bad:
	err_set(err, TB_E_USAGE, (long)at, "copy form");
fail:
	copy_doc_free(&d);
	return -1;
}
