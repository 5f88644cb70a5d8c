/* tabien doctor: the checks on this terminal (see doctor.h); the gateway's
 * are in doctor_gateway.c. */
#include "config.h"

#include "services/doctor/doctor_private.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "services/accounts/audit.h"
#include "services/accounts/audit_seal.h"
#include "services/accounts/settings.h"
#include "services/accounts/users.h"
#include "services/base/util.h"
#include "services/card/card.h"
#include "services/copy/copy_config.h"
#include "services/juristic/juristic.h"
#include "services/registry/linkage.h"
#include "services/registry/lk2.h"
#include "storage/db.h"

#define DOCTOR_DISK_LOW (100ull * 1024 * 1024)
#define DOCTOR_COPIES_LOW (20ull * 1024 * 1024)   /* some hundred copies */

static const struct {
	const char *name, *en, *th;
} labels[] = {
#define DOCTOR_LABEL(id, en, th) { #id, en, th },
	DOCTOR_CHECKS(DOCTOR_LABEL)
#undef DOCTOR_LABEL
};

const char *doctor_name(enum doctor_id id)
{
	return id < DOCTOR_COUNT ? labels[id].name : "?";
}

const char *doctor_label(enum doctor_id id, enum tb_lang lang)
{
	return id >= DOCTOR_COUNT ? "?" : lang == TB_LANG_TH ? labels[id].th : labels[id].en;
}

const char *doctor_status_name(enum doctor_status s)
{
	static const char *const names[] = { "OK", "WARN", "FAIL", "SKIP" };
	return s <= DOCTOR_SKIP ? names[s] : "?";
}

void doctor_report(struct doctor_ctx *x, enum doctor_id id, enum doctor_status st, const tb_err *e,
		   const char *fact, ...)
{
	struct doctor_check c = { .id = id, .status = st };
	va_list ap;

	va_start(ap, fact);
	vsnprintf(c.fact, sizeof c.fact, fact, ap);
	va_end(ap);
	if (e && st != DOCTOR_OK && st != DOCTOR_SKIP)
		c.err = *e;
	if (st != DOCTOR_SKIP && st > x->worst)
		x->worst = st;
	x->fn(x->ud, &c);
}

/* --- the card service ---------------------------------------------------------------------- */

static void check_card(struct doctor_ctx *x)
{
	char names[2048], out[256];
	tb_err err = { 0 };
	struct card_ctx *c = card_ctx_new(&err);
	int n, cards = 0;

	if (!c) {
		doctor_report(x, DOCTOR_pcscd, DOCTOR_FAIL, &err, "not reachable");
		doctor_report(x, DOCTOR_readers, DOCTOR_SKIP, NULL, "needs the card service");
		return;
	}
	doctor_report(x, DOCTOR_pcscd, DOCTOR_OK, NULL, "reachable");
	n = card_readers(c, names, sizeof names, &err);
	if (n <= 0) {
		if (n == 0)
			err_set(&err, TB_E_PCSC_NO_READER, 0, NULL);
		doctor_report(x, DOCTOR_readers, DOCTOR_FAIL, &err, "no reader");
		card_ctx_free(&c);
		return;
	}
	/* A reader's name is the device's, never the citizen's. */
	for (const char *r = names; *r; r += strlen(r) + 1)
		if (card_wait(c, r, 0, out, sizeof out, &err) == 0)
			cards++;
	doctor_report(x, DOCTOR_readers, DOCTOR_OK, NULL, "%d reader%s, %d with a card", n,
		      n == 1 ? "" : "s", cards);
	card_ctx_free(&c);
}

/* --- the configuration ----------------------------------------------------------------------- */

/* The gateway's settings as the full-screen program reads them at start-up
 * (tui/app.c), so that their keys count as known and their errors show. */
static int gateway_settings(struct config *cfg, tb_err *first, int *gdx)
{
	struct linkage_config lc;
	struct juristic_config jc;
	struct lk2_config c2;
	tb_err e = { 0 };
	int lk2, bad = 0;

	*gdx = linkage_config_from(&lc, cfg, &e) == 0;
	/* The secret's file mode is the permissions check's to report. */
	if (!*gdx && e.id != TB_E_GDX_NOT_SET_UP && e.id != TB_E_SECRET_MODE &&
	    e.id != TB_E_CONFIG_LINK && !bad++)
		*first = e;
	linkage_config_wipe(&lc);
	e = (tb_err){ 0 };
	lk2 = lk2_transport_from(cfg, &e);
	if (lk2 < 0 && !bad++)
		*first = e;
	e = (tb_err){ 0 };
	if (lk2_config_from(&c2, cfg, &e) && lk2 == 1 && !bad++)
		*first = e;
	lk2_config_wipe(&c2);
	e = (tb_err){ 0 };
	if (juristic_config_from(&jc, cfg, *gdx, &e) && !bad++)
		*first = e;
	{
		struct copy_config cc;

		e = (tb_err){ 0 };
		if (copy_config_from(&cc, cfg, &e) && !bad++)
			*first = e;
	}
	return bad;
}

static void check_config(struct doctor_ctx *x)
{
	struct config *c = x->o->cfg;
	const struct config_entry *u;
	tb_err e = { 0 };
	int gdx = 0, secret;

	if (x->o->load_err && x->o->load_err->id) {
		doctor_report(x, DOCTOR_config, DOCTOR_FAIL, x->o->load_err, "%s", c->path);
	} else if (gateway_settings(c, &e, &gdx)) {
		doctor_report(x, DOCTOR_config, DOCTOR_FAIL, &e, "%s", c->path);
	} else if ((u = config_unused(c))) {
		e = (tb_err){ .id = TB_E_CONFIG, .detail = u->line, .field = u->key };
		doctor_report(x, DOCTOR_config, DOCTOR_WARN, &e, "%s: unknown setting", c->path);
	} else {
		doctor_report(x, DOCTOR_config, DOCTOR_OK, NULL, "%s%s", c->path,
			      c->loaded ? "" : " (none: defaults)");
	}

	if (!c->loaded) {
		doctor_report(x, DOCTOR_config_mode, DOCTOR_SKIP, NULL, "no file");
		return;
	}
	secret = config_get(c, "gdx.consumer_secret") != NULL;
	e = (tb_err){ 0 };
	if (secret && config_private(c, TB_E_SECRET_MODE, "gdx.consumer_secret", &e))
		doctor_report(x, DOCTOR_config_mode, DOCTOR_FAIL, &e, "mode %03o, holds the secret",
			      c->mode & 0777);
	else if (c->mode & 022)
		doctor_report(x, DOCTOR_config_mode, DOCTOR_FAIL,
			      &(tb_err){ .id = TB_E_CONFIG_FOLDER, .detail = (long)(c->mode & 0777) },
			      "mode %03o: others can change it", c->mode & 0777);
	else if (c->warn.id)
		doctor_report(x, DOCTOR_config_mode, DOCTOR_WARN, &c->warn, "its folder is open");
	else
		doctor_report(x, DOCTOR_config_mode, DOCTOR_OK, NULL, "mode %03o%s", c->mode & 0777,
			      secret ? ", holds the secret" : "");
}

/* --- the key files ----------------------------------------------------------------------------- */

/* A key file as the programs that read it demand (audit_seal.c, copy_sign.c):
 * a plain file of this account, no link, readable by nobody else.  -1: not
 * there; 1: not so. */
static int key_file(const char *path, unsigned *mode, int *link)
{
	struct stat st;

	if (lstat(path, &st))
		return -1;
	*mode = st.st_mode & 0777;
	*link = S_ISLNK(st.st_mode);
	return S_ISREG(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 077) ? 0 : 1;
}

/* The audit trail's sealing key beside the database d (NULL: none opened)
 * and the copies' signing key (copy.key), where there are any.  Their
 * paths are not secret, their contents are never read here. */
static void check_secrets(struct doctor_ctx *x, const struct db *d)
{
	const char *copy_key = config_get(x->o->cfg, "copy.key");
	char seal[600];
	unsigned mode = 0;
	int link = 0, n = 0, r;

	if (d) {
		audit_seal_path(d, seal, sizeof seal);
		r = key_file(seal, &mode, &link);
		if (r > 0) {
			doctor_report(x, DOCTOR_secrets, DOCTOR_FAIL, &(tb_err){ .id = TB_E_AUDIT_SEAL_KEY },
				      "the sealing key (%s): %s %03o", basename(seal),
				      link ? "a link," : "mode", mode);
			return;
		}
		n += r == 0;
	}
	if (copy_key && *copy_key) {
		r = key_file(copy_key, &mode, &link);
		if (r < 0) {
			doctor_report(x, DOCTOR_secrets, DOCTOR_FAIL,
				      &(tb_err){ .id = TB_E_COPY_KEY, .field = "copy.key" },
				      "copy.key: not there");
			return;
		}
		if (r > 0) {
			doctor_report(x, DOCTOR_secrets, DOCTOR_FAIL,
				      &(tb_err){ .id = TB_E_COPY_KEY_MODE, .field = "copy.key" },
				      "copy.key: %s %03o", link ? "a link," : "mode", mode);
			return;
		}
		n++;
	}
	if (!n)
		doctor_report(x, DOCTOR_secrets, DOCTOR_SKIP, NULL, "no sealing or signing key here");
	else
		doctor_report(x, DOCTOR_secrets, DOCTOR_OK, NULL, "%d key file%s: mode 600, this account's",
			      n, n == 1 ? "" : "s");
}

/* --- the database ------------------------------------------------------------------------------ */

static int first_admin(const struct user *u, void *arg)
{
	char *agent = arg;

	if (u->role >= USER_BRANCH_ADMIN && !agent[0])
		str_copy(agent, 14, u->cid);
	return 0;
}

static void check_db(struct doctor_ctx *x, char *path, size_t size)
{
	struct stat st, dst;
	char folder[512];
	struct audit_check ac;
	tb_err e = { 0 };
	struct db *d;
	const char *p = x->o->db_path, *branch;

	if (!p || !*p)
		p = config_get(x->o->cfg, "database");
	if (p && *p)
		str_copy(path, size, p);
	else
		db_path_default(path, size);
	str_copy(folder, sizeof folder, path);
	str_copy(folder, sizeof folder, dirname(folder));

	if (db_is_server(path))
		doctor_report(x, DOCTOR_db_mode, DOCTOR_SKIP, NULL, "a PostgreSQL server, no file");
	else if (lstat(path, &st)) {
		err_set(&e, TB_E_STORE_NOT_INIT, 0, NULL);
		doctor_report(x, DOCTOR_db_mode, DOCTOR_FAIL, &e, "%s: missing", path);
		doctor_report(x, DOCTOR_db, DOCTOR_SKIP, NULL, "no database");
		doctor_report(x, DOCTOR_audit, DOCTOR_SKIP, NULL, "no database");
		check_secrets(x, NULL);
		return;
	} else if (S_ISLNK(st.st_mode))
		doctor_report(x, DOCTOR_db_mode, DOCTOR_FAIL, &(tb_err){ .id = TB_E_STORE_LINK },
			      "%s: a link", path);
	else if (!S_ISREG(st.st_mode) || st.st_uid != geteuid())
		doctor_report(x, DOCTOR_db_mode, DOCTOR_FAIL, &(tb_err){ .id = TB_E_STORE_NOT_OURS },
			      "%s", path);
	else if (st.st_mode & 077)
		doctor_report(x, DOCTOR_db_mode, DOCTOR_FAIL,
			      &(tb_err){ .id = TB_E_STORE_MODE, .detail = (long)(st.st_mode & 0777) },
			      "%s: mode %03o", path, st.st_mode & 0777);
	else if (stat(folder, &dst) == 0 && (dst.st_mode & 022) && !(dst.st_mode & S_ISVTX))
		doctor_report(x, DOCTOR_db_mode, DOCTOR_WARN,
			      &(tb_err){ .id = TB_E_FOLDER_OPEN, .detail = (long)(dst.st_mode & 0777) },
			      "%s: mode %03o", folder, dst.st_mode & 0777);
	else
		doctor_report(x, DOCTOR_db_mode, DOCTOR_OK, NULL, "%s: mode %03o", path, st.st_mode & 0777);

	d = db_open(path, 0, &e);
	if (!d) {
		doctor_report(x, DOCTOR_db, DOCTOR_FAIL, &e, "cannot be opened");
		doctor_report(x, DOCTOR_audit, DOCTOR_SKIP, NULL, "no database");
		check_secrets(x, NULL);
		return;
	}
	branch = config_get(x->o->cfg, "branch");
	if (db_check(d, &e))
		doctor_report(x, DOCTOR_db, DOCTOR_FAIL, &e, "schema %d", db_version(d));
	else if (branch && *branch && settings_terminal_branch(d, branch, &e))
		doctor_report(x, DOCTOR_db, DOCTOR_FAIL, &e, "branch = %s: not in the database", branch);
	else
		doctor_report(x, DOCTOR_db, DOCTOR_OK, NULL, "quick_check ok, schema %d of %d",
			      db_version(d), DB_SCHEMA_VERSION);
	if (audit_verify(d, &ac, &e))
		doctor_report(x, DOCTOR_audit, DOCTOR_FAIL, &e, "%lld rows", (long long)ac.rows);
	else
		doctor_report(x, DOCTOR_audit, DOCTOR_OK, NULL, "intact, %lld rows", (long long)ac.rows);
	if (x->o->agent && *x->o->agent)
		str_copy(x->agent, sizeof x->agent, x->o->agent);
	else
		(void)users_list(d, USER_ACTIVE, first_admin, x->agent, &e);
	check_secrets(x, d);
	db_close(&d);
}

static void check_disk(struct doctor_ctx *x, const char *db)
{
	char folder[512];
	struct statvfs v;
	unsigned long long avail;

	str_copy(folder, sizeof folder, db);
	str_copy(folder, sizeof folder, dirname(folder));
	if (statvfs(folder, &v)) {
		doctor_report(x, DOCTOR_disk, DOCTOR_SKIP, NULL, "%s: not there", folder);
		return;
	}
	avail = (unsigned long long)v.f_bavail * v.f_frsize;
	doctor_report(x, DOCTOR_disk, avail < DOCTOR_DISK_LOW ? DOCTOR_WARN : DOCTOR_OK,
		      &(tb_err){ .id = TB_E_DISK_LOW }, "%llu MB free in %s", avail >> 20, folder);
}

/* --- the copies folder --------------------------------------------------------------------- */

/* Where `tabien copy` and the c key write: there (or to be made, when it
 * is the default one), ours, no link, no one else's to write to, room. */
static void check_copies(struct doctor_ctx *x)
{
	struct copy_config cc;
	char dir[512];
	struct stat st;
	struct statvfs v;
	bool is_default;
	tb_err e = { 0 };
	unsigned mode;
	unsigned long long avail;

	if (copy_config_from(&cc, x->o->cfg, &e)) {
		doctor_report(x, DOCTOR_copies, DOCTOR_SKIP, NULL, "the configuration's copy.* settings are wrong");
		return;
	}
	if (cc.command[0] && !cc.dir[0]) {
		doctor_report(x, DOCTOR_copies, DOCTOR_SKIP, NULL, "copies go to the document system (copy.command)");
		return;
	}
	if (copy_folder_path(&cc, dir, sizeof dir, &is_default, &e)) {
		doctor_report(x, DOCTOR_copies, DOCTOR_FAIL, &e, "copy.dir: too long");
		return;
	}
	if (is_default && lstat(dir, &st) && errno == ENOENT) {
		doctor_report(x, DOCTOR_copies, DOCTOR_OK, NULL, "%s: made 0700 at the first copy", dir);
		return;
	}
	if (copy_folder_check(dir, &st, &e)) {
		doctor_report(x, DOCTOR_copies, DOCTOR_FAIL, &e, "%s: %s", dir,
			      e.id == TB_E_COPY_FOLDER ? "missing" : e.detail ? "others can write to it"
			      : "a link, or not this account's");
		return;
	}
	mode = st.st_mode & 0777;
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS)) {
		err_set(&e, TB_E_COPY_FOLDER, errno, "copy.dir");
		doctor_report(x, DOCTOR_copies, DOCTOR_FAIL, &e, "%s: mode %03o, not writable", dir, mode);
		return;
	}
	if (statvfs(dir, &v)) {
		doctor_report(x, DOCTOR_copies, DOCTOR_SKIP, NULL, "%s: free space unknown", dir);
		return;
	}
	avail = (unsigned long long)v.f_bavail * v.f_frsize;
	if (avail < DOCTOR_COPIES_LOW)
		doctor_report(x, DOCTOR_copies, DOCTOR_WARN, &(tb_err){ .id = TB_E_COPY_FOLDER, .detail = ENOSPC },
			      "%s: %llu MB free", dir, avail >> 20);
	else if (mode & 077)
		doctor_report(x, DOCTOR_copies, DOCTOR_WARN,
			      &(tb_err){ .id = TB_E_COPY_FOLDER_UNSAFE, .detail = (long)((mode >> 6) * 100 +
					 (mode >> 3 & 7) * 10 + (mode & 7)) },
			      "%s: mode %03o, others can look in", dir, mode);
	else
		doctor_report(x, DOCTOR_copies, DOCTOR_OK, NULL, "%s: mode %03o, %llu MB free", dir, mode,
			      avail >> 20);
}

/* --- the locale and the terminal ------------------------------------------------------------ */

static void check_locale(struct doctor_ctx *x)
{
	const char *set = nl_langinfo(CODESET);
	const char *lang = getenv("LC_ALL");
	struct winsize ws;
	const char *term = getenv("TERM");

	if (!lang || !*lang)
		lang = getenv("LANG");
	if (strcmp(set, "UTF-8"))
		doctor_report(x, DOCTOR_locale, DOCTOR_FAIL, &(tb_err){ .id = TB_E_TERMINAL },
			      "%s: %s", lang ? lang : "(unset)", set);
	else
		doctor_report(x, DOCTOR_locale, DOCTOR_OK, NULL, "%s: UTF-8", lang ? lang : "(unset)");

	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws))
		doctor_report(x, DOCTOR_terminal, DOCTOR_SKIP, NULL, "TERM=%s, output not a terminal",
			      term ? term : "");
	else if (!term || !*term || strcmp(term, "dumb") == 0 || ws.ws_col < 80 || ws.ws_row < 24)
		doctor_report(x, DOCTOR_terminal, DOCTOR_WARN, &(tb_err){ .id = TB_E_TERMINAL },
			      "TERM=%s, %dx%d", term ? term : "", ws.ws_col, ws.ws_row);
	else
		doctor_report(x, DOCTOR_terminal, DOCTOR_OK, NULL, "TERM=%s, %dx%d", term, ws.ws_col,
			      ws.ws_row);
}

enum doctor_status doctor_run(const struct doctor_opts *o,
			      void (*fn)(void *ud, const struct doctor_check *c), void *ud)
{
	struct doctor_ctx x = { .o = o, .fn = fn, .ud = ud, .worst = DOCTOR_OK,
				.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 5000 };
	char db[512];

	check_card(&x);
	check_config(&x);
	check_db(&x, db, sizeof db);
	check_disk(&x, db);
	check_copies(&x);
	check_locale(&x);
	doctor_gateway(&x);
	explicit_bzero(x.agent, sizeof x.agent);
	return x.worst;
}
