/* tabien doctor: the GDX gateway, one step at a time so that the first one
 * that fails names the fix: its name, a TCP connection, TLS (the chain, the
 * expiry, the pin), the clock against its Date header, a token for an
 * officer and that officer's agent.  Each step has the doctor's time limit;
 * nothing here prints the consumer secret, the token or the officer's ID. */
#include "config.h"

#include "services/doctor/doctor_private.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "services/base/util.h"
#include "services/gateway/http.h"
#include "services/registry/linkage.h"

#define DOCTOR_EXPIRY_WARN_S (30 * 86400LL)
#define DOCTOR_CLOCK_MAX_S 120

/* host and port of an http(s):// URL; -1 when it has neither. */
static int url_host(const char *url, char *host, size_t size, char *port, size_t psize)
{
	int tls = strncmp(url, "https://", 8) == 0;
	const char *h = url + (tls ? 8 : 7), *end, *colon = NULL;

	if (!tls && strncmp(url, "http://", 7))
		return -1;
	if (*h == '[') {
		end = strchr(h, ']');
		if (!end)
			return -1;
		h++;
		colon = end[1] == ':' ? end + 1 : NULL;
	} else {
		end = h + strcspn(h, ":/?#");
		colon = *end == ':' ? end : NULL;
	}
	if (end == h || (size_t)(end - h) >= size)
		return -1;
	memcpy(host, h, (size_t)(end - h));
	host[end - h] = '\0';
	if (colon) {
		size_t n = strspn(colon + 1, "0123456789");
		if (n == 0 || n >= psize)
			return -1;
		memcpy(port, colon + 1, n);
		port[n] = '\0';
	} else {
		str_copy(port, psize, tls ? "443" : "80");
	}
	return 0;
}

/* getaddrinfo on its own, given up after the time limit (a resolver that
 * does not answer would otherwise hold the doctor for its own 30 s). */
static int resolve(const char *host, const char *port, int timeout_ms, struct addrinfo **out)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct gaicb req = { .ar_name = host, .ar_service = port, .ar_request = &hints };
	struct gaicb *list[1] = { &req };
	struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };
	int rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);

	if (rc)
		return rc;
	rc = gai_suspend((const struct gaicb *const *)list, 1, &ts);
	if (rc == EAI_AGAIN) {
		if (gai_cancel(&req) == EAI_NOTCANCELED)
			/* The lookup still runs on glibc's thread and writes
			 * into req: wait for it rather than leave it a
			 * dangling stack frame. */
			while (gai_error(&req) == EAI_INPROGRESS)
				gai_suspend((const struct gaicb *const *)list, 1, NULL);
		if (req.ar_result)
			freeaddrinfo(req.ar_result);
		return EAI_AGAIN;
	}
	rc = gai_error(&req);
	*out = rc ? NULL : req.ar_result;
	return rc;
}

/* A TCP connection to the first address that takes one, within the limit. */
static int tcp_connect(const struct addrinfo *ai, int timeout_ms)
{
	for (; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
				ai->ai_protocol);
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		int soerr = 0;
		socklen_t len = sizeof soerr;

		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    (errno == EINPROGRESS && poll(&p, 1, timeout_ms) == 1 &&
		     getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr == 0)) {
			close(fd);
			return 0;
		}
		close(fd);
	}
	return -1;
}

static void skip_from(struct doctor_ctx *x, enum doctor_id first, const char *why)
{
	for (int id = first; id < DOCTOR_COUNT; id++)
		doctor_report(x, (enum doctor_id)id, DOCTOR_SKIP, NULL, "%s", why);
}

/* One GET of the gateway's root with the chain and the Date kept: any HTTP
 * status will do, it is the connection that is looked at. */
static int tls_probe(struct doctor_ctx *x, const struct linkage_config *lc, struct http_peer *peer,
		     tb_err *err)
{
	struct http_opts o = http_settings_opts(&lc->gdx.http);
	struct http *h;
	struct http_xfer *xf;
	char url[300];
	const char *body;
	size_t len;
	long status;
	int rc = -1;

	o.peer = 1;
	o.connect_timeout_ms = x->timeout_ms;
	o.timeout_ms = x->timeout_ms;
	snprintf(url, sizeof url, "%s/", lc->gdx.url);
	if (!(h = http_new(&o, err)))
		return -1;
	xf = http_get(h, url, NULL, err);
	if (xf && http_wait(h, xf, err) == 0 && http_xfer_result(xf, &status, &body, &len, err) == 0) {
		http_xfer_peer(xf, peer);
		rc = 0;
	}
	http_xfer_free(&xf);
	http_free(&h);
	return rc;
}

static int check_tls(struct doctor_ctx *x, const struct linkage_config *lc, int tls)
{
	struct http_peer peer = { 0 };
	tb_err e = { 0 };
	long long now = (long long)time(NULL), skew;

	if (tls_probe(x, lc, &peer, &e)) {
		doctor_report(x, DOCTOR_tls, DOCTOR_FAIL, &e, tls ? "refused" : "no answer");
		skip_from(x, DOCTOR_clock, "needs the gateway's answer");
		return -1;
	}
	if (!tls)
		doctor_report(x, DOCTOR_tls, DOCTOR_SKIP, NULL, "plain http to this machine");
	else if (peer.not_after && peer.not_after - now < DOCTOR_EXPIRY_WARN_S)
		doctor_report(x, DOCTOR_tls, DOCTOR_WARN, &(tb_err){ .id = TB_E_TLS_EXPIRING },
			      "%d certificates, %lld days left", peer.certs,
			      (peer.not_after - now) / 86400);
	else if (peer.not_after)
		doctor_report(x, DOCTOR_tls, DOCTOR_OK, NULL, "%d certificate%s verified%s, %lld days left",
			      peer.certs, peer.certs == 1 ? "" : "s",
			      lc->gdx.http.pin[0] ? ", pin matches" : "", (peer.not_after - now) / 86400);
	else
		doctor_report(x, DOCTOR_tls, DOCTOR_OK, NULL, "verified%s (no expiry given)",
			      lc->gdx.http.pin[0] ? ", pin matches" : "");

	skew = peer.date ? now - peer.date : 0;
	if (!peer.date)
		doctor_report(x, DOCTOR_clock, DOCTOR_SKIP, NULL, "no Date header");
	else if (llabs(skew) > DOCTOR_CLOCK_MAX_S)
		doctor_report(x, DOCTOR_clock, DOCTOR_FAIL, &(tb_err){ .id = TB_E_CLOCK, .detail = (long)skew },
			      "%+lld s from the gateway's", skew);
	else
		doctor_report(x, DOCTOR_clock, DOCTOR_OK, NULL, "%+lld s from the gateway's", skew);
	return 0;
}

static void check_token(struct doctor_ctx *x, struct linkage_config *lc)
{
	struct linkage_permission p;
	struct linkage *lk;
	tb_err e = { 0 };

	if (!x->agent[0]) {
		skip_from(x, DOCTOR_token, "no active admin to ask a token for (--agent)");
		return;
	}
	lc->gdx.http.timeout_ms = x->timeout_ms;
	lc->gdx.http.connect_timeout_ms = x->timeout_ms;
	if (!(lk = linkage_new(lc, &e))) {
		doctor_report(x, DOCTOR_token, DOCTOR_FAIL, &e, "not asked");
		doctor_report(x, DOCTOR_agent, DOCTOR_SKIP, NULL, "needs a token");
		return;
	}
	if (linkage_permission(lk, x->agent, &p, &e)) {
		if (linkage_stats(lk)->queries == 0) {
			doctor_report(x, DOCTOR_token, DOCTOR_FAIL, &e, "refused");
			doctor_report(x, DOCTOR_agent, DOCTOR_SKIP, NULL, "needs a token");
		} else {
			doctor_report(x, DOCTOR_token, DOCTOR_OK, NULL, "obtained");
			doctor_report(x, DOCTOR_agent, DOCTOR_FAIL, &e, "not asked");
		}
	} else {
		doctor_report(x, DOCTOR_token, DOCTOR_OK, NULL, "obtained");
		if (p.state == LINKAGE_AGENT_AVAILABLE || p.state == LINKAGE_CITIZEN_AVAILABLE)
			doctor_report(x, DOCTOR_agent, DOCTOR_OK, NULL, "%s",
				      linkage_session_name(p.state, TB_LANG_EN));
		else
			doctor_report(x, DOCTOR_agent, DOCTOR_WARN, &(tb_err){ .id = TB_E_AGENT_DOWN },
				      "%s", p.state_text[0] ? "state not available" : "no state");
	}
	explicit_bzero(&p, sizeof p);
	linkage_free(&lk);
}

void doctor_gateway(struct doctor_ctx *x)
{
	struct linkage_config lc;
	struct addrinfo *ai = NULL;
	char host[256], port[8];
	tb_err e = { 0 };
	int rc, tls;

	if (linkage_config_from(&lc, x->o->cfg, &e)) {
		skip_from(x, DOCTOR_dns, e.id == TB_E_GDX_NOT_SET_UP ? "the gateway is not set up"
								      : "see the configuration");
		linkage_config_wipe(&lc);
		return;
	}
	tls = strncmp(lc.gdx.url, "https://", 8) == 0;
	if (url_host(lc.gdx.url, host, sizeof host, port, sizeof port)) {
		skip_from(x, DOCTOR_dns, "gdx.url has no host");
		linkage_config_wipe(&lc);
		return;
	}
	rc = resolve(host, port, x->timeout_ms, &ai);
	if (rc) {
		err_set(&e, TB_E_NET_UNREACHABLE, rc, "DNS");
		doctor_report(x, DOCTOR_dns, DOCTOR_FAIL, &e, "%s: %s", host, gai_strerror(rc));
		skip_from(x, DOCTOR_tcp, "needs the gateway's name");
	} else {
		doctor_report(x, DOCTOR_dns, DOCTOR_OK, NULL, "%s", host);
		if (tcp_connect(ai, x->timeout_ms)) {
			err_set(&e, TB_E_NET_UNREACHABLE, 0, "connect");
			doctor_report(x, DOCTOR_tcp, DOCTOR_FAIL, &e, "%s port %s: no connection", host, port);
			skip_from(x, DOCTOR_tls, "needs a connection");
		} else {
			doctor_report(x, DOCTOR_tcp, DOCTOR_OK, NULL, "%s port %s", host, port);
			if (check_tls(x, &lc, tls) == 0)
				check_token(x, &lc);
		}
		freeaddrinfo(ai);
	}
	linkage_config_wipe(&lc);
}
