/* tabien-gateway: the GDX token, the Linkage link and agent/permission. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sim/gateway.h"

#define FAILURE "{\"Message\":\"simulated failure\"}"

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

mhd_result on_token(struct MHD_Connection *c)
{
	const char *key = header(c, "Consumer-Key"), *secret = arg(c, "ConsumerSecret");
	const char *agent = arg(c, "AgentID");
	char tok[33];
	cJSON *o;

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
	return send_taken(c, 200, o, 0);
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
int gdx_refused(struct MHD_Connection *c, int key_ok, const char *tok, int expire_next,
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

cJSON *answer_for(const char *cid, int service, int *status, long *code)
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

mhd_result on_link(struct MHD_Connection *c)
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
	if (in_scope(service, cid) &&
	    faults_answer(c, &(struct faults_of){ FAILURE, 0, "{\"firstName\":\"สมช", S.html, 1, 1,
						  link_wait }, &r))
		return r;
	o = answer_for(cid, service, &status, &code);
	if (!o)
		return send_code(c, status, code, code == 90500 ? "not found" : "no name changes");
	if (in_scope(service, cid) && (S.f.truncate || S.f.drip_ms))
		return send_slowly(c, o);
	return send_taken(c, 200, o, S.html);
}

/* Checked like the link (consumer, then token, then the faults in scope);
 * the state is --session-state's, any text, so a client can be shown one it
 * does not know. */
mhd_result on_permission(struct MHD_Connection *c)
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
	if (in_scope(PERMISSION_SCOPE, cid) &&
	    faults_answer(c, &(struct faults_of){ FAILURE, 0, "{\"AgentID\":\"1", S.html, 1, 0, NULL },
			  &r))
		return r;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "AgentID", cid);
	cJSON_AddStringToObject(o, "CitizenID", cid);
	cJSON_AddStringToObject(o, "SessionState", S.session_state);
	return send_taken(c, 200, o, 0);
}

