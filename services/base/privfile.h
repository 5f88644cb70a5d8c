/* Writing a new private file (a citizen's photo, an audit export, a support
 * report): the bytes go to a temporary file beside the target, created 0600
 * with O_EXCL (so never through a link), synced, then renamed over the
 * target in one step.  A reader never sees half a file, and an existing
 * file is replaced, never written into: its old mode and its other names
 * keep nothing of the new content.
 *
 * The target may be missing or a plain file of this account (replaced); a
 * symbolic link (TB_E_FILE_LINK), another account's file or anything that is
 * not a plain file (TB_E_FILE_NOT_OURS) is refused and left as it was. */
#ifndef TABIEN_PRIVFILE_H
#define TABIEN_PRIVFILE_H

#include <stddef.h>
#include <stdio.h>

#include "services/base/errors.h"

struct privfile;

/* Checks path and creates its temporary file.  path must outlive the
 * privfile: errors name it in their field. */
struct privfile *privfile_begin(const char *path, tb_err *err);
/* Where the content goes; stdio's buffer is the privfile's own, wiped at
 * commit and abort. */
FILE *privfile_stream(struct privfile *p);
/* Flushes, syncs and renames the file into place; on any failure the
 * temporary file is removed and the target left as it was.  Frees *p and
 * NULLs it either way. */
int privfile_commit(struct privfile **p, tb_err *err);
/* Removes the temporary file; frees *p and NULLs it.  NULL is fine. */
void privfile_abort(struct privfile **p);

/* The three above for a buffer already in memory. */
int privfile_write(const char *path, const void *buf, size_t len, tb_err *err);

#endif
