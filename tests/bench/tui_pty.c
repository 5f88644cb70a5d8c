#include "config.h"

#include "tests/bench/tui_pty.h"

extern char **environ;

void env_free(char **env)
{
	for (char **e = env; e && *e; e++)
		free(*e);
	free(env);
}

static int env_add(char **env, size_t *k, const char *name, const char *value)
{
	size_t len = strlen(name) + strlen(value) + 2;

	if (!(env[*k] = malloc(len)))
		return -1;
	snprintf(env[(*k)++], len, "%s=%s", name, value);
	return 0;
}

char **child_env(const struct paths *p, const char *terminal)
{
	static const char *const drop[] = { "TERM=", "LANG=", "LC_", "LANGUAGE=", "HOME=",
					    "XDG_", "TABIEN_", "COLUMNS=", "LINES=", "TMUX=", NULL };
	size_t n = 0, k = 0;
	char **env;
	int bad = 0;

	while (environ[n])
		n++;
	env = calloc(n + 16, sizeof *env);
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		bool keep = true;
		for (const char *const *d = drop; *d && keep; d++)
			keep = strncmp(environ[i], *d, strlen(*d)) != 0;
		if (keep && (env[k] = strdup(environ[i])))
			k++;
		else if (keep)
			bad = 1;
	}
	bad = bad || env_add(env, &k, "TERM", "xterm-256color") ||
	      env_add(env, &k, "LANG", "C.UTF-8") || env_add(env, &k, "LC_ALL", "C.UTF-8") ||
	      env_add(env, &k, "HOME", p->home) || env_add(env, &k, "XDG_CONFIG_HOME", p->config) ||
	      env_add(env, &k, "XDG_STATE_HOME", p->state) ||
	      env_add(env, &k, "TABIEN_THEMES", p->themes) ||
	      env_add(env, &k, "TABIEN_LOCALEDIR", p->localedir) ||
	      env_add(env, &k, "TABIEN_DB", p->db) || env_add(env, &k, "TABIEN_TERMINAL", terminal) ||
	      (p->pwhash && env_add(env, &k, "TABIEN_PWHASH", p->pwhash));
	if (bad) {
		env_free(env);
		return NULL;
	}
	return env;
}

int term_start(struct term *t, const struct paths *p, char **env)
{
	struct winsize ws = { .ws_row = ROWS, .ws_col = COLS };
	int gate[2];
	char c;

	memset(t, 0, sizeof *t);
	t->fd = -1;
	if (pipe2(gate, O_CLOEXEC)) {
		perror("bench: pipe");
		return -1;
	}
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid < 0) {
		perror("bench: forkpty");
		close(gate[0]);
		close(gate[1]);
		return -1;
	}
	if (t->pid == 0) {
		char *const argv[] = { (char *)p->exe, NULL };
		int e;
		close(gate[0]);
		execve(p->exe, argv, env);
		e = errno;
		if (write(gate[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(127);
	}
	close(gate[1]);
	/* Closed by execve: this read ends the moment the program starts. */
	while (read(gate[0], &c, 1) < 0 && errno == EINTR)
		;
	t->t_exec = t->t_last = harness_now_ms();
	close(gate[0]);
	fcntl(t->fd, F_SETFL, fcntl(t->fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

long term_pump(struct term *t, double timeout_ms)
{
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
	unsigned char chunk[65536];
	long got = 0;
	ssize_t n;

	if (t->eof)
		return -1;
	if (poll(&pfd, 1, timeout_ms < 0 ? 0 : (int)(timeout_ms + 0.999)) <= 0)
		return 0;
	while ((n = read(t->fd, chunk, sizeof chunk)) > 0) {
		if (t->len + (size_t)n > t->cap) {
			size_t cap = t->cap ? t->cap : 65536;
			unsigned char *b;
			while (cap < t->len + (size_t)n)
				cap *= 2;
			b = realloc(t->buf, cap);
			if (!b) {
				t->eof = true;
				return -1;
			}
			t->buf = b;
			t->cap = cap;
		}
		memcpy(t->buf + t->len, chunk, (size_t)n);
		t->len += (size_t)n;
		got += n;
		t->t_last = harness_now_ms();
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		t->eof = true; /* EIO: the program's side is closed */
		return got ? got : -1;
	}
	return got;
}

int term_settle(struct term *t, double quiet_ms, double max_ms)
{
	double start = harness_now_ms(), last = start;

	for (;;) {
		double n = harness_now_ms();
		long r;
		if (n - last >= quiet_ms)
			return 0;
		if (n - start >= max_ms)
			return -1;
		r = term_pump(t, quiet_ms - (n - last));
		if (r > 0)
			last = t->t_last;
		else if (r < 0)
			return -1;
	}
}

bool term_has(const struct term *t, size_t from, const char *s)
{
	return from < t->len && memmem(t->buf + from, t->len - from, s, strlen(s)) != NULL;
}

int term_wait_for(struct term *t, size_t from, const char *s, double max_ms)
{
	double start = harness_now_ms();

	while (!term_has(t, from, s)) {
		if (harness_now_ms() - start >= max_ms || term_pump(t, 5) < 0)
			return term_has(t, from, s) ? 0 : -1;
	}
	return 0;
}

int term_send(struct term *t, const char *s)
{
	size_t len = strlen(s);
	return write(t->fd, s, len) == (ssize_t)len ? 0 : -1;
}

void term_rss(const struct term *t, long *hwm, long *rss)
{
	char path[64], line[256];
	FILE *f;

	*hwm = *rss = -1;
	snprintf(path, sizeof path, "/proc/%d/status", (int)t->pid);
	if (!(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof line, f)) {
		sscanf(line, "VmHWM: %ld", hwm);
		sscanf(line, "VmRSS: %ld", rss);
	}
	fclose(f);
}

int term_quit(struct term *t, const char *key)
{
	int status = -1;
	double start;

	if (t->pid <= 0)
		return -1;
	term_send(t, key);
	start = harness_now_ms();
	while (waitpid(t->pid, &status, WNOHANG) == 0) {
		if (harness_now_ms() - start > 5000) {
			fprintf(stderr, "bench: the program did not quit; stopping it\n");
			kill(t->pid, SIGTERM);
			waitpid(t->pid, &status, 0);
			break;
		}
		if (term_pump(t, 10) < 0)
			usleep(1000);
	}
	t->pid = 0;
	close(t->fd);
	t->fd = -1;
	return status;
}

void term_free(struct term *t)
{
	if (t->pid > 0) {
		kill(t->pid, SIGTERM);
		waitpid(t->pid, NULL, 0);
	}
	if (t->fd >= 0)
		close(t->fd);
	free(t->buf);
	memset(t, 0, sizeof *t);
	t->fd = -1;
}

/* How many of the 256-colour indices (38;5;N or 48;5;N) in one SGR sequence
 * are off the grey ramp (16, 231, 232-255). */
static size_t colour_indices(const unsigned char *seq, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i + 4 < len; i++) {
		if ((seq[i] == '3' || seq[i] == '4') && memcmp(seq + i + 1, "8;5;", 4) == 0) {
			unsigned v = 0;
			for (size_t j = i + 5; j < len && seq[j] >= '0' && seq[j] <= '9'; j++)
				v = v * 10 + (unsigned)(seq[j] - '0');
			if (!(v == 16 || v == 231 || v >= 232))
				n++;
		}
	}
	return n;
}

void bytes_count(const unsigned char *p, size_t n, struct bytes *b)
{
	static const unsigned char half[] = { 0xE2, 0x96, 0x80 };
	size_t i = 0;

	memset(b, 0, sizeof *b);
	b->total = n;
	while (i < n) {
		size_t start = i;
		if (p[i] == 0x1B && i + 1 < n && p[i + 1] == '[') {
			bool is256;
			i += 2;
			while (i < n && p[i] >= 0x20 && p[i] <= 0x3F)
				i++;
			if (i >= n)
				break;
			i++;
			if (p[i - 1] == 'm') {
				is256 = memmem(p + start, i - start, "38;5;", 5) ||
					memmem(p + start, i - start, "48;5;", 5);
				b->sgr += i - start;
				b->nsgr++;
				if (is256) {
					b->sgr256 += i - start;
					b->nsgr256++;
					b->ncolour256 += colour_indices(p + start, i - start);
				}
			} else if (strchr("HfABCDEFGda`", p[i - 1])) {
				b->move += i - start;
				b->nmove++;
			} else {
				b->other_csi += i - start;
				b->nother++;
			}
		} else if (p[i] == 0x1B && i + 1 < n && strchr("()*+", p[i + 1])) {
			i = i + 3 <= n ? i + 3 : n;
			b->charset += i - start;
		} else if (p[i] == 0x1B && i + 1 < n && p[i + 1] == ']') {
			while (i < n && p[i] != 0x07 && !(p[i] == 0x1B && i + 1 < n && p[i + 1] == '\\'))
				i++;
			i = i < n && p[i] == 0x07 ? i + 1 : (i + 2 <= n ? i + 2 : n);
			b->other_csi += i - start;
			b->nother++;
		} else if (p[i] == 0x1B) {
			i = i + 2 <= n ? i + 2 : n;
			b->other_csi += i - start;
			b->nother++;
		} else if (p[i] == 0x0E || p[i] == 0x0F) {
			i++;
			b->charset++;
		} else if (p[i] < 0x20 || p[i] == 0x7F) {
			i++;
			b->ctrl++;
		} else {
			if (i + 3 <= n && memcmp(p + i, half, 3) == 0)
				b->halfblock += 3;
			if ((p[i] & 0xC0) != 0x80)
				b->chars++;
			i++;
			b->text++;
		}
	}
}

bool grey_photo(const struct bytes *b)
{
	return b->halfblock > 0 && b->nsgr256 > 0 && b->ncolour256 == 0;
}

void bytes_print(const struct bytes *b)
{
	printf("      text %zu B (%zu characters%s", b->text, b->chars, b->halfblock ? ", " : ")");
	if (b->halfblock)
		printf("%zu B of them the photo's %zu half blocks)", b->halfblock, b->halfblock / 3);
	printf("; attributes/colours %zu B in %zu sequences", b->sgr, b->nsgr);
	if (b->nsgr256)
		printf(" (%zu B in %zu 256-colour ones: the photo)", b->sgr256, b->nsgr256);
	printf(";\n      cursor moves %zu B in %zu; other escapes %zu B in %zu; line-drawing "
	       "switches %zu B; controls %zu B\n",
	       b->move, b->nmove, b->other_csi, b->nother, b->charset, b->ctrl);
}

size_t key_bytes(struct term *t, const char *key, const char *expect, struct bytes *b)
{
	size_t mark;

	term_settle(t, QUIET_KEY_MS, 5000);
	mark = t->len;
	if (term_send(t, key))
		return 0;
	term_settle(t, QUIET_KEY_MS, 5000);
	bytes_count(t->buf + mark, t->len - mark, b);
	if (expect && !term_has(t, mark, expect))
		fprintf(stderr, "bench: warning: \"%s\" did not show after a key\n", expect);
	return t->len - mark;
}

void print_bytes_line(const char *what, const struct bytes *b, long target)
{
	printf("  %-52s %7zu B   target <= %ld B%s\n", what, b->total, target,
	       (long)b->total > target ? HARNESS_OVER : "");
	bytes_print(b);
}
