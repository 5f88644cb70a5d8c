/* A pane taller than its window, as the person and names panes are with a
 * long history or address: drawn whole into a pad, of which the window
 * shows the lines from `top`; the keys that move a list move it.  Nothing
 * is cut: what does not fit is a PgDn away, and the last line says so. */
#ifndef TABIEN_SCROLL_H
#define TABIEN_SCROLL_H

#include <curses.h>
#include <stdbool.h>

#include "tui/actions.h"

#define SCROLL_MAX_LINES 200

struct scroll {
	int top;        /* the first line shown */
	int height;     /* lines drawn the last time */
	int rows;       /* lines the window showed of them */
};

/* A pad as wide as w (its background too), SCROLL_MAX_LINES high, to draw
 * into instead of w; NULL when curses could not make one (then draw into w). */
WINDOW *scroll_begin(WINDOW *w);
/* Shows the pad's lines [top, top + rows) in w, `used` lines having been
 * drawn, and frees the pad.  A cursor left in the pad (a form's field) is
 * moved to the same place in w, or *cursor cleared when it is out of view. */
void scroll_end(struct scroll *s, WINDOW *pad, WINDOW *w, int used, bool *cursor);
/* Up, Down, PgUp, PgDn, Home, End: the DIRTY_MAIN to redraw, or 0 when the
 * key is not one of them or moved nothing. */
unsigned scroll_key(struct scroll *s, enum action act);
/* A list's marker *sel among n entries, moved by Up, Down, Home or End
 * (any other act leaves it); kept in [0, n), 0 when the list is empty. */
void scroll_pick(int *sel, int n, enum action act);

#endif
