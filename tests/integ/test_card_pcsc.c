/* The card service against the real stack: libpcsclite -> a private pcscd ->
 * vpcd -> the virtual card.  The tests run in order: first without pcscd,
 * then with a pcscd that has no reader, then with the virtual reader. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <winscard.h>

#include <cmocka.h>

#include "services/card/card.h"
#include "services/card/card_decode.h"
#include "services/card/card_monitor.h"
#include "tests/lib/harness.h"

static struct harness H;

static void expect_name(const char *fixture, const char *key, const struct card_name *n)
{
	char v[512], *parts[4] = { 0 }, *p = v;

	assert_int_equal(harness_fixture_value(fixture, key, v, sizeof v), 0);
	for (int i = 0; i < 4; i++) {
		parts[i] = p;
		p = strchr(p, '#');
		if (p)
			*p++ = '\0';
		else
			p = "";
	}
	assert_string_equal(n->title, parts[0]);
	assert_string_equal(n->first, parts[1]);
	assert_string_equal(n->middle, parts[2]);
	assert_string_equal(n->last, parts[3]);
}

/* The fixture's address as the card service should join it. */
static void expect_address(const char *fixture, const char *full)
{
	char v[1024], want[1024] = "";
	char *tok, *save = NULL;

	assert_int_equal(harness_fixture_value(fixture, "address", v, sizeof v), 0);
	for (tok = strtok_r(v, "#", &save); tok; tok = strtok_r(NULL, "#", &save)) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		if (want[0])
			strcat(want, " ");
		strcat(want, tok);
	}
	assert_string_equal(full, want);
}

static void expect_date(const char *fixture, const char *key, const struct card_date *d)
{
	char v[32], got[32];

	assert_int_equal(harness_fixture_value(fixture, key, v, sizeof v), 0);
	if (strcmp(v, "99999999") == 0) {
		assert_true(d->lifelong);
		return;
	}
	snprintf(got, sizeof got, "%04d%02d%02d", d->year, d->month, d->day);
	assert_string_equal(got, v);
}

static struct card_record *read_card(unsigned flags, struct card_read_stats *st, tb_err *err)
{
	struct card_ctx *c = card_ctx_new(err);
	struct card_record *r = NULL;

	assert_non_null(c);
	if (card_read(c, NULL, flags, NULL, &r, st, err))
		r = NULL;
	card_ctx_free(&c);
	return r;
}

static void insert(const char *fixture, const char *const *args)
{
	assert_int_equal(harness_insert(&H, fixture, args, true), 0);
}

static void pull(void)
{
	assert_int_equal(harness_remove(&H), 0);
}

/* --- without pcscd, without a reader ------------------------------------ */

static void no_pcscd_says_so(void **state)
{
	tb_err err = { 0 };
	struct card_ctx *c = card_ctx_new(&err);

	assert_null(c);
	assert_int_equal(err.id, TB_E_PCSC_NO_SERVICE);
	assert_string_equal(err_code(err.id), "PCSCD-DOWN");
}

static void no_reader_says_so(void **state)
{
	tb_err err = { 0 };
	struct card_ctx *c;
	struct card_record *r = NULL;
	char buf[256];

	assert_int_equal(harness_pcscd_start(&H, false), 0);
	c = card_ctx_new(&err);
	assert_non_null(c);
	assert_int_equal(card_readers(c, buf, sizeof buf, &err), 0);
	assert_int_equal(card_read(c, NULL, CARD_READ_PHOTO, NULL, &r, NULL, &err), -1);
	assert_null(r);
	assert_int_equal(err.id, TB_E_PCSC_NO_READER);
	card_ctx_free(&c);
	harness_pcscd_stop(&H);
	assert_int_equal(harness_pcscd_start(&H, true), 0);
}

static void no_card_says_so(void **state)
{
	tb_err err = { 0 };
	struct card_ctx *c = card_ctx_new(&err);
	struct card_record *r = NULL;
	char reader[128];

	assert_non_null(c);
	assert_int_equal(card_read(c, NULL, 0, NULL, &r, NULL, &err), -1);
	assert_int_equal(err.id, TB_E_PCSC_NO_CARD);
	/* Waiting with a deadline gives the same clear answer. */
	assert_int_equal(card_wait(c, NULL, 300, reader, sizeof reader, &err), -1);
	assert_int_equal(err.id, TB_E_PCSC_NO_CARD);
	card_ctx_free(&c);
}

/* --- whole reads equal the fixtures ---------------------------------------- */

static void check_fixture(const char *fixture)
{
	struct card_read_stats st;
	tb_err err = { 0 };
	struct card_record *r;
	unsigned char *photo;
	size_t plen = 0;
	char v[256];

	insert(fixture, NULL);
	r = read_card(CARD_READ_PHOTO, &st, &err);
	assert_non_null(r);
	assert_int_equal(harness_fixture_value(fixture, "cid", v, sizeof v), 0);
	assert_string_equal(r->cid, v);
	assert_true(cid_valid(r->cid));
	assert_int_equal(r->flags, 0);
	expect_name(fixture, "name_th", &r->th);
	expect_name(fixture, "name_en", &r->en);
	expect_date(fixture, "birth", &r->birth);
	expect_date(fixture, "issue", &r->issue);
	expect_date(fixture, "expiry", &r->expiry);
	expect_address(fixture, r->addr.full);
	assert_int_equal(harness_fixture_value(fixture, "issuer", v, sizeof v), 0);
	assert_string_equal(r->issuer, v);
	assert_int_equal(harness_fixture_value(fixture, "gender", v, sizeof v), 0);
	assert_int_equal((int)r->gender, atoi(v));

	photo = harness_fixture_photo(fixture, &plen);
	assert_non_null(photo);
	assert_non_null(r->photo);
	assert_int_equal(r->photo_len, plen);
	assert_memory_equal(r->photo, photo, plen);
	free(photo);

	/* The read plan: select, 2 header reads, 1 address read, the photo by
	 * its length field, each read followed by GET RESPONSE. */
	assert_int_equal(st.exchanges, 1 + 2 * (3 + (unsigned)((plen + 254) / 255)));
	assert_true(st.exchanges <= 50);
	assert_false(st.photo_len_fallback);
	assert_true(r->have == (CARD_HAVE_HEADER | CARD_HAVE_ADDRESS | CARD_HAVE_PHOTO));
	card_record_free(&r);
	assert_null(r);
	pull();
}

static void reads_somchai(void **state) { check_fixture("somchai"); }
static void reads_malee(void **state) { check_fixture("malee"); }
static void reads_boonruen(void **state) { check_fixture("boonruen"); }
static void reads_thana(void **state) { check_fixture("thana"); }

static void bangkok_address_parts(void **state)
{
	tb_err err = { 0 };
	struct card_record *r;

	insert("malee", NULL);
	r = read_card(0, NULL, &err);
	assert_non_null(r);
	assert_string_equal(r->addr.province, "กรุงเทพมหานคร");
	assert_true(r->addr.subdistrict[0] && r->addr.district[0]);
	assert_null(r->photo); /* not asked for */
	card_record_free(&r);
	pull();
}

static void text_only_read_is_short(void **state)
{
	struct card_read_stats st;
	tb_err err = { 0 };
	struct card_record *r;

	insert("somchai", NULL);
	r = read_card(0, &st, &err);
	assert_non_null(r);
	assert_int_equal(st.exchanges, 7);
	assert_true(r->have == (CARD_HAVE_HEADER | CARD_HAVE_ADDRESS));
	card_record_free(&r);
	pull();
}

/* --- odd cards: flagged, never hidden ----------------------------------------- */

static struct card_record *read_odd(const char *fixture, const char *odd, unsigned flags,
				    struct card_read_stats *st, tb_err *err)
{
	const char *args[] = { "--odd", odd, NULL };
	struct card_record *r;

	insert(fixture, args);
	r = read_card(flags, st, err);
	pull();
	return r;
}

static void bad_checksum_flagged(void **state)
{
	tb_err err = { 0 };
	struct card_record *r = read_odd("somchai", "bad-checksum", 0, NULL, &err);
	char cid[32];

	assert_non_null(r);
	assert_true(r->flags & CARD_FLAG_CID_BAD);
	assert_int_equal(r->warn[0].id, TB_E_CARD_CID);
	harness_fixture_value("somchai", "cid", cid, sizeof cid);
	assert_memory_equal(r->cid, cid, 12);  /* the number is still shown */
	assert_false(cid_valid(r->cid));
	card_record_free(&r);
}

static void bad_tis620_flagged(void **state)
{
	tb_err err = { 0 };
	struct card_record *r = read_odd("somchai", "bad-tis620", 0, NULL, &err);

	assert_non_null(r);
	assert_true(r->flags & CARD_FLAG_TEXT_BAD);
	assert_int_equal(r->warn[0].id, TB_E_CARD_TEXT);
	assert_string_equal(r->warn[0].field, "name_th");
	assert_non_null(strstr(r->th.first, "\xEF\xBF\xBD")); /* U+FFFD in place */
	card_record_free(&r);
}

static void lifelong_and_unknown_birth_day(void **state)
{
	tb_err err = { 0 };
	struct card_record *r = read_odd("somchai", "lifelong", 0, NULL, &err);

	assert_non_null(r);
	assert_true(r->expiry.lifelong);
	assert_int_equal(r->flags, 0);
	card_record_free(&r);
	r = read_odd("somchai", "unknown-birth-day", 0, NULL, &err);
	assert_non_null(r);
	assert_int_equal(r->birth.day, 0);
	assert_true(r->birth.month > 0);
	assert_int_equal(r->flags, 0);
	card_record_free(&r);
}

static void bad_date_flagged(void **state)
{
	tb_err err = { 0 };
	struct card_record *r = read_odd("somchai", "bad-date", 0, NULL, &err);

	assert_non_null(r);
	assert_true(r->flags & CARD_FLAG_DATE_BAD);
	assert_int_equal(r->warn[0].id, TB_E_CARD_DATE);
	assert_string_equal(r->warn[0].field, "issue");
	card_record_free(&r);
}

static void photo_without_length_field(void **state)
{
	static const char *odd[] = { "no-photo-length", "bad-photo-length", "short-photo-length" };
	unsigned char *photo;
	size_t plen = 0;

	photo = harness_fixture_photo("somchai", &plen);
	assert_non_null(photo);
	for (size_t i = 0; i < 3; i++) {
		struct card_read_stats st;
		tb_err err = { 0 };
		struct card_record *r = read_odd("somchai", odd[i], CARD_READ_PHOTO, &st, &err);

		assert_non_null(r);
		assert_true(st.photo_len_fallback);
		assert_int_equal(r->photo_len, plen);
		assert_memory_equal(r->photo, photo, plen);
		assert_int_equal(r->flags, 0);
		/* Even the fallback stays within the 50-exchange budget. */
		assert_true(st.exchanges <= 50);
		card_record_free(&r);
	}
	free(photo);
}

static void truncated_photo_flagged(void **state)
{
	tb_err err = { 0 };
	struct card_record *r = read_odd("somchai", "truncated-photo", CARD_READ_PHOTO, NULL, &err);

	assert_non_null(r);
	assert_true(r->flags & CARD_FLAG_PHOTO_BAD);
	assert_null(r->photo);
	assert_int_equal(r->warn[0].id, TB_E_CARD_PHOTO);
	/* The text is still there. */
	assert_true(r->have & CARD_HAVE_HEADER);
	assert_true(cid_valid(r->cid));
	card_record_free(&r);
}

static void link_variants_read_alike(void **state)
{
	static const char *const variants[][3] = {
		{ "--odd", "t1", NULL },
		{ "--odd", "gr-6c", NULL },
		{ "--get-response-p2", "1", NULL },
	};
	char cid[32];

	harness_fixture_value("somchai", "cid", cid, sizeof cid);
	for (size_t i = 0; i < 3; i++) {
		tb_err err = { 0 };
		struct card_record *r;

		insert("somchai", variants[i]);
		r = read_card(CARD_READ_PHOTO, NULL, &err);
		pull();
		assert_non_null(r);
		assert_string_equal(r->cid, cid);
		assert_non_null(r->photo);
		card_record_free(&r);
	}
}

/* --- failures: a clear error, nothing half-read ---------------------------------- */

static void expect_failure(const char *fixture, const char *const *args, enum tb_err_id want,
			   long detail)
{
	tb_err err = { 0 };
	struct card_record *r;

	assert_int_equal(harness_insert(&H, fixture, args, true), 0);
	r = read_card(CARD_READ_PHOTO, NULL, &err);
	assert_null(r);
	assert_int_equal(err.id, want);
	if (detail)
		assert_int_equal(err.detail, detail);
	harness_remove(&H);
}

static void not_a_thai_id_card(void **state)
{
	const char *args[] = { "--odd", "no-applet", NULL };
	expect_failure("somchai", args, TB_E_CARD_NOT_THAI_ID, 0x6A82);
}

static void wrong_status_word(void **state)
{
	const char *args[] = { "--odd", "wrong-sw", NULL };
	expect_failure("somchai", args, TB_E_CARD_STATUS, 0x6F00);
}

static void short_answer(void **state)
{
	const char *args[] = { "--odd", "short-read", NULL };
	expect_failure("somchai", args, TB_E_CARD_SHORT, 0);
}

static void pulled_mid_read(void **state)
{
	/* After 12 commands: inside the photo. */
	const char *args[] = { "--pull-after", "12", NULL };
	tb_err err = { 0 };
	struct card_record *r;

	assert_int_equal(harness_insert(&H, "somchai", args, true), 0);
	r = read_card(CARD_READ_PHOTO, NULL, &err);
	assert_null(r);
	if (err.id != TB_E_CARD_REMOVED)
		fail_msg("got %s detail 0x%lX field %s", err_code(err.id), err.detail, err.field ? err.field : "-");
	assert_int_equal(harness_wait_card_gone(&H), 0);
}

static void reset_by_another_program(void **state)
{
	SCARDCONTEXT ctx;
	SCARDHANDLE h;
	DWORD proto;
	char reader[128];
	DWORD n = sizeof reader;
	tb_err err = { 0 };
	struct card_record *r;

	insert("somchai", NULL);
	assert_int_equal(SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx), 0);
	assert_int_equal(SCardListReaders(ctx, NULL, reader, &n), 0);
	assert_int_equal(SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0, &h, &proto), 0);
	/* The other program resets the card while it stays in the reader. */
	assert_int_equal(SCardReconnect(h, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0, SCARD_RESET_CARD, &proto), 0);
	r = read_card(0, NULL, &err);
	assert_non_null(r);
	card_record_free(&r);
	SCardDisconnect(h, SCARD_LEAVE_CARD);
	SCardReleaseContext(ctx);
	pull();
}

/* --- the monitor: events through the socket --------------------------------------- */

static int next_event(struct card_monitor *m, struct card_event *ev, int ms)
{
	for (int waited = 0; waited < ms; waited += 50) {
		struct pollfd p = { .fd = card_monitor_fd(m), .events = POLLIN };
		int got = card_monitor_next(m, ev);
		if (got)
			return got;
		poll(&p, 1, 50);
	}
	return 0;
}

/* Takes events until one of type t arrives; fails on an unexpected error. */
static void expect_event(struct card_monitor *m, enum card_event_type t, struct card_event *out)
{
	struct card_event ev;

	for (;;) {
		int got = next_event(m, &ev, 8000);
		if (got != 1)
			fail_msg("no '%s' event", card_event_name(t));
		if (ev.type == t) {
			*out = ev;
			return;
		}
		if (ev.type == CARD_EV_ERROR)
			fail_msg("error event %s while waiting for '%s'", err_code(ev.err.id),
				 card_event_name(t));
		card_event_clear(&ev);
	}
}

static void monitor_insert_read_remove(void **state)
{
	struct card_monitor_opts o = { .read_photo = true, .retry_ms = 100 };
	struct card_monitor *m;
	struct card_event ev;
	tb_err err = { 0 };
	char cid[32];
	int datas = 0, progress = 0;

	harness_fixture_value("thana", "cid", cid, sizeof cid);
	m = card_monitor_start(&o, &err);
	assert_non_null(m);
	expect_event(m, CARD_EV_SERVICE, &ev);
	assert_int_equal(ev.err.id, TB_OK);
	expect_event(m, CARD_EV_READER_ADDED, &ev);
	assert_non_null(strstr(ev.reader, "Virtual PCD"));

	insert("thana", NULL);
	expect_event(m, CARD_EV_INSERTED, &ev);
	assert_non_null(strstr(ev.atr_hex, "3B"));
	/* Name and ID arrive before the photo, then progress, then done. */
	for (;;) {
		assert_int_equal(next_event(m, &ev, 8000), 1);
		if (ev.type == CARD_EV_DATA) {
			assert_string_equal(ev.rec->cid, cid);
			assert_null(ev.rec->photo);
			datas++;
		} else if (ev.type == CARD_EV_PROGRESS) {
			assert_true(ev.done <= ev.total);
			progress++;
		} else if (ev.type == CARD_EV_DONE) {
			assert_non_null(ev.rec->photo);
			assert_string_equal(ev.rec->cid, cid);
			card_event_clear(&ev);
			assert_null(ev.rec);
			break;
		} else {
			fail_msg("unexpected event %s", card_event_name(ev.type));
		}
		card_event_clear(&ev);
	}
	assert_int_equal(datas, 2);
	assert_true(progress >= 2);

	pull();
	expect_event(m, CARD_EV_REMOVED, &ev);

	/* Pulled mid-read: an error, then the removal. */
	{
		const char *args[] = { "--pull-after", "10", "--delay-ms", "5", NULL };
		assert_int_equal(harness_insert(&H, "thana", args, false), 0);
		expect_event(m, CARD_EV_INSERTED, &ev);
		for (;;) {
			assert_int_equal(next_event(m, &ev, 8000), 1);
			if (ev.type == CARD_EV_ERROR)
				break;
			assert_int_not_equal(ev.type, CARD_EV_DONE);
			card_event_clear(&ev);
		}
		assert_int_equal(ev.err.id, TB_E_CARD_REMOVED);
		expect_event(m, CARD_EV_REMOVED, &ev);
		harness_wait_card_gone(&H);
	}
	card_monitor_stop(&m);
	assert_null(m);
}

/* hold: a card inserted is only reported until it is asked for; asked at
 * once (before the thread is back waiting on pcscd), it is read. */
static void monitor_holds_until_asked(void **state)
{
	struct card_monitor_opts o = { .read_photo = false, .retry_ms = 100, .hold = true };
	struct card_monitor *m;
	struct card_event ev;
	tb_err err = { 0 };
	char cid[32], reader[128];

	harness_fixture_value("somchai", "cid", cid, sizeof cid);
	m = card_monitor_start(&o, &err);
	assert_non_null(m);
	expect_event(m, CARD_EV_READER_ADDED, &ev);
	insert("somchai", NULL);
	expect_event(m, CARD_EV_HELD, &ev);
	assert_non_null(strstr(ev.atr_hex, "3B"));
	assert_null(ev.rec);
	snprintf(reader, sizeof reader, "%s", ev.reader);
	card_monitor_reread(m, reader);
	expect_event(m, CARD_EV_INSERTED, &ev);
	expect_event(m, CARD_EV_DONE, &ev);
	assert_string_equal(ev.rec->cid, cid);
	card_event_clear(&ev);
	pull();
	expect_event(m, CARD_EV_REMOVED, &ev);
	assert_int_equal(harness_wait_card_gone(&H), 0);

	/* Not asked: nothing but its coming and going. */
	insert("somchai", NULL);
	expect_event(m, CARD_EV_HELD, &ev);
	pull();
	for (;;) {
		assert_int_equal(next_event(m, &ev, 8000), 1);
		assert_int_not_equal(ev.type, CARD_EV_INSERTED);
		assert_int_not_equal(ev.type, CARD_EV_DATA);
		assert_int_not_equal(ev.type, CARD_EV_DONE);
		if (ev.type == CARD_EV_REMOVED)
			break;
	}
	assert_int_equal(harness_wait_card_gone(&H), 0);
	card_monitor_stop(&m);
}

static void monitor_survives_pcscd_restart(void **state)
{
	struct card_monitor_opts o = { .read_photo = false, .retry_ms = 100 };
	struct card_monitor *m;
	struct card_event ev;
	tb_err err = { 0 };

	m = card_monitor_start(&o, &err);
	assert_non_null(m);
	expect_event(m, CARD_EV_READER_ADDED, &ev);
	harness_pcscd_stop(&H);
	expect_event(m, CARD_EV_SERVICE, &ev);
	assert_int_equal(ev.err.id, TB_E_PCSC_NO_SERVICE);
	assert_int_equal(harness_pcscd_start(&H, true), 0);
	expect_event(m, CARD_EV_SERVICE, &ev);
	assert_int_equal(ev.err.id, TB_OK);
	expect_event(m, CARD_EV_READER_ADDED, &ev);
	insert("somchai", NULL);
	expect_event(m, CARD_EV_DONE, &ev);
	card_event_clear(&ev);
	card_monitor_stop(&m);
	pull();
}

static int group_setup(void **state)
{
	return harness_init(&H);
}

static int group_teardown(void **state)
{
	harness_fini(&H);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_pcscd_says_so),
		cmocka_unit_test(no_reader_says_so),
		cmocka_unit_test(no_card_says_so),
		cmocka_unit_test(reads_somchai),
		cmocka_unit_test(reads_malee),
		cmocka_unit_test(reads_boonruen),
		cmocka_unit_test(reads_thana),
		cmocka_unit_test(bangkok_address_parts),
		cmocka_unit_test(text_only_read_is_short),
		cmocka_unit_test(bad_checksum_flagged),
		cmocka_unit_test(bad_tis620_flagged),
		cmocka_unit_test(lifelong_and_unknown_birth_day),
		cmocka_unit_test(bad_date_flagged),
		cmocka_unit_test(photo_without_length_field),
		cmocka_unit_test(truncated_photo_flagged),
		cmocka_unit_test(link_variants_read_alike),
		cmocka_unit_test(not_a_thai_id_card),
		cmocka_unit_test(wrong_status_word),
		cmocka_unit_test(short_answer),
		cmocka_unit_test(pulled_mid_read),
		cmocka_unit_test(reset_by_another_program),
		cmocka_unit_test(monitor_insert_read_remove),
		cmocka_unit_test(monitor_holds_until_asked),
		cmocka_unit_test(monitor_survives_pcscd_restart),
	};
	return cmocka_run_group_tests_name("card over pcscd", tests, group_setup, group_teardown);
}
