/* Test harness: a private pcscd with one vpcd reader, and the virtual card
 * inserted and pulled as a separate process.  Used by the integration tests
 * and the benchmarks; everything is real (libpcsclite -> pcscd -> vpcd ->
 * tabien-vcard). */
#ifndef TABIEN_HARNESS_H
#define TABIEN_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct harness {
	char dir[256];    /* private temporary directory */
	char sock[300];   /* pcscd socket clients use */
	int port;         /* vpcd port */
	pid_t pcscd;
	pid_t vcard;
};

/* Makes the directory, picks a free port and points this process's PC/SC
 * client at the private socket.  pcscd is not started yet, so a test can see
 * "pcscd not running" first.  libpcsclite reads PCSCLITE_CSOCK_NAME once per
 * process, which is why the socket path never changes afterwards. */
int harness_init(struct harness *h);
/* Starts pcscd (with the vpcd reader, or with none) and waits until it
 * answers.  */
int harness_pcscd_start(struct harness *h, bool with_reader);
void harness_pcscd_stop(struct harness *h);
/* Inserts the virtual card: fixture is a name in sim/fixtures ("somchai");
 * args are extra tabien-vcard options (NULL-terminated, may be NULL).  Waits
 * until the reader reports the card present unless wait_present is false. */
int harness_insert(struct harness *h, const char *fixture, const char *const *args,
		   bool wait_present);
/* Pulls the card and waits until the reader shows it empty. */
int harness_remove(struct harness *h);
/* Waits for the virtual card to go by itself (--pull-after). */
int harness_wait_card_gone(struct harness *h);
void harness_fini(struct harness *h);

/* Starts sim/tabien-gateway on an ephemeral port with the extra switches
 * in args (NULL-terminated, may be NULL), its port file in dir; returns its
 * pid and the port, or -1.  Stop it with kill + waitpid. */
pid_t harness_gateway_start(const char *dir, const char *const *args, int *port);
/* Writes DIR/tabien/tabien.conf (mode 0600) pointing the GDX settings at
 * the simulator on port; 0 or -1. */
int harness_gateway_config(const char *config_dir, int port);

/* For the benchmarks: a monotonic clock in milliseconds, and the median of
 * n (at most HARNESS_MAX_SAMPLES) samples, which are left as they are. */
#define HARNESS_MAX_SAMPLES 64
/* After a figure over its target: a note for whoever reads the figures (a
 * newcomer running tools/check among them), never a failure. */
#define HARNESS_OVER "   (over the target: a figure to look into, not a failed test)"
double harness_now_ms(void);
double harness_median(const double *v, int n);

/* Paths into the source and build trees. */
const char *harness_srcdir(void);
const char *harness_builddir(void);
/* Reads sim/fixtures/NAME.card's value for key into out; 0 or -1. */
int harness_fixture_value(const char *name, const char *key, char *out, size_t size);
/* Loads the fixture's photo file; caller frees.  NULL on error. */
unsigned char *harness_fixture_photo(const char *name, size_t *len);

#endif
