/* Inside tabien-gateway only: what its files share.  gateway_main.c: the
 * server, the switches, the counts and the ways of answering; gateway_gdx.c:
 * the GDX token, the Linkage link and agent/permission; gateway_dbd.c: the
 * DBD profile, its parts and the open API; gateway_lk2.c: the Linkage
 * Center 2 proxy under /api/center/. */
#ifndef TABIEN_SIM_GATEWAY_H
#define TABIEN_SIM_GATEWAY_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

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
#define LK2_PREFIX "/api/center/"

struct fault {
	int status;            /* answer this HTTP status */
	long code;             /* answer {"Code": code} */
	int malformed, truncate, oversize, oversize_chunked, reset;
	int drip_ms, latency_ms;
	int scope_service;     /* -1: every service */
	char scope_cid[14];    /* "": every citizen */
};

struct sim {
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
};
extern struct sim S;

/* gateway_main.c */
int cid_ok(const char *s);
void stats_write(void);
void count(unsigned *n);
const char *arg(struct MHD_Connection *c, const char *k);
const char *header(struct MHD_Connection *c, const char *k);
int in_scope(int service, const char *cid);
void sleep_ms(int ms);
mhd_result send_body(struct MHD_Connection *c, int status, const char *body, int html);
mhd_result send_json(struct MHD_Connection *c, int status, const cJSON *o, int html);
/* send_json, then o deleted. */
mhd_result send_taken(struct MHD_Connection *c, int status, cJSON *o, int html);
mhd_result send_code(struct MHD_Connection *c, int status, long code, const char *msg);
mhd_result send_feed(struct MHD_Connection *c, char *body, size_t len, uint64_t declared,
		     int drip_ms, int cut);
mhd_result send_reset(struct MHD_Connection *c);
mhd_result send_oversize(struct MHD_Connection *c);
mhd_result send_slowly(struct MHD_Connection *c, cJSON *o);
/* How one endpoint takes the failure switches: the body of --status and of
 * --malformed, whether --code and --oversize act on it, and its wait for
 * --latency-ms (NULL: sleep_ms). */
struct faults_of {
	const char *failure;
	int failure_html;
	const char *broken;
	int broken_html;
	int code, oversize;
	void (*wait)(void);
};
int faults_answer(struct MHD_Connection *c, const struct faults_of *how, mhd_result *r);
/* libmicrohttpd hands a body over in pieces, then calls once more: 1 while
 * it comes (return *r), 0 once the body is whole in *body and *len. */
int upload_collect(void **con_cls, size_t cap, const char *upload, size_t *upload_size,
		   const char **body, size_t *len, mhd_result *r);

/* gateway_gdx.c */
mhd_result on_token(struct MHD_Connection *c);
mhd_result on_link(struct MHD_Connection *c);
mhd_result on_permission(struct MHD_Connection *c);
int gdx_refused(struct MHD_Connection *c, int key_ok, const char *tok, int expire_next,
		mhd_result *r);
cJSON *answer_for(const char *cid, int service, int *status, long *code);

/* gateway_dbd.c */
mhd_result on_dbd_gdx(struct MHD_Connection *c, const char *upload, size_t len);
mhd_result on_dbd_part(struct MHD_Connection *c, const char *table, const char *list);
mhd_result on_dbd_open(struct MHD_Connection *c, const char *id);

/* gateway_lk2.c */
mhd_result on_lk2(struct MHD_Connection *c, const char *url, const char *method,
		  const char *upload, size_t *upload_size, void **con_cls);
int lk2_args(int *argc, char **argv);
void lk2_usage(FILE *f);
void lk2_stats_print(FILE *f);

#endif
