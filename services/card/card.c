/* PC/SC side of the card service: connect, one transaction per read, and the
 * read plan that keeps the number of card exchanges low (the header in two
 * reads, address and photo number in one, the photo sized by its length
 * field). */
#include "config.h"

#include "services/card/card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <winscard.h>

#include "services/card/card_apdu.h"
#include "services/card/card_decode.h"
#include "services/card/card_pcsc.h"
#include "services/base/util.h"

_Static_assert(CARD_READER_MAX == MAX_READERNAME, "reader names as long as PC/SC's");

struct card_ctx {
	SCARDCONTEXT ctx;
};

/* A name no reader can have is the caller's mistake; cut short, it could
 * name another reader. */
static bool reader_name_ok(const char *reader)
{
	return strnlen(reader, CARD_READER_MAX) < CARD_READER_MAX;
}

struct card_link {
	SCARDCONTEXT ctx;
	const char *reader;
	SCARDHANDLE h;
	DWORD proto;
};

struct card_ctx *card_ctx_new(tb_err *err)
{
	struct card_ctx *c = calloc(1, sizeof *c);
	LONG rv;

	if (!c) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &c->ctx);
	if (rv != SCARD_S_SUCCESS) {
		free(c);
		err_set(err, err_from_pcsc(rv), rv, "SCardEstablishContext");
		return NULL;
	}
	return c;
}

void card_ctx_free(struct card_ctx **c)
{
	if (!c || !*c)
		return;
	SCardReleaseContext((*c)->ctx);
	free(*c);
	*c = NULL;
}

SCARDCONTEXT card_ctx_handle(const struct card_ctx *c)
{
	return c->ctx;
}

void card_ctx_cancel(struct card_ctx *c)
{
	if (c)
		SCardCancel(c->ctx);
}

int card_readers(struct card_ctx *c, char *buf, size_t size, tb_err *err)
{
	DWORD n = (DWORD)size;
	LONG rv;
	int count = 0;
	const char *p;

	if (size < 2)
		return err_set(err, TB_E_USAGE, 0, "readers buffer");
	rv = SCardListReaders(c->ctx, NULL, buf, &n);
	if (rv == SCARD_E_NO_READERS_AVAILABLE) {
		buf[0] = buf[1] = '\0';
		return 0;
	}
	if (rv != SCARD_S_SUCCESS)
		return err_set(err, err_from_pcsc(rv), rv, "SCardListReaders");
	for (p = buf; *p; p += strlen(p) + 1)
		count++;
	return count;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

int card_wait(struct card_ctx *c, const char *reader, int timeout_ms,
	      char *out, size_t size, tb_err *err)
{
	char names[2048];
	SCARD_READERSTATE st[16];
	struct timespec t0;
	int n = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (reader && !reader_name_ok(reader))
		return err_set(err, TB_E_USAGE, 0, "reader name too long");
	if (reader) {
		str_copy(names, sizeof names, reader);
		names[strlen(names) + 1] = '\0';
	} else {
		int count = card_readers(c, names, sizeof names, err);
		if (count < 0)
			return -1;
		if (count == 0)
			return err_set(err, TB_E_PCSC_NO_READER, 0, NULL);
	}
	for (const char *p = names; *p && n < 16; p += strlen(p) + 1, n++)
		st[n] = (SCARD_READERSTATE){ .szReader = p, .dwCurrentState = SCARD_STATE_UNAWARE };

	for (;;) {
		DWORD wait;
		LONG rv;
		double left = timeout_ms < 0 ? 0 : timeout_ms - ms_since(&t0);

		if (timeout_ms >= 0 && left < 0)
			left = 0;
		wait = timeout_ms < 0 ? INFINITE : (DWORD)left;
		rv = SCardGetStatusChange(c->ctx, wait, st, (DWORD)n);
		if (rv == SCARD_E_TIMEOUT)
			return err_set(err, TB_E_PCSC_NO_CARD, 0, NULL);
		if (rv != SCARD_S_SUCCESS)
			return err_set(err, err_from_pcsc(rv), rv, "SCardGetStatusChange");
		for (int i = 0; i < n; i++) {
			if ((st[i].dwEventState & SCARD_STATE_PRESENT) &&
			    !(st[i].dwEventState & SCARD_STATE_MUTE)) {
				if (!size || !str_copy(out, size, st[i].szReader))
					return err_set(err, TB_E_USAGE, 0, "reader name buffer");
				return 0;
			}
			if (st[i].dwEventState & SCARD_STATE_UNKNOWN)
				return err_set(err, TB_E_PCSC_READER_UNKNOWN, 0, NULL);
			st[i].dwCurrentState = st[i].dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
		}
		if (timeout_ms >= 0 && ms_since(&t0) >= timeout_ms)
			return err_set(err, TB_E_PCSC_NO_CARD, 0, NULL);
	}
}

/* Whether the card has left the reader.  pcscd learns of a removal only at
 * its next poll of the reader (every 400 ms), so wait up to three polls. */
static bool link_card_gone(struct card_link *l)
{
	SCARD_READERSTATE st = { .szReader = l->reader, .dwCurrentState = SCARD_STATE_UNAWARE };

	for (int i = 0; i < 4; i++) {
		LONG rv = SCardGetStatusChange(l->ctx, i ? 400 : 0, &st, 1);
		if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT)
			return false;
		if (st.dwEventState & SCARD_STATE_EMPTY)
			return true;
		st.dwCurrentState = st.dwEventState & ~(DWORD)SCARD_STATE_CHANGED;
	}
	return false;
}

/* A lost card shows up as a generic failure or as an answer with no status
 * word, depending on the driver; tell the two causes apart by asking the
 * reader whether the card is still there. */
static long link_transmit(void *ctx, const uint8_t *cmd, size_t clen,
			  uint8_t *resp, size_t *rlen)
{
	struct card_link *l = ctx;
	const SCARD_IO_REQUEST *pci = l->proto == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
	DWORD n = (DWORD)*rlen;
	LONG rv = SCardTransmit(l->h, pci, cmd, (DWORD)clen, NULL, resp, &n);

	if (rv == SCARD_S_SUCCESS)
		*rlen = n;
	if ((rv == SCARD_S_SUCCESS && n >= 2) || rv == SCARD_W_REMOVED_CARD ||
	    rv == SCARD_W_RESET_CARD)
		return rv;
	if (link_card_gone(l))
		return SCARD_W_REMOVED_CARD;
	return rv;
}

/* Connect SHARED (an exclusive connection made one reader reset the card on
 * re-reads).  Some readers report the card removed for a moment right after
 * insertion, so that answer gets two more tries. */
static int link_open(struct card_ctx *c, const char *reader, struct card_link *l, tb_err *err)
{
	LONG rv = SCARD_S_SUCCESS;

	l->ctx = c->ctx;
	l->reader = reader;
	for (int i = 0; i < 3; i++) {
		rv = SCardConnect(c->ctx, reader, SCARD_SHARE_SHARED,
				  SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &l->h, &l->proto);
		if (rv != SCARD_W_REMOVED_CARD && rv != SCARD_W_UNPOWERED_CARD)
			break;
		usleep(50 * 1000);
	}
	if (rv != SCARD_S_SUCCESS)
		return err_set(err, err_from_pcsc(rv), rv, "SCardConnect");
	rv = SCardBeginTransaction(l->h);
	if (rv == SCARD_W_RESET_CARD) {
		/* Another program reset the card since we connected: take up
		 * the new state and try once more. */
		rv = SCardReconnect(l->h, SCARD_SHARE_SHARED,
				    SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, SCARD_LEAVE_CARD, &l->proto);
		if (rv == SCARD_S_SUCCESS)
			rv = SCardBeginTransaction(l->h);
	}
	if (rv != SCARD_S_SUCCESS) {
		SCardDisconnect(l->h, SCARD_LEAVE_CARD);
		return err_set(err, err_from_pcsc(rv), rv, "SCardBeginTransaction");
	}
	return 0;
}

static void link_close(struct card_link *l)
{
	SCardEndTransaction(l->h, SCARD_LEAVE_CARD);
	SCardDisconnect(l->h, SCARD_LEAVE_CARD);
}

/* Reads `want` bytes from off in 255-byte commands, reporting progress. */
static int read_span(struct card_io *io, uint16_t off, size_t want, uint8_t *out,
		     const struct card_read_cb *cb, size_t done_base, size_t total, tb_err *err)
{
	for (size_t got = 0; got < want;) {
		uint8_t n = (uint8_t)(want - got > 255 ? 255 : want - got);
		if (apdu_read(io, (uint16_t)(off + got), n, out + got, err))
			return -1;
		got += n;
		if (cb && cb->progress && total)
			cb->progress(cb->ud, done_base + got, total);
	}
	return 0;
}

static void read_part(const struct card_read_cb *cb, const struct card_record *r)
{
	if (cb && cb->part)
		cb->part(cb->ud, r);
}

/* The photo: sized by its length field when that is sane, else the whole
 * 5100-byte area.  A field shorter than the JPEG (no end marker within it)
 * makes the read go on to the end of the area before giving up. */
static int read_photo(struct card_io *io, const uint8_t *hdr, struct card_record *r,
		      const struct card_read_cb *cb, struct card_read_stats *st, tb_err *err)
{
	uint8_t *buf = malloc(CARD_PHOTO_MAX);
	size_t want = card_photo_len_field(hdr), jlen = 0;
	int rc = -1;

	if (!buf)
		return err_set(err, TB_E_NOMEM, 0, "photo");
	if (want == 0) {
		want = CARD_PHOTO_MAX;
		st->photo_len_fallback = true;
	}
	if (read_span(io, CARD_OFF_PHOTO, want, buf, cb, 0, want, err))
		goto out;
	if (jpeg_extent(buf, want, &jlen) && want < CARD_PHOTO_MAX) {
		size_t more = CARD_PHOTO_MAX - want;
		st->photo_len_fallback = true;
		if (read_span(io, (uint16_t)(CARD_OFF_PHOTO + want), more, buf + want,
			      cb, want, CARD_PHOTO_MAX, err))
			goto out;
		want = CARD_PHOTO_MAX;
	}
	if (jpeg_extent(buf, want, &jlen)) {
		card_record_warn(r, CARD_FLAG_PHOTO_BAD, TB_E_CARD_PHOTO, (long)want, "photo");
	} else {
		r->photo = malloc(jlen);
		if (!r->photo) {
			err_set(err, TB_E_NOMEM, 0, "photo");
			goto out;
		}
		memcpy(r->photo, buf, jlen);
		r->photo_len = jlen;
	}
	r->have |= CARD_HAVE_PHOTO;
	rc = 0;
out:
	explicit_bzero(buf, CARD_PHOTO_MAX);
	free(buf);
	return rc;
}

static int read_record(struct card_ctx *c, const char *reader, unsigned flags,
		       const struct card_read_cb *cb, struct card_record *r,
		       struct card_read_stats *st, tb_err *err)
{
	struct card_link link = { 0 };
	struct card_io io = { .transmit = link_transmit, .ctx = &link };
	uint8_t hdr[CARD_LEN_HEADER], tail[CARD_LEN_TAIL], atr[MAX_ATR_SIZE];
	DWORD state, proto, alen = sizeof atr;
	struct timespec t0;
	int rc = -1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (link_open(c, reader, &link, err))
		return -1;
	str_copy(r->reader, sizeof r->reader, reader);
	/* The ATR comes from SCardStatus: some drivers (vpcd among them) do
	 * not support SCardGetAttrib for it. */
	if (SCardStatus(link.h, NULL, NULL, &state, &proto, atr, &alen) == SCARD_S_SUCCESS)
		hex_encode(atr, alen, r->atr_hex, sizeof r->atr_hex);

	if (apdu_select_citizen(&io, err))
		goto out;
	if (apdu_read(&io, CARD_OFF_HEADER, 255, hdr, err) ||
	    apdu_read(&io, CARD_OFF_HEADER + 255, CARD_LEN_HEADER - 255, hdr + 255, err))
		goto out;
	card_header_decode(hdr, r);
	st->ms_text = ms_since(&t0);
	read_part(cb, r);

	if (apdu_read(&io, CARD_OFF_ADDRESS, CARD_LEN_TAIL, tail, err))
		goto out;
	card_tail_decode(tail, r);
	read_part(cb, r);

	if (flags & CARD_READ_PHOTO) {
		if (read_photo(&io, hdr, r, cb, st, err))
			goto out;
		read_part(cb, r);
	}
	rc = 0;
out:
	explicit_bzero(hdr, sizeof hdr);
	explicit_bzero(tail, sizeof tail);
	link_close(&link);
	st->exchanges = io.exchanges;
	st->bytes_sent = io.bytes_sent;
	st->bytes_received = io.bytes_received;
	st->ms_total = ms_since(&t0);
	return rc;
}

int card_read(struct card_ctx *c, const char *reader, unsigned flags,
	      const struct card_read_cb *cb, struct card_record **out,
	      struct card_read_stats *stats, tb_err *err)
{
	struct card_read_stats local = { 0 };
	struct card_record *r;
	char chosen[sizeof ((struct card_record *)0)->reader];

	*out = NULL;
	if (!stats)
		stats = &local;
	*stats = (struct card_read_stats){ 0 };
	if (!reader) {
		if (card_wait(c, NULL, 0, chosen, sizeof chosen, err))
			return -1;
		reader = chosen;
	} else if (!reader_name_ok(reader)) {
		return err_set(err, TB_E_USAGE, 0, "reader name too long");
	}
	r = card_record_new();
	if (!r)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	if (read_record(c, reader, flags, cb, r, stats, err)) {
		card_record_free(&r);
		return -1;
	}
	*out = r;
	return 0;
}
