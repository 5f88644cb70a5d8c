/* A pane: one .c file implementing these operations. */
#ifndef TABIEN_PANE_H
#define TABIEN_PANE_H

#include <curses.h>

#include "tui/actions.h"

struct app;

struct pane_ops {
	const char *id;            /* stable name, for settings and reports */
	const char *title;         /* English; shown through gettext */
	enum action open_act;      /* the action that brings it up */
	void (*open)(struct app *a);
	/* Draws the whole pane into w (already erased), sized to w. */
	void (*draw)(struct app *a, WINDOW *w);
	/* Handles an action; returns DIRTY_* flags, or 0 when not handled. */
	unsigned (*key)(struct app *a, enum action act);
	void (*close)(struct app *a);
};

extern const struct pane_ops pane_card;
extern const struct pane_ops pane_diag;

/* In the order of the tab line. */
extern const struct pane_ops *const panes[];
extern const int npanes;

#endif
