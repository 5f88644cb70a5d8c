/* The Linkage Center's answers, without the network: the six services and
 * the officer's presence read into the structs of linkage.h, and the texts
 * people see made from them.  The GDX wrapper (codes, the HTTP status) is
 * services/gateway/gdx.h's. */
#include "config.h"

#include "services/registry/linkage.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "services/base/util.h"

/* --- reading fields ------------------------------------------------------------------ */


/* An ID of exactly `digits` digits, from a string (dashes and spaces
 * allowed) or a JSON number; anything else, 0 and null are empty. */
static void get_id(const cJSON *o, const char *key, char *out, size_t size, size_t digits)
{
	char raw[64], *w = raw;

	gdx_text(o, key, raw, sizeof raw);
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

	gdx_text(o, key, raw, sizeof raw);
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

	gdx_text(o, key, raw, sizeof raw);
	if (!raw[0])
		return cJSON_IsNumber(gdx_field(o, key)) ? 0 : unknown;
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
	v = gdx_field(root, key);
	if (cJSON_IsArray(v))
		return v;
	cJSON_ArrayForEach(v, root)
		if (cJSON_IsArray(v))
			return v;
	if (gdx_field(root, probe)) {
		*single = 1;
		return root;
	}
	return NULL;
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
		any |= gdx_field(o, known[i]) != NULL;
	if (!any)
		return err_set(err, TB_E_NET_MALFORMED, 1, "001: no known field");
	get_id(o, "personalID", p->cid, sizeof p->cid, 13);
	if (!p->cid[0])
		get_id(o, "pid", p->cid, sizeof p->cid, 13);
	gdx_text(o, "titleDesc", p->title, sizeof p->title);
	gdx_text(o, "firstName", p->first, sizeof p->first);
	gdx_text(o, "middleName", p->middle, sizeof p->middle);
	gdx_text(o, "lastName", p->last, sizeof p->last);
	gdx_text(o, "englishTitleDesc", p->en_title, sizeof p->en_title);
	gdx_text(o, "englishFirstName", p->en_first, sizeof p->en_first);
	gdx_text(o, "englishMiddleName", p->en_middle, sizeof p->en_middle);
	gdx_text(o, "englishLastName", p->en_last, sizeof p->en_last);
	p->gender_code = (int)get_long(o, "genderCode", 0);
	if (p->gender_code != 1 && p->gender_code != 2)
		p->gender_code = 0;
	gdx_text(o, "genderDesc", p->gender, sizeof p->gender);
	gdx_text(o, "nationalityCode", p->nationality_code, sizeof p->nationality_code);
	gdx_text(o, "nationalityDesc", p->nationality, sizeof p->nationality);
	p->birth = get_date(o, "dateOfBirth");
	p->age = (int)get_long(o, "age", -1);
	if (p->age > 200)
		p->age = -1;
	gdx_text(o, "ownerStatusDesc", p->owner_status, sizeof p->owner_status);
	gdx_text(o, "statusOfPersonCode", p->status_code, sizeof p->status_code);
	gdx_text(o, "statusOfPersonDesc", p->status, sizeof p->status);
	p->move_in = get_date(o, "dateOfMoveIn");
	get_id(o, "fatherPersonalID", p->father_cid, sizeof p->father_cid, 13);
	gdx_text(o, "fatherName", p->father_name, sizeof p->father_name);
	gdx_text(o, "fatherNationalityDesc", p->father_nationality, sizeof p->father_nationality);
	get_id(o, "motherPersonalID", p->mother_cid, sizeof p->mother_cid, 13);
	gdx_text(o, "motherName", p->mother_name, sizeof p->mother_name);
	gdx_text(o, "motherNationalityDesc", p->mother_nationality, sizeof p->mother_nationality);
	return 0;
}

static void parse_address(const cJSON *o, struct linkage_address *a)
{
	get_id(o, "houseID", a->house_id, sizeof a->house_id, 11);
	gdx_text(o, "houseNo", a->house_no, sizeof a->house_no);
	gdx_text(o, "houseType", a->house_type_code, sizeof a->house_type_code);
	gdx_text(o, "houseTypeDesc", a->house_type, sizeof a->house_type);
	gdx_text(o, "villageNo", a->village_no, sizeof a->village_no);
	gdx_text(o, "alleyWayDesc", a->alley_way, sizeof a->alley_way);
	gdx_text(o, "alleyDesc", a->alley, sizeof a->alley);
	gdx_text(o, "roadDesc", a->road, sizeof a->road);
	gdx_text(o, "subdistrictCode", a->subdistrict_code, sizeof a->subdistrict_code);
	gdx_text(o, "subdistrictDesc", a->subdistrict, sizeof a->subdistrict);
	gdx_text(o, "districtCode", a->district_code, sizeof a->district_code);
	gdx_text(o, "districtDesc", a->district, sizeof a->district);
	gdx_text(o, "provinceCode", a->province_code, sizeof a->province_code);
	gdx_text(o, "provinceDesc", a->province, sizeof a->province);
	gdx_text(o, "rcodeCode", a->rcode_code, sizeof a->rcode_code);
	gdx_text(o, "rcodeDesc", a->rcode, sizeof a->rcode);
	a->terminated = get_date(o, "dateOfTerminate");
}

static void parse_member(const cJSON *o, const struct linkage_fieldmap *m, struct linkage_member *p)
{
	get_id(o, m->cid, p->cid, sizeof p->cid, 13);
	gdx_text(o, m->title, p->title, sizeof p->title);
	gdx_text(o, m->first, p->first, sizeof p->first);
	gdx_text(o, m->middle, p->middle, sizeof p->middle);
	gdx_text(o, m->last, p->last, sizeof p->last);
	gdx_text(o, m->gender, p->gender, sizeof p->gender);
	p->birth = get_date(o, m->birth);
	gdx_text(o, m->relation, p->relation, sizeof p->relation);
}

static void parse_change(const cJSON *o, struct linkage_name_change *c)
{
	get_id(o, "pid", c->cid, sizeof c->cid, 13);
	gdx_text(o, "titleDesc", c->title, sizeof c->title);
	gdx_text(o, "firstName", c->first, sizeof c->first);
	gdx_text(o, "lastName", c->last, sizeof c->last);
	gdx_text(o, "newName", c->new_name, sizeof c->new_name);
	gdx_text(o, "docID", c->doc_id, sizeof c->doc_id);
	c->doc_date = get_date(o, "docDate");
	gdx_text(o, "docPlaceDesc", c->doc_place, sizeof c->doc_place);
	gdx_text(o, "docPlaceProvince", c->doc_province, sizeof c->doc_province);
	c->request_date = get_date(o, "requestDate");
	gdx_text(o, "causeOfChange", c->cause, sizeof c->cause);
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
		if (!cJSON_IsObject(root) || !gdx_field(root, "houseID"))
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
			if (cJSON_IsObject(root) && gdx_field(root, "total")) {
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
	root = gdx_json_parse(body ? body : "", body ? len : 0);
	if (gdx_answer_check(status, root, err))
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
	root = gdx_json_parse(body ? body : "", body ? len : 0);
	if (gdx_answer_check(status, root, err))
		goto out;
	st = gdx_field(root, "SessionState");
	if (!cJSON_IsString(st)) {
		err_set(err, TB_E_NET_MALFORMED, 0, "permission: no SessionState");
		goto out;
	}
	gdx_text_copy(out->state_text, sizeof out->state_text, st->valuestring);
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
	gdx_text(root, "AgentID", out->agent_id, sizeof out->agent_id);
	get_id(root, "CitizenID", out->citizen_id, sizeof out->citizen_id, 13);
	rc = 0;
out:
	if (rc)
		explicit_bzero(out, sizeof *out);
	cJSON_Delete(root);
	return rc;
}
