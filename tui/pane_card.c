/* The card pane: the reader's state, then the citizen's card as it is read —
 * text first, the photo after, with a progress bar in between. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "services/card/card_record.h"
#include "services/base/format.h"
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/pane.h"
#include "tui/photo.h"
#include "tui/text.h"

/* The photo's frame at 80x24; a larger terminal gives it more, in the same
 * proportions, as long as the text keeps 56 columns beside it. */
#define PHOTO_COLS 24
#define PHOTO_ROWS 14
#define TEXT_COLS_MIN 56

static void photo_size(WINDOW *w, int top, int *cols, int *rows)
{
	int by_rows = (getmaxy(w) - top - 4) * PHOTO_COLS / PHOTO_ROWS;
	int by_cols = getmaxx(w) - TEXT_COLS_MIN - 4;
	int c = by_rows < by_cols ? by_rows : by_cols;

	if (c < PHOTO_COLS)
		c = PHOTO_COLS;
	*cols = c;
	*rows = c * PHOTO_ROWS / PHOTO_COLS;
}

static void draw_center(WINDOW *w, int y, const char *s, enum theme_role role)
{
	int width = text_width(s), cols = getmaxx(w);
	text_draw(w, y, width < cols ? (cols - width) / 2 : 0, cols, s, theme_attr(role), theme_pair(role));
}

static void draw_progress(WINDOW *w, int y, int x, int cols, unsigned done, unsigned total)
{
	int fill = total ? (int)((long)(cols - 7) * done / total) : 0;
	char pct[8];

	wattr_set(w, theme_attr(ROLE_PROGRESS), theme_pair(ROLE_PROGRESS), NULL);
	for (int i = 0; i < fill; i++)
		mvwaddch(w, y, x + i, ' ');
	wattr_set(w, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED), NULL);
	for (int i = fill; i < cols - 7; i++)
		mvwaddch(w, y, x + i, ACS_CKBOARD);
	wattr_set(w, A_NORMAL, 0, NULL);
	snprintf(pct, sizeof pct, " %3u%%", total ? (unsigned)(100L * done / total) : 0);
	text_draw(w, y, x + cols - 6, 6, pct, theme_attr(ROLE_VALUE), theme_pair(ROLE_VALUE));
}

struct field_ctx {
	WINDOW *w;
	int y, x, cols, max_y;
	int label_cols;
};

static void field(struct field_ctx *f, const char *label, const char *value, enum theme_role role)
{
	if (f->y >= f->max_y)
		return;
	text_draw(f->w, f->y, f->x, f->label_cols, label, theme_attr(ROLE_LABEL), theme_pair(ROLE_LABEL));
	text_draw(f->w, f->y, f->x + f->label_cols + 1, f->cols - f->label_cols - 1, value,
		  theme_attr(role), theme_pair(role));
	f->y++;
}

struct wrap_ctx {
	struct field_ctx *f;
	int lines;
};

static void wrap_line(void *ud, const char *start, size_t len)
{
	struct wrap_ctx *c = ud;
	struct field_ctx *f = c->f;
	char buf[CARD_ADDR_MAX];

	if (c->lines >= 3 || f->y >= f->max_y)
		return;
	snprintf(buf, sizeof buf, "%.*s", (int)len, start);
	text_draw(f->w, f->y++, f->x + f->label_cols + 1, f->cols - f->label_cols - 1, buf,
		  theme_attr(ROLE_VALUE), theme_pair(ROLE_VALUE));
	c->lines++;
}

static void draw_record(struct app *a, WINDOW *w, struct reader_state *r, int top)
{
	const struct card_record *rec = r->rec;
	static const char *labels[] = {
		N_("Citizen ID"), N_("Name"), N_("Name (English)"), N_("Born"), N_("Gender"),
		N_("Address"), N_("Issued"), N_("Expires"), N_("Issued at"), N_("Request no."),
		N_("Photo no."),
	};
	int px = 1, py = top + 1, pc, pr, fc, fr;
	char buf[CARD_ADDR_MAX * 2], date[96];
	struct card_date today;

	photo_size(w, top, &fc, &fr);
	struct field_ctx f = { .w = w, .y = top + 1, .x = fc + 4, .max_y = getmaxy(w) - 1 };

	f.cols = getmaxx(w) - f.x - 1;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		int lw = text_width(_(labels[i]));
		if (lw > f.label_cols)
			f.label_cols = lw;
	}
	if (f.label_cols > f.cols / 2)
		f.label_cols = f.cols / 2;
	format_today(&today);

	format_cid(rec->cid, buf, sizeof buf);
	if (rec->flags & CARD_FLAG_CID_BAD) {
		strncat(buf, "  ", sizeof buf - strlen(buf) - 1);
		strncat(buf, _("CHECK DIGIT WRONG"), sizeof buf - strlen(buf) - 1);
	}
	field(&f, _(labels[0]), buf, rec->flags & CARD_FLAG_CID_BAD ? ROLE_ERROR : ROLE_VALUE);
	format_name(&rec->th, 1, buf, sizeof buf);
	field(&f, _(labels[1]), buf, ROLE_VALUE);
	format_name(&rec->en, 0, buf, sizeof buf);
	field(&f, _(labels[2]), buf, ROLE_VALUE);
	format_date(&rec->birth, i18n_lang(), date, sizeof date);
	field(&f, _(labels[3]), date, ROLE_VALUE);
	field(&f, _(labels[4]), rec->gender == CARD_GENDER_MALE ? _("male")
	      : rec->gender == CARD_GENDER_FEMALE ? _("female") : _("not stated"), ROLE_VALUE);
	if (rec->have & CARD_HAVE_ADDRESS) {
		struct wrap_ctx wc = { .f = &f };
		text_draw(w, f.y, f.x, f.label_cols, _(labels[5]), theme_attr(ROLE_LABEL), theme_pair(ROLE_LABEL));
		if (text_wrap(rec->addr.full, f.cols - f.label_cols - 1, wrap_line, &wc) == 0)
			f.y++;
	} else {
		field(&f, _(labels[5]), "…", ROLE_MUTED);
	}
	format_date(&rec->issue, i18n_lang(), date, sizeof date);
	field(&f, _(labels[6]), date, ROLE_VALUE);
	format_date(&rec->expiry, i18n_lang(), date, sizeof date);
	if (card_date_expired(&rec->expiry, &today)) {
		snprintf(buf, sizeof buf, "%s  %s", date, _("EXPIRED"));
		field(&f, _(labels[7]), buf, ROLE_ERROR);
	} else {
		field(&f, _(labels[7]), date, rec->expiry.lifelong ? ROLE_OK : ROLE_VALUE);
	}
	field(&f, _(labels[8]), rec->issuer, ROLE_VALUE);
	field(&f, _(labels[9]), rec->request_no, ROLE_VALUE);
	/* The number printed under the photo on the card, which the command
	 * line prints too: staff compare it with the card in hand. */
	field(&f, _(labels[10]), rec->photo_no, ROLE_VALUE);

	/* What the card holds that is wrong: shown, never hidden. */
	for (int i = 0; i < rec->nwarn && f.y < f.max_y; i++) {
		char text[512];
		err_format(&rec->warn[i], i18n_lang(), text, sizeof text);
		snprintf(buf, sizeof buf, "⚠ %s", text);
		text_draw(w, f.y++, f.x, f.cols, buf, theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
	}

	/* The photo, framed, or its place while it is read. */
	wattr_set(w, theme_attr(ROLE_PHOTO_FRAME), theme_pair(ROLE_PHOTO_FRAME), NULL);
	mvwhline(w, py, px, ACS_HLINE, fc + 2);
	mvwhline(w, py + fr + 1, px, ACS_HLINE, fc + 2);
	mvwvline(w, py, px, ACS_VLINE, fr + 2);
	mvwvline(w, py, px + fc + 1, ACS_VLINE, fr + 2);
	mvwaddch(w, py, px, ACS_ULCORNER);
	mvwaddch(w, py, px + fc + 1, ACS_URCORNER);
	mvwaddch(w, py + fr + 1, px, ACS_LLCORNER);
	mvwaddch(w, py + fr + 1, px + fc + 1, ACS_LRCORNER);
	wattr_set(w, A_NORMAL, 0, NULL);
	if (r->photo) {
		photo_fit(r->photo, fc, fr, &pc, &pr);
		photo_draw(r->photo, w, py + 1 + (fr - pr) / 2, px + 1 + (fc - pc) / 2,
			   pc, pr, a->theme.photo == THEME_PHOTO_SHADE ? PHOTO_SHADE
				   : photo_style_for(a->theme.photo == THEME_PHOTO_GREY));
	} else if (r->reading) {
		text_draw(w, py + fr / 2 - 1, px + 2, fc - 2, _("Reading the photo…"),
			  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		draw_progress(w, py + fr / 2 + 1, px + 2, fc - 2, r->done, r->total);
	} else {
		text_draw(w, py + fr / 2, px + 2, fc - 2,
			  rec->flags & CARD_FLAG_PHOTO_BAD ? _("Photo damaged") : _("No photo"),
			  theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
	}
}

static void draw_error_box(WINDOW *w, int y, const tb_err *e)
{
	char text[512];

	snprintf(text, sizeof text, "%s: %s", err_code(e->id), err_message(e->id, i18n_lang()));
	draw_center(w, y, text, ROLE_ERROR);
	draw_center(w, y + 2, err_hint(e->id, i18n_lang()), ROLE_NORMAL);
}

/* This pane always shows the card in the reader; when the registry panes
 * show someone else (a typed ID, a household member), the last line says
 * so, so that the two never seem to be the same person. */
static void draw_elsewhere(struct app *a, WINDOW *w)
{
	enum lookup_source src;
	char id[32], line[256];

	if (!lookup_not_holder(a, id, sizeof id, &src))
		return;
	snprintf(line, sizeof line, src == LOOKUP_MEMBER
		 ? _("▶ The registry panes show %s, a household member, not this card")
		 : _("▶ The registry panes show %s, a typed ID, not this card"), id);
	text_draw(w, getmaxy(w) - 1, 1, getmaxx(w) - 2, line, theme_attr(ROLE_WARNING),
		  theme_pair(ROLE_WARNING));
}

/* Acting for someone: the grantor's and the grantee's cards side by side,
 * as each was read (one reader may have served both), without the photos
 * so that both fit; the one the registry panes show is marked. */
static void draw_party(struct app *a, WINDOW *w, enum lookup_party i, int x, int cols)
{
	static const char *const roles[2] = { N_("Grantor"), N_("Grantee") };
	static const char *labels[] = { N_("Citizen ID"), N_("Name"), N_("Name (English)"), N_("Born"),
					N_("Address"), N_("Expires") };
	const struct card_record *rec;
	const char *cid;
	bool shown;
	struct field_ctx f = { .w = w, .y = 2, .x = x, .cols = cols, .max_y = getmaxy(w) - 2 };
	char buf[CARD_ADDR_MAX * 2], date[96], title[128];
	struct card_date today;

	if (!lookup_party(a, i, &cid, &rec, &shown)) {
		snprintf(title, sizeof title, "  %s", _(roles[i]));
		text_draw(w, 0, x, cols, title, theme_attr(ROLE_LABEL) | A_BOLD, theme_pair(ROLE_LABEL));
		text_draw_wrapped(w, 2, x + 2, cols - 2, 3, i == PARTY_GRANTOR
				  ? _("Insert the grantor's card, or type their ID in the person pane")
				  : _("Insert the grantee's card (ผู้รับมอบอำนาจ)"),
				  theme_attr(ROLE_VALUE), theme_pair(ROLE_VALUE));
		return;
	}
	snprintf(title, sizeof title, "%s %s", shown ? "▶" : " ", _(roles[i]));
	text_draw(w, 0, x, cols, title, theme_attr(shown ? ROLE_TITLE : ROLE_LABEL) | A_BOLD,
		  theme_pair(shown ? ROLE_TITLE : ROLE_LABEL));
	for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++)
		if (text_width(_(labels[k])) > f.label_cols)
			f.label_cols = text_width(_(labels[k]));
	if (f.label_cols > cols / 2)
		f.label_cols = cols / 2;
	format_cid(cid, buf, sizeof buf);
	field(&f, _(labels[0]), buf, ROLE_VALUE);
	if (!rec) {
		field(&f, "", _("typed ID: no card"), ROLE_MUTED);
		return;
	}
	format_name(&rec->th, 1, buf, sizeof buf);
	field(&f, _(labels[1]), buf, ROLE_VALUE);
	format_name(&rec->en, 0, buf, sizeof buf);
	field(&f, _(labels[2]), buf, ROLE_VALUE);
	format_date(&rec->birth, i18n_lang(), date, sizeof date);
	field(&f, _(labels[3]), date, ROLE_VALUE);
	if (rec->have & CARD_HAVE_ADDRESS) {
		struct wrap_ctx wc = { .f = &f };
		text_draw(w, f.y, f.x, f.label_cols, _(labels[4]), theme_attr(ROLE_LABEL), theme_pair(ROLE_LABEL));
		if (text_wrap(rec->addr.full, f.cols - f.label_cols - 1, wrap_line, &wc) == 0)
			f.y++;
	}
	format_today(&today);
	format_date(&rec->expiry, i18n_lang(), date, sizeof date);
	if (card_date_expired(&rec->expiry, &today)) {
		snprintf(buf, sizeof buf, "%s  %s", date, _("EXPIRED"));
		field(&f, _(labels[5]), buf, ROLE_ERROR);
	} else {
		field(&f, _(labels[5]), date, ROLE_VALUE);
	}
}

static void draw_acting(struct app *a, WINDOW *w)
{
	int cols = getmaxx(w), half = (cols - 3) / 2;
	char ko[32], kf[32], line[256];

	draw_party(a, w, PARTY_GRANTOR, 1, half);
	wattr_set(w, theme_attr(ROLE_BORDER), theme_pair(ROLE_BORDER), NULL);
	mvwvline(w, 0, half + 1, ACS_VLINE, getmaxy(w) - 1);
	wattr_set(w, A_NORMAL, 0, NULL);
	draw_party(a, w, PARTY_GRANTEE, half + 3, cols - half - 4);
	actions_keys(ACT_OTHER_PARTY, ko, sizeof ko);
	actions_keys(ACT_ACTING_FOR, kf, sizeof kf);
	snprintf(line, sizeof line, _("Acting for someone (ผู้รับมอบอำนาจ) · %s: the other · %s: end"), ko, kf);
	text_draw(w, getmaxy(w) - 1, 1, cols - 2, line, theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
}

static void card_draw(struct app *a, WINDOW *w)
{
	struct reader_state *r = app_reader(a);
	int mid = getmaxy(w) / 2 - 1, top = 0;

	if (lookup_acting(a)) {
		draw_acting(a, w);
		return;
	}

	if (a->nreaders > 1 && r) {
		char line[256], keys[32];
		actions_keys(ACT_NEXT_READER, keys, sizeof keys);
		snprintf(line, sizeof line, _("Reader %d of %d: %s  (%s: next reader)"), a->active + 1,
			 a->nreaders, r->name, keys);
		text_draw(w, 0, 1, getmaxx(w) - 2, line, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		top = 1;
	}
	if (a->service == 0) {
		draw_error_box(w, mid, &a->service_err);
		return;
	}
	if (a->service < 0) {
		draw_center(w, mid, _("Connecting to the card service…"), ROLE_MUTED);
		return;
	}
	if (!r) {
		tb_err e = { .id = TB_E_PCSC_NO_READER };
		draw_error_box(w, mid, &e);
		return;
	}
	if (r->rec) {
		draw_record(a, w, r, top);
		draw_elsewhere(a, w);
		return;
	}
	if (r->err.id != TB_OK) {
		draw_error_box(w, mid, &r->err);
		return;
	}
	if (r->reading) {
		draw_center(w, mid, _("Reading the card…"), ROLE_VALUE);
		return;
	}
	if (lookup_draw_unread(a, w, mid) >= 0)
		return;
	if (r->present) {
		char keys[32], line[256];
		actions_keys(ACT_READ_AGAIN, keys, sizeof keys);
		snprintf(line, sizeof line, _("A card is in the reader: %s reads it"), keys);
		draw_center(w, mid, line, ROLE_VALUE);
		return;
	}
	draw_center(w, mid, _("Insert the citizen's ID card"), ROLE_VALUE);
	draw_center(w, mid + 1, "เสียบบัตรประจำตัวประชาชน · Insert the ID card", ROLE_MUTED);
}

static unsigned card_key(struct app *a, enum action act)
{
	switch (act) {
	case ACT_NEXT_READER:
		if (a->nreaders < 2)
			return 0;
		a->active = (a->active + 1) % a->nreaders;
		return DIRTY_MAIN | DIRTY_STATUS;
	case ACT_READ_AGAIN:
		app_card_reread(a);
		return DIRTY_STATUS | DIRTY_MAIN;
	default:
		return 0;
	}
}

const struct pane_ops pane_card = {
	.keys = (const enum action[]){ ACT_NEXT_READER, ACT_COPY, ACT_NONE },
	.id = "card",
	.title = N_("Card"),
	.open_act = ACT_PANE_CARD,
	.draw = card_draw,
	.key = card_key,
	.right = PANE_RIGHT(RIGHT_CARD),
};
