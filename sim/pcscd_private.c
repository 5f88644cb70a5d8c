/* tabien-pcscd: starts a private pcscd that serves one vpcd reader on a
 * chosen port, on a private socket, so that tests and the demo never fight a
 * pcscd already running on the machine.
 *
 *   tabien-pcscd --dir DIR [--port N] [--no-reader] [--debug]
 *
 * It writes DIR/reader.conf.d/, binds DIR/pcscd.comm, and execs pcscd with
 * that socket handed over by socket activation (fd 3, LISTEN_FDS=1,
 * LISTEN_PID=our pid, which exec keeps).  Clients find it with
 * PCSCLITE_CSOCK_NAME=DIR/pcscd.comm.  The vpcd driver listens on the port
 * (and the next one, for its second slot) for the virtual card to connect. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: tabien-pcscd --dir DIR [--port N] [--no-reader] [--debug]\n");
}

/* pcscd writes and, on exit, deletes /run/pcscd/pcscd.pid whatever socket it
 * serves, which would clobber the pid file of a pcscd the machine runs.  Where
 * we may (root), give this pcscd a mount namespace of its own with DIR/run
 * over /run/pcscd.  Elsewhere pcscd cannot write there anyway. */
static void private_run_dir(const char *dir)
{
	char run[4096];

	if (geteuid() != 0)
		return;
	snprintf(run, sizeof run, "%s/run", dir);
	if ((mkdir(run, 0700) && errno != EEXIST) || (mkdir("/run/pcscd", 0755) && errno != EEXIST))
		return;
	if (unshare(CLONE_NEWNS) == 0 &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	    mount(run, "/run/pcscd", NULL, MS_BIND, NULL) == 0)
		return;
	fprintf(stderr, "tabien-pcscd: no private /run/pcscd (%s); pcscd will write its pid file there\n",
		strerror(errno));
}

static int write_conf(const char *dir, int port, int reader)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/reader.conf.d", dir);
	if (mkdir(path, 0700) && errno != EEXIST) {
		fprintf(stderr, "tabien-pcscd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof path, "%s/reader.conf.d/vpcd", dir);
	if (!reader) {
		unlink(path);
		return 0;
	}
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "tabien-pcscd: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:0x%04X\n"
		"LIBPATH %s\nCHANNELID 0x%04X\n", port, VPCD_DRIVER_PATH, port);
	return fclose(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'p' },
		{ "no-reader", no_argument, NULL, 'n' },
		{ "debug", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *dir = NULL;
	int port = 35963, reader = 1, debug = 0, c, fd;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char confdir[4096], pid[32];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'n': reader = 0; break;
		case 'g': debug = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!dir || port <= 0 || port > 65534) {
		usage(stderr);
		return 2;
	}
	if (write_conf(dir, port, reader))
		return 1;
	if ((size_t)snprintf(sa.sun_path, sizeof sa.sun_path, "%s/pcscd.comm", dir) >= sizeof sa.sun_path) {
		fprintf(stderr, "tabien-pcscd: %s: path too long for a socket\n", dir);
		return 1;
	}
	unlink(sa.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 64)) {
		fprintf(stderr, "tabien-pcscd: %s: %s\n", sa.sun_path, strerror(errno));
		return 1;
	}
	chmod(sa.sun_path, 0666);
	private_run_dir(dir);
	if (fd != 3) {
		if (dup2(fd, 3) < 0) {
			perror("tabien-pcscd: dup2");
			return 1;
		}
		close(fd);
	}
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("LISTEN_FDS", "1", 1);
	setenv("LISTEN_PID", pid, 1);
	snprintf(confdir, sizeof confdir, "%s/reader.conf.d", dir);
	if (debug)
		execl(PCSCD_PATH, "pcscd", "--foreground", "--config", confdir, "--debug", "--apdu",
		      (char *)NULL);
	else
		execl(PCSCD_PATH, "pcscd", "--foreground", "--config", confdir, (char *)NULL);
	fprintf(stderr, "tabien-pcscd: %s: %s (install the pcscd package)\n", PCSCD_PATH, strerror(errno));
	return 1;
}
