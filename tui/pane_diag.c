/* The diagnostics pane: what branch support asks for when something fails —
 * the card service, the readers, the last read's figures, the terminal,
 * versions, the last errors — and the support report that writes the same to
 * a file.  Nothing personal: no ID, name or photo ever appears here. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <jpeglib.h>
#include <sodium.h>
#include <sqlite3.h>
#include <winscard.h>

#include "services/base/format.h"
#include "services/base/privfile.h"
#include "services/base/util.h"
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/pane.h"
#include "tui/text.h"

#define XSTR(x) STR(x)
#define STR(x) #x

/* One fact: an untranslated label and its value. */
typedef void (*fact_fn)(void *ud, const char *label, const char *value);

static void diag_facts(struct app *a, fact_fn fact, void *ud)
{
	char v[1024];
	const char *term = getenv("TERM");

	if (a->service == 1)
		snprintf(v, sizeof v, "%s", _("running"));
	else if (a->service == 0)
		snprintf(v, sizeof v, "%s (%s)", _("not running"), err_code(a->service_err.id));
	else
		snprintf(v, sizeof v, "%s", _("not known yet"));
	fact(ud, N_("Card service"), v);

	if (a->nreaders == 0)
		fact(ud, N_("Readers"), _("none"));
	for (int i = 0; i < a->nreaders; i++) {
		const struct reader_state *r = &a->readers[i];
		snprintf(v, sizeof v, "%s%s — %s", r->name, i == a->active ? " *" : "",
			 r->present ? _("card") : _("empty"));
		fact(ud, i == 0 ? N_("Readers") : "", v);
		if (r->present && r->atr[0]) {
			snprintf(v, sizeof v, "  ATR %s", r->atr);
			fact(ud, "", v);
		}
	}
	for (int i = 0; i < a->nreaders; i++) {
		const struct reader_state *r = &a->readers[i];
		if (!r->have_stats)
			continue;
		snprintf(v, sizeof v, _("%u card exchanges, %zu bytes%s"), r->stats.exchanges,
			 r->stats.bytes_sent + r->stats.bytes_received,
			 r->stats.photo_len_fallback ? _("; photo length field unusable") : "");
		fact(ud, N_("Last read"), v);
		snprintf(v, sizeof v, _("name and ID after %.0f ms, all after %.0f ms"), r->stats.ms_text,
			 r->stats.ms_total);
		fact(ud, "", v);
	}
	if (!stdscr)
		snprintf(v, sizeof v, "%s, %s", term ? term : "?", _("no screen (the command line)"));
	else
		snprintf(v, sizeof v, "%s, %dx%d, %s", term ? term : "?", COLS, LINES,
			 has_colors() ? (COLORS >= 256 ? _("256 colours") : _("8 colours"))
				      : _("no colours"));
	fact(ud, N_("Terminal"), v);
	snprintf(v, sizeof v, "tabien %s · %s · SQLite %s", PACKAGE_VERSION, curses_version(),
		 sqlite3_libversion());
	fact(ud, N_("Versions"), v);
	snprintf(v, sizeof v, "pcsc-lite %s · libjpeg-turbo %s · cJSON %s · libsodium %s",
		 PCSCLITE_VERSION_NUMBER, XSTR(LIBJPEG_TURBO_VERSION), cJSON_Version(),
		 sodium_version_string());
	fact(ud, "", v);
	snprintf(v, sizeof v, _("theme %s · %s · idle lock %d s"), a->theme.name,
		 i18n_lang() == TB_LANG_TH ? "ภาษาไทย" : "English", a->branch.idle_timeout_s);
	fact(ud, N_("Settings"), v);
	snprintf(v, sizeof v, "%s%s", a->cfg.path, a->cfg.n || a->cfg_err.id ? "" : _(" (none)"));
	fact(ud, "", v);
	fact(ud, "", a->db ? db_path(a->db) : "");
}

struct draw_ctx {
	WINDOW *w;
	int y;
	int label_cols;
};

static void draw_fact(void *ud, const char *label, const char *value)
{
	struct draw_ctx *c = ud;

	if (c->y >= getmaxy(c->w) - 4)
		return;
	if (label[0])
		text_draw(c->w, c->y, 1, c->label_cols, _(label), theme_attr(ROLE_LABEL), theme_pair(ROLE_LABEL));
	text_draw(c->w, c->y, c->label_cols + 2, getmaxx(c->w) - c->label_cols - 3, value,
		  theme_attr(ROLE_VALUE), theme_pair(ROLE_VALUE));
	c->y++;
}

static void diag_draw(struct app *a, WINDOW *w)
{
	static const char *labels[] = { N_("Card service"), N_("Readers"), N_("Last read"),
					N_("Terminal"), N_("Versions"), N_("Settings") };
	struct draw_ctx c = { .w = w, .y = 1 };
	char keys[32], line[1024];
	int rows;

	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (text_width(_(labels[i])) > c.label_cols)
			c.label_cols = text_width(_(labels[i]));
	diag_facts(a, draw_fact, &c);

	c.y++;
	actions_keys(ACT_REPORT, keys, sizeof keys);
	snprintf(line, sizeof line, _("Last errors, newest first (%s: write a support report)"), keys);
	text_draw(w, c.y++, 1, getmaxx(w) - 2, line, theme_attr(ROLE_TITLE), theme_pair(ROLE_TITLE));
	if (a->nerrors == 0) {
		text_draw(w, c.y, 3, getmaxx(w) - 4, _("none"), theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		return;
	}
	/* Two lines an error: what, then what to do.  The selection is a
	 * marker in the first column, so moving it redraws two cells. */
	rows = (getmaxy(w) - c.y) / 2;
	if (a->diag_sel >= a->nerrors)
		a->diag_sel = a->nerrors - 1;
	for (int i = 0, first = a->diag_sel >= rows ? a->diag_sel - rows + 1 : 0;
	     i < rows && first + i < a->nerrors; i++) {
		const struct app_error *e = &a->errors[first + i];
		char when[16], text[512], msg[512], hint[512];

		format_clock(e->when, "%H:%M:%S", when, sizeof when);
		err_format(&e->err, i18n_lang(), text, sizeof text);
		err_text(&e->err, i18n_lang(), msg, sizeof msg);
		err_hint_text(&e->err, i18n_lang(), hint, sizeof hint);
		/* The code and detail only (a detail may hold ": " itself). */
		{
			const char *m = strstr(text, msg);
			if (m && m - text >= 2)
				text[m - text - 2] = '\0';
		}
		snprintf(line, sizeof line, "%s %s%s%s: %.400s", when, text, e->reader[0] ? " · " : "",
			 e->reader, msg);
		if (first + i == a->diag_sel)
			text_draw(w, c.y, 1, 1, "›", theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
		text_draw(w, c.y++, 3, getmaxx(w) - 4, line, theme_attr(ROLE_ERROR), theme_pair(ROLE_ERROR));
		text_draw(w, c.y++, 12, getmaxx(w) - 13, hint,
			  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	}
}

static unsigned diag_key(struct app *a, enum action act)
{
	int sel = a->diag_sel;

	switch (act) {
	case ACT_UP: sel--; break;
	case ACT_DOWN: sel++; break;
	case ACT_TOP: sel = 0; break;
	case ACT_BOTTOM: sel = a->nerrors - 1; break;
	default: return 0;
	}
	if (sel < 0)
		sel = 0;
	if (sel >= a->nerrors)
		sel = a->nerrors > 0 ? a->nerrors - 1 : 0;
	if (sel == a->diag_sel)
		return 0; /* nothing moved: nothing to draw, nothing to send */
	a->diag_sel = sel;
	return DIRTY_MAIN;
}

/* --- the support report ------------------------------------------------------- */

static void report_fact(void *ud, const char *label, const char *value)
{
	fprintf(ud, "%-14s %s\n", label[0] ? label : "", value);
}

/* $XDG_STATE_HOME/tabien (default ~/.local/state/tabien), made 0700. */
int app_state_dir(char *out, size_t size)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		snprintf(out, size, "%s/tabien", xdg);
	else
		snprintf(out, size, "%s/.local/state/tabien", home && *home ? home : ".");
	for (char *p = out + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(out, 0700) && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(out, 0700) && errno != EEXIST ? -1 : 0;
}

int app_report(struct app *a, const char *out, tb_err *err)
{
	char dir[sizeof a->report_path - 40], stamp[32];
	time_t now = time(NULL);
	enum tb_lang lang = i18n_lang();
	struct privfile *pf;
	FILE *f;

	if (out) {
		if ((size_t)snprintf(a->report_path, sizeof a->report_path, "%s", out) >=
		    sizeof a->report_path)
			return err_set(err, TB_E_FILE, ENAMETOOLONG, "support report");
	} else {
		if (app_state_dir(dir, sizeof dir))
			return err_set(err, TB_E_FILE, errno, "support report folder");
		format_clock(now, "%Y%m%d-%H%M%S", stamp, sizeof stamp);
		if ((size_t)snprintf(a->report_path, sizeof a->report_path, "%s/support-%s.txt", dir,
				     stamp) >= sizeof a->report_path)
			return err_set(err, TB_E_FILE, ENAMETOOLONG, "support report");
	}
	pf = privfile_begin(a->report_path, err);
	if (!pf) {
		err->field = "support report";
		return -1;
	}
	f = privfile_stream(pf);
	/* Support reads English; the errors also carry their Thai text, as
	 * the officer saw them. */
	i18n_set(TB_LANG_EN);
	format_clock(now, "%Y-%m-%d %H:%M:%S %z", stamp, sizeof stamp);
	fprintf(f, "tabien support report, %s\n", stamp);
	/* What branch support asks for first (domain.md): agency, user, the
	 * system and menu used, the error, the connection. */
	fprintf(f, "%-14s %s\n", "Agency", a->branch.agency);
	fprintf(f, "%-14s %s (%s)\n", "Branch", a->branch.name, a->branch.code);
	fprintf(f, "%-14s %s\n", "User", a->logged_in ? a->user.username : "(not logged in)");
	fprintf(f, "%-14s %s\n", "Pane", a->pane ? a->pane->id : "(the command line: tabien support-report)");
	fprintf(f, "%-14s %s\n", "Last action", action_name(a->last_act));
	{
		const char *t = config_get(&a->cfg, "linkage.transport"), *u = config_get(&a->cfg, "gdx.url");
		const char *p = config_get(&a->cfg, "http.proxy");
		fprintf(f, "%-14s %s, %s%s%s\n", "Connection", t ? t : "gdx", u ? u : "gateway not set up",
			p && *p ? ", proxy " : "", p && *p ? p : "");
	}
	fprintf(f, "%-14s DGA contact centre 02-612-6060, contact@dga.or.th\n", "Contact");
	diag_facts(a, report_fact, f);
	fprintf(f, "\nLast errors, newest first:\n");
	for (int i = 0; i < a->nerrors; i++) {
		char en[512], th[768], when[16];
		format_clock(a->errors[i].when, "%H:%M:%S", when, sizeof when);
		err_format(&a->errors[i].err, TB_LANG_EN, en, sizeof en);
		err_format(&a->errors[i].err, TB_LANG_TH, th, sizeof th);
		fprintf(f, "%s %s%s%s\n         %s\n", when, a->errors[i].reader[0] ? a->errors[i].reader : "",
			a->errors[i].reader[0] ? ": " : "", en, th);
	}
	if (a->nerrors == 0)
		fprintf(f, "none\n");
	i18n_set(lang);
	if (privfile_commit(&pf, err)) {
		err->field = "support report";
		return -1;
	}
	return 0;
}

const struct pane_ops pane_diag = {
	.keys = (const enum action[]){ ACT_UP, ACT_DOWN, ACT_TOP, ACT_BOTTOM, ACT_NONE },
	.id = "diagnostics",
	.title = N_("Diagnostics"),
	.open_act = ACT_PANE_DIAG,
	.draw = diag_draw,
	.key = diag_key,
};
