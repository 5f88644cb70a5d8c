/* Slow start-up work (loading libcurl and its TLS libraries: some 20 ms on
 * an idle machine, 40 and more on a busy one) run on a thread of its own
 * while the main thread only waits: the password check's child process
 * hashes for 100 ms and more.
 * A thread and fork() must not meet (a child forked while the thread holds
 * the allocator's lock can hang for good), so the work is armed first and
 * started just after a fork (preload_kick), and every fork waits for it
 * (preload_wait, run by pthread_atfork before each fork once work has been
 * started).  Called from the main thread only. */
#ifndef TABIEN_PRELOAD_H
#define TABIEN_PRELOAD_H

/* fn starts at the next preload_kick; the caller's first use of what it
 * makes must still do the work itself when it never ran (once-guarded). */
void preload_arm(void (*fn)(void));
/* Starts the armed work on a thread (signals blocked there), if any. */
void preload_kick(void);
/* Waits for the work started, if any (work armed and not started stays
 * armed): before each fork (through pthread_atfork), and before the command
 * ends. */
void preload_wait(void);

#endif
