/* The per-terminal configuration file: `key = value` lines, `#` comments
 * (a line's own, or after a value and a space: `theme = mono  # note`).
 * Where it lives: $TABIEN_CONFIG, else $XDG_CONFIG_HOME/tabien/tabien.conf,
 * else ~/.config/tabien/tabien.conf.  A missing file is no error. */
#ifndef TABIEN_CONFIGFILE_H
#define TABIEN_CONFIGFILE_H

#include <stddef.h>

#include "services/base/errors.h"

#define CONFIG_MAX_ENTRIES 128

struct config_entry {
	char key[64];
	char value[256];
	int line;
	int used;          /* set by config_get, so unknown keys can be reported */
};

struct config {
	char path[512];
	struct config_entry e[CONFIG_MAX_ENTRIES];
	int n;
	/* The file as opened (fstat of the descriptor read, not the path). */
	int loaded;
	int link;          /* reached through a symbolic link */
	unsigned mode;
	long uid;
	tb_err warn;       /* TB_E_CONFIG_FOLDER, or none: see config_folder_check */
};

/* The file's path, following the rules above. */
void config_path(char *out, size_t size);

/* Loads path (NULL: config_path()).  A missing file gives an empty config and
 * 0.  A malformed line stops the load: -1, err = TB_E_CONFIG with the line
 * number as detail, and the entries before it kept. */
int config_load(struct config *c, const char *path, tb_err *err);

/* Loads path into a config of its own, hands it to apply (which reads its
 * settings into arg) and wipes it: the file may hold secrets. */
int config_read(const char *path, int (*apply)(struct config *c, void *arg, tb_err *err),
		void *arg, tb_err *err);

/* The value of key (last one wins), or NULL. Marks the entry used. */
const char *config_get(struct config *c, const char *key);

/* key's value copied into out when it is set (out untouched otherwise);
 * TB_E_CONFIG naming the key when it does not fit. */
int config_text(struct config *c, const char *key, char *out, size_t size, tb_err *err);
/* key's value as a whole number in min..max into *out when it is set;
 * TB_E_CONFIG naming the key when it is not one. */
int config_long(struct config *c, const char *key, long min, long max, long *out, tb_err *err);

/* For a file that holds a secret (or decides where one goes): 0 when the
 * file c was loaded from is ours, no link, and readable by nobody else, as
 * ssh asks of keys; else -1 with err = TB_E_CONFIG_LINK (a link, or another
 * account's file) or id (the file's mode as octal digits in detail: 644),
 * and field naming the setting that made it matter. */
int config_private(const struct config *c, enum tb_err_id id, const char *field, tb_err *err);

/* -1 with TB_E_CONFIG_FOLDER (the folder's mode in detail) when the folder
 * holding path lets another account replace the file: writable by others
 * without the sticky bit (as /tmp has), writable by a group that is not the
 * user's own, or owned by another account than the user or root.  A
 * warning: config_load keeps it in c->warn and loads the file anyway. */
int config_folder_check(const char *path, tb_err *err);

/* The first entry nobody asked for, or NULL: an unknown setting. */
const struct config_entry *config_unused(const struct config *c);

#endif
