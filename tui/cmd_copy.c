/* `tabien copy card`: a signed digital copy of the citizen's card in place
 * of a photocopy, made as the officer named by --as for the purpose given
 * (printed on the copy and laid across the card's image).  Least data: the
 * card's text, and its photo unless --no-photo (--sections picks either).
 * What every copy shares is here too (cmd_copy.h).  The copy goes into the
 * copies folder (copy.dir, else ~/.local/share/tabien/copies, created
 * 0700), to --out, or to the document system (copy.command); tabien-copy
 * makes and signs it (services/copy/).  Every copy writes an audit row
 * with the file's SHA-256, and one not delivered says so. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "services/accounts/audit.h"
#include "services/accounts/settings.h"
#include "services/accounts/users.h"
#include "services/base/configfile.h"
#include "services/base/format.h"
#include "services/base/util.h"
#include "services/card/card.h"
#include "services/card/card_record.h"
#include "services/copy/copy_config.h"
#include "services/copy/copy_doc.h"
#include "services/copy/copy_run.h"
#include "storage/db.h"
#include "services/accounts/rights.h"
#include "tui/cmd.h"
#include "tui/cmd_copy.h"
#include "tui/cmd_query.h"

#define PURPOSE_BYTES SETTINGS_PURPOSE_BYTES

struct cp_opts {
	const char *db, *as, *reader, *out;
	char purpose[PURPOSE_BYTES];
	int json, batch, sections;
};

static const char *const card_sections[] = { "text", "photo" };

enum { OPT_DB = 256, OPT_AS, OPT_READER, OPT_NO_PHOTO, OPT_PURPOSE, OPT_OUT, OPT_JSON, OPT_BATCH,
       OPT_SECTIONS };

static int parse_opts(int argc, char **argv, struct cp_opts *o)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "as", required_argument, NULL, OPT_AS },
		{ "reader", required_argument, NULL, OPT_READER },
		{ "no-photo", no_argument, NULL, OPT_NO_PHOTO },
		{ "purpose", required_argument, NULL, OPT_PURPOSE },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "batch", no_argument, NULL, OPT_BATCH },
		{ "sections", required_argument, NULL, OPT_SECTIONS },
		{ 0 },
	};
	int c, no_photo = 0;

	*o = (struct cp_opts){ .sections = CARD_SECTION_TEXT | CARD_SECTION_PHOTO };
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			if (!cmd_arg_fits("db", optarg, PATH_MAX))
				return -1;
			o->db = optarg;
			break;
		case OPT_AS: o->as = optarg; break;
		case OPT_READER: o->reader = optarg; break;
		case OPT_NO_PHOTO: no_photo = 1; break;
		case OPT_SECTIONS:
			o->sections = cmd_copy_sections(optarg, card_sections, 2);
			if (o->sections < 0)
				return -1;
			break;
		case OPT_PURPOSE:
			if (!cmd_arg_fits("purpose", optarg, sizeof o->purpose))
				return -1;
			str_copy(o->purpose, sizeof o->purpose, optarg);
			break;
		case OPT_OUT:
			if (!cmd_arg_fits("out", optarg, PATH_MAX - 1))
				return -1;
			o->out = optarg;
			break;
		case OPT_JSON: o->json = 1; break;
		case OPT_BATCH: o->batch = 1; break;
		default: return -1;
		}
	}
	if (optind != argc || !o->as)
		return -1;
	if (no_photo)
		o->sections &= ~CARD_SECTION_PHOTO;
	return o->sections ? 0 : -1;
}

int cmd_copy_purpose(char *purpose, size_t size, int batch, tb_err *err)
{
	if (purpose[0])
		return users_text_valid(purpose, SETTINGS_PURPOSE_CHARS) ? 0
			: err_set(err, TB_E_AUTH_INVALID, 0, "purpose");
	if (batch)
		return err_set(err, TB_E_COPY_PURPOSE, 0, "purpose");
	if (cmd_ask(0, "Purpose of the copy / ใช้สำเนานี้สำหรับ: ", purpose, size, 0, "purpose", err))
		return -1;
	if (!purpose[0])
		return err_set(err, TB_E_COPY_PURPOSE, 0, "purpose");
	return users_text_valid(purpose, SETTINGS_PURPOSE_CHARS) ? 0
		: err_set(err, TB_E_AUTH_INVALID, 0, "purpose");
}

/* Each missing folder of path made 0700, as the database's are. */
static int make_folders(char *path, tb_err *err)
{
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			*p = c;
			return err_set(err, TB_E_COPY_FOLDER, errno, "copy.dir");
		}
		*p = c;
		if (!c)
			return 0;
	}
}

/* The copies folder: copy.dir must exist; the default one is made.  Either
 * must be a folder of ours no one else can write to, reached by no link. */
static int folder(const struct copy_config *cc, char *out, size_t size, tb_err *err)
{
	struct stat st;
	bool made = false;

	if (copy_folder_path(cc, out, size, &made, err) || (made && make_folders(out, err)))
		return -1;
	return copy_folder_check(out, &st, err);
}

/* The branch's word on unsigned copies, from db or else the file at path;
 * false when it cannot be read. */
static bool unsigned_allowed(struct db *db, const char *path)
{
	struct branch_settings *b = calloc(1, sizeof *b);
	struct db *own = db ? NULL : db_open(path, 0, &(tb_err){ 0 });
	bool yes = b && (db || own) && settings_branch_get(db ? db : own, b, &(tb_err){ 0 }) == 0 &&
		   b->copy_unsigned;

	free(b);
	db_close(&own);
	return yes;
}

int cmd_copy_settings(struct copy_doc *d, const char *to, const char *ref, struct db *db, const char *db_path,
		      tb_err *err)
{
	struct config *c = calloc(1, sizeof *c);
	struct copy_config *cc = calloc(1, sizeof *cc);
	char dir[PATH_MAX - 64], out[PATH_MAX], num[24];
	int rc = -1;

	if (!c || !cc) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		goto out;
	}
	if (config_load(c, NULL, err) || copy_config_from(cc, c, err))
		goto out;
	if (copy_doc_set(d, COPY_KEY, cc->key, err) || copy_doc_set(d, COPY_CERT, cc->cert, err) ||
	    copy_doc_set(d, COPY_CHAIN, cc->chain, err) || copy_doc_set(d, COPY_SIGN_COMMAND, cc->sign_command, err) ||
	    copy_doc_set(d, COPY_COMMAND, cc->command, err))
		goto out;
	snprintf(num, sizeof num, "%ld", cc->command_timeout_s);
	if (copy_doc_set(d, COPY_TIMEOUT, num, err))
		goto out;
	snprintf(num, sizeof num, "%ld", cc->sign_timeout_s);
	if (copy_doc_set(d, COPY_SIGN_TIMEOUT, num, err))
		goto out;
	/* No key: refused, unless an admin allowed unsigned copies for the
	 * branch (then every page says UNSIGNED). */
	if (!cc->key[0] && !cc->sign_command[0] && !cc->cert[0] && unsigned_allowed(db, db_path)) {
		if (copy_doc_set(d, COPY_UNSIGNED, "1", err))
			goto out;
	} else if ((!cc->key[0] && !cc->sign_command[0]) || !cc->cert[0]) {
		err_set(err, TB_E_COPY_NO_KEY, 0, cc->key[0] || cc->sign_command[0] ? "copy.cert" : "copy.key");
		goto out;
	}
	if (to)
		str_copy(out, sizeof out, to);
	else if (cc->command[0])
		out[0] = '\0';
	else if (folder(cc, dir, sizeof dir, err))
		goto out;
	else
		snprintf(out, sizeof out, "%s/copy-%s.pdf", dir, ref);
	rc = copy_doc_set(d, COPY_OUT, out, err);
out:
	if (c)
		explicit_bzero(c, sizeof *c);
	free(c);
	free(cc);
	return rc;
}

static void date_both(const struct card_date *dt, char *out, size_t size)
{
	char th[64], en[64];

	format_date(dt, TB_LANG_TH, th, sizeof th);
	format_date(dt, TB_LANG_EN, en, sizeof en);
	snprintf(out, size, strcmp(th, en) ? "%s (%s)" : "%s", th, en);
}

void cmd_copy_when(time_t t, char *out, size_t size)
{
	struct tm tm;
	struct card_date dt;
	char day[64], clock[16];

	localtime_r(&t, &tm);
	dt = (struct card_date){ tm.tm_year + 1900 + 543, tm.tm_mon + 1, tm.tm_mday, false };
	format_date(&dt, TB_LANG_TH, day, sizeof day);
	format_clock(t, "%H:%M:%S", clock, sizeof clock);
	snprintf(out, size, "%s %s", day, clock);
}

int cmd_copy_card_doc(struct copy_doc *d, const struct card_record *r, int sections, time_t read_at,
		      tb_err *err)
{
	char buf[2 * CARD_ADDR_MAX], when[96];
	const char *g = r->gender == CARD_GENDER_MALE ? "ชาย / male"
		: r->gender == CARD_GENDER_FEMALE ? "หญิง / female" : "ไม่ระบุ / unknown";

	cmd_copy_when(read_at, when, sizeof when);
	snprintf(buf, sizeof buf, "แหล่งข้อมูล: ชิปในบัตร อ่านเมื่อ %s / Source: the card's chip, read %s",
		 when, when);
	if (copy_doc_set(d, COPY_TITLE, "สำเนาบัตรประจำตัวประชาชน / Copy of the national ID card", err) ||
	    copy_doc_section(d, "บัตรประจำตัวประชาชน / National ID card", buf, err))
		return -1;
	if ((sections & CARD_SECTION_PHOTO) && r->photo && copy_doc_photo(d, r->photo, r->photo_len, err))
		return -1;
	if (!(sections & CARD_SECTION_TEXT))
		return 0;
	format_cid(r->cid, buf, sizeof buf);
	if (copy_doc_field(d, "เลขประจำตัวประชาชน / Citizen ID", buf, err))
		return -1;
	format_name(&r->th, 1, buf, sizeof buf);
	if (copy_doc_field(d, "ชื่อ / Name", buf, err))
		return -1;
	format_name(&r->en, 0, buf, sizeof buf);
	if (copy_doc_field(d, "ชื่อภาษาอังกฤษ / Name in English", buf, err))
		return -1;
	date_both(&r->birth, buf, sizeof buf);
	if (copy_doc_field(d, "เกิดวันที่ / Born", buf, err) || copy_doc_field(d, "เพศ / Gender", g, err) ||
	    copy_doc_field(d, "ที่อยู่ / Address", r->addr.full, err))
		return -1;
	date_both(&r->issue, buf, sizeof buf);
	if (copy_doc_field(d, "วันออกบัตร / Issued", buf, err))
		return -1;
	date_both(&r->expiry, buf, sizeof buf);
	if (copy_doc_field(d, "วันบัตรหมดอายุ / Expires", buf, err) ||
	    copy_doc_field(d, "สถานที่ออกบัตร / Issued at", r->issuer, err) ||
	    copy_doc_field(d, "เลขที่คำขอ / Request no.", r->request_no, err))
		return -1;
	return 0;
}

/* The copy's row: the reference and the file's SHA-256, and OK or why it
 * was not delivered. */
int cmd_copy_audit(struct db *db, const struct user *who, const char *subject, const char *purpose,
		   const char *ref, const struct copy_result *res, const tb_err *failed, tb_err *err)
{
	char service[96], result[160];

	snprintf(service, sizeof service, "copy %s", ref);
	snprintf(result, sizeof result, "%s%s%s", failed ? err_code(failed->id) : "OK",
		 res->sha256[0] ? " sha256=" : "", res->sha256);
	return audit_append(db, &(struct audit_entry){ .username = who->username, .action = AUDIT_COPY,
			    .service = service, .subject = subject, .purpose = purpose, .result = result },
			    err);
}

static void print_result(int json, const char *ref, const struct copy_result *res)
{
	if (json) {
		cJSON *x = cJSON_CreateObject();
		char *s;

		cJSON_AddStringToObject(x, "path", res->path);
		cJSON_AddStringToObject(x, "sha256", res->sha256);
		cJSON_AddNumberToObject(x, "bytes", (double)res->size);
		cJSON_AddStringToObject(x, "signer", res->signer);
		cJSON_AddStringToObject(x, "audit_ref", ref);
		s = cJSON_Print(x);
		if (s)
			puts(s);
		cJSON_free(s);
		cJSON_Delete(x);
		return;
	}
	printf("Copy / สำเนา: %s\n", strcmp(res->path, "-") ? res->path
	       : "handed to the document system / ส่งให้ระบบเอกสารแล้ว");
	printf("SHA-256: %s\nSigned by / ผู้ลงนาม: %s\nAudit reference / เลขอ้างอิง: %s\n", res->sha256,
	       res->signer, ref);
}

void cmd_copy_ref(char ref[COPY_REF_BYTES])
{
	unsigned char rnd[8];

	randombytes_buf(rnd, sizeof rnd);
	for (size_t i = 0; i < sizeof rnd; i++)
		snprintf(ref + 2 * i, 3, "%02x", rnd[i]);
}

int cmd_copy_header(struct copy_doc *d, struct db *db, const struct user *who, const char *purpose,
		    const char *ref, tb_err *err)
{
	struct branch_settings *b = calloc(1, sizeof *b);
	char when[96], buf[SETTINGS_NAME_BYTES * 2];
	int rc = -1;

	if (!b)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	if (settings_branch_get(db, b, err))
		goto out;
	cmd_copy_when(time(NULL), when, sizeof when);
	if (copy_doc_set(d, COPY_PURPOSE, purpose, err) || copy_doc_set(d, COPY_AGENCY, b->agency, err) ||
	    copy_doc_set(d, COPY_WHEN, when, err) || copy_doc_set(d, COPY_REF, ref, err))
		goto out;
	snprintf(buf, sizeof buf, "%s (%s)", b->name, b->code);
	if (copy_doc_set(d, COPY_BRANCH, buf, err))
		goto out;
	snprintf(buf, sizeof buf, "%s (%s)", who->full_name, who->username);
	rc = copy_doc_set(d, COPY_OFFICER, buf, err);
out:
	free(b);
	return rc;
}

int cmd_copy_deliver(struct copy_doc *d, struct db *db, const struct user *who, const char *subject,
		     const char *purpose, const char *ref, int json, tb_err *err)
{
	struct copy_result res;
	tb_err aerr = { 0 };

	memset(&res, 0, sizeof res);
	if (copy_run(d, NULL, &res, err)) {
		if (err->id == TB_E_COPY_COMMAND || err->id == TB_E_COPY_COMMAND_TIMEOUT)
			if (cmd_copy_audit(db, who, subject, purpose, ref, &res, err, &aerr))
				cmd_error(stderr, "tabien: warning: ", &aerr);
		return -1;
	}
	if (cmd_copy_audit(db, who, subject, purpose, ref, &res, NULL, err)) {
		/* A copy the trail does not know of is not left behind. */
		if (strcmp(res.path, "-"))
			unlink(res.path);
		return -1;
	}
	print_result(json, ref, &res);
	return 0;
}

int cmd_copy_sections(const char *list, const char *const *names, size_t n)
{
	char buf[256], *save = NULL;
	int mask = 0;

	if (strlen(list) >= sizeof buf)
		goto bad;
	strcpy(buf, list);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i = 0;

		while (i < n && strcmp(t, names[i]))
			i++;
		if (i == n)
			goto bad;
		mask |= 1 << i;
	}
	if (mask)
		return mask;
bad:
	fprintf(stderr, "tabien: --sections takes a list of / --sections รับรายการจาก:");
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s%s", i ? "," : " ", names[i]);
	fputc('\n', stderr);
	return -1;
}

static int copy_card(int argc, char **argv)
{
	struct cp_opts o;
	struct copy_doc *d = copy_doc_new();
	struct card_ctx *c = NULL;
	struct card_record *r = NULL;
	struct card_read_stats st;
	struct db *db = NULL;
	struct user who;
	char reader[256], ref[COPY_REF_BYTES], subject[16] = "", granters[RIGHTS_GRANTERS_MAX] = "";
	tb_err err = { 0 };
	int rc = EXIT_FAIL;

	memset(&who, 0, sizeof who);
	if (parse_opts(argc, argv, &o)) {
		copy_doc_free(&d);
		return EXIT_USAGE;
	}
	if (!d) {
		err_set(&err, TB_E_NOMEM, 0, NULL);
		goto fail;
	}
	cmd_copy_ref(ref);
	/* Everything that can be refused before the card is read. */
	if (cmd_copy_settings(d, o.out, ref, NULL, o.db, &err) ||
	    cmd_copy_purpose(o.purpose, sizeof o.purpose, o.batch, &err))
		goto fail;
	db = cmd_db_open(o.db, 0, &err);
	if (!db || settings_initialised(db, &err) <= 0 || cmd_officer_check(db, o.batch, o.as, &who, &err) ||
	    rights_check(db, who.username, RIGHT_COPIES, NULL, NULL, granters, &err) ||
	    /* Read on the officer's behalf: nothing of the card without the
	     * card right. */
	    rights_check(db, who.username, RIGHT_CARD, NULL, NULL, granters, &err))
		goto fail;
	if (!(c = card_ctx_new(&err)) || card_wait(c, o.reader, 0, reader, sizeof reader, &err) ||
	    card_read(c, reader, (o.sections & CARD_SECTION_PHOTO) ? CARD_READ_PHOTO : 0, NULL, &r, &st,
		      &err))
		goto fail;
	if (cmd_copy_header(d, db, &who, o.purpose, ref, &err) ||
	    cmd_copy_card_doc(d, r, o.sections, time(NULL), &err))
		goto fail;
	/* The card's data is in the copy now; the record goes at once. */
	str_copy(subject, sizeof subject, r->cid);
	card_record_free(&r);
	if (cmd_copy_deliver(d, db, &who, subject, o.purpose, ref, o.json, &err))
		goto fail;
	rc = EXIT_OK;
	goto out;
fail:
	cmd_fail(o.json, db, o.as, &err);
	if (granters[0])
		fprintf(stderr, "        who can grant it / ผู้ที่ให้สิทธิ์ได้: %s\n", granters);
	rc = err.id == TB_E_USAGE ? EXIT_USAGE : EXIT_FAIL;
out:
	card_record_free(&r);
	card_ctx_free(&c);
	copy_doc_free(&d);
	explicit_bzero(&who, sizeof who);
	explicit_bzero(o.purpose, sizeof o.purpose);
	db_close(&db);
	return rc;
}

int cmd_copy(int argc, char **argv)
{
	int rc;

	if (argc >= 2 && strcmp(argv[1], "card") == 0)
		return copy_card(argc - 1, argv + 1);
	if (argc >= 2 && (rc = cmd_copy_query(argc - 1, argv + 1)) >= 0)
		return rc;
	fputs("usage: tabien copy card [--reader NAME] [--no-photo] [--sections text,photo]\n"
	      "                  --as USER --purpose TEXT [--out FILE] [--json] [--batch]\n"
	      "       tabien copy person|household|names --cid ID\n"
	      "                  [--sections record,addresses,household,names]\n"
	      "                  --as USER --purpose TEXT [--out FILE] [--json] [--batch]\n"
	      "       tabien copy juristic ID [--sections certificate,directors,signing,shareholders]\n"
	      "                  --as USER --purpose TEXT [--out FILE] [--json] [--batch]\n"
	      "  the sections picked go into the copy, nothing else / ในสำเนามีเฉพาะส่วนที่เลือก\n",
	      stderr);
	return EXIT_USAGE;
}
