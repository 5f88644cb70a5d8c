/* A digital copy as data: what goes on the page (the sections the officer
 * picked, each with its source and fetch time, the photo as the card's own
 * JPEG) and where it goes (the signing files, the folder or the document
 * system).  tabien builds one and hands it to tabien-copy on a pipe in the
 * serialised form below; both ends wipe it when done.
 *
 * The form: records of a tag byte, a 4-byte big-endian length and that many
 * bytes.  The reader trusts no length: each is held against what is left
 * and against the limits here. */
#ifndef TABIEN_COPY_DOC_H
#define TABIEN_COPY_DOC_H

#include <stddef.h>

#include "services/base/errors.h"

#define COPY_DOC_MAX (1024 * 1024)       /* the whole form: fits one pipe */
#define COPY_TEXT_MAX 4096               /* one text record */
#define COPY_SECTIONS_MAX 16
#define COPY_FIELDS_MAX 512              /* per section: long households */

/* The settings and the page's header, by tag. */
enum copy_meta {
	COPY_KEY, COPY_CERT, COPY_CHAIN,   /* PEM files */
	COPY_OUT,                          /* the file to write, or "" */
	COPY_COMMAND,                      /* the document system, or "" */
	COPY_TIMEOUT,                      /* seconds for the command, as text */
	COPY_PURPOSE, COPY_AGENCY, COPY_BRANCH, COPY_OFFICER,
	COPY_WHEN,                         /* the date and time, Buddhist era */
	COPY_REF,                          /* the audit row's reference */
	COPY_TITLE,                        /* what was copied: "บัตรประจำตัวประชาชน ..." */
	COPY_UNSIGNED,                     /* "1": no key, and the branch allows unsigned copies */
	COPY_SIGN_COMMAND,                 /* the key in a token: the command that signs, or "" */
	COPY_SIGN_TIMEOUT,                 /* seconds for it, as text */
	COPY_META_COUNT
};

struct copy_field {
	char *label, *value;
};

struct copy_section {
	char *title;
	char *source;                      /* "Card / บัตร, read 12:00" ... */
	struct copy_field *f;
	size_t nf, cap;
	unsigned char *photo;              /* the card's JPEG, or NULL */
	size_t photo_len;
};

struct copy_doc {
	char *meta[COPY_META_COUNT];
	struct copy_section s[COPY_SECTIONS_MAX];
	size_t ns;
};

struct copy_doc *copy_doc_new(void);
/* Wipes and frees; NULLs *d.  NULL is fine. */
void copy_doc_free(struct copy_doc **d);

/* Each copies its text; -1 with TB_E_NOMEM, or TB_E_USAGE when a limit is
 * passed. */
int copy_doc_set(struct copy_doc *d, enum copy_meta m, const char *text, tb_err *err);
int copy_doc_section(struct copy_doc *d, const char *title, const char *source, tb_err *err);
/* A field of the newest section; an empty value prints as "-". */
int copy_doc_field(struct copy_doc *d, const char *label, const char *value, tb_err *err);
int copy_doc_photo(struct copy_doc *d, const unsigned char *jpeg, size_t len, tb_err *err);

/* The serialised form into a new buffer (*out, *len; the caller wipes and
 * frees it). */
int copy_doc_encode(const struct copy_doc *d, unsigned char **out, size_t *len, tb_err *err);
/* The other way; TB_E_USAGE (detail: the byte offset) for a form that is
 * cut short, too long, or has an unknown tag. */
int copy_doc_decode(const unsigned char *p, size_t n, struct copy_doc **out, tb_err *err);

/* The text of m, "" when unset. */
const char *copy_doc_get(const struct copy_doc *d, enum copy_meta m);

#endif
