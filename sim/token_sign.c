/* tabien-token-sign: a stand-in for the agency's signing command
 * (copy.sign_command) in front of a key held in a token or HSM, with the key
 * in a PEM file instead.  The contract tabien-copy keeps with the real one:
 * the DER of the signed attributes on standard input, the raw signature
 * over SHA-256 of it on standard output (RSA PKCS#1 v1.5, or DER ECDSA),
 * exit 0.  As `openssl dgst -sha256 -sign KEY` does.
 *
 *   tabien-token-sign --key FILE [--odd exit1|hang|garbage|huge]
 *                     [--started FILE] [--wait-for FILE]
 *
 * --odd: fail (exit 1), never answer, answer bytes that are no signature,
 * or answer far more than a signature.  --started writes the process's id
 * to FILE once the input is read; --wait-for then holds the signature back
 * until FILE exists, so a test can act while a copy is being signed. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#define IN_MAX (64 * 1024)

static int write_all(const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int usage(void)
{
	fputs("usage: tabien-token-sign --key FILE [--odd exit1|hang|garbage|huge] [--started FILE] "
	      "[--wait-for FILE] < signed attributes\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const char *key = NULL, *odd = "", *started = NULL, *wait_for = NULL;
	static unsigned char in[IN_MAX], sig[4096];
	size_t n = 0, siglen = sizeof sig;
	ssize_t got;
	EVP_PKEY *pk;
	EVP_MD_CTX *c;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "--key") == 0)
			key = argv[++i];
		else if (strcmp(argv[i], "--odd") == 0)
			odd = argv[++i];
		else if (strcmp(argv[i], "--started") == 0)
			started = argv[++i];
		else if (strcmp(argv[i], "--wait-for") == 0)
			wait_for = argv[++i];
		else
			return usage();
	}
	if (!key)
		return usage();
	while ((got = read(STDIN_FILENO, in + n, sizeof in - n)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || (n += (size_t)got) == sizeof in) {
			fputs("tabien-token-sign: input unreadable or too long\n", stderr);
			return 1;
		}
	}
	if (started && (f = fopen(started, "w"))) {
		fprintf(f, "%ld\n", (long)getpid());
		fclose(f);
	}
	while (wait_for && access(wait_for, F_OK)) {
		struct timespec t = { 0, 10 * 1000 * 1000 };

		nanosleep(&t, NULL);
	}
	if (strcmp(odd, "exit1") == 0) {
		fputs("tabien-token-sign: the token is not there\n", stderr);
		return 1;
	}
	if (strcmp(odd, "hang") == 0)
		for (;;)
			pause();
	if (strcmp(odd, "garbage") == 0)
		return RAND_bytes(sig, 256) == 1 && write_all(sig, 256) == 0 ? 0 : 1;
	if (strcmp(odd, "huge") == 0) {
		memset(in, 'x', sizeof in);
		for (int i = 0; i < 16; i++)
			if (write_all(in, sizeof in))
				return 1;
		return 0;
	}
	if (*odd)
		return usage();
	if (!(f = fopen(key, "r")) || !(pk = PEM_read_PrivateKey(f, NULL, NULL, NULL))) {
		fprintf(stderr, "tabien-token-sign: no key in %s\n", key);
		return 1;
	}
	fclose(f);
	c = EVP_MD_CTX_new();
	if (!c || EVP_DigestSignInit(c, NULL, EVP_sha256(), NULL, pk) != 1 ||
	    EVP_DigestSign(c, sig, &siglen, in, n) != 1 || write_all(sig, siglen)) {
		fputs("tabien-token-sign: could not sign\n", stderr);
		return 1;
	}
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(pk);
	return 0;
}
