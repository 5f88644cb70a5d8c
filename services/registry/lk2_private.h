/* Inside the LK2 client only (lk2.c, lk2_session.c, lk2_parse.c,
 * lk2_config.c): the state every step shares.  Other folders include lk2.h. */
#ifndef TABIEN_LK2_PRIVATE_H
#define TABIEN_LK2_PRIVATE_H

#include <sys/types.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "services/gateway/http.h"
#include "services/registry/lk2.h"

#define JWT_MAX 4096
#define URL_MAX 1024
#define ENVELOPE_MAX 8192
#define SIGNER_ARGS 8
#define LOGOUT_WAIT_MS 2000
#define PIN_MAX 16

enum op_kind { OP_LOGIN, OP_BATCH };
enum op_state { ST_LOGIN, ST_SIGN, ST_CONFIRM, ST_JOBS, ST_RENEW, ST_REQUEST, ST_DONE };

struct signer {
	pid_t pid;                     /* 0: not running */
	int out;                       /* its stdout, non-blocking; -1 when closed */
	char buf[ENVELOPE_MAX + 2];
	size_t len;
	struct timespec deadline;
};

struct lk2_op {
	struct lk2 *l;                 /* NULL once lk2_free has cancelled it */
	enum op_kind kind;
	enum op_state state;
	struct http_xfer *x;
	unsigned seq;                  /* transfers started: tells lk2_step it moved on */
	struct signer sg;
	int failed;
	tb_err err;
	char message[256];
	/* login */
	char officer[LK_CID], chip[LK2_CHIP_MAX], pin[PIN_MAX + 1];
	struct lk2_login_answer la;
	char envelope[ENVELOPE_MAX + 1];
	/* batch */
	char cid[LK_CID];
	int n, services[LK2_MAX_SERVICES], ids[LK2_MAX_SERVICES];
	struct lk2_item items[LK2_MAX_SERVICES];
	int taken[LK2_MAX_SERVICES];
	int renewed, retried, audited;
	struct db *d;
	char username[128], purpose[512], consent[16], acting[64];
};

struct lk2 {
	struct lk2_config c;
	struct http *h;
	struct lk2_op *op;             /* the one running */
	char jwt[JWT_MAX];
	struct timespec jwt_at;
	char officer[LK_CID];
	char job[128];
	struct lk2_stats st;
};

/* lk2_parse.c */
/* Printable ASCII without spaces: fit for a header, a JSON string or the
 * signer's input line. */
int lk2_text_ok(const char *s);
/* The errorMessage of a refusal, for people to read next to the code. */
void lk2_message_of(const char *body, size_t len, char *out, size_t size);

/* lk2.c: the client's steps */
long lk2_now_ms(void);
long lk2_ms_of(const struct timespec *t);
struct lk2_op *lk2_op_new(struct lk2 *l, enum op_kind kind, tb_err *err);
struct http_xfer *lk2_send(struct lk2 *l, const char *method, const char *path,
			   const cJSON *body, int bearer, tb_err *err);
void lk2_start_or_fail(struct lk2_op *op, struct http_xfer *x, enum op_state next,
		       const tb_err *e);
void lk2_op_fail(struct lk2_op *op, const tb_err *e);
void lk2_op_finish(struct lk2_op *op);
void lk2_op_cancel(struct lk2_op *op);
void lk2_forget_session(struct lk2 *l);
void lk2_jobs_start(struct lk2_op *op);
void lk2_batch_next(struct lk2_op *op);

/* lk2_session.c: login, the signer, the JWT */
void lk2_signer_step(struct lk2_op *op);
void lk2_signer_stop(struct signer *sg);
void lk2_renew_start(struct lk2_op *op);
/* The answer to a login, confirm or renewal (rc and e from the transfer). */
void lk2_session_answer(struct lk2_op *op, int rc, long status, const char *body, size_t len,
			tb_err *e);

#endif
