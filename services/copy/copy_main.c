/* tabien-copy: makes one signed digital copy.  tabien runs it at the
 * first copy, so cairo, pango and OpenSSL's CMS never weigh on the
 * full-screen program's start-up or memory.  Input: the copy in the
 * serialised form of copy_doc.h on standard input.  Output: one reply on
 * standard output,
 *     OK <sha256> <bytes>\n<signer>\n<path, or - when handed on>\n
 *     ERR <code> <detail> <sha256, or -> <field>\n
 * The signed file goes to its path through privfile (0600, a temporary in
 * the same folder renamed into place, never partial), or on standard input
 * to the document system's command (copy.command), and is kept nowhere
 * else.  SIGTERM (tabien: the copy's data was wiped) stops it: the command
 * it runs is killed and nothing is written or handed on after that
 * (ERR COPY-CANCELLED). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <openssl/evp.h>
#include <pango/pangocairo.h>

#include "services/base/privfile.h"
#include "services/copy/copy_private.h"

#if defined(__SANITIZE_ADDRESS__)
#define COPY_ASAN 1
#else
#define COPY_ASAN 0
#endif

static int read_input(struct copy_buf *in, tb_err *err)
{
	unsigned char chunk[16384];
	ssize_t got;

	while ((got = read(STDIN_FILENO, chunk, sizeof chunk)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return err_set(err, TB_E_SYSTEM, errno, "read");
		if (in->n + (size_t)got > COPY_DOC_MAX || copy_buf_add(in, chunk, (size_t)got)) {
			explicit_bzero(chunk, sizeof chunk);
			return err_set(err, TB_E_USAGE, (long)in->n, "copy form");
		}
	}
	explicit_bzero(chunk, sizeof chunk);
	return 0;
}

/* The document system: the file on its standard input, its standard output
 * thrown away (it is not ours to read), a deadline on the whole exchange. */
static int hand_on(const char *cmd, long timeout_s, const struct copy_buf *pdf, tb_err *err)
{
	char *argv[] = { (char *)cmd, NULL };
	int st = 0;

	if (access(cmd, X_OK))
		return err_set(err, TB_E_COPY_COMMAND, errno, "copy.command");
	switch (copy_exec(argv, pdf->p, pdf->n, NULL, 0, timeout_s * 1000, &st, err)) {
	case COPY_EXEC_EXITED:
		return st ? err_set(err, TB_E_COPY_COMMAND, st, "copy.command") : 0;
	case COPY_EXEC_STOPPED:
		return err_set(err, TB_E_COPY_CANCELLED, 0, "copy.command");
	case COPY_EXEC_ERROR:
		return -1;
	default:
		return err_set(err, TB_E_COPY_COMMAND_TIMEOUT, timeout_s, "copy.command");
	}
}

static int deliver(const struct copy_doc *d, const struct copy_buf *pdf, tb_err *err)
{
	const char *cmd = copy_doc_get(d, COPY_COMMAND), *out = copy_doc_get(d, COPY_OUT);
	long timeout = atol(copy_doc_get(d, COPY_TIMEOUT));

	/* Stopped by tabien (the data wiped): nothing goes out. */
	if (copy_stop)
		return err_set(err, TB_E_COPY_CANCELLED, 0, NULL);
	if (*cmd)
		return hand_on(cmd, timeout > 0 && timeout <= 3600 ? timeout : 30, pdf, err);
	if (!*out)
		return err_set(err, TB_E_COPY_FOLDER, ENOENT, "copy.dir");
	if (privfile_write(out, pdf->p, pdf->n, err)) {
		/* A missing, read-only or full folder is the copies folder's
		 * fault, said so; a link or a stranger's file keeps its own. */
		if (err->id == TB_E_FILE || err->id == TB_E_SYSTEM)
			err_set(err, TB_E_COPY_FOLDER, err->detail, "copy.dir");
		return -1;
	}
	return 0;
}

/* fontconfig and pango keep their caches for the process's life; let go
 * of them so that a leak of ours still shows. */
static void let_go(void)
{
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}

int main(void)
{
	struct copy_buf in = { 0 }, pdf = { 0 };
	struct copy_doc *d = NULL;
	struct copy_signer *s = NULL;
	unsigned char md[32];
	char hex[65];
	unsigned mdlen = 0;
	tb_err err = { 0 };
	struct rlimit none = { 0, 0 };
	int unsigned_copy;

	setrlimit(RLIMIT_CORE, &none);
	if (!COPY_ASAN)
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	copy_exec_init();
	if (read_input(&in, &err) || copy_doc_decode(in.p, in.n, &d, &err))
		goto fail;
	copy_buf_wipe(&in);
	/* The key and certificate first: a bad one leaves nothing behind.
	 * Unsigned only when tabien says the branch allows it and there is
	 * no key (every page says so). */
	unsigned_copy = strcmp(copy_doc_get(d, COPY_UNSIGNED), "1") == 0;
	if ((!unsigned_copy && copy_signer_load(d, &s, &err)) || copy_pdf_render(d, &pdf, &err) ||
	    (!unsigned_copy && copy_sign(s, &pdf, &err)))
		goto fail;
	if (!EVP_Digest(pdf.p, pdf.n, md, &mdlen, EVP_sha256(), NULL) || mdlen != sizeof md) {
		err_set(&err, TB_E_COPY_SIGN, 0, "sha256");
		goto fail;
	}
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	if (deliver(d, &pdf, &err)) {
		/* The hash still goes back: the audit row names what was not delivered. */
		printf("ERR %s %ld %s %s\n", err_code(err.id), err.detail, hex, err.field ? err.field : "-");
		goto out;
	}
	printf("OK %s %zu\n%s\n%s\n", hex, pdf.n, unsigned_copy ? "UNSIGNED / ไม่ได้ลงนาม" : copy_signer_name(s),
	       *copy_doc_get(d, COPY_COMMAND) ? "-" : copy_doc_get(d, COPY_OUT));
	copy_signer_free(&s);
	copy_doc_free(&d);
	copy_buf_wipe(&pdf);
	let_go();
	return fflush(stdout) ? 1 : 0;
fail:
	printf("ERR %s %ld - %s\n", err_code(err.id), err.detail, err.field ? err.field : "-");
out:
	copy_signer_free(&s);
	copy_doc_free(&d);
	copy_buf_wipe(&in);
	copy_buf_wipe(&pdf);
	let_go();
	fflush(stdout);
	return 1;
}
