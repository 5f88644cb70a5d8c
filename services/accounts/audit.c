/* The hash-chained audit trail. */
#include "config.h"

#include "services/accounts/audit.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "services/accounts/audit_seal.h"
#include "storage/settings_db.h"

#define HASH_BYTES crypto_hash_sha256_BYTES

/* The chain starts from the hash of this text, so an empty trail and a
 * trail of another program never verify as ours. */
static const char genesis_text[] = "tabien audit trail, version 1";

static void genesis(uint8_t out[HASH_BYTES])
{
	crypto_hash_sha256(out, (const uint8_t *)genesis_text, sizeof genesis_text - 1);
}

/* Each field is its 4-byte big-endian length then its bytes, so no text can
 * move a boundary between fields (("ab", "c") never hashes as ("a", "bc")). */
static void hash_field(crypto_hash_sha256_state *s, const char *f)
{
	size_t n = strlen(f);
	uint8_t len[4] = { (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n };

	crypto_hash_sha256_update(s, len, sizeof len);
	crypto_hash_sha256_update(s, (const uint8_t *)f, n);
}

static void row_hash(const uint8_t prev[HASH_BYTES], const struct audit_row *r,
		     uint8_t out[HASH_BYTES])
{
	crypto_hash_sha256_state s;
	uint8_t seq[8];

	for (int i = 0; i < 8; i++)
		seq[i] = (uint8_t)((uint64_t)r->seq >> (56 - 8 * i));
	crypto_hash_sha256_init(&s);
	crypto_hash_sha256_update(&s, prev, HASH_BYTES);
	crypto_hash_sha256_update(&s, seq, sizeof seq);
	hash_field(&s, r->time);
	hash_field(&s, r->terminal);
	hash_field(&s, r->branch);
	hash_field(&s, r->username);
	hash_field(&s, r->action);
	hash_field(&s, r->service);
	hash_field(&s, r->subject);
	hash_field(&s, r->purpose);
	hash_field(&s, r->result);
	/* Chained only when set, so the rows written before the column came
	 * hash as they did; a consent added or removed later still shows. */
	if ((r->consent && r->consent[0]) || (r->acting && r->acting[0]))
		hash_field(&s, r->consent ? r->consent : "");
	/* Likewise acting, after a consent chained even when empty: a value
	 * moved from one column to the other still shows. */
	if (r->acting && r->acting[0])
		hash_field(&s, r->acting);
	/* The chain too, when not the rows' one chain of before: a row moved
	 * to another chain no longer hashes as it did. */
	if (r->chain && r->chain[0])
		hash_field(&s, r->chain);
	crypto_hash_sha256_final(&s, out);
}

/* A stored hash back to bytes; anything that is not 64 hex digits chains
 * as zeros (verify has already flagged the row that holds it). */
static void hash_decode(const char *hex, uint8_t out[HASH_BYTES])
{
	size_t got = 0;

	if (strlen(hex) != AUDIT_HASH_HEX ||
	    sodium_hex2bin(out, HASH_BYTES, hex, AUDIT_HASH_HEX, NULL, &got, NULL) != 0 ||
	    got != HASH_BYTES)
		memset(out, 0, HASH_BYTES);
}

void audit_row_hash(const char *prev, const struct audit_row *r, char out[AUDIT_HASH_HEX + 1])
{
	uint8_t p[HASH_BYTES], h[HASH_BYTES];

	if (prev && *prev)
		hash_decode(prev, p);
	else
		genesis(p);
	row_hash(p, r, h);
	sodium_bin2hex(out, AUDIT_HASH_HEX + 1, h, sizeof h);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

int audit_append(struct db *d, const struct audit_entry *e, tb_err *err)
{
	char branch[64] = "", head[AUDIT_HASH_HEX + 1], when[DB_TIME_MAX];
	char hex[AUDIT_HASH_HEX + 1];
	uint8_t prev[HASH_BYTES], h[HASH_BYTES];
	int64_t seq;
	struct audit_row r;
	int ok;

	if (sodium_init() < 0)
		return err_set(err, TB_E_SYSTEM, 0, "sodium_init");
	if (db_tx_begin(d, err))
		return -1;
	/* The terminal's branch, else the database's default one. */
	snprintf(branch, sizeof branch, "%s", db_branch(d));
	ok = (branch[0] || settings_db_get(d, "branch_code", branch, sizeof branch, err) >= 0) &&
	     audit_db_next(d, db_terminal(d), &seq, head, err) == 0;
	if (ok) {
		if (head[0])
			hash_decode(head, prev);
		else
			genesis(prev);
		db_time_iso(db_now(d), when);
		r = (struct audit_row){
			.seq = seq, .time = when, .chain = db_terminal(d), .terminal = db_terminal(d), .branch = branch,
			.username = nz(e->username), .action = nz(e->action),
			.service = nz(e->service), .subject = nz(e->subject),
			.purpose = nz(e->purpose), .consent = nz(e->consent), .acting = nz(e->acting),
			.result = nz(e->result),
		};
		row_hash(prev, &r, h);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		r.hash = hex;
		ok = audit_db_append(d, &r, err) == 0;
	}
	if (db_tx_end(d, ok, err))
		return -1;
	audit_seal_due(d, 0);
	return 0;
}

void audit_seal_due(struct db *d, int force)
{
	tb_err e = { 0 };

	/* The row is written whatever happens here; a seal that could not be
	 * made is said in the system log and made at the next chance. */
	if (audit_seal(d, force, &e) < 0)
		syslog(LOG_AUTHPRIV | LOG_ERR, "audit seal not made: %s (%s)", err_code(e.id),
		       e.field ? e.field : "");
}

int audit_date_range(const char *since, const char *until, struct audit_filter *f,
		     tb_err *err)
{
	const char *in[2] = { since, until };
	int64_t *out[2] = { &f->since, &f->until };

	for (int i = 0; i < 2; i++) {
		struct tm tm = { 0 };
		int y, m, day;
		char tail;
		time_t t;

		if (!in[i])
			continue;
		if (strlen(in[i]) != 10 || in[i][4] != '-' || in[i][7] != '-' ||
		    sscanf(in[i], "%4d-%2d-%2d%c", &y, &m, &day, &tail) != 3 ||
		    y < 1970 || m < 1 || m > 12 || day < 1 || day > 31)
			return err_set(err, TB_E_AUTH_INVALID, 0, i ? "until" : "since");
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = day;
		tm.tm_isdst = -1;
		t = mktime(&tm);
		/* mktime moves 31 April to 1 May: such a date was not real. */
		if (t == (time_t)-1 || tm.tm_mday != day || tm.tm_mon != m - 1)
			return err_set(err, TB_E_AUTH_INVALID, 0, i ? "until" : "since");
		if (i == 1) {
			tm = (struct tm){ .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = day + 1,
					  .tm_isdst = -1 };
			t = mktime(&tm);
		}
		*out[i] = (int64_t)t;
	}
	return 0;
}

int audit_query(struct db *d, const struct audit_filter *f,
		int (*fn)(const struct audit_row *r, void *arg), void *arg, tb_err *err)
{
	char since[DB_TIME_MAX], until[DB_TIME_MAX];
	struct audit_db_filter q = { 0 };

	if (f) {
		q = (struct audit_db_filter){
			.username = f->username, .subject = f->subject, .action = f->action,
			.branch = f->branch,
			.limit = f->limit, .newest_first = f->newest_first,
		};
		if (f->since) {
			db_time_iso(f->since, since);
			q.since = since;
		}
		if (f->until) {
			db_time_iso(f->until, until);
			q.until = until;
		}
	}
	return audit_db_scan(d, &q, fn, arg, err) < 0 ? -1 : 0;
}

void audit_csv_field(FILE *out, const char *s)
{
	/* A spreadsheet runs a cell that starts with one of these as a formula. */
	int neutral = s[0] && strchr("=+-@\t\r", s[0]) != NULL;
	int quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', out);
	if (neutral)
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	if (quote)
		fputc('"', out);
}

struct csv_state {
	FILE *out;
	long rows;
};

static int csv_row(const struct audit_row *r, void *arg)
{
	struct csv_state *c = arg;
	const char *fields[] = { r->time, r->terminal, r->branch, r->username, r->action,
				 r->service, r->subject, r->purpose, r->result, r->hash,
				 r->consent, r->acting };

	fprintf(c->out, "%lld", (long long)r->seq);
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		fputc(',', c->out);
		audit_csv_field(c->out, fields[i]);
	}
	fputs("\r\n", c->out);
	c->rows++;
	return ferror(c->out) ? 1 : 0;
}

long audit_export_csv(struct db *d, const char *actor, const struct audit_filter *f,
		      FILE *out, tb_err *err)
{
	struct csv_state c = { .out = out };

	/* The export is recorded first: it is an access even if writing fails. */
	if (audit_append(d, &(struct audit_entry){
			.username = actor, .action = AUDIT_EXPORT,
			.subject = f ? f->subject : NULL, .result = "OK" }, err))
		return -1;
	fputs("seq,time,terminal,branch,username,action,service,subject,purpose,result,hash,consent,acting\r\n", out);
	if (audit_query(d, f, csv_row, &c, err))
		return -1;
	if (fflush(out) != 0 || ferror(out))
		return err_set(err, TB_E_FILE, 0, "csv");
	return c.rows;
}

/* Each chain met so far: its previous hash, its last good row, its head
 * as stored, and the first seq missing since its last good row (a row
 * removed there is named by the gap, not by the next row that breaks). */
struct chain_state {
	char *key;
	uint8_t prev[HASH_BYTES];
	int64_t last;
	int64_t gap;
	int64_t head_seq;
	int64_t after_head;          /* its first row past the stored head */
	char head[AUDIT_HASH_HEX + 1];
	int has_head;
};

struct verify_state {
	struct chain_state *c;
	size_t n, cap;
	int64_t seen;                /* the highest seq met */
	int64_t first_gap;           /* the first seq missing anywhere */
	int64_t rows;
	int64_t first_bad;
	int fail;
};

static struct chain_state *chain_of(struct verify_state *v, const char *key)
{
	struct chain_state *c;

	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->c[i].key, key) == 0)
			return &v->c[i];
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		c = realloc(v->c, cap * sizeof *c);
		if (!c)
			return NULL;
		v->c = c;
		v->cap = cap;
	}
	c = &v->c[v->n];
	*c = (struct chain_state){ .key = strdup(key), .gap = v->first_gap };
	if (!c->key)
		return NULL;
	genesis(c->prev);
	v->n++;
	return c;
}

static int verify_head(const char *chain, int64_t seq, const char *hash, void *arg)
{
	struct verify_state *v = arg;
	struct chain_state *c = chain_of(v, chain);

	if (!c) {
		v->fail = 1;
		return 1;
	}
	c->has_head = 1;
	c->head_seq = seq;
	snprintf(c->head, sizeof c->head, "%s", hash);
	return 0;
}

static int verify_row(const struct audit_row *r, void *arg)
{
	struct verify_state *v = arg;
	struct chain_state *c;
	uint8_t h[HASH_BYTES];
	char hex[AUDIT_HASH_HEX + 1];

	if (r->seq > v->seen + 1) {
		if (!v->first_gap)
			v->first_gap = v->seen + 1;
		for (size_t i = 0; i < v->n; i++)
			if (!v->c[i].gap)
				v->c[i].gap = v->seen + 1;
	}
	if (r->seq > v->seen)
		v->seen = r->seq;
	c = chain_of(v, r->chain);
	if (!c) {
		v->fail = 1;
		return 1;
	}
	row_hash(c->prev, r, h);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (r->seq <= 0 || strcmp(hex, r->hash) != 0) {
		/* Edited, moved from another chain or place, or a row before it
		 * removed: then the first seq missing since the chain's last
		 * good row names it. */
		v->first_bad = c->gap && c->gap < r->seq ? c->gap : r->seq;
		return 1;
	}
	memcpy(c->prev, h, HASH_BYTES);
	c->last = r->seq;
	c->gap = 0;
	if (c->has_head && r->seq > c->head_seq && !c->after_head)
		c->after_head = r->seq;
	v->rows++;
	return 0;
}

/* What a chain's head says of its rows: 0, or the first bad seq. */
static int64_t chain_bad(const struct verify_state *v, const struct chain_state *c)
{
	char last[AUDIT_HASH_HEX + 1];

	if (!c->has_head)
		return c->last;                         /* the head was removed */
	if (!c->last)                                   /* every row removed */
		return v->first_gap ? v->first_gap : v->seen + 1;
	if (c->head_seq < c->last)                      /* rows added past it */
		return c->after_head;
	if (c->head_seq > c->last)                      /* the newest cut off */
		return c->gap ? c->gap : v->seen + 1;
	sodium_bin2hex(last, sizeof last, c->prev, HASH_BYTES);
	return strcmp(last, c->head) != 0 ? c->last : 0; /* the newest rewritten */
}

int audit_verify(struct db *d, struct audit_check *out, tb_err *err)
{
	struct verify_state v = { 0 };
	int rc;

	memset(out, 0, sizeof *out);
	if (sodium_init() < 0)
		return err_set(err, TB_E_SYSTEM, 0, "sodium_init");
	/* One snapshot, so a row appended meanwhile cannot look like a head
	 * that moved.  Rows by seq, each chain from its own previous hash. */
	if (db_tx_begin_snapshot(d, err))
		return -1;
	rc = audit_db_heads(d, verify_head, &v, err);
	if (rc == 0)
		rc = audit_db_scan(d, NULL, verify_row, &v, err);
	db_tx_end(d, 1, NULL);
	if (rc < 0 || v.fail) {
		if (v.fail)
			err_set(err, TB_E_NOMEM, 0, NULL);
		rc = -1;
	} else {
		out->rows = v.rows;
		for (size_t i = 0; i < v.n && !v.first_bad; i++) {
			int64_t bad = chain_bad(&v, &v.c[i]);
			if (bad && (!v.first_bad || bad < v.first_bad))
				v.first_bad = bad;
		}
		/* The head shown is this terminal's chain's, else the old one's. */
		for (int pass = 0; pass < 2 && !out->head[0]; pass++)
			for (size_t i = 0; i < v.n; i++)
				if (strcmp(v.c[i].key, pass ? "" : db_terminal(d)) == 0 &&
				    v.c[i].has_head)
					snprintf(out->head, sizeof out->head, "%s", v.c[i].head);
		rc = 0;
	}
	for (size_t i = 0; i < v.n; i++)
		free(v.c[i].key);
	free(v.c);
	if (rc < 0)
		return -1;
	if (v.first_bad) {
		out->first_bad = v.first_bad;
		return err_set(err, TB_E_AUDIT_BROKEN, (long)v.first_bad, NULL);
	}
	return 0;
}
