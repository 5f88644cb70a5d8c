/* The schema's steps, one text for both engines: where the dialects differ
 * the text takes the engine's word as a macro argument, so SQLite's steps
 * read exactly as they always have and PostgreSQL's follow them.  Constant
 * DDL only: no value from outside ever reaches these strings.
 *
 *   INT    an integer column: SQLite's INTEGER is 64 bits, PostgreSQL's 32
 *   KEY    an integer primary key given by the program
 *   SERIAL an integer primary key the database gives (INSERT … RETURNING id)
 *   NOROW  SQLite's WITHOUT ROWID, nothing on PostgreSQL */
#include "config.h"

#include "storage/db_engine.h"

#define STEP1(INT, KEY, SERIAL, NOROW) \
	"CREATE TABLE branch_settings (" \
	"  key TEXT PRIMARY KEY," \
	"  value TEXT NOT NULL" \
	")" NOROW ";" \
	"CREATE TABLE purposes (" \
	"  pos " KEY "," \
	"  text TEXT NOT NULL" \
	");" \
	"CREATE TABLE users (" \
	"  id " SERIAL "," \
	"  username TEXT NOT NULL UNIQUE," \
	"  full_name TEXT NOT NULL," \
	"  cid TEXT NOT NULL," \
	"  position TEXT NOT NULL," \
	"  pwhash TEXT NOT NULL," \
	"  role TEXT NOT NULL DEFAULT 'staff' CHECK (role IN ('staff', 'admin'))," \
	"  status TEXT NOT NULL DEFAULT 'pending'" \
	"    CHECK (status IN ('pending', 'active', 'suspended', 'rejected'))," \
	"  created TEXT NOT NULL," \
	"  decided_by TEXT NOT NULL DEFAULT ''," \
	"  decided_at TEXT NOT NULL DEFAULT ''," \
	"  last_login TEXT NOT NULL DEFAULT ''," \
	"  failures " INT " NOT NULL DEFAULT 0," \
	"  locked_until " INT " NOT NULL DEFAULT 0," \
	"  must_change " INT " NOT NULL DEFAULT 0" \
	");" \
	"CREATE TABLE sessions (" \
	"  id " SERIAL "," \
	"  user_id " INT " NOT NULL REFERENCES users(id)," \
	"  terminal TEXT NOT NULL," \
	"  started TEXT NOT NULL," \
	"  last_seen TEXT NOT NULL," \
	"  ended TEXT NOT NULL DEFAULT ''," \
	"  end_reason TEXT NOT NULL DEFAULT ''" \
	");" \
	"CREATE INDEX sessions_user ON sessions(user_id, ended);" \
	"CREATE TABLE audit (" \
	"  seq " KEY "," \
	"  time TEXT NOT NULL," \
	"  terminal TEXT NOT NULL," \
	"  branch TEXT NOT NULL," \
	"  username TEXT NOT NULL," \
	"  action TEXT NOT NULL," \
	"  service TEXT NOT NULL," \
	"  subject TEXT NOT NULL," \
	"  purpose TEXT NOT NULL," \
	"  result TEXT NOT NULL," \
	"  hash TEXT NOT NULL" \
	");" \
	"CREATE INDEX audit_username ON audit(username);" \
	"CREATE INDEX audit_subject ON audit(subject);" \
	"CREATE INDEX audit_time ON audit(time);" \
	/* The chain's head, so that removing the newest rows is caught too. */ \
	"CREATE TABLE audit_head (" \
	"  id " KEY " CHECK (id = 1)," \
	"  seq " INT " NOT NULL," \
	"  hash TEXT NOT NULL" \
	");"

/* 2: each user's settings, and the state a session resumes from. */
#define STEP2(INT, NOROW) \
	"CREATE TABLE user_settings (" \
	"  user_id " INT " NOT NULL REFERENCES users(id)," \
	"  key TEXT NOT NULL," \
	"  value TEXT NOT NULL," \
	"  PRIMARY KEY (user_id, key)" \
	")" NOROW ";" \
	"ALTER TABLE sessions ADD COLUMN state TEXT NOT NULL DEFAULT '';"

/* 3: DBD answers kept for a while (public business data, not personal),
 * one per company and source, so a lookup within the TTL sends nothing
 * and an outage can still show the last copy. */
#define STEP3(INT, NOROW) \
	"CREATE TABLE juristic_cache (" \
	"  id TEXT NOT NULL," \
	"  source TEXT NOT NULL CHECK (source IN ('gdx', 'open'))," \
	"  fetched_at " INT " NOT NULL," \
	"  body TEXT NOT NULL," \
	"  PRIMARY KEY (id, source)" \
	")" NOROW ";"

/* 4: whether the citizen consented to a registry lookup ('yes', 'no'),
 * or the mission requires it ('mission'), or the branch looks every
 * visitor up ('auto'); '' on rows that are not lookups and on the rows
 * written before. */
#define STEP4 "ALTER TABLE audit ADD COLUMN consent TEXT NOT NULL DEFAULT '';"

/* 5: seals of the chain's head, each signed with the key of its own
 * epoch (services/accounts/audit_seal.c); key_id names the terminal's
 * key, so many terminals' seals can share one table. */
#define STEP5(INT, NOROW) \
	"CREATE TABLE audit_seal (" \
	"  key_id TEXT NOT NULL," \
	"  epoch " INT " NOT NULL," \
	"  seq " INT " NOT NULL," \
	"  head TEXT NOT NULL," \
	"  time TEXT NOT NULL," \
	"  terminal TEXT NOT NULL," \
	"  next_key TEXT NOT NULL," \
	"  sig TEXT NOT NULL," \
	"  PRIMARY KEY (key_id, epoch)" \
	")" NOROW ";"

/* 6: many branches in one database, four roles and per-user grants
 * (services/accounts/rights.c).  The branch made at `admin init` stays the
 * default one (branch_settings' branch_code) and takes the existing users
 * and its settings; admins become agency admins, staff counter officers.
 * The role is a new column, as SQLite drops a column but not a CHECK. */
#define STEP6(INT) \
	"CREATE TABLE branches (" \
	"  code TEXT PRIMARY KEY," \
	"  name TEXT NOT NULL," \
	"  created TEXT NOT NULL" \
	");" \
	"INSERT INTO branches (code, name, created)" \
	"  SELECT c.value, COALESCE(n.value, c.value)," \
	"         COALESCE((SELECT min(created) FROM users), '')" \
	"  FROM branch_settings c LEFT JOIN branch_settings n ON n.key = 'branch_name'" \
	"  WHERE c.key = 'branch_code';" \
	"CREATE TABLE branch_config (" \
	"  branch TEXT NOT NULL REFERENCES branches(code)," \
	"  key TEXT NOT NULL," \
	"  value TEXT NOT NULL," \
	"  PRIMARY KEY (branch, key)" \
	");" \
	"INSERT INTO branch_config (branch, key, value)" \
	"  SELECT c.value, s.key, s.value FROM branch_settings s, branch_settings c" \
	"  WHERE c.key = 'branch_code'" \
	"    AND s.key IN ('idle_timeout', 'gateway_profile', 'copy_unsigned', 'auto_purpose');" \
	"DELETE FROM branch_settings WHERE key IN ('branch_name', 'idle_timeout'," \
	"  'gateway_profile', 'copy_unsigned', 'auto_purpose');" \
	"CREATE TABLE branch_purposes (" \
	"  branch TEXT NOT NULL REFERENCES branches(code)," \
	"  pos " INT " NOT NULL," \
	"  text TEXT NOT NULL," \
	"  PRIMARY KEY (branch, pos)" \
	");" \
	"INSERT INTO branch_purposes (branch, pos, text)" \
	"  SELECT c.value, p.pos, p.text FROM purposes p, branch_settings c" \
	"  WHERE c.key = 'branch_code';" \
	"DROP TABLE purposes;" \
	"ALTER TABLE users ADD COLUMN branch TEXT NOT NULL DEFAULT '';" \
	"UPDATE users SET branch =" \
	"  COALESCE((SELECT value FROM branch_settings WHERE key = 'branch_code'), '');" \
	"CREATE INDEX users_branch ON users(branch);" \
	"ALTER TABLE users ADD COLUMN role_new TEXT NOT NULL DEFAULT 'officer'" \
	"  CHECK (role_new IN ('officer', 'supervisor', 'branch_admin', 'agency_admin'));" \
	"UPDATE users SET role_new = 'agency_admin' WHERE role = 'admin';" \
	"ALTER TABLE users DROP COLUMN role;" \
	"ALTER TABLE users RENAME COLUMN role_new TO role;" \
	"CREATE TABLE grants (" \
	"  user_id " INT " NOT NULL REFERENCES users(id)," \
	"  right_name TEXT NOT NULL," \
	"  allow " INT " NOT NULL CHECK (allow IN (0, 1))," \
	"  granted_by TEXT NOT NULL," \
	"  granted_at TEXT NOT NULL," \
	"  PRIMARY KEY (user_id, right_name)" \
	");"

/* 7: someone acting for a citizen at the counter (ผู้รับมอบอำนาจ): on
 * every row of such a visit, both citizens, "grantor=ID grantee=ID" (the
 * grantee's part once their card was read); '' otherwise. */
#define STEP7 "ALTER TABLE audit ADD COLUMN acting TEXT NOT NULL DEFAULT '';"

/* 8: one chain per writer, so that terminals do not wait for each other:
 * each row names its chain (its terminal; '' the one chain of the rows
 * before), each chain its head (the old head stays chain ''s).  seq
 * stays the one order of all rows, no longer gap-free on a server. */
#define STEP8(INT) \
	"ALTER TABLE audit ADD COLUMN chain TEXT NOT NULL DEFAULT '';" \
	"CREATE INDEX audit_chain ON audit(chain, seq);" \
	"CREATE TABLE audit_heads (" \
	"  chain TEXT PRIMARY KEY," \
	"  seq " INT " NOT NULL," \
	"  hash TEXT NOT NULL" \
	");" \
	"INSERT INTO audit_heads (chain, seq, hash) SELECT '', seq, hash FROM audit_head;" \
	"DROP TABLE audit_head;"

/* The server's rows take their seq from a sequence, beyond every row moved
 * or written before. */
#define PG_STEP8_EXTRA \
	"CREATE SEQUENCE audit_seq;" \
	"SELECT setval('audit_seq', COALESCE((SELECT max(seq) FROM audit), 0) + 1, false);"

/* On a shared server the audit rows and the seals are insert-only for
 * everyone, the owner included, until someone with the right to drop the
 * trigger does so on purpose; the terminals' role is also granted no more
 * than SELECT and INSERT on them (man tabien.conf(5)). */
#define PG_INSERT_ONLY(T) \
	"CREATE TRIGGER " T "_insert_only BEFORE UPDATE OR DELETE ON " T \
	"  FOR EACH ROW EXECUTE FUNCTION tabien_insert_only();" \
	"CREATE TRIGGER " T "_no_truncate BEFORE TRUNCATE ON " T \
	"  FOR EACH STATEMENT EXECUTE FUNCTION tabien_insert_only();"

#define PG_STEP5_EXTRA \
	"CREATE FUNCTION tabien_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$" \
	"BEGIN RAISE EXCEPTION 'the table % is insert-only', TG_TABLE_NAME" \
	"  USING ERRCODE = 'insufficient_privilege'; END $$;" \
	PG_INSERT_ONLY("audit") PG_INSERT_ONLY("audit_seal")

#define LITE_INT "INTEGER"
#define LITE_KEY "INTEGER PRIMARY KEY"
#define LITE_NOROW " WITHOUT ROWID"
#define PG_INT "BIGINT"
#define PG_KEY "BIGINT PRIMARY KEY"
#define PG_SERIAL "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"

const char *const db_schema_sqlite[DB_SCHEMA_VERSION] = {
	STEP1(LITE_INT, LITE_KEY, LITE_KEY, LITE_NOROW),
	STEP2(LITE_INT, LITE_NOROW),
	STEP3(LITE_INT, LITE_NOROW),
	STEP4,
	STEP5(LITE_INT, LITE_NOROW),
	STEP6(LITE_INT),
	STEP7,
	STEP8(LITE_INT),
};

const char *const db_schema_pg[DB_SCHEMA_VERSION] = {
	STEP1(PG_INT, PG_KEY, PG_SERIAL, ""),
	STEP2(PG_INT, ""),
	STEP3(PG_INT, ""),
	STEP4,
	STEP5(PG_INT, "") PG_STEP5_EXTRA,
	STEP6(PG_INT),
	STEP7,
	STEP8(PG_INT) PG_STEP8_EXTRA,
};
