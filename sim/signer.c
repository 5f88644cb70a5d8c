/* tabien-signer: a stand-in for the agency's card signer, for the gateway
 * simulator's Linkage Center 2 login.  Reads the proxy's random and the
 * officer's PIN, one a line, from standard input and prints the envelope:
 * HMAC-SHA256 of the random under SHA-256("tabien-sim-envelope" + PIN), in
 * hex.  The simulator computes the same from the PIN it expects, so a wrong
 * PIN gives an envelope it refuses (90090).  The real signer talks to the
 * officer's card; its envelope is not public. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#define LINE_MAX_BYTES 1024

/* One line, byte by byte: no stdio buffer keeps the PIN. */
static int read_line(char *buf, size_t size)
{
	size_t n = 0;
	char c;

	for (;;) {
		ssize_t r = read(STDIN_FILENO, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return n ? 0 : -1;
		if (c == '\n')
			break;
		if (n + 1 >= size)
			return -1;
		buf[n++] = c;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return n ? 0 : -1;
}

int main(int argc, char **argv)
{
	char random[LINE_MAX_BYTES], pin[64], hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
	unsigned char key[crypto_hash_sha256_BYTES], mac[crypto_auth_hmacsha256_BYTES];
	crypto_hash_sha256_state st;

	(void)argv;
	if (argc != 1) {
		fputs("usage: tabien-signer < (random and PIN, one a line)\n", stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	if (read_line(random, sizeof random) || read_line(pin, sizeof pin)) {
		sodium_memzero(pin, sizeof pin);
		fputs("tabien-signer: expected the random and the PIN, one a line\n", stderr);
		return 2;
	}
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)"tabien-sim-envelope", 19);
	crypto_hash_sha256_update(&st, (const unsigned char *)pin, strlen(pin));
	crypto_hash_sha256_final(&st, key);
	sodium_memzero(pin, sizeof pin);
	crypto_auth_hmacsha256(mac, (const unsigned char *)random, strlen(random), key);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	sodium_memzero(key, sizeof key);
	printf("%s\n", hex);
	return fflush(stdout) == 0 ? 0 : 1;
}
