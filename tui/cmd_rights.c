/* `tabien admin branches|grant|revoke|reset-right|role|rights|move`: the
 * agency's branches, each user's role and rights; the database as every
 * command opens it (cmd_db_open), with the terminal's own branch (`branch =
 * CODE` in the config file) checked against it; and, under a refusal, who
 * can grant the right or do it. */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "services/accounts/rights.h"
#include "services/accounts/settings.h"
#include "services/accounts/users.h"
#include "services/base/configfile.h"
#include "storage/db.h"
#include "tui/cmd.h"
#include "tui/cmd_query.h"
#include "tui/text.h"

int cmd_terminal_branch(struct db *d, tb_err *err)
{
	char path[512], code[SETTINGS_CODE_MAX + 1] = "";
	struct config *c;
	tb_err ignored;
	int r;

	/* Before `admin init` there is no branch to hold it against. */
	if (settings_initialised(d, &ignored) <= 0)
		return 0;
	c = calloc(1, sizeof *c);
	if (!c)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	config_path(path, sizeof path);
	/* The file's other lines are the other settings' readers' to report. */
	config_load(c, path, &ignored);
	r = config_text(c, "branch", code, sizeof code, err);
	explicit_bzero(c, sizeof *c);  /* it may hold a secret */
	free(c);
	if (r) {
		cmd_config_error(path, err);
		err->id = TB_OK;  /* said already */
		return -1;
	}
	if (code[0] && settings_terminal_branch(d, code, err)) {
		cmd_error(stderr, "tabien: ", err);
		fprintf(stderr, "        branch = %s; file / ไฟล์: %s\n", code, path);
		err->id = TB_OK;
		return -1;
	}
	return 0;
}

struct db *cmd_db_open(const char *path, unsigned flags, tb_err *err)
{
	struct db *d = db_open(path, flags, err);

	if (d && cmd_terminal_branch(d, err))
		db_close(&d);
	if (d && db_fixed_mode(d))
		fprintf(stderr, "tabien: warning: other accounts could read the database (mode %03o); "
			"it is private now (600) / คำเตือน: บัญชีอื่นเคยอ่านฐานข้อมูลได้ "
			"(สิทธิ์ %03o) ขณะนี้เปลี่ยนเป็นส่วนตัว (600) แล้ว\n",
			db_fixed_mode(d), db_fixed_mode(d));
	return d;
}

/* Under a refusal of what actor tried on target (NULL: nobody; role: the
 * role given, or -1): who can grant the right or do it instead. */
static void refusal_names(FILE *f, struct db *d, const char *actor, const char *target, int role,
			  const tb_err *e)
{
	char names[RIGHTS_GRANTERS_MAX] = "";
	tb_err ignored;

	if (!d || rights_who_can(d, actor, target, role, e, names, &ignored) || !names[0])
		return;
	if (e->id == TB_E_RIGHT_REFUSED)
		fprintf(f, "        who can grant it / ผู้ที่ให้สิทธิ์ได้: %s\n", names);
	else
		fprintf(f, "        who can do it / ผู้ที่ทำรายการนี้ได้: %s\n", names);
}

void cmd_refusal(FILE *f, struct db *d, const char *username, const tb_err *e)
{
	refusal_names(f, d, username, NULL, -1, e);
}

/* --- options ------------------------------------------------------------------------- */

struct ropts {
	const char *db, *as, *add, *name, *branch;
	int batch, json, npos;
	char *pos[2];
};

/* extra: the options of one command (R_BRANCHES: --add and --name;
 * R_MOVE: --branch). */
enum { R_PLAIN, R_BRANCHES, R_MOVE };

static int ropts_parse(int argc, char **argv, struct ropts *o, int npos, int extra,
		       const char *usage)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "as", required_argument, NULL, 'a' },
		{ "batch", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "add", required_argument, NULL, 'A' },
		{ "name", required_argument, NULL, 'n' },
		{ "branch", required_argument, NULL, 'B' },
		{ 0 },
	};
	int c;

	*o = (struct ropts){ 0 };
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!cmd_arg_fits("db", optarg, PATH_MAX))
				return -1;
			o->db = optarg;
			break;
		case 'a': o->as = optarg; break;
		case 'b': o->batch = 1; break;
		case 'j': o->json = 1; break;
		case 'A': if (extra != R_BRANCHES) goto usage; o->add = optarg; break;
		case 'n': if (extra != R_BRANCHES) goto usage; o->name = optarg; break;
		case 'B':
			if (extra != R_MOVE)
				goto usage;
			/* Longer than any code can be: a slip of the command line, not a branch to look for. */
			if (!cmd_arg_fits("branch", optarg, USER_BRANCH_MAX + 1))
				return -1;
			o->branch = optarg;
			break;
		default: goto usage;
		}
	}
	while (optind < argc && o->npos < 2)
		o->pos[o->npos++] = argv[optind++];
	/* grant, revoke, reset-right and role act (--as); rights only reads. */
	if (optind < argc || o->npos != npos || (o->add && (!o->name || !o->as)) ||
	    (!o->add && o->name) || (npos == 2 && !o->as) ||
	    (extra == R_MOVE && (!o->branch || !o->as)))
		goto usage;
	return 0;
usage:
	fprintf(stderr, "usage: %s\n", usage);
	return -1;
}

/* The database, and with --as the acting user's password; NULL when it
 * failed (said). */
static struct db *ropen(const struct ropts *o, struct user *who, tb_err *err)
{
	struct db *d = cmd_db_open(o->db, 0, err);

	if (!d || settings_initialised(d, err) <= 0 ||
	    (o->as && cmd_officer_login(d, o->batch, o->as, who, err))) {
		if (err->id)
			cmd_error(stderr, "tabien: ", err);
		db_close(&d);
	}
	return d;
}

/* A refused change of target's rights or role (role: the one given, or
 * -1), who can do it, the database closed. */
static int rfail_on(struct db **d, const char *actor, const char *target, int role,
		    const tb_err *err)
{
	cmd_error(stderr, "tabien: ", err);
	refusal_names(stderr, *d, actor, target, role, err);
	db_close(d);
	return err->id == TB_E_USAGE ? EXIT_USAGE : EXIT_FAIL;
}

static int rfail(struct db **d, const char *actor, const tb_err *err)
{
	return rfail_on(d, actor, NULL, -1, err);
}

/* --- admin branches ---------------------------------------------------------------------- */

struct blist {
	cJSON *json;
	char def[SETTINGS_CODE_MAX + 1];
};

static int branch_row(const struct branch *b, void *arg)
{
	struct blist *l = arg;
	int is_def = strcmp(b->code, l->def) == 0;

	if (l->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "code", b->code);
		cJSON_AddStringToObject(o, "name", b->name);
		cJSON_AddStringToObject(o, "created", b->created);
		cJSON_AddBoolToObject(o, "default", is_def);
		cJSON_AddItemToArray(l->json, o);
		return 0;
	}
	text_pad(stdout, b->code, 16);
	printf(" %s%s\n", b->name, is_def ? "  (default / สาขาหลัก)" : "");
	return 0;
}

static int admin_branches(int argc, char **argv)
{
	static const char usage[] = "tabien admin branches [--json] [--db PATH] | "
		"tabien admin branches --add CODE --name TEXT --as ADMIN [--batch] [--db PATH]";
	struct blist l = { 0 };
	struct ropts o;
	struct user who;
	struct db *d;
	tb_err err = { 0 };
	int r;

	if (ropts_parse(argc, argv, &o, 0, R_BRANCHES, usage))
		return EXIT_USAGE;
	if (o.as && !o.add) {
		fprintf(stderr, "usage: %s\n", usage);
		return EXIT_USAGE;
	}
	if (!(d = ropen(&o, &who, &err)))
		return EXIT_FAIL;
	if (o.add) {
		if (settings_branch_add(d, o.as, o.add, o.name, &err))
			return rfail(&d, o.as, &err);
		printf("branch %s added / เพิ่มสาขา %s แล้ว\n", o.add, o.add);
	}
	settings_default_branch(d, l.def, sizeof l.def, &err);
	if (o.json)
		l.json = cJSON_CreateArray();
	else if (!o.add) {
		text_pad(stdout, "code รหัส", 16);
		printf(" name ชื่อสาขา\n");
	}
	r = o.add ? 0 : settings_branch_list(d, branch_row, &l, &err);
	if (l.json && !r)
		cmd_json_print(l.json);
	cJSON_Delete(l.json);
	if (r)
		return rfail(&d, NULL, &err);
	db_close(&d);
	return EXIT_OK;
}

/* --- admin grant / revoke / role / rights --------------------------------------------- */

/* grant (allow 1), revoke (0), reset-right (-1: back to the role's
 * default). */
static int admin_grant(int argc, char **argv, int allow)
{
	static const char *const verb[] = { "reset-right", "revoke", "grant" };
	char usage[128];
	struct ropts o;
	struct user who;
	struct db *d;
	tb_err err = { 0 };
	int r;

	snprintf(usage, sizeof usage, "tabien admin %s USERNAME RIGHT --as ADMIN [--batch] [--db PATH]",
		 verb[allow + 1]);
	if (ropts_parse(argc, argv, &o, 2, R_PLAIN, usage))
		return EXIT_USAGE;
	if ((r = rights_parse(o.pos[1])) < 0) {
		fprintf(stderr, "tabien: rights / สิทธิ์:");
		for (int i = 0; i < RIGHT_COUNT; i++)
			fprintf(stderr, " %s", rights_name((enum right)i));
		fprintf(stderr, "\nusage: %s\n", usage);
		return EXIT_USAGE;
	}
	if (!(d = ropen(&o, &who, &err)))
		return EXIT_FAIL;
	if (allow < 0 ? rights_reset(d, o.as, o.pos[0], (enum right)r, &err)
		      : rights_grant(d, o.as, o.pos[0], (enum right)r, allow, &err))
		return rfail_on(&d, o.as, o.pos[0], -1, &err);
	db_close(&d);
	if (allow < 0)
		printf("%s: %s is the role's default again / สิทธิ์ %s ของ %s กลับเป็นค่าตามบทบาทแล้ว\n",
		       o.pos[0], o.pos[1], o.pos[1], o.pos[0]);
	else if (allow)
		printf("%s may use %s now / %s ได้รับสิทธิ์ %s แล้ว\n", o.pos[0], o.pos[1], o.pos[0], o.pos[1]);
	else
		printf("%s may no longer use %s / เพิกถอนสิทธิ์ %s ของ %s แล้ว\n", o.pos[0], o.pos[1],
		       o.pos[1], o.pos[0]);
	return EXIT_OK;
}

static int admin_role(int argc, char **argv)
{
	static const char usage[] = "tabien admin role USERNAME officer|supervisor|branch-admin|"
		"agency-admin --as ADMIN [--batch] [--db PATH]";
	struct ropts o;
	struct user who;
	struct db *d;
	tb_err err = { 0 };
	int role;

	if (ropts_parse(argc, argv, &o, 2, R_PLAIN, usage))
		return EXIT_USAGE;
	if ((role = rights_role_parse(o.pos[1])) < 0) {
		fprintf(stderr, "usage: %s\n", usage);
		return EXIT_USAGE;
	}
	if (!(d = ropen(&o, &who, &err)))
		return EXIT_FAIL;
	if (rights_set_role(d, o.as, o.pos[0], (enum user_role)role, &err))
		return rfail_on(&d, o.as, o.pos[0], role, &err);
	db_close(&d);
	printf("%s is now %s / %s มีบทบาท %s แล้ว\n", o.pos[0], o.pos[1], o.pos[0], o.pos[1]);
	return EXIT_OK;
}

/* An agency admin moves a user into another branch: from then on they log
 * in at its terminals. */
static int admin_move(int argc, char **argv)
{
	static const char usage[] = "tabien admin move USERNAME --branch CODE --as ADMIN [--batch] [--db PATH]";
	struct ropts o;
	struct user who;
	struct db *d;
	tb_err err = { 0 };

	if (ropts_parse(argc, argv, &o, 1, R_MOVE, usage))
		return EXIT_USAGE;
	if (!(d = ropen(&o, &who, &err)))
		return EXIT_FAIL;
	if (rights_move(d, o.as, o.pos[0], o.branch, &err))
		return rfail(&d, o.as, &err);
	db_close(&d);
	printf("%s belongs to branch %s now / %s ย้ายไปสาขา %s แล้ว\n", o.pos[0], o.branch, o.pos[0], o.branch);
	return EXIT_OK;
}

struct rlist {
	cJSON *json;
};

static int right_row(enum right r, bool held, int granted, void *arg)
{
	struct rlist *l = arg;
	const char *from = granted < 0 ? "role" : granted ? "granted" : "revoked";

	if (l->json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "right", rights_name(r));
		cJSON_AddBoolToObject(o, "held", held);
		cJSON_AddStringToObject(o, "from", from);
		cJSON_AddItemToArray(l->json, o);
		return 0;
	}
	text_pad(stdout, rights_name(r), 12);
	text_pad(stdout, held ? "yes มี" : "no ไม่มี", 12);
	printf(" %s\n", granted < 0 ? "role บทบาท" : granted ? "granted ให้เพิ่ม" : "revoked เพิกถอน");
	return 0;
}

static int admin_rights(int argc, char **argv)
{
	static const char usage[] = "tabien admin rights USERNAME [--json] [--db PATH]";
	struct rlist l = { 0 };
	struct ropts o;
	struct user u;
	struct db *d;
	tb_err err = { 0 };
	int r;

	if (ropts_parse(argc, argv, &o, 1, R_PLAIN, usage) || o.as)
		return EXIT_USAGE;
	if (!(d = ropen(&o, &u, &err)))
		return EXIT_FAIL;
	if (users_get(d, o.pos[0], &u, &err))
		return rfail(&d, NULL, &err);
	if (o.json)
		l.json = cJSON_CreateArray();
	else
		printf("%s: %s, branch / สาขา %s\n", u.username, rights_role_label(u.role), u.branch);
	r = rights_list(d, &u, right_row, &l, &err);
	if (l.json && !r)
		cmd_json_print(l.json);
	cJSON_Delete(l.json);
	if (r)
		return rfail(&d, NULL, &err);
	db_close(&d);
	return EXIT_OK;
}

int cmd_admin_rights(int argc, char **argv)
{
	if (strcmp(argv[1], "branches") == 0)
		return admin_branches(argc - 1, argv + 1);
	if (strcmp(argv[1], "grant") == 0 || strcmp(argv[1], "revoke") == 0)
		return admin_grant(argc - 1, argv + 1, strcmp(argv[1], "grant") == 0);
	if (strcmp(argv[1], "reset-right") == 0)
		return admin_grant(argc - 1, argv + 1, -1);
	if (strcmp(argv[1], "role") == 0)
		return admin_role(argc - 1, argv + 1);
	if (strcmp(argv[1], "rights") == 0)
		return admin_rights(argc - 1, argv + 1);
	if (strcmp(argv[1], "move") == 0)
		return admin_move(argc - 1, argv + 1);
	return -1;
}
