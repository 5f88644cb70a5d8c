/* `tabien admin ...` and `tabien audit ...`: the first run, accounts and
 * their approval, branch settings, and the audit trail, for an admin at a
 * shell or a script (--batch reads every answer, passwords included, from
 * standard input, one per line).  Passwords are read without echo, never
 * taken from the command line, never printed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "services/accounts/audit.h"
#include "services/accounts/rights.h"
#include "services/base/privfile.h"
#include "services/accounts/settings.h"
#include "services/accounts/users.h"
#include "services/accounts/audit_seal.h"
#include "storage/copy_db.h"
#include "storage/db.h"
#include "tui/cmd.h"
#include "tui/text.h"

#define LINE_MAX_BYTES 1200    /* a 1000-character field is read whole, then judged */
#define PASSWORD_BYTES (USERS_PASSWORD_MAX + 2)

struct admin_opts {
	const char *db;
	const char *as;
	const char *status;
	const char *user, *since, *until, *subject, *csv, *to;
	int batch;
	int json;
	int npos;
	char *pos[2];
};

/* --- reading answers ---------------------------------------------------------------- */

static int ask(const struct admin_opts *o, const char *prompt, char *buf, size_t size,
	       int secret, const char *field, tb_err *err)
{
	return cmd_ask(o->batch, prompt, buf, size, secret, field, err);
}

/* A new password, typed twice. */
static int ask_new_password(const struct admin_opts *o, const char *prompt, char *pw,
			    tb_err *err)
{
	char again[PASSWORD_BYTES];
	int r = 0;

	if (ask(o, prompt, pw, PASSWORD_BYTES, 1, "password", err) ||
	    ask(o, "Again / พิมพ์อีกครั้ง", again, sizeof again, 1, "password", err))
		r = -1;
	else if (strcmp(pw, again) != 0)
		r = err_set(err, TB_E_AUTH_PASSWORD_MISMATCH, 0, NULL);
	sodium_memzero(again, sizeof again);
	return r;
}

/* --- options -------------------------------------------------------------------------- */

enum { OPT_DB = 1, OPT_BATCH, OPT_AS, OPT_STATUS, OPT_JSON, OPT_USER, OPT_SINCE, OPT_UNTIL,
       OPT_SUBJECT, OPT_CSV, OPT_TO };

/* Parses argv (argv[0] is the command's name) allowing the options whose
 * codes are in `allowed` and up to `max_pos` operands. */
static int parse_opts(int argc, char **argv, struct admin_opts *o, const char *allowed,
		      int max_pos, const char *usage)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "batch", no_argument, NULL, OPT_BATCH },
		{ "as", required_argument, NULL, OPT_AS },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "user", required_argument, NULL, OPT_USER },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "subject", required_argument, NULL, OPT_SUBJECT },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "to", required_argument, NULL, OPT_TO },
		{ 0 },
	};
	int c;

	*o = (struct admin_opts){ 0 };
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c <= 0 || !strchr(allowed, c))
			goto usage;
		switch (c) {
		case OPT_DB:
			if (!cmd_arg_fits("db", optarg, PATH_MAX))
				goto usage;
			o->db = optarg;
			break;
		case OPT_BATCH: o->batch = 1; break;
		case OPT_AS: o->as = optarg; break;
		case OPT_STATUS: o->status = optarg; break;
		case OPT_JSON: o->json = 1; break;
		case OPT_USER: o->user = optarg; break;
		case OPT_SINCE: o->since = optarg; break;
		case OPT_UNTIL: o->until = optarg; break;
		case OPT_SUBJECT: o->subject = optarg; break;
		case OPT_CSV: o->csv = optarg; break;
		case OPT_TO:
			if (!cmd_arg_fits("to", optarg, PATH_MAX))
				goto usage;
			o->to = optarg;
			break;
		}
	}
	for (; optind < argc; optind++) {
		if (o->npos >= max_pos) {
			fprintf(stderr, "tabien: unexpected '%s' / ไม่เข้าใจ '%s'\n", argv[optind],
				argv[optind]);
			goto usage;
		}
		o->pos[o->npos++] = argv[optind];
	}
	if (o->npos < max_pos) {
		fprintf(stderr, "tabien: a username is needed / ต้องระบุชื่อผู้ใช้\n");
		goto usage;
	}
	return 0;
usage:
	fprintf(stderr, "usage: %s\n", usage);
	return -1;
}

#define A(x) (char)(x)
static const char OPTS_DB_BATCH[] = { A(OPT_DB), A(OPT_BATCH), 0 };
static const char OPTS_ACT[] = { A(OPT_DB), A(OPT_BATCH), A(OPT_AS), 0 };
static const char OPTS_MIGRATE[] = { A(OPT_DB), A(OPT_BATCH), A(OPT_AS), A(OPT_TO), 0 };
static const char OPTS_USERS[] = { A(OPT_DB), A(OPT_STATUS), A(OPT_JSON), 0 };
static const char OPTS_EXPORT[] = { A(OPT_DB), A(OPT_BATCH), A(OPT_AS), A(OPT_USER),
				    A(OPT_SINCE), A(OPT_UNTIL), A(OPT_SUBJECT), A(OPT_CSV), 0 };

static int fail(const tb_err *e)
{
	cmd_error(stderr, "tabien: ", e);
	return EXIT_FAIL;
}

/* fail(), who can grant a refused right to actor, and the database closed. */
static int fail_closing(struct db **d, const char *actor, const tb_err *e)
{
	fail(e);
	cmd_refusal(stderr, *d, actor, e);
	db_close(d);
	return EXIT_FAIL;
}

/* The admin named by --as types their password; 0 and *who when it is
 * right and one they chose themselves (not a temporary one). */
static int authenticate_admin(struct db *d, const struct admin_opts *o, struct user *who,
			      tb_err *err)
{
	if (!o->as)
		return err_set(err, TB_E_USAGE, 0, "--as ADMIN");
	/* Whether they are an admin is the action's to check: a refusal is
	 * recorded there. */
	return cmd_officer_login(d, o->batch, o->as, who, err);
}

/* Copies an answer into a fixed field; one that does not fit is invalid. */
static int field_copy(char *dst, size_t size, const char *src, const char *field, tb_err *err)
{
	if (snprintf(dst, size, "%s", src) >= (int)size)
		return err_set(err, TB_E_AUTH_INVALID, 0, field);
	return 0;
}

/* --- admin init / register ---------------------------------------------------------- */

static int admin_init(int argc, char **argv)
{
	struct admin_opts o;
	struct branch_settings *b = NULL;
	char agency[LINE_MAX_BYTES], code[LINE_MAX_BYTES], name[LINE_MAX_BYTES];
	char user[LINE_MAX_BYTES], full[LINE_MAX_BYTES], cid[LINE_MAX_BYTES], pos[LINE_MAX_BYTES];
	char pw[PASSWORD_BYTES] = "";
	struct db *d = NULL;
	tb_err err = { 0 };
	int rc = EXIT_FAIL;

	if (parse_opts(argc, argv, &o, OPTS_DB_BATCH, 0, "tabien admin init [--db PATH] [--batch]"))
		return EXIT_USAGE;
	d = cmd_db_open(o.db, DB_OPEN_CREATE, &err);
	if (!d)
		return fail(&err);
	if (settings_initialised(d, &err) != 0) {
		if (err.id == TB_E_STORE_NOT_INIT || err.id == TB_OK)
			err_set(&err, TB_E_STORE_ALREADY_INIT, 0, NULL);
		goto out;
	}
	if (!o.batch)
		fprintf(stderr, "Setting up tabien on this terminal / ตั้งค่าโปรแกรม tabien บนเครื่องนี้\n");
	b = calloc(1, sizeof *b);
	if (!b) {
		err_set(&err, TB_E_NOMEM, 0, NULL);
		goto out;
	}
	settings_branch_defaults(b);
	if (ask(&o, "Agency / หน่วยงาน", agency, sizeof agency, 0, "agency", &err) ||
	    ask(&o, "Branch code / รหัสสาขา", code, sizeof code, 0, "code", &err) ||
	    ask(&o, "Branch name / ชื่อสาขา", name, sizeof name, 0, "name", &err) ||
	    ask(&o, "Admin username (a-z 0-9 . _ -) / ชื่อผู้ใช้ของผู้ดูแลระบบ", user, sizeof user, 0,
		"username", &err) ||
	    ask(&o, "Full name / ชื่อ-นามสกุล", full, sizeof full, 0, "full_name", &err) ||
	    ask(&o, "Citizen ID / เลขประจำตัวประชาชน", cid, sizeof cid, 0, "cid", &err) ||
	    ask(&o, "Position / ตำแหน่ง", pos, sizeof pos, 0, "position", &err) ||
	    ask_new_password(&o, "Password (10 characters or more) / รหัสผ่าน (อย่างน้อย 10 ตัวอักษร)",
			     pw, &err))
		goto out;
	cmd_id_digits(cid, sizeof cid, cid);
	if (field_copy(b->agency, sizeof b->agency, agency, "agency", &err) ||
	    field_copy(b->code, sizeof b->code, code, "code", &err) ||
	    field_copy(b->name, sizeof b->name, name, "name", &err))
		goto out;
	if (settings_init(d, b, &(struct user_new){ .username = user, .full_name = full,
			  .cid = cid, .position = pos, .password = pw }, &err))
		goto out;
	printf("tabien is set up: branch %s, admin %s / ตั้งค่าเรียบร้อย: สาขา %s ผู้ดูแลระบบ %s\n",
	       b->code, user, b->code, user);
	printf("database / ฐานข้อมูล: %s\n", db_path(d));
	rc = EXIT_OK;
out:
	sodium_memzero(pw, sizeof pw);
	if (rc != EXIT_OK) {
		cmd_error(stderr, "tabien: ", &err);
		rc = err.id == TB_E_USAGE ? EXIT_USAGE : EXIT_FAIL;
	}
	free(b);
	db_close(&d);
	return rc;
}

static int admin_register(int argc, char **argv)
{
	struct admin_opts o;
	char user[LINE_MAX_BYTES], full[LINE_MAX_BYTES], cid[LINE_MAX_BYTES], pos[LINE_MAX_BYTES];
	char pw[PASSWORD_BYTES] = "";
	struct db *d;
	tb_err err = { 0 };
	int r;

	if (parse_opts(argc, argv, &o, OPTS_DB_BATCH, 0, "tabien admin register [--db PATH] [--batch]"))
		return EXIT_USAGE;
	d = cmd_db_open(o.db, 0, &err);
	if (!d)
		return fail(&err);
	if (settings_initialised(d, &err) <= 0) {
		db_close(&d);
		return fail(&err);
	}
	r = ask(&o, "Username (a-z 0-9 . _ -) / ชื่อผู้ใช้", user, sizeof user, 0, "username", &err) ||
	    ask(&o, "Full name / ชื่อ-นามสกุล", full, sizeof full, 0, "full_name", &err) ||
	    ask(&o, "Citizen ID / เลขประจำตัวประชาชน", cid, sizeof cid, 0, "cid", &err) ||
	    ask(&o, "Position / ตำแหน่ง", pos, sizeof pos, 0, "position", &err) ||
	    ask_new_password(&o, "Password (10 characters or more) / รหัสผ่าน (อย่างน้อย 10 ตัวอักษร)",
			     pw, &err);
	if (!r) {
		cmd_id_digits(cid, sizeof cid, cid);
		r = users_register(d, &(struct user_new){ .username = user, .full_name = full,
				   .cid = cid, .position = pos, .password = pw }, &err);
	}
	sodium_memzero(pw, sizeof pw);
	db_close(&d);
	if (r)
		return fail(&err);
	printf("registered %s: waiting for your agency's admin to approve / "
	       "ลงทะเบียน %s แล้ว: รอผู้ดูแลระบบของหน่วยงานอนุมัติ\n", user, user);
	return EXIT_OK;
}

/* --- admin users -------------------------------------------------------------------------- */

static const char *status_th(enum user_status s)
{
	switch (s) {
	case USER_PENDING: return "รออนุมัติ";
	case USER_ACTIVE: return "ใช้งาน";
	case USER_SUSPENDED: return "ถูกระงับ";
	case USER_REJECTED: return "ไม่อนุมัติ";
	}
	return "?";
}

struct list_state {
	cJSON *json;
	int n;
};

static int list_one(const struct user *u, void *arg)
{
	struct list_state *ls = arg;
	char st[64];

	ls->n++;
	if (ls->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "username", u->username);
		cJSON_AddStringToObject(o, "full_name", u->full_name);
		cJSON_AddStringToObject(o, "position", u->position);
		cJSON_AddStringToObject(o, "status", users_db_status_name(u->status));
		cJSON_AddStringToObject(o, "role", rights_role_label(u->role));
		cJSON_AddStringToObject(o, "branch", u->branch);
		cJSON_AddStringToObject(o, "created", u->created);
		cJSON_AddStringToObject(o, "decided_by", u->decided_by);
		cJSON_AddStringToObject(o, "decided_at", u->decided_at);
		cJSON_AddStringToObject(o, "last_login", u->last_login);
		cJSON_AddBoolToObject(o, "must_change_password", u->must_change);
		cJSON_AddItemToArray(ls->json, o);
		return 0;
	}
	snprintf(st, sizeof st, "%s %s", users_db_status_name(u->status), status_th(u->status));
	text_pad(stdout, u->username, 20);
	text_pad(stdout, st, 20);
	text_pad(stdout, rights_role_label(u->role), 14);
	text_pad(stdout, u->branch, 10);
	text_pad(stdout, u->full_name, 32);
	printf(" %s\n", u->position);
	return 0;
}

static int admin_users(int argc, char **argv)
{
	struct admin_opts o;
	struct list_state ls = { 0 };
	struct db *d;
	tb_err err = { 0 };
	int status = -1, r;

	if (parse_opts(argc, argv, &o, OPTS_USERS, 0,
		       "tabien admin users [--status pending|active|suspended|rejected] [--json] [--db PATH]"))
		return EXIT_USAGE;
	if (o.status && (status = users_db_status_parse(o.status)) < 0) {
		fprintf(stderr, "tabien: --status is pending, active, suspended or rejected / "
			"--status ต้องเป็น pending, active, suspended หรือ rejected\n");
		return EXIT_USAGE;
	}
	d = cmd_db_open(o.db, 0, &err);
	if (!d)
		return fail(&err);
	if (settings_initialised(d, &err) <= 0) {
		db_close(&d);
		return fail(&err);
	}
	if (o.json)
		ls.json = cJSON_CreateArray();
	else {
		text_pad(stdout, "username ชื่อผู้ใช้", 20);
		text_pad(stdout, "status สถานะ", 20);
		text_pad(stdout, "role บทบาท", 14);
		text_pad(stdout, "branch สาขา", 10);
		text_pad(stdout, "name ชื่อ", 32);
		printf(" position ตำแหน่ง\n");
	}
	r = users_list(d, status, list_one, &ls, &err);
	db_close(&d);
	if (ls.json) {
		char *s = r ? NULL : cJSON_Print(ls.json);
		if (s)
			puts(s);
		cJSON_free(s);
		cJSON_Delete(ls.json);
	}
	return r ? fail(&err) : EXIT_OK;
}

/* --- admin approve|reject|... / reset-password / passwd ------------------------------------ */

static const char *const done_text[USERS_ACTION_COUNT] = {
	[USERS_APPROVE] = "approved / อนุมัติแล้ว",
	[USERS_REJECT] = "rejected / ไม่อนุมัติแล้ว",
	[USERS_SUSPEND] = "suspended / ระงับสิทธิ์แล้ว",
	[USERS_REINSTATE] = "reinstated / คืนสิทธิ์แล้ว",
	[USERS_MAKE_ADMIN] = "is now an admin / แต่งตั้งเป็นผู้ดูแลระบบแล้ว",
	[USERS_REMOVE_ADMIN] = "is no longer an admin / ถอนสิทธิ์ผู้ดูแลระบบแล้ว",
};


/* What an admin action starts with: its options, --as, the database, and
 * the acting admin's password.  -1 to go on (d open), else the exit status. */
static int admin_begin(int argc, char **argv, const char *usage, struct admin_opts *o,
		       struct user *who, struct db **d, tb_err *err)
{
	if (parse_opts(argc, argv, o, OPTS_ACT, 1, usage))
		return EXIT_USAGE;
	if (!o->as) {
		fprintf(stderr, "tabien: --as ADMIN is needed / ต้องระบุ --as ผู้ดูแลระบบ\nusage: %s\n", usage);
		return EXIT_USAGE;
	}
	*d = cmd_db_open(o->db, 0, err);
	if (!*d)
		return fail(err);
	if (settings_initialised(*d, err) <= 0 || authenticate_admin(*d, o, who, err)) {
		db_close(d);
		return fail(err);
	}
	return -1;
}

static int admin_act(enum users_action a, int argc, char **argv)
{
	struct admin_opts o;
	struct user who;
	struct db *d;
	tb_err err = { 0 };
	char usage[128];
	int r;

	snprintf(usage, sizeof usage, "tabien admin %s USERNAME --as ADMIN [--batch] [--db PATH]",
		 users_action_name(a));
	if ((r = admin_begin(argc, argv, usage, &o, &who, &d, &err)) >= 0)
		return r;
	if (users_admin(d, o.as, a, o.pos[0], &err))
		return fail_closing(&d, o.as, &err);
	db_close(&d);
	printf("%s %s\n", o.pos[0], done_text[a]);
	return EXIT_OK;
}

static int admin_reset_password(int argc, char **argv)
{
	static const char usage[] = "tabien admin reset-password USERNAME --as ADMIN [--batch] [--db PATH]";
	struct admin_opts o;
	struct user who;
	char temp[USERS_TEMP_PASSWORD_LEN + 1];
	struct db *d;
	tb_err err = { 0 };
	int r;

	if ((r = admin_begin(argc, argv, usage, &o, &who, &d, &err)) >= 0)
		return r;
	if (users_reset_password(d, o.as, o.pos[0], NULL, temp, sizeof temp, &err))
		return fail_closing(&d, o.as, &err);
	db_close(&d);
	/* Shown this once, to be handed over in person. */
	printf("temporary password for %s / รหัสผ่านชั่วคราวของ %s: %s\n", o.pos[0], o.pos[0], temp);
	printf("%s must choose a new one at the next login / "
	       "%s ต้องตั้งรหัสผ่านใหม่เมื่อเข้าสู่ระบบครั้งถัดไป\n", o.pos[0], o.pos[0]);
	fflush(stdout);
	sodium_memzero(temp, sizeof temp);
	return EXIT_OK;
}

static int admin_passwd(int argc, char **argv)
{
	struct admin_opts o;
	char old[PASSWORD_BYTES] = "", pw[PASSWORD_BYTES] = "";
	struct db *d;
	tb_err err = { 0 };
	int r;

	if (parse_opts(argc, argv, &o, OPTS_DB_BATCH, 1,
		       "tabien admin passwd USERNAME [--batch] [--db PATH]"))
		return EXIT_USAGE;
	d = cmd_db_open(o.db, 0, &err);
	if (!d)
		return fail(&err);
	r = settings_initialised(d, &err) <= 0 ||
	    ask(&o, "Current password / รหัสผ่านปัจจุบัน", old, sizeof old, 1, "password", &err) ||
	    ask_new_password(&o, "New password (10 characters or more) / รหัสผ่านใหม่ (อย่างน้อย 10 ตัวอักษร)",
			     pw, &err) ||
	    users_change_password(d, o.pos[0], old, pw, &err);
	if (r)
		cmd_other_branch(d, o.pos[0], &err);
	sodium_memzero(old, sizeof old);
	sodium_memzero(pw, sizeof pw);
	db_close(&d);
	if (r)
		return fail(&err);
	printf("password changed for %s / เปลี่ยนรหัสผ่านของ %s แล้ว\n", o.pos[0], o.pos[0]);
	return EXIT_OK;
}

/* --- admin settings -------------------------------------------------------------------- */

static void settings_print(const struct branch_settings *b)
{
	printf("agency / หน่วยงาน: %s\n", b->agency);
	printf("branch code / รหัสสาขา: %s\n", b->code);
	printf("branch name / ชื่อสาขา: %s\n", b->name);
	printf("idle timeout / ล็อกหน้าจอเมื่อไม่ใช้งาน: %d s\n", b->idle_timeout_s);
	printf("gateway profile / โปรไฟล์เกตเวย์: %s\n", b->gateway_profile);
	printf("unsigned copies / สำเนาที่ไม่ลงนาม: %s\n", b->copy_unsigned ? "allowed / อนุญาต" : "refused / ไม่อนุญาต");
	printf("purposes / วัตถุประสงค์:\n");
	for (int i = 0; i < b->npurposes; i++)
		printf("  %d. %s\n", i + 1, b->purposes[i]);
	printf("automatic lookups / ค้นทะเบียนอัตโนมัติ: %s\n",
	       b->auto_purpose[0] ? b->auto_purpose : "off, asked per citizen / ปิด ถามทุกราย");
}

/* Shows the branch settings; with --as ADMIN and changes, sets them.
 * --purpose may repeat: the list given replaces the branch's list. */
static int admin_settings(int argc, char **argv)
{
	static const char usage[] = "tabien admin settings [--db PATH] [--as ADMIN [--batch] "
		"[--agency TEXT] [--branch-name TEXT] [--idle-timeout SECONDS] "
		"[--gateway-profile NAME] [--copy-unsigned yes|no] [--purpose TEXT]... [--auto-purpose TEXT]]";
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "as", required_argument, NULL, 'a' },
		{ "batch", no_argument, NULL, 'b' },
		{ "agency", required_argument, NULL, 'g' },
		{ "branch-name", required_argument, NULL, 'n' },
		{ "idle-timeout", required_argument, NULL, 'i' },
		{ "gateway-profile", required_argument, NULL, 'p' },
		{ "purpose", required_argument, NULL, 'u' },
		{ "copy-unsigned", required_argument, NULL, 'U' },
		{ "auto-purpose", required_argument, NULL, 'A' },
		{ 0 },
	};
	struct admin_opts o = { 0 };
	struct branch_settings *b;
	const char *agency = NULL, *name = NULL, *profile = NULL, *autop = NULL;
	const char *purposes[SETTINGS_PURPOSES_MAX];
	int npurposes = 0, idle = -1, changes = 0, c, r, unsigned_copies = -1;
	struct user who;
	struct db *d;
	tb_err err = { 0 };

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!cmd_arg_fits("db", optarg, PATH_MAX))
				return EXIT_USAGE;
			o.db = optarg;
			break;
		case 'a': o.as = optarg; break;
		case 'b': o.batch = 1; break;
		case 'g': agency = optarg; changes++; break;
		case 'n': name = optarg; changes++; break;
		case 'p': profile = optarg; changes++; break;
		case 'A': autop = optarg; changes++; break;
		case 'i': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 0 || v > 1000000) {
				fprintf(stderr, "tabien: --idle-timeout takes seconds / "
					"--idle-timeout ต้องเป็นจำนวนวินาที\n");
				return EXIT_USAGE;
			}
			idle = (int)v;
			changes++;
			break;
		}
		case 'U':
			if (strcmp(optarg, "yes") && strcmp(optarg, "no")) {
				fprintf(stderr, "tabien: --copy-unsigned takes yes or no / "
					"--copy-unsigned ต้องเป็น yes หรือ no\n");
				return EXIT_USAGE;
			}
			unsigned_copies = strcmp(optarg, "yes") == 0;
			changes++;
			break;
		case 'u':
			if (npurposes >= SETTINGS_PURPOSES_MAX) {
				fprintf(stderr, "tabien: at most %d purposes / ไม่เกิน %d วัตถุประสงค์\n",
					SETTINGS_PURPOSES_MAX, SETTINGS_PURPOSES_MAX);
				return EXIT_USAGE;
			}
			purposes[npurposes++] = optarg;
			changes++;
			break;
		default:
			fprintf(stderr, "usage: %s\n", usage);
			return EXIT_USAGE;
		}
	}
	if (optind != argc || (changes && !o.as)) {
		fprintf(stderr, "%susage: %s\n", changes && !o.as ?
			"tabien: changes need --as ADMIN / การแก้ไขต้องระบุ --as ผู้ดูแลระบบ\n" : "", usage);
		return EXIT_USAGE;
	}
	d = cmd_db_open(o.db, 0, &err);
	if (!d)
		return fail(&err);
	b = calloc(1, sizeof *b);
	r = !b ? err_set(&err, TB_E_NOMEM, 0, NULL) : settings_branch_get(d, b, &err);
	if (!r && changes) {
		r = (agency && field_copy(b->agency, sizeof b->agency, agency, "agency", &err)) ||
		    (name && field_copy(b->name, sizeof b->name, name, "name", &err)) ||
		    (profile && field_copy(b->gateway_profile, sizeof b->gateway_profile, profile,
					   "gateway_profile", &err)) ||
		    (autop && field_copy(b->auto_purpose, sizeof b->auto_purpose, autop,
					 "auto_purpose", &err));
		if (idle >= 0)
			b->idle_timeout_s = idle;
		if (unsigned_copies >= 0)
			b->copy_unsigned = unsigned_copies;
		if (!r && npurposes) {
			b->npurposes = npurposes;
			for (int i = 0; i < npurposes && !r; i++)
				r = field_copy(b->purposes[i], SETTINGS_PURPOSE_BYTES, purposes[i],
					       "purpose", &err);
		}
		r = r || authenticate_admin(d, &o, &who, &err) ||
		    settings_branch_set(d, o.as, b, &err);
	}
	if (!r)
		settings_print(b);
	free(b);
	if (r)
		return fail_closing(&d, o.as, &err);
	db_close(&d);
	return EXIT_OK;
}

/* --- admin migrate ------------------------------------------------------------------ */

/* The terminal's database, every table, into another (a branch's server),
 * checked row by row; the seal key goes along, so sealing carries on. */
static int admin_migrate(int argc, char **argv)
{
	static const char usage[] = "tabien admin migrate --to DATABASE --as ADMIN [--batch] [--db PATH]";
	struct db_copy_count n[DB_COPY_TABLES];
	char from_key[PATH_MAX + 8], to_key[PATH_MAX + 8];
	struct admin_opts o;
	struct user who;
	struct db *d = NULL, *to = NULL;
	tb_err err = { 0 };
	int r = -1;

	if (parse_opts(argc, argv, &o, OPTS_MIGRATE, 0, usage))
		return EXIT_USAGE;
	if (!o.to || !o.as) {
		fprintf(stderr, "tabien: --to DATABASE and --as ADMIN are needed / ต้องระบุ --to และ "
			"--as ผู้ดูแลระบบ\nusage: %s\n", usage);
		return EXIT_USAGE;
	}
	d = cmd_db_open(o.db, 0, &err);
	if (!d || settings_initialised(d, &err) <= 0 || authenticate_admin(d, &o, &who, &err))
		goto out;
	if (who.role != USER_AGENCY_ADMIN) {
		err_set(&err, TB_E_AUTH_NOT_ADMIN, 0, NULL);
		goto out;
	}
	to = db_open(o.to, DB_OPEN_CREATE, &err);
	if (!to || db_copy(d, to, n, &err))
		goto out;
	printf("moved to / ย้ายไปที่ %s (%s), checked row by row / ตรวจทีละแถวแล้ว:\n",
	       db_engine_name(to), db_path(to));
	for (int i = 0; i < DB_COPY_TABLES; i++)
		printf("  %-16s %ld\n", n[i].table, n[i].rows);
	audit_seal_path(d, from_key, sizeof from_key);
	audit_seal_path(to, to_key, sizeof to_key);
	r = 0;
	if (access(from_key, F_OK) == 0 && access(to_key, F_OK) != 0) {
		char key[4096];
		FILE *f = fopen(from_key, "re");
		size_t len = f ? fread(key, 1, sizeof key, f) : 0;

		if (f)
			fclose(f);
		r = len ? privfile_write(to_key, key, len, &err) : err_set(&err, TB_E_FILE, 0, from_key);
		sodium_memzero(key, sizeof key);
		if (r == 0)
			printf("  seal key / กุญแจผนึก: %s\n", to_key);
	}
out:
	db_close(&to);
	db_close(&d);
	return r ? fail(&err) : EXIT_OK;
}

int cmd_setup_check(const char *db_path)
{
	tb_err err = { 0 };
	struct db *d = db_open(db_path, 0, &err);
	int r = d ? settings_initialised(d, &err) : -1;

	db_close(&d);
	return r > 0 ? EXIT_OK : fail(&err);
}

int cmd_admin(int argc, char **argv)
{
	int a;

	if (argc >= 2 && strcmp(argv[1], "init") == 0)
		return admin_init(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "register") == 0)
		return admin_register(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "users") == 0)
		return admin_users(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "reset-password") == 0)
		return admin_reset_password(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "passwd") == 0)
		return admin_passwd(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "settings") == 0)
		return admin_settings(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "migrate") == 0)
		return admin_migrate(argc - 1, argv + 1);
	if (argc >= 2 && (a = users_action_parse(argv[1])) >= 0)
		return admin_act((enum users_action)a, argc - 1, argv + 1);
	if (argc >= 2 && (a = cmd_admin_rights(argc, argv)) >= 0)
		return a;
	fprintf(stderr, "usage: tabien admin init|register|users|approve|reject|suspend|reinstate|"
		"make-admin|remove-admin|reset-password|passwd|settings|migrate|branches|grant|revoke|reset-right|role|rights|move "
		"... (tabien --help)\n");
	return EXIT_USAGE;
}

/* --- audit export (verify and the seals: cmd_audit.c) ------------------------------------------------------------- */

static int audit_export_cmd(int argc, char **argv)
{
	static const char usage[] = "tabien audit export --as ADMIN [--user U] [--since YYYY-MM-DD] "
		"[--until YYYY-MM-DD] [--subject ID] [--csv FILE] [--batch] [--db PATH]";
	struct admin_opts o;
	struct audit_filter f = { 0 };
	char scope[USER_BRANCH_MAX + 1];
	struct user who;
	struct db *d;
	struct privfile *pf = NULL;
	FILE *out = stdout;
	tb_err err = { 0 };
	long rows = -1;

	if (parse_opts(argc, argv, &o, OPTS_EXPORT, 0, usage))
		return EXIT_USAGE;
	if (!o.as) {
		fprintf(stderr, "tabien: --as ADMIN is needed: the trail holds citizens' IDs / "
			"ต้องระบุ --as ผู้ดูแลระบบ เพราะบันทึกมีเลขประจำตัวประชาชน\nusage: %s\n", usage);
		return EXIT_USAGE;
	}
	f.username = o.user;
	f.subject = o.subject;
	if (audit_date_range(o.since, o.until, &f, &err)) {
		cmd_error(stderr, "tabien: ", &err);
		fprintf(stderr, "usage: %s\n", usage);
		return EXIT_USAGE;
	}
	d = cmd_db_open(o.db, 0, &err);
	if (!d)
		return fail(&err);
	if (settings_initialised(d, &err) <= 0 || authenticate_admin(d, &o, &who, &err) ||
	    rights_audit_scope(d, o.as, &f, scope, &err))
		goto out;
	if (o.csv) {
		/* Citizens' IDs: a new file, private from its first byte. */
		pf = privfile_begin(o.csv, &err);
		if (!pf)
			goto out;
		out = privfile_stream(pf);
	}
	rows = audit_export_csv(d, o.as, &f, out, &err);
	if (pf && rows < 0)
		privfile_abort(&pf);
	else if (pf && privfile_commit(&pf, &err))
		rows = -1;
out:
	if (rows < 0)
		return fail_closing(&d, o.as, &err);
	db_close(&d);
	if (o.csv)
		fprintf(stderr, "%ld rows written to %s / เขียน %ld รายการลงใน %s\n", rows, o.csv,
			rows, o.csv);
	return EXIT_OK;
}

int cmd_audit(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "verify") == 0 || strcmp(argv[1], "seal-init") == 0 ||
			  strcmp(argv[1], "seal") == 0))
		return cmd_audit_seal(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "export") == 0)
		return audit_export_cmd(argc - 1, argv + 1);
	fprintf(stderr, "usage: tabien audit verify|seal-init|seal|export ... (tabien --help)\n");
	return EXIT_USAGE;
}
