/* The name-history pane: first-name (013) and surname (017) changes as
 * timelines, oldest first: when, from what to what, where it was
 * registered and, for surnames, why. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/base/format.h"
#include "services/base/util.h"
#include "services/registry/linkage.h"
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/pane.h"
#include "tui/purpose.h"
#include "tui/scroll.h"
#include "tui/text.h"

/* An entry too long for a line goes on below it (the pane scrolls). */
#define WRAP_LINES 6

static int32_t change_date(const struct linkage_name_change *c)
{
	return c->doc_date ? c->doc_date : c->request_date;
}

static void timeline(WINDOW *w, int *y, const struct linkage_result *r, bool surname)
{
	int cols = getmaxx(w) - 4, max_y = getmaxy(w);
	size_t order[64], n = r->n_changes < 64 ? r->n_changes : 64;
	char date[96], from[3 * LK_TEXT], line[2048];

	if (n == 0) {
		if (*y < max_y)
			text_draw(w, (*y)++, 3, cols, surname ? _("No surname change registered")
				  : _("No first-name change registered"), theme_attr(ROLE_MUTED),
				  theme_pair(ROLE_MUTED));
		return;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	/* Oldest first; a few items, so a plain insertion sort. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && change_date(&r->changes[order[j - 1]]) >
					       change_date(&r->changes[order[j]]); j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t k = 0; k < n && *y < max_y; k++) {
		const struct linkage_name_change *c = &r->changes[order[k]];

		format_date_int(change_date(c), i18n_lang(), date, sizeof date);
		linkage_name_text(c->title, c->first, "", c->last, from, sizeof from);
		snprintf(line, sizeof line, "%s  %s → %s", date, from, c->new_name);
		*y += text_draw_wrapped(w, *y, 3, cols, WRAP_LINES, line, theme_attr(ROLE_VALUE),
					theme_pair(ROLE_VALUE));
		if (*y < max_y && (c->doc_place[0] || c->doc_province[0] || c->doc_id[0])) {
			snprintf(line, sizeof line, "%s%s%s%s%s%s%s", _("registered at "), c->doc_place,
				 c->doc_province[0] ? " " : "", c->doc_province,
				 c->doc_id[0] ? " · " : "", c->doc_id[0] ? _("document ") : "", c->doc_id);
			*y += text_draw_wrapped(w, *y, 16, cols - 13, WRAP_LINES, line, theme_attr(ROLE_MUTED),
						theme_pair(ROLE_MUTED));
		}
		if (surname && c->cause[0] && *y < max_y) {
			snprintf(line, sizeof line, "%s: %s", _("Cause"), c->cause);
			*y += text_draw_wrapped(w, *y, 16, cols - 13, WRAP_LINES, line, theme_attr(ROLE_MUTED),
						theme_pair(ROLE_MUTED));
		}
	}
	if (r->total > (long)n && *y < max_y) {
		snprintf(line, sizeof line, _("%ld changes on file, %zu shown"), r->total, n);
		text_draw(w, (*y)++, 3, cols, line, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	}
}

/* The pane scrolls; a new person starts at the top. */
static struct scroll view;
static char view_cid[LK_CID];

static int names_draw_all(struct app *a, WINDOW *w)
{
	const struct linkage_result *r = NULL;
	int y = 0;
	bool done;

	y = lookup_draw_header(a, w, y) + 1;
	if (lookup_awaiting(a))
		return purpose_draw(a, w, y);
	{
		int f = lookup_draw_failure(a, w, y);

		if (f >= 0)
			return f;
	}
	y = lookup_draw_section(a, w, y, LINKAGE_FIRST_NAMES, _("First-name changes"), &r, &done);
	if (done && r)
		timeline(w, &y, r, false);
	y++;
	y = lookup_draw_section(a, w, y, LINKAGE_SURNAMES, _("Surname changes"), &r, &done);
	if (done && r)
		timeline(w, &y, r, true);
	return y;
}

static void names_draw(struct app *a, WINDOW *w)
{
	const struct lookup_person *p = lookup_top(a);
	WINDOW *pad;
	int used;

	if (!p && lookup_acting(a)) {
		lookup_draw_header(a, w, 0);
		return;
	}
	if (!p && lookup_draw_unread(a, w, getmaxy(w) / 2 - 1) >= 0)
		return;
	if (!p) {
		text_draw(w, getmaxy(w) / 2 - 1, 2, getmaxx(w) - 4,
			  _("Insert the citizen's ID card: name changes show here"),
			  theme_attr(ROLE_VALUE), theme_pair(ROLE_VALUE));
		return;
	}
	if (strcmp(p->cid, view_cid)) {
		view.top = 0;
		str_copy(view_cid, sizeof view_cid, p->cid);
	}
	pad = scroll_begin(w);
	used = names_draw_all(a, pad ? pad : w);
	scroll_end(&view, pad, w, used, &a->cursor);
}

static unsigned names_key(struct app *a, enum action act)
{
	if (act == ACT_BACK)
		return lookup_cancel(a) || lookup_back(a) ? DIRTY_MAIN : 0;
	if (act == ACT_PURPOSE)
		return lookup_reask(a) ? DIRTY_MAIN : 0;
	if (act == ACT_READ_AGAIN)
		return lookup_again(a);
	return scroll_key(&view, act);
}

const struct pane_ops pane_names = {
	.keys = (const enum action[]){ ACT_PURPOSE, ACT_REPEAT_PURPOSE, ACT_COPY, ACT_NONE },
	.id = "names",
	.title = N_("Names"),
	.open_act = ACT_PANE_NAMES,
	.draw = names_draw,
	.key = names_key,
	.input = purpose_input,
	.field = purpose_field,
	.right = PANE_RIGHT(RIGHT_NAMES),
};
