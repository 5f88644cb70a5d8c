/* The card thread: watches every reader (readers coming and going too), reads
 * each inserted card, and posts what happens as events on a socket the UI
 * polls.  The UI never blocks on the card. */
#ifndef TABIEN_CARD_MONITOR_H
#define TABIEN_CARD_MONITOR_H

#include <stdbool.h>

#include "services/card/card.h"
#include "services/card/card_record.h"
#include "services/base/errors.h"

enum card_event_type {
	CARD_EV_SERVICE,        /* pcscd reachable (err.id == TB_OK) or not */
	CARD_EV_READER_ADDED,
	CARD_EV_READER_REMOVED,
	CARD_EV_INSERTED,       /* atr_hex set; a read starts */
	CARD_EV_PRESENT,        /* a card was already there and is left unread */
	CARD_EV_HELD,           /* a card came in and waits unread (opts.hold) */
	CARD_EV_DATA,           /* rec: the record so far (rec->have says what) */
	CARD_EV_PROGRESS,       /* done / total photo bytes */
	CARD_EV_DONE,           /* rec: the whole record; stats */
	CARD_EV_REMOVED,
	CARD_EV_ERROR,          /* err: a read failed, or the reader did */
};

struct card_event {
	enum card_event_type type;
	char reader[128];
	char atr_hex[72];
	unsigned done, total;
	struct card_record *rec;   /* owned by the receiver: card_event_clear() */
	struct card_read_stats stats;
	tb_err err;
};

struct card_monitor_opts {
	bool read_photo;
	/* Cards already in a reader when the monitor starts are reported
	 * (CARD_EV_PRESENT) but not read: after an unlock, the card left in the
	 * reader is read again only when asked (card_monitor_reread). */
	bool leave_present;
	/* A card inserted is reported (CARD_EV_HELD, its ATR from pcscd: not
	 * one command sent to it) and read only when asked
	 * (card_monitor_reread): the front end checks first that the one
	 * logged in may read cards. */
	bool hold;
	int retry_ms;              /* pause before trying pcscd again; 0: 1000 */
};

struct card_monitor;

struct card_monitor *card_monitor_start(const struct card_monitor_opts *opts, tb_err *err);
/* Readable when an event waits. */
int card_monitor_fd(const struct card_monitor *m);
/* Takes one event without blocking: 1 got one, 0 none waiting, -1 the
 * monitor has stopped. */
int card_monitor_next(struct card_monitor *m, struct card_event *ev);
/* Frees (and wipes) the record an event carries. */
void card_event_clear(struct card_event *ev);
/* Asks for the card in `reader` to be read again (posts INSERTED, DATA ...
 * as for a new card).  Ignored when that reader holds no card. */
void card_monitor_reread(struct card_monitor *m, const char *reader);
/* Stops the thread, drops queued events (wiping their records), frees. */
void card_monitor_stop(struct card_monitor **m);

const char *card_event_name(enum card_event_type t);

#endif
