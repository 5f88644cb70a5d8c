/* Shared by the files of the full-screen program's loop, and included by
 * them only: app.c (set-up, keys, the loop), app_draw.c (the tab line, the
 * status bar, the help overlay), app_card.c (readers and card events),
 * app_session.c (who is logged in, the idle lock, the session saved),
 * app_paste.c (bracketed paste), app_copy.c (the `c` key's copy). */
#ifndef TABIEN_APP_PRIVATE_H
#define TABIEN_APP_PRIVATE_H

#include <poll.h>
#include <stdbool.h>
#include <wchar.h>

#include "services/card/card_monitor.h"
#include "tui/app.h"

struct pane_ops;

/* app.c */
/* The login pane while nobody is logged in (or the screen is locked); the
 * others after, the admin's only for admins. */
bool app_pane_visible(const struct app *a, const struct pane_ops *p);

/* app_draw.c */
/* Redraws the dirty windows, then one doupdate(). */
void app_draw(struct app *a);
/* Deletes the tab line's, the pane's and the status bar's windows. */
void app_windows_free(struct app *a);

/* app_card.c */
/* A card monitor's event: the readers' state, the record, the lookups. */
void app_card_event(struct app *a, struct card_event *ev);
/* F5: the card in the reader shown read again, or why there is nothing
 * to read (in the status bar). */
void app_card_reread(struct app *a);
/* Wipes every reader's record and photo. */
void app_readers_wipe(struct app *a);

/* app_session.c */
/* False (and logged out, the reason shown) when an admin has suspended the
 * account since the login. */
bool app_account_active(struct app *a);
/* The audit row of a card read, good or failed. */
void app_audit_card(struct app *a, const struct card_event *ev);
/* Where the user was, for a session resumed after a hang-up. */
void app_session_save(struct app *a);
/* Lowers *timeout_ms to the moment the idle lock is due. */
void app_idle_timeout(const struct app *a, int *timeout_ms);
/* After every wake-up: the idle lock when it is due, else the session kept
 * alive (and the account checked) once a minute. */
void app_idle_tick(struct app *a);

/* app_paste.c */
/* After initscr: the paste marks as keys, and the terminal asked to send
 * them when its description offers the mode. */
void app_paste_start(void);
/* The terminal's paste mode on or off (at exit, suspend and resume);
 * writes with write(2) only. */
void app_paste_mode(bool on);
/* A key from get_wch: true when the paste took it (a mark, or text inside a
 * paste, which is never read as keys). */
bool app_paste_key(struct app *a, int r, wint_t ch);
/* A paste whose end mark does not come ends on its own: when to wake, and
 * the check after every wake-up. */
void app_paste_timeout(const struct app *a, int *timeout_ms);
void app_paste_tick(struct app *a);

/* app_copy.c */
/* The `c` key: the dialog over the pane (nothing to copy: said, no dialog). */
void app_copy_open(struct app *a);
/* The dialog is up / its purpose field has the keys (a paste goes there). */
bool app_copy_shown(const struct app *a);
bool app_copy_field(const struct app *a);
/* Keys while the dialog is up (all of them: DIRTY_* flags, 0 when not up). */
unsigned app_copy_input(struct app *a, bool is_fkey, wint_t ch);
/* Over the pane, after it. */
void app_copy_draw(struct app *a);
/* tabien-copy's answer: the descriptor to wait on, then read after every
 * wake-up (the result in the status bar); the dialog goes at a lock. */
int app_copy_fds(struct app *a, struct pollfd *p, int max);
void app_copy_io(struct app *a);
/* At exit: the dialog closed, a copy on its way waited for. */
void app_copy_end(struct app *a);

#endif
