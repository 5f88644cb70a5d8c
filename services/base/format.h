/* Formatting for people: IDs and Buddhist-era dates as Thai staff read them. */
#ifndef TABIEN_FORMAT_H
#define TABIEN_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "services/base/names.h"
#include "services/base/errors.h"

/* Exactly 13 ASCII digits whose check digit is right. */
bool cid_valid(const char *cid);

/* Text from outside (a gateway, DBD, the LK2 proxy) for people to read:
 * whole UTF-8 characters only and nothing a terminal would act on (C0 and C1
 * controls dropped), trailing spaces trimmed.  fold: line breaks, tabs and
 * runs of spaces become one space and leading ones go too.  Returns the
 * length written. */
size_t format_clean(char *out, size_t size, const char *s, bool fold);

/* "1234567890121" -> "1-2345-67890-12-1"; anything not 13 digits is copied. */
void format_cid(const char *cid, char *out, size_t size);

/* A whole name as people write it: Thai runs the title into the first name
 * ("นายสมชาย ใจดี"), English puts a space after it ("Mr. Somchai Jaidee"). */
void format_name(const struct card_name *n, int thai, char *out, size_t size);

/* Thai: "19 ก.ค. 2536", "ก.ค. 2536" (day unknown), "2536" (month unknown),
 * "ตลอดชีพ" (lifelong), "-" (absent).
 * English: "19 Jul 2536 BE", "Jul 2536 BE", "2536 BE", "lifelong", "-". */
void format_date(const struct card_date *d, enum tb_lang lang, char *out, size_t size);

/* The same from a registry integer YYYYMMDD (Buddhist era; 0 absent,
 * MMDD or DD may be 0). */
void format_date_int(int32_t be, enum tb_lang lang, char *out, size_t size);
/* A person's age in whole years from a B.E. YYYYMMDD birth date, as of
 * today (local time): the one computation every pane, command and copy
 * shows, never the registry's own age field, which is as old as its record.
 * An unknown month or day counts as the year's start; -1 unknown or not
 * born yet.  format_age_on: the same as of a given day. */
int format_age(int32_t birth_be);
int format_age_on(int32_t birth_be, const struct card_date *today);
/* ISO-like for machines, still Buddhist era: "2536-07-19", "2536-07-00",
 * "99999999" for lifelong, "" for absent. */
void format_date_be(const struct card_date *d, char *out, size_t size);

/* strftime of t in local time; "" when the C library cannot break t down
 * (never a struct left unset).  Only for clock times and file stamps: people's
 * dates go through format_date. */
void format_clock(time_t t, const char *fmt, char *out, size_t size)
	__attribute__((format(strftime, 2, 0)));

/* A stored UTC time ("2026-11-21T17:05:41Z", as the database writes them)
 * for people: local time, the date as format_date has it, then hours and
 * minutes ("22 พ.ย. 2569 00:05", "22 Nov 2569 BE 00:05").  Anything else
 * is copied as it is and -1 returned. */
int format_stamp(const char *utc, enum tb_lang lang, char *out, size_t size);

/* Today's date in the Buddhist era (local time). */
void format_today(struct card_date *out);

/* <0, 0, >0 like strcmp; unknown parts compare as the earliest. */
int card_date_cmp(const struct card_date *a, const struct card_date *b);

/* Expired: not lifelong, has a year, and before today. */
int card_date_expired(const struct card_date *expiry, const struct card_date *today);

#endif
