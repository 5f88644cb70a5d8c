/* The full-screen program under a pseudo-terminal, for bench_tui: started
 * with its own environment, every byte it writes kept and timed, keys sent,
 * its memory read from /proc; and what the bytes are (cells, colours,
 * moves), counted per key. */
#ifndef TABIEN_BENCH_TUI_PTY_H
#define TABIEN_BENCH_TUI_PTY_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "services/base/format.h"
#include "tests/lib/harness.h"

#define COLS 80
#define ROWS 24
#define QUIET_KEY_MS 150.0

/* --- the program under a pseudo-terminal ------------------------------------- */

struct term {
	int fd;              /* the pty's master side */
	pid_t pid;
	double t_exec;       /* when execve succeeded */
	double t_last;       /* when the last byte came */
	unsigned char *buf;  /* everything the program wrote */
	size_t len, cap;
	bool eof;
};

struct paths {
	char top[300], home[320], config[320], state[320], db[340];
	const char *pwhash;  /* TABIEN_PWHASH for the accounts, or NULL: the default */
	char themes[512], localedir[512], exe[512];
};

void env_free(char **env);

/* The program's environment: this one's, minus what would change how it
 * runs, plus the build tree's themes and catalogue and a home of its own.
 * PCSCLITE_CSOCK_NAME (the private pcscd) comes from harness_init; the
 * database is a private one, and `terminal` names this terminal in it. */
char **child_env(const struct paths *p, const char *terminal);

int term_start(struct term *t, const struct paths *p, char **env);

/* Waits up to timeout_ms for output and takes all there is; returns the
 * bytes read, or -1 once the program has closed the terminal. */
long term_pump(struct term *t, double timeout_ms);

/* Reads until no output came for quiet_ms (0), or max_ms passed (-1). */
int term_settle(struct term *t, double quiet_ms, double max_ms);

bool term_has(const struct term *t, size_t from, const char *s);

/* Reads until the output since `from` holds s; returns 0 or -1. */
int term_wait_for(struct term *t, size_t from, const char *s, double max_ms);

int term_send(struct term *t, const char *s);

/* Peak and current resident memory of the program, in KiB. */
void term_rss(const struct term *t, long *hwm, long *rss);

/* Quits with key (or a signal if that does not work); returns the exit status. */
int term_quit(struct term *t, const char *key);

void term_free(struct term *t);

/* --- what the bytes are ------------------------------------------------------ */

struct bytes {
	size_t total;
	size_t text, chars;          /* printable text (UTF-8) and its characters */
	size_t halfblock;            /* of the text: the photo's ▀ cells */
	size_t sgr, nsgr;            /* attributes and colours */
	size_t sgr256, nsgr256;      /* of those: 256-colour ones (the photo) */
	size_t ncolour256;           /* 256-colour indices off the grey ramp */
	size_t move, nmove;          /* cursor positioning */
	size_t other_csi, nother;    /* erase, repeat, scroll, modes */
	size_t charset;              /* line-drawing switches */
	size_t ctrl;                 /* CR, LF, BS... */
};

void bytes_count(const unsigned char *p, size_t n, struct bytes *b);

/* The photo in the output was drawn in greys only. */
bool grey_photo(const struct bytes *b);

void bytes_print(const struct bytes *b);

/* Bytes the program writes for one key: from a quiet screen to the next
 * quiet spell.  `expect`, if not NULL, is text the key must bring up: a
 * warning says so when it did not (a wrong key sequence would count 0). */
size_t key_bytes(struct term *t, const char *key, const char *expect, struct bytes *b);

void print_bytes_line(const char *what, const struct bytes *b, long target);

#endif
