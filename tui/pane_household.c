/* The household pane: the house (008), then everyone registered in it (007)
 * with ID, name, place in the house and age.  Enter opens a member's own
 * record: a new lookup, audited like any other. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "services/base/format.h"
#include "services/registry/linkage.h"
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/pane.h"
#include "tui/purpose.h"
#include "tui/text.h"

static int sel, top;

/* "4001-001234-5": how house IDs are printed on house registration books. */
static void house_id_text(const char *id, char *out, size_t size)
{
	if (strlen(id) == 11)
		snprintf(out, size, "%.4s-%.6s-%.1s", id, id + 4, id + 10);
	else
		snprintf(out, size, "%s", id[0] ? id : "-");
}

static const struct linkage_result *members(struct app *a)
{
	const struct linkage_result *r = NULL;

	if (lookup_get(a, LINKAGE_HOUSEHOLD, &r, NULL) != LINKAGE_DONE)
		return NULL;
	return r;
}

static void household_draw(struct app *a, WINDOW *w)
{
	const struct linkage_result *r008 = NULL, *r007 = NULL;
	int y = 0, max_y = getmaxy(w), cols = getmaxx(w);
	char text[1024], line[1400], id[40];
	bool done;

	if (!lookup_top(a) && lookup_acting(a)) {
		lookup_draw_header(a, w, y);
		return;
	}
	if (!lookup_top(a) && lookup_draw_unread(a, w, max_y / 2 - 1) >= 0)
		return;
	if (!lookup_top(a)) {
		text_draw(w, max_y / 2 - 1, 2, cols - 4,
			  _("Insert the citizen's ID card: the household shows here"),
			  theme_attr(ROLE_VALUE), theme_pair(ROLE_VALUE));
		return;
	}
	y = lookup_draw_header(a, w, y) + 1;
	if (lookup_awaiting(a)) {
		purpose_draw(a, w, y);
		return;
	}
	if (lookup_draw_failure(a, w, y) >= 0)
		return;
	y = lookup_draw_section(a, w, y, LINKAGE_HOUSE, _("House"), &r008, &done);
	if (done && r008 && r008->n_addresses > 0 && y + 1 < max_y) {
		const struct linkage_address *h = &r008->addresses[0];
		house_id_text(h->house_id, id, sizeof id);
		linkage_address_text(h, text, sizeof text);
		snprintf(line, sizeof line, "%s %s  %s", _("House ID"), id, i18n_registry(h->house_type));
		text_draw(w, y++, 3, cols - 4, line, theme_attr(ROLE_VALUE), theme_pair(ROLE_VALUE));
		y += text_draw_wrapped(w, y, 3, cols - 4, 3, text, theme_attr(ROLE_VALUE),
				       theme_pair(ROLE_VALUE));
		if (h->rcode[0] && y < max_y) {
			snprintf(line, sizeof line, "%s: %s", _("Registry office"), h->rcode);
			y += text_draw_wrapped(w, y, 3, cols - 4, 2, line, theme_attr(ROLE_MUTED),
					       theme_pair(ROLE_MUTED));
		}
	}
	if (y < max_y)
		y++;
	y = lookup_draw_section(a, w, y, LINKAGE_HOUSEHOLD, _("People in the house"), &r007, &done);
	if (!done || !r007)
		return;
	if (r007->n_members == 0) {
		if (y < max_y)
			text_draw(w, y, 3, cols - 4, _("Nobody is registered in this house"),
				  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		return;
	}
	if (sel >= (int)r007->n_members)
		sel = (int)r007->n_members - 1;
	{
		int rows = max_y - y - 2;
		char keys[32], hint[160];

		if (rows < 1)
			rows = 1;
		if (sel < top)
			top = sel;
		if (sel >= top + rows)
			top = sel - rows + 1;
		/* ID 17, the name, then the place in the house and the age as
		 * wide as their headers or their widest value, whichever is
		 * wider: a header is never cut. */
		int rel_w = text_width(_("In the house as")), age_w = text_width(_("Age"));
		char probe[32];
		for (size_t i = 0; i < r007->n_members; i++) {
			int wd = text_width(i18n_registry(r007->members[i].relation));
			rel_w = wd > rel_w ? wd : rel_w;
		}
		snprintf(probe, sizeof probe, _("%d years"), 100);
		age_w = text_width(probe) > age_w ? text_width(probe) : age_w;
		int name_w = cols - 21 - 1 - rel_w - 1 - age_w - 2, rel_x, age_x;
		if (name_w < 12)
			name_w = 12;
		rel_x = 21 + name_w + 1;
		age_x = rel_x + rel_w + 1;
		text_draw(w, y, 3, 18, _("Citizen ID"), theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		text_draw(w, y, 21, name_w, _("Name"), theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		text_draw(w, y, rel_x, rel_w, _("In the house as"), theme_attr(ROLE_MUTED),
			  theme_pair(ROLE_MUTED));
		text_draw(w, y, age_x, age_w, _("Age"), theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		y++;
		for (int i = top; i < (int)r007->n_members && i < top + rows; i++, y++) {
			const struct linkage_member *m = &r007->members[i];
			enum theme_role role = i == sel ? ROLE_SELECTED : ROLE_VALUE;
			int age = format_age(m->birth);
			char agetext[32];

			if (i == sel) {
				wattr_set(w, theme_attr(role), theme_pair(role), NULL);
				mvwhline(w, y, 2, ' ', cols - 3);
			}
			format_cid(m->cid, id, sizeof id);
			linkage_name_text(m->title, m->first, m->middle, m->last, text, sizeof text);
			if (age >= 0)
				snprintf(agetext, sizeof agetext, _("%d years"), age);
			else
				snprintf(agetext, sizeof agetext, "-");
			text_draw(w, y, 3, 18, id, theme_attr(role), theme_pair(role));
			text_draw(w, y, 21, name_w, text, theme_attr(role), theme_pair(role));
			text_draw(w, y, rel_x, rel_w, i18n_registry(m->relation), theme_attr(role),
				  theme_pair(role));
			text_draw(w, y, age_x, age_w, agetext, theme_attr(role), theme_pair(role));
		}
		actions_keys(ACT_SELECT, keys, sizeof keys);
		snprintf(hint, sizeof hint, _("%s: open the selected person's record"), keys);
		text_draw(w, max_y - 1, 3, cols - 4, hint, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	}
}

static unsigned household_key(struct app *a, enum action act)
{
	const struct linkage_result *r = members(a);
	int n = r ? (int)r->n_members : 0;

	switch (act) {
	case ACT_UP:
		if (sel > 0)
			sel--;
		return DIRTY_MAIN;
	case ACT_DOWN:
		if (sel + 1 < n)
			sel++;
		return DIRTY_MAIN;
	case ACT_TOP:
		sel = 0;
		return DIRTY_MAIN;
	case ACT_BOTTOM:
		sel = n > 0 ? n - 1 : 0;
		return DIRTY_MAIN;
	case ACT_SELECT: {
		char cid[LK_CID];
		if (sel >= n || !r->members[sel].cid[0])
			return 0;
		/* The lookup below frees nothing of r (it stays under the
		 * member on the stack), but copy the ID all the same. */
		memcpy(cid, r->members[sel].cid, sizeof cid);
		lookup_open_member(a, cid);
		explicit_bzero(cid, sizeof cid);
		sel = top = 0;
		app_show(a, &pane_person);
		return DIRTY_ALL;
	}
	case ACT_BACK:
		if (!lookup_cancel(a) && !lookup_back(a))
			return 0;
		sel = top = 0;
		return DIRTY_MAIN;
	case ACT_PURPOSE:
		return lookup_reask(a) ? DIRTY_MAIN : 0;
	case ACT_READ_AGAIN:
		return lookup_again(a);
	default:
		return 0;
	}
}

static void household_close(struct app *a)
{
	(void)a;
	sel = top = 0;
}

const struct pane_ops pane_household = {
	.keys = (const enum action[]){ ACT_UP, ACT_DOWN, ACT_SELECT, ACT_BACK, ACT_PURPOSE, ACT_REPEAT_PURPOSE, ACT_COPY, ACT_NONE },
	.id = "household",
	.title = N_("Household"),
	.open_act = ACT_PANE_HOUSEHOLD,
	.draw = household_draw,
	.key = household_key,
	.close = household_close,
	.input = purpose_input,
	.field = purpose_field,
	.right = PANE_RIGHT(RIGHT_HOUSEHOLD),
};
