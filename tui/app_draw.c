/* Drawing the frame around the pane: the tab line, the status bar, the help
 * overlay and the too-small screen.  Only the dirty windows are drawn again,
 * then one doupdate(), so a keystroke over SSH sends only the cells that
 * changed. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "services/accounts/users.h"
#include "services/base/format.h"
#include "tui/actions.h"
#include "tui/app_private.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/pane.h"
#include "tui/text.h"
#include "tui/theme.h"

static void fill_line(WINDOW *w, int y, enum theme_role role)
{
	wattr_set(w, theme_attr(role), theme_pair(role), NULL);
	wmove(w, y, 0);
	for (int x = 0; x < getmaxx(w); x++)
		waddch(w, ' ');
	wattr_set(w, A_NORMAL, 0, NULL);
}

/* A tab's label in one of the tab line's modes, widest first: " F2 Card ",
 * "F2 Card", and in the last the key alone for tabs whose title does not
 * fit (titled[] says which do). */
enum { TABS_FULL, TABS_TIGHT, TABS_UNTITLED, TABS_KEYS, TABS_MODES };

#define TABS_MAX 16

static void tab_label(const struct pane_ops *p, int mode, bool titled, char *out, size_t size)
{
	char keys[64];

	actions_keys(p->open_act, keys, sizeof keys);
	keys[strcspn(keys, " ")] = '\0';
	if (mode == TABS_FULL)
		snprintf(out, size, " %s %s ", keys, _(p->title));
	else if (mode == TABS_KEYS && !titled)
		snprintf(out, size, "%s", keys);
	else
		snprintf(out, size, "%s %s", keys, _(p->title));
}

/* The tab line's width in a mode, titled[] as given. */
static int tabs_width(const struct app *a, int mode, const bool *titled)
{
	int x = mode == TABS_UNTITLED ? 0 : text_width(" ทะเบียน ");

	for (int i = 0; i < npanes && i < TABS_MAX; i++) {
		char label[160];
		if (!app_pane_visible(a, panes[i]))
			continue;
		tab_label(panes[i], mode, titled[i], label, sizeof label);
		x += 1 + text_width(label);
	}
	return x;
}

/* More panes than an 80-column line holds at full width: the tab line
 * tightens step by step rather than cutting tabs (or F1 Help) off; at the
 * last step the shown pane keeps its title and the others have theirs, in
 * order, while they fit. */
static int tabs_mode(const struct app *a, int cols, int help_w, bool *titled)
{
	for (int i = 0; i < TABS_MAX; i++)
		titled[i] = i < npanes && panes[i] == a->pane;
	for (int mode = TABS_FULL; mode < TABS_KEYS; mode++)
		if (tabs_width(a, mode, titled) + help_w + 1 <= cols)
			return mode;
	for (int i = 0; i < npanes && i < TABS_MAX; i++) {
		if (titled[i] || !app_pane_visible(a, panes[i]))
			continue;
		titled[i] = true;
		if (tabs_width(a, TABS_KEYS, titled) + help_w + 1 > cols)
			titled[i] = false;
	}
	return TABS_KEYS;
}

static void draw_tabs(struct app *a)
{
	WINDOW *w = a->tabw;
	char keys[64], help[96];
	bool titled[TABS_MAX];
	int x = 0, help_w, mode;

	actions_keys(ACT_HELP, keys, sizeof keys);
	keys[strcspn(keys, " ")] = '\0';
	snprintf(help, sizeof help, "%s %s ", keys, _("Help"));
	help_w = text_width(help);
	mode = tabs_mode(a, getmaxx(w), help_w, titled);
	werase(w);
	fill_line(w, 0, ROLE_TAB);
	if (mode != TABS_UNTITLED)
		x += text_draw(w, 0, x, 40, " ทะเบียน ", theme_attr(ROLE_TITLE), theme_pair(ROLE_TITLE));
	for (int i = 0; i < npanes && i < TABS_MAX; i++) {
		char label[160];
		enum theme_role role = panes[i] == a->pane ? ROLE_TAB_ACTIVE : ROLE_TAB;

		if (!app_pane_visible(a, panes[i]))
			continue;
		tab_label(panes[i], mode, titled[i], label, sizeof label);
		x += 1;
		x += text_draw(w, 0, x, getmaxx(w) - x, label, theme_attr(role), theme_pair(role));
	}
	if (getmaxx(w) - help_w > x)
		text_draw(w, 0, getmaxx(w) - help_w, help_w, help, theme_attr(ROLE_TAB), theme_pair(ROLE_TAB));
	wnoutrefresh(w);
}

/* The status bar: who, where, why, the reader, then the last message. Each
 * part has a width cap, so the message keeps most of an 80-column line. */
static int status_part(WINDOW *w, int x, const char *text, int cap, enum theme_role role)
{
	int room = getmaxx(w) - x;

	if (room <= 2 || !text[0])
		return x;
	x += text_draw(w, 0, x, cap < room ? cap : room, text, theme_attr(role), theme_pair(role));
	return x + text_draw(w, 0, x, getmaxx(w) - x, " │ ", theme_attr(ROLE_STATUS), theme_pair(ROLE_STATUS));
}

/* The purpose of what is on screen: the citizen's own (each has theirs),
 * else the session's (the next card read's, the companies pane's). */
static const char *status_purpose(const struct app *a)
{
	const char *p = lookup_purpose_shown(a);

	return !p ? app_purpose(a) : p[0] ? p : _("purpose?");
}

static void draw_status(struct app *a)
{
	WINDOW *w = a->statusw;
	struct reader_state *r = app_reader(a);
	char who[80], reader[96];
	int x = 1;

	werase(w);
	fill_line(w, 0, ROLE_STATUS);
	if (!a->logged_in || a->locked) {
		x = status_part(w, x, a->branch.name, 24, ROLE_STATUS);
	} else {
		snprintf(who, sizeof who, "%s%s", a->user.username, a->user.role >= USER_BRANCH_ADMIN ? "*" : "");
		x = status_part(w, x, who, 14, ROLE_STATUS);
		x = status_part(w, x, a->branch.name, 14, ROLE_STATUS);
		x = status_part(w, x, status_purpose(a), 14, ROLE_STATUS);
		snprintf(reader, sizeof reader, "%s", a->service == 0 ? _("pcscd not running")
			 : !r ? _("no reader") : r->present ? _("● card") : _("○ empty"));
		x = status_part(w, x, reader, 18, a->service == 0 ? ROLE_STATUS_ERROR : ROLE_STATUS);
	}
	if (a->message[0] && x < getmaxx(w) - 2) {
		enum theme_role role = a->message_is_error ? ROLE_STATUS_ERROR : ROLE_STATUS;
		text_draw(w, 0, x, getmaxx(w) - x, a->message, theme_attr(role), theme_pair(role));
	}
	wnoutrefresh(w);
}

/* F1's rows: the keys of the screen it is opened on, then those that work
 * everywhere from there.  A heading has no keys. */
struct help_row {
	char keys[48];
	const char *text;          /* English; drawn through gettext */
};

#define HELP_ROWS_MAX (2 * ACT_COUNT + 24)

/* keys without the letters a text field would take (they are typed there). */
static void keys_for(const struct app *a, enum action act, char *out, size_t size)
{
	char all[64], *tok, *save = NULL;
	bool field = a->pane->field && a->pane->field((struct app *)a);
	size_t o = 0;

	actions_keys(act, all, sizeof all);
	out[0] = '\0';
	for (tok = strtok_r(all, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (!(field && tok[1] == '\0' && tok[0] > ' ' && tok[0] < 0x7F) && o + strlen(tok) + 2 < size)
			o += (size_t)snprintf(out + o, size - o, "%s%s", o ? " " : "", tok);
}

static void help_add(const struct app *a, struct help_row *rows, int *n, enum action act, bool own)
{
	if (*n >= HELP_ROWS_MAX || act == ACT_NONE)
		return;
	for (int i = 0; i < *n; i++)
		if (rows[i].text == action_help(act))
			return;   /* listed already, with the screen's */
	/* The pane's own letters work beside its field; others do not. */
	if (own)
		actions_keys(act, rows[*n].keys, sizeof rows[*n].keys);
	else
		keys_for(a, act, rows[*n].keys, sizeof rows[*n].keys);
	if (!rows[*n].keys[0])
		return;
	rows[*n].text = action_help(act);
	(*n)++;
}

static void help_text(struct help_row *rows, int *n, const char *keys, const char *text)
{
	if (*n >= HELP_ROWS_MAX)
		return;
	snprintf(rows[*n].keys, sizeof rows[*n].keys, "%s", keys);
	rows[*n].text = text;
	(*n)++;
}

static int help_rows(const struct app *a, struct help_row *rows)
{
	static const enum action everywhere[] = {
		ACT_HELP, ACT_MESSAGES, ACT_QUIT, ACT_NEXT_PANE, ACT_PREV_PANE, ACT_READ_AGAIN, ACT_REPORT,
		ACT_ACTING_FOR, ACT_OTHER_PARTY, ACT_THEME, ACT_LANGUAGE, ACT_LOGOUT, ACT_REDRAW,
	};
	static const enum action logged_out[] = {
		ACT_HELP, ACT_MESSAGES, ACT_QUIT, ACT_REPORT, ACT_THEME, ACT_LANGUAGE, ACT_REDRAW,
	};
	bool in = a->logged_in && !a->locked;
	const enum action *g = in ? everywhere : logged_out;
	size_t ng = in ? sizeof everywhere / sizeof everywhere[0] : sizeof logged_out / sizeof logged_out[0];
	int n = 0;

	help_text(rows, &n, "", a->pane->title);
	for (const char *const *x = a->pane->help_extra; x && x[0] && x[1]; x += 2)
		help_text(rows, &n, x[0], x[1]);
	for (const enum action *k = a->pane->keys; k && *k != ACT_NONE; k++)
		if (!a->pane->key_shown || a->pane->key_shown(a, *k))
			help_add(a, rows, &n, *k, true);
	help_text(rows, &n, "", N_("Everywhere"));
	if (in && a->user.role >= USER_BRANCH_ADMIN)
		help_text(rows, &n, "*", N_("After your name in the status bar: you are an admin"));
	help_text(rows, &n, "Alt+letter", N_("The letter's key below, even where a field takes letters"));
	for (size_t i = 0; i < ng; i++)
		help_add(a, rows, &n, g[i], false);
	for (int i = 0; in && i < npanes; i++)
		if (app_pane_visible(a, panes[i]) && panes[i] != a->pane)
			help_add(a, rows, &n, panes[i]->open_act, false);
	return n;
}

static void draw_help(struct app *a)
{
	/* The overlay covers the whole pane, so no piece of it shows beside
	 * the box (a cut Thai word reads as garbage). */
	int rows = LINES - 2, cols = COLS, inner = rows - 2, n;
	static struct help_row hr[HELP_ROWS_MAX];
	WINDOW *w = newwin(rows, cols, 1, 0);

	if (!w)
		return;
	n = help_rows(a, hr);
	inner--; /* the last line says how pasting behaves */
	if (a->help_top > n - inner)
		a->help_top = n - inner > 0 ? n - inner : 0;
	wattr_set(w, theme_attr(ROLE_BORDER), theme_pair(ROLE_BORDER), NULL);
	box(w, 0, 0);
	wattr_set(w, A_NORMAL, 0, NULL);
	text_draw(w, 0, 2, cols - 4, _(" Keys — press Esc or F1 to close "), theme_attr(ROLE_TITLE),
		  theme_pair(ROLE_TITLE));
	for (int i = 0; i < inner && a->help_top + i < n; i++) {
		const struct help_row *r = &hr[a->help_top + i];
		if (!r->keys[0]) {
			text_draw(w, 1 + i, 2, cols - 4, _(r->text), theme_attr(ROLE_TITLE), theme_pair(ROLE_TITLE));
			continue;
		}
		text_draw(w, 1 + i, 4, 14, r->keys, theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
		text_draw(w, 1 + i, 19, cols - 21, _(r->text), theme_attr(ROLE_NORMAL), theme_pair(ROLE_NORMAL));
	}
	text_draw(w, rows - 2, 2, cols - 4,
		  _("Pasted text goes into the field being typed in; elsewhere it is dropped"),
		  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	if (n > inner)
		text_draw(w, rows - 1, cols - 14, 12, a->help_top + inner < n ? " ↓ PgDn " : " ↑ PgUp ",
			  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	wnoutrefresh(w);
	delwin(w);
}

/* The key bar's short names (htop's bottom row): the actions that have one. */
static const struct {
	enum action act;
	const char *name;
} short_names[] = {
	{ ACT_NEXT_READER, N_("Reader") }, { ACT_COPY, N_("Copy") }, { ACT_PURPOSE, N_("Purpose") },
	{ ACT_REFRESH, N_("Ask again") }, { ACT_HISTORY, N_("History") }, { ACT_SELECT, N_("Open") },
	{ ACT_BACK, N_("Back") }, { ACT_APPROVE, N_("Approve") }, { ACT_REJECT, N_("Reject") },
	{ ACT_SUSPEND, N_("Suspend") }, { ACT_REINSTATE, N_("Reinstate") }, { ACT_RIGHTS, N_("Rights") },
	{ ACT_ROLE, N_("Role") }, { ACT_FILTER, N_("Filter") },
	{ ACT_VERIFY, N_("Verify") }, { ACT_EXPORT, N_("Export") }, { ACT_HELP, N_("Help") },
	{ ACT_MESSAGES, N_("Messages") }, { ACT_READ_AGAIN, N_("Read") }, { ACT_REPORT, N_("Report") },
	{ ACT_THEME, N_("Theme") }, { ACT_LANGUAGE, N_("Language") }, { ACT_LOGOUT, N_("Log out") },
	{ ACT_QUIT, N_("Quit") },
};

static const char *short_name(enum action act)
{
	for (size_t i = 0; i < sizeof short_names / sizeof short_names[0]; i++)
		if (short_names[i].act == act)
			return short_names[i].name;
	return NULL;
}

/* One key and its name, if it fits; returns the next column. */
static int keybar_item(const struct app *a, WINDOW *w, int x, enum action act, bool own)
{
	char keys[48];
	const char *name = short_name(act);
	int kw, nw;

	if (!name)
		return x;
	if (own)
		actions_keys(act, keys, sizeof keys);
	else
		keys_for(a, act, keys, sizeof keys);
	keys[strcspn(keys, " ")] = '\0';
	kw = text_width(keys);
	nw = text_width(_(name));
	if (!kw || x + kw + nw + 1 > getmaxx(w))
		return x;
	x += text_draw(w, 0, x, kw, keys, theme_attr(ROLE_KEY) | A_REVERSE, theme_pair(ROLE_KEY));
	x += text_draw(w, 0, x, nw, _(name), theme_attr(ROLE_STATUS), theme_pair(ROLE_STATUS));
	return x + 1;
}

/* The key bar: the pane's own keys first, then the ones that work
 * everywhere, while they fit. */
static void draw_keybar(struct app *a)
{
	static const enum action everywhere[] = {
		ACT_HELP, ACT_MESSAGES, ACT_READ_AGAIN, ACT_REPORT, ACT_THEME, ACT_LANGUAGE, ACT_LOGOUT, ACT_QUIT,
	};
	WINDOW *w = a->keyw;
	bool in = a->logged_in && !a->locked;
	int x = 0;

	werase(w);
	fill_line(w, 0, ROLE_STATUS);
	for (const enum action *k = a->pane->keys; k && *k != ACT_NONE; k++)
		if (!a->pane->key_shown || a->pane->key_shown(a, *k))
			x = keybar_item(a, w, x, *k, true);
	for (size_t i = 0; i < sizeof everywhere / sizeof everywhere[0]; i++)
		if (in || (everywhere[i] != ACT_READ_AGAIN && everywhere[i] != ACT_LOGOUT))
			x = keybar_item(a, w, x, everywhere[i], false);
	wnoutrefresh(w);
}

/* L: the status line's messages in full, newest first, each wrapped. */
static void draw_log(struct app *a)
{
	int rows = LINES - 2, cols = COLS, y = 1;
	WINDOW *w = newwin(rows, cols, 1, 0);
	char when[16];

	if (!w)
		return;
	if (a->help_top >= a->nlog)
		a->help_top = a->nlog > 0 ? a->nlog - 1 : 0;
	wattr_set(w, theme_attr(ROLE_BORDER), theme_pair(ROLE_BORDER), NULL);
	box(w, 0, 0);
	wattr_set(w, A_NORMAL, 0, NULL);
	text_draw(w, 0, 2, cols - 4, _(" Messages, newest first — Esc closes "), theme_attr(ROLE_TITLE),
		  theme_pair(ROLE_TITLE));
	if (!a->nlog)
		text_draw(w, y, 2, cols - 4, _("No messages yet"), theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	for (int i = a->help_top; i < a->nlog && y < rows - 1; i++) {
		const struct app_note *m = &a->log[i];
		enum theme_role role = m->error ? ROLE_ERROR : ROLE_NORMAL;

		format_clock(m->when, "%H:%M:%S", when, sizeof when);
		text_draw(w, y, 2, 9, when, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		y += text_draw_wrapped(w, y, 11, cols - 13, rows - 1 - y, m->text, theme_attr(role), theme_pair(role));
	}
	if (a->help_top + 1 < a->nlog)
		text_draw(w, rows - 1, cols - 14, 12, " ↓ Down ", theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	wnoutrefresh(w);
	delwin(w);
}

/* The quit question, over the pane: what would be lost, and the keys. */
static void draw_quit(struct app *a)
{
	int cols = COLS > 70 ? 70 : COLS - 2, x = (COLS - cols) / 2, y = (LINES - 6) / 2;
	WINDOW *w = newwin(5, cols, y, x);

	if (!w)
		return;
	wattr_set(w, theme_attr(ROLE_BORDER), theme_pair(ROLE_BORDER), NULL);
	box(w, 0, 0);
	wattr_set(w, A_NORMAL, 0, NULL);
	text_draw(w, 1, 2, cols - 4, a->quit_reason ? a->quit_reason : "", theme_attr(ROLE_WARNING),
		  theme_pair(ROLE_WARNING));
	text_draw(w, 2, 2, cols - 4, _("Quit anyway?"), theme_attr(ROLE_NORMAL), theme_pair(ROLE_NORMAL));
	text_draw(w, 3, 2, cols - 4, _("Enter: quit · Esc: stay"), theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
	wnoutrefresh(w);
	delwin(w);
}

/* text_wrap's lines counted, to size the box before drawing. */
static void count_line(void *ud, const char *start, size_t len)
{
	(void)start;
	(void)len;
	++*(int *)ud;
}

/* A refusal, over the pane until the next key: what was refused (a right,
 * or the catalogue's words for another branch's user or a role above one's
 * own, wrapped), that it is on record, and who can grant it or do it. */
static void draw_refusal(struct app *a)
{
	int cols = COLS > 74 ? 74 : COLS - 2, x = (COLS - cols) / 2, n = 1, y;
	bool right = a->refused < RIGHT_COUNT;
	char line[512], msg[400];
	WINDOW *w;

	if (right) {
		snprintf(line, sizeof line, _("Refused: you have no right to %s (%s)."),
			 app_right_label(a->refused), rights_name(a->refused));
	} else {
		err_text(&a->refused_err, i18n_lang(), msg, sizeof msg);
		snprintf(line, sizeof line, "%s%s%s%s: %s", err_code(a->refused_err.id),
			 a->refused_err.field ? " (" : "", a->refused_err.field ? a->refused_err.field : "",
			 a->refused_err.field ? ")" : "", msg);
		n = 0;
		text_wrap(line, cols - 4, count_line, &n);
		n = n < 1 ? 1 : n > 3 ? 3 : n;
	}
	y = (LINES - 6 - n) / 2;
	if (!(w = newwin(5 + n, cols, y, x)))
		return;
	wattr_set(w, theme_attr(ROLE_BORDER), theme_pair(ROLE_BORDER), NULL);
	box(w, 0, 0);
	wattr_set(w, A_NORMAL, 0, NULL);
	text_draw_wrapped(w, 1, 2, cols - 4, n, line, theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
	text_draw(w, n + 1, 2, cols - 4, _("The refusal is recorded in the audit trail."),
		  theme_attr(ROLE_NORMAL), theme_pair(ROLE_NORMAL));
	snprintf(line, sizeof line, right ? _("Who can grant it: %s") : _("Who can do it: %s"), a->refused_by);
	text_draw(w, n + 2, 2, cols - 4, line, theme_attr(ROLE_NORMAL), theme_pair(ROLE_NORMAL));
	text_draw(w, n + 3, 2, cols - 4, _("Any key: close"), theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
	wnoutrefresh(w);
	delwin(w);
}

/* An action refused because the database server is lost: what happened
 * and what to do, in the terminal's language and then the other. */
static void draw_lost(struct app *a)
{
	int cols = COLS > 74 ? 74 : COLS - 2, x = (COLS - cols) / 2, rows = 12, y = (LINES - rows) / 2, at = 1;
	enum tb_lang lang = i18n_lang();
	WINDOW *w = newwin(rows, cols, y, x);
	char text[1024];

	if (!w)
		return;
	wattr_set(w, theme_attr(ROLE_BORDER), theme_pair(ROLE_BORDER), NULL);
	box(w, 0, 0);
	wattr_set(w, A_NORMAL, 0, NULL);
	err_format(&a->lost, lang, text, sizeof text);
	at += text_draw_wrapped(w, at, 2, cols - 4, 4, text, theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
	err_format(&a->lost, lang == TB_LANG_TH ? TB_LANG_EN : TB_LANG_TH, text, sizeof text);
	text_draw_wrapped(w, at + 1, 2, cols - 4, 4, text, theme_attr(ROLE_NORMAL), theme_pair(ROLE_NORMAL));
	text_draw(w, rows - 2, 2, cols - 4, _("Any key: close"), theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
	wnoutrefresh(w);
	delwin(w);
}

static void draw_too_small(void)
{
	char line[160];

	erase();
	snprintf(line, sizeof line, "%dx%d", COLS, LINES);
	text_draw(stdscr, LINES / 2 - 2, 1, COLS - 2, _("The terminal is too small."), A_BOLD, 0);
	text_draw(stdscr, LINES / 2 - 1, 1, COLS - 2, "หน้าจอเล็กเกินไป / Terminal too small", 0, 0);
	snprintf(line, sizeof line, _("Now %dx%d; tabien needs at least %dx%d."), COLS, LINES,
		 APP_MIN_COLS, APP_MIN_LINES);
	text_draw(stdscr, LINES / 2, 1, COLS - 2, line, 0, 0);
	text_draw(stdscr, LINES / 2 + 1, 1, COLS - 2, _("Make the window larger, or press q to quit."), 0, 0);
	wnoutrefresh(stdscr);
}

void app_windows_free(struct app *a)
{
	if (a->tabw)
		delwin(a->tabw);
	if (a->mainw)
		delwin(a->mainw);
	if (a->statusw)
		delwin(a->statusw);
	if (a->keyw)
		delwin(a->keyw);
	a->tabw = a->mainw = a->statusw = a->keyw = NULL;
}

static void layout(struct app *a)
{
	app_windows_free(a);
	a->too_small = COLS < APP_MIN_COLS || LINES < APP_MIN_LINES;
	erase();
	wnoutrefresh(stdscr);
	if (a->too_small)
		return;
	a->tabw = newwin(1, COLS, 0, 0);
	/* A key bar where the screen has room: 80x24 keeps every line for
	 * the pane. */
	if (LINES >= APP_KEYBAR_LINES) {
		a->mainw = newwin(LINES - 3, COLS, 1, 0);
		a->keyw = newwin(1, COLS, LINES - 2, 0);
	} else {
		a->mainw = newwin(LINES - 2, COLS, 1, 0);
	}
	a->statusw = newwin(1, COLS, LINES - 1, 0);
}

void app_draw(struct app *a)
{
	if (a->dirty & DIRTY_LAYOUT)
		layout(a);
	if (a->dirty & DIRTY_CLEAR)
		clearok(curscr, TRUE);
	if (a->too_small) {
		draw_too_small();
	} else {
		/* The help overlay covers the pane: draw the pane again under it
		 * whenever either changes. */
		if (a->help || a->confirm_quit || a->refusal || a->lost.id || app_copy_shown(a))
			a->dirty |= DIRTY_MAIN;
		if (a->dirty & DIRTY_TABS)
			draw_tabs(a);
		if (a->dirty & DIRTY_MAIN) {
			a->cursor = false;
			werase(a->mainw);
			a->pane->draw(a, a->mainw);
		}
		if (a->dirty & DIRTY_STATUS)
			draw_status(a);
		if (a->keyw && (a->dirty & (DIRTY_MAIN | DIRTY_TABS)))
			draw_keybar(a);
		/* The pane's window last: the terminal's cursor is left where the
		 * last window refreshed put it, and a form wants it in its field. */
		if (a->cursor)
			wmove(a->mainw, a->cursor_y, a->cursor_x);
		if ((a->dirty & DIRTY_MAIN) || a->cursor)
			wnoutrefresh(a->mainw);
		if (a->help && a->help_log)
			draw_log(a);
		else if (a->help)
			draw_help(a);
		else if (a->confirm_quit)
			draw_quit(a);
		else if (a->refusal)
			draw_refusal(a);
		else if (a->lost.id)
			draw_lost(a);
		else
			app_copy_draw(a);
	}
	doupdate();
	a->dirty = 0;
}
