/* A pane: one .c file implementing these operations. */
#ifndef TABIEN_PANE_H
#define TABIEN_PANE_H

#include <curses.h>
#include <poll.h>

#include "tui/actions.h"

#include <stdbool.h>
#include <wchar.h>

struct card_event;

#define PANE_RIGHT(r) ((int)(r) + 1)

struct app;

struct pane_ops {
	const char *id;            /* stable name, for settings and reports */
	const char *title;         /* English; shown through gettext */
	enum action open_act;      /* the action that brings it up */
	void (*open)(struct app *a);
	/* Draws the whole pane into w (already erased), sized to w. */
	void (*draw)(struct app *a, WINDOW *w);
	/* Handles an action; returns DIRTY_* flags, or 0 when not handled. */
	unsigned (*key)(struct app *a, enum action act);
	void (*close)(struct app *a);
	/* Raw keys before they become actions (text fields take letters that
	 * are shortcuts elsewhere); DIRTY_* flags, or 0 to pass the key on. */
	unsigned (*input)(struct app *a, bool is_fkey, wint_t ch);
	/* Card events the pane wants first (registration takes the officer's
	 * own ID); true when it took the event. */
	bool (*card)(struct app *a, const struct card_event *ev);
	/* Background work (gateway lookups), asked of every pane each turn of
	 * the loop whether shown or not: up to max descriptors to wait on,
	 * and *timeout_ms lowered (app_timeout) when it must run by then.
	 * Returns how many it filled. */
	int (*fds)(struct app *a, struct pollfd *p, int max, int *timeout_ms);
	/* After every wake-up (whatever woke it): moves that work on;
	 * DIRTY_* flags. */
	unsigned (*io)(struct app *a);
	/* True while a text field has the keys: a paste goes there as typed
	 * text (app_paste.c); elsewhere it is dropped. */
	bool (*field)(struct app *a);
	/* What quitting now would lose (a lookup running, an ID typed and not
	 * looked up), a translated sentence, or NULL: quitting then asks. */
	const char *(*unfinished)(struct app *a);
	/* PANE_RIGHT(RIGHT_*): shown to who holds it (rights.h); 0 to anyone
	 * logged in. */
	int right;
	/* F1 shows these and the keys that work everywhere: the pane's own
	 * actions (ending in ACT_NONE), and keys that are not actions (a
	 * form's) as English key, text pairs ending in NULL. */
	const enum action *keys;
	/* Whether one of keys is shown (F1, the key bar) to who is logged in:
	 * a key only some may use is left out for the others; NULL: all. */
	bool (*key_shown)(const struct app *a, enum action act);
	const char *const *help_extra;
	bool logged_out;           /* shown only when nobody is logged in */
};

extern const struct pane_ops pane_login;
extern const struct pane_ops pane_card;
extern const struct pane_ops pane_person;
extern const struct pane_ops pane_household;
extern const struct pane_ops pane_names;
extern const struct pane_ops pane_users;
extern const struct pane_ops pane_audit;
extern const struct pane_ops pane_settings;
extern const struct pane_ops pane_diag;
extern const struct pane_ops pane_juristic;

/* The company the companies pane shows (its data, for a copy), or NULL. */
struct juristic_result;
const struct juristic_result *pane_juristic_shown(const struct app *a);

/* The login pane's modes. */
enum login_mode { LOGIN_SIGN_IN, LOGIN_REGISTER, LOGIN_UNLOCK, LOGIN_CHANGE_PASSWORD };
void pane_login_mode(struct app *a, enum login_mode m);
/* An error the login pane shows in place until the next attempt. */
void pane_login_failure(const tb_err *e);

/* In the order of the tab line. */
extern const struct pane_ops *const panes[];
extern const int npanes;

#endif
