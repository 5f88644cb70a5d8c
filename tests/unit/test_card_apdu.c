/* The T=0 command layer against a scripted link: each test lists the answers
 * the card gives and checks the commands sent and the outcome. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <winscard.h>

#include <cmocka.h>

#include "services/card/card_apdu.h"

struct answer {
	long rv;
	size_t len;
	uint8_t b[260];
};

struct script {
	const struct answer *answers;
	size_t n, next;
	uint8_t sent[16][16];
	size_t sent_len[16];
};

static long script_transmit(void *ctx, const uint8_t *cmd, size_t clen, uint8_t *resp, size_t *rlen)
{
	struct script *s = ctx;
	const struct answer *a;

	assert_true(s->next < s->n);
	if (s->next < 16) {
		memcpy(s->sent[s->next], cmd, clen < 16 ? clen : 16);
		s->sent_len[s->next] = clen;
	}
	a = &s->answers[s->next++];
	if (a->rv)
		return a->rv;
	assert_true(a->len <= *rlen);
	memcpy(resp, a->b, a->len);
	*rlen = a->len;
	return 0;
}

#define IO(sc) { .transmit = script_transmit, .ctx = &(sc) }
#define SCRIPT(arr) { .answers = (arr), .n = sizeof(arr) / sizeof((arr)[0]) }

static void select_accepts_61xx_without_get_response(void **state)
{
	static const struct answer a[] = { { 0, 2, { 0x61, 0x0A } } };
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);

	assert_int_equal(apdu_select_citizen(&io, NULL), 0);
	assert_int_equal(io.exchanges, 1);
	assert_int_equal(sc.sent_len[0], 13);
	assert_memory_equal(sc.sent[0], "\x00\xA4\x04\x00\x08\xA0\x00\x00\x00\x54\x48\x00\x01", 13);
}

static void select_refused_means_not_thai_id(void **state)
{
	static const struct answer a[] = { { 0, 2, { 0x6A, 0x82 } } };
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	tb_err err = { 0 };

	assert_int_equal(apdu_select_citizen(&io, &err), -1);
	assert_int_equal(err.id, TB_E_CARD_NOT_THAI_ID);
	assert_int_equal(err.detail, 0x6A82);
}

static void read_with_get_response(void **state)
{
	static const struct answer a[] = {
		{ 0, 2, { 0x61, 0x04 } },
		{ 0, 6, { 'A', 'B', 'C', 'D', 0x90, 0x00 } },
	};
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	uint8_t out[4];

	assert_int_equal(apdu_read(&io, 0x1579, 4, out, NULL), 0);
	assert_memory_equal(out, "ABCD", 4);
	assert_memory_equal(sc.sent[0], "\x80\xB0\x15\x79\x02\x00\x04", 7);
	assert_memory_equal(sc.sent[1], "\x00\xC0\x00\x00\x04", 5);
	assert_int_equal(io.exchanges, 2);
	assert_int_equal(io.bytes_sent, 12);
	assert_int_equal(io.bytes_received, 8);
}

static void read_honours_6c(void **state)
{
	static const struct answer a[] = {
		{ 0, 2, { 0x61, 0x02 } },
		{ 0, 2, { 0x6C, 0x02 } },
		{ 0, 4, { 'h', 'i', 0x90, 0x00 } },
	};
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	uint8_t out[2];

	assert_int_equal(apdu_read(&io, 0, 2, out, NULL), 0);
	assert_memory_equal(out, "hi", 2);
	assert_int_equal(sc.sent[2][4], 0x02);
}

static void get_response_p2_falls_back_to_01(void **state)
{
	static const struct answer a[] = {
		{ 0, 2, { 0x61, 0x01 } },
		{ 0, 2, { 0x6A, 0x86 } },
		{ 0, 3, { 'x', 0x90, 0x00 } },
		{ 0, 2, { 0x61, 0x01 } },
		{ 0, 3, { 'y', 0x90, 0x00 } },
	};
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	uint8_t out[1];

	assert_int_equal(apdu_read(&io, 0, 1, out, NULL), 0);
	assert_int_equal(sc.sent[1][3], 0x00);
	assert_int_equal(sc.sent[2][3], 0x01);
	/* The choice is kept: the next read asks with P2=01 straight away. */
	assert_int_equal(apdu_read(&io, 1, 1, out, NULL), 0);
	assert_int_equal(sc.sent[4][3], 0x01);
	assert_int_equal(out[0], 'y');
	assert_int_equal(io.exchanges, 5);
}

static void direct_answer_is_accepted(void **state)
{
	static const struct answer a[] = { { 0, 5, { 1, 2, 3, 0x90, 0x00 } } };
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	uint8_t out[3];

	assert_int_equal(apdu_read(&io, 0, 3, out, NULL), 0);
	assert_memory_equal(out, "\x01\x02\x03", 3);
}

static void wrong_status_is_an_error(void **state)
{
	static const struct answer a[] = { { 0, 2, { 0x6F, 0x00 } } };
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	tb_err err = { 0 };
	uint8_t out[3];

	assert_int_equal(apdu_read(&io, 0, 3, out, &err), -1);
	assert_int_equal(err.id, TB_E_CARD_STATUS);
	assert_int_equal(err.detail, 0x6F00);
}

static void short_data_is_an_error(void **state)
{
	static const struct answer a[] = {
		{ 0, 2, { 0x61, 0x03 } },
		{ 0, 4, { 1, 2, 0x90, 0x00 } },
	};
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	tb_err err = { 0 };
	uint8_t out[3];

	assert_int_equal(apdu_read(&io, 0, 3, out, &err), -1);
	assert_int_equal(err.id, TB_E_CARD_SHORT);
	assert_int_equal(err.detail, 2);
}

/* A hostile card offers 255 bytes (61 FF) for a 124-byte read: refused before
 * GET RESPONSE, and nothing lands in the caller's buffer. */
static void offer_beyond_the_length_asked_is_refused(void **state)
{
	static const struct answer a[] = { { 0, 2, { 0x61, 0xFF } } };
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	tb_err err = { 0 };
	uint8_t out[124 + 8];

	memset(out, 0xAA, sizeof out);
	assert_int_equal(apdu_read(&io, 0x00FF, 124, out, &err), -1);
	assert_int_equal(err.id, TB_E_CARD_OVERLONG);
	assert_int_equal(err.detail, 0x61FF);
	assert_int_equal(io.exchanges, 1);
	for (size_t i = 0; i < sizeof out; i++)
		assert_int_equal(out[i], 0xAA);
}

/* A GET RESPONSE that brings 255 bytes when fewer were asked for: the length
 * is checked before the copy, so the bytes past the asked length stay as
 * they were. */
static struct answer big_answer(size_t data)
{
	struct answer a = { 0, data + 2, { 0 } };

	memset(a.b, 'Z', data);
	a.b[data] = 0x90;
	a.b[data + 1] = 0x00;
	return a;
}

static void get_response_longer_than_asked_is_refused(void **state)
{
	struct answer a[2] = { { 0, 2, { 0x61, 0x10 } }, big_answer(255) };
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	tb_err err = { 0 };
	uint8_t out[16 + 8];

	memset(out, 0xAA, sizeof out);
	assert_int_equal(apdu_read(&io, 0, 16, out, &err), -1);
	assert_int_equal(err.id, TB_E_CARD_OVERLONG);
	assert_int_equal(err.detail, 255);
	for (size_t i = 0; i < sizeof out; i++)
		assert_int_equal(out[i], 0xAA);
}

/* 6C FF after a 16-byte offer: the card asks for a repeat with more than was
 * asked, which would copy 255 bytes; refused without asking again. */
static void repeat_asking_for_more_is_refused(void **state)
{
	static const struct answer a[] = {
		{ 0, 2, { 0x61, 0x10 } },
		{ 0, 2, { 0x6C, 0xFF } },
	};
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	tb_err err = { 0 };
	uint8_t out[16];

	assert_int_equal(apdu_read(&io, 0, 16, out, &err), -1);
	assert_int_equal(err.id, TB_E_CARD_OVERLONG);
	assert_int_equal(err.detail, 0x6CFF);
	assert_int_equal(io.exchanges, 2);
}

/* 61 00 means 256 bytes in T=0: more than any read. */
static void offer_of_256_is_refused(void **state)
{
	static const struct answer a[] = { { 0, 2, { 0x61, 0x00 } } };
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	tb_err err = { 0 };
	uint8_t out[255];

	assert_int_equal(apdu_read(&io, 0, 255, out, &err), -1);
	assert_int_equal(err.id, TB_E_CARD_OVERLONG);
}

/* A direct answer (data + 90 00) longer than asked is the same fault. */
static void direct_answer_longer_than_asked_is_refused(void **state)
{
	struct answer a[1] = { big_answer(255) };
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	tb_err err = { 0 };
	uint8_t out[3 + 8];

	memset(out, 0xAA, sizeof out);
	assert_int_equal(apdu_read(&io, 0, 3, out, &err), -1);
	assert_int_equal(err.id, TB_E_CARD_OVERLONG);
	for (size_t i = 0; i < sizeof out; i++)
		assert_int_equal(out[i], 0xAA);
}

static void answer_without_status_word(void **state)
{
	static const struct answer a[] = { { 0, 1, { 0x90 } } };
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	tb_err err = { 0 };
	uint8_t out[1];

	assert_int_equal(apdu_read(&io, 0, 1, out, &err), -1);
	assert_int_equal(err.id, TB_E_CARD_STATUS);
}

static void endless_6c_gives_up(void **state)
{
	static const struct answer a[] = {
		{ 0, 2, { 0x61, 0x01 } },
		{ 0, 2, { 0x6C, 0x01 } },
		{ 0, 2, { 0x6C, 0x01 } },
		{ 0, 2, { 0x6C, 0x01 } },
	};
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	tb_err err = { 0 };
	uint8_t out[1];

	assert_int_equal(apdu_read(&io, 0, 1, out, &err), -1);
	assert_int_equal(err.id, TB_E_CARD_STATUS);
	assert_int_equal(io.exchanges, 4);
}

static void removed_card_maps_to_its_error(void **state)
{
	static const struct answer a[] = { { (long)SCARD_W_REMOVED_CARD, 0, { 0 } } };
	struct script sc = SCRIPT(a);
	struct card_io io = IO(sc);
	tb_err err = { 0 };
	uint8_t out[1];

	assert_int_equal(apdu_read(&io, 0, 1, out, &err), -1);
	assert_int_equal(err.id, TB_E_CARD_REMOVED);
	assert_int_equal((unsigned long)err.detail, (unsigned long)SCARD_W_REMOVED_CARD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(select_accepts_61xx_without_get_response),
		cmocka_unit_test(select_refused_means_not_thai_id),
		cmocka_unit_test(read_with_get_response),
		cmocka_unit_test(read_honours_6c),
		cmocka_unit_test(get_response_p2_falls_back_to_01),
		cmocka_unit_test(direct_answer_is_accepted),
		cmocka_unit_test(wrong_status_is_an_error),
		cmocka_unit_test(short_data_is_an_error),
		cmocka_unit_test(offer_beyond_the_length_asked_is_refused),
		cmocka_unit_test(get_response_longer_than_asked_is_refused),
		cmocka_unit_test(repeat_asking_for_more_is_refused),
		cmocka_unit_test(offer_of_256_is_refused),
		cmocka_unit_test(direct_answer_longer_than_asked_is_refused),
		cmocka_unit_test(answer_without_status_word),
		cmocka_unit_test(endless_6c_gives_up),
		cmocka_unit_test(removed_card_maps_to_its_error),
	};
	return cmocka_run_group_tests_name("card commands", tests, NULL, NULL);
}
