/* The juristic_cache table: the last answer DBD gave for a company, per
 * source ("gdx" or "open"), as the raw JSON body, so the same parser reads
 * it back.  Freshness rules live in services/juristic/juristic.c. */
#ifndef TABIEN_JURISTIC_DB_H
#define TABIEN_JURISTIC_DB_H

#include <stddef.h>
#include <stdint.h>

#include "services/base/errors.h"
#include "storage/db.h"

/* Replaces the copy for (id, source). */
int juristic_db_put(struct db *d, const char *id, const char *source, int64_t fetched_at,
		    const char *body, size_t len, tb_err *err);

/* The copy for (id, source), or with source NULL the newest of any source.
 * 1 with *body (malloc'd, NUL-terminated; the caller frees), its length, the
 * time it was fetched and its source (out_source may be NULL, else at least
 * 8 bytes); 0 when there is none; -1 on error. */
int juristic_db_get(struct db *d, const char *id, const char *source, char **body, size_t *len,
		    int64_t *fetched_at, char *out_source, size_t source_size, tb_err *err);

/* Drops copies fetched before `before` (epoch seconds); returns how many. */
long juristic_db_purge(struct db *d, int64_t before, tb_err *err);

#endif
