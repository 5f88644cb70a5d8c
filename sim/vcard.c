/* tabien-vcard: a virtual Thai ID card that plugs into pcscd's vpcd driver.
 *
 * vpcd listens, the card connects; while the socket is open the card is in
 * the reader. Framing both ways is a 2-byte big-endian length and a payload;
 * a 1-byte payload is a control code, anything longer a command APDU. The
 * card speaks T=0 like the real one: data comes back through 61 xx and
 * GET RESPONSE, because vpcd passes APDUs through untouched. */
#include "config.h"

#include "sim/vcard_image.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
	VPCD_POWER_OFF = 0,
	VPCD_POWER_ON = 1,
	VPCD_RESET = 2,
	VPCD_GET_ATR = 4,
	FRAME_MAX = 0xFFFF,
	RESPONSE_MAX = 255 + 2,
	CONNECT_WAIT_MS = 5000,
	CONNECT_RETRY_MS = 50,
	EXIT_USAGE = 2,
};

enum {
	SW_OK = 0x9000,
	SW_WRONG_LENGTH = 0x6700,
	SW_NO_PRECISE_DIAGNOSIS = 0x6F00,
	SW_NOT_SELECTED = 0x6986,
	SW_CONDITIONS = 0x6985,
	SW_NOT_FOUND = 0x6A82,
	SW_WRONG_P1P2 = 0x6A86,
	SW_WRONG_OFFSET = 0x6B00,
	SW_BAD_INS = 0x6D00,
	SW_BAD_CLA = 0x6E00,
};

static const unsigned char citizen_aid[] = { 0xA0, 0x00, 0x00, 0x00, 0x54, 0x48, 0x00, 0x01 };

/* What GET RESPONSE returns after the SELECT: FCI-shaped; readers skip it. */
static const unsigned char select_answer[10] = {
	0x6F, 0x08, 0x84, 0x06, 0xA0, 0x00, 0x00, 0x00, 0x54, 0x48,
};

struct options {
	const char *fixture;
	const char *host;
	const char *port;
	long delay_ms;
	long pull_after; /* -1: never */
	unsigned odds;
	unsigned get_response_p2;
	bool log;
};

/* Everything a power cycle or reset forgets. */
struct card_state {
	bool selected;
	bool pending;
	bool pending_from_read; /* the odd GET RESPONSE switches only touch reads */
	bool gr_6c_due;
	bool gr_6c_more_due;
	size_t pending_len;
	unsigned char pending_data[255];
};

struct inbuf {
	size_t head, tail;
	unsigned char data[FRAME_MAX + 2];
};

struct vcard {
	struct options opt;
	struct vcard_card card;
	struct card_state st;
	struct inbuf in;
	int fd;
	sigset_t waitmask; /* the mask with SIGINT/SIGTERM let through */
	unsigned long commands;
	unsigned long long bytes_in, bytes_out;
};

enum io_result { IO_OK, IO_CLOSED, IO_STOP, IO_ERROR };

static volatile sig_atomic_t stop_requested;

static void signal_note(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* SIGINT/SIGTERM stay blocked except inside ppoll, so a signal can never
 * slip in between "check the flag" and "block in recv". */
static int signals_setup(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = signal_note;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, waitmask) < 0)
		return -1;
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
	return 0;
}

static long long clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps ms milliseconds; IO_STOP if a stop signal came meanwhile. */
static enum io_result vcard_sleep(struct vcard *vc, long ms)
{
	struct timespec now, end;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	for (;;) {
		if (stop_requested)
			return IO_STOP;
		clock_gettime(CLOCK_MONOTONIC, &now);
		struct timespec left = { end.tv_sec - now.tv_sec, end.tv_nsec - now.tv_nsec };
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000L;
		}
		if (left.tv_sec < 0)
			return IO_OK;
		ppoll(NULL, 0, &left, &vc->waitmask);
	}
}

/* ---- the socket --------------------------------------------------------- */

static void socket_tune(int fd)
{
	int one = 1;

	/* vpcd writes the length and the payload separately: without these,
	 * Nagle and delayed ACK add ~40 ms to every exchange. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
}

static int vcard_connect(struct vcard *vc)
{
	struct addrinfo hints, *res = NULL;
	long long deadline = clock_ms() + CONNECT_WAIT_MS;
	int err;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	err = getaddrinfo(vc->opt.host, vc->opt.port, &hints, &res);
	if (err) {
		fprintf(stderr, "tabien-vcard: %s: %s\n", vc->opt.host, gai_strerror(err));
		return -1;
	}
	for (;;) {
		int last = 0;
		for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
			int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
			if (fd < 0) {
				last = errno;
				continue;
			}
			int r;
			do
				r = connect(fd, ai->ai_addr, ai->ai_addrlen);
			while (r < 0 && errno == EINTR);
			if (r == 0) {
				freeaddrinfo(res);
				socket_tune(fd);
				vc->fd = fd;
				return 0;
			}
			last = errno;
			close(fd);
		}
		/* pcscd may still be loading the driver: refused means "not yet" */
		if (last != ECONNREFUSED || clock_ms() >= deadline) {
			fprintf(stderr, "tabien-vcard: connect to vpcd at %s port %s: %s\n",
				vc->opt.host, vc->opt.port, strerror(last));
			freeaddrinfo(res);
			return -1;
		}
		if (vcard_sleep(vc, CONNECT_RETRY_MS) == IO_STOP) {
			freeaddrinfo(res);
			return 1;
		}
	}
}

static enum io_result in_fill(struct vcard *vc)
{
	struct inbuf *in = &vc->in;
	struct pollfd pfd = { .fd = vc->fd, .events = POLLIN };
	int one = 1;

	for (;;) {
		if (stop_requested)
			return IO_STOP;
		int r = ppoll(&pfd, 1, NULL, &vc->waitmask);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return IO_ERROR;
		}
		/* Linux drops back to delayed ACKs on its own: re-arm every time */
		setsockopt(vc->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
		ssize_t n = recv(vc->fd, in->data + in->tail, sizeof in->data - in->tail,
				 MSG_DONTWAIT);
		if (n > 0) {
			in->tail += (size_t)n;
			return IO_OK;
		}
		if (n == 0)
			return IO_CLOSED;
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			continue;
		if (errno == ECONNRESET)
			return IO_CLOSED;
		return IO_ERROR;
	}
}

static enum io_result in_take(struct vcard *vc, unsigned char *dst, size_t n)
{
	struct inbuf *in = &vc->in;

	while (in->tail - in->head < n) {
		if (in->head) {
			memmove(in->data, in->data + in->head, in->tail - in->head);
			in->tail -= in->head;
			in->head = 0;
		}
		enum io_result r = in_fill(vc);
		if (r != IO_OK)
			return r;
	}
	memcpy(dst, in->data + in->head, n);
	in->head += n;
	return IO_OK;
}

static enum io_result frame_read(struct vcard *vc, unsigned char *buf, size_t *len)
{
	unsigned char hdr[2];
	enum io_result r = in_take(vc, hdr, 2);

	if (r != IO_OK)
		return r;
	*len = (size_t)hdr[0] << 8 | hdr[1];
	return in_take(vc, buf, *len);
}

/* One send for header and payload, so the answer leaves in one segment. */
static enum io_result frame_write(struct vcard *vc, const unsigned char *data, size_t len)
{
	unsigned char buf[2 + RESPONSE_MAX + VCARD_ATR_MAX];
	size_t done = 0, total = len + 2;

	buf[0] = (unsigned char)(len >> 8);
	buf[1] = (unsigned char)len;
	memcpy(buf + 2, data, len);
	while (done < total) {
		ssize_t n = send(vc->fd, buf + done, total - done, MSG_NOSIGNAL);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
			return IO_CLOSED;
		return IO_ERROR;
	}
	return IO_OK;
}

/* ---- the card ------------------------------------------------------------ */

static bool odd_on(const struct vcard *vc, enum vcard_odd id)
{
	return vc->opt.odds & VCARD_ODD_BIT(id);
}

static size_t sw_put(unsigned char *resp, size_t n, unsigned sw)
{
	resp[n] = (unsigned char)(sw >> 8);
	resp[n + 1] = (unsigned char)sw;
	return n + 2;
}

static size_t card_hold(struct vcard *vc, const unsigned char *data, size_t len,
			bool from_read, unsigned char *resp)
{
	memcpy(vc->st.pending_data, data, len);
	vc->st.pending_len = len;
	vc->st.pending = true;
	vc->st.pending_from_read = from_read;
	vc->st.gr_6c_due = from_read && odd_on(vc, VCARD_ODD_GR_6C);
	vc->st.gr_6c_more_due = from_read && odd_on(vc, VCARD_ODD_GR_6C_MORE);
	return sw_put(resp, 0, 0x6100 | (unsigned)len);
}

static size_t card_select(struct vcard *vc, const unsigned char *apdu, size_t len,
			  unsigned char *resp)
{
	if (apdu[0] != 0x00)
		return sw_put(resp, 0, SW_BAD_CLA);
	if (apdu[2] != 0x04 || apdu[3] != 0x00)
		return sw_put(resp, 0, SW_WRONG_P1P2);
	if (len < 5 || (len != 5u + apdu[4] && len != 6u + apdu[4]))
		return sw_put(resp, 0, SW_WRONG_LENGTH);
	/* a failed SELECT leaves the current selection as it was (ISO 7816-4) */
	if (apdu[4] != sizeof citizen_aid || memcmp(apdu + 5, citizen_aid, sizeof citizen_aid) ||
	    odd_on(vc, VCARD_ODD_NO_APPLET))
		return sw_put(resp, 0, SW_NOT_FOUND);
	vc->st.selected = true;
	return card_hold(vc, select_answer, sizeof select_answer, false, resp);
}

/* 80 B0 offHi offLo 02 lenHi lenLo: the wanted length is the data. */
static size_t card_read_binary(struct vcard *vc, const unsigned char *apdu, size_t len,
			       unsigned char *resp)
{
	if (odd_on(vc, VCARD_ODD_WRONG_SW))
		return sw_put(resp, 0, SW_NO_PRECISE_DIAGNOSIS);
	if (apdu[0] != 0x80)
		return sw_put(resp, 0, SW_BAD_CLA);
	if (!vc->st.selected)
		return sw_put(resp, 0, SW_NOT_SELECTED);
	if (len < 5 || apdu[4] != 2 || (len != 7 && len != 8))
		return sw_put(resp, 0, SW_WRONG_LENGTH);

	size_t off = (size_t)apdu[2] << 8 | apdu[3];
	size_t want = (size_t)apdu[5] << 8 | apdu[6];
	if (want == 0 || want > 255)
		return sw_put(resp, 0, SW_WRONG_LENGTH);
	if (off + want > VCARD_IMAGE_SIZE)
		return sw_put(resp, 0, SW_WRONG_OFFSET);
	if (odd_on(vc, VCARD_ODD_T1)) {
		memcpy(resp, vc->card.image + off, want);
		return sw_put(resp, want, SW_OK);
	}
	/* The hostile cards offer a full 255 bytes whatever was asked (what
	 * runs past the image is zeros), to prove a reader copies no more
	 * than it asked for. */
	if (odd_on(vc, VCARD_ODD_OVERLONG) || odd_on(vc, VCARD_ODD_GR_6C_MORE)) {
		unsigned char full[255] = { 0 };
		size_t have = VCARD_IMAGE_SIZE - off < sizeof full ? VCARD_IMAGE_SIZE - off : sizeof full;

		memcpy(full, vc->card.image + off, have);
		size_t rlen = card_hold(vc, full, sizeof full, true, resp); /* 61 FF */
		/* gr-6c-more offers what was asked; its 6C FF comes later */
		if (odd_on(vc, VCARD_ODD_GR_6C_MORE))
			rlen = sw_put(resp, 0, 0x6100 | (unsigned)want);
		return rlen;
	}
	return card_hold(vc, vc->card.image + off, want, true, resp);
}

static size_t card_get_response(struct vcard *vc, const unsigned char *apdu, size_t len,
				unsigned char *resp)
{
	struct card_state *st = &vc->st;

	if (apdu[0] != 0x00)
		return sw_put(resp, 0, SW_BAD_CLA);
	/* a refused P2 keeps the data, so the reader can retry with the other */
	if (apdu[2] != 0x00 || apdu[3] != vc->opt.get_response_p2)
		return sw_put(resp, 0, SW_WRONG_P1P2);
	if (len != 5)
		return sw_put(resp, 0, SW_WRONG_LENGTH);
	if (!st->pending)
		return sw_put(resp, 0, SW_CONDITIONS);

	size_t le = apdu[4] ? apdu[4] : 256;
	if (st->gr_6c_more_due) {
		st->gr_6c_more_due = false;
		return sw_put(resp, 0, 0x6C00 | (unsigned)st->pending_len);
	}
	if (st->pending_from_read && odd_on(vc, VCARD_ODD_OVERLONG))
		le = st->pending_len; /* whatever Le asked, all of it comes */
	if (st->gr_6c_due || le != st->pending_len) {
		st->gr_6c_due = false;
		return sw_put(resp, 0, 0x6C00 | (unsigned)st->pending_len);
	}
	size_t n = st->pending_len;
	if (st->pending_from_read && odd_on(vc, VCARD_ODD_SHORT_READ))
		n--;
	memcpy(resp, st->pending_data, n);
	st->pending = false;
	return sw_put(resp, n, SW_OK);
}

/* Answers one command APDU into resp (RESPONSE_MAX bytes); returns its length. */
static size_t card_answer(struct vcard *vc, const unsigned char *apdu, size_t len,
			  unsigned char *resp)
{
	if (len < 4)
		return sw_put(resp, 0, SW_WRONG_LENGTH);
	/* T=0: any command but GET RESPONSE throws away what was waiting */
	if (apdu[1] != 0xC0)
		vc->st.pending = false;
	if (apdu[0] != 0x00 && apdu[0] != 0x80)
		return sw_put(resp, 0, SW_BAD_CLA);
	switch (apdu[1]) {
	case 0xA4:
		return card_select(vc, apdu, len, resp);
	case 0xB0:
		return card_read_binary(vc, apdu, len, resp);
	case 0xC0:
		return card_get_response(vc, apdu, len, resp);
	default:
		return sw_put(resp, 0, SW_BAD_INS);
	}
}

static enum io_result card_control(struct vcard *vc, unsigned code)
{
	static const char *const what[] = { "power off", "power on", "reset" };

	switch (code) {
	case VPCD_POWER_OFF:
	case VPCD_POWER_ON:
	case VPCD_RESET:
		memset(&vc->st, 0, sizeof vc->st);
		if (vc->opt.log)
			fprintf(stderr, "vcard: %s\n", what[code]);
		return IO_OK;
	case VPCD_GET_ATR:
		return frame_write(vc, vc->card.atr, vc->card.atr_len);
	default:
		fprintf(stderr, "vcard: unknown control code %u ignored\n", code);
		return IO_OK;
	}
}

static void apdu_log(const unsigned char *apdu, size_t len, const unsigned char *resp,
		     size_t rlen)
{
	unsigned char hdr[4] = { 0 };

	memcpy(hdr, apdu, len < 4 ? len : 4);
	fprintf(stderr, "vcard: %02X %02X %02X %02X [%zu] -> %02X %02X [%zu]\n", hdr[0], hdr[1],
		hdr[2], hdr[3], len, resp[rlen - 2], resp[rlen - 1], rlen);
}

/* Serves the reader until it lets go, the card is pulled or we are told to
 * stop; returns the exit status. */
static int vcard_serve(struct vcard *vc)
{
	static unsigned char frame[FRAME_MAX];
	unsigned char resp[RESPONSE_MAX];
	size_t len;
	enum io_result r;

	for (;;) {
		r = frame_read(vc, frame, &len);
		if (r != IO_OK)
			break;
		if (len == 0)
			continue;
		if (len == 1) {
			r = card_control(vc, frame[0]);
			if (r != IO_OK)
				break;
			continue;
		}
		if (vc->opt.pull_after >= 0 && vc->commands == (unsigned long)vc->opt.pull_after) {
			if (vc->opt.log)
				fprintf(stderr, "vcard: pulled out after %lu commands\n", vc->commands);
			r = IO_CLOSED;
			break;
		}
		if (vc->opt.delay_ms > 0 && (r = vcard_sleep(vc, vc->opt.delay_ms)) != IO_OK)
			break;
		size_t rlen = card_answer(vc, frame, len, resp);
		if (vc->opt.log)
			apdu_log(frame, len, resp, rlen);
		r = frame_write(vc, resp, rlen);
		if (r != IO_OK)
			break;
		vc->commands++;
		vc->bytes_in += len;
		vc->bytes_out += rlen;
	}
	if (r == IO_ERROR) {
		fprintf(stderr, "tabien-vcard: socket: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

/* ---- options ------------------------------------------------------------- */

static void usage_print(FILE *out)
{
	fputs("usage: tabien-vcard --fixture FILE [--host 127.0.0.1] [--port 35963]\n"
	      "         [--delay-ms N] [--pull-after N] [--odd KIND]...\n"
	      "         [--get-response-p2 0|1] [--log]\n"
	      "A virtual Thai ID card for pcscd's vpcd driver. The card stays inserted\n"
	      "while this runs; --pull-after N pulls it out before the (N+1)th command.\n"
	      "The exit summary counts answered command APDUs and their bytes (no\n"
	      "framing, no control codes).\n"
	      "--odd KIND (repeatable):\n",
	      out);
	for (int i = 0; i < VCARD_ODD_COUNT; i++)
		fprintf(out, "  %-20s %s\n", vcard_odd_name(i), vcard_odd_help(i));
}

__attribute__((format(printf, 1, 2), noreturn))
static void usage_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("tabien-vcard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(try --help)\n", stderr);
	exit(EXIT_USAGE);
}

static long number_parse(const char *opt, const char *s, long min, long max)
{
	char *end;

	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		usage_fail("--%s wants a whole number from %ld to %ld, not '%s'", opt, min, max, s);
	return v;
}

static void options_parse(struct options *o, int argc, char **argv)
{
	enum { OPT_FIXTURE = 256, OPT_HOST, OPT_PORT, OPT_DELAY, OPT_PULL, OPT_ODD, OPT_P2,
	       OPT_LOG, OPT_HELP };
	static const struct option longopts[] = {
		{ "fixture", required_argument, NULL, OPT_FIXTURE },
		{ "host", required_argument, NULL, OPT_HOST },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "delay-ms", required_argument, NULL, OPT_DELAY },
		{ "pull-after", required_argument, NULL, OPT_PULL },
		{ "odd", required_argument, NULL, OPT_ODD },
		{ "get-response-p2", required_argument, NULL, OPT_P2 },
		{ "log", no_argument, NULL, OPT_LOG },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	static char port_buf[8];
	int c, odd;

	*o = (struct options){ .host = "127.0.0.1", .port = "35963", .pull_after = -1 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_FIXTURE:
			o->fixture = optarg;
			break;
		case OPT_HOST:
			o->host = optarg;
			break;
		case OPT_PORT:
			snprintf(port_buf, sizeof port_buf, "%ld",
				 number_parse("port", optarg, 1, 65535));
			o->port = port_buf;
			break;
		case OPT_DELAY:
			o->delay_ms = number_parse("delay-ms", optarg, 0, 600000);
			break;
		case OPT_PULL:
			o->pull_after = number_parse("pull-after", optarg, 0, LONG_MAX);
			break;
		case OPT_ODD:
			odd = vcard_odd_find(optarg);
			if (odd < 0)
				usage_fail("unknown --odd '%s' (--help lists them)", optarg);
			o->odds |= VCARD_ODD_BIT(odd);
			break;
		case OPT_P2:
			o->get_response_p2 = (unsigned)number_parse("get-response-p2", optarg, 0, 1);
			break;
		case OPT_LOG:
			o->log = true;
			break;
		case OPT_HELP:
			usage_print(stdout);
			exit(0);
		default:
			if (optopt >= OPT_FIXTURE && optopt <= OPT_P2)
				usage_fail("%s needs a value", argv[optind - 1]);
			usage_fail("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_fail("unexpected argument '%s'", argv[optind]);
	if (!o->fixture)
		usage_fail("--fixture FILE is required");

	char why[VCARD_ERR_MAX];
	if (vcard_odd_check(o->odds, why, sizeof why) < 0)
		usage_fail("%s", why);
}

int main(int argc, char **argv)
{
	static struct vcard vc;
	char err[VCARD_ERR_MAX];
	int status;

	options_parse(&vc.opt, argc, argv);
	if (vcard_image_load(&vc.card, vc.opt.fixture, vc.opt.odds, err, sizeof err) < 0) {
		fprintf(stderr, "tabien-vcard: bad fixture: %s\n", err);
		return EXIT_USAGE;
	}
	if (signals_setup(&vc.waitmask) < 0) {
		perror("tabien-vcard: signals");
		return 1;
	}
	vc.fd = -1;
	status = vcard_connect(&vc);
	if (status == 0)
		status = vcard_serve(&vc);
	else
		status = status < 0 ? 1 : 0; /* 1: stopped while waiting for vpcd */
	if (vc.fd >= 0)
		close(vc.fd);
	fprintf(stderr, "vcard: %lu commands, %llu bytes in, %llu bytes out\n", vc.commands,
		vc.bytes_in, vc.bytes_out);
	return status;
}
