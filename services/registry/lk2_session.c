/* Linkage Center 2: the officer's session: login, the signer, confirm, the JWT renewed, logout (see lk2.h). */
#include "config.h"

#include "services/registry/lk2_private.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "services/base/format.h"
#include "services/base/util.h"

/* --- the signer ---------------------------------------------------------------------- */

/* The program must exist, run, and be changeable by its owner only: it
 * receives the PIN. */
static int signer_check(const char *path, tb_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return err_set(err, TB_E_LK2_SIGNER_MISSING, errno, "not found");
	if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0)
		return err_set(err, TB_E_LK2_SIGNER_MISSING, 0, "not an executable file");
	if (st.st_mode & 022)
		return err_set(err, TB_E_LK2_SIGNER_MISSING, (long)(st.st_mode & 0777),
			       "writable by other accounts");
	return 0;
}

static int write_all(int fd, const char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The random and the PIN go into the pipe before the child exists, so a
 * signer that dies at once cannot raise SIGPIPE here; the PIN is wiped as
 * soon as it is in the pipe. */
static int signer_start(struct lk2_op *op, tb_err *err)
{
	char cmd[sizeof op->l->c.signer], *argv[SIGNER_ARGS + 1], input[sizeof op->la.random + PIN_MAX + 4];
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, n;
	pid_t pid;

	if (str_split_words(op->l->c.signer, cmd, sizeof cmd, argv, SIGNER_ARGS))
		return err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.signer");
	if (signer_check(argv[0], err))
		return -1;
	n = snprintf(input, sizeof input, "%s\n%s\n", op->la.random, op->pin);
	explicit_bzero(op->pin, sizeof op->pin);
	if (n < 0 || (size_t)n >= sizeof input) {
		explicit_bzero(input, sizeof input);
		return err_set(err, TB_E_SYSTEM, 0, "signer input");
	}
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || write_all(in[1], input, (size_t)n)) {
		explicit_bzero(input, sizeof input);
		err_set(err, TB_E_SYSTEM, errno, "signer pipe");
		goto fail;
	}
	explicit_bzero(input, sizeof input);
	close(in[1]);
	in[1] = -1;
	op->l->st.signer_runs++;
	pid = fork();
	if (pid < 0) {
		err_set(err, TB_E_SYSTEM, errno, "fork");
		goto fail;
	}
	if (pid == 0) {
		/* Its own process group, so a timeout ends whatever it started. */
		sigset_t none;
		int null = open("/dev/null", O_WRONLY);

		setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || null < 0 || dup2(null, 2) < 0)
			_exit(126);
		closefrom(3);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(in[0]);
	close(out[1]);
	fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
	op->sg.pid = pid;
	op->sg.out = out[0];
	op->sg.len = 0;
	clock_gettime(CLOCK_MONOTONIC, &op->sg.deadline);
	op->sg.deadline.tv_sec += op->l->c.signer_timeout_ms / 1000;
	op->sg.deadline.tv_nsec += (op->l->c.signer_timeout_ms % 1000) * 1000000L;
	if (op->sg.deadline.tv_nsec >= 1000000000L) {
		op->sg.deadline.tv_sec++;
		op->sg.deadline.tv_nsec -= 1000000000L;
	}
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	return -1;
}

/* Ends the signer and everything it started, and reaps it: no zombie. */
void lk2_signer_stop(struct signer *sg)
{
	if (sg->out >= 0)
		close(sg->out);
	sg->out = -1;
	if (sg->pid > 0) {
		kill(-sg->pid, SIGKILL);
		kill(sg->pid, SIGKILL);
		while (waitpid(sg->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	sg->pid = 0;
	explicit_bzero(sg->buf, sizeof sg->buf);
	sg->len = 0;
}

static void confirm_start(struct lk2_op *op);

/* The envelope: what the signer printed, without the line's end. */
static int envelope_take(struct lk2_op *op, tb_err *err)
{
	struct signer *sg = &op->sg;

	while (sg->len > 0 && (sg->buf[sg->len - 1] == '\n' || sg->buf[sg->len - 1] == '\r' ||
			       sg->buf[sg->len - 1] == ' '))
		sg->len--;
	sg->buf[sg->len] = '\0';
	if (sg->len == 0)
		return err_set(err, TB_E_LK2_SIGNER_FAILED, 0, "no envelope");
	if (!lk2_text_ok(sg->buf))
		return err_set(err, TB_E_LK2_SIGNER_FAILED, 0, "envelope not printable");
	memcpy(op->envelope, sg->buf, sg->len + 1);
	return 0;
}

void lk2_signer_step(struct lk2_op *op)
{
	struct signer *sg = &op->sg;
	tb_err e = { 0 };
	int status;

	while (sg->out >= 0) {
		ssize_t r = read(sg->out, sg->buf + sg->len, sizeof sg->buf - 1 - sg->len);

		if (r > 0) {
			sg->len += (size_t)r;
			if (sg->len > ENVELOPE_MAX) {
				lk2_signer_stop(sg);
				err_set(&e, TB_E_LK2_SIGNER_FAILED, ENVELOPE_MAX, "envelope too long");
				lk2_op_fail(op, &e);
				return;
			}
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		close(sg->out);       /* the end of its output (or a read error: the same) */
		sg->out = -1;
	}
	if (sg->out < 0 && sg->pid > 0) {
		pid_t w = waitpid(sg->pid, &status, WNOHANG);

		if (w == sg->pid) {
			sg->pid = 0;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
				err_set(&e, TB_E_LK2_SIGNER_MISSING, 127, "could not be started");
			else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
				err_set(&e, TB_E_LK2_SIGNER_FAILED, WEXITSTATUS(status), "exit status");
			else if (WIFSIGNALED(status))
				err_set(&e, TB_E_LK2_SIGNER_FAILED, WTERMSIG(status), "killed by a signal");
			else
				envelope_take(op, &e);
			explicit_bzero(sg->buf, sizeof sg->buf);
			sg->len = 0;
			if (e.id)
				lk2_op_fail(op, &e);
			else
				confirm_start(op);
			return;
		}
	}
	if (lk2_now_ms() >= lk2_ms_of(&sg->deadline)) {
		lk2_signer_stop(sg);
		err_set(&e, TB_E_LK2_SIGNER_TIMEOUT, op->l->c.signer_timeout_ms, NULL);
		lk2_op_fail(op, &e);
	}
}

/* --- the steps --------------------------------------------------------------------------- */

static void confirm_start(struct lk2_op *op)
{
	cJSON *b = cJSON_CreateObject();
	tb_err e = { 0 };
	struct http_xfer *x = NULL;

	if (b && cJSON_AddNumberToObject(b, "loginType", op->l->c.login_type) &&
	    (op->la.office_is_number ?
	     cJSON_AddNumberToObject(b, "officeID", strtod(op->la.office_id, NULL)) :
	     cJSON_AddStringToObject(b, "officeID", op->la.office_id)) &&
	    cJSON_AddStringToObject(b, "random", op->la.random) &&
	    cJSON_AddStringToObject(b, "envelope", op->envelope)) {
		op->l->st.confirms++;
		x = lk2_send(op->l, "POST", "/api/center/login/confirm", b, 0, &e);
	} else {
		err_set(&e, TB_E_NOMEM, 0, NULL);
	}
	cJSON_Delete(b);
	explicit_bzero(op->envelope, sizeof op->envelope);
	lk2_start_or_fail(op, x, ST_CONFIRM, &e);
}

void lk2_renew_start(struct lk2_op *op)
{
	tb_err e = { 0 };

	op->renewed = 1;
	op->l->st.renewals++;
	lk2_start_or_fail(op, lk2_send(op->l, "POST", "/api/center/login/renew", NULL, 1, &e),
		      ST_RENEW, &e);
}

static void login_done(struct lk2_op *op)
{
	if (!op->l->job[0])
		lk2_jobs_start(op);
	else
		lk2_op_finish(op);
}

/* The answer to a login, confirm or renewal: the signer started, the JWT
 * kept, or the operation failed. */
void lk2_session_answer(struct lk2_op *op, int rc, long status, const char *body, size_t len,
			tb_err *e)
{
	struct lk2 *l = op->l;

	switch (op->state) {
	case ST_LOGIN:
		if (rc == 0)
			rc = lk2_parse_login(status, body, len, l->c.office_id, &op->la, e);
		http_xfer_free(&op->x);
		if (rc || signer_start(op, e)) {
			lk2_op_fail(op, e);
			return;
		}
		op->state = ST_SIGN;
		return;
	case ST_CONFIRM:
		if (rc == 0)
			rc = lk2_parse_token(status, body, len, l->jwt, sizeof l->jwt, e);
		http_xfer_free(&op->x);
		explicit_bzero(&op->la, sizeof op->la);
		if (rc) {
			/* A refused envelope is the login's answer, not an
			 * ended session. */
			if (e->id == TB_E_LK2_SESSION)
				e->id = TB_E_LK_SESSION;
			lk2_op_fail(op, e);
			return;
		}
		str_copy(l->officer, sizeof l->officer, op->officer);
		clock_gettime(CLOCK_MONOTONIC, &l->jwt_at);
		login_done(op);
		return;
	case ST_RENEW:
		if (rc == 0)
			rc = lk2_parse_token(status, body, len, l->jwt, sizeof l->jwt, e);
		http_xfer_free(&op->x);
		if (rc) {
			/* Refused: the session is over; the officer logs in again. */
			if (e->id == TB_E_LK2_SESSION || e->id == TB_E_LK_SESSION)
				lk2_forget_session(l);
			lk2_op_fail(op, e);
			return;
		}
		clock_gettime(CLOCK_MONOTONIC, &l->jwt_at);
		lk2_batch_next(op);
		return;
	default:
		http_xfer_free(&op->x);
		return;
	}
}

/* --- operations ------------------------------------------------------------------------ */

static int pin_ok(const char *pin)
{
	size_t n = strlen(pin);

	return n >= 4 && n <= PIN_MAX && strspn(pin, "0123456789") == n;
}

struct lk2_op *lk2_login_start(struct lk2 *l, const char *officer_cid, const char *chip_no,
			       const char *pin, tb_err *err)
{
	char cmd[sizeof l->c.signer], *argv[SIGNER_ARGS + 1];
	struct lk2_op *op;
	cJSON *b;
	tb_err e = { 0 };

	if (!officer_cid || strlen(officer_cid) != 13 || !cid_valid(officer_cid)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
		return NULL;
	}
	if (!chip_no || strlen(chip_no) >= sizeof op->chip || !lk2_text_ok(chip_no)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "chip number");
		return NULL;
	}
	if (!pin || !pin_ok(pin)) {
		err_set(err, TB_E_AUTH_INVALID, 0, "PIN (4 to 16 digits)");
		return NULL;
	}
	/* Nothing is sent for a signer that cannot run. */
	if (str_split_words(l->c.signer, cmd, sizeof cmd, argv, SIGNER_ARGS)) {
		err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.signer");
		return NULL;
	}
	if (signer_check(argv[0], err))
		return NULL;
	if (l->op) {
		err_set(err, TB_E_USAGE, 0, "another Linkage Center request is running");
		return NULL;
	}
	lk2_logout(l);
	op = lk2_op_new(l, OP_LOGIN, err);
	if (!op)
		return NULL;
	str_copy(op->officer, sizeof op->officer, officer_cid);
	str_copy(op->chip, sizeof op->chip, chip_no);
	str_copy(op->pin, sizeof op->pin, pin);
	b = cJSON_CreateObject();
	if (b && cJSON_AddNumberToObject(b, "loginType", l->c.login_type) &&
	    cJSON_AddStringToObject(b, "personalID", op->officer) &&
	    cJSON_AddStringToObject(b, "chipNo", op->chip)) {
		l->st.logins++;
		op->x = lk2_send(l, "POST", "/api/center/login/", b, 0, &e);
	} else {
		err_set(&e, TB_E_NOMEM, 0, NULL);
	}
	cJSON_Delete(b);
	if (!op->x) {
		lk2_op_free(&op);
		if (err)
			*err = e;
		return NULL;
	}
	op->state = ST_LOGIN;
	return op;
}

void lk2_logout(struct lk2 *l)
{
	struct http_xfer *x;
	long until;

	if (l->op)
		lk2_op_cancel(l->op);
	if (!l->jwt[0])
		return;
	l->st.logouts++;
	x = lk2_send(l, "DELETE", "/api/center/login/", NULL, 1, NULL);
	lk2_forget_session(l);
	if (!x)
		return;
	/* Best effort: the session dies on its own at the proxy anyway. */
	until = lk2_now_ms() + LOGOUT_WAIT_MS;
	http_perform(l->h, NULL, NULL);
	while (!http_xfer_done(x) && lk2_now_ms() < until)
		if (http_poll(l->h, NULL, 0, 100, NULL))
			break;
	http_xfer_free(&x);
}
