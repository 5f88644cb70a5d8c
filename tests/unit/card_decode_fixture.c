#include "config.h"

#include "tests/unit/card_decode_fixture.h"

size_t tis_from_utf8(const char *s, uint8_t *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p) {
		unsigned cp;

		if (*p < 0x80) {
			cp = *p++;
		} else {
			assert_int_equal(*p & 0xF0, 0xE0); /* Thai is 3 bytes */
			cp = ((unsigned)(p[0] & 0x0F) << 12) |
			     ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
			p += 3;
			assert_true(cp >= 0x0E01 && cp <= 0x0E5B);
			cp = cp - 0x0E01 + 0xA1;
		}
		assert_true(n < outsz);
		out[n++] = (uint8_t)cp;
	}
	return n;
}

void put_ascii(uint8_t *buf, size_t off, size_t len, const char *s)
{
	size_t n = strlen(s);

	assert_true(n <= len);
	memset(buf + off, ' ', len);
	memcpy(buf + off, s, n);
}

void put_thai(uint8_t *buf, size_t off, size_t len, const char *utf8)
{
	memset(buf + off, ' ', len);
	tis_from_utf8(utf8, buf + off, len);
}

void cid_make(const char *d12, char out[14])
{
	int sum = 0, i;

	for (i = 0; i < 12; i++) {
		out[i] = d12[i];
		sum += (d12[i] - '0') * (13 - i);
	}
	out[12] = (char)('0' + (11 - sum % 11) % 10);
	out[13] = '\0';
}

int utf8_whole(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int k = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : 3;

		p++;
		while (k-- > 0)
			if ((*p++ & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

char good_cid[14];

void hdr_build(uint8_t h[CARD_LEN_HEADER])
{
	memset(h, ' ', CARD_LEN_HEADER);
	cid_make("310100123456", good_cid);
	put_ascii(h, H_VERSION, 4, "0003");
	put_ascii(h, H_CID, 13, good_cid);
	put_thai(h, H_NAME_TH, 100, "นางสาว#น้ำผึ้ง##ศรีสุวรรณ์");
	put_ascii(h, H_NAME_EN, 100, "Miss#Namphueng##Srisuwan");
	put_ascii(h, H_BIRTH, 8, "25360719");
	h[H_GENDER] = '2';
	put_ascii(h, H_REQUEST, 20, "1001-01-12345678");
	put_thai(h, H_ISSUER, 100, "อำเภอปากเกร็ด/นนทบุรี");
	put_ascii(h, H_ISSUER_CODE, 13, "1203000012345");
	put_ascii(h, H_ISSUE, 8, "25640101");
	put_ascii(h, H_EXPIRY, 8, "25720718");
	put_ascii(h, H_CARD_TYPE, 2, "01");
	h[H_PHOTO_LEN] = 0x0F; /* 4000, big-endian */
	h[H_PHOTO_LEN + 1] = 0xA0;
}

const tb_err *warn_find(const struct card_record *r, const char *field)
{
	int i;

	for (i = 0; i < r->nwarn; i++)
		if (r->warn[i].field && strcmp(r->warn[i].field, field) == 0)
			return &r->warn[i];
	return NULL;
}
