/* Forms: labelled text fields for the login, registration and settings
 * screens.  Text is UTF-8 (Thai typed at the keyboard arrives as wide
 * characters); the cursor moves by whole letters (a base and its marks) and
 * Backspace removes one character at a time, as Thai typists expect.  Field
 * values may be secrets: form_wipe() clears them. */
#ifndef TABIEN_FORM_H
#define TABIEN_FORM_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "services/base/errors.h"

#define FORM_VALUE_MAX 1024

enum {
	FIELD_SECRET = 1u << 0,  /* shown as bullets */
	FIELD_DIGITS = 1u << 1,  /* only 0-9 (citizen IDs, codes) */
	FIELD_CID = 1u << 2,     /* a citizen ID: a wrong check digit is said as it is typed */
};

struct form_field {
	const char *label;       /* English; drawn through gettext */
	unsigned flags;
	size_t max_chars;        /* characters allowed (0: up to the buffer) */
	char value[FORM_VALUE_MAX];
	size_t cursor;           /* byte offset into value */
	tb_err err;              /* shown under the field when set */
	const char *choices;     /* what the field takes, shown with its error ("th, en") */
};

struct form {
	struct form_field *fields;
	int n;
	int focus;
};

/* What a key did. */
enum form_result {
	FORM_IGNORED = 0,   /* not a form key: let the caller handle it */
	FORM_CHANGED,       /* text or focus changed: redraw */
	FORM_SUBMIT,        /* Enter on the last field */
	FORM_CANCEL,        /* Esc */
};

/* Feeds one key from get_wch (is_fkey: it returned KEY_CODE_YES). */
enum form_result form_key(struct form *f, bool is_fkey, wint_t ch);

/* Draws the fields from (y, x), labels in label_cols columns, values in
 * value_cols; the focused field shows the cursor. Returns rows used. */
int form_draw(const struct form *f, WINDOW *w, int y, int x, int label_cols, int value_cols);

/* True when a field other than `skip` (-1: none) holds text. */
bool form_has_text(const struct form *f, int skip);

/* Clears every value (explicit_bzero) and error; focus back to the first. */
void form_wipe(struct form *f);

#endif
