/* Inside the registry lookups only (lookup.c, lookup_draw.c): the state
 * behind lookup.h. */
#ifndef TABIEN_LOOKUP_PRIVATE_H
#define TABIEN_LOOKUP_PRIVATE_H

#include <stdbool.h>
#include <time.h>

#include "services/registry/linkage.h"
#include "tui/lookup.h"

/* The services asked for each person, in the order the sections are
 * drawn: the record and addresses first. */
extern const int lookup_wanted[LOOKUP_SERVICES];

struct lookups {
	bool made;                   /* the client was made (or refused) from the settings */
	struct linkage *lk;          /* GDX: on the app's client (app_gdx) */
	struct lk2 *lk2;             /* or Linkage Center 2 */
	tb_err setup_err;            /* why there is no client */
	/* The officer's sign-in (Linkage Center 2). */
	struct lk2_op *login;
	char officer_cid[LK_CID], chip[64];
	bool have_officer_card;
	tb_err login_err;
	/* GDX: whether the officer's agent (and the citizen's card) is there,
	 * asked with each card's lookups. */
	struct linkage_permission_op *perm;
	struct linkage_permission presence;
	tb_err presence_err;
	bool presence_known;
	struct lookup_person p[LOOKUP_DEPTH];
	int depth;
	unsigned asked;
	/* The officer's last choice, for the repeat key. */
	char last_purpose[SETTINGS_PURPOSE_BYTES];
	const char *last_consent;
	unsigned frame;
	struct timespec frame_at;
};

/* A person's service: its state, and its result or error. */
enum linkage_state lookup_person_get(const struct lookup_person *p, int service,
				     const struct linkage_result **r, tb_err *err);

#endif
