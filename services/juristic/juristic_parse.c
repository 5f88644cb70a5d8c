/* DBD juristic persons, the answers without the network: the profile,
 * shareholders and financial statements read through the field map, DBD's
 * codes and pages told apart (see juristic.h). */
#include "config.h"

#include "services/juristic/juristic.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "services/base/format.h"
#include "services/base/util.h"
#include "services/base/wipe.h"

#define DBD_OK 1000
#define DBD_NO_DATA 1004
#define DBD_BAD_ID 1051
#define DBD_QUOTA 8888

/* --- reading fields ---------------------------------------------------------------------- */

static char *text_dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		format_clean(d, n, s, true);
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

	format_clean(out, size, value_text(field(o, key), buf, sizeof buf, 0), true);
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


static int64_t get_money(const cJSON *o, const char *key)
{
	const cJSON *v = field(o, key);

	if (cJSON_IsNumber(v))
		return v->valuedouble >= 0 && v->valuedouble < 1e15 ? (int64_t)(v->valuedouble * 100 + 0.5) : -1;
	if (cJSON_IsString(v))
		return juristic_money_parse(v->valuestring);
	return -1;
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
		format_clean(out, size, a->valuestring, true);
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
			format_clean(part, sizeof part, value_text(it, buf, sizeof buf, 1), true);
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
		return err_set(err, gdx_code_error(code), code, NULL);
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

/* A part's answer opened and room made for its entries: 0 with *root,
 * *list and *items (NULL for none), or -1.  The map's list name is at
 * key_at in it (the defaults when map is NULL). */
static int part_items(enum juristic_source src, long status, const char *ctype, const char *body,
		      size_t len, const struct juristic_fieldmap **map,
		      struct juristic_fieldmap *defaults, size_t key_at, size_t each,
		      cJSON **root, const cJSON **list, void **items, tb_err *err)
{
	*root = NULL;
	*items = NULL;
	if (!*map) {
		juristic_fieldmap_defaults(defaults);
		*map = defaults;
	}
	if (!part_open(src, status, ctype, body, len, (const char *)*map + key_at, root, list, err)) {
		cJSON_Delete(*root);
		return -1;
	}
	if (list_size(*list) && !(*items = calloc(list_size(*list), each))) {
		cJSON_Delete(*root);
		return err_set(err, TB_E_NOMEM, 0, NULL);
	}
	return 0;
}

int juristic_parse_shareholders(enum juristic_source src, long status, const char *content_type,
				const char *body, size_t len, const struct juristic_fieldmap *map,
				struct juristic_result *r, tb_err *err)
{
	struct juristic_fieldmap defaults;
	struct juristic_shareholder *v;
	const cJSON *list;
	cJSON *root;
	size_t n = 0;

	if (part_items(src, status, content_type, body, len, &map, &defaults,
		       offsetof(struct juristic_fieldmap, shareholders), sizeof *v, &root, &list,
		       (void **)&v, err))
		return -1;
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
	struct juristic_financial *v;
	const cJSON *list;
	cJSON *root;
	size_t n = 0;

	if (part_items(src, status, content_type, body, len, &map, &defaults,
		       offsetof(struct juristic_fieldmap, financials), sizeof *v, &root, &list,
		       (void **)&v, err))
		return -1;
	LIST_EACH(it, list) {
		char buf[64], year[32];
		struct juristic_financial f;
		size_t k;

		/* A bare list of years is a list of years. */
		if (cJSON_IsObject(it))
			get_text(it, map->f_year, year, sizeof year);
		else
			format_clean(year, sizeof year, value_text(it, buf, sizeof buf, 0), true);
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

