/* What the `tabien linkage` commands share: their options, and a
 * registry answer as text or JSON (cmd_linkage.c).  The LK2 run is in
 * cmd_lk2.c, the officer's presence in cmd_permission.c. */
#ifndef TABIEN_CMD_LINKAGE_H
#define TABIEN_CMD_LINKAGE_H

#include <cjson/cJSON.h>

#include "services/registry/linkage.h"
#include "tui/cmd_query.h"

#define LK_MAX_SERVICES 8

struct lk_opts {
	struct cmd_query_opts q;
	char cid[32];
	int services[LK_MAX_SERVICES];
	int n_services;
	int household;            /* the two services of a household, fixed */
	int transport;            /* 0: as configured, 1: gdx, 2: lk2 */
	const char *officer_cid, *chip;
};

/* A label padded to the labels' column, then the value ("-" for none). */
void cmd_linkage_row(const char *label, const char *value);
/* A citizen ID as people write it, or "-". */
void cmd_linkage_cid(const char *cid, char *out, size_t size);
/* One service's answer as text, or as an element of the array out when
 * there is one; then freed. */
void cmd_linkage_emit(cJSON *out, struct linkage_result **r);
/* One service's error as JSON, named by its service code. */
cJSON *cmd_linkage_error_json(int service, const tb_err *e);

/* Over GDX: the Linkage config loaded, the officer signed in, the client
 * made.  0, or -1 with what went wrong already said and q->rc set (a config
 * file's error with its file and fix). */
int cmd_linkage_open(struct cmd_query *q, struct linkage **lk);

/* --transport, else linkage.transport in the config file at path: 1 for
 * LK2, 0 for GDX, -1 with err. */
int cmd_lk2_wanted(const struct lk_opts *o, const char *path, tb_err *err);
/* `tabien linkage query|household --transport lk2`: the exit status. */
int cmd_lk2_query(const struct lk_opts *o, const char *path);
/* `tabien linkage permission` (argv[0] is "permission"): the exit status,
 * or -1 for a usage error (the caller shows the usage). */
int cmd_permission(int argc, char **argv);

#endif
