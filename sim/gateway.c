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
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <sodium.h>

#if MHD_VERSION < 0x00097002
typedef int mhd_result;
#else
typedef enum MHD_Result mhd_result;
#endif

#define MAX_TOKENS 256
#define DBD_GDX_PATH "/ws/dbd/juristic/v7/general/profile"
#define DBD_OPEN_PREFIX "/api/v1/juristic_person/"
/* No published endpoint: tabien's dbd.shareholders_path and
 * dbd.financials_path are set to these in the tests. */
#define DBD_SHAREHOLDERS_PATH "/ws/dbd/juristic/v1/shareholder"
#define DBD_FINANCIALS_PATH "/ws/dbd/juristic/v5/profile/financial/years"
#define DBD_SCOPE 1000         /* --scope dbd[:ID]: the two DBD endpoints */
#define PERMISSION_SCOPE 1001  /* --scope permission[:CID]: agent/permission */
#define UPLOAD_MAX 4096

struct fault {
	int status;            /* answer this HTTP status */
	long code;             /* answer {"Code": code} */
	int malformed, truncate, oversize, oversize_chunked, reset;
	int drip_ms, latency_ms;
	int scope_service;     /* -1: every service */
	char scope_cid[14];    /* "": every citizen */
};

static struct {
	const char *key, *secret, *stats_file;
	int token_ttl_s;
	int html;
	int deny_service;      /* 0: none */
	int dbd_quota, dbd_waf, dbd_array;   /* the open API's own failures and shape */
	char deny_cid[14];
	struct fault f;
	cJSON *pop;
	pthread_mutex_t lock;
	int expire_next;       /* the next N link and permission requests: token expired */
	const char *session_state;   /* agent/permission's SessionState */
	unsigned n_token, n_link, n_permission, n_other, n_dbd_gdx, n_dbd_open, n_dbd_parts;
	unsigned link_busy, link_peak;   /* link requests waiting out --latency-ms */
	struct { char tok[33]; time_t at; } tokens[MAX_TOKENS];
	unsigned n_tokens;
} S = { .key = "sim-key", .secret = "sim-secret", .token_ttl_s = 3600,
	.session_state = "AgentAvailable",
	.f = { .scope_service = -1 }, .lock = PTHREAD_MUTEX_INITIALIZER };

static volatile sig_atomic_t stop;

static void lk2_stats_print(FILE *f);

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int cid_ok(const char *s)
{
	int sum = 0;

	if (!s || strlen(s) != 13 || strspn(s, "0123456789") != 13)
		return 0;
	for (int i = 0; i < 12; i++)
		sum += (s[i] - '0') * (13 - i);
	return (11 - sum % 11) % 10 == s[12] - '0';
}

static void stats_write(void)
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

static void count(unsigned *n)
{
	pthread_mutex_lock(&S.lock);
	(*n)++;
	stats_write();
	pthread_mutex_unlock(&S.lock);
}

static mhd_result send_body(struct MHD_Connection *c, int status, const char *body, int html)
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

static mhd_result send_json(struct MHD_Connection *c, int status, const cJSON *o, int html)
{
	char *s = cJSON_PrintUnformatted(o);
	mhd_result ret = send_body(c, status, s ? s : "{}", html);

	free(s);
	return ret;
}

static mhd_result send_code(struct MHD_Connection *c, int status, long code, const char *msg)
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

static mhd_result send_feed(struct MHD_Connection *c, char *body, size_t len, uint64_t declared,
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
static mhd_result send_reset(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct linger l = { 1, 0 };

	if (ci)
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	return MHD_NO;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The latency of a link request, counting how many wait at once: a client
 * that sends a person's services together shows them all waiting. */
static void link_wait(void)
{
	pthread_mutex_lock(&S.lock);
	if (++S.link_busy > S.link_peak)
		S.link_peak = S.link_busy;
	stats_write();
	pthread_mutex_unlock(&S.lock);
	sleep_ms(S.f.latency_ms);
	pthread_mutex_lock(&S.lock);
	S.link_busy--;
	pthread_mutex_unlock(&S.lock);
}

/* --- endpoints -------------------------------------------------------------------------- */

static const char *arg(struct MHD_Connection *c, const char *k)
{
	return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, k);
}

static const char *header(struct MHD_Connection *c, const char *k)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, k);
}

static mhd_result on_token(struct MHD_Connection *c)
{
	const char *key = header(c, "Consumer-Key"), *secret = arg(c, "ConsumerSecret");
	const char *agent = arg(c, "AgentID");
	char tok[33];
	cJSON *o;
	mhd_result r;

	count(&S.n_token);
	if (!key || strcmp(key, S.key) != 0)
		return send_body(c, 403, "{\"Message\":\"consumer not found\"}", 0);
	if (!secret || strcmp(secret, S.secret) != 0)
		return send_code(c, 200, 90007, "invalid consumer secret");
	if (!cid_ok(agent))
		return send_code(c, 200, 90011, "invalid AgentID");
	pthread_mutex_lock(&S.lock);
	for (int i = 0; i < 32; i++)
		tok[i] = "0123456789abcdef"[random() & 15];
	tok[32] = '\0';
	{
		unsigned slot = S.n_tokens++ % MAX_TOKENS;
		memcpy(S.tokens[slot].tok, tok, sizeof tok);
		S.tokens[slot].at = time(NULL);
	}
	pthread_mutex_unlock(&S.lock);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Result", tok);
	r = send_json(c, 200, o, 0);
	cJSON_Delete(o);
	return r;
}

/* 0 good, 1 unknown, 2 too old. */
static int token_state(const char *tok)
{
	int st = 1;

	if (!tok)
		return 1;
	pthread_mutex_lock(&S.lock);
	for (unsigned i = 0; i < MAX_TOKENS && i < S.n_tokens; i++)
		if (strcmp(S.tokens[i].tok, tok) == 0) {
			st = time(NULL) - S.tokens[i].at >= S.token_ttl_s ? 2 : 0;
			break;
		}
	pthread_mutex_unlock(&S.lock);
	return st;
}

/* The gateway's own refusals, in its order: an unknown consumer (403), a
 * token it never gave (401), an expired one (401; with expire_next, also
 * the next --expire-next requests).  1 with *r when it answered. */
static int gdx_refused(struct MHD_Connection *c, int key_ok, const char *tok, int expire_next,
		       mhd_result *r)
{
	int ts, expire = 0;

	if (!key_ok) {
		*r = send_body(c, 403, "{\"Message\":\"consumer not found\"}", 0);
		return 1;
	}
	ts = token_state(tok);
	if (ts == 1) {
		*r = send_body(c, 401, "{\"Message\":\"token not found\"}", 0);
		return 1;
	}
	if (expire_next) {
		pthread_mutex_lock(&S.lock);
		if (S.expire_next > 0) {
			S.expire_next--;
			expire = 1;
		}
		pthread_mutex_unlock(&S.lock);
	}
	if (ts == 2 || expire) {
		*r = send_body(c, 401, "{\"Message\":\"Token expire\"}", 0);
		return 1;
	}
	return 0;
}

static int in_scope(int service, const char *cid)
{
	return (S.f.scope_service < 0 || S.f.scope_service == service) &&
	       (!S.f.scope_cid[0] || (cid && strcmp(S.f.scope_cid, cid) == 0));
}

static cJSON *answer_for(const char *cid, int service, int *status, long *code)
{
	const cJSON *people = cJSON_GetObjectItemCaseSensitive(S.pop, "people");
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(people, cid);
	const cJSON *house, *hh;
	char key[8];
	cJSON *o;

	*status = 200;
	*code = 0;
	if (!p) {
		*status = 404;
		*code = 90500;
		return NULL;
	}
	house = cJSON_GetObjectItemCaseSensitive(p, "house");
	hh = cJSON_IsString(house) ? cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(S.pop, "households"), house->valuestring) : NULL;
	if (service == 7 || service == 8) {
		if (!hh) {
			*code = 90500;
			*status = 404;
			return NULL;
		}
		if (service == 8)
			return cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(hh, "house"), 1);
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "houseID", house->valuestring);
		cJSON_AddItemToObject(o, "members",
				      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(hh, "members"), 1));
		return o;
	}
	snprintf(key, sizeof key, "%03d", service);
	o = cJSON_GetObjectItemCaseSensitive(p, key);
	if (!o) {
		*code = service == 13 || service == 17 ? 99702 : 90500;
		return NULL;
	}
	return cJSON_Duplicate(o, 1);
}

static mhd_result on_link(struct MHD_Connection *c)
{
	const char *key = header(c, "Consumer-Key"), *tok = header(c, "Token");
	const char *office = arg(c, "OfficeID"), *svc = arg(c, "ServiceID");
	const char *version = arg(c, "Version"), *cid = arg(c, "CitizenID");
	int service = svc ? atoi(svc) : -1, status;
	long code;
	cJSON *o;
	mhd_result r;

	count(&S.n_link);
	if (gdx_refused(c, key && strcmp(key, S.key) == 0, tok, 1, &r))
		return r;
	if (!office || strcmp(office, "00023") != 0)
		return send_code(c, 200, 95004, "no permission for this office");
	if (!version || strcmp(version, "01") != 0 || !svc || strlen(svc) != 3)
		return send_code(c, 200, 95012, "service not found");
	if (service != 1 && service != 7 && service != 8 && service != 13 && service != 17 &&
	    service != 27)
		return send_code(c, 200, 95012, "service not found");
	if (!cid_ok(cid))
		return send_code(c, 200, 90011, "invalid CitizenID");
	if (S.deny_service == service && (!S.deny_cid[0] || strcmp(S.deny_cid, cid) == 0))
		return send_code(c, 401, 95011, "user has no right to this service");
	if (in_scope(service, cid)) {
		if (S.f.latency_ms)
			link_wait();
		if (S.f.reset)
			return send_reset(c);
		if (S.f.status)
			return send_body(c, S.f.status, "{\"Message\":\"simulated failure\"}", 0);
		if (S.f.code)
			return send_code(c, 200, S.f.code, "simulated");
		if (S.f.malformed)
			return send_body(c, 200, "{\"firstName\":\"สมช", S.html);
		if (S.f.oversize || S.f.oversize_chunked) {
			size_t n = 3u * 1024 * 1024;
			char *b = malloc(n);
			if (!b)
				return MHD_NO;
			memset(b, ' ', n);
			b[0] = '{';
			b[n - 1] = '}';
			return send_feed(c, b, n, S.f.oversize_chunked ? MHD_SIZE_UNKNOWN : n, 0, 0);
		}
	}
	o = answer_for(cid, service, &status, &code);
	if (!o)
		return send_code(c, status, code, code == 90500 ? "not found" : "no name changes");
	if (in_scope(service, cid) && (S.f.truncate || S.f.drip_ms)) {
		char *b = cJSON_PrintUnformatted(o);
		size_t n = b ? strlen(b) : 0;
		cJSON_Delete(o);
		if (!b)
			return MHD_NO;
		return send_feed(c, b, n, S.f.truncate ? n + 500 : n, S.f.drip_ms, S.f.truncate);
	}
	r = send_json(c, 200, o, S.html);
	cJSON_Delete(o);
	return r;
}

/* Checked like the link (consumer, then token, then the faults in scope);
 * the state is --session-state's, any text, so a client can be shown one it
 * does not know. */
static mhd_result on_permission(struct MHD_Connection *c)
{
	const char *key = header(c, "Consumer-Key"), *tok = header(c, "Token");
	const char *consumer = arg(c, "Consumer"), *cid = arg(c, "CitizenID");
	cJSON *o;
	mhd_result r;

	count(&S.n_permission);
	if (gdx_refused(c, key && strcmp(key, S.key) == 0 && consumer && strcmp(consumer, S.key) == 0,
			tok, 1, &r))
		return r;
	if (!cid_ok(cid))
		return send_code(c, 200, 90011, "invalid CitizenID");
	if (in_scope(PERMISSION_SCOPE, cid)) {
		if (S.f.latency_ms)
			sleep_ms(S.f.latency_ms);
		if (S.f.reset)
			return send_reset(c);
		if (S.f.status)
			return send_body(c, S.f.status, "{\"Message\":\"simulated failure\"}", 0);
		if (S.f.code)
			return send_code(c, 200, S.f.code, "simulated");
		if (S.f.malformed)
			return send_body(c, 200, "{\"AgentID\":\"1", S.html);
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "AgentID", cid);
	cJSON_AddStringToObject(o, "CitizenID", cid);
	cJSON_AddStringToObject(o, "SessionState", S.session_state);
	r = send_json(c, 200, o, 0);
	cJSON_Delete(o);
	return r;
}

/* --- DBD ------------------------------------------------------------------------------------ */

static const cJSON *company(const char *id)
{
	return id ? cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(S.pop, "juristic"), id) : NULL;
}

/* {"status":{"code":"NNNN","description":...},"data":data} (data taken). */
static cJSON *dbd_answer(const char *code, const char *desc, cJSON *data)
{
	cJSON *o = cJSON_CreateObject(), *st = cJSON_AddObjectToObject(o, "status");

	cJSON_AddStringToObject(st, "code", code);
	cJSON_AddStringToObject(st, "description", desc);
	cJSON_AddItemToObject(o, "data", data ? data : cJSON_CreateObject());
	return o;
}

static mhd_result send_taken(struct MHD_Connection *c, int status, cJSON *o, int html)
{
	mhd_result r = send_json(c, status, o, html);

	cJSON_Delete(o);
	return r;
}

/* The failure switches both DBD endpoints share; MHD_YES + *sent when one
 * answered. */
static mhd_result dbd_faults(struct MHD_Connection *c, const char *id, int html, int *sent)
{
	*sent = 1;
	if (!in_scope(DBD_SCOPE, id)) {
		*sent = 0;
		return MHD_YES;
	}
	if (S.f.latency_ms)
		sleep_ms(S.f.latency_ms);
	if (S.f.reset)
		return send_reset(c);
	if (S.f.status)
		return send_body(c, S.f.status, "{\"Message\":\"simulated failure\"}", html);
	if (S.f.malformed)
		return send_body(c, 200, "{\"status\":{\"code\":\"1000\"},\"data\":{\"cd:Organizatio", html);
	if (S.f.oversize || S.f.oversize_chunked) {
		size_t n = 3u * 1024 * 1024;
		char *b = malloc(n);
		if (!b)
			return MHD_NO;
		memset(b, ' ', n);
		b[0] = '{';
		b[n - 1] = '}';
		return send_feed(c, b, n, S.f.oversize_chunked ? MHD_SIZE_UNKNOWN : n, 0, 0);
	}
	*sent = 0;
	return MHD_YES;
}

static mhd_result dbd_send(struct MHD_Connection *c, const char *id, cJSON *o, int html)
{
	mhd_result r;

	if (in_scope(DBD_SCOPE, id) && (S.f.truncate || S.f.drip_ms)) {
		char *b = cJSON_PrintUnformatted(o);
		size_t n = b ? strlen(b) : 0;
		cJSON_Delete(o);
		if (!b)
			return MHD_NO;
		return send_feed(c, b, n, S.f.truncate ? n + 500 : n, S.f.drip_ms, S.f.truncate);
	}
	r = send_json(c, 200, o, html);
	cJSON_Delete(o);
	return r;
}

/* POST /ws/dbd/juristic/v7/general/profile {"OrganizationJuristicID":"..."}:
 * the whole profile, directors and signing authority included; an unknown
 * company is data {}. */
static mhd_result on_dbd_gdx(struct MHD_Connection *c, const char *upload, size_t len)
{
	const char *key = header(c, "Consumer-Key"), *tok = header(c, "Token");
	cJSON *in = cJSON_ParseWithLength(upload, len), *data;
	const cJSON *idv = cJSON_GetObjectItemCaseSensitive(in, "OrganizationJuristicID");
	char id[14] = "";
	int sent;
	mhd_result r;

	count(&S.n_dbd_gdx);
	if (cJSON_IsString(idv) && strlen(idv->valuestring) == 13)
		memcpy(id, idv->valuestring, 14);
	cJSON_Delete(in);
	if (gdx_refused(c, key && strcmp(key, S.key) == 0, tok, 1, &r))
		return r;
	if (!cid_ok(id))
		return send_taken(c, 200, dbd_answer("1051", "invalid OrganizationJuristicID", NULL), 0);
	r = dbd_faults(c, id, 0, &sent);
	if (sent)
		return r;
	if (in_scope(DBD_SCOPE, id) && S.f.code)
		return send_code(c, 200, S.f.code, "simulated");
	data = cJSON_CreateObject();
	if (company(id))
		cJSON_AddItemToObject(data, "cd:OrganizationJuristicPerson", cJSON_Duplicate(company(id), 1));
	return dbd_send(c, id, dbd_answer("1000", "success", data), 0);
}

/* GET DBD_SHAREHOLDERS_PATH or DBD_FINANCIALS_PATH ?JuristicID=<13> over
 * GDX: the company's list from the population's juristic_shareholders or
 * juristic_financials (none: an empty list), in the profile's wrapper; an
 * unknown company is 1004.  --dbd-array wraps the list in an array. */
static mhd_result on_dbd_part(struct MHD_Connection *c, const char *table, const char *list)
{
	const char *key = header(c, "Consumer-Key"), *tok = header(c, "Token");
	const char *id = arg(c, "JuristicID");
	const cJSON *rows;
	cJSON *data, *wrap;
	int sent;
	mhd_result r;

	count(&S.n_dbd_parts);
	if (gdx_refused(c, key && strcmp(key, S.key) == 0, tok, 0, &r))
		return r;
	if (!cid_ok(id))
		return send_taken(c, 200, dbd_answer("1051", "invalid JuristicID", NULL), 0);
	r = dbd_faults(c, id, 0, &sent);
	if (sent)
		return r;
	if (in_scope(DBD_SCOPE, id) && S.f.code)
		return send_code(c, 200, S.f.code, "simulated");
	if (!company(id))
		return send_taken(c, 200, dbd_answer("1004", "Data not found", cJSON_CreateArray()), 0);
	rows = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(S.pop, table), id);
	data = cJSON_CreateObject();
	cJSON_AddItemToObject(data, list, rows ? cJSON_Duplicate(rows, 1) : cJSON_CreateArray());
	if (S.dbd_array) {
		wrap = cJSON_CreateArray();
		cJSON_AddItemToArray(wrap, data);
		data = wrap;
	}
	return dbd_send(c, id, dbd_answer("1000", "success", data), 0);
}

/* The open API's reading of a company: no directors nor signing authority,
 * Christian-era dates, the address under another name. */
static cJSON *open_shape(const cJSON *co)
{
	cJSON *o = cJSON_Duplicate(co, 1), *addr, *wrap, *date;

	cJSON_DeleteItemFromObjectCaseSensitive(o, "cd:OrganizationJuristicPersonList");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "cd:OrganizationJuristicPersonDescription");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "cd:OrganizationJuristicPaidUpCapital");
	addr = cJSON_DetachItemFromObjectCaseSensitive(o, "cd:Address");
	if (addr) {
		wrap = cJSON_AddObjectToObject(o, "cd:OrganizationJuristicAddress");
		cJSON_AddItemToObject(wrap, "cr:AddressType", addr);
	}
	date = cJSON_GetObjectItemCaseSensitive(o, "cd:OrganizationJuristicRegisterDate");
	if (cJSON_IsString(date) && strlen(date->valuestring) == 8) {
		char ce[9];
		snprintf(ce, sizeof ce, "%04d%s", atoi(date->valuestring) / 10000 - 543,
			 date->valuestring + 4);
		cJSON_SetValuestring(date, ce);
	}
	return o;
}

/* GET /api/v1/juristic_person/<13>: JSON served as text/html, always. */
static mhd_result on_dbd_open(struct MHD_Connection *c, const char *id)
{
	cJSON *data, *person;
	int sent;
	mhd_result r;

	count(&S.n_dbd_open);
	r = dbd_faults(c, id, 1, &sent);
	if (sent)
		return r;
	if (in_scope(DBD_SCOPE, id) && S.dbd_waf)
		return send_body(c, 403, "<!DOCTYPE html><html><head><title>Request Rejected</title></head>"
				 "<body>The requested URL was rejected. Please consult with your "
				 "administrator.<br>Your support ID is: 1234567890</body></html>", 1);
	if (in_scope(DBD_SCOPE, id) && S.dbd_quota)
		return send_taken(c, 200, dbd_answer("8888", "Quota exceeded", cJSON_CreateArray()), 1);
	if (!cid_ok(id))
		return send_taken(c, 200, dbd_answer("1051", "Invalid juristic id", cJSON_CreateArray()), 1);
	if (!company(id))
		return send_taken(c, 200, dbd_answer("1004", "Data not found", cJSON_CreateArray()), 1);
	person = cJSON_CreateObject();
	cJSON_AddItemToObject(person, "cd:OrganizationJuristicPerson", open_shape(company(id)));
	if (S.dbd_array) {
		data = cJSON_CreateArray();
		cJSON_AddItemToArray(data, person);
	} else {
		data = person;
	}
	return dbd_send(c, id, dbd_answer("1000", "Success", data), 1);
}

struct upload {
	char buf[UPLOAD_MAX];
	size_t len;
};

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

/* --- Linkage Center 2: the agency's proxy ------------------------------------------------ */

/* The officer logs in with their card (personal ID, chip number), signs the
 * random with the stand-in signer (sim/signer.c: HMAC-SHA256 of the random
 * under SHA-256("tabien-sim-envelope" + PIN)) and gets a JWT; then one
 * request carries up to 10 services, each answered on its own.  JWTs live
 * --token-ttl-s and --expire-next answers the next requests "expired", as
 * for GDX tokens; --deny, --code, --scope SERVICE and --malformed act per
 * service in a batch; latency, status, reset, truncate, drip and oversize
 * act on the whole request. */
#define LK2_PREFIX "/api/center/"
#define LK2_SESSIONS 256
#define LK2_PENDING 64
#define LK2_JOB "6f1c2a9e-3b7d-4c5e-9a8f-0d1e2f3a4b5c"
#define LK2_UPLOAD_MAX 16384

static struct {
	const char *pin;               /* the PIN every officer's card has */
	int quota;                     /* requests answered, all officers together */
	int string_data;               /* responseData as a JSON string, not an object */
	int job_gone;                  /* every request: 403 job not found */
	unsigned n_login, n_confirm, n_renew, n_job, n_request, n_logout, n_used;
	struct { char random[65]; int live; } pending[LK2_PENDING];
	unsigned n_pending;
	struct { char tok[160]; time_t at; int live; } sessions[LK2_SESSIONS];
	unsigned n_sessions;
} L = { .pin = "1234", .quota = 150 };

/* tabien's placeholder map (services/registry/lk2.c): LK2 ID -> Linkage service. */
static const int lk2_map[][2] = { { 1, 1 }, { 2, 27 }, { 3, 7 }, { 4, 8 }, { 5, 13 }, { 6, 17 } };

struct lk2_upload {
	char buf[LK2_UPLOAD_MAX];
	size_t len;
};

static void lk2_stats_print(FILE *f)
{
	fprintf(f, "lk2_login %u\nlk2_confirm %u\nlk2_renew %u\nlk2_job %u\nlk2_request %u\n"
		"lk2_logout %u\n", L.n_login, L.n_confirm, L.n_renew, L.n_job, L.n_request,
		L.n_logout);
}

static mhd_result lk2_error(struct MHD_Connection *c, int status, long number, const char *msg)
{
	cJSON *o = cJSON_CreateObject();
	mhd_result r;

	cJSON_AddNumberToObject(o, "errorNumber", (double)number);
	cJSON_AddStringToObject(o, "errorMessage", msg);
	r = send_json(c, status, o, 0);
	cJSON_Delete(o);
	return r;
}

static void lk2_hex(char *out, size_t bytes)
{
	unsigned char b[64];

	randombytes_buf(b, bytes);
	sodium_bin2hex(out, bytes * 2 + 1, b, bytes);
}

static void lk2_envelope(const char *random, char *hex, size_t size)
{
	unsigned char key[crypto_hash_sha256_BYTES], mac[crypto_auth_hmacsha256_BYTES];
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)"tabien-sim-envelope", 19);
	crypto_hash_sha256_update(&st, (const unsigned char *)L.pin, strlen(L.pin));
	crypto_hash_sha256_final(&st, key);
	crypto_auth_hmacsha256(mac, (const unsigned char *)random, strlen(random), key);
	sodium_bin2hex(hex, size, mac, sizeof mac);
}

/* A new JWT-looking token; the caller holds S.lock. */
static const char *lk2_session_new(void)
{
	unsigned slot = L.n_sessions++ % LK2_SESSIONS;
	char a[33], b[65];

	lk2_hex(a, 16);
	lk2_hex(b, 32);
	snprintf(L.sessions[slot].tok, sizeof L.sessions[slot].tok,
		 "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.%s.%s", a, b);
	L.sessions[slot].at = time(NULL);
	L.sessions[slot].live = 1;
	return L.sessions[slot].tok;
}

/* The Bearer's session: its slot, -1 none or unknown; *expired set.  The
 * caller holds S.lock. */
static int lk2_session(struct MHD_Connection *c, int *expired)
{
	const char *h = header(c, "Authorization");

	*expired = 0;
	if (!h || strncmp(h, "Bearer ", 7) != 0)
		return -1;
	for (unsigned i = 0; i < LK2_SESSIONS && i < L.n_sessions; i++)
		if (L.sessions[i].live && strcmp(L.sessions[i].tok, h + 7) == 0) {
			*expired = time(NULL) - L.sessions[i].at >= S.token_ttl_s;
			return (int)i;
		}
	return -1;
}

static mhd_result lk2_login(struct MHD_Connection *c, const cJSON *in)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(in, "loginType");
	const cJSON *pid = cJSON_GetObjectItemCaseSensitive(in, "personalID");
	const cJSON *chip = cJSON_GetObjectItemCaseSensitive(in, "chipNo");
	char random[65];
	cJSON *o, *offices, *x;
	mhd_result r;

	count(&L.n_login);
	if (!cJSON_IsNumber(type) || type->valueint != 1)
		return lk2_error(c, 400, 90011, "loginType: only 1 (the officer's card) is simulated");
	if (!cJSON_IsString(pid) || !cid_ok(pid->valuestring))
		return lk2_error(c, 400, 90011, "invalid personalID");
	if (!cJSON_IsString(chip) || !chip->valuestring[0])
		return lk2_error(c, 400, 90011, "invalid chipNo");
	lk2_hex(random, 32);
	pthread_mutex_lock(&S.lock);
	{
		unsigned slot = L.n_pending++ % LK2_PENDING;
		memcpy(L.pending[slot].random, random, sizeof random);
		L.pending[slot].live = 1;
	}
	pthread_mutex_unlock(&S.lock);
	o = cJSON_CreateObject();
	offices = cJSON_AddArrayToObject(o, "office");
	x = cJSON_CreateObject();
	cJSON_AddNumberToObject(x, "id", 10023);
	cJSON_AddStringToObject(x, "name", "สำนักทะเบียนทดสอบ");
	cJSON_AddItemToArray(offices, x);
	x = cJSON_CreateObject();
	cJSON_AddNumberToObject(x, "id", 10024);
	cJSON_AddStringToObject(x, "name", "สาขาทดสอบ 2");
	cJSON_AddItemToArray(offices, x);
	cJSON_AddStringToObject(o, "random", random);
	r = send_json(c, 200, o, 0);
	cJSON_Delete(o);
	return r;
}

static mhd_result lk2_confirm(struct MHD_Connection *c, const cJSON *in)
{
	const cJSON *random = cJSON_GetObjectItemCaseSensitive(in, "random");
	const cJSON *env = cJSON_GetObjectItemCaseSensitive(in, "envelope");
	const cJSON *office = cJSON_GetObjectItemCaseSensitive(in, "officeID");
	char want[crypto_auth_hmacsha256_BYTES * 2 + 1], tok[160];
	int found = 0;
	long office_id = cJSON_IsNumber(office) ? (long)office->valuedouble :
			 cJSON_IsString(office) ? atol(office->valuestring) : 0;
	cJSON *o;
	mhd_result r;

	count(&L.n_confirm);
	if (!cJSON_IsString(random) || !cJSON_IsString(env))
		return lk2_error(c, 400, 90011, "random and envelope are needed");
	pthread_mutex_lock(&S.lock);
	for (unsigned i = 0; i < LK2_PENDING; i++)
		if (L.pending[i].live && strcmp(L.pending[i].random, random->valuestring) == 0) {
			L.pending[i].live = 0;    /* one try per random */
			found = 1;
		}
	pthread_mutex_unlock(&S.lock);
	if (!found)
		return lk2_error(c, 401, 90001, "no login waits for this random");
	if (office_id != 10023 && office_id != 10024)
		return lk2_error(c, 403, 95004, "no permission for this office");
	lk2_envelope(random->valuestring, want, sizeof want);
	if (strcmp(want, env->valuestring) != 0)
		return lk2_error(c, 401, 90090, "รหัส PIN ไม่ถูกต้อง");
	pthread_mutex_lock(&S.lock);
	snprintf(tok, sizeof tok, "%s", lk2_session_new());
	pthread_mutex_unlock(&S.lock);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "token", tok);
	r = send_json(c, 201, o, 0);
	cJSON_Delete(o);
	return r;
}

static mhd_result lk2_renew(struct MHD_Connection *c)
{
	char tok[160];
	int s, expired;
	cJSON *o;
	mhd_result r;

	count(&L.n_renew);
	pthread_mutex_lock(&S.lock);
	s = lk2_session(c, &expired);
	if (s < 0 || expired) {
		pthread_mutex_unlock(&S.lock);
		return lk2_error(c, 401, 401, s < 0 ? "not Bearer or unknown token" : "token expired");
	}
	L.sessions[s].live = 0;
	snprintf(tok, sizeof tok, "%s", lk2_session_new());
	pthread_mutex_unlock(&S.lock);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "token", tok);
	r = send_json(c, 200, o, 0);
	cJSON_Delete(o);
	return r;
}

static mhd_result lk2_logout(struct MHD_Connection *c)
{
	int s, expired;

	count(&L.n_logout);
	pthread_mutex_lock(&S.lock);
	s = lk2_session(c, &expired);
	if (s >= 0)
		L.sessions[s].live = 0;
	pthread_mutex_unlock(&S.lock);
	if (s < 0)
		return lk2_error(c, 401, 401, "not Bearer or unknown token");
	return send_body(c, 200, "{}", 0);
}

static mhd_result lk2_jobs(struct MHD_Connection *c)
{
	int s, expired;

	count(&L.n_job);
	pthread_mutex_lock(&S.lock);
	s = lk2_session(c, &expired);
	pthread_mutex_unlock(&S.lock);
	if (s < 0 || expired)
		return lk2_error(c, 401, 401, s < 0 ? "not Bearer or unknown token" : "token expired");
	return send_body(c, 200, "{\"job\":[\"" LK2_JOB "\"]}", 0);
}

static cJSON *lk2_item_error(cJSON *it, int status, long number, const char *msg)
{
	cJSON *e = cJSON_CreateObject();

	cJSON_AddNumberToObject(it, "responseStatus", status);
	cJSON_AddNullToObject(it, "responseData");
	cJSON_AddNumberToObject(e, "errorNumber", (double)number);
	cJSON_AddStringToObject(e, "errorMessage", msg);
	cJSON_AddItemToObject(it, "responseError", e);
	return it;
}

/* One service of a batch, answered as the GDX link would answer it. */
static cJSON *lk2_item(long sid, const char *cid)
{
	cJSON *it = cJSON_CreateObject(), *o;
	int service = -1, status;
	long code;

	for (size_t i = 0; i < sizeof lk2_map / sizeof lk2_map[0]; i++)
		if (lk2_map[i][0] == sid)
			service = lk2_map[i][1];
	cJSON_AddNumberToObject(it, "serviceID", (double)sid);
	cJSON_AddStringToObject(it, "responseContentType", "application/json");
	cJSON_AddNumberToObject(it, "responseTimeMs", 12);
	if (service < 0)
		return lk2_item_error(it, 404, 95012, "service not found");
	if (!cid_ok(cid))
		return lk2_item_error(it, 400, 90011, "invalid personalID");
	if (S.deny_service == service && (!S.deny_cid[0] || strcmp(S.deny_cid, cid) == 0))
		return lk2_item_error(it, 403, 95011, "ผู้ใช้ไม่มีสิทธิ์ใช้บริการนี้ (user has no right to this service)");
	if (in_scope(service, cid) && S.f.code)
		return lk2_item_error(it, 400, S.f.code, "simulated");
	if (in_scope(service, cid) && S.f.malformed && S.f.scope_service >= 0) {
		cJSON_AddNumberToObject(it, "responseStatus", 200);
		cJSON_AddStringToObject(it, "responseData", "{\"firstName\":\"สมช");
		cJSON_AddNullToObject(it, "responseError");
		return it;
	}
	o = answer_for(cid, service, &status, &code);
	if (!o)
		return lk2_item_error(it, status, code, code == 90500 ? "not found" : "no name changes");
	cJSON_AddNumberToObject(it, "responseStatus", 200);
	if (L.string_data) {
		char *s = cJSON_PrintUnformatted(o);
		cJSON_AddStringToObject(it, "responseData", s ? s : "");
		free(s);
		cJSON_Delete(o);
	} else {
		cJSON_AddItemToObject(it, "responseData", o);
	}
	cJSON_AddNullToObject(it, "responseError");
	return it;
}

static mhd_result lk2_request(struct MHD_Connection *c, const cJSON *in)
{
	const cJSON *job = cJSON_GetObjectItemCaseSensitive(in, "jobID");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(in, "data"), *el;
	const cJSON *first = cJSON_GetArrayItem(data, 0);
	const cJSON *fq = cJSON_GetObjectItemCaseSensitive(first, "query");
	const cJSON *fcid = cJSON_GetObjectItemCaseSensitive(fq, "personalID");
	const char *cid = cJSON_IsString(fcid) ? fcid->valuestring : "";
	int s, expired, expire = 0, over = 0, whole;
	cJSON *o, *items;
	mhd_result r;

	count(&L.n_request);
	pthread_mutex_lock(&S.lock);
	s = lk2_session(c, &expired);
	if (s >= 0 && !expired && S.expire_next > 0) {
		S.expire_next--;
		expire = 1;
	}
	if (s >= 0 && !expired && !expire && L.n_used++ >= (unsigned)L.quota)
		over = 1;
	pthread_mutex_unlock(&S.lock);
	if (s < 0)
		return lk2_error(c, 401, 401, "not Bearer or unknown token");
	if (expired || expire)
		return lk2_error(c, 401, 401, "token expired");
	if (over)
		return lk2_error(c, 429, 90008, "โควตาการใช้งานหมดแล้ว (quota used up)");
	if (L.job_gone || !cJSON_IsString(job) || strcmp(job->valuestring, LK2_JOB) != 0)
		return lk2_error(c, 403, 403, "job not found");
	if (!cJSON_IsArray(data) || cJSON_GetArraySize(data) < 1)
		return lk2_error(c, 400, 90011, "data: a list of services is needed");
	if (cJSON_GetArraySize(data) > 10)
		return lk2_error(c, 400, 90011, "at most 10 services in one request");
	/* The switches without a service scope act on the whole answer. */
	whole = S.f.scope_service < 0 && (!S.f.scope_cid[0] || strcmp(S.f.scope_cid, cid) == 0);
	if (whole) {
		if (S.f.latency_ms)
			sleep_ms(S.f.latency_ms);
		if (S.f.reset)
			return send_reset(c);
		if (S.f.status)
			return send_body(c, S.f.status, "{\"errorMessage\":\"simulated failure\"}", 0);
		if (S.f.malformed)
			return send_body(c, 200, "{\"data\":[{\"serviceID\":1,\"responseSta", S.html);
		if (S.f.oversize || S.f.oversize_chunked) {
			size_t n = 3u * 1024 * 1024;
			char *b = malloc(n);
			if (!b)
				return MHD_NO;
			memset(b, ' ', n);
			b[0] = '{';
			b[n - 1] = '}';
			return send_feed(c, b, n, S.f.oversize_chunked ? MHD_SIZE_UNKNOWN : n, 0, 0);
		}
	}
	o = cJSON_CreateObject();
	items = cJSON_AddArrayToObject(o, "data");
	cJSON_ArrayForEach(el, data) {
		const cJSON *sid = cJSON_GetObjectItemCaseSensitive(el, "serviceID");
		const cJSON *q = cJSON_GetObjectItemCaseSensitive(el, "query");
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(q, "personalID");

		cJSON_AddItemToArray(items, lk2_item(cJSON_IsNumber(sid) ? (long)sid->valuedouble : -1,
						     cJSON_IsString(p) ? p->valuestring : ""));
	}
	cJSON_AddNumberToObject(o, "executeTimeMs", 25);
	if (whole && (S.f.truncate || S.f.drip_ms)) {
		char *b = cJSON_PrintUnformatted(o);
		size_t n = b ? strlen(b) : 0;
		cJSON_Delete(o);
		if (!b)
			return MHD_NO;
		return send_feed(c, b, n, S.f.truncate ? n + 500 : n, S.f.drip_ms, S.f.truncate);
	}
	r = send_json(c, 200, o, S.html);
	cJSON_Delete(o);
	return r;
}

static mhd_result on_lk2(struct MHD_Connection *c, const char *url, const char *method,
			 const char *upload, size_t *upload_size, void **con_cls)
{
	struct lk2_upload *u = *con_cls;
	char path[128];
	size_t n;
	cJSON *in;
	mhd_result r;

	/* libmicrohttpd hands the body over in pieces, then calls once more. */
	if (!u) {
		*con_cls = u = calloc(1, sizeof *u);
		return u ? MHD_YES : MHD_NO;
	}
	if (*upload_size) {
		n = *upload_size;
		if (n > LK2_UPLOAD_MAX - 1 - u->len)
			n = LK2_UPLOAD_MAX - 1 - u->len;
		memcpy(u->buf + u->len, upload, n);
		u->len += n;
		*upload_size = 0;
		return MHD_YES;
	}
	snprintf(path, sizeof path, "%s", url + strlen(LK2_PREFIX));
	n = strlen(path);
	while (n > 0 && path[n - 1] == '/')
		path[--n] = '\0';
	if (strcmp(method, "DELETE") == 0 && strcmp(path, "login") == 0)
		return lk2_logout(c);
	if (strcmp(method, "GET") == 0 && strcmp(path, "user/job") == 0)
		return lk2_jobs(c);
	if (strcmp(method, "POST") != 0) {
		count(&S.n_other);
		return lk2_error(c, 405, 405, "method not allowed");
	}
	if (strcmp(path, "login/renew") == 0)
		return lk2_renew(c);
	in = cJSON_ParseWithLength(u->buf, u->len);
	if (!cJSON_IsObject(in)) {
		cJSON_Delete(in);
		count(&S.n_other);
		return lk2_error(c, 400, 90011, "the body is not JSON");
	}
	if (strcmp(path, "login") == 0)
		r = lk2_login(c, in);
	else if (strcmp(path, "login/confirm") == 0)
		r = lk2_confirm(c, in);
	else if (strcmp(path, "request") == 0)
		r = lk2_request(c, in);
	else {
		count(&S.n_other);
		r = lk2_error(c, 404, 404, "no such endpoint");
	}
	cJSON_Delete(in);
	return r;
}

/* The LK2 switches, taken out of argv before getopt sees it. */
static int lk2_args(int *argc, char **argv)
{
	int o = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--lk2-pin") == 0 && i + 1 < *argc)
			L.pin = argv[++i];
		else if (strcmp(a, "--lk2-quota") == 0 && i + 1 < *argc)
			L.quota = atoi(argv[++i]);
		else if (strcmp(a, "--lk2-string-data") == 0)
			L.string_data = 1;
		else if (strcmp(a, "--lk2-job-gone") == 0)
			L.job_gone = 1;
		else if (strncmp(a, "--lk2-", 6) == 0)
			return -1;
		else
			argv[o++] = argv[i];
	}
	argv[o] = NULL;
	*argc = o;
	return sodium_init() < 0 ? -1 : 0;
}

static void lk2_usage(FILE *f)
{
	fputs("Linkage Center 2 (the agency's proxy, under /api/center/):\n"
	      "         [--lk2-pin PIN] [--lk2-quota N] [--lk2-string-data] [--lk2-job-gone]\n"
	      "--lk2-pin is the PIN the stand-in signer's envelope must come from (1234);\n"
	      "--lk2-quota the requests answered before 90008 (150, all officers together);\n"
	      "--lk2-string-data sends responseData as a JSON string; --lk2-job-gone answers\n"
	      "every request 403 job not found.\n", f);
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
		struct upload *u = *con_cls;

		/* libmicrohttpd hands the body over in pieces, then calls once more. */
		if (!u) {
			*con_cls = u = calloc(1, sizeof *u);
			return u ? MHD_YES : MHD_NO;
		}
		if (*upload_size) {
			size_t n = *upload_size;
			if (n > UPLOAD_MAX - 1 - u->len)
				n = UPLOAD_MAX - 1 - u->len;
			memcpy(u->buf + u->len, upload, n);
			u->len += n;
			*upload_size = 0;
			return MHD_YES;
		}
		return on_dbd_gdx(c, u->buf, u->len);
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
