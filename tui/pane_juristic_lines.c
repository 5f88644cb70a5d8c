/* The companies pane's certificate as lines: each field's value wrapped in
 * the value column (Thai by whole letters), the label on its first line, a
 * director's lines marked so Enter can open them; made again at every draw,
 * for the width of the moment. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/base/format.h"
#include "tui/i18n.h"
#include "tui/pane_juristic.h"
#include "tui/text.h"

void jr_lines_free(struct jr_lines *ls)
{
	free(ls->v);
	*ls = (struct jr_lines){ 0 };
}

static void line_add(struct jr_lines *ls, const char *label, const char *text, size_t len, enum theme_role role,
		     int director)
{
	struct jr_line *l;

	if (ls->n == ls->cap) {
		int cap = ls->cap ? ls->cap * 2 : 64;
		struct jr_line *n = realloc(ls->v, sizeof *n * (size_t)cap);
		if (!n)
			return;
		ls->v = n;
		ls->cap = cap;
	}
	l = &ls->v[ls->n++];
	l->label = label;
	if (len >= sizeof l->text) {
		/* Never reached by a wrapped line; cut at a character if it is. */
		len = sizeof l->text - 1;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	snprintf(l->text, sizeof l->text, "%.*s", (int)len, text);
	l->role = role;
	l->director = director;
}

struct wrap {
	struct jr_lines *ls;
	const char *label;
	enum theme_role role;
	int director;
	bool first;
};

static void wrap_line(void *ud, const char *start, size_t len)
{
	struct wrap *w = ud;

	line_add(w->ls, w->first ? w->label : NULL, start, len, w->role, w->director);
	w->first = false;
}

/* A field: its value wrapped in the value column (Thai by whole letters,
 * at spaces where there are any), the label on the first line only. */
static void field(struct jr_lines *ls, const char *label, const char *value, enum theme_role role, int vcols)
{
	struct wrap w = { ls, label, role, -1, true };

	if (!value || !value[0]) {
		line_add(ls, label, "-", 1, ROLE_MUTED, -1);
		return;
	}
	/* What fits is kept as it is, its indentation too. */
	if (text_width(value) <= vcols) {
		line_add(ls, label, value, strlen(value), role, -1);
		return;
	}
	if (text_wrap(value, vcols, wrap_line, &w) == 0)
		line_add(ls, label, "-", 1, ROLE_MUTED, -1);
}

static void field_dir(struct jr_lines *ls, const char *label, const char *value, int director, int vcols)
{
	struct wrap w = { ls, label, ROLE_VALUE, director, true };

	text_wrap(value, vcols, wrap_line, &w);
}

static void blank(struct jr_lines *ls)
{
	line_add(ls, NULL, "", 0, ROLE_NORMAL, -1);
}

/* juristic_status_name's English words, for the catalogue. */
static const char *const status_words[] = {
	N_("active"), N_("dissolved"), N_("liquidated"), N_("abandoned"),
};

static enum theme_role status_role(enum juristic_status s)
{
	switch (s) {
	case JURISTIC_ACTIVE: return ROLE_CO_ACTIVE;
	case JURISTIC_DISSOLVED: return ROLE_CO_DISSOLVED;
	case JURISTIC_LIQUIDATED: return ROLE_CO_LIQUIDATED;
	case JURISTIC_ABANDONED: return ROLE_CO_ABANDONED;
	default: return ROLE_VALUE;
	}
}

static void money(int64_t satang, char *out, size_t size)
{
	if (satang == INT64_MIN) {
		snprintf(out, size, "-");
	} else if (satang < 0) {
		out[0] = '-';
		juristic_money_format(-satang, i18n_lang(), out + 1, size - 1);
	} else {
		juristic_money_format(satang, i18n_lang(), out, size);
	}
}

static void date_text(int32_t be, char *out, size_t size)
{
	struct card_date d = { be / 10000, be / 100 % 100, be % 100, false };

	if (!be)
		snprintf(out, size, "-");
	else
		format_date(&d, i18n_lang(), out, size);
}

/* A year's statement: the year, then each figure on its own line, the
 * labels padded to one width (in columns: Thai labels have marks) and the
 * amounts right-aligned, so a column of figures reads down.  A year DBD
 * sends alone is the year alone.  A loss stands out. */
static void financial(struct jr_lines *ls, const char *label, const struct juristic_financial *f, int vcols)
{
	const char *names[] = { _("revenue"), _("net profit"), _("assets") };
	const int64_t v[] = { f->revenue, f->profit, f->assets };
	enum theme_role role = f->profit != INT64_MIN && f->profit < 0 ? ROLE_WARNING : ROLE_VALUE;
	char buf[256], amount[64];
	int lw = 0, first = 1;

	for (int k = 0; k < 3; k++)
		if (text_width(names[k]) > lw)
			lw = text_width(names[k]);
	for (int k = 0; k < 3; k++) {
		size_t o;
		int pad;

		if (v[k] == INT64_MIN)
			continue;
		if (first)
			o = (size_t)snprintf(buf, sizeof buf, "%d  %s", f->year, names[k]);
		else
			o = (size_t)snprintf(buf, sizeof buf, "      %s", names[k]);
		for (pad = lw - text_width(names[k]); pad > 0 && o + 1 < sizeof buf; pad--)
			buf[o++] = ' ';
		money(v[k], amount, sizeof amount);
		/* Right-aligned by columns (the Thai unit is 9 bytes, 3 columns). */
		for (pad = 1 + 20 - text_width(amount); pad > 0 && o + 1 < sizeof buf; pad--)
			buf[o++] = ' ';
		snprintf(buf + o, sizeof buf - o, "%s", amount);
		field(ls, first ? label : NULL, buf, role, vcols);
		first = 0;
	}
	if (first) {
		snprintf(buf, sizeof buf, "%d", f->year);
		field(ls, label, buf, ROLE_VALUE, vcols);
	}
}

/* A part beyond the profile that is not there says why; 1 when it is not. */
static int part_absent(struct jr_lines *ls, const char *label, enum juristic_part part, const tb_err *e, int vcols)
{
	char text[512];

	if (part == JURISTIC_PART_OK)
		return 0;
	if (part == JURISTIC_PART_NONE) {
		field(ls, label, _("not provided by this source"), ROLE_MUTED, vcols);
		return 1;
	}
	snprintf(text, sizeof text, "%s — %s", err_message(e->id, i18n_lang()),
		 err_hint(e->id, i18n_lang()));
	field(ls, label, text, ROLE_WARNING, vcols);
	return 1;
}

void jr_lines_build(struct jr_lines *ls, const struct juristic_result *r, int vcols)
{
	char buf[5 * JR_TEXT + 256], a[64];
	const char *st;

	(void)status_words;
	ls->n = 0;
	format_cid(r->id, buf, sizeof buf);
	field(ls, _("Juristic ID"), buf, ROLE_VALUE, vcols);
	field(ls, _("Name (Thai)"), r->name_th, ROLE_VALUE, vcols);
	field(ls, _("Name (English)"), r->name_en, ROLE_VALUE, vcols);
	field(ls, _("Type"), r->type, ROLE_VALUE, vcols);
	st = juristic_status_name(r->status, TB_LANG_EN);
	if (!st)
		snprintf(buf, sizeof buf, "%s", r->status_text);
	else if (i18n_lang() == TB_LANG_TH)
		snprintf(buf, sizeof buf, "%s", r->status_text[0] ? r->status_text : _(st));
	else
		snprintf(buf, sizeof buf, "%s (%s)", _(st), r->status_text);
	field(ls, _("Company status"), buf, status_role(r->status), vcols);
	date_text(r->registered, buf, sizeof buf);
	field(ls, _("Registered"), buf, ROLE_VALUE, vcols);
	juristic_money_format(r->capital, i18n_lang(), buf, sizeof buf);
	field(ls, _("Registered capital"), buf, ROLE_VALUE, vcols);
	juristic_money_format(r->paid_up, i18n_lang(), buf, sizeof buf);
	field(ls, _("Paid-up capital"), buf, ROLE_VALUE, vcols);
	field(ls, _("Head office"), r->address, ROLE_VALUE, vcols);
	field(ls, _("Objective"), r->objective, ROLE_VALUE, vcols);

	blank(ls);
	if (r->source == JURISTIC_OPEN) {
		field(ls, _("Directors"), _("not provided by this source"), ROLE_MUTED, vcols);
		field(ls, _("Signing authority"), _("not provided by this source"), ROLE_MUTED, vcols);
	} else {
		if (!r->n_directors)
			field(ls, _("Directors"), _("none listed"), ROLE_MUTED, vcols);
		for (size_t i = 0; i < r->n_directors; i++) {
			const struct juristic_director *d = &r->directors[i];

			snprintf(buf, sizeof buf, "%zu. %s%s %s%s%s", i + 1, d->title, d->first, d->last,
				 d->type[0] ? " — " : "", d->type);
			field_dir(ls, i ? NULL : _("Directors"), buf, (int)i, vcols);
		}
		if (!r->n_signing)
			field(ls, _("Signing authority"), "-", ROLE_MUTED, vcols);
		for (size_t i = 0; i < r->n_signing; i++)
			field(ls, i ? NULL : _("Signing authority"), r->signing[i], ROLE_VALUE, vcols);
	}

	blank(ls);
	if (!part_absent(ls, _("Shareholders"), r->shareholders_part, &r->shareholders_err, vcols)) {
		if (!r->n_shareholders)
			field(ls, _("Shareholders"), _("none listed"), ROLE_MUTED, vcols);
		for (size_t i = 0; i < r->n_shareholders; i++) {
			const struct juristic_shareholder *h = &r->shareholders[i];
			char shares[32];

			/* Who on one line, what they hold under it. */
			snprintf(buf, sizeof buf, "%zu. %s%s%s%s — %s", i + 1, h->title, h->first,
				 h->last[0] ? " " : "", h->last, h->nationality[0] ? h->nationality : "-");
			field(ls, i ? NULL : _("Shareholders"), buf, ROLE_VALUE, vcols);
			juristic_number_format(h->shares, shares, sizeof shares);
			juristic_money_format(h->amount, i18n_lang(), a, sizeof a);
			snprintf(buf, sizeof buf, "   %s %s · %s", shares, _("shares"), a);
			field(ls, NULL, buf, ROLE_VALUE, vcols);
		}
	}
	if (!part_absent(ls, _("Financial statements"), r->financials_part, &r->financials_err, vcols)) {
		if (!r->n_financials)
			field(ls, _("Financial statements"), _("none filed"), ROLE_MUTED, vcols);
		for (size_t i = 0; i < r->n_financials; i++)
			financial(ls, i ? NULL : _("Financial statements"), &r->financials[i], vcols);
	}
	blank(ls);
	field(ls, _("Source"), r->source == JURISTIC_GDX ? _("DBD through the GDX gateway")
		: _("DBD open data (no key)"), ROLE_MUTED, vcols);
}
