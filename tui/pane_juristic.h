/* The companies pane's own parts (tui/pane_juristic*.c only): the
 * certificate as lines, in pane_juristic_lines.c. */
#ifndef TABIEN_PANE_JURISTIC_H
#define TABIEN_PANE_JURISTIC_H

#include "services/juristic/juristic.h"
#include "tui/theme.h"

#define JR_LINE_BYTES 1024

/* One line of the certificate as drawn: a label on a field's first line,
 * and what a line is (a director's can be opened). */
struct jr_line {
	const char *label;
	char text[JR_LINE_BYTES];
	enum theme_role role;
	int director;                 /* index, or -1 */
};

struct jr_lines {
	struct jr_line *v;
	int n, cap;
};

/* The certificate of r in lines for a value column vcols wide (the list
 * emptied first, its memory kept). */
void jr_lines_build(struct jr_lines *ls, const struct juristic_result *r, int vcols);
void jr_lines_free(struct jr_lines *ls);

#endif
