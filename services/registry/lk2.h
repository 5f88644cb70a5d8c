/* Linkage Center 2 (LK2) through the agency's own proxy: the officer logs in
 * with their card (personal ID and chip number), an external signer turns
 * the proxy's random and the officer's PIN into an envelope, the proxy gives
 * a JWT, and all the services wanted for one citizen go in one request, each
 * answered on its own (partial success is normal).
 *
 * Everything runs as a small state machine driven from the caller's poll
 * loop (lk2_fds, poll, lk2_step), so the full-screen program never waits on
 * the network or on the signer; lk2_run drives one to the end for the
 * command line.  One operation runs at a time on one struct lk2.
 *
 * Configuration (the config file, services/base/configfile.h), with defaults:
 *   linkage.transport    gdx               lk2 makes the Linkage lookups use this module
 *   lk2.url              (none: required)  the agency's proxy, e.g. https://lk2.agency.example
 *   lk2.login_type       1                 1 = the officer's card; (2, ThaID, is not supported)
 *   lk2.office_id        (the first office the login offers)
 *   lk2.job_id           (the first job of GET /api/center/user/job)
 *   lk2.renew_age_s      600               the JWT is renewed before a request once it is
 *                                          this old (its lifetime is not public: a guess)
 *   lk2.signer           (none: required)  the envelope command: an absolute path and
 *                                          arguments separated by spaces, run without a
 *                                          shell; it reads the random and the PIN, one a
 *                                          line, and prints the envelope.  The file that
 *                                          names it must be 0600 and ours (it decides where
 *                                          PINs go), and the program writable by its owner only.
 *   lk2.signer_timeout_ms 15000            the signer is killed after this (card + PIN pad)
 *   lk2.chip_field       photo_no          the officer's card field sent as chipNo: photo_no
 *                                          (the number under the photo) or request_no; where
 *                                          the chip number is kept on the card is not public
 *   lk2.service.001 .. lk2.service.027     the LK2 integer ID of each Linkage service.
 *        Defaults 001=1 027=2 007=3 008=4 013=5 017=6 are PLACEHOLDERS: LK2's
 *        IDs differ per agency agreement; set them from the agency's list.
 *   http.*, linkage.007.*                  as for GDX (services/registry/linkage.h)
 *
 * The PIN, the random, the envelope, the JWT, request and answer bodies and
 * results are wiped when freed, and never logged nor printed. */
#ifndef TABIEN_LK2_H
#define TABIEN_LK2_H

#include <poll.h>
#include <stddef.h>

#include "services/base/configfile.h"
#include "services/base/errors.h"
#include "services/registry/linkage.h"
#include "storage/db.h"

#define LK2_MAX_SERVICES 10        /* the proxy takes at most 10 in one request */
#define LK2_N_SERVICES 6           /* the Linkage services we know (linkage.h) */
#define LK2_CHIP_MAX 64            /* a chip number, the NUL included */

struct lk2_config {
	char url[256];
	int login_type;
	char office_id[64];
	char job_id[64];
	int renew_age_s;
	char signer[256];
	long signer_timeout_ms;
	char chip_field[16];           /* the officer's card field sent as chipNo */
	struct { int service, id; } map[LK2_N_SERVICES];
	struct http_settings http;     /* http.pin there: the proxy's key, not the officer's PIN */
	struct linkage_fieldmap map007;
};

/* Defaults, then the keys above from c.  Missing url or signer:
 * TB_E_LK2_NOT_SET_UP with the key as field; a file naming a signer that is
 * not 0600 and ours: TB_E_LK2_CONFIG_MODE (detail: the file's mode). */
int lk2_config_from(struct lk2_config *lc, struct config *c, tb_err *err);
/* config_load(path) + lk2_config_from; the loaded file is wiped. */
int lk2_config_load(struct lk2_config *lc, const char *path, tb_err *err);
void lk2_config_wipe(struct lk2_config *lc);
/* The LK2 ID of a Linkage service (LINKAGE_PERSON ...), or -1. */
int lk2_service_id(const struct lk2_config *lc, int service);
/* linkage.transport = gdx | lk2 (default gdx): 1 for lk2, 0 for gdx, -1
 * and TB_E_CONFIG naming the key for anything else. */
int lk2_transport_from(struct config *c, tb_err *err);

/* --- the wire, without the network (unit-tested) ------------------------------------ */

/* The catalogue entry for a code in an LK2 {errorNumber}: the PIN's own
 * codes (90090, 1001, 1002), else linkage_code_error. */
enum tb_err_id lk2_code_error(long code);

/* The login answer {office:[{id,name}], random}: the office wanted
 * (want_office, or the first when "") and the random to sign. */
struct lk2_login_answer {
	char office_id[64];
	int office_is_number;          /* sent back in the confirm as it came */
	char random[512];
	int n_offices;
};
int lk2_parse_login(long status, const char *body, size_t len, const char *want_office,
		    struct lk2_login_answer *out, tb_err *err);
/* {token} from the confirm (201) or the renewal. */
int lk2_parse_token(long status, const char *body, size_t len, char *out, size_t size,
		    tb_err *err);
/* {job:[uuid ...]}: the first job. */
int lk2_parse_jobs(long status, const char *body, size_t len, char *out, size_t size,
		   tb_err *err);

/* One service of a batch: its result, or its error and the Linkage
 * Center's own text for it (cleaned of control characters; may be ""). */
struct lk2_item {
	int service;                   /* LINKAGE_PERSON ... */
	struct linkage_result *result;
	tb_err err;
	char message[256];
};

/* The answer to POST /api/center/request/ for services[i] asked as ids[i].
 * 0 when it is a batch: every item then holds a result or an error (a
 * service missing from the answer: TB_E_NET_MALFORMED).  -1 when the whole
 * request failed: {errorNumber} gives its entry (detail: the number), 401
 * TB_E_LK2_SESSION, 403 TB_E_LK2_JOB, another status http_status_check's,
 * a body that is not a batch TB_E_NET_MALFORMED; message (may be NULL) gets
 * the errorMessage.  Items are filled (and must be freed with
 * lk2_items_free) only on 0. */
int lk2_parse_batch(long status, const char *body, size_t len, const int *services,
		    const int *ids, int n, const struct linkage_fieldmap *map,
		    struct lk2_item *items, char *message, size_t msize, tb_err *err);
void lk2_items_free(struct lk2_item *items, int n);

/* --- the client --------------------------------------------------------------------- */

struct lk2;
struct lk2_op;

struct lk2_stats {
	unsigned logins;        /* POST login sent */
	unsigned signer_runs;
	unsigned confirms;
	unsigned renewals;
	unsigned jobs;
	unsigned requests;      /* POST request sent, retries included */
	unsigned retries;       /* requests sent again after a renewal */
	unsigned logouts;
};

/* The config is copied (and wiped at lk2_free). */
struct lk2 *lk2_new(const struct lk2_config *c, tb_err *err);
/* Cancels a running operation, logs out when logged in (best effort: at
 * most two seconds), wipes; NULLs *l. */
void lk2_free(struct lk2 **l);
/* Cancels a running operation, logs out now (best effort: it waits at most
 * two seconds for the proxy) and forgets the JWT. */
void lk2_logout(struct lk2 *l);
int lk2_logged_in(const struct lk2 *l);
const struct lk2_stats *lk2_stats(const struct lk2 *l);

/* Officer login: personal ID and chip number from the officer's card and
 * the PIN (copied, then wiped as soon as the signer has it; the caller
 * wipes its own copy).  A session still open is logged out first, with
 * lk2_logout (which may wait up to two seconds).  Only the JWT is renewed
 * later: a new login needs the PIN again, so an ended session is the
 * caller's to start over (TB_E_LK2_SESSION). */
struct lk2_op *lk2_login_start(struct lk2 *l, const char *officer_cid, const char *chip_no,
			       const char *pin, tb_err *err);

/* One request for services[0..n) (LINKAGE_PERSON ..., at most
 * LK2_MAX_SERVICES, no repeats) about citizen cid (13 digits, checked
 * before anything is sent).  Needs a login.  When d is not NULL, each
 * service gets an audit row (AUDIT_LINKAGE_QUERY, "00023/NNN", the citizen,
 * the purpose, consent and acting, "OK" or the error's code and number) once the request has
 * been sent, cancelled requests included; a result whose row could not be
 * written is withheld.  An expired JWT (401) is renewed and the request
 * sent once more, never twice; a refusal is never sent again. */
struct lk2_op *lk2_batch_start(struct lk2 *l, const char *cid, const int *services, int n,
			       struct db *d, const char *username, const char *purpose,
			       const char *consent, const char *acting, tb_err *err);

/* For the caller's poll loop: the proxy's sockets and the signer's pipe
 * while it runs (at most max; *n set) and how long to wait at most. */
int lk2_fds(struct lk2 *l, struct pollfd *p, int max, int *n, int *timeout_ms, tb_err *err);
/* After poll (for any reason): moves op on; 1 while it runs, 0 when done. */
int lk2_step(struct lk2_op *op);
/* When done: 0, or -1 with the error that ended the whole operation (login
 * refused, proxy unreachable, signer failed ...). */
int lk2_op_error(const struct lk2_op *op, tb_err *err);
/* One service of a finished batch: 0 and *out (the caller owns it), or -1
 * and its error (the whole operation's when it failed). */
int lk2_batch_take(struct lk2_op *op, int service, struct linkage_result **out, tb_err *err);
/* The Linkage Center's own text for the service's error, or for the whole
 * operation's (service 0: a login's refusal too); "" when there is none. */
const char *lk2_batch_message(const struct lk2_op *op, int service);
/* Cancels op if it still runs (the signer killed and reaped); wipes; NULLs *op. */
void lk2_op_free(struct lk2_op **op);

/* Drives op to its end, blocking (the command line); then lk2_op_error. */
int lk2_run(struct lk2 *l, struct lk2_op *op, tb_err *err);

#endif
