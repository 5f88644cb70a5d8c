/* DBD juristic persons, the client: a lookup from start to finish, over
 * the GDX request unit (services/gateway/gdx.h) or the open API on a
 * client of its own, with the cache in between (see juristic.h). */
#include "config.h"

#include "services/juristic/juristic.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "services/accounts/audit.h"
#include "services/base/util.h"
#include "services/base/wipe.h"
#include "storage/juristic_db.h"

#define URL_MAX 2048
/* A cached copy is the raw answers, kept together under this mark so the
 * same parsers read them back (an older copy is the profile's body alone). */
#define CACHE_MARK "tabien.cache"

struct juristic {
	struct juristic_config c;
	struct gdx *gdx;          /* gdx: the program's GDX client, held */
	struct http *h;           /* open: a client of its own */
	struct juristic_stats st;
	int purged;               /* old copies deleted once per client */
};

struct juristic *juristic_new(const struct juristic_config *c, struct gdx *gdx, tb_err *err)
{
	struct juristic *j;
	struct http_opts o = http_settings_opts(&c->http);

	if (c->source == JURISTIC_GDX && !gdx) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
		return NULL;
	}
	j = calloc(1, sizeof *j);
	if (!j) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	j->c = *c;
	if (c->source == JURISTIC_GDX) {
		/* The token and the connections are the GDX client's. */
		j->gdx = gdx_hold(gdx);
		return j;
	}
	j->h = http_new(&o, err);
	if (!j->h)
		juristic_free(&j);
	return j;
}

void juristic_free(struct juristic **jp)
{
	struct juristic *j = *jp;

	if (!j)
		return;
	http_free(&j->h);
	gdx_free(&j->gdx);
	free(j);
	*jp = NULL;
}

const struct juristic_stats *juristic_stats(const struct juristic *j)
{
	return &j->st;
}

enum juristic_source juristic_source_of(const struct juristic *j)
{
	return j->c.source;
}

/* The profile, then the parts some sources add. */
enum { PART_PROFILE, PART_SHAREHOLDERS, PART_FINANCIALS, PARTS };

struct answer {
	int got;                  /* the transfer ended: a body or err */
	long status;
	char ctype[128];
	char *body;
	size_t len;
	tb_err err;
};

static void answer_free(struct answer *a)
{
	/* The answer names directors and shareholders. */
	wipe_free(a->body);
	*a = (struct answer){ 0 };
}

enum op_state { OP_SENT, OP_DONE };

struct juristic_op {
	struct juristic *j;
	char id[JR_ID], agent[JR_ID];
	char *username, *purpose;
	int refresh;
	enum op_state state;
	int cancelled;
	int64_t now;
	struct http_xfer *x[PARTS];       /* open */
	struct gdx_req req[PARTS];        /* gdx */
	bool running[PARTS];
	struct answer a[PARTS];
	tb_err why;               /* no answer at all: the set-up */
	struct juristic_result *cached;   /* a fresh copy: nothing was sent */
};

/* Whether this client asks for a part beyond the profile. */
static const char *part_path(const struct juristic *j, int part)
{
	const char *p = part == PART_SHAREHOLDERS ? j->c.shareholders_path
			: part == PART_FINANCIALS ? j->c.financials_path : "";

	return j->c.source == JURISTIC_GDX && p[0] ? p : NULL;
}

/* One GDX request of the lookup: the profile POSTed, the parts with the ID
 * in the query, as DBD's other GDX services. */
static int gdx_send(struct juristic_op *op, int p, tb_err *err)
{
	struct gdx_req *r = &op->req[p];
	int w;

	str_copy(r->agent, sizeof r->agent, op->agent);
	if (p == PART_PROFILE) {
		str_copy(r->path, sizeof r->path, op->j->c.gdx_path);
		w = snprintf(r->body, sizeof r->body, "{\"OrganizationJuristicID\":\"%s\"}", op->id);
		r->body_len = (size_t)w;
	} else {
		w = snprintf(r->path, sizeof r->path, "%s?JuristicID=%s", part_path(op->j, p), op->id);
		if (w < 0 || (size_t)w >= sizeof r->path)
			return err_set(err, TB_E_CONFIG, 0, p == PART_SHAREHOLDERS
				       ? "dbd.shareholders_path" : "dbd.financials_path");
	}
	if (gdx_req_start(op->j->gdx, r, err))
		return -1;
	op->running[p] = true;
	return 0;
}

/* Sends every request of the lookup at once (one connection is reused when
 * the server allows; HTTP/2 multiplexes them); the GDX ones wait for the
 * officer's token when there is no fresh one. */
static int op_send(struct juristic_op *op, tb_err *err)
{
	static const char *const open_headers[] = { "Accept: application/json", NULL };
	struct juristic *j = op->j;
	char url[URL_MAX];

	if (j->c.source == JURISTIC_OPEN) {
		size_t n = strlen(j->c.open_url);
		int w;

		while (n > 0 && j->c.open_url[n - 1] == '/')
			n--;
		w = snprintf(url, sizeof url, "%.*s%s%s", (int)n, j->c.open_url, j->c.open_path, op->id);
		if (w < 0 || (size_t)w >= sizeof url)
			return err_set(err, TB_E_CONFIG, 0, "dbd.open_url");
		op->x[PART_PROFILE] = http_get(j->h, url, open_headers, err);
		if (!op->x[PART_PROFILE])
			return -1;
		op->running[PART_PROFILE] = true;
		j->st.requests++;
		return 0;
	}
	for (int p = 0; p < PARTS; p++) {
		if (p != PART_PROFILE && !part_path(j, p))
			continue;
		if (gdx_send(op, p, err))
			return -1;
		if (p == PART_PROFILE)
			j->st.requests++;
		else
			j->st.part_requests++;
	}
	return 0;
}

/* Keeps an answer's body: the transfer goes before the lookup ends. */
static void answer_keep(struct answer *a, long status, const char *ctype, const char *b,
			size_t len)
{
	a->status = status;
	a->len = len;
	str_copy(a->ctype, sizeof a->ctype, ctype ? ctype : "");
	a->body = malloc(len + 1);
	if (!a->body)
		err_set(&a->err, TB_E_NOMEM, 0, NULL);
	else
		memcpy(a->body, b, len + 1);
}

/* Moves one part on; whether it still runs. */
static bool part_step(struct juristic_op *op, int p)
{
	struct answer *a = &op->a[p];
	const char *b, *ctype = NULL;
	long status;
	size_t len;
	tb_err e = { 0 };

	if (op->j->gdx) {
		switch (gdx_req_step(op->j->gdx, &op->req[p], &status, &b, &len, &ctype, &e)) {
		case GDX_WAITING:
			return true;
		case GDX_FAILED:
			answer_free(a);
			a->err = e;
			break;
		case GDX_ANSWER:
			answer_free(a);
			answer_keep(a, status, ctype, b, len);
			break;
		}
		gdx_req_end(&op->req[p]);
	} else {
		struct http_xfer *x = op->x[p];

		if (!http_xfer_done(x))
			return true;
		answer_free(a);
		if (http_xfer_result(x, &status, &b, &len, &a->err) == 0)
			answer_keep(a, status, http_xfer_content_type(x), b, len);
		else if (a->err.id == TB_E_NET_UNREACHABLE)
			/* Not the GDX gateway: name the service that failed. */
			a->err.id = TB_E_DBD_UNREACHABLE;
		http_xfer_free(&op->x[p]);
	}
	a->got = 1;
	op->running[p] = false;
	return false;
}

int juristic_step(struct juristic_op *op)
{
	struct juristic *j = op->j;
	tb_err e = { 0 };
	int running = 0;

	if (op->state == OP_DONE)
		return 1;
	if (j->gdx ? gdx_perform(j->gdx, &e) : http_perform(j->h, NULL, &e)) {
		op->why = e;
		juristic_cancel(op);
	}
	for (int p = 0; p < PARTS; p++)
		if (op->running[p] && part_step(op, p))
			running++;
	if (running)
		return 0;
	op->state = OP_DONE;
	return 1;
}

int juristic_fds(struct juristic *j, struct pollfd *p, int max, int *n, int *timeout_ms,
		 tb_err *err)
{
	if (j->gdx)
		return gdx_fds(j->gdx, p, max, n, timeout_ms, err);
	return http_fds(j->h, p, max, n, timeout_ms, err);
}

void juristic_cancel(struct juristic_op *op)
{
	op->cancelled = 1;
	for (int p = 0; p < PARTS; p++) {
		if (op->x[p])
			http_cancel(op->x[p]);
		gdx_req_cancel(&op->req[p]);
	}
}

void juristic_op_free(struct juristic_op **opp)
{
	struct juristic_op *op = *opp;

	if (!op)
		return;
	for (int p = 0; p < PARTS; p++) {
		http_xfer_free(&op->x[p]);
		gdx_req_end(&op->req[p]);
		answer_free(&op->a[p]);
	}
	juristic_result_free(&op->cached);
	free(op->username);
	free(op->purpose);
	free(op);
	*opp = NULL;
}

const char *juristic_op_id(const struct juristic_op *op)
{
	return op->id;
}

/* --- the cache --------------------------------------------------------------------------- */

/* A part's answer into r, or the part marked failed with why. */
static void part_take(struct juristic *j, int p, enum juristic_source src, long status,
		      const char *ctype, const char *body, size_t len, struct juristic_result *r)
{
	tb_err e = { 0 };
	int rc = p == PART_SHAREHOLDERS
		? juristic_parse_shareholders(src, status, ctype, body, len, &j->c.map, r, &e)
		: juristic_parse_financials(src, status, ctype, body, len, &j->c.map, r, &e);

	if (rc == 0)
		return;
	if (p == PART_SHAREHOLDERS) {
		r->shareholders_part = JURISTIC_PART_FAILED;
		r->shareholders_err = e;
	} else {
		r->financials_part = JURISTIC_PART_FAILED;
		r->financials_err = e;
	}
}

static void part_fail(struct juristic_result *r, int p, const tb_err *e)
{
	if (p == PART_SHAREHOLDERS) {
		r->shareholders_part = JURISTIC_PART_FAILED;
		r->shareholders_err = *e;
	} else {
		r->financials_part = JURISTIC_PART_FAILED;
		r->financials_err = *e;
	}
}

static const char *const part_names[PARTS] = { "profile", "shareholders", "financials" };

/* A cached copy parsed; 1 found, 0 none (or unreadable: then ignored). */
static int from_cache(struct juristic *j, struct db *d, const char *id, const char *source,
		      struct juristic_result **out, tb_err *err)
{
	char src[8] = "";
	char *body = NULL;
	size_t len = 0;
	int64_t at = 0;
	tb_err perr = { 0 };
	enum juristic_source s;
	const char *parts[PARTS] = { NULL };
	cJSON *env = NULL;
	int rc = juristic_db_get(d, id, source, &body, &len, &at, src, sizeof src, err);

	if (rc <= 0)
		return rc;
	s = strcmp(src, "gdx") == 0 ? JURISTIC_GDX : JURISTIC_OPEN;
	env = cJSON_ParseWithLength(body, len);
	if (cJSON_IsObject(env) && cJSON_GetObjectItemCaseSensitive(env, CACHE_MARK)) {
		for (int p = 0; p < PARTS; p++)
			parts[p] = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(env, part_names[p]));
	} else {
		parts[PART_PROFILE] = body;
	}
	rc = parts[PART_PROFILE] && juristic_parse(s, 200, NULL, parts[PART_PROFILE],
						    strlen(parts[PART_PROFILE]), &j->c.map, out, &perr) == 0;
	if (rc) {
		(*out)->fetched_at = at;
		for (int p = PART_SHAREHOLDERS; p < PARTS; p++) {
			if (parts[p])
				part_take(j, p, s, 200, NULL, parts[p], strlen(parts[p]), *out);
			else if (s == JURISTIC_GDX && part_path(j, p))
				part_fail(*out, p, &(tb_err){ .id = TB_E_DBD_PART_MISSING });
		}
	}
	cJSON_Delete(env);
	wipe_free(body);
	return rc;
}

/* The answers kept as one copy; a part that failed is left out. */
static void to_cache(struct juristic_op *op, struct db *d, const struct juristic_result *r)
{
	const char *src = juristic_source_name(op->j->c.source);
	cJSON *env = cJSON_CreateObject();
	char *text;

	if (!env)
		return;
	cJSON_AddNumberToObject(env, CACHE_MARK, 1);
	cJSON_AddStringToObject(env, part_names[PART_PROFILE], op->a[PART_PROFILE].body);
	if (r->shareholders_part == JURISTIC_PART_OK && op->a[PART_SHAREHOLDERS].body)
		cJSON_AddStringToObject(env, part_names[PART_SHAREHOLDERS], op->a[PART_SHAREHOLDERS].body);
	if (r->financials_part == JURISTIC_PART_OK && op->a[PART_FINANCIALS].body)
		cJSON_AddStringToObject(env, part_names[PART_FINANCIALS], op->a[PART_FINANCIALS].body);
	text = cJSON_PrintUnformatted(env);
	/* A copy that cannot be kept costs only the next lookup. */
	if (text)
		juristic_db_put(d, op->id, src, op->now, text, strlen(text), NULL);
	cJSON_free(text);
	cJSON_Delete(env);
}

long juristic_cache_purge(const struct juristic_config *c, struct db *d, long keep_days,
			  tb_err *err)
{
	if (keep_days < 0) {
		keep_days = c->cache_keep_days;
		if (keep_days == 0)
			return 0;
	}
	return juristic_db_purge(d, keep_days ? db_now(d) - (int64_t)keep_days * 86400 : INT64_MAX,
				 err);
}

/* --- a lookup from start to finish ---------------------------------------------------------- */

struct juristic_op *juristic_start(struct juristic *j, struct db *d,
				   const struct juristic_request *rq, tb_err *err)
{
	const char *src = juristic_source_name(j->c.source);
	struct juristic_op *op;
	tb_err e = { 0 };
	int rc;

	if (!juristic_id_valid(rq->id)) {
		err_set(err, TB_E_DBD_ID_INVALID, 0, "juristic id");
		return NULL;
	}
	if (j->c.source == JURISTIC_GDX && !juristic_id_valid(rq->agent_cid)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
		return NULL;
	}
	op = calloc(1, sizeof *op);
	if (op) {
		op->username = strdup(rq->username ? rq->username : "");
		op->purpose = rq->purpose ? strdup(rq->purpose) : NULL;
	}
	if (!op || !op->username || (rq->purpose && !op->purpose)) {
		juristic_op_free(&op);
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	op->j = j;
	str_copy(op->id, sizeof op->id, rq->id);
	if (rq->agent_cid)
		str_copy(op->agent, sizeof op->agent, rq->agent_cid);
	op->refresh = rq->refresh;
	op->now = d ? db_now(d) : (int64_t)time(NULL);
	if (d && !j->purged) {
		j->purged = 1;
		juristic_cache_purge(&j->c, d, -1, NULL);
	}
	if (d && !rq->refresh && j->c.cache_ttl_s > 0) {
		rc = from_cache(j, d, op->id, src, &op->cached, &e);
		if (rc < 0) {
			op->why = e;
			op->state = OP_DONE;
			return op;
		}
		if (rc && op->now - op->cached->fetched_at < j->c.cache_ttl_s &&
		    op->now >= op->cached->fetched_at) {
			op->state = OP_DONE;
			return op;
		}
		juristic_result_free(&op->cached);
	}
	op->state = OP_SENT;
	if (op_send(op, &e)) {
		/* What was sent is dropped: the lookup ends on why. */
		juristic_cancel(op);
		op->why = e;
	}
	juristic_step(op);
	return op;
}

/* The lookup's outcome, before its audit row. */
static int op_result(struct juristic_op *op, struct db *d, struct juristic_result **out,
		     tb_err *err)
{
	struct juristic *j = op->j;
	struct answer *a = &op->a[PART_PROFILE];
	const char *src = juristic_source_name(j->c.source);
	tb_err why = op->why;
	int rc;

	if (op->cached) {
		*out = op->cached;
		op->cached = NULL;
		(*out)->from_cache = 1;
		j->st.cache_hits++;
		return 0;
	}
	if (!why.id && op->cancelled)
		err_set(&why, TB_E_NET_CANCELLED, 0, NULL);
	if (!why.id && !a->got)
		err_set(&why, TB_E_SYSTEM, 0, "juristic_finish before the end");
	if (!why.id && a->err.id)
		why = a->err;
	if (!why.id &&
	    juristic_parse(j->c.source, a->status, a->ctype, a->body, a->len, &j->c.map, out, &why) == 0) {
		struct juristic_result *r = *out;

		r->fetched_at = op->now;
		if (!r->id[0])
			str_copy(r->id, sizeof r->id, op->id);
		for (int p = PART_SHAREHOLDERS; p < PARTS; p++) {
			struct answer *pa = &op->a[p];

			if (!part_path(j, p))
				continue;
			if (pa->err.id || !pa->got)
				part_fail(r, p, pa->err.id ? &pa->err : &(tb_err){ .id = TB_E_NET_CANCELLED });
			else
				part_take(j, p, j->c.source, pa->status, pa->ctype, pa->body, pa->len, r);
		}
		if (d)
			to_cache(op, d, r);
		return 0;
	}
	if (d && juristic_err_transient(&why)) {
		/* The same source's copy first; else the other's, better than none. */
		rc = from_cache(j, d, op->id, src, out, err);
		if (rc == 0)
			rc = from_cache(j, d, op->id, NULL, out, err);
		if (rc < 0)
			return -1;
		if (rc) {
			(*out)->stale = 1;
			(*out)->stale_reason = why;
			j->st.stale++;
			return 0;
		}
	}
	if (err)
		*err = why;
	return -1;
}

int juristic_finish(struct juristic_op **opp, struct db *d, struct juristic_result **out,
		    tb_err *err)
{
	struct juristic_op *op = *opp;
	char service[16], result[96];
	tb_err audit_err = { 0 }, e = { 0 };
	int rc;

	*out = NULL;
	rc = op_result(op, d, out, &e);
	if (rc && err)
		*err = e;
	if (d) {
		snprintf(service, sizeof service, "dbd/%s", juristic_source_name(op->j->c.source));
		if (rc == 0 && (*out)->stale)
			snprintf(result, sizeof result, "STALE %s %ld",
				 err_code((*out)->stale_reason.id), (*out)->stale_reason.detail);
		else if (rc == 0)
			snprintf(result, sizeof result, (*out)->from_cache ? "OK cache" : "OK");
		else if (e.detail)
			snprintf(result, sizeof result, "%s %ld", err_code(e.id), e.detail);
		else
			snprintf(result, sizeof result, "%s", err_code(e.id));
		if (audit_append(d, &(struct audit_entry){ .username = op->username,
				 .action = AUDIT_JURISTIC_QUERY, .service = service, .subject = op->id,
				 .purpose = op->purpose, .result = result }, &audit_err)) {
			/* What was not logged is not shown.  The database's
			 * code stays as the detail, for support; a lost
			 * server is said as such. */
			juristic_result_free(out);
			if (audit_err.id != TB_E_PG_LOST)
				audit_err.id = TB_E_AUDIT_UNWRITTEN;
			if (err)
				*err = audit_err;
			rc = -1;
		}
	}
	juristic_op_free(opp);
	return rc;
}

int juristic_lookup(struct juristic *j, struct db *d, const struct juristic_request *rq,
		    struct juristic_result **out, tb_err *err)
{
	struct juristic_op *op;

	*out = NULL;
	op = juristic_start(j, d, rq, err);
	if (!op)
		return -1;
	while (!juristic_step(op)) {
		struct pollfd p[32];
		int n = 0, t = -1;

		if (juristic_fds(j, p, (int)(sizeof p / sizeof p[0]), &n, &t, NULL))
			n = 0, t = 100;
		if (t < 0 || t > 1000)
			t = 1000;
		if (poll(p, (nfds_t)n, t) < 0 && errno != EINTR)
			break;
	}
	return juristic_finish(&op, d, out, err);
}
