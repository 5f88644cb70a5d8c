/* Making a digital copy from tabien: the copy (copy_doc.h) handed on a
 * pipe to tabien-copy, a separate program that links cairo, pango and
 * OpenSSL, so none of them is loaded before the first copy. */
#ifndef TABIEN_COPY_RUN_H
#define TABIEN_COPY_RUN_H

#include <limits.h>
#include <stddef.h>

#include "services/base/errors.h"
#include "services/copy/copy_doc.h"

struct copy_result {
	char sha256[65];        /* the signed file's, also when it was not delivered */
	size_t size;
	char signer[256];       /* the certificate's subject */
	char path[PATH_MAX];    /* where it was written, or "-" when handed on */
};

/* Runs program (NULL: tabien-copy beside the running program) with d on
 * its standard input (the serialised form is wiped once in the pipe) and
 * reads its answer.  0 when the file was written or handed on; -1 with the
 * catalogue error tabien-copy gave (out->sha256 set when a signed file was
 * made but not delivered), or TB_E_COPY_PROGRAM when it is missing or
 * died. */
int copy_run(const struct copy_doc *d, const char *program, struct copy_result *out, tb_err *err);

#endif
