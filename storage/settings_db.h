/* The agency's settings (key/value: its name, the default branch's code)
 * and each user's settings (key/value); each branch's own are branches_db's.
 * Which keys exist and what they may hold is decided in
 * services/accounts/settings.c. */
#ifndef TABIEN_SETTINGS_DB_H
#define TABIEN_SETTINGS_DB_H

#include <stddef.h>
#include <stdint.h>

#include "services/base/errors.h"
#include "storage/db.h"

/* 1 and the value when the key is set, 0 when not, -1 on error. */
int settings_db_get(struct db *d, const char *key, char *out, size_t size, tb_err *err);
int settings_db_set(struct db *d, const char *key, const char *value, tb_err *err);

int settings_db_user_get(struct db *d, int64_t user_id, const char *key, char *out,
			 size_t size, tb_err *err);
int settings_db_user_set(struct db *d, int64_t user_id, const char *key, const char *value,
			 tb_err *err);

#endif
