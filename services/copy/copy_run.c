/* tabien's side of tabien-copy (copy_run.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "services/base/util.h"
#include "services/copy/copy_run.h"

static int program_path(char *out, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", out, size - 1);
	char *slash;

	if (n <= 0)
		return -1;
	out[n] = '\0';
	slash = strrchr(out, '/');
	if (!slash || (size_t)(slash - out) + sizeof "/tabien-copy" > size)
		return -1;
	strcpy(slash, "/tabien-copy");
	return 0;
}

/* tabien-copy's field names, as static strings for tb_err. */
static const char *field_of(const char *s)
{
	static const char *const known[] = {
		"copy.key", "copy.cert", "copy.chain", "copy.dir", "copy.command", "copy.sign_command", "photo", "pdf",
		"cms", "copy form", "sha256",
	};

	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strcmp(s, known[i]) == 0)
			return known[i];
	return NULL;
}

static int reply_parse(char *r, struct copy_result *out, tb_err *err)
{
	char *line2, *line3, *nl;

	if (strncmp(r, "ERR ", 4) == 0) {
		char code[64] = "", hash[65] = "", field[64] = "";
		long detail = 0;

		if (sscanf(r + 4, "%63s %ld %64s %63[^\n]", code, &detail, hash, field) < 3)
			return err_set(err, TB_E_COPY_PROGRAM, 0, "reply");
		if (strlen(hash) == 64)
			str_copy(out->sha256, sizeof out->sha256, hash);
		for (int id = 1; id < TB_ERR_COUNT; id++)
			if (strcmp(err_code((enum tb_err_id)id), code) == 0)
				return err_set(err, (enum tb_err_id)id, detail, field_of(field));
		return err_set(err, TB_E_COPY_PROGRAM, 0, "reply");
	}
	if (strncmp(r, "OK ", 3) || !(line2 = strchr(r, '\n')) || !(line3 = strchr(line2 + 1, '\n')))
		return err_set(err, TB_E_COPY_PROGRAM, 0, "reply");
	*line2++ = '\0';
	*line3++ = '\0';
	if ((nl = strchr(line3, '\n')))
		*nl = '\0';
	if (sscanf(r + 3, "%64s %zu", out->sha256, &out->size) != 2 || strlen(out->sha256) != 64)
		return err_set(err, TB_E_COPY_PROGRAM, 0, "reply");
	str_copy(out->signer, sizeof out->signer, line2);
	str_copy(out->path, sizeof out->path, line3);
	return 0;
}

int copy_run_start(const struct copy_doc *d, const char *program, int quiet, struct copy_job *job,
		   tb_err *err)
{
	char path[PATH_MAX];
	unsigned char *form = NULL;
	size_t len = 0;
	int in[2] = { -1, -1 }, rp[2] = { -1, -1 }, rc = -1;
	pid_t pid;

	*job = (struct copy_job){ .pid = -1, .fd = -1 };
	if (!program) {
		if (program_path(path, sizeof path))
			return err_set(err, TB_E_COPY_PROGRAM, 0, "tabien-copy");
		program = path;
	}
	if (access(program, X_OK))
		return err_set(err, TB_E_COPY_PROGRAM, errno, "tabien-copy");
	if (copy_doc_encode(d, &form, &len, err))
		return -1;
	/* The whole form goes into the pipe before the fork (a pipe holds up
	 * to 1 MiB for an unprivileged process): a copier that dies at once
	 * cannot leave tabien blocked or hit by SIGPIPE, and the form is wiped
	 * at once. */
	if (pipe2(in, O_CLOEXEC) || pipe2(rp, O_CLOEXEC)) {
		err_set(err, TB_E_SYSTEM, errno, "pipe");
		goto out;
	}
	if (len > 65536 && fcntl(in[1], F_SETPIPE_SZ, (int)COPY_DOC_MAX) < (int)len) {
		err_set(err, TB_E_USAGE, (long)len, "copy form");
		goto out;
	}
	if (write(in[1], form, len) != (ssize_t)len) {
		err_set(err, TB_E_SYSTEM, errno, "write");
		goto out;
	}
	close(in[1]);
	in[1] = -1;
	pid = fork();
	if (pid < 0) {
		err_set(err, TB_E_SYSTEM, errno, "fork");
		goto out;
	}
	if (pid == 0) {
		char *argv[] = { (char *)program, NULL };

		dup2(in[0], STDIN_FILENO);
		dup2(rp[1], STDOUT_FILENO);
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);

			if (null >= 0)
				dup2(null, STDERR_FILENO);
		}
		execv(program, argv);
		_exit(127);
	}
	job->pid = pid;
	job->fd = rp[0];
	rp[0] = -1;
	rc = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (rp[i] >= 0)
			close(rp[i]);
	}
	if (form) {
		explicit_bzero(form, len);
		free(form);
	}
	return rc;
}

int copy_run_read(struct copy_job *job)
{
	for (;;) {
		ssize_t n;

		if (job->got == sizeof job->reply - 1)
			return 1;
		n = read(job->fd, job->reply + job->got, sizeof job->reply - 1 - job->got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return 1;
		job->got += (size_t)n;
	}
}

void copy_run_cancel(struct copy_job *job)
{
	if (job->pid > 0)
		kill(job->pid, SIGTERM);
}

int copy_run_finish(struct copy_job *job, struct copy_result *out, tb_err *err)
{
	int st = 0, rc = -1;

	memset(out, 0, sizeof *out);
	if (job->fd >= 0)
		close(job->fd);
	job->fd = -1;
	job->reply[job->got] = '\0';
	while (job->pid > 0 && waitpid(job->pid, &st, 0) < 0 && errno == EINTR)
		;
	job->pid = -1;
	if (job->got == 0)
		err_set(err, TB_E_COPY_PROGRAM, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
			"tabien-copy");
	else
		rc = reply_parse(job->reply, out, err);
	if (rc == 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		rc = err_set(err, TB_E_COPY_PROGRAM, 0, "tabien-copy");
	explicit_bzero(job->reply, sizeof job->reply);
	job->got = 0;
	return rc;
}

int copy_run(const struct copy_doc *d, const char *program, struct copy_result *out, tb_err *err)
{
	struct copy_job job;

	memset(out, 0, sizeof *out);
	if (copy_run_start(d, program, 0, &job, err))
		return -1;
	copy_run_read(&job);   /* blocking: to the end of the answer */
	return copy_run_finish(&job, out, err);
}
