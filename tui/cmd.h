/* The command-line face: `tabien <group> <command> ...`. */
#ifndef TABIEN_CMD_H
#define TABIEN_CMD_H

#include <stdio.h>

#include "services/errors.h"

/* Exit codes, the same for every command. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,    /* the command could not do its job; the error says why */
	EXIT_USAGE = 2,
	EXIT_WARN = 3,    /* done, but what was read has problems (see warnings) */
};

int cmd_card(int argc, char **argv);
/* tabien admin init|register|users|approve|...|settings (cmd_admin.c) */
int cmd_admin(int argc, char **argv);
/* tabien linkage query|household (cmd_linkage.c) */
int cmd_linkage(int argc, char **argv);
/* tabien juristic show (cmd_juristic.c) */
int cmd_juristic(int argc, char **argv);
/* tabien audit verify|export (cmd_admin.c) */
int cmd_audit(int argc, char **argv);
/* Before the full screen is taken: EXIT_OK when the database (db_path, or
 * the default) is set up; otherwise prints in English and Thai what to do
 * (an admin runs `tabien admin init`) and returns EXIT_FAIL. */
int cmd_setup_check(const char *db_path);

/* Prints an error in English and Thai, with what to do next. */
void cmd_error(FILE *f, const char *prefix, const tb_err *e);

#endif
