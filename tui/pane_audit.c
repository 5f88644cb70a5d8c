/* The audit pane (admins): who looked at whose data, when, why and with
 * what result — newest first, filtered by user, subject and dates; the
 * chain can be verified and the rows shown exported as CSV. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "services/base/format.h"
#include "services/accounts/audit.h"
#include "services/accounts/audit_seal.h"
#include "services/accounts/rights.h"
#include "services/base/privfile.h"
#include "services/base/util.h"
#include "tui/app.h"
#include "tui/form.h"
#include "tui/i18n.h"
#include "tui/pane.h"
#include "tui/scroll.h"
#include "tui/text.h"

#define MAX_ROWS 200

struct row {
	int64_t seq;
	char time[24], username[40], action[32], subject[40], purpose[160], result[32];
};

static struct row rows[MAX_ROWS];
static int nrows, sel;
static bool filtering;
static char verdict[256];
static struct form_field ffields[] = {
	{ .label = N_("User name"), .max_chars = 32 },
	{ .label = N_("Subject (citizen ID)"), .flags = FIELD_DIGITS, .max_chars = 13 },
	{ .label = N_("From (YYYY-MM-DD)"), .max_chars = 10 },
	{ .label = N_("Until (YYYY-MM-DD)"), .max_chars = 10 },
};
static struct form filter_form = { ffields, 4, 0 };

static int collect(const struct audit_row *r, void *arg)
{
	struct row *o = &rows[nrows++];

	o->seq = r->seq;
	str_copy(o->time, sizeof o->time, r->time);
	str_copy(o->username, sizeof o->username, r->username);
	str_copy(o->action, sizeof o->action, r->action);
	str_copy(o->subject, sizeof o->subject, r->subject);
	snprintf(o->purpose, sizeof o->purpose, "%s", r->purpose);
	str_copy(o->result, sizeof o->result, r->result);
	return nrows >= MAX_ROWS;
}

/* The filter typed, narrowed by rights to the reader's branch (a
 * supervisor's or a branch admin's; an agency admin reads all). */
static int filter_make(struct app *a, struct audit_filter *f, tb_err *err)
{
	static char scope[USER_BRANCH_MAX + 1];

	*f = (struct audit_filter){ .limit = MAX_ROWS, .newest_first = 1 };
	if (rights_audit_scope(a->db, a->user.username, f, scope, err))
		return -1;
	if (audit_date_range(ffields[2].value[0] ? ffields[2].value : NULL,
			     ffields[3].value[0] ? ffields[3].value : NULL, f, err))
		return -1;
	f->username = ffields[0].value[0] ? ffields[0].value : NULL;
	f->subject = ffields[1].value[0] ? ffields[1].value : NULL;
	return 0;
}

static void audit_reload(struct app *a)
{
	struct audit_filter f;
	tb_err err = { 0 };

	explicit_bzero(rows, sizeof rows);
	nrows = 0;
	if (filter_make(a, &f, &err) || audit_query(a->db, &f, collect, NULL, &err))
		app_error(a, NULL, &err);
	if (sel >= nrows)
		sel = nrows > 0 ? nrows - 1 : 0;
}

static void audit_open(struct app *a)
{
	verdict[0] = '\0';
	filtering = false;
	audit_reload(a);
}

static void audit_close(struct app *a)
{
	/* The rows name citizens: they do not outlive the pane. */
	explicit_bzero(rows, sizeof rows);
	nrows = 0;
	form_wipe(&filter_form);
}

/* The filter in force, in words ("" when none): whoever reads the rows
 * must know they are not all of them. */
static bool filter_text(char *out, size_t size)
{
	static const char *const names[] = { N_("user"), N_("citizen ID"), N_("from"), N_("until") };
	size_t o = 0;

	out[0] = '\0';
	for (int i = 0; i < 4 && o < size; i++) {
		char v[32];
		if (!ffields[i].value[0])
			continue;
		if (i == 1)
			format_cid(ffields[i].value, v, sizeof v);
		else
			str_copy(v, sizeof v, ffields[i].value);
		o += (size_t)snprintf(out + o, size - o, "%s%s %s", o ? " · " : "", _(names[i]), v);
	}
	return out[0] != '\0';
}

static void audit_draw(struct app *a, WINDOW *w)
{
	int y = 1, cols = getmaxx(w), height, first;
	char line[1024], filter[256], when[64];

	text_draw(w, y++, 1, cols - 2, _("Audit trail — newest first"), theme_attr(ROLE_TITLE),
		  theme_pair(ROLE_TITLE));
	if (filtering) {
		int cy, cx;
		form_draw(&filter_form, w, y + 1, 3, 24, 30);
		getyx(w, cy, cx);
		text_draw(w, getmaxy(w) - 2, 3, cols - 4, _("Enter: apply the filter · Esc: close"),
			  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
		wmove(w, cy, cx);
		app_cursor_here(a, w);
		return;
	}
	if (filter_text(filter, sizeof filter)) {
		snprintf(line, sizeof line, _("Filter: %s (/: change)"), filter);
		text_draw(w, y++, 3, cols - 4, line, theme_attr(ROLE_WARNING), theme_pair(ROLE_WARNING));
	}
	height = getmaxy(w) - 3 - y;
	first = sel >= height ? sel - height + 1 : 0;
	if (nrows == 0)
		text_draw(w, y, 3, cols - 4, _("none"), theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	for (int i = first; i < nrows && i < first + height; i++, y++) {
		const struct row *r = &rows[i];
		enum theme_role role = strcmp(r->result, "OK") == 0 ? ROLE_VALUE : ROLE_WARNING;
		/* Stored in UTC, shown in local time and the Buddhist era as
		 * every other date ("22 Nov 2569 BE 00:05"). */
		format_stamp(r->time, i18n_lang(), when, sizeof when);
		snprintf(line, sizeof line, "%-10s %-16s %-13s %s  %s", r->username, r->action, r->subject,
			 r->result, r->purpose);
		if (i == sel)
			text_draw(w, y, 1, 1, "›", theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
		text_draw(w, y, 3, 20, when, theme_attr(role), theme_pair(role));
		text_draw(w, y, 24, cols - 25, line, theme_attr(role), theme_pair(role));
	}
	if (verdict[0])
		text_draw(w, getmaxy(w) - 3, 3, cols - 4, verdict, theme_attr(ROLE_OK), theme_pair(ROLE_OK));
	text_draw(w, getmaxy(w) - 2, 3, cols - 4, _("/: filter · V: verify the chain · E: export CSV (times in UTC)"),
		  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
}

static void audit_verify_now(struct app *a)
{
	struct audit_check c;
	struct audit_seal_check s;
	tb_err err = { 0 };

	if (audit_verify(a->db, &c, &err)) {
		app_error(a, NULL, &err);
		snprintf(verdict, sizeof verdict, _("The chain is broken at row %lld"), (long long)c.first_bad);
		return;
	}
	snprintf(verdict, sizeof verdict, _("The chain is intact: %lld rows"), (long long)c.rows);
	/* The seals without the agency's key: missing ones, and how much is
	 * not sealed yet (the key's check is `tabien audit verify --key`). */
	if (audit_seal_verify(a->db, NULL, &s, &err)) {
		app_error(a, NULL, &err);
		snprintf(verdict, sizeof verdict, _("Seals of the audit trail are missing"));
	} else if (!s.seals)
		snprintf(verdict, sizeof verdict, _("The chain is intact: %lld rows, not sealed"),
			 (long long)c.rows);
	else if (s.unsealed)
		snprintf(verdict, sizeof verdict,
			 _("The chain is intact: %lld rows, %lld after the last seal not sealed yet"),
			 (long long)c.rows, (long long)s.unsealed);
}

static void audit_export_now(struct app *a)
{
	char dir[512], path[640], stamp[32];
	time_t now = time(NULL);
	struct audit_filter f;
	tb_err err = { 0 };
	struct privfile *pf;
	long n;

	format_clock(now, "%Y%m%d-%H%M%S", stamp, sizeof stamp);
	if (app_state_dir(dir, sizeof dir) || filter_make(a, &f, &err)) {
		if (!err.id)
			err_set(&err, TB_E_FILE, errno, "audit export");
		app_error(a, NULL, &err);
		return;
	}
	f.limit = 0; /* everything the filter matches, not only what fits */
	snprintf(path, sizeof path, "%s/audit-%s.csv", dir, stamp);
	pf = privfile_begin(path, &err);
	if (!pf) {
		err.field = "audit export";  /* path is about to go */
		app_error(a, NULL, &err);
		return;
	}
	n = audit_export_csv(a->db, a->user.username, &f, privfile_stream(pf), &err);
	if (n < 0)
		privfile_abort(&pf);
	if (n < 0 || privfile_commit(&pf, &err)) {
		err.field = "audit export";
		app_error(a, NULL, &err);
		return;
	}
	snprintf(verdict, sizeof verdict, _("%ld rows exported to %s"), n, path);
	audit_reload(a); /* the export itself is a new row */
}

static unsigned audit_input(struct app *a, bool is_fkey, wint_t ch)
{
	if (!filtering)
		return 0;
	switch (form_key(&filter_form, is_fkey, ch)) {
	case FORM_IGNORED:
		return 0;
	case FORM_CANCEL:
		filtering = false;
		break;
	case FORM_SUBMIT:
		filtering = false;
		sel = 0;
		audit_reload(a);
		break;
	case FORM_CHANGED:
		break;
	}
	return DIRTY_MAIN | DIRTY_STATUS;
}

static unsigned audit_key(struct app *a, enum action act)
{
	switch (act) {
	case ACT_READ_AGAIN:
		audit_reload(a);
		app_message(a, false, "%s", _("The list was read again"));
		return DIRTY_MAIN | DIRTY_STATUS;
	case ACT_UP: case ACT_DOWN: case ACT_TOP: case ACT_BOTTOM:
		scroll_pick(&sel, nrows, act);
		break;
	case ACT_FILTER: filtering = true; break;
	case ACT_VERIFY: audit_verify_now(a); break;
	case ACT_EXPORT: audit_export_now(a); break;
	default: return 0;
	}
	return DIRTY_MAIN;
}

static bool audit_field(struct app *a)
{
	(void)a;
	return filtering;
}

static const char *audit_unfinished(struct app *a)
{
	if (a->pane == &pane_audit && filtering && form_has_text(&filter_form, -1))
		return _("A filter is typed but not applied.");
	return NULL;
}

const struct pane_ops pane_audit = {
	.keys = (const enum action[]){ ACT_FILTER, ACT_VERIFY, ACT_EXPORT, ACT_UP, ACT_DOWN, ACT_TOP, ACT_BOTTOM, ACT_NONE },
	.id = "audit",
	.title = N_("Audit"),
	.open_act = ACT_PANE_AUDIT,
	.open = audit_open,
	.draw = audit_draw,
	.key = audit_key,
	.input = audit_input,
	.field = audit_field,
	.unfinished = audit_unfinished,
	.close = audit_close,
	.right = PANE_RIGHT(RIGHT_AUDIT),
};
