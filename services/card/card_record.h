/* What a Thai national ID card holds, decoded.  Personal data: lives in memory
 * only and is wiped by card_record_free(). */
#ifndef TABIEN_CARD_RECORD_H
#define TABIEN_CARD_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/base/errors.h"

/* The address field is up to 160 TIS-620 bytes. */
#define CARD_ADDR_MAX 484
/* A reader's name, the NUL included: PC/SC's MAX_READERNAME. */
#define CARD_READER_MAX 128

#include "services/base/names.h"

enum card_gender {
	CARD_GENDER_UNKNOWN = 0,
	CARD_GENDER_MALE = 1,
	CARD_GENDER_FEMALE = 2,
};

/* The address split by its Thai prefixes (the prefix itself is dropped).
 * Tokens that match no prefix and are not the house number or the province
 * land in `extra`, joined by " ", so nothing read from the card is lost. */
struct card_address {
	char house_no[CARD_ADDR_MAX];
	char village_no[CARD_ADDR_MAX];  /* หมู่ที่ */
	char trok[CARD_ADDR_MAX];        /* ตรอก */
	char soi[CARD_ADDR_MAX];         /* ซอย */
	char road[CARD_ADDR_MAX];        /* ถนน */
	char subdistrict[CARD_ADDR_MAX]; /* ตำบล / แขวง */
	char district[CARD_ADDR_MAX];    /* อำเภอ / เขต */
	char province[CARD_ADDR_MAX];    /* จังหวัด, or กรุงเทพมหานคร with no prefix */
	char extra[CARD_ADDR_MAX];
	char full[CARD_ADDR_MAX];        /* the non-empty slots joined by " " */
};

/* Which parts have been read so far (a read posts the record as it grows). */
enum {
	CARD_HAVE_HEADER = 1u << 0,
	CARD_HAVE_ADDRESS = 1u << 1,
	CARD_HAVE_PHOTO = 1u << 2,
};

/* Problems found in what the card holds; each is also in warn[]. */
enum {
	CARD_FLAG_CID_BAD = 1u << 0,   /* checksum failed: shown, never hidden */
	CARD_FLAG_TEXT_BAD = 1u << 1,  /* invalid TIS-620 byte, shown as U+FFFD */
	CARD_FLAG_DATE_BAD = 1u << 2,  /* a date field is not a date */
	CARD_FLAG_PHOTO_BAD = 1u << 3, /* no JPEG markers, truncated */
};

#define CARD_WARN_MAX 8
#define CARD_PHOTO_MAX 5100

struct card_record {
	unsigned have;
	unsigned flags;
	tb_err warn[CARD_WARN_MAX];
	int nwarn;

	char reader[CARD_READER_MAX];
	char atr_hex[72];     /* not personal: the card model */

	char version[8];      /* ASCII, 4 on the card */
	char cid[16];         /* 13 ASCII digits */
	struct card_name th;
	struct card_name en;
	struct card_date birth;
	enum card_gender gender;
	char request_no[48];
	char issuer[CARD_TEXT_MAX];
	char issuer_code[40];
	struct card_date issue;
	struct card_date expiry;
	char card_type[8];
	struct card_address addr;
	char photo_no[48];    /* the number printed under the photo */

	unsigned char *photo; /* JPEG, exactly SOI..EOI; NULL until read */
	size_t photo_len;
};

struct card_record *card_record_new(void);
/* Deep copy, photo included.  NULL on out of memory. */
struct card_record *card_record_dup(const struct card_record *r);
/* Wipes every byte (text and photo) and frees; sets *r to NULL. */
void card_record_free(struct card_record **r);
/* Appends a warning and sets its flag; extra warnings past CARD_WARN_MAX only
 * set the flag. */
void card_record_warn(struct card_record *r, unsigned flag, enum tb_err_id id,
		      long detail, const char *field);

#endif
