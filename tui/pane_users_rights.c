/* The users pane's rights view: one user's nine rights, each held or not
 * and where from (the role's default, given, taken), given or taken in
 * place; the choice of their role; and of their branch (agency admins).  Every change goes through
 * services/accounts/rights.c, which reads both users afresh, checks the
 * admin's scope and records it; a refusal changes nothing and is shown with
 * its catalogue message and who can do it (app_refused). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "services/accounts/rights.h"
#include "services/accounts/settings.h"
#include "services/accounts/users.h"
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/pane_users.h"
#include "tui/scroll.h"
#include "tui/text.h"

enum view { VIEW_NONE, VIEW_RIGHTS, VIEW_ROLE, VIEW_BRANCH };

#define BRANCHES_MAX 64

static struct {
	enum view view;
	enum view back;              /* where the role's choice returns to */
	struct user u;               /* as read last */
	bool held[RIGHT_COUNT];
	int granted[RIGHT_COUNT];    /* 1 given, 0 taken, -1 the role's default */
	int sel;                     /* the right, the role or the branch */
	int back_sel;                /* the right to return to */
	unsigned asked_read;         /* the read that opened the role's choice */
	bool answer_refused;         /* an Enter came with it */
	struct branch branches[BRANCHES_MAX];   /* the branch's choice, by code */
	int nbranches;
} v;

const char *users_role_text(enum user_role role)
{
	static const char *const labels[USER_ROLE_COUNT] = {
		[USER_OFFICER] = N_("officer"),
		[USER_SUPERVISOR] = N_("supervisor"),
		[USER_BRANCH_ADMIN] = N_("branch admin"),
		[USER_AGENCY_ADMIN] = N_("agency admin"),
	};
	return (unsigned)role < USER_ROLE_COUNT ? _(labels[role]) : "?";
}

/* What each role adds to the one below, for the role's choice. */
static const char *role_adds(enum user_role role)
{
	switch (role) {
	case USER_OFFICER: return _("the card, the registry, companies, copies");
	case USER_SUPERVISOR: return _("and the branch's audit trail");
	case USER_BRANCH_ADMIN: return _("and the branch's users, rights and settings");
	case USER_AGENCY_ADMIN: return _("and every branch");
	default: return "";
	}
}

static int right_row(enum right r, bool held, int granted, void *arg)
{
	(void)arg;
	v.held[r] = held;
	v.granted[r] = granted;
	return 0;
}

/* The user and their rights read again: what the database holds now. */
static bool reload(struct app *a, const char *username)
{
	char name[sizeof v.u.username];
	tb_err err = { 0 };

	snprintf(name, sizeof name, "%s", username);
	explicit_bzero(&v.u, sizeof v.u);
	if (users_get(a->db, name, &v.u, &err) || rights_list(a->db, &v.u, right_row, NULL, &err)) {
		app_error(a, NULL, &err);
		users_rights_close();
		return false;
	}
	return true;
}

bool users_rights_open(struct app *a, const char *username)
{
	if (!reload(a, username))
		return false;
	v.view = VIEW_RIGHTS;
	v.sel = 0;
	return true;
}

bool users_role_open(struct app *a, const char *username)
{
	enum view back = v.view;

	if (!reload(a, username))
		return false;
	v.back = back;
	v.back_sel = v.sel;
	v.view = VIEW_ROLE;
	v.sel = (int)v.u.role;
	v.asked_read = a->key_read;
	v.answer_refused = false;
	return true;
}

static int branch_row(const struct branch *b, void *arg)
{
	(void)arg;
	if (v.nbranches < BRANCHES_MAX)
		v.branches[v.nbranches++] = *b;
	return 0;
}

bool users_branch_open(struct app *a, const char *username, bool agency)
{
	char target[sizeof v.u.username];
	tb_err err = { 0 };

	if (!reload(a, username))
		return false;
	snprintf(target, sizeof target, "%s", v.u.username);
	/* Anyone but an agency admin is refused by rights_move itself (the key
	 * is not shown to them): on record, with who can do it. */
	if (!agency) {
		char here[sizeof v.u.branch];

		snprintf(here, sizeof here, "%s", v.u.branch);
		users_rights_close();
		if (rights_move(a->db, a->user.username, target, here, &err))
			app_refused(a, target, -1, &err);
		return false;
	}
	if (settings_branch_list(a->db, branch_row, NULL, &err)) {
		app_error(a, NULL, &err);
		users_rights_close();
		return false;
	}
	v.view = VIEW_BRANCH;
	v.sel = 0;
	for (int i = 0; i < v.nbranches; i++)
		if (strcmp(v.branches[i].code, v.u.branch) == 0)
			v.sel = i;
	v.asked_read = a->key_read;
	v.answer_refused = false;
	return true;
}

bool users_rights_shown(void)
{
	return v.view != VIEW_NONE;
}

void users_rights_close(void)
{
	explicit_bzero(&v, sizeof v);
}

static const char *from_text(int granted)
{
	return granted < 0 ? _("the role's default") : granted ? _("given") : _("taken");
}

/* Title and the user's line, shared by both views. */
static void draw_head(WINDOW *w, const char *title)
{
	char line[512];

	snprintf(line, sizeof line, "%s %s (%s)", title, v.u.full_name, v.u.username);
	text_draw(w, 1, 1, getmaxx(w) - 2, line, theme_attr(ROLE_TITLE), theme_pair(ROLE_TITLE));
	snprintf(line, sizeof line, "%s · %s %s", users_role_text(v.u.role), _("branch"), v.u.branch);
	text_draw(w, 2, 3, getmaxx(w) - 4, line, theme_attr(ROLE_LABEL), theme_pair(ROLE_LABEL));
}

static void draw_rights(struct app *a, WINDOW *w)
{
	char line[512], dkey[32], okey[32];
	int cols = getmaxx(w), y = 4, name_w = 0, held_w = 0, label_w;

	(void)a;
	draw_head(w, _("Rights of"));
	/* Columns measured in the language shown; the labels take the rest. */
	for (int r = 0; r < RIGHT_COUNT; r++) {
		int n = text_width(rights_name((enum right)r)), h = text_width(_("not held"));
		name_w = n > name_w ? n : name_w;
		held_w = h > held_w ? h : held_w;
	}
	if (text_width(_("held")) > held_w)
		held_w = text_width(_("held"));
	label_w = cols - 4 - name_w - held_w - 3 - 20;
	if (label_w < 8)
		label_w = 8;
	for (int r = 0; r < RIGHT_COUNT && y < getmaxy(w) - 3; r++, y++) {
		enum theme_role role = v.held[r] ? ROLE_VALUE : ROLE_MUTED;
		int x = 3;

		if (r == v.sel)
			text_draw(w, y, 1, 1, "›", theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
		text_draw(w, y, x, name_w, rights_name((enum right)r), theme_attr(role), theme_pair(role));
		x += name_w + 1;
		text_draw(w, y, x, label_w, app_right_label((enum right)r), theme_attr(role), theme_pair(role));
		x += label_w + 1;
		text_draw(w, y, x, held_w, v.held[r] ? _("held") : _("not held"),
			  theme_attr(v.held[r] ? ROLE_OK : ROLE_WARNING), theme_pair(v.held[r] ? ROLE_OK : ROLE_WARNING));
		x += held_w + 1;
		if (x < cols - 1)
			text_draw(w, y, x, cols - 1 - x, from_text(v.granted[r]),
				  theme_attr(v.granted[r] < 0 ? ROLE_MUTED : ROLE_LABEL),
				  theme_pair(v.granted[r] < 0 ? ROLE_MUTED : ROLE_LABEL));
	}
	actions_keys(ACT_RIGHT_DEFAULT, dkey, sizeof dkey);
	actions_keys(ACT_ROLE, okey, sizeof okey);
	dkey[strcspn(dkey, " ")] = okey[strcspn(okey, " ")] = '\0';
	snprintf(line, sizeof line, _("Space / Enter: give or take · %s: the role's default · %s: role · Esc: back"),
		 dkey, okey);
	text_draw(w, getmaxy(w) - 2, 3, cols - 4, line, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
}

static void draw_role(struct app *a, WINDOW *w)
{
	char line[512];
	int y = 4, cols = getmaxx(w), label_w = 0;

	(void)a;
	draw_head(w, _("Role of"));
	for (int r = 0; r < USER_ROLE_COUNT; r++) {
		int n = text_width(users_role_text((enum user_role)r));
		label_w = n > label_w ? n : label_w;
	}
	for (int r = 0; r < USER_ROLE_COUNT; r++, y++) {
		enum theme_role role = r == (int)v.u.role ? ROLE_VALUE : ROLE_NORMAL;

		if (r == v.sel)
			text_draw(w, y, 1, 1, "›", theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
		text_draw(w, y, 3, label_w, users_role_text((enum user_role)r), theme_attr(role), theme_pair(role));
		snprintf(line, sizeof line, "%s%s", role_adds((enum user_role)r),
			 r == (int)v.u.role ? _(" (now)") : "");
		text_draw(w, y, 4 + label_w, cols - 5 - label_w, line, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	}
	text_draw(w, getmaxy(w) - 2, 3, cols - 4,
		  v.answer_refused ? _("An Enter sent with the question is no answer: press Enter again · Esc: no")
				   : _("Enter: give this role · Esc: no"),
		  theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
}

static void draw_branch(WINDOW *w)
{
	int y = 4, cols = getmaxx(w), code_w = 0, first;

	draw_head(w, _("Branch of"));
	for (int i = 0; i < v.nbranches; i++) {
		int n = text_width(v.branches[i].code);
		code_w = n > code_w ? n : code_w;
	}
	/* The chosen one stays in sight on a short screen. */
	first = v.sel - (getmaxy(w) - 7) + 1;
	first = first < 0 ? 0 : first;
	for (int i = first; i < v.nbranches && y < getmaxy(w) - 3; i++, y++) {
		bool now = strcmp(v.branches[i].code, v.u.branch) == 0;
		enum theme_role role = now ? ROLE_VALUE : ROLE_NORMAL;
		char line[sizeof v.branches[i].name + 16];

		if (i == v.sel)
			text_draw(w, y, 1, 1, "›", theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
		text_draw(w, y, 3, code_w, v.branches[i].code, theme_attr(role), theme_pair(role));
		snprintf(line, sizeof line, "%s%s", v.branches[i].name, now ? _(" (now)") : "");
		text_draw(w, y, 4 + code_w, cols - 5 - code_w, line, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	}
	text_draw(w, getmaxy(w) - 2, 3, cols - 4,
		  v.answer_refused ? _("An Enter sent with the question is no answer: press Enter again · Esc: no")
				   : _("Enter: move them to this branch · Esc: no"),
		  theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
}

void users_rights_draw(struct app *a, WINDOW *w)
{
	if (v.view == VIEW_BRANCH)
		draw_branch(w);
	else if (v.view == VIEW_ROLE)
		draw_role(a, w);
	else if (v.view == VIEW_RIGHTS)
		draw_rights(a, w);
}

/* Gives, takes (allow 1, 0) or resets (-1) the selected right. */
static void right_change(struct app *a, int allow)
{
	enum right r = (enum right)v.sel;
	char target[sizeof v.u.username];
	tb_err err = { 0 };
	int rc;

	snprintf(target, sizeof target, "%s", v.u.username);
	if (allow < 0 && v.granted[r] < 0) {
		app_message(a, false, _("%s: already the role's default for %s"), rights_name(r), target);
		return;
	}
	rc = allow < 0 ? rights_reset(a->db, a->user.username, target, r, &err)
		       : rights_grant(a->db, a->user.username, target, r, allow, &err);
	if (!reload(a, target))
		return;
	if (rc)
		app_refused(a, target, -1, &err);
	else if (allow < 0)
		app_message(a, false, _("%s: back to the role's default for %s"), rights_name(r), target);
	else if (allow)
		app_message(a, false, _("%s: given to %s"), rights_name(r), target);
	else
		app_message(a, false, _("%s: taken from %s"), rights_name(r), target);
	/* One's own rights changed: the tabs and keys follow. */
	if (strcmp(target, a->user.username) == 0)
		app_rights_load(a);
}

static void role_change(struct app *a)
{
	char target[sizeof v.u.username];
	enum user_role role = (enum user_role)v.sel;
	enum view back = v.back;
	int rc, back_sel = v.back_sel;
	tb_err err = { 0 };

	snprintf(target, sizeof target, "%s", v.u.username);
	rc = role == v.u.role ? 0 : rights_set_role(a->db, a->user.username, target, role, &err);
	if (back == VIEW_NONE) {
		users_rights_close();
	} else {
		if (!reload(a, target))
			return;
		v.view = back;
		v.sel = back_sel;
	}
	if (rc)
		app_refused(a, target, (int)role, &err);
	else
		app_message(a, false, _("%s is now %s"), target, users_role_text(role));
	if (strcmp(target, a->user.username) == 0)
		app_rights_load(a);
}

/* The role's or branch's choice: an Enter sent with the key that asked (or
 * pasted) is no answer; the choice then says so until one of its own. */
static bool answer_deliberate(struct app *a)
{
	if (app_key_deliberate(a, v.asked_read))
		return true;
	v.answer_refused = true;
	app_message(a, true, "%s", _("Not done yet"));
	return false;
}

static unsigned role_key(struct app *a, enum action act)
{
	switch (act) {
	case ACT_UP: case ACT_DOWN: case ACT_TOP: case ACT_BOTTOM:
		scroll_pick(&v.sel, USER_ROLE_COUNT, act);
		break;
	case ACT_SELECT:
		if (!answer_deliberate(a))
			return DIRTY_MAIN | DIRTY_STATUS;
		role_change(a);
		return DIRTY_ALL;
	case ACT_BACK:
		if (v.back == VIEW_NONE) {
			users_rights_close();
		} else {
			v.view = v.back;
			v.sel = v.back_sel;
		}
		break;
	default:
		return 0;
	}
	return DIRTY_MAIN;
}

static void branch_change(struct app *a)
{
	char target[sizeof v.u.username], to[sizeof v.u.branch];
	bool same;
	tb_err err = { 0 };
	int rc;

	snprintf(target, sizeof target, "%s", v.u.username);
	snprintf(to, sizeof to, "%s", v.branches[v.sel].code);
	same = strcmp(to, v.u.branch) == 0;
	users_rights_close();
	rc = same ? 0 : rights_move(a->db, a->user.username, target, to, &err);
	if (rc)
		app_refused(a, target, -1, &err);
	else
		app_message(a, false, _("%s belongs to branch %s now"), target, to);
}

static unsigned branch_key(struct app *a, enum action act)
{
	switch (act) {
	case ACT_UP: case ACT_DOWN: case ACT_TOP: case ACT_BOTTOM:
		scroll_pick(&v.sel, v.nbranches, act);
		break;
	case ACT_SELECT:
		if (!answer_deliberate(a))
			return DIRTY_MAIN | DIRTY_STATUS;
		if (v.nbranches > 0)
			branch_change(a);
		return DIRTY_ALL;
	case ACT_BACK:
		users_rights_close();
		break;
	default:
		return 0;
	}
	return DIRTY_MAIN;
}

unsigned users_rights_key(struct app *a, enum action act)
{
	if (v.view == VIEW_BRANCH)
		return branch_key(a, act);
	if (v.view == VIEW_ROLE)
		return role_key(a, act);
	if (v.view != VIEW_RIGHTS)
		return 0;
	switch (act) {
	case ACT_UP: case ACT_DOWN: case ACT_TOP: case ACT_BOTTOM:
		scroll_pick(&v.sel, RIGHT_COUNT, act);
		break;
	case ACT_SELECT:
		right_change(a, !v.held[v.sel]);
		return DIRTY_ALL;
	case ACT_RIGHT_DEFAULT:
		right_change(a, -1);
		return DIRTY_ALL;
	case ACT_ROLE:
		if (!users_role_open(a, v.u.username))
			return DIRTY_ALL;
		break;
	case ACT_READ_AGAIN:
		if (reload(a, v.u.username))
			app_message(a, false, "%s", _("The rights were read again"));
		return DIRTY_MAIN | DIRTY_STATUS;
	case ACT_RIGHTS:
	case ACT_BACK:
		users_rights_close();
		break;
	default:
		return 0;
	}
	return DIRTY_MAIN;
}

unsigned users_rights_input(struct app *a, bool is_fkey, wint_t ch)
{
	if (v.view != VIEW_RIGHTS || is_fkey || ch != ' ')
		return 0;
	return users_rights_key(a, ACT_SELECT);
}
