/* What the storage tests share: a private temporary folder per test with
 * the database in it, a clock the tests move, the branch and its first
 * admin, accounts, SQL run as the sqlite3 tool would, audit rows.  With
 * TABIEN_TEST_PG set (a libpq connection string without dbname, from
 * tests/unit/test_store_pg.sh) the database is a new one on that server
 * for each test instead, and the raw SQL goes there as its superuser. */
#ifndef TABIEN_STORE_FIXTURE_H
#define TABIEN_STORE_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "services/accounts/audit.h"
#include "services/accounts/rights.h"
#include "services/accounts/session.h"
#include "services/accounts/settings.h"
#include "services/accounts/users.h"
#include "storage/db.h"

#define ADMIN "admin1"
#define ADMIN_PW "admin-password-1"
#define STAFF_PW "staff-password-1"
#define OTHER_UID 65534   /* nobody: for read-only files when the tests run as root */

struct fixture {
	char dir[64];
	char path[256];     /* the file, or the server's connection string */
	char pgname[32];    /* the test's database on the server */
	struct db *d;
	int64_t now;
};

int64_t fake_clock(void *arg);

/* A citizen ID with a correct check digit from 12 digits. */
void make_cid(const char *first12, char out[14]);

int setup(void **state);

int teardown(void **state);

struct db *open_ok(struct fixture *f, unsigned flags);

void branch_fill(struct branch_settings *b);

/* The first run: the branch and ADMIN. */
void init_branch(struct fixture *f);
/* An older schema's branch, written raw: ADMIN (admin), staff.a (staff,
 * active) and staff.b (staff, pending); f->d reopened at `version`. */
void init_branch_old(struct fixture *f, int version);

int register_user(struct fixture *f, const char *name, const char *pw, tb_err *err);

/* An active staff account. */
void add_active(struct fixture *f, const char *name);

enum tb_err_id login_err(struct fixture *f, const char *user, const char *pw, long *detail);

/* Whether the tests run on a PostgreSQL server (TABIEN_TEST_PG). */
int on_server(void);

/* A test about the SQLite file itself is skipped on the server. */
#define SKIP_ON_SERVER() do { if (on_server()) skip(); } while (0)

/* The seal key file of the fixture's database (audit_seal_path). */
void seal_key_path(struct fixture *f, char *out, size_t size);

/* Runs SQL through SQLite directly, as someone with the sqlite3 tool would;
 * on the server, as its superuser with the triggers off (a forger who owns
 * the server). */
void raw_sql(const char *path, const char *sql);

long long raw_int(const char *path, const char *sql);

void append(struct fixture *f, const char *user, const char *action, const char *subject,
		   const char *purpose);

/* A row as a program of schema 7 or before wrote it, on a database opened
 * at such a version: the one chain, its head in audit_head. */
void append_old(struct fixture *f, const char *user, const char *action, const char *subject);
int64_t verify_bad(struct fixture *f);

/* Before the tests: fast password hashing, a fixed terminal name, no
 * database named by the environment. */
void store_env(void);

#endif
