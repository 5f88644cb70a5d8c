/* The purpose and consent picker of the registry panes (person, household,
 * names): while the citizen on top waits (lookup_awaiting), the pane draws
 * it instead of the registry's sections and hands it its keys.  The
 * branch's purposes, filtered by what is typed; Up/Down and Enter choose;
 * then the card owner's consent: y (ยินยอม), n, or m (the mission requires
 * it).  The repeat key takes the officer's last choice again.  Letters are
 * the filter's text, so a paste goes there and never answers. */
#ifndef TABIEN_PURPOSE_H
#define TABIEN_PURPOSE_H

#include <curses.h>
#include <stdbool.h>
#include <wchar.h>

struct app;

/* Draws the picker from line y; returns the next line. */
int purpose_draw(struct app *a, WINDOW *w, int y);
/* A pane's input while the picker shows; DIRTY_* flags, 0 to pass on. */
unsigned purpose_input(struct app *a, bool is_fkey, wint_t ch);
/* True while the filter has the keys (pastes go there). */
bool purpose_field(struct app *a);

#endif
