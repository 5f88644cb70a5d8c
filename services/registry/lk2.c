/* Linkage Center 2 through the agency's proxy: the client, the batch request and the poll loop's state machine (see lk2.h). */
#include "config.h"

#include "services/registry/lk2_private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/base/format.h"
#include "services/base/util.h"

struct lk2 *lk2_new(const struct lk2_config *c, tb_err *err)
{
	struct lk2 *l = calloc(1, sizeof *l);

	if (!l) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	l->c = *c;
	str_copy(l->job, sizeof l->job, c->job_id);
	{
		struct http_opts o = http_settings_opts(&l->c.http);
		l->h = http_new(&o, err);
	}
	if (!l->h)
		lk2_free(&l);
	return l;
}

int lk2_logged_in(const struct lk2 *l)
{
	return l->jwt[0] != '\0';
}

const struct lk2_stats *lk2_stats(const struct lk2 *l)
{
	return &l->st;
}

long lk2_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

long lk2_ms_of(const struct timespec *t)
{
	return (long)t->tv_sec * 1000 + t->tv_nsec / 1000000;
}

void lk2_forget_session(struct lk2 *l)
{
	explicit_bzero(l->jwt, sizeof l->jwt);
	explicit_bzero(l->officer, sizeof l->officer);
	/* The job belongs to the officer; a configured one stays. */
	explicit_bzero(l->job, sizeof l->job);
	str_copy(l->job, sizeof l->job, l->c.job_id);
}

/* Starts one call to the proxy: path under the base URL, a JSON body (or
 * NULL), with the JWT or not. */
struct http_xfer *lk2_send(struct lk2 *l, const char *method, const char *path,
				   const cJSON *body, int bearer, tb_err *err)
{
	char url[URL_MAX], auth[JWT_MAX + 32];
	const char *headers[4] = { "Accept: application/json", NULL, NULL, NULL };
	size_t base = strlen(l->c.url);
	char *text = NULL;
	struct http_xfer *x = NULL;
	int h = 1;

	while (base > 0 && l->c.url[base - 1] == '/')
		base--;
	if (base + strlen(path) + 1 > sizeof url) {
		err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.url");
		return NULL;
	}
	memcpy(url, l->c.url, base);
	strcpy(url + base, path);
	if (bearer) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", l->jwt);
		headers[h++] = auth;
	}
	if (strcmp(method, "POST") == 0) {
		text = body ? cJSON_PrintUnformatted(body) : NULL;
		if (body && !text) {
			err_set(err, TB_E_NOMEM, 0, NULL);
			goto out;
		}
		headers[h++] = "Content-Type: application/json; charset=utf-8";
		x = http_post(l->h, url, headers, text ? text : "{}", text ? strlen(text) : 2, err);
	}
	else if (strcmp(method, "DELETE") == 0)
		x = http_delete(l->h, url, headers, err);
	else
		x = http_get(l->h, url, headers, err);
out:
	if (text) {
		explicit_bzero(text, strlen(text));
		cJSON_free(text);
	}
	explicit_bzero(auth, sizeof auth);
	return x;
}

/* A transfer's answer, or the reason none came: "cannot reach the proxy"
 * is its own entry, apart from anything the Linkage Center says. */
static int xfer_answer(const struct http_xfer *x, long *status, const char **body, size_t *len,
		       tb_err *err)
{
	if (http_xfer_result(x, status, body, len, err) == 0)
		return 0;
	if (err->id == TB_E_NET_UNREACHABLE)
		err->id = TB_E_LK2_UNREACHABLE;
	return -1;
}

void lk2_op_fail(struct lk2_op *op, const tb_err *e)
{
	op->failed = 1;
	op->err = *e;
	lk2_op_finish(op);
}

/* --- the steps --------------------------------------------------------------------------- */

void lk2_start_or_fail(struct lk2_op *op, struct http_xfer *x, enum op_state next,
			  const tb_err *e)
{
	if (!x) {
		lk2_op_fail(op, e);
		return;
	}
	op->x = x;
	op->seq++;
	op->state = next;
}

void lk2_jobs_start(struct lk2_op *op)
{
	tb_err e = { 0 };

	op->l->st.jobs++;
	lk2_start_or_fail(op, lk2_send(op->l, "GET", "/api/center/user/job", NULL, 1, &e), ST_JOBS, &e);
}

static void request_start(struct lk2_op *op)
{
	cJSON *b = cJSON_CreateObject(), *data = NULL;
	tb_err e = { 0 };
	struct http_xfer *x = NULL;
	int ok = b && cJSON_AddStringToObject(b, "jobID", op->l->job) &&
		 (data = cJSON_AddArrayToObject(b, "data"));

	for (int i = 0; ok && i < op->n; i++) {
		cJSON *it = cJSON_CreateObject(), *q;

		ok = it && cJSON_AddItemToArray(data, it) &&
		     cJSON_AddNumberToObject(it, "serviceID", op->ids[i]) &&
		     (q = cJSON_AddObjectToObject(it, "query")) &&
		     cJSON_AddStringToObject(q, "personalID", op->cid);
	}
	if (ok) {
		op->l->st.requests++;
		x = lk2_send(op->l, "POST", "/api/center/request/", b, 1, &e);
	} else {
		err_set(&e, TB_E_NOMEM, 0, NULL);
	}
	cJSON_Delete(b);
	lk2_start_or_fail(op, x, ST_REQUEST, &e);
}

/* What a batch needs next: a younger JWT, a job, then the request. */
void lk2_batch_next(struct lk2_op *op)
{
	struct lk2 *l = op->l;

	if (!op->renewed && lk2_now_ms() - lk2_ms_of(&l->jwt_at) >= (long)l->c.renew_age_s * 1000)
		lk2_renew_start(op);
	else if (!l->job[0])
		lk2_jobs_start(op);
	else
		request_start(op);
}

/* The transfer of the current step is done: read its answer, move on. */
static void answer_step(struct lk2_op *op)
{
	struct lk2 *l = op->l;
	const char *body = NULL;
	size_t len = 0;
	long status = 0;
	tb_err e = { 0 };
	int rc = xfer_answer(op->x, &status, &body, &len, &e);

	if (rc == 0 && op->state != ST_REQUEST)
		lk2_message_of(body, len, op->message, sizeof op->message);

	switch (op->state) {
	case ST_LOGIN:
	case ST_CONFIRM:
	case ST_RENEW:
		lk2_session_answer(op, rc, status, body, len, &e);
		return;
	case ST_JOBS:
		if (rc == 0)
			rc = lk2_parse_jobs(status, body, len, l->job, sizeof l->job, &e);
		http_xfer_free(&op->x);
		if (rc)
			lk2_op_fail(op, &e);
		else if (op->kind == OP_LOGIN)
			lk2_op_finish(op);
		else
			request_start(op);
		return;
	case ST_REQUEST:
		if (rc == 0 && status == 401 && !op->retried) {
			/* An expired JWT: renewed, and the request sent once more. */
			http_xfer_free(&op->x);
			op->retried = 1;
			l->st.retries++;
			lk2_renew_start(op);
			return;
		}
		if (rc == 0)
			rc = lk2_parse_batch(status, body, len, op->services, op->ids, op->n,
					     &l->c.map007, op->items, op->message, sizeof op->message, &e);
		http_xfer_free(&op->x);
		if (rc) {
			if (e.id == TB_E_LK2_SESSION)
				lk2_forget_session(l);
			lk2_op_fail(op, &e);
			return;
		}
		for (int i = 0; i < op->n; i++) {
			struct linkage_result *r = op->items[i].result;
			if (r && r->service == LINKAGE_PERSON && !r->person.cid[0])
				str_copy(r->person.cid, sizeof r->person.cid, op->cid);
		}
		lk2_op_finish(op);
		return;
	default:
		http_xfer_free(&op->x);
		return;
	}
}

int lk2_step(struct lk2_op *op)
{
	tb_err e = { 0 };

	if (!op || op->state == ST_DONE)
		return 0;
	if (http_perform(op->l->h, NULL, &e)) {
		lk2_op_fail(op, &e);
		return 0;
	}
	/* A step may start the next transfer at once: give it its first go. */
	for (int guard = 0; guard < 8 && op->state != ST_DONE; guard++) {
		enum op_state before = op->state;
		unsigned seq = op->seq;

		if (op->state == ST_SIGN)
			lk2_signer_step(op);
		else if (op->x && http_xfer_done(op->x))
			answer_step(op);
		if (op->state == ST_DONE || (op->state == before && op->seq == seq))
			break;
		if (http_perform(op->l->h, NULL, &e)) {
			lk2_op_fail(op, &e);
			break;
		}
	}
	return op->state != ST_DONE;
}

int lk2_fds(struct lk2 *l, struct pollfd *p, int max, int *n, int *timeout_ms, tb_err *err)
{
	struct lk2_op *op = l->op;
	int k = 0, m = 0, t = -1, ht = -1;

	*n = 0;
	if (op && op->state == ST_SIGN) {
		long left = lk2_ms_of(&op->sg.deadline) - lk2_now_ms();

		if (op->sg.out >= 0) {
			if (max < 1)
				return err_set(err, TB_E_SYSTEM, max, "lk2_fds: no room");
			p[k++] = (struct pollfd){ .fd = op->sg.out, .events = POLLIN };
		}
		t = left < 0 ? 0 : left > 0x7fffffff ? 0x7fffffff : (int)left;
		/* Its output has ended: look for its exit soon. */
		if (op->sg.out < 0 && t > 10)
			t = 10;
	}
	if (http_fds(l->h, p + k, max - k, &m, &ht, err))
		return -1;
	if (ht >= 0 && (t < 0 || ht < t))
		t = ht;
	*n = k + m;
	*timeout_ms = t;
	return 0;
}

struct lk2_op *lk2_op_new(struct lk2 *l, enum op_kind kind, tb_err *err)
{
	struct lk2_op *op;

	if (l->op) {
		err_set(err, TB_E_USAGE, 0, "another Linkage Center request is running");
		return NULL;
	}
	op = calloc(1, sizeof *op);
	if (!op) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	op->l = l;
	op->kind = kind;
	op->sg.out = -1;
	l->op = op;
	return op;
}

struct lk2_op *lk2_batch_start(struct lk2 *l, const char *cid, const int *services, int n,
			       struct db *d, const char *username, const char *purpose, const char *consent,
			       const char *acting, tb_err *err)
{
	struct lk2_op *op;

	if (n < 1 || n > LK2_MAX_SERVICES) {
		err_set(err, TB_E_USAGE, n, "1 to 10 services in one request");
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		if (!linkage_service_code(services[i]) || lk2_service_id(&l->c, services[i]) < 0) {
			err_set(err, TB_E_USAGE, services[i], "service");
			return NULL;
		}
		for (int j = 0; j < i; j++)
			if (services[j] == services[i]) {
				err_set(err, TB_E_USAGE, services[i], "a service asked twice");
				return NULL;
			}
	}
	if (!cid || strlen(cid) != 13 || strspn(cid, "0123456789") != 13 || !cid_valid(cid)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "cid");
		return NULL;
	}
	if (d && (!username || strlen(username) >= sizeof op->username ||
		  (purpose && strlen(purpose) >= sizeof op->purpose) ||
		  (consent && strlen(consent) >= sizeof op->consent) ||
		  (acting && strlen(acting) >= sizeof op->acting))) {
		err_set(err, TB_E_USAGE, 0, "username or purpose");
		return NULL;
	}
	if (!lk2_logged_in(l)) {
		err_set(err, TB_E_LK2_SESSION, 0, "not logged in");
		return NULL;
	}
	op = lk2_op_new(l, OP_BATCH, err);
	if (!op)
		return NULL;
	str_copy(op->cid, sizeof op->cid, cid);
	op->n = n;
	for (int i = 0; i < n; i++) {
		op->services[i] = services[i];
		op->ids[i] = lk2_service_id(&l->c, services[i]);
		op->items[i].service = services[i];
	}
	op->d = d;
	if (d) {
		str_copy(op->username, sizeof op->username, username);
		str_copy(op->purpose, sizeof op->purpose, purpose ? purpose : "");
		str_copy(op->consent, sizeof op->consent, consent ? consent : "");
		str_copy(op->acting, sizeof op->acting, acting ? acting : "");
	}
	op->state = ST_REQUEST;
	lk2_batch_next(op);
	return op;
}

/* Every service asked for gets its row, whatever happened; a result whose
 * row could not be written is not shown. */
static void batch_audit(struct lk2_op *op)
{
	if (op->kind != OP_BATCH || !op->d || op->audited)
		return;
	op->audited = 1;
	for (int i = 0; i < op->n; i++) {
		struct lk2_item *it = &op->items[i];
		const tb_err *e = op->failed ? &op->err : it->result ? NULL : &it->err;
		tb_err audit_err = { 0 };

		/* The Linkage Center's own office for its services, as GDX names them. */
		if (registry_audit_query(op->d, op->username, "00023", op->services[i], op->cid,
					 op->purpose, op->consent, op->acting, e, &audit_err)) {
			linkage_result_free(&it->result);
			it->err = audit_err;
			if (op->failed)
				op->err = audit_err;
		}
	}
}

void lk2_op_finish(struct lk2_op *op)
{
	if (op->l && op->x)
		http_xfer_free(&op->x);
	lk2_signer_stop(&op->sg);
	explicit_bzero(op->pin, sizeof op->pin);
	explicit_bzero(op->chip, sizeof op->chip);
	explicit_bzero(&op->la, sizeof op->la);
	explicit_bzero(op->envelope, sizeof op->envelope);
	if (op->failed && op->kind == OP_BATCH)
		for (int i = 0; i < op->n; i++)
			linkage_result_free(&op->items[i].result);
	op->state = ST_DONE;
	batch_audit(op);
	if (op->l && op->l->op == op)
		op->l->op = NULL;
}

void lk2_op_cancel(struct lk2_op *op)
{
	tb_err e = { 0 };

	if (op->state == ST_DONE)
		return;
	err_set(&e, TB_E_NET_CANCELLED, 0, NULL);
	lk2_op_fail(op, &e);
}

int lk2_op_error(const struct lk2_op *op, tb_err *err)
{
	if (!op)
		return err_set(err, TB_E_USAGE, 0, "no operation");
	if (op->state != ST_DONE)
		return err_set(err, TB_E_USAGE, 0, "still running");
	if (op->failed) {
		if (err)
			*err = op->err;
		return -1;
	}
	return 0;
}

int lk2_batch_take(struct lk2_op *op, int service, struct linkage_result **out, tb_err *err)
{
	*out = NULL;
	if (!op || op->kind != OP_BATCH || op->state != ST_DONE)
		return err_set(err, TB_E_USAGE, 0, "batch not done");
	for (int i = 0; i < op->n; i++) {
		if (op->services[i] != service)
			continue;
		if (op->failed) {
			if (err)
				*err = op->err;
			return -1;
		}
		if (op->items[i].result) {
			*out = op->items[i].result;
			op->items[i].result = NULL;
			op->taken[i] = 1;
			return 0;
		}
		if (op->taken[i])
			return err_set(err, TB_E_USAGE, service, "already taken");
		if (err)
			*err = op->items[i].err;
		return -1;
	}
	return err_set(err, TB_E_USAGE, service, "service not in the batch");
}

const char *lk2_batch_message(const struct lk2_op *op, int service)
{
	if (!op || op->state != ST_DONE)
		return "";
	if (service == 0)
		return op->message;
	for (int i = 0; i < op->n; i++)
		if (op->services[i] == service)
			return op->failed ? op->message : op->items[i].message;
	return "";
}

void lk2_op_free(struct lk2_op **opp)
{
	struct lk2_op *op = *opp;

	if (!op)
		return;
	lk2_op_cancel(op);
	lk2_items_free(op->items, op->n);
	explicit_bzero(op, sizeof *op);
	free(op);
	*opp = NULL;
}

int lk2_run(struct lk2 *l, struct lk2_op *op, tb_err *err)
{
	while (lk2_step(op)) {
		struct pollfd p[64];
		int n = 0, t = -1;
		tb_err e = { 0 };

		if (lk2_fds(l, p, (int)(sizeof p / sizeof p[0]), &n, &t, &e)) {
			lk2_op_fail(op, &e);
			break;
		}
		if (t < 0 || t > 1000)
			t = 1000;
		if (poll(p, (nfds_t)n, t) < 0 && errno != EINTR) {
			err_set(&e, TB_E_SYSTEM, errno, "poll");
			lk2_op_fail(op, &e);
			break;
		}
	}
	return lk2_op_error(op, err);
}

void lk2_free(struct lk2 **lp)
{
	struct lk2 *l = *lp;

	if (!l)
		return;
	if (l->op) {
		/* The caller still holds it: done and cancelled, and no longer ours. */
		struct lk2_op *op = l->op;

		lk2_op_cancel(op);
		op->l = NULL;
		l->op = NULL;
	}
	if (l->h)
		lk2_logout(l);
	http_free(&l->h);
	explicit_bzero(l, sizeof *l);
	free(l);
	*lp = NULL;
}

