/* tabien-gateway: the GDX gateway's shapes (token, Linkage link, agent
 * permission, DBD juristic profile, shareholders and financial-statement
 * years) and the DBD open API on 127.0.0.1 only, from a synthetic population in JSON
 * (sim/gateway/population.json), with switches for every failure the
 * client must survive.  Requests are counted (GET /__stats, --stats-file)
 * so tests can tell a retry from a retry storm. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sim/gateway.h"

struct sim S = { .key = "sim-key", .secret = "sim-secret", .token_ttl_s = 3600,
	.session_state = "AgentAvailable",
	.f = { .scope_service = -1 }, .lock = PTHREAD_MUTEX_INITIALIZER };


static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int cid_ok(const char *s)
{
	int sum = 0;

	if (!s || strlen(s) != 13 || strspn(s, "0123456789") != 13)
		return 0;
	for (int i = 0; i < 12; i++)
		sum += (s[i] - '0') * (13 - i);
	return (11 - sum % 11) % 10 == s[12] - '0';
}

void stats_write(void)
{
	FILE *f;
	char tmp[1024];

	if (!S.stats_file)
		return;
	snprintf(tmp, sizeof tmp, "%s.tmp", S.stats_file);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "token %u\nlink %u\npermission %u\nother %u\ndbd_gdx %u\ndbd_open %u\n"
		"dbd_parts %u\nlink_peak %u\n", S.n_token, S.n_link, S.n_permission, S.n_other,
		S.n_dbd_gdx, S.n_dbd_open, S.n_dbd_parts, S.link_peak);
	lk2_stats_print(f);
	fclose(f);
	rename(tmp, S.stats_file);
}

void count(unsigned *n)
{
	pthread_mutex_lock(&S.lock);
	(*n)++;
	stats_write();
	pthread_mutex_unlock(&S.lock);
}

const char *arg(struct MHD_Connection *c, const char *k)
{
	return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, k);
}

const char *header(struct MHD_Connection *c, const char *k)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, k);
}

int in_scope(int service, const char *cid)
{
	return (S.f.scope_service < 0 || S.f.scope_service == service) &&
	       (!S.f.scope_cid[0] || (cid && strcmp(S.f.scope_cid, cid) == 0));
}

void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

mhd_result send_body(struct MHD_Connection *c, int status, const char *body, int html)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								 MHD_RESPMEM_MUST_COPY);
	mhd_result ret;

	MHD_add_response_header(r, "Content-Type",
				html ? "text/html; charset=utf-8" : "application/json; charset=utf-8");
	ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

mhd_result send_json(struct MHD_Connection *c, int status, const cJSON *o, int html)
{
	char *s = cJSON_PrintUnformatted(o);
	mhd_result ret = send_body(c, status, s ? s : "{}", html);

	free(s);
	return ret;
}

mhd_result send_code(struct MHD_Connection *c, int status, long code, const char *msg)
{
	char body[256];

	snprintf(body, sizeof body, "{\"Code\":\"%ld\",\"Message\":\"%s\"}", code, msg);
	return send_body(c, status, body, S.html);
}

/* --- bodies that misbehave ------------------------------------------------------------ */

struct feed {
	char *body;
	size_t len;
	int drip_ms;
	int cut;               /* stop with an error after the body */
};

static ssize_t feed_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct feed *f = cls;
	size_t n;

	if (pos >= f->len)
		return f->cut ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
	n = f->len - (size_t)pos;
	if (f->drip_ms) {
		struct timespec ts = { f->drip_ms / 1000, (long)(f->drip_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
		n = 1;
	}
	if (n > max)
		n = max;
	memcpy(buf, f->body + pos, n);
	return (ssize_t)n;
}

static void feed_free(void *cls)
{
	struct feed *f = cls;

	free(f->body);
	free(f);
}

mhd_result send_feed(struct MHD_Connection *c, char *body, size_t len, uint64_t declared,
			    int drip_ms, int cut)
{
	struct feed *f = calloc(1, sizeof *f);
	struct MHD_Response *r;
	mhd_result ret;

	if (!f) {
		free(body);
		return MHD_NO;
	}
	*f = (struct feed){ body, len, drip_ms, cut };
	r = MHD_create_response_from_callback(declared, 1024, feed_read, f, feed_free);
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* Closes with a TCP reset (SO_LINGER 0) and no answer. */
mhd_result send_reset(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct linger l = { 1, 0 };

	if (ci)
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	return MHD_NO;
}

mhd_result send_taken(struct MHD_Connection *c, int status, cJSON *o, int html)
{
	mhd_result r = send_json(c, status, o, html);

	cJSON_Delete(o);
	return r;
}

/* --oversize and --oversize-chunked: 3 MB of spaces between braces, its
 * length declared or not, more than any client takes. */
mhd_result send_oversize(struct MHD_Connection *c)
{
	size_t n = 3u * 1024 * 1024;
	char *b = malloc(n);

	if (!b)
		return MHD_NO;
	memset(b, ' ', n);
	b[0] = '{';
	b[n - 1] = '}';
	return send_feed(c, b, n, S.f.oversize_chunked ? MHD_SIZE_UNKNOWN : n, 0, 0);
}

/* --truncate and --drip-ms: o (taken) cut short of the length declared, or
 * a byte at a time. */
mhd_result send_slowly(struct MHD_Connection *c, cJSON *o)
{
	char *b = cJSON_PrintUnformatted(o);
	size_t n = b ? strlen(b) : 0;

	cJSON_Delete(o);
	if (!b)
		return MHD_NO;
	return send_feed(c, b, n, S.f.truncate ? n + 500 : n, S.f.drip_ms, S.f.truncate);
}

/* The failure switches in the order every endpoint takes them: 1 and *r
 * when one answered. */
int faults_answer(struct MHD_Connection *c, const struct faults_of *how, mhd_result *r)
{
	*r = MHD_YES;
	if (S.f.latency_ms) {
		if (how->wait)
			how->wait();
		else
			sleep_ms(S.f.latency_ms);
	}
	if (S.f.reset)
		*r = send_reset(c);
	else if (S.f.status)
		*r = send_body(c, S.f.status, how->failure, how->failure_html);
	else if (how->code && S.f.code)
		*r = send_code(c, 200, S.f.code, "simulated");
	else if (S.f.malformed)
		*r = send_body(c, 200, how->broken, how->broken_html);
	else if (how->oversize && (S.f.oversize || S.f.oversize_chunked))
		*r = send_oversize(c);
	else
		return 0;
	return 1;
}

/* --- uploads, counts and the dispatch ------------------------------------------------------ */

struct upload {
	size_t len, cap;
	char buf[];
};

int upload_collect(void **con_cls, size_t cap, const char *upload, size_t *upload_size,
		   const char **body, size_t *len, mhd_result *r)
{
	struct upload *u = *con_cls;

	*r = MHD_YES;
	if (!u) {
		*con_cls = u = calloc(1, sizeof *u + cap);
		if (!u)
			*r = MHD_NO;
		else
			u->cap = cap;
		return 1;
	}
	if (*upload_size) {
		size_t n = *upload_size;

		if (n > u->cap - 1 - u->len)
			n = u->cap - 1 - u->len;
		memcpy(u->buf + u->len, upload, n);
		u->len += n;
		*upload_size = 0;
		return 1;
	}
	*body = u->buf;
	*len = u->len;
	return 0;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

static mhd_result on_stats(struct MHD_Connection *c)
{
	char body[256];

	pthread_mutex_lock(&S.lock);
	snprintf(body, sizeof body, "{\"token\":%u,\"link\":%u,\"permission\":%u,\"other\":%u,"
		 "\"dbd_gdx\":%u,\"dbd_open\":%u,\"dbd_parts\":%u}", S.n_token, S.n_link,
		 S.n_permission, S.n_other, S.n_dbd_gdx, S.n_dbd_open, S.n_dbd_parts);
	pthread_mutex_unlock(&S.lock);
	return send_body(c, 200, body, 0);
}

static mhd_result on_request(void *cls, struct MHD_Connection *c, const char *url,
			     const char *method, const char *version, const char *upload,
			     size_t *upload_size, void **con_cls)
{
	(void)cls, (void)version;
	if (strncmp(url, LK2_PREFIX, strlen(LK2_PREFIX)) == 0)
		return on_lk2(c, url, method, upload, upload_size, con_cls);
	/* A GET is answered on the second call, once libmicrohttpd has the
	 * whole request: an answer queued on the first closes the connection
	 * after it, and clients could never reuse one. */
	if (strcmp(method, "GET") == 0 && !*con_cls) {
		*con_cls = calloc(1, 1);
		return *con_cls ? MHD_YES : MHD_NO;
	}
	if (strcmp(method, "POST") == 0 && strcmp(url, DBD_GDX_PATH) == 0) {
		const char *body = NULL;
		size_t len = 0;
		mhd_result r;

		if (upload_collect(con_cls, UPLOAD_MAX, upload, upload_size, &body, &len, &r))
			return r;
		return on_dbd_gdx(c, body, len);
	}
	if (strcmp(method, "GET") != 0) {
		count(&S.n_other);
		return send_body(c, 405, "{\"Message\":\"method not allowed\"}", 0);
	}
	if (strcmp(url, "/ws/auth/validate") == 0)
		return on_token(c);
	if (strcmp(url, "/ws/dopa/linkage/v1/link") == 0)
		return on_link(c);
	if (strcmp(url, "/ws/dopa/linkage/v1/agent/permission") == 0)
		return on_permission(c);
	if (strncmp(url, DBD_OPEN_PREFIX, strlen(DBD_OPEN_PREFIX)) == 0)
		return on_dbd_open(c, url + strlen(DBD_OPEN_PREFIX));
	if (strcmp(url, DBD_SHAREHOLDERS_PATH) == 0)
		return on_dbd_part(c, "juristic_shareholders", "cd:OrganizationJuristicShareholderList");
	if (strcmp(url, DBD_FINANCIALS_PATH) == 0)
		return on_dbd_part(c, "juristic_financials", "cd:FinancialStatementList");
	if (strcmp(url, "/__stats") == 0)
		return on_stats(c);
	count(&S.n_other);
	return send_body(c, 404, "{\"Message\":\"no such endpoint\"}", 0);
}

/* --- setup ---------------------------------------------------------------------------------- */

static int scope_parse(const char *s, int *service, char *cid)
{
	const char *colon = strchr(s, ':');

	*service = strncmp(s, "dbd", 3) == 0 && (!s[3] || s[3] == ':') ? DBD_SCOPE :
		   strncmp(s, "permission", 10) == 0 && (!s[10] || s[10] == ':') ? PERMISSION_SCOPE :
		   atoi(s);
	cid[0] = '\0';
	if (*service <= 0)
		return -1;
	if (colon) {
		if (!cid_ok(colon + 1))
			return -1;
		memcpy(cid, colon + 1, 14);
	}
	return 0;
}

/* A whole file, NUL-terminated (the caller frees it), or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = n > 0 ? malloc((size_t)n + 1) : NULL;
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static cJSON *load(const char *path)
{
	char *buf = slurp(path);
	cJSON *o = buf ? cJSON_Parse(buf) : NULL;

	free(buf);
	return o;
}

static void usage(FILE *f)
{
	fputs("usage: tabien-gateway [--data FILE] [--port N] [--port-file FILE] [--stats-file FILE]\n"
	      "         [--consumer-key K] [--consumer-secret S] [--token-ttl-s N] [--expire-next N]\n"
	      "         [--deny SERVICE[:CID]] [--scope SERVICE[:CID]] [--latency-ms N] [--status CODE]\n"
	      "         [--code NNNNN] [--quota] [--malformed] [--truncate] [--oversize]\n"
	      "         [--oversize-chunked] [--drip-ms N] [--reset] [--html]\n"
	      "         [--dbd-quota] [--dbd-waf] [--dbd-array] [--session-state STATE]\n"
	      "         [--tls-cert PEM --tls-key PEM]\n"
	      "Serves the GDX token, Linkage link, agent permission and DBD profile endpoints\n"
	      "and the DBD open API on 127.0.0.1 (an ephemeral port, printed and written to\n"
	      "--port-file; --port N takes that one, so a test can restart it with other\n"
	      "switches under the same address).  --scope limits the failure switches to one\n"
	      "service, or one service for one citizen; --scope dbd[:ID] to the DBD\n"
	      "endpoints.  --dbd-quota\n"
	      "(status 8888), --dbd-waf (403 with an HTML page) and --dbd-array (data as an\n"
	      "array) concern the open API; --dbd-array also wraps the shareholder and\n"
	      "financial-statement lists (" DBD_SHAREHOLDERS_PATH ",\n"
	      DBD_FINANCIALS_PATH ", ?JuristicID=) in an array.  --session-state is what\n"
	      "agent/permission answers (AgentAvailable; AgentNotAvailable, CitizenAvailable\n"
	      "or any text); --scope permission[:CID] aims the failure switches at it.\n"
	      "--tls-cert and --tls-key: HTTPS with that certificate and key instead of HTTP.\n", f);
}

int main(int argc, char **argv)
{
	enum { O_DATA = 1, O_PORT_FILE, O_STATS, O_KEY, O_SECRET, O_TTL, O_EXPIRE, O_DENY, O_SCOPE,
	       O_LATENCY, O_STATUS, O_CODE, O_QUOTA, O_MALFORMED, O_TRUNCATE, O_OVERSIZE,
	       O_OVERSIZE_CHUNKED, O_DRIP, O_RESET, O_HTML, O_DBD_QUOTA, O_DBD_WAF, O_DBD_ARRAY,
	       O_PORT, O_SESSION_STATE, O_TLS_CERT, O_TLS_KEY, O_HELP };
	static const struct option opts[] = {
		{ "data", required_argument, NULL, O_DATA },
		{ "port-file", required_argument, NULL, O_PORT_FILE },
		{ "port", required_argument, NULL, O_PORT },
		{ "stats-file", required_argument, NULL, O_STATS },
		{ "consumer-key", required_argument, NULL, O_KEY },
		{ "consumer-secret", required_argument, NULL, O_SECRET },
		{ "token-ttl-s", required_argument, NULL, O_TTL },
		{ "expire-next", required_argument, NULL, O_EXPIRE },
		{ "deny", required_argument, NULL, O_DENY },
		{ "scope", required_argument, NULL, O_SCOPE },
		{ "latency-ms", required_argument, NULL, O_LATENCY },
		{ "status", required_argument, NULL, O_STATUS },
		{ "code", required_argument, NULL, O_CODE },
		{ "quota", no_argument, NULL, O_QUOTA },
		{ "malformed", no_argument, NULL, O_MALFORMED },
		{ "truncate", no_argument, NULL, O_TRUNCATE },
		{ "oversize", no_argument, NULL, O_OVERSIZE },
		{ "oversize-chunked", no_argument, NULL, O_OVERSIZE_CHUNKED },
		{ "drip-ms", required_argument, NULL, O_DRIP },
		{ "reset", no_argument, NULL, O_RESET },
		{ "html", no_argument, NULL, O_HTML },
		{ "dbd-quota", no_argument, NULL, O_DBD_QUOTA },
		{ "dbd-waf", no_argument, NULL, O_DBD_WAF },
		{ "dbd-array", no_argument, NULL, O_DBD_ARRAY },
		{ "session-state", required_argument, NULL, O_SESSION_STATE },
		{ "tls-cert", required_argument, NULL, O_TLS_CERT },
		{ "tls-key", required_argument, NULL, O_TLS_KEY },
		{ "help", no_argument, NULL, O_HELP },
		{ 0 },
	};
	const char *data = TABIEN_SRCDIR "/sim/gateway/population.json", *port_file = NULL;
	const char *cert_file = NULL, *key_file = NULL;
	char *cert = NULL, *key = NULL;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_ERROR_LOG;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	unsigned port;
	int c;

	if (lk2_args(&argc, argv))
		goto usage;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_DATA: data = optarg; break;
		case O_PORT_FILE: port_file = optarg; break;
		case O_PORT:
			if (atoi(optarg) <= 0 || atoi(optarg) > 65535)
				goto usage;
			sa.sin_port = htons((uint16_t)atoi(optarg));
			break;
		case O_STATS: S.stats_file = optarg; break;
		case O_KEY: S.key = optarg; break;
		case O_SECRET: S.secret = optarg; break;
		case O_TTL: S.token_ttl_s = atoi(optarg); break;
		case O_EXPIRE: S.expire_next = atoi(optarg); break;
		case O_DENY:
			if (scope_parse(optarg, &S.deny_service, S.deny_cid))
				goto usage;
			break;
		case O_SCOPE:
			if (scope_parse(optarg, &S.f.scope_service, S.f.scope_cid))
				goto usage;
			break;
		case O_LATENCY: S.f.latency_ms = atoi(optarg); break;
		case O_STATUS: S.f.status = atoi(optarg); break;
		case O_CODE: S.f.code = atol(optarg); break;
		case O_QUOTA: S.f.code = 90008; break;
		case O_MALFORMED: S.f.malformed = 1; break;
		case O_TRUNCATE: S.f.truncate = 1; break;
		case O_OVERSIZE: S.f.oversize = 1; break;
		case O_OVERSIZE_CHUNKED: S.f.oversize_chunked = 1; break;
		case O_DRIP: S.f.drip_ms = atoi(optarg); break;
		case O_RESET: S.f.reset = 1; break;
		case O_HTML: S.html = 1; break;
		case O_DBD_QUOTA: S.dbd_quota = 1; break;
		case O_DBD_WAF: S.dbd_waf = 1; break;
		case O_DBD_ARRAY: S.dbd_array = 1; break;
		case O_SESSION_STATE: S.session_state = optarg; break;
		case O_TLS_CERT: cert_file = optarg; break;
		case O_TLS_KEY: key_file = optarg; break;
		case O_HELP: usage(stdout); lk2_usage(stdout); return 0;
		default: goto usage;
		}
	}
	if (optind != argc || (S.f.status && (S.f.status < 100 || S.f.status > 599)) ||
	    !cert_file != !key_file)
		goto usage;
	if (cert_file) {
		if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
			fprintf(stderr, "tabien-gateway: this libmicrohttpd has no TLS\n");
			return 2;
		}
		cert = slurp(cert_file);
		key = slurp(key_file);
		if (!cert || !key) {
			fprintf(stderr, "tabien-gateway: cannot read %s or %s\n", cert_file, key_file);
			return 2;
		}
		flags |= MHD_USE_TLS;
	}
	S.pop = load(data);
	if (!S.pop) {
		fprintf(stderr, "tabien-gateway: cannot read %s as JSON\n", data);
		return 2;
	}
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	/* Never anything but the loopback address. */
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* Without TLS the two certificate options are ignored (NULL). */
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_CONNECTION_TIMEOUT, 30u,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
			     cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
			     MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "tabien-gateway: cannot listen on 127.0.0.1\n");
		return 1;
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = di ? di->port : 0;
	stats_write();
	if (port_file) {
		char tmp[1024];
		FILE *f;

		snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
		f = fopen(tmp, "w");
		if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0 || rename(tmp, port_file)) {
			fprintf(stderr, "tabien-gateway: cannot write %s\n", port_file);
			MHD_stop_daemon(d);
			return 1;
		}
	}
	printf("tabien-gateway: listening on 127.0.0.1:%u%s\n", port, cert ? " (HTTPS)" : "");
	fflush(stdout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	cJSON_Delete(S.pop);
	free(cert);
	free(key);
	return 0;
usage:
	usage(stderr);
	lk2_usage(stderr);
	return 2;
}
