/* The Thai ID card's command set over a T=0 link: SELECT, the proprietary
 * READ BINARY, and the GET RESPONSE dance (61 xx, 6C xx).  The link itself is
 * a callback so that the same code runs over PC/SC and over a test double. */
#ifndef TABIEN_CARD_APDU_H
#define TABIEN_CARD_APDU_H

#include <stddef.h>
#include <stdint.h>

#include "services/base/errors.h"

/* Largest answer: 255 data bytes + SW1 SW2 (plus slack for odd cards). */
#define APDU_RESP_MAX 260

struct card_io {
	/* Sends one command and fills resp (capacity *rlen, set to the length
	 * received).  Returns a PC/SC code: 0 on success. */
	long (*transmit)(void *ctx, const uint8_t *cmd, size_t clen,
			 uint8_t *resp, size_t *rlen);
	void *ctx;
	uint8_t gr_p2;       /* GET RESPONSE P2; becomes 1 if the card refuses 0 */
	unsigned exchanges;  /* commands sent, for diagnostics and benchmarks */
	size_t bytes_sent;
	size_t bytes_received;
};

/* SELECT the citizen applet.  TB_E_CARD_NOT_THAI_ID when the card has no such
 * applet. */
int apdu_select_citizen(struct card_io *io, tb_err *err);

/* Read exactly len (1..255) bytes at off into out, or fail. */
int apdu_read(struct card_io *io, uint16_t off, uint8_t len, uint8_t *out, tb_err *err);

#endif
