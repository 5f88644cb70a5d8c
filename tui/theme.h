/* Themes: files of semantic roles (themes/NAME.theme), each role a
 * foreground, a background and attributes.  A terminal with no colours gets
 * the attributes only. */
#ifndef TABIEN_THEME_H
#define TABIEN_THEME_H

#include <curses.h>
#include <stdbool.h>

#include "services/base/errors.h"

/* X(id, name, fg, bg, attrs): the built-in default, used when no theme file
 * loads. Colours: -1 is the terminal's default. */
#define THEME_ROLES(X) \
	X(ROLE_NORMAL, "normal", -1, -1, 0) \
	X(ROLE_TITLE, "title", COLOR_WHITE, COLOR_BLUE, A_BOLD) \
	X(ROLE_TAB, "tab", COLOR_WHITE, COLOR_BLUE, 0) \
	X(ROLE_TAB_ACTIVE, "tab-active", COLOR_BLUE, COLOR_WHITE, A_BOLD) \
	X(ROLE_LABEL, "label", COLOR_CYAN, -1, 0) \
	X(ROLE_VALUE, "value", -1, -1, A_BOLD) \
	X(ROLE_MUTED, "muted", -1, -1, A_DIM) \
	X(ROLE_ERROR, "error", COLOR_WHITE, COLOR_RED, A_BOLD) \
	X(ROLE_WARNING, "warning", COLOR_YELLOW, -1, A_BOLD) \
	X(ROLE_OK, "ok", COLOR_GREEN, -1, A_BOLD) \
	X(ROLE_SELECTED, "selected", COLOR_BLACK, COLOR_CYAN, 0) \
	X(ROLE_BORDER, "border", COLOR_BLUE, -1, 0) \
	X(ROLE_PHOTO_FRAME, "photo-frame", COLOR_WHITE, -1, 0) \
	X(ROLE_STATUS, "status", COLOR_BLACK, COLOR_WHITE, 0) \
	X(ROLE_STATUS_ERROR, "status-error", COLOR_WHITE, COLOR_RED, A_BOLD) \
	X(ROLE_KEY, "key", COLOR_YELLOW, -1, A_BOLD) \
	X(ROLE_PROGRESS, "progress", COLOR_GREEN, -1, A_REVERSE) \
	X(ROLE_CO_ACTIVE, "company-active", COLOR_GREEN, -1, A_BOLD) \
	X(ROLE_CO_DISSOLVED, "company-dissolved", COLOR_YELLOW, -1, A_BOLD) \
	X(ROLE_CO_LIQUIDATED, "company-liquidated", COLOR_MAGENTA, -1, A_BOLD) \
	X(ROLE_CO_ABANDONED, "company-abandoned", COLOR_RED, -1, A_BOLD) \
	X(ROLE_STALE, "stale", COLOR_BLACK, COLOR_YELLOW, A_BOLD)

enum theme_role {
#define THEME_ROLE_ENUM(id, name, fg, bg, at) id,
	THEME_ROLES(THEME_ROLE_ENUM)
#undef THEME_ROLE_ENUM
	ROLE_COUNT
};

struct theme_style {
	short fg, bg;
	attr_t attrs;
};

struct theme {
	char name[64];
	struct theme_style role[ROLE_COUNT];
	/* `photo = colour | grey | shade`: how the card's photo is drawn; shade
	 * uses no colour at all, the fewest bytes for a slow SSH link. */
	enum { THEME_PHOTO_COLOUR, THEME_PHOTO_GREY, THEME_PHOTO_SHADE } photo;
};

/* The built-in default theme. */
void theme_builtin(struct theme *t);

/* Loads themes/NAME.theme from the themes directory ($TABIEN_THEMES, else the
 * installed one).  On error t holds the built-in theme and err says which
 * line was wrong. */
int theme_load(struct theme *t, const char *name, tb_err *err);

/* The theme names found in the themes directory, sorted, "default" first;
 * returns the count (at most max). */
int theme_list(char names[][64], int max);

/* Makes the colour pairs for t (pairs 1..ROLE_COUNT); call after
 * start_color() and again after switching themes. */
void theme_apply(const struct theme *t);

/* What to draw a role with. */
attr_t theme_attr(enum theme_role r);
short theme_pair(enum theme_role r);

/* Whether colours are in use (false on a monochrome terminal). */
bool theme_has_colour(void);

#endif
