/* The person pane: the registry record (001) next to what the card says,
 * differences marked, then every address on file (027).  The sections fill
 * in as their answers arrive; one refused leaves the others shown. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "services/card/card_decode.h"
#include "services/card/card_record.h"
#include "services/base/format.h"
#include "services/registry/linkage.h"
#include "services/base/util.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/pane.h"
#include "tui/purpose.h"
#include "tui/scroll.h"
#include "tui/text.h"

/* The officer's card PIN for the Linkage Center 2 sign-in: typed here,
 * handed over and wiped at once. */
static struct form_field pin_field[] = {
	{ .label = N_("PIN"), .flags = FIELD_SECRET | FIELD_DIGITS, .max_chars = 12 },
};
static struct form pin_form = { pin_field, 1, 0 };

/* A citizen ID typed instead of a card: a digit opens the field. */
static struct form_field cid_field[] = {
	{ .label = N_("Citizen ID"), .flags = FIELD_DIGITS | FIELD_CID, .max_chars = 13 },
};
static struct form cid_form = { cid_field, 1, 0 };
static bool cid_open;

/* The sign-in box at the top of the pane; returns the next line. */
static int draw_signin(struct app *a, WINDOW *w, int y)
{
	int cols = getmaxx(w) - 2;
	tb_err e = { 0 };
	char line[512];

	a->cursor = false;
	lookup_prepare(a);
	switch (lookup_signin_state(a, &e)) {
	case SIGNIN_NONE:
		return y;
	case SIGNIN_RUNNING:
		snprintf(line, sizeof line, "%s %s", lookup_spinner(a),
			 _("Signing in to the Linkage Center with your card…"));
		text_draw(w, y++, 1, cols, line, theme_attr(ROLE_VALUE), theme_pair(ROLE_VALUE));
		break;
	case SIGNIN_CARD:
		text_draw(w, y++, 1, cols,
			  _("Linkage Center sign-in: insert your own ID card (the officer's)"),
			  theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
		text_draw(w, y++, 3, cols - 2,
			  "ลงชื่อเข้า Linkage Center: เสียบบัตรประจำตัวของเจ้าหน้าที่",
			  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		break;
	case SIGNIN_PIN:
		text_draw(w, y++, 1, cols, _("Your card was read: type its PIN, then Enter"),
			  theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
		y += form_draw(&pin_form, w, y, 3, 8, 20);
		app_cursor_here(a, w);
		break;
	}
	if (e.id != TB_OK) {
		char text[512];
		err_format(&e, i18n_lang(), text, sizeof text);
		y += text_draw_wrapped(w, y, 3, cols - 2, 2, text, theme_attr(ROLE_ERROR),
				       theme_pair(ROLE_ERROR));
	}
	return y + 1;
}

static unsigned cid_input(struct app *a, bool is_fkey, wint_t ch)
{
	if (!cid_open) {
		if (is_fkey || ch < L'0' || ch > L'9')
			return 0;
		cid_open = true;
	}
	switch (form_key(&cid_form, is_fkey, ch)) {
	case FORM_IGNORED:
		return 0;
	case FORM_SUBMIT:
		if (strlen(cid_field[0].value) != 13 || !cid_valid(cid_field[0].value)) {
			err_set(&cid_field[0].err, TB_E_AUTH_INVALID, 0, "citizen ID");
			return DIRTY_MAIN;
		}
		lookup_start(a, cid_field[0].value, NULL);
		form_wipe(&cid_form);
		cid_open = false;
		return DIRTY_MAIN;
	case FORM_CANCEL:
		form_wipe(&cid_form);
		cid_open = false;
		return DIRTY_MAIN;
	default:
		cid_field[0].err = (tb_err){ 0 };
		return DIRTY_MAIN;
	}
}

static unsigned person_input(struct app *a, bool is_fkey, wint_t ch)
{
	if (a->pane != &pane_person)
		return 0;
	if (lookup_signin_state(a, NULL) != SIGNIN_PIN) {
		/* The picker has the keys while the citizen on top waits. */
		if (!cid_open && lookup_awaiting(a))
			return purpose_input(a, is_fkey, ch);
		return cid_input(a, is_fkey, ch);
	}
	switch (form_key(&pin_form, is_fkey, ch)) {
	case FORM_IGNORED:
		return 0;
	case FORM_SUBMIT:
		if (pin_field[0].value[0])
			lookup_signin(a, pin_field[0].value);
		form_wipe(&pin_form);
		return DIRTY_MAIN;
	case FORM_CANCEL:
		form_wipe(&pin_form);
		return 0;
	default:
		return DIRTY_MAIN;
	}
}

static bool person_field(struct app *a)
{
	return a->pane == &pane_person && (cid_open || lookup_signin_state(a, NULL) == SIGNIN_PIN ||
					   purpose_field(a));
}

/* The household and names panes ride on the same lookups: asked once, here. */
static const char *person_unfinished(struct app *a)
{
	if (lookup_running(a))
		return _("A registry lookup is on its way.");
	if (cid_open && cid_field[0].value[0])
		return _("A citizen ID is typed but not looked up.");
	return NULL;
}

static void person_close(struct app *a)
{
	(void)a;
	form_wipe(&pin_form);
	form_wipe(&cid_form);
	cid_open = false;
}

/* The typed ID's field, or the hint that digits open it; returns the next line. */
static int draw_cid(struct app *a, WINDOW *w, int y)
{
	if (cid_open) {
		y += form_draw(&cid_form, w, y, 1, 16, 24);
		app_cursor_here(a, w);
		if (cid_field[0].err.id != TB_OK) {
			char text[512];
			err_format(&cid_field[0].err, i18n_lang(), text, sizeof text);
			y += text_draw_wrapped(w, y, 3, getmaxx(w) - 4, 2, text, theme_attr(ROLE_ERROR),
					       theme_pair(ROLE_ERROR));
		}
		return y + 1;
	}
	return y;
}

struct cols {
	WINDOW *w;
	int y, max_y;
	int label_x, card_x, reg_x;   /* card_x 0: no card column */
	int label_w, card_w, reg_w;
};

/* The card read for the person on top, when they came from a card. */
static const struct card_record *card_of(struct app *a)
{
	const struct lookup_person *p = lookup_top(a);

	if (lookup_acting(a))
		return lookup_top_card(a);
	if (!p || !p->reader[0] || lookup_depth(a) != 1)
		return NULL;
	for (int i = 0; i < a->nreaders; i++)
		if (strcmp(a->readers[i].name, p->reader) == 0 && a->readers[i].rec &&
		    strcmp(a->readers[i].rec->cid, p->cid) == 0)
			return a->readers[i].rec;
	return NULL;
}

/* A value too long for its column goes on in the lines below it (the pane
 * scrolls), never cut. */
#define ROW_MAX_LINES 6

static void row(struct cols *c, const char *label, const char *card, const char *reg, bool differs)
{
	int lines = 1, n;

	if (c->y >= c->max_y)
		return;
	text_draw(c->w, c->y, c->label_x, c->label_w, label, theme_attr(ROLE_LABEL),
		  theme_pair(ROLE_LABEL));
	if (c->card_x && card) {
		n = text_draw_wrapped(c->w, c->y, c->card_x, c->card_w, ROW_MAX_LINES, card[0] ? card : "-",
				      theme_attr(ROLE_VALUE), theme_pair(ROLE_VALUE));
		lines = n > lines ? n : lines;
	}
	if (reg) {
		enum theme_role role = differs ? ROLE_WARNING : ROLE_VALUE;
		char buf[1024];
		snprintf(buf, sizeof buf, "%s%s", differs ? "≠ " : "", reg[0] ? reg : "-");
		n = text_draw_wrapped(c->w, c->y, c->reg_x, c->reg_w, ROW_MAX_LINES, buf, theme_attr(role),
				      theme_pair(role));
		lines = n > lines ? n : lines;
	}
	c->y += lines;
}

/* Names compare by their words, whatever the spacing. */
static bool same_words(const char *a, const char *b)
{
	while (*a || *b) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (*a != *b)
			return false;
		if (*a) {
			a++;
			b++;
		}
	}
	return true;
}

/* The card's address is the registered one: does any address on file that
 * is still in use have the same house number in the same province? */
static bool card_address_on_file(const struct card_record *rec, const struct linkage_result *r)
{
	for (size_t i = 0; i < r->n_addresses; i++) {
		const struct linkage_address *ad = &r->addresses[i];
		if (ad->terminated == 0 && strcmp(ad->house_no, rec->addr.house_no) == 0 &&
		    (!rec->addr.province[0] || strstr(ad->province, rec->addr.province)))
			return true;
	}
	return false;
}

static void draw_person(struct app *a, struct cols *c, const struct card_record *rec,
			const struct linkage_person *p, int *notes)
{
	enum tb_lang lang = i18n_lang();
	char card[1024], reg[1024], d1[96], d2[96];
	bool differs;

	card[0] = '\0';
	if (rec)
		format_name(&rec->th, 1, card, sizeof card);
	linkage_name_text(p->title, p->first, p->middle, p->last, reg, sizeof reg);
	differs = rec && !same_words(card, reg);
	if (differs)
		*notes |= 1;
	row(c, _("Name"), card, reg, differs);
	if (rec)
		format_name(&rec->en, 0, card, sizeof card);
	snprintf(reg, sizeof reg, "%s%s%s%s%s%s%s", p->en_title, p->en_title[0] ? " " : "",
		 p->en_first, p->en_middle[0] ? " " : "", p->en_middle, p->en_last[0] ? " " : "",
		 p->en_last);
	row(c, _("Name (English)"), card, reg, rec && p->en_first[0] && !same_words(card, reg));
	if (rec)
		format_date(&rec->birth, lang, d1, sizeof d1);
	format_date_int(p->birth, lang, d2, sizeof d2);
	differs = rec && p->birth && !same_words(d1, d2);
	row(c, _("Born"), rec ? d1 : NULL, d2, differs);
	/* From the birth date as of today, as every pane and the copy compute
	 * it: the registry's own age field is as old as its record. */
	if (format_age(p->birth) >= 0 && c->y < c->max_y) {
		snprintf(reg, sizeof reg, _("%d years"), format_age(p->birth));
		row(c, _("Age"), NULL, reg, false);
	}
	row(c, _("Gender"), rec ? (rec->gender == CARD_GENDER_MALE ? _("male")
				   : rec->gender == CARD_GENDER_FEMALE ? _("female")
				   : _("not stated")) : NULL, i18n_registry(p->gender), false);
	row(c, _("Nationality"), NULL, i18n_registry(p->nationality), false);
	row(c, _("Status"), NULL, i18n_registry(p->status), false);
	format_date_int(p->move_in, lang, d2, sizeof d2);
	snprintf(reg, sizeof reg, "%s%s%s", i18n_registry(p->owner_status), p->move_in ? _(", moved in ") : "",
		 p->move_in ? d2 : "");
	row(c, _("In the house as"), NULL, reg, false);
	if (p->father_name[0]) {
		format_cid(p->father_cid, d1, sizeof d1);
		snprintf(reg, sizeof reg, "%s%s%s", p->father_name, p->father_cid[0] ? "  " : "",
			 p->father_cid[0] ? d1 : "");
		row(c, _("Father"), NULL, reg, false);
	}
	if (p->mother_name[0]) {
		format_cid(p->mother_cid, d1, sizeof d1);
		snprintf(reg, sizeof reg, "%s%s%s", p->mother_name, p->mother_cid[0] ? "  " : "",
			 p->mother_cid[0] ? d1 : "");
		row(c, _("Mother"), NULL, reg, false);
	}
}

static void draw_addresses(struct app *a, WINDOW *w, int *y, const struct linkage_result *r)
{
	int cols = getmaxx(w) - 4, max_y = getmaxy(w);
	char text[1024], line[1200], date[96];

	if (r->n_addresses == 0 && *y < max_y)
		text_draw(w, (*y)++, 3, cols, _("No address on file"), theme_attr(ROLE_MUTED),
			  theme_pair(ROLE_MUTED));
	/* Those in use first, then the ended ones, dimmed. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < r->n_addresses && *y < max_y; i++) {
			const struct linkage_address *ad = &r->addresses[i];
			bool ended = ad->terminated != 0;
			if (ended != (pass == 1))
				continue;
			linkage_address_text(ad, text, sizeof text);
			if (ended) {
				format_date_int(ad->terminated, i18n_lang(), date, sizeof date);
				snprintf(line, sizeof line, "(%s %s) %s", _("ended"), date, text);
			} else {
				snprintf(line, sizeof line, "%s", text);
			}
			*y += text_draw_wrapped(w, *y, 3, cols, ROW_MAX_LINES, line,
						theme_attr(ended ? ROLE_MUTED : ROLE_VALUE),
						theme_pair(ended ? ROLE_MUTED : ROLE_VALUE));
		}
	(void)a;
}

/* The pane scrolls; a new person starts at the top. */
static struct scroll view;
static char view_cid[LK_CID];

static void person_draw_all(struct app *a, WINDOW *w, int *used);

static void person_draw(struct app *a, WINDOW *win)
{
	const struct lookup_person *p = lookup_top(a);
	WINDOW *pad = p ? scroll_begin(win) : NULL;
	int used = 0;

	if (!p || strcmp(p->cid, view_cid)) {
		view.top = 0;
		str_copy(view_cid, sizeof view_cid, p ? p->cid : "");
	}
	person_draw_all(a, pad ? pad : win, &used);
	scroll_end(&view, pad, win, used, &a->cursor);
}

static void person_draw_all(struct app *a, WINDOW *w, int *used)
{
	const struct card_record *rec = card_of(a);
	const struct linkage_result *r001 = NULL, *r027 = NULL;
	int y = 0, max_y = getmaxy(w), cols = getmaxx(w), notes = 0;
	bool done;

	y = draw_signin(a, w, y);
	y = draw_cid(a, w, y);
	*used = y;
	if (!lookup_top(a) && lookup_acting(a)) {
		*used = lookup_draw_header(a, w, y);
		return;
	}
	if (!lookup_top(a)) {
		int mid = max_y / 2 - 1;
		if (lookup_draw_unread(a, w, mid) >= 0)
			return;
		text_draw(w, mid + 3, 2, cols - 4, _("Or type a citizen ID (13 digits) and Enter"),
			  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		const char *s = _("Insert the citizen's ID card: the registry record shows here");
		text_draw(w, mid, 2, cols - 4, s, theme_attr(ROLE_VALUE), theme_pair(ROLE_VALUE));
		text_draw(w, mid + 1, 2, cols - 4, "เสียบบัตรประจำตัวประชาชน · Insert the ID card",
			  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		return;
	}
	y = lookup_draw_header(a, w, y);
	/* The card's own data is on the card pane at once; the registry waits
	 * for the officer's purpose and the owner's consent. */
	if (lookup_awaiting(a)) {
		*used = purpose_draw(a, w, y + 1);
		return;
	}
	/* The gateway down: one error, not one per section (nor the agent's). */
	{
		int f = lookup_draw_failure(a, w, y + 1);

		if (f >= 0) {
			*used = f;
			return;
		}
	}
	y = lookup_draw_presence(a, w, y);
	/* What the officer must see, above everything that may scroll: the
	 * card no longer tells the truth. */
	if (rec && lookup_get(a, LINKAGE_PERSON, &r001, NULL) == LINKAGE_DONE && r001) {
		char card[1024], reg[1024];
		format_name(&rec->th, 1, card, sizeof card);
		linkage_name_text(r001->person.title, r001->person.first, r001->person.middle,
				  r001->person.last, reg, sizeof reg);
		notes |= same_words(card, reg) ? 0 : 1;
	}
	if (rec && lookup_get(a, LINKAGE_ADDRESSES, &r027, NULL) == LINKAGE_DONE && r027 &&
	    !card_address_on_file(rec, r027))
		notes |= 2;
	if (notes & 1)
		y += text_draw_wrapped(w, y, 1, cols - 2, 2,
				       _("⚠ Name changed since the card was made: the card is not the latest"),
				       theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
	if (notes & 2)
		y += text_draw_wrapped(w, y, 1, cols - 2, 2,
				       _("⚠ Moved house: the card's address is no longer in use on file"),
				       theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
	y++;
	y = lookup_draw_section(a, w, y, LINKAGE_PERSON, _("Registry record"), &r001, &done);
	if (done && r001) {
		struct cols c = { .w = w, .y = y, .max_y = max_y, .label_x = 3, .label_w = 16 };
		int rest = cols - c.label_x - c.label_w - 2;

		if (rec) {
			c.card_x = c.label_x + c.label_w + 1;
			c.card_w = rest / 2 - 1;
			c.reg_x = c.card_x + c.card_w + 2;
			c.reg_w = cols - c.reg_x - 1;
			if (c.y < c.max_y) {
				text_draw(w, c.y, c.card_x, c.card_w, _("On the card"),
					  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
				text_draw(w, c.y, c.reg_x, c.reg_w, _("In the registry"),
					  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
				c.y++;
			}
		} else {
			c.reg_x = c.label_x + c.label_w + 1;
			c.reg_w = cols - c.reg_x - 1;
		}
		draw_person(a, &c, rec, &r001->person, &notes);
		y = c.y;
	}
	y = lookup_draw_section(a, w, y, LINKAGE_ADDRESSES, _("Addresses on file"), &r027, &done);
	if (done && r027)
		draw_addresses(a, w, &y, r027);
	*used = y;
}

static unsigned person_key(struct app *a, enum action act)
{
	switch (act) {
	case ACT_BACK:
		return lookup_cancel(a) || lookup_back(a) ? DIRTY_MAIN : 0;
	case ACT_PURPOSE:
		return lookup_reask(a) ? DIRTY_MAIN : 0;
	case ACT_READ_AGAIN:
		return lookup_again(a);
	default:
		return scroll_key(&view, act);
	}
}

const struct pane_ops pane_person = {
	.keys = (const enum action[]){ ACT_PURPOSE, ACT_REPEAT_PURPOSE, ACT_BACK, ACT_COPY, ACT_NONE },
	.help_extra = (const char *const[]){ "0-9", N_("Type a citizen ID instead of a card, then Enter"), NULL },
	.id = "person",
	.title = N_("Person"),
	.open_act = ACT_PANE_PERSON,
	.draw = person_draw,
	.key = person_key,
	.input = person_input,
	.close = person_close,
	.fds = lookup_fds,
	.io = lookup_io,
	.field = person_field,
	.unfinished = person_unfinished,
	.right = PANE_RIGHT(RIGHT_REGISTRY),
};
