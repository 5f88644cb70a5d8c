/* The configuration file, through a file as the program reads it, then
 * every setting it holds read by the gateways' configurations (URLs,
 * numbers, field maps, the LK2 service table). */
#include "config.h"

#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <unistd.h>

#include "services/base/configfile.h"
#include "services/juristic/juristic.h"
#include "services/registry/linkage.h"
#include "services/registry/lk2.h"

static char path[64];

static int write_file(const uint8_t *data, size_t size)
{
	FILE *f;

	if (!path[0]) {
		int fd;

		snprintf(path, sizeof path, "/tmp/tabien-fuzz-config.XXXXXX");
		if ((fd = mkstemp(path)) < 0)
			return -1;
		close(fd);
	}
	if (!(f = fopen(path, "w")))
		return -1;
	if (size && fwrite(data, size, 1, f) != 1) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static void at_exit(void)
{
	if (path[0])
		unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config c;
	static struct linkage_config lc;
	static struct lk2_config l2;
	static struct juristic_config jc;
	static int once;
	tb_err e = { 0 };
	int gdx;

	if (!once++)
		atexit(at_exit);
	if (write_file(data, size))
		return 0;
	(void)config_load(&c, path, &e);
	gdx = linkage_config_from(&lc, &c, &e) == 0;
	(void)lk2_config_from(&l2, &c, &e);
	(void)lk2_transport_from(&c, &e);
	(void)juristic_config_from(&jc, &c, gdx, &e);
	(void)config_unused(&c);
	linkage_config_wipe(&lc);
	lk2_config_wipe(&l2);
	return 0;
}
