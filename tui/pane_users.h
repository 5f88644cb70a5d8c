/* The users pane's own parts (tui/pane_users*.c only): the rights view, the
 * role's choice and the branch's over the list, in pane_users_rights.c. */
#ifndef TABIEN_PANE_USERS_H
#define TABIEN_PANE_USERS_H

#include <curses.h>
#include <stdbool.h>
#include <wchar.h>

#include "storage/users_db.h"
#include "tui/actions.h"

struct app;

/* A role as the lists show it, translated ("branch admin"). */
const char *users_role_text(enum user_role role);

/* Opens the rights of `username`, or the choice of their role, over the
 * list; false (the error shown) when the user cannot be read. */
bool users_rights_open(struct app *a, const char *username);
bool users_role_open(struct app *a, const char *username);
/* The choice of their branch among the database's, for an agency admin
 * (agency: the viewer's role as last read); anyone else is refused
 * (rights_move's NOT-ADMIN in app_refused's box, on record) and false. */
bool users_branch_open(struct app *a, const char *username, bool agency);

/* True while one is open: the pane then draws and keys them. */
bool users_rights_shown(void);
void users_rights_draw(struct app *a, WINDOW *w);
/* DIRTY_* flags, or 0 for a key it leaves to the pane switcher and the
 * keys that work everywhere. */
unsigned users_rights_key(struct app *a, enum action act);
/* Space gives or takes the selected right (it is Page Down elsewhere). */
unsigned users_rights_input(struct app *a, bool is_fkey, wint_t ch);
/* Closes it and wipes what was read of the user. */
void users_rights_close(void);

#endif
