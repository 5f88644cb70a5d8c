/* Inside tabien-copy only: the pages, the signature, the delivery. */
#ifndef TABIEN_COPY_PRIVATE_H
#define TABIEN_COPY_PRIVATE_H

#include <signal.h>
#include <stddef.h>

#include "services/base/errors.h"
#include "services/copy/copy_doc.h"

/* A growing buffer of personal data: every old block is wiped. */
struct copy_buf {
	unsigned char *p;
	size_t n, cap;
};
int copy_buf_add(struct copy_buf *b, const void *p, size_t n);
void copy_buf_wipe(struct copy_buf *b);

/* copy_pdf.c: the pages, with pango over cairo's PDF surface. */
int copy_pdf_render(const struct copy_doc *d, struct copy_buf *pdf, tb_err *err);

/* copy_sign.c: the agency's key and certificates, checked before anything
 * is drawn, and the PAdES signature added as an incremental update. */
struct copy_signer;
int copy_signer_load(const struct copy_doc *d, struct copy_signer **out, tb_err *err);
void copy_signer_free(struct copy_signer **s);
/* The certificate's subject as one line. */
const char *copy_signer_name(const struct copy_signer *s);
int copy_sign(struct copy_signer *s, struct copy_buf *pdf, tb_err *err);

/* copy_exec.c: the commands tabien-copy runs (copy.command, copy.sign_command).
 * copy_exec_init: SIGTERM (tabien stopping the copy) sets copy_stop and
 * kills the command running, if any. */
extern volatile sig_atomic_t copy_stop;
void copy_exec_init(void);
/* The program must be a full path to an executable file that only its
 * owner can change; else missing, with field. */
int copy_exec_check(const char *path, enum tb_err_id missing, const char *field, tb_err *err);
enum copy_exec_end {
	COPY_EXEC_EXITED,      /* *status: its exit status, 128 + a signal, 141 for input it left */
	COPY_EXEC_TIMEOUT,     /* killed at timeout_ms */
	COPY_EXEC_TOO_MUCH,    /* killed: more than out_max bytes of output */
	COPY_EXEC_STOPPED,     /* killed: tabien stopped the copy */
	COPY_EXEC_ERROR,       /* err set: no pipe, no fork */
};
/* Runs argv[0] (exec'd, no shell) in its own process group with in on its
 * standard input; its standard output into out (NULL: thrown away); its
 * standard error left as ours. */
enum copy_exec_end copy_exec(char *const argv[], const void *in, size_t in_len, struct copy_buf *out,
			     size_t out_max, long timeout_ms, int *status, tb_err *err);

#endif
