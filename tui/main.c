/* tabien: identity and registry checks at the counter. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cjson/cJSON.h>

#include "services/base/configfile.h"
#include "services/base/wipe.h"
#include "tui/app.h"
#include "tui/cmd.h"
#include "tui/text.h"

static void usage(FILE *f)
{
	fputs("usage: tabien                 the full-screen program (F1 shows the keys)\n"
	      "       tabien <command> [options]\n"
	      "\n"
	      "  card read  [--reader NAME] [--wait SECONDS] [--no-photo] [--photo FILE] [--json]\n"
	      "             read the card in the reader once and print it\n"
	      "             อ่านบัตรประชาชนในเครื่องอ่านหนึ่งครั้งแล้วแสดงผล\n"
	      "  card readers\n"
	      "             list the card readers and whether a card is in each\n"
	      "             แสดงรายชื่อเครื่องอ่านบัตรและสถานะบัตรในแต่ละเครื่อง\n"
	      "  card watch [--reader NAME] [--no-photo] [--json]\n"
	      "             print reader and card events as they happen (Ctrl-C ends)\n"
	      "             แสดงเหตุการณ์ของเครื่องอ่านและบัตรเมื่อเกิดขึ้น (กด Ctrl-C เพื่อจบ)\n"
	      "  admin init [--batch]\n"
	      "             first run: the branch and its first admin (asks each value)\n"
	      "             ตั้งค่าครั้งแรก: ข้อมูลสาขาและผู้ดูแลระบบคนแรก\n"
	      "  admin register [--batch]\n"
	      "             register an account; it waits for an admin's approval\n"
	      "             ลงทะเบียนบัญชีผู้ใช้ ซึ่งต้องรอผู้ดูแลระบบอนุมัติ\n"
	      "  admin users [--status pending|active|suspended|rejected] [--json]\n"
	      "             list the accounts / แสดงรายชื่อบัญชีผู้ใช้\n"
	      "  admin approve|reject|suspend|reinstate|make-admin|remove-admin USER --as ADMIN [--batch]\n"
	      "             an admin acts on an account (asks the admin's password)\n"
	      "             ผู้ดูแลระบบจัดการบัญชีผู้ใช้ (ถามรหัสผ่านของผู้ดูแลระบบ)\n"
	      "  admin reset-password USER --as ADMIN [--batch]\n"
	      "             print a temporary password once / แสดงรหัสผ่านชั่วคราวหนึ่งครั้ง\n"
	      "  admin passwd USER [--batch]\n"
	      "             change your own password / เปลี่ยนรหัสผ่านของตนเอง\n"
	      "  admin settings [--as ADMIN [--idle-timeout S] [--purpose TEXT]... ...]\n"
	      "             show or change the branch settings / แสดงหรือแก้ไขการตั้งค่าสาขา\n"
	      "  admin migrate --to DATABASE --as ADMIN [--batch]\n"
	      "             move this database into another (a PostgreSQL server), checked\n"
	      "             row by row / ย้ายฐานข้อมูลนี้ไปยังอีกฐานหนึ่ง และตรวจทีละแถว\n"
	      "  admin branches [--json] | admin branches --add CODE --name TEXT --as ADMIN [--batch]\n"
	      "             list the agency's branches; an agency admin adds one\n"
	      "             แสดงรายชื่อสาขา; ผู้ดูแลระบบระดับหน่วยงานเพิ่มสาขาได้\n"
	      "  admin grant|revoke USER RIGHT --as ADMIN [--batch]\n"
	      "             give or take a right: card registry household names companies copies\n"
	      "             audit users settings / ให้หรือเพิกถอนสิทธิ์รายบุคคล\n"
	      "  admin reset-right USER RIGHT --as ADMIN [--batch]\n"
	      "             the right back to the role's default / คืนสิทธิ์เป็นค่าตามบทบาท\n"
	      "  admin role USER officer|supervisor|branch-admin|agency-admin --as ADMIN [--batch]\n"
	      "             set a user's role / กำหนดบทบาทของผู้ใช้\n"
	      "  admin rights USER [--json]\n"
	      "             what a user may use and why / แสดงสิทธิ์ของผู้ใช้และที่มา\n"
	      "  admin move USER --branch CODE --as ADMIN [--batch]\n"
	      "             an agency admin moves a user into another branch\n"
	      "             ผู้ดูแลระบบระดับหน่วยงานย้ายผู้ใช้ไปอีกสาขา\n"
	      "  audit verify [--key tbseal1-...]\n"
	      "             check that no audit row was changed or removed, and the seals\n"
	      "             ตรวจว่าบันทึกการใช้งานไม่ถูกแก้ไขหรือลบ และตรวจตราผนึก\n"
	      "  audit seal-init | audit seal\n"
	      "             set up sealing, showing the verification key once; seal now\n"
	      "             ตั้งค่าการผนึกและแสดงกุญแจตรวจสอบครั้งเดียว; ผนึกทันที\n"
	      "  audit export --as USER [--user U] [--since YYYY-MM-DD] [--until YYYY-MM-DD]\n"
	      "               [--subject ID] [--csv FILE]\n"
	      "             the audit trail as CSV / ส่งออกบันทึกการใช้งานเป็น CSV\n"
	      "  linkage query --service 001[,027,007,008,013,017] --cid ID --as USER\n"
	      "                [--purpose TEXT] [--json] [--batch]\n"
	      "             Linkage Center services for one citizen, as the officer USER\n"
	      "             สอบถามข้อมูลทะเบียนราษฎรผ่าน Linkage Center ในนามเจ้าหน้าที่ USER\n"
	      "  linkage household --cid ID --as USER [--purpose TEXT] [--json] [--batch]\n"
	      "             the household members (007) and the house (008)\n"
	      "             รายการคนในบ้าน (007) และรายละเอียดบ้าน (008)\n"
	      "  linkage permission --as USER [--json] [--batch]\n"
	      "             whether USER's agent is up at GDX, and the two-card mode\n"
	      "             ตรวจสอบว่า Agent ของเจ้าหน้าที่ USER พร้อมใช้งานที่ GDX และโหมดสองบัตร\n"
	      "  juristic show ID --as USER [--purpose TEXT] [--refresh] [--json] [--batch]\n"
	      "             a company from DBD (GDX or the open API; saved copies for a day)\n"
	      "             ข้อมูลนิติบุคคลจากกรมพัฒนาธุรกิจการค้า (ผ่าน GDX หรือข้อมูลเปิด)\n"
	      "  juristic purge [--days N]\n"
	      "             delete saved company data older than dbd.cache_keep_days (or N) days\n"
	      "             ลบสำเนาข้อมูลนิติบุคคลที่เก่ากว่า dbd.cache_keep_days (หรือ N) วัน\n"
	      "  copy card --as USER --purpose TEXT [--reader NAME] [--no-photo] [--out FILE]\n"
	      "            [--json] [--batch]\n"
	      "             a signed digital copy (PDF) of the card, in place of a photocopy\n"
	      "             สำเนาบัตรอิเล็กทรอนิกส์ที่ลงลายมือชื่อดิจิทัล (PDF) แทนการถ่ายสำเนา\n"
	      "  copy person|household|names --cid ID --as USER --purpose TEXT [--sections LIST]\n"
	      "            [--out FILE] [--json] [--batch]\n"
	      "  copy juristic ID --as USER --purpose TEXT [--sections LIST] [--out FILE] [--json] [--batch]\n"
	      "             the same of the registry's or DBD's sections (only those picked)\n"
	      "             สำเนาเฉพาะส่วนที่เลือกจากทะเบียนราษฎรหรือกรมพัฒนาธุรกิจการค้า\n"
	      "  doctor [--json] [--db PATH] [--agent CID] [--timeout SECONDS]\n"
	      "             check this terminal and its gateway, the fix for each failure\n"
	      "             ตรวจเครื่องนี้และเครื่องแม่ข่าย พร้อมวิธีแก้แต่ละปัญหา\n"
	      "  support-report [--out FILE]\n"
	      "             the report branch support asks for (as F9 then s writes it)\n"
	      "             รายงานที่ฝ่ายสนับสนุนของสาขาขอ (เหมือนกด F9 แล้ว s)\n"
	      "\n"
	      "  --db PATH  the database (default $TABIEN_DB, else ~/.local/share/tabien/tabien.db)\n"
	      "  --batch    read every answer, passwords too, from standard input, one per line\n"
	      "\n"
	      "exit status: 0 done, 1 failed (the message says why), 2 usage,\n"
	      "             3 read but the card's data has problems (see the warnings),\n"
	      "               or a company shown from an old copy because DBD failed,\n"
	      "               or the officer's agent is not available,\n"
	      "               or doctor passed with warnings\n",
	      f);
}

/* LeakSanitizer stops the world through ptrace, which a process that is not
 * dumpable refuses, so sanitizer builds (tests) keep the process dumpable.
 * GCC says ASan with __SANITIZE_ADDRESS__, clang 14 only through
 * __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define TABIEN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TABIEN_ASAN 1
#endif
#endif
#ifndef TABIEN_ASAN
#define TABIEN_ASAN 0
#endif

/* The card's data must never land in a core file, nor be readable by
 * another process of the same user through ptrace. */
static void protect_memory(void)
{
	/* cJSON copies what it parses and prints (registry answers, card
	 * records): every buffer it frees is wiped first, on every path. */
	static const cJSON_Hooks hooks = { .malloc_fn = wipe_malloc, .free_fn = wipe_free };
	struct rlimit none = { 0, 0 };

	cJSON_InitHooks((cJSON_Hooks *)&hooks);
	setrlimit(RLIMIT_CORE, &none);
#if !TABIEN_ASAN
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

/* The commands that read the gateway's settings say so, as the full-screen
 * program's diagnostics do, when the file's folder lets others swap it, and
 * name every bad line (the command itself stops at the first). */
static void config_warn(void)
{
	struct config *c = calloc(1, sizeof *c);
	tb_err w = { 0 };

	if (!c)
		return;
	config_load(c, NULL, &w);
	if (c->warn.id) {
		cmd_error(stderr, "tabien: warning: ", &c->warn);
		fprintf(stderr, "        file / ไฟล์: %s\n", c->path);
	}
	for (int i = 0; i < c->nproblems && i < CONFIG_MAX_PROBLEMS; i++) {
		config_problem_err(c, i, &w);
		cmd_error(stderr, "tabien: ", &w);
	}
	if (c->nproblems)
		fprintf(stderr, "        file / ไฟล์: %s\n", c->path);
	explicit_bzero(c, sizeof *c);
	free(c);
}

int main(int argc, char **argv)
{
	protect_memory();
	if (argc < 2)
		return app_run();
	text_locale_init();
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version();
	if (strcmp(argv[1], "doctor") == 0)
		return cmd_doctor(argc - 1, argv + 1);
	if (strcmp(argv[1], "support-report") == 0)
		return cmd_support_report(argc - 1, argv + 1);
	if (strcmp(argv[1], "card") == 0)
		return cmd_card(argc - 1, argv + 1);
	if (strcmp(argv[1], "admin") == 0)
		return cmd_admin(argc - 1, argv + 1);
	if (strcmp(argv[1], "audit") == 0)
		return cmd_audit(argc - 1, argv + 1);
	if (strcmp(argv[1], "linkage") == 0 || strcmp(argv[1], "juristic") == 0 ||
	    strcmp(argv[1], "copy") == 0)
		config_warn();
	if (strcmp(argv[1], "linkage") == 0)
		return cmd_linkage(argc - 1, argv + 1);
	if (strcmp(argv[1], "juristic") == 0)
		return cmd_juristic(argc - 1, argv + 1);
	if (strcmp(argv[1], "copy") == 0)
		return cmd_copy(argc - 1, argv + 1);
	fprintf(stderr, "tabien: unknown command '%s' / ไม่รู้จักคำสั่ง '%s'\n", argv[1], argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
