/* Every user action, declared once: id, config name, default keys (in the
 * config file's syntax), help text, and whether only admins use it.  The same table makes the enum, the
 * keymap, the `key.NAME = ...` settings and the help overlay. */
#ifndef TABIEN_ACTIONS_H
#define TABIEN_ACTIONS_H

#include <stddef.h>

#include "services/base/configfile.h"
#include "services/base/errors.h"

#define ACTIONS(X) \
	X(ACT_HELP, "help", "F1 ?", N_("Show or hide the keys"), 0) \
	X(ACT_MESSAGES, "messages", "L ^P", N_("Messages: the status line's in full, newest first"), 0) \
	X(ACT_QUIT, "quit", "F10 q", N_("Quit"), 0) \
	X(ACT_PANE_CARD, "pane-card", "F2", N_("Card: the citizen's ID card"), 0) \
	X(ACT_PANE_PERSON, "pane-person", "i", N_("Person: the registry record next to the card"), 0) \
	X(ACT_PANE_HOUSEHOLD, "pane-household", "h", N_("Household: the house and everyone in it"), 0) \
	X(ACT_PANE_NAMES, "pane-names", "n", N_("Names: first-name and surname changes"), 0) \
	X(ACT_PANE_USERS, "pane-users", "F3", N_("Users: approve and manage accounts (admins)"), 1) \
	X(ACT_PANE_AUDIT, "pane-audit", "F4", N_("Audit trail: who looked at what (admins)"), 1) \
	X(ACT_PANE_SETTINGS, "pane-settings", "F11", N_("Settings: yours, and the branch's (admins)"), 0) \
	X(ACT_PANE_DIAG, "pane-diagnostics", "F9 d", N_("Diagnostics: readers, versions, errors"), 0) \
	X(ACT_PANE_JURISTIC, "pane-companies", "b", N_("Companies: a juristic person from DBD by its 13-digit ID"), 0) \
	X(ACT_NEXT_PANE, "next-pane", "Tab", N_("Next pane"), 0) \
	X(ACT_PREV_PANE, "prev-pane", "BTab", N_("Previous pane"), 0) \
	X(ACT_NEXT_READER, "next-reader", "r", N_("Use the next card reader"), 0) \
	X(ACT_READ_AGAIN, "read-again", "F5", N_("Read again what the pane shows: the card, the registry, a company, a list"), 0) \
	X(ACT_REPORT, "support-report", "F6 s", N_("Write a support report (no personal data)"), 0) \
	X(ACT_THEME, "next-theme", "F7 t", N_("Switch theme"), 0) \
	X(ACT_LANGUAGE, "language", "F8 l", N_("Switch language: Thai / English"), 0) \
	X(ACT_PURPOSE, "purpose", "p", N_("Choose the purpose of lookups (written to the audit trail)"), 0) \
	X(ACT_REPEAT_PURPOSE, "repeat-purpose", "^R", N_("Purpose and consent: the last ones chosen again"), 0) \
	X(ACT_ACTING_FOR, "acting-for", "f ^F", N_("Acting for someone (ผู้รับมอบอำนาจ): the grantor, then the grantee; again to end"), 0) \
	X(ACT_OTHER_PARTY, "other-party", "o ^O", N_("Acting for someone: the other citizen"), 0) \
	X(ACT_LOGOUT, "logout", "F12", N_("Log out"), 0) \
	X(ACT_APPROVE, "approve", "a", N_("Users: approve the selected account"), 1) \
	X(ACT_REJECT, "reject", "x", N_("Users: reject the selected registration"), 1) \
	X(ACT_SUSPEND, "suspend", "u", N_("Users: suspend the selected account"), 1) \
	X(ACT_REINSTATE, "reinstate", "e", N_("Users: reinstate the selected account"), 1) \
	X(ACT_MAKE_ADMIN, "make-admin", "m", N_("Users: make the selected user an admin"), 1) \
	X(ACT_REMOVE_ADMIN, "remove-admin", "M", N_("Users: remove admin rights"), 1) \
	X(ACT_RESET_PASSWORD, "reset-password", "w", N_("Users: reset the selected user's password"), 1) \
	X(ACT_RIGHTS, "rights", "v", N_("Users: the selected user's rights, each held or not and why"), 1) \
	X(ACT_ROLE, "role", "O", N_("Users: choose the selected user's role"), 1) \
	X(ACT_RIGHT_DEFAULT, "right-default", "D", N_("Rights: the selected right back to the role's default"), 1) \
	X(ACT_MOVE_BRANCH, "move-branch", "B", N_("Users: move the selected user to another branch (agency admins)"), 1) \
	X(ACT_FILTER, "filter", "/", N_("Audit: filter by user, subject and date"), 1) \
	X(ACT_VERIFY, "verify", "V", N_("Audit: check that no row was changed or removed"), 1) \
	X(ACT_EXPORT, "export", "E", N_("Audit: export the rows shown as CSV"), 1) \
	X(ACT_REFRESH, "refresh", "R", N_("Companies: ask DBD again, even with a saved copy"), 0) \
	X(ACT_COPY, "copy", "c", N_("Make a signed digital copy of what the pane shows"), 0) \
	X(ACT_HISTORY, "history", "H", N_("Companies: the IDs looked up in this session"), 0) \
	X(ACT_UP, "up", "Up k", N_("Move up"), 0) \
	X(ACT_DOWN, "down", "Down j", N_("Move down"), 0) \
	X(ACT_PAGE_UP, "page-up", "PgUp", N_("Page up"), 0) \
	X(ACT_PAGE_DOWN, "page-down", "PgDn Space", N_("Page down"), 0) \
	X(ACT_TOP, "top", "Home g", N_("Go to the top"), 0) \
	X(ACT_BOTTOM, "bottom", "End G", N_("Go to the bottom"), 0) \
	X(ACT_SELECT, "select", "Enter", N_("Choose"), 0) \
	X(ACT_BACK, "back", "Esc", N_("Back / close"), 0) \
	X(ACT_REDRAW, "redraw", "^L", N_("Redraw the screen"), 0)

enum action {
	ACT_NONE = 0,
#define ACTION_ENUM(id, name, keys, help, admin) id,
	ACTIONS(ACTION_ENUM)
#undef ACTION_ENUM
	ACT_COUNT
};

const char *action_name(enum action a);
const char *action_help(enum action a);   /* English; translate with _() */
int action_admin_only(enum action a);

/* Builds the keymap from the defaults, then `key.NAME = KEYS` settings from c
 * (may be NULL).  A setting that names an unknown action or key is reported
 * in err (TB_E_CONFIG, detail = its line) and skipped; the rest still apply. */
int actions_init(struct config *c, tb_err *err);

/* The action bound to a key (an ncurses key code or a character). */
enum action actions_for_key(int key, int is_function_key);

/* The keys bound to a, as people read them ("F1 ?"). */
void actions_keys(enum action a, char *out, size_t size);

#endif
