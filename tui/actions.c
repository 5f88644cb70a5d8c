#include "config.h"

#include "tui/actions.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/base/util.h"
#include "tui/i18n.h"

#define MAX_BINDINGS 96

struct binding {
	int key;
	int fkey;      /* 1: an ncurses KEY_* code, 0: a character */
	enum action act;
};

static const struct {
	const char *name, *keys, *help;
	int admin;
} table[ACT_COUNT] = {
	[ACT_NONE] = { "none", "", "", 0 },
#define ACTION_ROW(id, n, k, h, adm) [id] = { n, k, h, adm },
	ACTIONS(ACTION_ROW)
#undef ACTION_ROW
};

static struct binding bindings[MAX_BINDINGS];
static int nbindings;

const char *action_name(enum action a)
{
	return (unsigned)a < ACT_COUNT ? table[a].name : "none";
}

const char *action_help(enum action a)
{
	return (unsigned)a < ACT_COUNT ? table[a].help : "";
}

int action_admin_only(enum action a)
{
	return (unsigned)a < ACT_COUNT && table[a].admin;
}

/* Key names as written in the config file. */
static const struct {
	const char *name;
	int key;
	int fkey;
} named[] = {
	{ "Up", KEY_UP, 1 }, { "Down", KEY_DOWN, 1 }, { "Left", KEY_LEFT, 1 },
	{ "Right", KEY_RIGHT, 1 }, { "PgUp", KEY_PPAGE, 1 }, { "PgDn", KEY_NPAGE, 1 },
	{ "Home", KEY_HOME, 1 }, { "End", KEY_END, 1 }, { "BTab", KEY_BTAB, 1 },
	{ "Enter", '\n', 0 }, { "Tab", '\t', 0 }, { "Esc", 27, 0 }, { "Space", ' ', 0 },
	{ "Backspace", KEY_BACKSPACE, 1 },
};

static int key_parse(const char *s, int *key, int *fkey)
{
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strcmp(s, named[i].name) == 0) {
			*key = named[i].key;
			*fkey = named[i].fkey;
			return 0;
		}
	if (s[0] == 'F' && s[1]) {
		char *end;
		long n = strtol(s + 1, &end, 10);
		if (!*end && n >= 1 && n <= 12) {
			*key = KEY_F((int)n);
			*fkey = 1;
			return 0;
		}
	}
	if (s[0] == '^' && s[1] >= '@' && s[1] <= '_' && !s[2]) {
		*key = s[1] & 0x1F;
		*fkey = 0;
		return 0;
	}
	if (s[0] > ' ' && s[0] < 0x7F && !s[1]) {
		*key = s[0];
		*fkey = 0;
		return 0;
	}
	return -1;
}

static void key_label(int key, int fkey, char *out, size_t size)
{
	/* Said as people read it on the keyboard; BTab stays the config's name. */
	if (fkey && key == KEY_BTAB) {
		snprintf(out, size, "Shift+Tab");
		return;
	}
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i].key == key && named[i].fkey == fkey) {
			snprintf(out, size, "%s", named[i].name);
			return;
		}
	if (fkey && key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(out, size, "F%d", key - KEY_F0);
	else if (!fkey && key < 0x20)
		snprintf(out, size, "^%c", key | 0x40);
	else
		snprintf(out, size, "%c", key);
}

static void unbind_action(enum action a)
{
	int j = 0;
	for (int i = 0; i < nbindings; i++)
		if (bindings[i].act != a)
			bindings[j++] = bindings[i];
	nbindings = j;
}

/* Binds each key of `keys` to a; a key bound elsewhere moves here. */
static int bind_keys(enum action a, const char *keys)
{
	char buf[256], *tok, *save = NULL;

	str_copy(buf, sizeof buf, keys);
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		int key, fkey, j = 0;
		if (key_parse(tok, &key, &fkey))
			return -1;
		for (int i = 0; i < nbindings; i++)
			if (!(bindings[i].key == key && bindings[i].fkey == fkey))
				bindings[j++] = bindings[i];
		nbindings = j;
		if (nbindings == MAX_BINDINGS)
			return -1;
		bindings[nbindings++] = (struct binding){ key, fkey, a };
	}
	return 0;
}

/* The action name nearest a misspelt one, through the config's measure. */
static const char *nearest_action(const char *name)
{
	static struct config names;

	if (!names.nasked)
		for (int a = 1; a < ACT_COUNT; a++)
			config_get(&names, table[a].name);
	return config_nearest(&names, name);
}

int actions_init(struct config *c, tb_err *err)
{
	int rc = 0;

	nbindings = 0;
	for (int a = 1; a < ACT_COUNT; a++)
		bind_keys((enum action)a, table[a].keys);
	if (!c)
		return 0;
	for (int i = 0; i < c->n; i++) {
		struct config_entry *e = &c->e[i];
		int found = 0;

		if (strncmp(e->key, "key.", 4) != 0)
			continue;
		e->used = 1;
		for (int a = 1; a < ACT_COUNT; a++) {
			if (strcmp(e->key + 4, table[a].name) != 0)
				continue;
			found = 1;
			/* Validate the whole list before dropping the defaults. */
			{
				char buf[256], *tok, *save = NULL, why[64] = "no key given";
				int ok = 1, key, fkey;
				str_copy(buf, sizeof buf, e->value);
				for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
					if (key_parse(tok, &key, &fkey) && ok) {
						ok = 0;
						snprintf(why, sizeof why, "%.16s is not a key (F1-F12, ^X, a letter)", tok);
					}
				if (!ok || !e->value[0]) {
					config_bad_value(c, e, why);
					rc = err_set(err, TB_E_CONFIG, e->line, e->key);
					break;
				}
			}
			unbind_action((enum action)a);
			bind_keys((enum action)a, e->value);
		}
		if (!found) {
			const char *near = nearest_action(e->key + 4);
			config_problem(c, e->line, "%s: no such action%s%s", e->key,
				       near ? "; nearest key." : "", near ? near : "");
			if (c->nproblems <= CONFIG_MAX_PROBLEMS)
				c->problems[c->nproblems - 1].id = TB_E_CONFIG_UNKNOWN;
			rc = err_set(err, TB_E_CONFIG, e->line, e->key);
		}
	}
	return rc;
}

enum action actions_for_key(int key, int is_function_key)
{
	/* Enter arrives as '\n' or '\r' or KEY_ENTER depending on the terminal. */
	if (key == '\r' || (is_function_key && key == KEY_ENTER)) {
		key = '\n';
		is_function_key = 0;
	}
	for (int i = 0; i < nbindings; i++)
		if (bindings[i].key == key && bindings[i].fkey == is_function_key)
			return bindings[i].act;
	return ACT_NONE;
}

void actions_keys(enum action a, char *out, size_t size)
{
	size_t o = 0;

	if (size)
		out[0] = '\0';
	for (int i = 0; i < nbindings && o + 1 < size; i++) {
		char name[16];
		if (bindings[i].act != a)
			continue;
		key_label(bindings[i].key, bindings[i].fkey, name, sizeof name);
		o += (size_t)snprintf(out + o, size - o, "%s%s", o ? " " : "", name);
	}
}
