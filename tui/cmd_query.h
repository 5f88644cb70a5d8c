/* What every gateway command (`tabien linkage ...`, `tabien juristic ...`)
 * does around its query: the common options, the config file's errors, the
 * officer signing in, the JSON printed and wiped, the exit status.  A command
 * parses its own options beside the common ones, checks what it was given,
 * loads its config, then cmd_query_begin ... cmd_query_end. */
#ifndef TABIEN_CMD_QUERY_H
#define TABIEN_CMD_QUERY_H

#include <getopt.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "services/accounts/rights.h"
#include "services/accounts/users.h"
#include "services/base/errors.h"

struct db;

/* The options every query takes. */
struct cmd_query_opts {
	const char *db, *as, *purpose;
	const char *consent;     /* AUDIT_CONSENT_YES, _NO, _MISSION, or NULL */
	int json, batch;
};

/* getopt_long codes: the common ones, then a command's own from
 * CMD_OPT_OWN. */
enum { CMD_OPT_DB = 1, CMD_OPT_AS, CMD_OPT_BATCH, CMD_OPT_JSON, CMD_OPT_PURPOSE, CMD_OPT_CONSENT,
       CMD_OPT_OWN };

/* The rows of a `struct option` table for --db, --as, --batch and --json;
 * --purpose apart, as not every command takes it. */
#define CMD_QUERY_OPTIONS \
	{ "db", required_argument, NULL, CMD_OPT_DB }, \
	{ "as", required_argument, NULL, CMD_OPT_AS }, \
	{ "batch", no_argument, NULL, CMD_OPT_BATCH }, \
	{ "json", no_argument, NULL, CMD_OPT_JSON }
#define CMD_PURPOSE_OPTION { "purpose", required_argument, NULL, CMD_OPT_PURPOSE }
/* --consent yes|no|mission: the citizen's consent, or the mission's need,
 * written beside the purpose on a registry lookup's audit rows. */
#define CMD_CONSENT_OPTION { "consent", required_argument, NULL, CMD_OPT_CONSENT }

/* getopt_long over argv (argv[0] is the command's name) with the table
 * opts: the common options into o (zeroed first), the command's own through
 * own (0, or -1 for a usage error).  0 with optind at the first operand, or
 * -1 for a usage error (an overlong --db is said here). */
int cmd_query_parse(int argc, char **argv, const struct option *opts, struct cmd_query_opts *o,
		    int (*own)(void *ctx, int code, const char *arg), void *ctx);
/* The purpose, when given, held to the length and characters of a field,
 * and the consent to its three words;
 * checked with the subject, before the password is asked or anything sent. */
int cmd_purpose_check(const struct cmd_query_opts *o, tb_err *err);
/* A config file that did not load: the error, the file, and for a secret in
 * a file others could read, the chmod that fixes it. */
void cmd_config_error(const char *path, const tb_err *e);

/* One run of a query. */
struct cmd_query {
	const struct cmd_query_opts *o;
	struct db *d;
	struct user who;   /* the officer, once signed in; wiped at the end */
	cJSON *out;        /* printed (and wiped) by cmd_query_end when set */
	tb_err err;
	int rc;            /* the exit status */
	int need;          /* 1 + the right cmd_query_begin asks for; 0: none */
	const char *subject;
	char granters[RIGHTS_GRANTERS_MAX]; /* who can grant it, when refused */
};

void cmd_query_init(struct cmd_query *q, const struct cmd_query_opts *o);
/* Opens the database, which must be set up (and the terminal's branch
 * checked), signs the officer named by --as in, and asks for the right
 * named by cmd_query_need.  (libcurl is not loaded on a thread meanwhile: the password is
 * checked in a forked child, and a fork while another thread holds the
 * allocator's lock leaves the child stuck.)  0, or -1
 * with q->err. */
int cmd_query_begin(struct cmd_query *q);
/* The right the command needs (asked by cmd_query_begin once the officer
 * has signed in, audited when refused, about subject). */
void cmd_query_need(struct cmd_query *q, enum right r, const char *subject);
/* q->err on standard error (and who can grant a refused right); q->rc becomes its exit status (2 for a usage
 * error, else 1). */
void cmd_query_fail(struct cmd_query *q);
/* Prints q->out, then frees and wipes the run; its exit status. */
int cmd_query_end(struct cmd_query *q);

/* An error as JSON: its code, detail, messages and hints in both
 * languages, after "service" when one is named. */
cJSON *cmd_error_json(const char *service, const tb_err *e);
/* A command's failure said: with json its error object on standard output
 * first (a refused login too), then on standard error in words, with both
 * branches under AUTH-OTHER-BRANCH (d and user may be NULL). */
void cmd_fail(int json, struct db *d, const char *user, tb_err *err);
/* Prints a JSON tree; the printed copy holds personal data and is wiped. */
void cmd_json_print(const cJSON *o);
/* A Buddhist-era date (YYYYMMDD) in Thai, then English; "-" for none. */
void cmd_date_text(int32_t be, char *out, size_t size);

#endif
