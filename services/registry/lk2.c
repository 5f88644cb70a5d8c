/* Linkage Center 2 through the agency's proxy: see lk2.h. */
#include "config.h"

#include "services/registry/lk2.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "services/accounts/audit.h"
#include "services/base/format.h"
#include "services/gateway/http.h"
#include "services/base/util.h"

#define JWT_MAX 4096
#define URL_MAX 1024
#define ENVELOPE_MAX 8192
#define SIGNER_ARGS 8
#define LOGOUT_WAIT_MS 2000
#define PIN_MAX 16

/* --- configuration ------------------------------------------------------------------ */

/* Placeholders (see lk2.h): the agency's list of LK2 IDs replaces them. */
static const struct {
	int service;
	const char *key;
	int id;
} default_map[LK2_N_SERVICES] = {
	{ LINKAGE_PERSON, "lk2.service.001", 1 },
	{ LINKAGE_ADDRESSES, "lk2.service.027", 2 },
	{ LINKAGE_HOUSEHOLD, "lk2.service.007", 3 },
	{ LINKAGE_HOUSE, "lk2.service.008", 4 },
	{ LINKAGE_FIRST_NAMES, "lk2.service.013", 5 },
	{ LINKAGE_SURNAMES, "lk2.service.017", 6 },
};

int lk2_config_from(struct lk2_config *lc, struct config *c, tb_err *err)
{
	long login_type = 1, renew = 600, signer_ms = 15000;

	memset(lc, 0, sizeof *lc);
	linkage_fieldmap_defaults(&lc->map007);
	if (config_text(c, "lk2.url", lc->url, sizeof lc->url, err) ||
	    config_long(c, "lk2.login_type", 1, 2, &login_type, err) ||
	    config_text(c, "lk2.office_id", lc->office_id, sizeof lc->office_id, err) ||
	    config_text(c, "lk2.job_id", lc->job_id, sizeof lc->job_id, err) ||
	    config_long(c, "lk2.renew_age_s", 0, 86400, &renew, err) ||
	    config_text(c, "lk2.signer", lc->signer, sizeof lc->signer, err) ||
	    config_long(c, "lk2.signer_timeout_ms", 100, 600000, &signer_ms, err) ||
	    config_text(c, "lk2.chip_field", lc->chip_field, sizeof lc->chip_field, err) ||
	    http_settings_from(c, &lc->http, err))
		goto fail;
	for (int i = 0; i < LK2_N_SERVICES; i++) {
		long id = default_map[i].id;

		if (config_long(c, default_map[i].key, 1, 1000000, &id, err))
			goto fail;
		lc->map[i].service = default_map[i].service;
		lc->map[i].id = (int)id;
	}
#define LK2_MAP_CONF(f, key, def) \
	if (config_text(c, "linkage.007." key, lc->map007.f, sizeof lc->map007.f, err)) \
		goto fail;
	LINKAGE_007_FIELDS(LK2_MAP_CONF)
#undef LK2_MAP_CONF
	lc->login_type = (int)login_type;
	lc->renew_age_s = (int)renew;
	lc->signer_timeout_ms = signer_ms;
	if (!lc->chip_field[0])
		str_copy(lc->chip_field, sizeof lc->chip_field, "photo_no");
	if (strcmp(lc->chip_field, "photo_no") != 0 && strcmp(lc->chip_field, "request_no") != 0) {
		err_set(err, TB_E_CONFIG, 0, "lk2.chip_field");
		goto fail;
	}
	/* The file names the program that receives the officer's PIN: whoever
	 * may change it may send PINs anywhere, so it is held to the rule ssh
	 * applies to its keys, like the file that holds the GDX secret. */
	if (lc->signer[0] && config_private(c, TB_E_LK2_CONFIG_MODE, "lk2.signer", err))
		goto fail;
	if (!lc->url[0]) {
		err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.url");
		goto fail;
	}
	if (strncmp(lc->url, "https://", 8) != 0 && strncmp(lc->url, "http://", 7) != 0) {
		err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.url (https://...)");
		goto fail;
	}
	if (http_url_check(lc->url, "lk2.url", err))
		goto fail;
	if (lc->login_type != 1) {
		err_set(err, TB_E_LK2_NOT_SET_UP, lc->login_type, "lk2.login_type (1: the officer's card)");
		goto fail;
	}
	if (!lc->signer[0]) {
		err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.signer");
		goto fail;
	}
	if (lc->signer[0] != '/') {
		err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.signer (a full path)");
		goto fail;
	}
	for (int i = 0; i < LK2_N_SERVICES; i++)
		for (int j = i + 1; j < LK2_N_SERVICES; j++)
			if (lc->map[i].id == lc->map[j].id) {
				err_set(err, TB_E_LK2_NOT_SET_UP, lc->map[j].id,
					"lk2.service.* (one ID for two services)");
				goto fail;
			}
	return 0;
fail:
	lk2_config_wipe(lc);
	return -1;
}

int lk2_config_load(struct lk2_config *lc, const char *path, tb_err *err)
{
	struct config *c = calloc(1, sizeof *c);
	int r;

	if (!c)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	r = config_load(c, path, err);
	if (r == 0)
		r = lk2_config_from(lc, c, err);
	explicit_bzero(c, sizeof *c);
	free(c);
	return r;
}

void lk2_config_wipe(struct lk2_config *lc)
{
	explicit_bzero(lc, sizeof *lc);
}

int lk2_service_id(const struct lk2_config *lc, int service)
{
	for (int i = 0; i < LK2_N_SERVICES; i++)
		if (lc->map[i].service == service && lc->map[i].id > 0)
			return lc->map[i].id;
	return -1;
}

int lk2_transport_from(struct config *c, tb_err *err)
{
	const char *v = config_get(c, "linkage.transport");

	if (!v || strcmp(v, "gdx") == 0)
		return 0;
	if (strcmp(v, "lk2") == 0)
		return 1;
	return err_set(err, TB_E_CONFIG, 0, "linkage.transport (gdx or lk2)");
}

/* --- reading answers ------------------------------------------------------------------ */

static const cJSON *field(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

/* A whole number sent as a JSON number or as a string of digits. */
static long number_of(const cJSON *v, long unknown)
{
	if (cJSON_IsNumber(v) && v->valuedouble > -1e12 && v->valuedouble < 1e12 &&
	    v->valuedouble == (double)(long)v->valuedouble)
		return (long)v->valuedouble;
	if (cJSON_IsString(v) && v->valuestring[0] && strlen(v->valuestring) < 12 &&
	    strspn(v->valuestring, "0123456789") == strlen(v->valuestring))
		return strtol(v->valuestring, NULL, 10);
	return unknown;
}

/* Text from the proxy for people to read: whole UTF-8 characters only and
 * nothing a terminal would act on (C0 and C1 controls are dropped). */
static void text_clean(char *out, size_t size, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	while (*p) {
		size_t n = 1;

		if (*p >= 0xC0)
			while ((p[n] & 0xC0) == 0x80 && n < 4)
				n++;
		if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) ||
		    (*p >= 0x80 && *p < 0xC0)) {
			p += n;
			continue;
		}
		if (o + n >= size)
			break;
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
	while (o > 0 && out[o - 1] == ' ')
		out[--o] = '\0';
}

/* Goes into a header, a JSON string or the signer's input line: printable
 * ASCII without spaces only. */
static int token_text_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return 0;
	return 1;
}

static cJSON *json_parse(const char *body, size_t len)
{
	if (!body)
		return NULL;
	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
		body += 3;
		len -= 3;
	}
	return len ? cJSON_ParseWithLength(body, len) : NULL;
}

enum tb_err_id lk2_code_error(long code)
{
	switch (code) {
	case 90090: case 1001:
		return TB_E_LK2_WRONG_PIN;
	case 1002:
		return TB_E_LK2_PIN_BLOCKED;
	default:
		return linkage_code_error(code);
	}
}

/* Which call an answer is for: the login's own (no JWT yet), one with the
 * JWT, or the request (where 403 means the job). */
enum ctx { CTX_LOGIN, CTX_BEARER, CTX_REQUEST };

/* The part every answer shares: {errorNumber, errorMessage}, then the HTTP
 * status, then JSON.  errorNumber is a Linkage code (90001, 95011 ...) or
 * the HTTP status again (401, 403). */
static int answer_check(long status, const cJSON *root, enum ctx ctx, char *msg, size_t msize,
			tb_err *err)
{
	long code = number_of(field(root, "errorNumber"), 0);
	const cJSON *m = field(root, "errorMessage");

	if (msg && msize) {
		msg[0] = '\0';
		if (cJSON_IsString(m))
			text_clean(msg, msize, m->valuestring);
	}
	if (code >= 1000)
		return err_set(err, lk2_code_error(code), code, NULL);
	if (code == 401 || status == 401)
		return err_set(err, ctx == CTX_LOGIN ? TB_E_LK_SESSION : TB_E_LK2_SESSION, 401, NULL);
	if (code == 403 || status == 403)
		return err_set(err, ctx == CTX_REQUEST ? TB_E_LK2_JOB :
			       ctx == CTX_LOGIN ? TB_E_LK_SESSION : TB_E_LK2_SESSION, 403, NULL);
	if (code > 0 && (code < 200 || code > 299) && http_status_check(code, err))
		return -1;
	if (http_status_check(status, err))
		return -1;
	if (!root)
		return err_set(err, TB_E_NET_MALFORMED, 0, "not JSON");
	return 0;
}

int lk2_parse_login(long status, const char *body, size_t len, const char *want_office,
		    struct lk2_login_answer *out, tb_err *err)
{
	cJSON *root = json_parse(body, len);
	const cJSON *offices, *o, *random;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (answer_check(status, root, CTX_LOGIN, NULL, 0, err))
		goto out;
	random = field(root, "random");
	if (!cJSON_IsString(random) || !token_text_ok(random->valuestring) ||
	    !str_copy(out->random, sizeof out->random, random->valuestring)) {
		err_set(err, TB_E_NET_MALFORMED, 0, "login: no random");
		goto out;
	}
	offices = field(root, "office");
	if (!cJSON_IsArray(offices))
		offices = field(root, "offices");
	if (!cJSON_IsArray(offices))
		offices = NULL;
	cJSON_ArrayForEach(o, offices) {
		const cJSON *id = field(o, "id");
		char text[64];

		if (cJSON_IsString(id) && token_text_ok(id->valuestring) &&
		    strlen(id->valuestring) < sizeof text)
			str_copy(text, sizeof text, id->valuestring);
		else if (number_of(id, -1) >= 0 && cJSON_IsNumber(id))
			snprintf(text, sizeof text, "%ld", number_of(id, -1));
		else
			continue;
		out->n_offices++;
		if (!out->office_id[0] && (!want_office || !want_office[0] ||
					   strcmp(want_office, text) == 0)) {
			str_copy(out->office_id, sizeof out->office_id, text);
			out->office_is_number = cJSON_IsNumber(id);
		}
	}
	if (!out->office_id[0]) {
		err_set(err, TB_E_LK2_NO_OFFICE, out->n_offices,
			want_office && want_office[0] ? "lk2.office_id" : "no office offered");
		goto out;
	}
	rc = 0;
out:
	if (rc)
		explicit_bzero(out, sizeof *out);
	cJSON_Delete(root);
	return rc;
}

int lk2_parse_token(long status, const char *body, size_t len, char *out, size_t size,
		    tb_err *err)
{
	cJSON *root = json_parse(body, len);
	const cJSON *t;
	int rc = -1;

	out[0] = '\0';
	if (answer_check(status, root, CTX_BEARER, NULL, 0, err))
		goto out;
	t = field(root, "token");
	if (!cJSON_IsString(t) || !token_text_ok(t->valuestring)) {
		err_set(err, TB_E_NET_MALFORMED, 0, "no token");
		goto out;
	}
	if (!str_copy(out, size, t->valuestring)) {
		explicit_bzero(out, size);
		err_set(err, TB_E_NET_MALFORMED, 0, "token too long");
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

int lk2_parse_jobs(long status, const char *body, size_t len, char *out, size_t size,
		   tb_err *err)
{
	cJSON *root = json_parse(body, len);
	const cJSON *jobs, *j;
	int rc = -1;

	out[0] = '\0';
	if (answer_check(status, root, CTX_REQUEST, NULL, 0, err))
		goto out;
	jobs = field(root, "job");
	if (!cJSON_IsArray(jobs)) {
		err_set(err, TB_E_NET_MALFORMED, 0, "no job list");
		goto out;
	}
	cJSON_ArrayForEach(j, jobs) {
		if (cJSON_IsObject(j))
			j = field(j, "id");
		if (cJSON_IsString(j) && token_text_ok(j->valuestring) &&
		    str_copy(out, size, j->valuestring)) {
			rc = 0;
			goto out;
		}
		if (!j)
			break;
	}
	err_set(err, TB_E_LK2_JOB, 0, "no job for this officer");
out:
	cJSON_Delete(root);
	return rc;
}

/* One item of a batch: its own status, error and data. */
static void item_parse(const cJSON *el, const struct linkage_fieldmap *map, struct lk2_item *it)
{
	long st = number_of(field(el, "responseStatus"), 0), code = 0;
	const cJSON *e = field(el, "responseError"), *d = field(el, "responseData");
	char *printed = NULL;
	const char *text;

	if (cJSON_IsObject(e)) {
		const cJSON *m = field(e, "errorMessage");

		code = number_of(field(e, "errorNumber"), 0);
		if (cJSON_IsString(m))
			text_clean(it->message, sizeof it->message, m->valuestring);
	} else if (cJSON_IsString(e)) {
		text_clean(it->message, sizeof it->message, e->valuestring);
	}
	if (code >= 1000) {
		err_set(&it->err, lk2_code_error(code), code, NULL);
		return;
	}
	if (code > 0 && (code < 200 || code > 299))
		st = code;
	if (st == 404) {
		err_set(&it->err, TB_E_LK_NO_DATA, st, NULL);
		return;
	}
	if (st && http_status_check(st, &it->err))
		return;
	if (it->message[0] && !d) {
		err_set(&it->err, TB_E_LK_OTHER, 0, NULL);
		return;
	}
	if (cJSON_IsString(d)) {
		text = d->valuestring;
	} else if (cJSON_IsObject(d) || cJSON_IsArray(d)) {
		printed = cJSON_PrintUnformatted(d);
		if (!printed) {
			err_set(&it->err, TB_E_NOMEM, 0, NULL);
			return;
		}
		text = printed;
	} else {
		err_set(&it->err, TB_E_NET_MALFORMED, it->service, "no responseData");
		return;
	}
	if (linkage_parse(it->service, 200, text, strlen(text), map, &it->result, &it->err) == 0)
		err_clear(&it->err);
	if (printed) {
		explicit_bzero(printed, strlen(printed));
		cJSON_free(printed);
	}
}

int lk2_parse_batch(long status, const char *body, size_t len, const int *services,
		    const int *ids, int n, const struct linkage_fieldmap *map,
		    struct lk2_item *items, char *message, size_t msize, tb_err *err)
{
	cJSON *root = json_parse(body, len);
	const cJSON *data, *el;
	int found[LK2_MAX_SERVICES] = { 0 }, rc = -1;

	if (n < 0 || n > LK2_MAX_SERVICES) {
		err_set(err, TB_E_USAGE, n, "services");
		goto out;
	}
	if (answer_check(status, root, CTX_REQUEST, message, msize, err))
		goto out;
	data = field(root, "data");
	if (!cJSON_IsArray(data)) {
		err_set(err, TB_E_NET_MALFORMED, 0, "no data list");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		memset(&items[i], 0, sizeof items[i]);
		items[i].service = services[i];
		err_set(&items[i].err, TB_E_NET_MALFORMED, services[i], "no answer for this service");
	}
	cJSON_ArrayForEach(el, data) {
		long sid = number_of(field(el, "serviceID"), -1);

		for (int i = 0; i < n; i++)
			if (!found[i] && ids[i] == sid) {
				found[i] = 1;
				err_clear(&items[i].err);
				item_parse(el, map, &items[i]);
				break;
			}
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

void lk2_items_free(struct lk2_item *items, int n)
{
	for (int i = 0; i < n; i++) {
		linkage_result_free(&items[i].result);
		explicit_bzero(&items[i], sizeof items[i]);
	}
}

/* --- the client ------------------------------------------------------------------------ */

enum op_kind { OP_LOGIN, OP_BATCH };
enum op_state { ST_LOGIN, ST_SIGN, ST_CONFIRM, ST_JOBS, ST_RENEW, ST_REQUEST, ST_DONE };

struct signer {
	pid_t pid;                     /* 0: not running */
	int out;                       /* its stdout, non-blocking; -1 when closed */
	char buf[ENVELOPE_MAX + 2];
	size_t len;
	struct timespec deadline;
};

struct lk2_op {
	struct lk2 *l;                 /* NULL once lk2_free has cancelled it */
	enum op_kind kind;
	enum op_state state;
	struct http_xfer *x;
	unsigned seq;                  /* transfers started: tells lk2_step it moved on */
	struct signer sg;
	int failed;
	tb_err err;
	char message[256];
	/* login */
	char officer[LK_CID], chip[LK2_CHIP_MAX], pin[PIN_MAX + 1];
	struct lk2_login_answer la;
	char envelope[ENVELOPE_MAX + 1];
	/* batch */
	char cid[LK_CID];
	int n, services[LK2_MAX_SERVICES], ids[LK2_MAX_SERVICES];
	struct lk2_item items[LK2_MAX_SERVICES];
	int taken[LK2_MAX_SERVICES];
	int renewed, retried, audited;
	struct db *d;
	char username[128], purpose[512];
};

struct lk2 {
	struct lk2_config c;
	struct http *h;
	struct lk2_op *op;             /* the one running */
	char jwt[JWT_MAX];
	struct timespec jwt_at;
	char officer[LK_CID];
	char job[128];
	struct lk2_stats st;
};

static void op_finish(struct lk2_op *op);

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

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static long ms_of(const struct timespec *t)
{
	return (long)t->tv_sec * 1000 + t->tv_nsec / 1000000;
}

static void forget_session(struct lk2 *l)
{
	explicit_bzero(l->jwt, sizeof l->jwt);
	explicit_bzero(l->officer, sizeof l->officer);
	/* The job belongs to the officer; a configured one stays. */
	explicit_bzero(l->job, sizeof l->job);
	str_copy(l->job, sizeof l->job, l->c.job_id);
}

/* Starts one call to the proxy: path under the base URL, a JSON body (or
 * NULL), with the JWT or not. */
static struct http_xfer *send_call(struct lk2 *l, const char *method, const char *path,
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

static void op_fail(struct lk2_op *op, const tb_err *e)
{
	op->failed = 1;
	op->err = *e;
	op_finish(op);
}

/* --- the signer ---------------------------------------------------------------------- */

/* The command split at spaces, without a shell. */
static int signer_argv(const char *cmd, char *buf, size_t size, char **argv)
{
	int n = 0;

	if (!str_copy(buf, size, cmd))
		return -1;
	for (char *save = NULL, *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == SIGNER_ARGS)
			return -1;
		argv[n++] = t;
	}
	argv[n] = NULL;
	return n ? 0 : -1;
}

/* The program must exist, run, and be changeable by its owner only: it
 * receives the PIN. */
static int signer_check(const char *path, tb_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return err_set(err, TB_E_LK2_SIGNER_MISSING, errno, "not found");
	if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0)
		return err_set(err, TB_E_LK2_SIGNER_MISSING, 0, "not an executable file");
	if (st.st_mode & 022)
		return err_set(err, TB_E_LK2_SIGNER_MISSING, (long)(st.st_mode & 0777),
			       "writable by other accounts");
	return 0;
}

static int write_all(int fd, const char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The random and the PIN go into the pipe before the child exists, so a
 * signer that dies at once cannot raise SIGPIPE here; the PIN is wiped as
 * soon as it is in the pipe. */
static int signer_start(struct lk2_op *op, tb_err *err)
{
	char cmd[sizeof op->l->c.signer], *argv[SIGNER_ARGS + 1], input[sizeof op->la.random + PIN_MAX + 4];
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, n;
	pid_t pid;

	if (signer_argv(op->l->c.signer, cmd, sizeof cmd, argv))
		return err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.signer");
	if (signer_check(argv[0], err))
		return -1;
	n = snprintf(input, sizeof input, "%s\n%s\n", op->la.random, op->pin);
	explicit_bzero(op->pin, sizeof op->pin);
	if (n < 0 || (size_t)n >= sizeof input) {
		explicit_bzero(input, sizeof input);
		return err_set(err, TB_E_SYSTEM, 0, "signer input");
	}
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || write_all(in[1], input, (size_t)n)) {
		explicit_bzero(input, sizeof input);
		err_set(err, TB_E_SYSTEM, errno, "signer pipe");
		goto fail;
	}
	explicit_bzero(input, sizeof input);
	close(in[1]);
	in[1] = -1;
	op->l->st.signer_runs++;
	pid = fork();
	if (pid < 0) {
		err_set(err, TB_E_SYSTEM, errno, "fork");
		goto fail;
	}
	if (pid == 0) {
		/* Its own process group, so a timeout ends whatever it started. */
		sigset_t none;
		int null = open("/dev/null", O_WRONLY);

		setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || null < 0 || dup2(null, 2) < 0)
			_exit(126);
		closefrom(3);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(in[0]);
	close(out[1]);
	fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
	op->sg.pid = pid;
	op->sg.out = out[0];
	op->sg.len = 0;
	clock_gettime(CLOCK_MONOTONIC, &op->sg.deadline);
	op->sg.deadline.tv_sec += op->l->c.signer_timeout_ms / 1000;
	op->sg.deadline.tv_nsec += (op->l->c.signer_timeout_ms % 1000) * 1000000L;
	if (op->sg.deadline.tv_nsec >= 1000000000L) {
		op->sg.deadline.tv_sec++;
		op->sg.deadline.tv_nsec -= 1000000000L;
	}
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	return -1;
}

/* Ends the signer and everything it started, and reaps it: no zombie. */
static void signer_stop(struct signer *sg)
{
	if (sg->out >= 0)
		close(sg->out);
	sg->out = -1;
	if (sg->pid > 0) {
		kill(-sg->pid, SIGKILL);
		kill(sg->pid, SIGKILL);
		while (waitpid(sg->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	sg->pid = 0;
	explicit_bzero(sg->buf, sizeof sg->buf);
	sg->len = 0;
}

static void confirm_start(struct lk2_op *op);

/* The envelope: what the signer printed, without the line's end. */
static int envelope_take(struct lk2_op *op, tb_err *err)
{
	struct signer *sg = &op->sg;

	while (sg->len > 0 && (sg->buf[sg->len - 1] == '\n' || sg->buf[sg->len - 1] == '\r' ||
			       sg->buf[sg->len - 1] == ' '))
		sg->len--;
	sg->buf[sg->len] = '\0';
	if (sg->len == 0)
		return err_set(err, TB_E_LK2_SIGNER_FAILED, 0, "no envelope");
	if (!token_text_ok(sg->buf))
		return err_set(err, TB_E_LK2_SIGNER_FAILED, 0, "envelope not printable");
	memcpy(op->envelope, sg->buf, sg->len + 1);
	return 0;
}

static void signer_step(struct lk2_op *op)
{
	struct signer *sg = &op->sg;
	tb_err e = { 0 };
	int status;

	while (sg->out >= 0) {
		ssize_t r = read(sg->out, sg->buf + sg->len, sizeof sg->buf - 1 - sg->len);

		if (r > 0) {
			sg->len += (size_t)r;
			if (sg->len > ENVELOPE_MAX) {
				signer_stop(sg);
				err_set(&e, TB_E_LK2_SIGNER_FAILED, ENVELOPE_MAX, "envelope too long");
				op_fail(op, &e);
				return;
			}
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		close(sg->out);       /* the end of its output (or a read error: the same) */
		sg->out = -1;
	}
	if (sg->out < 0 && sg->pid > 0) {
		pid_t w = waitpid(sg->pid, &status, WNOHANG);

		if (w == sg->pid) {
			sg->pid = 0;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
				err_set(&e, TB_E_LK2_SIGNER_MISSING, 127, "could not be started");
			else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
				err_set(&e, TB_E_LK2_SIGNER_FAILED, WEXITSTATUS(status), "exit status");
			else if (WIFSIGNALED(status))
				err_set(&e, TB_E_LK2_SIGNER_FAILED, WTERMSIG(status), "killed by a signal");
			else
				envelope_take(op, &e);
			explicit_bzero(sg->buf, sizeof sg->buf);
			sg->len = 0;
			if (e.id)
				op_fail(op, &e);
			else
				confirm_start(op);
			return;
		}
	}
	if (now_ms() >= ms_of(&sg->deadline)) {
		signer_stop(sg);
		err_set(&e, TB_E_LK2_SIGNER_TIMEOUT, op->l->c.signer_timeout_ms, NULL);
		op_fail(op, &e);
	}
}

/* --- the steps --------------------------------------------------------------------------- */

static void start_or_fail(struct lk2_op *op, struct http_xfer *x, enum op_state next,
			  const tb_err *e)
{
	if (!x) {
		op_fail(op, e);
		return;
	}
	op->x = x;
	op->seq++;
	op->state = next;
}

static void confirm_start(struct lk2_op *op)
{
	cJSON *b = cJSON_CreateObject();
	tb_err e = { 0 };
	struct http_xfer *x = NULL;

	if (b && cJSON_AddNumberToObject(b, "loginType", op->l->c.login_type) &&
	    (op->la.office_is_number ?
	     cJSON_AddNumberToObject(b, "officeID", strtod(op->la.office_id, NULL)) :
	     cJSON_AddStringToObject(b, "officeID", op->la.office_id)) &&
	    cJSON_AddStringToObject(b, "random", op->la.random) &&
	    cJSON_AddStringToObject(b, "envelope", op->envelope)) {
		op->l->st.confirms++;
		x = send_call(op->l, "POST", "/api/center/login/confirm", b, 0, &e);
	} else {
		err_set(&e, TB_E_NOMEM, 0, NULL);
	}
	cJSON_Delete(b);
	explicit_bzero(op->envelope, sizeof op->envelope);
	start_or_fail(op, x, ST_CONFIRM, &e);
}

static void jobs_start(struct lk2_op *op)
{
	tb_err e = { 0 };

	op->l->st.jobs++;
	start_or_fail(op, send_call(op->l, "GET", "/api/center/user/job", NULL, 1, &e), ST_JOBS, &e);
}

static void renew_start(struct lk2_op *op)
{
	tb_err e = { 0 };

	op->renewed = 1;
	op->l->st.renewals++;
	start_or_fail(op, send_call(op->l, "POST", "/api/center/login/renew", NULL, 1, &e),
		      ST_RENEW, &e);
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
		x = send_call(op->l, "POST", "/api/center/request/", b, 1, &e);
	} else {
		err_set(&e, TB_E_NOMEM, 0, NULL);
	}
	cJSON_Delete(b);
	start_or_fail(op, x, ST_REQUEST, &e);
}

/* What a batch needs next: a younger JWT, a job, then the request. */
static void batch_next(struct lk2_op *op)
{
	struct lk2 *l = op->l;

	if (!op->renewed && now_ms() - ms_of(&l->jwt_at) >= (long)l->c.renew_age_s * 1000)
		renew_start(op);
	else if (!l->job[0])
		jobs_start(op);
	else
		request_start(op);
}

static void login_done(struct lk2_op *op)
{
	if (!op->l->job[0])
		jobs_start(op);
	else
		op_finish(op);
}

/* The errorMessage of a refusal, for people to read next to the code. */
static void message_of(const char *body, size_t len, char *out, size_t size)
{
	cJSON *root = json_parse(body, len);
	const cJSON *m = field(root, "errorMessage");

	out[0] = '\0';
	if (cJSON_IsString(m))
		text_clean(out, size, m->valuestring);
	cJSON_Delete(root);
}

/* The transfer of the current step is done: read its answer, move on. */
static void answer_step(struct lk2_op *op)
{
	struct lk2 *l = op->l;
	const char *body;
	size_t len;
	long status;
	tb_err e = { 0 };
	int rc = xfer_answer(op->x, &status, &body, &len, &e);

	if (rc == 0 && op->state != ST_REQUEST)
		message_of(body, len, op->message, sizeof op->message);

	switch (op->state) {
	case ST_LOGIN:
		if (rc == 0)
			rc = lk2_parse_login(status, body, len, l->c.office_id, &op->la, &e);
		http_xfer_free(&op->x);
		if (rc || signer_start(op, &e)) {
			op_fail(op, &e);
			return;
		}
		op->state = ST_SIGN;
		return;
	case ST_CONFIRM:
		if (rc == 0)
			rc = lk2_parse_token(status, body, len, l->jwt, sizeof l->jwt, &e);
		http_xfer_free(&op->x);
		explicit_bzero(&op->la, sizeof op->la);
		if (rc) {
			/* A refused envelope is the login's answer, not an
			 * ended session. */
			if (e.id == TB_E_LK2_SESSION)
				e.id = TB_E_LK_SESSION;
			op_fail(op, &e);
			return;
		}
		str_copy(l->officer, sizeof l->officer, op->officer);
		clock_gettime(CLOCK_MONOTONIC, &l->jwt_at);
		login_done(op);
		return;
	case ST_JOBS:
		if (rc == 0)
			rc = lk2_parse_jobs(status, body, len, l->job, sizeof l->job, &e);
		http_xfer_free(&op->x);
		if (rc)
			op_fail(op, &e);
		else if (op->kind == OP_LOGIN)
			op_finish(op);
		else
			request_start(op);
		return;
	case ST_RENEW:
		if (rc == 0)
			rc = lk2_parse_token(status, body, len, l->jwt, sizeof l->jwt, &e);
		http_xfer_free(&op->x);
		if (rc) {
			/* Refused: the session is over; the officer logs in again. */
			if (e.id == TB_E_LK2_SESSION || e.id == TB_E_LK_SESSION)
				forget_session(l);
			op_fail(op, &e);
			return;
		}
		clock_gettime(CLOCK_MONOTONIC, &l->jwt_at);
		batch_next(op);
		return;
	case ST_REQUEST:
		if (rc == 0 && status == 401 && !op->retried) {
			/* An expired JWT: renewed, and the request sent once more. */
			http_xfer_free(&op->x);
			op->retried = 1;
			l->st.retries++;
			renew_start(op);
			return;
		}
		if (rc == 0)
			rc = lk2_parse_batch(status, body, len, op->services, op->ids, op->n,
					     &l->c.map007, op->items, op->message, sizeof op->message, &e);
		http_xfer_free(&op->x);
		if (rc) {
			if (e.id == TB_E_LK2_SESSION)
				forget_session(l);
			op_fail(op, &e);
			return;
		}
		for (int i = 0; i < op->n; i++) {
			struct linkage_result *r = op->items[i].result;
			if (r && r->service == LINKAGE_PERSON && !r->person.cid[0])
				str_copy(r->person.cid, sizeof r->person.cid, op->cid);
		}
		op_finish(op);
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
		op_fail(op, &e);
		return 0;
	}
	/* A step may start the next transfer at once: give it its first go. */
	for (int guard = 0; guard < 8 && op->state != ST_DONE; guard++) {
		enum op_state before = op->state;
		unsigned seq = op->seq;

		if (op->state == ST_SIGN)
			signer_step(op);
		else if (op->x && http_xfer_done(op->x))
			answer_step(op);
		if (op->state == ST_DONE || (op->state == before && op->seq == seq))
			break;
		if (http_perform(op->l->h, NULL, &e)) {
			op_fail(op, &e);
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
		long left = ms_of(&op->sg.deadline) - now_ms();

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

/* --- operations ------------------------------------------------------------------------ */

static int pin_ok(const char *pin)
{
	size_t n = strlen(pin);

	return n >= 4 && n <= PIN_MAX && strspn(pin, "0123456789") == n;
}

static struct lk2_op *op_new(struct lk2 *l, enum op_kind kind, tb_err *err)
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

struct lk2_op *lk2_login_start(struct lk2 *l, const char *officer_cid, const char *chip_no,
			       const char *pin, tb_err *err)
{
	char cmd[sizeof l->c.signer], *argv[SIGNER_ARGS + 1];
	struct lk2_op *op;
	cJSON *b;
	tb_err e = { 0 };

	if (!officer_cid || strlen(officer_cid) != 13 || !cid_valid(officer_cid)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
		return NULL;
	}
	if (!chip_no || strlen(chip_no) >= sizeof op->chip || !token_text_ok(chip_no)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "chip number");
		return NULL;
	}
	if (!pin || !pin_ok(pin)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "PIN (4 to 16 digits)");
		return NULL;
	}
	/* Nothing is sent for a signer that cannot run. */
	if (signer_argv(l->c.signer, cmd, sizeof cmd, argv)) {
		err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.signer");
		return NULL;
	}
	if (signer_check(argv[0], err))
		return NULL;
	if (l->op) {
		err_set(err, TB_E_USAGE, 0, "another Linkage Center request is running");
		return NULL;
	}
	lk2_logout(l);
	op = op_new(l, OP_LOGIN, err);
	if (!op)
		return NULL;
	str_copy(op->officer, sizeof op->officer, officer_cid);
	str_copy(op->chip, sizeof op->chip, chip_no);
	str_copy(op->pin, sizeof op->pin, pin);
	b = cJSON_CreateObject();
	if (b && cJSON_AddNumberToObject(b, "loginType", l->c.login_type) &&
	    cJSON_AddStringToObject(b, "personalID", op->officer) &&
	    cJSON_AddStringToObject(b, "chipNo", op->chip)) {
		l->st.logins++;
		op->x = send_call(l, "POST", "/api/center/login/", b, 0, &e);
	} else {
		err_set(&e, TB_E_NOMEM, 0, NULL);
	}
	cJSON_Delete(b);
	if (!op->x) {
		lk2_op_free(&op);
		if (err)
			*err = e;
		return NULL;
	}
	op->state = ST_LOGIN;
	return op;
}

struct lk2_op *lk2_batch_start(struct lk2 *l, const char *cid, const int *services, int n,
			       struct db *d, const char *username, const char *purpose,
			       tb_err *err)
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
		  (purpose && strlen(purpose) >= sizeof op->purpose))) {
		err_set(err, TB_E_USAGE, 0, "username or purpose");
		return NULL;
	}
	if (!lk2_logged_in(l)) {
		err_set(err, TB_E_LK2_SESSION, 0, "not logged in");
		return NULL;
	}
	op = op_new(l, OP_BATCH, err);
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
	}
	op->state = ST_REQUEST;
	batch_next(op);
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
		char service[32], result[64];
		tb_err audit_err = { 0 };

		/* The Linkage Center's own office for its services, as GDX names them. */
		snprintf(service, sizeof service, "00023/%s", linkage_service_code(op->services[i]));
		if (!e)
			snprintf(result, sizeof result, "OK");
		else if (e->detail && (strcmp(err_domain(e->id), "linkage") == 0 ||
				       strcmp(err_domain(e->id), "gateway") == 0))
			snprintf(result, sizeof result, "%s %ld", err_code(e->id), e->detail);
		else
			snprintf(result, sizeof result, "%s", err_code(e->id));
		if (audit_append(op->d, &(struct audit_entry){ .username = op->username,
				 .action = AUDIT_LINKAGE_QUERY, .service = service, .subject = op->cid,
				 .purpose = op->purpose, .result = result }, &audit_err)) {
			/* The database's code stays as the detail, for support. */
			linkage_result_free(&it->result);
			audit_err.id = TB_E_AUDIT_UNWRITTEN;
			it->err = audit_err;
			if (op->failed)
				op->err = audit_err;
		}
	}
}

static void op_finish(struct lk2_op *op)
{
	if (op->l && op->x)
		http_xfer_free(&op->x);
	signer_stop(&op->sg);
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

static void op_cancel(struct lk2_op *op)
{
	tb_err e = { 0 };

	if (op->state == ST_DONE)
		return;
	err_set(&e, TB_E_NET_CANCELLED, 0, NULL);
	op_fail(op, &e);
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
	op_cancel(op);
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
			op_fail(op, &e);
			break;
		}
		if (t < 0 || t > 1000)
			t = 1000;
		if (poll(p, (nfds_t)n, t) < 0 && errno != EINTR) {
			err_set(&e, TB_E_SYSTEM, errno, "poll");
			op_fail(op, &e);
			break;
		}
	}
	return lk2_op_error(op, err);
}

void lk2_logout(struct lk2 *l)
{
	struct http_xfer *x;
	long until;

	if (l->op)
		op_cancel(l->op);
	if (!l->jwt[0])
		return;
	l->st.logouts++;
	x = send_call(l, "DELETE", "/api/center/login/", NULL, 1, NULL);
	forget_session(l);
	if (!x)
		return;
	/* Best effort: the session dies on its own at the proxy anyway. */
	until = now_ms() + LOGOUT_WAIT_MS;
	http_perform(l->h, NULL, NULL);
	while (!http_xfer_done(x) && now_ms() < until)
		if (http_poll(l->h, NULL, 0, 100, NULL))
			break;
	http_xfer_free(&x);
}

void lk2_free(struct lk2 **lp)
{
	struct lk2 *l = *lp;

	if (!l)
		return;
	if (l->op) {
		/* The caller still holds it: done and cancelled, and no longer ours. */
		struct lk2_op *op = l->op;

		op_cancel(op);
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
