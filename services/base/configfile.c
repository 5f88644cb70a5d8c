#include "config.h"

#include "services/base/configfile.h"

#include <ctype.h>
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
		err_set(err, TB_E_FILE, S_ISREG(st.st_mode) ? errno : EINVAL, "config");
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
			rc = err_set(err, TB_E_CONFIG, lineno, "line too long");
			break;
		}
		k = trim(line);
		if (!*k || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			rc = err_set(err, TB_E_CONFIG, lineno, "expected key = value");
			break;
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
			rc = err_set(err, TB_E_CONFIG, lineno, "bad key");
			break;
		}
		if (strlen(v) >= sizeof c->e[0].value) {
			rc = err_set(err, TB_E_CONFIG, lineno, "value too long");
			break;
		}
		if (c->n == CONFIG_MAX_ENTRIES) {
			rc = err_set(err, TB_E_CONFIG, lineno, "too many settings");
			break;
		}
		str_copy(c->e[c->n].key, sizeof c->e[0].key, k);
		str_copy(c->e[c->n].value, sizeof c->e[0].value, v);
		c->e[c->n].line = lineno;
		c->n++;
	}
	fclose(f);
	explicit_bzero(buf, sizeof buf);
	explicit_bzero(line, sizeof line);
	return rc;
}

const char *config_get(struct config *c, const char *key)
{
	const char *v = NULL;

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
	explicit_bzero(c, sizeof *c);
	free(c);
	return r;
}
