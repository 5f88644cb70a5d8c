#include "config.h"

#include "tui/text.h"

#include <langinfo.h>
#include <locale.h>
#include <string.h>
#include <wchar.h>

int text_locale_init(void)
{
	const char *set = setlocale(LC_ALL, "");

	if (set && strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return 1;
	if (setlocale(LC_CTYPE, "C.UTF-8") && strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return 0;
	return -1;
}

/* One step through s: the character's bytes and columns (invalid byte: 1, 1). */
static size_t text_step(const char *s, size_t left, int *cols)
{
	mbstate_t st = { 0 };
	wchar_t wc;
	size_t n = mbrtowc(&wc, s, left, &st);
	int w;

	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*cols = 1;
		return 1;
	}
	w = wcwidth(wc);
	*cols = w < 0 ? 1 : w;
	return n;
}

int text_width(const char *s)
{
	size_t left = strlen(s);
	int cols = 0;

	while (left > 0) {
		int w;
		size_t n = text_step(s, left, &w);
		cols += w;
		s += n;
		left -= n;
	}
	return cols;
}

size_t text_fit(const char *s, int cols)
{
	size_t left = strlen(s), used = 0;
	int width = 0;

	while (left > 0) {
		int w;
		size_t n = text_step(s + used, left, &w);
		/* A zero-width mark belongs to the character before it: it
		 * goes (or stays) with that character. */
		if (w > 0 && width + w > cols)
			break;
		width += w;
		used += n;
		left -= n;
	}
	return used;
}

void text_pad(FILE *f, const char *s, int cols)
{
	fputs(s, f);
	for (int w = text_width(s); w < cols; w++)
		fputc(' ', f);
}

int text_draw(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr, short pair)
{
	wchar_t buf[512];
	const char *p;
	size_t len, n;
	int width, cut;
	mbstate_t st = { 0 };

	if (cols <= 0)
		return 0;
	width = text_width(s);
	cut = width > cols;
	len = text_fit(s, cut ? cols - 1 : cols);
	p = s;
	n = 0;
	while (p < s + len && n < sizeof buf / sizeof buf[0] - 2) {
		size_t k = mbrtowc(&buf[n], p, (size_t)(s + len - p), &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			buf[n] = 0xFFFD;
			memset(&st, 0, sizeof st);
			k = 1;
		}
		p += k;
		n++;
	}
	if (cut)
		buf[n++] = 0x2026;
	buf[n] = 0;
	wattr_set(w, attr, pair, NULL);
	mvwaddnwstr(w, y, x, buf, (int)n);
	wattr_set(w, A_NORMAL, 0, NULL);
	return cut ? cols : width;
}

int text_wrap(const char *s, int cols, void (*line)(void *ud, const char *start, size_t len),
	      void *ud)
{
	int lines = 0;

	if (cols <= 0)
		return 0;
	while (*s) {
		size_t fit = text_fit(s, cols), end = fit;

		while (*s == ' ')
			s++, fit = text_fit(s, cols), end = fit;
		if (!*s)
			break;
		if (s[fit] && s[fit] != ' ') {
			/* Break at the last space that fits, if any. */
			size_t sp = fit;
			while (sp > 0 && s[sp] != ' ')
				sp--;
			if (sp > 0)
				end = sp;
		}
		if (end == 0)
			end = fit ? fit : 1;
		line(ud, s, end);
		lines++;
		s += end;
	}
	return lines;
}

struct wrapped {
	WINDOW *w;
	int y, x, cols, max, n;
	attr_t attr;
	short pair;
	const char *end;   /* where the whole text ends */
};

static void wrapped_line(void *ud, const char *start, size_t len)
{
	struct wrapped *c = ud;
	char buf[1024];

	if (c->n >= c->max)
		return;
	/* The last line allowed takes the rest, cut with "…" by text_draw. */
	if (c->n == c->max - 1)
		len = (size_t)(c->end - start);
	snprintf(buf, sizeof buf, "%.*s", (int)len, start);
	text_draw(c->w, c->y + c->n, c->x, c->cols, buf, c->attr, c->pair);
	c->n++;
}

int text_draw_wrapped(WINDOW *w, int y, int x, int cols, int max_lines, const char *s,
		      attr_t attr, short pair)
{
	struct wrapped c = { w, y, x, cols, max_lines, 0, attr, pair, s + strlen(s) };

	text_wrap(s, cols, wrapped_line, &c);
	return c.n;
}
