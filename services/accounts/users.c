/* Accounts, passwords, lock-out and the admin actions. */
#include "config.h"

#include "services/accounts/users.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "services/accounts/audit.h"
#include "services/accounts/rights.h"
#include "services/base/format.h"
#include "services/base/preload.h"
#include "storage/settings_db.h"

struct pwhash_cost {
	const char *name;
	unsigned long long ops;
	size_t mem;
	/* A hash of a random password thrown away, made with these limits: an
	 * unknown username is checked against it, so that it costs the same
	 * time as a wrong password.  Remake it if the limits change. */
	const char *dummy;
};

static const struct pwhash_cost costs[] = {
	/* The default: libsodium's limits for interactive logins (64 MiB). */
	{ "interactive", crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
	  "$argon2id$v=19$m=65536,t=2,p=1$4vJSIghZbO3qlUJ4Lx873g$"
	  "Lb1gd477wJ/b3LRf2opPsMkr8AxXlqYdeJhx0gFihp0" },
	{ "moderate", crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE,
	  "$argon2id$v=19$m=262144,t=3,p=1$5IUDmSdwlpKn823coPs2BA$"
	  "N7Akdi+FlLjHjxdhkqZfNfLtRjpExGAHRktwJZLPkCQ" },
	/* Tests only: the library's minimum. */
	{ "fast", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
	  "$argon2id$v=19$m=8,t=1,p=1$d/2CDr5LXMK4rxyKSHUTgA$"
	  "BmCuprfOK/FauUWEvpM5cTpPgxv9CKwXwuNMuwdQwvo" },
};

static const struct pwhash_cost *cost_current(void)
{
	const char *env = getenv("TABIEN_PWHASH");

	for (size_t i = 0; env && i < sizeof costs / sizeof *costs; i++)
		if (strcmp(env, costs[i].name) == 0)
			return &costs[i];
	return &costs[0];
}

/* argon2id needs its memory (64 MiB and more) for a moment; a child process
 * does the work and exits, so the program's own footprint stays that of a
 * thin terminal's.  The child only hashes: it answers through a pipe and
 * leaves with _exit, wiping nothing it did not make. */
static int pw_isolated(int (*work)(void *arg, char *out), void *arg, char *out, size_t outsz)
{
	int fds[2], status = 0;
	pid_t pid;
	ssize_t got = 0;

	if (pipe2(fds, O_CLOEXEC))
		return work(arg, out);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return work(arg, out);
	}
	if (pid == 0) {
		char buf[crypto_pwhash_STRBYTES + 1] = "";
		buf[0] = (char)(work(arg, buf + 1) == 0);
		if (write(fds[1], buf, sizeof buf) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	/* The parent only waits for the child from here: armed start-up work
	 * (libcurl's loading, http_preload) runs meanwhile. */
	preload_kick();
	{
		char buf[crypto_pwhash_STRBYTES + 1];
		while (got < (ssize_t)sizeof buf) {
			ssize_t n = read(fds[0], buf + got, sizeof buf - (size_t)got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += n;
		}
		close(fds[0]);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (got != (ssize_t)sizeof buf || !buf[0]) {
			sodium_memzero(buf, sizeof buf);
			return -1;
		}
		if (out)
			memcpy(out, buf + 1, outsz < sizeof buf - 1 ? outsz : sizeof buf - 1);
		sodium_memzero(buf, sizeof buf);
	}
	return 0;
}

struct pw_job {
	const char *hash;
	const char *pw;
	size_t len;
	unsigned long long ops;
	size_t mem;
};

static int pw_verify_work(void *arg, char *out)
{
	struct pw_job *j = arg;
	return crypto_pwhash_str_verify(j->hash, j->pw, j->len);
}

static int pw_hash_work(void *arg, char *out)
{
	struct pw_job *j = arg;
	return crypto_pwhash_str(out, j->pw, j->len, j->ops, j->mem);
}

/* crypto_pwhash_str_verify and crypto_pwhash_str, in a child process. */
static int pw_verify(const char *hash, const char *pw, size_t len)
{
	struct pw_job j = { .hash = hash, .pw = pw, .len = len };
	return pw_isolated(pw_verify_work, &j, NULL, 0);
}

static int pw_hash(char out[crypto_pwhash_STRBYTES], const char *pw, size_t len,
		   unsigned long long ops, size_t mem)
{
	struct pw_job j = { .pw = pw, .len = len, .ops = ops, .mem = mem };
	return pw_isolated(pw_hash_work, &j, out, crypto_pwhash_STRBYTES);
}

int users_init(tb_err *err)
{
	return sodium_init() < 0 ? err_set(err, TB_E_SYSTEM, 0, "sodium_init") : 0;
}

/* --- validation ---------------------------------------------------------------- */

/* Decodes one UTF-8 character (strictly: no overlong forms, no surrogates);
 * returns its length, or 0 when the bytes are not valid. */
static int utf8_next(const unsigned char *s, unsigned long *cp)
{
	int n;
	unsigned long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return 0;
	*cp = c;
	return n;
}

long users_utf8_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	long n = 0;

	while (*p) {
		int len = utf8_next(p, &cp);
		if (!len)
			return -1;
		p += len;
		n++;
	}
	return n;
}

/* Text a person types for others to read: valid UTF-8, 1..max characters,
 * not only spaces, and nothing a terminal would act on (control characters,
 * C1 controls, bidirectional overrides, line separators), since admins see
 * these names in their terminals. */
int users_text_valid(const char *s, long max)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	long n = 0;
	int blank = 1;

	if (!s)
		return 0;
	while (*p) {
		int len = utf8_next(p, &cp);
		if (!len || cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
		    (cp >= 0x200E && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return 0;
		if (cp != ' ')
			blank = 0;
		p += len;
		n++;
	}
	return n > 0 && n <= max && !blank;
}

static int username_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 3 || n > USER_NAME_MAX)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

static int password_ok(const char *pw, tb_err *err)
{
	long chars;

	if (!pw || strlen(pw) > USERS_PASSWORD_MAX)
		return err_set(err, TB_E_AUTH_INVALID, 0, "password");
	chars = users_utf8_chars(pw);
	if (chars < 0)
		chars = (long)strlen(pw);
	if (chars < USERS_PASSWORD_MIN)
		return err_set(err, TB_E_AUTH_PASSWORD_SHORT, USERS_PASSWORD_MIN, "password");
	return 0;
}

int users_validate(const struct user_new *n, tb_err *err)
{
	if (!username_ok(n->username))
		return err_set(err, TB_E_AUTH_INVALID, 0, "username");
	if (!users_text_valid(n->full_name, USER_TEXT_CHARS))
		return err_set(err, TB_E_AUTH_INVALID, 0, "full_name");
	if (!cid_valid(n->cid))
		return err_set(err, TB_E_AUTH_INVALID, 0, "cid");
	if (!users_text_valid(n->position, USER_TEXT_CHARS))
		return err_set(err, TB_E_AUTH_INVALID, 0, "position");
	return password_ok(n->password, err);
}

/* --- hashing ------------------------------------------------------------------- */

static int password_hash(const char *pw, char out[crypto_pwhash_STRBYTES], tb_err *err)
{
	const struct pwhash_cost *c = cost_current();

	if (pw_hash(out, pw, strlen(pw), c->ops, c->mem) != 0)
		return err_set(err, TB_E_NOMEM, 0, "password hash");
	return 0;
}

static int audit_simple(struct db *d, const char *user, const char *action, const char *subject,
			const char *result, tb_err *err)
{
	return audit_append(d, &(struct audit_entry){ .username = user, .action = action,
			    .subject = subject, .result = result }, err);
}

/* The terminal's branch, else the database's default one (branch_code,
 * set at `admin init`): new accounts belong there. */
int users_terminal_branch(struct db *d, char code[USER_BRANCH_MAX + 1], tb_err *err)
{
	int r = settings_db_get(d, "branch_code", code, USER_BRANCH_MAX + 1, err);

	if (r > 0 && db_branch(d)[0])
		snprintf(code, USER_BRANCH_MAX + 1, "%s", db_branch(d));
	if (r == 0)
		return err_set(err, TB_E_STORE_NOT_INIT, 0, NULL);
	return r < 0 ? -1 : 0;
}

static int initialised(struct db *d, tb_err *err)
{
	char code[64];
	int r = settings_db_get(d, "branch_code", code, sizeof code, err);

	if (r == 0)
		return err_set(err, TB_E_STORE_NOT_INIT, 0, NULL);
	return r < 0 ? -1 : 0;
}

static void user_from_new(struct db *d, const struct user_new *n, struct user *u)
{
	memset(u, 0, sizeof *u);
	snprintf(u->username, sizeof u->username, "%s", n->username);
	snprintf(u->full_name, sizeof u->full_name, "%s", n->full_name);
	snprintf(u->cid, sizeof u->cid, "%s", n->cid);
	snprintf(u->position, sizeof u->position, "%s", n->position);
	db_time_iso(db_now(d), u->created);
}

int users_register(struct db *d, const struct user_new *n, tb_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	struct user u;
	int ok;

	if (users_init(err) || users_validate(n, err))
		return -1;
	if (initialised(d, err))
		return -1;
	if (password_hash(n->password, hash, err))
		return -1;
	user_from_new(d, n, &u);
	u.status = USER_PENDING;
	u.role = USER_OFFICER;
	if (db_tx_begin(d, err)) {
		sodium_memzero(hash, sizeof hash);
		return -1;
	}
	ok = users_terminal_branch(d, u.branch, err) == 0 && users_db_insert(d, &u, hash, NULL, err) == 0 &&
	     audit_simple(d, u.username, AUDIT_USER_REGISTER, u.username, "OK", err) == 0;
	sodium_memzero(hash, sizeof hash);
	return db_tx_end(d, ok, err);
}

int users_create_first_admin(struct db *d, const struct user_new *n, const char *branch,
			     tb_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	struct user u;
	int ok;

	if (users_init(err) || users_validate(n, err))
		return -1;
	if (password_hash(n->password, hash, err))
		return -1;
	user_from_new(d, n, &u);
	u.status = USER_ACTIVE;
	u.role = USER_AGENCY_ADMIN;
	snprintf(u.branch, sizeof u.branch, "%s", branch);
	snprintf(u.decided_at, sizeof u.decided_at, "%s", u.created);
	ok = users_db_insert(d, &u, hash, NULL, err) == 0;
	sodium_memzero(hash, sizeof hash);
	return ok ? 0 : -1;
}

/* --- login ------------------------------------------------------------------------ */

static int64_t lock_seconds(int failures)
{
	int over = failures - USERS_LOCK_AFTER;
	int64_t s;

	if (over < 0)
		return 0;
	if (over > 10)
		over = 10;
	s = (int64_t)USERS_LOCK_FIRST_S << over;
	return s > USERS_LOCK_MAX_S ? USERS_LOCK_MAX_S : s;
}

/* A wrong password: count it (from the row as it is now, inside the
 * transaction, so that two terminals failing at once both count), lock
 * when the count reaches the threshold, and record it. */
static int login_failed(struct db *d, const char *username, int64_t now, tb_err *err)
{
	struct user u;
	int64_t until = 0;
	int ok, found = 0;

	if (db_tx_begin(d, err))
		return -1;
	ok = (found = users_db_find(d, username, &u, NULL, 0, err)) > 0;
	if (ok) {
		u.failures++;
		if (u.failures >= USERS_LOCK_AFTER)
			until = now + lock_seconds(u.failures);
		ok = users_db_set_failures(d, u.id, u.failures, until, err) == 0 &&
		     audit_simple(d, username, AUDIT_USER_LOGIN_FAILED, NULL,
				  until ? err_code(TB_E_AUTH_LOCKED) : err_code(TB_E_AUTH_WRONG),
				  err) == 0;
	}
	if (db_tx_end(d, ok, err))
		return found == 0 ? err_set(err, TB_E_AUTH_WRONG, 0, NULL) : -1;
	if (until)
		return err_set(err, TB_E_AUTH_LOCKED, (long)(until - now), NULL);
	return err_set(err, TB_E_AUTH_WRONG, 0, NULL);
}

/* Records a refused login whose error is already in *err and returns -1. */
static int login_refused(struct db *d, const char *username, const char *subject, tb_err *err)
{
	tb_err ignored;
	audit_simple(d, username, AUDIT_USER_LOGIN_FAILED, subject, err_code(err->id), &ignored);
	return -1;
}

/* Anyone but an agency admin logs in only at a terminal of their own
 * branch.  Asked once the password is right, so that it tells nobody which
 * accounts exist; it is not a wrong password either (no lock-out). */
static int branch_allowed(struct db *d, const struct user *u, tb_err *err)
{
	char here[USER_BRANCH_MAX + 1];

	if (u->role == USER_AGENCY_ADMIN)
		return 0;
	if (users_terminal_branch(d, here, err))
		return -1;
	if (strcmp(here, u->branch) != 0)
		return err_set(err, TB_E_AUTH_OTHER_BRANCH, 0, NULL);
	return 0;
}

/* The common part of a login and a password change: checks the password
 * and the account's status; on success records `ok_action` (when not NULL)
 * and clears the failure counter. */
static int authenticate(struct db *d, const char *username, const char *password,
			struct user *out, const char *ok_action, tb_err *err)
{
	const struct pwhash_cost *c = cost_current();
	char hash[crypto_pwhash_STRBYTES] = "", when[DB_TIME_MAX];
	char rehash[crypto_pwhash_STRBYTES] = "";
	struct user u;
	size_t len;
	int found = 0, good, ok;
	int64_t now;
	tb_err local;

	if (!err)
		err = &local;
	if (users_init(err))
		return -1;
	password = password ? password : "";
	len = strlen(password);
	if (username_ok(username)) {
		found = users_db_find(d, username, &u, hash, sizeof hash, err);
		if (found < 0)
			return -1;
	}
	if (!found) {
		/* The same work as for a real account, then the same answer. */
		int same_work = pw_verify(c->dummy, password, len);
		(void)same_work;
		audit_simple(d, "", AUDIT_USER_LOGIN_FAILED, NULL, err_code(TB_E_AUTH_NO_USER), &local);
		return err_set(err, TB_E_AUTH_WRONG, 0, NULL);
	}
	now = db_now(d);
	/* A lock further away than the longest one comes from a clock that was
	 * set back: it must not shut the user out for days. */
	if (u.locked_until > now + USERS_LOCK_MAX_S)
		u.locked_until = 0;
	if (u.locked_until > now) {
		sodium_memzero(hash, sizeof hash);
		err_set(err, TB_E_AUTH_LOCKED, (long)(u.locked_until - now), NULL);
		return login_refused(d, u.username, NULL, err);
	}
	good = len <= USERS_PASSWORD_MAX && pw_verify(hash, password, len) == 0;
	if (!good) {
		sodium_memzero(hash, sizeof hash);
		return login_failed(d, u.username, now, err);
	}
	switch (u.status) {
	case USER_PENDING:
		err_set(err, TB_E_AUTH_PENDING, 0, NULL);
		break;
	case USER_REJECTED:
		err_set(err, TB_E_AUTH_REJECTED, 0, NULL);
		break;
	case USER_SUSPENDED:
		err_set(err, TB_E_AUTH_SUSPENDED, 0, NULL);
		break;
	case USER_ACTIVE:
		break;
	}
	if (u.status != USER_ACTIVE) {
		sodium_memzero(hash, sizeof hash);
		return login_refused(d, u.username, NULL, err);
	}
	if (branch_allowed(d, &u, err)) {
		sodium_memzero(hash, sizeof hash);
		/* The row's branch is the terminal's; its subject the user's. */
		return err->id == TB_E_AUTH_OTHER_BRANCH ? login_refused(d, u.username, u.branch, err) : -1;
	}
	/* A hash made with other limits is redone now, while the password is
	 * at hand; failing to do so is no reason to refuse the login. */
	if (crypto_pwhash_str_needs_rehash(hash, c->ops, c->mem) != 0 &&
	    pw_hash(rehash, password, len, c->ops, c->mem) != 0)
		rehash[0] = '\0';
	sodium_memzero(hash, sizeof hash);
	db_time_iso(now, when);
	if (db_tx_begin(d, err)) {
		sodium_memzero(rehash, sizeof rehash);
		return -1;
	}
	ok = users_db_set_login(d, u.id, when, err) == 0 &&
	     (!rehash[0] || users_db_set_password(d, u.id, rehash, u.must_change, err) == 0) &&
	     (!ok_action || audit_simple(d, u.username, ok_action, NULL, "OK", err) == 0);
	sodium_memzero(rehash, sizeof rehash);
	if (db_tx_end(d, ok, err))
		return -1;
	snprintf(u.last_login, sizeof u.last_login, "%s", when);
	u.failures = 0;
	u.locked_until = 0;
	if (out)
		*out = u;
	return 0;
}

int users_login(struct db *d, const char *username, const char *password, struct user *out,
		tb_err *err)
{
	return authenticate(d, username, password, out, AUDIT_USER_LOGIN, err);
}

int users_change_password(struct db *d, const char *username, const char *old_password,
			  const char *new_password, tb_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	struct user u;
	int ok;

	if (password_ok(new_password, err))
		return -1;
	if (authenticate(d, username, old_password, &u, NULL, err))
		return -1;
	if (strcmp(old_password, new_password) == 0)
		return err_set(err, TB_E_AUTH_INVALID, 0, "new password");
	if (password_hash(new_password, hash, err))
		return -1;
	if (db_tx_begin(d, err)) {
		sodium_memzero(hash, sizeof hash);
		return -1;
	}
	ok = users_db_set_password(d, u.id, hash, 0, err) == 0 &&
	     audit_simple(d, u.username, AUDIT_USER_PASSWORD, u.username, "OK", err) == 0;
	sodium_memzero(hash, sizeof hash);
	return db_tx_end(d, ok, err);
}

/* --- lists and admin actions ------------------------------------------------------- */

int users_get(struct db *d, const char *username, struct user *out, tb_err *err)
{
	int r = username_ok(username) ? users_db_find(d, username, out, NULL, 0, err) : 0;

	if (r == 0)
		return err_set(err, TB_E_AUTH_NO_USER, 0, NULL);
	return r < 0 ? -1 : 0;
}

int users_list(struct db *d, int status, int (*fn)(const struct user *u, void *arg),
	       void *arg, tb_err *err)
{
	return users_db_list(d, status, fn, arg, err);
}

static const struct {
	const char *name;
	const char *audit;
} actions[USERS_ACTION_COUNT] = {
	[USERS_APPROVE] = { "approve", AUDIT_ADMIN_APPROVE },
	[USERS_REJECT] = { "reject", AUDIT_ADMIN_REJECT },
	[USERS_SUSPEND] = { "suspend", AUDIT_ADMIN_SUSPEND },
	[USERS_REINSTATE] = { "reinstate", AUDIT_ADMIN_REINSTATE },
	[USERS_MAKE_ADMIN] = { "make-admin", AUDIT_ADMIN_MAKE_ADMIN },
	[USERS_REMOVE_ADMIN] = { "remove-admin", AUDIT_ADMIN_REMOVE_ADMIN },
};

const char *users_action_name(enum users_action a)
{
	return (unsigned)a < USERS_ACTION_COUNT ? actions[a].name : "?";
}

int users_action_parse(const char *s)
{
	for (int i = 0; i < USERS_ACTION_COUNT; i++)
		if (s && strcmp(s, actions[i].name) == 0)
			return i;
	return -1;
}

/* Would this change leave the agency without an active agency admin? */
static int last_admin(struct db *d, const struct user *t, tb_err *err)
{
	int n;

	if (t->role != USER_AGENCY_ADMIN || t->status != USER_ACTIVE)
		return 0;
	n = users_db_count_admins(d, err);
	if (n < 0)
		return -1;
	return n <= 1 ? err_set(err, TB_E_AUTH_LAST_ADMIN, 0, NULL) : 0;
}

static int admin_apply(struct db *d, const char *actor, enum users_action a, struct user *t,
		       const char *when, tb_err *err)
{
	switch (a) {
	case USERS_APPROVE:
		if (t->status != USER_PENDING && t->status != USER_REJECTED)
			return err_set(err, TB_E_AUTH_STATE, 0, users_db_status_name(t->status));
		return users_db_set_status(d, t->id, USER_ACTIVE, actor, when, err);
	case USERS_REJECT:
		if (t->status != USER_PENDING)
			return err_set(err, TB_E_AUTH_STATE, 0, users_db_status_name(t->status));
		return users_db_set_status(d, t->id, USER_REJECTED, actor, when, err);
	case USERS_SUSPEND:
		if (t->status != USER_ACTIVE)
			return err_set(err, TB_E_AUTH_STATE, 0, users_db_status_name(t->status));
		if (last_admin(d, t, err))
			return -1;
		return users_db_set_status(d, t->id, USER_SUSPENDED, actor, when, err);
	case USERS_REINSTATE:
		if (t->status != USER_SUSPENDED)
			return err_set(err, TB_E_AUTH_STATE, 0, users_db_status_name(t->status));
		return users_db_set_status(d, t->id, USER_ACTIVE, actor, when, err);
	case USERS_MAKE_ADMIN:
		/* The branch's admin; an agency admin is made with `admin role`. */
		if (t->status != USER_ACTIVE || t->role >= USER_BRANCH_ADMIN)
			return err_set(err, TB_E_AUTH_STATE, 0, t->role >= USER_BRANCH_ADMIN ? "admin"
				       : users_db_status_name(t->status));
		if (rights_require_admin(d, actor, NULL, err))
			return -1;
		return users_db_set_role(d, t->id, USER_BRANCH_ADMIN, err);
	case USERS_REMOVE_ADMIN:
		if (t->role < USER_BRANCH_ADMIN)
			return err_set(err, TB_E_AUTH_STATE, 0, "officer");
		if (last_admin(d, t, err))
			return -1;
		return users_db_set_role(d, t->id, USER_OFFICER, err);
	case USERS_ACTION_COUNT:
		break;
	}
	return err_set(err, TB_E_USAGE, a, "action");
}

/* A refused admin action is recorded too (after the rollback), with the
 * reason as its result: an attempt by a non-admin is worth knowing. */
static void admin_refused(struct db *d, const char *actor, const char *action,
			  const char *target, const tb_err *err)
{
	tb_err ignored;

	if (strcmp(err_domain(err->id), "auth") == 0)
		audit_simple(d, actor, action, target, err_code(err->id), &ignored);
}

int users_admin(struct db *d, const char *actor, enum users_action a, const char *target,
		tb_err *err)
{
	char when[DB_TIME_MAX];
	struct user t, who;
	tb_err local;
	int ok;

	if (!err)
		err = &local;
	if ((unsigned)a >= USERS_ACTION_COUNT)
		return err_set(err, TB_E_USAGE, a, "action");
	if (db_tx_begin(d, err))
		return -1;
	db_time_iso(db_now(d), when);
	ok = users_get(d, target, &t, err) == 0 &&
	     rights_require(d, actor, RIGHT_USERS, t.branch, &who, err) == 0;
	/* Nobody acts on an account above their own. */
	if (ok && t.role > who.role)
		ok = err_set(err, TB_E_AUTH_NOT_ADMIN, 0, NULL) == 0;
	ok = ok && admin_apply(d, actor, a, &t, when, err) == 0 &&
	     audit_simple(d, actor, actions[a].audit, target, "OK", err) == 0;
	if (db_tx_end(d, ok, err)) {
		admin_refused(d, actor, actions[a].audit, target, err);
		return -1;
	}
	return 0;
}

static void temp_password(char *out, size_t len)
{
	/* No 0/O, 1/l/I: read aloud or copied from a screen without mistakes. */
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[len] = '\0';
}

int users_reset_password(struct db *d, const char *actor, const char *target,
			 const char *new_password, char *temp, size_t size, tb_err *err)
{
	char hash[crypto_pwhash_STRBYTES], gen[USERS_TEMP_PASSWORD_LEN + 1];
	struct user t;
	tb_err local;
	int ok;

	if (!err)
		err = &local;
	if (users_init(err))
		return -1;
	if (!new_password) {
		if (!temp || size <= USERS_TEMP_PASSWORD_LEN)
			return err_set(err, TB_E_USAGE, (long)size, "temporary password buffer");
		temp_password(gen, USERS_TEMP_PASSWORD_LEN);
		new_password = gen;
	} else if (password_ok(new_password, err)) {
		return -1;
	}
	/* Checked before the slow hash, and again under the write lock. */
	if (users_get(d, target, &t, err) || rights_require(d, actor, RIGHT_USERS, t.branch, NULL, err)) {
		sodium_memzero(gen, sizeof gen);
		admin_refused(d, actor, AUDIT_ADMIN_RESET_PASSWORD, target, err);
		return -1;
	}
	if (password_hash(new_password, hash, err)) {
		sodium_memzero(gen, sizeof gen);
		return -1;
	}
	ok = db_tx_begin(d, err) == 0;
	if (ok) {
		ok = users_get(d, target, &t, err) == 0 &&
		     rights_require(d, actor, RIGHT_USERS, t.branch, NULL, err) == 0 &&
		     users_db_set_password(d, t.id, hash, 1, err) == 0 &&
		     audit_simple(d, actor, AUDIT_ADMIN_RESET_PASSWORD, target, "OK", err) == 0;
		ok = db_tx_end(d, ok, err) == 0;
	}
	sodium_memzero(hash, sizeof hash);
	if (ok && new_password == gen)
		snprintf(temp, size, "%s", gen);
	sodium_memzero(gen, sizeof gen);
	return ok ? 0 : -1;
}
