/* The card's layouts: the photo's JPEG extent, a whole header and tail
 * built byte by byte from the memory map, and the decoded record's copy,
 * free and warnings. */
#include "config.h"

#include "tests/unit/card_decode_fixture.h"

/* ---- photo --------------------------------------------------------------------------- */

static void test_jpeg_trailing_padding(void **state UNUSED)
{
	uint8_t buf[64];
	size_t len = 99;

	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\xFF\xD9", 13);
	assert_int_equal(jpeg_extent(buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 13);

	memset(buf + 13, 0, sizeof(buf) - 13);
	len = 99;
	assert_int_equal(jpeg_extent(buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 13);

	/* No padding at all: the whole buffer. */
	assert_int_equal(jpeg_extent(buf, 13, &len), 0);
	assert_int_equal(len, 13);
}

static void test_jpeg_missing_markers(void **state UNUSED)
{
	static const uint8_t no_soi[] = { 0x00, 0xD8, 0xFF, 0xE0, 0xFF, 0xD9 };
	static const uint8_t no_eoi[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x12, 0xFF, 0x20 };
	static const uint8_t tiny[] = { 0xFF, 0xD8 };
	size_t len = 5;

	assert_int_equal(jpeg_extent(no_soi, sizeof(no_soi), &len), -1);
	assert_int_equal(jpeg_extent(no_eoi, sizeof(no_eoi), &len), -1);
	assert_int_equal(jpeg_extent(tiny, sizeof(tiny), &len), -1);
	assert_int_equal(jpeg_extent(NULL, 0, &len), -1);
}

static void test_jpeg_last_eoi_wins(void **state UNUSED)
{
	static const uint8_t buf[] = { 0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xD9, /* thumbnail end */
				       0x11, 0x22, 0xFF, 0xDA, 0x33, 0xFF, 0xD9,
				       0x00, 0x20, 0x20 };
	size_t len = 0;

	assert_int_equal(jpeg_extent(buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 13);
}

static void test_photo_len_field(void **state UNUSED)
{
	uint8_t h[CARD_LEN_HEADER];

	memset(h, ' ', sizeof(h));
	h[0x179] = 0x0F;
	h[0x17A] = 0xA0;
	assert_int_equal(card_photo_len_field(h), 4000);
	h[0x179] = 0x13;
	h[0x17A] = 0xEC;
	assert_int_equal(card_photo_len_field(h), 5100);
	h[0x17A] = 0xED;
	assert_int_equal(card_photo_len_field(h), 0); /* 5101: too long */
	h[0x179] = 0;
	h[0x17A] = 0;
	assert_int_equal(card_photo_len_field(h), 0);
	h[0x179] = 0x20; /* spaces: a card without the field */
	h[0x17A] = 0x20;
	assert_int_equal(card_photo_len_field(h), 0);
	h[0x179] = 0x00;
	h[0x17A] = 0x01;
	assert_int_equal(card_photo_len_field(h), 1);
}

/* ---- whole header and tail ------------------------------------------------------------ */

static void test_header_decode_good(void **state UNUSED)
{
	uint8_t h[CARD_LEN_HEADER];
	struct card_record *r = card_record_new();

	assert_non_null(r);
	hdr_build(h);
	card_header_decode(h, r);
	assert_true(r->have & CARD_HAVE_HEADER);
	assert_int_equal(r->flags, 0);
	assert_int_equal(r->nwarn, 0);
	assert_string_equal(r->version, "0003");
	assert_string_equal(r->cid, good_cid);
	assert_string_equal(r->th.title, "นางสาว");
	assert_string_equal(r->th.first, "น้ำผึ้ง");
	assert_string_equal(r->th.middle, "");
	assert_string_equal(r->th.last, "ศรีสุวรรณ์");
	assert_string_equal(r->en.title, "Miss");
	assert_string_equal(r->en.first, "Namphueng");
	assert_string_equal(r->en.last, "Srisuwan");
	assert_int_equal(r->birth.year, 2536);
	assert_int_equal(r->birth.month, 7);
	assert_int_equal(r->birth.day, 19);
	assert_int_equal(r->gender, CARD_GENDER_FEMALE);
	assert_string_equal(r->request_no, "1001-01-12345678");
	assert_string_equal(r->issuer, "อำเภอปากเกร็ด/นนทบุรี");
	assert_string_equal(r->issuer_code, "1203000012345");
	assert_int_equal(r->issue.year, 2564);
	assert_int_equal(r->issue.month, 1);
	assert_int_equal(r->issue.day, 1);
	assert_int_equal(r->expiry.year, 2572);
	assert_int_equal(r->expiry.month, 7);
	assert_int_equal(r->expiry.day, 18);
	assert_false(r->expiry.lifelong);
	assert_string_equal(r->card_type, "01");
	assert_int_equal(card_photo_len_field(h), 4000);
	card_record_free(&r);
}

static void test_header_lifelong_and_unknown_birth_day(void **state UNUSED)
{
	uint8_t h[CARD_LEN_HEADER];
	struct card_record *r = card_record_new();

	hdr_build(h);
	put_ascii(h, H_EXPIRY, 8, "99999999");
	put_ascii(h, H_BIRTH, 8, "24900000");
	h[H_GENDER] = '1';
	card_header_decode(h, r);
	assert_int_equal(r->nwarn, 0);
	assert_true(r->expiry.lifelong);
	assert_int_equal(r->birth.year, 2490);
	assert_int_equal(r->birth.month, 0);
	assert_int_equal(r->gender, CARD_GENDER_MALE);
	card_record_free(&r);
}

static void test_header_bad_checksum(void **state UNUSED)
{
	uint8_t h[CARD_LEN_HEADER];
	struct card_record *r = card_record_new();
	const tb_err *w;
	char shown[14];

	hdr_build(h);
	h[H_CID + 12] = good_cid[12] == '9' ? '0' : (uint8_t)(good_cid[12] + 1);
	memcpy(shown, h + H_CID, 13);
	shown[13] = '\0';
	card_header_decode(h, r);
	assert_true(r->flags & CARD_FLAG_CID_BAD);
	w = warn_find(r, "cid");
	assert_non_null(w);
	assert_int_equal(w->id, TB_E_CARD_CID);
	assert_string_equal(r->cid, shown); /* shown as read, never hidden */
	assert_string_equal(r->th.first, "น้ำผึ้ง"); /* the rest still decoded */
	card_record_free(&r);
}

static void test_header_bad_thai_byte(void **state UNUSED)
{
	uint8_t h[CARD_LEN_HEADER];
	struct card_record *r = card_record_new();
	const tb_err *w;

	hdr_build(h);
	h[H_NAME_TH + 8] = 0xFF; /* inside the first name */
	card_header_decode(h, r);
	assert_true(r->flags & CARD_FLAG_TEXT_BAD);
	assert_false(r->flags & CARD_FLAG_CID_BAD);
	w = warn_find(r, "name_th");
	assert_non_null(w);
	assert_int_equal(w->id, TB_E_CARD_TEXT);
	assert_int_equal(w->detail, 8);
	assert_non_null(strstr(r->th.first, U_FFFD));
	assert_string_equal(r->th.title, "นางสาว");
	assert_string_equal(r->th.last, "ศรีสุวรรณ์");
	card_record_free(&r);
}

static void test_header_bad_date(void **state UNUSED)
{
	uint8_t h[CARD_LEN_HEADER];
	struct card_record *r = card_record_new();
	const tb_err *w;

	hdr_build(h);
	put_ascii(h, H_EXPIRY, 8, "25721345");
	card_header_decode(h, r);
	assert_true(r->flags & CARD_FLAG_DATE_BAD);
	w = warn_find(r, "expiry");
	assert_non_null(w);
	assert_int_equal(w->id, TB_E_CARD_DATE);
	assert_null(warn_find(r, "birth"));
	assert_int_equal(r->birth.year, 2536);

	put_ascii(h, H_BIRTH, 8, "2536021x");
	card_header_decode(h, r);
	assert_non_null(warn_find(r, "birth"));
	card_record_free(&r);
}

static void test_tail_decode(void **state UNUSED)
{
	uint8_t t[CARD_LEN_TAIL];
	struct card_record *r = card_record_new();

	memset(t, ' ', sizeof(t));
	put_thai(t, 0, CARD_LEN_ADDRESS,
		 "111/11#####แขวงลาดยาว#เขตจตุจักร#กรุงเทพมหานคร");
	put_ascii(t, CARD_LEN_ADDRESS, CARD_LEN_PHOTO_NO, "12345678901234");
	card_tail_decode(t, r);
	assert_true(r->have & CARD_HAVE_ADDRESS);
	assert_int_equal(r->nwarn, 0);
	assert_string_equal(r->addr.house_no, "111/11");
	assert_string_equal(r->addr.district, "จตุจักร");
	assert_string_equal(r->addr.province, "กรุงเทพมหานคร");
	assert_string_equal(r->photo_no, "12345678901234");
	card_record_free(&r);
}

static void test_tail_bad_byte(void **state UNUSED)
{
	uint8_t t[CARD_LEN_TAIL];
	struct card_record *r = card_record_new();
	const tb_err *w;
	size_t n;

	memset(t, ' ', sizeof(t));
	n = tis_from_utf8("5#ถนนสุขุมวิท", t, CARD_LEN_ADDRESS);
	t[n] = 0x9F;
	card_tail_decode(t, r);
	assert_true(r->flags & CARD_FLAG_TEXT_BAD);
	w = warn_find(r, "address");
	assert_non_null(w);
	assert_int_equal(w->id, TB_E_CARD_TEXT);
	assert_int_equal(w->detail, (long)n);
	assert_string_equal(r->addr.road, "สุขุมวิท" U_FFFD);
	card_record_free(&r);
}

/* ---- record ---------------------------------------------------------------------------- */

static void test_record_dup_and_free(void **state UNUSED)
{
	static const uint8_t jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x01, 0xFF, 0xD9 };
	uint8_t h[CARD_LEN_HEADER];
	struct card_record *r = card_record_new();
	struct card_record *c;

	hdr_build(h);
	card_header_decode(h, r);
	r->photo = malloc(sizeof(jpeg));
	assert_non_null(r->photo);
	memcpy(r->photo, jpeg, sizeof(jpeg));
	r->photo_len = sizeof(jpeg);
	r->have |= CARD_HAVE_PHOTO;

	c = card_record_dup(r);
	assert_non_null(c);
	assert_ptr_not_equal(c->photo, r->photo); /* a copy, not shared */
	assert_int_equal(c->photo_len, sizeof(jpeg));
	assert_memory_equal(c->photo, jpeg, sizeof(jpeg));
	assert_string_equal(c->th.last, "ศรีสุวรรณ์");

	card_record_free(&r);
	assert_null(r);
	/* The copy outlives the original. */
	assert_memory_equal(c->photo, jpeg, sizeof(jpeg));
	assert_string_equal(c->cid, good_cid);
	card_record_free(&c);
	assert_null(c);
	card_record_free(&c); /* freeing twice through the same pointer is safe */
	card_record_free(NULL);
}

static void test_record_dup_without_photo(void **state UNUSED)
{
	struct card_record *r = card_record_new();
	struct card_record *c;

	assert_non_null(r);
	assert_null(r->photo);
	c = card_record_dup(r);
	assert_non_null(c);
	assert_null(c->photo);
	assert_int_equal(c->photo_len, 0);
	card_record_free(&c);
	card_record_free(&r);
	assert_null(card_record_dup(NULL));
}

static void test_record_warn_overflow(void **state UNUSED)
{
	struct card_record *r = card_record_new();
	int i;

	for (i = 0; i < CARD_WARN_MAX + 3; i++)
		card_record_warn(r, CARD_FLAG_DATE_BAD, TB_E_CARD_DATE, i, "birth");
	card_record_warn(r, CARD_FLAG_PHOTO_BAD, TB_E_CARD_PHOTO, 0, "photo");
	assert_int_equal(r->nwarn, CARD_WARN_MAX);
	assert_int_equal(r->warn[0].id, TB_E_CARD_DATE);
	assert_int_equal(r->warn[CARD_WARN_MAX - 1].detail, CARD_WARN_MAX - 1);
	/* Past the limit the flag still tells the clerk. */
	assert_true(r->flags & CARD_FLAG_PHOTO_BAD);
	card_record_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jpeg_trailing_padding),
		cmocka_unit_test(test_jpeg_missing_markers),
		cmocka_unit_test(test_jpeg_last_eoi_wins),
		cmocka_unit_test(test_photo_len_field),
		cmocka_unit_test(test_header_decode_good),
		cmocka_unit_test(test_header_lifelong_and_unknown_birth_day),
		cmocka_unit_test(test_header_bad_checksum),
		cmocka_unit_test(test_header_bad_thai_byte),
		cmocka_unit_test(test_header_bad_date),
		cmocka_unit_test(test_tail_decode),
		cmocka_unit_test(test_tail_bad_byte),
		cmocka_unit_test(test_record_dup_and_free),
		cmocka_unit_test(test_record_dup_without_photo),
		cmocka_unit_test(test_record_warn_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
