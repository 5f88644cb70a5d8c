/* Acting for someone (ผู้รับมอบอำนาจ): see lookup.h.  Two citizens on the
 * lookups' stack, the grantor at p[0] and the grantee at p[1]; the panes
 * show the one in focus.  Each is looked up under their own purpose and
 * consent, only once both are known, so that every audit row names both. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "services/base/util.h"
#include "services/card/card_record.h"
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/lookup_private.h"

bool lookup_acting(const struct app *a)
{
	return a->lookups && a->lookups->acting;
}

/* The card a party was read from, copied: with one reader it leaves for the
 * other's card, and both stay on screen until the mode ends. */
static void card_keep(struct app *a, struct lookups *l, int i, const char *cid, const char *reader)
{
	card_record_free(&l->cards[i]);
	if (!reader || !reader[0])
		return;
	for (int k = 0; k < a->nreaders; k++)
		if (strcmp(a->readers[k].name, reader) == 0 && a->readers[k].rec &&
		    strcmp(a->readers[k].rec->cid, cid) == 0)
			l->cards[i] = card_record_dup(a->readers[k].rec);
}

void lookup_acting_clear(struct lookups *l)
{
	card_record_free(&l->cards[0]);
	card_record_free(&l->cards[1]);
	l->acting = false;
	l->focus = 0;
}

void lookup_acting_toggle(struct app *a)
{
	struct lookups *l = lookup_state(a);
	char cid[LK_CID] = "", reader[sizeof l->p[0].reader] = "";
	enum lookup_source source = LOOKUP_CARD;

	if (!l)
		return;
	if (l->acting) {
		lookup_clear(a);
		app_message(a, false, "%s", _("Acting for someone ended: both citizens' data was cleared"));
		a->dirty |= DIRTY_ALL;
		return;
	}
	/* The citizen shown first (the card holder, or the ID typed) becomes
	 * the grantor; those opened from them go, and the registry is asked
	 * about them again for this visit, its rows naming both. */
	if (l->depth > 0) {
		str_copy(cid, sizeof cid, l->p[0].cid);
		str_copy(reader, sizeof reader, l->p[0].reader);
		source = l->p[0].source;
	}
	lookup_clear(a);
	l->acting = true;
	l->focus = 0;
	if (cid[0]) {
		lookup_person_push(a, l, cid, reader[0] ? reader : NULL, source);
		card_keep(a, l, PARTY_GRANTOR, cid, reader);
		explicit_bzero(cid, sizeof cid);
		app_message(a, false, "%s", _("Acting for someone: the citizen shown is the grantor; now the grantee's card"));
	} else {
		app_message(a, false, "%s", _("Acting for someone: the grantor's card (or type their ID), then the grantee's card"));
	}
	a->dirty |= DIRTY_ALL;
}

void lookup_acting_start(struct app *a, struct lookups *l, const char *cid, const char *reader)
{
	for (int i = 0; i < l->depth; i++)
		if (strcmp(l->p[i].cid, cid) == 0) {
			/* The same citizen's card again: its copy renewed, nothing
			 * asked again (F5 does that). */
			if (reader)
				card_keep(a, l, i, cid, reader);
			l->focus = i;
			return;
		}
	if (l->depth == 0) {
		lookup_person_push(a, l, cid, reader, reader ? LOOKUP_CARD : LOOKUP_TYPED);
		card_keep(a, l, PARTY_GRANTOR, cid, reader);
		l->focus = PARTY_GRANTOR;
		app_message(a, false, "%s", _("Grantor read: now the grantee's card (ผู้รับมอบอำนาจ)"));
		return;
	}
	if (!reader) {
		app_message(a, true, "%s", _("Acting for someone: the grantee is read from their own card"));
		return;
	}
	if (l->depth > 1) {
		app_message(a, true, "%s", _("Both citizens are read already: f ends acting for someone, to start again"));
		return;
	}
	lookup_person_push(a, l, cid, reader, LOOKUP_CARD);
	card_keep(a, l, PARTY_GRANTEE, cid, reader);
	l->focus = PARTY_GRANTEE;
	/* Both are known: what waited for the grantee goes now. */
	for (int i = 0; i < l->depth; i++)
		if (l->p[i].pending)
			lookup_person_send(a, l, &l->p[i]);
	app_message(a, false, "%s", _("Grantee read: each is looked up under their own purpose (o: the other)"));
}

bool lookup_other(struct app *a)
{
	struct lookups *l = a->lookups;

	if (!l || !l->acting || l->depth < 2)
		return false;
	l->focus = l->focus == PARTY_GRANTOR ? PARTY_GRANTEE : PARTY_GRANTOR;
	a->dirty |= DIRTY_ALL;
	return true;
}

bool lookup_party(const struct app *a, enum lookup_party i, const char **cid,
		  const struct card_record **card, bool *shown)
{
	const struct lookups *l = a->lookups;

	if (!l || !l->acting || (int)i >= l->depth)
		return false;
	*cid = l->p[i].cid;
	*card = l->cards[i];
	*shown = lookup_top_index(l) == (int)i;
	return true;
}

const struct card_record *lookup_top_card(const struct app *a)
{
	const struct lookups *l = a->lookups;

	if (!l || !l->acting || l->depth == 0)
		return NULL;
	return l->cards[lookup_top_index(l)];
}

void lookup_acting_ref(const struct app *a, const char *cid, char *out, size_t size)
{
	const struct lookups *l = a->lookups;

	out[0] = '\0';
	if (!l || !l->acting)
		return;
	if (l->depth == 0 || (l->depth == 1 && strcmp(l->p[0].cid, cid) == 0))
		snprintf(out, size, "grantor=%s", cid);
	else if (l->depth == 1)
		snprintf(out, size, "grantor=%s grantee=%s", l->p[0].cid, cid);
	else if (strcmp(l->p[0].cid, cid) == 0 || strcmp(l->p[1].cid, cid) == 0)
		snprintf(out, size, "grantor=%s grantee=%s", l->p[0].cid, l->p[1].cid);
}
