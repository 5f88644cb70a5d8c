/* libcurl multi interface: see http.h. */
#include "config.h"

#include "services/gateway/http.h"

#include "services/base/preload.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/select.h>
#include <time.h>

#include <dlfcn.h>

/* libcurl is loaded on the first lookup, not at start-up: with its TLS and
 * directory libraries it maps some 5 MB that a counter terminal, which
 * mostly reads cards, should not carry from the first second.  The calls go
 * through this table; the names below keep the code reading like libcurl. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#define CURL_FUNCS(X) \
	X(global_init, CURLcode, (long)) \
	X(multi_init, CURLM *, (void)) \
	X(multi_cleanup, CURLMcode, (CURLM *)) \
	X(multi_add_handle, CURLMcode, (CURLM *, CURL *)) \
	X(multi_remove_handle, CURLMcode, (CURLM *, CURL *)) \
	X(multi_perform, CURLMcode, (CURLM *, int *)) \
	X(multi_info_read, CURLMsg *, (CURLM *, int *)) \
	X(multi_fdset, CURLMcode, (CURLM *, fd_set *, fd_set *, fd_set *, int *)) \
	X(multi_timeout, CURLMcode, (CURLM *, long *)) \
	X(multi_poll, CURLMcode, (CURLM *, struct curl_waitfd *, unsigned, int, int *)) \
	X(multi_wakeup, CURLMcode, (CURLM *)) \
	X(easy_init, CURL *, (void)) \
	X(easy_cleanup, void, (CURL *)) \
	X(easy_setopt, CURLcode, (CURL *, CURLoption, ...)) \
	X(easy_getinfo, CURLcode, (CURL *, CURLINFO, ...)) \
	X(slist_append, struct curl_slist *, (struct curl_slist *, const char *)) \
	X(slist_free_all, void, (struct curl_slist *))

static struct {
#define CURL_PTR(name, ret, args) ret (*name) args;
	CURL_FUNCS(CURL_PTR)
#undef CURL_PTR
} lib;

#define curl_global_init lib.global_init
#define curl_multi_init lib.multi_init
#define curl_multi_cleanup lib.multi_cleanup
#define curl_multi_add_handle lib.multi_add_handle
#define curl_multi_remove_handle lib.multi_remove_handle
#define curl_multi_perform lib.multi_perform
#define curl_multi_info_read lib.multi_info_read
#define curl_multi_fdset lib.multi_fdset
#define curl_multi_timeout lib.multi_timeout
#define curl_multi_poll lib.multi_poll
#define curl_multi_wakeup lib.multi_wakeup
#define curl_easy_init lib.easy_init
#define curl_easy_cleanup lib.easy_cleanup
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_setopt lib.easy_setopt
#define curl_easy_getinfo lib.easy_getinfo
#define curl_slist_append lib.slist_append
#define curl_slist_free_all lib.slist_free_all

/* 0, or -1 when libcurl (the libcurl4 package) cannot be loaded. */
static int lib_load(void)
{
	void *so = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);

	if (!so)
		return -1;
#define CURL_SYM(name, ret, args) \
	if (!(*(void **)&lib.name = dlsym(so, "curl_" #name))) \
		return -1;
	CURL_FUNCS(CURL_SYM)
#undef CURL_SYM
	return 0;
}

struct http {
	CURLM *multi;
	struct http_opts o;
	char *ca_file, *pin, *proxy;
	struct http_xfer *xfers;     /* every transfer not yet freed */
	unsigned long connects;      /* connections opened (not reused) */
};

struct http_xfer {
	struct http *h;
	struct http_xfer *next;
	CURL *easy;
	struct curl_slist *headers;
	char *body;
	size_t len, cap;
	int too_large;
	int attached;                /* added to the multi handle */
	int done;
	atomic_int cancel;
	CURLcode result;
	long status;
	long verify;                 /* the X509 verify result (OpenSSL's codes) */
	long long date;              /* the Date header (o.peer only) */
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static int global_loaded;

static void global_init_once(void)
{
	global_loaded = lib_load() == 0;
	global_rc = global_loaded ? curl_global_init(CURL_GLOBAL_DEFAULT) : CURLE_FAILED_INIT;
}

static void global_init_run(void)
{
	pthread_once(&global_once, global_init_once);
}

void http_preload(void)
{
	preload_arm(global_init_run);
}

int http_global_init(tb_err *err)
{
	pthread_once(&global_once, global_init_once);
	if (!global_loaded)
		return err_set(err, TB_E_SYSTEM, 0, "libcurl.so.4 (Debian package libcurl4)");
	if (global_rc != CURLE_OK)
		return err_set(err, TB_E_SYSTEM, global_rc, "curl_global_init");
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

struct http *http_new(const struct http_opts *o, tb_err *err)
{
	struct http *h;

	if (http_global_init(err))
		return NULL;
	h = calloc(1, sizeof *h);
	if (!h) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	if (o)
		h->o = *o;
	if (h->o.connect_timeout_ms <= 0)
		h->o.connect_timeout_ms = HTTP_CONNECT_TIMEOUT_MS;
	if (h->o.timeout_ms <= 0)
		h->o.timeout_ms = HTTP_TIMEOUT_MS;
	if (h->o.max_body == 0)
		h->o.max_body = HTTP_MAX_BODY;
	h->ca_file = dup_or_null(h->o.ca_file);
	h->pin = dup_or_null(h->o.pin);
	h->proxy = dup_or_null(h->o.proxy);
	h->o.ca_file = h->o.pin = h->o.proxy = NULL;
	h->multi = curl_multi_init();
	if (!h->multi || (o && o->ca_file && *o->ca_file && !h->ca_file) ||
	    (o && o->pin && *o->pin && !h->pin) || (o && o->proxy && *o->proxy && !h->proxy)) {
		http_free(&h);
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	return h;
}

void http_free(struct http **hp)
{
	struct http *h = *hp;

	if (!h)
		return;
	/* Transfers the caller still holds stay valid, detached and cancelled. */
	for (struct http_xfer *x = h->xfers; x; x = x->next) {
		if (x->attached)
			curl_multi_remove_handle(h->multi, x->easy);
		x->attached = 0;
		if (!x->done) {
			x->done = 1;
			x->result = CURLE_ABORTED_BY_CALLBACK;
			atomic_store(&x->cancel, 1);
		}
		x->h = NULL;
	}
	if (h->multi)
		curl_multi_cleanup(h->multi);
	free(h->ca_file);
	free(h->pin);
	free(h->proxy);
	free(h);
	*hp = NULL;
}

/* Grows the body without leaving copies of it behind in freed memory. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_xfer *x = arg;
	size_t n = size * nmemb, max = x->h ? x->h->o.max_body : HTTP_MAX_BODY;

	if (n > max || x->len + n > max) {
		x->too_large = 1;
		return 0;    /* libcurl ends the transfer with CURLE_WRITE_ERROR */
	}
	if (x->len + n + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 4096;
		char *b;

		while (cap < x->len + n + 1)
			cap *= 2;
		b = malloc(cap);
		if (!b)
			return 0;
		if (x->body) {
			memcpy(b, x->body, x->len);
			explicit_bzero(x->body, x->cap);
			free(x->body);
		}
		x->body = b;
		x->cap = cap;
	}
	memcpy(x->body + x->len, data, n);
	x->len += n;
	x->body[x->len] = '\0';
	return n;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct http_xfer *x = arg;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return atomic_load(&x->cancel) ? 1 : 0;
}

/* The one place that sets what every request shares. */
/* "Sun, 06 Nov 1994 08:49:37 GMT" (a Date header) or "Nov  6 08:49:37 1994
 * GMT" (curl's certificate dates), read without the locale's month names. */
static long long http_time(const char *s, int cert)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4] = "";
	struct tm tm = { 0 };
	const char *m;
	int n = cert ? sscanf(s, "%3s %d %d:%d:%d %d", mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
			      &tm.tm_sec, &tm.tm_year)
		     : sscanf(s, "%*3s, %d %3s %d %d:%d:%d", &tm.tm_mday, mon, &tm.tm_year,
			      &tm.tm_hour, &tm.tm_min, &tm.tm_sec);

	if (n != 6 || strlen(mon) != 3 || !(m = strstr(months, mon)) || (m - months) % 3)
		return 0;
	tm.tm_mon = (int)(m - months) / 3;
	tm.tm_year -= 1900;
	return (long long)timegm(&tm);
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_xfer *x = arg;
	size_t n = size * nmemb;
	char line[64];

	if (n > 6 && n < sizeof line && strncasecmp(data, "Date:", 5) == 0) {
		memcpy(line, data, n);
		line[n] = '\0';
		x->date = http_time(line + 5 + strspn(line + 5, " \t"), 0);
	}
	return n;
}

void http_xfer_peer(const struct http_xfer *x, struct http_peer *p)
{
	struct curl_certinfo *ci = NULL;

	*p = (struct http_peer){ .date = x->date };
	if (curl_easy_getinfo(x->easy, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci)
		return;
	p->certs = ci->num_of_certs;
	for (int i = 0; i < ci->num_of_certs; i++)
		for (struct curl_slist *l = ci->certinfo[i]; l; l = l->next)
			if (strncmp(l->data, "Expire date:", 12) == 0) {
				long long t = http_time(l->data + 12, 1);
				if (t && (!p->not_after || t < p->not_after))
					p->not_after = t;
			}
}

static int xfer_setup(struct http *h, struct http_xfer *x, const char *url, const char *post,
		      size_t post_len, const char *method)
{
	CURL *e = x->easy;
	CURLcode rc = CURLE_OK;

#define SET(opt, val) do { if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, val); } while (0)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_HTTPGET, 1L);
	SET(CURLOPT_PRIVATE, x);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT_MS, h->o.connect_timeout_ms);
	SET(CURLOPT_TIMEOUT_MS, h->o.timeout_ms);
	SET(CURLOPT_USERAGENT, "tabien/" PACKAGE_VERSION);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_file)
		SET(CURLOPT_CAINFO, h->ca_file);
	if (h->pin)
		SET(CURLOPT_PINNEDPUBLICKEY, h->pin);
	/* "" turns off the environment's proxy too: only the configured one. */
	SET(CURLOPT_PROXY, h->proxy ? h->proxy : "");
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	SET(CURLOPT_TCP_KEEPALIVE, 1L);
	SET(CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->o.max_body);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, x);
	SET(CURLOPT_NOPROGRESS, 0L);
	SET(CURLOPT_XFERINFOFUNCTION, on_progress);
	SET(CURLOPT_XFERINFODATA, x);
	if (x->headers)
		SET(CURLOPT_HTTPHEADER, x->headers);
	if (h->o.peer) {
		SET(CURLOPT_CERTINFO, 1L);
		SET(CURLOPT_HEADERFUNCTION, on_header);
		SET(CURLOPT_HEADERDATA, x);
	}
	if (post) {
		SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)post_len);
		SET(CURLOPT_COPYPOSTFIELDS, post);
	}
	if (method)
		SET(CURLOPT_CUSTOMREQUEST, method);
#undef SET
	return rc == CURLE_OK ? 0 : -1;
}

static void xfer_unlink(struct http_xfer *x)
{
	if (!x->h)
		return;
	for (struct http_xfer **p = &x->h->xfers; *p; p = &(*p)->next)
		if (*p == x) {
			*p = x->next;
			break;
		}
}

static struct http_xfer *xfer_start(struct http *h, const char *url, const char *const *headers,
				    const char *post, size_t post_len, const char *method, tb_err *err)
{
	struct http_xfer *x = calloc(1, sizeof *x);

	if (!x) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	x->h = h;
	x->next = h->xfers;
	h->xfers = x;
	x->easy = curl_easy_init();
	if (!x->easy)
		goto nomem;
	for (int i = 0; headers && headers[i] && i < HTTP_MAX_HEADERS; i++) {
		struct curl_slist *l = curl_slist_append(x->headers, headers[i]);
		if (!l)
			goto nomem;
		x->headers = l;
	}
	if (xfer_setup(h, x, url, post, post_len, method))
		goto nomem;
	if (curl_multi_add_handle(h->multi, x->easy) != CURLM_OK)
		goto nomem;
	x->attached = 1;
	return x;
nomem:
	http_xfer_free(&x);
	err_set(err, TB_E_NOMEM, 0, post ? "http_post" : "http_get");
	return NULL;
}

struct http_xfer *http_get(struct http *h, const char *url, const char *const *headers,
			   tb_err *err)
{
	return xfer_start(h, url, headers, NULL, 0, NULL, err);
}

struct http_xfer *http_post(struct http *h, const char *url, const char *const *headers,
			    const char *body, size_t len, tb_err *err)
{
	return xfer_start(h, url, headers, body ? body : "", body ? len : 0, NULL, err);
}

struct http_xfer *http_delete(struct http *h, const char *url, const char *const *headers,
			      tb_err *err)
{
	return xfer_start(h, url, headers, NULL, 0, "DELETE", err);
}

const char *http_xfer_content_type(const struct http_xfer *x)
{
	char *ct = NULL;

	if (!x->done || x->result != CURLE_OK ||
	    curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct) != CURLE_OK || !ct)
		return "";
	return ct;
}

static void xfer_finish(struct http_xfer *x, CURLcode rc)
{
	if (x->attached && x->h)
		curl_multi_remove_handle(x->h->multi, x->easy);
	x->attached = 0;
	x->done = 1;
	x->result = rc;
	if (rc == CURLE_OK)
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->status);
	else if (curl_easy_getinfo(x->easy, CURLINFO_SSL_VERIFYRESULT, &x->verify) != CURLE_OK)
		x->verify = 0;
	if (x->h) {
		long nc = 0;
		curl_easy_getinfo(x->easy, CURLINFO_NUM_CONNECTS, &nc);
		x->h->connects += (unsigned long)(nc > 0 ? nc : 0);
	}
}

unsigned long http_connects(const struct http *h)
{
	return h->connects;
}

int http_perform(struct http *h, int *running, tb_err *err)
{
	int still = 0, left;
	CURLMsg *m;

	/* A cancelled transfer ends now rather than at libcurl's next
	 * progress call. */
	for (struct http_xfer *x = h->xfers; x; x = x->next)
		if (!x->done && atomic_load(&x->cancel))
			xfer_finish(x, CURLE_ABORTED_BY_CALLBACK);
	if (curl_multi_perform(h->multi, &still) != CURLM_OK)
		return err_set(err, TB_E_SYSTEM, 0, "curl_multi_perform");
	while ((m = curl_multi_info_read(h->multi, &left))) {
		struct http_xfer *x = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (x)
			xfer_finish(x, m->data.result);
	}
	if (running)
		*running = still;
	return 0;
}

int http_fds(struct http *h, struct pollfd *fds, int max, int *n, int *timeout_ms, tb_err *err)
{
	fd_set r, w, x;
	int maxfd = -1;
	long t = -1;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&x);
	*n = 0;
	if (curl_multi_fdset(h->multi, &r, &w, &x, &maxfd) != CURLM_OK ||
	    curl_multi_timeout(h->multi, &t) != CURLM_OK)
		return err_set(err, TB_E_SYSTEM, 0, "curl_multi_fdset");
	for (int fd = 0; fd <= maxfd; fd++) {
		short ev = (short)((FD_ISSET(fd, &r) ? POLLIN : 0) | (FD_ISSET(fd, &w) ? POLLOUT : 0) |
				   (FD_ISSET(fd, &x) ? POLLPRI : 0));
		if (!ev)
			continue;
		if (*n == max)
			return err_set(err, TB_E_SYSTEM, max, "http_fds: too many sockets");
		fds[*n] = (struct pollfd){ .fd = fd, .events = ev };
		(*n)++;
	}
	/* No socket yet (a name being resolved): come back soon. */
	if (maxfd < 0 && (t < 0 || t > 100) && h->xfers)
		t = 100;
	*timeout_ms = t > 0x7fffffff ? 0x7fffffff : (int)t;
	return 0;
}

int http_poll(struct http *h, struct pollfd *extra, int n_extra, int timeout_ms, tb_err *err)
{
	struct curl_waitfd w[16];
	int got;

	if (n_extra > (int)(sizeof w / sizeof w[0]))
		return err_set(err, TB_E_SYSTEM, n_extra, "http_poll: too many descriptors");
	for (int i = 0; i < n_extra; i++)
		w[i] = (struct curl_waitfd){ .fd = extra[i].fd,
			.events = (short)((extra[i].events & POLLIN ? CURL_WAIT_POLLIN : 0) |
					  (extra[i].events & POLLOUT ? CURL_WAIT_POLLOUT : 0) |
					  (extra[i].events & POLLPRI ? CURL_WAIT_POLLPRI : 0)) };
	if (curl_multi_poll(h->multi, n_extra ? w : NULL, (unsigned)n_extra, timeout_ms, &got) != CURLM_OK)
		return err_set(err, TB_E_SYSTEM, 0, "curl_multi_poll");
	for (int i = 0; i < n_extra; i++)
		extra[i].revents = (short)((w[i].revents & CURL_WAIT_POLLIN ? POLLIN : 0) |
					   (w[i].revents & CURL_WAIT_POLLOUT ? POLLOUT : 0) |
					   (w[i].revents & CURL_WAIT_POLLPRI ? POLLPRI : 0));
	return http_perform(h, NULL, err);
}

int http_wait(struct http *h, struct http_xfer *x, tb_err *err)
{
	if (http_perform(h, NULL, err))
		return -1;
	while (!x->done)
		if (http_poll(h, NULL, 0, 1000, err))
			return -1;
	return 0;
}

int http_xfer_done(const struct http_xfer *x)
{
	return x->done;
}

void http_cancel(struct http_xfer *x)
{
	atomic_store(&x->cancel, 1);
	if (x->h)
		curl_multi_wakeup(x->h->multi);
}

static const char *curl_reason(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return "DNS";
	case CURLE_COULDNT_CONNECT:
		return "connect";
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_USE_SSL_FAILED:
		return "TLS";
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return "connection reset";
	default:
		return "transfer";
	}
}

/* A refused certificate is not a cut cable: each reason has its own entry,
 * with what to do.  libcurl says "verification failed" (60) for all of
 * them; OpenSSL's verify result tells which.  curl checks the host name
 * itself once the chain is verified, and a wrong name comes back as 1
 * (X509_V_ERR_UNSPECIFIED: seen with Debian 12's libcurl 7.88). */
static int tls_error(CURLcode rc, long verify, tb_err *err)
{
	if (rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH)
		return err_set(err, TB_E_TLS_PIN, rc, "http.pin");
	if (rc == CURLE_SSL_CACERT_BADFILE)
		return err_set(err, TB_E_FILE, rc, "http.ca_file");
	switch (verify) {
	case 0:  /* X509_V_OK: the chain is good, the name is not */
	case 1:  /* X509_V_ERR_UNSPECIFIED: curl's own host name check */
	case 62: /* X509_V_ERR_HOSTNAME_MISMATCH */
	case 64: /* X509_V_ERR_IP_ADDRESS_MISMATCH */
		return err_set(err, TB_E_TLS_WRONG_HOST, rc, NULL);
	case 9:  /* X509_V_ERR_CERT_NOT_YET_VALID */
	case 10: /* X509_V_ERR_CERT_HAS_EXPIRED */
		return err_set(err, TB_E_TLS_EXPIRED, rc, NULL);
	default: /* 18-21: self-signed or an issuer not in the store; 2, 27 ... */
		return err_set(err, TB_E_TLS_UNTRUSTED, rc, NULL);
	}
}

int http_xfer_result(const struct http_xfer *x, long *status, const char **body, size_t *len,
		     tb_err *err)
{
	*status = 0;
	*body = "";
	*len = 0;
	if (!x->done)
		return err_set(err, TB_E_SYSTEM, 0, "http_xfer_result before the end");
	if (atomic_load(&x->cancel))
		return err_set(err, TB_E_NET_CANCELLED, 0, NULL);
	if (x->too_large || x->result == CURLE_FILESIZE_EXCEEDED)
		return err_set(err, TB_E_NET_TOO_LARGE, 0, NULL);
	if (x->result == CURLE_PARTIAL_FILE)
		return err_set(err, TB_E_NET_TRUNCATED, 0, NULL);
	if (x->result == CURLE_OUT_OF_MEMORY || x->result == CURLE_WRITE_ERROR)
		return err_set(err, TB_E_NOMEM, x->result, "http");
	if (x->result == CURLE_PEER_FAILED_VERIFICATION || x->result == CURLE_SSL_PINNEDPUBKEYNOTMATCH ||
	    x->result == CURLE_SSL_CACERT_BADFILE)
		return tls_error(x->result, x->verify, err);
	if (x->result != CURLE_OK)
		return err_set(err, TB_E_NET_UNREACHABLE, x->result, curl_reason(x->result));
	*status = x->status;
	if (x->body) {
		*body = x->body;
		*len = x->len;
	}
	return 0;
}

int http_status_check(long status, tb_err *err)
{
	if (status >= 200 && status <= 299)
		return 0;
	if (status == 401 || status == 403)
		return err_set(err, TB_E_NET_DENIED, status, NULL);
	if (status == 404)
		return err_set(err, TB_E_NET_NOT_FOUND, status, NULL);
	if (status >= 500 && status <= 599)
		return err_set(err, TB_E_NET_SERVER, status, NULL);
	return err_set(err, TB_E_NET_STATUS, status, NULL);
}

void http_xfer_free(struct http_xfer **xp)
{
	struct http_xfer *x = *xp;

	if (!x)
		return;
	if (x->attached && x->h)
		curl_multi_remove_handle(x->h->multi, x->easy);
	xfer_unlink(x);
	if (x->easy)
		curl_easy_cleanup(x->easy);
	/* Headers hold the consumer key and the token. */
	for (struct curl_slist *l = x->headers; l; l = l->next)
		explicit_bzero(l->data, strlen(l->data));
	curl_slist_free_all(x->headers);
	if (x->body) {
		explicit_bzero(x->body, x->cap);
		free(x->body);
	}
	free(x);
	*xp = NULL;
}

int http_escape(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~';
		if (o + (plain ? 1 : 3) >= size)
			return -1;
		if (plain) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	if (size == 0)
		return -1;
	out[o] = '\0';
	return 0;
}

int http_settings_from(struct config *c, struct http_settings *s, tb_err *err)
{
	long timeout = HTTP_TIMEOUT_MS, connect = HTTP_CONNECT_TIMEOUT_MS, max = HTTP_MAX_BODY;

	memset(s, 0, sizeof *s);
	if (config_text(c, "http.ca_file", s->ca_file, sizeof s->ca_file, err) ||
	    config_text(c, "http.pin", s->pin, sizeof s->pin, err) ||
	    config_text(c, "http.proxy", s->proxy, sizeof s->proxy, err) ||
	    config_long(c, "http.timeout_ms", 100, 600000, &timeout, err) ||
	    config_long(c, "http.connect_timeout_ms", 100, 600000, &connect, err) ||
	    config_long(c, "http.max_body", 1024, 64L * 1024 * 1024, &max, err))
		return -1;
	s->timeout_ms = timeout;
	s->connect_timeout_ms = connect;
	s->max_body = (size_t)max;
	return 0;
}

/* Only the simulators on this machine may be spoken to in clear. */
static int host_loopback(const char *host, size_t n)
{
	char h[INET6_ADDRSTRLEN + 2];
	unsigned char a[16];

	if (n == 9 && strncasecmp(host, "localhost", 9) == 0)
		return 1;
	if (n >= sizeof h)
		return 0;
	if (n > 2 && host[0] == '[' && host[n - 1] == ']') {
		memcpy(h, host + 1, n - 2);
		h[n - 2] = '\0';
		return inet_pton(AF_INET6, h, a) == 1 && memcmp(a, &in6addr_loopback, 16) == 0;
	}
	memcpy(h, host, n);
	h[n] = '\0';
	return inet_pton(AF_INET, h, a) == 1 && a[0] == 127;
}

int http_url_check(const char *url, const char *key, tb_err *err)
{
	const char *auth, *end, *at, *host, *port;

	if (strncmp(url, "http://", 7) != 0)
		return 0;
	auth = url + 7;
	end = auth + strcspn(auth, "/?#");
	/* user@host: the host is after the last '@' of the authority. */
	host = auth;
	for (at = auth; at < end; at++)
		if (*at == '@')
			host = at + 1;
	port = end;
	if (host < end && *host == '[') {
		const char *rb = memchr(host, ']', (size_t)(end - host));
		if (rb)
			port = rb + 1;
	} else {
		const char *colon = memchr(host, ':', (size_t)(end - host));
		if (colon)
			port = colon;
	}
	if (host_loopback(host, (size_t)(port - host)))
		return 0;
	return err_set(err, TB_E_PLAIN_HTTP, 0, key);
}

struct http_opts http_settings_opts(const struct http_settings *s)
{
	return (struct http_opts){ .connect_timeout_ms = s->connect_timeout_ms,
		.timeout_ms = s->timeout_ms, .max_body = s->max_body, .ca_file = s->ca_file,
		.pin = s->pin, .proxy = s->proxy };
}
