/* The Linkage Center over GDX: see linkage.h. */
#include "config.h"

#include "services/registry/linkage.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "services/accounts/audit.h"
#include "services/base/format.h"
#include "services/gateway/http.h"
#include "services/base/util.h"

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

int linkage_config_from(struct linkage_config *lc, struct config *c, tb_err *err)
{
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
	    http_settings_from(c, &lc->http, err) ||
	    config_long(c, "linkage.token_max_age_s", 0, 3300, &age, err))
		goto fail;
#define LK_MAP_CONF(f, key, def) \
	if (config_text(c, "linkage.007." key, lc->map007.f, sizeof lc->map007.f, err)) \
		goto fail;
	LINKAGE_007_FIELDS(LK_MAP_CONF)
#undef LK_MAP_CONF
	lc->token_max_age_s = (int)age;
	/* Like ssh with its keys: a secret in a file others may read, or in a
	 * file someone else controls, is refused rather than used. */
	if (lc->consumer_secret[0] && config_private(c, TB_E_SECRET_MODE, "gdx.consumer_secret", err))
		goto fail;
	if (http_url_check(lc->url, "gdx.url", err))
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

static void words_join(char *out, size_t size, const char *const *parts, size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w;

		if (!parts[i] || !parts[i][0])
			continue;
		w = snprintf(out + o, size - o, "%s%s", o ? " " : "", parts[i]);
		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
	}
}

void linkage_name_text(const char *title, const char *first, const char *middle,
		       const char *last, char *out, size_t size)
{
	char tf[2 * LK_TEXT];
	const char *parts[3];

	snprintf(tf, sizeof tf, "%s%s", title, first);
	parts[0] = tf;
	parts[1] = middle;
	parts[2] = last;
	words_join(out, size, parts, 3);
	explicit_bzero(tf, sizeof tf);
}

void linkage_address_text(const struct linkage_address *a, char *out, size_t size)
{
	char village[64] = "";
	const char *parts[8];

	if (a->village_no[0])
		snprintf(village, sizeof village, "หมู่ที่ %s", a->village_no);
	parts[0] = a->house_no;
	parts[1] = village;
	parts[2] = a->alley_way;
	parts[3] = a->alley;
	parts[4] = a->road;
	parts[5] = a->subdistrict;
	parts[6] = a->district;
	parts[7] = a->province;
	words_join(out, size, parts, 8);
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
	unsigned token_gen;          /* tokens taken in: an answer to an older one may retry */
	/* The token on its way, shared by every query that waits for it. */
	struct http_xfer *tok_x;
	char tok_agent[LK_CID];
	unsigned tok_answers;        /* token answers taken in, good or not */
	tb_err tok_err;              /* why the last one was no token */
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
	{
		struct http_opts o = http_settings_opts(&lk->c.http);
		lk->h = http_new(&o, err);
	}
	if (!lk->h)
		linkage_free(&lk);
	return lk;
}

void linkage_free(struct linkage **lkp)
{
	struct linkage *lk = *lkp;

	if (!lk)
		return;
	http_xfer_free(&lk->tok_x);
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

/* Sends for a token for agent, unless one for the same officer is already
 * on its way: every query waiting for a token waits for that one. */
static int token_start(struct linkage *lk, const char *agent, tb_err *err)
{
	char secret[3 * sizeof lk->c.consumer_secret], url[URL_MAX], key[256];
	const char *headers[] = { key, NULL };
	int rc = -1;

	if (lk->tok_x) {
		if (strcmp(lk->tok_agent, agent) == 0)
			return 0;
		http_xfer_free(&lk->tok_x);
	}
	linkage_forget_token(lk);
	if (http_escape(lk->c.consumer_secret, secret, sizeof secret) ||
	    url_make(lk, url, sizeof url, "/ws/auth/validate?ConsumerSecret=%s&AgentID=%s", secret,
		     agent) ||
	    snprintf(key, sizeof key, "Consumer-Key: %s", lk->c.consumer_key) >= (int)sizeof key) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
		goto out;
	}
	lk->st.tokens++;
	lk->tok_x = http_get(lk->h, url, headers, err);
	if (lk->tok_x) {
		str_copy(lk->tok_agent, sizeof lk->tok_agent, agent);
		rc = 0;
	}
out:
	explicit_bzero(secret, sizeof secret);
	explicit_bzero(url, sizeof url);
	explicit_bzero(key, sizeof key);
	return rc;
}

/* Takes in the token's answer once it has come. */
static void token_take(struct linkage *lk)
{
	const char *body;
	size_t len;
	long status;
	tb_err e = { 0 };

	if (!lk->tok_x || !http_xfer_done(lk->tok_x))
		return;
	if (http_xfer_result(lk->tok_x, &status, &body, &len, &e) == 0) {
		lk->st.bytes_in += len;
		if (linkage_parse_token(status, body, len, lk->token, sizeof lk->token, &e) == 0) {
			str_copy(lk->token_agent, sizeof lk->token_agent, lk->tok_agent);
			clock_gettime(CLOCK_MONOTONIC, &lk->token_at);
			lk->token_gen++;
		} else {
			linkage_forget_token(lk);
		}
	}
	lk->tok_err = e;
	lk->tok_answers++;
	lk->st.connects = http_connects(lk->h);
	http_xfer_free(&lk->tok_x);
}

static int token_fresh(const struct linkage *lk, const char *agent)
{
	return lk->token[0] && strcmp(lk->token_agent, agent) == 0 &&
	       since_s(&lk->token_at) < (double)lk->c.token_max_age_s;
}

static struct http_xfer *query_start(struct linkage *lk, int service, const char *cid,
				     tb_err *err)
{
	char url[URL_MAX], key[256], tok[TOKEN_MAX + 16];
	const char *headers[] = { key, tok, NULL };
	struct http_xfer *x = NULL;

	if (url_make(lk, url, sizeof url,
		     "/ws/dopa/linkage/v1/link?OfficeID=%s&ServiceID=%s&Version=%s&CitizenID=%s",
		     lk->c.office_id, linkage_service_code(service), lk->c.version, cid) ||
	    snprintf(key, sizeof key, "Consumer-Key: %s", lk->c.consumer_key) >= (int)sizeof key ||
	    snprintf(tok, sizeof tok, "Token: %s", lk->token) >= (int)sizeof tok) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
		goto out;
	}
	lk->st.queries++;
	x = http_get(lk->h, url, headers, err);
out:
	explicit_bzero(url, sizeof url);
	explicit_bzero(key, sizeof key);
	explicit_bzero(tok, sizeof tok);
	return x;
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

int linkage_gdx_token(struct linkage *lk, const char *agent_cid, char *out, size_t size,
		      tb_err *err)
{
	if (!ids_ok(agent_cid))
		return err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
	if (!token_fresh(lk, agent_cid)) {
		if (token_start(lk, agent_cid, err) || http_wait(lk->h, lk->tok_x, err))
			return -1;
		token_take(lk);
		if (!token_fresh(lk, agent_cid)) {
			if (err)
				*err = lk->tok_err;
			return -1;
		}
	}
	if (!str_copy(out, size, lk->token)) {
		explicit_bzero(out, size);
		return err_set(err, TB_E_LK_TOKEN, 0, "token too long");
	}
	return 0;
}

int linkage_gdx_token_poll(struct linkage *lk, const char *agent_cid, char *out, size_t size,
			   tb_err *err)
{
	if (!ids_ok(agent_cid))
		return err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
	if (lk->tok_x) {
		if (http_perform(lk->h, NULL, err))
			return -1;
		token_take(lk);
		if (lk->tok_x)
			return 0;
		if (!token_fresh(lk, agent_cid)) {
			if (err)
				*err = lk->tok_err;
			return -1;
		}
	} else if (!token_fresh(lk, agent_cid)) {
		return token_start(lk, agent_cid, err) ? -1 : 0;
	}
	if (!str_copy(out, size, lk->token)) {
		explicit_bzero(out, size);
		return err_set(err, TB_E_LK_TOKEN, 0, "token too long");
	}
	return 1;
}

const struct linkage_config *linkage_gdx_config(const struct linkage *lk)
{
	return &lk->c;
}

/* --- one request that needs the officer's token ------------------------------------------- */

/* Sent when a fresh token is there, else after the one token request every
 * waiting request shares; sent once more after an expired token, never
 * after a refusal.  The link queries and the presence check both ride on it. */
struct gdx_req {
	struct http_xfer *x;
	bool sent;                   /* a request went out */
	bool retried;
	bool awaiting_token;
	unsigned token_gen;          /* the token it went out with */
	unsigned tok_answers;        /* lk->tok_answers when it began to wait */
};

/* Starts the request itself (the token is fresh). */
typedef struct http_xfer *(*gdx_start_fn)(struct linkage *lk, const void *ctx, tb_err *err);

/* Sends, or waits for the token; -1 with err when it cannot. */
static int req_send(struct linkage *lk, struct gdx_req *r, const char *agent, gdx_start_fn start,
		    const void *ctx, tb_err *err)
{
	if (!token_fresh(lk, agent)) {
		if (!r->awaiting_token) {
			r->awaiting_token = true;
			r->tok_answers = lk->tok_answers;
		}
		return token_start(lk, agent, err);
	}
	r->awaiting_token = false;
	r->token_gen = lk->token_gen;
	r->x = start(lk, ctx, err);
	if (!r->x)
		return -1;
	r->sent = true;
	return 0;
}

enum req_state { REQ_WAITING, REQ_ANSWER, REQ_FAILED };

/* After any wake-up (http_perform and token_take done): still WAITING (on
 * its way, or sent again), an ANSWER (status and body, owned by r->x), or
 * FAILED with err.  The caller frees r->x when it is done with the body. */
static enum req_state req_step(struct linkage *lk, struct gdx_req *r, const char *agent,
			       gdx_start_fn start, const void *ctx, long *status, const char **body,
			       size_t *len, tb_err *err)
{
	if (!r->x) {
		if (!r->awaiting_token || (!token_fresh(lk, agent) && lk->tok_x))
			return REQ_WAITING;
		if (!token_fresh(lk, agent) && lk->tok_answers != r->tok_answers) {
			*err = lk->tok_err;   /* no token came */
			return REQ_FAILED;
		}
		return req_send(lk, r, agent, start, ctx, err) ? REQ_FAILED : REQ_WAITING;
	}
	if (!http_xfer_done(r->x))
		return REQ_WAITING;
	lk->st.connects = http_connects(lk->h);
	if (http_xfer_result(r->x, status, body, len, err))
		return REQ_FAILED;
	lk->st.bytes_in += *len;
	if (linkage_token_expired(*status, *body, *len)) {
		/* The token this went out with is dead (another request may have
		 * fetched a newer one meanwhile). */
		if (lk->token_gen == r->token_gen)
			linkage_forget_token(lk);
		if (!r->retried) {
			/* Once, and only for an expired token: a refusal stays a refusal. */
			r->retried = true;
			lk->st.retries++;
			http_xfer_free(&r->x);
			return req_send(lk, r, agent, start, ctx, err) ? REQ_FAILED : REQ_WAITING;
		}
		if (token_message(*body, *len)) {
			err_set(err, TB_E_LK_TOKEN, *status, "token refused after renewal");
			return REQ_FAILED;
		}
		/* Any other 401/403 is the gateway refusing us: shown as such. */
	}
	return REQ_ANSWER;
}

/* --- several services at once ------------------------------------------------------------ */

struct fetch_slot {
	int service;
	const char *cid;             /* the fetch's */
	enum linkage_state state;
	struct gdx_req req;          /* once sent, audited whatever becomes of it */
	struct linkage_result *r;
	tb_err err;
};

struct linkage_fetch {
	struct linkage *lk;
	struct db *d;
	char cid[LK_CID], agent[LK_CID];
	char username[128], purpose[256];
	struct fetch_slot s[LINKAGE_FETCH_MAX];
	int n;
	/* Rows of answers that arrive in one step share one commit (one
	 * fsync instead of six); ended[] marks whose rows it holds. */
	bool stepping, tx;
	bool ended[LINKAGE_FETCH_MAX];
};

/* One audit row per service asked for: "OK", or the error's code and the
 * gateway's number.  Registry data that was not logged is not shown. */
static void slot_audit(struct linkage_fetch *f, struct fetch_slot *s)
{
	char service[32], result[64];
	const tb_err *e = &s->err;
	tb_err audit_err = { 0 };

	if (!f->d)
		return;
	if (f->stepping) {
		if (!f->tx && db_tx_begin(f->d, &audit_err) == 0)
			f->tx = true;
		f->ended[s - f->s] = true;
	}
	snprintf(service, sizeof service, "%s/%s", f->lk->c.office_id,
		 linkage_service_code(s->service));
	if (s->state == LINKAGE_DONE)
		snprintf(result, sizeof result, "OK");
	else if (e->detail && (strcmp(err_domain(e->id), "linkage") == 0 ||
			       strcmp(err_domain(e->id), "gateway") == 0))
		snprintf(result, sizeof result, "%s %ld", err_code(e->id), e->detail);
	else
		snprintf(result, sizeof result, "%s", err_code(e->id));
	if (audit_append(f->d, &(struct audit_entry){ .username = f->username,
			 .action = AUDIT_LINKAGE_QUERY, .service = service, .subject = f->cid,
			 .purpose = f->purpose[0] ? f->purpose : NULL, .result = result },
			 &audit_err)) {
		/* The database's code stays as the detail, for support. */
		linkage_result_free(&s->r);
		audit_err.id = TB_E_AUDIT_UNWRITTEN;
		s->state = LINKAGE_FAILED;
		s->err = audit_err;
	}
}

static void slot_end(struct linkage_fetch *f, struct fetch_slot *s, const tb_err *e)
{
	http_xfer_free(&s->req.x);
	s->req.awaiting_token = false;
	s->state = e ? LINKAGE_FAILED : LINKAGE_DONE;
	if (e)
		s->err = *e;
	slot_audit(f, s);
}

static struct http_xfer *slot_start(struct linkage *lk, const void *ctx, tb_err *err)
{
	const struct fetch_slot *s = ctx;

	return query_start(lk, s->service, s->cid, err);
}

/* Moves one slot on: sent, answered, parsed. */
static void slot_step(struct linkage_fetch *f, struct fetch_slot *s)
{
	const char *body;
	size_t len;
	long status;
	tb_err e = { 0 };

	switch (req_step(f->lk, &s->req, f->agent, slot_start, s, &status, &body, &len, &e)) {
	case REQ_WAITING:
		return;
	case REQ_FAILED:
		slot_end(f, s, &e);
		return;
	case REQ_ANSWER:
		break;
	}
	if (linkage_parse(s->service, status, body, len, &f->lk->c.map007, &s->r, &e)) {
		slot_end(f, s, &e);
		return;
	}
	if (s->service == LINKAGE_PERSON && !s->r->person.cid[0])
		str_copy(s->r->person.cid, sizeof s->r->person.cid, f->cid);
	slot_end(f, s, NULL);
}

struct linkage_fetch *linkage_fetch_start(struct linkage *lk, struct db *d,
					  const struct linkage_request *rq, const int *wanted,
					  int n, tb_err *err)
{
	struct linkage_fetch *f;

	if (n < 1 || n > LINKAGE_FETCH_MAX) {
		err_set(err, TB_E_USAGE, n, "services");
		return NULL;
	}
	for (int i = 0; i < n; i++)
		if (!linkage_service_code(wanted[i])) {
			err_set(err, TB_E_USAGE, wanted[i], "service");
			return NULL;
		}
	if (!ids_ok(rq->cid)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "cid");
		return NULL;
	}
	if (!ids_ok(rq->agent_cid)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
		return NULL;
	}
	if (!digits_only(lk->c.office_id) || !digits_only(lk->c.version)) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "linkage.office_id");
		return NULL;
	}
	f = calloc(1, sizeof *f);
	if (!f) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	f->lk = lk;
	f->d = d;
	str_copy(f->cid, sizeof f->cid, rq->cid);
	str_copy(f->agent, sizeof f->agent, rq->agent_cid);
	if (!str_copy(f->username, sizeof f->username, rq->username ? rq->username : "") ||
	    !str_copy(f->purpose, sizeof f->purpose, rq->purpose ? rq->purpose : "")) {
		free(f);
		err_set(err, TB_E_USAGE, 0, "purpose");
		return NULL;
	}
	f->n = n;
	for (int i = 0; i < n; i++) {
		f->s[i].service = wanted[i];
		f->s[i].cid = f->cid;
	}
	/* All at once: libcurl runs them in parallel on the client's
	 * connections, after one shared token request when there is none. */
	for (int i = 0; i < n; i++) {
		tb_err e = { 0 };
		if (req_send(lk, &f->s[i].req, f->agent, slot_start, &f->s[i], &e))
			slot_end(f, &f->s[i], &e);
	}
	return f;
}

int linkage_fds(struct linkage *lk, struct pollfd *p, int max, int *n, int *timeout_ms,
		tb_err *err)
{
	return http_fds(lk->h, p, max, n, timeout_ms, err);
}

/* Commits the rows of the services that ended in this step; when that
 * fails none of them is shown (no registry data without its row). */
static void step_commit(struct linkage_fetch *f)
{
	tb_err e = { 0 };

	f->stepping = false;
	if (!f->tx)
		return;
	f->tx = false;
	if (db_tx_end(f->d, 1, &e))
		e.id = TB_E_AUDIT_UNWRITTEN;
	for (int i = 0; i < f->n; i++) {
		if (e.id && f->ended[i]) {
			linkage_result_free(&f->s[i].r);
			f->s[i].state = LINKAGE_FAILED;
			f->s[i].err = e;
		}
		f->ended[i] = false;
	}
}

int linkage_fetch_step(struct linkage_fetch *f)
{
	struct linkage *lk = f->lk;
	tb_err e = { 0 };
	int waiting = 0;

	f->stepping = true;
	if (http_perform(lk->h, NULL, &e)) {
		for (int i = 0; i < f->n; i++)
			if (f->s[i].state == LINKAGE_WAITING)
				slot_end(f, &f->s[i], &e);
		step_commit(f);
		return 0;
	}
	token_take(lk);
	for (int i = 0; i < f->n; i++) {
		struct fetch_slot *s = &f->s[i];

		if (s->state != LINKAGE_WAITING)
			continue;
		slot_step(f, s);
		if (s->state == LINKAGE_WAITING)
			waiting++;
	}
	step_commit(f);
	return waiting;
}

int linkage_fetch_wait(struct linkage_fetch *f, tb_err *err)
{
	while (linkage_fetch_step(f) > 0)
		if (http_poll(f->lk->h, NULL, 0, 1000, err))
			return -1;
	return 0;
}

enum linkage_state linkage_fetch_get(const struct linkage_fetch *f, int service,
				     const struct linkage_result **r, tb_err *err)
{
	for (int i = 0; i < f->n; i++) {
		const struct fetch_slot *s = &f->s[i];

		if (s->service != service)
			continue;
		if (r)
			*r = s->r;
		if (err && s->state == LINKAGE_FAILED)
			*err = s->err;
		return s->state;
	}
	if (r)
		*r = NULL;
	err_set(err, TB_E_USAGE, service, "service");
	return LINKAGE_FAILED;
}

int linkage_fetch_take(struct linkage_fetch *f, int service, struct linkage_result **out,
		       tb_err *err)
{
	*out = NULL;
	for (int i = 0; i < f->n; i++) {
		struct fetch_slot *s = &f->s[i];

		if (s->service != service)
			continue;
		if (s->state == LINKAGE_DONE) {
			*out = s->r;
			s->r = NULL;
			return 0;
		}
		if (s->state == LINKAGE_FAILED) {
			if (err)
				*err = s->err;
			return -1;
		}
		return err_set(err, TB_E_USAGE, service, "still waiting");
	}
	return err_set(err, TB_E_USAGE, service, "service");
}

const char *linkage_fetch_cid(const struct linkage_fetch *f)
{
	return f->cid;
}

void linkage_fetch_free(struct linkage_fetch **fp)
{
	struct linkage_fetch *f = *fp;

	if (!f)
		return;
	for (int i = 0; i < f->n; i++) {
		struct fetch_slot *s = &f->s[i];

		/* A query already sent was seen by the gateway: it is logged
		 * as cancelled. */
		if (s->state == LINKAGE_WAITING && s->req.sent) {
			tb_err e = { .id = TB_E_NET_CANCELLED };
			slot_end(f, s, &e);
		}
		http_xfer_free(&s->req.x);
		linkage_result_free(&s->r);
	}
	explicit_bzero(f, sizeof *f);
	free(f);
	*fp = NULL;
}

int linkage_query(struct linkage *lk, struct db *d, const struct linkage_request *rq,
		  struct linkage_result **out, tb_err *err)
{
	struct linkage_fetch *f;
	int rc;

	*out = NULL;
	f = linkage_fetch_start(lk, d, rq, &rq->service, 1, err);
	if (!f)
		return -1;
	rc = linkage_fetch_wait(f, err);
	if (rc == 0)
		rc = linkage_fetch_take(f, rq->service, out, err);
	linkage_fetch_free(&f);
	return rc;
}

/* --- the officer's presence ------------------------------------------------------------------ */

static const struct {
	enum linkage_session state;
	const char *wire, *en, *th, *hint_en, *hint_th;
} sessions[] = {
	{ LINKAGE_AGENT_NOT_AVAILABLE, "AgentNotAvailable",
	  "The officer's agent is not running, or the officer's card is not in it",
	  "Agent ของเจ้าหน้าที่ไม่ทำงาน หรือไม่ได้เสียบบัตรของเจ้าหน้าที่",
	  "Start the agent on the officer's computer, insert the officer's ID card and log in with its PIN; then check again",
	  "เปิดโปรแกรม Agent บนเครื่องของเจ้าหน้าที่ เสียบบัตรประชาชนของเจ้าหน้าที่และเข้าสู่ระบบด้วยรหัส PIN แล้วตรวจสอบอีกครั้ง" },
	{ LINKAGE_AGENT_AVAILABLE, "AgentAvailable",
	  "The officer's agent is running with the officer's card: Linkage queries can be sent",
	  "Agent ของเจ้าหน้าที่ทำงานอยู่พร้อมบัตรของเจ้าหน้าที่ ส่งคำขอข้อมูล Linkage ได้",
	  "For the two-card mode, insert the citizen's card as well",
	  "หากต้องการใช้งานแบบสองบัตร ให้เสียบบัตรของประชาชนผู้มาติดต่อด้วย" },
	{ LINKAGE_CITIZEN_AVAILABLE, "CitizenAvailable",
	  "The officer's card and the citizen's card are both in (the two-card mode)",
	  "มีทั้งบัตรของเจ้าหน้าที่และบัตรของประชาชนผู้มาติดต่อ (การใช้งานแบบสองบัตร)",
	  "Queries show what the citizen may see of themselves; no agency agreement is needed",
	  "ข้อมูลที่แสดงคือข้อมูลที่ประชาชนผู้นั้นมีสิทธิ์ดูของตนเอง โดยไม่ต้องมีข้อตกลงของหน่วยงาน" },
	{ LINKAGE_SESSION_UNKNOWN, NULL,
	  "The gateway gave a state this program does not know",
	  "เครื่องแม่ข่ายแจ้งสถานะที่โปรแกรมนี้ไม่รู้จัก",
	  "Note the state shown and report it to branch support; check again in a moment",
	  "จดสถานะที่แสดงแล้วแจ้งฝ่ายสนับสนุนของสาขา และตรวจสอบอีกครั้งในอีกสักครู่" },
};
#define N_SESSIONS (sizeof sessions / sizeof sessions[0])

static size_t session_at(enum linkage_session s)
{
	for (size_t i = 0; i < N_SESSIONS; i++)
		if (sessions[i].state == s)
			return i;
	return N_SESSIONS - 1;
}

const char *linkage_session_name(enum linkage_session s, enum tb_lang lang)
{
	size_t i = session_at(s);

	return lang == TB_LANG_TH ? sessions[i].th : sessions[i].en;
}

const char *linkage_session_hint(enum linkage_session s, enum tb_lang lang)
{
	size_t i = session_at(s);

	return lang == TB_LANG_TH ? sessions[i].hint_th : sessions[i].hint_en;
}

int linkage_parse_permission(long status, const char *body, size_t len,
			     struct linkage_permission *out, tb_err *err)
{
	cJSON *root;
	const cJSON *st;
	int rc = -1;

	memset(out, 0, sizeof *out);
	root = json_parse(body ? body : "", body ? len : 0);
	if (answer_check(status, root, err))
		goto out;
	st = field(root, "SessionState");
	if (!cJSON_IsString(st)) {
		err_set(err, TB_E_NET_MALFORMED, 0, "permission: no SessionState");
		goto out;
	}
	text_copy(out->state_text, sizeof out->state_text, st->valuestring);
	if (!out->state_text[0]) {
		err_set(err, TB_E_NET_MALFORMED, 0, "permission: empty SessionState");
		goto out;
	}
	out->state = LINKAGE_SESSION_UNKNOWN;
	for (size_t i = 0; i < N_SESSIONS; i++)
		if (sessions[i].wire && strcasecmp(sessions[i].wire, out->state_text) == 0)
			out->state = sessions[i].state;
	/* The agent's ID is the gateway's to define: kept as text.  13 digits
	 * fit a double exactly, so a number is read whole. */
	get_text(root, "AgentID", out->agent_id, sizeof out->agent_id);
	get_id(root, "CitizenID", out->citizen_id, sizeof out->citizen_id, 13);
	rc = 0;
out:
	if (rc)
		explicit_bzero(out, sizeof *out);
	cJSON_Delete(root);
	return rc;
}

struct linkage_permission_op {
	struct linkage *lk;
	char agent[LK_CID];
	enum linkage_state state;
	struct gdx_req req;
	struct linkage_permission res;
	tb_err err;
};

static struct http_xfer *permission_get(struct linkage *lk, const char *agent, tb_err *err)
{
	char url[URL_MAX], consumer[3 * sizeof lk->c.consumer_key], key[256], tok[TOKEN_MAX + 16];
	const char *headers[] = { key, tok, NULL };
	struct http_xfer *x = NULL;

	if (http_escape(lk->c.consumer_key, consumer, sizeof consumer) ||
	    url_make(lk, url, sizeof url,
		     "/ws/dopa/linkage/v1/agent/permission?Consumer=%s&CitizenID=%s", consumer,
		     agent) ||
	    snprintf(key, sizeof key, "Consumer-Key: %s", lk->c.consumer_key) >= (int)sizeof key ||
	    snprintf(tok, sizeof tok, "Token: %s", lk->token) >= (int)sizeof tok) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
		goto out;
	}
	lk->st.queries++;
	x = http_get(lk->h, url, headers, err);
out:
	explicit_bzero(url, sizeof url);
	explicit_bzero(consumer, sizeof consumer);
	explicit_bzero(key, sizeof key);
	explicit_bzero(tok, sizeof tok);
	return x;
}

static void permission_end(struct linkage_permission_op *op, const tb_err *e)
{
	http_xfer_free(&op->req.x);
	op->req.awaiting_token = false;
	op->state = e ? LINKAGE_FAILED : LINKAGE_DONE;
	if (e)
		op->err = *e;
}

static struct http_xfer *permission_start(struct linkage *lk, const void *ctx, tb_err *err)
{
	const struct linkage_permission_op *op = ctx;

	return permission_get(lk, op->agent, err);
}

struct linkage_permission_op *linkage_permission_start(struct linkage *lk, const char *agent_cid,
							tb_err *err)
{
	struct linkage_permission_op *op;

	if (!ids_ok(agent_cid)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
		return NULL;
	}
	op = calloc(1, sizeof *op);
	if (!op) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	op->lk = lk;
	str_copy(op->agent, sizeof op->agent, agent_cid);
	if (req_send(lk, &op->req, op->agent, permission_start, op, err)) {
		free(op);
		return NULL;
	}
	return op;
}

int linkage_permission_step(struct linkage_permission_op *op)
{
	struct linkage *lk = op->lk;
	tb_err e = { 0 };

	if (op->state != LINKAGE_WAITING)
		return 0;
	if (http_perform(lk->h, NULL, &e)) {
		permission_end(op, &e);
		return 0;
	}
	token_take(lk);
	{
		const char *body;
		size_t len;
		long status;

		switch (req_step(lk, &op->req, op->agent, permission_start, op, &status, &body, &len,
				 &e)) {
		case REQ_WAITING:
			break;
		case REQ_FAILED:
			permission_end(op, &e);
			break;
		case REQ_ANSWER:
			if (linkage_parse_permission(status, body, len, &op->res, &e))
				permission_end(op, &e);
			else
				permission_end(op, NULL);
			break;
		}
	}
	return op->state == LINKAGE_WAITING;
}

int linkage_permission_result(const struct linkage_permission_op *op,
			      struct linkage_permission *out, tb_err *err)
{
	memset(out, 0, sizeof *out);
	if (op->state == LINKAGE_WAITING)
		return err_set(err, TB_E_USAGE, 0, "still waiting");
	if (op->state == LINKAGE_FAILED) {
		if (err)
			*err = op->err;
		return -1;
	}
	*out = op->res;
	return 0;
}

void linkage_permission_free(struct linkage_permission_op **opp)
{
	struct linkage_permission_op *op = *opp;

	if (!op)
		return;
	http_xfer_free(&op->req.x);
	explicit_bzero(op, sizeof *op);
	free(op);
	*opp = NULL;
}

int linkage_permission(struct linkage *lk, const char *agent_cid, struct linkage_permission *out,
		       tb_err *err)
{
	struct linkage_permission_op *op;
	int rc = -1;

	memset(out, 0, sizeof *out);
	op = linkage_permission_start(lk, agent_cid, err);
	if (!op)
		return -1;
	while (linkage_permission_step(op) > 0)
		if (http_poll(lk->h, NULL, 0, 1000, err))
			goto out;
	rc = linkage_permission_result(op, out, err);
out:
	linkage_permission_free(&op);
	return rc;
}
