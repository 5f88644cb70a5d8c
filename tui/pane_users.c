/* The users pane (admins): the queue of registrations waiting for approval
 * first, then everyone else, each with their role and branch.  Each action
 * asks for confirmation and is written to the audit trail by the users
 * service; a user's rights and role open over the list
 * (pane_users_rights.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "services/base/format.h"
#include "services/accounts/users.h"
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/pane.h"
#include "tui/pane_users.h"
#include "tui/scroll.h"
#include "tui/text.h"

#define MAX_USERS 256

static struct user list[MAX_USERS];
static int nlist, sel;
static enum action pending = ACT_NONE;   /* the action waiting for "yes" */
static unsigned pending_read;            /* the read that asked (app_key_deliberate) */
static bool answer_refused;              /* an Enter came with the question */
static char temp_password[32];           /* shown once after a reset */
static enum user_role viewer_role;       /* the admin's own, as read last */

/* arg: the viewer.  An agency admin sees every branch's accounts, anyone
 * else their own branch's (the only ones they may act on). */
static int collect(const struct user *u, void *arg)
{
	const struct user *viewer = arg;

	if (viewer->role != USER_AGENCY_ADMIN && strcmp(u->branch, viewer->branch) != 0)
		return 0;
	if (nlist < MAX_USERS)
		list[nlist++] = *u;
	return 0;
}

/* Pending first (the admin's queue), then by status, oldest first. */
static void users_reload(struct app *a)
{
	static const int order[] = { USER_PENDING, USER_ACTIVE, USER_SUSPENDED, USER_REJECTED };
	tb_err err = { 0 };
	char selected[sizeof list[0].username] = "";
	struct user viewer;

	/* The selection stays on the same person when the list re-sorts. */
	if (sel < nlist)
		memcpy(selected, list[sel].username, sizeof selected);
	explicit_bzero(list, sizeof list);
	nlist = 0;
	/* The viewer read afresh: a role lowered at another terminal narrows
	 * the list at the next reading. */
	if (users_get(a->db, a->user.username, &viewer, &err)) {
		app_error(a, NULL, &err);
		return;
	}
	viewer_role = viewer.role;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (users_list(a->db, order[i], collect, &viewer, &err)) {
			app_error(a, NULL, &err);
			break;
		}
	explicit_bzero(&viewer, sizeof viewer);
	for (int i = 0; selected[0] && i < nlist; i++)
		if (strcmp(list[i].username, selected) == 0)
			sel = i;
	if (sel >= nlist)
		sel = nlist > 0 ? nlist - 1 : 0;
}

static void users_open(struct app *a)
{
	users_rights_close();
	pending = ACT_NONE;
	users_reload(a);
}

static void users_close(struct app *a)
{
	users_rights_close();
	explicit_bzero(list, sizeof list);
	explicit_bzero(temp_password, sizeof temp_password);
	nlist = 0;
	pending = ACT_NONE;
}

static const char *status_text(enum user_status s)
{
	switch (s) {
	case USER_PENDING: return _("waiting for approval");
	case USER_ACTIVE: return _("active");
	case USER_SUSPENDED: return _("suspended");
	case USER_REJECTED: return _("rejected");
	}
	return "?";
}

/* The question before an action, as a verb put before the person. */
static const char *action_question(enum action act)
{
	switch (act) {
	case ACT_APPROVE: return _("Approve the account of");
	case ACT_REJECT: return _("Reject the registration of");
	case ACT_SUSPEND: return _("Suspend the account of");
	case ACT_REINSTATE: return _("Reinstate the account of");
	case ACT_MAKE_ADMIN: return _("Give admin rights to");
	case ACT_REMOVE_ADMIN: return _("Take admin rights from");
	case ACT_RESET_PASSWORD: return _("Reset the password of");
	default: return NULL;
	}
}

/* The list's columns in the language shown, measured over what is listed:
 * the full name takes what the status, role and branch leave it. */
struct columns {
	int user, name, status, role, branch;
};

static int widest(int w, const char *s)
{
	int n = text_width(s);
	return n > w ? n : w;
}

static struct columns columns_measure(int width)
{
	struct columns c = { 0 };
	int room = width - 4 - 4;    /* the margins, four gaps */

	for (int i = 0; i < nlist; i++) {
		c.user = widest(c.user, list[i].username);
		c.status = widest(c.status, status_text(list[i].status));
		c.role = widest(c.role, users_role_text(list[i].role));
		c.branch = widest(c.branch, list[i].branch);
	}
	c.user = c.user > 16 ? 16 : c.user;
	c.branch = c.branch > 10 ? 10 : c.branch;
	c.name = room - c.user - c.status - c.role - c.branch;
	/* Too narrow: the status gives way first (cut with "…"), then names. */
	if (c.name < 12) {
		c.status -= 12 - c.name;
		c.status = c.status < 6 ? 6 : c.status;
		c.name = room - c.user - c.status - c.role - c.branch;
	}
	c.name = c.name < 4 ? 4 : c.name;
	return c;
}

/* Moving a user to another branch is the agency admins': the role as the
 * list last read it (lowered elsewhere, the key goes at the next reading). */
static bool users_key_shown(const struct app *a, enum action act)
{
	(void)a;
	return act != ACT_MOVE_BRANCH || viewer_role == USER_AGENCY_ADMIN;
}

static void users_draw(struct app *a, WINDOW *w)
{
	int rows = getmaxy(w) - 6, first = sel >= rows ? sel - rows + 1 : 0, y = 1;
	struct columns c = columns_measure(getmaxx(w));
	char line[1024];

	if (users_rights_shown()) {
		users_rights_draw(a, w);
		return;
	}
	text_draw(w, y++, 1, getmaxx(w) - 2, _("Accounts — waiting for approval first"),
		  theme_attr(ROLE_TITLE), theme_pair(ROLE_TITLE));
	if (nlist == 0)
		text_draw(w, y, 3, getmaxx(w) - 4, _("none"), theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	for (int i = first; i < nlist && y < rows + 2; i++, y++) {
		const struct user *u = &list[i];
		enum theme_role role = u->status == USER_PENDING ? ROLE_WARNING
				     : u->status == USER_ACTIVE ? ROLE_VALUE : ROLE_MUTED;
		attr_t at = theme_attr(role);
		short pair = theme_pair(role);
		int x = 3;

		/* The selection is a marker: moving it costs two cells. */
		if (i == sel)
			text_draw(w, y, 1, 1, "›", theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
		text_draw(w, y, x, c.user, u->username, at, pair);
		text_draw(w, y, x += c.user + 1, c.name, u->full_name, at, pair);
		text_draw(w, y, x += c.name + 1, c.status, status_text(u->status), at, pair);
		text_draw(w, y, x += c.status + 1, c.role, users_role_text(u->role), at, pair);
		text_draw(w, y, x += c.role + 1, c.branch, u->branch, at, pair);
	}
	if (nlist > 0) {
		const struct user *u = &list[sel];
		char cid[32], when[64];
		format_cid(u->cid, cid, sizeof cid);
		format_stamp(u->created, i18n_lang(), when, sizeof when);
		/* The ID needs no label: its grouping says what it is, and the
		 * line keeps room for the whole registration time at 80 columns. */
		snprintf(line, sizeof line, "%s · %s · %s %s", u->position, cid, _("registered"), when);
		text_draw(w, getmaxy(w) - 4, 3, getmaxx(w) - 4, line, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	}
	if (pending != ACT_NONE && nlist > 0) {
		snprintf(line, sizeof line, "%s %s (%s)?", action_question(pending), list[sel].full_name,
			 list[sel].username);
		text_draw(w, getmaxy(w) - 3, 3, getmaxx(w) - 4, line, theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
		text_draw(w, getmaxy(w) - 2, 3, getmaxx(w) - 4,
			  answer_refused ? _("An Enter sent with the question is no answer: press Enter again · Esc: no")
					 : _("Enter: yes · Esc: no"),
			  theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
	} else if (temp_password[0]) {
		snprintf(line, sizeof line, _("Temporary password (shown once; the user must change it): %s"),
			 temp_password);
		text_draw(w, getmaxy(w) - 3, 3, getmaxx(w) - 4, line, theme_attr(ROLE_OK), theme_pair(ROLE_OK));
	} else {
		char bkey[32];

		actions_keys(ACT_MOVE_BRANCH, bkey, sizeof bkey);
		bkey[strcspn(bkey, " ")] = '\0';
		snprintf(line, sizeof line, "%s",
			 _("a: approve · x: reject · u: suspend · e: reinstate · v: rights · O: role"));
		if (bkey[0] && users_key_shown(a, ACT_MOVE_BRANCH))
			snprintf(line + strlen(line), sizeof line - strlen(line), " · %s: %s", bkey, _("branch"));
		text_draw(w, getmaxy(w) - 2, 3, getmaxx(w) - 4, line, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	}
}

static void users_do(struct app *a, enum action act)
{
	static const struct { enum action act; enum users_action ua; } map[] = {
		{ ACT_APPROVE, USERS_APPROVE }, { ACT_REJECT, USERS_REJECT },
		{ ACT_SUSPEND, USERS_SUSPEND }, { ACT_REINSTATE, USERS_REINSTATE },
		{ ACT_MAKE_ADMIN, USERS_MAKE_ADMIN }, { ACT_REMOVE_ADMIN, USERS_REMOVE_ADMIN },
	};
	const char *target = list[sel].username;
	tb_err err = { 0 };
	int rc = -1;

	if (act == ACT_RESET_PASSWORD) {
		rc = users_reset_password(a->db, a->user.username, target, NULL, temp_password,
					  sizeof temp_password, &err);
	} else {
		for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
			if (map[i].act == act)
				rc = users_admin(a->db, a->user.username, map[i].ua, target, &err);
	}
	if (rc)
		app_refused(a, target, -1, &err);
	else
		app_message(a, false, _("Done: %s"), target);
	users_reload(a);
}

static unsigned users_key(struct app *a, enum action act)
{
	unsigned d;

	if (users_rights_shown()) {
		d = users_rights_key(a, act);
		/* Back from a change: the list shows the role as it is now. */
		if (d && !users_rights_shown())
			users_reload(a);
		return d;
	}
	/* Moving the selection drops a question about another user. */
	if (act == ACT_UP || act == ACT_DOWN || act == ACT_TOP || act == ACT_BOTTOM)
		pending = ACT_NONE;
	switch (act) {
	case ACT_READ_AGAIN:
		users_reload(a);
		app_message(a, false, "%s", _("The list was read again"));
		return DIRTY_MAIN | DIRTY_STATUS;
	case ACT_UP: case ACT_DOWN: case ACT_TOP: case ACT_BOTTOM:
		scroll_pick(&sel, nlist, act);
		break;
	case ACT_SELECT:
		if (pending == ACT_NONE)
			return 0;
		/* An Enter sent with the key that asked (a paste into a
		 * terminal without paste marks) is no answer. */
		if (!app_key_deliberate(a, pending_read)) {
			answer_refused = true;
			app_message(a, true, "%s", _("Not done yet"));
			return DIRTY_MAIN | DIRTY_STATUS;
		}
		users_do(a, pending);
		pending = ACT_NONE;
		return DIRTY_MAIN | DIRTY_STATUS;
	case ACT_RIGHTS:
	case ACT_ROLE:
	case ACT_MOVE_BRANCH:
		if (nlist == 0)
			return 0;
		pending = ACT_NONE;
		explicit_bzero(temp_password, sizeof temp_password);
		if (act == ACT_RIGHTS)
			users_rights_open(a, list[sel].username);
		else if (act == ACT_ROLE)
			users_role_open(a, list[sel].username);
		else
			users_branch_open(a, list[sel].username, viewer_role == USER_AGENCY_ADMIN);
		return DIRTY_ALL;
	case ACT_BACK:
		if (pending == ACT_NONE && !temp_password[0])
			return 0;
		pending = ACT_NONE;
		explicit_bzero(temp_password, sizeof temp_password);
		break;
	default:
		if (!action_question(act) || nlist == 0)
			return 0;
		explicit_bzero(temp_password, sizeof temp_password);
		pending = act;
		pending_read = a->key_read;
		answer_refused = false;
		break;
	}
	return DIRTY_MAIN;
}

const struct pane_ops pane_users = {
	.keys = (const enum action[]){ ACT_APPROVE, ACT_REJECT, ACT_SUSPEND, ACT_REINSTATE, ACT_MAKE_ADMIN, ACT_REMOVE_ADMIN, ACT_RESET_PASSWORD, ACT_RIGHTS, ACT_ROLE, ACT_MOVE_BRANCH, ACT_RIGHT_DEFAULT, ACT_UP, ACT_DOWN, ACT_TOP, ACT_BOTTOM, ACT_NONE },
	.key_shown = users_key_shown,
	.help_extra = (const char *const[]){ "Space", N_("Rights: give or take the selected right (as Enter)"), NULL },
	.id = "users",
	.title = N_("Users"),
	.open_act = ACT_PANE_USERS,
	.open = users_open,
	.draw = users_draw,
	.key = users_key,
	.close = users_close,
	.input = users_rights_input,
	.right = PANE_RIGHT(RIGHT_USERS),
};
