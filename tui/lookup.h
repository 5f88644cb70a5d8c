/* The registry lookups behind the person, household and name-history panes:
 * the citizen whose card was read (or whose ID was typed), and the household
 * members opened from there, newest on top (Back returns to the one
 * before).  Each person's six Linkage services are fetched at once, on the
 * loop's poll, never blocking it.  All of it is personal data: wiped when
 * the card leaves, at the lock and at log-out. */
#ifndef TABIEN_LOOKUP_H
#define TABIEN_LOOKUP_H

#include <curses.h>
#include <poll.h>
#include <stdbool.h>
#include <time.h>

#include "services/accounts/settings.h"
#include "services/base/errors.h"
#include "services/registry/linkage.h"

struct app;

#define LOOKUP_DEPTH 8

#define LOOKUP_SERVICES 6

struct lk2_op;

/* Whose data it is: the officer must never take one for another. */
enum lookup_source {
	LOOKUP_CARD = 0,             /* the card in the reader */
	LOOKUP_TYPED,                /* an ID typed: not the card holder */
	LOOKUP_MEMBER,               /* opened from the household of the one below */
};

struct lookup_person {
	char cid[LK_CID];
	char reader[128];            /* "": typed or opened, not a card in a reader */
	enum lookup_source source;
	time_t asked_at;             /* when the services were asked (a copy's source line) */
	/* Why, and on what footing, the registry is asked for this person:
	 * nothing is sent until the officer confirmed both (or the branch
	 * looks every visitor up: consent "auto"). */
	char purpose[SETTINGS_PURPOSE_BYTES];
	const char *consent;         /* AUDIT_CONSENT_* */
	bool confirmed;
	bool pending;                /* confirmed, acting for someone: waits for the other citizen */
	char acting[64];             /* acting for someone: "grantor=ID grantee=ID" (the audit's) */
	unsigned asked;              /* new each time the purpose is asked for */
	struct linkage_fetch *f;     /* GDX; NULL when it could not start: err says why */
	tb_err err;
	int waiting;                 /* services not ended yet */
	/* Linkage Center 2: one request for all, after the officer's sign-in;
	 * the results are kept below (and a cancelled GDX fetch's too). */
	bool lk2;
	bool kept;
	struct lk2_op *batch;        /* running */
	struct linkage_result *res[LOOKUP_SERVICES];
	tb_err errs[LOOKUP_SERVICES];
	bool ended[LOOKUP_SERVICES];
	unsigned kept_errs;          /* services whose failure is in the diagnostics' list */
};

/* Acting for someone (ผู้รับมอบอำนาจ, lookup_acting.c): the grantor (a card,
 * or an ID typed) and the grantee (a card), one after the other in one
 * reader or in two; both on every pane, the one in focus in full.  Each
 * is looked up under their own purpose and consent, once both are known,
 * and every audit row of the visit names both ("grantor=ID grantee=ID"). */
enum lookup_party { PARTY_GRANTOR = 0, PARTY_GRANTEE = 1 };
bool lookup_acting(const struct app *a);
/* f: the mode on (the citizen shown, if any, is the grantor) or off (both
 * citizens' data wiped). */
void lookup_acting_toggle(struct app *a);
/* o: the other citizen in focus; false when there is none yet. */
bool lookup_other(struct app *a);
/* A party: false when not read yet; its ID, its card (NULL when typed),
 * and whether it is the one in focus. */
struct card_record;
bool lookup_party(const struct app *a, enum lookup_party i, const char **cid,
		  const struct card_record **card, bool *shown);
/* The card of the citizen in focus (NULL: typed, or not acting). */
const struct card_record *lookup_top_card(const struct app *a);
/* A card read's audit reference: whom the card makes grantor or grantee;
 * "" outside the mode. */
void lookup_acting_ref(const struct app *a, const char *cid, char *out, size_t size);

/* The person on top, or NULL. */
const struct lookup_person *lookup_top(const struct app *a);
int lookup_depth(const struct app *a);

/* Looks a person up: the card just read in reader replaces every person
 * shown; an ID typed (reader NULL) goes on top of the card holder (Back
 * returns to them), or replaces the others when no card was read.  Audited
 * with the purpose chosen now. */
void lookup_start(struct app *a, const char *cid, const char *reader);
/* The person on top waits for the officer's purpose and consent. */
bool lookup_awaiting(const struct app *a);
/* Which asking that is (a new number for every person and every re-ask). */
unsigned lookup_asked(const struct app *a);
/* The officer chose: the person on top is looked up under purpose, with
 * consent (AUDIT_CONSENT_YES, _NO or _MISSION); remembered as the last
 * choice. */
void lookup_confirm(struct app *a, const char *purpose, const char *consent);
/* The purpose the citizen on screen is looked up under, for the status
 * bar: the person on top in the registry panes, the card holder's on the
 * card pane; "" while it waits for the officer's choice, NULL when no
 * citizen is shown. */
const char *lookup_purpose_shown(const struct app *a);
/* The last choice of this officer's session; false when none yet. */
bool lookup_last(const struct app *a, const char **purpose, const char **consent);
/* `p` on a looked-up citizen: asks the purpose again, and what was fetched
 * goes (the next fetch is audited anew); false when there is nothing to
 * re-ask (nobody shown, still waiting, or the branch's automatic mode). */
bool lookup_reask(struct app *a);
/* F5 in a registry pane: the person on top asked again under the same
 * purpose and consent (new audit rows), or the status bar says why not
 * (nobody shown, the purpose not chosen yet, still answering); DIRTY_*. */
unsigned lookup_again(struct app *a);
/* A household member, on top of the person shown (Back returns). */
void lookup_open_member(struct app *a, const char *cid);
/* The card in reader left: the people looked up from it go. */
void lookup_card_gone(struct app *a, const char *reader);
/* Esc while the person on top is still being looked up: what is on its
 * way is cancelled (logged as such), what came stays; false when nothing
 * was running. */
bool lookup_cancel(struct app *a);
/* Back to the person before; false when there was none. */
bool lookup_back(struct app *a);
/* Drops every person (the card left, the lock, log-out): running queries
 * are cancelled and everything is wiped. */
void lookup_clear(struct app *a);
/* And the gateway client with its token (log-out, another officer). */
void lookup_end(struct app *a);

/* A service of the person on top: its state, and its result or error. */
enum linkage_state lookup_get(const struct app *a, int service, const struct linkage_result **r,
			      tb_err *err);
/* Some lookup is on its way (a person's services, the sign-in). */
bool lookup_running(const struct app *a);
/* A spinner frame for sections still waiting. */
const char *lookup_spinner(const struct app *a);

/* Whether the registry panes show someone other than the card holder, and
 * who: their ID (formatted) in cid, how they came in *source.  For the card
 * pane, which always shows the card. */
bool lookup_not_holder(const struct app *a, char *cid, size_t size, enum lookup_source *source);

/* Drawing shared by the three panes.  The person on top's name and ID on
 * line y, and under it, when they are not the card holder, a banner saying
 * who they are (a typed ID, a household member of whom) and how to go
 * back; returns the next line. */
int lookup_draw_header(struct app *a, WINDOW *w, int y);
/* GDX: whether the officer's agent is present (asked with each card's
 * lookups), on one line, with what to do when it is not; returns the next
 * line. */
int lookup_draw_presence(struct app *a, WINDOW *w, int y);
/* When every section failed for one reason (the gateway down, its
 * settings), that error once with the retry key, instead of the same
 * lines in every section (or, acting for someone, that the grantee's card
 * is awaited); returns the next line, or -1 when the pane draws its
 * sections. */
int lookup_draw_failure(struct app *a, WINDOW *w, int y);
/* The card in the shown reader left unread for want of the card right:
 * why (nothing of it to show or look up), that the refusal is on record and
 * who can grant the right, from line y; the next line, or -1 when no such
 * card is there (the card pane too). */
int lookup_draw_unread(struct app *a, WINDOW *w, int y);
/* A section's title, and when it is not DONE its spinner or its error
 * (message in both languages, then the hint); returns the next line, and
 * whether the caller should draw the result in *done. */
int lookup_draw_section(struct app *a, WINDOW *w, int y, int service, const char *title,
			const struct linkage_result **r, bool *done);

/* Linkage Center 2 needs the officer's own sign-in (their card, its PIN)
 * before the first lookup.  What the person pane shows for it: */
enum lookup_signin {
	SIGNIN_NONE = 0,     /* not needed (GDX) or done */
	SIGNIN_CARD,         /* insert your own card */
	SIGNIN_PIN,          /* your card was read: its PIN */
	SIGNIN_RUNNING,      /* the signer and the proxy at work */
};
enum lookup_signin lookup_signin_state(const struct app *a, tb_err *last_err);
/* With Linkage Center 2, makes its client from the settings (nothing is
 * sent), so that the sign-in can be asked for before the first card. */
void lookup_prepare(struct app *a);
/* The officer's own card was read (its ID is the account's): kept, with
 * its chip number, for the sign-in. */
void lookup_officer_card(struct app *a, const char *cid, const char *chip);
/* Signs in with the PIN typed (the caller wipes its copy). */
void lookup_signin(struct app *a, const char *pin);

/* For the loop (the person pane's fds and io). */
int lookup_fds(struct app *a, struct pollfd *p, int max, int *timeout_ms);
unsigned lookup_io(struct app *a);

#endif
