/* DBD juristic persons: see juristic.h. */
#include "config.h"

#include "services/juristic.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "services/audit.h"
#include "services/card_decode.h"
#include "services/format.h"
#include "services/http.h"
#include "services/util.h"
#include "storage/juristic_db.h"

#define DBD_OK 1000
#define DBD_NO_DATA 1004
#define DBD_BAD_ID 1051
#define DBD_QUOTA 8888

const char *juristic_source_name(enum juristic_source s)
{
	return s == JURISTIC_GDX ? "gdx" : "open";
}

/* --- status ------------------------------------------------------------------------------ */

static const struct {
	enum juristic_status s;
	const char *en, *th;
} statuses[] = {
	{ JURISTIC_ACTIVE, "active", "ยังดำเนินกิจการอยู่" },
	{ JURISTIC_DISSOLVED, "dissolved", "เลิก" },
	{ JURISTIC_LIQUIDATED, "liquidated", "เสร็จชำระบัญชี" },
	{ JURISTIC_ABANDONED, "abandoned", "ร้าง" },
};

enum juristic_status juristic_status_parse(const char *t)
{
	if (!t || !*t)
		return JURISTIC_STATUS_UNKNOWN;
	/* Order matters: "เสร็จการชำระบัญชี" holds no "เลิก", but DBD also
	 * writes "เลิกกิจการ" and "ยังดำเนินกิจการอยู่" holds "กิจการ". */
	if (strstr(t, "ยังดำเนินกิจการ"))
		return JURISTIC_ACTIVE;
	if (strstr(t, "เสร็จ") && strstr(t, "ชำระบัญชี"))
		return JURISTIC_LIQUIDATED;
	if (strncmp(t, "ร้าง", strlen("ร้าง")) == 0)
		return JURISTIC_ABANDONED;
	if (strncmp(t, "เลิก", strlen("เลิก")) == 0)
		return JURISTIC_DISSOLVED;
	return JURISTIC_STATUS_UNKNOWN;
}

const char *juristic_status_name(enum juristic_status s, enum tb_lang lang)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (statuses[i].s == s)
			return lang == TB_LANG_TH ? statuses[i].th : statuses[i].en;
	return NULL;
}

void juristic_fieldmap_defaults(struct juristic_fieldmap *m)
{
#define JR_MAP_DEFAULT(f, key, def) str_copy(m->f, sizeof m->f, def);
	JURISTIC_FIELDS(JR_MAP_DEFAULT)
#undef JR_MAP_DEFAULT
}

/* --- configuration ---------------------------------------------------------------------- */

static int url_ok(const char *u)
{
	return strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0;
}

/* The paths go into URLs as they are: a plain path only. */
static int path_ok(const char *p)
{
	if (p[0] != '/')
		return 0;
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/-_.~", *p))
			return 0;
	return 1;
}

int juristic_config_from(struct juristic_config *jc, struct config *c, int gdx_set_up,
			 tb_err *err)
{
	long timeout = HTTP_TIMEOUT_MS, connect = HTTP_CONNECT_TIMEOUT_MS, max = HTTP_MAX_BODY;
	long ttl = 86400;
	const char *src;

	memset(jc, 0, sizeof *jc);
	str_copy(jc->open_url, sizeof jc->open_url, "https://openapi.dbd.go.th");
	str_copy(jc->open_path, sizeof jc->open_path, "/api/v1/juristic_person/");
	str_copy(jc->gdx_path, sizeof jc->gdx_path, "/ws/dbd/juristic/v7/general/profile");
	juristic_fieldmap_defaults(&jc->map);
	if (config_text(c, "dbd.open_url", jc->open_url, sizeof jc->open_url, err) ||
	    config_text(c, "dbd.open_path", jc->open_path, sizeof jc->open_path, err) ||
	    config_text(c, "dbd.gdx_path", jc->gdx_path, sizeof jc->gdx_path, err) ||
	    config_long(c, "dbd.cache_ttl_s", 0, 366L * 86400, &ttl, err) ||
	    config_text(c, "http.ca_file", jc->ca_file, sizeof jc->ca_file, err) ||
	    config_text(c, "http.pin", jc->pin, sizeof jc->pin, err) ||
	    config_text(c, "http.proxy", jc->proxy, sizeof jc->proxy, err) ||
	    config_long(c, "http.timeout_ms", 100, 600000, &timeout, err) ||
	    config_long(c, "http.connect_timeout_ms", 100, 600000, &connect, err) ||
	    config_long(c, "http.max_body", 1024, 64L * 1024 * 1024, &max, err))
		return -1;
#define JR_MAP_CONF(f, key, def) \
	if (config_text(c, "dbd.field." key, jc->map.f, sizeof jc->map.f, err)) \
		return -1;
	JURISTIC_FIELDS(JR_MAP_CONF)
#undef JR_MAP_CONF
	if (!url_ok(jc->open_url))
		return err_set(err, TB_E_CONFIG, 0, "dbd.open_url");
	if (!path_ok(jc->open_path))
		return err_set(err, TB_E_CONFIG, 0, "dbd.open_path");
	if (!path_ok(jc->gdx_path))
		return err_set(err, TB_E_CONFIG, 0, "dbd.gdx_path");
	jc->cache_ttl_s = ttl;
	jc->timeout_ms = timeout;
	jc->connect_timeout_ms = connect;
	jc->max_body = (size_t)max;
	src = config_get(c, "dbd.source");
	if (!src)
		jc->source = gdx_set_up ? JURISTIC_GDX : JURISTIC_OPEN;
	else if (strcmp(src, "gdx") == 0)
		jc->source = JURISTIC_GDX;
	else if (strcmp(src, "open") == 0)
		jc->source = JURISTIC_OPEN;
	else
		return err_set(err, TB_E_CONFIG, 0, "dbd.source (gdx or open)");
	if (jc->source == JURISTIC_GDX && !gdx_set_up)
		return err_set(err, TB_E_GDX_NOT_SET_UP, 0, "dbd.source = gdx needs gdx.*");
	return 0;
}

/* --- reading fields ---------------------------------------------------------------------- */

/* Copies text from DBD: whole UTF-8 characters, no C0/C1 controls (line
 * breaks and tabs become spaces, runs of spaces one), trimmed. */
static size_t text_clean(char *out, size_t size, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	while (*p) {
		size_t n = 1;

		if (*p >= 0xC0)
			while ((p[n] & 0xC0) == 0x80 && n < 4)
				n++;
		if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ') {
			if (o > 0 && out[o - 1] != ' ' && o + 1 < size)
				out[o++] = ' ';
			p++;
			continue;
		}
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
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return o;
}

static char *text_dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		text_clean(d, n, s);
	return d;
}

static const cJSON *field(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) && key && *key ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && strcmp(s + a - b, tail) == 0;
}

/* The text of a value: a string, a number as an integer, or an object read
 * through its Thai text member (DBD nests {"cr:CityTextTH": ...}), else its
 * first text; one level of nesting is followed. */
static const char *value_text(const cJSON *v, char *buf, size_t size, int depth)
{
	const cJSON *it;

	buf[0] = '\0';
	if (cJSON_IsString(v) && v->valuestring)
		return v->valuestring;
	if (cJSON_IsNumber(v) && v->valuedouble != 0 && v->valuedouble > -1e15 && v->valuedouble < 1e15) {
		snprintf(buf, size, "%.0f", v->valuedouble);
		return buf;
	}
	if (!cJSON_IsObject(v) || depth > 2)
		return buf;
	cJSON_ArrayForEach(it, v)
		if (it->string && (ends_with(it->string, "TextTH") || ends_with(it->string, "TH")) &&
		    cJSON_IsString(it))
			return it->valuestring;
	cJSON_ArrayForEach(it, v) {
		const char *t = value_text(it, buf, size, depth + 1);
		if (*t)
			return t;
	}
	return buf;
}

static void get_text(const cJSON *o, const char *key, char *out, size_t size)
{
	char buf[64];

	text_clean(out, size, value_text(field(o, key), buf, sizeof buf, 0));
}

/* A date as DBD writes it, B.E. or C.E., "YYYYMMDD" or "YYYY-MM-DD" (maybe
 * with a time after), to B.E. YYYYMMDD; 0 when not a date. */
static int32_t date_be(const char *s)
{
	char d[9];
	size_t n = 0;
	long v, y, m, day;

	for (; *s && n < 8; s++) {
		if (isdigit((unsigned char)*s))
			d[n++] = *s;
		else if (*s != '-' && *s != '/')
			break;
	}
	if (n != 8)
		return 0;
	d[8] = '\0';
	v = strtol(d, NULL, 10);
	y = v / 10000;
	m = v / 100 % 100;
	day = v % 100;
	if (y < 2400)
		y += 543;     /* the open API's Christian-era dates */
	if (y < 2400 || y > 2999 || m > 12 || day > 31 || (m == 0 && day != 0))
		return 0;
	return (int32_t)(y * 10000 + m * 100 + day);
}

int64_t juristic_money_parse(const char *s)
{
	int64_t baht = 0, satang = 0;
	int digits = 0, frac = 0;

	if (!s)
		return -1;
	while (*s == ' ')
		s++;
	for (; *s && *s != '.'; s++) {
		if (*s == ',' || *s == ' ')
			continue;
		if (!isdigit((unsigned char)*s) || baht > INT64_MAX / 1000)
			return -1;
		baht = baht * 10 + (*s - '0');
		digits++;
	}
	if (*s == '.') {
		for (s++; *s; s++) {
			if (*s == ' ')
				continue;
			if (!isdigit((unsigned char)*s))
				return -1;
			/* Beyond satang: cut, as DBD's figures never go there. */
			if (frac < 2)
				satang = satang * 10 + (*s - '0');
			frac++;
		}
	}
	if (!digits && !frac)
		return -1;
	if (frac == 1)
		satang *= 10;
	return baht * 100 + satang;
}

static int64_t get_money(const cJSON *o, const char *key)
{
	const cJSON *v = field(o, key);

	if (cJSON_IsNumber(v))
		return v->valuedouble >= 0 && v->valuedouble < 1e15 ? (int64_t)(v->valuedouble * 100 + 0.5) : -1;
	if (cJSON_IsString(v))
		return juristic_money_parse(v->valuestring);
	return -1;
}

void juristic_money_format(int64_t satang, enum tb_lang lang, char *out, size_t size)
{
	char digits[32], grouped[48];
	size_t n, g = 0;

	if (satang < 0) {
		snprintf(out, size, "-");
		return;
	}
	snprintf(digits, sizeof digits, "%" PRId64, satang / 100);
	n = strlen(digits);
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			grouped[g++] = ',';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	snprintf(out, size, "%s.%02d %s", grouped, (int)(satang % 100),
		 lang == TB_LANG_TH ? "บาท" : "baht");
}

/* --- the answer's shape ---------------------------------------------------------------- */

static void join_part(char *out, size_t size, size_t *o, const char *prefix, const char *s)
{
	int w;

	if (!s[0])
		return;
	w = snprintf(out + *o, size - *o, "%s%s%s", *o ? " " : "", prefix, s);
	if (w > 0 && (size_t)w < size - *o)
		*o += (size_t)w;
}

static void parse_address(const cJSON *a, const struct juristic_fieldmap *m, char *out,
			  size_t size)
{
	const char *const keys[] = { m->a_no, m->a_building, m->a_moo, m->a_soi, m->a_road,
				     m->a_subdistrict, m->a_district, m->a_province, m->a_postcode };
	char part[JR_TEXT];
	size_t o = 0;

	out[0] = '\0';
	if (cJSON_IsString(a)) {
		text_clean(out, size, a->valuestring);
		return;
	}
	/* {"cr:AddressType": {...}}: the fields are one level down. */
	if (cJSON_IsObject(a) && a->child && !a->child->next && cJSON_IsObject(a->child))
		a = a->child;
	if (!cJSON_IsObject(a))
		return;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		get_text(a, keys[i], part, sizeof part);
		join_part(out, size, &o, keys[i] == m->a_moo && part[0] ? "หมู่ที่ " : "", part);
	}
	/* A shape we do not know: its texts in order rather than nothing. */
	if (!o) {
		const cJSON *it;
		cJSON_ArrayForEach(it, a) {
			char buf[64];
			text_clean(part, sizeof part, value_text(it, buf, sizeof buf, 1));
			join_part(out, size, &o, "", part);
		}
	}
}

static char *parse_objective(const cJSON *v)
{
	char buf[64];
	const cJSON *it;

	/* A list of objectives: the first with text. */
	if (cJSON_IsArray(v))
		cJSON_ArrayForEach(it, v) {
			const char *t = value_text(it, buf, sizeof buf, 0);
			if (*t)
				return text_dup(t);
		}
	return text_dup(value_text(v, buf, sizeof buf, 0));
}

static void parse_director(const cJSON *o, const struct juristic_fieldmap *m,
			   struct juristic_director *d)
{
	char seq[32];

	get_text(o, m->d_seq, seq, sizeof seq);
	d->seq = atoi(seq);
	get_text(o, m->d_type, d->type, sizeof d->type);
	get_text(o, m->d_title, d->title, sizeof d->title);
	get_text(o, m->d_first, d->first, sizeof d->first);
	get_text(o, m->d_last, d->last, sizeof d->last);
	get_text(o, m->d_invest_type, d->invest_type, sizeof d->invest_type);
	d->amount = get_money(o, m->d_amount);
}

/* Numbered ones by number, unnumbered ones after them; ties keep the
 * answer's order (an insertion sort: a board has a handful of people). */
static int director_before(const struct juristic_director *x, const struct juristic_director *y)
{
	if (x->seq > 0 && y->seq > 0)
		return x->seq < y->seq;
	return x->seq > 0 && y->seq <= 0;
}

static int parse_directors(const cJSON *list, const struct juristic_fieldmap *m,
			   struct juristic_result *r, tb_err *err)
{
	size_t n = cJSON_IsArray(list) ? (size_t)cJSON_GetArraySize(list) : (size_t)(cJSON_IsObject(list) != 0);
	const cJSON *it;

	if (!n)
		return 0;
	r->directors = calloc(n, sizeof *r->directors);
	if (!r->directors)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	if (cJSON_IsObject(list)) {
		parse_director(list, m, &r->directors[r->n_directors++]);
		return 0;
	}
	cJSON_ArrayForEach(it, list)
		if (cJSON_IsObject(it))
			parse_director(it, m, &r->directors[r->n_directors++]);
	for (size_t i = 1; i < r->n_directors; i++) {
		struct juristic_director d = r->directors[i];
		size_t k = i;

		while (k > 0 && director_before(&d, &r->directors[k - 1])) {
			r->directors[k] = r->directors[k - 1];
			k--;
		}
		r->directors[k] = d;
	}
	return 0;
}

static int parse_signing(const cJSON *v, const struct juristic_fieldmap *m,
			 struct juristic_result *r, tb_err *err)
{
	size_t n = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : (size_t)(v && !cJSON_IsNull(v));
	const cJSON *it;

	if (!n)
		return 0;
	r->signing = calloc(n, sizeof *r->signing);
	if (!r->signing)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	for (it = cJSON_IsArray(v) ? v->child : v; it && r->n_signing < n;
	     it = cJSON_IsArray(v) ? it->next : NULL) {
		char buf[64];
		const char *t = field(it, m->s_text) ? value_text(field(it, m->s_text), buf, sizeof buf, 0)
						     : value_text(it, buf, sizeof buf, 0);
		char *line;

		if (!*t)
			continue;
		line = text_dup(t);
		if (!line)
			return err_set(err, TB_E_NOMEM, 0, NULL);
		if (!*line) {
			free(line);
			continue;
		}
		r->signing[r->n_signing++] = line;
	}
	return 0;
}

static int parse_person(const cJSON *p, const struct juristic_fieldmap *m,
			struct juristic_result *r, tb_err *err)
{
	char raw[64];
	const cJSON *addr;

	get_text(p, m->id, raw, sizeof raw);
	{
		char *w = raw;
		for (const char *q = raw; *q; q++)
			if (*q != '-' && *q != ' ')
				*w++ = *q;
		*w = '\0';
	}
	if (strlen(raw) == 13 && strspn(raw, "0123456789") == 13)
		memcpy(r->id, raw, JR_ID);
	get_text(p, m->name_th, r->name_th, sizeof r->name_th);
	get_text(p, m->name_en, r->name_en, sizeof r->name_en);
	if (!r->id[0] && !r->name_th[0] && !r->name_en[0])
		return err_set(err, TB_E_NET_MALFORMED, 0, "no juristic ID or name");
	get_text(p, m->type, r->type, sizeof r->type);
	get_text(p, m->status, r->status_text, sizeof r->status_text);
	r->status = juristic_status_parse(r->status_text);
	get_text(p, m->registered, raw, sizeof raw);
	r->registered = date_be(raw);
	r->capital = get_money(p, m->capital);
	r->paid_up = get_money(p, m->paid_up);
	addr = field(p, m->address);
	if (!addr)
		addr = field(p, "cd:OrganizationJuristicAddress");
	parse_address(addr, m, r->address, sizeof r->address);
	r->objective = parse_objective(field(p, m->objective));
	if (!r->objective)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	if (parse_directors(field(p, m->directors), m, r, err) ||
	    parse_signing(field(p, m->signing), m, r, err))
		return -1;
	return 0;
}

/* --- errors ----------------------------------------------------------------------------- */

static long code_of(const cJSON *v)
{
	char buf[64], *end;
	const char *t = value_text(v, buf, sizeof buf, 0);
	long n;

	if (!*t)
		return 0;
	n = strtol(t, &end, 10);
	return *end ? -1 : n;
}

static int dbd_code_error(long code, tb_err *err)
{
	switch (code) {
	case DBD_NO_DATA:
		return err_set(err, TB_E_DBD_NOT_FOUND, code, NULL);
	case DBD_BAD_ID:
		return err_set(err, TB_E_DBD_BAD_ID, code, NULL);
	case DBD_QUOTA:
		return err_set(err, TB_E_DBD_QUOTA, code, NULL);
	default:
		return err_set(err, TB_E_DBD_OTHER, code, NULL);
	}
}

/* An HTML page (the firewall's, a proxy's, a maintenance notice) rather
 * than JSON: the open API says text/html for its JSON too, so the body
 * decides, and the content type only counts when the body is not JSON. */
static int looks_html(const char *body, size_t len, const char *ctype)
{
	size_t i = 0;

	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)body[i]))
		i++;
	if (i < len && body[i] == '<')
		return 1;
	return i < len && body[i] != '{' && body[i] != '[' && ctype && strcasestr(ctype, "html");
}

static int juristic_status_check(enum juristic_source src, long status, tb_err *err)
{
	if (status >= 200 && status <= 299)
		return 0;
	if (src == JURISTIC_GDX)
		return http_status_check(status, err);
	if (status == 403 || status == 429)
		return err_set(err, TB_E_DBD_BLOCKED, status, NULL);
	if (status >= 500)
		return err_set(err, TB_E_DBD_UNREACHABLE, status, "HTTP");
	return err_set(err, TB_E_DBD_OTHER, status, "HTTP");
}

int juristic_err_transient(const tb_err *e)
{
	switch (e->id) {
	case TB_E_DBD_QUOTA:
	case TB_E_DBD_BLOCKED:
	case TB_E_DBD_UNREACHABLE:
	case TB_E_NET_UNREACHABLE:
	case TB_E_NET_SERVER:
	case TB_E_NET_TRUNCATED:
	case TB_E_NET_MALFORMED:
	case TB_E_LK_QUOTA:
	case TB_E_LK_CLOSED:
	case TB_E_LK_PROVIDER:
		return 1;
	default:
		return 0;
	}
}

/* --- parse ------------------------------------------------------------------------------ */

static const cJSON *the_data(const cJSON *root)
{
	const cJSON *data = field(root, "data");

	if (cJSON_IsArray(data)) {
		const cJSON *it;
		cJSON_ArrayForEach(it, data)
			if (cJSON_IsObject(it))
				return it;
		return NULL;
	}
	return cJSON_IsObject(data) && data->child ? data : NULL;
}

int juristic_parse(enum juristic_source src, long status, const char *content_type,
		   const char *body, size_t len, const struct juristic_fieldmap *map,
		   struct juristic_result **out, tb_err *err)
{
	struct juristic_fieldmap defaults;
	struct juristic_result *r = NULL;
	const cJSON *st, *data, *person;
	cJSON *root = NULL;
	long code;
	int rc = -1;

	*out = NULL;
	if (!map) {
		juristic_fieldmap_defaults(&defaults);
		map = &defaults;
	}
	if (!body)
		body = "", len = 0;
	if (looks_html(body, len, content_type)) {
		if (status == 403 || status == 429)
			return err_set(err, TB_E_DBD_BLOCKED, status, "HTML page");
		if (juristic_status_check(src, status, err))
			return -1;
		return err_set(err, TB_E_NET_MALFORMED, status, "HTML page, not JSON");
	}
	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)
		body += 3, len -= 3;
	root = len ? cJSON_ParseWithLength(body, len) : NULL;
	/* GDX's own refusals, before DBD's: {"Code":"90008", ...}. */
	if (src == JURISTIC_GDX && (code = code_of(field(root, "Code"))) > 0) {
		err_set(err, linkage_code_error(code), code, NULL);
		goto out;
	}
	st = field(root, "status");
	code = cJSON_IsObject(st) ? code_of(field(st, "code")) : 0;
	if (code && code != DBD_OK) {
		dbd_code_error(code, err);
		goto out;
	}
	if (juristic_status_check(src, status, err))
		goto out;
	if (!cJSON_IsObject(root)) {
		err_set(err, TB_E_NET_MALFORMED, 0, "not JSON");
		goto out;
	}
	data = the_data(root);
	if (!data) {
		/* {} or [] or null: DBD's way of saying there is none. */
		if (field(root, "data") || code == DBD_OK)
			err_set(err, TB_E_DBD_NOT_FOUND, 0, NULL);
		else
			err_set(err, TB_E_NET_MALFORMED, 0, "no data");
		goto out;
	}
	person = field(data, map->root);
	if (!person && field(data, map->id))
		person = data;
	if (!cJSON_IsObject(person)) {
		err_set(err, TB_E_NET_MALFORMED, 0, "no juristic person");
		goto out;
	}
	r = calloc(1, sizeof *r);
	if (!r) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		goto out;
	}
	r->source = src;
	if (parse_person(person, map, r, err)) {
		juristic_result_free(&r);
		goto out;
	}
	*out = r;
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

void juristic_result_free(struct juristic_result **rp)
{
	struct juristic_result *r = *rp;

	if (!r)
		return;
	free(r->objective);
	free(r->directors);
	for (size_t i = 0; i < r->n_signing; i++)
		free(r->signing[i]);
	free(r->signing);
	free(r);
	*rp = NULL;
}

int juristic_id_valid(const char *id)
{
	return id && strlen(id) == 13 && strspn(id, "0123456789") == 13 && cid_valid(id);
}

/* --- age ------------------------------------------------------------------------------- */

void juristic_age_format(int64_t fetched_at, int64_t now, enum tb_lang lang, char *out,
			 size_t size)
{
	time_t t = (time_t)fetched_at, n = (time_t)now;
	struct tm at, today;
	char when[64] = "", ago[64];
	int64_t age = now > fetched_at ? now - fetched_at : 0;
	long v;
	int th = lang == TB_LANG_TH;

	localtime_r(&t, &at);
	localtime_r(&n, &today);
	if (at.tm_year != today.tm_year || at.tm_yday != today.tm_yday) {
		struct card_date d = { at.tm_year + 1900 + 543, at.tm_mon + 1, at.tm_mday, false };
		format_date(&d, lang, when, sizeof when);
		strcat(when, " ");
	}
	snprintf(when + strlen(when), sizeof when - strlen(when), "%02d:%02d%s", at.tm_hour,
		 at.tm_min, th ? " น." : "");
	if (age < 60) {
		snprintf(ago, sizeof ago, "%s", th ? "เมื่อสักครู่" : "just now");
	} else if (age < 3600) {
		v = (long)(age / 60);
		snprintf(ago, sizeof ago, th ? "%ld นาทีที่แล้ว" : "%ld minute%s ago", v,
			 th ? "" : v == 1 ? "" : "s");
	} else if (age < 86400) {
		v = (long)(age / 3600);
		snprintf(ago, sizeof ago, th ? "%ld ชั่วโมงที่แล้ว" : "%ld hour%s ago", v,
			 th ? "" : v == 1 ? "" : "s");
	} else {
		v = (long)(age / 86400);
		snprintf(ago, sizeof ago, th ? "%ld วันที่แล้ว" : "%ld day%s ago", v,
			 th ? "" : v == 1 ? "" : "s");
	}
	if (th)
		snprintf(out, size, "ข้อมูล ณ %s (%s)", when, ago);
	else
		snprintf(out, size, "as of %s, %s", when, ago);
}

/* --- the client ------------------------------------------------------------------------- */

#define URL_MAX 2048
#define TOKEN_MAX 1024

struct juristic {
	struct juristic_config c;
	struct linkage *gdx;
	struct http *h;
	struct juristic_stats st;
};

struct juristic *juristic_new(const struct juristic_config *c, struct linkage *gdx, tb_err *err)
{
	struct juristic *j;
	struct http_opts o = { .connect_timeout_ms = c->connect_timeout_ms,
		.timeout_ms = c->timeout_ms, .max_body = c->max_body, .ca_file = c->ca_file,
		.pin = c->pin, .proxy = c->proxy };

	if (c->source == JURISTIC_GDX && !gdx) {
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
		return NULL;
	}
	j = calloc(1, sizeof *j);
	if (!j) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	j->c = *c;
	j->gdx = gdx;
	if (c->source == JURISTIC_GDX) {
		/* The gateway's own TLS settings, as the Linkage client has them. */
		const struct linkage_config *lc = linkage_gdx_config(gdx);
		o = (struct http_opts){ .connect_timeout_ms = lc->connect_timeout_ms,
			.timeout_ms = lc->timeout_ms, .max_body = lc->max_body, .ca_file = lc->ca_file,
			.pin = lc->pin, .proxy = lc->proxy };
	}
	j->h = http_new(&o, err);
	if (!j->h)
		juristic_free(&j);
	return j;
}

void juristic_free(struct juristic **jp)
{
	struct juristic *j = *jp;

	if (!j)
		return;
	http_free(&j->h);
	free(j);
	*jp = NULL;
}

const struct juristic_stats *juristic_stats(const struct juristic *j)
{
	return &j->st;
}

enum juristic_source juristic_source_of(const struct juristic *j)
{
	return j->c.source;
}

static int url_join(char *out, size_t size, const char *base, const char *path, const char *id)
{
	size_t n = strlen(base);
	int w;

	while (n > 0 && base[n - 1] == '/')
		n--;
	w = snprintf(out, size, "%.*s%s%s", (int)n, base, path, id);
	return w < 0 || (size_t)w >= size ? -1 : 0;
}

struct answer {
	long status;
	char ctype[128];
	char *body;
	size_t len;
};

static void answer_free(struct answer *a)
{
	free(a->body);
	*a = (struct answer){ 0 };
}

/* One request to the end: the status, content type and a copy of the body. */
static int send_one(struct juristic *j, const char *url, const char *const *headers,
		    const char *post, struct answer *a, tb_err *err)
{
	struct http_xfer *x;
	const char *b;
	int rc = -1;

	answer_free(a);
	x = post ? http_post(j->h, url, headers, post, strlen(post), err)
		 : http_get(j->h, url, headers, err);
	if (!x)
		return -1;
	j->st.requests++;
	if (http_wait(j->h, x, err) == 0 && http_xfer_result(x, &a->status, &b, &a->len, err) == 0) {
		str_copy(a->ctype, sizeof a->ctype, http_xfer_content_type(x));
		a->body = malloc(a->len + 1);
		if (!a->body) {
			err_set(err, TB_E_NOMEM, 0, NULL);
		} else {
			memcpy(a->body, b, a->len + 1);
			rc = 0;
		}
	} else if (j->c.source == JURISTIC_OPEN && err && err->id == TB_E_NET_UNREACHABLE) {
		/* Not the GDX gateway: name the service that failed. */
		err->id = TB_E_DBD_UNREACHABLE;
	}
	http_xfer_free(&x);
	return rc;
}

static int fetch_open(struct juristic *j, const char *id, struct answer *a, tb_err *err)
{
	static const char *const headers[] = { "Accept: application/json", NULL };
	char url[URL_MAX];

	if (url_join(url, sizeof url, j->c.open_url, j->c.open_path, id))
		return err_set(err, TB_E_CONFIG, 0, "dbd.open_url");
	return send_one(j, url, headers, NULL, a, err);
}

static int fetch_gdx_once(struct juristic *j, const char *agent, const char *url,
			  const char *post, struct answer *a, tb_err *err)
{
	const struct linkage_config *lc = linkage_gdx_config(j->gdx);
	char key[256], tok[TOKEN_MAX + 16], token[TOKEN_MAX];
	const char *headers[] = { key, tok, "Content-Type: application/json",
				  "Accept: application/json", NULL };
	int rc = -1;

	if (linkage_gdx_token(j->gdx, agent, token, sizeof token, err))
		return -1;
	if (snprintf(key, sizeof key, "Consumer-Key: %s", lc->consumer_key) >= (int)sizeof key ||
	    snprintf(tok, sizeof tok, "Token: %s", token) >= (int)sizeof tok)
		err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.consumer_key");
	else
		rc = send_one(j, url, headers, post, a, err);
	explicit_bzero(key, sizeof key);
	explicit_bzero(tok, sizeof tok);
	explicit_bzero(token, sizeof token);
	return rc;
}

static int fetch_gdx(struct juristic *j, const struct juristic_request *rq, struct answer *a,
		     tb_err *err)
{
	const struct linkage_config *lc = linkage_gdx_config(j->gdx);
	char url[URL_MAX], post[64];

	if (url_join(url, sizeof url, lc->url, j->c.gdx_path, ""))
		return err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
	snprintf(post, sizeof post, "{\"OrganizationJuristicID\":\"%s\"}", rq->id);
	if (fetch_gdx_once(j, rq->agent_cid, url, post, a, err))
		return -1;
	if (linkage_token_expired(a->status, a->body, a->len)) {
		/* Once, as the Linkage transport does; a refusal stays one. */
		linkage_forget_token(j->gdx);
		if (fetch_gdx_once(j, rq->agent_cid, url, post, a, err))
			return -1;
		if (linkage_token_expired(a->status, a->body, a->len))
			linkage_forget_token(j->gdx);
	}
	return 0;
}

/* A cached copy parsed; 1 found, 0 none (or unreadable: then ignored). */
static int from_cache(struct juristic *j, struct db *d, const char *id, const char *source,
		      struct juristic_result **out, tb_err *err)
{
	char src[8] = "";
	char *body = NULL;
	size_t len = 0;
	int64_t at = 0;
	tb_err perr = { 0 };
	int rc = juristic_db_get(d, id, source, &body, &len, &at, src, sizeof src, err);

	if (rc <= 0)
		return rc;
	rc = juristic_parse(strcmp(src, "gdx") == 0 ? JURISTIC_GDX : JURISTIC_OPEN, 200, NULL, body,
			    len, &j->c.map, out, &perr) == 0;
	free(body);
	if (rc)
		(*out)->fetched_at = at;
	return rc;
}

static int lookup_run(struct juristic *j, struct db *d, const struct juristic_request *rq,
		      struct juristic_result **out, tb_err *err)
{
	const char *src = juristic_source_name(j->c.source);
	int64_t now = d ? db_now(d) : (int64_t)time(NULL);
	struct answer a = { 0 };
	tb_err why = { 0 };
	int rc;

	if (d && !rq->refresh && j->c.cache_ttl_s > 0) {
		rc = from_cache(j, d, rq->id, src, out, err);
		if (rc < 0)
			return -1;
		if (rc && now - (*out)->fetched_at < j->c.cache_ttl_s && now >= (*out)->fetched_at) {
			(*out)->from_cache = 1;
			j->st.cache_hits++;
			return 0;
		}
		juristic_result_free(out);
	}
	rc = j->c.source == JURISTIC_GDX ? fetch_gdx(j, rq, &a, &why) : fetch_open(j, rq->id, &a, &why);
	if (rc == 0)
		rc = juristic_parse(j->c.source, a.status, a.ctype, a.body, a.len, &j->c.map, out, &why);
	if (rc == 0) {
		(*out)->fetched_at = now;
		if (!(*out)->id[0])
			str_copy((*out)->id, sizeof (*out)->id, rq->id);
		/* A copy that cannot be kept costs only the next lookup. */
		if (d)
			juristic_db_put(d, rq->id, src, now, a.body, a.len, NULL);
		answer_free(&a);
		return 0;
	}
	answer_free(&a);
	if (d && juristic_err_transient(&why)) {
		/* The same source's copy first; else the other's, better than none. */
		rc = from_cache(j, d, rq->id, src, out, err);
		if (rc == 0)
			rc = from_cache(j, d, rq->id, NULL, out, err);
		if (rc < 0)
			return -1;
		if (rc) {
			(*out)->stale = 1;
			(*out)->stale_reason = why;
			j->st.stale++;
			return 0;
		}
	}
	if (err)
		*err = why;
	return -1;
}

int juristic_lookup(struct juristic *j, struct db *d, const struct juristic_request *rq,
		    struct juristic_result **out, tb_err *err)
{
	char service[16], result[96];
	tb_err audit_err = { 0 }, e = { 0 };
	int rc;

	*out = NULL;
	if (!juristic_id_valid(rq->id))
		return err_set(err, TB_E_DBD_ID_INVALID, 0, "juristic id");
	if (j->c.source == JURISTIC_GDX && !juristic_id_valid(rq->agent_cid))
		return err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
	rc = lookup_run(j, d, rq, out, &e);
	if (rc && err)
		*err = e;
	if (!d)
		return rc;
	snprintf(service, sizeof service, "dbd/%s", juristic_source_name(j->c.source));
	if (rc == 0 && (*out)->stale)
		snprintf(result, sizeof result, "STALE %s %ld", err_code((*out)->stale_reason.id),
			 (*out)->stale_reason.detail);
	else if (rc == 0)
		snprintf(result, sizeof result, (*out)->from_cache ? "OK cache" : "OK");
	else if (e.detail)
		snprintf(result, sizeof result, "%s %ld", err_code(e.id), e.detail);
	else
		snprintf(result, sizeof result, "%s", err_code(e.id));
	if (audit_append(d, &(struct audit_entry){ .username = rq->username,
			 .action = AUDIT_JURISTIC_QUERY, .service = service, .subject = rq->id,
			 .purpose = rq->purpose, .result = result }, &audit_err)) {
		/* What was not logged is not shown. */
		juristic_result_free(out);
		if (err)
			*err = audit_err;
		return -1;
	}
	return rc;
}
