/* Reading a Thai ID card through PC/SC.  Blocking calls: the program runs them
 * on the card thread (card_monitor.h); the command line calls them directly. */
#ifndef TABIEN_CARD_H
#define TABIEN_CARD_H

#include <stdbool.h>
#include <stddef.h>

#include "services/card/card_record.h"
#include "services/base/errors.h"

struct card_ctx; /* one PC/SC context; use it from one thread */

struct card_ctx *card_ctx_new(tb_err *err);
void card_ctx_free(struct card_ctx **c);

/* Reader names as a list of NUL-terminated strings ending with an empty one
 * (PC/SC's multi-string), copied into buf.  Returns the count, 0 when there
 * is no reader, -1 on error. */
int card_readers(struct card_ctx *c, char *buf, size_t size, tb_err *err);

/* Wait up to timeout_ms (-1: forever) until a card is present in `reader`
 * (NULL: any reader); the chosen reader's name goes to out.  0 ok, -1 error
 * (TB_E_PCSC_NO_CARD on time-out; TB_E_USAGE for a name of CARD_READER_MAX
 * bytes or more, or an out too small for the name). */
int card_wait(struct card_ctx *c, const char *reader, int timeout_ms,
	      char *out, size_t size, tb_err *err);

enum { CARD_READ_PHOTO = 1u << 0 };

struct card_read_stats {
	unsigned exchanges;     /* commands sent to the card */
	size_t bytes_sent;
	size_t bytes_received;
	double ms_text;         /* connect to name and ID decoded */
	double ms_total;        /* connect to the end of the read */
	bool photo_len_fallback; /* the photo length field was unusable */
};

/* Called on the reading thread as the record grows (header, then address,
 * then photo) and as photo bytes arrive.  Both may be NULL. */
struct card_read_cb {
	void (*part)(void *ud, const struct card_record *r);
	void (*progress)(void *ud, size_t done, size_t total);
	void *ud;
};

/* One whole read in one transaction: the text first, then (with
 * CARD_READ_PHOTO) the photo.  reader NULL: the first reader with a card; a
 * name of CARD_READER_MAX bytes or more is TB_E_USAGE.
 * On success *out owns the record (free with card_record_free); on failure
 * nothing half-read is returned.  stats may be NULL. */
int card_read(struct card_ctx *c, const char *reader, unsigned flags,
	      const struct card_read_cb *cb, struct card_record **out,
	      struct card_read_stats *stats, tb_err *err);

/* Cancel a blocking card_wait() from another thread. */
void card_ctx_cancel(struct card_ctx *c);

#endif
