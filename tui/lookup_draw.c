/* The drawing the person, household and name-history panes share: whose
 * data it is (the header and its banner), the officer's agent, each
 * section's state, and one error when every section failed alike. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "services/base/format.h"
#include "services/card/card_record.h"
#include "tui/actions.h"
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/lookup_private.h"
#include "tui/text.h"
#include "tui/theme.h"

const char *lookup_spinner(const struct app *a)
{
	static const char *const frames[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏" };

	return frames[(a->lookups ? a->lookups->frame : 0) % (sizeof frames / sizeof frames[0])];
}

/* A person's name from the registry once it came, else their ID. */
static void person_name(const struct lookup_person *p, char *out, size_t size)
{
	const struct linkage_result *r = NULL;

	if (lookup_person_get(p, LINKAGE_PERSON, &r, NULL) == LINKAGE_DONE && r && r->person.first[0])
		linkage_name_text(r->person.title, r->person.first, r->person.middle,
				  r->person.last, out, size);
	else
		format_cid(p->cid, out, size);
}

/* The name on the card a person was read from, while the registry's has
 * not come (or cannot): "" when they were not read from a card. */
static void card_name(const struct app *a, const struct lookup_person *p, char *out, size_t size)
{
	const struct lookups *l = a->lookups;

	out[0] = '\0';
	/* Acting for someone, each one's card is kept apart (it may have
	 * left the reader for the other's). */
	if (l && l->acting) {
		int i = (int)(p - l->p);
		if (i >= 0 && i < 2 && l->cards[i])
			format_name(&l->cards[i]->th, 1, out, size);
		return;
	}
	if (!p->reader[0])
		return;
	for (int i = 0; i < a->nreaders; i++)
		if (strcmp(a->readers[i].name, p->reader) == 0 && a->readers[i].rec &&
		    strcmp(a->readers[i].rec->cid, p->cid) == 0)
			format_name(&a->readers[i].rec->th, 1, out, size);
}

/* Acting for someone: both citizens, the one in focus marked, on three
 * lines; returns the next line. */
static int draw_acting_header(struct app *a, WINDOW *w, int y)
{
	static const char *const roles[2] = { N_("Grantor"), N_("Grantee") };
	const struct lookups *l = a->lookups;
	int cols = getmaxx(w) - 2, label = 0;
	char line[4 * LK_TEXT], name[3 * LK_TEXT], id[32], ko[32], kf[32], keys[96];

	actions_keys(ACT_OTHER_PARTY, ko, sizeof ko);
	actions_keys(ACT_ACTING_FOR, kf, sizeof kf);
	snprintf(keys, sizeof keys, _("%s: the other · %s: end"), ko, kf);
	text_draw(w, y, 1, cols, _("Acting for someone (ผู้รับมอบอำนาจ)"), theme_attr(ROLE_WARNING) | A_BOLD,
		  theme_pair(ROLE_WARNING));
	if (cols > text_width(keys) + 40)
		text_draw(w, y, cols + 1 - text_width(keys), text_width(keys), keys,
			  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	for (int i = 0; i < 2; i++)
		if (text_width(_(roles[i])) > label)
			label = text_width(_(roles[i]));
	for (int i = 0; i < 2; i++) {
		const struct lookup_person *p = i < l->depth ? &l->p[i] : NULL;
		const struct linkage_result *r = NULL;
		bool shown = p && lookup_top_index(l) == i;

		text_draw(w, y + 1 + i, 1, 2, shown ? "▶" : " ", theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
		text_draw(w, y + 1 + i, 3, label, _(roles[i]), theme_attr(ROLE_LABEL), theme_pair(ROLE_LABEL));
		if (!p) {
			text_draw(w, y + 1 + i, 4 + label, cols - 3 - label,
				  i == PARTY_GRANTOR ? _("insert their card, or type their ID")
						     : _("insert their card"),
				  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
			continue;
		}
		if (lookup_person_get(p, LINKAGE_PERSON, &r, NULL) == LINKAGE_DONE && r && r->person.first[0])
			linkage_name_text(r->person.title, r->person.first, r->person.middle,
					  r->person.last, name, sizeof name);
		else
			card_name(a, p, name, sizeof name);
		format_cid(p->cid, id, sizeof id);
		snprintf(line, sizeof line, "%s%s%s%s", name, name[0] ? "  " : "", id,
			 p->source == LOOKUP_TYPED ? _("  (typed ID)") : "");
		text_draw(w, y + 1 + i, 4 + label, cols - 3 - label, line,
			  theme_attr(shown ? ROLE_TITLE : ROLE_VALUE), theme_pair(shown ? ROLE_TITLE : ROLE_VALUE));
	}
	return y + 3;
}

int lookup_draw_header(struct app *a, WINDOW *w, int y)
{
	const struct lookup_person *p = lookup_top(a);
	const struct linkage_result *r = NULL;
	char id[32], name[3 * LK_TEXT], line[4 * LK_TEXT];
	int cols = getmaxx(w) - 2;

	if (lookup_acting(a))
		return draw_acting_header(a, w, y);
	if (!p)
		return y;
	format_cid(p->cid, id, sizeof id);
	name[0] = '\0';
	if (lookup_get(a, LINKAGE_PERSON, &r, NULL) == LINKAGE_DONE && r)
		linkage_name_text(r->person.title, r->person.first, r->person.middle,
				  r->person.last, name, sizeof name);
	else
		card_name(a, p, name, sizeof name);
	snprintf(line, sizeof line, "%s%s%s", name, name[0] ? "  " : "", id);
	text_draw(w, y, 1, cols, line, theme_attr(ROLE_TITLE), theme_pair(ROLE_TITLE));
	if (p->source == LOOKUP_CARD) {
		const char *src = _("from the card in the reader");
		int sw = text_width(src);
		if (text_width(line) + sw + 3 < cols)
			text_draw(w, y, cols + 1 - sw, sw, src, theme_attr(ROLE_MUTED),
				  theme_pair(ROLE_MUTED));
		return y + 1;
	}
	/* Not the card holder: said on a line of its own, in every pane. */
	{
		const struct lookups *l = a->lookups;
		char who[3 * LK_TEXT], text[4 * LK_TEXT], keys[32], back[128], banner[5 * LK_TEXT];

		if (p->source == LOOKUP_MEMBER && l->depth > 1) {
			person_name(&l->p[l->depth - 2], who, sizeof who);
			snprintf(text, sizeof text, _("Household member of %s"), who);
		} else {
			snprintf(text, sizeof text, "%s", _("Not the card holder: typed ID"));
		}
		back[0] = '\0';
		if (l->depth > 1) {
			actions_keys(ACT_BACK, keys, sizeof keys);
			snprintf(back, sizeof back, _("%s: back"), keys);
		}
		snprintf(banner, sizeof banner, "▶ %s%s%s", text, back[0] ? " · " : "", back);
		text_draw(w, y + 1, 1, cols, banner, theme_attr(ROLE_WARNING) | A_BOLD,
			  theme_pair(ROLE_WARNING));
	}
	return y + 2;
}

int lookup_draw_presence(struct app *a, WINDOW *w, int y)
{
	const struct lookups *l = a->lookups;
	enum tb_lang lang = i18n_lang();
	int cols = getmaxx(w) - 2;
	char line[512];

	if (!l || !l->lk || !l->presence_known || lookup_depth(a) == 0)
		return y;
	if (l->presence_err.id != TB_OK) {
		snprintf(line, sizeof line, "%s: %s %s", _("Officer's agent"),
			 err_code(l->presence_err.id), err_message(l->presence_err.id, lang));
		return y + text_draw_wrapped(w, y, 1, cols, 3, line, theme_attr(ROLE_MUTED),
					     theme_pair(ROLE_MUTED));
	}
	snprintf(line, sizeof line, "%s: %s", _("Officer's agent"),
		 linkage_session_name(l->presence.state, lang));
	if (l->presence.state == LINKAGE_AGENT_AVAILABLE ||
	    l->presence.state == LINKAGE_CITIZEN_AVAILABLE)
		return y + text_draw_wrapped(w, y, 1, cols, 3, line, theme_attr(ROLE_MUTED),
					     theme_pair(ROLE_MUTED));
	y += text_draw_wrapped(w, y, 1, cols, 3, line, theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
	y += text_draw_wrapped(w, y, 3, cols - 2, 2, linkage_session_hint(l->presence.state, lang),
			       theme_attr(ROLE_NORMAL), theme_pair(ROLE_NORMAL));
	return y;
}

/* An error in both languages and what to do: "⚠ CODE detail: message" from
 * column x in at most `lines` lines (attributes `extra` added), then the
 * other language's message and the hint (at most hint_lines lines) two
 * columns further in.  Returns the next line. */
static int draw_error(WINDOW *w, int y, int x, const tb_err *e, int lines, int hint_lines, attr_t extra)
{
	enum tb_lang lang = i18n_lang(), other = lang == TB_LANG_TH ? TB_LANG_EN : TB_LANG_TH;
	int cols = getmaxx(w) - 1 - x, max_y = getmaxy(w);
	char line[1024], detail[32] = "";

	if (e->detail)
		snprintf(detail, sizeof detail, " %ld", e->detail);
	snprintf(line, sizeof line, "⚠ %s%s: %s", err_code(e->id), detail, err_message(e->id, lang));
	y += text_draw_wrapped(w, y, x, cols, lines, line, theme_attr(ROLE_WARNING) | extra,
			       theme_pair(ROLE_WARNING));
	if (y < max_y)
		text_draw(w, y++, x + 2, cols - 2, err_message(e->id, other), theme_attr(ROLE_MUTED),
			  theme_pair(ROLE_MUTED));
	if (y < max_y && err_hint(e->id, lang)[0])
		y += text_draw_wrapped(w, y, x + 2, cols - 2, max_y - y > hint_lines ? hint_lines : max_y - y,
				       err_hint(e->id, lang), theme_attr(ROLE_NORMAL), theme_pair(ROLE_NORMAL));
	return y;
}

int lookup_draw_failure(struct app *a, WINDOW *w, int y)
{
	int cols = getmaxx(w) - 2, max_y = getmaxy(w);
	char line[1024], keys[32];
	tb_err e = { 0 }, first = { 0 };
	const struct lookup_person *p = lookup_top(a);

	if (p && p->pending) {
		text_draw(w, y++, 1, cols, _("Waiting for the grantee's card: the registry is asked about both once it is read"),
			  theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
		return y;
	}

	for (int i = 0; i < LOOKUP_SERVICES; i++) {
		if (lookup_get(a, lookup_wanted[i], NULL, &e) != LINKAGE_FAILED)
			return -1;
		if (i == 0)
			first = e;
		else if (e.id != first.id || e.detail != first.detail)
			return -1;
	}
	y = draw_error(w, y, 1, &first, 2, 3, A_BOLD);
	actions_keys(ACT_READ_AGAIN, keys, sizeof keys);
	snprintf(line, sizeof line, _("%s: try again"), keys);
	if (++y < max_y)
		text_draw(w, y++, 3, cols - 2, line, theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
	return y;
}

int lookup_draw_unread(struct app *a, WINDOW *w, int y)
{
	const struct reader_state *r = app_reader(a);
	int cols = getmaxx(w) - 4;
	char line[RIGHTS_GRANTERS_MAX + 256], keys[32];

	if (!r || !r->present || !r->refused)
		return -1;
	y += text_draw_wrapped(w, y, 2, cols, 2, _("The card in the reader was not read: you have no right to read ID cards (card)."),
			       theme_attr(ROLE_WARNING) | A_BOLD, theme_pair(ROLE_WARNING));
	snprintf(line, sizeof line, _("The refusal is recorded. Who can grant it: %s"),
		 a->refused_by[0] ? a->refused_by : _("your branch's admin"));
	y += text_draw_wrapped(w, y, 2, cols, 2, line, theme_attr(ROLE_NORMAL), theme_pair(ROLE_NORMAL));
	actions_keys(ACT_READ_AGAIN, keys, sizeof keys);
	snprintf(line, sizeof line, _("%s: ask again once it is granted"), keys);
	text_draw(w, y++, 2, cols, line, theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
	return y;
}

int lookup_draw_section(struct app *a, WINDOW *w, int y, int service, const char *title,
			const struct linkage_result **r, bool *done)
{
	int cols = getmaxx(w) - 2, max_y = getmaxy(w);
	char line[1024];
	tb_err e = { 0 };
	enum linkage_state st;

	*done = false;
	if (y >= max_y)
		return y;
	st = lookup_get(a, service, r, &e);
	snprintf(line, sizeof line, "%s · %s", title, linkage_service_code(service));
	text_draw(w, y++, 1, cols, line, theme_attr(ROLE_LABEL) | A_BOLD, theme_pair(ROLE_LABEL));
	if (st == LINKAGE_DONE) {
		*done = true;
		return y;
	}
	if (y >= max_y)
		return y;
	if (st == LINKAGE_WAITING) {
		snprintf(line, sizeof line, "%s %s", lookup_spinner(a), _("asking the registry…"));
		text_draw(w, y++, 3, cols - 2, line, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		return y;
	}
	/* Refused or failed: this section says why, in both languages, and
	 * what to do; the others still show. */
	return draw_error(w, y, 3, &e, max_y - y > 2 ? 2 : max_y - y, 2, 0);
}
