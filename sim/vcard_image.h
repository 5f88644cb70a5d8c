/* The virtual card's memory: a fixture file turned into the byte image the
 * citizen applet serves, plus the odd-card switches that bend it. */
#ifndef TABIEN_SIM_VCARD_IMAGE_H
#define TABIEN_SIM_VCARD_IMAGE_H

#include <stddef.h>

enum {
	VCARD_IMAGE_SIZE = 0x1627,
	VCARD_PHOTO_MAX = 5100,
	VCARD_ATR_MAX = 33,
	VCARD_ERR_MAX = 512,
};

/* X(id, name, what it does): every --odd switch, declared once. */
#define VCARD_ODDS(X) \
	X(VCARD_ODD_LIFELONG, "lifelong", "expiry 99999999") \
	X(VCARD_ODD_UNKNOWN_BIRTH_DAY, "unknown-birth-day", "birth day 00") \
	X(VCARD_ODD_UNKNOWN_BIRTH_DATE, "unknown-birth-date", "birth month and day 00") \
	X(VCARD_ODD_BAD_TIS620, "bad-tis620", "2nd byte of the Thai first name is 0xFF") \
	X(VCARD_ODD_BAD_CHECKSUM, "bad-checksum", "last CID digit off by one") \
	X(VCARD_ODD_BAD_DATE, "bad-date", "issue date 25641399") \
	X(VCARD_ODD_NO_PHOTO_LENGTH, "no-photo-length", "photo length field 0x0000") \
	X(VCARD_ODD_BAD_PHOTO_LENGTH, "bad-photo-length", "photo length field 0xFFFF") \
	X(VCARD_ODD_SHORT_PHOTO_LENGTH, "short-photo-length", "photo length field = half the JPEG") \
	X(VCARD_ODD_TRUNCATED_PHOTO, "truncated-photo", "only the first half of the JPEG on the card") \
	X(VCARD_ODD_NO_APPLET, "no-applet", "citizen SELECT answers 6A 82") \
	X(VCARD_ODD_WRONG_SW, "wrong-sw", "every READ BINARY answers 6F 00") \
	X(VCARD_ODD_SHORT_READ, "short-read", "GET RESPONSE after READ BINARY is 1 byte short") \
	X(VCARD_ODD_T1, "t1", "READ BINARY answers data + 90 00 directly") \
	X(VCARD_ODD_GR_6C, "gr-6c", "first GET RESPONSE after READ BINARY answers 6C xx") \
	X(VCARD_ODD_OVERLONG, "overlong", "every READ BINARY answers 61 FF, GET RESPONSE 255 bytes") \
	X(VCARD_ODD_GR_6C_MORE, "gr-6c-more", "GET RESPONSE after READ BINARY answers 6C FF, then 255 bytes")

enum vcard_odd {
#define VCARD_ODD_ENUM(id, name, help) id,
	VCARD_ODDS(VCARD_ODD_ENUM)
#undef VCARD_ODD_ENUM
	VCARD_ODD_COUNT
};

#define VCARD_ODD_BIT(id) (1u << (id))

struct vcard_card {
	unsigned char image[VCARD_IMAGE_SIZE];
	unsigned char atr[VCARD_ATR_MAX];
	size_t atr_len;
	size_t photo_len; /* JPEG bytes actually placed on the card */
};

/* The switch called `name`, or -1. */
int vcard_odd_find(const char *name);
const char *vcard_odd_name(enum vcard_odd id);
const char *vcard_odd_help(enum vcard_odd id);

/* 0 when the set of switches makes sense together, else -1 and why in err. */
int vcard_odd_check(unsigned odds, char *err, size_t errsz);

/* Parses the fixture at `path` and builds card->image with `odds` applied.
 * Returns 0, or -1 with "FILE:LINE: why" in err. */
int vcard_image_load(struct vcard_card *card, const char *path, unsigned odds,
		     char *err, size_t errsz);

#endif
