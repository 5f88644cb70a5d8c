/* `tabien linkage query|household`: Linkage Center services for one citizen
 * from the command line, as the officer named by --as (whose own citizen ID
 * is the AgentID the gateway asks for); `tabien linkage permission`: whether
 * that officer's agent is up, and whether the two-card mode is on.  The password is read without echo,
 * or from standard input with --batch, never from the command line.
 * With --transport lk2 (or linkage.transport = lk2) the services go through
 * the agency's Linkage Center 2 proxy instead: the officer's card login
 * (--officer-cid, --chip and the card's PIN, asked like the password), then
 * all the services in one request, each printed with its own result or
 * error. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "services/gateway/http.h"
#include "services/card/card_decode.h"
#include "services/base/configfile.h"
#include "services/base/format.h"
#include "services/registry/linkage.h"
#include "services/registry/lk2.h"
#include "services/accounts/settings.h"
#include "services/accounts/users.h"
#include "storage/db.h"
#include "tui/cmd.h"
#include "tui/text.h"

#define LABEL_COLS 34
#define MAX_SERVICES 8
#define PASSWORD_BYTES (USERS_PASSWORD_MAX + 2)

struct lk_opts {
	const char *db, *as, *purpose;
	char cid[32];
	int services[MAX_SERVICES];
	int n_services;
	int json, batch;
	int transport;            /* 0: as configured, 1: gdx, 2: lk2 */
	const char *officer_cid, *chip;
};

/* --- the officer ------------------------------------------------------------------------- */

static int officer_login(struct db *d, const struct lk_opts *o, struct user *who, tb_err *err)
{
	return cmd_officer_login(d, o->batch, o->as, who, err);
}

/* --- printing ------------------------------------------------------------------------------ */

static void row(const char *label, const char *value)
{
	text_pad(stdout, label, LABEL_COLS);
	printf("%s\n", value && *value ? value : "-");
}

static void date_text(int32_t be, char *out, size_t size)
{
	struct card_date d = { be / 10000, be / 100 % 100, be % 100, false };
	char th[64], en[64];

	if (be == 0) {
		snprintf(out, size, "-");
		return;
	}
	format_date(&d, TB_LANG_TH, th, sizeof th);
	format_date(&d, TB_LANG_EN, en, sizeof en);
	snprintf(out, size, "%s (%s)", th, en);
}

static void date_json(cJSON *o, const char *key, int32_t be)
{
	if (be)
		cJSON_AddNumberToObject(o, key, be);
	else
		cJSON_AddNullToObject(o, key);
}

static void cid_text(const char *cid, char *out, size_t size)
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

	cid_text(p->cid, buf, sizeof buf);
	row("Citizen ID / เลขประจำตัวประชาชน", buf);
	linkage_name_text(p->title, p->first, p->middle, p->last, buf, sizeof buf);
	row("Name / ชื่อ", buf);
	join(buf, sizeof buf, en, 4);
	row("Name (English) / ชื่อภาษาอังกฤษ", buf);
	row("Gender / เพศ", p->gender_code == 1 ? "ชาย / male" :
	    p->gender_code == 2 ? "หญิง / female" : p->gender);
	date_text(p->birth, date, sizeof date);
	row("Born / เกิดวันที่", date);
	if (p->age >= 0)
		snprintf(buf, sizeof buf, "%d", p->age);
	else
		snprintf(buf, sizeof buf, "-");
	row("Age / อายุ", buf);
	row("Nationality / สัญชาติ", p->nationality);
	row("Status / สถานภาพบุคคล", p->status);
	row("In the house as / สถานภาพในบ้าน", p->owner_status);
	date_text(p->move_in, date, sizeof date);
	row("Moved in / วันที่ย้ายเข้า", date);
	cid_text(p->father_cid, date, sizeof date);
	snprintf(buf, sizeof buf, "%s (%s)", p->father_name[0] ? p->father_name : "-", date);
	row("Father / บิดา", buf);
	cid_text(p->mother_cid, date, sizeof date);
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
		date_text(a->terminated, date, sizeof date);
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
		cid_text(m->cid, id, sizeof id);
		row("Citizen ID / เลขประจำตัวประชาชน", id);
		linkage_name_text(m->title, m->first, m->middle, m->last, buf, sizeof buf);
		row("Name / ชื่อ", buf);
		row("Gender / เพศ", m->gender);
		date_text(m->birth, date, sizeof date);
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
		date_text(c->doc_date, date, sizeof date);
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

static cJSON *address_json(const struct linkage_address *a)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "house_id", a->house_id);
	cJSON_AddStringToObject(o, "house_no", a->house_no);
	cJSON_AddStringToObject(o, "house_type", a->house_type);
	cJSON_AddStringToObject(o, "village_no", a->village_no);
	cJSON_AddStringToObject(o, "alley_way", a->alley_way);
	cJSON_AddStringToObject(o, "alley", a->alley);
	cJSON_AddStringToObject(o, "road", a->road);
	cJSON_AddStringToObject(o, "subdistrict", a->subdistrict);
	cJSON_AddStringToObject(o, "district", a->district);
	cJSON_AddStringToObject(o, "province", a->province);
	cJSON_AddStringToObject(o, "province_code", a->province_code);
	cJSON_AddStringToObject(o, "registry_office", a->rcode);
	date_json(o, "terminated", a->terminated);
	return o;
}

static cJSON *result_json(const struct linkage_result *r)
{
	cJSON *o = cJSON_CreateObject(), *a;
	char svc[16];

	snprintf(svc, sizeof svc, "00023/%s", linkage_service_code(r->service));
	cJSON_AddStringToObject(o, "service", svc);
	switch (r->service) {
	case LINKAGE_PERSON: {
		const struct linkage_person *p = &r->person;
		cJSON_AddStringToObject(o, "cid", p->cid);
		cJSON_AddStringToObject(o, "title", p->title);
		cJSON_AddStringToObject(o, "first", p->first);
		cJSON_AddStringToObject(o, "middle", p->middle);
		cJSON_AddStringToObject(o, "last", p->last);
		cJSON_AddStringToObject(o, "en_title", p->en_title);
		cJSON_AddStringToObject(o, "en_first", p->en_first);
		cJSON_AddStringToObject(o, "en_middle", p->en_middle);
		cJSON_AddStringToObject(o, "en_last", p->en_last);
		cJSON_AddNumberToObject(o, "gender_code", p->gender_code);
		cJSON_AddStringToObject(o, "nationality", p->nationality);
		date_json(o, "birth", p->birth);
		if (p->age >= 0)
			cJSON_AddNumberToObject(o, "age", p->age);
		else
			cJSON_AddNullToObject(o, "age");
		cJSON_AddStringToObject(o, "owner_status", p->owner_status);
		cJSON_AddStringToObject(o, "status_code", p->status_code);
		cJSON_AddStringToObject(o, "status", p->status);
		date_json(o, "move_in", p->move_in);
		cJSON_AddStringToObject(o, "father_cid", p->father_cid);
		cJSON_AddStringToObject(o, "father_name", p->father_name);
		cJSON_AddStringToObject(o, "mother_cid", p->mother_cid);
		cJSON_AddStringToObject(o, "mother_name", p->mother_name);
		break;
	}
	case LINKAGE_ADDRESSES:
	case LINKAGE_HOUSE:
		a = cJSON_AddArrayToObject(o, "addresses");
		for (size_t i = 0; i < r->n_addresses; i++)
			cJSON_AddItemToArray(a, address_json(&r->addresses[i]));
		break;
	case LINKAGE_HOUSEHOLD:
		cJSON_AddStringToObject(o, "house_id", r->house_id);
		a = cJSON_AddArrayToObject(o, "members");
		for (size_t i = 0; i < r->n_members; i++) {
			const struct linkage_member *m = &r->members[i];
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "cid", m->cid);
			cJSON_AddStringToObject(x, "title", m->title);
			cJSON_AddStringToObject(x, "first", m->first);
			cJSON_AddStringToObject(x, "middle", m->middle);
			cJSON_AddStringToObject(x, "last", m->last);
			cJSON_AddStringToObject(x, "gender", m->gender);
			date_json(x, "birth", m->birth);
			cJSON_AddStringToObject(x, "relation", m->relation);
			cJSON_AddItemToArray(a, x);
		}
		break;
	default:
		cJSON_AddNumberToObject(o, "total", (double)r->total);
		a = cJSON_AddArrayToObject(o, "changes");
		for (size_t i = 0; i < r->n_changes; i++) {
			const struct linkage_name_change *c = &r->changes[i];
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "title", c->title);
			cJSON_AddStringToObject(x, "first", c->first);
			cJSON_AddStringToObject(x, "last", c->last);
			cJSON_AddStringToObject(x, "new_name", c->new_name);
			cJSON_AddStringToObject(x, "doc_id", c->doc_id);
			date_json(x, "doc_date", c->doc_date);
			cJSON_AddStringToObject(x, "doc_place", c->doc_place);
			cJSON_AddStringToObject(x, "doc_province", c->doc_province);
			date_json(x, "request_date", c->request_date);
			cJSON_AddStringToObject(x, "cause", c->cause);
			cJSON_AddItemToArray(a, x);
		}
		break;
	}
	return o;
}

static cJSON *error_json(int service, const tb_err *e)
{
	cJSON *o = cJSON_CreateObject();
	char svc[16];

	snprintf(svc, sizeof svc, "00023/%s", linkage_service_code(service));
	cJSON_AddStringToObject(o, "service", svc);
	cJSON_AddStringToObject(o, "error", err_code(e->id));
	if (e->detail)
		cJSON_AddNumberToObject(o, "detail", (double)e->detail);
	cJSON_AddStringToObject(o, "message", err_message(e->id, TB_LANG_EN));
	cJSON_AddStringToObject(o, "message_th", err_message(e->id, TB_LANG_TH));
	cJSON_AddStringToObject(o, "hint", err_hint(e->id, TB_LANG_EN));
	cJSON_AddStringToObject(o, "hint_th", err_hint(e->id, TB_LANG_TH));
	return o;
}

/* --- options and the run -------------------------------------------------------------------- */

enum { OPT_DB = 1, OPT_AS, OPT_BATCH, OPT_JSON, OPT_SERVICE, OPT_CID, OPT_PURPOSE, OPT_TRANSPORT,
       OPT_OFFICER_CID, OPT_CHIP };

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
		if (o->n_services == MAX_SERVICES)
			return -1;
		o->services[o->n_services++] = s;
	}
	return o->n_services ? 0 : -1;
}

static int parse_opts(int argc, char **argv, struct lk_opts *o, int household)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "as", required_argument, NULL, OPT_AS },
		{ "batch", no_argument, NULL, OPT_BATCH },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "service", required_argument, NULL, OPT_SERVICE },
		{ "cid", required_argument, NULL, OPT_CID },
		{ "purpose", required_argument, NULL, OPT_PURPOSE },
		{ "transport", required_argument, NULL, OPT_TRANSPORT },
		{ "officer-cid", required_argument, NULL, OPT_OFFICER_CID },
		{ "chip", required_argument, NULL, OPT_CHIP },
		{ 0 },
	};
	int c;

	*o = (struct lk_opts){ 0 };
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			if (!cmd_arg_fits("db", optarg, PATH_MAX))
				return -1;
			o->db = optarg;
			break;
		case OPT_AS: o->as = optarg; break;
		case OPT_BATCH: o->batch = 1; break;
		case OPT_JSON: o->json = 1; break;
		case OPT_PURPOSE: o->purpose = optarg; break;
		case OPT_TRANSPORT:
			if (strcmp(optarg, "gdx") != 0 && strcmp(optarg, "lk2") != 0) {
				fprintf(stderr, "tabien: --transport is gdx or lk2 / --transport ต้องเป็น gdx หรือ lk2\n");
				return -1;
			}
			o->transport = strcmp(optarg, "lk2") == 0 ? 2 : 1;
			break;
		case OPT_OFFICER_CID: o->officer_cid = optarg; break;
		case OPT_CHIP:
			if (!cmd_arg_fits("chip", optarg, LK2_CHIP_MAX))
				return -1;
			o->chip = optarg;
			break;
		case OPT_CID: {
			char *w = o->cid;

			if (!cmd_arg_fits("cid", optarg, sizeof o->cid))
				return -1;
			for (const char *r = optarg; *r && w < o->cid + sizeof o->cid - 1; r++)
				if (*r != '-' && *r != ' ')
					*w++ = *r;
			*w = '\0';
			break;
		}
		case OPT_SERVICE:
			if (household || parse_services(o, optarg)) {
				fprintf(stderr, "tabien: unknown service '%s' (001 027 007 008 013 017) / "
					"ไม่รู้จักบริการ '%s'\n", optarg, optarg);
				return -1;
			}
			break;
		default:
			return -1;
		}
	}
	if (optind != argc)
		return -1;
	if (household) {
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

static int run(struct lk_opts *o)
{
	struct linkage_config *lc = calloc(1, sizeof *lc);
	struct linkage *lk = NULL;
	struct linkage_fetch *f = NULL;
	struct linkage_request rq;
	struct db *d = NULL;
	struct user who;
	cJSON *out = NULL;
	tb_err err = { 0 };
	char path[512];
	int failed = 0, rc = EXIT_FAIL;

	memset(&who, 0, sizeof who);
	if (!lc) {
		err_set(&err, TB_E_NOMEM, 0, NULL);
		goto fail;
	}
	/* Checked before the password is asked or anything is sent. */
	if (!cid_valid(o->cid)) {
		err_set(&err, TB_E_AUTH_INVALID, 0, "cid");
		goto fail;
	}
	if (o->purpose && !users_text_valid(o->purpose, 100)) {
		err_set(&err, TB_E_AUTH_INVALID, 0, "purpose");
		goto fail;
	}
	config_path(path, sizeof path);
	if (linkage_config_load(lc, path, &err)) {
		cmd_error(stderr, "tabien: ", &err);
		fprintf(stderr, "        file / ไฟล์: %s\n", path);
		if (err.id == TB_E_SECRET_MODE)
			fprintf(stderr, "        fix / วิธีแก้: chmod 600 %s\n", path);
		rc = EXIT_FAIL;
		goto out;
	}
	http_preload();   /* while the officer signs in */
	d = db_open(o->db, 0, &err);
	if (!d || settings_initialised(d, &err) <= 0 || officer_login(d, o, &who, &err))
		goto fail;
	lk = linkage_new(lc, &err);
	if (!lk)
		goto fail;
	if (o->json)
		out = cJSON_CreateArray();
	/* All the services at once, as the panes ask them: one round trip
	 * for the lot (after one token request when there is none). */
	rq = (struct linkage_request){ .cid = o->cid, .agent_cid = who.cid,
		.username = who.username, .purpose = o->purpose };
	f = linkage_fetch_start(lk, d, &rq, o->services, o->n_services, &err);
	if (!f || linkage_fetch_wait(f, &err))
		goto fail;
	for (int i = 0; i < o->n_services; i++) {
		struct linkage_result *r = NULL;

		err_clear(&err);
		if (linkage_fetch_take(f, o->services[i], &r, &err)) {
			failed++;
			if (out)
				cJSON_AddItemToArray(out, error_json(o->services[i], &err));
			else
				cmd_error(stderr, "tabien: ", &err);
			continue;
		}
		if (out)
			cJSON_AddItemToArray(out, result_json(r));
		else
			result_print(r);
		linkage_result_free(&r);
	}
	if (out) {
		char *s = cJSON_Print(out);
		if (s) {
			puts(s);
			explicit_bzero(s, strlen(s));
			cJSON_free(s);
		}
	}
	rc = failed ? EXIT_FAIL : EXIT_OK;
	goto out;
fail:
	cmd_error(stderr, "tabien: ", &err);
	rc = err.id == TB_E_USAGE ? EXIT_USAGE : EXIT_FAIL;
out:
	cJSON_Delete(out);
	linkage_fetch_free(&f);
	linkage_free(&lk);
	if (lc) {
		linkage_config_wipe(lc);
		free(lc);
	}
	explicit_bzero(&who, sizeof who);
	db_close(&d);
	return rc;
}

/* --- Linkage Center 2 ------------------------------------------------------------------------ */

#define PIN_BYTES 20

/* --transport, else linkage.transport in the config file: 1 for LK2. */
static int transport_lk2(const struct lk_opts *o, const char *path, tb_err *err)
{
	struct config *c;
	int r;

	if (o->transport)
		return o->transport == 2;
	c = calloc(1, sizeof *c);
	if (!c)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	r = config_load(c, path, err);
	if (r == 0)
		r = lk2_transport_from(c, err);
	explicit_bzero(c, sizeof *c);
	free(c);
	return r;
}

static void lk2_said(const char *text)
{
	if (text && *text)
		fprintf(stderr, "        Linkage Center says / Linkage Center แจ้ง: %s\n", text);
}

static int lk2_print_error(const char *what, const tb_err *e, const char *text)
{
	char prefix[64];

	snprintf(prefix, sizeof prefix, "tabien: %s: ", what);
	cmd_error(stderr, prefix, e);
	lk2_said(text);
	return -1;
}

/* The officer's card login, then one request for every service asked. */
static int run_lk2(struct lk_opts *o, const char *path)
{
	struct lk2_config *lc = calloc(1, sizeof *lc);
	struct lk2 *l = NULL;
	struct lk2_op *op = NULL;
	struct db *d = NULL;
	struct user who;
	cJSON *out = NULL;
	tb_err err = { 0 };
	char pin[PIN_BYTES];
	int failed = 0, rc = EXIT_FAIL;

	memset(&who, 0, sizeof who);
	memset(pin, 0, sizeof pin);
	if (!lc) {
		err_set(&err, TB_E_NOMEM, 0, NULL);
		goto fail;
	}
	/* Checked before anything is asked or sent. */
	if (!cid_valid(o->cid)) {
		err_set(&err, TB_E_AUTH_INVALID, 0, "cid");
		goto fail;
	}
	if (o->purpose && !users_text_valid(o->purpose, 100)) {
		err_set(&err, TB_E_AUTH_INVALID, 0, "purpose");
		goto fail;
	}
	if (!o->chip || !*o->chip) {
		fprintf(stderr, "tabien: --chip (the chip number of the officer's card) is needed with "
			"lk2 / ต้องระบุ --chip (หมายเลขชิปบนบัตรของเจ้าหน้าที่) เมื่อใช้ lk2\n");
		rc = EXIT_USAGE;
		goto out;
	}
	if (o->officer_cid && !cid_valid(o->officer_cid)) {
		err_set(&err, TB_E_AUTH_INVALID, 0, "officer cid");
		goto fail;
	}
	if (lk2_config_load(lc, path, &err)) {
		cmd_error(stderr, "tabien: ", &err);
		fprintf(stderr, "        file / ไฟล์: %s\n", path);
		if (err.id == TB_E_LK2_CONFIG_MODE)
			fprintf(stderr, "        fix / วิธีแก้: chmod 600 %s\n", path);
		goto out;
	}
	http_preload();   /* while the officer signs in */
	d = db_open(o->db, 0, &err);
	if (!d || settings_initialised(d, &err) <= 0 || officer_login(d, o, &who, &err))
		goto fail;
	if (cmd_ask(o->batch, "PIN of the officer's card / รหัส PIN ของบัตรเจ้าหน้าที่", pin, sizeof pin,
		    1, "PIN", &err))
		goto fail;
	l = lk2_new(lc, &err);
	if (!l)
		goto fail;
	op = lk2_login_start(l, o->officer_cid ? o->officer_cid : who.cid, o->chip, pin, &err);
	sodium_memzero(pin, sizeof pin);
	if (!op)
		goto fail;
	if (lk2_run(l, op, &err)) {
		lk2_print_error("login", &err, lk2_batch_message(op, 0));
		goto out;
	}
	lk2_op_free(&op);
	op = lk2_batch_start(l, o->cid, o->services, o->n_services, d, who.username, o->purpose, &err);
	if (!op)
		goto fail;
	if (o->json)
		out = cJSON_CreateArray();
	if (lk2_run(l, op, &err) && !out)
		lk2_print_error("request", &err, lk2_batch_message(op, 0));
	for (int i = 0; i < o->n_services; i++) {
		struct linkage_result *r = NULL;
		int s = o->services[i];
		char what[32];

		err_clear(&err);
		if (lk2_batch_take(op, s, &r, &err) == 0) {
			if (out)
				cJSON_AddItemToArray(out, result_json(r));
			else
				result_print(r);
			linkage_result_free(&r);
			continue;
		}
		failed++;
		snprintf(what, sizeof what, "00023/%s", linkage_service_code(s));
		if (out)
			cJSON_AddItemToArray(out, error_json(s, &err));
		else if (lk2_op_error(op, NULL) == 0)
			lk2_print_error(what, &err, lk2_batch_message(op, s));
	}
	if (out) {
		char *s = cJSON_Print(out);
		if (s) {
			puts(s);
			explicit_bzero(s, strlen(s));
			cJSON_free(s);
		}
	}
	rc = failed ? EXIT_FAIL : EXIT_OK;
	goto out;
fail:
	cmd_error(stderr, "tabien: ", &err);
	rc = err.id == TB_E_USAGE ? EXIT_USAGE : EXIT_FAIL;
out:
	sodium_memzero(pin, sizeof pin);
	cJSON_Delete(out);
	lk2_op_free(&op);
	lk2_free(&l);          /* logs out */
	if (lc) {
		lk2_config_wipe(lc);
		free(lc);
	}
	explicit_bzero(&who, sizeof who);
	db_close(&d);
	return rc;
}

/* --- the officer's presence ------------------------------------------------------------------ */

static int permission_opts(int argc, char **argv, struct lk_opts *o)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "as", required_argument, NULL, OPT_AS },
		{ "batch", no_argument, NULL, OPT_BATCH },
		{ "json", no_argument, NULL, OPT_JSON },
		{ 0 },
	};
	int c;

	*o = (struct lk_opts){ 0 };
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			if (!cmd_arg_fits("db", optarg, PATH_MAX))
				return -1;
			o->db = optarg;
			break;
		case OPT_AS: o->as = optarg; break;
		case OPT_BATCH: o->batch = 1; break;
		case OPT_JSON: o->json = 1; break;
		default: return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

static void permission_print(const struct user *who, const struct linkage_permission *p)
{
	char buf[512], id[32];

	cid_text(who->cid, id, sizeof id);
	snprintf(buf, sizeof buf, "%s (%s)", who->username, id);
	row("Officer / เจ้าหน้าที่", buf);
	if (strlen(p->agent_id) == 13 && cid_valid(p->agent_id))
		cid_text(p->agent_id, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "%s", p->agent_id[0] ? p->agent_id : "-");
	row("Agent ID / รหัส Agent", buf);
	if (p->state == LINKAGE_SESSION_UNKNOWN)
		snprintf(buf, sizeof buf, "%s (unknown / ไม่รู้จัก)", p->state_text);
	else
		snprintf(buf, sizeof buf, "%s", p->state_text);
	row("State / สถานะ", buf);
	row("Means / ความหมาย", linkage_session_name(p->state, TB_LANG_EN));
	row("", linkage_session_name(p->state, TB_LANG_TH));
	row("Next / สิ่งที่ต้องทำ", linkage_session_hint(p->state, TB_LANG_EN));
	row("", linkage_session_hint(p->state, TB_LANG_TH));
}

static cJSON *permission_json(const struct linkage_permission *p)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "state", p->state_text);
	cJSON_AddBoolToObject(o, "known", p->state != LINKAGE_SESSION_UNKNOWN);
	cJSON_AddBoolToObject(o, "agent_available", p->state == LINKAGE_AGENT_AVAILABLE ||
				p->state == LINKAGE_CITIZEN_AVAILABLE);
	cJSON_AddBoolToObject(o, "two_card", p->state == LINKAGE_CITIZEN_AVAILABLE);
	cJSON_AddStringToObject(o, "agent_id", p->agent_id);
	cJSON_AddStringToObject(o, "citizen_id", p->citizen_id);
	cJSON_AddStringToObject(o, "message", linkage_session_name(p->state, TB_LANG_EN));
	cJSON_AddStringToObject(o, "message_th", linkage_session_name(p->state, TB_LANG_TH));
	cJSON_AddStringToObject(o, "hint", linkage_session_hint(p->state, TB_LANG_EN));
	cJSON_AddStringToObject(o, "hint_th", linkage_session_hint(p->state, TB_LANG_TH));
	return o;
}

/* Always over GDX, whatever linkage.transport says: agent/permission is a
 * GDX endpoint.  Exit 0 when the officer's agent is up (with or without the
 * citizen's card), 3 when it is not or the state is unknown, 1 when the
 * gateway could not say. */
static int run_permission(const struct lk_opts *o)
{
	struct linkage_config *lc = calloc(1, sizeof *lc);
	struct linkage *lk = NULL;
	struct linkage_permission p;
	struct db *d = NULL;
	struct user who;
	cJSON *out = NULL;
	tb_err err = { 0 };
	char path[512];
	int rc = EXIT_FAIL;

	memset(&who, 0, sizeof who);
	memset(&p, 0, sizeof p);
	if (!lc) {
		err_set(&err, TB_E_NOMEM, 0, NULL);
		goto fail;
	}
	config_path(path, sizeof path);
	if (linkage_config_load(lc, path, &err)) {
		cmd_error(stderr, "tabien: ", &err);
		fprintf(stderr, "        file / ไฟล์: %s\n", path);
		if (err.id == TB_E_SECRET_MODE)
			fprintf(stderr, "        fix / วิธีแก้: chmod 600 %s\n", path);
		goto out;
	}
	http_preload();   /* while the officer signs in */
	d = db_open(o->db, 0, &err);
	if (!d || settings_initialised(d, &err) <= 0 || officer_login(d, o, &who, &err))
		goto fail;
	lk = linkage_new(lc, &err);
	if (!lk)
		goto fail;
	if (linkage_permission(lk, who.cid, &p, &err)) {
		if (!o->json)
			goto fail;
		out = cJSON_CreateObject();
		cJSON_AddStringToObject(out, "error", err_code(err.id));
		if (err.detail)
			cJSON_AddNumberToObject(out, "detail", (double)err.detail);
		cJSON_AddStringToObject(out, "message", err_message(err.id, TB_LANG_EN));
		cJSON_AddStringToObject(out, "message_th", err_message(err.id, TB_LANG_TH));
		cJSON_AddStringToObject(out, "hint", err_hint(err.id, TB_LANG_EN));
		cJSON_AddStringToObject(out, "hint_th", err_hint(err.id, TB_LANG_TH));
		rc = EXIT_FAIL;
	} else {
		if (o->json)
			out = permission_json(&p);
		else
			permission_print(&who, &p);
		rc = p.state == LINKAGE_AGENT_AVAILABLE || p.state == LINKAGE_CITIZEN_AVAILABLE ?
		     EXIT_OK : EXIT_WARN;
	}
	if (out) {
		char *s = cJSON_Print(out);
		if (s) {
			puts(s);
			explicit_bzero(s, strlen(s));
			cJSON_free(s);
		}
	}
	goto out;
fail:
	cmd_error(stderr, "tabien: ", &err);
	rc = err.id == TB_E_USAGE ? EXIT_USAGE : EXIT_FAIL;
out:
	cJSON_Delete(out);
	explicit_bzero(&p, sizeof p);
	linkage_free(&lk);
	if (lc) {
		linkage_config_wipe(lc);
		free(lc);
	}
	explicit_bzero(&who, sizeof who);
	db_close(&d);
	return rc;
}

int cmd_linkage(int argc, char **argv)
{
	struct lk_opts o;
	int household;

	if (argc >= 2 && strcmp(argv[1], "permission") == 0) {
		if (permission_opts(argc - 1, argv + 1, &o))
			goto usage;
		return run_permission(&o);
	}
	if (argc < 2 || (strcmp(argv[1], "query") != 0 && strcmp(argv[1], "household") != 0))
		goto usage;
	household = strcmp(argv[1], "household") == 0;
	if (parse_opts(argc - 1, argv + 1, &o, household))
		goto usage;
	{
		char path[512];
		tb_err err = { 0 };
		int lk2;

		config_path(path, sizeof path);
		lk2 = transport_lk2(&o, path, &err);
		if (lk2 < 0) {
			cmd_error(stderr, "tabien: ", &err);
			fprintf(stderr, "        file / ไฟล์: %s\n", path);
			return EXIT_FAIL;
		}
		if (lk2)
			return run_lk2(&o, path);
	}
	return run(&o);
usage:
	fprintf(stderr, "usage: tabien linkage query --service 001[,027,...] --cid ID --as USER "
		"[--purpose TEXT] [--json] [--batch] [--db PATH]\n"
		"       tabien linkage household --cid ID --as USER [--purpose TEXT] [--json] "
		"[--batch] [--db PATH]\n"
		"  either with --transport lk2 --chip NO [--officer-cid ID]: through the agency's\n"
		"  Linkage Center 2 proxy, all services in one request (the card's PIN is asked)\n"
		"       tabien linkage permission --as USER [--json] [--batch] [--db PATH]\n"
		"  whether USER's agent is up at GDX (exit 0), or not (exit 3)\n");
	return EXIT_USAGE;
}
