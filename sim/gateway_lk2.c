/* tabien-gateway: the Linkage Center 2 proxy under /api/center/. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sim/gateway.h"

/* --- Linkage Center 2: the agency's proxy ------------------------------------------------ */

/* The officer logs in with their card (personal ID, chip number), signs the
 * random with the stand-in signer (sim/signer.c: HMAC-SHA256 of the random
 * under SHA-256("tabien-sim-envelope" + PIN)) and gets a JWT; then one
 * request carries up to 10 services, each answered on its own.  JWTs live
 * --token-ttl-s and --expire-next answers the next requests "expired", as
 * for GDX tokens; --deny, --code, --scope SERVICE and --malformed act per
 * service in a batch; latency, status, reset, truncate, drip and oversize
 * act on the whole request. */
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

void lk2_stats_print(FILE *f)
{
	fprintf(f, "lk2_login %u\nlk2_confirm %u\nlk2_renew %u\nlk2_job %u\nlk2_request %u\n"
		"lk2_logout %u\n", L.n_login, L.n_confirm, L.n_renew, L.n_job, L.n_request,
		L.n_logout);
}

static mhd_result lk2_error(struct MHD_Connection *c, int status, long number, const char *msg)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "errorNumber", (double)number);
	cJSON_AddStringToObject(o, "errorMessage", msg);
	return send_taken(c, status, o, 0);
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

/* {token} for a new session: the caller holds S.lock, released here. */
static mhd_result lk2_token(struct MHD_Connection *c, int status)
{
	char tok[160];
	cJSON *o;

	snprintf(tok, sizeof tok, "%s", lk2_session_new());
	pthread_mutex_unlock(&S.lock);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "token", tok);
	return send_taken(c, status, o, 0);
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
	return send_taken(c, 200, o, 0);
}

static mhd_result lk2_confirm(struct MHD_Connection *c, const cJSON *in)
{
	const cJSON *random = cJSON_GetObjectItemCaseSensitive(in, "random");
	const cJSON *env = cJSON_GetObjectItemCaseSensitive(in, "envelope");
	const cJSON *office = cJSON_GetObjectItemCaseSensitive(in, "officeID");
	char want[crypto_auth_hmacsha256_BYTES * 2 + 1];
	int found = 0;
	long office_id = cJSON_IsNumber(office) ? (long)office->valuedouble :
			 cJSON_IsString(office) ? atol(office->valuestring) : 0;

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
	return lk2_token(c, 201);
}

static mhd_result lk2_renew(struct MHD_Connection *c)
{
	int s, expired;

	count(&L.n_renew);
	pthread_mutex_lock(&S.lock);
	s = lk2_session(c, &expired);
	if (s < 0 || expired) {
		pthread_mutex_unlock(&S.lock);
		return lk2_error(c, 401, 401, s < 0 ? "not Bearer or unknown token" : "token expired");
	}
	L.sessions[s].live = 0;
	return lk2_token(c, 200);
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
	mhd_result r;
	cJSON *o, *items;

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
	if (whole &&
	    faults_answer(c, &(struct faults_of){ "{\"errorMessage\":\"simulated failure\"}", 0,
			  "{\"data\":[{\"serviceID\":1,\"responseSta", S.html, 0, 1, NULL }, &r))
		return r;
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
	if (whole && (S.f.truncate || S.f.drip_ms))
		return send_slowly(c, o);
	return send_taken(c, 200, o, S.html);
}

mhd_result on_lk2(struct MHD_Connection *c, const char *url, const char *method,
			 const char *upload, size_t *upload_size, void **con_cls)
{
	const char *body = NULL;
	char path[128];
	size_t n, len = 0;
	cJSON *in;
	mhd_result r;

	if (upload_collect(con_cls, LK2_UPLOAD_MAX, upload, upload_size, &body, &len, &r))
		return r;
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
	in = cJSON_ParseWithLength(body, len);
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
int lk2_args(int *argc, char **argv)
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

void lk2_usage(FILE *f)
{
	fputs("Linkage Center 2 (the agency's proxy, under /api/center/):\n"
	      "         [--lk2-pin PIN] [--lk2-quota N] [--lk2-string-data] [--lk2-job-gone]\n"
	      "--lk2-pin is the PIN the stand-in signer's envelope must come from (1234);\n"
	      "--lk2-quota the requests answered before 90008 (150, all officers together);\n"
	      "--lk2-string-data sends responseData as a JSON string; --lk2-job-gone answers\n"
	      "every request 403 job not found.\n", f);
}

