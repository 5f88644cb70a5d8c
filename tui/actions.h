/* Every user action, declared once: id, config name, default keys (in the
 * config file's syntax) and help text.  The same table makes the enum, the
 * keymap, the `key.NAME = ...` settings and the help overlay. */
#ifndef TABIEN_ACTIONS_H
#define TABIEN_ACTIONS_H

#include <stddef.h>

#include "services/configfile.h"
#include "services/errors.h"

#define ACTIONS(X) \
	X(ACT_HELP, "help", "F1 ?", N_("Show or hide the keys")) \
	X(ACT_PANE_CARD, "pane-card", "F2 c", N_("Card: the citizen's ID card")) \
	X(ACT_PANE_DIAG, "pane-diagnostics", "F9 d", N_("Diagnostics: readers, versions, errors")) \
	X(ACT_NEXT_PANE, "next-pane", "Tab", N_("Next pane")) \
	X(ACT_PREV_PANE, "prev-pane", "BTab", N_("Previous pane")) \
	X(ACT_NEXT_READER, "next-reader", "r", N_("Use the next card reader")) \
	X(ACT_READ_AGAIN, "read-again", "F5", N_("Read the card again")) \
	X(ACT_REPORT, "support-report", "F6 s", N_("Write a support report (no personal data)")) \
	X(ACT_THEME, "next-theme", "F7 t", N_("Switch theme")) \
	X(ACT_LANGUAGE, "language", "F8 l", N_("Switch language: Thai / English")) \
	X(ACT_UP, "up", "Up k", N_("Move up")) \
	X(ACT_DOWN, "down", "Down j", N_("Move down")) \
	X(ACT_PAGE_UP, "page-up", "PgUp", N_("Page up")) \
	X(ACT_PAGE_DOWN, "page-down", "PgDn Space", N_("Page down")) \
	X(ACT_TOP, "top", "Home g", N_("Go to the top")) \
	X(ACT_BOTTOM, "bottom", "End G", N_("Go to the bottom")) \
	X(ACT_SELECT, "select", "Enter", N_("Choose")) \
	X(ACT_BACK, "back", "Esc", N_("Back / close")) \
	X(ACT_REDRAW, "redraw", "^L", N_("Redraw the screen")) \
	X(ACT_QUIT, "quit", "F10 q", N_("Quit"))

enum action {
	ACT_NONE = 0,
#define ACTION_ENUM(id, name, keys, help) id,
	ACTIONS(ACTION_ENUM)
#undef ACTION_ENUM
	ACT_COUNT
};

const char *action_name(enum action a);
const char *action_help(enum action a);   /* English; translate with _() */

/* Builds the keymap from the defaults, then `key.NAME = KEYS` settings from c
 * (may be NULL).  A setting that names an unknown action or key is reported
 * in err (TB_E_CONFIG, detail = its line) and skipped; the rest still apply. */
int actions_init(struct config *c, tb_err *err);

/* The action bound to a key (an ncurses key code or a character). */
enum action actions_for_key(int key, int is_function_key);

/* The keys bound to a, as people read them ("F1 ?"). */
void actions_keys(enum action a, char *out, size_t size);

#endif
