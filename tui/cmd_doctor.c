/* `tabien doctor` and `tabien --version`: for branch support over SSH, no
 * login.  The checks are services/doctor's; this file prints them, one line
 * each in English and Thai, and the fix under a check that did not pass. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curses.h>
#include <jpeglib.h>
#include <sodium.h>
#include <sqlite3.h>
#include <winscard.h>

#include "services/doctor/doctor.h"
#include "tui/actions.h"
#include "tui/cmd.h"

#define XSTR(x) STR(x)
#define STR(x) #x

int cmd_version(void)
{
	printf("tabien %s\n"
	       "  ncursesw      %s\n"
	       "  pcsc-lite     %s\n"
	       "  SQLite        %s\n"
	       "  libsodium     %s\n"
	       "  cJSON         %s\n"
	       "  libjpeg-turbo %s\n"
	       "  libcurl       loaded on the first lookup / โหลดเมื่อสอบถามข้อมูลครั้งแรก\n",
	       PACKAGE_VERSION, curses_version(), PCSCLITE_VERSION_NUMBER, sqlite3_libversion(),
	       sodium_version_string(), cJSON_Version(), XSTR(LIBJPEG_TURBO_VERSION));
	/* The licence with the version, as GNU programs print it: whoever runs a
	 * copy learns that they may change and share it. */
	printf("Licence GPL-3.0-or-later <https://gnu.org/licenses/gpl.html>: free software,\n"
	       "you may change and share it; there is NO WARRANTY.\n"
	       "สัญญาอนุญาต GPL รุ่น 3 ขึ้นไป: ซอฟต์แวร์เสรี แก้ไขและเผยแพร่ต่อได้ โดยไม่มีการรับประกันใด ๆ\n");
	return EXIT_OK;
}

static void usage(FILE *f)
{
	fputs("usage: tabien doctor [--json] [--db PATH] [--agent CID] [--timeout SECONDS]\n"
	      "  checks this terminal and its gateway; one line each, the fix under a failure\n"
	      "  ตรวจเครื่องนี้และการเชื่อมต่อเครื่องแม่ข่าย ทีละบรรทัด พร้อมวิธีแก้เมื่อไม่ผ่าน\n", f);
}

static void print_check(void *ud, const struct doctor_check *c)
{
	(void)ud;
	printf("%-4s  %s / %s: %s\n", doctor_status_name(c->status), doctor_label(c->id, TB_LANG_EN),
	       doctor_label(c->id, TB_LANG_TH), c->fact);
	if (c->err.id)
		cmd_error(stdout, "      ", &c->err);
	fflush(stdout);
}

static void json_check(void *ud, const struct doctor_check *c)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "check", doctor_name(c->id));
	cJSON_AddStringToObject(o, "status", doctor_status_name(c->status));
	cJSON_AddStringToObject(o, "fact", c->fact);
	if (c->err.id) {
		cJSON_AddStringToObject(o, "code", err_code(c->err.id));
		cJSON_AddNumberToObject(o, "detail", (double)c->err.detail);
		cJSON_AddStringToObject(o, "message_en", err_message(c->err.id, TB_LANG_EN));
		cJSON_AddStringToObject(o, "message_th", err_message(c->err.id, TB_LANG_TH));
		cJSON_AddStringToObject(o, "fix_en", err_hint(c->err.id, TB_LANG_EN));
		cJSON_AddStringToObject(o, "fix_th", err_hint(c->err.id, TB_LANG_TH));
	}
	cJSON_AddItemToArray(ud, o);
}

int cmd_doctor(int argc, char **argv)
{
	const char *db = NULL, *agent = NULL;
	int json = 0, timeout_s = 5;
	static struct config cfg;
	tb_err load = { 0 }, keys = { 0 };
	enum doctor_status worst;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--json") == 0) {
			json = 1;
		} else if (strcmp(a, "--db") == 0 && v) {
			db = v;
			i++;
		} else if (strcmp(a, "--agent") == 0 && v && strlen(v) == 13 &&
			   strspn(v, "0123456789") == 13) {
			agent = v;
			i++;
		} else if (strcmp(a, "--timeout") == 0 && v && atoi(v) > 0 && atoi(v) <= 120) {
			timeout_s = atoi(v);
			i++;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (db && !cmd_arg_fits("db", db, 512))
		return EXIT_USAGE;
	/* The file as the full-screen program reads it: its own keys asked
	 * for, so that only settings nobody knows show as unknown. */
	if (config_load(&cfg, NULL, &load) == 0)
		load = (tb_err){ 0 };
	config_get(&cfg, "theme");
	config_get(&cfg, "language");
	config_get(&cfg, "branch");
	if (actions_init(&cfg, &keys) && !load.id)
		load = keys;

	struct doctor_opts o = { .db_path = db, .agent = agent, .timeout_ms = timeout_s * 1000,
				 .cfg = &cfg, .load_err = &load };
	if (json) {
		cJSON *root = cJSON_CreateObject(), *checks = cJSON_AddArrayToObject(root, "checks");
		char *s;

		worst = doctor_run(&o, json_check, checks);
		cJSON_AddStringToObject(root, "version", PACKAGE_VERSION);
		cJSON_AddStringToObject(root, "status", doctor_status_name(worst));
		s = cJSON_Print(root);
		if (s)
			puts(s);
		cJSON_free(s);
		cJSON_Delete(root);
	} else {
		printf("tabien %s doctor\n", PACKAGE_VERSION);
		worst = doctor_run(&o, print_check, NULL);
		printf("%s\n", worst == DOCTOR_OK ? "all checks passed / ผ่านทุกรายการ"
			       : worst == DOCTOR_WARN ? "passed with warnings / ผ่านแต่มีข้อควรระวัง"
						      : "some checks failed / มีรายการที่ไม่ผ่าน");
	}
	explicit_bzero(&cfg, sizeof cfg);
	return worst == DOCTOR_FAIL ? EXIT_FAIL : worst == DOCTOR_WARN ? EXIT_WARN : EXIT_OK;
}
