/* Inside tabien-copy only: the pages, the signature, the delivery. */
#ifndef TABIEN_COPY_PRIVATE_H
#define TABIEN_COPY_PRIVATE_H

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

#endif
