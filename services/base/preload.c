#include "config.h"

#include "services/base/preload.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

static pthread_t worker;
static bool running;
static void (*armed)(void);

static void *preload_run(void *arg)
{
	void (*fn)(void) = *(void (**)(void))arg;

	fn();
	return NULL;
}

void preload_arm(void (*fn)(void))
{
	if (!running)
		armed = fn;
}

void preload_kick(void)
{
	static void (*fn)(void);
	sigset_t all, old;

	static bool at_fork;

	if (running || !armed)
		return;
	/* Every fork of the process, ours or a library's, waits for the
	 * thread first: one place, not one call beside each fork(). */
	if (!at_fork)
		at_fork = pthread_atfork(preload_wait, NULL, NULL) == 0;
	if (!at_fork)
		return;
	fn = armed;
	armed = NULL;
	/* Signals stay the main thread's (Ctrl-C, SIGCHLD). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	running = pthread_create(&worker, NULL, preload_run, &fn) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void preload_wait(void)
{
	if (running) {
		pthread_join(worker, NULL);
		running = false;
	}
}
