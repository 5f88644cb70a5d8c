/* The APDU layer against a card that answers with the fuzzer's bytes: the
 * SELECT, then READ BINARYs with their GET RESPONSEs.  The input is a
 * stream: a read's length is one byte, each card answer two bytes of
 * length (big-endian) and its bytes.  Nothing is asserted: a copy past
 * the buffer a read asked for is ASan's to see (out is exactly len). */
#include "config.h"

#include "tests/fuzz/fuzz.h"

#include "services/card/card_apdu.h"

/* SCARD_E_NOT_TRANSACTED: what a card gone mid-command gives. */
#define CARD_GONE 0x80100016L

struct stream {
	const uint8_t *p;
	size_t n;
};

static int take(struct stream *s, size_t want, const uint8_t **out, size_t *got)
{
	*out = s->p;
	*got = want < s->n ? want : s->n;
	s->p += *got;
	s->n -= *got;
	return *got > 0 ? 0 : -1;
}

static long transmit(void *ctx, const uint8_t *cmd, size_t clen, uint8_t *resp, size_t *rlen)
{
	struct stream *s = ctx;
	const uint8_t *b, *a;
	size_t got, n;

	if (take(s, 2, &b, &got) || got < 2)
		return CARD_GONE;
	take(s, (size_t)b[0] << 8 | b[1], &a, &n);
	/* As PC/SC does: never more than the caller's room. */
	if (n > *rlen)
		n = *rlen;
	memcpy(resp, a, n);
	*rlen = n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stream s = { data, size };
	struct card_io io = { .transmit = transmit, .ctx = &s };
	tb_err e = { 0 };

	if (apdu_select_citizen(&io, &e))
		return 0;
	for (uint16_t off = 0; s.n > 0; off += 0x100) {
		const uint8_t *b;
		size_t got;
		uint8_t *out;

		take(&s, 1, &b, &got);
		if (!(out = malloc(b[0] ? b[0] : 1)))
			return 0;
		(void)apdu_read(&io, off, b[0], out, &e);
		free(out);
	}
	return 0;
}
