/* `tabien linkage query|household`: Linkage Center services for one citizen
 * from the command line, as the officer named by --as (whose own citizen ID
 * is the AgentID the gateway asks for), over GDX; with --transport lk2 (or
 * linkage.transport = lk2) through cmd_lk2.c; `tabien linkage permission`
 * in cmd_permission.c.  The password is read without echo, or from standard
 * input with --batch, never from the command line.  The answers as text or
 * JSON, for all three. */
#include "config.h"

#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "services/card/card_decode.h"
#include "services/base/configfile.h"
#include "services/base/preload.h"
#include "services/gateway/http.h"
#include "services/registry/lk2.h"
#include "tui/cmd.h"
#include "tui/cmd_linkage.h"
#include "tui/text.h"

#define LABEL_COLS 34

/* --- printing ------------------------------------------------------------------------------ */

static void row(const char *label, const char *value)
{
	text_pad(stdout, label, LABEL_COLS);
	printf("%s\n", value && *value ? value : "-");
}

void cmd_linkage_row(const char *label, const char *value)
{
	row(label, value);
}

static void date_json(cJSON *o, const char *key, int32_t be)
{
	if (be)
		cJSON_AddNumberToObject(o, key, be);
	else
		cJSON_AddNullToObject(o, key);
}

void cmd_linkage_cid(const char *cid, char *out, size_t size)
{
	if (cid[0])
		format_cid(cid, out, size);
	else
		snprintf(out, size, "-");
}

static void join(char *out, size_t size, const char *const *parts, size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!parts[i] || !parts[i][0])
			continue;
		int w = snprintf(out + o, size - o, "%s%s", o ? " " : "", parts[i]);
		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
	}
}

static void person_print(const struct linkage_person *p)
{
	char buf[4 * LK_TEXT], date[160];
	const char *en[] = { p->en_title, p->en_first, p->en_middle, p->en_last };

	cmd_linkage_cid(p->cid, buf, sizeof buf);
	row("Citizen ID / เลขประจำตัวประชาชน", buf);
	linkage_name_text(p->title, p->first, p->middle, p->last, buf, sizeof buf);
	row("Name / ชื่อ", buf);
	join(buf, sizeof buf, en, 4);
	row("Name (English) / ชื่อภาษาอังกฤษ", buf);
	row("Gender / เพศ", p->gender_code == 1 ? "ชาย / male" :
	    p->gender_code == 2 ? "หญิง / female" : p->gender);
	cmd_date_text(p->birth, date, sizeof date);
	row("Born / เกิดวันที่", date);
	if (format_age(p->birth) >= 0)
		snprintf(buf, sizeof buf, "%d", format_age(p->birth));
	else
		snprintf(buf, sizeof buf, "-");
	row("Age / อายุ", buf);
	row("Nationality / สัญชาติ", p->nationality);
	row("Status / สถานภาพบุคคล", p->status);
	row("In the house as / สถานภาพในบ้าน", p->owner_status);
	cmd_date_text(p->move_in, date, sizeof date);
	row("Moved in / วันที่ย้ายเข้า", date);
	cmd_linkage_cid(p->father_cid, date, sizeof date);
	snprintf(buf, sizeof buf, "%s (%s)", p->father_name[0] ? p->father_name : "-", date);
	row("Father / บิดา", buf);
	cmd_linkage_cid(p->mother_cid, date, sizeof date);
	snprintf(buf, sizeof buf, "%s (%s)", p->mother_name[0] ? p->mother_name : "-", date);
	row("Mother / มารดา", buf);
}

static void address_print(const struct linkage_address *a)
{
	char buf[10 * LK_TEXT], date[160];

	row("House ID / รหัสประจำบ้าน", a->house_id);
	linkage_address_text(a, buf, sizeof buf);
	row("Address / ที่อยู่", buf);
	row("House type / ประเภทบ้าน", a->house_type);
	row("Registry office / สำนักทะเบียน", a->rcode);
	if (a->terminated) {
		cmd_date_text(a->terminated, date, sizeof date);
		snprintf(buf, sizeof buf, "ended / สิ้นสุด %s", date);
	} else {
		snprintf(buf, sizeof buf, "in use / ยังใช้อยู่");
	}
	row("State / สถานะ", buf);
}

static void members_print(const struct linkage_result *r)
{
	char buf[5 * LK_TEXT], date[160], id[32];

	row("House ID / รหัสประจำบ้าน", r->house_id);
	snprintf(buf, sizeof buf, "%zu", r->n_members);
	row("Members / จำนวนคนในบ้าน", buf);
	for (size_t i = 0; i < r->n_members; i++) {
		const struct linkage_member *m = &r->members[i];

		printf("\n");
		cmd_linkage_cid(m->cid, id, sizeof id);
		row("Citizen ID / เลขประจำตัวประชาชน", id);
		linkage_name_text(m->title, m->first, m->middle, m->last, buf, sizeof buf);
		row("Name / ชื่อ", buf);
		row("Gender / เพศ", m->gender);
		cmd_date_text(m->birth, date, sizeof date);
		row("Born / เกิดวันที่", date);
		row("In the house as / สถานภาพในบ้าน", m->relation);
	}
}

static void changes_print(const struct linkage_result *r)
{
	char buf[4 * LK_TEXT], date[160];

	snprintf(buf, sizeof buf, "%ld", r->total);
	row("Changes / จำนวนครั้งที่เปลี่ยน", buf);
	for (size_t i = 0; i < r->n_changes; i++) {
		const struct linkage_name_change *c = &r->changes[i];

		printf("\n");
		linkage_name_text(c->title, c->first, "", c->last, buf, sizeof buf);
		row("Before / ชื่อเดิม", buf);
		row("New / ชื่อใหม่", c->new_name);
		row("Document / เลขที่เอกสาร", c->doc_id);
		cmd_date_text(c->doc_date, date, sizeof date);
		row("Registered / วันที่จดทะเบียน", date);
		snprintf(buf, sizeof buf, "%s%s%s", c->doc_place, c->doc_province[0] ? " " : "",
			 c->doc_province);
		row("At / สถานที่", buf);
		if (r->service == LINKAGE_SURNAMES)
			row("Cause / เหตุที่เปลี่ยน", c->cause);
	}
}

static void result_print(const struct linkage_result *r)
{
	printf("[00023/%s] %s / %s\n", linkage_service_code(r->service),
	       linkage_service_name(r->service, TB_LANG_EN), linkage_service_name(r->service, TB_LANG_TH));
	switch (r->service) {
	case LINKAGE_PERSON:
		person_print(&r->person);
		break;
	case LINKAGE_ADDRESSES:
	case LINKAGE_HOUSE:
		if (r->n_addresses == 0)
			row("Addresses / ที่อยู่", "none / ไม่มี");
		for (size_t i = 0; i < r->n_addresses; i++) {
			if (i)
				printf("\n");
			address_print(&r->addresses[i]);
		}
		break;
	case LINKAGE_HOUSEHOLD:
		members_print(r);
		break;
	default:
		changes_print(r);
		break;
	}
	printf("\n");
}

/* --- JSON ------------------------------------------------------------------------------------ */

/* Each answer's keys once, as tables in the order they are printed: text,
 * a B.E. date (null for none), a whole number, or one that is null when
 * unknown (negative). */
enum field_kind { F_TEXT, F_DATE, F_INT, F_INT_KNOWN };

struct json_field {
	const char *key;
	size_t off;
	enum field_kind kind;
};

#define FIELD(type, kind, member) { #member, offsetof(struct type, member), kind }
#define TEXT(type, member) FIELD(type, F_TEXT, member)
#define N_FIELDS(t) (sizeof t / sizeof t[0])

static const struct json_field person_fields[] = {
	TEXT(linkage_person, cid), TEXT(linkage_person, title), TEXT(linkage_person, first),
	TEXT(linkage_person, middle), TEXT(linkage_person, last), TEXT(linkage_person, en_title),
	TEXT(linkage_person, en_first), TEXT(linkage_person, en_middle),
	TEXT(linkage_person, en_last), FIELD(linkage_person, F_INT, gender_code),
	TEXT(linkage_person, nationality), FIELD(linkage_person, F_DATE, birth),
	FIELD(linkage_person, F_INT_KNOWN, age), TEXT(linkage_person, owner_status),
	TEXT(linkage_person, status_code), TEXT(linkage_person, status),
	FIELD(linkage_person, F_DATE, move_in), TEXT(linkage_person, father_cid),
	TEXT(linkage_person, father_name), TEXT(linkage_person, mother_cid),
	TEXT(linkage_person, mother_name),
};

static const struct json_field address_fields[] = {
	TEXT(linkage_address, house_id), TEXT(linkage_address, house_no),
	TEXT(linkage_address, house_type), TEXT(linkage_address, village_no),
	TEXT(linkage_address, alley_way), TEXT(linkage_address, alley), TEXT(linkage_address, road),
	TEXT(linkage_address, subdistrict), TEXT(linkage_address, district),
	TEXT(linkage_address, province), TEXT(linkage_address, province_code),
	{ "registry_office", offsetof(struct linkage_address, rcode), F_TEXT },
	FIELD(linkage_address, F_DATE, terminated),
};

static const struct json_field member_fields[] = {
	TEXT(linkage_member, cid), TEXT(linkage_member, title), TEXT(linkage_member, first),
	TEXT(linkage_member, middle), TEXT(linkage_member, last), TEXT(linkage_member, gender),
	FIELD(linkage_member, F_DATE, birth), TEXT(linkage_member, relation),
};

static const struct json_field change_fields[] = {
	TEXT(linkage_name_change, title), TEXT(linkage_name_change, first),
	TEXT(linkage_name_change, last), TEXT(linkage_name_change, new_name),
	TEXT(linkage_name_change, doc_id), FIELD(linkage_name_change, F_DATE, doc_date),
	TEXT(linkage_name_change, doc_place), TEXT(linkage_name_change, doc_province),
	FIELD(linkage_name_change, F_DATE, request_date), TEXT(linkage_name_change, cause),
};

static void fields_json(cJSON *o, const void *rec, const struct json_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = (const char *)rec + f[i].off;
		int x;

		switch (f[i].kind) {
		case F_TEXT:
			cJSON_AddStringToObject(o, f[i].key, v);
			break;
		case F_DATE:
			date_json(o, f[i].key, *(const int32_t *)(const void *)v);
			break;
		case F_INT:
		case F_INT_KNOWN:
			x = *(const int *)(const void *)v;
			if (f[i].kind == F_INT || x >= 0)
				cJSON_AddNumberToObject(o, f[i].key, x);
			else
				cJSON_AddNullToObject(o, f[i].key);
			break;
		}
	}
}

/* n records of size bytes from items, each an object, under key. */
static void records_json(cJSON *o, const char *key, const void *items, size_t n, size_t size,
			 const struct json_field *f, size_t nf)
{
	cJSON *a = cJSON_AddArrayToObject(o, key);

	for (size_t i = 0; i < n; i++) {
		cJSON *x = cJSON_CreateObject();

		fields_json(x, (const char *)items + i * size, f, nf);
		cJSON_AddItemToArray(a, x);
	}
}

static cJSON *result_json(const struct linkage_result *r)
{
	cJSON *o = cJSON_CreateObject();
	char svc[16];

	snprintf(svc, sizeof svc, "00023/%s", linkage_service_code(r->service));
	cJSON_AddStringToObject(o, "service", svc);
	switch (r->service) {
	case LINKAGE_PERSON:
		fields_json(o, &r->person, person_fields, N_FIELDS(person_fields));
		break;
	case LINKAGE_ADDRESSES:
	case LINKAGE_HOUSE:
		records_json(o, "addresses", r->addresses, r->n_addresses, sizeof r->addresses[0],
			     address_fields, N_FIELDS(address_fields));
		break;
	case LINKAGE_HOUSEHOLD:
		cJSON_AddStringToObject(o, "house_id", r->house_id);
		records_json(o, "members", r->members, r->n_members, sizeof r->members[0],
			     member_fields, N_FIELDS(member_fields));
		break;
	default:
		cJSON_AddNumberToObject(o, "total", (double)r->total);
		records_json(o, "changes", r->changes, r->n_changes, sizeof r->changes[0],
			     change_fields, N_FIELDS(change_fields));
		break;
	}
	return o;
}

cJSON *cmd_linkage_error_json(int service, const tb_err *e)
{
	char svc[16];

	snprintf(svc, sizeof svc, "00023/%s", linkage_service_code(service));
	return cmd_error_json(svc, e);
}

void cmd_linkage_emit(cJSON *out, struct linkage_result **r)
{
	if (out)
		cJSON_AddItemToArray(out, result_json(*r));
	else
		result_print(*r);
	linkage_result_free(r);
}

/* --- options and the run -------------------------------------------------------------------- */

enum { OPT_SERVICE = CMD_OPT_OWN, OPT_CID, OPT_TRANSPORT, OPT_OFFICER_CID, OPT_CHIP };

static int parse_services(struct lk_opts *o, const char *list)
{
	char buf[64], *save = NULL;

	if (strlen(list) >= sizeof buf)
		return -1;
	strcpy(buf, list);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int s = linkage_service_parse(t), seen = 0;
		if (s < 0)
			return -1;
		/* A service named twice is asked once. */
		for (int i = 0; i < o->n_services; i++)
			seen |= o->services[i] == s;
		if (seen)
			continue;
		if (o->n_services == LK_MAX_SERVICES)
			return -1;
		o->services[o->n_services++] = s;
	}
	return o->n_services ? 0 : -1;
}

/* The options of query and household beside the common ones; --service
 * is refused for household, whose two services are fixed. */
static int lk_opt(void *ctx, int code, const char *arg)
{
	struct lk_opts *o = ctx;

	switch (code) {
	case OPT_TRANSPORT:
		if (strcmp(arg, "gdx") != 0 && strcmp(arg, "lk2") != 0) {
			fprintf(stderr, "tabien: --transport is gdx or lk2 / --transport ต้องเป็น gdx หรือ lk2\n");
			return -1;
		}
		o->transport = strcmp(arg, "lk2") == 0 ? 2 : 1;
		return 0;
	case OPT_OFFICER_CID: o->officer_cid = arg; return 0;
	case OPT_CHIP:
		if (!cmd_arg_fits("chip", arg, LK2_CHIP_MAX))
			return -1;
		o->chip = arg;
		return 0;
	case OPT_CID:
		if (!cmd_arg_fits("cid", arg, sizeof o->cid))
			return -1;
		cmd_id_digits(o->cid, sizeof o->cid, arg);
		return 0;
	case OPT_SERVICE:
		if (o->household || parse_services(o, arg)) {
			fprintf(stderr, "tabien: unknown service '%s' (001 027 007 008 013 017) / "
				"ไม่รู้จักบริการ '%s'\n", arg, arg);
			return -1;
		}
		return 0;
	default:
		return -1;
	}
}

static int parse_opts(int argc, char **argv, struct lk_opts *o, int household)
{
	static const struct option opts[] = {
		CMD_QUERY_OPTIONS,
		{ "service", required_argument, NULL, OPT_SERVICE },
		{ "cid", required_argument, NULL, OPT_CID },
		CMD_PURPOSE_OPTION,
		CMD_CONSENT_OPTION,
		{ "transport", required_argument, NULL, OPT_TRANSPORT },
		{ "officer-cid", required_argument, NULL, OPT_OFFICER_CID },
		{ "chip", required_argument, NULL, OPT_CHIP },
		{ 0 },
	};

	*o = (struct lk_opts){ .household = household };
	if (cmd_query_parse(argc, argv, opts, &o->q, lk_opt, o) || optind != argc)
		return -1;
	if (o->household) {
		o->services[0] = LINKAGE_HOUSEHOLD;
		o->services[1] = LINKAGE_HOUSE;
		o->n_services = 2;
	}
	if (!o->n_services || !o->cid[0]) {
		fprintf(stderr, "tabien: --service and --cid are needed / ต้องระบุ --service และ --cid\n");
		return -1;
	}
	return 0;
}

int cmd_linkage_open(struct cmd_query *q, struct linkage **lk)
{
	struct linkage_config *lc = calloc(1, sizeof *lc);
	char path[512];
	int r = -1;

	if (!lc) {
		err_set(&q->err, TB_E_NOMEM, 0, NULL);
		cmd_query_fail(q);
		return -1;
	}
	config_path(path, sizeof path);
	if (linkage_config_load(lc, path, &q->err))
		cmd_config_error(path, &q->err);
	else if (cmd_query_begin(q) || !(*lk = linkage_new(lc, &q->err)))
		cmd_query_fail(q);
	else
		r = 0;
	linkage_config_wipe(lc);   /* the client keeps its own copy */
	free(lc);
	return r;
}

/* Over GDX: all the services at once, as the panes ask them. */
static int run(const struct lk_opts *o)
{
	struct linkage *lk = NULL;
	struct linkage_fetch *f = NULL;
	struct linkage_request rq;
	struct cmd_query q;
	int failed = 0;

	cmd_query_init(&q, &o->q);
	/* Checked before the password is asked or anything is sent. */
	if (!cid_valid(o->cid)) {
		err_set(&q.err, TB_E_AUTH_INVALID, 0, "cid");
		goto fail;
	}
	if (cmd_purpose_check(&o->q, &q.err))
		goto fail;
	/* libcurl loads while the officer's password is checked, not after
	 * (nothing is sent before the right is checked). */
	http_preload();
	cmd_query_need(&q, o->household ? RIGHT_HOUSEHOLD : RIGHT_REGISTRY, o->cid);
	if (cmd_linkage_open(&q, &lk))
		goto out;
	/* One round trip for the lot (after one token request when there is
	 * none). */
	rq = (struct linkage_request){ .cid = o->cid, .agent_cid = q.who.cid,
		.username = q.who.username, .purpose = o->q.purpose, .consent = o->q.consent };
	f = linkage_fetch_start(lk, q.d, &rq, o->services, o->n_services, &q.err);
	if (!f || linkage_fetch_wait(f, &q.err))
		goto fail;
	if (o->q.json)
		q.out = cJSON_CreateArray();
	for (int i = 0; i < o->n_services; i++) {
		struct linkage_result *r = NULL;

		err_clear(&q.err);
		if (linkage_fetch_take(f, o->services[i], &r, &q.err) == 0) {
			cmd_linkage_emit(q.out, &r);
			continue;
		}
		failed++;
		if (q.out)
			cJSON_AddItemToArray(q.out, cmd_linkage_error_json(o->services[i], &q.err));
		else
			cmd_error(stderr, "tabien: ", &q.err);
	}
	q.rc = failed ? EXIT_FAIL : EXIT_OK;
	goto out;
fail:
	cmd_query_fail(&q);
out:
	linkage_fetch_free(&f);
	linkage_free(&lk);
	preload_wait();
	return cmd_query_end(&q);
}

int cmd_linkage(int argc, char **argv)
{
	struct lk_opts o;
	char path[512];
	tb_err err = { 0 };
	int household, lk2;

	if (argc >= 2 && strcmp(argv[1], "permission") == 0) {
		int rc = cmd_permission(argc - 1, argv + 1);
		if (rc < 0)
			goto usage;
		return rc;
	}
	if (argc < 2 || (strcmp(argv[1], "query") != 0 && strcmp(argv[1], "household") != 0))
		goto usage;
	household = strcmp(argv[1], "household") == 0;
	if (parse_opts(argc - 1, argv + 1, &o, household))
		goto usage;
	config_path(path, sizeof path);
	lk2 = cmd_lk2_wanted(&o, path, &err);
	if (lk2 < 0) {
		cmd_config_error(path, &err);
		return EXIT_FAIL;
	}
	return lk2 ? cmd_lk2_query(&o, path) : run(&o);
usage:
	fprintf(stderr, "usage: tabien linkage query --service 001[,027,...] --cid ID --as USER "
		"[--purpose TEXT] [--consent yes|no|mission] [--json] [--batch] [--db PATH]\n"
		"       tabien linkage household --cid ID --as USER [--purpose TEXT] [--consent yes|no|mission] [--json] "
		"[--batch] [--db PATH]\n"
		"  either with --transport lk2 --chip NO [--officer-cid ID]: through the agency's\n"
		"  Linkage Center 2 proxy, all services in one request (the card's PIN is asked)\n"
		"       tabien linkage permission --as USER [--json] [--batch] [--db PATH]\n"
		"  whether USER's agent is up at GDX (exit 0), or not (exit 3)\n");
	return EXIT_USAGE;
}
