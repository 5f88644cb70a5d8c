/* The shapes of a person's name and a Buddhist-era date, as the card and the
 * registry give them: used by the card, the registry and the formatting of
 * both, so they sit at the base. */
#ifndef TABIEN_NAMES_H
#define TABIEN_NAMES_H

#include <stdbool.h>

/* A 100-byte TIS-620 field is at most 300 bytes of UTF-8 (every Thai letter
 * is 3 bytes), plus the NUL. */
#define CARD_TEXT_MAX 304

struct card_name {
	char title[CARD_TEXT_MAX];
	char first[CARD_TEXT_MAX];
	char middle[CARD_TEXT_MAX];
	char last[CARD_TEXT_MAX];
};

/* A Buddhist-era date.  year == 0: absent.  month or day == 0: unknown (cards
 * of people whose birth day was never registered carry 00). */
struct card_date {
	int year;
	int month;
	int day;
	bool lifelong; /* expiry 99999999: the card never expires */
};

#endif
