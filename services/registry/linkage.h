/* The Linkage Center (DOPA, office 00023) through the GDX gateway
 * (services/gateway/gdx.h: the settings, the officer's token, one request
 * unit): one GET per service, and the officer's presence.
 *
 * Configuration (the config file, services/base/configfile.h), with defaults:
 *   gdx.*, http.*, linkage.token_max_age_s   as services/gateway/gdx.h says
 *   linkage.office_id    00023
 *   linkage.version      01
 * Service 007 (household members) has no public description: its field
 * names are settings too, linkage.007.<field>, defaults in
 * LINKAGE_007_FIELDS below.
 *
 * Results hold personal data: they are wiped when freed and never logged. */
#ifndef TABIEN_LINKAGE_H
#define TABIEN_LINKAGE_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "services/base/configfile.h"
#include "services/base/errors.h"
#include "services/gateway/gdx.h"
#include "storage/db.h"

/* The services, numbered as in "00023/001". */
enum linkage_service {
	LINKAGE_PERSON = 1,          /* 001 ข้อมูลทะเบียนราษฎร */
	LINKAGE_HOUSEHOLD = 7,       /* 007 รายการคนในบ้าน */
	LINKAGE_HOUSE = 8,           /* 008 รายละเอียดบ้าน */
	LINKAGE_FIRST_NAMES = 13,    /* 013 การเปลี่ยนชื่อตัว */
	LINKAGE_ADDRESSES = 27,      /* 027 ที่อยู่บุคคลทุกประเภท */
	LINKAGE_SURNAMES = 17,       /* 017 การเปลี่ยนชื่อสกุล */
};

/* "001" ...; NULL for a number that is not a service above. */
const char *linkage_service_code(int service);
/* "001" or "1" to the service, -1 when unknown. */
int linkage_service_parse(const char *s);
const char *linkage_service_name(int service, enum tb_lang lang);

/* X(member, config key suffix, default JSON name) for 007's members.
 * "list" names the array in the answer (a bare array is taken as is). */
#define LINKAGE_007_FIELDS(X) \
	X(list, "list", "members") \
	X(cid, "cid", "personalID") \
	X(title, "title", "titleDesc") \
	X(first, "first", "firstName") \
	X(middle, "middle", "middleName") \
	X(last, "last", "lastName") \
	X(gender, "gender", "genderDesc") \
	X(birth, "birth", "dateOfBirth") \
	X(relation, "relation", "ownerStatusDesc") \
	X(house_id, "house_id", "houseID")

struct linkage_fieldmap {
#define LK_MAP_MEMBER(m, key, def) char m[48];
	LINKAGE_007_FIELDS(LK_MAP_MEMBER)
#undef LK_MAP_MEMBER
};
void linkage_fieldmap_defaults(struct linkage_fieldmap *m);

struct linkage_config {
	struct gdx_config gdx;    /* the gateway's own settings */
	char office_id[16];
	char version[8];
	struct linkage_fieldmap map007;
};

/* Defaults, then the keys above from c, the gateway's by gdx_config_from
 * (the 0600 rule for the secret; TB_E_GDX_NOT_SET_UP for what is missing). */
int linkage_config_from(struct linkage_config *lc, struct config *c, tb_err *err);
/* config_load(path) + linkage_config_from; the loaded file is wiped. */
int linkage_config_load(struct linkage_config *lc, const char *path, tb_err *err);
void linkage_config_wipe(struct linkage_config *lc);

/* --- results ------------------------------------------------------------------------- */

#define LK_CID 14         /* 13 digits + NUL */
#define LK_SHORT 32
#define LK_TEXT 192       /* Thai is 3 bytes a letter in UTF-8 */

struct linkage_person {                  /* 001 */
	char cid[LK_CID];
	char title[LK_TEXT], first[LK_TEXT], middle[LK_TEXT], last[LK_TEXT];
	char en_title[LK_TEXT], en_first[LK_TEXT], en_middle[LK_TEXT], en_last[LK_TEXT];
	int gender_code;                     /* 1 male, 2 female, 0 unknown */
	char gender[LK_SHORT * 2];
	char nationality_code[LK_SHORT], nationality[LK_TEXT];
	int32_t birth;                       /* B.E. YYYYMMDD, 0 unknown; MMDD may be 0000 */
	int age;                             /* -1 unknown */
	char owner_status[LK_TEXT];          /* เจ้าบ้าน / ผู้อาศัย */
	char status_code[LK_SHORT], status[LK_TEXT];
	int32_t move_in;                     /* B.E. YYYYMMDD, 0 unknown */
	char father_cid[LK_CID], father_name[LK_TEXT], father_nationality[LK_TEXT];
	char mother_cid[LK_CID], mother_name[LK_TEXT], mother_nationality[LK_TEXT];
};

struct linkage_address {                 /* 027 items, 008 */
	char house_id[12];                   /* 11 digits */
	char house_no[LK_SHORT * 2];
	char house_type_code[LK_SHORT], house_type[LK_TEXT];
	char village_no[LK_SHORT];
	char alley_way[LK_TEXT], alley[LK_TEXT], road[LK_TEXT];
	char subdistrict_code[LK_SHORT], subdistrict[LK_TEXT];
	char district_code[LK_SHORT], district[LK_TEXT];
	char province_code[LK_SHORT], province[LK_TEXT];
	char rcode_code[LK_SHORT], rcode[LK_TEXT];  /* the registry office */
	int32_t terminated;                  /* B.E. YYYYMMDD; 0 = still in use */
};

struct linkage_member {                  /* 007 items */
	char cid[LK_CID];
	char title[LK_TEXT], first[LK_TEXT], middle[LK_TEXT], last[LK_TEXT];
	char gender[LK_SHORT * 2];
	int32_t birth;
	char relation[LK_TEXT];
};

struct linkage_name_change {             /* 013 / 017 items */
	char cid[LK_CID];
	char title[LK_TEXT], first[LK_TEXT], last[LK_TEXT];
	char new_name[LK_TEXT];
	char doc_id[LK_TEXT];
	int32_t doc_date;
	char doc_place[LK_TEXT], doc_province[LK_TEXT];
	int32_t request_date;
	char cause[LK_TEXT];                 /* 017 only */
};

struct linkage_result {
	int service;
	struct linkage_person person;        /* 001 */
	struct linkage_address *addresses;   /* 027 (n), 008 (one) */
	size_t n_addresses;
	char house_id[12];                   /* 007: the house, when the answer names it */
	struct linkage_member *members;      /* 007 */
	size_t n_members;
	struct linkage_name_change *changes; /* 013, 017 */
	size_t n_changes;
	long total;                          /* 013, 017: as the answer says */
};

/* Wipes and frees; NULLs *r. */
void linkage_result_free(struct linkage_result **r);

/* For people: a Thai name as forms write it ("นายสมชาย ใจดี", the title
 * run into the first name) and an address from its parts ("99/1 หมู่ที่ 4
 * ซอยสุขใจ ..."). */
void linkage_name_text(const char *title, const char *first, const char *middle,
		       const char *last, char *out, size_t size);
void linkage_address_text(const struct linkage_address *a, char *out, size_t size);

/* --- the wire, without the network (unit-tested) ------------------------------------ */

/* The GDX wrapper's own answers, under their older names (LK2 and the
 * tests call them so). */
static inline enum tb_err_id linkage_code_error(long code)
{
	return gdx_code_error(code);
}

/* One answer: HTTP status and body.  0 and *out for a service's data; -1
 * with the error otherwise: a body {"Code":...} gives the code's entry (the
 * code as detail), else a non-2xx status gives http_status_check's, else a
 * body that is not JSON of the service's shape TB_E_NET_MALFORMED.
 * map: 007's names (NULL: defaults). */
int linkage_parse(int service, long status, const char *body, size_t len,
		  const struct linkage_fieldmap *map, struct linkage_result **out, tb_err *err);

static inline int linkage_parse_token(long status, const char *body, size_t len, char *out,
				      size_t size, tb_err *err)
{
	return gdx_parse_token(status, body, len, out, size, err);
}

static inline int linkage_token_expired(long status, const char *body, size_t len)
{
	return gdx_token_expired(status, body, len);
}

/* --- the client --------------------------------------------------------------------- */

struct linkage;

struct linkage_request {
	int service;
	const char *cid;          /* the citizen: 13 digits, checked before any request */
	const char *agent_cid;    /* the officer logged in (AgentID) */
	const char *username;     /* for the audit trail */
	const char *purpose;      /* for the audit trail; may be NULL */
	const char *consent;      /* likewise: AUDIT_CONSENT_*; may be NULL */
	const char *acting;       /* likewise: "grantor=ID grantee=ID" when acting for someone */
};

/* The config is copied (and wiped at linkage_free).  linkage_new makes a
 * GDX client of its own from c->gdx (the command line); linkage_new_on
 * rides on g, the program's one client, held until linkage_free. */
struct linkage *linkage_new(const struct linkage_config *c, tb_err *err);
struct linkage *linkage_new_on(const struct linkage_config *c, struct gdx *g, tb_err *err);
void linkage_free(struct linkage **lk);
/* The GDX client it rides on. */
struct gdx *linkage_gdx(const struct linkage *lk);

/* One service for one citizen, blocking (the command line; the panes use
 * linkage_fetch below).  Uses the cached token while it
 * is younger than token_max_age_s and belongs to the same officer; on an
 * expired token fetches one and sends the query once more, never again.  A
 * refusal (95011 ...) is never retried.  When d is not NULL an audit row
 * (AUDIT_LINKAGE_QUERY, "00023/NNN", the citizen, the purpose, "OK" or the
 * error's code and number) is written for every query sent; if it cannot be
 * written the result is withheld. */
int linkage_query(struct linkage *lk, struct db *d, const struct linkage_request *rq,
		  struct linkage_result **out, tb_err *err);

/* --- several services at once, without blocking ------------------------------------- */

/* A person's services are fetched together: one token request when there
 * is no fresh token (shared by all), then every query at once on the
 * client's reused connections.  The caller's poll loop waits on
 * linkage_fds and calls linkage_fetch_step after every wake-up; each
 * service ends on its own (a refusal of one does not stop the others), is
 * retried once after an expired token and never after a refusal, and gets
 * its audit row as linkage_query's.  Freeing a fetch cancels what is still
 * running (the card was pulled, Esc); queries already sent are logged as
 * cancelled, so d must outlive the fetch. */
#define LINKAGE_FETCH_MAX 8

enum linkage_state { LINKAGE_WAITING = 0, LINKAGE_DONE, LINKAGE_FAILED };

struct linkage_fetch;

/* rq->service is not used: services[0..n-1] are.  The request's strings
 * are copied.  NULL with err for a bad ID or service (nothing sent). */
struct linkage_fetch *linkage_fetch_start(struct linkage *lk, struct db *d,
					  const struct linkage_request *rq, const int *services,
					  int n, tb_err *err);
/* The sockets to wait on and the longest wait (-1: none): see http_fds. */
int linkage_fds(struct linkage *lk, struct pollfd *p, int max, int *n, int *timeout_ms,
		tb_err *err);
/* Moves every transfer on and takes in what has arrived; returns how many
 * of f's services are still waiting (0: all ended). */
int linkage_fetch_step(struct linkage_fetch *f);
/* Blocks until every service of f has ended. */
int linkage_fetch_wait(struct linkage_fetch *f, tb_err *err);
/* A service's state; when DONE *r (may be NULL) is its result (f keeps
 * it), when FAILED *err (may be NULL) says why. */
enum linkage_state linkage_fetch_get(const struct linkage_fetch *f, int service,
				     const struct linkage_result **r, tb_err *err);
/* An ended service's result, handed over: 0 and *out, or -1 with why. */
int linkage_fetch_take(struct linkage_fetch *f, int service, struct linkage_result **out,
		       tb_err *err);
/* The citizen asked about. */
const char *linkage_fetch_cid(const struct linkage_fetch *f);
void linkage_fetch_free(struct linkage_fetch **f);

/* Drops the token (log-out, lock). */
void linkage_forget_token(struct linkage *lk);

const struct gdx_stats *linkage_stats(const struct linkage *lk);

/* --- the officer's presence (agent/permission) ---------------------------------------- */

/* GET /ws/dopa/linkage/v1/agent/permission?Consumer=<key>&CitizenID=<officer>
 * with the officer's token: whether the officer's agent is up with the
 * officer's card, and whether a citizen's card is in as well (the two-card
 * mode).  It is about the officer, not about a citizen, so no audit row is
 * written. */
enum linkage_session {
	LINKAGE_SESSION_UNKNOWN = 0,     /* a state not listed here: see state_text */
	LINKAGE_AGENT_NOT_AVAILABLE,     /* AgentNotAvailable */
	LINKAGE_AGENT_AVAILABLE,         /* AgentAvailable */
	LINKAGE_CITIZEN_AVAILABLE,       /* CitizenAvailable: the two-card mode */
};

struct linkage_permission {
	enum linkage_session state;
	char state_text[LK_SHORT * 2];   /* SessionState as sent (controls dropped) */
	char agent_id[LK_SHORT];         /* AgentID as sent, "" when none */
	char citizen_id[LK_CID];         /* CitizenID when 13 digits, else "" */
};

/* What a state means for the officer, and what to do next, in one language. */
const char *linkage_session_name(enum linkage_session s, enum tb_lang lang);
const char *linkage_session_hint(enum linkage_session s, enum tb_lang lang);

/* The answer {AgentID, CitizenID, SessionState}: 0 and *out (IDs as strings
 * or JSON numbers; an unknown SessionState is LINKAGE_SESSION_UNKNOWN with
 * its text kept), or -1 as linkage_parse (a Code, then the HTTP status, then
 * TB_E_NET_MALFORMED for no SessionState); *out is then zeroed. */
int linkage_parse_permission(long status, const char *body, size_t len,
			     struct linkage_permission *out, tb_err *err);

/* The same without blocking, for a poll loop, through the GDX request
 * unit: the officer's token shared with the queries, one retry after an
 * expired token and never after a refusal.  Wait on linkage_fds and call
 * _step after every wake-up until it returns 0.  Counted in linkage_stats
 * with the queries.  Freeing a running check cancels it. */
struct linkage_permission_op;

/* NULL with err for an officer ID that is not 13 digits with a correct
 * check digit (nothing sent), or when the request cannot be made (the
 * gateway's settings). */
struct linkage_permission_op *linkage_permission_start(struct linkage *lk, const char *agent_cid,
							tb_err *err);
/* 1 while it runs, 0 once it has ended. */
int linkage_permission_step(struct linkage_permission_op *op);
/* After the end: 0 and *out, or -1 with why (TB_E_USAGE while it runs). */
int linkage_permission_result(const struct linkage_permission_op *op,
			      struct linkage_permission *out, tb_err *err);
void linkage_permission_free(struct linkage_permission_op **op);

/* start, step until the end, result: the command line's way. */
int linkage_permission(struct linkage *lk, const char *agent_cid, struct linkage_permission *out,
		       tb_err *err);

/* --- the audit row of a registry query (GDX and LK2 alike) ----------------------- */

/* Writes the AUDIT_LINKAGE_QUERY row of one service (LINKAGE_PERSON ...)
 * asked about citizen cid: service "OFFICE/NNN", result "OK" when e is NULL,
 * else the error's code, with its number for the gateway's and the Linkage
 * Center's errors ("LK-NO-DATA 90500").  purpose, consent
 * (AUDIT_CONSENT_*) and acting (both citizens when someone acts for
 * another) may be NULL.  A row not written: -1 and *err
 * TB_E_AUDIT_UNWRITTEN, the database's code as detail (TB_E_PG_LOST when
 * the server was lost); what it was about must then not be shown. */
int registry_audit_query(struct db *d, const char *username, const char *office, int service,
			 const char *cid, const char *purpose, const char *consent,
			 const char *acting, const tb_err *e, tb_err *err);


#endif
