/* Questions on the command line: one place that reads answers, passwords
 * without echo, so no command keeps its own copy of that care. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "services/accounts/users.h"
#include "tui/cmd.h"


static struct termios saved_tty;
static volatile sig_atomic_t tty_changed;

static void tty_restore(void)
{
	if (tty_changed) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
		tty_changed = 0;
	}
}

/* Ctrl-C at a password prompt must not leave the terminal without echo. */
static void on_signal(int sig)
{
	tty_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One line from fd 0, byte by byte so that no password stays behind in a
 * stdio buffer.  Returns 0, 1 at end of input with nothing read, -1 when the
 * line did not fit (it is consumed and wiped). */
int cmd_read_line(char *buf, size_t size)
{
	size_t n = 0;
	int too_long = 0, got = 0;
	char c;

	for (;;) {
		ssize_t r = read(STDIN_FILENO, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got = 1;
		if (c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
		else
			too_long = 1;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	if (too_long) {
		sodium_memzero(buf, size);
		return -1;
	}
	return got ? 0 : 1;
}

/* Asks one question: a prompt on stderr when a person is answering, the
 * answer without echo when it is secret.  -1 with err set when there is no
 * answer. */
int cmd_ask(int batch, const char *prompt, char *buf, size_t size, int secret,
	    const char *field, tb_err *err)
{
	int r, echo_off = 0;

	if (!batch) {
		if (!isatty(STDIN_FILENO))
			return err_set(err, TB_E_USAGE, 0, "no terminal to ask on: use --batch");
		fprintf(stderr, "%s: ", prompt);
		fflush(stderr);
		if (secret && tcgetattr(STDIN_FILENO, &saved_tty) == 0) {
			struct termios t = saved_tty;
			struct sigaction sa = { .sa_handler = on_signal };

			sigaction(SIGINT, &sa, NULL);
			sigaction(SIGTERM, &sa, NULL);
			sigaction(SIGHUP, &sa, NULL);
			t.c_lflag &= ~(tcflag_t)ECHO;
			t.c_lflag |= ECHONL;
			tty_changed = 1;
			echo_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) == 0;
		}
	}
	r = cmd_read_line(buf, size);
	if (echo_off || tty_changed)
		tty_restore();
	if (r < 0)
		return err_set(err, TB_E_AUTH_INVALID, (long)size - 1, field);
	if (r > 0)
		return err_set(err, TB_E_USAGE, 0, "end of input");
	return 0;
}

void cmd_other_branch(struct db *d, const char *user, tb_err *err)
{
	char here[USER_BRANCH_MAX + 1] = "?";
	struct user u = { .branch = "?" };
	tb_err ignored;

	if (err->id != TB_E_AUTH_OTHER_BRANCH)
		return;
	users_get(d, user, &u, &ignored);
	users_terminal_branch(d, here, &ignored);
	cmd_error(stderr, "tabien: ", err);
	fprintf(stderr, "        your branch / สาขาของท่าน: %s; this terminal's / สาขาของเครื่องนี้: %s\n",
		u.branch, here);
	explicit_bzero(&u, sizeof u);
	err->id = TB_OK;
}

int cmd_officer_check(struct db *d, int batch, const char *user, struct user *who, tb_err *err)
{
	char pw[USERS_PASSWORD_MAX + 2], prompt[160];
	int r;

	if (!user)
		return err_set(err, TB_E_USAGE, 0, "--as USER");
	snprintf(prompt, sizeof prompt, "Password of %s / รหัสผ่านของ %s", user, user);
	r = cmd_ask(batch, prompt, pw, sizeof pw, 1, "password", err);
	if (r == 0)
		r = users_login(d, user, pw, who, err);
	sodium_memzero(pw, sizeof pw);
	if (r == 0 && who->must_change)
		r = err_set(err, TB_E_AUTH_MUST_CHANGE, 0, NULL);
	return r;
}

int cmd_officer_login(struct db *d, int batch, const char *user, struct user *who, tb_err *err)
{
	int r = cmd_officer_check(d, batch, user, who, err);

	cmd_other_branch(d, user, err);
	return r;
}
