/* The skeleton the gateway commands share (see cmd_query.h). */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "services/base/format.h"
#include "services/gateway/http.h"
#include "services/accounts/audit.h"
#include "services/accounts/settings.h"
#include "storage/db.h"
#include "tui/cmd.h"
#include "tui/cmd_query.h"

int cmd_query_parse(int argc, char **argv, const struct option *opts, struct cmd_query_opts *o,
		    int (*own)(void *ctx, int code, const char *arg), void *ctx)
{
	int c;

	*o = (struct cmd_query_opts){ 0 };
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case CMD_OPT_DB:
			if (!cmd_arg_fits("db", optarg, PATH_MAX))
				return -1;
			o->db = optarg;
			break;
		case CMD_OPT_AS: o->as = optarg; break;
		case CMD_OPT_BATCH: o->batch = 1; break;
		case CMD_OPT_JSON: o->json = 1; break;
		case CMD_OPT_PURPOSE: o->purpose = optarg; break;
		case CMD_OPT_CONSENT: o->consent = optarg; break;
		default:
			/* '?': getopt_long has said what it did not know. */
			if (c < CMD_OPT_OWN || !own || own(ctx, c, optarg))
				return -1;
			break;
		}
	}
	return 0;
}

int cmd_purpose_check(const struct cmd_query_opts *o, tb_err *err)
{
	if (o->purpose && !users_text_valid(o->purpose, 100))
		return err_set(err, TB_E_AUTH_INVALID, 0, "purpose");
	if (o->consent && strcmp(o->consent, AUDIT_CONSENT_YES) != 0 &&
	    strcmp(o->consent, AUDIT_CONSENT_NO) != 0 && strcmp(o->consent, AUDIT_CONSENT_MISSION) != 0)
		return err_set(err, TB_E_AUTH_INVALID, 0, "consent (yes, no or mission)");
	return 0;
}

void cmd_config_error(const char *path, const tb_err *e)
{
	cmd_error(stderr, "tabien: ", e);
	fprintf(stderr, "        file / ไฟล์: %s\n", path);
	/* Each loader refuses its own secret: the GDX one, or the file naming
	 * the LK2 signer. */
	if (e->id == TB_E_SECRET_MODE || e->id == TB_E_LK2_CONFIG_MODE)
		fprintf(stderr, "        fix / วิธีแก้: chmod 600 %s\n", path);
}

void cmd_query_init(struct cmd_query *q, const struct cmd_query_opts *o)
{
	memset(q, 0, sizeof *q);
	q->o = o;
	q->rc = EXIT_FAIL;
}

int cmd_query_begin(struct cmd_query *q)
{
	q->d = cmd_db_open(q->o->db, 0, &q->err);
	if (!q->d || settings_initialised(q->d, &q->err) <= 0 ||
	    cmd_officer_check(q->d, q->o->batch, q->o->as, &q->who, &q->err))
		return -1;
	if (q->need && rights_check(q->d, q->who.username, (enum right)(q->need - 1), q->subject,
				    NULL, q->granters, &q->err))
		return -1;
	return 0;
}

void cmd_query_need(struct cmd_query *q, enum right r, const char *subject)
{
	q->need = (int)r + 1;
	q->subject = subject;
}

void cmd_fail(int json, struct db *d, const char *user, tb_err *err)
{
	/* "said already" (TB_OK) and a usage error are for people only. */
	if (json && err->id != TB_OK && err->id != TB_E_USAGE) {
		cJSON *x = cmd_error_json(NULL, err);

		cmd_json_print(x);
		cJSON_Delete(x);
	}
	if (d && user)
		cmd_other_branch(d, user, err);
	cmd_error(stderr, "tabien: ", err);
}

void cmd_query_fail(struct cmd_query *q)
{
	/* Answers already in q->out carry their errors themselves. */
	cmd_fail(q->o->json && !q->out, q->d, q->o->as, &q->err);
	if (q->err.id == TB_E_RIGHT_REFUSED && q->granters[0])
		fprintf(stderr, "        who can grant it / ผู้ที่ให้สิทธิ์ได้: %s\n", q->granters);
	q->rc = q->err.id == TB_E_USAGE ? EXIT_USAGE : EXIT_FAIL;
}

int cmd_query_end(struct cmd_query *q)
{
	if (q->out)
		cmd_json_print(q->out);
	cJSON_Delete(q->out);
	q->out = NULL;
	explicit_bzero(&q->who, sizeof q->who);
	db_close(&q->d);
	return q->rc;
}

cJSON *cmd_error_json(const char *service, const tb_err *e)
{
	cJSON *o = cJSON_CreateObject();

	if (service)
		cJSON_AddStringToObject(o, "service", service);
	cJSON_AddStringToObject(o, "error", err_code(e->id));
	if (e->detail)
		cJSON_AddNumberToObject(o, "detail", (double)e->detail);
	{
		char t[4][512];
		err_text(e, TB_LANG_EN, t[0], sizeof t[0]);
		err_text(e, TB_LANG_TH, t[1], sizeof t[1]);
		err_hint_text(e, TB_LANG_EN, t[2], sizeof t[2]);
		err_hint_text(e, TB_LANG_TH, t[3], sizeof t[3]);
		cJSON_AddStringToObject(o, "message", t[0]);
		cJSON_AddStringToObject(o, "message_th", t[1]);
		cJSON_AddStringToObject(o, "hint", t[2]);
		cJSON_AddStringToObject(o, "hint_th", t[3]);
	}
	return o;
}

void cmd_json_print(const cJSON *o)
{
	char *s = cJSON_Print(o);

	if (s) {
		puts(s);
		explicit_bzero(s, strlen(s));
		cJSON_free(s);
	}
}

void cmd_date_text(int32_t be, char *out, size_t size)
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
