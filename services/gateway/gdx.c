/* The GDX client: see gdx.h. */
#include "config.h"

#include "services/gateway/gdx.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "services/base/format.h"
#include "services/base/util.h"

#define TOKEN_MAX 1024
#define URL_MAX 2048

/* --- configuration ------------------------------------------------------------------------ */

int gdx_config_from(struct gdx_config *gc, struct config *c, tb_err *err)
{
	long age = 1500;

	memset(gc, 0, sizeof *gc);
	if (config_text(c, "gdx.url", gc->url, sizeof gc->url, err) ||
	    config_text(c, "gdx.consumer_key", gc->consumer_key, sizeof gc->consumer_key, err) ||
	    config_text(c, "gdx.consumer_secret", gc->consumer_secret, sizeof gc->consumer_secret, err) ||
	    http_settings_from(c, &gc->http, err) ||
	    config_long(c, "linkage.token_max_age_s", 0, 3300, &age, err))
		goto fail;
	gc->token_max_age_s = (int)age;
	/* Like ssh with its keys: a secret in a file others may read, or in a
	 * file someone else controls, is refused rather than used. */
	if (gc->consumer_secret[0] && config_private(c, TB_E_SECRET_MODE, "gdx.consumer_secret", err))
		goto fail;
	if (http_url_check(gc->url, "gdx.url", err))
		goto fail;
	if (!gc->url[0])
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
	else if (strncmp(gc->url, "https://", 8) != 0 && strncmp(gc->url, "http://", 7) != 0)
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url (https://...)");
	else if (!gc->consumer_key[0])
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.consumer_key");
	else if (!gc->consumer_secret[0])
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.consumer_secret");
	else
		return 0;
fail:
	explicit_bzero(gc, sizeof *gc);
	return -1;
}

/* --- answers -------------------------------------------------------------------------------- */

enum tb_err_id gdx_code_error(long code)
{
	switch (code) {
	case 95001:
		return TB_E_LK_NOT_REGISTERED;
	case 95004: case 95005:
		return TB_E_LK_NO_PERMISSION;
	case 95010: case 95011: case 95014:
		return TB_E_LK_NO_SERVICE_RIGHT;
	case 90008: case 90050:
		return TB_E_LK_QUOTA;
	case 90007:
		return TB_E_NET_DENIED;
	case 90001: case 90009: case 90016: case 90090: case 95002:
	case 1001: case 1002: case 2002:
		return TB_E_LK_SESSION;
	case 90005: case 90013: case 90014: case 90015:
		return TB_E_LK_CLOSED;
	case 90012: case 95013:
		return TB_E_LK_PROVIDER;
	case 90011: case 95012:
		return TB_E_LK_BAD_REQUEST;
	case 95015: case 99983:
		return TB_E_LK_TOO_LARGE;
	case 90500:
		return TB_E_LK_NO_DATA;
	default:
		if (code >= 99000 && code <= 99999)
			return TB_E_LK_NO_DATA;
		return TB_E_LK_OTHER;
	}
}

cJSON *gdx_json_parse(const char *body, size_t len)
{
	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
		body += 3;
		len -= 3;
	}
	return len ? cJSON_ParseWithLength(body, len) : NULL;
}

const cJSON *gdx_field(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) && key && *key ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

void gdx_text_copy(char *out, size_t size, const char *s)
{
	format_clean(out, size, s, false);
}

void gdx_text(const cJSON *o, const char *key, char *out, size_t size)
{
	const cJSON *v = gdx_field(o, key);

	out[0] = '\0';
	if (cJSON_IsString(v) && v->valuestring)
		gdx_text_copy(out, size, v->valuestring);
	else if (cJSON_IsNumber(v) && v->valuedouble != 0 && v->valuedouble > -1e15 &&
		 v->valuedouble < 1e15)
		snprintf(out, size, "%.0f", v->valuedouble);
}

/* The Code of an error body, or 0. */
static long body_code(const cJSON *root)
{
	char raw[32], *end;
	long v;

	if (!gdx_field(root, "Code"))
		return 0;
	gdx_text(root, "Code", raw, sizeof raw);
	v = strtol(raw, &end, 10);
	return raw[0] && !*end ? v : 0;
}

static int mentions_expired_token(const cJSON *root)
{
	char msg[256];

	gdx_text(root, "Message", msg, sizeof msg);
	if (!msg[0])
		gdx_text(root, "message", msg, sizeof msg);
	for (char *p = msg; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return strstr(msg, "token") && strstr(msg, "expire");
}

static int token_message(const char *body, size_t len)
{
	cJSON *root = gdx_json_parse(body, len);
	int r = mentions_expired_token(root);

	cJSON_Delete(root);
	return r;
}

int gdx_token_expired(long status, const char *body, size_t len)
{
	cJSON *root = gdx_json_parse(body, len);
	int r = 0;

	if (mentions_expired_token(root))
		r = 1;
	else if ((status == 401 || status == 403) && body_code(root) == 0)
		r = 1;
	cJSON_Delete(root);
	return r;
}

int gdx_answer_check(long status, const cJSON *root, tb_err *err)
{
	long code = body_code(root);

	if (code)
		return err_set(err, gdx_code_error(code), code, NULL);
	if (http_status_check(status, err))
		return -1;
	if (!root)
		return err_set(err, TB_E_NET_MALFORMED, 0, "not JSON");
	return 0;
}

int gdx_parse_token(long status, const char *body, size_t len, char *out, size_t size,
		    tb_err *err)
{
	cJSON *root = gdx_json_parse(body, len);
	const cJSON *r;
	int rc = -1;

	out[0] = '\0';
	if (gdx_answer_check(status, root, err))
		goto out;
	r = gdx_field(root, "Result");
	if (!cJSON_IsString(r) || !r->valuestring[0]) {
		err_set(err, TB_E_LK_TOKEN, 0, "no Result");
		goto out;
	}
	/* It goes into a header: printable ASCII only. */
	for (const char *p = r->valuestring; *p; p++)
		if (*p <= ' ' || *p > '~') {
			err_set(err, TB_E_LK_TOKEN, 0, "Result not printable");
			goto out;
		}
	if (!str_copy(out, size, r->valuestring)) {
		explicit_bzero(out, size);
		err_set(err, TB_E_LK_TOKEN, 0, "Result too long");
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

/* --- the client ------------------------------------------------------------------------------ */

struct gdx {
	struct gdx_config c;
	struct http *h;
	unsigned users;
	char token[TOKEN_MAX];
	char token_agent[14];
	struct timespec token_at;
	unsigned token_gen;          /* tokens taken in: an answer to an older one may retry */
	/* The token on its way, shared by every request that waits for it. */
	struct http_xfer *tok_x;
	char tok_agent[14];
	unsigned tok_answers;        /* token answers taken in, good or not */
	tb_err tok_err;              /* why the last one was no token */
	struct gdx_stats st;
};

struct gdx *gdx_new(const struct gdx_config *c, tb_err *err)
{
	struct gdx *g = calloc(1, sizeof *g);
	struct http_opts o;

	if (!g) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	g->c = *c;
	g->users = 1;
	o = http_settings_opts(&g->c.http);
	g->h = http_new(&o, err);
	if (!g->h)
		gdx_free(&g);
	return g;
}

struct gdx *gdx_hold(struct gdx *g)
{
	if (g)
		g->users++;
	return g;
}

void gdx_free(struct gdx **gp)
{
	struct gdx *g = *gp;

	*gp = NULL;
	if (!g || --g->users > 0)
		return;
	http_xfer_free(&g->tok_x);
	http_free(&g->h);
	explicit_bzero(g, sizeof *g);
	free(g);
}

void gdx_forget_token(struct gdx *g)
{
	explicit_bzero(g->token, sizeof g->token);
	g->token_agent[0] = '\0';
}

const struct gdx_config *gdx_settings(const struct gdx *g)
{
	return &g->c;
}

const struct gdx_stats *gdx_stats(const struct gdx *g)
{
	return &g->st;
}

int gdx_fds(struct gdx *g, struct pollfd *p, int max, int *n, int *timeout_ms, tb_err *err)
{
	return http_fds(g->h, p, max, n, timeout_ms, err);
}

int gdx_poll(struct gdx *g, tb_err *err)
{
	return http_poll(g->h, NULL, 0, 1000, err);
}

static double since_s(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* The base URL without a trailing slash, then path and query. */
static int url_make(const struct gdx *g, char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int url_make(const struct gdx *g, char *out, size_t size, const char *fmt, ...)
{
	size_t n = strlen(g->c.url);
	va_list ap;
	int w;

	while (n > 0 && g->c.url[n - 1] == '/')
		n--;
	if (n + 1 > size)
		return -1;
	memcpy(out, g->c.url, n);
	va_start(ap, fmt);
	w = vsnprintf(out + n, size - n, fmt, ap);
	va_end(ap);
	return w < 0 || (size_t)w >= size - n ? -1 : 0;
}

/* Sends for a token for agent, unless one for the same officer is already
 * on its way: every request waiting for a token waits for that one. */
static int token_start(struct gdx *g, const char *agent, tb_err *err)
{
	char secret[3 * sizeof g->c.consumer_secret], url[URL_MAX], key[256];
	const char *headers[] = { key, NULL };
	int rc = -1;

	if (g->tok_x) {
		if (strcmp(g->tok_agent, agent) == 0)
			return 0;
		http_xfer_free(&g->tok_x);
	}
	gdx_forget_token(g);
	if (http_escape(g->c.consumer_secret, secret, sizeof secret) ||
	    url_make(g, url, sizeof url, "/ws/auth/validate?ConsumerSecret=%s&AgentID=%s", secret,
		     agent) ||
	    snprintf(key, sizeof key, "Consumer-Key: %s", g->c.consumer_key) >= (int)sizeof key) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
		goto out;
	}
	g->st.tokens++;
	g->tok_x = http_get(g->h, url, headers, err);
	if (g->tok_x) {
		str_copy(g->tok_agent, sizeof g->tok_agent, agent);
		rc = 0;
	}
out:
	explicit_bzero(secret, sizeof secret);
	explicit_bzero(url, sizeof url);
	explicit_bzero(key, sizeof key);
	return rc;
}

/* Takes in the token's answer once it has come. */
static void token_take(struct gdx *g)
{
	const char *body;
	size_t len;
	long status;
	tb_err e = { 0 };

	if (!g->tok_x || !http_xfer_done(g->tok_x))
		return;
	if (http_xfer_result(g->tok_x, &status, &body, &len, &e) == 0) {
		g->st.bytes_in += len;
		if (gdx_parse_token(status, body, len, g->token, sizeof g->token, &e) == 0) {
			str_copy(g->token_agent, sizeof g->token_agent, g->tok_agent);
			clock_gettime(CLOCK_MONOTONIC, &g->token_at);
			g->token_gen++;
		} else {
			gdx_forget_token(g);
		}
	}
	g->tok_err = e;
	g->tok_answers++;
	g->st.connects = http_connects(g->h);
	http_xfer_free(&g->tok_x);
}

static int token_fresh(const struct gdx *g, const char *agent)
{
	return g->token[0] && strcmp(g->token_agent, agent) == 0 &&
	       since_s(&g->token_at) < (double)g->c.token_max_age_s;
}

int gdx_perform(struct gdx *g, tb_err *err)
{
	if (http_perform(g->h, NULL, err))
		return -1;
	token_take(g);
	return 0;
}

/* --- one request with the officer's token ------------------------------------------------------ */

/* The request itself, the token being fresh. */
static struct http_xfer *req_http(struct gdx *g, const struct gdx_req *r, tb_err *err)
{
	char url[URL_MAX], key[256], tok[TOKEN_MAX + 16];
	const char *headers[] = { key, tok, "Content-Type: application/json",
				  "Accept: application/json", NULL };
	struct http_xfer *x = NULL;

	if (url_make(g, url, sizeof url, "%s", r->path) ||
	    snprintf(key, sizeof key, "Consumer-Key: %s", g->c.consumer_key) >= (int)sizeof key ||
	    snprintf(tok, sizeof tok, "Token: %s", g->token) >= (int)sizeof tok) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
		goto out;
	}
	g->st.queries++;
	if (r->body_len) {
		x = http_post(g->h, url, headers, r->body, r->body_len, err);
	} else {
		headers[2] = NULL;
		x = http_get(g->h, url, headers, err);
	}
out:
	explicit_bzero(url, sizeof url);
	explicit_bzero(key, sizeof key);
	explicit_bzero(tok, sizeof tok);
	return x;
}

/* Sends, or waits for the token; -1 with err when it cannot. */
static int req_send(struct gdx *g, struct gdx_req *r, tb_err *err)
{
	if (!token_fresh(g, r->agent)) {
		if (!r->awaiting_token) {
			r->awaiting_token = true;
			r->tok_answers = g->tok_answers;
		}
		return token_start(g, r->agent, err);
	}
	r->awaiting_token = false;
	r->token_gen = g->token_gen;
	r->x = req_http(g, r, err);
	if (!r->x)
		return -1;
	r->sent = true;
	return 0;
}

int gdx_req_start(struct gdx *g, struct gdx_req *r, tb_err *err)
{
	if (strlen(r->agent) != 13 || strspn(r->agent, "0123456789") != 13 || !cid_valid(r->agent))
		return err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
	return req_send(g, r, err);
}

enum gdx_state gdx_req_step(struct gdx *g, struct gdx_req *r, long *status, const char **body,
			    size_t *len, const char **content_type, tb_err *err)
{
	if (!r->x) {
		if (r->cancelled) {
			err_set(err, TB_E_NET_CANCELLED, 0, NULL);
			return GDX_FAILED;
		}
		if (!r->awaiting_token || (!token_fresh(g, r->agent) && g->tok_x))
			return GDX_WAITING;
		if (!token_fresh(g, r->agent) && g->tok_answers != r->tok_answers) {
			*err = g->tok_err;   /* no token came */
			return GDX_FAILED;
		}
		return req_send(g, r, err) ? GDX_FAILED : GDX_WAITING;
	}
	if (!http_xfer_done(r->x))
		return GDX_WAITING;
	g->st.connects = http_connects(g->h);
	if (http_xfer_result(r->x, status, body, len, err))
		return GDX_FAILED;
	g->st.bytes_in += *len;
	if (content_type)
		*content_type = http_xfer_content_type(r->x);
	if (!r->cancelled && gdx_token_expired(*status, *body, *len)) {
		/* The token this went out with is dead (another request may have
		 * fetched a newer one meanwhile). */
		if (g->token_gen == r->token_gen)
			gdx_forget_token(g);
		if (!r->retried) {
			/* Once, and only for an expired token: a refusal stays a refusal. */
			r->retried = true;
			g->st.retries++;
			http_xfer_free(&r->x);
			return req_send(g, r, err) ? GDX_FAILED : GDX_WAITING;
		}
		if (token_message(*body, *len)) {
			err_set(err, TB_E_LK_TOKEN, *status, "token refused after renewal");
			return GDX_FAILED;
		}
		/* Any other 401/403 is the gateway refusing us: shown as such. */
	}
	return GDX_ANSWER;
}

void gdx_req_cancel(struct gdx_req *r)
{
	r->cancelled = true;
	if (r->x)
		http_cancel(r->x);
}

void gdx_req_end(struct gdx_req *r)
{
	http_xfer_free(&r->x);
	r->awaiting_token = false;
}
