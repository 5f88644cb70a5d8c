/* The Linkage Center over GDX: see linkage.h. */
#include "config.h"

#include "services/linkage.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "services/audit.h"
#include "services/card_decode.h"
#include "services/http.h"
#include "services/util.h"

/* --- services ------------------------------------------------------------------------ */

static const struct {
	int id;
	const char *code, *en, *th;
} services[] = {
	{ LINKAGE_PERSON, "001", "personal record", "ข้อมูลทะเบียนราษฎร" },
	{ LINKAGE_ADDRESSES, "027", "all addresses", "ที่อยู่บุคคลทุกประเภท" },
	{ LINKAGE_HOUSEHOLD, "007", "household members", "รายการคนในบ้าน" },
	{ LINKAGE_HOUSE, "008", "house details", "รายละเอียดบ้าน" },
	{ LINKAGE_FIRST_NAMES, "013", "first-name changes", "การจดทะเบียนเปลี่ยนชื่อตัว" },
	{ LINKAGE_SURNAMES, "017", "surname changes", "การจดทะเบียนเปลี่ยนชื่อสกุล" },
};
#define N_SERVICES (sizeof services / sizeof services[0])

const char *linkage_service_code(int service)
{
	for (size_t i = 0; i < N_SERVICES; i++)
		if (services[i].id == service)
			return services[i].code;
	return NULL;
}

const char *linkage_service_name(int service, enum tb_lang lang)
{
	for (size_t i = 0; i < N_SERVICES; i++)
		if (services[i].id == service)
			return lang == TB_LANG_TH ? services[i].th : services[i].en;
	return "?";
}

int linkage_service_parse(const char *s)
{
	char *end;
	long v;

	if (!s || !*s || strlen(s) > 3)
		return -1;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	v = strtol(s, &end, 10);
	return linkage_service_code((int)v) ? (int)v : -1;
}

void linkage_fieldmap_defaults(struct linkage_fieldmap *m)
{
#define LK_MAP_DEFAULT(f, key, def) str_copy(m->f, sizeof m->f, def);
	LINKAGE_007_FIELDS(LK_MAP_DEFAULT)
#undef LK_MAP_DEFAULT
}

/* --- configuration ------------------------------------------------------------------ */

/* Like ssh with its keys: a secret in a file others may read, or in a file
 * someone else controls, is refused rather than used. */
static int secret_file_ok(const char *path, tb_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return err_set(err, TB_E_FILE, errno, "config");
	if ((st.st_mode & 077) || st.st_uid != geteuid()) {
		unsigned m = st.st_mode & 0777;
		return err_set(err, TB_E_SECRET_MODE, (long)((m >> 6) * 100 + ((m >> 3) & 7) * 10 + (m & 7)),
			       "gdx.consumer_secret");
	}
	return 0;
}

int linkage_config_from(struct linkage_config *lc, struct config *c, tb_err *err)
{
	long timeout = HTTP_TIMEOUT_MS, connect = HTTP_CONNECT_TIMEOUT_MS, max = HTTP_MAX_BODY;
	long age = 1500;

	memset(lc, 0, sizeof *lc);
	str_copy(lc->office_id, sizeof lc->office_id, "00023");
	str_copy(lc->version, sizeof lc->version, "01");
	linkage_fieldmap_defaults(&lc->map007);
	if (config_text(c, "gdx.url", lc->url, sizeof lc->url, err) ||
	    config_text(c, "gdx.consumer_key", lc->consumer_key, sizeof lc->consumer_key, err) ||
	    config_text(c, "gdx.consumer_secret", lc->consumer_secret, sizeof lc->consumer_secret, err) ||
	    config_text(c, "linkage.office_id", lc->office_id, sizeof lc->office_id, err) ||
	    config_text(c, "linkage.version", lc->version, sizeof lc->version, err) ||
	    config_text(c, "http.ca_file", lc->ca_file, sizeof lc->ca_file, err) ||
	    config_text(c, "http.pin", lc->pin, sizeof lc->pin, err) ||
	    config_text(c, "http.proxy", lc->proxy, sizeof lc->proxy, err) ||
	    config_long(c, "http.timeout_ms", 100, 600000, &timeout, err) ||
	    config_long(c, "http.connect_timeout_ms", 100, 600000, &connect, err) ||
	    config_long(c, "http.max_body", 1024, 64L * 1024 * 1024, &max, err) ||
	    config_long(c, "linkage.token_max_age_s", 0, 3300, &age, err))
		goto fail;
#define LK_MAP_CONF(f, key, def) \
	if (config_text(c, "linkage.007." key, lc->map007.f, sizeof lc->map007.f, err)) \
		goto fail;
	LINKAGE_007_FIELDS(LK_MAP_CONF)
#undef LK_MAP_CONF
	lc->timeout_ms = timeout;
	lc->connect_timeout_ms = connect;
	lc->max_body = (size_t)max;
	lc->token_max_age_s = (int)age;
	if (lc->consumer_secret[0] && secret_file_ok(c->path, err))
		goto fail;
	if (!lc->url[0])
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
	else if (strncmp(lc->url, "https://", 8) != 0 && strncmp(lc->url, "http://", 7) != 0)
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url (https://...)");
	else if (!lc->consumer_key[0])
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.consumer_key");
	else if (!lc->consumer_secret[0])
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.consumer_secret");
	else if (!lc->office_id[0] || !lc->version[0])
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "linkage.office_id");
	else
		return 0;
fail:
	linkage_config_wipe(lc);
	return -1;
}

int linkage_config_load(struct linkage_config *lc, const char *path, tb_err *err)
{
	struct config *c = calloc(1, sizeof *c);
	int r;

	if (!c)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	r = config_load(c, path, err);
	if (r == 0)
		r = linkage_config_from(lc, c, err);
	explicit_bzero(c, sizeof *c);
	free(c);
	return r;
}

void linkage_config_wipe(struct linkage_config *lc)
{
	explicit_bzero(lc, sizeof *lc);
}

/* --- reading fields ------------------------------------------------------------------ */

/* Copies text from the gateway: whole UTF-8 characters only, and nothing a
 * terminal would act on (C0 and C1 controls are dropped). */
static void text_copy(char *out, size_t size, const char *s)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = 1;

		if (*p >= 0xC0)
			while ((p[n] & 0xC0) == 0x80 && n < 4)
				n++;
		if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) ||
		    (*p >= 0x80 && *p < 0xC0)) {
			p += n;
			continue;
		}
		if (o + n >= size)
			break;
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
	/* Gateways pad with spaces. */
	while (o > 0 && out[o - 1] == ' ')
		out[--o] = '\0';
}

static const cJSON *field(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) && key && *key ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

/* Text: strings as they are, numbers as integers (codes such as 40 or 4),
 * 0, null and any other type as empty. */
static void get_text(const cJSON *o, const char *key, char *out, size_t size)
{
	const cJSON *v = field(o, key);

	out[0] = '\0';
	if (cJSON_IsString(v) && v->valuestring)
		text_copy(out, size, v->valuestring);
	else if (cJSON_IsNumber(v) && v->valuedouble != 0 && v->valuedouble > -1e15 &&
		 v->valuedouble < 1e15)
		snprintf(out, size, "%.0f", v->valuedouble);
}

/* An ID of exactly `digits` digits, from a string (dashes and spaces
 * allowed) or a JSON number; anything else, 0 and null are empty. */
static void get_id(const cJSON *o, const char *key, char *out, size_t size, size_t digits)
{
	char raw[64], *w = raw;

	get_text(o, key, raw, sizeof raw);
	for (const char *r = raw; *r; r++)
		if (*r != '-' && *r != ' ')
			*w++ = *r;
	*w = '\0';
	out[0] = '\0';
	if (strlen(raw) != digits || digits + 1 > size)
		return;
	for (const char *r = raw; *r; r++)
		if (!isdigit((unsigned char)*r))
			return;
	memcpy(out, raw, digits + 1);
}

/* A B.E. date YYYYMMDD (MMDD may be 0000) or 0. */
static int32_t get_date(const cJSON *o, const char *key)
{
	char raw[32];
	long v;
	char *end;

	get_text(o, key, raw, sizeof raw);
	if (strlen(raw) != 8)
		return 0;
	v = strtol(raw, &end, 10);
	if (*end || v < 20000000 || v > 29991231)
		return 0;
	return (int32_t)v;
}

static long get_long(const cJSON *o, const char *key, long unknown)
{
	char raw[32], *end;
	long v;

	get_text(o, key, raw, sizeof raw);
	if (!raw[0])
		return cJSON_IsNumber(field(o, key)) ? 0 : unknown;
	v = strtol(raw, &end, 10);
	return *end || v < 0 ? unknown : v;
}

/* Lists arrive as a bare array, under a known name, or under some other
 * name; a single object with the item's fields is a list of one. */
static const cJSON *get_list(const cJSON *root, const char *key, const char *probe, int *single)
{
	const cJSON *v;

	*single = 0;
	if (cJSON_IsArray(root))
		return root;
	v = field(root, key);
	if (cJSON_IsArray(v))
		return v;
	cJSON_ArrayForEach(v, root)
		if (cJSON_IsArray(v))
			return v;
	if (field(root, probe)) {
		*single = 1;
		return root;
	}
	return NULL;
}

/* --- errors ---------------------------------------------------------------------------- */

enum tb_err_id linkage_code_error(long code)
{
	switch (code) {
	case 95001:
		return TB_E_LK_NOT_REGISTERED;
	case 95004: case 95005:
		return TB_E_LK_NO_PERMISSION;
	case 95010: case 95011: case 95014:
		return TB_E_LK_NO_SERVICE_RIGHT;
	case 90008: case 90050:
		return TB_E_LK_QUOTA;
	case 90007:
		return TB_E_NET_DENIED;
	case 90001: case 90009: case 90016: case 90090: case 95002:
	case 1001: case 1002: case 2002:
		return TB_E_LK_SESSION;
	case 90005: case 90013: case 90014: case 90015:
		return TB_E_LK_CLOSED;
	case 90012: case 95013:
		return TB_E_LK_PROVIDER;
	case 90011: case 95012:
		return TB_E_LK_BAD_REQUEST;
	case 95015: case 99983:
		return TB_E_LK_TOO_LARGE;
	case 90500:
		return TB_E_LK_NO_DATA;
	default:
		if (code >= 99000 && code <= 99999)
			return TB_E_LK_NO_DATA;
		return TB_E_LK_OTHER;
	}
}

/* The Code of an error body, or 0. */
static long body_code(const cJSON *root)
{
	const cJSON *c = field(root, "Code");
	char raw[32], *end;
	long v;

	if (!c)
		return 0;
	get_text(root, "Code", raw, sizeof raw);
	v = strtol(raw, &end, 10);
	return raw[0] && !*end ? v : 0;
}

static int mentions_expired_token(const cJSON *root)
{
	char msg[256];

	get_text(root, "Message", msg, sizeof msg);
	if (!msg[0])
		get_text(root, "message", msg, sizeof msg);
	for (char *p = msg; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return strstr(msg, "token") && strstr(msg, "expire");
}

static cJSON *json_parse(const char *body, size_t len)
{
	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
		body += 3;
		len -= 3;
	}
	return len ? cJSON_ParseWithLength(body, len) : NULL;
}

static int token_message(const char *body, size_t len)
{
	cJSON *root = json_parse(body, len);
	int r = mentions_expired_token(root);

	cJSON_Delete(root);
	return r;
}

int linkage_token_expired(long status, const char *body, size_t len)
{
	cJSON *root = json_parse(body, len);
	int r = 0;

	if (mentions_expired_token(root))
		r = 1;
	else if ((status == 401 || status == 403) && body_code(root) == 0)
		r = 1;
	cJSON_Delete(root);
	return r;
}

/* The common part of every answer: a Code, then the HTTP status, then JSON. */
static int answer_check(long status, const cJSON *root, tb_err *err)
{
	long code = body_code(root);

	if (code)
		return err_set(err, linkage_code_error(code), code, NULL);
	if (http_status_check(status, err))
		return -1;
	if (!root)
		return err_set(err, TB_E_NET_MALFORMED, 0, "not JSON");
	return 0;
}

int linkage_parse_token(long status, const char *body, size_t len, char *out, size_t size,
			tb_err *err)
{
	cJSON *root = json_parse(body, len);
	const cJSON *r;
	int rc = -1;

	out[0] = '\0';
	if (answer_check(status, root, err))
		goto out;
	r = field(root, "Result");
	if (!cJSON_IsString(r) || !r->valuestring[0]) {
		err_set(err, TB_E_LK_TOKEN, 0, "no Result");
		goto out;
	}
	/* It goes into a header: printable ASCII only. */
	for (const char *p = r->valuestring; *p; p++)
		if (*p <= ' ' || *p > '~') {
			err_set(err, TB_E_LK_TOKEN, 0, "Result not printable");
			goto out;
		}
	if (!str_copy(out, size, r->valuestring)) {
		explicit_bzero(out, size);
		err_set(err, TB_E_LK_TOKEN, 0, "Result too long");
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

/* --- the services' shapes ------------------------------------------------------------ */

static int parse_person(const cJSON *o, struct linkage_person *p, tb_err *err)
{
	static const char *const known[] = { "firstName", "lastName", "titleDesc", "dateOfBirth",
					     "englishFirstName", "statusOfPersonCode" };
	int any = 0;

	if (!cJSON_IsObject(o))
		return err_set(err, TB_E_NET_MALFORMED, 1, "001: not an object");
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		any |= field(o, known[i]) != NULL;
	if (!any)
		return err_set(err, TB_E_NET_MALFORMED, 1, "001: no known field");
	get_id(o, "personalID", p->cid, sizeof p->cid, 13);
	if (!p->cid[0])
		get_id(o, "pid", p->cid, sizeof p->cid, 13);
	get_text(o, "titleDesc", p->title, sizeof p->title);
	get_text(o, "firstName", p->first, sizeof p->first);
	get_text(o, "middleName", p->middle, sizeof p->middle);
	get_text(o, "lastName", p->last, sizeof p->last);
	get_text(o, "englishTitleDesc", p->en_title, sizeof p->en_title);
	get_text(o, "englishFirstName", p->en_first, sizeof p->en_first);
	get_text(o, "englishMiddleName", p->en_middle, sizeof p->en_middle);
	get_text(o, "englishLastName", p->en_last, sizeof p->en_last);
	p->gender_code = (int)get_long(o, "genderCode", 0);
	if (p->gender_code != 1 && p->gender_code != 2)
		p->gender_code = 0;
	get_text(o, "genderDesc", p->gender, sizeof p->gender);
	get_text(o, "nationalityCode", p->nationality_code, sizeof p->nationality_code);
	get_text(o, "nationalityDesc", p->nationality, sizeof p->nationality);
	p->birth = get_date(o, "dateOfBirth");
	p->age = (int)get_long(o, "age", -1);
	if (p->age > 200)
		p->age = -1;
	get_text(o, "ownerStatusDesc", p->owner_status, sizeof p->owner_status);
	get_text(o, "statusOfPersonCode", p->status_code, sizeof p->status_code);
	get_text(o, "statusOfPersonDesc", p->status, sizeof p->status);
	p->move_in = get_date(o, "dateOfMoveIn");
	get_id(o, "fatherPersonalID", p->father_cid, sizeof p->father_cid, 13);
	get_text(o, "fatherName", p->father_name, sizeof p->father_name);
	get_text(o, "fatherNationalityDesc", p->father_nationality, sizeof p->father_nationality);
	get_id(o, "motherPersonalID", p->mother_cid, sizeof p->mother_cid, 13);
	get_text(o, "motherName", p->mother_name, sizeof p->mother_name);
	get_text(o, "motherNationalityDesc", p->mother_nationality, sizeof p->mother_nationality);
	return 0;
}

static void parse_address(const cJSON *o, struct linkage_address *a)
{
	get_id(o, "houseID", a->house_id, sizeof a->house_id, 11);
	get_text(o, "houseNo", a->house_no, sizeof a->house_no);
	get_text(o, "houseType", a->house_type_code, sizeof a->house_type_code);
	get_text(o, "houseTypeDesc", a->house_type, sizeof a->house_type);
	get_text(o, "villageNo", a->village_no, sizeof a->village_no);
	get_text(o, "alleyWayDesc", a->alley_way, sizeof a->alley_way);
	get_text(o, "alleyDesc", a->alley, sizeof a->alley);
	get_text(o, "roadDesc", a->road, sizeof a->road);
	get_text(o, "subdistrictCode", a->subdistrict_code, sizeof a->subdistrict_code);
	get_text(o, "subdistrictDesc", a->subdistrict, sizeof a->subdistrict);
	get_text(o, "districtCode", a->district_code, sizeof a->district_code);
	get_text(o, "districtDesc", a->district, sizeof a->district);
	get_text(o, "provinceCode", a->province_code, sizeof a->province_code);
	get_text(o, "provinceDesc", a->province, sizeof a->province);
	get_text(o, "rcodeCode", a->rcode_code, sizeof a->rcode_code);
	get_text(o, "rcodeDesc", a->rcode, sizeof a->rcode);
	a->terminated = get_date(o, "dateOfTerminate");
}

static void parse_member(const cJSON *o, const struct linkage_fieldmap *m, struct linkage_member *p)
{
	get_id(o, m->cid, p->cid, sizeof p->cid, 13);
	get_text(o, m->title, p->title, sizeof p->title);
	get_text(o, m->first, p->first, sizeof p->first);
	get_text(o, m->middle, p->middle, sizeof p->middle);
	get_text(o, m->last, p->last, sizeof p->last);
	get_text(o, m->gender, p->gender, sizeof p->gender);
	p->birth = get_date(o, m->birth);
	get_text(o, m->relation, p->relation, sizeof p->relation);
}

static void parse_change(const cJSON *o, struct linkage_name_change *c)
{
	get_id(o, "pid", c->cid, sizeof c->cid, 13);
	get_text(o, "titleDesc", c->title, sizeof c->title);
	get_text(o, "firstName", c->first, sizeof c->first);
	get_text(o, "lastName", c->last, sizeof c->last);
	get_text(o, "newName", c->new_name, sizeof c->new_name);
	get_text(o, "docID", c->doc_id, sizeof c->doc_id);
	c->doc_date = get_date(o, "docDate");
	get_text(o, "docPlaceDesc", c->doc_place, sizeof c->doc_place);
	get_text(o, "docPlaceProvince", c->doc_province, sizeof c->doc_province);
	c->request_date = get_date(o, "requestDate");
	get_text(o, "causeOfChange", c->cause, sizeof c->cause);
}

/* Items of a list, each an object (others are skipped: a null in a list
 * is no person). */
static int list_alloc(const cJSON *list, int single, size_t each, void **out, size_t *n,
		      tb_err *err)
{
	size_t count = single ? 1 : (size_t)cJSON_GetArraySize(list);

	*out = NULL;
	*n = 0;
	if (count == 0)
		return 0;
	*out = calloc(count, each);
	if (!*out)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	return 0;
}

#define LIST_EACH(item, list, single) \
	for (const cJSON *item = (single) ? (list) : (list)->child; item; \
	     item = (single) ? NULL : item->next) \
		if (cJSON_IsObject(item))

static int parse_service(int service, const cJSON *root, const struct linkage_fieldmap *map,
			 struct linkage_result *r, tb_err *err)
{
	const cJSON *list;
	int single;
	void *mem;

	switch (service) {
	case LINKAGE_PERSON:
		return parse_person(root, &r->person, err);
	case LINKAGE_HOUSE:
		if (!cJSON_IsObject(root) || !field(root, "houseID"))
			return err_set(err, TB_E_NET_MALFORMED, service, "008: no houseID");
		r->addresses = calloc(1, sizeof *r->addresses);
		if (!r->addresses)
			return err_set(err, TB_E_NOMEM, 0, NULL);
		r->n_addresses = 1;
		parse_address(root, r->addresses);
		return 0;
	case LINKAGE_ADDRESSES:
		list = get_list(root, "allAddress", "houseID", &single);
		if (!list)
			return err_set(err, TB_E_NET_MALFORMED, service, "027: no list");
		if (list_alloc(list, single, sizeof *r->addresses, &mem, &r->n_addresses, err))
			return -1;
		r->addresses = mem;
		LIST_EACH(it, list, single)
			parse_address(it, &r->addresses[r->n_addresses++]);
		return 0;
	case LINKAGE_HOUSEHOLD:
		list = get_list(root, map->list, map->cid, &single);
		if (!list)
			return err_set(err, TB_E_NET_MALFORMED, service, "007: no list");
		if (list_alloc(list, single, sizeof *r->members, &mem, &r->n_members, err))
			return -1;
		r->members = mem;
		get_id(root, map->house_id, r->house_id, sizeof r->house_id, 11);
		LIST_EACH(it, list, single)
			parse_member(it, map, &r->members[r->n_members++]);
		return 0;
	case LINKAGE_FIRST_NAMES:
	case LINKAGE_SURNAMES:
		list = get_list(root, "allName", "newName", &single);
		if (!list) {
			/* {"allName":null,"total":0}: no change ever registered. */
			if (cJSON_IsObject(root) && field(root, "total")) {
				r->total = get_long(root, "total", 0);
				return 0;
			}
			return err_set(err, TB_E_NET_MALFORMED, service, "013/017: no allName");
		}
		if (list_alloc(list, single, sizeof *r->changes, &mem, &r->n_changes, err))
			return -1;
		r->changes = mem;
		LIST_EACH(it, list, single)
			parse_change(it, &r->changes[r->n_changes++]);
		r->total = get_long(root, "total", (long)r->n_changes);
		return 0;
	default:
		return err_set(err, TB_E_USAGE, service, "service");
	}
}

int linkage_parse(int service, long status, const char *body, size_t len,
		  const struct linkage_fieldmap *map, struct linkage_result **out, tb_err *err)
{
	struct linkage_fieldmap defaults;
	struct linkage_result *r = NULL;
	cJSON *root;
	int rc = -1;

	*out = NULL;
	if (!map) {
		linkage_fieldmap_defaults(&defaults);
		map = &defaults;
	}
	root = json_parse(body ? body : "", body ? len : 0);
	if (answer_check(status, root, err))
		goto out;
	r = calloc(1, sizeof *r);
	if (!r) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		goto out;
	}
	r->service = service;
	r->person.age = -1;
	if (parse_service(service, root, map, r, err)) {
		linkage_result_free(&r);
		goto out;
	}
	*out = r;
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

void linkage_result_free(struct linkage_result **rp)
{
	struct linkage_result *r = *rp;

	if (!r)
		return;
	if (r->addresses) {
		explicit_bzero(r->addresses, r->n_addresses * sizeof *r->addresses);
		free(r->addresses);
	}
	if (r->members) {
		explicit_bzero(r->members, r->n_members * sizeof *r->members);
		free(r->members);
	}
	if (r->changes) {
		explicit_bzero(r->changes, r->n_changes * sizeof *r->changes);
		free(r->changes);
	}
	explicit_bzero(r, sizeof *r);
	free(r);
	*rp = NULL;
}

/* --- the client ------------------------------------------------------------------------ */

#define TOKEN_MAX 1024
#define URL_MAX 2048

struct linkage {
	struct linkage_config c;
	struct http *h;
	char token[TOKEN_MAX];
	char token_agent[LK_CID];
	struct timespec token_at;
	struct linkage_stats st;
};

struct linkage *linkage_new(const struct linkage_config *c, tb_err *err)
{
	struct linkage *lk = calloc(1, sizeof *lk);

	if (!lk) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	lk->c = *c;
	lk->h = http_new(&(struct http_opts){
		.connect_timeout_ms = c->connect_timeout_ms, .timeout_ms = c->timeout_ms,
		.max_body = c->max_body, .ca_file = c->ca_file, .pin = c->pin, .proxy = c->proxy },
		err);
	if (!lk->h)
		linkage_free(&lk);
	return lk;
}

void linkage_free(struct linkage **lkp)
{
	struct linkage *lk = *lkp;

	if (!lk)
		return;
	http_free(&lk->h);
	explicit_bzero(lk, sizeof *lk);
	free(lk);
	*lkp = NULL;
}

void linkage_forget_token(struct linkage *lk)
{
	explicit_bzero(lk->token, sizeof lk->token);
	lk->token_agent[0] = '\0';
}

const struct linkage_stats *linkage_stats(const struct linkage *lk)
{
	return &lk->st;
}

static double since_s(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* The base URL without a trailing slash, then path and query. */
static int url_make(const struct linkage *lk, char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int url_make(const struct linkage *lk, char *out, size_t size, const char *fmt, ...)
{
	size_t n = strlen(lk->c.url);
	va_list ap;
	int w;

	while (n > 0 && lk->c.url[n - 1] == '/')
		n--;
	if (n + 1 > size)
		return -1;
	memcpy(out, lk->c.url, n);
	va_start(ap, fmt);
	w = vsnprintf(out + n, size - n, fmt, ap);
	va_end(ap);
	return w < 0 || (size_t)w >= size - n ? -1 : 0;
}

/* One GET to the end: status and a copy of the body (wiped by the caller). */
static int get_once(struct linkage *lk, const char *url, const char *const *headers, long *status,
		    char **body, size_t *len, tb_err *err)
{
	struct http_xfer *x = http_get(lk->h, url, headers, err);
	const char *b;
	int rc = -1;

	*body = NULL;
	if (!x)
		return -1;
	if (http_wait(lk->h, x, err) == 0 && http_xfer_result(x, status, &b, len, err) == 0) {
		*body = malloc(*len + 1);
		if (!*body) {
			err_set(err, TB_E_NOMEM, 0, NULL);
		} else {
			memcpy(*body, b, *len + 1);
			rc = 0;
		}
	}
	http_xfer_free(&x);
	return rc;
}

static void body_free(char **b, size_t len)
{
	if (*b) {
		explicit_bzero(*b, len);
		free(*b);
		*b = NULL;
	}
}

static int token_fetch(struct linkage *lk, const char *agent, tb_err *err)
{
	char secret[3 * sizeof lk->c.consumer_secret], url[URL_MAX], key[256];
	const char *headers[] = { key, NULL };
	char *body = NULL;
	size_t len = 0;
	long status;
	int rc = -1;

	linkage_forget_token(lk);
	if (http_escape(lk->c.consumer_secret, secret, sizeof secret) ||
	    url_make(lk, url, sizeof url, "/ws/auth/validate?ConsumerSecret=%s&AgentID=%s", secret,
		     agent) ||
	    snprintf(key, sizeof key, "Consumer-Key: %s", lk->c.consumer_key) >= (int)sizeof key) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
		goto out;
	}
	lk->st.tokens++;
	if (get_once(lk, url, headers, &status, &body, &len, err))
		goto out;
	if (linkage_parse_token(status, body, len, lk->token, sizeof lk->token, err))
		goto out;
	str_copy(lk->token_agent, sizeof lk->token_agent, agent);
	clock_gettime(CLOCK_MONOTONIC, &lk->token_at);
	rc = 0;
out:
	body_free(&body, len);
	explicit_bzero(secret, sizeof secret);
	explicit_bzero(url, sizeof url);
	explicit_bzero(key, sizeof key);
	return rc;
}

static int token_fresh(const struct linkage *lk, const char *agent)
{
	return lk->token[0] && strcmp(lk->token_agent, agent) == 0 &&
	       since_s(&lk->token_at) < (double)lk->c.token_max_age_s;
}

static int query_send(struct linkage *lk, const struct linkage_request *rq, long *status,
		      char **body, size_t *len, tb_err *err)
{
	char url[URL_MAX], key[256], tok[TOKEN_MAX + 16];
	const char *headers[] = { key, tok, NULL };
	int rc = -1;

	if (url_make(lk, url, sizeof url,
		     "/ws/dopa/linkage/v1/link?OfficeID=%s&ServiceID=%s&Version=%s&CitizenID=%s",
		     lk->c.office_id, linkage_service_code(rq->service), lk->c.version, rq->cid) ||
	    snprintf(key, sizeof key, "Consumer-Key: %s", lk->c.consumer_key) >= (int)sizeof key ||
	    snprintf(tok, sizeof tok, "Token: %s", lk->token) >= (int)sizeof tok) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
		goto out;
	}
	lk->st.queries++;
	rc = get_once(lk, url, headers, status, body, len, err);
out:
	explicit_bzero(url, sizeof url);
	explicit_bzero(key, sizeof key);
	explicit_bzero(tok, sizeof tok);
	return rc;
}

static int ids_ok(const char *s)
{
	return s && strlen(s) == 13 && strspn(s, "0123456789") == 13 && cid_valid(s);
}

/* The office IDs go into the URL as they are: digits only. */
static int digits_only(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

static int query_run(struct linkage *lk, const struct linkage_request *rq,
		     struct linkage_result **out, tb_err *err)
{
	char *body = NULL;
	size_t len = 0;
	long status = 0;
	int rc = -1;

	if (!token_fresh(lk, rq->agent_cid) && token_fetch(lk, rq->agent_cid, err))
		return -1;
	if (query_send(lk, rq, &status, &body, &len, err))
		return -1;
	if (linkage_token_expired(status, body, len)) {
		/* Once, and only for an expired token: a refusal stays a refusal. */
		body_free(&body, len);
		lk->st.retries++;
		if (token_fetch(lk, rq->agent_cid, err) ||
		    query_send(lk, rq, &status, &body, &len, err))
			goto out;
		if (linkage_token_expired(status, body, len))
			linkage_forget_token(lk);
		if (token_message(body, len)) {
			err_set(err, TB_E_LK_TOKEN, status, "token refused after renewal");
			goto out;
		}
		/* Any other 401/403 is the gateway refusing us: shown as such. */
	}
	rc = linkage_parse(rq->service, status, body, len, &lk->c.map007, out, err);
	if (rc == 0 && rq->service == LINKAGE_PERSON && !(*out)->person.cid[0])
		str_copy((*out)->person.cid, sizeof (*out)->person.cid, rq->cid);
out:
	body_free(&body, len);
	return rc;
}

int linkage_gdx_token(struct linkage *lk, const char *agent_cid, char *out, size_t size,
		      tb_err *err)
{
	if (!ids_ok(agent_cid))
		return err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
	if (!token_fresh(lk, agent_cid) && token_fetch(lk, agent_cid, err))
		return -1;
	if (!str_copy(out, size, lk->token)) {
		explicit_bzero(out, size);
		return err_set(err, TB_E_LK_TOKEN, 0, "token too long");
	}
	return 0;
}

const struct linkage_config *linkage_gdx_config(const struct linkage *lk)
{
	return &lk->c;
}

int linkage_query(struct linkage *lk, struct db *d, const struct linkage_request *rq,
		  struct linkage_result **out, tb_err *err)
{
	char service[32], result[64];
	tb_err audit_err = { 0 };
	int rc;

	*out = NULL;
	if (!linkage_service_code(rq->service))
		return err_set(err, TB_E_USAGE, rq->service, "service");
	if (!ids_ok(rq->cid))
		return err_set(err, TB_E_AUTH_INVALID, 0, "cid");
	if (!ids_ok(rq->agent_cid))
		return err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
	if (!digits_only(lk->c.office_id) || !digits_only(lk->c.version))
		return err_set(err, TB_E_GDX_NOT_SET_UP, 0, "linkage.office_id");
	rc = query_run(lk, rq, out, err);
	if (!d)
		return rc;
	snprintf(service, sizeof service, "%s/%s", lk->c.office_id, linkage_service_code(rq->service));
	if (rc == 0)
		snprintf(result, sizeof result, "OK");
	else if (err && err->detail && (strcmp(err_domain(err->id), "linkage") == 0 ||
					   strcmp(err_domain(err->id), "gateway") == 0))
		snprintf(result, sizeof result, "%s %ld", err_code(err->id), err->detail);
	else
		snprintf(result, sizeof result, "%s", err ? err_code(err->id) : "ERROR");
	if (audit_append(d, &(struct audit_entry){ .username = rq->username,
			 .action = AUDIT_LINKAGE_QUERY, .service = service, .subject = rq->cid,
			 .purpose = rq->purpose, .result = result }, &audit_err)) {
		/* Registry data that was not logged is not shown. */
		linkage_result_free(out);
		if (err)
			*err = audit_err;
		return -1;
	}
	return rc;
}
