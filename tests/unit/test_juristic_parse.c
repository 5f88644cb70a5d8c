/* DBD's answers as both sources send them: the GDX profile (data an
 * object), the open API (data an array or an object, JSON served as
 * text/html), {} for none, every status code, the firewall's HTML page;
 * the ID's check digit, capital in satang and its Thai grouping, the status
 * texts, the age line, and the cache and audit rules of a lookup (against a
 * closed port, so nothing leaves the machine); shareholders and financial
 * statements in every shape and odd body; a lookup that does not block,
 * cancelled (against a socket that never answers); old copies purged.  No
 * network beyond 127.0.0.1 here. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "services/accounts/audit.h"
#include "services/juristic/juristic.h"
#include "storage/juristic_db.h"

#define ID_A "0105536012346"

static const char GDX_A[] =
	"{\"status\":{\"code\":\"1000\",\"description\":\"success\"},\"data\":{"
	"\"cd:OrganizationJuristicPerson\":{"
	"\"cd:OrganizationJuristicID\":\"0105536012346\","
	"\"cd:OrganizationJuristicNameTH\":\"บริษัท สยามตัวอย่างการค้า จำกัด\","
	"\"cd:OrganizationJuristicNameEN\":\"SIAM SAMPLE TRADING COMPANY LIMITED\","
	"\"cd:OrganizationJuristicType\":\"บริษัทจำกัด\","
	"\"cd:OrganizationJuristicStatus\":\"ยังดำเนินกิจการอยู่\","
	"\"cd:OrganizationJuristicRegisterDate\":\"25360719\","
	"\"cd:OrganizationJuristicRegisterCapital\":\"5000000\","
	"\"cd:OrganizationJuristicPaidUpCapital\":1250000.5,"
	"\"cd:OrganizationJuristicObjective\":\"ค้าส่ง\\nและค้าปลีก\\u0007สินค้า\","
	"\"cd:Address\":{\"cd:AddressNo\":\"99/9\",\"cd:Moo\":\"4\",\"cd:Road\":\"ถนนสุขุมวิท\","
	"\"cd:City\":{\"cr:CityTextTH\":\"เขตวัฒนา\"},\"cd:PostCode\":10110},"
	"\"cd:OrganizationJuristicPersonList\":["
	"{\"cd:Sequence\":\"2\",\"cd:PersonType\":\"กรรมการ\",\"cd:TitleName\":\"นาง\","
	"\"cd:FirstName\":\"สมศรี\",\"cd:LastName\":\"ใจดี\"},"
	"{\"cd:PersonType\":\"กรรมการ\",\"cd:FirstName\":\"ไม่มีลำดับ\"},"
	"{\"cd:Sequence\":1,\"cd:PersonType\":\"กรรมการ\",\"cd:TitleName\":\"นาย\","
	"\"cd:FirstName\":\"สมชาย\",\"cd:LastName\":\"ใจดี\",\"cd:InvestType\":\"เงิน\","
	"\"cd:InvestAmount\":\"600,000\"}],"
	"\"cd:OrganizationJuristicPersonDescription\":[\"นายสมชาย ใจดี ลงลายมือชื่อ\","
	"{\"cd:Description\":\"หรือกรรมการสองคน\"},null,\"\"]}}}";

static struct juristic_result *parse_ok(enum juristic_source src, const char *ctype, const char *body)
{
	struct juristic_result *r = NULL;
	tb_err e = { 0 };

	assert_int_equal(juristic_parse(src, 200, ctype, body, strlen(body), NULL, &r, &e), 0);
	assert_non_null(r);
	assert_int_equal(r->source, src);
	assert_non_null(r->objective);
	return r;
}

static tb_err parse_fail(enum juristic_source src, long status, const char *ctype, const char *body)
{
	struct juristic_result *r = NULL;
	tb_err e = { 0 };

	assert_int_equal(juristic_parse(src, status, ctype, body, body ? strlen(body) : 0, NULL, &r, &e), -1);
	assert_null(r);
	return e;
}

/* --- shapes ------------------------------------------------------------------------------ */

static void gdx_profile(void **state)
{
	struct juristic_result *r = parse_ok(JURISTIC_GDX, "application/json", GDX_A);

	(void)state;
	assert_string_equal(r->id, ID_A);
	assert_string_equal(r->name_th, "บริษัท สยามตัวอย่างการค้า จำกัด");
	assert_string_equal(r->name_en, "SIAM SAMPLE TRADING COMPANY LIMITED");
	assert_string_equal(r->type, "บริษัทจำกัด");
	assert_int_equal(r->status, JURISTIC_ACTIVE);
	assert_int_equal(r->registered, 25360719);
	assert_int_equal(r->capital, 500000000);
	assert_int_equal(r->paid_up, 125000050);
	/* Line breaks become spaces, control characters go. */
	assert_string_equal(r->objective, "ค้าส่ง และค้าปลีกสินค้า");
	assert_string_equal(r->address, "99/9 หมู่ที่ 4 ถนนสุขุมวิท เขตวัฒนา 10110");
	/* In DBD's order; the unnumbered one last. */
	assert_int_equal(r->n_directors, 3);
	assert_int_equal(r->directors[0].seq, 1);
	assert_string_equal(r->directors[0].first, "สมชาย");
	assert_string_equal(r->directors[0].invest_type, "เงิน");
	assert_int_equal(r->directors[0].amount, 60000000);
	assert_int_equal(r->directors[1].seq, 2);
	assert_string_equal(r->directors[1].title, "นาง");
	assert_int_equal(r->directors[1].amount, -1);
	assert_string_equal(r->directors[2].first, "ไม่มีลำดับ");
	/* Strings or objects; null and empty lines dropped. */
	assert_int_equal(r->n_signing, 2);
	assert_string_equal(r->signing[0], "นายสมชาย ใจดี ลงลายมือชื่อ");
	assert_string_equal(r->signing[1], "หรือกรรมการสองคน");
	juristic_result_free(&r);
	assert_null(r);
}

static const char OPEN_PERSON[] =
	"{\"cd:OrganizationJuristicPerson\":{"
	"\"cd:OrganizationJuristicID\":\"0405535001232\","
	"\"cd:OrganizationJuristicNameTH\":\"ห้างหุ้นส่วนจำกัด ขอนแก่นสมมุติ\","
	"\"cd:OrganizationJuristicStatus\":\"เลิก\","
	"\"cd:OrganizationJuristicRegisterDate\":\"1992-11-05\","
	"\"cd:OrganizationJuristicRegisterCapital\":\"1,000,000.00\","
	"\"cd:OrganizationJuristicObjective\":{\"td:JuristicObjective\":{"
	"\"td:JuristicObjectiveTextTH\":\"รับเหมาก่อสร้าง\"}},"
	"\"cd:OrganizationJuristicAddress\":{\"cr:AddressType\":{\"cd:AddressNo\":\"45\","
	"\"cd:CountrySubDivision\":{\"cr:CountrySubDivisionTextTH\":\"ขอนแก่น\"}}}}}";

static void open_api_data_array_and_object(void **state)
{
	char body[4096];
	struct juristic_result *r;

	(void)state;
	/* An array, served as text/html as the real service does. */
	snprintf(body, sizeof body, "{\"status\":{\"code\":\"1000\",\"description\":\"Success\"},"
		 "\"data\":[%s]}", OPEN_PERSON);
	r = parse_ok(JURISTIC_OPEN, "text/html; charset=utf-8", body);
	assert_string_equal(r->id, "0405535001232");
	assert_int_equal(r->status, JURISTIC_DISSOLVED);
	/* Christian-era dates become Buddhist-era. */
	assert_int_equal(r->registered, 25351105);
	assert_int_equal(r->capital, 100000000);
	assert_int_equal(r->paid_up, -1);
	assert_string_equal(r->objective, "รับเหมาก่อสร้าง");
	assert_string_equal(r->address, "45 ขอนแก่น");
	assert_int_equal(r->n_directors, 0);
	juristic_result_free(&r);

	/* The same as an object, with a BOM and a number as the code. */
	snprintf(body, sizeof body, "\xEF\xBB\xBF{\"status\":{\"code\":1000},\"data\":%s}", OPEN_PERSON);
	r = parse_ok(JURISTIC_OPEN, "text/html", body);
	assert_string_equal(r->name_th, "ห้างหุ้นส่วนจำกัด ขอนแก่นสมมุติ");
	juristic_result_free(&r);
}

static void none_is_not_found(void **state)
{
	tb_err e;

	(void)state;
	e = parse_fail(JURISTIC_GDX, 200, NULL, "{\"status\":{\"code\":\"1000\"},\"data\":{}}");
	assert_int_equal(e.id, TB_E_DBD_NOT_FOUND);
	e = parse_fail(JURISTIC_OPEN, 200, NULL, "{\"status\":{\"code\":\"1000\"},\"data\":[]}");
	assert_int_equal(e.id, TB_E_DBD_NOT_FOUND);
	e = parse_fail(JURISTIC_OPEN, 200, NULL, "{\"status\":{\"code\":\"1000\"},\"data\":null}");
	assert_int_equal(e.id, TB_E_DBD_NOT_FOUND);
	/* Data without a company in it is a broken answer, not "none". */
	e = parse_fail(JURISTIC_GDX, 200, NULL, "{\"status\":{\"code\":\"1000\"},\"data\":{\"x\":1}}");
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	e = parse_fail(JURISTIC_GDX, 200, NULL, "{\"hello\":1}");
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
}

static void status_codes(void **state)
{
	tb_err e;

	(void)state;
	e = parse_fail(JURISTIC_OPEN, 200, "text/html", "{\"status\":{\"code\":\"1004\"},\"data\":[]}");
	assert_int_equal(e.id, TB_E_DBD_NOT_FOUND);
	assert_int_equal(e.detail, 1004);
	e = parse_fail(JURISTIC_OPEN, 200, "text/html", "{\"status\":{\"code\":\"1051\"},\"data\":[]}");
	assert_int_equal(e.id, TB_E_DBD_BAD_ID);
	assert_int_equal(e.detail, 1051);
	e = parse_fail(JURISTIC_OPEN, 200, "text/html", "{\"status\":{\"code\":\"8888\"},\"data\":[]}");
	assert_int_equal(e.id, TB_E_DBD_QUOTA);
	assert_int_equal(e.detail, 8888);
	assert_true(juristic_err_transient(&e));
	e = parse_fail(JURISTIC_GDX, 200, NULL, "{\"status\":{\"code\":\"7777\"},\"data\":{}}");
	assert_int_equal(e.id, TB_E_DBD_OTHER);
	assert_int_equal(e.detail, 7777);
	assert_false(juristic_err_transient(&e));
	/* A code beats the HTTP status: it says more. */
	e = parse_fail(JURISTIC_OPEN, 500, NULL, "{\"status\":{\"code\":\"8888\"}}");
	assert_int_equal(e.id, TB_E_DBD_QUOTA);
	/* GDX's own refusal, in the Linkage catalogue. */
	e = parse_fail(JURISTIC_GDX, 200, NULL, "{\"Code\":\"90008\",\"Message\":\"quota\"}");
	assert_int_equal(e.id, TB_E_LK_QUOTA);
	assert_int_equal(e.detail, 90008);
	/* Every entry has both languages and a hint. */
	for (enum tb_err_id id = TB_E_DBD_ID_INVALID; id <= TB_E_DBD_OTHER; id++) {
		assert_true(strlen(err_message(id, TB_LANG_EN)) > 0);
		assert_true(strlen(err_message(id, TB_LANG_TH)) > 0);
		assert_true(strlen(err_hint(id, TB_LANG_EN)) > 0);
		assert_true(strlen(err_hint(id, TB_LANG_TH)) > 0);
	}
}

static void html_and_http_statuses(void **state)
{
	tb_err e;

	(void)state;
	/* The firewall's page. */
	e = parse_fail(JURISTIC_OPEN, 403, "text/html",
		       "<!DOCTYPE html><html><body>The requested URL was rejected.</body></html>");
	assert_int_equal(e.id, TB_E_DBD_BLOCKED);
	assert_int_equal(e.detail, 403);
	assert_true(juristic_err_transient(&e));
	/* A page with 200: not JSON, whatever it claims. */
	e = parse_fail(JURISTIC_OPEN, 200, "text/html", "  <html>maintenance</html>");
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	e = parse_fail(JURISTIC_OPEN, 200, "text/html; charset=utf-8", "Service unavailable");
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	/* Statuses without a body we know. */
	e = parse_fail(JURISTIC_OPEN, 503, "text/html", "");
	assert_int_equal(e.id, TB_E_DBD_UNREACHABLE);
	e = parse_fail(JURISTIC_OPEN, 429, NULL, "{}");
	assert_int_equal(e.id, TB_E_DBD_BLOCKED);
	e = parse_fail(JURISTIC_OPEN, 404, NULL, "{}");
	assert_int_equal(e.id, TB_E_DBD_OTHER);
	assert_int_equal(e.detail, 404);
	e = parse_fail(JURISTIC_GDX, 502, NULL, "{\"Message\":\"bad gateway\"}");
	assert_int_equal(e.id, TB_E_NET_SERVER);
	e = parse_fail(JURISTIC_GDX, 401, NULL, "{\"Message\":\"no right\"}");
	assert_int_equal(e.id, TB_E_NET_DENIED);
	e = parse_fail(JURISTIC_GDX, 200, NULL, "{\"status\":{\"code\":\"1000\"},\"data\":{\"cd:Org");
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	e = parse_fail(JURISTIC_GDX, 200, NULL, NULL);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
}

static void field_names_from_the_config(void **state)
{
	struct juristic_fieldmap m;
	struct juristic_result *r = NULL;
	tb_err e = { 0 };
	const char *body = "{\"status\":{\"code\":\"1000\"},\"data\":{\"cd:OrganizationJuristicPerson\":{"
		"\"cd:OrganizationJuristicID\":\"0105536012346\",\"Board\":["
		"{\"No\":1,\"Name\":\"สมชาย\"}]}}}";

	(void)state;
	juristic_fieldmap_defaults(&m);
	assert_string_equal(m.directors, "cd:OrganizationJuristicPersonList");
	strcpy(m.directors, "Board");
	strcpy(m.d_seq, "No");
	strcpy(m.d_first, "Name");
	assert_int_equal(juristic_parse(JURISTIC_GDX, 200, NULL, body, strlen(body), &m, &r, &e), 0);
	assert_int_equal(r->n_directors, 1);
	assert_string_equal(r->directors[0].first, "สมชาย");
	assert_int_equal(r->directors[0].seq, 1);
	juristic_result_free(&r);
}

/* --- the ID, money, status, age ---------------------------------------------------------- */

static void checksum(void **state)
{
	(void)state;
	assert_true(juristic_id_valid("0105536012346"));
	assert_true(juristic_id_valid("0405535001232"));
	assert_false(juristic_id_valid("0105536012345"));
	assert_false(juristic_id_valid("010553601234"));
	assert_false(juristic_id_valid("01055360123466"));
	assert_false(juristic_id_valid("01055360123a6"));
	assert_false(juristic_id_valid(""));
	assert_false(juristic_id_valid(NULL));
}

static void capital(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(juristic_money_parse("1000000"), 100000000);
	assert_int_equal(juristic_money_parse("1,000,000.00"), 100000000);
	assert_int_equal(juristic_money_parse("12345.5"), 1234550);
	assert_int_equal(juristic_money_parse("0.25"), 25);
	assert_int_equal(juristic_money_parse(".5"), 50);
	assert_int_equal(juristic_money_parse("10.129"), 1012);
	assert_int_equal(juristic_money_parse(""), -1);
	assert_int_equal(juristic_money_parse("abc"), -1);
	assert_int_equal(juristic_money_parse("-5"), -1);
	assert_int_equal(juristic_money_parse("99999999999999999999999"), -1);
	juristic_money_format(100000000, TB_LANG_TH, out, sizeof out);
	assert_string_equal(out, "1,000,000.00 บาท");
	juristic_money_format(125000000050, TB_LANG_TH, out, sizeof out);
	assert_string_equal(out, "1,250,000,000.50 บาท");
	juristic_money_format(99999, TB_LANG_EN, out, sizeof out);
	assert_string_equal(out, "999.99 baht");
	juristic_money_format(5, TB_LANG_TH, out, sizeof out);
	assert_string_equal(out, "0.05 บาท");
	juristic_money_format(100000, TB_LANG_TH, out, sizeof out);
	assert_string_equal(out, "1,000.00 บาท");
	juristic_money_format(-1, TB_LANG_TH, out, sizeof out);
	assert_string_equal(out, "-");
}

static void status_texts(void **state)
{
	(void)state;
	assert_int_equal(juristic_status_parse("ยังดำเนินกิจการอยู่"), JURISTIC_ACTIVE);
	assert_int_equal(juristic_status_parse("เลิก"), JURISTIC_DISSOLVED);
	assert_int_equal(juristic_status_parse("เลิกกิจการ"), JURISTIC_DISSOLVED);
	assert_int_equal(juristic_status_parse("เสร็จชำระบัญชี"), JURISTIC_LIQUIDATED);
	assert_int_equal(juristic_status_parse("เสร็จการชำระบัญชี"), JURISTIC_LIQUIDATED);
	assert_int_equal(juristic_status_parse("ร้าง"), JURISTIC_ABANDONED);
	assert_int_equal(juristic_status_parse("ฟื้นฟู"), JURISTIC_STATUS_UNKNOWN);
	assert_int_equal(juristic_status_parse(""), JURISTIC_STATUS_UNKNOWN);
	assert_string_equal(juristic_status_name(JURISTIC_ABANDONED, TB_LANG_EN), "abandoned");
	assert_string_equal(juristic_status_name(JURISTIC_DISSOLVED, TB_LANG_TH), "เลิก");
	assert_null(juristic_status_name(JURISTIC_STATUS_UNKNOWN, TB_LANG_EN));
}

static void age_line(void **state)
{
	char out[160];
	time_t t = time(NULL);
	struct tm tm;
	int64_t at;

	(void)state;
	setenv("TZ", "Asia/Bangkok", 1);
	tzset();
	localtime_r(&t, &tm);
	/* Today at 10:42, seen at 13:50: the time only. */
	tm.tm_hour = 10;
	tm.tm_min = 42;
	tm.tm_sec = 0;
	at = (int64_t)mktime(&tm);
	juristic_age_format(at, at + 3 * 3600 + 8 * 60, TB_LANG_EN, out, sizeof out);
	assert_string_equal(out, "as of 10:42, 3 hours ago");
	juristic_age_format(at, at + 3 * 3600 + 8 * 60, TB_LANG_TH, out, sizeof out);
	assert_string_equal(out, "ข้อมูล ณ 10:42 น. (3 ชั่วโมงที่แล้ว)");
	juristic_age_format(at, at + 30, TB_LANG_EN, out, sizeof out);
	assert_string_equal(out, "as of 10:42, just now");
	juristic_age_format(at, at + 60, TB_LANG_EN, out, sizeof out);
	assert_string_equal(out, "as of 10:42, 1 minute ago");
	juristic_age_format(at, at + 25 * 60, TB_LANG_TH, out, sizeof out);
	assert_string_equal(out, "ข้อมูล ณ 10:42 น. (25 นาทีที่แล้ว)");
	/* Another day: the Buddhist-era date too. */
	juristic_age_format(at - 2 * 86400, at, TB_LANG_EN, out, sizeof out);
	assert_non_null(strstr(out, " BE 10:42, 2 days ago"));
	juristic_age_format(at - 2 * 86400, at, TB_LANG_TH, out, sizeof out);
	assert_non_null(strstr(out, "(2 วันที่แล้ว)"));
	/* A time the C library cannot break down (a damaged cache row): empty,
	 * never a struct left unset. */
	strcpy(out, "old");
	juristic_age_format(INT64_MAX, INT64_MAX, TB_LANG_EN, out, sizeof out);
	assert_string_equal(out, "");
}

/* --- a lookup: cache, fallback, audit (no server: port 1 refuses) ------------------------ */

static int64_t clock_now = 1700000000;
static int64_t fake_clock(void *arg)
{
	(void)arg;
	return clock_now;
}

static int count_audit(const struct audit_row *r, void *arg)
{
	int *n = arg;

	if (strcmp(r->action, AUDIT_JURISTIC_QUERY) == 0)
		(*n)++;
	return 0;
}

static void lookup_cache_and_fallback(void **state)
{
	char dir[] = "/tmp/tabien-jr-XXXXXX", path[256];
	struct juristic_config jc;
	struct config c;
	struct juristic *j;
	struct juristic_result *r = NULL;
	struct db *d;
	tb_err e = { 0 };
	int n = 0;
	struct juristic_request rq = { .id = ID_A, .username = "officer1", .purpose = "test" };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	d = db_open(path, DB_OPEN_CREATE, &e);
	assert_non_null(d);
	db_set_clock(d, fake_clock, NULL);
	memset(&c, 0, sizeof c);
	c.n = 2;
	strcpy(c.e[0].key, "dbd.open_url");
	strcpy(c.e[0].value, "http://127.0.0.1:1");
	strcpy(c.e[1].key, "http.connect_timeout_ms");
	strcpy(c.e[1].value, "500");
	assert_int_equal(juristic_config_from(&jc, &c, 0, &e), 0);
	assert_int_equal(jc.source, JURISTIC_OPEN);
	assert_int_equal(jc.cache_ttl_s, 86400);
	j = juristic_new(&jc, NULL, &e);
	assert_non_null(j);

	/* A bad check digit: nothing sent, nothing audited. */
	rq.id = "0105536012345";
	assert_int_equal(juristic_lookup(j, d, &rq, &r, &e), -1);
	assert_int_equal(e.id, TB_E_DBD_ID_INVALID);
	assert_int_equal(juristic_stats(j)->requests, 0);
	rq.id = ID_A;

	/* No server and no copy: the outage, audited. */
	assert_int_equal(juristic_lookup(j, d, &rq, &r, &e), -1);
	assert_int_equal(e.id, TB_E_DBD_UNREACHABLE);
	assert_int_equal(juristic_stats(j)->requests, 1);

	/* A fresh copy: used without a request. */
	assert_int_equal(juristic_db_put(d, ID_A, "open", clock_now - 100, GDX_A, strlen(GDX_A), &e), 0);
	assert_int_equal(juristic_lookup(j, d, &rq, &r, &e), 0);
	assert_true(r->from_cache);
	assert_false(r->stale);
	assert_int_equal(r->fetched_at, clock_now - 100);
	assert_int_equal(juristic_stats(j)->requests, 1);
	juristic_result_free(&r);

	/* Past the TTL: asked again; DBD is down, so the old copy, stale. */
	clock_now += 86400;
	assert_int_equal(juristic_lookup(j, d, &rq, &r, &e), 0);
	assert_true(r->stale);
	assert_int_equal(r->stale_reason.id, TB_E_DBD_UNREACHABLE);
	assert_int_equal(juristic_stats(j)->requests, 2);
	juristic_result_free(&r);

	/* --refresh asks even when the copy is fresh. */
	assert_int_equal(juristic_db_put(d, ID_A, "open", clock_now, GDX_A, strlen(GDX_A), &e), 0);
	rq.refresh = 1;
	assert_int_equal(juristic_lookup(j, d, &rq, &r, &e), 0);
	assert_true(r->stale);
	assert_int_equal(juristic_stats(j)->requests, 3);
	juristic_result_free(&r);

	/* One audit row per lookup, none for the refused ID. */
	assert_int_equal(audit_query(d, &(struct audit_filter){ .subject = ID_A }, count_audit, &n, &e), 0);
	assert_int_equal(n, 4);
	juristic_free(&j);
	db_close(&d);
	unlink(path);
	{
		char side[300];
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
	}
	rmdir(dir);
}

static void config_rules(void **state)
{
	struct juristic_config jc;
	struct config c;
	tb_err e = { 0 };

	(void)state;
	memset(&c, 0, sizeof c);
	assert_int_equal(juristic_config_from(&jc, &c, 1, &e), 0);
	assert_int_equal(jc.source, JURISTIC_GDX);
	assert_string_equal(jc.open_url, "https://openapi.dbd.go.th");
	c.n = 1;
	strcpy(c.e[0].key, "dbd.source");
	strcpy(c.e[0].value, "gdx");
	assert_int_equal(juristic_config_from(&jc, &c, 0, &e), -1);
	assert_int_equal(e.id, TB_E_GDX_NOT_SET_UP);
	strcpy(c.e[0].value, "ftp");
	assert_int_equal(juristic_config_from(&jc, &c, 1, &e), -1);
	assert_int_equal(e.id, TB_E_CONFIG);
	strcpy(c.e[0].key, "dbd.cache_ttl_s");
	strcpy(c.e[0].value, "1");
	assert_int_equal(juristic_config_from(&jc, &c, 0, &e), 0);
	assert_int_equal(jc.cache_ttl_s, 1);
	strcpy(c.e[0].key, "dbd.open_path");
	strcpy(c.e[0].value, "/api?x=");
	assert_int_equal(juristic_config_from(&jc, &c, 0, &e), -1);
	assert_int_equal(e.id, TB_E_CONFIG);
	strcpy(c.e[0].key, "dbd.shareholders_path");
	strcpy(c.e[0].value, "/ws/x?id=");
	assert_int_equal(juristic_config_from(&jc, &c, 1, &e), -1);
	assert_int_equal(e.id, TB_E_CONFIG);
	strcpy(c.e[0].value, "/ws/dbd/juristic/v1/shareholder");
	assert_int_equal(juristic_config_from(&jc, &c, 1, &e), 0);
	assert_string_equal(jc.shareholders_path, "/ws/dbd/juristic/v1/shareholder");
	assert_string_equal(jc.financials_path, "");
	assert_int_equal(jc.cache_keep_days, 30);
	strcpy(c.e[0].key, "dbd.cache_keep_days");
	strcpy(c.e[0].value, "-1");
	assert_int_equal(juristic_config_from(&jc, &c, 1, &e), -1);
	assert_int_equal(e.id, TB_E_CONFIG);
	strcpy(c.e[0].key, "dbd.field.director.first");
	strcpy(c.e[0].value, "td:FirstNameTH");
	assert_int_equal(juristic_config_from(&jc, &c, 0, &e), 0);
	assert_string_equal(jc.map.d_first, "td:FirstNameTH");
}

/* --- shareholders and financial statements ------------------------------------------------ */

#define SH_LIST "\"cd:OrganizationJuristicShareholderList\""

static struct juristic_result *blank(void)
{
	struct juristic_result *r = calloc(1, sizeof *r);

	assert_non_null(r);
	return r;
}

static void shareholders_shapes(void **state)
{
	struct juristic_result *r = blank();
	tb_err e = { 0 };
	const char *obj = "{\"status\":{\"code\":\"1000\"},\"data\":{" SH_LIST ":["
		"{\"cd:Sequence\":\"2\",\"cd:TitleName\":\"นาง\",\"cd:FirstName\":\"สมศรี\","
		"\"cd:LastName\":\"ใจดี\",\"cd:ShareCount\":\"15,000\",\"cd:ShareAmount\":\"1500000.00\"},"
		"{\"cd:FirstName\":\"ไม่มีลำดับ\",\"cd:ShareCount\":null},"
		"{\"cd:TitleName\":\"นาย\"},"
		"null,"
		"{\"cd:Sequence\":1,\"cd:TitleName\":\"นาย\",\"cd:FirstName\":\"สมชาย\","
		"\"cd:LastName\":\"ใจดี\",\"cd:Nationality\":{\"cr:NationalityTextTH\":\"ไทย\"},"
		"\"cd:ShareCount\":25000,\"cd:ShareAmount\":2500000}]}}";

	(void)state;
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 200, "application/json", obj,
						     strlen(obj), NULL, r, &e), 0);
	assert_int_equal(r->shareholders_part, JURISTIC_PART_OK);
	/* In order by number, the unnumbered last, nobody (a title alone) left out. */
	assert_int_equal(r->n_shareholders, 3);
	assert_string_equal(r->shareholders[0].first, "สมชาย");
	assert_string_equal(r->shareholders[0].nationality, "ไทย");
	assert_int_equal(r->shareholders[0].shares, 25000);
	assert_int_equal(r->shareholders[0].amount, 250000000);
	assert_string_equal(r->shareholders[1].first, "สมศรี");
	assert_int_equal(r->shareholders[1].shares, 15000);
	assert_string_equal(r->shareholders[2].first, "ไม่มีลำดับ");
	assert_int_equal(r->shareholders[2].shares, -1);
	assert_int_equal(r->shareholders[2].amount, -1);
	juristic_result_free(&r);

	/* The list wrapped in an array, or data itself the list. */
	r = blank();
	obj = "{\"status\":{\"code\":\"1000\"},\"data\":[{" SH_LIST ":[{\"cd:FirstName\":\"ก\"}]}]}";
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 200, NULL, obj, strlen(obj), NULL, r, &e), 0);
	assert_int_equal(r->n_shareholders, 1);
	obj = "{\"data\":[{\"cd:FirstName\":\"ข\"},{\"cd:FirstName\":\"ค\"}]}";
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 200, NULL, obj, strlen(obj), NULL, r, &e), 0);
	assert_int_equal(r->n_shareholders, 2);
	assert_string_equal(r->shareholders[1].first, "ค");
	/* None: {} [] null, 1004; an empty list is an answer, not an error. */
	obj = "{\"status\":{\"code\":\"1000\"},\"data\":{}}";
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 200, NULL, obj, strlen(obj), NULL, r, &e), 0);
	assert_int_equal(r->n_shareholders, 0);
	obj = "{\"status\":{\"code\":\"1004\"},\"data\":[]}";
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 200, NULL, obj, strlen(obj), NULL, r, &e), 0);
	obj = "{\"data\":null}";
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 200, NULL, obj, strlen(obj), NULL, r, &e), 0);
	assert_int_equal(r->shareholders_part, JURISTIC_PART_OK);
	juristic_result_free(&r);

	/* Odd bodies: refused with the reason; the part stays as it was. */
	r = blank();
	obj = "{\"status\":{\"code\":\"1000\"},\"data\":{\"cd:Something\":[1,2]}}";
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 200, NULL, obj, strlen(obj), NULL, r, &e), -1);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	assert_int_equal(r->shareholders_part, JURISTIC_PART_NONE);
	obj = "{\"data\":{" SH_LIST ":\"none\"}}";
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 200, NULL, obj, strlen(obj), NULL, r, &e), -1);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	obj = "<html><body>Request Rejected</body></html>";
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 403, "text/html", obj, strlen(obj), NULL, r, &e), -1);
	assert_int_equal(e.id, TB_E_DBD_BLOCKED);
	obj = "{\"Code\":\"90008\",\"Message\":\"quota\"}";
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 200, NULL, obj, strlen(obj), NULL, r, &e), -1);
	assert_int_equal(e.id, TB_E_LK_QUOTA);
	obj = "{\"status\":{\"code\":\"8888\"}}";
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 200, NULL, obj, strlen(obj), NULL, r, &e), -1);
	assert_int_equal(e.id, TB_E_DBD_QUOTA);
	obj = "{\"data\":{" SH_LIST ":[{\"cd:FirstName\":\"ส";
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 200, NULL, obj, strlen(obj), NULL, r, &e), -1);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 502, NULL, "", 0, NULL, r, &e), -1);
	assert_int_equal(e.id, TB_E_NET_SERVER);
	assert_int_equal(juristic_parse_shareholders(JURISTIC_GDX, 200, NULL, NULL, 0, NULL, r, &e), -1);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	assert_int_equal(r->shareholders_part, JURISTIC_PART_NONE);
	juristic_result_free(&r);
}

static void financials_shapes(void **state)
{
	struct juristic_result *r = blank();
	struct juristic_fieldmap m;
	tb_err e = { 0 };
	const char *obj = "{\"status\":{\"code\":\"1000\"},\"data\":{\"cd:FinancialStatementList\":["
		"{\"cd:FiscalYear\":\"2564\",\"cd:TotalRevenue\":\"18,250,000.00\",\"cd:NetProfit\":\"-350,000.00\"},"
		"{\"cd:FiscalYear\":2022,\"cd:TotalRevenue\":21500000,\"cd:NetProfit\":-1.5},"
		"{\"cd:FiscalYear\":\"2566-12-31\",\"cd:NetProfit\":\"(1,000.00)\",\"cd:TotalAssets\":\"n/a\"},"
		"{\"cd:FiscalYear\":\"2564\"},"
		"{\"cd:FiscalYear\":\"next year\"},"
		"{\"cd:TotalRevenue\":\"1\"}]}}";

	(void)state;
	assert_int_equal(juristic_parse_financials(JURISTIC_GDX, 200, NULL, obj, strlen(obj), NULL, r, &e), 0);
	assert_int_equal(r->financials_part, JURISTIC_PART_OK);
	/* Newest first, the Christian-era year in B.E., a year twice once, no year skipped. */
	assert_int_equal(r->n_financials, 3);
	assert_int_equal(r->financials[0].year, 2566);
	assert_int_equal(r->financials[0].profit, -100000);
	assert_true(r->financials[0].revenue == INT64_MIN);
	assert_true(r->financials[0].assets == INT64_MIN);
	assert_int_equal(r->financials[1].year, 2565);
	assert_int_equal(r->financials[1].revenue, 2150000000);
	assert_int_equal(r->financials[1].profit, -150);
	assert_int_equal(r->financials[2].year, 2564);
	assert_int_equal(r->financials[2].profit, -35000000);
	juristic_result_free(&r);

	/* A bare list of years; the list's name from the configuration. */
	r = blank();
	juristic_fieldmap_defaults(&m);
	strcpy(m.financials, "years");
	obj = "{\"data\":{\"years\":[\"2565\",2566,\"\",null,{}]}}";
	assert_int_equal(juristic_parse_financials(JURISTIC_GDX, 200, NULL, obj, strlen(obj), &m, r, &e), 0);
	assert_int_equal(r->n_financials, 2);
	assert_int_equal(r->financials[0].year, 2566);
	assert_true(r->financials[0].revenue == INT64_MIN);
	obj = "{\"data\":{\"cd:FinancialStatementList\":[\"2565\"]}}";
	assert_int_equal(juristic_parse_financials(JURISTIC_GDX, 200, NULL, obj, strlen(obj), &m, r, &e), -1);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	juristic_result_free(&r);
}

static void numbers_grouped(void **state)
{
	char out[48];

	(void)state;
	juristic_number_format(0, out, sizeof out);
	assert_string_equal(out, "0");
	juristic_number_format(999, out, sizeof out);
	assert_string_equal(out, "999");
	juristic_number_format(1000, out, sizeof out);
	assert_string_equal(out, "1,000");
	juristic_number_format(600000000, out, sizeof out);
	assert_string_equal(out, "600,000,000");
	juristic_number_format(-1, out, sizeof out);
	assert_string_equal(out, "-");
}

/* A lookup that never gets an answer does not hold the caller: it runs
 * from the caller's loop and ends when cancelled, audited as such; a fresh
 * copy ends it at once; old copies are purged. */
static void lookup_without_blocking(void **state)
{
	char dir[] = "/tmp/tabien-jr-XXXXXX", path[256], url[64];
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof sa;
	struct juristic_config jc;
	struct config c;
	struct juristic *j;
	struct juristic_op *op;
	struct juristic_result *r = NULL;
	struct db *d;
	tb_err e = { 0 };
	int lsn, steps = 0;
	struct juristic_request rq = { .id = ID_A, .username = "officer1", .purpose = "test" };

	(void)state;
	/* Listens and never answers: the request is sent and waits. */
	lsn = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(lsn >= 0);
	assert_int_equal(bind(lsn, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(lsn, 4), 0);
	assert_int_equal(getsockname(lsn, (struct sockaddr *)&sa, &sl), 0);
	snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)ntohs(sa.sin_port));

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	d = db_open(path, DB_OPEN_CREATE, &e);
	assert_non_null(d);
	db_set_clock(d, fake_clock, NULL);
	memset(&c, 0, sizeof c);
	c.n = 2;
	strcpy(c.e[0].key, "dbd.open_url");
	strcpy(c.e[0].value, url);
	strcpy(c.e[1].key, "dbd.cache_keep_days");
	strcpy(c.e[1].value, "10");
	assert_int_equal(juristic_config_from(&jc, &c, 0, &e), 0);
	assert_int_equal(jc.cache_keep_days, 10);
	j = juristic_new(&jc, NULL, &e);
	assert_non_null(j);

	/* A copy eleven days old goes at the first lookup. */
	assert_int_equal(juristic_db_put(d, "0105547123454", "open", clock_now - 11 * 86400, GDX_A,
					 strlen(GDX_A), &e), 0);
	assert_null(juristic_start(j, d, &(struct juristic_request){ .id = "0105536012345" }, &e));
	assert_int_equal(e.id, TB_E_DBD_ID_INVALID);
	op = juristic_start(j, d, &rq, &e);
	assert_non_null(op);
	assert_string_equal(juristic_op_id(op), ID_A);
	{
		char *b = NULL;
		size_t len;
		int64_t at;
		assert_int_equal(juristic_db_get(d, "0105547123454", NULL, &b, &len, &at, NULL, 0, &e), 0);
	}
	/* Sent, waiting: each step returns at once. */
	for (int i = 0; i < 5; i++) {
		struct pollfd p[8];
		int n = 0, t = -1;

		assert_int_equal(juristic_fds(j, p, 8, &n, &t, &e), 0);
		poll(p, (nfds_t)n, t < 0 || t > 50 ? 50 : t);
		assert_int_equal(juristic_step(op), 0);
		steps++;
	}
	assert_int_equal(juristic_stats(j)->requests, 1);
	juristic_cancel(op);
	while (!juristic_step(op) && steps++ < 100)
		;
	assert_int_equal(juristic_finish(&op, d, &r, &e), -1);
	assert_null(op);
	assert_null(r);
	assert_int_equal(e.id, TB_E_NET_CANCELLED);

	/* A fresh copy: the lookup has ended when it starts. */
	assert_int_equal(juristic_db_put(d, ID_A, "open", clock_now - 5, GDX_A, strlen(GDX_A), &e), 0);
	op = juristic_start(j, d, &rq, &e);
	assert_non_null(op);
	assert_int_equal(juristic_step(op), 1);
	assert_int_equal(juristic_finish(&op, d, &r, &e), 0);
	assert_true(r->from_cache);
	assert_int_equal(juristic_stats(j)->requests, 1);
	juristic_result_free(&r);

	/* Both lookups audited, the cancelled one as such. */
	{
		int n = 0;
		assert_int_equal(audit_query(d, &(struct audit_filter){ .subject = ID_A }, count_audit, &n, &e), 0);
		assert_int_equal(n, 2);
	}
	/* Purged by hand: every copy for 0 days. */
	assert_int_equal(juristic_cache_purge(&jc, d, 0, &e), 1);
	juristic_free(&j);
	close(lsn);
	db_close(&d);
	unlink(path);
	{
		char side[300];
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gdx_profile),
		cmocka_unit_test(open_api_data_array_and_object),
		cmocka_unit_test(none_is_not_found),
		cmocka_unit_test(status_codes),
		cmocka_unit_test(html_and_http_statuses),
		cmocka_unit_test(field_names_from_the_config),
		cmocka_unit_test(checksum),
		cmocka_unit_test(capital),
		cmocka_unit_test(status_texts),
		cmocka_unit_test(age_line),
		cmocka_unit_test(lookup_cache_and_fallback),
		cmocka_unit_test(config_rules),
		cmocka_unit_test(shareholders_shapes),
		cmocka_unit_test(financials_shapes),
		cmocka_unit_test(numbers_grouped),
		cmocka_unit_test(lookup_without_blocking),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
