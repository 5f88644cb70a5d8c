/* Forward-secure seals of the audit trail's head (see audit_seal.h). */
#include "config.h"

#include "services/accounts/audit_seal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "services/base/privfile.h"
#include "storage/audit_db.h"

#define SEED_BYTES crypto_sign_SEEDBYTES
#define PK_BYTES crypto_sign_PUBLICKEYBYTES
#define KEYFILE_MAX 2048

static const char keyfile_magic[] = "tabien audit seal key 1";

/* A seal with room for its strings. */
struct seal {
	char key_id[AUDIT_SEAL_ID_HEX + 1];
	int64_t epoch, seq;
	char head[AUDIT_HASH_HEX + 1];
	char time[DB_TIME_MAX];
	char terminal[DB_TERMINAL_MAX + 1];
	char next_key[2 * PK_BYTES + 1];
	char sig[2 * crypto_sign_BYTES + 1];
};

struct keyfile {
	char id[AUDIT_SEAL_ID_HEX + 1];
	int64_t epoch;             /* the epoch the seed signs */
	uint8_t seed[SEED_BYTES];
	int has_last;
	struct seal last;          /* the seal of epoch - 1 */
};

static void keyfile_wipe(struct keyfile *k)
{
	sodium_memzero(k, sizeof *k);
}

void audit_seal_path(const struct db *d, char *out, size_t size)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char dir[512];

	if (!db_is_server(db_path(d))) {
		snprintf(out, size, "%s.seal", db_path(d));
		return;
	}
	/* A shared server holds no terminal's key: it stays in this account's
	 * data folder, which is made (0700) if missing. */
	if (xdg && *xdg == '/')
		snprintf(dir, sizeof dir, "%s/tabien", xdg);
	else
		snprintf(dir, sizeof dir, "%s/.local/share/tabien", home && *home ? home : ".");
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
	mkdir(dir, 0700);
	snprintf(out, size, "%s/server.seal", dir);
}

/* Lower-case hex without spaces; out has room for 2n + 1. */
static void tohex(const uint8_t *b, size_t n, char *out, size_t size)
{
	if (size >= 2 * n + 1)
		sodium_bin2hex(out, size, b, n);
	else if (size)
		out[0] = '\0';
}

/* The key's name: the first 8 bytes of a hash of the epoch-0 public key. */
static void key_id_of(const uint8_t pk[PK_BYTES], char out[AUDIT_SEAL_ID_HEX + 1])
{
	uint8_t h[crypto_generichash_BYTES_MIN];

	crypto_generichash(h, sizeof h, pk, PK_BYTES, NULL, 0);
	tohex(h, AUDIT_SEAL_ID_HEX / 2, out, AUDIT_SEAL_ID_HEX + 1);
}

static void put_field(crypto_generichash_state *s, const char *f)
{
	size_t n = strlen(f);
	uint8_t len[4] = { (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n };

	crypto_generichash_update(s, len, sizeof len);
	crypto_generichash_update(s, (const uint8_t *)f, n);
}

static void put_int(crypto_generichash_state *s, int64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
	crypto_generichash_update(s, b, sizeof b);
}

/* What a seal signs: everything in it but the terminal's name, which only
 * says where it was made, and the signature itself. */
static void seal_digest(const struct audit_seal_row *r, uint8_t out[crypto_generichash_BYTES])
{
	crypto_generichash_state s;

	crypto_generichash_init(&s, NULL, 0, crypto_generichash_BYTES);
	put_field(&s, keyfile_magic);
	put_field(&s, r->key_id);
	put_int(&s, r->epoch);
	put_int(&s, r->seq);
	put_field(&s, r->head);
	put_field(&s, r->time);
	put_field(&s, r->next_key);
	crypto_generichash_final(&s, out, crypto_generichash_BYTES);
}

static struct audit_seal_row seal_row(const struct seal *s)
{
	return (struct audit_seal_row){
		.key_id = s->key_id, .epoch = s->epoch, .seq = s->seq, .head = s->head,
		.time = s->time, .terminal = s->terminal, .next_key = s->next_key, .sig = s->sig,
	};
}

static int hex_to(const char *hex, uint8_t *out, size_t n)
{
	size_t got = 0;

	return strlen(hex) == 2 * n &&
	       sodium_hex2bin(out, n, hex, 2 * n, NULL, &got, NULL) == 0 && got == n ? 0 : -1;
}

/* --- the key file --------------------------------------------------------------------- */

/* The terminal's name goes into the file as hex: a name is any bytes. */
static int keyfile_parse(char *text, struct keyfile *k)
{
	char *save = NULL, *line;
	int seen = 0;

	memset(k, 0, sizeof *k);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char hex[2 * SEED_BYTES + 1], term[2 * DB_TERMINAL_MAX + 1] = "";
		long long a, b;
		struct seal *l = &k->last;
		size_t got = 0;

		if (strcmp(line, keyfile_magic) == 0)
			seen |= 1;
		else if (sscanf(line, "id %16[0-9a-f]", k->id) == 1 && strlen(k->id) == 16)
			seen |= 2;
		else if (sscanf(line, "epoch %lld", &a) == 1 && a >= 0)
			k->epoch = a, seen |= 4;
		else if (sscanf(line, "seed %64[0-9a-f]", hex) == 1 && hex_to(hex, k->seed, SEED_BYTES) == 0)
			seen |= 8;
		else if (sscanf(line, "last %16[0-9a-f] %lld %lld %64[0-9a-f-] %20s %64[0-9a-f] %128[0-9a-f] %128[0-9a-f]",
				l->key_id, &a, &b, l->head, l->time, l->next_key, l->sig, term) >= 7 &&
			 a >= 0 && b >= 0) {
			l->epoch = a;
			l->seq = b;
			if (strcmp(l->head, "-") == 0)
				l->head[0] = '\0';
			if (strlen(term) % 2 == 0 &&
			    sodium_hex2bin((uint8_t *)l->terminal, DB_TERMINAL_MAX, term, strlen(term),
					   NULL, &got, NULL) == 0)
				l->terminal[got] = '\0';
			k->has_last = 1;
		}
		else
			return -1;
	}
	return seen == 15 && (!k->has_last || k->last.epoch + 1 == k->epoch) ? 0 : -1;
}

/* 1 with the key file read, 0 when there is none, -1 on error.  Opened
 * without following a link and judged by its own descriptor. */
static int keyfile_read(const char *path, struct keyfile *k, tb_err *err)
{
	char buf[KEYFILE_MAX + 1];
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return err_set(err, errno == ELOOP ? TB_E_FILE_LINK : TB_E_AUDIT_SEAL_KEY, errno,
			       "seal key file");
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0) {
		close(fd);
		return err_set(err, TB_E_AUDIT_SEAL_KEY, 0, "seal key file");
	}
	while (len < KEYFILE_MAX && (n = read(fd, buf + len, KEYFILE_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	r = len < KEYFILE_MAX ? keyfile_parse(buf, k) : -1;
	sodium_memzero(buf, sizeof buf);
	if (r) {
		keyfile_wipe(k);
		return err_set(err, TB_E_AUDIT_SEAL_KEY, 0, "seal key file");
	}
	return 1;
}

static int keyfile_write(const char *path, const struct keyfile *k, tb_err *err)
{
	char buf[KEYFILE_MAX], seed[2 * SEED_BYTES + 1], term[2 * DB_TERMINAL_MAX + 1] = "";
	int n = 0, r;

	tohex(k->seed, SEED_BYTES, seed, sizeof seed);
	if (k->has_last)
		tohex((const uint8_t *)k->last.terminal, strlen(k->last.terminal), term,
			   sizeof term);
	n = snprintf(buf, sizeof buf, "%s\nid %s\nepoch %" PRId64 "\nseed %s\n", keyfile_magic,
		     k->id, k->epoch, seed);
	if (k->has_last && n > 0 && (size_t)n < sizeof buf)
		n += snprintf(buf + n, sizeof buf - (size_t)n,
			      "last %s %" PRId64 " %" PRId64 " %s %s %s %s %s\n", k->last.key_id,
			      k->last.epoch, k->last.seq, k->last.head[0] ? k->last.head : "-",
			      k->last.time, k->last.next_key, k->last.sig, term);
	r = n > 0 && (size_t)n < sizeof buf ? privfile_write(path, buf, (size_t)n, err)
					   : err_set(err, TB_E_AUDIT_SEAL_KEY, 0, "seal key file");
	sodium_memzero(buf, sizeof buf);
	sodium_memzero(seed, sizeof seed);
	return r;
}

/* --- sealing ---------------------------------------------------------------------------- */

/* Seals seq/head with the key file's epoch and evolves the key: the file is
 * replaced before the seal is stored, so the old seed is gone first; a seal
 * not stored then is still in the file, and the next call stores it. */
static int seal_make(struct db *d, const char *path, struct keyfile *k, int64_t seq,
		     const char *head, tb_err *err)
{
	uint8_t pk[PK_BYTES], sk[crypto_sign_SECRETKEYBYTES], nsk[crypto_sign_SECRETKEYBYTES];
	uint8_t npk[PK_BYTES], dg[crypto_generichash_BYTES], sig[crypto_sign_BYTES];
	struct seal *s = &k->last;
	struct audit_seal_row r;

	crypto_sign_seed_keypair(pk, sk, k->seed);
	memset(s, 0, sizeof *s);
	snprintf(s->key_id, sizeof s->key_id, "%s", k->id);
	s->epoch = k->epoch;
	s->seq = seq;
	snprintf(s->head, sizeof s->head, "%s", head);
	db_time_iso(db_now(d), s->time);
	snprintf(s->terminal, sizeof s->terminal, "%s", db_terminal(d));
	randombytes_buf(k->seed, SEED_BYTES);
	crypto_sign_seed_keypair(npk, nsk, k->seed);
	sodium_memzero(nsk, sizeof nsk);
	tohex(npk, PK_BYTES, s->next_key, sizeof s->next_key);
	r = seal_row(s);
	seal_digest(&r, dg);
	crypto_sign_detached(sig, NULL, dg, sizeof dg, sk);
	sodium_memzero(sk, sizeof sk);
	tohex(sig, sizeof sig, s->sig, sizeof s->sig);
	k->epoch++;
	k->has_last = 1;
	if (keyfile_write(path, k, err))
		return -1;
	if (audit_db_seal_add(d, &r, err))
		return -1;
	/* A copy outside the database, in the system log (journald). */
	syslog(LOG_AUTHPRIV | LOG_NOTICE, "audit seal key=%s epoch=%" PRId64 " seq=%" PRId64
	       " head=%s next=%s sig=%s", s->key_id, s->epoch, s->seq, s->head[0] ? s->head : "-",
	       s->next_key, s->sig);
	return 0;
}

/* The seal the key file holds, stored if the database lacks it. */
static int seal_pending(struct db *d, const struct keyfile *k, tb_err *err)
{
	struct audit_seal_row r;
	int has;

	if (!k->has_last)
		return 0;
	has = audit_db_seal_has(d, k->last.key_id, k->last.epoch, err);
	if (has)
		return has < 0 ? -1 : 0;
	r = seal_row(&k->last);
	return audit_db_seal_add(d, &r, err);
}

/* The head a seal covers: this terminal's chain's, or while it has no row
 * yet, the one chain of the rows written before step 8. */
static int seal_head(struct db *d, int64_t *seq, char head[AUDIT_HASH_HEX + 1], tb_err *err)
{
	int have = audit_db_head(d, db_terminal(d), seq, head, err);

	return have == 0 && db_terminal(d)[0] ? audit_db_head(d, "", seq, head, err) : have;
}

int audit_seal(struct db *d, int force, tb_err *err)
{
	char path[4200], head[AUDIT_HASH_HEX + 1];
	struct keyfile k;
	int64_t seq, n;
	int have, ok, sealed = 0;

	if (db_tx_depth(d) > 0)
		return 0;
	audit_seal_path(d, path, sizeof path);
	have = keyfile_read(path, &k, err);
	if (have <= 0)
		return have;
	/* Most rows need no seal: decided before taking the write lock, by the
	 * rows of this terminal's chain since its last seal. */
	if ((n = k.has_last ? audit_db_count_after(d, db_terminal(d), k.last.seq, err) : 1) < 0) {
		keyfile_wipe(&k);
		return -1;
	}
	if (k.has_last && n < (force ? 1 : AUDIT_SEAL_EVERY)) {
		keyfile_wipe(&k);
		return 0;
	}
	keyfile_wipe(&k);
	if (sodium_init() < 0)
		return err_set(err, TB_E_SYSTEM, 0, "sodium_init");
	/* Under the write lock, read again: another process may have sealed. */
	if (db_tx_begin(d, err))
		return -1;
	ok = (have = keyfile_read(path, &k, err)) > 0 && seal_pending(d, &k, err) == 0 &&
	     seal_head(d, &seq, head, err) >= 0 &&
	     (n = k.has_last ? audit_db_count_after(d, db_terminal(d), k.last.seq, err) : 1) >= 0;
	if (ok && (!k.has_last || n >= (force ? 1 : AUDIT_SEAL_EVERY))) {
		ok = seal_make(d, path, &k, seq, head, err) == 0;
		sealed = ok;
	}
	keyfile_wipe(&k);
	if (have == 0)
		ok = err_set(err, TB_E_AUDIT_SEAL_KEY, ENOENT, "seal key file") == 0;
	return db_tx_end(d, ok, err) ? -1 : sealed;
}

int audit_seal_init(struct db *d, char vkey[AUDIT_SEAL_KEY_TEXT], tb_err *err)
{
	char path[4200], head[AUDIT_HASH_HEX + 1];
	uint8_t pk[PK_BYTES], sk[crypto_sign_SECRETKEYBYTES];
	struct keyfile k = { 0 };
	struct stat st;
	int64_t seq;
	int ok;

	if (sodium_init() < 0)
		return err_set(err, TB_E_SYSTEM, 0, "sodium_init");
	audit_seal_path(d, path, sizeof path);
	/* Never replaced: starting the seals again is what a forger would do. */
	if (lstat(path, &st) == 0)
		return err_set(err, TB_E_AUDIT_SEAL_EXISTS, 0, "seal key file");
	if (errno != ENOENT)
		return err_set(err, TB_E_FILE, errno, "seal key file");
	randombytes_buf(k.seed, SEED_BYTES);
	crypto_sign_seed_keypair(pk, sk, k.seed);
	sodium_memzero(sk, sizeof sk);
	key_id_of(pk, k.id);
	snprintf(vkey, AUDIT_SEAL_KEY_TEXT, "%s", AUDIT_SEAL_KEY_PREFIX);
	tohex(pk, PK_BYTES, vkey + strlen(AUDIT_SEAL_KEY_PREFIX),
		   AUDIT_SEAL_KEY_TEXT - strlen(AUDIT_SEAL_KEY_PREFIX));
	if (db_tx_begin(d, err)) {
		keyfile_wipe(&k);
		return -1;
	}
	ok = seal_head(d, &seq, head, err) >= 0 && seal_make(d, path, &k, seq, head, err) == 0;
	keyfile_wipe(&k);
	return db_tx_end(d, ok, err);
}

/* --- verifying ------------------------------------------------------------------------- */

struct verify_state {
	struct db *d;
	struct audit_seal_check *out;
	const char *key_id;        /* NULL: no key, only what is sealed */
	uint8_t pk[PK_BYTES];      /* the key of the epoch expected next */
	int64_t epoch;
	int64_t prev_seq;
	int64_t rows;
	tb_err *err;
	int fail;
};

static int verify_seal(const struct audit_seal_row *r, void *arg)
{
	struct verify_state *v = arg;
	struct audit_seal_check *o = v->out;
	uint8_t dg[crypto_generichash_BYTES], sig[crypto_sign_BYTES];
	char stored[AUDIT_HASH_HEX + 1] = "";
	int found;

	if (!v->key_id) {
		o->seals++;
		if (r->seq > o->sealed_seq)
			o->sealed_seq = r->seq;
		return 0;
	}
	o->bad_epoch = v->epoch;
	if (r->epoch != v->epoch) {
		/* A gap: the seals between were removed. */
		v->fail = TB_E_AUDIT_SEAL_MISSING;
		return 1;
	}
	seal_digest(r, dg);
	if (strlen(r->head) > AUDIT_HASH_HEX || strlen(r->time) >= DB_TIME_MAX ||
	    hex_to(r->sig, sig, sizeof sig) ||
	    crypto_sign_verify_detached(sig, dg, sizeof dg, v->pk) != 0 ||
	    hex_to(r->next_key, v->pk, PK_BYTES) || r->seq < v->prev_seq) {
		v->fail = TB_E_AUDIT_SEAL_FORGED;
		return 1;
	}
	/* The seal is genuine: the row it names must still hold its head. */
	found = r->seq == 0 ? 1 : audit_db_row_hash(v->d, r->seq, stored, v->err);
	if (found < 0) {
		v->fail = -1;
		return 1;
	}
	if (!found || strcmp(stored, r->head) != 0) {
		o->bad_from = v->prev_seq + 1;
		o->bad_to = r->seq;
		v->fail = TB_E_AUDIT_REWRITTEN;
		return 1;
	}
	v->prev_seq = r->seq;
	v->epoch++;
	o->seals++;
	o->sealed_seq = r->seq;
	return 0;
}

/* Seals of other terminals' keys: counted, left to their own keys. */
static int count_other(const struct audit_seal_row *r, void *arg)
{
	struct verify_state *v = arg;

	if (!v->out->key_id[0] || strcmp(r->key_id, v->out->key_id) != 0)
		v->out->other++;
	return 0;
}

int audit_seal_verify(struct db *d, const char *vkey, struct audit_seal_check *out,
		      tb_err *err)
{
	char path[4200], head[AUDIT_HASH_HEX + 1];
	struct verify_state v = { .d = d, .out = out, .err = err };
	struct keyfile k;
	size_t plen = strlen(AUDIT_SEAL_KEY_PREFIX);
	int have, rc;

	memset(out, 0, sizeof *out);
	out->key_epoch = -1;
	if (sodium_init() < 0)
		return err_set(err, TB_E_SYSTEM, 0, "sodium_init");
	if (vkey) {
		if (strncmp(vkey, AUDIT_SEAL_KEY_PREFIX, plen) != 0 ||
		    hex_to(vkey + plen, v.pk, PK_BYTES))
			return err_set(err, TB_E_AUDIT_SEAL_KEY, 0, "--key");
		key_id_of(v.pk, out->key_id);
		v.key_id = out->key_id;
	}
	audit_seal_path(d, path, sizeof path);
	have = keyfile_read(path, &k, err);
	if (have < 0)
		return -1;
	if (have) {
		if (!vkey || strcmp(k.id, out->key_id) == 0) {
			out->key_epoch = k.epoch;
			snprintf(out->key_id, sizeof out->key_id, "%s", k.id);
		}
		keyfile_wipe(&k);
	}
	if (db_tx_begin(d, err))
		return -1;
	rc = audit_db_head(d, db_terminal(d), &v.rows, head, err) < 0 ? -1
		: audit_db_seal_scan(d, v.key_id ? v.key_id : (out->key_id[0] ? out->key_id : NULL),
				     verify_seal, &v, err);
	if (rc >= 0 && !v.fail && out->key_id[0])
		rc = audit_db_seal_scan(d, NULL, count_other, &v, err);
	db_tx_end(d, 1, NULL);
	if (rc < 0 || v.fail < 0)
		return -1;
	if (v.fail)
		return err_set(err, (enum tb_err_id)v.fail,
			       (long)(v.fail == TB_E_AUDIT_REWRITTEN ? out->bad_to : out->bad_epoch),
			       NULL);
	/* Seals removed from the end show against the key file's epoch. */
	if (out->key_epoch > out->seals) {
		out->bad_epoch = out->seals;
		return err_set(err, TB_E_AUDIT_SEAL_MISSING, (long)out->seals, NULL);
	}
	/* This terminal's rows since its newest seal, and those of the one
	 * chain of before step 8, which no seal covers any more. */
	out->unsealed = audit_db_count_after(d, db_terminal(d), out->sealed_seq, err);
	if (out->unsealed >= 0 && db_terminal(d)[0]) {
		int64_t old = audit_db_count_after(d, "", out->sealed_seq, err);
		out->unsealed = old < 0 ? -1 : out->unsealed + old;
	}
	return out->unsealed < 0 ? -1 : 0;
}
