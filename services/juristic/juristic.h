/* Juristic persons (นิติบุคคล) from DBD (กรมพัฒนาธุรกิจการค้า), by the
 * 13-digit juristic ID, from one of two sources:
 *   gdx   POST {gdx.url}{dbd.gdx_path} {"OrganizationJuristicID":"<13>"} with
 *         Consumer-Key and the officer's GDX token, through the GDX client's
 *         request unit (services/gateway/gdx.h: the token shared with the
 *         Linkage Center); directors and signing authority.
 *   open  GET {dbd.open_url}{dbd.open_path}<13>: no key, served as text/html
 *         though it is JSON, a daily quota (8888), a web firewall that
 *         answers 403 with an HTML page after bursts; no directors.
 * Shareholders and financial statements have no published GDX endpoint:
 * when dbd.shareholders_path / dbd.financials_path are set, the gdx source
 * also sends GET {gdx.url}{path}?JuristicID=<13> for each, at the same time
 * as the profile, and reads the list named by dbd.field.shareholders /
 * dbd.field.financials.  The open API has neither.
 * Answers are cached in the database (storage/juristic_db.h): a copy younger
 * than the TTL is used without a request; when DBD is over quota, blocks
 * us or is down, the last copy is shown however old, marked stale.
 *
 * Configuration (services/base/configfile.h), with defaults:
 *   dbd.source       gdx when gdx.url, key and secret are set, else open
 *   dbd.open_url     https://openapi.dbd.go.th
 *   dbd.open_path    /api/v1/juristic_person/
 *   dbd.gdx_path     /ws/dbd/juristic/v7/general/profile
 *   dbd.cache_ttl_s  86400           0: never use a copy unless DBD fails
 *   dbd.cache_keep_days 30           copies older are deleted (0: kept)
 *   dbd.shareholders_path (none)     e.g. /ws/dbd/juristic/v1/shareholder
 *   dbd.financials_path  (none)      e.g. /ws/dbd/juristic/v5/profile/financial/years
 *   dbd.field.<key>  the JSON names below (JURISTIC_FIELDS)
 *   http.*           as for the Linkage Center (timeouts, CA, pin, proxy)
 *
 * Company data is public business data: results are not wiped. */
#ifndef TABIEN_JURISTIC_H
#define TABIEN_JURISTIC_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "services/base/configfile.h"
#include "services/base/errors.h"
#include "services/gateway/gdx.h"
#include "storage/db.h"

enum juristic_source { JURISTIC_GDX = 0, JURISTIC_OPEN = 1 };

/* "gdx" / "open" (as configured, cached and audited). */
const char *juristic_source_name(enum juristic_source s);

enum juristic_status {
	JURISTIC_STATUS_UNKNOWN = 0,  /* kept as DBD's text */
	JURISTIC_ACTIVE,              /* ยังดำเนินกิจการอยู่ */
	JURISTIC_DISSOLVED,           /* เลิก */
	JURISTIC_LIQUIDATED,          /* เสร็จชำระบัญชี */
	JURISTIC_ABANDONED,           /* ร้าง */
};

/* DBD's Thai status text to the enum. */
enum juristic_status juristic_status_parse(const char *text);
/* "active" / "ยังดำเนินกิจการอยู่" ...; NULL for UNKNOWN. */
const char *juristic_status_name(enum juristic_status s, enum tb_lang lang);

/* X(member, config key suffix, default JSON name).  Only the top-level
 * names and the answer's wrapper are published by DBD; the names inside
 * directors, signing lines and the address are a best reading, so every one
 * can be set as dbd.field.<key>.  The address is also looked for under
 * cd:OrganizationJuristicAddress (the open API's spelling), and any object
 * value is read through its *TextTH member. */
#define JURISTIC_FIELDS(X) \
	X(root, "root", "cd:OrganizationJuristicPerson") \
	X(id, "id", "cd:OrganizationJuristicID") \
	X(name_th, "name_th", "cd:OrganizationJuristicNameTH") \
	X(name_en, "name_en", "cd:OrganizationJuristicNameEN") \
	X(type, "type", "cd:OrganizationJuristicType") \
	X(status, "status", "cd:OrganizationJuristicStatus") \
	X(registered, "registered", "cd:OrganizationJuristicRegisterDate") \
	X(capital, "capital", "cd:OrganizationJuristicRegisterCapital") \
	X(paid_up, "paid_up", "cd:OrganizationJuristicPaidUpCapital") \
	X(objective, "objective", "cd:OrganizationJuristicObjective") \
	X(address, "address", "cd:Address") \
	X(directors, "directors", "cd:OrganizationJuristicPersonList") \
	X(signing, "signing", "cd:OrganizationJuristicPersonDescription") \
	X(d_seq, "director.seq", "cd:Sequence") \
	X(d_type, "director.type", "cd:PersonType") \
	X(d_title, "director.title", "cd:TitleName") \
	X(d_first, "director.first", "cd:FirstName") \
	X(d_last, "director.last", "cd:LastName") \
	X(d_invest_type, "director.invest_type", "cd:InvestType") \
	X(d_amount, "director.amount", "cd:InvestAmount") \
	X(s_text, "signing.text", "cd:Description") \
	X(a_no, "address.no", "cd:AddressNo") \
	X(a_building, "address.building", "cd:Building") \
	X(a_moo, "address.moo", "cd:Moo") \
	X(a_soi, "address.soi", "cd:Soi") \
	X(a_road, "address.road", "cd:Road") \
	X(a_subdistrict, "address.subdistrict", "cd:CitySubDivision") \
	X(a_district, "address.district", "cd:City") \
	X(a_province, "address.province", "cd:CountrySubDivision") \
	X(a_postcode, "address.postcode", "cd:PostCode") \
	X(shareholders, "shareholders", "cd:OrganizationJuristicShareholderList") \
	X(h_seq, "shareholder.seq", "cd:Sequence") \
	X(h_title, "shareholder.title", "cd:TitleName") \
	X(h_first, "shareholder.first", "cd:FirstName") \
	X(h_last, "shareholder.last", "cd:LastName") \
	X(h_nationality, "shareholder.nationality", "cd:Nationality") \
	X(h_shares, "shareholder.shares", "cd:ShareCount") \
	X(h_amount, "shareholder.amount", "cd:ShareAmount") \
	X(financials, "financials", "cd:FinancialStatementList") \
	X(f_year, "financial.year", "cd:FiscalYear") \
	X(f_revenue, "financial.revenue", "cd:TotalRevenue") \
	X(f_profit, "financial.profit", "cd:NetProfit") \
	X(f_assets, "financial.assets", "cd:TotalAssets")

struct juristic_fieldmap {
#define JR_MAP_MEMBER(m, key, def) char m[64];
	JURISTIC_FIELDS(JR_MAP_MEMBER)
#undef JR_MAP_MEMBER
};
void juristic_fieldmap_defaults(struct juristic_fieldmap *m);

struct juristic_config {
	enum juristic_source source;
	char open_url[256];
	char open_path[128];
	char gdx_path[128];
	char shareholders_path[128];  /* "": not asked for */
	char financials_path[128];
	long cache_ttl_s;
	long cache_keep_days;         /* 0: copies are never deleted */
	struct http_settings http;    /* for the open source (gdx: the GDX client's) */
	struct juristic_fieldmap map;
};

/* Defaults, then the keys above from c.  gdx_set_up: whether the gdx.*
 * settings were accepted (gdx_config_from); dbd.source = gdx without
 * them is TB_E_GDX_NOT_SET_UP; a bad value TB_E_CONFIG with the key. */
int juristic_config_from(struct juristic_config *jc, struct config *c, int gdx_set_up,
			 tb_err *err);

/* --- results --------------------------------------------------------------------------- */

#define JR_ID 14          /* 13 digits + NUL */
#define JR_TEXT 384       /* Thai is 3 bytes a letter in UTF-8 */

struct juristic_director {
	int seq;                      /* as DBD numbers them; 0 unknown */
	char type[JR_TEXT];           /* กรรมการ ... */
	char title[JR_TEXT], first[JR_TEXT], last[JR_TEXT];
	char invest_type[JR_TEXT];
	int64_t amount;               /* satang; -1 unknown */
};

struct juristic_shareholder {
	int seq;                      /* 0 unknown */
	char title[JR_TEXT], first[JR_TEXT], last[JR_TEXT];  /* a company: first only */
	char nationality[JR_TEXT];
	int64_t shares;               /* -1 unknown */
	int64_t amount;               /* satang; -1 unknown */
};

struct juristic_financial {
	int year;                     /* B.E. */
	int64_t revenue, profit, assets;   /* satang (profit may be < 0); INT64_MIN unknown */
};

/* Whether a part beyond the profile is there. */
enum juristic_part {
	JURISTIC_PART_NONE = 0,       /* this source does not provide it */
	JURISTIC_PART_OK,             /* asked and answered (maybe an empty list) */
	JURISTIC_PART_FAILED,         /* asked, no answer: see the part's err */
};

struct juristic_result {
	enum juristic_source source;
	char id[JR_ID];
	char name_th[JR_TEXT], name_en[JR_TEXT];
	char type[JR_TEXT];
	enum juristic_status status;
	char status_text[JR_TEXT];    /* DBD's words, whatever the enum */
	int32_t registered;           /* B.E. YYYYMMDD; 0 unknown */
	int64_t capital, paid_up;     /* satang; -1 unknown */
	char address[1024];
	char *objective;              /* long Thai text; "" when none, never NULL */
	struct juristic_director *directors;   /* in DBD's order (by seq) */
	size_t n_directors;
	char **signing;               /* signing authority, one line each */
	size_t n_signing;
	enum juristic_part shareholders_part, financials_part;
	tb_err shareholders_err, financials_err;
	struct juristic_shareholder *shareholders;   /* by seq */
	size_t n_shareholders;
	struct juristic_financial *financials;       /* newest year first */
	size_t n_financials;
	/* Where it came from. */
	int64_t fetched_at;           /* epoch seconds when DBD answered */
	int from_cache;               /* no request was sent */
	int stale;                    /* DBD failed: this is an older copy */
	tb_err stale_reason;          /* why, when stale */
};

void juristic_result_free(struct juristic_result **r);

/* --- the wire, without the network (unit-tested) -------------------------------------- */

/* 13 digits with the citizen ID's check digit. */
int juristic_id_valid(const char *id);

/* One answer.  0 and *out, or -1 with: an HTML page (whatever the content
 * type says) on 403 TB_E_DBD_BLOCKED, else TB_E_NET_MALFORMED; status.code
 * 1004 or empty data TB_E_DBD_NOT_FOUND, 1051 TB_E_DBD_BAD_ID, 8888
 * TB_E_DBD_QUOTA, others TB_E_DBD_OTHER (the code as detail); a GDX
 * {"Code":...} the Linkage entry; a non-2xx status without a code: from gdx
 * http_status_check's entry, from open 403/429 TB_E_DBD_BLOCKED, 5xx
 * TB_E_DBD_UNREACHABLE, others TB_E_DBD_OTHER.  content_type may be NULL;
 * it only helps tell a page from JSON.  map NULL: defaults. */
int juristic_parse(enum juristic_source src, long status, const char *content_type,
		   const char *body, size_t len, const struct juristic_fieldmap *map,
		   struct juristic_result **out, tb_err *err);

/* A shareholder or financial-statement answer (the same wrapper, status
 * codes and failures as juristic_parse) into r: 0 with the part OK (1004,
 * {} or [] is an empty list), or -1 with the error and r's part unchanged.
 * The list is the one the map names, under data, at the top, or data
 * itself when it is an array of entries. */
int juristic_parse_shareholders(enum juristic_source src, long status, const char *content_type,
				const char *body, size_t len, const struct juristic_fieldmap *map,
				struct juristic_result *r, tb_err *err);
int juristic_parse_financials(enum juristic_source src, long status, const char *content_type,
			      const char *body, size_t len, const struct juristic_fieldmap *map,
			      struct juristic_result *r, tb_err *err);

/* "12345.5", "1,000,000.00", "1000000" to satang; -1 when not an amount. */
int64_t juristic_money_parse(const char *s);
/* "1,000,000" (Thai grouping, as DBD's certificates print it); "-" below 0. */
void juristic_number_format(int64_t n, char *out, size_t size);
/* "1,000,000.00 บาท" (Thai) / "1,000,000.00 baht"; "-" for -1. */
void juristic_money_format(int64_t satang, enum tb_lang lang, char *out, size_t size);

/* "as of 10:42, 3 hours ago" / "ข้อมูล ณ 10:42 น. (3 ชั่วโมงที่แล้ว)", with
 * the date in front of the time when it was not today (local time). */
void juristic_age_format(int64_t fetched_at, int64_t now, enum tb_lang lang, char *out,
			 size_t size);

/* Whether an error means DBD is unavailable rather than saying no: quota,
 * the firewall, an outage, a broken answer.  Those fall back to the cache. */
int juristic_err_transient(const tb_err *e);

/* --- the client ------------------------------------------------------------------------ */

struct juristic;

struct juristic_request {
	const char *id;           /* 13 digits, checked before anything else */
	const char *agent_cid;    /* the officer: the GDX token's AgentID (gdx only) */
	const char *username;     /* for the audit trail */
	const char *purpose;      /* for the audit trail; may be NULL */
	int refresh;              /* ask DBD even when a fresh copy is cached */
};

struct juristic_stats {
	unsigned requests;        /* profile requests sent (not tokens) */
	unsigned part_requests;   /* shareholder and financial-statement requests */
	unsigned cache_hits;      /* fresh copies used */
	unsigned stale;           /* old copies shown because DBD failed */
};

/* c is copied.  gdx: the program's GDX client, whose token, connections
 * and settings the gdx source uses (held until juristic_free); NULL is fine
 * for open, which makes a client of its own. */
struct juristic *juristic_new(const struct juristic_config *c, struct gdx *gdx, tb_err *err);
void juristic_free(struct juristic **j);

/* One company, blocking.  A bad ID is refused before any request or audit
 * row.  With d: the cache as described above, and one audit row per lookup
 * (AUDIT_JURISTIC_QUERY, service "dbd/gdx" or "dbd/open", the juristic ID,
 * the purpose, and "OK", "OK cache", "STALE <code> <n>" or the error's code
 * and number); if the row cannot be written the result is withheld. */
int juristic_lookup(struct juristic *j, struct db *d, const struct juristic_request *rq,
		    struct juristic_result **out, tb_err *err);

/* The same lookup without blocking, for a poll loop: juristic_start checks
 * the ID and the cache (a fresh copy ends the lookup at once) and sends the
 * requests (each through the GDX request unit, which asks for the token
 * first when there is no fresh one); the loop waits on juristic_fds and calls
 * juristic_step after every wake-up until it returns 1; juristic_finish
 * then parses, saves the copy, falls back to a stale one and writes the
 * audit row, as juristic_lookup does.  The network is all that runs between
 * start and finish: the database is used in the caller's thread only, at
 * start and at finish.  One lookup at a time per client. */
struct juristic_op;

/* NULL with err for a bad juristic or officer ID (nothing sent, no audit
 * row).  The request's strings are copied. */
struct juristic_op *juristic_start(struct juristic *j, struct db *d,
				   const struct juristic_request *rq, tb_err *err);
/* The sockets to wait on and the longest wait (see http_fds). */
int juristic_fds(struct juristic *j, struct pollfd *p, int max, int *n, int *timeout_ms,
		 tb_err *err);
/* Moves the lookup on; 1 when it has ended (answered, failed or cancelled). */
int juristic_step(struct juristic_op *op);
/* Ends the requests still running (http_cancel); the lookup then ends with
 * TB_E_NET_CANCELLED at its next step.  A token request already sent is
 * left to finish: the token is kept for the next lookup. */
void juristic_cancel(struct juristic_op *op);
/* After juristic_step said 1: as juristic_lookup; frees *op. */
int juristic_finish(struct juristic_op **op, struct db *d, struct juristic_result **out,
		    tb_err *err);
/* Drops a lookup without a result or an audit row (the program ends). */
void juristic_op_free(struct juristic_op **op);
/* The juristic ID being looked up. */
const char *juristic_op_id(const struct juristic_op *op);

/* Deletes the cached copies older than keep_days days, every copy for 0;
 * keep_days < 0: c->cache_keep_days (where 0 keeps them all).  Returns how
 * many, or -1.  Lookups do it once per client. */
long juristic_cache_purge(const struct juristic_config *c, struct db *d, long keep_days,
			  tb_err *err);

const struct juristic_stats *juristic_stats(const struct juristic *j);
enum juristic_source juristic_source_of(const struct juristic *j);

#endif
