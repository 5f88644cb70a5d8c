/* The one place that measures text on screen.  Vocabulary: bytes (UTF-8
 * storage), characters (code points), columns (terminal cells, wcwidth).
 * Thai combining marks take 0 columns and always stay with their base. */
#ifndef TABIEN_TEXT_H
#define TABIEN_TEXT_H

#include <curses.h>
#include <stddef.h>
#include <stdio.h>

/* Sets LC_ALL from the environment and falls back to C.UTF-8 for LC_CTYPE
 * when that is not UTF-8 (the command line always writes UTF-8).  Returns 1
 * when the user's own locale is UTF-8, 0 when the fallback was needed, -1 when
 * no UTF-8 locale exists at all. */
int text_locale_init(void);

/* Columns taken by UTF-8 text.  An invalid byte counts as one column (it is
 * shown as a replacement character); control characters count as one. */
int text_width(const char *s);

/* Bytes of s that fit in `cols` columns, never ending between a base
 * character and its combining marks nor inside a UTF-8 sequence. */
size_t text_fit(const char *s, int cols);

/* Writes s, then spaces up to `cols` columns (nothing is cut). */
void text_pad(FILE *f, const char *s, int cols);

/* Draws s at (y, x) in at most `cols` columns with attributes/pair; cut text
 * ends with "…".  Returns the columns drawn. */
int text_draw(WINDOW *w, int y, int x, int cols, const char *s, attr_t attr, short pair);

/* Draws s wrapped at spaces in `cols` columns from (y, x), at most
 * max_lines lines (the last one cut with "…" if need be).  Returns lines used. */
int text_draw_wrapped(WINDOW *w, int y, int x, int cols, int max_lines, const char *s,
		      attr_t attr, short pair);

/* Splits s into lines of at most `cols` columns at spaces (a word longer
 * than a line is cut at a character boundary).  Calls line(ud, start, bytes)
 * per line; returns the number of lines. */
int text_wrap(const char *s, int cols, void (*line)(void *ud, const char *start, size_t len),
	      void *ud);

#endif
