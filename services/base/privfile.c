/* A new private file, written beside its target and renamed into place. */
#include "config.h"

#include "services/base/privfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct privfile {
	FILE *f;
	const char *path;
	char tmp[PATH_MAX];
	char buf[BUFSIZ];      /* stdio's buffer: holds the content, so it is ours to wipe */
};

/* Whether path may be replaced: missing, or a plain file of this account.
 * Asked again just before the rename, which itself never follows a link. */
static int target_check(const char *path, tb_err *err)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return errno == ENOENT ? 0 : err_set(err, TB_E_FILE, errno, path);
	if (S_ISLNK(sb.st_mode))
		return err_set(err, TB_E_FILE_LINK, 0, path);
	if (!S_ISREG(sb.st_mode) || sb.st_uid != geteuid())
		return err_set(err, TB_E_FILE_NOT_OURS, 0, path);
	return 0;
}

/* The folder of path, for the temporary name and the sync after rename. */
static int dir_of(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash)
		return snprintf(out, size, ".") < (int)size ? 0 : -1;
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= size)
		return -1;
	memcpy(out, path, n);
	out[n] = '\0';
	return 0;
}

static void privfile_free(struct privfile *p)
{
	explicit_bzero(p, sizeof *p);
	free(p);
}

struct privfile *privfile_begin(const char *path, tb_err *err)
{
	struct privfile *p;
	const char *base = strrchr(path, '/');
	char dir[PATH_MAX];
	int fd;

	base = base ? base + 1 : path;
	if (!*base || dir_of(path, dir, sizeof dir)) {
		err_set(err, TB_E_FILE, EINVAL, path);
		return NULL;
	}
	if (target_check(path, err))
		return NULL;
	p = calloc(1, sizeof *p);
	if (!p) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		return NULL;
	}
	p->path = path;
	/* A hidden name beside the target, so the rename stays on one disk. */
	if ((size_t)snprintf(p->tmp, sizeof p->tmp, "%s/.%s.XXXXXX", dir, base) >= sizeof p->tmp) {
		privfile_free(p);
		err_set(err, TB_E_FILE, ENAMETOOLONG, path);
		return NULL;
	}
	/* mkostemp: O_CREAT|O_EXCL, mode 0600 whatever the umask. */
	fd = mkostemp(p->tmp, O_CLOEXEC);
	if (fd < 0) {
		err_set(err, TB_E_FILE, errno, path);
		privfile_free(p);
		return NULL;
	}
	p->f = fdopen(fd, "w");
	if (!p->f) {
		err_set(err, TB_E_FILE, errno, path);
		close(fd);
		unlink(p->tmp);
		privfile_free(p);
		return NULL;
	}
	setvbuf(p->f, p->buf, _IOFBF, sizeof p->buf);
	return p;
}

FILE *privfile_stream(struct privfile *p)
{
	return p->f;
}

static int dir_sync(const char *path)
{
	char dir[PATH_MAX];
	int fd, r;

	if (dir_of(path, dir, sizeof dir))
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

int privfile_commit(struct privfile **pp, tb_err *err)
{
	struct privfile *p = *pp;
	int r = 0;

	*pp = NULL;
	if (fflush(p->f) != 0 || fsync(fileno(p->f)) != 0)
		r = err_set(err, TB_E_FILE, errno, p->path);
	if (fclose(p->f) != 0 && r == 0)
		r = err_set(err, TB_E_FILE, errno, p->path);
	p->f = NULL;
	if (r == 0)
		r = target_check(p->path, err);
	if (r == 0 && rename(p->tmp, p->path) != 0)
		r = err_set(err, TB_E_FILE, errno, p->path);
	if (r != 0)
		unlink(p->tmp);
	else
		(void)!dir_sync(p->path);   /* the new name survives a power cut */
	privfile_free(p);
	return r;
}

void privfile_abort(struct privfile **pp)
{
	struct privfile *p = pp ? *pp : NULL;

	if (!p)
		return;
	*pp = NULL;
	fclose(p->f);
	unlink(p->tmp);
	privfile_free(p);
}

int privfile_write(const char *path, const void *buf, size_t len, tb_err *err)
{
	struct privfile *p = privfile_begin(path, err);

	if (!p)
		return -1;
	if (len && fwrite(buf, 1, len, p->f) != len) {
		err_set(err, TB_E_FILE, errno, path);
		privfile_abort(&p);
		return -1;
	}
	return privfile_commit(&p, err);
}
