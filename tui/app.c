/* The event loop.  One thread owns curses; it waits in poll() for a key, a
 * card event or a signal, changes the state, marks what is dirty, and draws
 * the dirty windows with one doupdate() (app_draw.c).  The card events are in
 * app_card.c, who is logged in in app_session.c. */
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

#include "services/accounts/users.h"
#include "services/base/util.h"
#include "services/copy/copy_config.h"
#include "services/juristic/juristic.h"
#include "services/registry/linkage.h"
#include "services/registry/lk2.h"
#include "tui/app_private.h"
#include "tui/cmd.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/pane.h"
#include "tui/text.h"

const struct pane_ops *const panes[] = {
	&pane_login, &pane_card, &pane_person, &pane_household, &pane_names, &pane_juristic, &pane_users, &pane_audit, &pane_diag, &pane_settings,
};
const int npanes = sizeof panes / sizeof panes[0];

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t sig_quit, sig_stop;

static void on_signal(int sig)
{
	int saved = errno;
	if (sig == SIGTSTP)
		sig_stop = 1;
	else
		sig_quit = sig;
	if (write(sig_pipe[1], "q", 1) < 0) {
		/* the loop wakes on EINTR anyway */
	}
	errno = saved;
}

/* ^Z: ncurses would stop us itself, but the terminal's paste mode must go
 * with the screen, so the loop does it (the handler, set before initscr,
 * keeps ncurses' own out).  Back in the foreground: the mode and the
 * whole screen again. */
static void app_suspend(struct app *a)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, mine = { .sa_handler = on_signal };

	endwin();
	app_paste_mode(false);
	sigaction(SIGTSTP, &dfl, NULL);
	raise(SIGTSTP);
	sigaction(SIGTSTP, &mine, NULL);
	app_paste_mode(true);
	a->dirty |= DIRTY_ALL | DIRTY_CLEAR;
}

void app_message(struct app *a, bool is_error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->message, sizeof a->message, fmt, ap);
	va_end(ap);
	a->message_is_error = is_error;
	a->dirty |= DIRTY_STATUS;
	/* Kept in full for L: an 80-column status line cuts long ones. */
	memmove(&a->log[1], &a->log[0], sizeof a->log[0] * (APP_LOG_MAX - 1));
	a->log[0].when = time(NULL);
	a->log[0].error = is_error;
	str_copy(a->log[0].text, sizeof a->log[0].text, a->message);
	if (a->nlog < APP_LOG_MAX)
		a->nlog++;
	if (a->help && a->help_log)
		a->dirty |= DIRTY_MAIN;
}

void app_log_wipe(struct app *a)
{
	explicit_bzero(a->log, sizeof a->log);
	a->nlog = 0;
	explicit_bzero(a->message, sizeof a->message);
}

void app_error_keep(struct app *a, const char *reader, const tb_err *e)
{
	memmove(&a->errors[1], &a->errors[0], sizeof a->errors[0] * (APP_MAX_ERRORS - 1));
	a->errors[0] = (struct app_error){ .when = time(NULL), .err = *e };
	str_copy(a->errors[0].reader, sizeof a->errors[0].reader, reader ? reader : "");
	if (a->nerrors < APP_MAX_ERRORS)
		a->nerrors++;
}

bool app_db_lost(const tb_err *e)
{
	return e && (e->id == TB_E_PG_LOST || e->id == TB_E_PG_DOWN);
}

void app_error(struct app *a, const char *reader, const tb_err *e)
{
	char text[512];

	app_error_keep(a, reader, e);
	/* A logged-in officer whose action met a lost server is told in a
	 * box, in both languages, what happened and what to do. */
	if (a->logged_in && app_db_lost(e))
		a->lost = *e;
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

bool app_pane_visible(const struct app *a, const struct pane_ops *p)
{
	bool in = a->logged_in && !a->locked;

	if (p->logged_out)
		return !in;
	return in && (!p->right || app_may(a, (enum right)(p->right - 1)));
}

void app_show(struct app *a, const struct pane_ops *p)
{
	if (p == a->pane || !app_pane_visible(a, p))
		return;
	/* Asked afresh at each opening: a right revoked at another terminal
	 * counts from the next pane switch. */
	if (p->right && !app_ask_right(a, (enum right)(p->right - 1), NULL))
		return;
	if (a->pane->close)
		a->pane->close(a);
	a->pane = p;
	if (p->open)
		p->open(a);
	app_session_save(a);
	a->dirty |= DIRTY_TABS | DIRTY_MAIN | DIRTY_STATUS;
}

/* F7 and F8 are the user's choice: kept in their settings, so the next
 * login (after a log-out, or at another terminal) has them again. */
static void remember_look(struct app *a)
{
	struct user_settings us = { 0 };
	tb_err err = { 0 };

	if (!a->logged_in || a->locked)
		return;
	if (settings_user_get(a->db, a->user.id, &us, &err) == 0) {
		str_copy(us.theme, sizeof us.theme, a->theme.name);
		str_copy(us.language, sizeof us.language, i18n_lang() == TB_LANG_TH ? "th" : "en");
		if (!us.default_pane[0])
			str_copy(us.default_pane, sizeof us.default_pane, "card");
		settings_user_set(a->db, a->user.id, &us, &err);
	}
	if (err.id)
		app_error(a, NULL, &err);
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

/* Quitting loses a lookup on its way or an ID typed: ask first, and take
 * only an Enter of its own for yes (app_key_deliberate). */
static void quit_or_ask(struct app *a)
{
	const char *why = NULL;

	for (int i = 0; i < npanes && !why; i++)
		if (panes[i]->unfinished && app_pane_visible(a, panes[i]))
			why = panes[i]->unfinished(a);
	if (!why) {
		a->quit = true;
		return;
	}
	a->confirm_quit = true;
	a->confirm_read = a->key_read;
	a->quit_reason = why;
	a->dirty |= DIRTY_MAIN;
}

static void quit_answer(struct app *a, enum action act)
{
	/* Enter sent with the question, or inside a paste: no answer yet. */
	if (act == ACT_SELECT && !app_key_deliberate(a, a->confirm_read))
		return;
	a->confirm_quit = false;
	a->quit = act == ACT_SELECT;
	a->dirty |= DIRTY_ALL;
}

static void on_action(struct app *a, enum action act)
{
	unsigned d;

	if (act != ACT_NONE && act != ACT_REPORT)
		a->last_act = act;

	if (a->confirm_quit) {
		quit_answer(a, act);
		return;
	}
	if (a->help) {
		int n = a->help_log ? a->nlog : 2 * ACT_COUNT;
		switch (act) {
		case ACT_HELP: case ACT_MESSAGES:
			/* The other overlay's key switches to it. */
			if ((act == ACT_MESSAGES) != a->help_log) {
				a->help_log = act == ACT_MESSAGES;
				a->help_top = 0;
				a->dirty |= DIRTY_MAIN;
				return;
			}
			/* fall through */
		case ACT_BACK: case ACT_QUIT:
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
	case ACT_MESSAGES:
		a->help = true;
		a->help_log = act == ACT_MESSAGES;
		a->help_top = 0;
		a->dirty |= DIRTY_MAIN;
		break;
	case ACT_QUIT:
		quit_or_ask(a);
		break;
	case ACT_NEXT_PANE:
	case ACT_PREV_PANE: {
		int i = 0;
		while (i < npanes && panes[i] != a->pane)
			i++;
		for (int k = 0; k < npanes; k++) {
			i = (i + (act == ACT_NEXT_PANE ? 1 : npanes - 1)) % npanes;
			if (app_pane_visible(a, panes[i]))
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
		remember_look(a);
		break;
	case ACT_LANGUAGE:
		i18n_set(i18n_lang() == TB_LANG_TH ? TB_LANG_EN : TB_LANG_TH);
		app_message(a, false, "%s", _("Language: English"));
		a->dirty |= DIRTY_ALL;
		remember_look(a);
		break;
	case ACT_REDRAW:
		a->dirty |= DIRTY_ALL | DIRTY_CLEAR;
		break;
	case ACT_COPY:
		if (a->logged_in && !a->locked && app_ask_right(a, RIGHT_COPIES, NULL))
			app_copy_open(a);
		break;
	case ACT_ACTING_FOR:
		if (a->logged_in && !a->locked)
			lookup_acting_toggle(a);
		break;
	case ACT_OTHER_PARTY:
		if (a->logged_in && !a->locked && !lookup_other(a))
			app_message(a, true, "%s", _("Acting for someone: there is no other citizen yet"));
		break;
	case ACT_READ_AGAIN:
		/* Panes that show something to read again took F5 above. */
		app_message(a, false, "%s", _("Nothing on this pane to read again"));
		break;
	case ACT_REPORT: {
		tb_err err = { 0 };
		if (app_report(a, NULL, &err))
			app_error(a, NULL, &err);
		else
			app_message(a, false, _("Support report written: %s"), a->report_path);
		break;
	}
	default:
		for (int i = 0; i < npanes; i++) {
			const struct pane_ops *p = panes[i];
			if (p->open_act != act || act == ACT_NONE)
				continue;
			/* A pane not held is asked for afresh: granted meanwhile,
			 * it opens; refused, the refusal is recorded and says who
			 * can grant it. */
			if (p->right && a->logged_in && !a->locked && !app_pane_visible(a, p) &&
			    !app_ask_right(a, (enum right)(p->right - 1), NULL))
				continue;
			app_show(a, p);
		}
		break;
	}
}

void app_cursor_here(struct app *a, WINDOW *w)
{
	a->cursor = true;
	getyx(w, a->cursor_y, a->cursor_x);
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

	/* Keys read together (one wake-up) count as one read: a question
	 * is not answered by a key that came with the one that asked it. */
	a->key_read++;
	while ((r = get_wch(&ch)) != ERR) {
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			a->dirty |= DIRTY_ALL | DIRTY_LAYOUT;
			continue;
		}
		a->last_input = time(NULL);
		if (app_paste_key(a, r, ch))
			continue;
		/* A refusal's box goes with the next key, which does nothing else. */
		if (a->refusal || a->lost.id) {
			a->refusal = false;
			a->lost = (tb_err){ 0 };
			a->dirty |= DIRTY_ALL;
			continue;
		}
		/* Alt and a letter (the terminal sends Esc and the letter at
		 * once): the letter's action even where a field takes letters,
		 * so i, h, n, b and the rest reach every screen.  Letters only:
		 * an Esc read together with the digits typed after it (keys
		 * bunched by a slow link) still clears the field. */
		if (r == OK && ch == 27 && !a->pasting && !app_copy_shown(a)) {
			wint_t next;
			int r2 = get_wch(&next);
			if (r2 == OK && ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z'))) {
				on_action(a, actions_for_key((int)next, 0));
				if (a->quit)
					return;
				continue;
			}
			if (r2 == KEY_CODE_YES)
				ungetch((int)next);
			else if (r2 == OK)
				unget_wch((wchar_t)next);
		}
		/* The copy's dialog takes every key while it is up. */
		if (!a->help && !a->too_small && !a->confirm_quit && app_copy_shown(a)) {
			a->dirty |= app_copy_input(a, r == KEY_CODE_YES, ch);
			continue;
		}
		/* Text fields take their keys first (letters are shortcuts
		 * elsewhere); the help overlay, a too small screen and the quit
		 * question do not pass keys to the pane. */
		if (!a->help && !a->too_small && !a->confirm_quit && a->pane->input) {
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
	app_readers_wipe(a);
	app_windows_free(a);
}

/* The database and the terminal's branch (its settings, its users' audit
 * rows: one the database must know). */
static int app_db_connect(struct app *a, tb_err *err)
{
	const char *path = config_get(&a->cfg, "database");
	const char *branch = config_get(&a->cfg, "branch");
	const char *idle = getenv("TABIEN_IDLE_SECONDS");
	int init;

	a->db = db_open(path && *path ? path : NULL, 0, err);
	init = a->db ? settings_initialised(a->db, err) : -1;
	if (init > 0 && branch && *branch && settings_terminal_branch(a->db, branch, err)) {
		a->db_branch_err = true;
		db_close(&a->db);
		return -1;
	}
	if (init <= 0 || settings_branch_get(a->db, &a->branch, err)) {
		db_close(&a->db);
		return -1;
	}
	/* A shorter lock for this terminal alone (a kiosk, the tests); the
	 * branch's setting otherwise. */
	if (idle && atoi(idle) > 0)
		a->branch.idle_timeout_s = atoi(idle);
	return 0;
}

bool app_db_ready(struct app *a, tb_err *err)
{
	if (a->db)
		return true;
	if (app_db_connect(a, err) == 0) {
		a->dirty |= DIRTY_ALL;
		return true;
	}
	return false;
}

/* Before the screen is taken, so that a terminal nobody has set up says
 * what to do in plain text.  A server that is down (or went away while
 * it was read) is not the terminal's fault: the login screen says so and
 * what still works, and a login asks the server again (app_db_ready). */
static int app_open_db(struct app *a)
{
	const char *branch = config_get(&a->cfg, "branch");
	tb_err err = { 0 };

	if (users_init(&err)) {
		cmd_error(stderr, "tabien: ", &err);
		return -1;
	}
	if (app_db_connect(a, &err) == 0)
		return 0;
	if (app_db_lost(&err)) {
		a->db_err = err;
		return 0;
	}
	cmd_error(stderr, "tabien: ", &err);
	if (a->db_branch_err)
		fprintf(stderr, "        branch = %s; file / ไฟล์: %s\n", branch, a->cfg.path);
	return -1;
}

/* The registry gateway's settings: known keys (not "unknown settings"), and
 * a secret in a file others may read is refused now, not at the first
 * lookup. */
static void gateway_settings_check(struct app *a)
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
	/* The copy's settings (read again at each copy), so they count as known. */
	{
		struct copy_config cc;
		tb_err cerr = { 0 };
		if (copy_config_from(&cc, &a->cfg, &cerr))
			app_error(a, NULL, &cerr);
	}
}

/* Every bad line of the config file, in F9's list; the list is newest
 * first, so they go in from the file's end to read top down. */
static void app_config_problems(struct app *a)
{
	int n = a->cfg.nproblems < CONFIG_MAX_PROBLEMS ? a->cfg.nproblems : CONFIG_MAX_PROBLEMS;
	int done[CONFIG_MAX_PROBLEMS] = { 0 };

	for (int k = 0; k < n; k++) {
		int pick = -1;
		for (int i = 0; i < n; i++)
			if (!done[i] && (pick < 0 || a->cfg.problems[i].line >= a->cfg.problems[pick].line))
				pick = i;
		done[pick] = 1;
		tb_err e = { 0 };
		config_problem_err(&a->cfg, pick, &e);
		app_error(a, NULL, &e);
	}
}

void app_config_check(struct app *a)
{
	gateway_settings_check(a);
	if (a->cfg.warn.id)
		app_error(a, NULL, &a->cfg.warn);
	if (a->cfg_err.id)
		app_error(a, NULL, &a->cfg_err);
	config_check_unknown(&a->cfg);
	app_config_problems(a);
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
	/* Bad lines are kept in a->cfg.problems and each reported below;
	 * cfg_err is for the file itself (a folder, unreadable). */
	if (config_load(&a->cfg, NULL, &a->cfg_err) == 0 || a->cfg.nproblems)
		a->cfg_err = (tb_err){ 0 };
	setting = config_get(&a->cfg, "language");
	if (setting && strcmp(setting, "th") && strcmp(setting, "en"))
		config_bad_value(&a->cfg, config_entry_of(&a->cfg, "language"), "th or en");
	i18n_init(setting);
	actions_init(&a->cfg, NULL);
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
	sigaction(SIGTSTP, &sa, NULL);

	/* Frames in Unicode's line-drawing letters: the locale is UTF-8 (checked
	 * above), and terminals in UTF-8 mode (tmux, many emulators) ignore the
	 * SO/SI switch that terminfo's vt100 entry draws lines with, which then
	 * shows as "lqqqk".  An officer's own setting is kept. */
	setenv("NCURSES_NO_UTF8_ACS", "1", 0);
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
	app_paste_start();
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	a->nthemes = theme_list(a->themes, APP_MAX_THEMES);
	setting = config_get(&a->cfg, "theme");
	if (theme_load(&a->theme, setting ? setting : "default", &err) && (setting || a->nthemes)) {
		if (setting && err.field && strcmp(err.field, "theme file") == 0)
			config_bad_value(&a->cfg, config_entry_of(&a->cfg, "theme"), "no such theme");
		else
			app_error(a, NULL, &err);
	}
	theme_apply(&a->theme);
	app_config_check(a);
	pane_login_mode(a, LOGIN_SIGN_IN);
	if (!a->db) {
		app_error(a, NULL, &a->db_err);
		pane_login_failure(&a->db_err);
	}
	a->dirty = DIRTY_ALL | DIRTY_LAYOUT;

	while (!a->quit && !sig_quit) {
		struct pollfd p[3 + APP_MAX_WAIT_FDS] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = sig_pipe[0], .events = POLLIN },
			{ .fd = a->mon ? card_monitor_fd(a->mon) : -1, .events = POLLIN },
		};
		struct card_event ev;
		int timeout = -1, np = 3;

		if (a->dirty) {
			app_draw(a);
			/* Forms show the terminal's cursor; nothing else does. */
			bool want = a->cursor && !a->help && !a->too_small && !a->confirm_quit;
			if (want != cursor_on) {
				cursor_on = want;
				curs_set(cursor_on);
			}
		}
		/* Wake for the idle lock, and for a paste whose end is lost. */
		app_idle_timeout(a, &timeout);
		app_paste_timeout(a, &timeout);
		for (int i = 0; i < npanes; i++)
			if (panes[i]->fds)
				np += panes[i]->fds(a, p + np, (int)(sizeof p / sizeof p[0]) - np,
						    &timeout);
		np += app_copy_fds(a, p + np, (int)(sizeof p / sizeof p[0]) - np);
		if (poll(p, (nfds_t)np, timeout) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < npanes; i++)
			if (panes[i]->io)
				a->dirty |= panes[i]->io(a);
		/* A resize arrives as KEY_RESIZE from ncurses' own handler, after
		 * poll was interrupted: read keys in either case. */
		if (sig_stop) {
			char drain[16];
			sig_stop = 0;
			while (read(sig_pipe[0], drain, sizeof drain) > 0)
				;
			app_suspend(a);
		}
		on_keys(a);
		app_paste_tick(a);
		while (a->mon && card_monitor_next(a->mon, &ev) == 1) {
			app_card_event(a, &ev);
			card_event_clear(&ev);
		}
		app_idle_tick(a);
		/* After the card's events and the lock: a copy of wiped data stops. */
		app_copy_io(a);
	}
	endwin();
	app_paste_mode(false);
	app_copy_end(a);
	/* q ends the session; a hang-up or a kill leaves it open, so the next
	 * login here resumes where the user was. */
	if (a->quit && a->logged_in)
		app_logout(a, SESSION_END_QUIT);
	else
		app_session_save(a);
	app_free(a);
	db_close(&a->db);
	explicit_bzero(a, sizeof *a);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	/* A hang-up or a kill is not a quit: say so, as shells do. */
	return sig_quit ? 128 + sig_quit : 0;
}
