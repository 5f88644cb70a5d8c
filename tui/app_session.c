/* Who is using the terminal: the login and the log-out, the idle lock (the
 * card monitor stopped, which wipes every record), the session saved on each
 * pane switch and resumed after a hang-up, the account checked against the
 * database (an admin may suspend it meanwhile), and an audit row for every
 * card read. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "services/accounts/audit.h"
#include "services/accounts/session.h"
#include "services/accounts/settings.h"
#include "services/accounts/users.h"
#include "services/base/configfile.h"
#include "services/base/util.h"
#include "tui/app_private.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/pane.h"
#include "tui/theme.h"
/* The account as the database has it now: an admin may have suspended it
 * since the login, or moved it to another branch.  Logs out (with the
 * reason shown) when it is no longer active, or no longer of this
 * terminal's branch. */
bool app_account_active(struct app *a)
{
	struct user now = { .status = USER_PENDING };
	char here[USER_BRANCH_MAX + 1];
	tb_err err = { 0 };
	enum tb_err_id why;

	if (users_get(a->db, a->user.username, &now, &err) == 0 && now.status == USER_ACTIVE) {
		/* A storage error here is no reason to end the session. */
		if (now.role == USER_AGENCY_ADMIN || users_terminal_branch(a->db, here, &err) ||
		    strcmp(here, now.branch) == 0)
			return true;
		why = TB_E_AUTH_OTHER_BRANCH;
	} else if (app_db_lost(&err)) {
		/* A server that cannot be asked says nothing of the account: the
		 * session stays, and what needs the server is refused on its own. */
		return true;
	} else {
		why = now.status == USER_SUSPENDED ? TB_E_AUTH_SUSPENDED : TB_E_AUTH_STATE;
	}
	explicit_bzero(&now, sizeof now);
	app_logout(a, SESSION_END_LOGOUT);
	err_set(&err, why, 0, NULL);
	app_error(a, NULL, &err);
	return false;
}

/* Every card read, good or failed, leaves an audit row: who, whose card
 * (its ID is the only personal reference kept), why, and how it went. */
void app_audit_card(struct app *a, const struct card_event *ev)
{
	const char *result = "OK";
	struct audit_entry e;
	tb_err err = { 0 };
	char acting[64] = "";

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
	/* Acting for someone: whom the card makes grantor or grantee. */
	if (ev->rec)
		lookup_acting_ref(a, ev->rec->cid, acting, sizeof acting);
	e.acting = acting;
	if (audit_append(a->db, &e, &err))
		app_error(a, NULL, &err);
}

/* The terminal's own theme and language (config file, else the locale):
 * what the login screen shows, and what a user without settings gets. */
static void app_terminal_defaults(struct app *a)
{
	const char *theme = config_get(&a->cfg, "theme");

	/* A bad theme or language was reported, with its line, at start-up. */
	i18n_init(config_get(&a->cfg, "language"));
	if (theme_load(&a->theme, theme ? theme : "default", NULL))
		theme_builtin(&a->theme);
	theme_apply(&a->theme);
	a->dirty |= DIRTY_ALL;
}

void app_session_save(struct app *a)
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

static const struct pane_ops *pane_by_id(const char *id)
{
	for (int i = 0; i < npanes; i++)
		if (strcmp(panes[i]->id, id) == 0)
			return panes[i];
	return NULL;
}

static void audit_simple(struct app *a, const char *action, const char *subject)
{
	struct audit_entry e = { .username = a->user.username, .action = action, .service = "",
				 .subject = subject, .purpose = "", .result = "OK" };
	tb_err err = { 0 };

	if (audit_append(a->db, &e, &err))
		app_error(a, NULL, &err);
}

const char *app_right_label(enum right r)
{
	static const char *const labels[RIGHT_COUNT] = {
		[RIGHT_CARD] = N_("ID cards and the card pane"),
		[RIGHT_REGISTRY] = N_("the person pane (the registry record)"),
		[RIGHT_HOUSEHOLD] = N_("the household pane"),
		[RIGHT_NAMES] = N_("the names pane"),
		[RIGHT_COMPANIES] = N_("the companies pane"),
		[RIGHT_COPIES] = N_("digital copies"),
		[RIGHT_AUDIT] = N_("the audit trail"),
		[RIGHT_USERS] = N_("the users pane"),
		[RIGHT_SETTINGS] = N_("the branch's settings"),
	};
	return (unsigned)r < RIGHT_COUNT ? _(labels[r]) : "?";
}

void app_rights_load(struct app *a)
{
	tb_err err = { 0 };

	for (int r = 0; r < RIGHT_COUNT; r++) {
		int held = a->logged_in ? rights_has(a->db, &a->user, (enum right)r, &err) : 0;
		a->rights[r] = held > 0;
	}
}

bool app_may(const struct app *a, enum right r)
{
	return a->logged_in && !a->locked && (unsigned)r < RIGHT_COUNT && a->rights[r];
}

/* The refusal's box and the status bar's line: what was refused (a right
 * by its name in e->field), and whom to ask. */
static void refusal_box(struct app *a, const tb_err *e, const char *names)
{
	int r = e->id == TB_E_RIGHT_REFUSED ? rights_parse(e->field) : -1;
	const char *who = names[0] ? names : r >= 0 ? _("your branch's admin") : _("an agency admin");

	if (r >= 0)
		app_message(a, true, _("No right to %s (refused and recorded): ask %s to grant it"),
			    rights_name((enum right)r), who);
	else
		app_message(a, true, _("%s (refused and recorded): ask %s"), err_code(e->id), who);
	a->refusal = true;
	a->refused = r >= 0 ? (enum right)r : RIGHT_COUNT;
	a->refused_err = *e;
	str_copy(a->refused_by, sizeof a->refused_by, who);
	a->dirty |= DIRTY_MAIN;
}

bool app_ask_right(struct app *a, enum right r, const char *subject)
{
	char granters[RIGHTS_GRANTERS_MAX];
	tb_err err = { 0 };
	bool held;

	if (!a->logged_in || a->locked)
		return false;
	held = rights_check(a->db, a->user.username, r, subject, NULL, granters, &err) == 0;
	/* The server lost: refused as PG-LOST, but the card pane stays as
	 * it was at the last answer (a card's own data needs no server). */
	if (!held && app_db_lost(&err)) {
		app_error(a, NULL, &err);
		return r == RIGHT_CARD && a->rights[r];
	}
	if (held != a->rights[r])
		a->dirty |= DIRTY_TABS | DIRTY_MAIN;
	a->rights[r] = held;
	if (held)
		return true;
	app_error(a, NULL, &err);
	if (err.id == TB_E_RIGHT_REFUSED)
		refusal_box(a, &err, granters);
	return false;
}

void app_refused(struct app *a, const char *target, int role, const tb_err *e)
{
	char names[RIGHTS_GRANTERS_MAX];
	tb_err ignored;

	app_error(a, NULL, e);
	if (e->id != TB_E_RIGHT_REFUSED && e->id != TB_E_RIGHT_BRANCH && e->id != TB_E_ROLE_ABOVE_OWN &&
	    e->id != TB_E_AUTH_NOT_ADMIN)
		return;
	if (rights_who_can(a->db, a->user.username, target, role, e, names, &ignored))
		names[0] = '\0';
	refusal_box(a, e, names);
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
	/* Rights change between sessions (and during a lock): read again;
	 * a pane no longer held gives way to the first one that is. */
	app_rights_load(a);
	for (int i = 0; i < npanes && !app_pane_visible(a, p); i++)
		p = panes[i];
	app_show(a, p);
	app_message(a, false, "%s", a->sess.resumed && !same ? _("Welcome back: your last session was resumed")
		    : _("Logged in"));
	a->dirty |= DIRTY_ALL;
}

void app_logout(struct app *a, const char *reason)
{
	tb_err err = { 0 };

	app_cards(a, false, false, false);
	a->refusal = false;
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
	app_log_wipe(a);
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
	a->refusal = false;
	if (a->pane->close)
		a->pane->close(a);
	a->before_lock = a->pane;
	a->pane = &pane_login;
	pane_login_mode(a, LOGIN_UNLOCK);
	app_log_wipe(a);
	app_message(a, false, "%s", _("Locked after a while without use: the card data was cleared"));
}

void app_idle_timeout(const struct app *a, int *timeout_ms)
{
	if (a->logged_in && !a->locked) {
		long left = (long)(a->last_input + a->branch.idle_timeout_s - time(NULL));
		app_timeout(timeout_ms, left > 0 ? (int)(left * 1000) : 0);
	}
}

void app_idle_tick(struct app *a)
{
	time_t now = time(NULL);

	if (!a->logged_in || a->locked)
		return;
	if (now - a->last_input >= a->branch.idle_timeout_s) {
		app_lock(a);
	} else if (now - a->last_touch >= 60) {
		tb_err terr = { 0 };
		a->last_touch = now;
		if (app_account_active(a) && session_touch(a->db, a->sess.id, &terr)) {
			/* Nothing the officer asked for: a lost server goes in
			 * the status bar and F9's list, not in a box. */
			if (app_db_lost(&terr)) {
				char text[512];
				app_error_keep(a, NULL, &terr);
				err_format(&terr, i18n_lang(), text, sizeof text);
				app_message(a, true, "%s", text);
			} else {
				app_error(a, NULL, &terr);
			}
		}
	}
}
