/* tabien: identity and registry checks at the counter. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

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
	      "\n"
	      "exit status: 0 done, 1 failed (the message says why), 2 usage,\n"
	      "             3 read but the card's data has problems (see the warnings)\n",
	      f);
}


/* The card's data must never land in a core file, nor be readable by
 * another process of the same user through ptrace.  LeakSanitizer needs
 * ptrace, so sanitizer builds (tests) keep the process dumpable. */
static void protect_memory(void)
{
	struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);
#ifndef __SANITIZE_ADDRESS__
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
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
	if (strcmp(argv[1], "--version") == 0) {
		printf("tabien %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "card") == 0)
		return cmd_card(argc - 1, argv + 1);
	fprintf(stderr, "tabien: unknown command '%s' / ไม่รู้จักคำสั่ง '%s'\n", argv[1], argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
