/* The companies pane: a juristic person (นิติบุคคล) from DBD by its 13-digit
 * ID, shown as its certificate reads — names, status, capital, address,
 * objective, directors, signing authority, and shareholders and
 * financial-statement years where the source has them — with how old the
 * copy is, and a clear label when it is an old copy because DBD failed.
 *
 * The lookup never holds the screen: it starts from a key, runs in the
 * background through the loop's fds/io (services/juristic/juristic.h: start, step,
 * finish; the database is touched only here, in the UI thread) and Esc
 * cancels it.  The IDs looked up are kept for the session (H) and wiped at
 * log-out or lock, with the gateway client and the officer's token. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "services/base/format.h"
#include "services/juristic/juristic.h"
#include "services/registry/linkage.h"
#include "services/base/util.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/i18n.h"
#include "tui/pane.h"
#include "tui/pane_juristic.h"
#include "tui/text.h"

#define HISTORY_MAX 32
#define LABEL_COLS_MAX 24

struct hist {
	char id[JR_ID];
	char name[JR_TEXT];
	time_t at;
};

static struct {
	char owner[64];               /* the user the state belongs to */
	/* The client, made at the first lookup (the gdx source rides on the
	 * app's GDX client: app_gdx; either loads libcurl). */
	struct juristic *j;
	/* What the configuration says, read when the pane opens. */
	bool probed;
	enum juristic_source source;
	bool gdx_missing;             /* open because gdx.* is not set up */
	tb_err setup_err;
	/* The lookup running, and what was last shown. */
	struct juristic_op *op;
	char op_id[JR_ID];
	struct juristic_result *r;
	tb_err err;                   /* the last lookup's failure */
	bool id_refused;              /* the ID typed failed its check digit */
	char err_id[JR_ID];
	/* The certificate's lines, made again at every draw. */
	struct jr_lines lines;
	int top, sel, rows;           /* first line shown, the cursor line, lines that fit */
	bool history;
	int hsel;
	int director;                 /* the director whose details are open, or -1 */
	struct hist hist[HISTORY_MAX];
	int nhist;
} S = { .director = -1 };

static struct form_field idf[] = {
	{ .label = N_("Juristic ID"), .flags = FIELD_DIGITS, .max_chars = 13 },
};
static struct form id_form = { idf, 1, 0 };

/* --- state that belongs to one officer --------------------------------------------------- */

static void result_drop(void)
{
	juristic_result_free(&S.r);
	S.err = (tb_err){ 0 };
	S.err_id[0] = '\0';
	S.top = S.sel = 0;
	S.director = -1;
}

static void lookup_finish(struct app *a);

/* At log-out, at the lock, or when another user is at the terminal: what
 * was looked up, the history, the clients and the officer's token go.  A
 * lookup still running is cancelled and audited as such. */
static void jr_wipe(struct app *a)
{
	if (S.op) {
		juristic_cancel(S.op);
		while (!juristic_step(S.op))
			;
		lookup_finish(a);
	}
	result_drop();
	explicit_bzero(S.hist, sizeof S.hist);
	S.nhist = 0;
	S.history = false;
	jr_lines_free(&S.lines);
	juristic_free(&S.j);
	form_wipe(&id_form);
	S.id_refused = false;
	S.owner[0] = '\0';
	S.probed = false;
}

static void jr_guard(struct app *a)
{
	bool in = a->logged_in && !a->locked;

	if (!S.owner[0] && !S.j && !S.r && !S.nhist && !S.op)
		return;
	if (!in || strcmp(S.owner, a->user.username) != 0)
		jr_wipe(a);
}

/* --- the gateway ------------------------------------------------------------------------ */

/* Which source the configuration gives, without making a client. */
static void jr_probe(struct app *a)
{
	struct linkage_config lc;
	struct juristic_config jc;
	tb_err lerr = { 0 }, jerr = { 0 };
	int gdx;

	if (S.probed)
		return;
	S.probed = true;
	S.setup_err = (tb_err){ 0 };
	gdx = linkage_config_from(&lc, &a->cfg, &lerr) == 0;
	linkage_config_wipe(&lc);
	if (!gdx && lerr.id != TB_E_GDX_NOT_SET_UP) {
		S.setup_err = lerr;
		return;
	}
	if (juristic_config_from(&jc, &a->cfg, gdx, &jerr)) {
		S.setup_err = jerr;
		return;
	}
	S.source = jc.source;
	S.gdx_missing = !gdx;
}

static int jr_clients(struct app *a, tb_err *err)
{
	struct linkage_config lc;
	struct juristic_config jc;
	tb_err lerr = { 0 };
	struct gdx *g = NULL;
	int gdx, rc = -1;

	if (S.j)
		return 0;
	gdx = linkage_config_from(&lc, &a->cfg, &lerr) == 0;
	if (!gdx && lerr.id != TB_E_GDX_NOT_SET_UP) {
		*err = lerr;
		goto out;
	}
	if (juristic_config_from(&jc, &a->cfg, gdx, err))
		goto out;
	if (jc.source == JURISTIC_GDX && !(g = app_gdx(a, err)))
		goto out;
	S.j = juristic_new(&jc, g, err);
	if (!S.j)
		goto out;
	str_copy(S.owner, sizeof S.owner, a->user.username);
	rc = 0;
out:
	linkage_config_wipe(&lc);
	return rc;
}

static void history_add(const struct juristic_result *r)
{
	int i;

	for (i = 0; i < S.nhist && strcmp(S.hist[i].id, r->id) != 0; i++)
		;
	if (i == S.nhist && S.nhist < HISTORY_MAX)
		S.nhist++;
	if (i == HISTORY_MAX)
		i = HISTORY_MAX - 1;   /* the oldest makes room */
	memmove(&S.hist[1], &S.hist[0], sizeof S.hist[0] * (size_t)i);
	str_copy(S.hist[0].id, sizeof S.hist[0].id, r->id);
	str_copy(S.hist[0].name, sizeof S.hist[0].name, r->name_th[0] ? r->name_th : r->name_en);
	S.hist[0].at = time(NULL);
}

static void lookup_finish(struct app *a)
{
	struct juristic_result *r = NULL;
	tb_err e = { 0 };
	char id[JR_ID];

	str_copy(id, sizeof id, S.op_id);
	S.op_id[0] = '\0';
	if (juristic_finish(&S.op, a->db, &r, &e)) {
		/* A cancelled refresh leaves the company shown; anything else
		 * must not be mistaken for the ID asked about. */
		if (!(e.id == TB_E_NET_CANCELLED && S.r && strcmp(S.r->id, id) == 0))
			result_drop();
		S.err = e;
		str_copy(S.err_id, sizeof S.err_id, id);
		if (e.id == TB_E_NET_CANCELLED)
			app_message(a, false, "%s", _("Lookup cancelled"));
		else
			app_error(a, NULL, &e);
		return;
	}
	result_drop();
	S.r = r;
	history_add(r);
	form_wipe(&id_form);
	if (r->stale)
		app_message(a, true, "%s", _("DBD did not answer: an older saved copy is shown, marked STALE"));
	else if (r->from_cache)
		app_message(a, false, "%s", _("A saved copy, recent enough: nothing was sent to DBD"));
	else
		app_message(a, false, "%s", _("Company found at DBD"));
}

static void lookup_start(struct app *a, const char *id, bool refresh)
{
	const char *purpose = app_purpose(a);
	tb_err e = { 0 };

	if (S.op) {
		app_message(a, true, "%s", _("A lookup is running: wait for it, or press Esc to cancel it"));
		return;
	}
	if (!juristic_id_valid(id)) {
		/* Refused here, before anything is sent or audited. */
		S.id_refused = true;
		app_message(a, true, "%s", err_hint(TB_E_DBD_ID_INVALID, i18n_lang()));
		return;
	}
	S.id_refused = false;
	/* Nothing goes to DBD while its audit row cannot be written. */
	if (db_ping(a->db, &e)) {
		S.err = e;
		str_copy(S.err_id, sizeof S.err_id, id);
		app_error(a, NULL, &e);
		return;
	}
	if (jr_clients(a, &e)) {
		S.setup_err = e;
		app_error(a, NULL, &e);
		return;
	}
	S.history = false;
	S.director = -1;
	S.err = (tb_err){ 0 };
	S.op = juristic_start(S.j, a->db, &(struct juristic_request){ .id = id,
			      .agent_cid = a->user.cid, .username = a->user.username,
			      .purpose = purpose[0] ? purpose : NULL, .refresh = refresh }, &e);
	if (!S.op) {
		S.err = e;
		str_copy(S.err_id, sizeof S.err_id, id);
		app_error(a, NULL, &e);
		return;
	}
	str_copy(S.op_id, sizeof S.op_id, id);
	/* A fresh saved copy has answered already. */
	if (juristic_step(S.op))
		lookup_finish(a);
	else
		app_message(a, false, "%s", _("Asking DBD…"));
}

/* --- drawing ------------------------------------------------------------------------------ */

static const char *labels_for_width[] = {
	N_("Juristic ID"), N_("Name (Thai)"), N_("Name (English)"), N_("Type"), N_("Company status"),
	N_("Registered"), N_("Registered capital"), N_("Paid-up capital"), N_("Head office"),
	N_("Objective"), N_("Directors"), N_("Signing authority"), N_("Shareholders"),
	N_("Financial statements"), N_("Source"),
};

static int label_cols(void)
{
	int n = 0;

	for (size_t i = 0; i < sizeof labels_for_width / sizeof labels_for_width[0]; i++) {
		int w = text_width(_(labels_for_width[i]));
		if (w > n)
			n = w;
	}
	return n > LABEL_COLS_MAX ? LABEL_COLS_MAX : n;
}

/* Up to max lines of s wrapped in role from (y, x); returns lines used. */
static int draw_wrapped(WINDOW *w, int y, int x, int cols, int max, const char *s,
			enum theme_role role)
{
	return text_draw_wrapped(w, y, x, cols, max, s, theme_attr(role), theme_pair(role));
}

/* What the pane is doing, under the ID field; returns the next free row. */
static int draw_state(struct app *a, WINDOW *w, int y, int cols)
{
	char text[1024], id[32], age[256], why[512];

	if (S.id_refused) {
		snprintf(text, sizeof text, "%s — %s", err_message(TB_E_DBD_ID_INVALID, i18n_lang()),
			 err_hint(TB_E_DBD_ID_INVALID, i18n_lang()));
		y += draw_wrapped(w, y, 2, cols - 3, 2, text, ROLE_ERROR);
	}
	if (S.setup_err.id) {
		err_format(&S.setup_err, i18n_lang(), text, sizeof text);
		return y + draw_wrapped(w, y, 2, cols - 3, 3, text, ROLE_ERROR);
	}
	if (S.op) {
		format_cid(S.op_id, id, sizeof id);
		snprintf(text, sizeof text, _("Looking up %s at DBD… (Esc cancels)"), id);
		return y + draw_wrapped(w, y, 2, cols - 3, 2, text, ROLE_WARNING);
	}
	if (S.err.id) {
		format_cid(S.err_id, id, sizeof id);
		snprintf(text, sizeof text, "%s: %s — %s", id, err_message(S.err.id, i18n_lang()),
			 err_hint(S.err.id, i18n_lang()));
		return y + draw_wrapped(w, y, 2, cols - 3, 3, text,
					S.err.id == TB_E_NET_CANCELLED ? ROLE_WARNING : ROLE_ERROR);
	}
	if (S.r) {
		juristic_age_format(S.r->fetched_at, db_now(a->db), i18n_lang(), age, sizeof age);
		if (S.r->stale) {
			err_format(&S.r->stale_reason, i18n_lang(), why, sizeof why);
			snprintf(text, sizeof text, "%s %s — %s", _("STALE: not DBD's current data, a saved copy"),
				 age, why);
			return y + draw_wrapped(w, y, 2, cols - 3, 4, text, ROLE_STALE);
		}
		snprintf(text, sizeof text, "%s%s", age,
			 S.r->from_cache ? _(" — a saved copy, nothing sent to DBD") : "");
		return y + draw_wrapped(w, y, 2, cols - 3, 1, text, ROLE_OK);
	}
	if (S.source == JURISTIC_OPEN && S.gdx_missing)
		return y + draw_wrapped(w, y, 2, cols - 3, 3,
			_("Source: DBD open data (no key), without directors, signing authority, shareholders "
			  "or financial statements. For them, branch support sets gdx.url, gdx.consumer_key "
			  "and gdx.consumer_secret in the configuration file."), ROLE_WARNING);
	return y + draw_wrapped(w, y, 2, cols - 3, 1,
				_("Type a 13-digit juristic ID and press Enter."), ROLE_MUTED);
}

static void draw_history(WINDOW *w, int y, int rows, int cols)
{
	char id[32], line[512], when[16];

	text_draw(w, y++, 2, cols - 3, _("Looked up in this session — Enter: show again · Esc: close"),
		  theme_attr(ROLE_TITLE), theme_pair(ROLE_TITLE));
	if (!S.nhist)
		text_draw(w, y, 4, cols - 5, _("nothing yet"), theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	for (int i = 0; i < S.nhist && i < rows - 1; i++) {
		enum theme_role role = i == S.hsel ? ROLE_SELECTED : ROLE_VALUE;

		format_clock(S.hist[i].at, "%H:%M", when, sizeof when);
		format_cid(S.hist[i].id, id, sizeof id);
		snprintf(line, sizeof line, "%s  %s  %s", when, id, S.hist[i].name);
		wattr_set(w, theme_attr(role), theme_pair(role), NULL);
		mvwhline(w, y + i, 2, ' ', cols - 4);
		text_draw(w, y + i, 3, cols - 5, line, theme_attr(role), theme_pair(role));
	}
}

/* Enter on a director: what DBD's certificate lists about them, nothing
 * looked up beyond it. */
static void draw_director(WINDOW *w, int y, int cols, int lc)
{
	const struct juristic_director *d = &S.r->directors[S.director];
	char title[128], name[3 * JR_TEXT], amount[64];

	snprintf(title, sizeof title, _("Director %d of %zu, as DBD lists them"), S.director + 1,
		 S.r->n_directors);
	text_draw(w, y++, 2, cols - 3, title, theme_attr(ROLE_TITLE), theme_pair(ROLE_TITLE));
	snprintf(name, sizeof name, "%s%s %s", d->title, d->first, d->last);
	juristic_money_format(d->amount, i18n_lang(), amount, sizeof amount);
	{
		const char *rows[][2] = {
			{ _("Name"), name },
			{ _("Position"), d->type[0] ? d->type : "-" },
			{ _("Number"), "" },
			{ _("Invests"), d->invest_type[0] ? d->invest_type : "-" },
			{ _("Amount"), amount },
		};
		char seq[16];

		snprintf(seq, sizeof seq, "%d", d->seq);
		rows[2][1] = d->seq > 0 ? seq : "-";
		for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++, y++) {
			text_draw(w, y, 4, lc, rows[i][0], theme_attr(ROLE_LABEL), theme_pair(ROLE_LABEL));
			text_draw(w, y, 5 + lc, cols - lc - 6, rows[i][1], theme_attr(ROLE_VALUE),
				  theme_pair(ROLE_VALUE));
		}
	}
	draw_wrapped(w, y + 1, 4, cols - 6, 3,
		     _("Only what the company certificate lists: nothing more about this person is "
		       "looked up or kept. Esc: back"), ROLE_MUTED);
}

static void jr_draw(struct app *a, WINDOW *w)
{
	int rows = getmaxy(w), cols = getmaxx(w), lc = label_cols(), y, cy, cx, body, vx;
	char preview[64], keys[160], kr[32], kh[32], pos[48];

	jr_probe(a);
	text_draw(w, 0, 2, cols - 3, _("Companies — juristic persons (DBD)"), theme_attr(ROLE_TITLE),
		  theme_pair(ROLE_TITLE));
	y = 1 + form_draw(&id_form, w, 1, 2, lc, 15);
	cy = 1;
	cx = 2 + lc + 1 + text_width(idf[0].value);
	/* The ID as the certificate prints it, and its check digit, as typed. */
	if (strlen(idf[0].value) == 13) {
		format_cid(idf[0].value, preview, sizeof preview);
		if (juristic_id_valid(idf[0].value))
			text_draw(w, 1, lc + 20, cols - lc - 21, preview, theme_attr(ROLE_OK), theme_pair(ROLE_OK));
		else
			text_draw(w, 1, lc + 20, cols - lc - 21, _("check digit wrong"), theme_attr(ROLE_ERROR),
				  theme_pair(ROLE_ERROR));
	}
	y = draw_state(a, w, y, cols);
	wattr_set(w, theme_attr(ROLE_BORDER), theme_pair(ROLE_BORDER), NULL);
	mvwhline(w, y++, 1, ACS_HLINE, cols - 2);
	wattr_set(w, A_NORMAL, 0, NULL);
	body = rows - y - 1;
	S.rows = body > 1 ? body : 1;
	vx = 2 + lc + 2;

	if (S.history) {
		draw_history(w, y, body, cols);
	} else if (S.r && S.director >= 0 && (size_t)S.director < S.r->n_directors) {
		draw_director(w, y, cols, lc);
	} else if (S.r) {
		jr_lines_build(&S.lines, S.r, cols - vx - 1);
		if (S.sel >= S.lines.n)
			S.sel = S.lines.n - 1;
		if (S.sel < 0)
			S.sel = 0;
		if (S.sel < S.top)
			S.top = S.sel;
		if (S.sel >= S.top + body)
			S.top = S.sel - body + 1;
		for (int i = 0; i < body && S.top + i < S.lines.n; i++) {
			const struct jr_line *l = &S.lines.v[S.top + i];
			enum theme_role role = l->role;

			if (S.top + i == S.sel) {
				text_draw(w, y + i, 0, 1, "›", theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
				if (l->director >= 0)
					role = ROLE_SELECTED;
			}
			if (l->label)
				text_draw(w, y + i, 2, lc, l->label, theme_attr(ROLE_LABEL), theme_pair(ROLE_LABEL));
			text_draw(w, y + i, vx, cols - vx - 1, l->text, theme_attr(role), theme_pair(role));
		}
	}
	actions_keys(ACT_REFRESH, kr, sizeof kr);
	kr[strcspn(kr, " ")] = '\0';
	actions_keys(ACT_HISTORY, kh, sizeof kh);
	kh[strcspn(kh, " ")] = '\0';
	snprintf(keys, sizeof keys, _("Enter: look up · %s: ask DBD again · %s: history · Esc: cancel"),
		 kr, kh);
	text_draw(w, rows - 1, 2, cols - 20, keys, theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	/* Where the cursor line is, and whether there is more below. */
	if (S.r && !S.history && S.director < 0 && S.lines.n > body) {
		snprintf(pos, sizeof pos, "%d/%d%s", S.sel + 1, S.lines.n,
			 S.top + body < S.lines.n ? " ↓" : "");
		text_draw(w, rows - 1, cols - 1 - text_width(pos), text_width(pos), pos,
			  theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
	}
	/* The cursor in the ID field, unless a list has the keys. */
	if (!S.history && S.director < 0) {
		wmove(w, cy, cx);
		app_cursor_here(a, w);
	}
}

/* --- keys --------------------------------------------------------------------------------- */

static unsigned jr_input(struct app *a, bool is_fkey, wint_t ch)
{
	bool typing = idf[0].value[0] != '\0';

	if (!is_fkey && ch >= '0' && ch <= '9') {
		S.id_refused = false;
		S.history = false;
		S.director = -1;
		form_key(&id_form, false, ch);
		return DIRTY_MAIN;
	}
	/* The history or a director has the keys: Enter picks from the list. */
	if (!typing || S.history || S.director >= 0)
		return 0;
	/* Pasted "0-1055-36012-34-6": the dashes are the format, not the ID. */
	if (!is_fkey && (ch == '-' || ch == ' '))
		return DIRTY_MAIN;
	/* A letter while an ID is typed is the field's, never a shortcut (q,
	 * l, t, s, p acting on the whole program); it has no place in an ID. */
	if (!is_fkey && ch > 0x20 && ch != 0x7F) {
		enum action own = actions_for_key((int)ch, 0);
		/* The pane's own keys still act: the history, DBD asked again. */
		if (own == ACT_HISTORY || own == ACT_REFRESH)
			return 0;
		app_message(a, true, "%s", _("Digits only in the ID (Esc clears it)"));
		return DIRTY_STATUS;
	}
	if ((!is_fkey && (ch == '\r' || ch == '\n')) || (is_fkey && ch == KEY_ENTER)) {
		char id[JR_ID];

		str_copy(id, sizeof id, idf[0].value);
		lookup_start(a, id, false);
		return DIRTY_MAIN | DIRTY_STATUS;
	}
	if ((!is_fkey && (ch == 0x7F || ch == 8 || ch == 21)) ||
	    (is_fkey && (ch == KEY_BACKSPACE || ch == KEY_DC || ch == KEY_LEFT || ch == KEY_RIGHT))) {
		form_key(&id_form, is_fkey, ch);
		S.id_refused = false;
		return DIRTY_MAIN;
	}
	return 0;
}

static void move_sel(int by, int n)
{
	if (S.history) {
		S.hsel += by;
		if (S.hsel >= S.nhist)
			S.hsel = S.nhist - 1;
		if (S.hsel < 0)
			S.hsel = 0;
		return;
	}
	S.sel += by;
	if (S.sel >= n)
		S.sel = n - 1;
	if (S.sel < 0)
		S.sel = 0;
}

static unsigned jr_key(struct app *a, enum action act)
{
	int page = S.rows > 1 ? S.rows - 1 : 1;

	switch (act) {
	case ACT_BACK:
		if (S.op) {
			juristic_cancel(S.op);
			if (juristic_step(S.op))
				lookup_finish(a);
		} else if (S.director >= 0) {
			S.director = -1;
		} else if (S.history) {
			S.history = false;
		} else if (idf[0].value[0] || S.id_refused) {
			form_wipe(&id_form);
			S.id_refused = false;
		} else if (S.err.id) {
			/* An old failure read: Esc puts it away. */
			S.err = (tb_err){ 0 };
			S.err_id[0] = '\0';
		} else {
			return 0;
		}
		return DIRTY_MAIN | DIRTY_STATUS;
	case ACT_READ_AGAIN:
	case ACT_REFRESH: {
		char id[JR_ID] = "";

		if (S.r)
			str_copy(id, sizeof id, S.r->id);
		else if (S.err_id[0])
			str_copy(id, sizeof id, S.err_id);
		else
			str_copy(id, sizeof id, idf[0].value);
		if (!id[0]) {
			app_message(a, true, "%s", _("Type a juristic ID first"));
			return DIRTY_STATUS;
		}
		lookup_start(a, id, true);
		return DIRTY_MAIN | DIRTY_STATUS;
	}
	case ACT_HISTORY:
		S.history = !S.history;
		S.director = -1;
		S.hsel = 0;
		return DIRTY_MAIN;
	case ACT_SELECT:
		if (S.history) {
			char id[JR_ID];

			if (!S.nhist)
				return DIRTY_MAIN;
			str_copy(id, sizeof id, S.hist[S.hsel].id);
			lookup_start(a, id, false);
			return DIRTY_MAIN | DIRTY_STATUS;
		}
		if (S.r && S.director < 0 && S.sel < S.lines.n && S.lines.v[S.sel].director >= 0) {
			S.director = S.lines.v[S.sel].director;
			return DIRTY_MAIN;
		}
		return 0;
	case ACT_UP: move_sel(-1, S.lines.n); return DIRTY_MAIN;
	case ACT_DOWN: move_sel(1, S.lines.n); return DIRTY_MAIN;
	/* As in a list box: the marker goes to the page's edge first, and
	 * only from there does the page turn. */
	case ACT_PAGE_UP:
		if (!S.history && S.sel > S.top)
			S.sel = S.top;
		else
			move_sel(-page, S.lines.n);
		return DIRTY_MAIN;
	case ACT_PAGE_DOWN:
		if (!S.history && S.sel < S.top + S.rows - 1 && S.top + S.rows - 1 < S.lines.n)
			S.sel = S.top + S.rows - 1;
		else
			move_sel(page, S.lines.n);
		return DIRTY_MAIN;
	case ACT_TOP: move_sel(-S.lines.n - HISTORY_MAX, S.lines.n); return DIRTY_MAIN;
	case ACT_BOTTOM: move_sel(S.lines.n + HISTORY_MAX, S.lines.n); return DIRTY_MAIN;
	default:
		return 0;
	}
}

/* --- the pane's life ---------------------------------------------------------------------- */

static void jr_open(struct app *a)
{
	jr_guard(a);
	/* The configuration may have been fixed since. */
	S.probed = false;
	jr_probe(a);
}

/* Leaving the pane keeps the company, the history and a running lookup
 * (they go at log-out or lock: jr_guard). */
static void jr_close(struct app *a)
{
	(void)a;
	S.history = false;
	S.director = -1;
}

static int jr_fds(struct app *a, struct pollfd *p, int max, int *timeout_ms)
{
	int n = 0, t = -1;
	tb_err e = { 0 };

	jr_guard(a);
	if (!S.op)
		return 0;
	if (juristic_fds(S.j, p, max, &n, &t, &e)) {
		/* Cannot say what to wait on: look again soon rather than never. */
		n = 0;
		t = 100;
	}
	app_timeout(timeout_ms, t);
	return n;
}

static unsigned jr_io(struct app *a)
{
	jr_guard(a);
	if (!S.op || !juristic_step(S.op))
		return 0;
	lookup_finish(a);
	return DIRTY_MAIN | DIRTY_STATUS;
}

/* The ID field has the keys unless a list (the history, a director) has. */
static bool jr_field(struct app *a)
{
	return a->pane == &pane_juristic && !S.history && S.director < 0;
}

static const char *jr_unfinished(struct app *a)
{
	(void)a;
	if (S.op)
		return _("A company lookup is on its way.");
	if (idf[0].value[0])
		return _("A juristic ID is typed but not looked up.");
	return NULL;
}

const struct pane_ops pane_juristic = {
	.keys = (const enum action[]){ ACT_REFRESH, ACT_HISTORY, ACT_COPY, ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_TOP, ACT_BOTTOM, ACT_SELECT, ACT_BACK, ACT_NONE },
	.help_extra = (const char *const[]){ "0-9", N_("Type a 13-digit juristic ID, then Enter"), NULL },
	.id = "companies",
	.title = N_("Companies"),
	.open_act = ACT_PANE_JURISTIC,
	.open = jr_open,
	.draw = jr_draw,
	.key = jr_key,
	.close = jr_close,
	.input = jr_input,
	.fds = jr_fds,
	.io = jr_io,
	.field = jr_field,
	.unfinished = jr_unfinished,
	.right = PANE_RIGHT(RIGHT_COMPANIES),
};

const struct juristic_result *pane_juristic_shown(const struct app *a)
{
	/* Gone with the state at log-out and lock; not shown while locked. */
	return a->logged_in && !a->locked ? S.r : NULL;
}
