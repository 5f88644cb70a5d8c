#include "config.h"

#include "tui/form.h"

#include <limits.h>
#include <string.h>

#include "services/base/format.h"
#include "tui/i18n.h"
#include "tui/text.h"
#include "tui/theme.h"

/* Byte length of the UTF-8 character starting at s (1 for a bad byte). */
static size_t char_len(const char *s)
{
	mbstate_t st = { 0 };
	size_t n = mbrtowc(NULL, s, strlen(s), &st);
	return n == (size_t)-1 || n == (size_t)-2 || n == 0 ? 1 : n;
}

static bool is_mark_at(const char *s)
{
	mbstate_t st = { 0 };
	wchar_t wc;
	size_t n = mbrtowc(&wc, s, strlen(s), &st);
	return n != (size_t)-1 && n != (size_t)-2 && n > 0 && wcwidth(wc) == 0;
}

/* Start of the character before byte offset `at`. */
static size_t prev_char(const char *s, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80)
		at--;
	return at;
}

/* Whole letters: a base character with the marks that follow it. */
static size_t next_letter(const char *s, size_t at)
{
	if (!s[at])
		return at;
	at += char_len(s + at);
	while (s[at] && is_mark_at(s + at))
		at += char_len(s + at);
	return at;
}

static size_t prev_letter(const char *s, size_t at)
{
	while (at > 0) {
		at = prev_char(s, at);
		if (!is_mark_at(s + at))
			break;
	}
	return at;
}

static size_t count_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s += char_len(s))
		n++;
	return n;
}

static enum form_result field_insert(struct form_field *fd, wint_t ch)
{
	char mb[MB_LEN_MAX];
	mbstate_t st = { 0 };
	size_t n, len = strlen(fd->value);
	size_t cap = fd->max_chars ? fd->max_chars : FORM_VALUE_MAX;

	if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0))
		return FORM_IGNORED;
	if ((fd->flags & FIELD_DIGITS) && (ch < '0' || ch > '9'))
		return FORM_CHANGED; /* swallowed: a letter never lands in an ID */
	n = wcrtomb(mb, (wchar_t)ch, &st);
	if (n == (size_t)-1 || len + n >= sizeof fd->value || count_chars(fd->value) >= cap)
		return FORM_CHANGED;
	memmove(fd->value + fd->cursor + n, fd->value + fd->cursor, len - fd->cursor + 1);
	memcpy(fd->value + fd->cursor, mb, n);
	fd->cursor += n;
	fd->err = (tb_err){ 0 };
	return FORM_CHANGED;
}

enum form_result form_key(struct form *f, bool is_fkey, wint_t ch)
{
	struct form_field *fd = &f->fields[f->focus];
	size_t len = strlen(fd->value);

	if (!is_fkey) {
		switch (ch) {
		case 27:
			return FORM_CANCEL;
		case '\t':
			f->focus = (f->focus + 1) % f->n;
			return FORM_CHANGED;
		case '\r':
		case '\n':
			if (f->focus == f->n - 1)
				return FORM_SUBMIT;
			f->focus++;
			return FORM_CHANGED;
		case 0x7F:
		case 8:
			break; /* Backspace, as most terminals send it */
		case 21: /* ^U: clear the field */
			explicit_bzero(fd->value, sizeof fd->value);
			fd->cursor = 0;
			return FORM_CHANGED;
		default:
			return field_insert(fd, ch);
		}
	}
	switch (ch) {
	case KEY_BACKSPACE:
	case 0x7F:
	case 8:
		if (fd->cursor > 0) {
			/* One character, not a whole letter: Thai typists take a
			 * wrong mark off and keep the letter under it. */
			size_t at = prev_char(fd->value, fd->cursor);
			memmove(fd->value + at, fd->value + fd->cursor, len - fd->cursor + 1);
			explicit_bzero(fd->value + len - (fd->cursor - at), fd->cursor - at);
			fd->cursor = at;
		}
		return FORM_CHANGED;
	case KEY_DC:
		if (fd->cursor < len) {
			size_t end = fd->cursor + char_len(fd->value + fd->cursor);
			memmove(fd->value + fd->cursor, fd->value + end, len - end + 1);
		}
		return FORM_CHANGED;
	case KEY_LEFT:
		fd->cursor = prev_letter(fd->value, fd->cursor);
		return FORM_CHANGED;
	case KEY_RIGHT:
		fd->cursor = next_letter(fd->value, fd->cursor);
		return FORM_CHANGED;
	case KEY_HOME:
		fd->cursor = 0;
		return FORM_CHANGED;
	case KEY_END:
		fd->cursor = len;
		return FORM_CHANGED;
	case KEY_DOWN:
		f->focus = (f->focus + 1) % f->n;
		return FORM_CHANGED;
	case KEY_UP:
	case KEY_BTAB:
		f->focus = (f->focus + f->n - 1) % f->n;
		return FORM_CHANGED;
	case KEY_ENTER:
		return f->focus == f->n - 1 ? FORM_SUBMIT : (f->focus++, FORM_CHANGED);
	default:
		return FORM_IGNORED;
	}
}

/* Characters in the first `bytes` bytes of s. */
static size_t count_chars_n(const char *s, size_t bytes)
{
	size_t n = 0;
	for (size_t at = 0; at < bytes && s[at]; at += char_len(s + at))
		n++;
	return n;
}

int form_draw(const struct form *f, WINDOW *w, int y, int x, int label_cols, int value_cols)
{
	int rows = 0, vx = x + label_cols + 1, cy = -1, cx = 0;

	for (int i = 0; i < f->n; i++) {
		const struct form_field *fd = &f->fields[i];
		enum theme_role role = i == f->focus ? ROLE_SELECTED : ROLE_VALUE;
		char shown[FORM_VALUE_MAX * 3], head[FORM_VALUE_MAX * 3];
		size_t before;   /* bytes of `shown` left of the cursor */
		const char *start;

		if (fd->flags & FIELD_SECRET) {
			/* A bullet per character: its length shows, its text never. */
			size_t n = count_chars(fd->value), o = 0;
			for (size_t k = 0; k < n && o + 4 <= sizeof shown; k++)
				o += (size_t)snprintf(shown + o, sizeof shown - o, "•");
			shown[o] = '\0';
			before = strlen("•") * count_chars_n(fd->value, fd->cursor);
		} else {
			snprintf(shown, sizeof shown, "%s", fd->value);
			before = fd->cursor;
		}
		memcpy(head, shown, before);
		head[before] = '\0';
		/* A value wider than its box scrolls so the cursor stays in it. */
		start = shown;
		while (*start && text_width(head + (start - shown)) >= value_cols - 1)
			start += char_len(start);

		text_draw(w, y + rows, x, label_cols, _(fd->label), theme_attr(ROLE_LABEL), theme_pair(ROLE_LABEL));
		wattr_set(w, theme_attr(role), theme_pair(role), NULL);
		mvwhline(w, y + rows, vx, ' ', value_cols);
		wattr_set(w, A_NORMAL, 0, NULL);
		text_draw(w, y + rows, vx, value_cols, start, theme_attr(role), theme_pair(role));
		if (i == f->focus) {
			cy = y + rows;
			cx = vx + text_width(head + (start - shown));
		}
		explicit_bzero(shown, sizeof shown);
		explicit_bzero(head, sizeof head);
		rows++;
		if ((fd->flags & FIELD_CID) && fd->err.id == TB_OK && strlen(fd->value) == 13 &&
		    !cid_valid(fd->value))
			rows += text_draw_wrapped(w, y + rows, vx, value_cols, 2,
						  _("Check digit wrong: compare the 13 digits with the card"),
						  theme_attr(ROLE_ERROR), theme_pair(ROLE_ERROR));
		if (fd->err.id != TB_OK) {
			/* What is wrong and what the field takes, beside it. */
			char msg[512], text[1024];
			err_text(&fd->err, i18n_lang(), msg, sizeof msg);
			snprintf(text, sizeof text, "%s%s%.500s", msg, fd->choices ? ": " : "",
				 fd->choices ? fd->choices : "");
			rows += text_draw_wrapped(w, y + rows, vx, value_cols, 2, text, theme_attr(ROLE_ERROR),
						  theme_pair(ROLE_ERROR));
		}
	}
	/* Last, after every field is drawn: the terminal's cursor is where
	 * the typing goes (screen readers and Thai input methods follow it). */
	if (cy >= 0)
		wmove(w, cy, cx);
	return rows;
}

bool form_has_text(const struct form *f, int skip)
{
	for (int i = 0; i < f->n; i++)
		if (i != skip && f->fields[i].value[0])
			return true;
	return false;
}

void form_wipe(struct form *f)
{
	for (int i = 0; i < f->n; i++) {
		explicit_bzero(f->fields[i].value, sizeof f->fields[i].value);
		f->fields[i].cursor = 0;
		f->fields[i].err = (tb_err){ 0 };
	}
	f->focus = 0;
}
