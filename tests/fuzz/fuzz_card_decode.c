/* The card decoders on what a card could send: the input is the header
 * (379 bytes), the address and photo number (174), then the photo area,
 * each copied into a buffer of exactly its size so a read past it shows.
 * The whole input also goes through the text decoders on its own. */
#include "config.h"

#include "tests/fuzz/fuzz.h"

#include "services/card/card_decode.h"
#include "services/card/card_record.h"

/* A heap copy of n bytes of data from off, zeros where the input ends. */
static uint8_t *part(const uint8_t *data, size_t size, size_t off, size_t n)
{
	uint8_t *p = calloc(1, n ? n : 1);

	if (p && off < size)
		memcpy(p, data + off, size - off < n ? size - off : n);
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t rest = size > CARD_LEN_HEADER + CARD_LEN_TAIL ? size - CARD_LEN_HEADER - CARD_LEN_TAIL : 0;
	uint8_t *hdr = part(data, size, 0, CARD_LEN_HEADER);
	uint8_t *tail = part(data, size, CARD_LEN_HEADER, CARD_LEN_TAIL);
	uint8_t *photo = part(data, size, CARD_LEN_HEADER + CARD_LEN_TAIL, rest);
	uint8_t *date = part(data, size, 0, 8);
	struct card_record *r = card_record_new();
	char *text = fuzz_text(data, size), small[16], *big = malloc(size * 3 + 1);
	struct card_name name;
	struct card_address addr;
	struct card_date d;
	size_t len;
	long bad;

	if (hdr && tail && photo && date && r && text && big) {
		card_header_decode(hdr, r);
		card_tail_decode(tail, r);
		(void)card_photo_len_field(hdr);
		(void)jpeg_extent(photo, rest, &len);
		(void)card_date_parse(date, &d);
		(void)card_gender_parse(size ? data[0] : 0);
		/* Both a cut (small) and a whole (big) decode. */
		(void)tis620_decode(data, size, small, sizeof small, &bad, NULL);
		(void)tis620_decode(data, size, big, size * 3 + 1, &bad, NULL);
		(void)ascii_field(data, size, small, sizeof small);
		card_name_parse(text, &name);
		card_address_parse(text, &addr);
		(void)cid_valid(text);
	}
	card_record_free(&r);
	free(hdr);
	free(tail);
	free(photo);
	free(date);
	free(text);
	free(big);
	return 0;
}
