/* Drawing the frame around the pane: the tab line, the status bar, the help
 * overlay and the too-small screen.  Only the dirty windows are drawn again,
 * then one doupdate(), so a keystroke over SSH sends only the cells that
 * changed. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "services/accounts/users.h"
#include "tui/actions.h"
#include "tui/app_private.h"
#include "tui/i18n.h"
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
 * "F2 Card", and the key alone for tabs not shown. */
enum { TABS_FULL, TABS_TIGHT, TABS_UNTITLED, TABS_KEYS, TABS_MODES };

static void tab_label(const struct app *a, const struct pane_ops *p, int mode, char *out,
		      size_t size)
{
	char keys[64];

	actions_keys(p->open_act, keys, sizeof keys);
	keys[strcspn(keys, " ")] = '\0';
	if (mode == TABS_FULL)
		snprintf(out, size, " %s %s ", keys, _(p->title));
	else if (mode == TABS_KEYS && p != a->pane)
		snprintf(out, size, "%s", keys);
	else
		snprintf(out, size, "%s %s", keys, _(p->title));
}

/* More panes than an 80-column line holds at full width: the tab line
 * tightens step by step rather than cutting tabs (or F1 Help) off. */
static int tabs_mode(const struct app *a, int cols, int help_w)
{
	for (int mode = TABS_FULL; mode < TABS_KEYS; mode++) {
		int x = mode == TABS_UNTITLED ? 0 : text_width(" ทะเบียน ");
		for (int i = 0; i < npanes; i++) {
			char label[160];
			if (!app_pane_visible(a, panes[i]))
				continue;
			tab_label(a, panes[i], mode, label, sizeof label);
			x += 1 + text_width(label);
		}
		if (x + help_w + 1 <= cols)
			return mode;
	}
	return TABS_KEYS;
}

static void draw_tabs(struct app *a)
{
	WINDOW *w = a->tabw;
	char keys[64], help[96];
	int x = 0, help_w, mode;

	actions_keys(ACT_HELP, keys, sizeof keys);
	keys[strcspn(keys, " ")] = '\0';
	snprintf(help, sizeof help, "%s %s ", keys, _("Help"));
	help_w = text_width(help);
	mode = tabs_mode(a, getmaxx(w), help_w);
	werase(w);
	fill_line(w, 0, ROLE_TAB);
	if (mode != TABS_UNTITLED)
		x += text_draw(w, 0, x, 40, " ทะเบียน ", theme_attr(ROLE_TITLE), theme_pair(ROLE_TITLE));
	for (int i = 0; i < npanes; i++) {
		char label[160];
		enum theme_role role = panes[i] == a->pane ? ROLE_TAB_ACTIVE : ROLE_TAB;

		if (!app_pane_visible(a, panes[i]))
			continue;
		tab_label(a, panes[i], mode, label, sizeof label);
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
		snprintf(who, sizeof who, "%s%s", a->user.username, a->user.role == USER_ADMIN ? "*" : "");
		x = status_part(w, x, who, 14, ROLE_STATUS);
		x = status_part(w, x, a->branch.name, 14, ROLE_STATUS);
		x = status_part(w, x, app_purpose(a), 14, ROLE_STATUS);
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

/* The actions this user has, in table order. */
static int help_actions(const struct app *a, enum action *out)
{
	int n = 0;
	bool admin = a->logged_in && a->user.role == USER_ADMIN;

	for (int act = 1; act < ACT_COUNT; act++)
		if (admin || !action_admin_only((enum action)act))
			out[n++] = (enum action)act;
	return n;
}

static void draw_help(struct app *a)
{
	/* The overlay covers the whole pane, so no piece of it shows beside
	 * the box (a cut Thai word reads as garbage). */
	int rows = LINES - 2, cols = COLS, inner = rows - 2, n;
	enum action acts[ACT_COUNT];
	WINDOW *w = newwin(rows, cols, 1, 0);
	char keys[64];

	if (!w)
		return;
	n = help_actions(a, acts);
	inner--; /* the last line says how pasting behaves */
	if (a->help_top > n - inner)
		a->help_top = n - inner > 0 ? n - inner : 0;
	wattr_set(w, theme_attr(ROLE_BORDER), theme_pair(ROLE_BORDER), NULL);
	box(w, 0, 0);
	wattr_set(w, A_NORMAL, 0, NULL);
	text_draw(w, 0, 2, cols - 4, _(" Keys — press Esc or F1 to close "), theme_attr(ROLE_TITLE),
		  theme_pair(ROLE_TITLE));
	for (int i = 0; i < inner && a->help_top + i < n; i++) {
		enum action act = acts[a->help_top + i];
		actions_keys(act, keys, sizeof keys);
		text_draw(w, 1 + i, 2, 14, keys, theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
		text_draw(w, 1 + i, 17, cols - 19, _(action_help(act)), theme_attr(ROLE_NORMAL),
			  theme_pair(ROLE_NORMAL));
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
	a->tabw = a->mainw = a->statusw = NULL;
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
	a->mainw = newwin(LINES - 2, COLS, 1, 0);
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
		if (a->help || a->confirm_quit || app_copy_shown(a))
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
		/* The pane's window last: the terminal's cursor is left where the
		 * last window refreshed put it, and a form wants it in its field. */
		if (a->cursor)
			wmove(a->mainw, a->cursor_y, a->cursor_x);
		if ((a->dirty & DIRTY_MAIN) || a->cursor)
			wnoutrefresh(a->mainw);
		if (a->help)
			draw_help(a);
		else if (a->confirm_quit)
			draw_quit(a);
		else
			app_copy_draw(a);
	}
	doupdate();
	a->dirty = 0;
}
