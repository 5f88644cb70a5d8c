/* The citizen's photo drawn with terminal cells, so the officer can compare
 * the face with the person at the counter, locally or over SSH.
 *
 * A cell shows two pixels stacked (the upper half block U+2580: foreground =
 * top pixel, background = bottom pixel) in the xterm 256-colour palette, or
 * grey shades, or on a terminal without colours one luminance character. */
#ifndef TABIEN_PHOTO_H
#define TABIEN_PHOTO_H

#include <curses.h> /* the program builds with ncursesw and _XOPEN_SOURCE_EXTENDED */
#include <stddef.h>
#include <stdint.h>

#include "services/base/errors.h"

struct photo; /* decoded pixels: personal data, wiped on free */

enum photo_style {
	PHOTO_COLOUR, /* half blocks (U+2580) with 256-colour fg = top pixel, bg = bottom pixel */
	PHOTO_GREY,   /* the same in the 24 grey shades (232-255, plus 16 and 231) */
	PHOTO_SHADE,  /* no colours at all (TERM=vt100, monochrome): one character per cell from a luminance ramp " .:-=+*#%@" or the block shades " ░▒▓█" when the locale is UTF-8 */
};

/* Decodes the JPEG with libjpeg(-turbo) into RGB.  Never exits or prints: a
 * custom libjpeg error manager (longjmp) turns any failure, truncated data or
 * garbage into NULL with err = TB_E_CARD_PHOTO (detail: libjpeg msg_code).
 * Warnings (e.g. premature end of data) are failures too. Rejects absurd sizes
 * (more than 1024 x 1024) before allocating.  Out of memory gives TB_E_NOMEM. */
struct photo *photo_new(const uint8_t *jpeg, size_t len, tb_err *err);
/* explicit_bzero every pixel buffer (decoded and cached scaled ones), free, *p = NULL. */
void photo_free(struct photo **p);
/* The largest cell box within max_cols x max_rows that keeps the photo's
 * aspect ratio, with a cell = 1 pixel wide and 2 pixels tall (half blocks). */
void photo_fit(const struct photo *p, int max_cols, int max_rows, int *cols, int *rows);
/* Picks the style the terminal can show: COLOUR when COLORS >= 256 and
 * can_change_color is not needed (just 256 colours), GREY when want_grey and
 * COLORS >= 256, SHADE otherwise (and always when has_colors() is false).
 * The terminal must also have enough colour pairs for every combination the
 * photo could ask for (so alloc_pair never has to recycle a pair): with fewer
 * pairs COLOUR uses a coarser colour cube, then falls back to GREY, then SHADE. */
enum photo_style photo_style_for(int want_grey);
/* Draws the photo scaled (area-averaged, cached per size and style so a
 * redraw costs no rescaling) into cols x rows cells at (y, x) of w. Colour
 * pairs come from ncurses' alloc_pair(fg, bg) (ncurses >= 6.1), so the
 * program's own fixed pairs (numbers 1..63, made with init_pair) are never
 * reused.  Does not refresh.  Cells outside w are skipped; a style the
 * terminal cannot show is lowered as photo_style_for would. */
void photo_draw(struct photo *p, WINDOW *w, int y, int x, int cols, int rows, enum photo_style style);

#endif
