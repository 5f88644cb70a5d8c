/* T=0 command handling for the Thai ID card (see card-protocol notes in
 * card_apdu.h).  Every status word the card may answer is either handled or
 * turned into an error value with the status word as detail. */
#include "config.h"

#include "services/card/card_apdu.h"

#include <string.h>

#define SW(hi, lo) ((unsigned)(hi) << 8 | (lo))

static const uint8_t select_citizen[] = {
	0x00, 0xA4, 0x04, 0x00, 0x08, 0xA0, 0x00, 0x00, 0x00, 0x54, 0x48, 0x00, 0x01
};

static int apdu_xmit(struct card_io *io, const uint8_t *cmd, size_t clen,
		     uint8_t *resp, size_t *rlen, tb_err *err)
{
	size_t cap = *rlen;
	long rv = io->transmit(io->ctx, cmd, clen, resp, rlen);

	io->exchanges++;
	io->bytes_sent += clen;
	if (rv != 0)
		return err_set(err, err_from_pcsc(rv), rv, "transmit");
	if (*rlen < 2 || *rlen > cap)
		return err_set(err, TB_E_CARD_STATUS, 0, "no status word");
	io->bytes_received += *rlen;
	return 0;
}

int apdu_select_citizen(struct card_io *io, tb_err *err)
{
	uint8_t resp[APDU_RESP_MAX];
	size_t n = sizeof resp;
	unsigned sw;

	if (apdu_xmit(io, select_citizen, sizeof select_citizen, resp, &n, err))
		return -1;
	sw = SW(resp[n - 2], resp[n - 1]);
	/* The card answers 61 0A; the FCI it offers is not needed, so no GET
	 * RESPONSE is spent on it (the next command simply drops it). */
	if ((sw >> 8) == 0x61 || sw == 0x9000)
		return 0;
	if (sw == 0x6A82 || sw == 0x6A81 || sw == 0x6D00 || sw == 0x6E00 || sw == 0x6999)
		return err_set(err, TB_E_CARD_NOT_THAI_ID, (long)sw, "select");
	return err_set(err, TB_E_CARD_STATUS, (long)sw, "select");
}

/* Fetch a pending answer of `want` bytes into out, which holds `cap`.  6C xx
 * asks for a repeat with the right Le; a card that refuses P2=00 (6A 86 /
 * 6B 00) gets P2=01 once, and the choice is kept for the rest of the read.
 * Every length here comes from the card, so each is held against `cap` before
 * anything is copied: a card that offers more than was asked is refused. */
static int apdu_get_response(struct card_io *io, uint8_t want, uint8_t cap, uint8_t *out,
			     uint8_t *got, tb_err *err)
{
	uint8_t resp[APDU_RESP_MAX];
	uint8_t cmd[5] = { 0x00, 0xC0, 0x00, io->gr_p2, want };
	int tries;

	for (tries = 0; tries < 3; tries++) {
		size_t n = sizeof resp;
		unsigned sw;

		cmd[3] = io->gr_p2;
		if (apdu_xmit(io, cmd, sizeof cmd, resp, &n, err))
			return -1;
		sw = SW(resp[n - 2], resp[n - 1]);
		if (sw == 0x9000) {
			if (n - 2 > cap)
				return err_set(err, TB_E_CARD_OVERLONG, (long)(n - 2), "get response");
			memcpy(out, resp, n - 2);
			*got = (uint8_t)(n - 2);
			return 0;
		}
		if ((sw >> 8) == 0x6C && (sw & 0xFF) != 0) {
			if ((sw & 0xFF) > cap)
				return err_set(err, TB_E_CARD_OVERLONG, (long)sw, "get response");
			cmd[4] = (uint8_t)(sw & 0xFF);
			continue;
		}
		if ((sw == 0x6A86 || sw == 0x6B00) && io->gr_p2 == 0) {
			io->gr_p2 = 1;
			continue;
		}
		return err_set(err, TB_E_CARD_STATUS, (long)sw, "get response");
	}
	return err_set(err, TB_E_CARD_STATUS, 0x6C00, "get response");
}

int apdu_read(struct card_io *io, uint16_t off, uint8_t len, uint8_t *out, tb_err *err)
{
	uint8_t cmd[7] = { 0x80, 0xB0, (uint8_t)(off >> 8), (uint8_t)off, 0x02, 0x00, len };
	uint8_t resp[APDU_RESP_MAX];
	size_t n = sizeof resp;
	uint8_t got = 0;
	unsigned sw;

	if (len == 0)
		return err_set(err, TB_E_USAGE, 0, "read length");
	if (apdu_xmit(io, cmd, sizeof cmd, resp, &n, err))
		return -1;
	sw = SW(resp[n - 2], resp[n - 1]);
	if (sw == 0x9000) {
		/* A reader that handles T=0 itself hands the data over directly. */
		if (n - 2 > len)
			return err_set(err, TB_E_CARD_OVERLONG, (long)(n - 2), "read");
		if (n - 2 != len)
			return err_set(err, TB_E_CARD_SHORT, (long)(n - 2), "read");
		memcpy(out, resp, len);
		return 0;
	}
	if ((sw >> 8) != 0x61)
		return err_set(err, TB_E_CARD_STATUS, (long)sw, "read");
	/* 61 00 offers 256 bytes, more than any read asks for. */
	if ((sw & 0xFF) == 0 || (sw & 0xFF) > len)
		return err_set(err, TB_E_CARD_OVERLONG, (long)sw, "read");
	if (apdu_get_response(io, (uint8_t)(sw & 0xFF), len, out, &got, err))
		return -1;
	if (got != len)
		return err_set(err, TB_E_CARD_SHORT, (long)got, "read");
	return 0;
}
