/* Fixture file -> the citizen applet's memory image (docs/card-protocol.md).
 *
 * The fixture is strict on purpose: a typo in a test card should fail loudly
 * with the line and the reason, not produce a card that tests something else.
 * Odd values that real cards carry (00 month/day, 99999999 expiry) are
 * allowed; broken ones (bad check digit, bad TIS-620) only come from --odd. */
#include "config.h"

#include "sim/vcard_image.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
	OFF_VERSION = 0x0000, LEN_VERSION = 4,
	OFF_CID = 0x0004, LEN_CID = 13,
	OFF_NAME_TH = 0x0011, LEN_NAME = 100,
	OFF_NAME_EN = 0x0075,
	OFF_BIRTH = 0x00D9, LEN_DATE = 8,
	OFF_GENDER = 0x00E1, LEN_GENDER = 1,
	OFF_REQUEST_NO = 0x00E2, LEN_REQUEST_NO = 20,
	OFF_ISSUER = 0x00F6, LEN_ISSUER = 100,
	OFF_ISSUER_CODE = 0x015A, LEN_ISSUER_CODE = 13,
	OFF_ISSUE = 0x0167,
	OFF_EXPIRY = 0x016F,
	OFF_CARD_TYPE = 0x0177, LEN_CARD_TYPE = 2,
	OFF_PHOTO_LEN = 0x0179,
	OFF_PHOTO = 0x017B,
	OFF_ADDRESS = 0x1579, LEN_ADDRESS = 160,
	OFF_PHOTO_NO = 0x1619, LEN_PHOTO_NO = 14,
	ADDRESS_SLOTS = 8,
	LINE_MAX_BYTES = 4096,
};

_Static_assert(OFF_PHOTO + VCARD_PHOTO_MAX <= OFF_ADDRESS, "photo overlaps address");
_Static_assert(OFF_PHOTO_NO + LEN_PHOTO_NO == VCARD_IMAGE_SIZE, "image size");

static const unsigned char default_atr[] = {
	0x3B, 0x79, 0x96, 0x00, 0x00, 0x54, 0x48, 0x20, 0x4E, 0x49, 0x44, 0x20, 0x31, 0x38,
};

/* ---- the --odd table ------------------------------------------------------ */

static const char *const odd_names[VCARD_ODD_COUNT] = {
#define VCARD_ODD_NAME(id, name, help) [id] = name,
	VCARD_ODDS(VCARD_ODD_NAME)
#undef VCARD_ODD_NAME
};

static const char *const odd_helps[VCARD_ODD_COUNT] = {
#define VCARD_ODD_HELP(id, name, help) [id] = help,
	VCARD_ODDS(VCARD_ODD_HELP)
#undef VCARD_ODD_HELP
};

int vcard_odd_find(const char *name)
{
	for (int i = 0; i < VCARD_ODD_COUNT; i++)
		if (strcmp(name, odd_names[i]) == 0)
			return i;
	return -1;
}

const char *vcard_odd_name(enum vcard_odd id)
{
	return (unsigned)id < VCARD_ODD_COUNT ? odd_names[id] : "?";
}

const char *vcard_odd_help(enum vcard_odd id)
{
	return (unsigned)id < VCARD_ODD_COUNT ? odd_helps[id] : "?";
}

/* Switches that each decide the same thing (the photo length field, the
 * READ BINARY answer) cannot be combined: the card would test neither. */
static const unsigned odd_exclusive[] = {
	VCARD_ODD_BIT(VCARD_ODD_NO_PHOTO_LENGTH) | VCARD_ODD_BIT(VCARD_ODD_BAD_PHOTO_LENGTH) |
		VCARD_ODD_BIT(VCARD_ODD_SHORT_PHOTO_LENGTH) |
		VCARD_ODD_BIT(VCARD_ODD_TRUNCATED_PHOTO),
	VCARD_ODD_BIT(VCARD_ODD_WRONG_SW) | VCARD_ODD_BIT(VCARD_ODD_T1),
	VCARD_ODD_BIT(VCARD_ODD_WRONG_SW) | VCARD_ODD_BIT(VCARD_ODD_SHORT_READ),
	VCARD_ODD_BIT(VCARD_ODD_WRONG_SW) | VCARD_ODD_BIT(VCARD_ODD_GR_6C),
	VCARD_ODD_BIT(VCARD_ODD_T1) | VCARD_ODD_BIT(VCARD_ODD_SHORT_READ),
	VCARD_ODD_BIT(VCARD_ODD_T1) | VCARD_ODD_BIT(VCARD_ODD_GR_6C),
	VCARD_ODD_BIT(VCARD_ODD_OVERLONG) | VCARD_ODD_BIT(VCARD_ODD_GR_6C_MORE) |
		VCARD_ODD_BIT(VCARD_ODD_WRONG_SW) | VCARD_ODD_BIT(VCARD_ODD_T1),
	VCARD_ODD_BIT(VCARD_ODD_OVERLONG) | VCARD_ODD_BIT(VCARD_ODD_SHORT_READ),
	VCARD_ODD_BIT(VCARD_ODD_OVERLONG) | VCARD_ODD_BIT(VCARD_ODD_GR_6C),
	VCARD_ODD_BIT(VCARD_ODD_GR_6C_MORE) | VCARD_ODD_BIT(VCARD_ODD_SHORT_READ),
	VCARD_ODD_BIT(VCARD_ODD_GR_6C_MORE) | VCARD_ODD_BIT(VCARD_ODD_GR_6C),
};

int vcard_odd_check(unsigned odds, char *err, size_t errsz)
{
	for (size_t g = 0; g < sizeof odd_exclusive / sizeof odd_exclusive[0]; g++) {
		unsigned both = odds & odd_exclusive[g];
		if ((both & (both - 1)) == 0)
			continue;
		int a = __builtin_ctz(both);
		int b = __builtin_ctz(both & (both - 1));
		snprintf(err, errsz, "--odd %s and --odd %s cannot be combined", odd_names[a],
			 odd_names[b]);
		return -1;
	}
	return 0;
}

/* ---- loading ---------------------------------------------------------------- */

struct load {
	struct vcard_card *card;
	const char *path;
	unsigned line;
	const char *key;
	char *err;
	size_t errsz;
	iconv_t to_tis;
	size_t th_first_off; /* Thai first name within the name field */
	size_t th_first_len;
	unsigned issue_line; /* for the issue/expiry order check */
	unsigned char photo[VCARD_PHOTO_MAX];
	size_t photo_len;
};

__attribute__((format(printf, 2, 3)))
static int load_fail(struct load *ld, const char *fmt, ...)
{
	char why[VCARD_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (ld->line && ld->key)
		snprintf(ld->err, ld->errsz, "%s:%u: %s: %s", ld->path, ld->line, ld->key, why);
	else if (ld->line)
		snprintf(ld->err, ld->errsz, "%s:%u: %s", ld->path, ld->line, why);
	else
		snprintf(ld->err, ld->errsz, "%s: %s", ld->path, why);
	return -1;
}

static void image_put(struct load *ld, size_t off, const void *src, size_t len)
{
	memcpy(ld->card->image + off, src, len);
}

/* Decodes one UTF-8 sequence to name it in an error; 0 if malformed. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, c &= 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, c &= 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, c &= 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	*cp = c;
	return len;
}

/* UTF-8 -> TIS-620 into out (at least strlen(in) bytes: TIS-620 never takes
 * more bytes than UTF-8 for the same text). */
static int thai_convert(struct load *ld, const char *in, unsigned char *out, size_t *outlen)
{
	char *inp = (char *)in;
	size_t inleft = strlen(in);
	char *outp = (char *)out;
	size_t outleft = inleft;

	iconv(ld->to_tis, NULL, NULL, NULL, NULL);
	if (iconv(ld->to_tis, &inp, &inleft, &outp, &outleft) == (size_t)-1) {
		const unsigned char *bad = (const unsigned char *)inp;
		size_t at = (size_t)(inp - in);
		unsigned cp;

		size_t clen = errno == EILSEQ ? utf8_decode(bad, inleft, &cp) : 0;
		if (clen)
			return load_fail(ld, "'%.*s' (U+%04X, byte %zu) has no TIS-620 form",
					 (int)clen, inp, cp, at);
		if (errno == EILSEQ || errno == EINVAL)
			return load_fail(ld, "invalid UTF-8 at byte %zu", at);
		return load_fail(ld, "iconv: %s", strerror(errno));
	}
	*outlen = (size_t)(outp - (char *)out);
	return 0;
}

static int field_put_thai(struct load *ld, size_t off, size_t cap, const char *val,
		    unsigned char *conv, size_t *convlen)
{
	if (thai_convert(ld, val, conv, convlen) < 0)
		return -1;
	if (*convlen > cap)
		return load_fail(ld, "%zu bytes in TIS-620, the field holds %zu", *convlen, cap);
	image_put(ld, off, conv, *convlen);
	return 0;
}

static int ascii_check(struct load *ld, const char *val, size_t cap)
{
	size_t n = strlen(val);

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)val[i] < 0x20 || (unsigned char)val[i] > 0x7E)
			return load_fail(ld, "byte %zu is not printable ASCII", i);
	if (n > cap)
		return load_fail(ld, "%zu characters, the field holds %zu", n, cap);
	return 0;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static unsigned digits_value(const char *s, size_t n)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

static int cid_check_digit(const char *cid)
{
	int sum = 0;

	for (int i = 0; i < 12; i++)
		sum += (cid[i] - '0') * (13 - i);
	return (11 - sum % 11) % 10;
}

/* A Buddhist-era YYYYMMDD; `unknown_ok` lets month/day be 00 as on cards
 * of people whose birth date is only partly known. */
static int date_check(struct load *ld, const char *v, bool unknown_ok)
{
	static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (strlen(v) != LEN_DATE || !all_digits(v, LEN_DATE))
		return load_fail(ld, "'%s' is not a date YYYYMMDD (Buddhist era)", v);
	unsigned year = digits_value(v, 4), month = digits_value(v + 4, 2),
		 day = digits_value(v + 6, 2);
	if (year < 2400 || year > 2700)
		return load_fail(ld, "year %u is not a plausible Buddhist-era year", year);
	if (month == 0 || day == 0) {
		if (!unknown_ok)
			return load_fail(ld, "month and day must be known here");
		if (month == 0 && day != 0)
			return load_fail(ld, "day without a month");
		if (month == 0)
			return 0;
	}
	if (month > 12)
		return load_fail(ld, "month %u", month);
	if (day == 0)
		return 0;
	unsigned g = year - 543;
	bool leap = (g % 4 == 0 && g % 100 != 0) || g % 400 == 0;
	unsigned max = month == 2 && !leap ? 28 : mdays[month - 1];
	if (day > max)
		return load_fail(ld, "day %u does not exist in month %u of %u", day, month, year);
	return 0;
}

/* ---- one handler per key ------------------------------------------------- */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int key_atr(struct load *ld, const char *v)
{
	size_t n = 0;

	for (const char *p = v; *p;) {
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		int hi = hex_value(p[0]), lo = hi < 0 ? -1 : hex_value(p[1]);
		if (lo < 0)
			return load_fail(ld, "expected hex bytes like '3B 79 96 ...'");
		if (n == VCARD_ATR_MAX)
			return load_fail(ld, "longer than %d bytes", VCARD_ATR_MAX);
		ld->card->atr[n++] = (unsigned char)(hi << 4 | lo);
		p += 2;
	}
	if (n < 2)
		return load_fail(ld, "an ATR has at least 2 bytes");
	if (ld->card->atr[0] != 0x3B && ld->card->atr[0] != 0x3F)
		return load_fail(ld, "first byte must be 3B or 3F, not %02X", ld->card->atr[0]);
	ld->card->atr_len = n;
	return 0;
}

static int field_put_ascii(struct load *ld, size_t off, size_t cap, const char *v)
{
	if (ascii_check(ld, v, cap) < 0)
		return -1;
	image_put(ld, off, v, strlen(v));
	return 0;
}

static int key_version(struct load *ld, const char *v)
{
	return field_put_ascii(ld, OFF_VERSION, LEN_VERSION, v);
}

static int key_cid(struct load *ld, const char *v)
{
	if (strlen(v) != LEN_CID || !all_digits(v, LEN_CID))
		return load_fail(ld, "'%s' is not 13 digits", v);
	int want = cid_check_digit(v);
	if (v[12] - '0' != want)
		return load_fail(ld, "check digit should be %d, not %c (use --odd bad-checksum "
				     "for a card with a bad one)", want, v[12]);
	image_put(ld, OFF_CID, v, LEN_CID);
	return 0;
}

/* title#first#middle#last: exactly four parts, a first name required. */
static int name_check_layout(struct load *ld, const char *v)
{
	const char *h1 = strchr(v, '#');
	const char *h2 = h1 ? strchr(h1 + 1, '#') : NULL;
	const char *h3 = h2 ? strchr(h2 + 1, '#') : NULL;

	if (!h3 || strchr(h3 + 1, '#'))
		return load_fail(ld, "expected title#first#middle#last (middle may be empty)");
	if (h2 == h1 + 1)
		return load_fail(ld, "the first name is empty");
	return 0;
}

static int key_name_th(struct load *ld, const char *v)
{
	unsigned char conv[LINE_MAX_BYTES];
	size_t n;

	if (name_check_layout(ld, v) < 0 || field_put_thai(ld, OFF_NAME_TH, LEN_NAME, v, conv, &n) < 0)
		return -1;
	/* '#' is ASCII, so it sits at the same place in TIS-620 */
	const unsigned char *h1 = memchr(conv, '#', n);
	const unsigned char *h2 = memchr(h1 + 1, '#', n - (size_t)(h1 + 1 - conv));
	ld->th_first_off = (size_t)(h1 + 1 - conv);
	ld->th_first_len = (size_t)(h2 - h1 - 1);
	return 0;
}

static int key_name_en(struct load *ld, const char *v)
{
	if (name_check_layout(ld, v) < 0)
		return -1;
	return field_put_ascii(ld, OFF_NAME_EN, LEN_NAME, v);
}

static int key_birth(struct load *ld, const char *v)
{
	if (date_check(ld, v, true) < 0)
		return -1;
	image_put(ld, OFF_BIRTH, v, LEN_DATE);
	return 0;
}

static int key_gender(struct load *ld, const char *v)
{
	if (strlen(v) != LEN_GENDER || !all_digits(v, 1))
		return load_fail(ld, "one digit (1 male, 2 female), not '%s'", v);
	image_put(ld, OFF_GENDER, v, LEN_GENDER);
	return 0;
}

static int key_request_no(struct load *ld, const char *v)
{
	return field_put_ascii(ld, OFF_REQUEST_NO, LEN_REQUEST_NO, v);
}

static int key_issuer(struct load *ld, const char *v)
{
	unsigned char conv[LINE_MAX_BYTES];
	size_t n;

	return field_put_thai(ld, OFF_ISSUER, LEN_ISSUER, v, conv, &n);
}

static int key_issuer_code(struct load *ld, const char *v)
{
	return field_put_ascii(ld, OFF_ISSUER_CODE, LEN_ISSUER_CODE, v);
}

static int key_issue(struct load *ld, const char *v)
{
	if (date_check(ld, v, false) < 0)
		return -1;
	image_put(ld, OFF_ISSUE, v, LEN_DATE);
	ld->issue_line = ld->line;
	return 0;
}

static int key_expiry(struct load *ld, const char *v)
{
	if (strcmp(v, "99999999") != 0 && date_check(ld, v, false) < 0)
		return -1;
	image_put(ld, OFF_EXPIRY, v, LEN_DATE);
	return 0;
}

static int key_card_type(struct load *ld, const char *v)
{
	return field_put_ascii(ld, OFF_CARD_TYPE, LEN_CARD_TYPE, v);
}

static int key_address(struct load *ld, const char *v)
{
	unsigned char conv[LINE_MAX_BYTES];
	size_t n, slots = 1;

	for (const char *p = v; *p; p++)
		slots += *p == '#';
	if (slots > ADDRESS_SLOTS)
		return load_fail(ld, "%zu '#'-separated slots, a card has at most %d", slots,
				 ADDRESS_SLOTS);
	if (strspn(v, "# ") == strlen(v))
		return load_fail(ld, "empty");
	return field_put_thai(ld, OFF_ADDRESS, LEN_ADDRESS, v, conv, &n);
}

static int key_photo_no(struct load *ld, const char *v)
{
	return field_put_ascii(ld, OFF_PHOTO_NO, LEN_PHOTO_NO, v);
}

static int key_photo(struct load *ld, const char *v)
{
	char file[4096];
	const char *slash = strrchr(ld->path, '/');
	int dirlen = slash ? (int)(slash - ld->path) : 1;
	const char *dir = slash ? ld->path : ".";

	if (!*v)
		return load_fail(ld, "empty file name");
	int w = v[0] == '/' ? snprintf(file, sizeof file, "%s", v)
			    : snprintf(file, sizeof file, "%.*s/%s", dirlen, dir, v);
	if (w < 0 || (size_t)w >= sizeof file)
		return load_fail(ld, "path too long");

	FILE *f = fopen(file, "rb");
	if (!f)
		return load_fail(ld, "%s: %s", file, strerror(errno));
	/* one byte more than a card holds, to tell "too big" from "fits" */
	unsigned char buf[VCARD_PHOTO_MAX + 1];
	size_t n = fread(buf, 1, sizeof buf, f);
	bool rerr = ferror(f);
	fclose(f);
	if (rerr)
		return load_fail(ld, "%s: read error", file);
	if (n > VCARD_PHOTO_MAX)
		return load_fail(ld, "%s is over %d bytes, a card holds no more", file,
				 VCARD_PHOTO_MAX);
	if (n < 4 || buf[0] != 0xFF || buf[1] != 0xD8 || buf[n - 2] != 0xFF || buf[n - 1] != 0xD9)
		return load_fail(ld, "%s is not a JPEG (FF D8 ... FF D9)", file);
	memcpy(ld->photo, buf, n);
	ld->photo_len = n;
	return 0;
}

struct key_spec {
	const char *name;
	bool required;
	int (*put)(struct load *ld, const char *value);
};

static const struct key_spec keys[] = {
	{ "atr", false, key_atr },
	{ "version", false, key_version },
	{ "cid", true, key_cid },
	{ "name_th", true, key_name_th },
	{ "name_en", true, key_name_en },
	{ "birth", true, key_birth },
	{ "gender", true, key_gender },
	{ "request_no", false, key_request_no },
	{ "issuer", false, key_issuer },
	{ "issuer_code", false, key_issuer_code },
	{ "issue", true, key_issue },
	{ "expiry", true, key_expiry },
	{ "card_type", false, key_card_type },
	{ "address", true, key_address },
	{ "photo_no", false, key_photo_no },
	{ "photo", true, key_photo },
};

enum { KEY_COUNT = sizeof keys / sizeof keys[0] };

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int load_line(struct load *ld, char *line, unsigned seen[KEY_COUNT])
{
	char *colon = strchr(line, ':');

	if (!colon)
		return load_fail(ld, "expected 'key: value'");
	*colon = '\0';
	char *key = trim(line), *value = trim(colon + 1);
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (strcmp(key, keys[i].name) != 0)
			continue;
		if (seen[i])
			return load_fail(ld, "'%s' given again (first on line %u)", key, seen[i]);
		seen[i] = ld->line;
		ld->key = keys[i].name;
		int r = keys[i].put(ld, value);
		ld->key = NULL;
		return r;
	}
	return load_fail(ld, "unknown key '%s'", key);
}

static int load_file(struct load *ld, FILE *f)
{
	unsigned seen[KEY_COUNT] = { 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int r = 0;

	while (r == 0 && (len = getline(&line, &cap, f)) >= 0) {
		ld->line++;
		char *s = line;
		if (ld->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3; /* a byte-order mark some editors add */
		if ((size_t)len != strlen(line)) {
			r = load_fail(ld, "NUL byte in the line");
			break;
		}
		if (len >= LINE_MAX_BYTES) {
			r = load_fail(ld, "line longer than %d bytes", LINE_MAX_BYTES - 1);
			break;
		}
		s[strcspn(s, "\r\n")] = '\0';
		char *t = trim(s);
		if (*t == '\0' || *t == '#')
			continue;
		r = load_line(ld, t, seen);
	}
	if (r == 0 && ferror(f))
		r = load_fail(ld, "read error");
	free(line);
	if (r < 0)
		return r;

	ld->line = 0;
	for (size_t i = 0; i < KEY_COUNT; i++)
		if (keys[i].required && !seen[i])
			return load_fail(ld, "missing required key '%s'", keys[i].name);
	if (memcmp(ld->card->image + OFF_EXPIRY, "99999999", LEN_DATE) != 0 &&
	    memcmp(ld->card->image + OFF_EXPIRY, ld->card->image + OFF_ISSUE, LEN_DATE) <= 0) {
		for (size_t i = 0; i < KEY_COUNT; i++)
			if (strcmp(keys[i].name, "expiry") == 0)
				ld->line = seen[i];
		ld->key = "expiry";
		return load_fail(ld, "not after the issue date (line %u)", ld->issue_line);
	}
	return 0;
}

static void photo_length_put(struct vcard_card *card, unsigned len)
{
	card->image[OFF_PHOTO_LEN] = (unsigned char)(len >> 8);
	card->image[OFF_PHOTO_LEN + 1] = (unsigned char)len;
}

static int odds_apply(struct load *ld, unsigned odds)
{
	struct vcard_card *card = ld->card;
	unsigned char *img = card->image;

#define ODD(id) (odds & VCARD_ODD_BIT(id))
	if (ODD(VCARD_ODD_LIFELONG))
		memcpy(img + OFF_EXPIRY, "99999999", LEN_DATE);
	if (ODD(VCARD_ODD_UNKNOWN_BIRTH_DAY))
		memcpy(img + OFF_BIRTH + 6, "00", 2);
	if (ODD(VCARD_ODD_UNKNOWN_BIRTH_DATE))
		memcpy(img + OFF_BIRTH + 4, "0000", 4);
	if (ODD(VCARD_ODD_BAD_TIS620)) {
		if (ld->th_first_len < 2)
			return load_fail(ld, "--odd bad-tis620 needs a Thai first name of two "
					     "characters or more");
		img[OFF_NAME_TH + ld->th_first_off + 1] = 0xFF;
	}
	if (ODD(VCARD_ODD_BAD_CHECKSUM)) {
		unsigned char *d = img + OFF_CID + LEN_CID - 1;
		*d = (unsigned char)('0' + (*d - '0' + 1) % 10);
	}
	if (ODD(VCARD_ODD_BAD_DATE))
		memcpy(img + OFF_ISSUE, "25641399", LEN_DATE);
	if (ODD(VCARD_ODD_NO_PHOTO_LENGTH))
		photo_length_put(card, 0);
	if (ODD(VCARD_ODD_BAD_PHOTO_LENGTH))
		photo_length_put(card, 0xFFFF);
	if (ODD(VCARD_ODD_SHORT_PHOTO_LENGTH))
		photo_length_put(card, (unsigned)card->photo_len / 2);
	if (ODD(VCARD_ODD_TRUNCATED_PHOTO)) {
		size_t half = card->photo_len / 2;
		for (size_t i = 0; i + 1 < half; i++)
			if (img[OFF_PHOTO + i] == 0xFF && img[OFF_PHOTO + i + 1] == 0xD9)
				return load_fail(ld, "--odd truncated-photo: the photo has FF D9 "
						     "in its first half");
		memset(img + OFF_PHOTO + half, 0x20, card->photo_len - half);
		card->photo_len = half;
		photo_length_put(card, (unsigned)half);
	}
#undef ODD
	return 0;
}

int vcard_image_load(struct vcard_card *card, const char *path, unsigned odds, char *err,
		     size_t errsz)
{
	struct load *ld = calloc(1, sizeof *ld);
	int r = -1;

	if (!ld) {
		snprintf(err, errsz, "%s: out of memory", path);
		return -1;
	}
	ld->card = card;
	ld->path = path;
	ld->err = err;
	ld->errsz = errsz;
	ld->to_tis = (iconv_t)-1;

	memset(card, 0, sizeof *card);
	memset(card->image, 0x20, sizeof card->image);

	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	ld->to_tis = iconv_open("TIS-620", "UTF-8");
	if (ld->to_tis == (iconv_t)-1) {
		snprintf(err, errsz, "iconv_open(TIS-620, UTF-8): %s", strerror(errno));
		fclose(f);
		goto out;
	}
	r = load_file(ld, f);
	fclose(f);
	if (r < 0)
		goto out;

	if (!card->atr_len) {
		memcpy(card->atr, default_atr, sizeof default_atr);
		card->atr_len = sizeof default_atr;
	}
	memcpy(card->image + OFF_PHOTO, ld->photo, ld->photo_len);
	card->photo_len = ld->photo_len;
	photo_length_put(card, (unsigned)ld->photo_len);
	r = odds_apply(ld, odds);
out:
	if (ld->to_tis != (iconv_t)-1)
		iconv_close(ld->to_tis);
	free(ld);
	return r;
}
