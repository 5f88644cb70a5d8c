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

/* Prints an error in English and Thai, with what to do next. */
void cmd_error(FILE *f, const char *prefix, const tb_err *e);

#endif
