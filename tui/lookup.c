/* The registry lookups of the full-screen program: see lookup.h (the
 * drawing the panes share is in lookup_draw.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "services/accounts/audit.h"
#include "services/base/format.h"
#include "services/registry/lk2.h"
#include "services/base/util.h"
#include "storage/db.h"
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/lookup_private.h"
#include "tui/pane.h"

/* In the order the sections are drawn: the record and addresses first. */
const int lookup_wanted[LOOKUP_SERVICES] = {
	LINKAGE_PERSON, LINKAGE_ADDRESSES, LINKAGE_HOUSEHOLD,
	LINKAGE_HOUSE, LINKAGE_FIRST_NAMES, LINKAGE_SURNAMES,
};

#define SPIN_MS 200

static bool pane_shows_lookups(const struct app *a);

static struct lookups *lookups(struct app *a)
{
	if (!a->lookups)
		a->lookups = calloc(1, sizeof *a->lookups);
	return a->lookups;
}

struct lookups *lookup_state(struct app *a)
{
	return lookups(a);
}

int lookup_top_index(const struct lookups *l)
{
	if (l->acting && l->focus < l->depth)
		return l->focus;
	return l->depth - 1;
}

const struct lookup_person *lookup_top(const struct app *a)
{
	const struct lookups *l = a->lookups;

	return l && l->depth > 0 ? &l->p[lookup_top_index(l)] : NULL;
}

int lookup_depth(const struct app *a)
{
	return a->lookups ? a->lookups->depth : 0;
}

static void person_drop(struct lookup_person *p)
{
	linkage_fetch_free(&p->f);
	lk2_op_free(&p->batch);
	for (int i = 0; i < LOOKUP_SERVICES; i++)
		linkage_result_free(&p->res[i]);
	explicit_bzero(p, sizeof *p);
}

static int wanted_index(int service)
{
	for (int i = 0; i < LOOKUP_SERVICES; i++)
		if (lookup_wanted[i] == service)
			return i;
	return -1;
}

/* The gateway client, made from the settings at the first lookup: GDX, or
 * Linkage Center 2 when linkage.transport says so.  0 when there is one. */
static int client(struct app *a, struct lookups *l)
{
	if (l->lk || l->lk2)
		return 0;
	if (l->made)
		return -1;   /* the settings are read once: they do not change */
	l->setup_err = (tb_err){ 0 };
	switch (lk2_transport_from(&a->cfg, &l->setup_err)) {
	case 1: {
		struct lk2_config c2;
		if (lk2_config_from(&c2, &a->cfg, &l->setup_err) == 0)
			l->lk2 = lk2_new(&c2, &l->setup_err);
		lk2_config_wipe(&c2);
		break;
	}
	case 0: {
		struct linkage_config lc;
		struct gdx *g;
		/* On the program's one GDX client: the companies pane shares
		 * its token and connections. */
		if (linkage_config_from(&lc, &a->cfg, &l->setup_err) == 0 &&
		    (g = app_gdx(a, &l->setup_err)))
			l->lk = linkage_new_on(&lc, g, &l->setup_err);
		linkage_config_wipe(&lc);
		break;
	}
	default:
		break;
	}
	l->made = true;
	return l->lk || l->lk2 ? 0 : -1;
}

/* The person's six services asked for, under their purpose and consent. */
static void person_send(struct app *a, struct lookups *l, struct lookup_person *p)
{
	struct linkage *lk;

	/* Acting for someone: every row names both, so neither is asked
	 * about before the grantee's card is read. */
	p->pending = false;
	p->acting[0] = '\0';
	if (l->acting) {
		if (l->depth < 2) {
			p->pending = true;
			return;
		}
		snprintf(p->acting, sizeof p->acting, "grantor=%s grantee=%s", l->p[0].cid,
			 l->p[1].cid);
	}

	/* When the services were asked: a copy's source line. */
	p->asked_at = time(NULL);
	/* Nothing goes to the registry while its audit rows cannot be
	 * written (a lost server): refused now, not after the answers. */
	if (db_ping(a->db, &p->err))
		return;
	if (client(a, l)) {
		p->err = l->setup_err;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &l->frame_at);
	if (l->lk2) {
		/* One request at a time, after the sign-in: lookup_io sends it. */
		p->lk2 = true;
		p->waiting = LOOKUP_SERVICES;
		return;
	}
	lk = l->lk;
	if (p == &l->p[0] && !l->perm) {
		l->presence_known = false;
		l->presence_err = (tb_err){ 0 };
		l->perm = linkage_permission_start(lk, a->user.cid, &l->presence_err);
		l->presence_known = !l->perm;
	}
	p->f = linkage_fetch_start(lk, a->db, &(struct linkage_request){
		.cid = p->cid, .agent_cid = a->user.cid, .username = a->user.username,
		.purpose = p->purpose, .consent = p->consent, .acting = p->acting[0] ? p->acting : NULL },
		lookup_wanted, LOOKUP_SERVICES, &p->err);
	if (p->f)
		p->waiting = LOOKUP_SERVICES;
}

/* What was fetched for the person goes; who they are stays. */
static void person_reset(struct lookup_person *p)
{
	linkage_fetch_free(&p->f);
	lk2_op_free(&p->batch);
	for (int i = 0; i < LOOKUP_SERVICES; i++) {
		linkage_result_free(&p->res[i]);
		p->errs[i] = (tb_err){ 0 };
		p->ended[i] = false;
	}
	p->err = (tb_err){ 0 };
	p->waiting = 0;
	p->lk2 = p->kept = p->pending = false;
	p->kept_errs = 0;
}

void lookup_person_send(struct app *a, struct lookups *l, struct lookup_person *p)
{
	person_send(a, l, p);
}

static struct lookup_person *person_push(struct app *a, struct lookups *l, const char *cid,
					 const char *reader, enum lookup_source source)
{
	struct lookup_person *p;

	if (l->depth == LOOKUP_DEPTH) {
		/* The oldest opened member goes; the person looked up first stays. */
		person_drop(&l->p[1]);
		memmove(&l->p[1], &l->p[2], sizeof l->p[0] * (LOOKUP_DEPTH - 2));
		memset(&l->p[LOOKUP_DEPTH - 1], 0, sizeof l->p[0]);
		l->depth--;
	}
	p = &l->p[l->depth++];
	str_copy(p->cid, sizeof p->cid, cid);
	str_copy(p->reader, sizeof p->reader, reader ? reader : "");
	p->source = source;
	p->asked = ++l->asked;
	/* A branch whose mission covers every visitor looks them up at once
	 * under its fixed purpose; the audit rows say "auto". */
	if (a->branch.auto_purpose[0]) {
		str_copy(p->purpose, sizeof p->purpose, a->branch.auto_purpose);
		p->consent = AUDIT_CONSENT_AUTO;
		p->confirmed = true;
		person_send(a, l, p);
	}
	return p;
}

struct lookup_person *lookup_person_push(struct app *a, struct lookups *l, const char *cid,
					 const char *reader, enum lookup_source source)
{
	return person_push(a, l, cid, reader, source);
}

void lookup_start(struct app *a, const char *cid, const char *reader)
{
	struct lookups *l;

	/* The six services come together, under the registry right. */
	if (!app_may(a, RIGHT_REGISTRY))
		return;
	l = lookups(a);
	if (!l)
		return;
	if (l->acting) {
		lookup_acting_start(a, l, cid, reader);
		a->dirty |= DIRTY_MAIN | DIRTY_STATUS;
		return;
	}
	/* A typed ID while a card holder is shown goes on top of them: Back
	 * returns to the card holder, and the banner says whose data it is. */
	if (reader || l->depth == 0 || !l->p[0].reader[0])
		lookup_clear(a);
	person_push(a, l, cid, reader, reader ? LOOKUP_CARD : LOOKUP_TYPED);
	a->dirty |= DIRTY_MAIN;
}

bool lookup_awaiting(const struct app *a)
{
	const struct lookup_person *p = lookup_top(a);

	return p && !p->confirmed;
}

unsigned lookup_asked(const struct app *a)
{
	const struct lookup_person *p = lookup_top(a);

	return p ? p->asked : 0;
}

void lookup_confirm(struct app *a, const char *purpose, const char *consent)
{
	struct lookups *l = a->lookups;
	struct lookup_person *p;

	if (!l || l->depth == 0 || l->p[lookup_top_index(l)].confirmed)
		return;
	p = &l->p[lookup_top_index(l)];
	str_copy(p->purpose, sizeof p->purpose, purpose);
	p->consent = consent;
	p->confirmed = true;
	str_copy(l->last_purpose, sizeof l->last_purpose, purpose);
	l->last_consent = consent;
	person_send(a, l, p);
	a->dirty |= DIRTY_MAIN | DIRTY_STATUS;
}

const char *lookup_purpose_shown(const struct app *a)
{
	const struct lookups *l = a->lookups;
	const struct reader_state *r;
	const struct lookup_person *p;

	if (!l || l->depth == 0)
		return NULL;
	p = &l->p[lookup_top_index(l)];
	if (l->acting) {
		/* Both citizens are on every pane: the one in focus. */
		if (a->pane != &pane_card && !pane_shows_lookups(a))
			return NULL;
	} else if (a->pane == &pane_card) {
		/* The card pane shows the card in the reader, whoever is on top. */
		r = a->active >= 0 && a->active < a->nreaders ? &a->readers[a->active] : NULL;
		p = &l->p[0];
		if (!r || !r->rec || !p->reader[0] || strcmp(p->reader, r->name) != 0)
			return NULL;
	} else if (!pane_shows_lookups(a)) {
		return NULL;
	}
	return p->confirmed ? p->purpose : "";
}

bool lookup_last(const struct app *a, const char **purpose, const char **consent)
{
	const struct lookups *l = a->lookups;

	if (!l || !l->last_consent)
		return false;
	*purpose = l->last_purpose;
	*consent = l->last_consent;
	return true;
}

bool lookup_reask(struct app *a)
{
	struct lookups *l = a->lookups;
	struct lookup_person *p;

	if (!l || l->depth == 0 || a->branch.auto_purpose[0])
		return false;
	p = &l->p[lookup_top_index(l)];
	if (!p->confirmed)
		return false;
	/* A fetch still on its way ends as cancelled, and is audited so. */
	lookup_cancel(a);
	person_reset(p);
	p->confirmed = false;
	p->consent = NULL;
	p->asked = ++l->asked;
	a->dirty |= DIRTY_MAIN;
	return true;
}

unsigned lookup_again(struct app *a)
{
	struct lookups *l = a->lookups;
	struct lookup_person *p;

	if (!l || l->depth == 0) {
		const struct reader_state *r = app_reader(a);

		/* A card left unread for want of the right: asked for again. */
		if (r && r->present && r->refused) {
			app_card_reread(a);
			return DIRTY_MAIN | DIRTY_STATUS;
		}
		app_message(a, true, "%s", _("Nobody to ask the registry about: insert a card or type an ID"));
		return DIRTY_STATUS;
	}
	p = &l->p[lookup_top_index(l)];
	if (!p->confirmed) {
		app_message(a, true, "%s", _("Nothing was asked yet: choose the purpose first"));
		return DIRTY_STATUS;
	}
	if (p->pending) {
		app_message(a, false, "%s", _("Waiting for the grantee's card: both are asked for then"));
		return DIRTY_STATUS;
	}
	if (p->waiting > 0) {
		app_message(a, false, "%s", _("The registry is still answering"));
		return DIRTY_STATUS;
	}
	person_reset(p);
	person_send(a, l, p);
	app_message(a, false, "%s", _("Asking the registry again"));
	return DIRTY_MAIN | DIRTY_STATUS;
}

void lookup_open_member(struct app *a, const char *cid)
{
	struct lookups *l = lookups(a);

	if (!l)
		return;
	if (l->acting) {
		app_message(a, true, "%s", _("Acting for someone: household members open outside this mode (f ends it)"));
		return;
	}
	person_push(a, l, cid, NULL, LOOKUP_MEMBER);
	a->dirty |= DIRTY_MAIN;
}

bool lookup_cancel(struct app *a)
{
	struct lookups *l = a->lookups;
	struct lookup_person *p;
	tb_err cancelled = { .id = TB_E_NET_CANCELLED };

	if (!l || l->depth == 0)
		return false;
	p = &l->p[lookup_top_index(l)];
	if (p->waiting == 0)
		return false;
	if (p->f) {
		/* Keep what came; the rest ends as cancelled (and is audited so
		 * when the fetch is freed). */
		for (int i = 0; i < LOOKUP_SERVICES; i++) {
			if (linkage_fetch_take(p->f, lookup_wanted[i], &p->res[i], &p->errs[i]))
				p->res[i] = NULL;
			if (!p->res[i] && linkage_fetch_get(p->f, lookup_wanted[i], NULL, NULL) == LINKAGE_WAITING)
				p->errs[i] = cancelled;
			p->ended[i] = true;
		}
		linkage_fetch_free(&p->f);
		p->kept = true;
	} else if (p->lk2) {
		lk2_op_free(&p->batch);
		for (int i = 0; i < LOOKUP_SERVICES; i++)
			if (!p->ended[i]) {
				p->errs[i] = cancelled;
				p->ended[i] = true;
			}
	}
	p->waiting = 0;
	return true;
}

bool lookup_back(struct app *a)
{
	struct lookups *l = a->lookups;

	if (!l || l->depth < 2 || l->acting)
		return false;
	person_drop(&l->p[--l->depth]);
	return true;
}

void lookup_card_gone(struct app *a, const char *reader)
{
	struct lookups *l = a->lookups;

	/* Acting for someone, both stay (one reader may serve both) until the
	 * mode ends. */
	if (l && !l->acting && l->depth > 0 && l->p[0].reader[0] && strcmp(l->p[0].reader, reader) == 0)
		lookup_clear(a);
}

void lookup_clear(struct app *a)
{
	struct lookups *l = a->lookups;

	if (!l)
		return;
	while (l->depth > 0)
		person_drop(&l->p[--l->depth]);
	lookup_acting_clear(l);
}

void lookup_end(struct app *a)
{
	struct lookups *l = a->lookups;

	if (!l)
		return;
	lookup_clear(a);
	linkage_permission_free(&l->perm);
	lk2_op_free(&l->login);
	/* Logs the officer out of Linkage Center 2 (waits two seconds at most). */
	lk2_free(&l->lk2);
	linkage_free(&l->lk);
	explicit_bzero(l, sizeof *l);
	free(l);
	a->lookups = NULL;
}

enum linkage_state lookup_person_get(const struct lookup_person *p, int service,
				     const struct linkage_result **r, tb_err *err)
{
	if (r)
		*r = NULL;
	if (!p || p->pending)
		return LINKAGE_WAITING;
	if (p->lk2 || p->kept) {
		int i = wanted_index(service);
		if (i < 0 || !p->ended[i])
			return LINKAGE_WAITING;
		if (p->res[i]) {
			if (r)
				*r = p->res[i];
			return LINKAGE_DONE;
		}
		if (err)
			*err = p->errs[i];
		return LINKAGE_FAILED;
	}
	if (!p->f) {
		if (err)
			*err = p->err;
		return LINKAGE_FAILED;
	}
	return linkage_fetch_get(p->f, service, r, err);
}

enum linkage_state lookup_get(const struct app *a, int service, const struct linkage_result **r,
			      tb_err *err)
{
	return lookup_person_get(lookup_top(a), service, r, err);
}

bool lookup_not_holder(const struct app *a, char *cid, size_t size, enum lookup_source *source)
{
	const struct lookup_person *p = lookup_top(a);

	if (!p || p->source == LOOKUP_CARD || (a->lookups && a->lookups->acting))
		return false;
	format_cid(p->cid, cid, size);
	*source = p->source;
	return true;
}

static bool busy(const struct lookups *l)
{
	if (l->login || l->perm)
		return true;
	for (int i = 0; i < l->depth; i++)
		if ((l->p[i].f || l->p[i].lk2) && l->p[i].waiting > 0)
			return true;
	return false;
}

bool lookup_running(const struct app *a)
{
	return a->lookups && busy(a->lookups);
}

static bool pane_shows_lookups(const struct app *a)
{
	return a->pane == &pane_person || a->pane == &pane_household || a->pane == &pane_names;
}

/* --- Linkage Center 2 ------------------------------------------------------------------ */

/* The batch's answers, taken into the person (the op is then freed). */
static void batch_take(struct lookup_person *p)
{
	for (int i = 0; i < LOOKUP_SERVICES; i++) {
		if (lk2_batch_take(p->batch, lookup_wanted[i], &p->res[i], &p->errs[i]))
			p->res[i] = NULL;
		p->ended[i] = true;
	}
	p->waiting = 0;
	lk2_op_free(&p->batch);
}

static unsigned lk2_io(struct app *a, struct lookups *l)
{
	unsigned dirty = 0;
	bool running = false;

	if (l->login) {
		if (lk2_step(l->login) > 0)
			return 0;
		if (lk2_op_error(l->login, &l->login_err) == 0) {
			l->login_err = (tb_err){ 0 };
			app_message(a, false, "%s", _("Signed in to the Linkage Center"));
		}
		lk2_op_free(&l->login);
		dirty |= DIRTY_MAIN | DIRTY_STATUS;
	}
	for (int i = 0; i < l->depth; i++) {
		struct lookup_person *p = &l->p[i];

		if (!p->batch)
			continue;
		if (lk2_step(p->batch) > 0) {
			running = true;
			continue;
		}
		batch_take(p);
		dirty |= DIRTY_MAIN;
	}
	/* The next person waiting, newest first (the one on screen). */
	if (!running && !l->login && lk2_logged_in(l->lk2))
		for (int i = l->depth - 1; i >= 0; i--) {
			struct lookup_person *p = &l->p[i];
			tb_err e = { 0 };

			if (!p->lk2 || p->waiting == 0)
				continue;
			p->batch = lk2_batch_start(l->lk2, p->cid, lookup_wanted, LOOKUP_SERVICES, a->db,
						   a->user.username, p->purpose, p->consent, p->acting, &e);
			if (!p->batch) {
				for (int k = 0; k < LOOKUP_SERVICES; k++) {
					p->errs[k] = e;
					p->ended[k] = true;
				}
				p->waiting = 0;
				dirty |= DIRTY_MAIN;
				continue;
			}
			break;
		}
	return dirty;
}

/* Only Linkage Center 2 has anything to do before the first lookup (the
 * sign-in); a GDX client, and libcurl with it, waits for a card. */
static bool transport_lk2(struct app *a)
{
	return lk2_transport_from(&a->cfg, NULL) == 1;
}

void lookup_prepare(struct app *a)
{
	struct lookups *l;

	if (!transport_lk2(a))
		return;
	l = lookups(a);
	if (l)
		client(a, l);
}

enum lookup_signin lookup_signin_state(const struct app *a, tb_err *last_err)
{
	const struct lookups *l = a->lookups;

	if (!l || !l->lk2)
		return SIGNIN_NONE;
	if (last_err)
		*last_err = l->login_err;
	if (l->login)
		return SIGNIN_RUNNING;
	if (lk2_logged_in(l->lk2))
		return SIGNIN_NONE;
	return l->have_officer_card ? SIGNIN_PIN : SIGNIN_CARD;
}

void lookup_officer_card(struct app *a, const char *cid, const char *chip)
{
	struct lookups *l;

	if (!transport_lk2(a))
		return;
	l = lookups(a);
	if (!l || client(a, l) || !l->lk2 || lk2_logged_in(l->lk2))
		return;
	str_copy(l->officer_cid, sizeof l->officer_cid, cid);
	str_copy(l->chip, sizeof l->chip, chip);
	l->have_officer_card = true;
	a->dirty |= DIRTY_MAIN;
}

void lookup_signin(struct app *a, const char *pin)
{
	struct lookups *l = a->lookups;

	if (!l || !l->lk2 || !l->have_officer_card || l->login)
		return;
	l->login_err = (tb_err){ 0 };
	l->login = lk2_login_start(l->lk2, l->officer_cid, l->chip, pin, &l->login_err);
	clock_gettime(CLOCK_MONOTONIC, &l->frame_at);
	a->dirty |= DIRTY_MAIN;
}

int lookup_fds(struct app *a, struct pollfd *p, int max, int *timeout_ms)
{
	struct lookups *l = a->lookups;
	tb_err err = { 0 };
	int n = 0, t = -1;

	if (!l || (!l->lk && !l->lk2) || !busy(l))
		return 0;
	if (l->lk2 ? lk2_fds(l->lk2, p, max, &n, &t, &err) : linkage_fds(l->lk, p, max, &n, &t, &err)) {
		/* Too many sockets: step along on a short timer instead. */
		n = 0;
		t = 50;
	}
	app_timeout(timeout_ms, t);
	if (pane_shows_lookups(a))
		app_timeout(timeout_ms, SPIN_MS);
	return n;
}

/* A service that failed (refused by the Linkage Center, the gateway not
 * reached ...) goes into the diagnostics' list once, for the support report:
 * the pane shows it in place.  The error names the service, never the
 * person; a cancel is the officer's own doing; one failure of the whole
 * request is kept once, not once a service. */
static void keep_errors(struct app *a, struct lookups *l)
{
	for (int i = 0; i < l->depth; i++) {
		struct lookup_person *p = &l->p[i];
		tb_err last = { 0 };

		for (int k = 0; k < LOOKUP_SERVICES; k++) {
			tb_err e = { 0 };

			/* Not asked yet (the purpose awaited) fails with no error. */
			if (p->kept_errs & 1u << k ||
			    lookup_person_get(p, lookup_wanted[k], NULL, &e) != LINKAGE_FAILED ||
			    e.id == TB_OK)
				continue;
			p->kept_errs |= 1u << k;
			if (e.id == TB_E_NET_CANCELLED ||
			    (e.id == last.id && e.detail == last.detail))
				continue;
			last = e;
			if (!e.field)
				e.field = linkage_service_code(lookup_wanted[k]);
			app_error_keep(a, NULL, &e);
		}
	}
}

unsigned lookup_io(struct app *a)
{
	struct lookups *l = a->lookups;
	unsigned dirty = 0;
	struct timespec now;

	if (!l)
		return 0;
	keep_errors(a, l);
	if (!busy(l))
		return 0;
	if (l->lk2)
		dirty |= lk2_io(a, l);
	if (l->perm && linkage_permission_step(l->perm) == 0) {
		linkage_permission_result(l->perm, &l->presence, &l->presence_err);
		linkage_permission_free(&l->perm);
		l->presence_known = true;
		dirty |= DIRTY_MAIN;
	}
	for (int i = 0; i < l->depth; i++) {
		struct lookup_person *p = &l->p[i];
		int w;

		if (!p->f || p->waiting == 0)
			continue;
		w = linkage_fetch_step(p->f);
		if (w != p->waiting && i == lookup_top_index(l))
			dirty |= DIRTY_MAIN;
		p->waiting = w;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - l->frame_at.tv_sec) * 1000 + (now.tv_nsec - l->frame_at.tv_nsec) / 1000000 >=
	    SPIN_MS) {
		l->frame++;
		l->frame_at = now;
		if (pane_shows_lookups(a) && busy(l))
			dirty |= DIRTY_MAIN;
	}
	keep_errors(a, l);
	return pane_shows_lookups(a) ? dirty : 0;
}
