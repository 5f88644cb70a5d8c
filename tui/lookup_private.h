/* Inside the registry lookups only (lookup.c, lookup_draw.c): the state
 * behind lookup.h. */
#ifndef TABIEN_LOOKUP_PRIVATE_H
#define TABIEN_LOOKUP_PRIVATE_H

#include <stdbool.h>
#include <time.h>

#include "services/card/card_record.h"
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
	/* Acting for someone (ผู้รับมอบอำนาจ, lookup_acting.c): p[0] is the
	 * grantor, p[1] the grantee once their card is read, focus the one the
	 * panes show; each one's card is kept here when it leaves the reader
	 * (one reader serves both), wiped when the mode ends. */
	bool acting;
	int focus;
	struct card_record *cards[2];
};

/* The person the panes show: the newest, or acting for someone the one in
 * focus. */
int lookup_top_index(const struct lookups *l);
/* The lookups' state, made at the first use (NULL: out of memory). */
struct lookups *lookup_state(struct app *a);
/* A person's six services asked for under their purpose and consent;
 * acting for someone, only once both citizens are known (until then the
 * person is pending). */
void lookup_person_send(struct app *a, struct lookups *l, struct lookup_person *p);
/* lookup.c's person on the stack (person_push) for lookup_acting.c. */
struct lookup_person *lookup_person_push(struct app *a, struct lookups *l, const char *cid,
					 const char *reader, enum lookup_source source);
/* Ends the acting-for mode's state (the cards wiped); lookup_clear calls it. */
void lookup_acting_clear(struct lookups *l);
/* Acting for someone: a card read or an ID typed (reader NULL). */
void lookup_acting_start(struct app *a, struct lookups *l, const char *cid, const char *reader);

/* A person's service: its state, and its result or error. */
enum linkage_state lookup_person_get(const struct lookup_person *p, int service,
				     const struct linkage_result **r, tb_err *err);

#endif
