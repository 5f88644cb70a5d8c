/* The per-terminal configuration file: `key = value` lines, `#` comments
 * (a line's own, or after a value and a space: `theme = mono  # note`).
 * Where it lives: $TABIEN_CONFIG, else $XDG_CONFIG_HOME/tabien/tabien.conf,
 * else ~/.config/tabien/tabien.conf.  A missing file is no error. */
#ifndef TABIEN_CONFIGFILE_H
#define TABIEN_CONFIGFILE_H

#include <stddef.h>

#include "services/base/errors.h"

#define CONFIG_MAX_ENTRIES 128
#define CONFIG_MAX_PROBLEMS 16
#define CONFIG_MAX_ASKED 128

struct config_entry {
	char key[64];
	char value[256];
	int line;
	int used;          /* set by config_get, so unknown keys can be reported */
};

/* A bad line, as the officer is told of it: its number and what is wrong
 * ("theme = fancy: no such theme").  A line without "=" is not quoted: it
 * may be a secret pasted on a line of its own. */
struct config_problem {
	enum tb_err_id id; /* TB_E_CONFIG, or TB_E_CONFIG_UNKNOWN */
	int line;
	char text[192];
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
	/* Every bad line, in the file's order; more than the array holds are
	 * counted in nproblems and summed up in the last one. */
	struct config_problem problems[CONFIG_MAX_PROBLEMS];
	int nproblems;
	/* The keys asked for by config_get, set or not: the known settings,
	 * which an unknown one is held against for the nearest. */
	char asked[CONFIG_MAX_ASKED][64];
	int nasked;
};

/* The file's path, following the rules above. */
void config_path(char *out, size_t size);

/* Loads path (NULL: config_path()).  A missing file gives an empty config and
 * 0; a path that is a folder TB_E_FILE (EISDIR).  A malformed line is
 * skipped and kept in c->problems, the rest of the file loaded: -1 with err
 * = the first one (TB_E_CONFIG, "line N: ..." as field). */
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

/* Notes a bad line (printf-style text) in c->problems. */
void config_problem(struct config *c, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Notes e's value as bad: "key = value: why". */
void config_bad_value(struct config *c, const struct config_entry *e, const char *why);
/* The last entry of key, or NULL (config_get's, without marking it). */
const struct config_entry *config_entry_of(const struct config *c, const char *key);
/* Notes every entry nobody asked for as TB_E_CONFIG_UNKNOWN problems, with
 * the nearest known key; call once every reader of c has run. */
void config_check_unknown(struct config *c);
/* The known key nearest to key (a few letters off), or NULL. */
const char *config_nearest(const struct config *c, const char *key);
/* Problem i as an error: TB_E_CONFIG (or _UNKNOWN), its text as field. */
void config_problem_err(const struct config *c, int i, tb_err *err);

#endif
