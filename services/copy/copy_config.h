/* The digital copy's settings (copy.*) and its copies folder, read by the
 * copy commands, the full-screen program's start-up (so they count as
 * known) and tabien doctor.  In libtabien: no PDF library here. */
#ifndef TABIEN_COPY_CONFIG_H
#define TABIEN_COPY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "services/base/configfile.h"
#include "services/base/errors.h"

#define COPY_SETTING_BYTES 256    /* a config value's room */

struct copy_config {
	char key[COPY_SETTING_BYTES], cert[COPY_SETTING_BYTES], chain[COPY_SETTING_BYTES];
	char sign_command[COPY_SETTING_BYTES];   /* the key in a token or HSM */
	char command[COPY_SETTING_BYTES];        /* the document system */
	char dir[COPY_SETTING_BYTES];            /* "" when the default folder */
	long command_timeout_s, sign_timeout_s;
};

/* Every copy.* setting; TB_E_CONFIG for a value that is not one, and
 * TB_E_COPY_SIGNER_TWICE for copy.key and copy.sign_command together.
 * Whether a key is set at all is the copy's to judge (unsigned copies). */
int copy_config_from(struct copy_config *cc, struct config *c, tb_err *err);

/* The copies folder: copy.dir, else $XDG_DATA_HOME/tabien/copies, else
 * ~/.local/share/tabien/copies; *is_default tells the last two (made at
 * the first copy). */
int copy_folder_path(const struct copy_config *cc, char *out, size_t size, bool *is_default, tb_err *err);

/* The folder as a copy needs it, judged on a descriptor opened without
 * following a link: a folder (TB_E_COPY_FOLDER when missing or not one),
 * this account's, and no other account can write to it
 * (TB_E_COPY_FOLDER_UNSAFE: the mode in detail, or 0 for a link or
 * another's folder).  st: what fstat said, for the caller's looser
 * judgements (read by others, free space). */
int copy_folder_check(const char *dir, struct stat *st, tb_err *err);

#endif
