/* The card targets' seeds, made from the test citizens at build time so
 * no card image is kept in the tree:
 *   mkseeds FIXTURES OUT
 * writes OUT/card_decode/NAME (header, address and photo number, photo)
 * and OUT/card_apdu/NAME-KIND (the card's answers to a read, in the
 * stream fuzz_card_apdu.c reads: T=0, data at once, 6C xx, P2 refused). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "services/card/card_decode.h"
#include "sim/vcard_image.h"

static const char *const names[] = { "somchai", "malee", "boonruen", "thana" };
static const char *const kinds[] = { "t0", "t1", "6c", "p2" };

struct buf {
	unsigned char b[16384];
	size_t n;
};

static void put(struct buf *o, const void *p, size_t n)
{
	if (n > sizeof o->b - o->n) {
		fprintf(stderr, "mkseeds: seed too large\n");
		exit(1);
	}
	if (n)
		memcpy(o->b + o->n, p, n);
	o->n += n;
}

/* One card answer: its length (two bytes) and its bytes, then SW1 SW2. */
static void answer(struct buf *o, const unsigned char *data, size_t n, unsigned sw)
{
	unsigned char len[2] = { (unsigned char)((n + 2) >> 8), (unsigned char)(n + 2) };
	unsigned char s[2] = { (unsigned char)(sw >> 8), (unsigned char)sw };

	put(o, len, 2);
	put(o, data, n);
	put(o, s, 2);
}

static int save(const char *dir, const char *name, const struct buf *o)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "w")) || fwrite(o->b, o->n, 1, f) != 1 || fclose(f)) {
		fprintf(stderr, "mkseeds: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A read of the header in two commands (255 and 124 bytes) as kind answers it. */
static void reads(struct buf *o, const unsigned char *img, int kind)
{
	const size_t part[2] = { 255, CARD_LEN_HEADER - 255 };
	size_t off = 0;

	answer(o, NULL, 0, 0x610A);     /* SELECT */
	for (int i = 0; i < 2; off += part[i], i++) {
		unsigned char len = (unsigned char)part[i];

		put(o, &len, 1);
		if (kind == 1) {
			answer(o, img + off, len, 0x9000);
			continue;
		}
		answer(o, NULL, 0, 0x6100 | len);
		if (kind == 2 && i == 0)
			answer(o, NULL, 0, 0x6C00 | len);
		if (kind == 3 && i == 0)
			answer(o, NULL, 0, 0x6A86);
		answer(o, img + off, len, 0x9000);
	}
}

int main(int argc, char **argv)
{
	static struct vcard_card card;
	char err[VCARD_ERR_MAX], path[1024], dec[1024], apdu[1024];

	if (argc != 3) {
		fprintf(stderr, "usage: mkseeds FIXTURES OUT\n");
		return 2;
	}
	snprintf(dec, sizeof dec, "%s/card_decode", argv[2]);
	snprintf(apdu, sizeof apdu, "%s/card_apdu", argv[2]);
	mkdir(argv[2], 0755);
	mkdir(dec, 0755);
	mkdir(apdu, 0755);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		static struct buf o;

		snprintf(path, sizeof path, "%s/%s.card", argv[1], names[i]);
		if (vcard_image_load(&card, path, 0, err, sizeof err)) {
			fprintf(stderr, "mkseeds: %s\n", err);
			return 1;
		}
		o.n = 0;
		put(&o, card.image, CARD_LEN_HEADER);
		put(&o, card.image + CARD_OFF_ADDRESS, CARD_LEN_TAIL);
		put(&o, card.image + CARD_OFF_PHOTO, card.photo_len);
		if (save(dec, names[i], &o))
			return 1;
		for (int k = 0; k < 4; k++) {
			char name[64];

			o.n = 0;
			reads(&o, card.image, k);
			snprintf(name, sizeof name, "%s-%s", names[i], kinds[k]);
			if (save(apdu, name, &o))
				return 1;
		}
	}
	return 0;
}
