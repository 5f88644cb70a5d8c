#include "config.h"

#include "tui/scroll.h"

#include <stdio.h>

#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/text.h"
#include "tui/theme.h"

WINDOW *scroll_begin(WINDOW *w)
{
	WINDOW *pad = newpad(SCROLL_MAX_LINES, getmaxx(w));

	if (pad)
		wbkgdset(pad, getbkgd(w));
	return pad;
}

static int clamp_top(const struct scroll *s, int top)
{
	int last = s->height - s->rows;

	if (top > last)
		top = last;
	return top < 0 ? 0 : top;
}

void scroll_end(struct scroll *s, WINDOW *pad, WINDOW *w, int used, bool *cursor)
{
	int rows = getmaxy(w), cols = getmaxx(w), cy, cx;
	char more[64];

	if (!pad)
		return;
	getyx(pad, cy, cx);
	if (used > SCROLL_MAX_LINES)
		used = SCROLL_MAX_LINES;
	s->height = used;
	/* Taller than the window: its last line says where the rest is. */
	s->rows = used > rows ? rows - 1 : rows;
	s->top = clamp_top(s, s->top);
	copywin(pad, w, s->top, 0, 0, 0, s->rows - 1, cols - 1, FALSE);
	if (used > rows) {
		bool below = s->top + s->rows < used;
		if (below)
			snprintf(more, sizeof more, _("↓ %d more lines: PgDn"), used - s->top - s->rows);
		else
			snprintf(more, sizeof more, "%s", _("↑ the top: PgUp, Home"));
		text_draw(w, rows - 1, cols - 2 - text_width(more), text_width(more) + 1, more,
			  theme_attr(ROLE_MUTED), theme_pair(ROLE_MUTED));
	}
	if (cursor && *cursor) {
		if (cy >= s->top && cy < s->top + s->rows)
			wmove(w, cy - s->top, cx);
		else
			*cursor = false;
	}
	delwin(pad);
}

unsigned scroll_key(struct scroll *s, enum action act)
{
	int top = s->top, page = s->rows > 1 ? s->rows - 1 : 1;

	switch (act) {
	case ACT_UP: top--; break;
	case ACT_DOWN: top++; break;
	case ACT_PAGE_UP: top -= page; break;
	case ACT_PAGE_DOWN: top += page; break;
	case ACT_TOP: top = 0; break;
	case ACT_BOTTOM: top = s->height; break;
	default: return 0;
	}
	top = clamp_top(s, top);
	if (top == s->top)
		return 0;
	s->top = top;
	return DIRTY_MAIN;
}

void scroll_pick(int *sel, int n, enum action act)
{
	switch (act) {
	case ACT_UP: (*sel)--; break;
	case ACT_DOWN: (*sel)++; break;
	case ACT_TOP: *sel = 0; break;
	case ACT_BOTTOM: *sel = n - 1; break;
	default: break;
	}
	if (*sel >= n)
		*sel = n - 1;
	if (*sel < 0)
		*sel = 0;
}
