/* services/privfile: a new private file beside its target, renamed into
 * place; links, other accounts' files and anything not a plain file are
 * refused and left as they were; nothing is left behind on failure. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "services/base/privfile.h"

#define OTHER_UID 65534   /* nobody: another account's file when the tests run as root */

struct fixture {
	char dir[64];
	char path[128];
};

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s/tabien-privfile.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/out.csv", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* How many names the folder holds: a temporary file left behind shows. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void content_is(const char *path, const char *text)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_string_equal(buf, text);
}

static mode_t mode_of(const char *path)
{
	struct stat sb;

	assert_int_equal(lstat(path, &sb), 0);
	return sb.st_mode & 07777;
}

static void new_file_is_private(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	umask(022);
	assert_int_equal(privfile_write(f->path, "a,b\n", 4, &err), 0);
	content_is(f->path, "a,b\n");
	assert_int_equal(mode_of(f->path), 0600);
	assert_int_equal(entries(f->dir), 1);
}

static void own_loose_file_is_replaced(void **state)
{
	struct fixture *f = *state;
	char other[160];
	tb_err err = { 0 };

	put(f->path, "old", 0644);
	/* A second name for the old file keeps the old content only. */
	snprintf(other, sizeof other, "%s/other-name", f->dir);
	assert_int_equal(link(f->path, other), 0);
	assert_int_equal(privfile_write(f->path, "new", 3, &err), 0);
	content_is(f->path, "new");
	assert_int_equal(mode_of(f->path), 0600);
	content_is(other, "old");
	assert_int_equal(mode_of(other), 0644);
	assert_int_equal(entries(f->dir), 2);
}

static void link_is_refused(void **state)
{
	struct fixture *f = *state;
	char target[160];
	tb_err err = { 0 };

	snprintf(target, sizeof target, "%s/target", f->dir);
	put(target, "system", 0644);
	assert_int_equal(symlink(target, f->path), 0);
	assert_int_equal(privfile_write(f->path, "x", 1, &err), -1);
	assert_int_equal(err.id, TB_E_FILE_LINK);
	assert_string_equal(err.field, f->path);
	content_is(target, "system");
	assert_int_equal(mode_of(target), 0644);
	assert_int_equal(entries(f->dir), 2);
	/* A link to nowhere: nothing is created at its far end either. */
	assert_int_equal(unlink(f->path), 0);
	assert_int_equal(unlink(target), 0);
	assert_int_equal(symlink(target, f->path), 0);
	assert_int_equal(privfile_write(f->path, "x", 1, &err), -1);
	assert_int_equal(err.id, TB_E_FILE_LINK);
	assert_int_equal(access(target, F_OK), -1);
}

static void not_a_plain_file_is_refused(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	assert_int_equal(mkdir(f->path, 0700), 0);
	assert_int_equal(privfile_write(f->path, "x", 1, &err), -1);
	assert_int_equal(err.id, TB_E_FILE_NOT_OURS);
	assert_int_equal(entries(f->dir), 1);
}

static void other_accounts_file_is_refused(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };

	if (geteuid() != 0)
		skip();   /* only root can give a file away */
	put(f->path, "theirs", 0644);
	assert_int_equal(chown(f->path, OTHER_UID, OTHER_UID), 0);
	assert_int_equal(privfile_write(f->path, "x", 1, &err), -1);
	assert_int_equal(err.id, TB_E_FILE_NOT_OURS);
	content_is(f->path, "theirs");
	assert_int_equal(mode_of(f->path), 0644);
	assert_int_equal(entries(f->dir), 1);
}

static void abort_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	tb_err err = { 0 };
	struct privfile *p;

	put(f->path, "old", 0600);
	p = privfile_begin(f->path, &err);
	assert_non_null(p);
	fputs("half a file", privfile_stream(p));
	assert_int_equal(entries(f->dir), 2);
	privfile_abort(&p);
	assert_null(p);
	privfile_abort(&p);
	content_is(f->path, "old");
	assert_int_equal(entries(f->dir), 1);
}

/* The target turned into a link while the file was written: the commit
 * refuses, the link's target is untouched, the temporary file is gone. */
static void link_planted_before_commit_is_refused(void **state)
{
	struct fixture *f = *state;
	char target[160];
	tb_err err = { 0 };
	struct privfile *p = privfile_begin(f->path, &err);

	assert_non_null(p);
	fputs("rows", privfile_stream(p));
	snprintf(target, sizeof target, "%s/target", f->dir);
	put(target, "system", 0644);
	assert_int_equal(symlink(target, f->path), 0);
	assert_int_equal(privfile_commit(&p, &err), -1);
	assert_null(p);
	assert_int_equal(err.id, TB_E_FILE_LINK);
	content_is(target, "system");
	assert_int_equal(entries(f->dir), 2);
}

static void missing_folder_is_a_file_error(void **state)
{
	struct fixture *f = *state;
	char path[200];
	tb_err err = { 0 };

	snprintf(path, sizeof path, "%s/no-such-folder/out.jpg", f->dir);
	assert_int_equal(privfile_write(path, "x", 1, &err), -1);
	assert_int_equal(err.id, TB_E_FILE);
	assert_int_equal(err.detail, ENOENT);
	assert_int_equal(privfile_write("", "x", 1, &err), -1);
	assert_int_equal(err.id, TB_E_FILE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(new_file_is_private, setup, teardown),
		cmocka_unit_test_setup_teardown(own_loose_file_is_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(link_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(not_a_plain_file_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(other_accounts_file_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(abort_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(link_planted_before_commit_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_folder_is_a_file_error, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
