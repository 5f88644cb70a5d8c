/* `tabien support-report [--out FILE]`: the support report that the
 * diagnostics pane's key writes, made from the command line, for when the
 * full screen will not start or support is on a remote shell.  The same
 * header and facts (app_report), filled as far as a command can: the
 * branch from the database, the readers as PC/SC lists them, the config
 * file's problems and whatever failed on the way as the errors.  Nobody is
 * logged in and no card is read: nothing personal can be in it. */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "services/accounts/settings.h"
#include "services/base/util.h"
#include "services/card/card.h"
#include "tui/actions.h"
#include "tui/app.h"
#include "tui/cmd.h"
#include "tui/i18n.h"
#include "tui/theme.h"

#define OUT_MAX 1000

static void usage(FILE *f)
{
	fputs("usage: tabien support-report [--out FILE]\n"
	      "  the support report (as F9 then s writes it) into FILE, mode 600,\n"
	      "  else into $XDG_STATE_HOME/tabien/support-STAMP.txt\n"
	      "  รายงานสำหรับฝ่ายสนับสนุน (เหมือนกด F9 แล้ว s) ลงในไฟล์ FILE\n", f);
}

/* The readers and whether a card is in each, as the card pane has them. */
static void readers_fill(struct app *a)
{
	char names[4096];
	struct card_ctx *c;
	tb_err err = { 0 };
	int n;

	c = card_ctx_new(&err);
	n = c ? card_readers(c, names, sizeof names, &err) : -1;
	if (n < 0) {
		a->service = 0;
		a->service_err = err;
		app_error_keep(a, NULL, &err);
		card_ctx_free(&c);
		return;
	}
	a->service = 1;
	for (const char *p = names; *p && a->nreaders < APP_MAX_READERS; p += strlen(p) + 1) {
		struct reader_state *r = &a->readers[a->nreaders++];
		char got[128];
		tb_err werr = { 0 };

		str_copy(r->name, sizeof r->name, p);
		r->present = card_wait(c, p, 0, got, sizeof got, &werr) == 0;
	}
	card_ctx_free(&c);
}

/* The branch from the database; a database that will not open is one more
 * error in the report, which is written all the same. */
static void branch_fill(struct app *a)
{
	const char *path = config_get(&a->cfg, "database");
	tb_err err = { 0 };
	int init;

	a->db = db_open(path && *path ? path : NULL, 0, &err);
	init = a->db ? settings_initialised(a->db, &err) : -1;
	if (init < 0 || (init > 0 && settings_branch_get(a->db, &a->branch, &err)))
		app_error_keep(a, NULL, &err);
	else if (init == 0)
		app_error_keep(a, NULL, &(tb_err){ .id = TB_E_STORE_NOT_INIT });
}

int cmd_support_report(int argc, char **argv)
{
	const char *out = NULL, *setting;
	struct passwd *pw = getpwuid(getuid());
	struct app *a;
	tb_err err = { 0 };
	int rc = EXIT_FAIL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return EXIT_OK;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (out && (!*out || !cmd_arg_fits("out", out, OUT_MAX)))
		return EXIT_USAGE;
	a = calloc(1, sizeof *a);
	if (!a) {
		err_set(&err, TB_E_NOMEM, 0, "support report");
		cmd_error(stderr, "tabien: ", &err);
		return EXIT_FAIL;
	}
	a->active = -1;
	a->service = -1;
	str_copy(a->login, sizeof a->login, pw ? pw->pw_name : "?");
	/* The config file as the full-screen program reads it: each bad line,
	 * the file itself, a folder others may write. */
	if (config_load(&a->cfg, NULL, &a->cfg_err) == 0 || a->cfg.nproblems)
		a->cfg_err = (tb_err){ 0 };
	setting = config_get(&a->cfg, "language");
	if (setting && strcmp(setting, "th") && strcmp(setting, "en")) {
		config_bad_value(&a->cfg, config_entry_of(&a->cfg, "language"), "th or en");
		setting = NULL;
	}
	i18n_init(setting);
	actions_init(&a->cfg, NULL);
	setting = config_get(&a->cfg, "theme");
	if (theme_load(&a->theme, setting ? setting : "default", &err) && setting && err.field &&
	    strcmp(err.field, "theme file") == 0)
		config_bad_value(&a->cfg, config_entry_of(&a->cfg, "theme"), "no such theme");
	if (setting)
		str_copy(a->theme.name, sizeof a->theme.name, setting);
	err = (tb_err){ 0 };
	app_config_check(a);
	branch_fill(a);
	readers_fill(a);

	if (app_report(a, out, &err)) {
		cmd_error(stderr, "tabien: ", &err);
	} else {
		printf("Support report written / เขียนรายงานสำหรับฝ่ายสนับสนุนแล้ว: %s\n", a->report_path);
		rc = EXIT_OK;
	}
	db_close(&a->db);
	explicit_bzero(a, sizeof *a);
	free(a);
	return rc;
}
