/* The `c` key: a digital copy of what the pane shows.  A small dialog over
 * the pane asks which sections go in (the pane's own picked) and for what
 * purpose (the session's, to change); Enter, read on its own and outside a
 * paste (app_key_deliberate), makes it.  The page is built then, from what
 * is on screen at that moment: data already wiped (card pulled, lock,
 * log-out) makes no copy.  tabien-copy runs as its own process; the loop
 * polls its answer like a pane's lookup, and the status bar says where the
 * file went or why there is none; the data wiped while it is being made
 * (card out, lock, log-out) stops it, with nothing written.  What the
 * commands share (the settings,
 * the header, the audit row) comes from cmd_copy.h. */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "services/base/util.h"
#include "services/card/card_record.h"
#include "services/copy/copy_doc.h"
#include "services/copy/copy_run.h"
#include "services/juristic/juristic.h"
#include "services/registry/linkage.h"
#include "tui/app_private.h"
#include "tui/cmd_copy.h"
#include "tui/form.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/pane.h"
#include "tui/text.h"
#include "tui/theme.h"

#define MAX_SECTIONS 8

struct section {
	const char *label;         /* English; drawn through gettext */
	int bit;
};

static const struct section card_sections[] = {
	{ N_("The card's text"), CARD_SECTION_TEXT },
	{ N_("The photo"), CARD_SECTION_PHOTO },
};
static const struct section registry_sections[] = {
	{ N_("The registry record"), REG_SECTION_RECORD },
	{ N_("Addresses"), REG_SECTION_ADDRESSES },
	{ N_("The household and the house"), REG_SECTION_HOUSEHOLD },
	{ N_("Name changes"), REG_SECTION_NAMES },
};
static const struct section juristic_sections[] = {
	{ N_("The company's particulars"), JUR_SECTION_CERTIFICATE },
	{ N_("Directors"), JUR_SECTION_DIRECTORS },
	{ N_("Signing authority"), JUR_SECTION_SIGNING },
	{ N_("Shareholders"), JUR_SECTION_SHAREHOLDERS },
};

/* The dialog and the copy on its way; one at a time. */
static struct {
	bool shown;
	const struct pane_ops *from;
	const struct section *sec;
	int nsec, picked, focus;   /* focus == nsec: the purpose */
	char cid[32];              /* whose data the dialog was opened on (a company's ID too) */
	unsigned opened;           /* the read that opened it */
	struct form_field purpose_f[1];
	struct form purpose;
	bool running, cancelled;
	struct copy_job job;
	char ref[COPY_REF_BYTES], subject[16], why[SETTINGS_PURPOSE_BYTES];
	struct user who;           /* for the audit row, also after a log-out */
} cp;

bool app_copy_shown(const struct app *a)
{
	(void)a;
	return cp.shown;
}

bool app_copy_field(const struct app *a)
{
	(void)a;
	return cp.shown && cp.focus == cp.nsec;
}

static void dialog_close(struct app *a)
{
	form_wipe(&cp.purpose);
	cp.shown = false;
	a->dirty |= DIRTY_ALL;
}

static void nothing(struct app *a)
{
	tb_err e = { .id = TB_E_COPY_NOTHING };

	app_error(a, NULL, &e);
}

/* Whose data the pane shows, or NULL. */
static const char *shown_cid(struct app *a, const struct pane_ops *p)
{
	struct reader_state *r = app_reader(a);
	const struct lookup_person *top = lookup_top(a);

	if (!a->logged_in || a->locked)
		return NULL;
	/* Acting for someone the card pane shows two cards: the registry
	 * panes copy the one in focus. */
	if (p == &pane_card)
		return r && r->rec && !lookup_acting(a) ? r->rec->cid : NULL;
	if (p == &pane_juristic)
		return pane_juristic_shown(a) ? pane_juristic_shown(a)->id : NULL;
	return top ? top->cid : NULL;
}

void app_copy_open(struct app *a)
{
	const char *cid;

	if (cp.running) {
		app_message(a, true, "%s", _("A copy is being made; wait for it to finish"));
		return;
	}
	if (a->pane == &pane_card) {
		cp.sec = card_sections;
		cp.nsec = 2;
		cp.picked = CARD_SECTION_TEXT | CARD_SECTION_PHOTO;
	} else if (a->pane == &pane_person || a->pane == &pane_household || a->pane == &pane_names) {
		/* The pane's own sections picked; the others offered. */
		cp.sec = registry_sections;
		cp.nsec = 4;
		cp.picked = a->pane == &pane_person ? REG_SECTION_RECORD | REG_SECTION_ADDRESSES
			: a->pane == &pane_household ? REG_SECTION_HOUSEHOLD : REG_SECTION_NAMES;
	} else if (a->pane == &pane_juristic) {
		cp.sec = juristic_sections;
		cp.nsec = 4;
		cp.picked = JUR_SECTION_CERTIFICATE;
	} else {
		app_message(a, true, "%s", _("Nothing to copy on this pane: c copies the card, the registry's and the companies' panes"));
		return;
	}
	if (!(cid = shown_cid(a, a->pane))) {
		nothing(a);
		return;
	}
	str_copy(cp.cid, sizeof cp.cid, cid);
	cp.from = a->pane;
	cp.focus = 0;
	cp.opened = a->key_read;
	cp.purpose_f[0] = (struct form_field){ .label = N_("Purpose"), .max_chars = SETTINGS_PURPOSE_CHARS };
	str_copy(cp.purpose_f[0].value, sizeof cp.purpose_f[0].value, app_purpose(a));
	cp.purpose_f[0].cursor = strlen(cp.purpose_f[0].value);
	cp.purpose = (struct form){ cp.purpose_f, 1, 0 };
	cp.shown = true;
	a->dirty |= DIRTY_MAIN;
}

/* The registry's sections picked, each as the pane has it: one still on
 * its way or refused makes no copy rather than one without it. */
static int registry_doc(struct app *a, struct copy_doc *d, tb_err *err)
{
	const struct lookup_person *top = lookup_top(a);
	int services[LINKAGE_FETCH_MAX], n = cmd_copy_services(cp.picked, services);
	char when[96];

	cmd_copy_when(top->asked_at ? top->asked_at : time(NULL), when, sizeof when);
	if (cmd_copy_registry_title(d, err))
		return -1;
	for (int i = 0; i < n; i++) {
		const struct linkage_result *r = NULL;
		tb_err why = { 0 };

		if (lookup_get(a, services[i], &r, &why) != LINKAGE_DONE || !r)
			return err_set(err, TB_E_COPY_SECTION, 0, linkage_service_code(services[i]));
		if (cmd_copy_registry_section(d, r, when, err))
			return -1;
	}
	return 0;
}

/* The page, from what the pane shows now: the same person as when the
 * dialog opened, and still there. */
static int build(struct app *a, struct copy_doc *d, tb_err *err)
{
	struct reader_state *r = app_reader(a);
	const char *cid = shown_cid(a, cp.from);

	if (!cid || strcmp(cid, cp.cid))
		return err_set(err, TB_E_COPY_NOTHING, 0, NULL);
	if (cmd_copy_settings(d, NULL, cp.ref, a->db, NULL, err) ||
	    cmd_copy_header(d, a->db, &a->user, cp.why, cp.ref, err))
		return -1;
	if (cp.from == &pane_card ? cmd_copy_card_doc(d, r->rec, cp.picked, r->read_at ? r->read_at : time(NULL), err)
	    : cp.from == &pane_juristic ? cmd_copy_juristic_pages(d, pane_juristic_shown(a), cp.picked, err)
	    : registry_doc(a, d, err))
		return -1;
	str_copy(cp.subject, sizeof cp.subject, cp.cid);
	cp.who = a->user;
	return 0;
}

static void make(struct app *a)
{
	struct copy_doc *d = copy_doc_new();
	tb_err err = { 0 };

	if (!cp.picked) {
		app_message(a, true, "%s", _("Nothing picked: pick at least one section"));
		copy_doc_free(&d);
		return;
	}
	str_copy(cp.why, sizeof cp.why, cp.purpose_f[0].value);
	dialog_close(a);
	if (!cp.why[0]) {
		err_set(&err, TB_E_COPY_PURPOSE, 0, "purpose");
		goto fail;
	}
	if (!d) {
		err_set(&err, TB_E_NOMEM, 0, NULL);
		goto fail;
	}
	cmd_copy_ref(cp.ref);
	if (build(a, d, &err) || copy_run_start(d, NULL, 1, &cp.job, &err))
		goto fail;
	copy_doc_free(&d);
	fcntl(cp.job.fd, F_SETFL, fcntl(cp.job.fd, F_GETFL) | O_NONBLOCK);
	cp.running = true;
	app_message(a, false, "%s", _("Making the copy…"));
	return;
fail:
	app_error(a, NULL, &err);
	copy_doc_free(&d);
}

unsigned app_copy_input(struct app *a, bool is_fkey, wint_t ch)
{
	bool enter = (!is_fkey && (ch == L'\r' || ch == L'\n')) || (is_fkey && ch == KEY_ENTER);

	if (!cp.shown)
		return 0;
	if (enter) {
		/* Enter sent with the `c`, or pasted: not an answer. */
		if (app_key_deliberate(a, cp.opened))
			make(a);
		return DIRTY_MAIN;
	}
	if (!is_fkey && ch == 27) {
		dialog_close(a);
		app_message(a, false, "%s", _("No copy made"));
		return DIRTY_ALL;
	}
	if (is_fkey && (ch == KEY_UP || ch == KEY_BTAB)) {
		cp.focus = cp.focus > 0 ? cp.focus - 1 : cp.nsec;
		return DIRTY_MAIN;
	}
	if ((is_fkey && ch == KEY_DOWN) || (!is_fkey && ch == L'\t')) {
		cp.focus = cp.focus < cp.nsec ? cp.focus + 1 : 0;
		return DIRTY_MAIN;
	}
	if (cp.focus < cp.nsec) {
		if (!is_fkey && ch == L' ')
			cp.picked ^= cp.sec[cp.focus].bit;
		/* Other keys do nothing while the dialog is up. */
		return DIRTY_MAIN;
	}
	form_key(&cp.purpose, is_fkey, ch);
	return DIRTY_MAIN;
}

void app_copy_draw(struct app *a)
{
	int rows = cp.nsec + 7, cols = COLS > 72 ? 72 : COLS - 2, cy, cx;
	WINDOW *w;

	/* Never over the lock or the login (app_copy_io closes it next). */
	if (!cp.shown || !a->logged_in || a->locked)
		return;
	w = newwin(rows, cols, (LINES - rows) / 2, (COLS - cols) / 2);
	if (!w)
		return;
	wattr_set(w, theme_attr(ROLE_BORDER), theme_pair(ROLE_BORDER), NULL);
	box(w, 0, 0);
	wattr_set(w, A_NORMAL, 0, NULL);
	text_draw(w, 0, 2, cols - 4, _(" Digital copy "), theme_attr(ROLE_TITLE), theme_pair(ROLE_TITLE));
	text_draw(w, 1, 2, cols - 4, _("What goes into the copy (Space picks):"), theme_attr(ROLE_LABEL),
		  theme_pair(ROLE_LABEL));
	for (int i = 0; i < cp.nsec; i++) {
		char line[160];
		enum theme_role role = cp.focus == i ? ROLE_SELECTED : ROLE_NORMAL;

		snprintf(line, sizeof line, "[%s] %s", (cp.picked & cp.sec[i].bit) ? "x" : " ",
			 _(cp.sec[i].label));
		text_draw(w, 2 + i, 4, cols - 6, line, theme_attr(role), theme_pair(role));
	}
	form_draw(&cp.purpose, w, 3 + cp.nsec, 2, 14, cols - 18);
	getyx(w, cy, cx);
	text_draw(w, rows - 2, 2, cols - 4, _("Enter: make the copy · Up/Down: move · Esc: cancel"),
		  theme_attr(ROLE_KEY), theme_pair(ROLE_KEY));
	/* The terminal's cursor goes to the purpose while it has the keys. */
	a->cursor = cp.focus == cp.nsec;
	wmove(w, cy, cx);
	wnoutrefresh(w);
	delwin(w);
}

int app_copy_fds(struct app *a, struct pollfd *p, int max)
{
	(void)a;
	if (!cp.running || max < 1)
		return 0;
	p[0] = (struct pollfd){ .fd = cp.job.fd, .events = POLLIN };
	return 1;
}

/* The data being copied was wiped since (card out, lock, log-out): the
 * copy must not outlive it.  Another person or company opened meanwhile
 * wipes nothing. */
static bool data_gone(struct app *a)
{
	struct reader_state *r = app_reader(a);

	if (!a->logged_in || a->locked)
		return true;
	if (cp.from == &pane_card)
		return !r || !r->rec || strcmp(r->rec->cid, cp.subject);
	return cp.from != &pane_juristic && !lookup_top(a);
}

void app_copy_io(struct app *a)
{
	struct copy_result res;
	tb_err err = { 0 }, aerr = { 0 };
	int rc;

	if (cp.shown && (!a->logged_in || a->locked))
		dialog_close(a);
	if (cp.running && !cp.cancelled && data_gone(a)) {
		copy_run_cancel(&cp.job);
		cp.cancelled = true;
	}
	if (!cp.running || !copy_run_read(&cp.job))
		return;
	cp.running = false;
	rc = copy_run_finish(&cp.job, &res, &err);
	if (cp.cancelled) {
		/* Finished before it heard: a file is taken back; a copy
		 * already handed to the document system is what it is. */
		cp.cancelled = false;
		if (rc == 0 && strcmp(res.path, "-"))
			unlink(res.path);
		if (rc || strcmp(res.path, "-"))
			rc = err_set(&err, TB_E_COPY_CANCELLED, 0, NULL);
	}
	if (rc) {
		/* A signed copy made and not delivered has its row. */
		if (err.id == TB_E_COPY_COMMAND || err.id == TB_E_COPY_COMMAND_TIMEOUT ||
		    (err.id == TB_E_COPY_CANCELLED && res.sha256[0]))
			cmd_copy_audit(a->db, &cp.who, cp.subject, cp.why, cp.ref, &res, &err, &aerr);
		app_error(a, NULL, &err);
		goto out;
	}
	if (cmd_copy_audit(a->db, &cp.who, cp.subject, cp.why, cp.ref, &res, NULL, &err)) {
		/* A copy the trail does not know of is not left behind. */
		if (strcmp(res.path, "-"))
			unlink(res.path);
		app_error(a, NULL, &err);
		goto out;
	}
	if (strcmp(res.path, "-"))
		app_message(a, false, _("Copy written: %s"), res.path);
	else
		app_message(a, false, "%s", _("Copy handed to the document system"));
out:
	explicit_bzero(cp.subject, sizeof cp.subject);
	explicit_bzero(cp.why, sizeof cp.why);
	explicit_bzero(&cp.who, sizeof cp.who);
}

void app_copy_end(struct app *a)
{
	if (cp.shown)
		dialog_close(a);
	if (cp.running) {
		struct copy_result res;
		tb_err err = { 0 };

		/* At exit: the copy is waited for, so that no file is left
		 * unaccounted for in the trail. */
		fcntl(cp.job.fd, F_SETFL, fcntl(cp.job.fd, F_GETFL) & ~O_NONBLOCK);
		copy_run_read(&cp.job);
		cp.running = false;
		if (copy_run_finish(&cp.job, &res, &err) == 0 && strcmp(res.path, "-") &&
		    (cp.cancelled || cmd_copy_audit(a->db, &cp.who, cp.subject, cp.why, cp.ref, &res, NULL, &err)))
			unlink(res.path);
		cp.cancelled = false;
	}
}
