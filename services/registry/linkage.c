/* The Linkage Center over GDX, the client side: the services, the
 * settings, a person's services fetched together and the officer's
 * presence, all through the GDX request unit (services/gateway/gdx.h).
 * The answers are read in linkage_parse.c. */
#include "config.h"

#include "services/registry/linkage.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/base/format.h"
#include "services/base/util.h"
#include "services/accounts/audit.h"

/* --- services ------------------------------------------------------------------------ */

static const struct {
	int id;
	const char *code, *en, *th;
} services[] = {
	{ LINKAGE_PERSON, "001", "personal record", "ข้อมูลทะเบียนราษฎร" },
	{ LINKAGE_ADDRESSES, "027", "all addresses", "ที่อยู่บุคคลทุกประเภท" },
	{ LINKAGE_HOUSEHOLD, "007", "household members", "รายการคนในบ้าน" },
	{ LINKAGE_HOUSE, "008", "house details", "รายละเอียดบ้าน" },
	{ LINKAGE_FIRST_NAMES, "013", "first-name changes", "การจดทะเบียนเปลี่ยนชื่อตัว" },
	{ LINKAGE_SURNAMES, "017", "surname changes", "การจดทะเบียนเปลี่ยนชื่อสกุล" },
};
#define N_SERVICES (sizeof services / sizeof services[0])

const char *linkage_service_code(int service)
{
	for (size_t i = 0; i < N_SERVICES; i++)
		if (services[i].id == service)
			return services[i].code;
	return NULL;
}

const char *linkage_service_name(int service, enum tb_lang lang)
{
	for (size_t i = 0; i < N_SERVICES; i++)
		if (services[i].id == service)
			return lang == TB_LANG_TH ? services[i].th : services[i].en;
	return "?";
}

int linkage_service_parse(const char *s)
{
	char *end;
	long v;

	if (!s || !*s || strlen(s) > 3)
		return -1;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	v = strtol(s, &end, 10);
	return linkage_service_code((int)v) ? (int)v : -1;
}

void linkage_fieldmap_defaults(struct linkage_fieldmap *m)
{
#define LK_MAP_DEFAULT(f, key, def) str_copy(m->f, sizeof m->f, def);
	LINKAGE_007_FIELDS(LK_MAP_DEFAULT)
#undef LK_MAP_DEFAULT
}

/* --- configuration ------------------------------------------------------------------ */

/* --- configuration ------------------------------------------------------------------ */

int linkage_config_from(struct linkage_config *lc, struct config *c, tb_err *err)
{
	memset(lc, 0, sizeof *lc);
	str_copy(lc->office_id, sizeof lc->office_id, "00023");
	str_copy(lc->version, sizeof lc->version, "01");
	linkage_fieldmap_defaults(&lc->map007);
	if (config_text(c, "linkage.office_id", lc->office_id, sizeof lc->office_id, err) ||
	    config_text(c, "linkage.version", lc->version, sizeof lc->version, err))
		goto fail;
#define LK_MAP_CONF(f, key, def) \
	if (config_text(c, "linkage.007." key, lc->map007.f, sizeof lc->map007.f, err)) \
		goto fail;
	LINKAGE_007_FIELDS(LK_MAP_CONF)
#undef LK_MAP_CONF
	if (gdx_config_from(&lc->gdx, c, err))
		goto fail;
	if (!lc->office_id[0] || !lc->version[0]) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "linkage.office_id");
		goto fail;
	}
	return 0;
fail:
	linkage_config_wipe(lc);
	return -1;
}

static int linkage_apply(struct config *c, void *arg, tb_err *err)
{
	return linkage_config_from(arg, c, err);
}

int linkage_config_load(struct linkage_config *lc, const char *path, tb_err *err)
{
	return config_read(path, linkage_apply, lc, err);
}

void linkage_config_wipe(struct linkage_config *lc)
{
	explicit_bzero(lc, sizeof *lc);
}

/* --- the client ------------------------------------------------------------------------ */

struct linkage {
	struct linkage_config c;     /* the gdx part unused: the client's is g's */
	struct gdx *g;
};

struct linkage *linkage_new_on(const struct linkage_config *c, struct gdx *g, tb_err *err)
{
	struct linkage *lk = calloc(1, sizeof *lk);

	if (!lk) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	lk->c = *c;
	explicit_bzero(&lk->c.gdx, sizeof lk->c.gdx);
	lk->g = gdx_hold(g);
	return lk;
}

struct linkage *linkage_new(const struct linkage_config *c, tb_err *err)
{
	struct gdx *g = gdx_new(&c->gdx, err);
	struct linkage *lk = g ? linkage_new_on(c, g, err) : NULL;

	gdx_free(&g);   /* lk holds it */
	return lk;
}

void linkage_free(struct linkage **lkp)
{
	struct linkage *lk = *lkp;

	if (!lk)
		return;
	gdx_free(&lk->g);
	explicit_bzero(lk, sizeof *lk);
	free(lk);
	*lkp = NULL;
}

struct gdx *linkage_gdx(const struct linkage *lk)
{
	return lk->g;
}

void linkage_forget_token(struct linkage *lk)
{
	gdx_forget_token(lk->g);
}

const struct gdx_stats *linkage_stats(const struct linkage *lk)
{
	return gdx_stats(lk->g);
}

int linkage_fds(struct linkage *lk, struct pollfd *p, int max, int *n, int *timeout_ms,
		tb_err *err)
{
	return gdx_fds(lk->g, p, max, n, timeout_ms, err);
}

static int ids_ok(const char *s)
{
	return s && strlen(s) == 13 && strspn(s, "0123456789") == 13 && cid_valid(s);
}

/* The office IDs go into the URL as they are: digits only. */
static int digits_only(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* --- several services at once ------------------------------------------------------------ */

struct fetch_slot {
	int service;
	enum linkage_state state;
	struct gdx_req req;          /* once sent, audited whatever becomes of it */
	struct linkage_result *r;
	tb_err err;
};

struct linkage_fetch {
	struct linkage *lk;
	struct db *d;
	char cid[LK_CID];
	char username[128], purpose[256], consent[16], acting[64];
	struct fetch_slot s[LINKAGE_FETCH_MAX];
	int n;
	/* Rows of answers that arrive in one step share one commit (one
	 * fsync instead of six); ended[] marks whose rows it holds. */
	bool stepping, tx;
	bool ended[LINKAGE_FETCH_MAX];
};

/* One audit row per service asked for: "OK", or the error's code and the
 * gateway's number.  Registry data that was not logged is not shown. */
static void slot_audit(struct linkage_fetch *f, struct fetch_slot *s)
{
	tb_err audit_err = { 0 };

	if (!f->d)
		return;
	if (f->stepping) {
		if (!f->tx && db_tx_begin(f->d, &audit_err) == 0)
			f->tx = true;
		f->ended[s - f->s] = true;
	}
	if (registry_audit_query(f->d, f->username, f->lk->c.office_id, s->service, f->cid,
				 f->purpose[0] ? f->purpose : NULL, f->consent, f->acting,
				 s->state == LINKAGE_DONE ? NULL : &s->err, &audit_err)) {
		linkage_result_free(&s->r);
		s->state = LINKAGE_FAILED;
		s->err = audit_err;
	}
}

static void slot_end(struct linkage_fetch *f, struct fetch_slot *s, const tb_err *e)
{
	gdx_req_end(&s->req);
	s->state = e ? LINKAGE_FAILED : LINKAGE_DONE;
	if (e)
		s->err = *e;
	slot_audit(f, s);
}

/* Moves one slot on: sent, answered, parsed. */
static void slot_step(struct linkage_fetch *f, struct fetch_slot *s)
{
	const char *body;
	size_t len;
	long status;
	tb_err e = { 0 };

	switch (gdx_req_step(f->lk->g, &s->req, &status, &body, &len, NULL, &e)) {
	case GDX_WAITING:
		return;
	case GDX_FAILED:
		slot_end(f, s, &e);
		return;
	case GDX_ANSWER:
		break;
	}
	if (linkage_parse(s->service, status, body, len, &f->lk->c.map007, &s->r, &e)) {
		slot_end(f, s, &e);
		return;
	}
	if (s->service == LINKAGE_PERSON && !s->r->person.cid[0])
		str_copy(s->r->person.cid, sizeof s->r->person.cid, f->cid);
	slot_end(f, s, NULL);
}

struct linkage_fetch *linkage_fetch_start(struct linkage *lk, struct db *d,
					  const struct linkage_request *rq, const int *wanted,
					  int n, tb_err *err)
{
	struct linkage_fetch *f;

	if (n < 1 || n > LINKAGE_FETCH_MAX) {
		err_set(err, TB_E_USAGE, n, "services");
		return NULL;
	}
	for (int i = 0; i < n; i++)
		if (!linkage_service_code(wanted[i])) {
			err_set(err, TB_E_USAGE, wanted[i], "service");
			return NULL;
		}
	if (!ids_ok(rq->cid)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "cid");
		return NULL;
	}
	if (!ids_ok(rq->agent_cid)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
		return NULL;
	}
	if (!digits_only(lk->c.office_id) || !digits_only(lk->c.version)) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "linkage.office_id");
		return NULL;
	}
	f = calloc(1, sizeof *f);
	if (!f) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	f->lk = lk;
	f->d = d;
	str_copy(f->cid, sizeof f->cid, rq->cid);
	if (!str_copy(f->username, sizeof f->username, rq->username ? rq->username : "") ||
	    !str_copy(f->purpose, sizeof f->purpose, rq->purpose ? rq->purpose : "") ||
	    !str_copy(f->consent, sizeof f->consent, rq->consent ? rq->consent : "") ||
	    !str_copy(f->acting, sizeof f->acting, rq->acting ? rq->acting : "")) {
		free(f);
		err_set(err, TB_E_USAGE, 0, "purpose");
		return NULL;
	}
	f->n = n;
	for (int i = 0; i < n; i++) {
		struct gdx_req *r = &f->s[i].req;

		f->s[i].service = wanted[i];
		str_copy(r->agent, sizeof r->agent, rq->agent_cid);
		snprintf(r->path, sizeof r->path,
			 "/ws/dopa/linkage/v1/link?OfficeID=%s&ServiceID=%s&Version=%s&CitizenID=%s",
			 lk->c.office_id, linkage_service_code(wanted[i]), lk->c.version, f->cid);
	}
	/* All at once: libcurl runs them in parallel on the client's
	 * connections, after one shared token request when there is none. */
	for (int i = 0; i < n; i++) {
		tb_err e = { 0 };
		if (gdx_req_start(lk->g, &f->s[i].req, &e))
			slot_end(f, &f->s[i], &e);
	}
	return f;
}

/* Commits the rows of the services that ended in this step; when that
 * fails none of them is shown (no registry data without its row). */
static void step_commit(struct linkage_fetch *f)
{
	tb_err e = { 0 };

	f->stepping = false;
	if (!f->tx)
		return;
	f->tx = false;
	/* A lost server says so (PG-LOST: nothing was written, try again
	 * once it is back); any other failure is the row's. */
	if (db_tx_end(f->d, 1, &e) && e.id != TB_E_PG_LOST)
		e.id = TB_E_AUDIT_UNWRITTEN;
	for (int i = 0; i < f->n; i++) {
		if (e.id && f->ended[i]) {
			linkage_result_free(&f->s[i].r);
			f->s[i].state = LINKAGE_FAILED;
			f->s[i].err = e;
		}
		f->ended[i] = false;
	}
}

int linkage_fetch_step(struct linkage_fetch *f)
{
	tb_err e = { 0 };
	int waiting = 0;

	f->stepping = true;
	if (gdx_perform(f->lk->g, &e)) {
		for (int i = 0; i < f->n; i++)
			if (f->s[i].state == LINKAGE_WAITING)
				slot_end(f, &f->s[i], &e);
		step_commit(f);
		return 0;
	}
	for (int i = 0; i < f->n; i++) {
		struct fetch_slot *s = &f->s[i];

		if (s->state != LINKAGE_WAITING)
			continue;
		slot_step(f, s);
		if (s->state == LINKAGE_WAITING)
			waiting++;
	}
	step_commit(f);
	return waiting;
}

int linkage_fetch_wait(struct linkage_fetch *f, tb_err *err)
{
	while (linkage_fetch_step(f) > 0)
		if (gdx_poll(f->lk->g, err))
			return -1;
	return 0;
}

enum linkage_state linkage_fetch_get(const struct linkage_fetch *f, int service,
				     const struct linkage_result **r, tb_err *err)
{
	for (int i = 0; i < f->n; i++) {
		const struct fetch_slot *s = &f->s[i];

		if (s->service != service)
			continue;
		if (r)
			*r = s->r;
		if (err && s->state == LINKAGE_FAILED)
			*err = s->err;
		return s->state;
	}
	if (r)
		*r = NULL;
	err_set(err, TB_E_USAGE, service, "service");
	return LINKAGE_FAILED;
}

int linkage_fetch_take(struct linkage_fetch *f, int service, struct linkage_result **out,
		       tb_err *err)
{
	*out = NULL;
	for (int i = 0; i < f->n; i++) {
		struct fetch_slot *s = &f->s[i];

		if (s->service != service)
			continue;
		if (s->state == LINKAGE_DONE) {
			*out = s->r;
			s->r = NULL;
			return 0;
		}
		if (s->state == LINKAGE_FAILED) {
			if (err)
				*err = s->err;
			return -1;
		}
		return err_set(err, TB_E_USAGE, service, "still waiting");
	}
	return err_set(err, TB_E_USAGE, service, "service");
}

const char *linkage_fetch_cid(const struct linkage_fetch *f)
{
	return f->cid;
}

void linkage_fetch_free(struct linkage_fetch **fp)
{
	struct linkage_fetch *f = *fp;

	if (!f)
		return;
	for (int i = 0; i < f->n; i++) {
		struct fetch_slot *s = &f->s[i];

		/* A query already sent was seen by the gateway: it is logged
		 * as cancelled. */
		if (s->state == LINKAGE_WAITING && s->req.sent) {
			tb_err e = { .id = TB_E_NET_CANCELLED };
			slot_end(f, s, &e);
		}
		gdx_req_end(&s->req);
		linkage_result_free(&s->r);
	}
	explicit_bzero(f, sizeof *f);
	free(f);
	*fp = NULL;
}

int linkage_query(struct linkage *lk, struct db *d, const struct linkage_request *rq,
		  struct linkage_result **out, tb_err *err)
{
	struct linkage_fetch *f;
	int rc;

	*out = NULL;
	f = linkage_fetch_start(lk, d, rq, &rq->service, 1, err);
	if (!f)
		return -1;
	rc = linkage_fetch_wait(f, err);
	if (rc == 0)
		rc = linkage_fetch_take(f, rq->service, out, err);
	linkage_fetch_free(&f);
	return rc;
}

/* --- the officer's presence ------------------------------------------------------------------ */

/* --- the officer's presence ------------------------------------------------------------------ */

struct linkage_permission_op {
	struct linkage *lk;
	enum linkage_state state;
	struct gdx_req req;
	struct linkage_permission res;
	tb_err err;
};

static void permission_end(struct linkage_permission_op *op, const tb_err *e)
{
	gdx_req_end(&op->req);
	op->state = e ? LINKAGE_FAILED : LINKAGE_DONE;
	if (e)
		op->err = *e;
}

struct linkage_permission_op *linkage_permission_start(struct linkage *lk, const char *agent_cid,
							tb_err *err)
{
	const struct gdx_config *gc = gdx_settings(lk->g);
	char consumer[3 * sizeof gc->consumer_key];
	struct linkage_permission_op *op;
	int w;

	if (!ids_ok(agent_cid)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
		return NULL;
	}
	op = calloc(1, sizeof *op);
	if (!op) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	op->lk = lk;
	str_copy(op->req.agent, sizeof op->req.agent, agent_cid);
	if (http_escape(gc->consumer_key, consumer, sizeof consumer) ||
	    (w = snprintf(op->req.path, sizeof op->req.path,
			  "/ws/dopa/linkage/v1/agent/permission?Consumer=%s&CitizenID=%s", consumer,
			  agent_cid)) < 0 || (size_t)w >= sizeof op->req.path) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
		free(op);
		return NULL;
	}
	if (gdx_req_start(lk->g, &op->req, err)) {
		free(op);
		return NULL;
	}
	return op;
}

int linkage_permission_step(struct linkage_permission_op *op)
{
	const char *body;
	size_t len;
	long status;
	tb_err e = { 0 };

	if (op->state != LINKAGE_WAITING)
		return 0;
	if (gdx_perform(op->lk->g, &e)) {
		permission_end(op, &e);
		return 0;
	}
	switch (gdx_req_step(op->lk->g, &op->req, &status, &body, &len, NULL, &e)) {
	case GDX_WAITING:
		break;
	case GDX_FAILED:
		permission_end(op, &e);
		break;
	case GDX_ANSWER:
		if (linkage_parse_permission(status, body, len, &op->res, &e))
			permission_end(op, &e);
		else
			permission_end(op, NULL);
		break;
	}
	return op->state == LINKAGE_WAITING;
}

int linkage_permission_result(const struct linkage_permission_op *op,
			      struct linkage_permission *out, tb_err *err)
{
	memset(out, 0, sizeof *out);
	if (op->state == LINKAGE_WAITING)
		return err_set(err, TB_E_USAGE, 0, "still waiting");
	if (op->state == LINKAGE_FAILED) {
		if (err)
			*err = op->err;
		return -1;
	}
	*out = op->res;
	return 0;
}

void linkage_permission_free(struct linkage_permission_op **opp)
{
	struct linkage_permission_op *op = *opp;

	if (!op)
		return;
	gdx_req_end(&op->req);
	explicit_bzero(op, sizeof *op);
	free(op);
	*opp = NULL;
}

int linkage_permission(struct linkage *lk, const char *agent_cid, struct linkage_permission *out,
		       tb_err *err)
{
	struct linkage_permission_op *op;
	int rc = -1;

	memset(out, 0, sizeof *out);
	op = linkage_permission_start(lk, agent_cid, err);
	if (!op)
		return -1;
	while (linkage_permission_step(op) > 0)
		if (gdx_poll(lk->g, err))
			goto out;
	rc = linkage_permission_result(op, out, err);
out:
	linkage_permission_free(&op);
	return rc;
}

int registry_audit_query(struct db *d, const char *username, const char *office, int service,
			 const char *cid, const char *purpose, const char *consent,
			 const char *acting, const tb_err *e, tb_err *err)
{
	char what[32], result[64];
	tb_err audit_err = { 0 };

	snprintf(what, sizeof what, "%s/%s", office, linkage_service_code(service));
	if (!e)
		snprintf(result, sizeof result, "OK");
	else if (e->detail && (strcmp(err_domain(e->id), "linkage") == 0 ||
			       strcmp(err_domain(e->id), "gateway") == 0))
		snprintf(result, sizeof result, "%s %ld", err_code(e->id), e->detail);
	else
		snprintf(result, sizeof result, "%s", err_code(e->id));
	if (audit_append(d, &(struct audit_entry){ .username = username,
			 .action = AUDIT_LINKAGE_QUERY, .service = what, .subject = cid,
			 .purpose = purpose, .consent = consent, .acting = acting, .result = result },
			 &audit_err) == 0)
		return 0;
	/* The database's code stays as the detail, for support; a lost
	 * server is said as such. */
	if (audit_err.id != TB_E_PG_LOST)
		audit_err.id = TB_E_AUDIT_UNWRITTEN;
	if (err)
		*err = audit_err;
	return -1;
}
