/* `tabien juristic show ID`: a company (juristic person) from DBD, over GDX
 * or the open API (services/juristic/juristic.h), as the officer named by --as, whose
 * lookups the audit trail records.  The ID's check digit is checked before
 * the password is asked or anything is sent.  A copy shown from the cache
 * says how old it is; one shown because DBD failed is labelled stale and the
 * command exits 3.  `tabien juristic purge [--days N]` deletes cached copies
 * older than dbd.cache_keep_days (or N) days. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "services/base/configfile.h"
#include "services/juristic/juristic.h"
#include "services/registry/linkage.h"
#include "services/accounts/settings.h"
#include "storage/db.h"
#include "tui/cmd.h"
#include "tui/cmd_query.h"
#include "tui/text.h"

#define LABEL_COLS 38
#define WRAP_COLS 40
#define LONG_INDENT 4
#define LONG_COLS 74

struct jr_opts {
	struct cmd_query_opts q;
	char id[32];
	int refresh;
};

/* --- printing ------------------------------------------------------------------------------ */

static void row(const char *label, const char *value)
{
	text_pad(stdout, label, LABEL_COLS);
	printf("%s\n", value && *value ? value : "-");
}

static void wrap_line(void *ud, const char *start, size_t len)
{
	(void)ud;
	printf("%*s%.*s\n", LONG_INDENT, "", (int)len, start);
}

/* Short text beside its label; long Thai text (objectives run to hundreds
 * of letters without spaces between words) on the lines below, as wide as
 * 80 columns allow, so fewer words are cut. */
static void row_long(const char *label, const char *value)
{
	if (!value || !*value || text_width(value) <= WRAP_COLS) {
		row(label, value);
		return;
	}
	printf("%s\n", label);
	text_wrap(value, LONG_COLS, wrap_line, NULL);
}

static void status_text(const struct juristic_result *r, char *out, size_t size)
{
	const char *en = juristic_status_name(r->status, TB_LANG_EN);

	if (en)
		snprintf(out, size, "%s (%s)", r->status_text, en);
	else
		snprintf(out, size, "%s (unknown status / สถานะอื่น)",
			 r->status_text[0] ? r->status_text : "-");
}

static void age_lines(const struct juristic_result *r, int64_t now)
{
	char en[128], th[192], buf[384];

	juristic_age_format(r->fetched_at, now, TB_LANG_EN, en, sizeof en);
	juristic_age_format(r->fetched_at, now, TB_LANG_TH, th, sizeof th);
	snprintf(buf, sizeof buf, "%s%s", en,
		 r->stale ? " — STALE" : r->from_cache ? " — saved copy, nothing sent" : "");
	row("Data / ข้อมูล", buf);
	snprintf(buf, sizeof buf, "%s%s", th,
		 r->stale ? " — ข้อมูลเก่า" : r->from_cache ? " — ข้อมูลที่บันทึกไว้ ไม่ได้ส่งคำขอ" : "");
	row("", buf);
}

static void stale_banner(const struct juristic_result *r, int64_t now)
{
	char en[512], th[768], age_en[128], age_th[192];

	if (!r->stale)
		return;
	juristic_age_format(r->fetched_at, now, TB_LANG_EN, age_en, sizeof age_en);
	juristic_age_format(r->fetched_at, now, TB_LANG_TH, age_th, sizeof age_th);
	err_format(&r->stale_reason, TB_LANG_EN, en, sizeof en);
	err_format(&r->stale_reason, TB_LANG_TH, th, sizeof th);
	printf("*** STALE — not DBD's current data: a saved copy, %s ***\n", age_en);
	printf("*** ข้อมูลเก่า — ไม่ใช่ข้อมูลปัจจุบันของกรมพัฒนาธุรกิจการค้า: สำเนาที่บันทึกไว้ %s ***\n", age_th);
	printf("    %s\n    %s\n", en, th);
}

/* A part beyond the profile that is not there, and why. */
static int part_missing(const char *label, enum juristic_part part, const tb_err *e)
{
	char en[512], th[768], buf[1400];

	if (part == JURISTIC_PART_OK)
		return 0;
	if (part == JURISTIC_PART_NONE) {
		row(label, "not provided by this source / แหล่งข้อมูลนี้ไม่มีข้อมูลส่วนนี้");
		return 1;
	}
	err_format(e, TB_LANG_EN, en, sizeof en);
	err_format(e, TB_LANG_TH, th, sizeof th);
	snprintf(buf, sizeof buf, "%s / %s", en, th);
	row_long(label, buf);
	return 1;
}

static void signed_money(int64_t satang, char *out, size_t size)
{
	if (satang == INT64_MIN) {
		snprintf(out, size, "-");
	} else if (satang < 0) {
		out[0] = '-';
		juristic_money_format(-satang, TB_LANG_TH, out + 1, size - 1);
	} else {
		juristic_money_format(satang, TB_LANG_TH, out, size);
	}
}

static void part_print(const struct juristic_result *r)
{
	char line[6 * JR_TEXT], shares[32], money[48];

	if (!part_missing("Shareholders / ผู้ถือหุ้น", r->shareholders_part, &r->shareholders_err)) {
		snprintf(line, sizeof line, "%zu", r->n_shareholders);
		row("Shareholders / ผู้ถือหุ้น", line);
		for (size_t i = 0; i < r->n_shareholders; i++) {
			const struct juristic_shareholder *h = &r->shareholders[i];

			juristic_number_format(h->shares, shares, sizeof shares);
			juristic_money_format(h->amount, TB_LANG_TH, money, sizeof money);
			snprintf(line, sizeof line, "%zu. %s%s%s%s (%s; %s หุ้น / shares; %s)", i + 1, h->title,
				 h->first, h->last[0] ? " " : "", h->last,
				 h->nationality[0] ? h->nationality : "-", shares,
				 money);
			row("", line);
		}
	}
	if (!part_missing("Financial statements / งบการเงิน", r->financials_part, &r->financials_err)) {
		snprintf(line, sizeof line, "%zu", r->n_financials);
		row("Financial statements / งบการเงิน", line);
		for (size_t i = 0; i < r->n_financials; i++) {
			const struct juristic_financial *f = &r->financials[i];
			char rev[48], profit[48], assets[48];

			signed_money(f->revenue, rev, sizeof rev);
			signed_money(f->profit, profit, sizeof profit);
			signed_money(f->assets, assets, sizeof assets);
			snprintf(line, sizeof line, "%d: revenue / รายได้รวม %s; net profit / กำไรสุทธิ %s; "
				 "assets / สินทรัพย์รวม %s", f->year, rev, profit, assets);
			row("", line);
		}
	}
}

static void result_print(const struct juristic_result *r, int64_t now)
{
	char buf[2 * JR_TEXT], line[6 * JR_TEXT];

	stale_banner(r, now);
	printf("[DBD/%s] Juristic person / นิติบุคคล\n", juristic_source_name(r->source));
	row("Juristic ID / เลขทะเบียนนิติบุคคล", r->id);
	row("Name / ชื่อ", r->name_th);
	row("Name (English) / ชื่อภาษาอังกฤษ", r->name_en);
	row("Type / ประเภท", r->type);
	status_text(r, buf, sizeof buf);
	row("Status / สถานะ", buf);
	cmd_date_text(r->registered, buf, sizeof buf);
	row("Registered / วันที่จดทะเบียน", buf);
	juristic_money_format(r->capital, TB_LANG_TH, buf, sizeof buf);
	row("Registered capital / ทุนจดทะเบียน", buf);
	juristic_money_format(r->paid_up, TB_LANG_TH, buf, sizeof buf);
	row("Paid-up capital / ทุนชำระแล้ว", buf);
	row_long("Address / ที่ตั้งสำนักงานใหญ่", r->address);
	row_long("Objective / วัตถุประสงค์", r->objective);
	if (r->source == JURISTIC_OPEN) {
		row("Directors / กรรมการ", "not in the open data / ไม่มีในข้อมูลเปิด");
	} else {
		snprintf(buf, sizeof buf, "%zu", r->n_directors);
		row("Directors / กรรมการ", buf);
		for (size_t i = 0; i < r->n_directors; i++) {
			const struct juristic_director *d = &r->directors[i];
			char amount[64] = "";

			if (d->amount >= 0) {
				char money[48];
				juristic_money_format(d->amount, TB_LANG_TH, money, sizeof money);
				snprintf(amount, sizeof amount, ", %s", money);
			}
			snprintf(line, sizeof line, "%zu. %s%s %s (%s%s%s%s)", i + 1, d->title, d->first,
				 d->last, d->type[0] ? d->type : "-", d->invest_type[0] ? ", " : "",
				 d->invest_type, amount);
			row("", line);
		}
		if (!r->n_signing)
			row("Signing authority / อำนาจกรรมการ", "-");
		for (size_t i = 0; i < r->n_signing; i++)
			row_long(i ? "" : "Signing authority / อำนาจกรรมการ", r->signing[i]);
	}
	part_print(r);
	age_lines(r, now);
	printf("\n");
}

/* --- JSON ------------------------------------------------------------------------------------ */

static void money_json(cJSON *o, const char *key, int64_t satang)
{
	char k[48], text[64];

	snprintf(k, sizeof k, "%s_satang", key);
	if (satang < 0) {
		cJSON_AddNullToObject(o, k);
		cJSON_AddNullToObject(o, key);
		return;
	}
	cJSON_AddNumberToObject(o, k, (double)satang);
	juristic_money_format(satang, TB_LANG_TH, text, sizeof text);
	cJSON_AddStringToObject(o, key, text);
}

static cJSON *result_json(const struct juristic_result *r, int64_t now)
{
	cJSON *o = cJSON_CreateObject(), *a;
	const char *st = juristic_status_name(r->status, TB_LANG_EN);
	char iso[DB_TIME_MAX], text[256];

	cJSON_AddStringToObject(o, "source", juristic_source_name(r->source));
	cJSON_AddStringToObject(o, "id", r->id);
	cJSON_AddStringToObject(o, "name_th", r->name_th);
	cJSON_AddStringToObject(o, "name_en", r->name_en);
	cJSON_AddStringToObject(o, "type", r->type);
	if (st)
		cJSON_AddStringToObject(o, "status", st);
	else
		cJSON_AddNullToObject(o, "status");
	cJSON_AddStringToObject(o, "status_text", r->status_text);
	if (r->registered)
		cJSON_AddNumberToObject(o, "registered", r->registered);
	else
		cJSON_AddNullToObject(o, "registered");
	money_json(o, "capital", r->capital);
	money_json(o, "paid_up", r->paid_up);
	cJSON_AddStringToObject(o, "address", r->address);
	cJSON_AddStringToObject(o, "objective", r->objective);
	a = cJSON_AddArrayToObject(o, "directors");
	for (size_t i = 0; i < r->n_directors; i++) {
		const struct juristic_director *d = &r->directors[i];
		cJSON *x = cJSON_CreateObject();

		cJSON_AddNumberToObject(x, "seq", d->seq);
		cJSON_AddStringToObject(x, "type", d->type);
		cJSON_AddStringToObject(x, "title", d->title);
		cJSON_AddStringToObject(x, "first", d->first);
		cJSON_AddStringToObject(x, "last", d->last);
		cJSON_AddStringToObject(x, "invest_type", d->invest_type);
		money_json(x, "amount", d->amount);
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(o, "signing");
	for (size_t i = 0; i < r->n_signing; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(r->signing[i]));
	/* null: not provided by this source; {"error": ...}: asked, not had. */
	if (r->shareholders_part == JURISTIC_PART_OK) {
		a = cJSON_AddArrayToObject(o, "shareholders");
		for (size_t i = 0; i < r->n_shareholders; i++) {
			const struct juristic_shareholder *h = &r->shareholders[i];
			cJSON *x = cJSON_CreateObject();

			cJSON_AddNumberToObject(x, "seq", h->seq);
			cJSON_AddStringToObject(x, "title", h->title);
			cJSON_AddStringToObject(x, "first", h->first);
			cJSON_AddStringToObject(x, "last", h->last);
			cJSON_AddStringToObject(x, "nationality", h->nationality);
			if (h->shares >= 0)
				cJSON_AddNumberToObject(x, "shares", (double)h->shares);
			else
				cJSON_AddNullToObject(x, "shares");
			money_json(x, "amount", h->amount);
			cJSON_AddItemToArray(a, x);
		}
	} else if (r->shareholders_part == JURISTIC_PART_FAILED) {
		cJSON_AddItemToObject(o, "shareholders", cmd_error_json(NULL, &r->shareholders_err));
	} else {
		cJSON_AddNullToObject(o, "shareholders");
	}
	if (r->financials_part == JURISTIC_PART_OK) {
		a = cJSON_AddArrayToObject(o, "financial_statements");
		for (size_t i = 0; i < r->n_financials; i++) {
			const struct juristic_financial *f = &r->financials[i];
			cJSON *x = cJSON_CreateObject();
			const struct { const char *k; int64_t v; } m[] = {
				{ "revenue_satang", f->revenue }, { "net_profit_satang", f->profit },
				{ "assets_satang", f->assets } };

			cJSON_AddNumberToObject(x, "year", f->year);
			for (size_t k = 0; k < sizeof m / sizeof m[0]; k++)
				if (m[k].v == INT64_MIN)
					cJSON_AddNullToObject(x, m[k].k);
				else
					cJSON_AddNumberToObject(x, m[k].k, (double)m[k].v);
			cJSON_AddItemToArray(a, x);
		}
	} else if (r->financials_part == JURISTIC_PART_FAILED) {
		cJSON_AddItemToObject(o, "financial_statements", cmd_error_json(NULL, &r->financials_err));
	} else {
		cJSON_AddNullToObject(o, "financial_statements");
	}
	db_time_iso(r->fetched_at, iso);
	cJSON_AddStringToObject(o, "fetched_at", iso);
	cJSON_AddNumberToObject(o, "age_s", (double)(now > r->fetched_at ? now - r->fetched_at : 0));
	juristic_age_format(r->fetched_at, now, TB_LANG_EN, text, sizeof text);
	cJSON_AddStringToObject(o, "as_of", text);
	juristic_age_format(r->fetched_at, now, TB_LANG_TH, text, sizeof text);
	cJSON_AddStringToObject(o, "as_of_th", text);
	cJSON_AddBoolToObject(o, "from_cache", r->from_cache);
	cJSON_AddBoolToObject(o, "stale", r->stale);
	if (r->stale)
		cJSON_AddItemToObject(o, "stale_reason", cmd_error_json(NULL, &r->stale_reason));
	return o;
}

/* --- options and the run -------------------------------------------------------------------- */

enum { OPT_REFRESH = CMD_OPT_OWN, OPT_DAYS };

static int show_opt(void *ctx, int code, const char *arg)
{
	((struct jr_opts *)ctx)->refresh = 1;   /* --refresh, the one of its own */
	return 0;
}

static int parse_opts(int argc, char **argv, struct jr_opts *o)
{
	static const struct option opts[] = {
		CMD_QUERY_OPTIONS,
		CMD_PURPOSE_OPTION,
		{ "refresh", no_argument, NULL, OPT_REFRESH },
		{ 0 },
	};
	*o = (struct jr_opts){ 0 };
	if (cmd_query_parse(argc, argv, opts, &o->q, show_opt, o))
		return -1;
	if (optind + 1 != argc)
		return -1;
	/* "0-1055-36012-34-6" and "0105536012346" alike. */
	if (strnlen(argv[optind], sizeof o->id) >= sizeof o->id) {
		fprintf(stderr, "tabien: the ID is at most %zu characters / เลขทะเบียนยาวได้ไม่เกิน %zu ตัวอักษร\n",
			sizeof o->id - 1, sizeof o->id - 1);
		return -1;
	}
	cmd_id_digits(o->id, sizeof o->id, argv[optind]);
	return 0;
}

/* The config file into DBD's settings, and the gateway's when they are
 * there (dbd.source decides whether they must be); a problem is printed with
 * the file's name and its fix.  A secret in a readable file is refused
 * either way. */
static int jr_config_load(struct config *c, struct linkage_config *lc, struct juristic_config *jc,
			  tb_err *err)
{
	char path[512];
	int gdx_ok;

	config_path(path, sizeof path);
	if (config_load(c, path, err))
		goto fail;
	gdx_ok = linkage_config_from(lc, c, err) == 0;
	if (!gdx_ok && err->id != TB_E_GDX_NOT_SET_UP)
		goto fail;
	err_clear(err);
	if (juristic_config_from(jc, c, gdx_ok, err))
		goto fail;
	return 0;
fail:
	cmd_config_error(path, err);
	return -1;
}

/* What jr_config_load filled, its secrets wiped, freed; any may be NULL. */
static void jr_config_free(struct config *c, struct linkage_config *lc, struct juristic_config *jc)
{
	if (lc) {
		linkage_config_wipe(lc);
		free(lc);
	}
	if (c) {
		explicit_bzero(c, sizeof *c);
		free(c);
	}
	free(jc);
}

int cmd_juristic_fetch(struct cmd_query *q, const struct juristic_request *rq,
		       struct juristic_result **out)
{
	struct config *c = calloc(1, sizeof *c);
	struct linkage_config *lc = calloc(1, sizeof *lc);
	struct juristic_config *jc = calloc(1, sizeof *jc);
	struct juristic_request req = *rq;
	struct linkage *lk = NULL;
	struct juristic *j = NULL;
	int rc = -1;

	if (!c || !lc || !jc) {
		err_set(&q->err, TB_E_NOMEM, 0, NULL);
		goto out;
	}
	if (jr_config_load(c, lc, jc, &q->err)) {
		rc = -2;
		goto out;
	}
	if (cmd_query_begin(q))
		goto out;
	req.agent_cid = q->who.cid;
	req.username = q->who.username;
	/* A GDX client for the gdx source; open makes one of its own. */
	if ((jc->source == JURISTIC_GDX && !(lk = linkage_new(lc, &q->err))) ||
	    !(j = juristic_new(jc, lk ? linkage_gdx(lk) : NULL, &q->err)) ||
	    juristic_lookup(j, q->d, &req, out, &q->err))
		goto out;
	rc = 0;
out:
	juristic_free(&j);
	linkage_free(&lk);
	jr_config_free(c, lc, jc);
	return rc;
}

static int run(const struct jr_opts *o)
{
	struct juristic_result *r = NULL;
	struct cmd_query q;

	cmd_query_init(&q, &o->q);
	/* Before the password is asked or anything is sent. */
	if (!juristic_id_valid(o->id)) {
		err_set(&q.err, TB_E_DBD_ID_INVALID, 0, "juristic id");
		goto fail;
	}
	if (cmd_purpose_check(&o->q, &q.err))
		goto fail;
	cmd_query_need(&q, RIGHT_COMPANIES, o->id);
	switch (cmd_juristic_fetch(&q, &(struct juristic_request){ .id = o->id, .purpose = o->q.purpose,
				   .refresh = o->refresh }, &r)) {
	case -2:
		goto out;
	case -1:
		goto fail;
	}
	if (o->q.json)
		q.out = result_json(r, db_now(q.d));
	else
		result_print(r, db_now(q.d));
	q.rc = r->stale ? EXIT_WARN : EXIT_OK;
	goto out;
fail:
	cmd_query_fail(&q);
out:
	juristic_result_free(&r);
	return cmd_query_end(&q);
}

static int days_opt(void *ctx, int code, const char *arg)
{
	long *days = ctx;
	char *end;

	errno = 0;
	*days = strtol(arg, &end, 10);
	return errno || *end || *days < 0 || *days > 3660 ? -1 : 0;
}

/* Old copies go whether or not anyone looks a company up again; the
 * configured age unless --days says otherwise (0 days: every copy). */
static int purge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, CMD_OPT_DB },
		{ "days", required_argument, NULL, OPT_DAYS },
		{ 0 },
	};
	struct cmd_query_opts q;
	struct config *c = calloc(1, sizeof *c);
	struct linkage_config *lc = calloc(1, sizeof *lc);
	struct juristic_config *jc = calloc(1, sizeof *jc);
	struct db *d = NULL;
	tb_err err = { 0 };
	long days = -1, n;
	int rc = EXIT_FAIL;

	if (cmd_query_parse(argc, argv, opts, &q, days_opt, &days) || optind != argc)
		goto usage;
	if (!c || !lc || !jc) {
		err_set(&err, TB_E_NOMEM, 0, NULL);
		cmd_error(stderr, "tabien: ", &err);
		goto out;
	}
	if (jr_config_load(c, lc, jc, &err))
		goto out;
	d = db_open(q.db, 0, &err);
	if (!d || settings_initialised(d, &err) <= 0) {
		cmd_error(stderr, "tabien: ", &err);
		goto out;
	}
	if (days < 0 && jc->cache_keep_days == 0) {
		printf("dbd.cache_keep_days = 0: copies are kept / ตั้งค่าให้เก็บสำเนาไว้ทั้งหมด\n");
		rc = EXIT_OK;
		goto out;
	}
	/* --days 0: everything, which "older than 0 days" alone would not say. */
	n = juristic_cache_purge(jc, d, days, &err);
	if (n < 0) {
		cmd_error(stderr, "tabien: ", &err);
		goto out;
	}
	printf("%ld saved cop%s of company data deleted / ลบสำเนาข้อมูลนิติบุคคลที่บันทึกไว้ %ld รายการ\n",
	       n, n == 1 ? "y" : "ies", n);
	rc = EXIT_OK;
	goto out;
usage:
	rc = EXIT_USAGE;
	fprintf(stderr, "usage: tabien juristic purge [--days N] [--db PATH]\n");
out:
	jr_config_free(c, lc, jc);
	db_close(&d);
	return rc;
}

int cmd_juristic(int argc, char **argv)
{
	struct jr_opts o;

	if (argc >= 2 && strcmp(argv[1], "purge") == 0)
		return purge(argc - 1, argv + 1);
	if (argc < 2 || strcmp(argv[1], "show") != 0 || parse_opts(argc - 1, argv + 1, &o)) {
		fprintf(stderr, "usage: tabien juristic show ID --as USER [--purpose TEXT] [--refresh] "
			"[--json] [--batch] [--db PATH]\n"
			"       tabien juristic purge [--days N] [--db PATH]\n");
		return EXIT_USAGE;
	}
	return run(&o);
}
