/* Citizen IDs and Buddhist-era dates written the way Thai staff read them. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "services/base/format.h"

static const char *const month_th[12] = {
	"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
	"ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
};

static const char *const month_en[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* Copy src into out, cutting at a character boundary when it does not fit
 * (snprintf alone could leave half a Thai letter). */
static void text_put(char *out, size_t size, const char *src)
{
	size_t n;

	if (!out || size == 0)
		return;
	n = strlen(src);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, src, n);
	out[n] = '\0';
}

static bool cid_digits(const char *cid)
{
	int i;

	for (i = 0; i < 13; i++)
		if (cid[i] < '0' || cid[i] > '9')
			return false;
	return cid[13] == '\0';
}

size_t format_clean(char *out, size_t size, const char *s, bool fold)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (!size)
		return 0;
	while (p && *p) {
		size_t n = 1;

		if (*p >= 0xC0)
			while ((p[n] & 0xC0) == 0x80 && n < 4)
				n++;
		if (fold && (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ')) {
			if (o > 0 && out[o - 1] != ' ' && o + 1 < size)
				out[o++] = ' ';
			p++;
			continue;
		}
		if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) ||
		    (*p >= 0x80 && *p < 0xC0)) {
			p += n;
			continue;
		}
		if (o + n >= size)
			break;
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	/* Gateways pad with spaces. */
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return o;
}

bool cid_valid(const char *cid)
{
	int sum = 0, i;

	if (!cid)
		return false;
	for (i = 0; i < 13; i++)
		if (cid[i] < '0' || cid[i] > '9')
			return false;
	if (cid[13] != '\0')
		return false;
	for (i = 0; i < 12; i++)
		sum += (cid[i] - '0') * (13 - i);
	return (11 - sum % 11) % 10 == cid[12] - '0';
}

void format_cid(const char *cid, char *out, size_t size)
{
	char buf[24];

	if (!cid) {
		text_put(out, size, "");
		return;
	}
	if (!cid_digits(cid)) {
		text_put(out, size, cid);
		return;
	}
	/* 1-4-5-2-1, the grouping printed on the card. */
	snprintf(buf, sizeof(buf), "%.1s-%.4s-%.5s-%.2s-%.1s", cid, cid + 1,
		 cid + 5, cid + 10, cid + 12);
	text_put(out, size, buf);
}

void format_date(const struct card_date *d, enum tb_lang lang, char *out,
		 size_t size)
{
	const char *const *months = lang == TB_LANG_TH ? month_th : month_en;
	const char *era = lang == TB_LANG_TH ? "" : " BE";
	char buf[64];

	if (!d || (!d->lifelong && d->year == 0)) {
		text_put(out, size, "-");
		return;
	}
	if (d->lifelong) {
		text_put(out, size, lang == TB_LANG_TH ? "ตลอดชีพ" : "lifelong");
		return;
	}
	if (d->month < 1 || d->month > 12)
		snprintf(buf, sizeof(buf), "%d%s", d->year, era);
	else if (d->day < 1 || d->day > 31)
		snprintf(buf, sizeof(buf), "%s %d%s", months[d->month - 1],
			 d->year, era);
	else
		snprintf(buf, sizeof(buf), "%d %s %d%s", d->day,
			 months[d->month - 1], d->year, era);
	text_put(out, size, buf);
}

void format_date_be(const struct card_date *d, char *out, size_t size)
{
	char buf[32];

	if (!d || (!d->lifelong && d->year == 0)) {
		text_put(out, size, "");
		return;
	}
	if (d->lifelong) {
		text_put(out, size, "99999999");
		return;
	}
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", d->year, d->month, d->day);
	text_put(out, size, buf);
}

void format_clock(time_t t, const char *fmt, char *out, size_t size)
{
	struct tm tm;

	if (!out || !size)
		return;
	/* Callers pass literals; the header's attribute checks them there. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (!localtime_r(&t, &tm) || !strftime(out, size, fmt, &tm))
		out[0] = '\0';
#pragma GCC diagnostic pop
}

int format_stamp(const char *utc, enum tb_lang lang, char *out, size_t size)
{
	struct tm tm = { 0 };
	struct card_date d;
	char date[64], buf[96];
	int n = 0;
	time_t t;

	if (!out || !size)
		return -1;
	if (!utc || strlen(utc) != 20 ||
	    sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec, &n) != 6 || n != 20 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
		text_put(out, size, utc ? utc : "");
		return -1;
	}
	tm.tm_year -= 1900;
	tm.tm_mon--;
	t = timegm(&tm);
	if (t == (time_t)-1 || !localtime_r(&t, &tm)) {
		text_put(out, size, utc);
		return -1;
	}
	d = (struct card_date){ tm.tm_year + 1900 + 543, tm.tm_mon + 1, tm.tm_mday, false };
	format_date(&d, lang, date, sizeof date);
	snprintf(buf, sizeof buf, "%s %02d:%02d", date, tm.tm_hour, tm.tm_min);
	text_put(out, size, buf);
	return 0;
}

void format_today(struct card_date *out)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	if (!localtime_r(&now, &tm))
		return;
	out->year = tm.tm_year + 1900 + 543;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
}

static int int_cmp(int a, int b)
{
	return (a > b) - (a < b);
}

int card_date_cmp(const struct card_date *a, const struct card_date *b)
{
	static const struct card_date absent = { 0, 0, 0, false };
	int c;

	if (!a)
		a = &absent;
	if (!b)
		b = &absent;
	/* Lifelong is later than any date. */
	if (a->lifelong || b->lifelong)
		return int_cmp(a->lifelong, b->lifelong);
	c = int_cmp(a->year, b->year);
	if (c == 0)
		c = int_cmp(a->month, b->month);
	if (c == 0)
		c = int_cmp(a->day, b->day);
	return c;
}

int card_date_expired(const struct card_date *expiry,
		      const struct card_date *today)
{
	struct card_date now;

	if (!expiry || expiry->lifelong || expiry->year == 0)
		return 0;
	if (!today) {
		format_today(&now);
		today = &now;
	}
	return card_date_cmp(expiry, today) < 0;
}

void format_name(const struct card_name *n, int thai, char *out, size_t size)
{
	const char *parts[] = { n->first, n->middle, n->last };
	size_t o;

	if (!size)
		return;
	o = (size_t)snprintf(out, size, "%s", n->title);
	for (int i = 0; i < 3 && o < size; i++)
		if (parts[i][0])
			o += (size_t)snprintf(out + o, size - o, "%s%s",
					      o == 0 || (i == 0 && thai) ? "" : " ", parts[i]);
}

void format_date_int(int32_t be, enum tb_lang lang, char *out, size_t size)
{
	struct card_date d = { be / 10000, be / 100 % 100, be % 100, false };

	if (be <= 0)
		d = (struct card_date){ 0 };
	format_date(&d, lang, out, size);
}

int format_age_on(int32_t birth_be, const struct card_date *today)
{
	int y = birth_be / 10000, m = birth_be / 100 % 100, d = birth_be % 100, age;

	if (birth_be <= 0 || y == 0 || !today || today->year == 0)
		return -1;
	age = today->year - y;
	/* An unknown month or day counts as the year's start, as the
	 * registry does. */
	if (today->month < m || (today->month == m && today->day < d))
		age--;
	return age < 0 ? -1 : age;
}

int format_age(int32_t birth_be)
{
	struct card_date today;

	format_today(&today);
	return format_age_on(birth_be, &today);
}
