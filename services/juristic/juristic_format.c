/* DBD juristic persons, amounts and times as people read them (see
 * juristic.h). */
#include "config.h"

#include "services/juristic/juristic.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "services/base/format.h"
#include "services/base/util.h"

/* --- amounts ------------------------------------------------------------------------------ */

int64_t juristic_money_parse(const char *s)
{
	int64_t baht = 0, satang = 0;
	int digits = 0, frac = 0;

	if (!s)
		return -1;
	while (*s == ' ')
		s++;
	for (; *s && *s != '.'; s++) {
		if (*s == ',' || *s == ' ')
			continue;
		if (!isdigit((unsigned char)*s) || baht > INT64_MAX / 1000)
			return -1;
		baht = baht * 10 + (*s - '0');
		digits++;
	}
	if (*s == '.') {
		for (s++; *s; s++) {
			if (*s == ' ')
				continue;
			if (!isdigit((unsigned char)*s))
				return -1;
			/* Beyond satang: cut, as DBD's figures never go there. */
			if (frac < 2)
				satang = satang * 10 + (*s - '0');
			frac++;
		}
	}
	if (!digits && !frac)
		return -1;
	if (frac == 1)
		satang *= 10;
	return baht * 100 + satang;
}

void juristic_number_format(int64_t n, char *out, size_t size)
{
	char digits[32], grouped[48];
	size_t len, g = 0;

	if (n < 0) {
		snprintf(out, size, "-");
		return;
	}
	snprintf(digits, sizeof digits, "%" PRId64, n);
	len = strlen(digits);
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[g++] = ',';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	snprintf(out, size, "%s", grouped);
}

void juristic_money_format(int64_t satang, enum tb_lang lang, char *out, size_t size)
{
	char grouped[48];

	if (satang < 0) {
		snprintf(out, size, "-");
		return;
	}
	juristic_number_format(satang / 100, grouped, sizeof grouped);
	snprintf(out, size, "%s.%02d %s", grouped, (int)(satang % 100),
		 lang == TB_LANG_TH ? "บาท" : "baht");
}


/* --- age ------------------------------------------------------------------------------- */

void juristic_age_format(int64_t fetched_at, int64_t now, enum tb_lang lang, char *out,
			 size_t size)
{
	time_t t = (time_t)fetched_at, n = (time_t)now;
	struct tm at, today;
	char when[64] = "", ago[64];
	int64_t age = now > fetched_at ? now - fetched_at : 0;
	long v;
	int th = lang == TB_LANG_TH;

	if (!localtime_r(&t, &at) || !localtime_r(&n, &today)) {
		/* A time the C library cannot break down: say nothing rather
		 * than format garbage. */
		str_copy(out, size, "");
		return;
	}
	if (at.tm_year != today.tm_year || at.tm_yday != today.tm_yday) {
		struct card_date d = { at.tm_year + 1900 + 543, at.tm_mon + 1, at.tm_mday, false };
		format_date(&d, lang, when, sizeof when);
		strcat(when, " ");
	}
	snprintf(when + strlen(when), sizeof when - strlen(when), "%02d:%02d%s", at.tm_hour,
		 at.tm_min, th ? " น." : "");
	if (age < 60) {
		snprintf(ago, sizeof ago, "%s", th ? "เมื่อสักครู่" : "just now");
	} else if (age < 3600) {
		v = (long)(age / 60);
		snprintf(ago, sizeof ago, th ? "%ld นาทีที่แล้ว" : "%ld minute%s ago", v,
			 th ? "" : v == 1 ? "" : "s");
	} else if (age < 86400) {
		v = (long)(age / 3600);
		snprintf(ago, sizeof ago, th ? "%ld ชั่วโมงที่แล้ว" : "%ld hour%s ago", v,
			 th ? "" : v == 1 ? "" : "s");
	} else {
		v = (long)(age / 86400);
		snprintf(ago, sizeof ago, th ? "%ld วันที่แล้ว" : "%ld day%s ago", v,
			 th ? "" : v == 1 ? "" : "s");
	}
	if (th)
		snprintf(out, size, "ข้อมูล ณ %s (%s)", when, ago);
	else
		snprintf(out, size, "as of %s, %s", when, ago);
}

