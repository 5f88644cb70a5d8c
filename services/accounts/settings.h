/* Branch settings (set by the branch's admins: each branch its own idle
 * lock, gateway profile, copies and purposes; the agency's name shared)
 * and each user's own settings.  The branch's purposes are the reasons staff pick from when they
 * look someone up; every lookup's audit row carries one. */
#ifndef TABIEN_SETTINGS_H
#define TABIEN_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "services/base/errors.h"
#include "services/accounts/users.h"
#include "storage/branches_db.h"
#include "storage/db.h"

#define SETTINGS_NAME_CHARS 200               /* agency and branch names */
#define SETTINGS_NAME_BYTES (SETTINGS_NAME_CHARS * 4 + 1)
#define SETTINGS_CODE_MAX 32                  /* branch code: [A-Za-z0-9._-] */
#define SETTINGS_PROFILE_MAX 64               /* gateway profile: [A-Za-z0-9._-], may be empty */
#define SETTINGS_PURPOSES_MAX 32
#define SETTINGS_PURPOSE_CHARS 150
#define SETTINGS_PURPOSE_BYTES (SETTINGS_PURPOSE_CHARS * 4 + 1)
#define SETTINGS_IDLE_DEFAULT_S 300
#define SETTINGS_IDLE_MIN_S 30
#define SETTINGS_IDLE_MAX_S 86400

struct branch_settings {
	char agency[SETTINGS_NAME_BYTES];
	char code[SETTINGS_CODE_MAX + 1];
	char name[SETTINGS_NAME_BYTES];
	int idle_timeout_s;                   /* the screen locks after this */
	char gateway_profile[SETTINGS_PROFILE_MAX + 1];
	int npurposes;
	char purposes[SETTINGS_PURPOSES_MAX][SETTINGS_PURPOSE_BYTES];
	bool copy_unsigned;                   /* digital copies without a signing key (marked UNSIGNED) */
	/* "": the officer picks a purpose and records consent for each
	 * citizen before the registry is asked.  Set: every card read is
	 * looked up at once under this purpose, for agencies whose mission
	 * covers every visitor (the audit rows say consent "auto"). */
	char auto_purpose[SETTINGS_PURPOSE_BYTES];
};

/* Idle timeout 300 s, the default purposes, everything else empty. */
void settings_branch_defaults(struct branch_settings *b);

/* TB_E_AUTH_INVALID with the field's name: "agency", "code", "name",
 * "idle_timeout", "gateway_profile", "purposes" (none, or more than the
 * maximum), "purpose" (detail: its index), "auto_purpose". */
int settings_branch_validate(const struct branch_settings *b, tb_err *err);

/* 1 when `tabien admin init` has run, 0 (err = TB_E_STORE_NOT_INIT) when
 * not, -1 on error. */
int settings_initialised(struct db *d, tb_err *err);

/* The first run: the branch and its first admin, in one transaction;
 * TB_E_STORE_ALREADY_INIT when done before. */
int settings_init(struct db *d, const struct branch_settings *b, const struct user_new *admin,
		  tb_err *err);

/* The terminal's branch's settings (db_branch, else the default branch's);
 * TB_E_STORE_NOT_INIT before settings_init. */
int settings_branch_get(struct db *d, struct branch_settings *out, tb_err *err);
/* Those of the branch `code`; TB_E_BRANCH_UNKNOWN when there is none. */
int settings_branch_of(struct db *d, const char *code, struct branch_settings *out, tb_err *err);

/* An admin with the settings right over branch b->code changes its settings
 * (recorded in the audit); the agency's name only an agency admin. */
int settings_branch_set(struct db *d, const char *actor, const struct branch_settings *b,
			tb_err *err);

/* An agency admin adds a branch with the default settings (audited);
 * TB_E_BRANCH_TAKEN when the code exists. */
int settings_branch_add(struct db *d, const char *actor, const char *code, const char *name,
			tb_err *err);

/* Each branch by code; the default one's code (the one `admin init` made,
 * where a terminal without `branch =` belongs). */
int settings_branch_list(struct db *d, int (*fn)(const struct branch *b, void *arg), void *arg,
			 tb_err *err);
int settings_default_branch(struct db *d, char *out, size_t size, tb_err *err);

/* The terminal's `branch = CODE`: TB_E_BRANCH_UNKNOWN when the database has
 * no such branch, else db_set_branch(). */
int settings_terminal_branch(struct db *d, const char *code, tb_err *err);

struct user_settings {
	char theme[65];         /* a theme's name: [A-Za-z0-9._-]; "": the terminal's */
	char language[3];       /* "th", "en", or "" to follow the locale */
	char default_pane[33];  /* a pane's name: [a-z0-9_-] */
};

/* Missing settings come back as the defaults: theme "default", language "",
 * pane "card". */
int settings_user_get(struct db *d, int64_t user_id, struct user_settings *out, tb_err *err);
/* TB_E_AUTH_INVALID ("theme", "language", "default_pane") for bad values. */
int settings_user_set(struct db *d, int64_t user_id, const struct user_settings *s,
		      tb_err *err);

#endif
