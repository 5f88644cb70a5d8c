/* DBD juristic persons: see juristic.h. */
#include "config.h"

#include "services/juristic/juristic.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "services/accounts/audit.h"
#include "services/base/format.h"
#include "services/gateway/http.h"
#include "services/base/util.h"
#include "services/base/wipe.h"
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
	long ttl = 86400, keep = 30;
	const char *src;

	memset(jc, 0, sizeof *jc);
	str_copy(jc->open_url, sizeof jc->open_url, "https://openapi.dbd.go.th");
	str_copy(jc->open_path, sizeof jc->open_path, "/api/v1/juristic_person/");
	str_copy(jc->gdx_path, sizeof jc->gdx_path, "/ws/dbd/juristic/v7/general/profile");
	juristic_fieldmap_defaults(&jc->map);
	if (config_text(c, "dbd.open_url", jc->open_url, sizeof jc->open_url, err) ||
	    config_text(c, "dbd.open_path", jc->open_path, sizeof jc->open_path, err) ||
	    config_text(c, "dbd.gdx_path", jc->gdx_path, sizeof jc->gdx_path, err) ||
	    config_text(c, "dbd.shareholders_path", jc->shareholders_path,
			sizeof jc->shareholders_path, err) ||
	    config_text(c, "dbd.financials_path", jc->financials_path, sizeof jc->financials_path,
			err) ||
	    config_long(c, "dbd.cache_ttl_s", 0, 366L * 86400, &ttl, err) ||
	    config_long(c, "dbd.cache_keep_days", 0, 3660, &keep, err) ||
	    http_settings_from(c, &jc->http, err))
		return -1;
#define JR_MAP_CONF(f, key, def) \
	if (config_text(c, "dbd.field." key, jc->map.f, sizeof jc->map.f, err)) \
		return -1;
	JURISTIC_FIELDS(JR_MAP_CONF)
#undef JR_MAP_CONF
	if (!url_ok(jc->open_url))
		return err_set(err, TB_E_CONFIG, 0, "dbd.open_url");
	if (http_url_check(jc->open_url, "dbd.open_url", err))
		return -1;
	if (!path_ok(jc->open_path))
		return err_set(err, TB_E_CONFIG, 0, "dbd.open_path");
	if (!path_ok(jc->gdx_path))
		return err_set(err, TB_E_CONFIG, 0, "dbd.gdx_path");
	if (jc->shareholders_path[0] && !path_ok(jc->shareholders_path))
		return err_set(err, TB_E_CONFIG, 0, "dbd.shareholders_path");
	if (jc->financials_path[0] && !path_ok(jc->financials_path))
		return err_set(err, TB_E_CONFIG, 0, "dbd.financials_path");
	jc->cache_ttl_s = ttl;
	jc->cache_keep_days = keep;
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

void juristic_number_format(int64_t n, char *out, size_t size)
{
	char digits[32], grouped[48];
	size_t len, g = 0;

	if (n < 0) {
		snprintf(out, size, "-");
		return;
	}
	snprintf(digits, sizeof digits, "%" PRId64, n);
	len = strlen(digits);
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[g++] = ',';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	snprintf(out, size, "%s", grouped);
}

void juristic_money_format(int64_t satang, enum tb_lang lang, char *out, size_t size)
{
	char grouped[48];

	if (satang < 0) {
		snprintf(out, size, "-");
		return;
	}
	juristic_number_format(satang / 100, grouped, sizeof grouped);
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

/* The checks every DBD answer gets, whatever it carries: an HTML page, a
 * GDX refusal, DBD's status code, the HTTP status, JSON at all.  0 and
 * *root (the caller deletes it) and DBD's code (0 when none), or -1. */
static int answer_open(enum juristic_source src, long status, const char *content_type,
		       const char *body, size_t len, cJSON **rootp, long *codep, tb_err *err)
{
	const cJSON *st;
	cJSON *root;
	long code;

	*rootp = NULL;
	*codep = 0;
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
		cJSON_Delete(root);
		return err_set(err, linkage_code_error(code), code, NULL);
	}
	st = field(root, "status");
	code = cJSON_IsObject(st) ? code_of(field(st, "code")) : 0;
	if (code && code != DBD_OK) {
		cJSON_Delete(root);
		return dbd_code_error(code, err);
	}
	if (juristic_status_check(src, status, err)) {
		cJSON_Delete(root);
		return -1;
	}
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return err_set(err, TB_E_NET_MALFORMED, 0, "not JSON");
	}
	*rootp = root;
	*codep = code;
	return 0;
}

int juristic_parse(enum juristic_source src, long status, const char *content_type,
		   const char *body, size_t len, const struct juristic_fieldmap *map,
		   struct juristic_result **out, tb_err *err)
{
	struct juristic_fieldmap defaults;
	struct juristic_result *r = NULL;
	const cJSON *data, *person;
	cJSON *root = NULL;
	long code;
	int rc = -1;

	*out = NULL;
	if (!map) {
		juristic_fieldmap_defaults(&defaults);
		map = &defaults;
	}
	if (answer_open(src, status, content_type, body, len, &root, &code, err))
		return -1;
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

/* --- shareholders and financial statements ------------------------------------------------ */

/* The list named key: under data (or data's one wrapper object, as the
 * profile has), at the top, or data itself when it is an array of entries.
 * *none: the answer says there is nothing (data {} [] null, or missing
 * with DBD's code 1000). */
static const cJSON *part_list(const cJSON *root, long code, const char *key, int *none)
{
	const cJSON *data = field(root, "data"), *l;

	*none = 0;
	if ((l = field(data, key)) || (l = field(root, key)))
		return l;
	if (cJSON_IsArray(data)) {
		if (data->child && (l = field(data->child, key)))
			return l;
		*none = !data->child;
		return data->child && !field(data->child, key) ? data : NULL;
	}
	if (cJSON_IsObject(data) && data->child && !data->child->next &&
	    (l = field(data->child, key)))
		return l;
	*none = (cJSON_IsObject(data) && !data->child) || cJSON_IsNull(data) || (!data && code == DBD_OK);
	return NULL;
}

/* Opens a part's answer; 1 with its list (*list NULL: an empty one), 0 on
 * error. */
static int part_open(enum juristic_source src, long status, const char *ctype, const char *body,
		     size_t len, const char *key, cJSON **root, const cJSON **list, tb_err *err)
{
	tb_err e = { 0 };
	long code;
	int none;

	*list = NULL;
	if (answer_open(src, status, ctype, body, len, root, &code, &e)) {
		/* 1004: no shareholders, no statements filed: an answer. */
		if (e.id == TB_E_DBD_NOT_FOUND)
			return 1;
		if (err)
			*err = e;
		return 0;
	}
	*list = part_list(*root, code, key, &none);
	if (!*list && !none) {
		err_set(err, TB_E_NET_MALFORMED, 0, key);
		return 0;
	}
	if (*list && !cJSON_IsArray(*list) && !cJSON_IsObject(*list)) {
		err_set(err, TB_E_NET_MALFORMED, 0, key);
		return 0;
	}
	return 1;
}

/* Whole numbers as DBD writes them: "25,000", 25000, "25000.00". */
static int64_t get_count(const cJSON *o, const char *key)
{
	int64_t v = get_money(o, key);

	return v < 0 ? -1 : v / 100;
}

/* Amounts that may be negative (a loss); INT64_MIN when absent. */
static int64_t get_signed_money(const cJSON *o, const char *key)
{
	const cJSON *v = field(o, key);
	char buf[64];
	const char *t;
	int64_t m;

	if (cJSON_IsNumber(v))
		return v->valuedouble > -1e15 && v->valuedouble < 1e15
			       ? (int64_t)(v->valuedouble * 100 + (v->valuedouble < 0 ? -0.5 : 0.5))
			       : INT64_MIN;
	t = value_text(v, buf, sizeof buf, 0);
	while (*t == ' ')
		t++;
	if (*t == '-' || (t[0] == '(' && strchr(t, ')'))) {
		char pos[64];
		size_t n = 0;
		for (t++; *t && *t != ')' && n + 1 < sizeof pos; t++)
			pos[n++] = *t;
		pos[n] = '\0';
		m = juristic_money_parse(pos);
		return m < 0 ? INT64_MIN : -m;
	}
	m = juristic_money_parse(t);
	return m < 0 ? INT64_MIN : m;
}

static size_t list_size(const cJSON *list)
{
	return !list ? 0 : cJSON_IsArray(list) ? (size_t)cJSON_GetArraySize(list) : 1;
}

#define LIST_EACH(it, list) \
	for (const cJSON *it = cJSON_IsArray(list) ? (list)->child : (list); it; \
	     it = cJSON_IsArray(list) ? it->next : NULL)

int juristic_parse_shareholders(enum juristic_source src, long status, const char *content_type,
				const char *body, size_t len, const struct juristic_fieldmap *map,
				struct juristic_result *r, tb_err *err)
{
	struct juristic_fieldmap defaults;
	struct juristic_shareholder *v = NULL;
	const cJSON *list;
	cJSON *root = NULL;
	size_t n = 0;

	if (!map) {
		juristic_fieldmap_defaults(&defaults);
		map = &defaults;
	}
	if (!part_open(src, status, content_type, body, len, map->shareholders, &root, &list, err)) {
		cJSON_Delete(root);
		return -1;
	}
	if (list_size(list) && !(v = calloc(list_size(list), sizeof *v))) {
		cJSON_Delete(root);
		return err_set(err, TB_E_NOMEM, 0, NULL);
	}
	LIST_EACH(it, list) {
		struct juristic_shareholder *h = &v[n];
		char seq[32];

		if (!cJSON_IsObject(it))
			continue;
		get_text(it, map->h_seq, seq, sizeof seq);
		h->seq = atoi(seq);
		get_text(it, map->h_title, h->title, sizeof h->title);
		get_text(it, map->h_first, h->first, sizeof h->first);
		get_text(it, map->h_last, h->last, sizeof h->last);
		get_text(it, map->h_nationality, h->nationality, sizeof h->nationality);
		h->shares = get_count(it, map->h_shares);
		h->amount = get_money(it, map->h_amount);
		if (!h->first[0] && !h->last[0])
			continue;   /* nobody: not shown as a blank line */
		/* By number, unnumbered ones after, as directors are. */
		for (size_t k = n; k > 0 && (h->seq > 0 && (v[k - 1].seq <= 0 || v[k - 1].seq > h->seq)); k--) {
			struct juristic_shareholder t = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t;
			h = &v[k - 1];
		}
		n++;
	}
	cJSON_Delete(root);
	wipe_free(r->shareholders);
	r->shareholders = v;
	r->n_shareholders = n;
	r->shareholders_part = JURISTIC_PART_OK;
	return 0;
}

/* A fiscal year, B.E. or C.E. ("2566", 2023, "2566-12-31"); 0 when none. */
static int year_be(const char *s)
{
	int y = atoi(s);

	if (y > 1900 && y < 2400)
		y += 543;
	return y >= 2400 && y <= 2999 ? y : 0;
}

int juristic_parse_financials(enum juristic_source src, long status, const char *content_type,
			      const char *body, size_t len, const struct juristic_fieldmap *map,
			      struct juristic_result *r, tb_err *err)
{
	struct juristic_fieldmap defaults;
	struct juristic_financial *v = NULL;
	const cJSON *list;
	cJSON *root = NULL;
	size_t n = 0;

	if (!map) {
		juristic_fieldmap_defaults(&defaults);
		map = &defaults;
	}
	if (!part_open(src, status, content_type, body, len, map->financials, &root, &list, err)) {
		cJSON_Delete(root);
		return -1;
	}
	if (list_size(list) && !(v = calloc(list_size(list), sizeof *v))) {
		cJSON_Delete(root);
		return err_set(err, TB_E_NOMEM, 0, NULL);
	}
	LIST_EACH(it, list) {
		char buf[64], year[32];
		struct juristic_financial f;
		size_t k;

		/* A bare list of years is a list of years. */
		if (cJSON_IsObject(it))
			get_text(it, map->f_year, year, sizeof year);
		else
			text_clean(year, sizeof year, value_text(it, buf, sizeof buf, 0));
		f = (struct juristic_financial){ .year = year_be(year), .revenue = INT64_MIN,
						 .profit = INT64_MIN, .assets = INT64_MIN };
		if (!f.year)
			continue;
		if (cJSON_IsObject(it)) {
			f.revenue = get_signed_money(it, map->f_revenue);
			f.profit = get_signed_money(it, map->f_profit);
			f.assets = get_signed_money(it, map->f_assets);
		}
		/* Newest first; a year twice is shown once. */
		for (k = 0; k < n && v[k].year > f.year; k++)
			;
		if (k < n && v[k].year == f.year)
			continue;
		memmove(&v[k + 1], &v[k], (n - k) * sizeof *v);
		v[k] = f;
		n++;
	}
	cJSON_Delete(root);
	wipe_free(r->financials);
	r->financials = v;
	r->n_financials = n;
	r->financials_part = JURISTIC_PART_OK;
	return 0;
}

void juristic_result_free(struct juristic_result **rp)
{
	struct juristic_result *r = *rp;

	if (!r)
		return;
	/* Directors, signers and shareholders are people: wipe, then free. */
	wipe_free(r->objective);
	wipe_free(r->directors);
	for (size_t i = 0; i < r->n_signing; i++)
		wipe_free(r->signing[i]);
	wipe_free(r->signing);
	wipe_free(r->shareholders);
	wipe_free(r->financials);
	wipe_free(r);
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

	if (!localtime_r(&t, &at) || !localtime_r(&n, &today)) {
		/* A time the C library cannot break down: say nothing rather
		 * than format garbage. */
		str_copy(out, size, "");
		return;
	}
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
/* A cached copy is the raw answers, kept together under this mark so the
 * same parsers read them back (an older copy is the profile's body alone). */
#define CACHE_MARK "tabien.cache"

struct juristic {
	struct juristic_config c;
	struct linkage *gdx;
	struct http *h;
	struct juristic_stats st;
	int purged;               /* old copies deleted once per client */
};

struct juristic *juristic_new(const struct juristic_config *c, struct linkage *gdx, tb_err *err)
{
	struct juristic *j;
	struct http_opts o = http_settings_opts(&c->http);

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
	j->gdx = c->source == JURISTIC_GDX ? gdx : NULL;
	if (c->source == JURISTIC_GDX) {
		/* The gateway's own TLS settings, as the Linkage client has them. */
		o = http_settings_opts(&linkage_gdx_config(gdx)->http);
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

static int url_join(char *out, size_t size, const char *base, const char *path, const char *tail)
{
	size_t n = strlen(base);
	int w;

	while (n > 0 && base[n - 1] == '/')
		n--;
	w = snprintf(out, size, "%.*s%s%s", (int)n, base, path, tail);
	return w < 0 || (size_t)w >= size ? -1 : 0;
}

/* The profile, then the parts some sources add. */
enum { PART_PROFILE, PART_SHAREHOLDERS, PART_FINANCIALS, PARTS };

struct answer {
	int got;                  /* the transfer ended: a body or err */
	long status;
	char ctype[128];
	char *body;
	size_t len;
	tb_err err;
};

static void answer_free(struct answer *a)
{
	/* The answer names directors and shareholders. */
	wipe_free(a->body);
	*a = (struct answer){ 0 };
}

enum op_state { OP_TOKEN, OP_SENT, OP_DONE };

struct juristic_op {
	struct juristic *j;
	char id[JR_ID], agent[JR_ID];
	char *username, *purpose;
	int refresh;
	enum op_state state;
	int retried;              /* sent again after an expired token */
	int cancelled;
	int64_t now;
	struct http_xfer *x[PARTS];
	struct answer a[PARTS];
	tb_err why;               /* no answer at all: the token, the set-up */
	struct juristic_result *cached;   /* a fresh copy: nothing was sent */
};

/* Whether this client asks for a part beyond the profile. */
static const char *part_path(const struct juristic *j, int part)
{
	const char *p = part == PART_SHAREHOLDERS ? j->c.shareholders_path
			: part == PART_FINANCIALS ? j->c.financials_path : "";

	return j->c.source == JURISTIC_GDX && p[0] ? p : NULL;
}

/* Sends every request of the lookup at once (one connection is reused when
 * the server allows; HTTP/2 multiplexes them). */
static int op_send(struct juristic_op *op, const char *token, tb_err *err)
{
	static const char *const open_headers[] = { "Accept: application/json", NULL };
	struct juristic *j = op->j;
	char url[URL_MAX], post[64], tail[64], key[256], tok[TOKEN_MAX + 16];
	const char *headers[] = { key, tok, "Content-Type: application/json",
				  "Accept: application/json", NULL };
	int rc = -1;

	if (j->c.source == JURISTIC_OPEN) {
		if (url_join(url, sizeof url, j->c.open_url, j->c.open_path, op->id))
			return err_set(err, TB_E_CONFIG, 0, "dbd.open_url");
		op->x[PART_PROFILE] = http_get(j->h, url, open_headers, err);
		if (!op->x[PART_PROFILE])
			return -1;
		j->st.requests++;
		return 0;
	}
	{
		const struct linkage_config *lc = linkage_gdx_config(j->gdx);

		if (snprintf(key, sizeof key, "Consumer-Key: %s", lc->consumer_key) >= (int)sizeof key ||
		    snprintf(tok, sizeof tok, "Token: %s", token) >= (int)sizeof tok ||
		    url_join(url, sizeof url, lc->url, j->c.gdx_path, "")) {
			err_set(err, TB_E_GDX_NOT_SET_UP, 0, "gdx.url");
			goto out;
		}
		snprintf(post, sizeof post, "{\"OrganizationJuristicID\":\"%s\"}", op->id);
		op->x[PART_PROFILE] = http_post(j->h, url, headers, post, strlen(post), err);
		if (!op->x[PART_PROFILE])
			goto out;
		j->st.requests++;
		/* GET with the ID in the query, as DBD's other GDX services. */
		headers[2] = NULL;
		snprintf(tail, sizeof tail, "?JuristicID=%s", op->id);
		for (int p = PART_SHAREHOLDERS; p < PARTS; p++) {
			if (!part_path(j, p))
				continue;
			if (url_join(url, sizeof url, lc->url, part_path(j, p), tail)) {
				err_set(err, TB_E_CONFIG, 0, p == PART_SHAREHOLDERS ? "dbd.shareholders_path"
										 : "dbd.financials_path");
				goto out;
			}
			op->x[p] = http_get(j->h, url, headers, err);
			if (!op->x[p])
				goto out;
			j->st.part_requests++;
		}
		rc = 0;
	}
out:
	explicit_bzero(key, sizeof key);
	explicit_bzero(tok, sizeof tok);
	return rc;
}

/* Takes in the transfers that have ended. */
static void op_collect(struct juristic_op *op)
{
	for (int p = 0; p < PARTS; p++) {
		struct http_xfer *x = op->x[p];
		struct answer *a = &op->a[p];
		const char *b;

		if (!x || !http_xfer_done(x))
			continue;
		answer_free(a);
		a->got = 1;
		if (http_xfer_result(x, &a->status, &b, &a->len, &a->err) == 0) {
			str_copy(a->ctype, sizeof a->ctype, http_xfer_content_type(x));
			a->body = malloc(a->len + 1);
			if (!a->body)
				err_set(&a->err, TB_E_NOMEM, 0, NULL);
			else
				memcpy(a->body, b, a->len + 1);
		} else if (op->j->c.source == JURISTIC_OPEN && a->err.id == TB_E_NET_UNREACHABLE) {
			/* Not the GDX gateway: name the service that failed. */
			a->err.id = TB_E_DBD_UNREACHABLE;
		}
		http_xfer_free(&op->x[p]);
	}
}

static int op_expired(const struct juristic_op *op)
{
	for (int p = 0; p < PARTS; p++)
		if (op->a[p].body && linkage_token_expired(op->a[p].status, op->a[p].body, op->a[p].len))
			return 1;
	return 0;
}

int juristic_step(struct juristic_op *op)
{
	tb_err e = { 0 };

	if (op->state == OP_DONE)
		return 1;
	if (op->state == OP_TOKEN) {
		char token[TOKEN_MAX];
		int rc;

		if (op->cancelled) {
			err_set(&op->why, TB_E_NET_CANCELLED, 0, NULL);
			op->state = OP_DONE;
			return 1;
		}
		rc = linkage_gdx_token_poll(op->j->gdx, op->agent, token, sizeof token, &e);
		if (rc == 1)
			rc = op_send(op, token, &e) ? -1 : 1;
		explicit_bzero(token, sizeof token);
		if (rc == 0)
			return 0;
		if (rc < 0) {
			op->why = e;
			op->state = OP_DONE;
			return 1;
		}
		op->state = OP_SENT;
	}
	if (http_perform(op->j->h, NULL, &e)) {
		op->why = e;
		juristic_cancel(op);
	}
	op_collect(op);
	for (int p = 0; p < PARTS; p++)
		if (op->x[p])
			return 0;
	if (op->j->gdx && !op->cancelled && op_expired(op)) {
		/* Once, as the Linkage transport does; a refusal stays one. */
		linkage_forget_token(op->j->gdx);
		if (!op->retried) {
			op->retried = 1;
			for (int p = 0; p < PARTS; p++)
				answer_free(&op->a[p]);
			op->state = OP_TOKEN;
			return juristic_step(op);
		}
	}
	op->state = OP_DONE;
	return 1;
}

int juristic_fds(struct juristic *j, struct pollfd *p, int max, int *n, int *timeout_ms,
		 tb_err *err)
{
	int k = 0, t = -1;

	if (http_fds(j->h, p, max, n, timeout_ms, err))
		return -1;
	/* The token is asked for on the Linkage client's connection. */
	if (j->gdx) {
		if (linkage_fds(j->gdx, p + *n, max - *n, &k, &t, err))
			return -1;
		*n += k;
		if (t >= 0 && (*timeout_ms < 0 || t < *timeout_ms))
			*timeout_ms = t;
	}
	return 0;
}

void juristic_cancel(struct juristic_op *op)
{
	op->cancelled = 1;
	for (int p = 0; p < PARTS; p++)
		if (op->x[p])
			http_cancel(op->x[p]);
}

void juristic_op_free(struct juristic_op **opp)
{
	struct juristic_op *op = *opp;

	if (!op)
		return;
	for (int p = 0; p < PARTS; p++) {
		http_xfer_free(&op->x[p]);
		answer_free(&op->a[p]);
	}
	juristic_result_free(&op->cached);
	free(op->username);
	free(op->purpose);
	free(op);
	*opp = NULL;
}

const char *juristic_op_id(const struct juristic_op *op)
{
	return op->id;
}

/* --- the cache --------------------------------------------------------------------------- */

/* A part's answer into r, or the part marked failed with why. */
static void part_take(struct juristic *j, int p, enum juristic_source src, long status,
		      const char *ctype, const char *body, size_t len, struct juristic_result *r)
{
	tb_err e = { 0 };
	int rc = p == PART_SHAREHOLDERS
		? juristic_parse_shareholders(src, status, ctype, body, len, &j->c.map, r, &e)
		: juristic_parse_financials(src, status, ctype, body, len, &j->c.map, r, &e);

	if (rc == 0)
		return;
	if (p == PART_SHAREHOLDERS) {
		r->shareholders_part = JURISTIC_PART_FAILED;
		r->shareholders_err = e;
	} else {
		r->financials_part = JURISTIC_PART_FAILED;
		r->financials_err = e;
	}
}

static void part_fail(struct juristic_result *r, int p, const tb_err *e)
{
	if (p == PART_SHAREHOLDERS) {
		r->shareholders_part = JURISTIC_PART_FAILED;
		r->shareholders_err = *e;
	} else {
		r->financials_part = JURISTIC_PART_FAILED;
		r->financials_err = *e;
	}
}

static const char *const part_names[PARTS] = { "profile", "shareholders", "financials" };

/* A cached copy parsed; 1 found, 0 none (or unreadable: then ignored). */
static int from_cache(struct juristic *j, struct db *d, const char *id, const char *source,
		      struct juristic_result **out, tb_err *err)
{
	char src[8] = "";
	char *body = NULL;
	size_t len = 0;
	int64_t at = 0;
	tb_err perr = { 0 };
	enum juristic_source s;
	const char *parts[PARTS] = { NULL };
	cJSON *env = NULL;
	int rc = juristic_db_get(d, id, source, &body, &len, &at, src, sizeof src, err);

	if (rc <= 0)
		return rc;
	s = strcmp(src, "gdx") == 0 ? JURISTIC_GDX : JURISTIC_OPEN;
	env = cJSON_ParseWithLength(body, len);
	if (cJSON_IsObject(env) && cJSON_GetObjectItemCaseSensitive(env, CACHE_MARK)) {
		for (int p = 0; p < PARTS; p++)
			parts[p] = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(env, part_names[p]));
	} else {
		parts[PART_PROFILE] = body;
	}
	rc = parts[PART_PROFILE] && juristic_parse(s, 200, NULL, parts[PART_PROFILE],
						    strlen(parts[PART_PROFILE]), &j->c.map, out, &perr) == 0;
	if (rc) {
		(*out)->fetched_at = at;
		for (int p = PART_SHAREHOLDERS; p < PARTS; p++) {
			if (parts[p])
				part_take(j, p, s, 200, NULL, parts[p], strlen(parts[p]), *out);
			else if (s == JURISTIC_GDX && part_path(j, p))
				part_fail(*out, p, &(tb_err){ .id = TB_E_DBD_PART_MISSING });
		}
	}
	cJSON_Delete(env);
	wipe_free(body);
	return rc;
}

/* The answers kept as one copy; a part that failed is left out. */
static void to_cache(struct juristic_op *op, struct db *d, const struct juristic_result *r)
{
	const char *src = juristic_source_name(op->j->c.source);
	cJSON *env = cJSON_CreateObject();
	char *text;

	if (!env)
		return;
	cJSON_AddNumberToObject(env, CACHE_MARK, 1);
	cJSON_AddStringToObject(env, part_names[PART_PROFILE], op->a[PART_PROFILE].body);
	if (r->shareholders_part == JURISTIC_PART_OK && op->a[PART_SHAREHOLDERS].body)
		cJSON_AddStringToObject(env, part_names[PART_SHAREHOLDERS], op->a[PART_SHAREHOLDERS].body);
	if (r->financials_part == JURISTIC_PART_OK && op->a[PART_FINANCIALS].body)
		cJSON_AddStringToObject(env, part_names[PART_FINANCIALS], op->a[PART_FINANCIALS].body);
	text = cJSON_PrintUnformatted(env);
	/* A copy that cannot be kept costs only the next lookup. */
	if (text)
		juristic_db_put(d, op->id, src, op->now, text, strlen(text), NULL);
	cJSON_free(text);
	cJSON_Delete(env);
}

long juristic_cache_purge(const struct juristic_config *c, struct db *d, long keep_days,
			  tb_err *err)
{
	if (keep_days < 0) {
		keep_days = c->cache_keep_days;
		if (keep_days == 0)
			return 0;
	}
	return juristic_db_purge(d, keep_days ? db_now(d) - (int64_t)keep_days * 86400 : INT64_MAX,
				 err);
}

/* --- a lookup from start to finish ---------------------------------------------------------- */

struct juristic_op *juristic_start(struct juristic *j, struct db *d,
				   const struct juristic_request *rq, tb_err *err)
{
	const char *src = juristic_source_name(j->c.source);
	struct juristic_op *op;
	tb_err e = { 0 };
	int rc;

	if (!juristic_id_valid(rq->id)) {
		err_set(err, TB_E_DBD_ID_INVALID, 0, "juristic id");
		return NULL;
	}
	if (j->c.source == JURISTIC_GDX && !juristic_id_valid(rq->agent_cid)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
		return NULL;
	}
	op = calloc(1, sizeof *op);
	if (op) {
		op->username = strdup(rq->username ? rq->username : "");
		op->purpose = rq->purpose ? strdup(rq->purpose) : NULL;
	}
	if (!op || !op->username || (rq->purpose && !op->purpose)) {
		juristic_op_free(&op);
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	op->j = j;
	str_copy(op->id, sizeof op->id, rq->id);
	if (rq->agent_cid)
		str_copy(op->agent, sizeof op->agent, rq->agent_cid);
	op->refresh = rq->refresh;
	op->now = d ? db_now(d) : (int64_t)time(NULL);
	if (d && !j->purged) {
		j->purged = 1;
		juristic_cache_purge(&j->c, d, -1, NULL);
	}
	if (d && !rq->refresh && j->c.cache_ttl_s > 0) {
		rc = from_cache(j, d, op->id, src, &op->cached, &e);
		if (rc < 0) {
			op->why = e;
			op->state = OP_DONE;
			return op;
		}
		if (rc && op->now - op->cached->fetched_at < j->c.cache_ttl_s &&
		    op->now >= op->cached->fetched_at) {
			op->state = OP_DONE;
			return op;
		}
		juristic_result_free(&op->cached);
	}
	if (j->c.source == JURISTIC_GDX) {
		op->state = OP_TOKEN;
	} else if (op_send(op, NULL, &e)) {
		op->why = e;
		op->state = OP_DONE;
		return op;
	} else {
		op->state = OP_SENT;
	}
	juristic_step(op);
	return op;
}

/* The lookup's outcome, before its audit row. */
static int op_result(struct juristic_op *op, struct db *d, struct juristic_result **out,
		     tb_err *err)
{
	struct juristic *j = op->j;
	struct answer *a = &op->a[PART_PROFILE];
	const char *src = juristic_source_name(j->c.source);
	tb_err why = op->why;
	int rc;

	if (op->cached) {
		*out = op->cached;
		op->cached = NULL;
		(*out)->from_cache = 1;
		j->st.cache_hits++;
		return 0;
	}
	if (!why.id && op->cancelled)
		err_set(&why, TB_E_NET_CANCELLED, 0, NULL);
	if (!why.id && !a->got)
		err_set(&why, TB_E_SYSTEM, 0, "juristic_finish before the end");
	if (!why.id && a->err.id)
		why = a->err;
	if (!why.id &&
	    juristic_parse(j->c.source, a->status, a->ctype, a->body, a->len, &j->c.map, out, &why) == 0) {
		struct juristic_result *r = *out;

		r->fetched_at = op->now;
		if (!r->id[0])
			str_copy(r->id, sizeof r->id, op->id);
		for (int p = PART_SHAREHOLDERS; p < PARTS; p++) {
			struct answer *pa = &op->a[p];

			if (!part_path(j, p))
				continue;
			if (pa->err.id || !pa->got)
				part_fail(r, p, pa->err.id ? &pa->err : &(tb_err){ .id = TB_E_NET_CANCELLED });
			else
				part_take(j, p, j->c.source, pa->status, pa->ctype, pa->body, pa->len, r);
		}
		if (d)
			to_cache(op, d, r);
		return 0;
	}
	if (d && juristic_err_transient(&why)) {
		/* The same source's copy first; else the other's, better than none. */
		rc = from_cache(j, d, op->id, src, out, err);
		if (rc == 0)
			rc = from_cache(j, d, op->id, NULL, out, err);
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

int juristic_finish(struct juristic_op **opp, struct db *d, struct juristic_result **out,
		    tb_err *err)
{
	struct juristic_op *op = *opp;
	char service[16], result[96];
	tb_err audit_err = { 0 }, e = { 0 };
	int rc;

	*out = NULL;
	rc = op_result(op, d, out, &e);
	if (rc && err)
		*err = e;
	if (d) {
		snprintf(service, sizeof service, "dbd/%s", juristic_source_name(op->j->c.source));
		if (rc == 0 && (*out)->stale)
			snprintf(result, sizeof result, "STALE %s %ld",
				 err_code((*out)->stale_reason.id), (*out)->stale_reason.detail);
		else if (rc == 0)
			snprintf(result, sizeof result, (*out)->from_cache ? "OK cache" : "OK");
		else if (e.detail)
			snprintf(result, sizeof result, "%s %ld", err_code(e.id), e.detail);
		else
			snprintf(result, sizeof result, "%s", err_code(e.id));
		if (audit_append(d, &(struct audit_entry){ .username = op->username,
				 .action = AUDIT_JURISTIC_QUERY, .service = service, .subject = op->id,
				 .purpose = op->purpose, .result = result }, &audit_err)) {
			/* What was not logged is not shown.  The database's
			 * code stays as the detail, for support. */
			juristic_result_free(out);
			audit_err.id = TB_E_AUDIT_UNWRITTEN;
			if (err)
				*err = audit_err;
			rc = -1;
		}
	}
	juristic_op_free(opp);
	return rc;
}

int juristic_lookup(struct juristic *j, struct db *d, const struct juristic_request *rq,
		    struct juristic_result **out, tb_err *err)
{
	struct juristic_op *op;

	*out = NULL;
	op = juristic_start(j, d, rq, err);
	if (!op)
		return -1;
	while (!juristic_step(op)) {
		struct pollfd p[32];
		int n = 0, t = -1;

		if (juristic_fds(j, p, (int)(sizeof p / sizeof p[0]), &n, &t, NULL))
			n = 0, t = 100;
		if (t < 0 || t > 1000)
			t = 1000;
		if (poll(p, (nfds_t)n, t) < 0 && errno != EINTR)
			break;
	}
	return juristic_finish(&op, d, out, err);
}
