/* The commands tabien-copy hands things to (copy_private.h): the document
 * system and the signing command.  Each runs without a shell in its own
 * process group, its input given through a pipe it may read at its own
 * pace, its output kept up to a bound (or thrown away), and the whole
 * exchange under one deadline; late, too talkative, or when tabien asks the
 * copy to stop, the whole group is killed and reaped. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "services/copy/copy_private.h"

volatile sig_atomic_t copy_stop;
static volatile pid_t running;      /* the command's process group, or 0 */

static void on_term(int sig)
{
	pid_t g = running;

	(void)sig;
	copy_stop = 1;
	if (g > 0)
		kill(-g, SIGKILL);
}

void copy_exec_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A mask is inherited across exec: tabien's must not keep SIGTERM out. */
	sigset_t term;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &term, NULL);
}

int copy_exec_check(const char *path, enum tb_err_id missing, const char *field, tb_err *err)
{
	struct stat st;

	if (path[0] != '/' || stat(path, &st) != 0)
		return err_set(err, missing, path[0] == '/' ? errno : 0, field);
	if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0)
		return err_set(err, missing, EACCES, field);
	/* Whoever may change it may sign what they like with the agency's
	 * token, or take every copy. */
	if (st.st_mode & 022)
		return err_set(err, missing, (long)(st.st_mode & 0777), field);
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void end_group(pid_t pid, int *st)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, st, 0) < 0 && errno == EINTR)
		;
}

enum copy_exec_end copy_exec(char *const argv[], const void *in, size_t in_len, struct copy_buf *out,
			     size_t out_max, long timeout_ms, int *status, tb_err *err)
{
	int ip[2] = { -1, -1 }, op[2] = { -1, -1 }, st = 0;
	size_t off = 0;
	int64_t deadline = now_ms() + timeout_ms;
	enum copy_exec_end end = COPY_EXEC_EXITED;
	unsigned char chunk[4096];
	pid_t pid, w;

	*status = 0;
	if (pipe2(ip, O_CLOEXEC) || pipe2(op, O_CLOEXEC)) {
		err_set(err, TB_E_SYSTEM, errno, "pipe");
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		err_set(err, TB_E_SYSTEM, errno, "fork");
		goto fail;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_WRONLY);
		sigset_t none;

		setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (dup2(ip[0], STDIN_FILENO) < 0 || dup2(out ? op[1] : nul, STDOUT_FILENO) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	running = pid;
	close(ip[0]);
	close(op[1]);
	ip[0] = op[1] = -1;
	fcntl(ip[1], F_SETFL, O_NONBLOCK);
	fcntl(op[0], F_SETFL, O_NONBLOCK);
	if (!in_len) {
		close(ip[1]);
		ip[1] = -1;
	}
	/* Until its output ends (or, thrown away, until its input is taken). */
	while (ip[1] >= 0 || (out && op[0] >= 0)) {
		struct pollfd p[2];
		int n = 0, ii = -1, oi = -1;
		int64_t left = deadline - now_ms();

		if (copy_stop) {
			end = COPY_EXEC_STOPPED;
			break;
		}
		if (left <= 0) {
			end = COPY_EXEC_TIMEOUT;
			break;
		}
		if (ip[1] >= 0) {
			ii = n;
			p[n++] = (struct pollfd){ ip[1], POLLOUT, 0 };
		}
		if (out && op[0] >= 0) {
			oi = n;
			p[n++] = (struct pollfd){ op[0], POLLIN, 0 };
		}
		if (poll(p, (nfds_t)n, (int)(left > 1000 ? 1000 : left)) <= 0)
			continue;
		if (ii >= 0 && p[ii].revents) {
			ssize_t k = write(ip[1], (const unsigned char *)in + off, in_len - off);

			if (k > 0)
				off += (size_t)k;
			if ((k < 0 && errno != EAGAIN && errno != EINTR) || off == in_len) {
				close(ip[1]);   /* done, or it closed its input: its status says why */
				ip[1] = -1;
			}
		}
		if (oi >= 0 && p[oi].revents) {
			ssize_t k = read(op[0], chunk, sizeof chunk);

			if (k > 0 && (out->n + (size_t)k > out_max || copy_buf_add(out, chunk, (size_t)k))) {
				end = COPY_EXEC_TOO_MUCH;
				break;
			}
			if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR)) {
				close(op[0]);
				op[0] = -1;
			}
		}
	}
	explicit_bzero(chunk, sizeof chunk);
	if (end != COPY_EXEC_EXITED)
		goto kill;
	while ((w = waitpid(pid, &st, WNOHANG)) == 0) {
		struct timespec t = { 0, 10 * 1000 * 1000 };

		if (copy_stop) {
			end = COPY_EXEC_STOPPED;
			goto kill;
		}
		if (now_ms() >= deadline) {
			end = COPY_EXEC_TIMEOUT;
			goto kill;
		}
		nanosleep(&t, NULL);
	}
	running = 0;
	if (w < 0) {
		err_set(err, TB_E_SYSTEM, errno, "waitpid");
		goto fail;
	}
	/* Not all of its input taken counts as a failure too. */
	*status = !WIFEXITED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st) ? WEXITSTATUS(st) : off < in_len ? 141 : 0;
	goto out;
kill:
	end_group(pid, &st);
	running = 0;
	goto out;
fail:
	end = COPY_EXEC_ERROR;
out:
	for (int i = 0; i < 2; i++) {
		if (ip[i] >= 0)
			close(ip[i]);
		if (op[i] >= 0)
			close(op[i]);
	}
	return end;
}
