/* bench_card: reads the virtual card through the real pcscd at a set delay
 * per card exchange and prints figures: exchanges and bytes per read, median
 * time to name-and-ID and to the end of the read with and without the photo,
 * and peak memory.  The baseline, measured in the same run, is the plan most
 * public readers use: one command (and its GET RESPONSE) per field and a
 * fixed 20 x 255-byte photo read.
 *
 *   bench_card [--reads N] [--delay-ms D] [--fixture NAME] */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <winscard.h>

#include "services/card/card.h"
#include "tests/lib/harness.h"

struct run {
	double ms_text[64], ms_total[64];
	unsigned exchanges;
	size_t bytes;
};

static int bench_ours(struct card_ctx *c, const char *reader, unsigned flags, int n, struct run *r)
{
	for (int i = 0; i < n; i++) {
		struct card_record *rec = NULL;
		struct card_read_stats st;
		tb_err err = { 0 };

		if (card_read(c, reader, flags, NULL, &rec, &st, &err)) {
			char msg[512];
			err_format(&err, TB_LANG_EN, msg, sizeof msg);
			fprintf(stderr, "bench: read failed: %s\n", msg);
			return -1;
		}
		r->ms_text[i] = st.ms_text;
		r->ms_total[i] = st.ms_total;
		r->exchanges = st.exchanges;
		r->bytes = st.bytes_sent + st.bytes_received;
		card_record_free(&rec);
	}
	return 0;
}

/* One field per command, each followed by GET RESPONSE. */
static int naive_read(SCARDHANDLE h, unsigned *exchanges, size_t *bytes, double *ms_text)
{
	static const struct { unsigned off, len; } fields[] = {
		{ 0x0000, 4 }, { 0x0004, 13 }, { 0x0011, 100 }, { 0x0075, 100 }, { 0x00D9, 8 },
		{ 0x00E1, 1 }, { 0x00E2, 20 }, { 0x00F6, 100 }, { 0x015A, 13 }, { 0x0167, 8 },
		{ 0x016F, 8 }, { 0x1579, 160 },
	};
	static const uint8_t sel[] = { 0x00, 0xA4, 0x04, 0x00, 0x08, 0xA0, 0x00, 0x00, 0x00,
				       0x54, 0x48, 0x00, 0x01 };
	uint8_t resp[300];
	double t0 = harness_now_ms();
	DWORD n = sizeof resp;

	if (SCardTransmit(h, SCARD_PCI_T0, sel, sizeof sel, NULL, resp, &n))
		return -1;
	*exchanges = 1;
	*bytes = sizeof sel + n;
	for (unsigned i = 0; i < sizeof fields / sizeof fields[0] + 20; i++) {
		unsigned off = i < 12 ? fields[i].off : 0x017B + (i - 12) * 255;
		unsigned len = i < 12 ? fields[i].len : 255;
		uint8_t rb[7] = { 0x80, 0xB0, (uint8_t)(off >> 8), (uint8_t)off, 0x02, 0x00, (uint8_t)len };
		uint8_t gr[5] = { 0x00, 0xC0, 0x00, 0x00, (uint8_t)len };

		n = sizeof resp;
		if (SCardTransmit(h, SCARD_PCI_T0, rb, sizeof rb, NULL, resp, &n))
			return -1;
		*bytes += sizeof rb + n;
		n = sizeof resp;
		if (SCardTransmit(h, SCARD_PCI_T0, gr, sizeof gr, NULL, resp, &n))
			return -1;
		*bytes += sizeof gr + n;
		*exchanges += 2;
		if (i == 3)
			*ms_text = harness_now_ms() - t0; /* CID and both names */
	}
	return 0;
}

static int bench_naive(const char *reader, int n, struct run *r)
{
	SCARDCONTEXT ctx;
	int rc = 0;

	if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx))
		return -1;
	for (int i = 0; i < n && rc == 0; i++) {
		SCARDHANDLE h;
		DWORD proto;
		double t0 = harness_now_ms();

		if (SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0, &h, &proto)) {
			rc = -1;
			break;
		}
		SCardBeginTransaction(h);
		rc = naive_read(h, &r->exchanges, &r->bytes, &r->ms_text[i]);
		SCardEndTransaction(h, SCARD_LEAVE_CARD);
		SCardDisconnect(h, SCARD_LEAVE_CARD);
		r->ms_total[i] = harness_now_ms() - t0;
	}
	SCardReleaseContext(ctx);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reads", required_argument, NULL, 'n' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "fixture", required_argument, NULL, 'f' },
		{ 0 },
	};
	const char *fixture = "somchai";
	int reads = 5, delay = 20, c, rc = 1;
	char delay_s[16], reader[256];
	const char *args[] = { "--delay-ms", delay_s, NULL };
	struct run photo = { 0 }, text = { 0 }, naive = { 0 };
	struct harness h;
	struct card_ctx *ctx = NULL;
	struct rusage ru;
	tb_err err = { 0 };

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': reads = atoi(optarg); break;
		case 'd': delay = atoi(optarg); break;
		case 'f': fixture = optarg; break;
		default:
			fprintf(stderr, "usage: bench_card [--reads N] [--delay-ms D] [--fixture NAME]\n");
			return 2;
		}
	}
	if (reads < 1 || reads > 64 || delay < 0) {
		fprintf(stderr, "bench: --reads 1..64, --delay-ms >= 0\n");
		return 2;
	}
	snprintf(delay_s, sizeof delay_s, "%d", delay);
	if (harness_init(&h) || harness_pcscd_start(&h, true) ||
	    harness_insert(&h, fixture, args, true))
		goto out;
	ctx = card_ctx_new(&err);
	if (!ctx || card_wait(ctx, NULL, 5000, reader, sizeof reader, &err))
		goto out;
	if (bench_ours(ctx, reader, CARD_READ_PHOTO, reads, &photo) ||
	    bench_ours(ctx, reader, 0, reads, &text) || bench_naive(reader, reads, &naive))
		goto out;
	getrusage(RUSAGE_SELF, &ru);

	printf("card read, %d reads each, %d ms per card exchange (virtual card through pcscd)\n",
	       reads, delay);
	printf("  %-34s %10s %10s %12s %12s\n", "", "exchanges", "bytes", "name+ID ms", "total ms");
	printf("  %-34s %10u %10zu %12.1f %12.1f\n", "full read with photo", photo.exchanges,
	       photo.bytes, harness_median(photo.ms_text, reads), harness_median(photo.ms_total, reads));
	printf("  %-34s %10u %10zu %12.1f %12.1f\n", "text only (no photo)", text.exchanges,
	       text.bytes, harness_median(text.ms_text, reads), harness_median(text.ms_total, reads));
	printf("  %-34s %10u %10zu %12.1f %12.1f\n", "baseline: one command per field", naive.exchanges,
	       naive.bytes, harness_median(naive.ms_text, reads), harness_median(naive.ms_total, reads));
	printf("  full read vs baseline: %.2fx the exchanges, %.2fx the time\n",
	       (double)photo.exchanges / naive.exchanges,
	       harness_median(photo.ms_total, reads) / harness_median(naive.ms_total, reads));
	printf("  peak RSS of this process: %ld KiB\n", ru.ru_maxrss);
	rc = 0;
out:
	if (rc && err.id) {
		char msg[512];
		err_format(&err, TB_LANG_EN, msg, sizeof msg);
		fprintf(stderr, "bench: %s\n", msg);
	}
	card_ctx_free(&ctx);
	harness_fini(&h);
	return rc;
}
