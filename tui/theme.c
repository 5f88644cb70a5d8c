#include "config.h"

#include "tui/theme.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "services/base/util.h"

static const char *role_names[ROLE_COUNT] = {
#define THEME_ROLE_NAME(id, name, fg, bg, at) [id] = name,
	THEME_ROLES(THEME_ROLE_NAME)
#undef THEME_ROLE_NAME
};

static struct theme_style active[ROLE_COUNT];
static bool colour;

void theme_builtin(struct theme *t)
{
	static const struct theme_style def[ROLE_COUNT] = {
#define THEME_ROLE_DEF(id, name, f, b, at) [id] = { .fg = f, .bg = b, .attrs = at },
		THEME_ROLES(THEME_ROLE_DEF)
#undef THEME_ROLE_DEF
	};
	memset(t, 0, sizeof *t);
	str_copy(t->name, sizeof t->name, "default");
	memcpy(t->role, def, sizeof def);
}

static const char *themes_dir(void)
{
	const char *env = getenv("TABIEN_THEMES");

	if (env && *env)
		return env;
	/* Not installed: the themes in the source tree. */
	return access(THEMESDIR "/default.theme", R_OK) == 0 ? THEMESDIR : TABIEN_SRCDIR "/themes";
}

static int parse_colour(const char *s, short *out)
{
	static const char *names[] = { "black", "red", "green", "yellow",
				       "blue", "magenta", "cyan", "white" };
	char *end;
	long v;

	if (strcmp(s, "default") == 0) {
		*out = -1;
		return 0;
	}
	for (short i = 0; i < 8; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	v = strtol(s, &end, 10);
	if (*s && !*end && v >= 0 && v <= 255) {
		*out = (short)v;
		return 0;
	}
	return -1;
}

static int parse_attr(const char *s, attr_t *out)
{
	static const struct { const char *name; attr_t a; } attrs[] = {
		{ "bold", A_BOLD }, { "dim", A_DIM }, { "reverse", A_REVERSE },
		{ "underline", A_UNDERLINE }, { "standout", A_STANDOUT }, { "normal", 0 },
	};
	for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (strcmp(s, attrs[i].name) == 0) {
			*out |= attrs[i].a;
			return 0;
		}
	return -1;
}

/* "role = fg bg [attr...]" */
static int parse_line(struct theme *t, char *line)
{
	char *eq = strchr(line, '='), *key = line, *tok, *save = NULL;
	struct theme_style st = { 0 };
	int r = -1;

	if (!eq)
		return -1;
	*eq = '\0';
	while (isspace((unsigned char)*key))
		key++;
	for (char *e = key + strlen(key); e > key && isspace((unsigned char)e[-1]);)
		*--e = '\0';
	if (strcmp(key, "photo") == 0) {
		tok = strtok_r(eq + 1, " \t\r\n", &save);
		if (!tok || strtok_r(NULL, " \t\r\n", &save))
			return -1;
		if (strcmp(tok, "colour") == 0)
			t->photo = THEME_PHOTO_COLOUR;
		else if (strcmp(tok, "grey") == 0)
			t->photo = THEME_PHOTO_GREY;
		else if (strcmp(tok, "shade") == 0)
			t->photo = THEME_PHOTO_SHADE;
		else
			return -1;
		return 0;
	}
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(key, role_names[i]) == 0)
			r = i;
	if (r < 0)
		return -1;
	tok = strtok_r(eq + 1, " \t\r\n", &save);
	if (!tok || parse_colour(tok, &st.fg))
		return -1;
	tok = strtok_r(NULL, " \t\r\n", &save);
	if (!tok || parse_colour(tok, &st.bg))
		return -1;
	while ((tok = strtok_r(NULL, " \t\r\n", &save)))
		if (parse_attr(tok, &st.attrs))
			return -1;
	t->role[r] = st;
	return 0;
}

static int valid_name(const char *name)
{
	if (!*name || strlen(name) >= 64)
		return 0;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && *name != '-' && *name != '_')
			return 0;
	return 1;
}

int theme_load(struct theme *t, const char *name, tb_err *err)
{
	char path[1024], line[512];
	struct theme tmp;
	FILE *f;
	int lineno = 0;

	theme_builtin(t);
	if (!valid_name(name))
		return err_set(err, TB_E_THEME, 0, "theme name");
	theme_builtin(&tmp);
	str_copy(tmp.name, sizeof tmp.name, name);
	snprintf(path, sizeof path, "%s/%s.theme", themes_dir(), name);
	f = fopen(path, "r");
	if (!f)
		return err_set(err, TB_E_THEME, errno, "theme file");
	while (fgets(line, sizeof line, f)) {
		char *p = line;
		lineno++;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			continue;
		if (parse_line(&tmp, p)) {
			fclose(f);
			return err_set(err, TB_E_THEME, lineno, name);
		}
	}
	fclose(f);
	*t = tmp;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	const char *x = a, *y = b;
	if (strcmp(x, "default") == 0)
		return -1;
	if (strcmp(y, "default") == 0)
		return 1;
	return strcmp(x, y);
}

int theme_list(char names[][64], int max)
{
	DIR *d = opendir(themes_dir());
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		size_t len = strlen(e->d_name);
		if (len > 6 && len - 6 < 64 && strcmp(e->d_name + len - 6, ".theme") == 0) {
			memcpy(names[n], e->d_name, len - 6);
			names[n][len - 6] = '\0';
			if (valid_name(names[n]))
				n++;
		}
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof names[0], name_cmp);
	return n;
}

void theme_apply(const struct theme *t)
{
	colour = has_colors() && COLORS >= 8;
	memcpy(active, t->role, sizeof active);
	if (!colour)
		return;
	for (int i = 0; i < ROLE_COUNT; i++) {
		short fg = active[i].fg, bg = active[i].bg;
		/* A 256-colour index on an 8-colour terminal: fall back. */
		if (fg >= COLORS)
			fg = -1;
		if (bg >= COLORS)
			bg = -1;
		init_pair((short)(i + 1), fg, bg);
	}
}

bool theme_has_colour(void)
{
	return colour;
}

attr_t theme_attr(enum theme_role r)
{
	attr_t a = active[r].attrs;
	/* Without colours, roles that rely on a background stand out by
	 * reverse video instead. */
	if (!colour && active[r].bg >= 0 && active[r].bg != COLOR_BLACK)
		a |= A_REVERSE;
	return a;
}

short theme_pair(enum theme_role r)
{
	return colour ? (short)(r + 1) : 0;
}
