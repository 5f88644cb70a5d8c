/* The card thread.  It blocks in SCardGetStatusChange on all readers plus the
 * PnP pseudo-reader (so readers appearing and disappearing wake it), reads a
 * card as soon as it is present, and posts events as fixed-size messages on a
 * SOCK_SEQPACKET pair: one message per event, never torn, and a stopped
 * receiver turns into EPIPE instead of a signal. */
#include "config.h"

#include "services/card/card_monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <winscard.h>

#include "services/card/card_pcsc.h"
#include "services/base/util.h"

#define MAX_READERS 8
#define PNP_READER "\\\\?PnP?\\Notification"

struct card_monitor {
	struct card_monitor_opts opts;
	int fds[2];                 /* [0] UI side, [1] thread side */
	int wake[2];                /* wakes the thread's pauses on stop */
	pthread_t thread;
	atomic_bool stop;
	pthread_mutex_t lock;       /* guards cur (cancel vs. free), reread */
	struct card_ctx *cur;
	char reread[128];           /* a reader whose card to read again */
};

struct reader_slot {
	char name[128];
	char atr[72];
	DWORD state;
	bool present;
};

const char *card_event_name(enum card_event_type t)
{
	static const char *names[] = {
		[CARD_EV_SERVICE] = "service", [CARD_EV_READER_ADDED] = "reader-added",
		[CARD_EV_READER_REMOVED] = "reader-removed", [CARD_EV_INSERTED] = "inserted",
		[CARD_EV_DATA] = "data", [CARD_EV_PROGRESS] = "progress", [CARD_EV_DONE] = "done",
		[CARD_EV_REMOVED] = "removed", [CARD_EV_ERROR] = "error",
		[CARD_EV_PRESENT] = "present", [CARD_EV_HELD] = "held",
	};
	return (unsigned)t < sizeof names / sizeof names[0] && names[t] ? names[t] : "?";
}

void card_event_clear(struct card_event *ev)
{
	if (ev)
		card_record_free(&ev->rec);
}

/* Posts an event; on failure (the UI side is gone) the record is wiped here,
 * so no path leaks personal data. */
static void post(struct card_monitor *m, struct card_event *ev)
{
	ssize_t n;
	do
		n = send(m->fds[1], ev, sizeof *ev, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof *ev)
		card_event_clear(ev);
	ev->rec = NULL;
}

static void post_simple(struct card_monitor *m, enum card_event_type t, const char *reader,
			const tb_err *err)
{
	struct card_event ev = { .type = t };
	if (reader)
		str_copy(ev.reader, sizeof ev.reader, reader);
	if (err)
		ev.err = *err;
	post(m, &ev);
}

/* Sleeps up to ms, returning early on stop. */
static void pause_ms(struct card_monitor *m, int ms)
{
	struct pollfd p = { .fd = m->wake[0], .events = POLLIN };
	if (!atomic_load(&m->stop))
		poll(&p, 1, ms);
}

struct read_ctx {
	struct card_monitor *m;
	const char *reader;
};

static void on_part(void *ud, const struct card_record *r)
{
	struct read_ctx *rc = ud;
	struct card_event ev = { .type = CARD_EV_DATA };

	/* The last part goes out with DONE; only earlier ones as DATA. */
	if (r->have & CARD_HAVE_PHOTO)
		return;
	str_copy(ev.reader, sizeof ev.reader, rc->reader);
	ev.rec = card_record_dup(r);
	if (!ev.rec)
		return;
	post(rc->m, &ev);
}

static void on_progress(void *ud, size_t done, size_t total)
{
	struct read_ctx *rc = ud;
	struct card_event ev = { .type = CARD_EV_PROGRESS, .done = (unsigned)done,
				 .total = (unsigned)total };
	str_copy(ev.reader, sizeof ev.reader, rc->reader);
	post(rc->m, &ev);
}

static void read_card(struct card_monitor *m, struct card_ctx *c, struct reader_slot *s)
{
	struct read_ctx rc = { .m = m, .reader = s->name };
	struct card_read_cb cb = { .part = on_part, .progress = on_progress, .ud = &rc };
	struct card_event ev = { .type = CARD_EV_INSERTED };
	tb_err err = { 0 };

	str_copy(ev.reader, sizeof ev.reader, s->name);
	str_copy(ev.atr_hex, sizeof ev.atr_hex, s->atr);
	post(m, &ev);

	ev = (struct card_event){ .type = CARD_EV_DONE };
	str_copy(ev.reader, sizeof ev.reader, s->name);
	if (card_read(c, s->name, m->opts.read_photo ? CARD_READ_PHOTO : 0, &cb, &ev.rec,
		      &ev.stats, &err)) {
		ev.type = CARD_EV_ERROR;
		ev.err = err;
	}
	post(m, &ev);
}

/* Brings the slot list in line with what pcscd lists now, posting the
 * differences. */
static int sync_readers(struct card_monitor *m, struct card_ctx *c, struct reader_slot *slots,
			int *nslots, tb_err *err)
{
	char names[4096];
	int count = card_readers(c, names, sizeof names, err);
	struct reader_slot next[MAX_READERS];
	int n = 0;

	if (count < 0)
		return -1;
	for (const char *p = names; *p && n < MAX_READERS; p += strlen(p) + 1) {
		int found = -1;
		for (int i = 0; i < *nslots; i++)
			if (strcmp(slots[i].name, p) == 0)
				found = i;
		if (found >= 0) {
			next[n++] = slots[found];
		} else {
			next[n] = (struct reader_slot){ .state = SCARD_STATE_UNAWARE };
			str_copy(next[n].name, sizeof next[n].name, p);
			post_simple(m, CARD_EV_READER_ADDED, p, NULL);
			n++;
		}
	}
	for (int i = 0; i < *nslots; i++) {
		bool kept = false;
		for (int j = 0; j < n; j++)
			kept |= strcmp(slots[i].name, next[j].name) == 0;
		if (!kept) {
			if (slots[i].present)
				post_simple(m, CARD_EV_REMOVED, slots[i].name, NULL);
			post_simple(m, CARD_EV_READER_REMOVED, slots[i].name, NULL);
		}
	}
	memcpy(slots, next, sizeof next[0] * (size_t)n);
	*nslots = n;
	return 0;
}

/* Reads again the card a reread request names, if it is still there. */
static void reread_pending(struct card_monitor *m, struct card_ctx *c, struct reader_slot *slots,
			   int n)
{
	char name[128];

	pthread_mutex_lock(&m->lock);
	str_copy(name, sizeof name, m->reread);
	m->reread[0] = '\0';
	pthread_mutex_unlock(&m->lock);
	if (!name[0])
		return;
	for (int i = 0; i < n && !atomic_load(&m->stop); i++)
		if (slots[i].present && strcmp(slots[i].name, name) == 0)
			read_card(m, c, &slots[i]);
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* After a card is held, the front end's answer (a reread) comes at once,
 * maybe before this thread is back in SCardGetStatusChange, where
 * SCardCancel would have woken it: so for a while the wait is short and
 * the request is looked for after each one. */
#define HELD_ANSWER_MS 3000
#define HELD_POLL_MS 10

/* One connection to pcscd, until it goes away or we are told to stop.
 * Returns 0 on stop, -1 when pcscd was lost (err says how). */
static int watch(struct card_monitor *m, struct card_ctx *c, struct reader_slot *slots,
		 int *nslots, tb_err *err)
{
	SCARDCONTEXT hctx = card_ctx_handle(c);
	DWORD pnp_state = SCARD_STATE_UNAWARE;
	bool relist = true, first = true;
	long long held_until = 0;

	while (!atomic_load(&m->stop)) {
		SCARD_READERSTATE st[MAX_READERS + 1];
		int n;
		LONG rv;

		if (relist && sync_readers(m, c, slots, nslots, err))
			return -1;
		relist = false;
		n = *nslots;
		/* A request made while this thread was busy missed its cancel. */
		reread_pending(m, c, slots, n);
		for (int i = 0; i < n; i++)
			st[i] = (SCARD_READERSTATE){ .szReader = slots[i].name,
						     .dwCurrentState = slots[i].state };
		st[n] = (SCARD_READERSTATE){ .szReader = PNP_READER, .dwCurrentState = pnp_state };

		rv = SCardGetStatusChange(hctx, held_until > now_ms() ? HELD_POLL_MS : INFINITE, st,
					  (DWORD)n + 1);
		if (rv == SCARD_E_CANCELLED || rv == SCARD_E_TIMEOUT) {
			reread_pending(m, c, slots, n);
			continue;
		}
		if (rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_READER_UNAVAILABLE) {
			relist = true;
			continue;
		}
		if (rv != SCARD_S_SUCCESS)
			return err_set(err, err_from_pcsc(rv), rv, "SCardGetStatusChange");

		if (st[n].dwEventState & SCARD_STATE_CHANGED)
			relist = true;
		/* "Already present" means at the first look only. */
		bool was_first = first;
		first = false;
		pnp_state = st[n].dwEventState & ~(DWORD)SCARD_STATE_CHANGED;

		for (int i = 0; i < n && !atomic_load(&m->stop); i++) {
			DWORD ev = st[i].dwEventState;
			bool present = (ev & SCARD_STATE_PRESENT) && !(ev & SCARD_STATE_MUTE);

			slots[i].state = ev & ~(DWORD)SCARD_STATE_CHANGED;
			if (ev & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE)) {
				relist = true;
				continue;
			}
			if (present && !slots[i].present) {
				slots[i].present = true;
				hex_encode(st[i].rgbAtr, st[i].cbAtr < sizeof st[i].rgbAtr ? st[i].cbAtr : sizeof st[i].rgbAtr,
					   slots[i].atr, sizeof slots[i].atr);
				if ((was_first && m->opts.leave_present) || m->opts.hold) {
					struct card_event pev = { .type = was_first && m->opts.leave_present
								  ? CARD_EV_PRESENT : CARD_EV_HELD };
					str_copy(pev.reader, sizeof pev.reader, slots[i].name);
					str_copy(pev.atr_hex, sizeof pev.atr_hex, slots[i].atr);
					post(m, &pev);
					if (pev.type == CARD_EV_HELD)
						held_until = now_ms() + HELD_ANSWER_MS;
				} else {
					read_card(m, c, &slots[i]);
				}
			} else if (!(ev & SCARD_STATE_PRESENT) && slots[i].present) {
				slots[i].present = false;
				post_simple(m, CARD_EV_REMOVED, slots[i].name, NULL);
			} else if ((ev & SCARD_STATE_MUTE) && (ev & SCARD_STATE_CHANGED)) {
				tb_err mute = { .id = TB_E_CARD_MUTE };
				post_simple(m, CARD_EV_ERROR, slots[i].name, &mute);
			}
		}
	}
	return 0;
}

static void *monitor_main(void *arg)
{
	struct card_monitor *m = arg;
	struct reader_slot slots[MAX_READERS];
	int nslots = 0;
	bool service_up = false, said_down = false;
	tb_err lost = { 0 };

	while (!atomic_load(&m->stop)) {
		tb_err err = { 0 };
		struct card_ctx *c = card_ctx_new(&err);

		if (!c) {
			if (!said_down) {
				post_simple(m, CARD_EV_SERVICE, NULL, &err);
				said_down = true;
				service_up = false;
			}
			lost.id = TB_OK;
			pause_ms(m, m->opts.retry_ms);
			continue;
		}
		/* The watch failed but pcscd answers again: that was not pcscd
		 * going away, so say what it was. */
		if (lost.id != TB_OK)
			post_simple(m, CARD_EV_ERROR, NULL, &lost);
		lost.id = TB_OK;
		pthread_mutex_lock(&m->lock);
		m->cur = c;
		pthread_mutex_unlock(&m->lock);
		if (!service_up)
			post_simple(m, CARD_EV_SERVICE, NULL, NULL);
		service_up = true;
		said_down = false;

		if (watch(m, c, slots, &nslots, &err)) {
			/* Readers and cards are gone with the connection; whether
			 * pcscd is, the next connection attempt tells. */
			for (int i = 0; i < nslots; i++) {
				if (slots[i].present)
					post_simple(m, CARD_EV_REMOVED, slots[i].name, NULL);
				post_simple(m, CARD_EV_READER_REMOVED, slots[i].name, NULL);
			}
			nslots = 0;
			lost = err;
		}
		pthread_mutex_lock(&m->lock);
		m->cur = NULL;
		pthread_mutex_unlock(&m->lock);
		card_ctx_free(&c);
		if (!atomic_load(&m->stop))
			pause_ms(m, m->opts.retry_ms);
	}
	return NULL;
}

struct card_monitor *card_monitor_start(const struct card_monitor_opts *opts, tb_err *err)
{
	struct card_monitor *m = calloc(1, sizeof *m);
	int rc;

	if (!m) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	m->fds[0] = m->fds[1] = m->wake[0] = m->wake[1] = -1;
	if (opts)
		m->opts = *opts;
	if (m->opts.retry_ms <= 0)
		m->opts.retry_ms = 1000;
	pthread_mutex_init(&m->lock, NULL);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, m->fds) ||
	    pipe2(m->wake, O_CLOEXEC)) {
		err_set(err, TB_E_SYSTEM, errno, "socketpair");
		goto fail;
	}
	/* The UI side never blocks; the thread side does (back-pressure). */
	fcntl(m->fds[0], F_SETFL, O_NONBLOCK);
	rc = pthread_create(&m->thread, NULL, monitor_main, m);
	if (rc) {
		err_set(err, TB_E_SYSTEM, rc, "pthread_create");
		goto fail;
	}
	return m;
fail:
	for (int i = 0; i < 2; i++) {
		if (m->fds[i] >= 0)
			close(m->fds[i]);
		if (m->wake[i] >= 0)
			close(m->wake[i]);
	}
	pthread_mutex_destroy(&m->lock);
	free(m);
	return NULL;
}

int card_monitor_fd(const struct card_monitor *m)
{
	return m->fds[0];
}

int card_monitor_next(struct card_monitor *m, struct card_event *ev)
{
	ssize_t n;

	do
		n = recv(m->fds[0], ev, sizeof *ev, 0);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof *ev)
		return 1;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return -1;
}

void card_monitor_reread(struct card_monitor *m, const char *reader)
{
	/* A name too long for any reader holds no card: cut short, it
	 * could name another reader. */
	if (strnlen(reader, sizeof m->reread) >= sizeof m->reread)
		return;
	pthread_mutex_lock(&m->lock);
	str_copy(m->reread, sizeof m->reread, reader);
	card_ctx_cancel(m->cur);
	pthread_mutex_unlock(&m->lock);
}

void card_monitor_stop(struct card_monitor **mp)
{
	struct card_monitor *m;
	struct card_event ev;

	if (!mp || !*mp)
		return;
	m = *mp;
	atomic_store(&m->stop, true);
	if (write(m->wake[1], "x", 1) < 0) {
		/* the pipe is ours and empty: cannot fail in practice */
	}
	/* A thread blocked on a full socket is freed by draining it. */
	shutdown(m->fds[0], SHUT_RD);
	while (card_monitor_next(m, &ev) == 1)
		card_event_clear(&ev);
	/* SCardCancel only wakes a wait already in progress: if the thread
	 * was about to enter one, the cancel is lost.  So cancel until the
	 * thread has gone. */
	for (;;) {
		struct timespec ts;

		pthread_mutex_lock(&m->lock);
		card_ctx_cancel(m->cur);
		pthread_mutex_unlock(&m->lock);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (pthread_timedjoin_np(m->thread, NULL, &ts) == 0)
			break;
	}
	while (card_monitor_next(m, &ev) == 1)
		card_event_clear(&ev);
	for (int i = 0; i < 2; i++) {
		close(m->fds[i]);
		close(m->wake[i]);
	}
	pthread_mutex_destroy(&m->lock);
	free(m);
	*mp = NULL;
}
