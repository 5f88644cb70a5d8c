/* The login pane: signing in, registering (pending until an admin of the
 * agency approves), unlocking after the idle lock, and choosing a new
 * password after an admin reset one.  Passwords live only in the form's
 * fields and are wiped the moment they have been checked. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "services/card/card_monitor.h"
#include "services/card/card_record.h"
#include "services/accounts/users.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/i18n.h"
#include "tui/pane.h"
#include "tui/text.h"

static struct form_field sign_in[] = {
	{ .label = N_("User name"), .max_chars = 32 },
	{ .label = N_("Password"), .flags = FIELD_SECRET },
};
static struct form_field reg[] = {
	{ .label = N_("User name"), .max_chars = 32 },
	{ .label = N_("Full name"), .max_chars = 100 },
	{ .label = N_("Citizen ID"), .flags = FIELD_DIGITS | FIELD_CID, .max_chars = 13 },
	{ .label = N_("Position"), .max_chars = 100 },
	{ .label = N_("Password"), .flags = FIELD_SECRET },
	{ .label = N_("Password again"), .flags = FIELD_SECRET },
};
static struct form_field change[] = {
	{ .label = N_("Current password"), .flags = FIELD_SECRET },
	{ .label = N_("New password"), .flags = FIELD_SECRET },
	{ .label = N_("New password again"), .flags = FIELD_SECRET },
};
#define NFIELDS(x) ((int)(sizeof x / sizeof x[0]))

static struct form forms[] = {
	[LOGIN_SIGN_IN] = { sign_in, NFIELDS(sign_in), 0 },
	[LOGIN_REGISTER] = { reg, NFIELDS(reg), 0 },
	[LOGIN_UNLOCK] = { sign_in, NFIELDS(sign_in), 1 },
	[LOGIN_CHANGE_PASSWORD] = { change, NFIELDS(change), 0 },
};

static enum login_mode mode;
static tb_err failure;          /* the last attempt's error, shown in place */
static char failure_more[256];  /* under it: the branches of a login refused */
static char notice[512];        /* a good outcome, e.g. "registered" */

static void wipe_all(void)
{
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		form_wipe(&forms[i]);
}

void pane_login_mode(struct app *a, enum login_mode m)
{
	wipe_all();
	mode = m;
	failure = (tb_err){ 0 };
	failure_more[0] = notice[0] = '\0';
	if (m == LOGIN_UNLOCK) {
		/* The same user unlocks; another may log in, which ends the
		 * locked session. */
		snprintf(sign_in[0].value, sizeof sign_in[0].value, "%s", a->user.username);
		sign_in[0].cursor = strlen(sign_in[0].value);
		forms[m].focus = 1;
	}
	/* Registration may take the ID from the officer's own card, inserted
	 * after the form opened: a card already in the reader is a citizen's
	 * left behind, and is not read (leave_present). */
	app_cards(a, m == LOGIN_REGISTER, false, true);
	a->dirty |= DIRTY_ALL;
}

/* A login refused at another branch's terminal: which two, under it. */
static void other_branch(struct app *a, const char *username)
{
	char here[USER_BRANCH_MAX + 1] = "?";
	struct user u = { .branch = "?" };
	tb_err ignored;

	users_get(a->db, username, &u, &ignored);
	users_terminal_branch(a->db, here, &ignored);
	snprintf(failure_more, sizeof failure_more, _("Your account's branch: %s · this terminal's branch: %s"),
		 u.branch, here);
	explicit_bzero(&u, sizeof u);
}

void pane_login_failure(const tb_err *e)
{
	failure = *e;
	failure_more[0] = '\0';
}

static void sign_in_submit(struct app *a)
{
	struct user u;
	tb_err err = { 0 };
	bool other = a->locked && strcmp(sign_in[0].value, a->user.username) != 0;

	/* A server down at start-up is asked again at each attempt. */
	if (!app_db_ready(a, &err) || users_login(a->db, sign_in[0].value, sign_in[1].value, &u, &err)) {
		failure = err;
		if (err.id == TB_E_AUTH_OTHER_BRANCH)
			other_branch(a, sign_in[0].value);
		explicit_bzero(sign_in[1].value, sizeof sign_in[1].value);
		sign_in[1].cursor = 0;
		return;
	}
	if (other)
		app_logout(a, SESSION_END_IDLE);
	if (u.must_change) {
		/* Keep the name for the change; the password is typed again. */
		a->user = u;
		pane_login_mode(a, LOGIN_CHANGE_PASSWORD);
		return;
	}
	wipe_all();
	app_logged_in(a, &u);
	explicit_bzero(&u, sizeof u);
}

static void register_submit(struct app *a)
{
	struct user_new n = {
		.username = reg[0].value, .full_name = reg[1].value, .cid = reg[2].value,
		.position = reg[3].value, .password = reg[4].value,
	};
	tb_err err = { 0 };

	if (strcmp(reg[4].value, reg[5].value) != 0) {
		failure = (tb_err){ .id = TB_E_AUTH_PASSWORD_MISMATCH };
		return;
	}
	if (!app_db_ready(a, &err)) {
		failure = err;
		return;
	}
	if (users_register(a->db, &n, &err)) {
		static const char *names[] = { "username", "full_name", "cid", "position", "password" };
		failure = err;
		/* Mark the field the error names, and go to it. */
		for (int i = 0; err.field && i < 5; i++)
			if (strcmp(err.field, names[i]) == 0) {
				reg[i].err = err;
				forms[LOGIN_REGISTER].focus = i;
			}
		return;
	}
	pane_login_mode(a, LOGIN_SIGN_IN);
	snprintf(notice, sizeof notice, "%s", _("Registered. Your account waits for your agency's admin to approve it."));
}

static void change_submit(struct app *a)
{
	struct user u;
	tb_err err = { 0 };

	if (strcmp(change[1].value, change[2].value) != 0) {
		failure = (tb_err){ .id = TB_E_AUTH_PASSWORD_MISMATCH };
		return;
	}
	if (users_change_password(a->db, a->user.username, change[0].value, change[1].value, &err) ||
	    users_login(a->db, a->user.username, change[1].value, &u, &err)) {
		failure = err;
		return;
	}
	wipe_all();
	app_logged_in(a, &u);
	explicit_bzero(&u, sizeof u);
}

static unsigned login_input(struct app *a, bool is_fkey, wint_t ch)
{
	struct form *f = &forms[mode];

	if (is_fkey && ch == KEY_F(3) && (mode == LOGIN_SIGN_IN || mode == LOGIN_REGISTER)) {
		pane_login_mode(a, mode == LOGIN_SIGN_IN ? LOGIN_REGISTER : LOGIN_SIGN_IN);
		return DIRTY_ALL;
	}
	switch (form_key(f, is_fkey, ch)) {
	case FORM_IGNORED:
		return 0;
	case FORM_CANCEL:
		if (mode == LOGIN_REGISTER || mode == LOGIN_CHANGE_PASSWORD)
			pane_login_mode(a, LOGIN_SIGN_IN);
		return DIRTY_ALL;
	case FORM_SUBMIT:
		failure = (tb_err){ 0 };
		failure_more[0] = notice[0] = '\0';
		if (mode == LOGIN_REGISTER)
			register_submit(a);
		else if (mode == LOGIN_CHANGE_PASSWORD)
			change_submit(a);
		else
			sign_in_submit(a);
		return DIRTY_ALL;
	case FORM_CHANGED:
		break;
	}
	return DIRTY_MAIN;
}

/* Registration: the officer's own card fills the citizen ID; nothing else
 * of the card is kept, and nothing of it is shown but the ID. */
static bool login_card(struct app *a, const struct card_event *ev)
{
	if (mode != LOGIN_REGISTER)
		return false;
	if (ev->type == CARD_EV_PRESENT && !reg[2].value[0]) {
		snprintf(notice, sizeof notice, "%s",
			 _("A card was already in the reader: it is not read here. To fill in your ID, take it out and insert your own."));
		a->dirty |= DIRTY_MAIN;
	}
	/* Never over what the officer typed. */
	if (ev->type == CARD_EV_DONE && ev->rec && !reg[2].value[0]) {
		snprintf(reg[2].value, sizeof reg[2].value, "%s", ev->rec->cid);
		reg[2].cursor = strlen(reg[2].value);
		snprintf(notice, sizeof notice, "%s", _("Citizen ID taken from your card."));
		a->dirty |= DIRTY_MAIN;
	}
	return true;
}

static void login_draw(struct app *a, WINDOW *w)
{
	static const char *titles[] = {
		[LOGIN_SIGN_IN] = N_("Log in"), [LOGIN_REGISTER] = N_("Register a new account"),
		[LOGIN_UNLOCK] = N_("The screen is locked: log in again"),
		[LOGIN_CHANGE_PASSWORD] = N_("Choose a new password"),
	};
	static const char *hints[] = {
		[LOGIN_SIGN_IN] = N_("Enter: next / log in · F3: register · F10: quit"),
		[LOGIN_REGISTER] = N_("Enter: next / register · insert your own ID card to fill in your ID · Esc: back"),
		[LOGIN_UNLOCK] = N_("Enter: unlock · another user may log in here (the locked session ends)"),
		[LOGIN_CHANGE_PASSWORD] = N_("An admin reset your password: choose your own · Esc: back"),
	};
	struct form *f = &forms[mode];
	int cols = getmaxx(w), x = cols > 70 ? (cols - 70) / 2 : 1, y = 2, label_cols = 0, cy, cx;
	char line[2 * SETTINGS_NAME_BYTES + SETTINGS_CODE_MAX + 16];

	/* Unknown while the server is down. */
	snprintf(line, sizeof line, "%s — %s (%s)", a->branch.agency, a->branch.name, a->branch.code);
	if (a->branch.code[0])
		text_draw(w, y, x, 70, line, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	y++;
	y++;
	text_draw(w, y++, x, 70, _(titles[mode]), theme_attr(ROLE_TITLE), theme_pair(ROLE_TITLE));
	y++;
	for (int i = 0; i < f->n; i++)
		if (text_width(_(f->fields[i].label)) > label_cols)
			label_cols = text_width(_(f->fields[i].label));
	y += form_draw(f, w, y, x, label_cols, 70 - label_cols - 1) + 1;
	getyx(w, cy, cx);
	if (failure.id != TB_OK) {
		/* The code and its detail too: a lock-out says for how many
		 * seconds, a bad field which one. */
		char text[1024];
		err_format(&failure, i18n_lang(), text, sizeof text);
		y += text_draw_wrapped(w, y, x, 70, 4, text, theme_attr(ROLE_ERROR), theme_pair(ROLE_ERROR));
		if (failure_more[0])
			y += text_draw_wrapped(w, y, x, 70, 1, failure_more, theme_attr(ROLE_VALUE),
					       theme_pair(ROLE_VALUE));
		/* No server: said in both languages, as whoever reads it may not
		 * have chosen the terminal's. */
		if (app_db_lost(&failure)) {
			err_format(&failure, i18n_lang() == TB_LANG_TH ? TB_LANG_EN : TB_LANG_TH, text,
				   sizeof text);
			y += text_draw_wrapped(w, y, x, 70, 4, text, theme_attr(ROLE_ERROR),
					       theme_pair(ROLE_ERROR));
		}
	} else if (notice[0]) {
		y += text_draw_wrapped(w, y, x, 70, 2, notice, theme_attr(ROLE_OK), theme_pair(ROLE_OK));
	}
	text_draw_wrapped(w, getmaxy(w) - 3, x, 70, 2, _(hints[mode]), theme_attr(ROLE_MUTED),
			  theme_pair(ROLE_MUTED));
	/* The terminal's cursor rests in the focused field. */
	wmove(w, cy, cx);
	app_cursor_here(a, w);
}

static void login_close(struct app *a)
{
	wipe_all();
}

/* Every mode of the login pane is a form. */
static bool login_field(struct app *a)
{
	(void)a;
	return true;
}

/* Text typed and not sent: a registration, or a password (a user name
 * alone, left by a refused attempt or an unlock, is nothing to lose). */
static const char *login_unfinished(struct app *a)
{
	(void)a;
	if (mode == LOGIN_REGISTER)
		return form_has_text(&forms[mode], -1) ? _("A registration is typed but not sent.") : NULL;
	if (!form_has_text(&forms[mode], mode == LOGIN_CHANGE_PASSWORD ? -1 : 0))
		return NULL;
	return _("A password is typed but not sent.");
}

const struct pane_ops pane_login = {
	.help_extra = (const char *const[]){ "F3", N_("Register a new account, or back to log in"), "Tab Down", N_("Next field"), "Up", N_("Previous field"), "Enter", N_("Next field; on the last one, log in or send"), "Esc", N_("Back to log in"), NULL },
	.id = "login",
	.title = N_("Log in"),
	.open_act = ACT_NONE,
	.draw = login_draw,
	.input = login_input,
	.field = login_field,
	.unfinished = login_unfinished,
	.card = login_card,
	.close = login_close,
	.logged_out = true,
};
