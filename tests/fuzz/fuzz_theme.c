/* A theme file, read as the program reads it: from a themes folder of our
 * own ($TABIEN_THEMES), under a valid name. */
#include "config.h"

#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <unistd.h>

#include "tui/theme.h"

static char dir[64], file[96];

static void at_exit(void)
{
	if (file[0])
		unlink(file);
	if (dir[0])
		rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t;
	tb_err e = { 0 };
	FILE *f;

	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/tabien-fuzz-theme.XXXXXX");
		if (!mkdtemp(dir))
			return 0;
		snprintf(file, sizeof file, "%s/fuzz.theme", dir);
		setenv("TABIEN_THEMES", dir, 1);
		atexit(at_exit);
	}
	if (!(f = fopen(file, "w")))
		return 0;
	if (size && fwrite(data, size, 1, f) != 1) {
		fclose(f);
		return 0;
	}
	if (fclose(f))
		return 0;
	(void)theme_load(&t, "fuzz", &e);
	return 0;
}
