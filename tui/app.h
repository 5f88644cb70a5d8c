/* The full-screen program's state and its one event loop.  Panes draw from
 * this state; only the loop changes it (from keys and card events). */
#ifndef TABIEN_APP_H
#define TABIEN_APP_H

#include <curses.h>
#include <stdbool.h>
#include <time.h>

#include "services/card/card_monitor.h"
#include "services/accounts/rights.h"
#include "services/accounts/session.h"
#include "services/accounts/settings.h"
#include "storage/db.h"
#include "storage/users_db.h"
#include "services/base/configfile.h"
#include "services/base/errors.h"
#include "tui/actions.h"
#include "tui/theme.h"

#define APP_MAX_READERS 8
#define APP_MAX_ERRORS 16
#define APP_MAX_THEMES 16
#define APP_MIN_COLS 80
#define APP_MIN_LINES 24
#define APP_MAX_WAIT_FDS 32       /* sockets of background lookups */
#define APP_LOG_MAX 48            /* status-line messages kept for L */
#define APP_KEYBAR_LINES 26       /* from this many lines, a key bar above the status bar */

struct photo;
struct lookups;
struct gdx;

/* One reader and what is in it.  rec and photo are personal data: wiped the
 * moment the card leaves the reader. */
struct reader_state {
	char name[128];
	bool present;
	bool reading;
	unsigned done, total;           /* photo bytes read so far */
	char atr[72];
	struct card_record *rec;
	time_t read_at;                 /* when rec was read (the copy's source line) */
	struct photo *photo;
	tb_err err;                     /* why the last read failed */
	bool refused;                   /* not read: no card right (app_card_ask) */
	struct card_read_stats stats;   /* the last read's figures */
	bool have_stats;
};

/* A status-line message as it was said, in full (the line may cut it). */
struct app_note {
	time_t when;
	bool error;
	char text[1024];
};

struct app_error {
	time_t when;
	tb_err err;
	char reader[128];
};

/* What changed and must be drawn again. */
enum {
	DIRTY_TABS = 1u << 0,
	DIRTY_MAIN = 1u << 1,
	DIRTY_STATUS = 1u << 2,
	DIRTY_ALL = DIRTY_TABS | DIRTY_MAIN | DIRTY_STATUS,
	DIRTY_LAYOUT = 1u << 3,   /* windows must be made again (resize) */
	DIRTY_CLEAR = 1u << 4,    /* repaint the whole terminal (^L) */
};

struct pane_ops;

struct app {
	struct config cfg;
	tb_err cfg_err;
	char login[64];                 /* the system login at this terminal */
	struct theme theme;
	char themes[APP_MAX_THEMES][64];
	int nthemes;

	/* Who is using the terminal.  Nothing but the login pane works
	 * without an approved account; the idle lock wipes the card data. */
	struct db *db;                  /* NULL: the server was down at start-up (db_err) */
	tb_err db_err;
	bool db_branch_err;             /* the config's branch is not the database's */
	struct branch_settings branch;
	struct user user;
	bool rights[RIGHT_COUNT];       /* as read at login and at each ask (app_may) */
	/* The last refusal, in a box over the pane until the next key: a
	 * right (refused_err RIGHT-REFUSED) or another of the rights' refusals. */
	bool refusal;
	enum right refused;
	tb_err refused_err;
	char refused_by[RIGHTS_GRANTERS_MAX];
	/* An action refused because the database server is lost, in a box
	 * over the pane in both languages until the next key (id 0: none). */
	tb_err lost;
	enum action last_act;           /* for the support report */
	struct session sess;
	bool logged_in;
	bool locked;
	int purpose;                    /* index into branch.purposes */
	time_t last_input;
	time_t last_touch;

	struct lookups *lookups;        /* registry lookups (tui/lookup.h) */
	struct gdx *gdx;                /* the one GDX client, made at the first use (tui/app_gdx.c) */

	struct card_monitor *mon;
	int service;                    /* -1 not known yet, 0 down, 1 up */
	tb_err service_err;
	struct reader_state readers[APP_MAX_READERS];
	int nreaders;
	int active;                     /* index of the reader shown, or -1 */

	struct app_error errors[APP_MAX_ERRORS]; /* newest at [0] */
	int nerrors;
	char message[1024];             /* the status bar's last message */
	bool message_is_error;
	struct app_note log[APP_LOG_MAX]; /* newest first; wiped at log-out and lock */
	int nlog;

	const struct pane_ops *pane;
	const struct pane_ops *before_lock; /* where an unlock goes back to */
	bool help;
	bool help_log;                  /* the overlay shows the messages, not the keys */
	int help_top;
	int diag_sel;                   /* selected error in diagnostics */
	char report_path[1024];

	WINDOW *tabw, *mainw, *statusw, *keyw;
	bool cursor;                    /* a pane drew a text field: show the cursor there */
	int cursor_y, cursor_x;         /* where, in the pane's window (app_cursor_here) */
	bool too_small;
	unsigned dirty;
	bool quit;

	/* Answers a paste cannot give.  key_read counts the reads of the
	 * terminal (one per wake-up); pasting is set between the terminal's
	 * paste marks (app_paste.c).  The quit question waits for a key of its
	 * own. */
	unsigned key_read;
	bool pasting;
	bool confirm_quit;
	unsigned confirm_read;
	const char *quit_reason;
};

/* Runs the full-screen program; returns the exit status. */
int app_run(void);

/* F5: the card in the reader shown read again, or why there is nothing
 * to read (in the status bar). */
void app_card_reread(struct app *a);

/* For panes: say something in the status bar (a translated string). */
void app_message(struct app *a, bool is_error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The message log gone (it may name what was looked up): log-out, lock. */
void app_log_wipe(struct app *a);
/* Remember an error for the diagnostics pane and show it in the status bar. */
void app_error(struct app *a, const char *reader, const tb_err *e);
/* Only remember it (for the diagnostics pane and the support report): a
 * pane that shows the error in place, as the registry panes do. */
void app_error_keep(struct app *a, const char *reader, const tb_err *e);
/* The reader shown, or NULL. */
struct reader_state *app_reader(struct app *a);
/* The folder for files the program writes for people (support reports,
 * audit exports): $XDG_STATE_HOME/tabien, made 0700. */
int app_state_dir(char *out, size_t size);
/* After the language, the keys and the theme have read theirs: the
 * gateway's settings read, and into the errors the file's own problem, a
 * folder others may write, unknown settings and every bad line. */
void app_config_check(struct app *a);
/* Writes the support report; returns 0 and its path in a->report_path.
 * out: that file (through privfile), else support-STAMP.txt in the state
 * folder.  The command line's report (tui/cmd_support.c) fills an app of
 * its own: no screen, no pane, nobody logged in. */
int app_report(struct app *a, const char *out, tb_err *err);

/* The database's server is lost or down (PG-LOST, PG-DOWN): the action was
 * refused and nothing of it written; the next one connects again. */
bool app_db_lost(const tb_err *e);
/* The database for the login pane: true when open; a server that was down
 * at start-up is asked again here (the branch then read), else false with
 * why in err. */
bool app_db_ready(struct app *a, tb_err *err);
/* After a successful login (or unlock by the same user). */
void app_logged_in(struct app *a, const struct user *u);
/* The logged-in user's rights: app_rights_load reads them all (at login),
 * app_may says what was read (for drawing tabs and keys), app_ask_right
 * asks afresh before an action (a grant or revocation made meanwhile at
 * another terminal counts): true when held; else the refusal is audited and
 * the status bar says what was refused and who can grant it. */
void app_rights_load(struct app *a);
bool app_may(const struct app *a, enum right r);
bool app_ask_right(struct app *a, enum right r, const char *subject);
/* A change the logged-in user tried on `target` refused (role: the role
 * given, or -1): the catalogue's error in the status bar and, when it is
 * one of the rights' refusals (a right they lack, another branch's user, a
 * role above their own), the same box as app_ask_right's with who can
 * grant it or do it. */
void app_refused(struct app *a, const char *target, int role, const tb_err *e);
/* What a right lets its holder use, translated ("the audit trail"). */
const char *app_right_label(enum right r);
/* Ends the session (reason: SESSION_END_*) and goes back to the login pane. */
void app_logout(struct app *a, const char *reason);
/* The program's one GDX client, shared by the registry panes and the
 * companies pane (one token, one connection pool): made at the first call
 * (libcurl loads then), NULL with err when gdx.* is not set up.  Users that
 * keep it hold it (gdx_hold).  Dropped, token wiped, at log-out and lock. */
struct gdx *app_gdx(struct app *a, tb_err *err);
void app_gdx_drop(struct app *a);
/* Starts the card monitor (for registration: the officer's own card, no
 * photo; after an unlock: leaving a card already there unread) or stops it,
 * wiping every record.  While someone is logged in, a card inserted is read
 * only once they are found to hold the card right (CARD_EV_HELD); else
 * nothing of it is read and the refusal is on record, once per card. */
void app_cards(struct app *a, bool on, bool photo, bool leave_present);
/* The purpose lookups are made for, or "" when the branch has none. */
const char *app_purpose(const struct app *a);
/* Lowers *timeout_ms (-1: none yet) to ms. */
void app_timeout(int *timeout_ms, int ms);
/* A confirmation's answer: true for a key read after the one that opened the
 * question (opened: a->key_read then) and not inside a paste, so that
 * neither a paste nor keys sent with the question can answer it. */
bool app_key_deliberate(const struct app *a, unsigned opened);
/* For panes drawing a text field: the terminal's cursor goes where w's is
 * now (call it right after form_draw), whatever the pane draws after. */
void app_cursor_here(struct app *a, WINDOW *w);
/* Switches to a pane (by its ops), saving the session's state. */
void app_show(struct app *a, const struct pane_ops *p);

#endif
