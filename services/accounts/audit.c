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
	int ok, have = 0;

	if (sodium_init() < 0)
		return err_set(err, TB_E_SYSTEM, 0, "sodium_init");
	if (db_tx_begin(d, err))
		return -1;
	/* The terminal's branch, else the database's default one. */
	snprintf(branch, sizeof branch, "%s", db_branch(d));
	ok = (branch[0] || settings_db_get(d, "branch_code", branch, sizeof branch, err) >= 0) &&
	     (have = audit_db_head(d, &seq, head, err)) >= 0;
	if (ok) {
		if (have)
			hash_decode(head, prev);
		else
			genesis(prev);
		db_time_iso(db_now(d), when);
		r = (struct audit_row){
			.seq = seq + 1, .time = when, .terminal = db_terminal(d), .branch = branch,
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

struct verify_state {
	uint8_t prev[HASH_BYTES];
	int64_t expect;
	int64_t rows;
	int64_t first_bad;
	char last[AUDIT_HASH_HEX + 1];
};

static int verify_row(const struct audit_row *r, void *arg)
{
	struct verify_state *v = arg;
	uint8_t h[HASH_BYTES];
	char hex[AUDIT_HASH_HEX + 1];

	if (r->seq != v->expect) {
		/* A row is missing here, or one was moved in from elsewhere. */
		v->first_bad = r->seq > v->expect ? v->expect : r->seq;
		return 1;
	}
	row_hash(v->prev, r, h);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (strcmp(hex, r->hash) != 0) {
		v->first_bad = r->seq;
		return 1;
	}
	memcpy(v->prev, h, HASH_BYTES);
	memcpy(v->last, hex, sizeof hex);
	v->rows++;
	v->expect++;
	return 0;
}

int audit_verify(struct db *d, struct audit_check *out, tb_err *err)
{
	struct verify_state v = { .expect = 1 };
	char head[AUDIT_HASH_HEX + 1];
	int64_t head_seq;
	int have = 0;

	memset(out, 0, sizeof *out);
	if (sodium_init() < 0)
		return err_set(err, TB_E_SYSTEM, 0, "sodium_init");
	genesis(v.prev);
	/* One read transaction, so a row appended meanwhile cannot look like a
	 * head that moved. */
	if (db_tx_begin(d, err))
		return -1;
	if (audit_db_scan(d, NULL, verify_row, &v, err) < 0 ||
	    (have = audit_db_head(d, &head_seq, head, err)) < 0) {
		db_tx_end(d, 0, NULL);
		return -1;
	}
	db_tx_end(d, 1, NULL);
	out->rows = v.rows;
	if (!v.first_bad) {
		int64_t last = v.expect - 1;
		if (!have && last > 0)
			v.first_bad = last;                     /* the head was removed */
		else if (have && head_seq != last)
			v.first_bad = (head_seq < last ? head_seq : last) + 1; /* rows cut off or added */
		else if (have && last > 0 && strcmp(head, v.last) != 0)
			v.first_bad = last;                     /* the newest row rewritten */
	}
	snprintf(out->head, sizeof out->head, "%s", have ? head : "");
	if (v.first_bad) {
		out->first_bad = v.first_bad;
		return err_set(err, TB_E_AUDIT_BROKEN, (long)v.first_bad, NULL);
	}
	return 0;
}
