#include "config.h"

#include "services/base/configfile.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "services/base/util.h"

void config_path(char *out, size_t size)
{
	const char *env = getenv("TABIEN_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (env && *env)
		snprintf(out, size, "%s", env);
	else if (xdg && *xdg)
		snprintf(out, size, "%s/tabien/tabien.conf", xdg);
	else
		snprintf(out, size, "%s/.config/tabien/tabien.conf", home && *home ? home : ".");
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int valid_key(const char *k)
{
	if (!*k)
		return 0;
	for (; *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '.' && *k != '-' && *k != '_')
			return 0;
	return 1;
}

static unsigned mode_digits(unsigned m)
{
	m &= 0777;
	return (m >> 6) * 100 + ((m >> 3) & 7) * 10 + (m & 7);
}

int config_folder_check(const char *path, tb_err *err)
{
	char dir[512];
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (!slash)
		str_copy(dir, sizeof dir, ".");
	else if ((size_t)(slash - path) >= sizeof dir)
		return 0;
	else
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	if (stat(dir, &st) != 0)
		return 0;
	if (((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) ||
	    ((st.st_mode & S_IWGRP) && st.st_gid != getegid()) ||
	    (st.st_uid != geteuid() && st.st_uid != 0))
		return err_set(err, TB_E_CONFIG_FOLDER, (long)mode_digits(st.st_mode), "folder");
	return 0;
}

/* Opened once; what the privacy check needs comes from this descriptor, so
 * it speaks of the very file that was read.  A link is followed (a shared
 * config may be one) but remembered: a secret is refused in it. */
static FILE *config_open(struct config *c, tb_err *err)
{
	struct stat st = { 0 };
	FILE *f;
	int fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);

	if (fd < 0 && errno == ELOOP) {
		c->link = 1;
		fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	}
	if (fd < 0) {
		if (errno != ENOENT)
			err_set(err, TB_E_FILE, errno, "config");
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		err_set(err, TB_E_FILE, S_ISDIR(st.st_mode) ? EISDIR : S_ISREG(st.st_mode) ? errno : EINVAL,
			"config");
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		err_set(err, TB_E_FILE, errno, "config");
		close(fd);
		return NULL;
	}
	c->loaded = 1;
	c->mode = st.st_mode & 07777;
	c->uid = (long)st.st_uid;
	config_folder_check(c->path, &c->warn);
	return f;
}

int config_load(struct config *c, const char *path, tb_err *err)
{
	char line[1024], buf[BUFSIZ];
	FILE *f;
	int lineno = 0, rc = 0;
	tb_err oe = { 0 };

	memset(c, 0, sizeof *c);
	if (path)
		str_copy(c->path, sizeof c->path, path);
	else
		config_path(c->path, sizeof c->path);
	f = config_open(c, &oe);
	if (!f)
		return oe.id ? err_set(err, oe.id, oe.detail, oe.field) : 0;
	/* The file may hold a secret: stdio's copy is wiped too. */
	setvbuf(f, buf, _IOFBF, sizeof buf);
	while (fgets(line, sizeof line, f)) {
		char *k, *v, *eq;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			int ch;
			config_problem(c, lineno, "line longer than %zu bytes", sizeof line - 2);
			while ((ch = getc(f)) != EOF && ch != '\n')
				;
			continue;
		}
		k = trim(line);
		if (!*k || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			config_problem(c, lineno, "not key = value");
			continue;
		}
		*eq = '\0';
		v = eq + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		/* A comment may follow a value after a space: "theme = mono  # ...";
		 * a value may still hold or start with a # ("key.x = #"). */
		for (char *h = v; (h = strchr(h, '#')); h++)
			if (h > v && (h[-1] == ' ' || h[-1] == '\t')) {
				*h = '\0';
				break;
			}
		v = trim(v);
		k = trim(k);
		if (!valid_key(k) || strlen(k) >= sizeof c->e[0].key) {
			config_problem(c, lineno, "not a setting's name (letters, digits, . - _)");
			continue;
		}
		if (strlen(v) >= sizeof c->e[0].value) {
			config_problem(c, lineno, "%s: value longer than %zu bytes", k,
				       sizeof c->e[0].value - 1);
			continue;
		}
		if (c->n == CONFIG_MAX_ENTRIES) {
			config_problem(c, lineno, "%s: more than %d settings", k, CONFIG_MAX_ENTRIES);
			continue;
		}
		str_copy(c->e[c->n].key, sizeof c->e[0].key, k);
		str_copy(c->e[c->n].value, sizeof c->e[0].value, v);
		c->e[c->n].line = lineno;
		c->n++;
	}
	fclose(f);
	explicit_bzero(buf, sizeof buf);
	explicit_bzero(line, sizeof line);
	if (c->nproblems) {
		config_problem_err(c, 0, err);
		rc = -1;
	}
	return rc;
}

const char *config_get(struct config *c, const char *key)
{
	const char *v = NULL;
	int seen = 0;

	for (int i = 0; i < c->nasked && !seen; i++)
		seen = strcmp(c->asked[i], key) == 0;
	if (!seen && c->nasked < CONFIG_MAX_ASKED && strlen(key) < sizeof c->asked[0])
		str_copy(c->asked[c->nasked++], sizeof c->asked[0], key);

	for (int i = 0; i < c->n; i++)
		if (strcmp(c->e[i].key, key) == 0) {
			c->e[i].used = 1;
			v = c->e[i].value;
		}
	return v;
}

const struct config_entry *config_unused(const struct config *c)
{
	for (int i = 0; i < c->n; i++)
		if (!c->e[i].used)
			return &c->e[i];
	return NULL;
}

int config_text(struct config *c, const char *key, char *out, size_t size, tb_err *err)
{
	const char *v = config_get(c, key);

	if (v && !str_copy(out, size, v))
		return err_set(err, TB_E_CONFIG, 0, key);
	return 0;
}

int config_long(struct config *c, const char *key, long min, long max, long *out, tb_err *err)
{
	const char *v = config_get(c, key);
	char *end;
	long n;

	if (!v)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		return err_set(err, TB_E_CONFIG, 0, key);
	*out = n;
	return 0;
}

int config_private(const struct config *c, enum tb_err_id id, const char *field, tb_err *err)
{
	if (!c->loaded)
		return err_set(err, TB_E_FILE, ENOENT, "config");
	if (c->link || c->uid != (long)geteuid())
		return err_set(err, TB_E_CONFIG_LINK, 0, field);
	if (c->mode & 077)
		return err_set(err, id, (long)mode_digits(c->mode), field);
	return 0;
}

int config_read(const char *path, int (*apply)(struct config *c, void *arg, tb_err *err),
		void *arg, tb_err *err)
{
	struct config *c = calloc(1, sizeof *c);
	int r;

	if (!c)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	r = config_load(c, path, err);
	if (r == 0)
		r = apply(c, arg, err);
	/* The error outlives c: a problem's text goes with it. */
	if (r && err && err->field >= (const char *)c && err->field < (const char *)(c + 1)) {
		static __thread char field[sizeof c->problems[0].text];
		str_copy(field, sizeof field, err->field);
		err->field = field;
	}
	explicit_bzero(c, sizeof *c);
	free(c);
	return r;
}

void config_problem(struct config *c, int line, const char *fmt, ...)
{
	struct config_problem *p;
	va_list ap;
	int n;

	if (++c->nproblems > CONFIG_MAX_PROBLEMS) {
		p = &c->problems[CONFIG_MAX_PROBLEMS - 1];
		snprintf(p->text, sizeof p->text, "%d more bad lines after line %d",
			 c->nproblems - CONFIG_MAX_PROBLEMS + 1, p->line);
		p->id = TB_E_CONFIG;
		return;
	}
	p = &c->problems[c->nproblems - 1];
	p->id = TB_E_CONFIG;
	p->line = line;
	n = snprintf(p->text, sizeof p->text, "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(p->text + n, sizeof p->text - (size_t)n, fmt, ap);
	va_end(ap);
}

void config_bad_value(struct config *c, const struct config_entry *e, const char *why)
{
	config_problem(c, e->line, "%s = %.80s: %s", e->key, e->value, why);
}

const struct config_entry *config_entry_of(const struct config *c, const char *key)
{
	const struct config_entry *e = NULL;

	for (int i = 0; i < c->n; i++)
		if (strcmp(c->e[i].key, key) == 0)
			e = &c->e[i];
	return e;
}

/* Edit distance (letters added, removed or changed), stopping at 9. */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[64 + 1];

	if (la > 64 || lb > 64)
		return 9;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0], best;
		row[0] = (int)i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j], v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			diag = up;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (best >= 9)
			return 9;
	}
	return row[lb] < 9 ? row[lb] : 9;
}

const char *config_nearest(const struct config *c, const char *key)
{
	const char *best = NULL;
	int bd = 9, limit = (int)strlen(key) / 3 + 1;

	for (int i = 0; i < c->nasked; i++) {
		int d = distance(key, c->asked[i]);
		if (d < bd) {
			bd = d;
			best = c->asked[i];
		}
	}
	return bd <= (limit > 4 ? 4 : limit) ? best : NULL;
}

void config_check_unknown(struct config *c)
{
	for (int i = 0; i < c->n; i++) {
		const char *near;
		if (c->e[i].used)
			continue;
		near = config_nearest(c, c->e[i].key);
		/* The value is left out: a misspelt secret's key holds a secret. */
		config_problem(c, c->e[i].line, "%s%s%s", c->e[i].key, near ? ": nearest known " : "",
			       near ? near : "");
		if (c->nproblems <= CONFIG_MAX_PROBLEMS)
			c->problems[c->nproblems - 1].id = TB_E_CONFIG_UNKNOWN;
		c->e[i].used = 1;
	}
}

void config_problem_err(const struct config *c, int i, tb_err *err)
{
	if (i >= 0 && i < c->nproblems && i < CONFIG_MAX_PROBLEMS)
		err_set(err, c->problems[i].id, 0, c->problems[i].text);
}
