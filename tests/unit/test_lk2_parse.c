/* Linkage Center 2's answers as the agency's proxy sends them: a batch with
 * every kind of item (data as an object or as a string, refusals with their
 * own text, statuses without a code, malformed and missing items), whole
 * requests refused, the login, token and job answers; the configuration's
 * rules; and what the client refuses before anything is sent.  No network
 * here. */
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

#include "services/registry/lk2.h"

/* The placeholder IDs of lk2.h, in the order asked below. */
static const int six[] = { LINKAGE_PERSON, LINKAGE_ADDRESSES, LINKAGE_HOUSEHOLD, LINKAGE_HOUSE,
			   LINKAGE_FIRST_NAMES, LINKAGE_SURNAMES };
static const int six_ids[] = { 1, 2, 3, 4, 5, 6 };

#define PERSON "{\"titleDesc\":\"นาง\",\"firstName\":\"มาลี\",\"lastName\":\"ชื่นชูสุวรรณ์\"," \
	"\"dateOfBirth\":25300101,\"genderCode\":2}"
#define PERSON_STRING "\"{\\\"titleDesc\\\":\\\"นาง\\\",\\\"firstName\\\":\\\"มาลี\\\"," \
	"\\\"lastName\\\":\\\"ชื่นชูสุวรรณ์\\\",\\\"dateOfBirth\\\":25300101,\\\"genderCode\\\":2}\""

static int parse(long status, const char *body, const int *services, const int *ids, int n,
		 struct lk2_item *items, char *msg, tb_err *e)
{
	return lk2_parse_batch(status, body, body ? strlen(body) : 0, services, ids, n, NULL, items,
			       msg, msg ? 256 : 0, e);
}

/* --- a batch: each item on its own ------------------------------------------------------------ */

static void batch_with_mixed_statuses(void **state)
{
	struct lk2_item it[6];
	tb_err e = { 0 };
	const char *body =
		"{\"data\":["
		"{\"serviceID\":1,\"responseStatus\":200,\"responseContentType\":\"application/json\","
		" \"responseData\":" PERSON ",\"responseError\":null,\"responseTimeMs\":12},"
		"{\"serviceID\":2,\"responseStatus\":403,\"responseData\":null,"
		" \"responseError\":{\"errorNumber\":95011,\"errorMessage\":\"ไม่มีสิทธิ์\\u001b[2J ใช้บริการ\"}},"
		"{\"serviceID\":3,\"responseStatus\":404,\"responseData\":null,\"responseError\":null},"
		"{\"serviceID\":4,\"responseStatus\":\"200\",\"responseData\":\"{\\\"houseID\\\":40010012345,"
		"\\\"houseNo\\\":\\\"99/1\\\"}\"},"
		"{\"serviceID\":5,\"responseStatus\":200,\"responseError\":{\"errorNumber\":\"99702\","
		" \"errorMessage\":\"no name changes\"}},"
		"{\"serviceID\":6,\"responseStatus\":200,\"responseData\":\"{\\\"allName\\\":[{\\\"newNa\"}"
		"],\"executeTimeMs\":40}";

	assert_int_equal(parse(200, body, six, six_ids, 6, it, NULL, &e), 0);
	/* 001: an object, parsed as the GDX answer would be. */
	assert_non_null(it[0].result);
	assert_string_equal(it[0].result->person.first, "มาลี");
	assert_int_equal(it[0].result->person.birth, 25300101);
	/* 027: refused with its code and its own text, the escape dropped. */
	assert_null(it[1].result);
	assert_int_equal(it[1].err.id, TB_E_LK_NO_SERVICE_RIGHT);
	assert_int_equal(it[1].err.detail, 95011);
	assert_string_equal(it[1].message, "ไม่มีสิทธิ์[2J ใช้บริการ");
	/* 007: a 404 without a code is "no data". */
	assert_null(it[2].result);
	assert_int_equal(it[2].err.id, TB_E_LK_NO_DATA);
	assert_int_equal(it[2].err.detail, 404);
	/* 008: data as a string, the status as a string. */
	assert_non_null(it[3].result);
	assert_int_equal(it[3].result->n_addresses, 1);
	assert_string_equal(it[3].result->addresses[0].house_id, "40010012345");
	/* 013: a code sent as a string. */
	assert_int_equal(it[4].err.id, TB_E_LK_NO_DATA);
	assert_int_equal(it[4].err.detail, 99702);
	assert_string_equal(it[4].message, "no name changes");
	/* 017: data cut in the middle. */
	assert_null(it[5].result);
	assert_int_equal(it[5].err.id, TB_E_NET_MALFORMED);
	lk2_items_free(it, 6);
	assert_null(it[0].result);
	assert_int_equal(it[0].service, 0);   /* wiped */
}

static void data_as_string_or_object_reads_the_same(void **state)
{
	static const int one[] = { LINKAGE_PERSON }, id[] = { 1 };
	struct lk2_item a[1], b[1];
	tb_err e = { 0 };

	assert_int_equal(parse(200, "{\"data\":[{\"serviceID\":1,\"responseStatus\":200,"
			       "\"responseData\":" PERSON "}]}", one, id, 1, a, NULL, &e), 0);
	assert_int_equal(parse(200, "{\"data\":[{\"serviceID\":1,\"responseStatus\":200,"
			       "\"responseData\":" PERSON_STRING "}]}", one, id, 1, b, NULL, &e), 0);
	assert_non_null(a[0].result);
	assert_non_null(b[0].result);
	assert_memory_equal(&a[0].result->person, &b[0].result->person, sizeof a[0].result->person);
	lk2_items_free(a, 1);
	lk2_items_free(b, 1);
}

static void items_missing_extra_repeated_or_odd(void **state)
{
	static const int two[] = { LINKAGE_PERSON, LINKAGE_HOUSE }, ids[] = { 7, 9 };
	struct lk2_item it[2];
	tb_err e = { 0 };

	/* 008 (ID 9) is not answered; an unknown ID, a null and a number in
	 * the list are skipped; the first answer for ID 7 counts, its ID as
	 * a string. */
	assert_int_equal(parse(200, "{\"data\":[null,42,{\"serviceID\":99,\"responseData\":{}},"
			       "{\"serviceID\":\"7\",\"responseData\":" PERSON "},"
			       "{\"serviceID\":7,\"responseError\":{\"errorNumber\":95011}}]}",
			       two, ids, 2, it, NULL, &e), 0);
	assert_non_null(it[0].result);
	assert_null(it[1].result);
	assert_int_equal(it[1].err.id, TB_E_NET_MALFORMED);
	assert_string_equal(it[1].err.field, "no answer for this service");
	lk2_items_free(it, 2);

	/* No data at all, data that is a number, an error that is only text. */
	assert_int_equal(parse(200, "{\"data\":[{\"serviceID\":7,\"responseStatus\":200},"
			       "{\"serviceID\":9,\"responseStatus\":200,\"responseData\":5}]}",
			       two, ids, 2, it, NULL, &e), 0);
	assert_int_equal(it[0].err.id, TB_E_NET_MALFORMED);
	assert_int_equal(it[1].err.id, TB_E_NET_MALFORMED);
	lk2_items_free(it, 2);
	assert_int_equal(parse(200, "{\"data\":[{\"serviceID\":7,\"responseError\":\"proxy said no\"}]}",
			       two, ids, 2, it, NULL, &e), 0);
	assert_int_equal(it[0].err.id, TB_E_LK_OTHER);
	assert_string_equal(it[0].message, "proxy said no");
	lk2_items_free(it, 2);

	/* A 500 for one item is that item's failure only. */
	assert_int_equal(parse(200, "{\"data\":[{\"serviceID\":7,\"responseStatus\":502},"
			       "{\"serviceID\":9,\"responseData\":{\"houseID\":\"40010012345\"}}]}",
			       two, ids, 2, it, NULL, &e), 0);
	assert_int_equal(it[0].err.id, TB_E_NET_SERVER);
	assert_int_equal(it[0].err.detail, 502);
	assert_non_null(it[1].result);
	lk2_items_free(it, 2);
}

/* --- the whole request refused -------------------------------------------------------------------- */

static void whole_request_errors(void **state)
{
	static const int one[] = { LINKAGE_PERSON }, id[] = { 1 };
	struct lk2_item it[1];
	char msg[256];
	tb_err e = { 0 };

	assert_int_equal(parse(401, "{\"errorNumber\":401,\"errorMessage\":\"token expired\"}", one, id,
			       1, it, msg, &e), -1);
	assert_int_equal(e.id, TB_E_LK2_SESSION);
	assert_string_equal(msg, "token expired");
	assert_int_equal(parse(401, "", one, id, 1, it, msg, &e), -1);
	assert_int_equal(e.id, TB_E_LK2_SESSION);
	assert_int_equal(parse(403, "{\"errorNumber\":403,\"errorMessage\":\"job not found\"}", one, id,
			       1, it, msg, &e), -1);
	assert_int_equal(e.id, TB_E_LK2_JOB);
	assert_int_equal(parse(429, "{\"errorNumber\":90008,\"errorMessage\":\"โควตาหมด\"}", one, id, 1,
			       it, msg, &e), -1);
	assert_int_equal(e.id, TB_E_LK_QUOTA);
	assert_int_equal(e.detail, 90008);
	assert_string_equal(msg, "โควตาหมด");
	/* A Linkage code wins over the status, even with 200. */
	assert_int_equal(parse(200, "{\"errorNumber\":\"95004\"}", one, id, 1, it, NULL, &e), -1);
	assert_int_equal(e.id, TB_E_LK_NO_PERMISSION);
	assert_int_equal(parse(500, "<html>oops</html>", one, id, 1, it, NULL, &e), -1);
	assert_int_equal(e.id, TB_E_NET_SERVER);
	assert_int_equal(e.detail, 500);
	/* Not JSON, cut short, empty, or JSON of another shape. */
	assert_int_equal(parse(200, "{\"data\":[{\"serviceID\":1,\"respon", one, id, 1, it, NULL, &e), -1);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	assert_int_equal(parse(200, "", one, id, 1, it, NULL, &e), -1);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	assert_int_equal(parse(200, NULL, one, id, 1, it, NULL, &e), -1);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	assert_int_equal(parse(200, "{\"data\":{\"serviceID\":1}}", one, id, 1, it, NULL, &e), -1);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	assert_int_equal(parse(200, "[]", one, id, 1, it, NULL, &e), -1);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	/* With a byte-order mark: fine. */
	assert_int_equal(parse(200, "\xEF\xBB\xBF{\"data\":[]}", one, id, 1, it, NULL, &e), 0);
	assert_int_equal(it[0].err.id, TB_E_NET_MALFORMED);
	lk2_items_free(it, 1);
}

/* --- login, token, jobs ---------------------------------------------------------------------------- */

static void login_answer(void **state)
{
	struct lk2_login_answer a;
	tb_err e = { 0 };
	const char *two = "{\"office\":[{\"id\":10023,\"name\":\"สำนักทะเบียน\"},"
			  "{\"id\":\"A-7\",\"name\":\"สาขา\"}],\"random\":\"ab12cd\"}";

	assert_int_equal(lk2_parse_login(200, two, strlen(two), "", &a, &e), 0);
	assert_string_equal(a.office_id, "10023");
	assert_true(a.office_is_number);
	assert_string_equal(a.random, "ab12cd");
	assert_int_equal(a.n_offices, 2);
	assert_int_equal(lk2_parse_login(200, two, strlen(two), "A-7", &a, &e), 0);
	assert_string_equal(a.office_id, "A-7");
	assert_false(a.office_is_number);
	assert_int_equal(lk2_parse_login(200, two, strlen(two), "10024", &a, &e), -1);
	assert_int_equal(e.id, TB_E_LK2_NO_OFFICE);
	assert_string_equal(e.field, "lk2.office_id");
	assert_string_equal(a.random, "");   /* nothing kept from a failed login */

#define LOGIN_FAILS(status, body, want) do { \
		const char *b_ = (body); \
		assert_int_equal(lk2_parse_login(status, b_, strlen(b_), NULL, &a, &e), -1); \
		assert_int_equal(e.id, want); \
	} while (0)
	LOGIN_FAILS(200, "{\"office\":[],\"random\":\"x\"}", TB_E_LK2_NO_OFFICE);
	LOGIN_FAILS(200, "{\"office\":[{\"name\":\"no id\"},{\"id\":null}],\"random\":\"x\"}",
		    TB_E_LK2_NO_OFFICE);
	LOGIN_FAILS(200, "{\"office\":[{\"id\":1}]}", TB_E_NET_MALFORMED);
	/* The random goes to the signer on one line: no spaces, no newline. */
	LOGIN_FAILS(200, "{\"office\":[{\"id\":1}],\"random\":\"a b\"}", TB_E_NET_MALFORMED);
	LOGIN_FAILS(200, "{\"office\":[{\"id\":1}],\"random\":\"a\\nb\"}", TB_E_NET_MALFORMED);
	LOGIN_FAILS(200, "{\"office\":[{\"id\":1}],\"random\":7}", TB_E_NET_MALFORMED);
	LOGIN_FAILS(400, "{\"errorNumber\":95001,\"errorMessage\":\"not registered\"}",
		    TB_E_LK_NOT_REGISTERED);
	LOGIN_FAILS(401, "{}", TB_E_LK_SESSION);
	LOGIN_FAILS(502, "", TB_E_NET_SERVER);
	LOGIN_FAILS(200, "{\"office\":[{\"id\":1}],\"random\":\"x\"", TB_E_NET_MALFORMED);
#undef LOGIN_FAILS
}

static void token_and_job_answers(void **state)
{
	char tok[64], job[64], big[200];
	tb_err e = { 0 };

#define TOKEN(status, body) lk2_parse_token(status, body, strlen(body), tok, sizeof tok, &e)
	assert_int_equal(TOKEN(201, "{\"token\":\"eyJ.a.b\"}"), 0);
	assert_string_equal(tok, "eyJ.a.b");
	assert_int_equal(TOKEN(201, "{\"token\":\"has space\"}"), -1);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	assert_string_equal(tok, "");
	assert_int_equal(TOKEN(201, "{\"token\":\"\"}"), -1);
	assert_int_equal(TOKEN(201, "{\"jwt\":\"x\"}"), -1);
	assert_int_equal(TOKEN(401, "{\"errorNumber\":90090,\"errorMessage\":\"wrong PIN\"}"), -1);
	assert_int_equal(e.id, TB_E_LK2_WRONG_PIN);
	assert_int_equal(e.detail, 90090);
	assert_int_equal(TOKEN(200, "{\"errorNumber\":1002}"), -1);
	assert_int_equal(e.id, TB_E_LK2_PIN_BLOCKED);
	assert_int_equal(TOKEN(401, "{\"errorNumber\":401}"), -1);
	assert_int_equal(e.id, TB_E_LK2_SESSION);
	memset(big, 'a', sizeof big);
	memcpy(big, "{\"token\":\"", 10);
	memcpy(big + sizeof big - 3, "\"}", 3);
	assert_int_equal(TOKEN(201, big), -1);     /* longer than the room for it */
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	assert_string_equal(tok, "");
#undef TOKEN

#define JOBS(status, body) lk2_parse_jobs(status, body, strlen(body), job, sizeof job, &e)
	assert_int_equal(JOBS(200, "{\"job\":[\"6f1c2a9e-3b7d\",\"other\"]}"), 0);
	assert_string_equal(job, "6f1c2a9e-3b7d");
	assert_int_equal(JOBS(200, "{\"job\":[{\"id\":\"j-1\"}]}"), 0);
	assert_string_equal(job, "j-1");
	assert_int_equal(JOBS(200, "{\"job\":[]}"), -1);
	assert_int_equal(e.id, TB_E_LK2_JOB);
	assert_int_equal(JOBS(200, "{\"job\":[null]}"), -1);
	assert_int_equal(e.id, TB_E_LK2_JOB);
	assert_int_equal(JOBS(200, "{\"jobs\":\"x\"}"), -1);
	assert_int_equal(e.id, TB_E_NET_MALFORMED);
	assert_int_equal(JOBS(403, "{\"errorNumber\":403}"), -1);
	assert_int_equal(e.id, TB_E_LK2_JOB);
#undef JOBS
}

static void codes_of_the_pin_and_the_rest(void **state)
{
	assert_int_equal(lk2_code_error(90090), TB_E_LK2_WRONG_PIN);
	assert_int_equal(lk2_code_error(1001), TB_E_LK2_WRONG_PIN);
	assert_int_equal(lk2_code_error(1002), TB_E_LK2_PIN_BLOCKED);
	assert_int_equal(lk2_code_error(95011), TB_E_LK_NO_SERVICE_RIGHT);
	assert_int_equal(lk2_code_error(90008), TB_E_LK_QUOTA);
	assert_int_equal(lk2_code_error(12345), TB_E_LK_OTHER);
	/* "Cannot reach the proxy" is not "the Linkage Center said no". */
	assert_string_not_equal(err_domain(TB_E_LK2_UNREACHABLE), err_domain(TB_E_LK2_WRONG_PIN));
}

/* --- configuration ------------------------------------------------------------------------------- */

static char conf_path[] = "/tmp/tabien-lk2-conf.XXXXXX";

static void write_conf(mode_t mode, const char *text)
{
	FILE *f = fopen(conf_path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(conf_path, mode), 0);
}

static int load(struct lk2_config *lc, tb_err *e)
{
	return lk2_config_load(lc, conf_path, e);
}

static void config_rules(void **state)
{
	int fd = (strcpy(conf_path, "/tmp/tabien-lk2-conf.XXXXXX"), mkstemp(conf_path));
	struct lk2_config lc;
	tb_err e = { 0 };
	const char *conf = "lk2.url = https://lk2.agency.example\nlk2.signer = /usr/bin/true --flag\n";

	assert_true(fd >= 0);
	close(fd);
	write_conf(0644, conf);
	assert_int_equal(load(&lc, &e), -1);
	assert_int_equal(e.id, TB_E_LK2_CONFIG_MODE);
	assert_int_equal(e.detail, 644);
	write_conf(0600, conf);
	assert_int_equal(load(&lc, &e), 0);
	assert_int_equal(lc.login_type, 1);
	assert_int_equal(lc.renew_age_s, 600);
	assert_int_equal(lc.signer_timeout_ms, 15000);
	assert_string_equal(lc.office_id, "");
	assert_int_equal(lk2_service_id(&lc, LINKAGE_PERSON), 1);
	assert_int_equal(lk2_service_id(&lc, LINKAGE_SURNAMES), 6);
	assert_int_equal(lk2_service_id(&lc, 99), -1);
	assert_string_equal(lc.map007.list, "members");
	assert_string_equal(lc.chip_field, "photo_no");
	lk2_config_wipe(&lc);

	/* The card field for the chip number: one of the two known. */
	write_conf(0600, "lk2.url = https://x\nlk2.signer = /s\nlk2.chip_field = request_no\n");
	assert_int_equal(load(&lc, &e), 0);
	assert_string_equal(lc.chip_field, "request_no");
	lk2_config_wipe(&lc);
	write_conf(0600, "lk2.url = https://x\nlk2.signer = /s\nlk2.chip_field = laser\n");
	assert_int_equal(load(&lc, &e), -1);
	assert_int_equal(e.id, TB_E_CONFIG);
	assert_string_equal(e.field, "lk2.chip_field");

	write_conf(0600, "lk2.url = https://x\nlk2.signer = /s\nlk2.service.013 = 42\n"
		   "lk2.office_id = 10024\nlk2.renew_age_s = 60\nhttp.timeout_ms = 900\n");
	assert_int_equal(load(&lc, &e), 0);
	assert_int_equal(lk2_service_id(&lc, LINKAGE_FIRST_NAMES), 42);
	assert_string_equal(lc.office_id, "10024");
	assert_int_equal(lc.renew_age_s, 60);
	assert_int_equal(lc.http.timeout_ms, 900);
	lk2_config_wipe(&lc);

#define CONF_FAILS(text, want, field_) do { \
		write_conf(0600, text); \
		assert_int_equal(load(&lc, &e), -1); \
		assert_int_equal(e.id, want); \
		assert_string_equal(e.field, field_); \
	} while (0)
	CONF_FAILS("lk2.signer = /s\n", TB_E_LK2_NOT_SET_UP, "lk2.url");
	CONF_FAILS("lk2.url = ftp://x\nlk2.signer = /s\n", TB_E_LK2_NOT_SET_UP, "lk2.url (https://...)");
	CONF_FAILS("lk2.url = https://x\n", TB_E_LK2_NOT_SET_UP, "lk2.signer");
	CONF_FAILS("lk2.url = https://x\nlk2.signer = signer\n", TB_E_LK2_NOT_SET_UP,
		   "lk2.signer (a full path)");
	CONF_FAILS("lk2.url = https://x\nlk2.signer = /s\nlk2.login_type = 2\n", TB_E_LK2_NOT_SET_UP,
		   "lk2.login_type (1: the officer's card)");
	CONF_FAILS("lk2.url = https://x\nlk2.signer = /s\nlk2.service.008 = 1\n", TB_E_LK2_NOT_SET_UP,
		   "lk2.service.* (one ID for two services)");
	CONF_FAILS("lk2.url = https://x\nlk2.signer = /s\nlk2.service.001 = one\n", TB_E_CONFIG,
		   "lk2.service.001");
	CONF_FAILS("lk2.url = https://x\nlk2.signer = /s\nlk2.signer_timeout_ms = 5\n", TB_E_CONFIG,
		   "lk2.signer_timeout_ms");
#undef CONF_FAILS
	unlink(conf_path);
}

static void transport_setting(void **state)
{
	struct config c = { .path = "/nonexistent" };
	tb_err e = { 0 };

	assert_int_equal(lk2_transport_from(&c, &e), 0);
	c.n = 1;
	strcpy(c.e[0].key, "linkage.transport");
	strcpy(c.e[0].value, "lk2");
	assert_int_equal(lk2_transport_from(&c, &e), 1);
	assert_true(c.e[0].used);
	strcpy(c.e[0].value, "gdx");
	assert_int_equal(lk2_transport_from(&c, &e), 0);
	strcpy(c.e[0].value, "LK2");
	assert_int_equal(lk2_transport_from(&c, &e), -1);
	assert_int_equal(e.id, TB_E_CONFIG);
}

/* The example's LK2 lines, uncommented, are all understood. */
static void example_config_keys_are_known(void **state)
{
	char path[512], line[512];
	const char *src = getenv("TABIEN_SRCDIR");
	struct config *c = calloc(1, sizeof *c);
	struct lk2_config lc;
	tb_err e = { 0 };
	FILE *in, *out;
	int fd, n = 0;

	strcpy(conf_path, "/tmp/tabien-lk2-conf.XXXXXX");
	fd = mkstemp(conf_path);
	assert_non_null(c);
	assert_true(fd >= 0);
	close(fd);
	snprintf(path, sizeof path, "%s/tabien.conf.example", src && *src ? src : TABIEN_SRCDIR);
	in = fopen(path, "r");
	out = fopen(conf_path, "w");
	assert_non_null(in);
	assert_non_null(out);
	while (fgets(line, sizeof line, in))
		if (strncmp(line, "# lk2.", 6) == 0 || strncmp(line, "# linkage.transport", 19) == 0) {
			fputs(line + 2, out);
			n++;
		}
	fclose(in);
	fclose(out);
	assert_true(n >= 10);
	assert_int_equal(chmod(conf_path, 0600), 0);
	assert_int_equal(config_load(c, conf_path, &e), 0);
	assert_int_equal(lk2_transport_from(c, &e), 1);
	assert_int_equal(lk2_config_from(&lc, c, &e), 0);
	assert_null(config_unused(c));
	lk2_config_wipe(&lc);
	free(c);
	unlink(conf_path);
}

/* --- the client refuses before sending ------------------------------------------------------------ */

static struct lk2 *client(const char *signer)
{
	struct lk2_config lc;
	struct lk2 *l;
	tb_err e = { 0 };

	memset(&lc, 0, sizeof lc);
	strcpy(lc.url, "http://127.0.0.1:1");
	strcpy(lc.signer, signer);
	lc.login_type = 1;
	lc.signer_timeout_ms = 1000;
	lc.http.connect_timeout_ms = 200;
	lc.http.timeout_ms = 500;
	for (int i = 0; i < 6; i++) {
		lc.map[i].service = six[i];
		lc.map[i].id = six_ids[i];
	}
	linkage_fieldmap_defaults(&lc.map007);
	l = lk2_new(&lc, &e);
	assert_non_null(l);
	return l;
}

static void refused_before_anything_is_sent(void **state)
{
	struct lk2 *l = client("/nonexistent/signer");
	int eleven[11], twice[] = { LINKAGE_PERSON, LINKAGE_PERSON }, odd[] = { 2 };
	tb_err e = { 0 };

	for (int i = 0; i < 11; i++)
		eleven[i] = six[i % 6];
	assert_null(lk2_batch_start(l, "1104500678902", eleven, 11, NULL, NULL, NULL, NULL, NULL, &e));
	assert_int_equal(e.id, TB_E_USAGE);
	assert_null(lk2_batch_start(l, "1104500678902", six, 0, NULL, NULL, NULL, NULL, NULL, &e));
	assert_int_equal(e.id, TB_E_USAGE);
	assert_null(lk2_batch_start(l, "1104500678902", twice, 2, NULL, NULL, NULL, NULL, NULL, &e));
	assert_int_equal(e.id, TB_E_USAGE);
	assert_null(lk2_batch_start(l, "1104500678902", odd, 1, NULL, NULL, NULL, NULL, NULL, &e));
	assert_int_equal(e.id, TB_E_USAGE);
	assert_null(lk2_batch_start(l, "1104500678903", six, 6, NULL, NULL, NULL, NULL, NULL, &e));
	assert_int_equal(e.id, TB_E_AUTH_INVALID);
	assert_null(lk2_batch_start(l, "1104500678902", six, 6, NULL, NULL, NULL, NULL, NULL, &e));
	assert_int_equal(e.id, TB_E_LK2_SESSION);     /* not logged in */
	assert_false(lk2_logged_in(l));

	assert_null(lk2_login_start(l, "1400100123452", "CH1", "1234", &e));
	assert_int_equal(e.id, TB_E_AUTH_INVALID);
	assert_null(lk2_login_start(l, "1400100123451", "CH 1", "1234", &e));
	assert_int_equal(e.id, TB_E_AUTH_INVALID);
	assert_null(lk2_login_start(l, "1400100123451", "CH1", "12", &e));
	assert_int_equal(e.id, TB_E_AUTH_INVALID);
	assert_null(lk2_login_start(l, "1400100123451", "CH1", "12345678901234567", &e));
	assert_int_equal(e.id, TB_E_AUTH_INVALID);
	assert_null(lk2_login_start(l, "1400100123451", "CH1", "1234", &e));
	assert_int_equal(e.id, TB_E_LK2_SIGNER_MISSING);
	assert_int_equal(lk2_stats(l)->logins, 0);
	lk2_free(&l);
	assert_null(l);
}

/* Nothing listens on port 1: the login ends as "cannot reach the proxy",
 * driven by lk2_run, and lk2_free after it sends nothing. */
static void unreachable_proxy(void **state)
{
	struct lk2 *l = client("/bin/cat");
	struct lk2_op *op;
	struct linkage_result *r;
	tb_err e = { 0 };

	op = lk2_login_start(l, "1400100123451", "CH1", "1234", &e);
	assert_non_null(op);
	assert_int_equal(lk2_run(l, op, &e), -1);
	assert_int_equal(e.id, TB_E_LK2_UNREACHABLE);
	assert_int_equal(lk2_step(op), 0);
	assert_int_equal(lk2_batch_take(op, LINKAGE_PERSON, &r, &e), -1);
	assert_int_equal(e.id, TB_E_USAGE);         /* a login has no services */
	assert_false(lk2_logged_in(l));
	lk2_op_free(&op);
	assert_null(op);
	lk2_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batch_with_mixed_statuses),
		cmocka_unit_test(data_as_string_or_object_reads_the_same),
		cmocka_unit_test(items_missing_extra_repeated_or_odd),
		cmocka_unit_test(whole_request_errors),
		cmocka_unit_test(login_answer),
		cmocka_unit_test(token_and_job_answers),
		cmocka_unit_test(codes_of_the_pin_and_the_rest),
		cmocka_unit_test(config_rules),
		cmocka_unit_test(transport_setting),
		cmocka_unit_test(example_config_keys_are_known),
		cmocka_unit_test(refused_before_anything_is_sent),
		cmocka_unit_test(unreachable_proxy),
	};
	return cmocka_run_group_tests_name("lk2", tests, NULL, NULL);
}
