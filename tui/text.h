/* The one place that measures text on screen.  Vocabulary: bytes (UTF-8
 * storage), characters (code points), columns (terminal cells, wcwidth). Thai
 * combining marks take 0 columns and are never split from their base. */
#ifndef TABIEN_TEXT_H
#define TABIEN_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Sets LC_CTYPE from the environment and falls back to C.UTF-8 when that is
 * not UTF-8 (the program always writes UTF-8).  Returns 1 when the user's own
 * locale is UTF-8, 0 when the fallback was needed, -1 when no UTF-8 locale
 * exists at all. */
int text_locale_init(void);

/* Columns taken by UTF-8 text.  An invalid byte counts as one column (it is
 * shown as a replacement character); control characters count as one. */
int text_width(const char *s);

/* Writes s, then spaces up to `cols` columns (nothing is cut). */
void text_pad(FILE *f, const char *s, int cols);

#endif
