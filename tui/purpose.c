/* The purpose and consent picker: see purpose.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <wctype.h>

#include "services/accounts/audit.h"
#include "services/base/util.h"
#include "tui/actions.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/purpose.h"
#include "tui/text.h"

static struct form_field filter_field[] = {
	{ .label = N_("Purpose"), .max_chars = 60 },
};
static struct form filter_form = { filter_field, 1, 0 };

/* The picker belongs to one asking (lookup_asked): a new citizen or a
 * re-ask starts it afresh. */
static unsigned asked_for;
static int sel;
static bool consent_stage;
static unsigned consent_read;              /* the read that asked for consent */
static char chosen[SETTINGS_PURPOSE_BYTES];

static void sync(struct app *a)
{
	if (lookup_asked(a) == asked_for)
		return;
	asked_for = lookup_asked(a);
	form_wipe(&filter_form);
	sel = 0;
	consent_stage = false;
	chosen[0] = '\0';
}

static bool matches(const char *purpose)
{
	return !filter_field[0].value[0] || strcasestr(purpose, filter_field[0].value);
}

/* The branch's purpose shown at position n of the filtered list, or -1. */
static int nth_match(const struct app *a, int n)
{
	for (int i = 0; i < a->branch.npurposes; i++)
		if (matches(a->branch.purposes[i]) && n-- == 0)
			return i;
	return -1;
}

static int count_matches(const struct app *a)
{
	int n = 0;

	for (int i = 0; i < a->branch.npurposes; i++)
		n += matches(a->branch.purposes[i]);
	return n;
}

static const char *consent_text(const char *consent)
{
	if (strcmp(consent, AUDIT_CONSENT_YES) == 0)
		return _("the owner consents");
	if (strcmp(consent, AUDIT_CONSENT_NO) == 0)
		return _("no consent");
	return _("the mission requires it");
}

static unsigned repeat(struct app *a)
{
	const char *purpose, *consent;

	if (!lookup_last(a, &purpose, &consent)) {
		app_message(a, true, "%s", _("No purpose chosen yet in this session: choose one"));
		return DIRTY_STATUS;
	}
	app_message(a, false, _("Purpose: %s (%s)"), purpose, consent_text(consent));
	lookup_confirm(a, purpose, consent);
	return DIRTY_MAIN | DIRTY_STATUS;
}

static unsigned consent_input(struct app *a, bool text, wint_t ch)
{
	const char *consent = NULL;

	if (!text) {
		if (actions_for_key((int)ch, false) != ACT_BACK)
			return 0;
		consent_stage = false;   /* back to the purposes */
		return DIRTY_MAIN;
	}
	/* An answer typed after the question, never one sent with it. */
	if (!app_key_deliberate(a, consent_read))
		return DIRTY_MAIN;
	switch (towlower(ch)) {
	case L'y': consent = AUDIT_CONSENT_YES; break;
	case L'n': consent = AUDIT_CONSENT_NO; break;
	case L'm': consent = AUDIT_CONSENT_MISSION; break;
	default:
		app_message(a, true, "%s", _("Consent: y, n or m"));
		return DIRTY_STATUS;
	}
	app_message(a, false, _("Purpose: %s (%s)"), chosen, consent_text(consent));
	lookup_confirm(a, chosen, consent);
	return DIRTY_MAIN | DIRTY_STATUS;
}

unsigned purpose_input(struct app *a, bool is_fkey, wint_t ch)
{
	bool text = !is_fkey && ch >= 0x20 && ch != 0x7F;
	bool erase = (is_fkey && ch == KEY_BACKSPACE) || (!is_fkey && (ch == 0x7F || ch == 8));
	int n;

	if (!lookup_awaiting(a))
		return 0;
	sync(a);
	if (!is_fkey && actions_for_key((int)ch, false) == ACT_REPEAT_PURPOSE)
		return repeat(a);
	if (consent_stage)
		return consent_input(a, text, ch);
	if (text || erase) {
		if (form_key(&filter_form, is_fkey, ch) == FORM_IGNORED)
			return 0;
		sel = 0;
		return DIRTY_MAIN;
	}
	n = count_matches(a);
	switch (actions_for_key((int)ch, is_fkey)) {
	case ACT_UP:
		sel = sel > 0 ? sel - 1 : 0;
		return DIRTY_MAIN;
	case ACT_DOWN:
		sel = sel + 1 < n ? sel + 1 : sel;
		return DIRTY_MAIN;
	case ACT_SELECT: {
		int i = nth_match(a, sel < n ? sel : 0);
		if (i < 0)
			return DIRTY_MAIN;
		str_copy(chosen, sizeof chosen, a->branch.purposes[i]);
		consent_stage = true;
		consent_read = a->key_read;
		return DIRTY_MAIN;
	}
	case ACT_BACK:
		/* Esc clears the filter first; then it is the pane's Back. */
		if (!filter_field[0].value[0])
			return 0;
		form_wipe(&filter_form);
		sel = 0;
		return DIRTY_MAIN;
	default:
		return 0;
	}
}

bool purpose_field(struct app *a)
{
	if (!lookup_awaiting(a))
		return false;
	sync(a);
	return !consent_stage;
}

int purpose_draw(struct app *a, WINDOW *w, int y)
{
	int cols = getmaxx(w) - 2, max_y = getmaxy(w), n;
	const char *purpose, *consent;
	char line[2 * SETTINGS_PURPOSE_BYTES], keys[32];

	sync(a);
	text_draw(w, y++, 1, cols, _("The registry is not asked yet: why is it asked for this citizen?"),
		  theme_attr(ROLE_WARNING) | A_BOLD, theme_pair(ROLE_WARNING));
	if (consent_stage) {
		a->cursor = false;
		snprintf(line, sizeof line, _("Purpose: %s"), chosen);
		text_draw(w, y++, 3, cols - 2, line, theme_attr(ROLE_VALUE), theme_pair(ROLE_VALUE));
		y++;
		text_draw(w, y++, 3, cols - 2, _("The card owner's consent:"), theme_attr(ROLE_LABEL),
			  theme_pair(ROLE_LABEL));
		text_draw(w, y++, 5, cols - 4, _("y  consents (ยินยอม)"), theme_attr(ROLE_VALUE),
			  theme_pair(ROLE_VALUE));
		text_draw(w, y++, 5, cols - 4, _("n  does not consent"), theme_attr(ROLE_VALUE),
			  theme_pair(ROLE_VALUE));
		text_draw(w, y++, 5, cols - 4, _("m  the mission requires it"), theme_attr(ROLE_VALUE),
			  theme_pair(ROLE_VALUE));
		text_draw(w, y++, 3, cols - 2, _("Esc: another purpose"), theme_attr(ROLE_MUTED),
			  theme_pair(ROLE_MUTED));
		return y;
	}
	y += form_draw(&filter_form, w, y, 3, 12, cols - 16 > 20 ? cols - 16 : 20);
	app_cursor_here(a, w);
	n = count_matches(a);
	if (n == 0 && y < max_y)
		text_draw(w, y++, 5, cols - 4, _("No purpose matches what is typed: Backspace"),
			  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	for (int k = 0; k < n && y < max_y - 2; k++) {
		int i = nth_match(a, k);
		bool on = k == (sel < n ? sel : 0);

		snprintf(line, sizeof line, "%s %s", on ? "▶" : " ", a->branch.purposes[i]);
		text_draw(w, y++, 3, cols - 2, line, theme_attr(ROLE_VALUE) | (on ? A_REVERSE : 0),
			  theme_pair(ROLE_VALUE));
	}
	actions_keys(ACT_REPEAT_PURPOSE, keys, sizeof keys);
	if (lookup_last(a, &purpose, &consent) && y < max_y)
		snprintf(line, sizeof line, _("%s: the last again (%s, %s)"), keys, purpose,
			 consent_text(consent));
	else
		snprintf(line, sizeof line, "%s", _("Type to filter, Up/Down, Enter to choose"));
	if (y < max_y)
		text_draw(w, y++, 3, cols - 2, line, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	return y;
}
