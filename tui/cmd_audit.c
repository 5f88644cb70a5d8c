/* `tabien audit verify|seal-init|seal`: the chain and its seals checked,
 * sealing set up on a terminal, a seal made now (a shift's end, cron). */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/accounts/audit.h"
#include "services/accounts/audit_seal.h"
#include "storage/db.h"
#include "tui/cmd.h"

static int fail(const tb_err *e)
{
	cmd_error(stderr, "tabien: ", e);
	return EXIT_FAIL;
}

/* --db PATH and, for verify, --key K; no operands. */
static int parse(int argc, char **argv, const char **db, const char **key, const char *usage)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*db = NULL;
	if (key)
		*key = NULL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd' && cmd_arg_fits("--db", optarg, 4096))
			*db = optarg;
		else if (c == 'k' && key)
			*key = optarg;
		else {
			fprintf(stderr, "usage: %s\n", usage);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: %s\n", usage);
		return -1;
	}
	return 0;
}

/* What failed in the seals, in words, before the catalogue's message. */
static void seal_failure(const tb_err *err, const struct audit_seal_check *s)
{
	if (err->id == TB_E_AUDIT_REWRITTEN)
		printf("audit trail REWRITTEN: rows %" PRId64 " to %" PRId64 " no longer match the seal "
		       "of epoch %" PRId64 " / บันทึกการใช้งานถูกเขียนใหม่: รายการที่ %" PRId64
		       " ถึง %" PRId64 " ไม่ตรงกับตราผนึกช่วงที่ %" PRId64 "\n", s->bad_from, s->bad_to,
		       s->bad_epoch, s->bad_from, s->bad_to, s->bad_epoch);
	else if (err->id == TB_E_AUDIT_SEAL_FORGED)
		printf("seal of epoch %" PRId64 " FORGED: not signed by the key of epoch %" PRId64
		       " / ตราผนึกช่วงที่ %" PRId64 " ถูกปลอม: ไม่ได้ลงนามด้วยกุญแจของช่วงนั้น\n",
		       s->bad_epoch, s->bad_epoch, s->bad_epoch);
	else if (err->id == TB_E_AUDIT_SEAL_MISSING && s->key_epoch > s->bad_epoch)
		printf("seals MISSING from epoch %" PRId64 " (the key file is at epoch %" PRId64 ") / "
		       "ตราผนึกหายไปตั้งแต่ช่วงที่ %" PRId64 " (ไฟล์กุญแจอยู่ที่ช่วง %" PRId64 ")\n",
		       s->bad_epoch, s->key_epoch, s->bad_epoch, s->key_epoch);
	else if (err->id == TB_E_AUDIT_SEAL_MISSING)
		printf("seal of epoch %" PRId64 " MISSING / ตราผนึกช่วงที่ %" PRId64 " หายไป\n",
		       s->bad_epoch, s->bad_epoch);
}

static void seal_report(const char *key, const struct audit_seal_check *s)
{
	if (!s->seals) {
		printf("not sealed: no seal%s in this database (tabien audit seal-init sets sealing up) / "
		       "ยังไม่ได้ผนึก: ไม่มีตราผนึก%s ในฐานข้อมูลนี้\n", key ? " of this key" : "",
		       key ? "ของกุญแจนี้" : "");
	} else if (key) {
		printf("seals: %" PRId64 " checked with key %s, epochs 0 to %" PRId64 ", up to row %"
		       PRId64 " / ตราผนึก: ตรวจแล้ว %" PRId64 " รายการ ถึงรายการที่ %" PRId64 "\n",
		       s->seals, s->key_id, s->seals - 1, s->sealed_seq, s->seals, s->sealed_seq);
	} else {
		printf("seals: %" PRId64 " stored, up to row %" PRId64 "; not checked without --key / "
		       "ตราผนึก: มี %" PRId64 " รายการ ถึงรายการที่ %" PRId64
		       " ยังไม่ได้ตรวจเพราะไม่ได้ระบุ --key\n", s->seals, s->sealed_seq, s->seals,
		       s->sealed_seq);
	}
	if (s->other)
		printf("note: %" PRId64 " seals of other keys (other terminals) not checked / "
		       "หมายเหตุ: ตราผนึกของกุญแจอื่น %" PRId64 " รายการ ไม่ได้ตรวจ\n", s->other, s->other);
	if (s->unsealed)
		printf("warning: %" PRId64 " rows after row %" PRId64 " are not sealed yet / "
		       "คำเตือน: %" PRId64 " รายการหลังรายการที่ %" PRId64 " ยังไม่ได้ผนึก\n",
		       s->unsealed, s->sealed_seq, s->unsealed, s->sealed_seq);
}

static int verify_cmd(int argc, char **argv)
{
	const char *path, *key;
	struct audit_check chk;
	struct audit_seal_check seals;
	struct db *d;
	tb_err err = { 0 };
	int r;

	if (parse(argc, argv, &path, &key, "tabien audit verify [--key tbseal1-...] [--db PATH]"))
		return EXIT_USAGE;
	d = cmd_db_open(path, 0, &err);
	if (!d)
		return fail(&err);
	/* A damaged page is reported as such, not as a broken chain. */
	r = db_check(d, &err) || audit_verify(d, &chk, &err);
	if (r) {
		db_close(&d);
		if (err.id == TB_E_AUDIT_BROKEN)
			printf("audit chain BROKEN at row %lld (%lld rows before it are intact) / "
			       "บันทึกการใช้งานถูกแก้ไข เริ่มที่รายการที่ %lld\n",
			       (long long)chk.first_bad, (long long)chk.rows, (long long)chk.first_bad);
		fflush(stdout);
		return fail(&err);
	}
	printf("audit chain intact: %lld rows / บันทึกการใช้งานครบถ้วน ไม่ถูกแก้ไข: %lld รายการ\n",
	       (long long)chk.rows, (long long)chk.rows);
	if (chk.head[0])
		printf("head / ค่าแฮชล่าสุด: %s\n", chk.head);
	r = audit_seal_verify(d, key, &seals, &err);
	db_close(&d);
	if (r) {
		seal_failure(&err, &seals);
		fflush(stdout);
		return fail(&err);
	}
	seal_report(key, &seals);
	return EXIT_OK;
}

static int seal_init_cmd(int argc, char **argv)
{
	char vkey[AUDIT_SEAL_KEY_TEXT], path[4200];
	const char *db;
	struct db *d;
	tb_err err = { 0 };
	int r;

	if (parse(argc, argv, &db, NULL, "tabien audit seal-init [--db PATH]"))
		return EXIT_USAGE;
	d = cmd_db_open(db, 0, &err);
	if (!d)
		return fail(&err);
	audit_seal_path(d, path, sizeof path);
	r = audit_seal_init(d, vkey, &err);
	db_close(&d);
	if (r)
		return fail(&err);
	printf("audit sealing set up; key file %s / ตั้งค่าการผนึกบันทึกการใช้งานแล้ว ไฟล์กุญแจ %s\n"
	       "verification key / กุญแจตรวจสอบ: %s\n"
	       "Write it down and keep it off this machine; it is not shown again. "
	       "Check with: tabien audit verify --key KEY / "
	       "จดเก็บไว้นอกเครื่องนี้ จะไม่แสดงอีก ตรวจสอบด้วย tabien audit verify --key กุญแจ\n",
	       path, path, vkey);
	return EXIT_OK;
}

static int seal_cmd(int argc, char **argv)
{
	const char *db;
	struct db *d;
	tb_err err = { 0 };
	int r;

	if (parse(argc, argv, &db, NULL, "tabien audit seal [--db PATH]"))
		return EXIT_USAGE;
	d = cmd_db_open(db, 0, &err);
	if (!d)
		return fail(&err);
	r = audit_seal(d, 1, &err);
	db_close(&d);
	if (r < 0)
		return fail(&err);
	if (r == 0)
		printf("nothing to seal: no key file, or no row since the last seal / "
		       "ไม่มีสิ่งที่ต้องผนึก: ไม่มีไฟล์กุญแจ หรือไม่มีรายการใหม่หลังการผนึกครั้งล่าสุด\n");
	else
		printf("sealed / ผนึกแล้ว\n");
	return EXIT_OK;
}

int cmd_audit_seal(int argc, char **argv)
{
	if (strcmp(argv[0], "verify") == 0)
		return verify_cmd(argc, argv);
	if (strcmp(argv[0], "seal-init") == 0)
		return seal_init_cmd(argc, argv);
	return seal_cmd(argc, argv);
}
