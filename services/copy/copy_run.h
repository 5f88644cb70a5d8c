/* Making a digital copy from tabien: the copy (copy_doc.h) handed on a
 * pipe to tabien-copy, a separate program that links cairo, pango and
 * OpenSSL, so none of them is loaded before the first copy. */
#ifndef TABIEN_COPY_RUN_H
#define TABIEN_COPY_RUN_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "services/base/errors.h"
#include "services/copy/copy_doc.h"

struct copy_result {
	char sha256[65];        /* the signed file's, also when it was not delivered */
	size_t size;
	char signer[256];       /* the certificate's subject */
	char path[PATH_MAX];    /* where it was written, or "-" when handed on */
};

/* A copy on its way, for a caller that must not block (the full-screen
 * program): started, its answer read as it comes, then finished. */
struct copy_job {
	pid_t pid;
	int fd;                 /* the answer's pipe: poll it for reading */
	char reply[2048];
	size_t got;
};

/* Forks program (NULL: tabien-copy beside the running program) with d on
 * its standard input, as copy_run; job->fd is the answer's pipe, blocking
 * until the caller makes it non-blocking.  quiet: its standard error goes
 * to /dev/null (a full-screen program owns the terminal). */
int copy_run_start(const struct copy_doc *d, const char *program, int quiet, struct copy_job *job,
		   tb_err *err);
/* Reads what has come: 1 when the answer is whole (its end, or full), 0
 * when more is to come (a non-blocking pipe with nothing in it). */
int copy_run_read(struct copy_job *job);
/* Asks the program to stop (SIGTERM): what it runs is killed and nothing
 * is written or handed on after that; its answer then says COPY-CANCELLED,
 * or, when it had already finished, what it did. */
void copy_run_cancel(struct copy_job *job);
/* Waits for the program and reads its answer, as copy_run; the job's pipe
 * closed and its answer wiped. */
int copy_run_finish(struct copy_job *job, struct copy_result *out, tb_err *err);

/* Runs program (NULL: tabien-copy beside the running program) with d on
 * its standard input (the serialised form is wiped once in the pipe) and
 * reads its answer.  0 when the file was written or handed on; -1 with the
 * catalogue error tabien-copy gave (out->sha256 set when a signed file was
 * made but not delivered), or TB_E_COPY_PROGRAM when it is missing or
 * died. */
int copy_run(const struct copy_doc *d, const char *program, struct copy_result *out, tb_err *err);

#endif
