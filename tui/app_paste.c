/* Bracketed paste.  Asked for at start-up (terminfo's BE, ESC [ ? 2004 h on
 * xterm and tmux), the terminal marks pasted text with ESC [ 200 ~ and
 * ESC [ 201 ~, which ncurses hands over as two private key codes
 * (define_key).  What comes between is text, never keys: it goes into the
 * text field that has the keys as if typed, up to the end of its first line
 * (every field here takes one line, and a line break in a paste never
 * submits), or, outside a field, it is dropped with a message.  So a q in
 * pasted text does not quit, and an a and a newline do not approve anyone.
 * A terminal without the mode pastes as keys, as before; the confirmations
 * still refuse an answer read together with their question
 * (app_key_deliberate). */
#include "config.h"

#include <curses.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wctype.h>

#include "tui/app_private.h"
#include "tui/i18n.h"
#include "tui/pane.h"

/* Above ncurses' own codes and the extended keys it numbers from KEY_MAX. */
#define KEY_PASTE_BEGIN (KEY_MAX + 0x401)
#define KEY_PASTE_END (KEY_MAX + 0x402)
#define PASTE_MAX 4096        /* characters kept of one paste */
#define PASTE_STALL_MS 3000   /* a paste whose end mark never came */

/* Copied at start-up: the crash path writes them with write(2) alone. */
static char mode_on[32], mode_off[32];
/* The paste on its way: it may hold an ID or an address, so it is wiped. */
static wchar_t text[PASTE_MAX];
static size_t ntext, nlost;   /* kept; beyond PASTE_MAX or keys inside it */
static struct timespec last;

static void cap_copy(char *out, size_t size, const char *name)
{
	const char *s = tigetstr(name);

	out[0] = '\0';
	if (s && s != (const char *)-1 && strlen(s) < size)
		memcpy(out, s, strlen(s) + 1);
}

static void put(const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

void app_paste_start(void)
{
	char begin[32], end[32];

	cap_copy(mode_on, sizeof mode_on, "BE");
	cap_copy(mode_off, sizeof mode_off, "BD");
	cap_copy(begin, sizeof begin, "PS");
	cap_copy(end, sizeof end, "PE");
	/* A terminal whose description does not offer the mode is not asked:
	 * it pastes as keys, as it always did. */
	if (!mode_on[0] || !mode_off[0]) {
		mode_on[0] = mode_off[0] = '\0';
		return;
	}
	define_key(begin[0] ? begin : "\033[200~", KEY_PASTE_BEGIN);
	define_key(end[0] ? end : "\033[201~", KEY_PASTE_END);
	app_paste_mode(true);
}

void app_paste_mode(bool on)
{
	put(on ? mode_on : mode_off);
}

static long since_ms(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000L + (now.tv_nsec - t->tv_nsec) / 1000000L;
}

static bool field_has_keys(struct app *a)
{
	if (a->help || a->too_small || a->confirm_quit)
		return false;
	if (app_copy_shown(a))
		return app_copy_field(a);
	return a->pane->field && a->pane->input && a->pane->field(a);
}

/* The copy's dialog, when up, is over the pane and has the keys. */
static unsigned field_input(struct app *a, wint_t c)
{
	return app_copy_shown(a) ? app_copy_input(a, false, c) : a->pane->input(a, false, c);
}

static bool is_control(wint_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0);
}

/* The paste ended: into the field, or dropped, and said so either way
 * when something did not go in. */
static void paste_deliver(struct app *a)
{
	size_t from = 0, to = ntext, lost = nlost, rest = 0;

	a->pasting = false;
	/* The space around a copied ID or a copied line is not part of it. */
	while (from < to && iswspace(text[from]))
		from++;
	while (to > from && iswspace(text[to - 1]))
		to--;
	if (from == to && lost == 0)
		goto out;
	if (!field_has_keys(a)) {
		app_message(a, true, "%s", _("Paste dropped: no text field here (pasted text is never read as keys)"));
		goto out;
	}
	for (size_t i = from; i < to; i++) {
		wint_t c = text[i] == L'\t' ? L' ' : (wint_t)text[i];
		unsigned d;

		if (c == L'\r' || c == L'\n') {
			rest = to - i;
			break;
		}
		if (is_control(c)) {
			lost++;
			continue;
		}
		/* A field may close after a key (it never does for a letter or
		 * a digit, but the pane decides): the rest is then lost. */
		if (!field_has_keys(a) || !(d = field_input(a, c)))
			lost++;
		else
			a->dirty |= d;
	}
	if (rest)
		app_message(a, true, _("Paste: its first line went into the field; %zu more characters were dropped"),
			    rest + lost);
	else if (lost)
		app_message(a, true, _("Paste: %zu characters did not go into the field"), lost);
out:
	explicit_bzero(text, sizeof text);
	ntext = nlost = 0;
}

bool app_paste_key(struct app *a, int r, wint_t ch)
{
	if (r == KEY_CODE_YES && ch == KEY_PASTE_BEGIN) {
		if (!a->pasting) {
			a->pasting = true;
			ntext = nlost = 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &last);
		return true;
	}
	if (r == KEY_CODE_YES && ch == KEY_PASTE_END) {
		/* An end mark with no paste begun is no key either. */
		if (a->pasting)
			paste_deliver(a);
		return true;
	}
	if (!a->pasting)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &last);
	if (r == KEY_CODE_YES || ntext == PASTE_MAX)
		nlost++;
	else
		text[ntext++] = (wchar_t)ch;
	return true;
}

void app_paste_timeout(const struct app *a, int *timeout_ms)
{
	long left;

	if (!a->pasting)
		return;
	left = PASTE_STALL_MS - since_ms(&last);
	app_timeout(timeout_ms, left > 0 ? (int)left : 0);
}

void app_paste_tick(struct app *a)
{
	/* The end mark was lost (a terminal cut off mid-paste): what came is
	 * still text, and the keys after it are keys again. */
	if (a->pasting && since_ms(&last) >= PASTE_STALL_MS)
		paste_deliver(a);
}

bool app_key_deliberate(const struct app *a, unsigned opened)
{
	return !a->pasting && a->key_read != opened;
}
