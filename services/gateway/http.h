/* HTTP for the gateways: one libcurl multi handle per client so that
 * connections (and TLS sessions) are reused, driven either by the caller's
 * poll loop (http_fds + http_perform, or http_poll with the loop's own fds)
 * or to completion by http_wait for the command line.  Every transfer gets
 * the same options from one place (http.c: xfer_setup): timeouts, user
 * agent, TLS verification always on, optional CA file and public-key pin,
 * the configured proxy only, HTTP/2 over TLS where offered, no signals, and
 * a cap on the answer's size.  Nothing here logs or prints: URLs carry
 * secrets and answers carry personal data. */
#ifndef TABIEN_HTTP_H
#define TABIEN_HTTP_H

#include <poll.h>
#include <stddef.h>

#include "services/base/configfile.h"
#include "services/base/errors.h"

#define HTTP_CONNECT_TIMEOUT_MS 5000
#define HTTP_TIMEOUT_MS 20000
#define HTTP_MAX_BODY (1024 * 1024)
#define HTTP_MAX_HEADERS 8

struct http_opts {
	long connect_timeout_ms;   /* 0: HTTP_CONNECT_TIMEOUT_MS */
	long timeout_ms;           /* the whole transfer; 0: HTTP_TIMEOUT_MS */
	size_t max_body;           /* 0: HTTP_MAX_BODY */
	const char *ca_file;       /* NULL or "": the system's store */
	const char *pin;           /* "sha256//base64" (CURLOPT_PINNEDPUBLICKEY) or NULL */
	const char *proxy;         /* NULL or "": no proxy, whatever the environment says */
	int peer;                  /* keep what http_xfer_peer tells (tabien doctor) */
};

/* The http.* settings, read the same way for every gateway client:
 *   http.ca_file (system store), http.pin (none), http.proxy (none),
 *   http.timeout_ms 20000, http.connect_timeout_ms 5000, http.max_body 1 MiB. */
struct http_settings {
	char ca_file[256];
	char pin[256];             /* the gateway's public key, sha256//base64 */
	char proxy[256];
	long timeout_ms;
	long connect_timeout_ms;
	size_t max_body;
};

/* Defaults, then the keys above from c; -1 and TB_E_CONFIG naming the key
 * for a value out of range. */
int http_settings_from(struct config *c, struct http_settings *s, tb_err *err);
/* 0 when url may carry the gateway's secrets: https://, or plain http://
 * to a loopback host (127.0.0.0/8, [::1], localhost: the simulators); else
 * -1 and TB_E_PLAIN_HTTP naming key.  Other schemes are the caller's. */
int http_url_check(const char *url, const char *key, tb_err *err);
/* The client options for s (they point into s). */
struct http_opts http_settings_opts(const struct http_settings *s);

struct http;
struct http_xfer;

/* curl_global_init, once per process (thread-safe); http_new calls it. */
int http_global_init(tb_err *err);
/* For a command that knows it will ask a gateway: libcurl is loaded on a
 * thread of its own while the officer's password is checked
 * (services/base/preload), not after. */
void http_preload(void);

/* The options are copied. */
struct http *http_new(const struct http_opts *o, tb_err *err);
/* Ends every transfer still running (their results become CANCELLED). */
void http_free(struct http **h);

/* Starts a GET.  headers: up to HTTP_MAX_HEADERS "Name: value" strings
 * (copied, wiped when the transfer is freed), NULL-terminated; may be NULL. */
struct http_xfer *http_get(struct http *h, const char *url, const char *const *headers,
			   tb_err *err);

/* Starts a POST of body (len bytes, copied); headers as for http_get (the
 * caller names the Content-Type). */
struct http_xfer *http_post(struct http *h, const char *url, const char *const *headers,
			    const char *body, size_t len, tb_err *err);

/* Starts a DELETE (a log-out); headers as for http_get. */
struct http_xfer *http_delete(struct http *h, const char *url, const char *const *headers,
			      tb_err *err);

/* For the caller's poll loop: the sockets libcurl waits on (at most max; *n
 * set) and how long to wait at most (-1: no limit from libcurl).  After
 * poll returns (for any reason), call http_perform. */
int http_fds(struct http *h, struct pollfd *fds, int max, int *n, int *timeout_ms, tb_err *err);
/* Moves every transfer on; *running (may be NULL): transfers not done. */
int http_perform(struct http *h, int *running, tb_err *err);
/* curl_multi_poll with the caller's own descriptors (their revents are
 * set), then http_perform.  http_cancel from another thread wakes it. */
int http_poll(struct http *h, struct pollfd *extra, int n_extra, int timeout_ms, tb_err *err);

/* Runs the multi handle until x is done (the command line's way). */
int http_wait(struct http *h, struct http_xfer *x, tb_err *err);

int http_xfer_done(const struct http_xfer *x);

/* Cancels x: safe from a signal handler or another thread; the transfer
 * ends at its next step with TB_E_NET_CANCELLED. */
void http_cancel(struct http_xfer *x);

/* After x is done: 0 with the HTTP status and the body (owned by x, NUL
 * terminated, valid until http_xfer_free) whatever the status, or -1 when
 * no whole answer came: TB_E_NET_UNREACHABLE (field: "connect", "DNS",
 * "TLS", "timeout", "connection reset"), TB_E_TLS_UNTRUSTED,
 * TB_E_TLS_WRONG_HOST, TB_E_TLS_EXPIRED, TB_E_TLS_PIN (a certificate
 * refused), TB_E_FILE (http.ca_file unreadable), TB_E_NET_TRUNCATED,
 * TB_E_NET_TOO_LARGE, TB_E_NET_CANCELLED. */
int http_xfer_result(const struct http_xfer *x, long *status, const char **body, size_t *len,
		     tb_err *err);

/* After x is done: the answer's Content-Type ("" when none), valid until
 * http_xfer_free. */
const char *http_xfer_content_type(const struct http_xfer *x);

/* 0 for 2xx, else -1 with the catalogue entry for the status (detail: the
 * status): 401/403 TB_E_NET_DENIED, 404 TB_E_NET_NOT_FOUND, 5xx
 * TB_E_NET_SERVER, others TB_E_NET_STATUS. */
int http_status_check(long status, tb_err *err);

/* Connections opened so far (a reused one is not counted again). */
unsigned long http_connects(const struct http *h);

/* What a transfer made with o.peer saw of the server: the certificates it
 * sent (0 over plain HTTP), the earliest end of their validity and the
 * answer's Date header (seconds since the epoch, 0 when unknown). */
struct http_peer {
	int certs;
	long long not_after;
	long long date;
};
void http_xfer_peer(const struct http_xfer *x, struct http_peer *p);

/* Removes x from its multi handle if still there; wipes the body. */
void http_xfer_free(struct http_xfer **x);

/* Percent-encodes s into out (RFC 3986 unreserved kept); -1 when it does
 * not fit. */
int http_escape(const char *s, char *out, size_t size);

#endif
