/* The GDX gateway (api.egov.go.th) as one client: its settings, the
 * officer's token (/ws/auth/validate, cached, renewed, shared by every
 * request) and one request unit that every GDX service rides on: the
 * Linkage Center's six services and the officer's presence
 * (services/registry/linkage.h) and DBD's juristic persons
 * (services/juristic/juristic.h).
 *
 * Configuration (services/base/configfile.h), with defaults:
 *   gdx.url              (none: required)  e.g. https://api.egov.go.th
 *   gdx.consumer_key     (none: required)
 *   gdx.consumer_secret  (none: required)  the file must then be 0600 and ours
 *   linkage.token_max_age_s 1500           renewed before 25 minutes of age
 *   http.*               services/gateway/http.h
 *
 * One client per running program: its users hold it (gdx_hold) and let go
 * (gdx_free); the last one out frees it.  The token is wiped with it. */
#ifndef TABIEN_GDX_H
#define TABIEN_GDX_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "services/base/configfile.h"
#include "services/base/errors.h"
#include "services/gateway/http.h"

struct cJSON;

struct gdx_config {
	char url[256];
	char consumer_key[128];
	char consumer_secret[256];
	struct http_settings http;
	int token_max_age_s;
};

/* Defaults, then the keys above from c.  A file that holds a consumer
 * secret must be owned by this user and readable by nobody else
 * (TB_E_SECRET_MODE, detail: the file's mode).  Missing url, key or secret:
 * TB_E_GDX_NOT_SET_UP with the key as field.  gc is wiped on failure. */
int gdx_config_from(struct gdx_config *gc, struct config *c, tb_err *err);

/* --- answers, without the network (unit-tested) ----------------------------------------- */

/* The catalogue entry for a GDX or Linkage Center code (90001, 95011 ...). */
enum tb_err_id gdx_code_error(long code);
/* JSON, a UTF-8 byte-order mark skipped; NULL when it is not. */
struct cJSON *gdx_json_parse(const char *body, size_t len);
/* o's member key when o is an object, else NULL. */
const struct cJSON *gdx_field(const struct cJSON *o, const char *key);
/* Text from the gateway: whole UTF-8 characters only, no C0 or C1
 * controls, trailing spaces dropped. */
void gdx_text_copy(char *out, size_t size, const char *s);
/* A member as text: strings as they are, numbers as integers (codes such
 * as 40 or 4), 0, null and any other type as empty. */
void gdx_text(const struct cJSON *o, const char *key, char *out, size_t size);
/* The checks every answer gets: a body {"Code":...} gives the code's entry
 * (the code as detail), else a non-2xx status http_status_check's, else no
 * JSON TB_E_NET_MALFORMED. */
int gdx_answer_check(long status, const struct cJSON *root, tb_err *err);
/* The token answer {"Result":"..."}: 0 and the token in out, or -1 as
 * above (a missing or empty Result: TB_E_LK_TOKEN). */
int gdx_parse_token(long status, const char *body, size_t len, char *out, size_t size,
		    tb_err *err);
/* Whether an answer asks for a new token: 401/403 without a code, or a
 * message saying the token expired. */
int gdx_token_expired(long status, const char *body, size_t len);
/* --- the client --------------------------------------------------------------------------- */

struct gdx;

struct gdx_stats {
	unsigned tokens;          /* token requests sent */
	unsigned queries;         /* requests sent with the token */
	unsigned retries;         /* requests sent again after a new token */
	unsigned long bytes_in;   /* bodies received */
	unsigned long connects;   /* connections opened (the rest were reused) */
};

/* The config is copied (and wiped at the end).  libcurl is loaded here. */
struct gdx *gdx_new(const struct gdx_config *c, tb_err *err);
/* One more user of g; returns g. */
struct gdx *gdx_hold(struct gdx *g);
/* Lets go of *g (NULLed); the last user frees it, token and all. */
void gdx_free(struct gdx **g);
/* Drops the token (log-out, lock). */
void gdx_forget_token(struct gdx *g);
const struct gdx_config *gdx_settings(const struct gdx *g);
const struct gdx_stats *gdx_stats(const struct gdx *g);
/* The sockets to wait on and the longest wait (-1: none): see http_fds. */
int gdx_fds(struct gdx *g, struct pollfd *p, int max, int *n, int *timeout_ms, tb_err *err);
/* After every wake-up, before gdx_req_step: moves every transfer on and
 * takes in the token's answer when it has come. */
int gdx_perform(struct gdx *g, tb_err *err);
/* Blocks for a while (1 s at most) until something moves. */
int gdx_poll(struct gdx *g, tb_err *err);

/* --- one request with the officer's token --------------------------------------------------- */

/* Sent when a fresh token for the officer is there, else after the one
 * token request every waiting request shares; sent once more after an
 * expired token, never after a refusal; the answer's size is capped by
 * http.max_body.  The caller fills path, body and agent, then calls
 * gdx_req_start; after every gdx_perform, gdx_req_step. */
#define GDX_PATH_MAX 512
#define GDX_BODY_MAX 128

struct gdx_req {
	char path[GDX_PATH_MAX];     /* after gdx.url: the path and its query */
	char body[GDX_BODY_MAX];     /* POSTed as JSON when body_len > 0, else GET */
	size_t body_len;
	char agent[14];              /* the officer: the token's AgentID */
	/* The unit's own. */
	struct http_xfer *x;
	bool sent;                   /* a request went out */
	bool retried, awaiting_token, cancelled;
	unsigned token_gen;          /* the token it went out with */
	unsigned tok_answers;        /* token answers seen when it began to wait */
};

enum gdx_state { GDX_WAITING, GDX_ANSWER, GDX_FAILED };

/* Sends, or waits for the token; -1 with err when it cannot (an officer ID
 * that is not 13 digits with its check digit: TB_E_AUTH_INVALID). */
int gdx_req_start(struct gdx *g, struct gdx_req *r, tb_err *err);
/* Still WAITING (on its way, or sent again), an ANSWER (status, body and
 * its content type, owned by r until gdx_req_end), or FAILED with err. */
enum gdx_state gdx_req_step(struct gdx *g, struct gdx_req *r, long *status, const char **body,
			    size_t *len, const char **content_type, tb_err *err);
/* Stops it: the next step says TB_E_NET_CANCELLED.  A token request
 * already sent is left to finish (the token is kept for the next). */
void gdx_req_cancel(struct gdx_req *r);
/* Frees the transfer and its answer. */
void gdx_req_end(struct gdx_req *r);

#endif
