/* Pure decoders for the Thai national ID card (citizen applet).
 *
 * Memory map, offsets from the start of the applet's file:
 *
 *   0x0000   4  card version           ASCII
 *   0x0004  13  citizen ID             ASCII digits, check digit last
 *   0x0011 100  Thai name              TIS-620, title#first#middle#last
 *   0x0075 100  English name           same layout
 *   0x00D9   8  date of birth          Buddhist era YYYYMMDD, 00 = unknown
 *   0x00E1   1  gender                 '1' male, '2' female
 *   0x00E2  20  request number         ASCII
 *   0x00F6 100  issuing office         TIS-620
 *   0x015A  13  issuer code            meaning uncertain
 *   0x0167   8  issue date             Buddhist era
 *   0x016F   8  expiry date            Buddhist era, 99999999 = lifelong
 *   0x0177   2  card type              meaning uncertain
 *   0x0179   2  photo length           big-endian, not on every card
 *   0x017B 5100 photo                  JPEG, padded after FF D9
 *   0x1579 160  address                TIS-620, 8 '#' slots
 *   0x1619  14  number under the photo ASCII
 *
 * Text is padded with spaces (sometimes NULs); the photo never is trimmed. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "services/card/card_decode.h"

enum {
	OFF_VERSION = 0x0000, LEN_VERSION = 4,
	OFF_CID = 0x0004, LEN_CID = 13,
	OFF_NAME_TH = 0x0011, OFF_NAME_EN = 0x0075, LEN_NAME = 100,
	OFF_BIRTH = 0x00D9, OFF_ISSUE = 0x0167, OFF_EXPIRY = 0x016F,
	OFF_GENDER = 0x00E1,
	OFF_REQUEST_NO = 0x00E2, LEN_REQUEST_NO = 20,
	OFF_ISSUER = 0x00F6, LEN_ISSUER = 100,
	OFF_ISSUER_CODE = 0x015A, LEN_ISSUER_CODE = 13,
	OFF_CARD_TYPE = 0x0177, LEN_CARD_TYPE = 2,
	OFF_PHOTO_LEN = 0x0179,
};

static const char utf8_replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* ---- bytes and UTF-8 ------------------------------------------------------ */

/* Bytes of one UTF-8 character from its lead byte (1 for stray bytes, so a
 * walk over broken input still advances). */
static size_t utf8_char_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

/* Append n bytes of src at dst[*len], keeping NUL-termination.  When they do
 * not fit, as many whole characters as fit are appended and -1 returned. */
static int text_append(char *dst, size_t size, size_t *len, const char *src,
		       size_t n)
{
	size_t room, k;

	if (size == 0 || *len >= size)
		return -1;
	room = size - 1 - *len;
	k = n;
	if (k > room) {
		k = room;
		/* Back off so the cut does not split a character. */
		while (k > 0 && ((unsigned char)src[k] & 0xC0) == 0x80)
			k--;
	}
	memcpy(dst + *len, src, k);
	*len += k;
	dst[*len] = '\0';
	return k == n ? 0 : -1;
}

/* Copy n bytes of UTF-8 into dst with leading and trailing spaces dropped and
 * inner runs of spaces (and stray '#') made one space. */
static void text_set_clean(char *dst, size_t size, const char *src, size_t n)
{
	size_t i = 0, len = 0;
	bool gap = false;

	if (size == 0)
		return;
	dst[0] = '\0';
	while (i < n && src[i] != '\0') {
		size_t k;

		if (src[i] == ' ' || src[i] == '#' || src[i] == '\t') {
			gap = len > 0;
			i++;
			continue;
		}
		k = utf8_char_len((unsigned char)src[i]);
		if (k > n - i)
			k = n - i;
		if (gap && text_append(dst, size, &len, " ", 1) < 0)
			return;
		gap = false;
		if (text_append(dst, size, &len, src + i, k) < 0)
			return;
		i += k;
	}
}

/* The meaningful span of a padded field: trailing spaces and NULs (padding)
 * and leading spaces go. */
static void span_trim(const uint8_t *in, size_t *start, size_t *end)
{
	while (*end > *start && (in[*end - 1] == ' ' || in[*end - 1] == '\0'))
		(*end)--;
	while (*start < *end && in[*start] == ' ')
		(*start)++;
}

/* ---- TIS-620 ----------------------------------------------------------------- */

/* Card text is printable ASCII or assigned Thai.  glibc's TIS-620 converter
 * already refuses 0x80-0xA0, 0xDB-0xDE and 0xFC-0xFF but passes control bytes
 * and DEL through, which have no business in a name or an address. */
static bool tis620_byte_ok(uint8_t b)
{
	return (b >= 0x20 && b <= 0x7E) || (b >= 0xA1 && b <= 0xDA) ||
	       (b >= 0xDF && b <= 0xFB);
}

/* Convert in[0..n) (all bytes passing tis620_byte_ok) at out[*len].  *used
 * gets the bytes consumed.  Returns 0 when all were converted, 1 when iconv
 * refused in[*used], -1 when out is full. */
static int tis620_run(iconv_t cd, const uint8_t *in, size_t n, char *out,
		      size_t outsz, size_t *len, size_t *used)
{
	char *ip = (char *)in; /* iconv's prototype is not const; it only reads */
	size_t il = n;
	char *op = out + *len;
	size_t ol = outsz - 1 - *len;
	size_t rc;
	int saved;

	rc = iconv(cd, &ip, &il, &op, &ol);
	saved = errno;
	*len = (size_t)(op - out);
	out[*len] = '\0';
	*used = n - il;
	if (rc != (size_t)-1)
		return 0;
	if (saved == E2BIG)
		return -1;
	/* EILSEQ or EINVAL: the converter refuses this byte; treat as invalid. */
	return 1;
}

int tis620_decode(const uint8_t *in, size_t n, char *out, size_t outsz,
		  long *bad_at, tb_err *err)
{
	size_t start = 0, end = n, i, len = 0;
	iconv_t cd;
	int bad = 0;

	if (bad_at)
		*bad_at = -1;
	if (!out || outsz == 0)
		return err_set(err, TB_E_SYSTEM, E2BIG, "tis620_decode");
	out[0] = '\0';
	if (!in || n == 0)
		return 0;
	span_trim(in, &start, &end);
	if (start == end)
		return 0;

	cd = iconv_open("UTF-8", "TIS-620");
	if (cd == (iconv_t)-1)
		return err_set(err, TB_E_SYSTEM, errno, "iconv_open");

	i = start;
	while (i < end) {
		if (tis620_byte_ok(in[i])) {
			size_t run = i + 1, used = 0;
			int rc;

			while (run < end && tis620_byte_ok(in[run]))
				run++;
			rc = tis620_run(cd, in + i, run - i, out, outsz, &len,
					&used);
			i += used;
			if (rc < 0)
				goto full;
			if (rc == 0)
				continue;
		}
		/* in[i] is invalid: mark it visibly, never skip it. */
		if (!bad) {
			bad = 1;
			if (bad_at)
				*bad_at = (long)i;
		}
		if (text_append(out, outsz, &len, utf8_replacement,
				sizeof(utf8_replacement) - 1) < 0)
			goto full;
		i++;
	}
	iconv_close(cd);
	return bad;

full:
	iconv_close(cd);
	return err_set(err, TB_E_SYSTEM, E2BIG, "tis620_decode");
}

/* ---- ASCII fields ---------------------------------------------------------- */

static bool ascii_byte_ok(uint8_t b)
{
	return b >= 0x20 && b <= 0x7E;
}

/* Offset of the first non-printable byte of a padded ASCII field, or -1. */
static long ascii_bad_at(const uint8_t *in, size_t n)
{
	size_t start = 0, end = n, i;

	span_trim(in, &start, &end);
	for (i = start; i < end; i++)
		if (!ascii_byte_ok(in[i]))
			return (long)i;
	return -1;
}

/* Fields that do not fit in out are cut (every byte is one character here);
 * callers size their buffers from the memory map, so this does not happen. */
int ascii_field(const uint8_t *in, size_t n, char *out, size_t outsz)
{
	size_t start = 0, end = n, i, len = 0;
	int bad = 0;

	if (!out || outsz == 0)
		return 0;
	out[0] = '\0';
	if (!in)
		return 0;
	span_trim(in, &start, &end);
	for (i = start; i < end; i++) {
		char c = (char)in[i];

		if (!ascii_byte_ok(in[i])) {
			c = '?';
			bad = 1;
		}
		if (len + 1 < outsz)
			out[len++] = c;
	}
	out[len] = '\0';
	return bad;
}

/* ---- names, dates, gender, CID -------------------------------------------------- */

void card_name_parse(const char *utf8, struct card_name *out)
{
	char *parts[4];
	const char *p = utf8;
	int k;

	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	if (!utf8)
		return;
	parts[0] = out->title;
	parts[1] = out->first;
	parts[2] = out->middle;
	parts[3] = out->last;
	for (k = 0; k < 4; k++) {
		/* The last part takes the rest, so a stray extra '#' loses
		 * nothing (text_set_clean turns it into a space). */
		const char *hash = k < 3 ? strchr(p, '#') : NULL;
		size_t n = hash ? (size_t)(hash - p) : strlen(p);

		text_set_clean(parts[k], CARD_TEXT_MAX, p, n);
		if (!hash)
			break;
		p = hash + 1;
	}
}

/* Leap years follow the Gregorian rule on the Gregorian year. */
static int days_in_month(int year_be, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };
	int g = year_be - 543;

	if (month == 2 && g % 4 == 0 && (g % 100 != 0 || g % 400 == 0))
		return 29;
	return days[month - 1];
}

int card_date_parse(const uint8_t in[8], struct card_date *out)
{
	bool blank = true, zeros = true, nines = true;
	int v[8], year, month, day, i;

	if (!out)
		return -1;
	memset(out, 0, sizeof(*out));
	if (!in)
		return -1;
	for (i = 0; i < 8; i++) {
		if (in[i] != ' ' && in[i] != '\0')
			blank = false;
		if (in[i] != '0')
			zeros = false;
		if (in[i] != '9')
			nines = false;
	}
	if (blank || zeros)
		return 0;
	if (nines) {
		/* A real year too, so code that only looks at the year still
		 * sees "far in the future" rather than "absent". */
		out->year = 9999;
		out->lifelong = true;
		return 0;
	}
	for (i = 0; i < 8; i++) {
		if (in[i] < '0' || in[i] > '9')
			return -1;
		v[i] = in[i] - '0';
	}
	year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
	month = v[4] * 10 + v[5];
	day = v[6] * 10 + v[7];
	/* A known day in an unknown month or year is not a registry pattern. */
	if (year == 0 || month > 12 || (month == 0 && day != 0))
		return -1;
	if (month != 0 && day > days_in_month(year, month))
		return -1;
	out->year = year;
	out->month = month;
	out->day = day;
	return 0;
}

enum card_gender card_gender_parse(uint8_t b)
{
	if (b == '1')
		return CARD_GENDER_MALE;
	if (b == '2')
		return CARD_GENDER_FEMALE;
	return CARD_GENDER_UNKNOWN;
}

/* ---- address ------------------------------------------------------------------- */

struct addr_prefix {
	const char *text;
	size_t field;    /* offsetof(struct card_address, ...) */
	bool need_break; /* must be followed by a space or a digit */
};

/* Longer prefixes first where one starts another (หมู่ที่ / หมู่).  Plain
 * หมู่ needs a break after it so "หมู่บ้าน..." (a housing estate's name) is
 * not read as a village number. */
static const struct addr_prefix addr_prefixes[] = {
	{ "หมู่ที่", offsetof(struct card_address, village_no), false },
	{ "หมู่", offsetof(struct card_address, village_no), true },
	{ "ตรอก", offsetof(struct card_address, trok), false },
	{ "ซอย", offsetof(struct card_address, soi), false },
	{ "ถนน", offsetof(struct card_address, road), false },
	{ "ตำบล", offsetof(struct card_address, subdistrict), false },
	{ "แขวง", offsetof(struct card_address, subdistrict), false },
	{ "อำเภอ", offsetof(struct card_address, district), false },
	{ "เขต", offsetof(struct card_address, district), false },
	{ "จังหวัด", offsetof(struct card_address, province), false },
};

/* Bangkok is written without จังหวัด. */
static const char addr_bangkok[] = "กรุงเทพมหานคร";

static const struct addr_prefix *addr_prefix_match(const char *tok,
						   const char **value)
{
	size_t i;

	for (i = 0; i < sizeof(addr_prefixes) / sizeof(addr_prefixes[0]); i++) {
		const struct addr_prefix *pf = &addr_prefixes[i];
		size_t n = strlen(pf->text);
		const char *rest = tok + n;

		if (strncmp(tok, pf->text, n) != 0)
			continue;
		if (pf->need_break && *rest != '\0' && *rest != ' ' &&
		    (*rest < '0' || *rest > '9'))
			continue;
		while (*rest == ' ')
			rest++;
		*value = rest;
		return pf;
	}
	return NULL;
}

struct addr_state {
	bool seen_prefix;
	bool seen_district;
	size_t extra_len;
};

static void addr_extra(struct card_address *out, struct addr_state *st,
		       const char *tok)
{
	if (st->extra_len > 0)
		text_append(out->extra, sizeof(out->extra), &st->extra_len, " ", 1);
	text_append(out->extra, sizeof(out->extra), &st->extra_len, tok,
		    strlen(tok));
}

static void addr_place(struct card_address *out, struct addr_state *st,
		       const char *tok)
{
	const struct addr_prefix *pf;
	const char *value = NULL;
	size_t len = 0;

	pf = addr_prefix_match(tok, &value);
	if (pf) {
		char *dst = (char *)out + pf->field;

		st->seen_prefix = true;
		if (pf->field == offsetof(struct card_address, district))
			st->seen_district = true;
		if (*value == '\0')
			return; /* a bare prefix says nothing; `full` keeps it */
		if (dst[0] == '\0')
			text_append(dst, CARD_ADDR_MAX, &len, value, strlen(value));
		else
			addr_extra(out, st, tok); /* slot taken: keep, do not overwrite */
		return;
	}
	if (!st->seen_prefix && out->house_no[0] == '\0') {
		text_append(out->house_no, sizeof(out->house_no), &len, tok,
			    strlen(tok));
		return;
	}
	if (out->province[0] == '\0' &&
	    (st->seen_district || strcmp(tok, addr_bangkok) == 0)) {
		text_append(out->province, sizeof(out->province), &len, tok,
			    strlen(tok));
		return;
	}
	addr_extra(out, st, tok);
}

void card_address_parse(const char *utf8, struct card_address *out)
{
	struct addr_state st = { false, false, 0 };
	const char *p = utf8;
	size_t full_len = 0;

	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	if (!utf8)
		return;
	for (;;) {
		const char *hash = strchr(p, '#');
		size_t n = hash ? (size_t)(hash - p) : strlen(p);
		char tok[CARD_ADDR_MAX];

		text_set_clean(tok, sizeof(tok), p, n);
		if (tok[0] != '\0') {
			if (full_len > 0)
				text_append(out->full, sizeof(out->full),
					    &full_len, " ", 1);
			text_append(out->full, sizeof(out->full), &full_len,
				    tok, strlen(tok));
			addr_place(out, &st, tok);
		}
		if (!hash)
			break;
		p = hash + 1;
	}
}

/* ---- photo ---------------------------------------------------------------------- */

int jpeg_extent(const uint8_t *buf, size_t n, size_t *len)
{
	size_t i;

	if (len)
		*len = 0;
	if (!buf || n < 4 || buf[0] != 0xFF || buf[1] != 0xD8 || buf[2] != 0xFF)
		return -1;
	/* The last EOI: the padding after it is spaces or zeros, and an EOI
	 * inside the data (a thumbnail) is not the end. */
	for (i = n - 1; i >= 3; i--) {
		if (buf[i] == 0xD9 && buf[i - 1] == 0xFF) {
			if (len)
				*len = i + 1;
			return 0;
		}
	}
	return -1;
}

size_t card_photo_len_field(const uint8_t hdr[CARD_LEN_HEADER])
{
	size_t v;

	if (!hdr)
		return 0;
	v = ((size_t)hdr[OFF_PHOTO_LEN] << 8) | hdr[OFF_PHOTO_LEN + 1];
	return v >= 1 && v <= CARD_PHOTO_MAX ? v : 0;
}

/* ---- whole reads ---------------------------------------------------------------- */

/* A TIS-620 field into out; a bad byte is shown and warned about with its
 * offset inside the field. */
static void rec_text(struct card_record *r, const uint8_t *in, size_t n,
		     char *out, size_t outsz, const char *field)
{
	tb_err e = { TB_OK, 0, NULL };
	long bad = -1;
	int rc;

	rc = tis620_decode(in, n, out, outsz, &bad, &e);
	if (rc == 1)
		card_record_warn(r, CARD_FLAG_TEXT_BAD, TB_E_CARD_TEXT, bad, field);
	else if (rc < 0)
		card_record_warn(r, CARD_FLAG_TEXT_BAD, e.id, e.detail, field);
}

static void rec_ascii(struct card_record *r, const uint8_t *in, size_t n,
		      char *out, size_t outsz, const char *field)
{
	if (ascii_field(in, n, out, outsz) != 0)
		card_record_warn(r, CARD_FLAG_TEXT_BAD, TB_E_CARD_TEXT,
				 ascii_bad_at(in, n), field);
}

/* Fields whose meaning is uncertain: text when printable, else hex, so
 * nothing is hidden and no warning is raised about a format nobody knows. */
static void rec_opaque(const uint8_t *in, size_t n, char *out, size_t outsz)
{
	size_t i, len = 0;

	if (ascii_bad_at(in, n) < 0) {
		ascii_field(in, n, out, outsz);
		return;
	}
	out[0] = '\0';
	for (i = 0; i < n && len + 2 < outsz; i++)
		len += (size_t)snprintf(out + len, outsz - len, "%02X", in[i]);
}

static void rec_date(struct card_record *r, const uint8_t *in,
		     struct card_date *d, const char *field)
{
	if (card_date_parse(in, d) < 0)
		card_record_warn(r, CARD_FLAG_DATE_BAD, TB_E_CARD_DATE, 0, field);
}

void card_header_decode(const uint8_t hdr[CARD_LEN_HEADER], struct card_record *r)
{
	char buf[CARD_TEXT_MAX];

	if (!hdr || !r)
		return;
	rec_ascii(r, hdr + OFF_VERSION, LEN_VERSION, r->version,
		  sizeof(r->version), "version");

	/* A bad check digit is shown as read, never hidden: staff compare it
	 * with the printed card. */
	ascii_field(hdr + OFF_CID, LEN_CID, r->cid, sizeof(r->cid));
	if (!cid_valid(r->cid))
		card_record_warn(r, CARD_FLAG_CID_BAD, TB_E_CARD_CID, 0, "cid");

	rec_text(r, hdr + OFF_NAME_TH, LEN_NAME, buf, sizeof(buf), "name_th");
	card_name_parse(buf, &r->th);
	rec_text(r, hdr + OFF_NAME_EN, LEN_NAME, buf, sizeof(buf), "name_en");
	card_name_parse(buf, &r->en);
	explicit_bzero(buf, sizeof(buf));

	rec_date(r, hdr + OFF_BIRTH, &r->birth, "birth");
	r->gender = card_gender_parse(hdr[OFF_GENDER]);
	rec_ascii(r, hdr + OFF_REQUEST_NO, LEN_REQUEST_NO, r->request_no,
		  sizeof(r->request_no), "request_no");
	rec_text(r, hdr + OFF_ISSUER, LEN_ISSUER, r->issuer, sizeof(r->issuer),
		 "issuer");
	rec_opaque(hdr + OFF_ISSUER_CODE, LEN_ISSUER_CODE, r->issuer_code,
		   sizeof(r->issuer_code));
	rec_date(r, hdr + OFF_ISSUE, &r->issue, "issue");
	rec_date(r, hdr + OFF_EXPIRY, &r->expiry, "expiry");
	rec_opaque(hdr + OFF_CARD_TYPE, LEN_CARD_TYPE, r->card_type,
		   sizeof(r->card_type));
	r->have |= CARD_HAVE_HEADER;
}

void card_tail_decode(const uint8_t tail[CARD_LEN_TAIL], struct card_record *r)
{
	char buf[CARD_ADDR_MAX];

	if (!tail || !r)
		return;
	rec_text(r, tail, CARD_LEN_ADDRESS, buf, sizeof(buf), "address");
	card_address_parse(buf, &r->addr);
	explicit_bzero(buf, sizeof(buf));
	rec_ascii(r, tail + CARD_LEN_ADDRESS, CARD_LEN_PHOTO_NO, r->photo_no,
		  sizeof(r->photo_no), "photo_no");
	r->have |= CARD_HAVE_ADDRESS;
}
