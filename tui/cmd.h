/* The command-line face: `tabien <group> <command> ...`. */
#ifndef TABIEN_CMD_H
#define TABIEN_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "services/base/errors.h"

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
/* tabien linkage query|household|permission (cmd_linkage.c, cmd_lk2.c,
 * cmd_permission.c) */
int cmd_linkage(int argc, char **argv);
/* tabien juristic show (cmd_juristic.c) */
int cmd_juristic(int argc, char **argv);
struct cmd_query;
struct juristic_request;
struct juristic_result;
/* One company for a command over the cmd_query skeleton, the right already
 * named with cmd_query_need: the settings (a problem printed with the file's
 * name and its fix: -2), the officer signed in (cmd_query_begin), the lookup
 * as rq asks with the officer filled in (-1 with q->err).  The settings and
 * the clients are wiped and gone on return; *out is the caller's to free.
 * Shared by tabien juristic and tabien copy. */
int cmd_juristic_fetch(struct cmd_query *q, const struct juristic_request *rq,
		       struct juristic_result **out);
/* tabien copy card (cmd_copy.c) */
int cmd_copy(int argc, char **argv);
/* tabien doctor; tabien --version (cmd_doctor.c) */
int cmd_doctor(int argc, char **argv);
int cmd_version(void);
/* tabien support-report [--out FILE] (cmd_support.c) */
int cmd_support_report(int argc, char **argv);
/* tabien audit verify|export (cmd_admin.c) */
int cmd_audit(int argc, char **argv);
int cmd_audit_seal(int argc, char **argv);   /* verify, seal-init, seal: cmd_audit.c */
/* Before the full screen is taken: EXIT_OK when the database (db_path, or
 * the default) is set up; otherwise prints in English and Thai what to do
 * (an admin runs `tabien admin init`) and returns EXIT_FAIL. */
int cmd_setup_check(const char *db_path);

/* Prints an error in English and Thai, with what to do next. */
void cmd_error(FILE *f, const char *prefix, const tb_err *e);
/* Whether option --name's value is shorter than size bytes (it fits a
 * buffer of size with its NUL); if not, says so in English and Thai.  A long
 * argument is a usage error, never cut short: cut, it names something else. */
bool cmd_arg_fits(const char *name, const char *value, size_t size);

struct db;
/* db_open, the terminal's branch checked (cmd_terminal_branch), and on
 * standard error the warning when the file was readable by others and has
 * been made private (cmd_rights.c). */
struct db *cmd_db_open(const char *path, unsigned flags, tb_err *err);
/* The config file's `branch = CODE` checked against the database and made
 * the terminal's (db_set_branch): -1 when it names no branch, said on
 * standard error with the file (err->id then TB_OK).  Run by cmd_db_open. */
int cmd_terminal_branch(struct db *d, tb_err *err);
/* Under a refusal of `username` (TB_E_RIGHT_REFUSED: who can grant them the
 * right, their branch's admins else the agency's; _BRANCH: the agency
 * admins, who can do it), on f; never themselves (rights_who_can). */
void cmd_refusal(FILE *f, struct db *d, const char *username, const tb_err *e);
/* tabien admin branches|grant|revoke|reset-right|role|rights|move (cmd_rights.c); -1 when
 * argv[1] is none of them. */
int cmd_admin_rights(int argc, char **argv);
/* An ID as people write it ("1-2345-67890-12-1", "0105536012346") to its
 * digits: the dashes and spaces left out, cut to size.  out may be in. */
void cmd_id_digits(char *out, size_t size, const char *in);

struct db;
struct user;
/* One line from standard input, byte by byte (no stdio buffer keeps a
 * password).  0, 1 at end of input with nothing read, -1 when the line did
 * not fit (it is consumed and wiped). */
int cmd_read_line(char *buf, size_t size);
/* Asks one question: a prompt on stderr and the answer without echo when it
 * is secret (the terminal restored even on Ctrl-C), or with batch the next
 * line of standard input.  0, or -1 with err. */
int cmd_ask(int batch, const char *prompt, char *buf, size_t size, int secret,
	    const char *field, tb_err *err);
/* The officer behind a command-line lookup: `user`'s password asked as
 * above, then checked like a login. */
int cmd_officer_login(struct db *d, int batch, const char *user, struct user *who, tb_err *err);
/* The same with nothing said: a refusal (AUTH-OTHER-BRANCH too) left in err
 * for a command that says it in JSON as well (cmd_fail). */
int cmd_officer_check(struct db *d, int batch, const char *user, struct user *who, tb_err *err);
/* A login refused at another branch's terminal (TB_E_AUTH_OTHER_BRANCH):
 * the error and both branches said on standard error, err->id then TB_OK
 * (said); any other error is left to the caller. */
void cmd_other_branch(struct db *d, const char *user, tb_err *err);

#endif
