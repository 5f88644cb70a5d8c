/* The settings pane: each user's own (theme, language, the pane shown after
 * login) and, for admins, the branch's (agency, branch name, idle lock,
 * gateway profile, the purposes staff choose from for each lookup). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/accounts/settings.h"
#include "services/base/util.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/i18n.h"
#include "tui/pane.h"
#include "tui/text.h"

enum { F_THEME, F_LANGUAGE, F_PANE, F_AGENCY, F_BRANCH, F_IDLE, F_PROFILE, F_PURPOSES, F_COUNT };

static struct form_field fields[F_COUNT] = {
	[F_THEME] = { .label = N_("Theme"), .max_chars = 64 },
	[F_LANGUAGE] = { .label = N_("Language (th, en, or empty)"), .max_chars = 2 },
	[F_PANE] = { .label = N_("Pane after login"), .max_chars = 32 },
	[F_AGENCY] = { .label = N_("Agency"), .max_chars = 200 },
	[F_BRANCH] = { .label = N_("Branch name"), .max_chars = 200 },
	[F_IDLE] = { .label = N_("Idle lock (seconds)"), .flags = FIELD_DIGITS, .max_chars = 5 },
	[F_PROFILE] = { .label = N_("Gateway profile"), .max_chars = 64 },
	[F_PURPOSES] = { .label = N_("Purposes (separated by |)") },
};
static struct form form = { fields, F_COUNT, 0 };
static char saved[F_COUNT][FORM_VALUE_MAX];   /* the values as opened: a change is unsaved */

static void put(int i, const char *v)
{
	/* Every value put here fits (names are at most 800 bytes). */
	str_copy(fields[i].value, sizeof fields[i].value, v);
	fields[i].cursor = strlen(fields[i].value);
	fields[i].err = (tb_err){ 0 };
}

/* What the choice fields take, for their errors: filled at open. */
static char theme_choices[APP_MAX_THEMES * 66], pane_choices[256];

static void choices_fill(struct app *a)
{
	size_t o = 0;

	theme_choices[0] = pane_choices[0] = '\0';
	for (int i = 0; i < a->nthemes; i++)
		o += (size_t)snprintf(theme_choices + o, sizeof theme_choices - o, "%s%s", i ? ", " : "",
				      a->themes[i]);
	o = 0;
	for (int i = 0; i < npanes; i++)
		if (!panes[i]->logged_out && o < sizeof pane_choices)
			o += (size_t)snprintf(pane_choices + o, sizeof pane_choices - o, "%s%s", o ? ", " : "",
					      panes[i]->id);
	fields[F_THEME].choices = theme_choices;
	fields[F_LANGUAGE].choices = "th, en";
	fields[F_PANE].choices = pane_choices;
}

/* Marks the field an error names (the service's field names) and goes to
 * it; returns -1. */
static int field_error(struct app *a, const tb_err *err)
{
	static const struct { const char *name; int field; } names[] = {
		{ "theme", F_THEME }, { "language", F_LANGUAGE }, { "default_pane", F_PANE },
		{ "agency", F_AGENCY }, { "name", F_BRANCH }, { "idle_timeout", F_IDLE },
		{ "gateway_profile", F_PROFILE }, { "purposes", F_PURPOSES }, { "purpose", F_PURPOSES },
	};
	int f = -1;

	for (size_t i = 0; err->field && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(err->field, names[i].name) == 0)
			f = names[i].field;
	if (f >= 0 && f < form.n) {
		fields[f].err = *err;
		form.focus = f;
	}
	app_error(a, NULL, err);
	return -1;
}

/* A choice field holding something it does not take. */
static bool not_a_choice(const char *value, const char *choices)
{
	size_t n = strlen(value);

	for (const char *c = choices; *c; c += strcspn(c, ","), c += *c ? 2 : 0)
		if (strncmp(c, value, n) == 0 && (c[n] == ',' || c[n] == '\0'))
			return false;
	return true;
}

static int choices_check(struct app *a)
{
	static const int choice[] = { F_THEME, F_LANGUAGE, F_PANE };

	for (size_t i = 0; i < sizeof choice / sizeof choice[0]; i++) {
		struct form_field *fd = &fields[choice[i]];
		/* Empty: the terminal's own (theme, language). */
		if ((fd->value[0] || choice[i] == F_PANE) && not_a_choice(fd->value, fd->choices)) {
			tb_err e = { .id = TB_E_CHOICE };
			e.field = choice[i] == F_THEME ? "theme" : choice[i] == F_LANGUAGE ? "language" : "default_pane";
			return field_error(a, &e);
		}
	}
	return 0;
}

static void settings_open(struct app *a)
{
	struct user_settings us = { 0 };
	tb_err err = { 0 };
	char buf[FORM_VALUE_MAX] = "";
	size_t o = 0;

	choices_fill(a);
	if (settings_user_get(a->db, a->user.id, &us, &err))
		app_error(a, NULL, &err);
	/* Empty: the terminal's own theme. */
	put(F_THEME, us.theme);
	put(F_LANGUAGE, us.language);
	put(F_PANE, us.default_pane[0] ? us.default_pane : "card");
	put(F_AGENCY, a->branch.agency);
	put(F_BRANCH, a->branch.name);
	snprintf(buf, sizeof buf, "%d", a->branch.idle_timeout_s);
	put(F_IDLE, buf);
	put(F_PROFILE, a->branch.gateway_profile);
	buf[0] = '\0';
	/* Whole purposes only: one that would not fit is left out, not cut. */
	for (int i = 0; i < a->branch.npurposes; i++) {
		size_t n = strlen(a->branch.purposes[i]) + (i ? 1 : 0);
		if (o + n >= sizeof buf)
			break;
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "|" : "", a->branch.purposes[i]);
	}
	put(F_PURPOSES, buf);
	for (int i = 0; i < F_COUNT; i++)
		memcpy(saved[i], fields[i].value, sizeof saved[i]);
	/* Only admins change the branch's settings. */
	form.n = app_may(a, RIGHT_SETTINGS) ? F_COUNT : F_AGENCY;
	form.focus = 0;
}

static void settings_save(struct app *a)
{
	struct user_settings us = { 0 };
	struct branch_settings b = a->branch;
	tb_err err = { 0 };
	char *tok, *save = NULL, list[FORM_VALUE_MAX];

	for (int i = 0; i < F_COUNT; i++)
		fields[i].err = (tb_err){ 0 };
	if (choices_check(a))
		return;
	str_copy(us.theme, sizeof us.theme, fields[F_THEME].value);
	str_copy(us.language, sizeof us.language, fields[F_LANGUAGE].value);
	str_copy(us.default_pane, sizeof us.default_pane, fields[F_PANE].value);
	if (settings_user_set(a->db, a->user.id, &us, &err)) {
		field_error(a, &err);
		return;
	}
	if (app_may(a, RIGHT_SETTINGS)) {
		/* 200 characters at most (max_chars): they fit. */
		str_copy(b.agency, sizeof b.agency, fields[F_AGENCY].value);
		str_copy(b.name, sizeof b.name, fields[F_BRANCH].value);
		b.idle_timeout_s = atoi(fields[F_IDLE].value);
		str_copy(b.gateway_profile, sizeof b.gateway_profile, fields[F_PROFILE].value);
		b.npurposes = 0;
		str_copy(list, sizeof list, fields[F_PURPOSES].value);
		for (tok = strtok_r(list, "|", &save); tok && b.npurposes < SETTINGS_PURPOSES_MAX;
		     tok = strtok_r(NULL, "|", &save)) {
			while (*tok == ' ')
				tok++;
			if (!*tok)
				continue;
			/* Too long: refused, never cut and never dropped. */
			if (strlen(tok) >= sizeof b.purposes[0]) {
				err_set(&err, TB_E_AUTH_INVALID, 0, "purposes");
				field_error(a, &err);
				return;
			}
			str_copy(b.purposes[b.npurposes++], sizeof b.purposes[0], tok);
		}
		if (settings_branch_set(a->db, a->user.username, &b, &err)) {
			field_error(a, &err);
			return;
		}
		a->branch = b;
		if (a->purpose >= b.npurposes)
			a->purpose = 0;
	}
	/* What the user chose applies at once. */
	if (us.theme[0] && strcmp(us.theme, a->theme.name) != 0) {
		tb_err terr = { 0 };
		if (theme_load(&a->theme, us.theme, &terr))
			app_error(a, NULL, &terr);
		theme_apply(&a->theme);
	}
	if (us.language[0])
		i18n_set(strcmp(us.language, "th") == 0 ? TB_LANG_TH : TB_LANG_EN);
	for (int i = 0; i < F_COUNT; i++)
		memcpy(saved[i], fields[i].value, sizeof saved[i]);
	app_message(a, false, "%s", _("Settings saved"));
	a->dirty |= DIRTY_ALL;
}

static void settings_draw(struct app *a, WINDOW *w)
{
	int y = 1, cy, cx;

	text_draw(w, y, 1, getmaxx(w) - 2, _("Your settings"), theme_attr(ROLE_TITLE), theme_pair(ROLE_TITLE));
	y += 2;
	form_draw(&form, w, y, 3, 28, getmaxx(w) - 34);
	getyx(w, cy, cx);
	if (form.n > F_AGENCY)
		text_draw(w, y + F_AGENCY, 1, 1, "·", theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	text_draw(w, getmaxy(w) - 3, 3, getmaxx(w) - 4,
		  form.n > F_AGENCY ? _("The fields from Agency down are the branch's, for every user here")
				    : _("Only an admin changes the branch's settings"),
		  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	text_draw(w, getmaxy(w) - 2, 3, getmaxx(w) - 4, _("Enter on the last field: save · Esc: undo changes"),
		  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	wmove(w, cy, cx);
	app_cursor_here(a, w);
}

static unsigned settings_input(struct app *a, bool is_fkey, wint_t ch)
{
	switch (form_key(&form, is_fkey, ch)) {
	case FORM_IGNORED:
		return 0;
	case FORM_CANCEL:
		settings_open(a);
		break;
	case FORM_SUBMIT:
		settings_save(a);
		break;
	case FORM_CHANGED:
		break;
	}
	return DIRTY_MAIN | DIRTY_STATUS;
}

static void settings_close(struct app *a)
{
	form_wipe(&form);
}

static const char *settings_unfinished(struct app *a)
{
	if (a->pane != &pane_settings)
		return NULL;
	for (int i = 0; i < form.n; i++)
		if (strcmp(fields[i].value, saved[i]) != 0)
			return _("A setting is changed but not saved.");
	return NULL;
}

/* The pane is its form. */
static bool settings_field(struct app *a)
{
	(void)a;
	return true;
}

const struct pane_ops pane_settings = {
	.help_extra = (const char *const[]){ "Tab Down", N_("Next field"), "Up", N_("Previous field"), "Enter", N_("Next field; on the last one, save"), "Esc", N_("Undo the changes not saved"), NULL },
	.id = "settings",
	.title = N_("Settings"),
	.open_act = ACT_PANE_SETTINGS,
	.open = settings_open,
	.draw = settings_draw,
	.input = settings_input,
	.field = settings_field,
	.unfinished = settings_unfinished,
	.close = settings_close,
};
