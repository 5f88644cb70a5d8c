/* `tabien copy person|household|names --cid ID` and `tabien copy juristic
 * ID`: a signed digital copy of what the Linkage Center or DBD says, made
 * as the officer named by --as for the purpose given.  Least data: only the
 * sections picked with --sections are asked for and go into the copy (by
 * default the one the command is named after); each carries its source
 * (the Linkage Center's service, DBD) and when it was fetched.  A section
 * the source did not give fails the copy rather than leaving it out. */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "services/base/format.h"
#include "services/base/util.h"
#include "services/juristic/juristic.h"
#include "services/registry/linkage.h"
#include "storage/db.h"
#include "tui/cmd.h"
#include "tui/cmd_copy.h"
#include "tui/cmd_linkage.h"
#include "tui/cmd_query.h"

/* The registry's sections, and the services each asks. */
enum { SEC_RECORD = REG_SECTION_RECORD, SEC_ADDRESSES = REG_SECTION_ADDRESSES,
       SEC_HOUSEHOLD = REG_SECTION_HOUSEHOLD, SEC_NAMES = REG_SECTION_NAMES };
static const char *const registry_sections[] = { "record", "addresses", "household", "names" };
/* DBD's. */
enum { SEC_CERTIFICATE = JUR_SECTION_CERTIFICATE, SEC_DIRECTORS = JUR_SECTION_DIRECTORS,
       SEC_SIGNING = JUR_SECTION_SIGNING, SEC_SHAREHOLDERS = JUR_SECTION_SHAREHOLDERS };
static const char *const juristic_sections[] = { "certificate", "directors", "signing", "shareholders" };

struct cq_opts {
	struct cmd_query_opts q;
	char cid[32];
	char purpose[SETTINGS_PURPOSE_BYTES];
	const char *out;
	int sections, juristic;
};

enum { OPT_CID = CMD_OPT_OWN, OPT_SECTIONS, OPT_OUT };

static int cq_opt(void *ctx, int code, const char *arg)
{
	struct cq_opts *o = ctx;

	switch (code) {
	case OPT_CID:
		if (o->juristic || !cmd_arg_fits("cid", arg, sizeof o->cid))
			return -1;
		cmd_id_digits(o->cid, sizeof o->cid, arg);
		return 0;
	case OPT_SECTIONS:
		o->sections = o->juristic ? cmd_copy_sections(arg, juristic_sections, 4)
			: cmd_copy_sections(arg, registry_sections, 4);
		return o->sections < 0 ? -1 : 0;
	case OPT_OUT:
		if (!cmd_arg_fits("out", arg, PATH_MAX - 1))
			return -1;
		o->out = arg;
		return 0;
	default:
		return -1;
	}
}

static int parse_opts(int argc, char **argv, struct cq_opts *o)
{
	static const struct option opts[] = {
		CMD_QUERY_OPTIONS,
		CMD_PURPOSE_OPTION,
		{ "cid", required_argument, NULL, OPT_CID },
		{ "sections", required_argument, NULL, OPT_SECTIONS },
		{ "out", required_argument, NULL, OPT_OUT },
		{ 0 },
	};
	const char *what = argv[0];

	*o = (struct cq_opts){ .juristic = strcmp(what, "juristic") == 0 };
	o->sections = o->juristic ? SEC_CERTIFICATE : strcmp(what, "household") == 0 ? SEC_HOUSEHOLD
		: strcmp(what, "names") == 0 ? SEC_NAMES : SEC_RECORD;
	if (cmd_query_parse(argc, argv, opts, &o->q, cq_opt, o) || !o->q.as)
		return -1;
	if (o->q.purpose) {
		if (!cmd_arg_fits("purpose", o->q.purpose, sizeof o->purpose))
			return -1;
		str_copy(o->purpose, sizeof o->purpose, o->q.purpose);
	}
	if (o->juristic) {
		if (optind + 1 != argc || !cmd_arg_fits("ID", argv[optind], sizeof o->cid))
			return -1;
		cmd_id_digits(o->cid, sizeof o->cid, argv[optind]);
		return 0;
	}
	if (optind != argc || !o->cid[0]) {
		fprintf(stderr, "tabien: --cid is needed / ต้องระบุ --cid\n");
		return -1;
	}
	return 0;
}

/* --- the registry's sections ------------------------------------------------------------ */

/* "ศูนย์แลกเปลี่ยนข้อมูล บริการ 00023/007 ... / Linkage Center service
 * 00023/007 ..., fetched ..." */
static int linkage_section(struct copy_doc *d, int service, const char *when, tb_err *err)
{
	char title[256], source[512];

	snprintf(title, sizeof title, "%s / %s", linkage_service_name(service, TB_LANG_TH),
		 linkage_service_name(service, TB_LANG_EN));
	snprintf(source, sizeof source, "แหล่งข้อมูล: ศูนย์แลกเปลี่ยนข้อมูลกลาง (Linkage Center) บริการ 00023/%s "
		 "เมื่อ %s / Source: Linkage Center service 00023/%s, fetched %s",
		 linkage_service_code(service), when, linkage_service_code(service), when);
	return copy_doc_section(d, title, source, err);
}

static int field(struct copy_doc *d, const char *label, const char *value, tb_err *err)
{
	return copy_doc_field(d, label, value, err);
}

static int date_field(struct copy_doc *d, const char *label, int32_t be, tb_err *err)
{
	char buf[160];

	cmd_date_text(be, buf, sizeof buf);
	return field(d, label, buf, err);
}

/* The age on the day of the copy, as the panes compute it. */
static const char *age_text(int32_t birth, char *out, size_t size)
{
	int age = format_age(birth);

	if (age < 0)
		snprintf(out, size, "-");
	else
		snprintf(out, size, "%d ปี / %d years", age, age);
	return out;
}

static int person_doc(struct copy_doc *d, const struct linkage_person *p, tb_err *err)
{
	char buf[4 * LK_TEXT + 32], id[32], age[48];

	cmd_linkage_cid(p->cid, buf, sizeof buf);
	if (field(d, "เลขประจำตัวประชาชน / Citizen ID", buf, err))
		return -1;
	linkage_name_text(p->title, p->first, p->middle, p->last, buf, sizeof buf);
	if (field(d, "ชื่อ / Name", buf, err))
		return -1;
	snprintf(buf, sizeof buf, "%s%s%s%s%s%s%s", p->en_title, p->en_title[0] ? " " : "", p->en_first,
		 p->en_middle[0] ? " " : "", p->en_middle, p->en_last[0] ? " " : "", p->en_last);
	if (field(d, "ชื่อภาษาอังกฤษ / Name in English", buf, err) ||
	    field(d, "เพศ / Gender", p->gender_code == 1 ? "ชาย / male" : p->gender_code == 2
		  ? "หญิง / female" : p->gender, err) ||
	    date_field(d, "เกิดวันที่ / Born", p->birth, err) ||
	    field(d, "อายุ / Age", age_text(p->birth, age, sizeof age), err) ||
	    field(d, "สัญชาติ / Nationality", p->nationality, err) ||
	    field(d, "สถานภาพบุคคล / Status", p->status, err) ||
	    field(d, "สถานภาพในบ้าน / In the house as", p->owner_status, err) ||
	    date_field(d, "วันที่ย้ายเข้า / Moved in", p->move_in, err))
		return -1;
	cmd_linkage_cid(p->father_cid, id, sizeof id);
	snprintf(buf, sizeof buf, "%s (%s)", p->father_name[0] ? p->father_name : "-", id);
	if (field(d, "บิดา / Father", buf, err))
		return -1;
	cmd_linkage_cid(p->mother_cid, id, sizeof id);
	snprintf(buf, sizeof buf, "%s (%s)", p->mother_name[0] ? p->mother_name : "-", id);
	return field(d, "มารดา / Mother", buf, err);
}

static int address_doc(struct copy_doc *d, const struct linkage_address *a, tb_err *err)
{
	char buf[10 * LK_TEXT], date[160];

	linkage_address_text(a, buf, sizeof buf);
	if (field(d, "รหัสประจำบ้าน / House ID", a->house_id, err) || field(d, "ที่อยู่ / Address", buf, err) ||
	    field(d, "ประเภทบ้าน / House type", a->house_type, err) ||
	    field(d, "สำนักทะเบียน / Registry office", a->rcode, err))
		return -1;
	cmd_date_text(a->terminated, date, sizeof date);
	if (a->terminated)
		snprintf(buf, sizeof buf, "สิ้นสุด %s / ended", date);
	else
		snprintf(buf, sizeof buf, "ยังใช้อยู่ / in use");
	return field(d, "สถานะ / State", buf, err);
}

/* One line a member: the name as the label, the rest beside it. */
static int members_doc(struct copy_doc *d, const struct linkage_result *r, tb_err *err)
{
	char label[5 * LK_TEXT], buf[6 * LK_TEXT], id[32], born[160], age[48];

	snprintf(buf, sizeof buf, "%zu", r->n_members);
	if (field(d, "รหัสประจำบ้าน / House ID", r->house_id, err) ||
	    field(d, "จำนวนคนในบ้าน / Members", buf, err))
		return -1;
	for (size_t i = 0; i < r->n_members; i++) {
		const struct linkage_member *m = &r->members[i];
		char name[4 * LK_TEXT];

		linkage_name_text(m->title, m->first, m->middle, m->last, name, sizeof name);
		snprintf(label, sizeof label, "%zu. %s", i + 1, name);
		cmd_linkage_cid(m->cid, id, sizeof id);
		cmd_date_text(m->birth, born, sizeof born);
		snprintf(buf, sizeof buf, "%s; %s; เกิด / born %s; อายุ / age %s; %s", id,
			 m->gender[0] ? m->gender : "-", born, age_text(m->birth, age, sizeof age),
			 m->relation[0] ? m->relation : "-");
		if (field(d, label, buf, err))
			return -1;
	}
	return 0;
}

static int changes_doc(struct copy_doc *d, const struct linkage_result *r, tb_err *err)
{
	char buf[8 * LK_TEXT], label[6 * LK_TEXT], date[160];

	snprintf(buf, sizeof buf, "%ld", r->total);
	if (field(d, "จำนวนครั้งที่เปลี่ยน / Changes", buf, err))
		return -1;
	for (size_t i = 0; i < r->n_changes; i++) {
		const struct linkage_name_change *c = &r->changes[i];
		char before[4 * LK_TEXT];

		linkage_name_text(c->title, c->first, "", c->last, before, sizeof before);
		snprintf(label, sizeof label, "%zu. %s → %s", i + 1, before, c->new_name);
		cmd_date_text(c->doc_date, date, sizeof date);
		snprintf(buf, sizeof buf, "เอกสาร / document %s; %s; %s%s%s%s%s",
			 c->doc_id[0] ? c->doc_id : "-", date, c->doc_place, c->doc_province[0] ? " " : "",
			 c->doc_province, c->cause[0] ? "; " : "", c->cause);
		if (field(d, label, buf, err))
			return -1;
	}
	return 0;
}

static int result_doc(struct copy_doc *d, const struct linkage_result *r, const char *when, tb_err *err)
{
	if (linkage_section(d, r->service, when, err))
		return -1;
	switch (r->service) {
	case LINKAGE_PERSON:
		return person_doc(d, &r->person, err);
	case LINKAGE_ADDRESSES:
	case LINKAGE_HOUSE:
		if (r->n_addresses == 0)
			return field(d, "ที่อยู่ / Addresses", "ไม่มี / none", err);
		for (size_t i = 0; i < r->n_addresses; i++)
			if (address_doc(d, &r->addresses[i], err))
				return -1;
		return 0;
	case LINKAGE_HOUSEHOLD:
		return members_doc(d, r, err);
	default:
		return changes_doc(d, r, err);
	}
}

/* The services the sections ask, in the copy's order. */
static int services_of(int sections, int *s)
{
	int n = 0;

	if (sections & SEC_RECORD)
		s[n++] = LINKAGE_PERSON;
	if (sections & SEC_ADDRESSES)
		s[n++] = LINKAGE_ADDRESSES;
	if (sections & SEC_HOUSEHOLD) {
		s[n++] = LINKAGE_HOUSEHOLD;
		s[n++] = LINKAGE_HOUSE;
	}
	if (sections & SEC_NAMES) {
		s[n++] = LINKAGE_FIRST_NAMES;
		s[n++] = LINKAGE_SURNAMES;
	}
	return n;
}

int cmd_copy_services(int sections, int *services)
{
	return services_of(sections, services);
}

int cmd_copy_registry_title(struct copy_doc *d, tb_err *err)
{
	return copy_doc_set(d, COPY_TITLE, "สำเนาข้อมูลทะเบียนราษฎร / Copy of the population registry's record",
			    err);
}

int cmd_copy_registry_section(struct copy_doc *d, const struct linkage_result *r, const char *when,
			      tb_err *err)
{
	return result_doc(d, r, when, err);
}

static int registry_doc(struct cmd_query *q, const struct cq_opts *o, struct copy_doc *d)
{
	struct linkage *lk = NULL;
	struct linkage_fetch *f = NULL;
	int services[LINKAGE_FETCH_MAX], n = services_of(o->sections, services), rc = -1;
	char when[96];

	cmd_query_need(q, RIGHT_COPIES, o->cid);
	if (cmd_linkage_open(q, &lk))
		return -2;   /* said already */
	f = linkage_fetch_start(lk, q->d, &(struct linkage_request){ .cid = o->cid, .agent_cid = q->who.cid,
				.username = q->who.username, .purpose = o->purpose }, services, n, &q->err);
	if (!f || linkage_fetch_wait(f, &q->err))
		goto out;
	cmd_copy_when(time(NULL), when, sizeof when);
	if (cmd_copy_registry_title(d, &q->err))
		goto out;
	/* Every section picked, or no copy: none is left out unsaid. */
	for (int i = 0; i < n; i++) {
		struct linkage_result *r = NULL;
		int bad = linkage_fetch_take(f, services[i], &r, &q->err) || result_doc(d, r, when, &q->err);

		linkage_result_free(&r);
		if (bad)
			goto out;
	}
	rc = 0;
out:
	linkage_fetch_free(&f);
	linkage_free(&lk);
	return rc;
}

/* --- DBD's sections ------------------------------------------------------------------- */

static int certificate_doc(struct copy_doc *d, const struct juristic_result *r, tb_err *err)
{
	char buf[2 * JR_TEXT + 64];
	const char *st = juristic_status_name(r->status, TB_LANG_TH);

	if (field(d, "เลขทะเบียนนิติบุคคล / Juristic ID", r->id, err) || field(d, "ชื่อ / Name", r->name_th, err) ||
	    field(d, "ชื่อภาษาอังกฤษ / Name in English", r->name_en, err) ||
	    field(d, "ประเภท / Type", r->type, err))
		return -1;
	snprintf(buf, sizeof buf, "%s%s%s%s", st ? st : r->status_text, st ? " (" : "",
		 st ? juristic_status_name(r->status, TB_LANG_EN) : "", st ? ")" : "");
	if (field(d, "สถานะ / Status", buf, err) || date_field(d, "วันที่จดทะเบียน / Registered", r->registered, err))
		return -1;
	juristic_money_format(r->capital, TB_LANG_TH, buf, sizeof buf);
	if (field(d, "ทุนจดทะเบียน / Registered capital", buf, err))
		return -1;
	juristic_money_format(r->paid_up, TB_LANG_TH, buf, sizeof buf);
	return field(d, "ทุนชำระแล้ว / Paid-up capital", buf, err) ||
		field(d, "ที่ตั้งสำนักงานใหญ่ / Head office", r->address, err) ||
		field(d, "วัตถุประสงค์ / Objective", r->objective, err) ? -1 : 0;
}

static int directors_doc(struct copy_doc *d, const struct juristic_result *r, tb_err *err)
{
	char label[4 * JR_TEXT], money[64];

	if (r->source == JURISTIC_OPEN)   /* the open API has none */
		return err_set(err, TB_E_COPY_SECTION, 0, "directors");
	for (size_t i = 0; i < r->n_directors; i++) {
		const struct juristic_director *x = &r->directors[i];

		snprintf(label, sizeof label, "%zu. %s%s %s", i + 1, x->title, x->first, x->last);
		if (x->amount >= 0)
			juristic_money_format(x->amount, TB_LANG_TH, money, sizeof money);
		else
			money[0] = '\0';
		char value[3 * JR_TEXT];
		snprintf(value, sizeof value, "%s%s%s%s%s", x->type, x->invest_type[0] ? "; " : "", x->invest_type,
			 money[0] ? "; " : "", money);
		if (field(d, label, value, err))
			return -1;
	}
	return r->n_directors ? 0 : field(d, "กรรมการ / Directors", "", err);
}

static int signing_doc(struct copy_doc *d, const struct juristic_result *r, tb_err *err)
{
	if (r->source == JURISTIC_OPEN)
		return err_set(err, TB_E_COPY_SECTION, 0, "signing");
	for (size_t i = 0; i < r->n_signing; i++)
		if (field(d, i ? "" : "อำนาจกรรมการ / Signing authority", r->signing[i], err))
			return -1;
	return r->n_signing ? 0 : field(d, "อำนาจกรรมการ / Signing authority", "", err);
}

static int shareholders_doc(struct copy_doc *d, const struct juristic_result *r, tb_err *err)
{
	char label[4 * JR_TEXT], value[2 * JR_TEXT], shares[32], money[48];

	if (r->shareholders_part == JURISTIC_PART_FAILED) {
		*err = r->shareholders_err;
		return -1;
	}
	if (r->shareholders_part != JURISTIC_PART_OK)
		return err_set(err, TB_E_COPY_SECTION, 0, "shareholders");
	for (size_t i = 0; i < r->n_shareholders; i++) {
		const struct juristic_shareholder *h = &r->shareholders[i];

		snprintf(label, sizeof label, "%zu. %s%s%s%s", i + 1, h->title, h->first, h->last[0] ? " " : "",
			 h->last);
		juristic_number_format(h->shares, shares, sizeof shares);
		juristic_money_format(h->amount, TB_LANG_TH, money, sizeof money);
		snprintf(value, sizeof value, "%s; %s หุ้น / shares; %s", h->nationality[0] ? h->nationality : "-",
			 shares, money);
		if (field(d, label, value, err))
			return -1;
	}
	return r->n_shareholders ? 0 : field(d, "ผู้ถือหุ้น / Shareholders", "", err);
}

int cmd_copy_juristic_pages(struct copy_doc *d, const struct juristic_result *r, int sections, tb_err *err)
{
	static const struct {
		int sec;
		const char *title;
		int (*fill)(struct copy_doc *, const struct juristic_result *, tb_err *);
	} parts[] = {
		{ SEC_CERTIFICATE, "หนังสือรับรองนิติบุคคล / Juristic person's particulars", certificate_doc },
		{ SEC_DIRECTORS, "กรรมการ / Directors", directors_doc },
		{ SEC_SIGNING, "อำนาจกรรมการ / Signing authority", signing_doc },
		{ SEC_SHAREHOLDERS, "ผู้ถือหุ้น / Shareholders", shareholders_doc },
	};
	char when[96], source[512];

	cmd_copy_when((time_t)r->fetched_at, when, sizeof when);
	snprintf(source, sizeof source, "แหล่งข้อมูล: กรมพัฒนาธุรกิจการค้า (%s) เมื่อ %s%s / Source: DBD (%s), "
		 "fetched %s%s", juristic_source_name(r->source), when,
		 r->stale ? " (สำเนาที่บันทึกไว้ เพราะติดต่อไม่ได้)" : "", juristic_source_name(r->source), when,
		 r->stale ? " (a saved copy: DBD did not answer)" : "");
	if (copy_doc_set(d, COPY_TITLE, "สำเนาข้อมูลนิติบุคคล / Copy of a juristic person's record", err))
		return -1;
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
		if ((sections & parts[i].sec) &&
		    (copy_doc_section(d, parts[i].title, source, err) || parts[i].fill(d, r, err)))
			return -1;
	return 0;
}

static int juristic_doc(struct cmd_query *q, const struct cq_opts *o, struct copy_doc *d)
{
	struct juristic_result *r = NULL;
	int rc;

	cmd_query_need(q, RIGHT_COPIES, o->cid);
	rc = cmd_juristic_fetch(q, &(struct juristic_request){ .id = o->cid, .purpose = o->purpose }, &r);
	if (!rc && cmd_copy_juristic_pages(d, r, o->sections, &q->err))
		rc = -1;
	juristic_result_free(&r);
	return rc;
}

/* --- the run ------------------------------------------------------------------------------ */

static int run(struct cq_opts *o)
{
	struct copy_doc *d = copy_doc_new();
	struct cmd_query q;
	char ref[COPY_REF_BYTES];
	int r;

	cmd_query_init(&q, &o->q);
	if (!d) {
		err_set(&q.err, TB_E_NOMEM, 0, NULL);
		goto fail;
	}
	/* Before the password is asked or anything is sent. */
	if (o->juristic ? !juristic_id_valid(o->cid) : !cid_valid(o->cid)) {
		err_set(&q.err, o->juristic ? TB_E_DBD_ID_INVALID : TB_E_AUTH_INVALID, 0,
			o->juristic ? "juristic id" : "cid");
		goto fail;
	}
	cmd_copy_ref(ref);
	if (cmd_copy_settings(d, o->out, ref, NULL, o->q.db, &q.err) ||
	    cmd_copy_purpose(o->purpose, sizeof o->purpose, o->q.batch, &q.err))
		goto fail;
	o->q.purpose = o->purpose;
	r = o->juristic ? juristic_doc(&q, o, d) : registry_doc(&q, o, d);
	if (r == -2)
		goto out;
	if (r || cmd_copy_header(d, q.d, &q.who, o->purpose, ref, &q.err) ||
	    cmd_copy_deliver(d, q.d, &q.who, o->cid, o->purpose, ref, o->q.json, &q.err))
		goto fail;
	q.rc = EXIT_OK;
	goto out;
fail:
	cmd_query_fail(&q);
out:
	copy_doc_free(&d);
	explicit_bzero(o->purpose, sizeof o->purpose);
	return cmd_query_end(&q);
}

int cmd_copy_query(int argc, char **argv)
{
	struct cq_opts o;
	static const char *const cmds[] = { "person", "household", "names", "juristic" };
	size_t i = 0;

	while (i < sizeof cmds / sizeof *cmds && strcmp(argv[0], cmds[i]))
		i++;
	if (i == sizeof cmds / sizeof *cmds || parse_opts(argc, argv, &o))
		return -1;
	return run(&o);
}
