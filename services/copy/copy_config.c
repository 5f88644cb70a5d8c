/* copy.* and the copies folder (copy_config.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "services/base/util.h"
#include "services/copy/copy_config.h"

int copy_config_from(struct copy_config *cc, struct config *c, tb_err *err)
{
	cc->command_timeout_s = 30;
	cc->sign_timeout_s = 60;
	cc->key[0] = cc->cert[0] = cc->chain[0] = cc->sign_command[0] = cc->command[0] = cc->dir[0] = '\0';
	if (config_text(c, "copy.key", cc->key, sizeof cc->key, err) ||
	    config_text(c, "copy.cert", cc->cert, sizeof cc->cert, err) ||
	    config_text(c, "copy.chain", cc->chain, sizeof cc->chain, err) ||
	    config_text(c, "copy.sign_command", cc->sign_command, sizeof cc->sign_command, err) ||
	    config_long(c, "copy.sign_timeout_s", 1, 600, &cc->sign_timeout_s, err) ||
	    config_text(c, "copy.command", cc->command, sizeof cc->command, err) ||
	    config_long(c, "copy.command_timeout_s", 1, 3600, &cc->command_timeout_s, err) ||
	    config_text(c, "copy.dir", cc->dir, sizeof cc->dir, err))
		return -1;
	/* One way of signing: which one was meant is not for tabien to guess. */
	if (cc->key[0] && cc->sign_command[0])
		return err_set(err, TB_E_COPY_SIGNER_TWICE, 0, "copy.sign_command");
	if (cc->sign_command[0] && cc->sign_command[0] != '/')
		return err_set(err, TB_E_CONFIG, 0, "copy.sign_command (a full path)");
	return 0;
}

int copy_folder_path(const struct copy_config *cc, char *out, size_t size, bool *is_default, tb_err *err)
{
	const char *base = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	int n;

	*is_default = !cc->dir[0];
	if (cc->dir[0])
		n = snprintf(out, size, "%s", cc->dir);
	else if (base && *base)
		n = snprintf(out, size, "%s/tabien/copies", base);
	else
		n = snprintf(out, size, "%s/.local/share/tabien/copies", home && *home ? home : ".");
	if (n < 0 || (size_t)n >= size)
		return err_set(err, TB_E_COPY_FOLDER, ENAMETOOLONG, "copy.dir");
	return 0;
}

int copy_folder_check(const char *dir, struct stat *st, tb_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		/* ENOTDIR is also what a link to a file gives; ELOOP a link. */
		if (errno == ELOOP || (errno == ENOTDIR && lstat(dir, st) == 0 && S_ISLNK(st->st_mode)))
			return err_set(err, TB_E_COPY_FOLDER_UNSAFE, 0, "copy.dir");
		return err_set(err, TB_E_COPY_FOLDER, errno, "copy.dir");
	}
	if (fstat(fd, st)) {
		close(fd);
		return err_set(err, TB_E_COPY_FOLDER, errno, "copy.dir");
	}
	close(fd);
	if (st->st_uid != geteuid())
		return err_set(err, TB_E_COPY_FOLDER_UNSAFE, 0, "copy.dir");
	if (st->st_mode & 022)
		return err_set(err, TB_E_COPY_FOLDER_UNSAFE, (long)((st->st_mode >> 6 & 7) * 100 +
				(st->st_mode >> 3 & 7) * 10 + (st->st_mode & 7)), "copy.dir");
	return 0;
}
