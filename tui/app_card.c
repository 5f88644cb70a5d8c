/* The readers and what is in them: the card monitor's events change them,
 * start the registry lookups for a card read, and wipe a card's data the
 * moment it leaves.  The monitor runs only while someone is logged in (and on
 * the registration form, for the officer's own card). */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "services/base/configfile.h"
#include "services/base/util.h"
#include "services/card/card_record.h"
#include "tui/app_private.h"
#include "tui/i18n.h"
#include "tui/lookup.h"
#include "tui/pane.h"
#include "tui/photo.h"

static void reader_wipe(struct reader_state *r)
{
	card_record_free(&r->rec);
	photo_free(&r->photo);
	r->done = r->total = 0;
	r->refused = false;
}

/* A card is read for someone holding the card right, asked afresh (a
 * grant or revocation at another terminal counts at the next card).
 * Without it nothing of the card is read: the refusal is shown, with who
 * can grant it, and on record (right.refused) once for this card. */
static void app_card_ask(struct app *a, struct reader_state *r)
{
	if (!a->mon || !a->logged_in || !app_account_active(a))
		return;
	if (!app_ask_right(a, RIGHT_CARD, NULL)) {
		r->refused = true;
		return;
	}
	r->reading = true;
	card_monitor_reread(a->mon, r->name);
	app_message(a, false, "%s", _("Reading the card…"));
}

static struct reader_state *reader_find(struct app *a, const char *name)
{
	for (int i = 0; i < a->nreaders; i++)
		if (strcmp(a->readers[i].name, name) == 0)
			return &a->readers[i];
	return NULL;
}

static void reader_add(struct app *a, const char *name)
{
	struct reader_state *r;

	if (reader_find(a, name) || a->nreaders == APP_MAX_READERS)
		return;
	r = &a->readers[a->nreaders++];
	*r = (struct reader_state){ 0 };
	str_copy(r->name, sizeof r->name, name);
	if (a->active < 0)
		a->active = a->nreaders - 1;
}

void app_readers_wipe(struct app *a)
{
	for (int i = 0; i < a->nreaders; i++)
		reader_wipe(&a->readers[i]);
}

static void reader_remove(struct app *a, const char *name)
{
	struct reader_state *r = reader_find(a, name);
	int i;

	if (!r)
		return;
	i = (int)(r - a->readers);
	reader_wipe(r);
	memmove(r, r + 1, sizeof *r * (size_t)(a->nreaders - i - 1));
	a->nreaders--;
	if (a->active >= a->nreaders)
		a->active = a->nreaders - 1;
}

/* The reader a new card went into becomes the one shown, unless the one
 * shown still holds a card. */
static void reader_follow(struct app *a, struct reader_state *r)
{
	struct reader_state *cur = app_reader(a);
	if (!cur || !cur->present || cur == r)
		a->active = (int)(r - a->readers);
}

/* Linkage Center 2 signs the officer in with their card's chip number.
 * Where the chip number lives on the card is not public: lk2.chip_field
 * names the card field that holds it (photo_no, the number printed under
 * the photo, by default; or request_no). */
static const char *officer_chip(struct app *a, const struct card_record *rec)
{
	const char *f = config_get(&a->cfg, "lk2.chip_field");

	return f && strcmp(f, "request_no") == 0 ? rec->request_no : rec->photo_no;
}

void app_card_event(struct app *a, struct card_event *ev)
{
	struct reader_state *r = ev->reader[0] ? reader_find(a, ev->reader) : NULL;

	if (a->pane->card && a->pane->card(a, ev))
		return;

	switch (ev->type) {
	case CARD_EV_SERVICE:
		/* "Ready" only when it comes back: at start it would hide the
		 * login's own message. */
		if (ev->err.id != TB_OK)
			app_error(a, NULL, &ev->err);
		else if (a->service == 0)
			app_message(a, false, "%s", _("Card service ready"));
		a->service = ev->err.id == TB_OK;
		a->service_err = ev->err;
		break;
	case CARD_EV_READER_ADDED:
		reader_add(a, ev->reader);
		break;
	case CARD_EV_READER_REMOVED:
		reader_remove(a, ev->reader);
		break;
	case CARD_EV_INSERTED:
		if (!r)
			break;
		reader_wipe(r);
		lookup_card_gone(a, r->name);
		r->present = r->reading = true;
		r->err = (tb_err){ 0 };
		str_copy(r->atr, sizeof r->atr, ev->atr_hex);
		reader_follow(a, r);
		app_message(a, false, "%s", _("Reading the card…"));
		break;
	case CARD_EV_PRESENT:
		if (!r)
			break;
		r->present = true;
		r->reading = false;
		str_copy(r->atr, sizeof r->atr, ev->atr_hex);
		reader_follow(a, r);
		break;
	case CARD_EV_HELD:
		if (!r)
			break;
		reader_wipe(r);
		lookup_card_gone(a, r->name);
		r->present = true;
		r->reading = false;
		r->err = (tb_err){ 0 };
		str_copy(r->atr, sizeof r->atr, ev->atr_hex);
		reader_follow(a, r);
		app_card_ask(a, r);
		break;
	case CARD_EV_DATA:
		if (!r)
			break;
		card_record_free(&r->rec);
		r->rec = ev->rec;
		r->read_at = time(NULL);
		ev->rec = NULL;
		break;
	case CARD_EV_PROGRESS:
		if (!r)
			break;
		r->done = ev->done;
		r->total = ev->total;
		/* Only the progress bar changes: no need for the status bar. */
		a->dirty |= DIRTY_MAIN;
		return;
	case CARD_EV_DONE:
		if (!r)
			break;
		/* An account suspended while logged in is stopped before it
		 * sees another card. */
		if (a->logged_in && !app_account_active(a)) {
			card_record_free(&ev->rec);
			return;
		}
		app_audit_card(a, ev);
		card_record_free(&r->rec);
		r->rec = ev->rec;
		r->read_at = time(NULL);
		ev->rec = NULL;
		r->reading = false;
		r->stats = ev->stats;
		r->have_stats = true;
		if (r->rec->photo) {
			tb_err perr = { 0 };
			r->photo = photo_new(r->rec->photo, r->rec->photo_len, &perr);
			if (!r->photo) {
				app_error(a, r->name, &perr);
				break;
			}
		}
		app_message(a, r->rec->nwarn > 0, "%s", r->rec->nwarn
			    ? _("Card read, with problems: see the marked fields")
			    : _("Card read"));
		/* The registry's side, at once and in the background.  The
		 * officer's own card (in a second reader, or before the
		 * citizen's) is their sign-in to the Linkage Center instead. */
		if (a->logged_in && !(r->rec->flags & CARD_FLAG_CID_BAD)) {
			if (strcmp(r->rec->cid, a->user.cid) != 0)
				lookup_start(a, r->rec->cid, r->name);
			else
				lookup_officer_card(a, r->rec->cid, officer_chip(a, r->rec));
		}
		break;
	case CARD_EV_REMOVED:
		if (!r)
			break;
		reader_wipe(r);
		lookup_card_gone(a, r->name);
		r->present = r->reading = false;
		app_message(a, false, "%s", _("Card removed: its data was cleared from the screen"));
		break;
	case CARD_EV_ERROR:
		app_audit_card(a, ev);
		if (r) {
			r->reading = false;
			r->err = ev->err;
			reader_wipe(r);
			lookup_card_gone(a, r->name);
		}
		app_error(a, ev->reader, &ev->err);
		break;
	}
	a->dirty |= DIRTY_MAIN | DIRTY_STATUS;
}

void app_card_reread(struct app *a)
{
	struct reader_state *r = app_reader(a);

	/* Nothing to read: said, with what to do, rather than nothing at all. */
	if (a->service == 0)
		app_message(a, true, "%s", _("No card to read: pcscd is not running"));
	else if (!r || !a->mon)
		app_message(a, true, "%s", _("No card to read: no reader"));
	else if (!r->present)
		app_message(a, true, "%s", _("No card in the reader"));
	else if (a->logged_in) {
		app_card_ask(a, r);
		a->dirty |= DIRTY_MAIN;
	} else {
		card_monitor_reread(a->mon, r->name);
		a->dirty |= DIRTY_MAIN;
	}
}

void app_cards(struct app *a, bool on, bool photo, bool leave_present)
{
	struct card_monitor_opts mo = { .read_photo = photo, .leave_present = leave_present,
					.hold = a->logged_in };
	tb_err err = { 0 };

	/* Stopping drops every record and photo with their readers. */
	card_monitor_stop(&a->mon);
	app_readers_wipe(a);
	lookup_clear(a);
	a->nreaders = 0;
	a->active = -1;
	a->service = -1;
	if (!on)
		return;
	a->mon = card_monitor_start(&mo, &err);
	if (!a->mon)
		app_error(a, NULL, &err);
}
