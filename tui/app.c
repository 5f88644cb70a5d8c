/* The event loop.  One thread owns curses; it waits in poll() for a key, a
 * card event or a signal, changes the state, marks what is dirty, and draws
 * the dirty windows with one doupdate() — so a keystroke over SSH sends only
 * the cells that changed. */
#include "config.h"

#include "tui/app.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <jpeglib.h>
#include <winscard.h>

#include "services/accounts/audit.h"
#include "services/card/card_record.h"
#include "services/base/format.h"
#include "services/juristic/juristic.h"
#include "services/registry/linkage.h"
#include "services/registry/lk2.h"
#include "services/accounts/users.h"
#include "services/base/util.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/pane.h"
#include "tui/cmd.h"
#include "tui/photo.h"
#include "tui/text.h"

const struct pane_ops *const panes[] = {
	&pane_login, &pane_card, &pane_person, &pane_household, &pane_names, &pane_juristic, &pane_users, &pane_audit, &pane_diag, &pane_settings,
};
const int npanes = sizeof panes / sizeof panes[0];

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t sig_quit;

static void on_signal(int sig)
{
	int saved = errno;
	sig_quit = sig;
	if (write(sig_pipe[1], "q", 1) < 0) {
		/* the loop wakes on EINTR anyway */
	}
	errno = saved;
}

void app_message(struct app *a, bool is_error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->message, sizeof a->message, fmt, ap);
	va_end(ap);
	a->message_is_error = is_error;
	a->dirty |= DIRTY_STATUS;
}

void app_error(struct app *a, const char *reader, const tb_err *e)
{
	char text[512];

	memmove(&a->errors[1], &a->errors[0], sizeof a->errors[0] * (APP_MAX_ERRORS - 1));
	a->errors[0] = (struct app_error){ .when = time(NULL), .err = *e };
	str_copy(a->errors[0].reader, sizeof a->errors[0].reader, reader ? reader : "");
	if (a->nerrors < APP_MAX_ERRORS)
		a->nerrors++;
	err_format(e, i18n_lang(), text, sizeof text);
	app_message(a, true, "%s", text);
	a->dirty |= DIRTY_MAIN;
}

struct reader_state *app_reader(struct app *a)
{
	return a->active >= 0 && a->active < a->nreaders ? &a->readers[a->active] : NULL;
}

const char *app_purpose(const struct app *a)
{
	return a->branch.npurposes > 0 ? a->branch.purposes[a->purpose % a->branch.npurposes] : "";
}

/* The login pane while nobody is logged in (or the screen is locked);
 * the others after, the admin's only for admins. */
static bool pane_visible(const struct app *a, const struct pane_ops *p)
{
	bool in = a->logged_in && !a->locked;

	if (p->logged_out)
		return !in;
	return in && (!p->admin_only || a->user.role == USER_ADMIN);
}

/* --- card events ---------------------------------------------------------- */

static void reader_wipe(struct reader_state *r)
{
	card_record_free(&r->rec);
	photo_free(&r->photo);
	r->done = r->total = 0;
}

static struct reader_state *reader_find(struct app *a, const char *name)
{
	for (int i = 0; i < a->nreaders; i++)
		if (strcmp(a->readers[i].name, name) == 0)
			return &a->readers[i];
	return NULL;
}

static void reader_add(struct app *a, const char *name)
{
	struct reader_state *r;

	if (reader_find(a, name) || a->nreaders == APP_MAX_READERS)
		return;
	r = &a->readers[a->nreaders++];
	*r = (struct reader_state){ 0 };
	str_copy(r->name, sizeof r->name, name);
	if (a->active < 0)
		a->active = a->nreaders - 1;
}

static void reader_remove(struct app *a, const char *name)
{
	struct reader_state *r = reader_find(a, name);
	int i;

	if (!r)
		return;
	i = (int)(r - a->readers);
	reader_wipe(r);
	memmove(r, r + 1, sizeof *r * (size_t)(a->nreaders - i - 1));
	a->nreaders--;
	if (a->active >= a->nreaders)
		a->active = a->nreaders - 1;
}

/* The reader a new card went into becomes the one shown, unless the one
 * shown still holds a card. */
static void reader_follow(struct app *a, struct reader_state *r)
{
	struct reader_state *cur = app_reader(a);
	if (!cur || !cur->present || cur == r)
		a->active = (int)(r - a->readers);
}

/* The account as the database has it now: an admin may have suspended it
 * since the login.  Logs out (with the reason shown) when it is no longer
 * active. */
static bool account_still_active(struct app *a)
{
	struct user now = { .status = USER_PENDING };
	tb_err err = { 0 };

	if (users_get(a->db, a->user.username, &now, &err) == 0 && now.status == USER_ACTIVE)
		return true;
	app_logout(a, SESSION_END_LOGOUT);
	err_set(&err, now.status == USER_SUSPENDED ? TB_E_AUTH_SUSPENDED : TB_E_AUTH_STATE, 0, NULL);
	app_error(a, NULL, &err);
	return false;
}

/* Every card read, good or failed, leaves an audit row: who, whose card
 * (its ID is the only personal reference kept), why, and how it went. */
static void audit_card(struct app *a, const struct card_event *ev)
{
	const char *result = "OK";
	struct audit_entry e;
	tb_err err = { 0 };

	/* Only reads in a reader: not the service's own errors. */
	if (!a->logged_in || !ev->reader[0])
		return;
	if (ev->type == CARD_EV_ERROR)
		result = err_code(ev->err.id);
	else if (ev->rec && ev->rec->nwarn > 0)
		result = err_code(ev->rec->warn[0].id);
	e = (struct audit_entry){
		.username = a->user.username, .action = AUDIT_CARD_READ, .service = "",
		.subject = ev->rec ? ev->rec->cid : "", .purpose = app_purpose(a), .result = result,
	};
	if (audit_append(a->db, &e, &err))
		app_error(a, NULL, &err);
}

/* Linkage Center 2 signs the officer in with their card's chip number.
 * Where the chip number lives on the card is not public: lk2.chip_field
 * names the card field that holds it (photo_no, the number printed under
 * the photo, by default; or request_no). */
static const char *officer_chip(struct app *a, const struct card_record *rec)
{
	const char *f = config_get(&a->cfg, "lk2.chip_field");

	return f && strcmp(f, "request_no") == 0 ? rec->request_no : rec->photo_no;
}

static void on_card_event(struct app *a, struct card_event *ev)
{
	struct reader_state *r = ev->reader[0] ? reader_find(a, ev->reader) : NULL;

	if (a->pane->card && a->pane->card(a, ev))
		return;

	switch (ev->type) {
	case CARD_EV_SERVICE:
		/* "Ready" only when it comes back: at start it would hide the
		 * login's own message. */
		if (ev->err.id != TB_OK)
			app_error(a, NULL, &ev->err);
		else if (a->service == 0)
			app_message(a, false, "%s", _("Card service ready"));
		a->service = ev->err.id == TB_OK;
		a->service_err = ev->err;
		break;
	case CARD_EV_READER_ADDED:
		reader_add(a, ev->reader);
		break;
	case CARD_EV_READER_REMOVED:
		reader_remove(a, ev->reader);
		break;
	case CARD_EV_INSERTED:
		if (!r)
			break;
		reader_wipe(r);
		lookup_card_gone(a, r->name);
		r->present = r->reading = true;
		r->err = (tb_err){ 0 };
		str_copy(r->atr, sizeof r->atr, ev->atr_hex);
		reader_follow(a, r);
		app_message(a, false, "%s", _("Reading the card…"));
		break;
	case CARD_EV_PRESENT:
		if (!r)
			break;
		r->present = true;
		r->reading = false;
		str_copy(r->atr, sizeof r->atr, ev->atr_hex);
		reader_follow(a, r);
		break;
	case CARD_EV_DATA:
		if (!r)
			break;
		card_record_free(&r->rec);
		r->rec = ev->rec;
		ev->rec = NULL;
		break;
	case CARD_EV_PROGRESS:
		if (!r)
			break;
		r->done = ev->done;
		r->total = ev->total;
		/* Only the progress bar changes: no need for the status bar. */
		a->dirty |= DIRTY_MAIN;
		return;
	case CARD_EV_DONE:
		if (!r)
			break;
		/* An account suspended while logged in is stopped before it
		 * sees another card. */
		if (a->logged_in && !account_still_active(a)) {
			card_record_free(&ev->rec);
			return;
		}
		audit_card(a, ev);
		card_record_free(&r->rec);
		r->rec = ev->rec;
		ev->rec = NULL;
		r->reading = false;
		r->stats = ev->stats;
		r->have_stats = true;
		if (r->rec->photo) {
			tb_err perr = { 0 };
			r->photo = photo_new(r->rec->photo, r->rec->photo_len, &perr);
			if (!r->photo) {
				app_error(a, r->name, &perr);
				break;
			}
		}
		app_message(a, r->rec->nwarn > 0, "%s", r->rec->nwarn
			    ? _("Card read, with problems: see the marked fields")
			    : _("Card read"));
		/* The registry's side, at once and in the background.  The
		 * officer's own card (in a second reader, or before the
		 * citizen's) is their sign-in to the Linkage Center instead. */
		if (a->logged_in && !(r->rec->flags & CARD_FLAG_CID_BAD)) {
			if (strcmp(r->rec->cid, a->user.cid) != 0)
				lookup_start(a, r->rec->cid, r->name);
			else
				lookup_officer_card(a, r->rec->cid, officer_chip(a, r->rec));
		}
		break;
	case CARD_EV_REMOVED:
		if (!r)
			break;
		reader_wipe(r);
		lookup_card_gone(a, r->name);
		r->present = r->reading = false;
		app_message(a, false, "%s", _("Card removed: its data was cleared from the screen"));
		break;
	case CARD_EV_ERROR:
		audit_card(a, ev);
		if (r) {
			r->reading = false;
			r->err = ev->err;
			reader_wipe(r);
			lookup_card_gone(a, r->name);
		}
		app_error(a, ev->reader, &ev->err);
		break;
	}
	a->dirty |= DIRTY_MAIN | DIRTY_STATUS;
}

/* --- drawing ---------------------------------------------------------------- */

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
			if (!pane_visible(a, panes[i]))
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

		if (!pane_visible(a, panes[i]))
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
	if (n > inner)
		text_draw(w, rows - 1, cols - 14, 12, a->help_top + inner < n ? " ↓ PgDn " : " ↑ PgUp ",
			  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
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

static void layout(struct app *a)
{
	if (a->tabw)
		delwin(a->tabw);
	if (a->mainw)
		delwin(a->mainw);
	if (a->statusw)
		delwin(a->statusw);
	a->tabw = a->mainw = a->statusw = NULL;
	a->too_small = COLS < APP_MIN_COLS || LINES < APP_MIN_LINES;
	erase();
	wnoutrefresh(stdscr);
	if (a->too_small)
		return;
	a->tabw = newwin(1, COLS, 0, 0);
	a->mainw = newwin(LINES - 2, COLS, 1, 0);
	a->statusw = newwin(1, COLS, LINES - 1, 0);
}

static void draw(struct app *a)
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
		if (a->help)
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
		if ((a->dirty & DIRTY_MAIN) || a->cursor)
			wnoutrefresh(a->mainw);
		if (a->help)
			draw_help(a);
	}
	doupdate();
	a->dirty = 0;
}

/* --- keys ------------------------------------------------------------------------ */

/* The terminal's own theme and language (config file, else the locale):
 * what the login screen shows, and what a user without settings gets. */
static void app_terminal_defaults(struct app *a)
{
	const char *theme = config_get(&a->cfg, "theme");
	tb_err err = { 0 };

	i18n_init(config_get(&a->cfg, "language"));
	if (theme_load(&a->theme, theme ? theme : "default", &err) && theme)
		app_error(a, NULL, &err);
	theme_apply(&a->theme);
	a->dirty |= DIRTY_ALL;
}

static void session_save(struct app *a)
{
	char state[64];
	tb_err err = { 0 };
	const struct pane_ops *p = a->locked && a->before_lock ? a->before_lock : a->pane;

	if (!a->logged_in || p == &pane_login)
		return;
	/* Only where the user was: never a citizen's data.  Locked, that is
	 * the pane under the lock. */
	snprintf(state, sizeof state, "pane=%s", p->id);
	if (session_save_state(a->db, a->sess.id, state, &err))
		app_error(a, NULL, &err);
}

void app_show(struct app *a, const struct pane_ops *p)
{
	if (p == a->pane || !pane_visible(a, p))
		return;
	if (a->pane->close)
		a->pane->close(a);
	a->pane = p;
	if (p->open)
		p->open(a);
	session_save(a);
	a->dirty |= DIRTY_TABS | DIRTY_MAIN | DIRTY_STATUS;
}

static const struct pane_ops *pane_by_id(const char *id)
{
	for (int i = 0; i < npanes; i++)
		if (strcmp(panes[i]->id, id) == 0)
			return panes[i];
	return NULL;
}

/* --- who is logged in ----------------------------------------------------------- */

void app_cards(struct app *a, bool on, bool photo, bool leave_present)
{
	struct card_monitor_opts mo = { .read_photo = photo, .leave_present = leave_present };
	tb_err err = { 0 };

	/* Stopping drops every record and photo with their readers. */
	card_monitor_stop(&a->mon);
	for (int i = 0; i < a->nreaders; i++)
		reader_wipe(&a->readers[i]);
	lookup_clear(a);
	a->nreaders = 0;
	a->active = -1;
	a->service = -1;
	if (!on)
		return;
	a->mon = card_monitor_start(&mo, &err);
	if (!a->mon)
		app_error(a, NULL, &err);
}

static void audit_simple(struct app *a, const char *action, const char *subject)
{
	struct audit_entry e = { .username = a->user.username, .action = action, .service = "",
				 .subject = subject, .purpose = "", .result = "OK" };
	tb_err err = { 0 };

	if (audit_append(a->db, &e, &err))
		app_error(a, NULL, &err);
}

void app_logged_in(struct app *a, const struct user *u)
{
	struct user_settings us;
	const struct pane_ops *p = &pane_card;
	tb_err err = { 0 };
	bool same = a->locked && strcmp(a->user.username, u->username) == 0;

	a->user = *u;
	a->locked = false;
	a->last_input = a->last_touch = time(NULL);
	if (!same) {
		if (session_start(a->db, u, &a->sess, &err)) {
			app_error(a, NULL, &err);
			a->logged_in = false;
			pane_login_mode(a, LOGIN_SIGN_IN);
			return;
		}
		a->logged_in = true;
		/* The user's own settings over the terminal's, then where a lost
		 * session was. */
		app_terminal_defaults(a);
		if (settings_user_get(a->db, u->id, &us, &err) == 0) {
			tb_err terr = { 0 };
			if (us.theme[0] && theme_load(&a->theme, us.theme, &terr) == 0)
				theme_apply(&a->theme);
			if (us.language[0])
				i18n_set(strcmp(us.language, "th") == 0 ? TB_LANG_TH : TB_LANG_EN);
			if (us.default_pane[0] && pane_by_id(us.default_pane))
				p = pane_by_id(us.default_pane);
		}
		if (a->sess.resumed && strncmp(a->sess.state, "pane=", 5) == 0 &&
		    pane_by_id(a->sess.state + 5) && pane_by_id(a->sess.state + 5) != &pane_login)
			p = pane_by_id(a->sess.state + 5);
	}
	if (same && a->before_lock)
		p = a->before_lock;
	a->before_lock = NULL;
	/* After an unlock the card left in the reader stays unread until the
	 * officer asks (F5): nothing is read, and audited, unasked. */
	app_cards(a, true, true, same);
	app_show(a, p);
	app_message(a, false, "%s", a->sess.resumed && !same ? _("Welcome back: your last session was resumed")
		    : _("Logged in"));
	a->dirty |= DIRTY_ALL;
}

void app_logout(struct app *a, const char *reason)
{
	tb_err err = { 0 };

	app_cards(a, false, false, false);
	/* The gateway token is the officer's: it goes with them. */
	lookup_end(a);
	app_gdx_drop(a);
	if (a->logged_in && session_end(a->db, a->sess.id, a->user.username, reason, &err))
		app_error(a, NULL, &err);
	a->logged_in = a->locked = false;
	explicit_bzero(&a->user, sizeof a->user);
	explicit_bzero(&a->sess, sizeof a->sess);
	/* The pane's close wipes what it held (audit rows name citizens). */
	if (a->pane != &pane_login && a->pane->close)
		a->pane->close(a);
	a->pane = &pane_login;
	a->before_lock = NULL;
	app_terminal_defaults(a);
	pane_login_mode(a, LOGIN_SIGN_IN);
}

/* The idle lock: the citizen's data goes first, then the screen asks for
 * the password again. */
static void app_lock(struct app *a)
{
	app_cards(a, false, false, false);
	lookup_end(a);
	app_gdx_drop(a);
	audit_simple(a, AUDIT_SESSION_LOCK, "");
	a->locked = true;
	if (a->pane->close)
		a->pane->close(a);
	a->before_lock = a->pane;
	a->pane = &pane_login;
	pane_login_mode(a, LOGIN_UNLOCK);
	app_message(a, false, "%s", _("Locked after a while without use: the card data was cleared"));
}

static void theme_next(struct app *a)
{
	int cur = 0;
	tb_err err = { 0 };

	if (a->nthemes == 0)
		return;
	for (int i = 0; i < a->nthemes; i++)
		if (strcmp(a->themes[i], a->theme.name) == 0)
			cur = i;
	cur = (cur + 1) % a->nthemes;
	if (theme_load(&a->theme, a->themes[cur], &err))
		app_error(a, NULL, &err);
	else
		app_message(a, false, _("Theme: %s"), a->theme.name);
	theme_apply(&a->theme);
	a->dirty |= DIRTY_ALL;
}

static void on_action(struct app *a, enum action act)
{
	unsigned d;

	if (a->help) {
		int n = ACT_COUNT - 1;
		switch (act) {
		case ACT_HELP: case ACT_BACK: case ACT_QUIT:
			a->help = false;
			a->dirty |= DIRTY_ALL;
			return;
		case ACT_DOWN: a->help_top++; break;
		case ACT_UP: a->help_top = a->help_top > 0 ? a->help_top - 1 : 0; break;
		case ACT_PAGE_DOWN: a->help_top += 10; break;
		case ACT_PAGE_UP: a->help_top = a->help_top > 10 ? a->help_top - 10 : 0; break;
		case ACT_TOP: a->help_top = 0; break;
		case ACT_BOTTOM: a->help_top = n; break;
		default: return;
		}
		a->dirty |= DIRTY_MAIN;
		return;
	}
	if (a->too_small) {
		if (act == ACT_QUIT)
			a->quit = true;
		return;
	}
	if (a->pane->key && (d = a->pane->key(a, act))) {
		a->dirty |= d;
		return;
	}
	switch (act) {
	case ACT_HELP:
		a->help = true;
		a->help_top = 0;
		a->dirty |= DIRTY_MAIN;
		break;
	case ACT_QUIT:
		a->quit = true;
		break;
	case ACT_NEXT_PANE:
	case ACT_PREV_PANE: {
		int i = 0;
		while (i < npanes && panes[i] != a->pane)
			i++;
		for (int k = 0; k < npanes; k++) {
			i = (i + (act == ACT_NEXT_PANE ? 1 : npanes - 1)) % npanes;
			if (pane_visible(a, panes[i]))
				break;
		}
		app_show(a, panes[i]);
		break;
	}
	case ACT_LOGOUT:
		if (a->logged_in && !a->locked) {
			app_logout(a, SESSION_END_LOGOUT);
			app_message(a, false, "%s", _("Logged out"));
		}
		break;
	case ACT_PURPOSE:
		if (a->logged_in && a->branch.npurposes > 0) {
			a->purpose = (a->purpose + 1) % a->branch.npurposes;
			app_message(a, false, _("Purpose: %s"), app_purpose(a));
		}
		break;
	case ACT_THEME:
		theme_next(a);
		break;
	case ACT_LANGUAGE:
		i18n_set(i18n_lang() == TB_LANG_TH ? TB_LANG_EN : TB_LANG_TH);
		app_message(a, false, "%s", _("Language: English"));
		a->dirty |= DIRTY_ALL;
		break;
	case ACT_REDRAW:
		a->dirty |= DIRTY_ALL | DIRTY_CLEAR;
		break;
	case ACT_REPORT: {
		tb_err err = { 0 };
		if (app_report(a, &err))
			app_error(a, NULL, &err);
		else
			app_message(a, false, _("Support report written: %s"), a->report_path);
		break;
	}
	default:
		for (int i = 0; i < npanes; i++)
			if (panes[i]->open_act == act && act != ACT_NONE)
				app_show(a, panes[i]);
		break;
	}
}

void app_timeout(int *timeout_ms, int ms)
{
	if (ms >= 0 && (*timeout_ms < 0 || ms < *timeout_ms))
		*timeout_ms = ms;
}

static void on_keys(struct app *a)
{
	wint_t ch;
	int r;

	while ((r = get_wch(&ch)) != ERR) {
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			a->dirty |= DIRTY_ALL | DIRTY_LAYOUT;
			continue;
		}
		a->last_input = time(NULL);
		/* Text fields take their keys first (letters are shortcuts
		 * elsewhere); the help overlay and a too small screen do not
		 * pass keys to the pane. */
		if (!a->help && !a->too_small && a->pane->input) {
			unsigned d = a->pane->input(a, r == KEY_CODE_YES, ch);
			if (d) {
				a->dirty |= d;
				continue;
			}
		}
		/* An unknown key does nothing at all: no beep, no redraw. */
		on_action(a, actions_for_key((int)ch, r == KEY_CODE_YES));
		if (a->quit)
			return;
	}
}

/* --- set-up and the loop ------------------------------------------------------- */

/* A UTF-8 locale named but not generated on this machine (th_TH.UTF-8 on a
 * fresh system) is served by C.UTF-8; a locale that is not UTF-8 at all is
 * refused. */
static bool locale_wants_utf8(void)
{
	static const char *vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strcasestr(v, "UTF-8") || strcasestr(v, "utf8");
	}
	return false;
}

static int terminal_check(void)
{
	tb_err e = { .id = TB_E_TERMINAL };
	char msg[512];
	int loc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("tabien: the full-screen program needs a terminal; for scripts use "
		      "'tabien card read' (tabien --help)\n", stderr);
		return -1;
	}
	loc = text_locale_init();
	if (loc < 0 || (loc == 0 && !locale_wants_utf8())) {
		/* Thai cannot be shown in a non-UTF-8 locale, so say it in
		 * English only rather than in garbage. */
		err_format(&e, TB_LANG_EN, msg, sizeof msg);
		fprintf(stderr, "tabien: %s\n", msg);
		return -1;
	}
	return 0;
}

static void app_free(struct app *a)
{
	card_monitor_stop(&a->mon);
	lookup_end(a);
	app_gdx_drop(a);
	for (int i = 0; i < a->nreaders; i++)
		reader_wipe(&a->readers[i]);
	if (a->tabw)
		delwin(a->tabw);
	if (a->mainw)
		delwin(a->mainw);
	if (a->statusw)
		delwin(a->statusw);
}

/* The database and the branch, before the screen is taken, so that a
 * terminal nobody has set up says what to do in plain text. */
static int app_open_db(struct app *a)
{
	const char *path = config_get(&a->cfg, "database");
	tb_err err = { 0 };
	int init;

	a->db = db_open(path && *path ? path : NULL, 0, &err);
	init = a->db ? settings_initialised(a->db, &err) : -1;
	if (init <= 0 || settings_branch_get(a->db, &a->branch, &err) || users_init(&err)) {
		cmd_error(stderr, "tabien: ", &err);
		db_close(&a->db);
		return -1;
	}
	/* A shorter lock for this terminal alone (a kiosk, the tests); the
	 * branch's setting otherwise. */
	{
		const char *idle = getenv("TABIEN_IDLE_SECONDS");
		if (idle && atoi(idle) > 0)
			a->branch.idle_timeout_s = atoi(idle);
	}
	return 0;
}

int app_run(void)
{
	static struct app app;
	struct app *a = &app;
	struct sigaction sa = { .sa_handler = on_signal };
	const char *setting;
	tb_err err = { 0 };
	bool cursor_on = false;

	if (terminal_check())
		return 1;
	*a = (struct app){ .active = -1, .service = -1, .pane = &pane_login };
	{
		struct passwd *pw = getpwuid(getuid());
		str_copy(a->login, sizeof a->login, pw ? pw->pw_name : "?");
	}
	if (config_load(&a->cfg, NULL, &a->cfg_err) == 0)
		a->cfg_err = (tb_err){ 0 };
	i18n_init(config_get(&a->cfg, "language"));
	actions_init(&a->cfg, a->cfg_err.id ? NULL : &a->cfg_err);
	if (app_open_db(a))
		return 1;
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK)) {
		perror("tabien: pipe");
		db_close(&a->db);
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (!initscr()) {
		db_close(&a->db);
		return 1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	a->nthemes = theme_list(a->themes, APP_MAX_THEMES);
	setting = config_get(&a->cfg, "theme");
	if (theme_load(&a->theme, setting ? setting : "default", &err) && (setting || a->nthemes))
		app_error(a, NULL, &err);
	theme_apply(&a->theme);
	/* The registry gateway's settings: known keys (not "unknown
	 * settings"), and a secret in a file others may read is refused now,
	 * not at the first lookup. */
	{
		struct linkage_config lc;
		struct juristic_config jc;
		tb_err lerr = { 0 }, jerr = { 0 };
		int gdx = linkage_config_from(&lc, &a->cfg, &lerr) == 0;
		if (!gdx && lerr.id == TB_E_SECRET_MODE)
			app_error(a, NULL, &lerr);
		/* Linkage Center 2, when chosen: its settings read now too. */
		{
			struct lk2_config c2;
			tb_err terr = { 0 }, kerr = { 0 };
			int lk2 = lk2_transport_from(&a->cfg, &terr);
			if (lk2 < 0)
				app_error(a, NULL, &terr);
			if (lk2_config_from(&c2, &a->cfg, &kerr) && lk2 == 1)
				app_error(a, NULL, &kerr);
			lk2_config_wipe(&c2);
		}
		if (juristic_config_from(&jc, &a->cfg, gdx, &jerr))
			app_error(a, NULL, &jerr);
		linkage_config_wipe(&lc);
	}
	if (a->cfg.warn.id)
		app_error(a, NULL, &a->cfg.warn);
	if (a->cfg_err.id)
		app_error(a, NULL, &a->cfg_err);
	else {
		const struct config_entry *u = config_unused(&a->cfg);
		if (u) {
			tb_err ue = { .id = TB_E_CONFIG, .detail = u->line, .field = u->key };
			app_error(a, NULL, &ue);
		}
	}
	pane_login_mode(a, LOGIN_SIGN_IN);
	a->dirty = DIRTY_ALL | DIRTY_LAYOUT;

	while (!a->quit && !sig_quit) {
		struct pollfd p[3 + APP_MAX_WAIT_FDS] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = sig_pipe[0], .events = POLLIN },
			{ .fd = a->mon ? card_monitor_fd(a->mon) : -1, .events = POLLIN },
		};
		struct card_event ev;
		int timeout = -1, np = 3;
		time_t now;

		if (a->dirty) {
			draw(a);
			/* Forms show the terminal's cursor; nothing else does. */
			bool want = a->cursor && !a->help && !a->too_small;
			if (want != cursor_on) {
				cursor_on = want;
				curs_set(cursor_on);
			}
		}
		/* Wake for the idle lock. */
		if (a->logged_in && !a->locked) {
			long left = (long)(a->last_input + a->branch.idle_timeout_s - time(NULL));
			app_timeout(&timeout, left > 0 ? (int)(left * 1000) : 0);
		}
		for (int i = 0; i < npanes; i++)
			if (panes[i]->fds)
				np += panes[i]->fds(a, p + np, (int)(sizeof p / sizeof p[0]) - np,
						    &timeout);
		if (poll(p, (nfds_t)np, timeout) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < npanes; i++)
			if (panes[i]->io)
				a->dirty |= panes[i]->io(a);
		/* A resize arrives as KEY_RESIZE from ncurses' own handler, after
		 * poll was interrupted: read keys in either case. */
		on_keys(a);
		while (a->mon && card_monitor_next(a->mon, &ev) == 1) {
			on_card_event(a, &ev);
			card_event_clear(&ev);
		}
		now = time(NULL);
		if (a->logged_in && !a->locked) {
			if (now - a->last_input >= a->branch.idle_timeout_s) {
				app_lock(a);
			} else if (now - a->last_touch >= 60) {
				tb_err terr = { 0 };
				a->last_touch = now;
				if (account_still_active(a) && session_touch(a->db, a->sess.id, &terr))
					app_error(a, NULL, &terr);
			}
		}
	}
	endwin();
	/* q ends the session; a hang-up or a kill leaves it open, so the next
	 * login here resumes where the user was. */
	if (a->quit && a->logged_in)
		app_logout(a, SESSION_END_QUIT);
	else
		session_save(a);
	app_free(a);
	db_close(&a->db);
	explicit_bzero(a, sizeof *a);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	/* A hang-up or a kill is not a quit: say so, as shells do. */
	return sig_quit ? 128 + sig_quit : 0;
}
