/* The Linkage Center's answers as the gateway sends them, odd ones first:
 * IDs as numbers or strings, 0 and null for empty, missing fields, wrong
 * types, Thai text, control characters, every error code; and the
 * configuration's rules for the secret's file and for plain http://.  No
 * network here. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "services/base/configfile.h"
#include "services/gateway/http.h"
#include "services/juristic/juristic.h"
#include "services/registry/linkage.h"
#include "services/registry/lk2.h"

static struct linkage_result *parse_ok(int service, const char *body)
{
	struct linkage_result *r = NULL;
	tb_err e = { 0 };

	assert_int_equal(linkage_parse(service, 200, body, strlen(body), NULL, &r, &e), 0);
	assert_non_null(r);
	assert_int_equal(r->service, service);
	return r;
}

static tb_err parse_fail(int service, long status, const char *body)
{
	struct linkage_result *r = NULL;
	tb_err e = { 0 };

	assert_int_equal(linkage_parse(service, status, body, body ? strlen(body) : 0, NULL, &r, &e), -1);
	assert_null(r);
	return e;
}

/* --- 001 ------------------------------------------------------------------------------- */

static void person_ids_as_numbers(void **state)
{
	struct linkage_result *r = parse_ok(LINKAGE_PERSON,
		"{\"titleDesc\":\"นาย\",\"firstName\":\"สมชาย\",\"lastName\":\"ใจดี\","
		"\"englishFirstName\":\"Somchai\",\"genderCode\":1,\"dateOfBirth\":25280315,"
		"\"age\":40,\"fatherPersonalID\":3400100123407,\"motherPersonalID\":0,"
		"\"motherName\":null,\"dateOfMoveIn\":\"25560201\",\"nationalityCode\":99,"
		"\"statusOfPersonCode\":0}");

	assert_string_equal(r->person.first, "สมชาย");
	assert_string_equal(r->person.title, "นาย");
	assert_string_equal(r->person.en_first, "Somchai");
	assert_int_equal(r->person.gender_code, 1);
	assert_int_equal(r->person.birth, 25280315);
	assert_int_equal(r->person.move_in, 25560201);
	assert_int_equal(r->person.age, 40);
	assert_string_equal(r->person.father_cid, "3400100123407");
	assert_string_equal(r->person.mother_cid, "");
	assert_string_equal(r->person.mother_name, "");
	assert_string_equal(r->person.nationality_code, "99");
	assert_string_equal(r->person.status_code, "");   /* 0 = empty */
	linkage_result_free(&r);
	assert_null(r);
}

static void person_ids_as_strings_and_odd_values(void **state)
{
	struct linkage_result *r = parse_ok(LINKAGE_PERSON,
		"\xEF\xBB\xBF{\"firstName\":\"มาลี  \",\"lastName\":\"ชื่นชูสุวรรณ์\","
		"\"fatherPersonalID\":\"3-4001-00123-40-7\",\"motherPersonalID\":\"12345\","
		"\"genderCode\":\"2\",\"dateOfBirth\":0,\"age\":\"abc\",\"titleDesc\":{\"x\":1},"
		"\"middleName\":[1,2],\"englishLastName\":true,\"genderDesc\":\"\\u001b[2Jหญิง\","
		"\"dateOfMoveIn\":\"2560\"}");

	assert_string_equal(r->person.first, "มาลี");           /* trailing pad dropped */
	assert_string_equal(r->person.last, "ชื่นชูสุวรรณ์");     /* stacked marks intact */
	assert_string_equal(r->person.father_cid, "3400100123407");
	assert_string_equal(r->person.mother_cid, "");           /* not 13 digits */
	assert_int_equal(r->person.gender_code, 2);
	assert_int_equal(r->person.birth, 0);
	assert_int_equal(r->person.age, -1);
	assert_string_equal(r->person.title, "");                /* wrong types: empty */
	assert_string_equal(r->person.middle, "");
	assert_string_equal(r->person.en_last, "");
	assert_string_equal(r->person.gender, "[2Jหญิง");        /* no escape reaches a terminal */
	assert_int_equal(r->person.move_in, 0);
	linkage_result_free(&r);
}

static void person_long_thai_text_is_cut_at_a_letter(void **state)
{
	char body[4096] = "{\"firstName\":\"";
	struct linkage_result *r;

	for (int i = 0; i < 100; i++)
		strcat(body, "ก");
	strcat(body, "\"}");
	r = parse_ok(LINKAGE_PERSON, body);
	assert_true(strlen(r->person.first) < LK_TEXT);
	assert_int_equal(strlen(r->person.first) % 3, 0);
	linkage_result_free(&r);
}

static void person_wrong_shapes(void **state)
{
	tb_err e;

	e = parse_fail(LINKAGE_PERSON, 200, "[1,2]");
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	e = parse_fail(LINKAGE_PERSON, 200, "{}");
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	e = parse_fail(LINKAGE_PERSON, 200, "<html><body>Service Unavailable</body></html>");
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	e = parse_fail(LINKAGE_PERSON, 200, "{\"firstName\":\"สมช");
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	e = parse_fail(LINKAGE_PERSON, 200, "");
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	e = parse_fail(LINKAGE_PERSON, 200, NULL);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
}

/* --- 027, 008 -------------------------------------------------------------------------- */

static void addresses_in_every_list_form(void **state)
{
	struct linkage_result *r = parse_ok(LINKAGE_ADDRESSES,
		"{\"allAddress\":[{\"houseID\":40010012345,\"houseNo\":\"99/1\",\"villageNo\":4,"
		"\"alleyDesc\":\"ซอยสุขใจ\",\"roadDesc\":null,\"provinceCode\":40,"
		"\"provinceDesc\":\"จังหวัดขอนแก่น\",\"dateOfTerminate\":0},null,"
		"{\"houseID\":\"4001-009988-7\",\"houseNo\":12,\"dateOfTerminate\":25550610}],\"total\":2}");

	assert_int_equal(r->n_addresses, 2);
	assert_string_equal(r->addresses[0].house_id, "40010012345");
	assert_string_equal(r->addresses[0].village_no, "4");
	assert_string_equal(r->addresses[0].road, "");
	assert_string_equal(r->addresses[0].province_code, "40");
	assert_int_equal(r->addresses[0].terminated, 0);
	assert_string_equal(r->addresses[1].house_id, "40010099887");
	assert_string_equal(r->addresses[1].house_no, "12");
	assert_int_equal(r->addresses[1].terminated, 25550610);
	linkage_result_free(&r);

	r = parse_ok(LINKAGE_ADDRESSES, "[{\"houseID\":\"10450067890\"}]");
	assert_int_equal(r->n_addresses, 1);
	linkage_result_free(&r);
	r = parse_ok(LINKAGE_ADDRESSES, "{\"houseID\":\"123\",\"houseNo\":\"5\"}");
	assert_int_equal(r->n_addresses, 1);
	assert_string_equal(r->addresses[0].house_id, "");     /* not 11 digits */
	linkage_result_free(&r);
	r = parse_ok(LINKAGE_ADDRESSES, "{\"someOtherName\":[]}");
	assert_int_equal(r->n_addresses, 0);
	linkage_result_free(&r);
	assert_int_equal(parse_fail(LINKAGE_ADDRESSES, 200, "{\"total\":0}").id, TB_E_NET_MALFORMED);
}

static void house_details(void **state)
{
	struct linkage_result *r = parse_ok(LINKAGE_HOUSE,
		"{\"houseID\":\"50010024680\",\"houseNo\":\"56\",\"houseType\":1,"
		"\"houseTypeDesc\":\"บ้าน\",\"subdistrictDesc\":\"ตำบลสันผีเสื้อ\",\"rcodeDesc\":null}");

	assert_int_equal(r->n_addresses, 1);
	assert_string_equal(r->addresses[0].house_id, "50010024680");
	assert_string_equal(r->addresses[0].house_type_code, "1");
	assert_string_equal(r->addresses[0].subdistrict, "ตำบลสันผีเสื้อ");
	assert_string_equal(r->addresses[0].rcode, "");
	linkage_result_free(&r);
	assert_int_equal(parse_fail(LINKAGE_HOUSE, 200, "{\"houseNo\":\"56\"}").id, TB_E_NET_MALFORMED);
}

/* --- 007 -------------------------------------------------------------------------------- */

static void household_default_names(void **state)
{
	struct linkage_result *r = parse_ok(LINKAGE_HOUSEHOLD,
		"{\"houseID\":40010012345,\"members\":[{\"personalID\":1400100123451,"
		"\"titleDesc\":\"นาย\",\"firstName\":\"สมชาย\",\"lastName\":\"ใจดี\","
		"\"genderDesc\":\"ชาย\",\"dateOfBirth\":25280315,\"ownerStatusDesc\":\"เจ้าบ้าน\"},"
		"{\"personalID\":\"1400100123478\",\"firstName\":\"สมศักดิ์\",\"dateOfBirth\":null}]}");

	assert_string_equal(r->house_id, "40010012345");
	assert_int_equal(r->n_members, 2);
	assert_string_equal(r->members[0].cid, "1400100123451");
	assert_string_equal(r->members[0].relation, "เจ้าบ้าน");
	assert_int_equal(r->members[0].birth, 25280315);
	assert_string_equal(r->members[1].cid, "1400100123478");
	assert_int_equal(r->members[1].birth, 0);
	linkage_result_free(&r);
}

static void household_names_from_the_config(void **state)
{
	struct config c = { .path = "/nonexistent" };
	struct linkage_config lc;
	struct linkage_result *r = NULL;
	tb_err e = { 0 };
	const char *body = "[{\"pid\":\"1400100123451\",\"fname\":\"สมชาย\",\"relation\":\"เจ้าบ้าน\"}]";
	const char *kv[][2] = { { "gdx.url", "http://127.0.0.1:1" }, { "gdx.consumer_key", "k" },
				{ "linkage.007.cid", "pid" }, { "linkage.007.first", "fname" },
				{ "linkage.007.relation", "relation" } };

	for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
		strcpy(c.e[c.n].key, kv[i][0]);
		strcpy(c.e[c.n].value, kv[i][1]);
		c.n++;
	}
	/* No secret: the file's mode is not asked, the missing secret is. */
	assert_int_equal(linkage_config_from(&lc, &c, &e), -1);
	assert_int_equal(e.id, TB_E_GDX_NOT_SET_UP);
	assert_string_equal(e.field, "gdx.consumer_secret");
	/* The map itself, the way linkage_query uses it. */
	struct linkage_fieldmap m;
	linkage_fieldmap_defaults(&m);
	strcpy(m.cid, "pid");
	strcpy(m.first, "fname");
	strcpy(m.relation, "relation");
	assert_int_equal(linkage_parse(LINKAGE_HOUSEHOLD, 200, body, strlen(body), &m, &r, &e), 0);
	assert_int_equal(r->n_members, 1);
	assert_string_equal(r->members[0].cid, "1400100123451");
	assert_string_equal(r->members[0].first, "สมชาย");
	assert_string_equal(r->members[0].relation, "เจ้าบ้าน");
	linkage_result_free(&r);
}

/* --- 013, 017 ---------------------------------------------------------------------------- */

static void name_changes(void **state)
{
	struct linkage_result *r = parse_ok(LINKAGE_SURNAMES,
		"{\"allName\":[{\"pid\":1120100135797,\"titleDesc\":\"นาย\",\"firstName\":\"ธนา\","
		"\"lastName\":\"สมิธ\",\"newName\":\"รักไทย\",\"docID\":\"ช.8/2562\",\"docDate\":25620815,"
		"\"docPlaceDesc\":\"อำเภอเมืองนนทบุรี\",\"requestDate\":\"25620801\","
		"\"causeOfChange\":\"ขอใช้ชื่อสกุลของมารดา\"}],\"total\":\"1\"}");

	assert_int_equal(r->n_changes, 1);
	assert_int_equal(r->total, 1);
	assert_string_equal(r->changes[0].cid, "1120100135797");
	assert_string_equal(r->changes[0].new_name, "รักไทย");
	assert_int_equal(r->changes[0].doc_date, 25620815);
	assert_int_equal(r->changes[0].request_date, 25620801);
	assert_string_equal(r->changes[0].cause, "ขอใช้ชื่อสกุลของมารดา");
	linkage_result_free(&r);

	r = parse_ok(LINKAGE_FIRST_NAMES, "{\"allName\":[],\"total\":0}");
	assert_int_equal(r->n_changes, 0);
	assert_int_equal(r->total, 0);
	linkage_result_free(&r);
	r = parse_ok(LINKAGE_FIRST_NAMES, "{\"allName\":null,\"total\":0}");
	assert_int_equal(r->n_changes, 0);
	linkage_result_free(&r);
	assert_int_equal(parse_fail(LINKAGE_FIRST_NAMES, 200, "{\"x\":1}").id, TB_E_NET_MALFORMED);
}

/* --- errors --------------------------------------------------------------------------------- */

static void every_code_maps(void **state)
{
	static const struct { long code; enum tb_err_id id; } t[] = {
		{ 90001, TB_E_LK_SESSION }, { 90005, TB_E_LK_CLOSED }, { 90007, TB_E_NET_DENIED },
		{ 90008, TB_E_LK_QUOTA }, { 90009, TB_E_LK_SESSION }, { 90011, TB_E_LK_BAD_REQUEST },
		{ 90012, TB_E_LK_PROVIDER }, { 90013, TB_E_LK_CLOSED }, { 90014, TB_E_LK_CLOSED },
		{ 90015, TB_E_LK_CLOSED }, { 90016, TB_E_LK_SESSION }, { 90050, TB_E_LK_QUOTA },
		{ 90090, TB_E_LK_SESSION }, { 90500, TB_E_LK_NO_DATA },
		{ 95001, TB_E_LK_NOT_REGISTERED }, { 95002, TB_E_LK_SESSION },
		{ 95004, TB_E_LK_NO_PERMISSION }, { 95005, TB_E_LK_NO_PERMISSION },
		{ 95010, TB_E_LK_NO_SERVICE_RIGHT }, { 95011, TB_E_LK_NO_SERVICE_RIGHT },
		{ 95012, TB_E_LK_BAD_REQUEST }, { 95013, TB_E_LK_PROVIDER },
		{ 95014, TB_E_LK_NO_SERVICE_RIGHT }, { 95015, TB_E_LK_TOO_LARGE },
		{ 99701, TB_E_LK_NO_DATA }, { 99702, TB_E_LK_NO_DATA }, { 99707, TB_E_LK_NO_DATA },
		{ 99992, TB_E_LK_NO_DATA }, { 99994, TB_E_LK_NO_DATA }, { 99983, TB_E_LK_TOO_LARGE },
		{ 1001, TB_E_LK_SESSION }, { 1002, TB_E_LK_SESSION }, { 2002, TB_E_LK_SESSION },
		{ 91234, TB_E_LK_OTHER },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char body[96];
		tb_err e;

		assert_int_equal(linkage_code_error(t[i].code), t[i].id);
		/* The code as a string, and with an HTTP status that is not 200:
		 * the code wins and stays visible as the detail. */
		snprintf(body, sizeof body, "{\"Code\":\"%ld\",\"Message\":\"ข้อความ\"}", t[i].code);
		e = parse_fail(LINKAGE_PERSON, i % 2 ? 200 : 401, body);
		assert_int_equal(e.id, t[i].id);
		assert_int_equal(e.detail, t[i].code);
		snprintf(body, sizeof body, "{\"Code\":%ld}", t[i].code);
		assert_int_equal(parse_fail(LINKAGE_ADDRESSES, 200, body).id, t[i].id);
	}
}

static void hints_for_the_codes_staff_meet(void **state)
{
	assert_non_null(strstr(err_hint(TB_E_LK_NOT_REGISTERED, TB_LANG_EN), "linkagemgmt"));
	assert_non_null(strstr(err_hint(TB_E_LK_NO_PERMISSION, TB_LANG_EN), "office ID"));
	assert_non_null(strstr(err_hint(TB_E_LK_NO_SERVICE_RIGHT, TB_LANG_EN), "DOPA"));
	assert_non_null(strstr(err_hint(TB_E_LK_NO_SERVICE_RIGHT, TB_LANG_TH), "กรมการปกครอง"));
	assert_non_null(strstr(err_message(TB_E_NET_UNREACHABLE, TB_LANG_EN), "X0003"));
}

static void http_statuses_without_a_code(void **state)
{
	assert_int_equal(parse_fail(LINKAGE_PERSON, 401, "{\"Message\":\"no right\"}").id, TB_E_NET_DENIED);
	assert_int_equal(parse_fail(LINKAGE_PERSON, 403, "").id, TB_E_NET_DENIED);
	assert_int_equal(parse_fail(LINKAGE_PERSON, 404, "<html>not found</html>").id, TB_E_NET_NOT_FOUND);
	for (long st = 500; st <= 504; st++) {
		tb_err e = parse_fail(LINKAGE_PERSON, st, "{}");
		assert_int_equal(e.id, TB_E_NET_SERVER);
		assert_int_equal(e.detail, st);
	}
	assert_int_equal(parse_fail(LINKAGE_PERSON, 302, "").id, TB_E_NET_STATUS);
	assert_int_equal(http_status_check(204, NULL), 0);
}

static void token_answers(void **state)
{
	char tok[64];
	tb_err e = { 0 };
	const char *ok = "{\"Result\":\"abc123\"}", *none = "{\"Result\":\"\"}";
	const char *bad = "{\"Result\":\"a\\r\\nX-Evil: 1\"}", *code = "{\"Code\":\"90007\"}";

	assert_int_equal(linkage_parse_token(200, ok, strlen(ok), tok, sizeof tok, &e), 0);
	assert_string_equal(tok, "abc123");
	assert_int_equal(linkage_parse_token(200, none, strlen(none), tok, sizeof tok, &e), -1);
	assert_int_equal(e.id, TB_E_LK_TOKEN);
	assert_int_equal(linkage_parse_token(200, bad, strlen(bad), tok, sizeof tok, &e), -1);
	assert_int_equal(e.id, TB_E_LK_TOKEN);
	assert_int_equal(linkage_parse_token(200, code, strlen(code), tok, sizeof tok, &e), -1);
	assert_int_equal(e.id, TB_E_NET_DENIED);
	assert_int_equal(linkage_parse_token(403, "consumer not found", 18, tok, sizeof tok, &e), -1);
	assert_int_equal(e.id, TB_E_NET_DENIED);
}

static void when_to_renew_the_token(void **state)
{
	const char *a = "{\"Message\":\"token not found\"}", *b = "{\"Code\":\"95011\"}";
	const char *c = "{\"Code\":\"90001\",\"Message\":\"Token Expire\"}";

	assert_true(linkage_token_expired(401, a, strlen(a)));
	assert_true(linkage_token_expired(403, "", 0));
	assert_false(linkage_token_expired(401, b, strlen(b)));     /* a refusal is final */
	assert_true(linkage_token_expired(200, c, strlen(c)));
	assert_false(linkage_token_expired(200, "{}", 2));
	assert_false(linkage_token_expired(500, "", 0));
}

/* --- services and configuration ------------------------------------------------------------- */

static void service_codes(void **state)
{
	assert_int_equal(linkage_service_parse("001"), LINKAGE_PERSON);
	assert_int_equal(linkage_service_parse("27"), LINKAGE_ADDRESSES);
	assert_int_equal(linkage_service_parse("017"), LINKAGE_SURNAMES);
	assert_int_equal(linkage_service_parse("002"), -1);
	assert_int_equal(linkage_service_parse("1x"), -1);
	assert_int_equal(linkage_service_parse(""), -1);
	assert_string_equal(linkage_service_code(LINKAGE_HOUSEHOLD), "007");
	assert_null(linkage_service_code(2));
}

static void write_conf(const char *path, mode_t mode, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void secret_file_rules(void **state)
{
	char path[] = "/tmp/tabien-lkconf-XXXXXX";
	int fd = mkstemp(path);
	struct linkage_config lc;
	tb_err e = { 0 };
	const char *conf = "gdx.url = https://gw.example\ngdx.consumer_key = k\n"
			   "gdx.consumer_secret = s\nhttp.timeout_ms = 1500\n";

	assert_true(fd >= 0);
	close(fd);
	write_conf(path, 0644, conf);
	assert_int_equal(linkage_config_load(&lc, path, &e), -1);
	assert_int_equal(e.id, TB_E_SECRET_MODE);
	assert_int_equal(e.detail, 644);
	write_conf(path, 0640, conf);
	assert_int_equal(linkage_config_load(&lc, path, &e), -1);
	assert_int_equal(e.id, TB_E_SECRET_MODE);
	write_conf(path, 0600, conf);
	assert_int_equal(linkage_config_load(&lc, path, &e), 0);
	assert_string_equal(lc.office_id, "00023");
	assert_string_equal(lc.version, "01");
	assert_int_equal(lc.gdx.http.timeout_ms, 1500);
	assert_int_equal(lc.gdx.token_max_age_s, 1500);
	assert_string_equal(lc.map007.list, "members");
	linkage_config_wipe(&lc);
	assert_string_equal(lc.gdx.consumer_secret, "");
	/* Settings without the secret: the mode does not matter. */
	write_conf(path, 0644, "gdx.url = https://gw.example\n");
	assert_int_equal(linkage_config_load(&lc, path, &e), -1);
	assert_int_equal(e.id, TB_E_GDX_NOT_SET_UP);
	assert_string_equal(e.field, "gdx.consumer_key");
	write_conf(path, 0600, "gdx.url = ftp://x\ngdx.consumer_key = k\ngdx.consumer_secret = s\n");
	assert_int_equal(linkage_config_load(&lc, path, &e), -1);
	assert_int_equal(e.id, TB_E_GDX_NOT_SET_UP);
	write_conf(path, 0600, "http.timeout_ms = soon\n");
	assert_int_equal(linkage_config_load(&lc, path, &e), -1);
	assert_int_equal(e.id, TB_E_CONFIG);
	assert_string_equal(e.field, "http.timeout_ms");
	unlink(path);
}

static void escaping(void **state)
{
	char out[32];

	assert_int_equal(http_escape("a b&c=d/é", out, sizeof out), 0);
	assert_string_equal(out, "a%20b%26c%3Dd%2F%C3%A9");
	assert_int_equal(http_escape("abcdef", out, 4), -1);
}

/* Plain http:// carries the secret and the citizen's data in clear: only the
 * simulators on this machine may have it. */
static void plain_http_only_to_loopback(void **state)
{
	static const char *const ok[] = {
		"https://gw.example", "https://10.0.0.1:8443/x", "http://127.0.0.1:8080",
		"http://127.9.8.7/ws", "http://localhost", "http://LOCALHOST:80/", "http://[::1]:9/",
		"http://user@127.0.0.1/", "ftp://left.to.the.caller",
	};
	static const char *const refused[] = {
		"http://gateway.example", "http://gateway.example:80/ws", "http://10.0.0.1/",
		"http://128.0.0.1", "http://127.0.0.1.example/", "http://localhost.example",
		"http://127.0.0.1@gateway.example/", "http://127.0.0.1:80@gateway.example",
		"http://[::2]/", "http://[::ffff:127.0.0.1]/", "http://127.1/", "http://",
		"http:///ws", "http://0x7f000001/",
	};
	tb_err e = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		assert_int_equal(http_url_check(ok[i], "gdx.url", &e), 0);
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		err_clear(&e);
		assert_int_equal(http_url_check(refused[i], "lk2.url", &e), -1);
		assert_int_equal(e.id, TB_E_PLAIN_HTTP);
		assert_string_equal(e.field, "lk2.url");
	}
	assert_non_null(strstr(err_hint(TB_E_PLAIN_HTTP, TB_LANG_EN), "https://"));
	assert_non_null(strstr(err_hint(TB_E_PLAIN_HTTP, TB_LANG_TH), "https://"));
}

static void plain_http_refused_by_the_loaders(void **state)
{
	char path[] = "/tmp/tabien-lkconf-XXXXXX";
	int fd = mkstemp(path);
	struct linkage_config lc;
	struct lk2_config l2;
	struct juristic_config jc;
	struct config *c = calloc(1, sizeof *c);
	tb_err e = { 0 };

	(void)state;
	assert_true(fd >= 0 && c);
	close(fd);
	write_conf(path, 0600, "gdx.url = http://gateway.example\ngdx.consumer_key = k\n"
			       "gdx.consumer_secret = s\n");
	assert_int_equal(linkage_config_load(&lc, path, &e), -1);
	assert_int_equal(e.id, TB_E_PLAIN_HTTP);
	assert_string_equal(e.field, "gdx.url");
	write_conf(path, 0600, "lk2.url = http://proxy.example\nlk2.signer = /bin/true\n");
	assert_int_equal(lk2_config_load(&l2, path, &e), -1);
	assert_int_equal(e.id, TB_E_PLAIN_HTTP);
	assert_string_equal(e.field, "lk2.url");
	write_conf(path, 0600, "dbd.open_url = http://openapi.example\n");
	assert_int_equal(config_load(c, path, &e), 0);
	assert_int_equal(juristic_config_from(&jc, c, 0, &e), -1);
	assert_int_equal(e.id, TB_E_PLAIN_HTTP);
	assert_string_equal(e.field, "dbd.open_url");
	free(c);
	unlink(path);
}

/* --- the officer's presence (agent/permission) ----------------------------------------- */

static struct linkage_permission permission_ok(const char *body)
{
	struct linkage_permission p;
	tb_err e = { 0 };

	assert_int_equal(linkage_parse_permission(200, body, strlen(body), &p, &e), 0);
	return p;
}

static tb_err permission_fail(long status, const char *body)
{
	struct linkage_permission p;
	tb_err e = { 0 };

	memset(&p, 0x55, sizeof p);
	assert_int_equal(linkage_parse_permission(status, body, body ? strlen(body) : 0, &p, &e), -1);
	/* Nothing half-read is left for a caller to show. */
	assert_int_equal(p.state, LINKAGE_SESSION_UNKNOWN);
	assert_string_equal(p.state_text, "");
	assert_string_equal(p.agent_id, "");
	assert_string_equal(p.citizen_id, "");
	return e;
}

static void permission_states(void **state)
{
	struct linkage_permission p;

	p = permission_ok("{\"AgentID\":\"1400100123451\",\"CitizenID\":\"1400100123451\","
			  "\"SessionState\":\"AgentNotAvailable\"}");
	assert_int_equal(p.state, LINKAGE_AGENT_NOT_AVAILABLE);
	assert_string_equal(p.agent_id, "1400100123451");
	assert_string_equal(p.citizen_id, "1400100123451");
	p = permission_ok("{\"AgentID\":\"1400100123451\",\"CitizenID\":\"1400100123451\","
			  "\"SessionState\":\"AgentAvailable\"}");
	assert_int_equal(p.state, LINKAGE_AGENT_AVAILABLE);
	assert_string_equal(p.state_text, "AgentAvailable");
	p = permission_ok("\xEF\xBB\xBF{\"SessionState\":\"CitizenAvailable\",\"AgentID\":\"A-17\","
			  "\"CitizenID\":\"1-1045-00678-90-2\"}");
	assert_int_equal(p.state, LINKAGE_CITIZEN_AVAILABLE);
	assert_string_equal(p.agent_id, "A-17");
	assert_string_equal(p.citizen_id, "1104500678902");
	/* Case is not what makes a state. */
	p = permission_ok("{\"SessionState\":\"agentavailable\"}");
	assert_int_equal(p.state, LINKAGE_AGENT_AVAILABLE);
	assert_string_equal(p.agent_id, "");
	assert_string_equal(p.citizen_id, "");
}

static void permission_ids_as_numbers(void **state)
{
	struct linkage_permission p = permission_ok(
		"{\"AgentID\":1400100123451,\"CitizenID\":3500100246800,"
		"\"SessionState\":\"CitizenAvailable\"}");

	assert_int_equal(p.state, LINKAGE_CITIZEN_AVAILABLE);
	assert_string_equal(p.agent_id, "1400100123451");
	assert_string_equal(p.citizen_id, "3500100246800");
	/* 0, null, a short number or another type: no ID rather than a wrong one. */
	p = permission_ok("{\"AgentID\":null,\"CitizenID\":12345,\"SessionState\":\"AgentAvailable\"}");
	assert_string_equal(p.agent_id, "");
	assert_string_equal(p.citizen_id, "");
	p = permission_ok("{\"AgentID\":0,\"CitizenID\":[1],\"SessionState\":\"AgentAvailable\"}");
	assert_string_equal(p.agent_id, "");
	assert_string_equal(p.citizen_id, "");
}

static void permission_unknown_state(void **state)
{
	struct linkage_permission p = permission_ok(
		"{\"AgentID\":\"1400100123451\",\"SessionState\":\"AgentBusy\\u001b[2J  \"}");

	assert_int_equal(p.state, LINKAGE_SESSION_UNKNOWN);
	assert_string_equal(p.state_text, "AgentBusy[2J");   /* kept for support, no escape */
	/* Every state, the unknown one too, says what it means and what to do. */
	for (int s = LINKAGE_SESSION_UNKNOWN; s <= LINKAGE_CITIZEN_AVAILABLE; s++)
		for (int l = TB_LANG_EN; l <= TB_LANG_TH; l++) {
			assert_true(strlen(linkage_session_name((enum linkage_session)s, (enum tb_lang)l)) > 10);
			assert_true(strlen(linkage_session_hint((enum linkage_session)s, (enum tb_lang)l)) > 10);
		}
	assert_non_null(strstr(linkage_session_hint(LINKAGE_AGENT_NOT_AVAILABLE, TB_LANG_EN), "card"));
	assert_non_null(strstr(linkage_session_name(LINKAGE_CITIZEN_AVAILABLE, TB_LANG_TH), "สองบัตร"));
}

static void permission_error_bodies(void **state)
{
	tb_err e;

	e = permission_fail(200, "{\"Code\":\"95001\",\"Message\":\"user not registered\"}");
	assert_int_equal(e.id, TB_E_LK_NOT_REGISTERED);
	assert_int_equal(e.detail, 95001);
	e = permission_fail(401, "{\"Code\":90001,\"Message\":\"ยังไม่ได้เข้าสู่ระบบ\"}");
	assert_int_equal(e.id, TB_E_LK_SESSION);
	assert_int_equal(e.detail, 90001);
	/* A Code beside a state: the code wins. */
	e = permission_fail(200, "{\"Code\":\"90008\",\"SessionState\":\"AgentAvailable\"}");
	assert_int_equal(e.id, TB_E_LK_QUOTA);
	assert_int_equal(permission_fail(403, "{\"Message\":\"consumer not found\"}").id, TB_E_NET_DENIED);
	assert_int_equal(permission_fail(404, "<html></html>").id, TB_E_NET_NOT_FOUND);
	e = permission_fail(502, "");
	assert_int_equal(e.id, TB_E_NET_SERVER);
	assert_int_equal(e.detail, 502);
}

static void permission_malformed(void **state)
{
	static const char *const bodies[] = {
		"", "{", "{\"SessionState\":\"AgentAva", "<html>maintenance</html>", "null", "[]",
		"\"AgentAvailable\"", "{}", "{\"AgentID\":\"1400100123451\"}",
		"{\"SessionState\":1}", "{\"SessionState\":null}", "{\"SessionState\":\"\"}",
		"{\"SessionState\":\"   \"}", "{\"sessionstate\":\"AgentAvailable\"}",
		"{\"SessionState\":{\"x\":\"AgentAvailable\"}}",
	};

	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
		assert_int_equal(permission_fail(200, bodies[i]).id, TB_E_NET_MALFORMED);
	assert_int_equal(permission_fail(200, NULL).id, TB_E_NET_MALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(person_ids_as_numbers),
		cmocka_unit_test(person_ids_as_strings_and_odd_values),
		cmocka_unit_test(person_long_thai_text_is_cut_at_a_letter),
		cmocka_unit_test(person_wrong_shapes),
		cmocka_unit_test(addresses_in_every_list_form),
		cmocka_unit_test(house_details),
		cmocka_unit_test(household_default_names),
		cmocka_unit_test(household_names_from_the_config),
		cmocka_unit_test(name_changes),
		cmocka_unit_test(every_code_maps),
		cmocka_unit_test(hints_for_the_codes_staff_meet),
		cmocka_unit_test(http_statuses_without_a_code),
		cmocka_unit_test(token_answers),
		cmocka_unit_test(when_to_renew_the_token),
		cmocka_unit_test(service_codes),
		cmocka_unit_test(secret_file_rules),
		cmocka_unit_test(escaping),
		cmocka_unit_test(plain_http_only_to_loopback),
		cmocka_unit_test(plain_http_refused_by_the_loaders),
		cmocka_unit_test(permission_states),
		cmocka_unit_test(permission_ids_as_numbers),
		cmocka_unit_test(permission_unknown_state),
		cmocka_unit_test(permission_error_bodies),
		cmocka_unit_test(permission_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
