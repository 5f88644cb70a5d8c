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

#include "services/card_apdu.h"

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
		cmocka_unit_test(answer_without_status_word),
		cmocka_unit_test(endless_6c_gives_up),
		cmocka_unit_test(removed_card_maps_to_its_error),
	};
	return cmocka_run_group_tests_name("card commands", tests, NULL, NULL);
}
