/* The agency's signature on the copy: PAdES, ETSI.CAdES.detached, SHA-256.
 * The rendered PDF is left byte for byte as it is; an incremental update
 * appends the signature dictionary, its field and widget, the catalogue
 * with the form and the first page with the widget, and a cross-reference
 * section for them.  The CMS (OpenSSL 3, detached, CAdES
 * signing-certificate-v2) covers the whole file but the /Contents hex
 * string, and is written into it.
 *
 * The key is a PEM file (copy.key), or held in a token or HSM and used
 * through the agency's signing command (copy.sign_command): then the
 * SignedData is built here with copy.cert, the DER of its signed
 * attributes goes to the command's standard input, and the raw signature
 * it prints (RSA PKCS#1 v1.5 or DER ECDSA, over SHA-256 of that input) is
 * checked against the certificate before it goes into the copy. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "services/base/util.h"
#include "services/copy/copy_private.h"

#define PEM_MAX (256 * 1024)
#define SIG_MAX 4096               /* RSA 16384 is 2048 bytes */
#define SIGN_ARGS 16

struct copy_signer {
	EVP_PKEY *key;             /* NULL: the signing command has it */
	char cmd[256];
	long timeout_s;
	X509 *cert;
	STACK_OF(X509) *chain;
	size_t certs_der;          /* their DER sizes: room for them in /Contents */
	char name[256];
};

/* The key: a plain file of ours, no link, readable by nobody else, read
 * through the descriptor that was checked. */
static int read_key(const char *path, struct copy_buf *b, tb_err *err)
{
	struct stat st;
	char chunk[4096];
	ssize_t got;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return err_set(err, errno == ELOOP ? TB_E_COPY_KEY_MODE : TB_E_COPY_KEY, errno, "copy.key");
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		close(fd);
		return err_set(err, TB_E_COPY_KEY_MODE, 0, "copy.key");
	}
	if (st.st_mode & 077) {
		close(fd);
		return err_set(err, TB_E_COPY_KEY_MODE,
			       (long)((st.st_mode >> 6 & 7) * 100 + (st.st_mode >> 3 & 7) * 10 + (st.st_mode & 7)),
			       "copy.key");
	}
	while ((got = read(fd, chunk, sizeof chunk)) > 0) {
		if (b->n + (size_t)got > PEM_MAX || copy_buf_add(b, chunk, (size_t)got)) {
			explicit_bzero(chunk, sizeof chunk);
			close(fd);
			return err_set(err, TB_E_COPY_KEY, 0, "copy.key");
		}
	}
	explicit_bzero(chunk, sizeof chunk);
	close(fd);
	return got < 0 ? err_set(err, TB_E_COPY_KEY, errno, "copy.key") : 0;
}

/* A passphrase is never asked: a protected key is not one tabien can use. */
static int no_passphrase(char *buf, int size, int rw, void *u)
{
	return -1;
}

static BIO *open_pem(const char *path, const char *field, tb_err *err)
{
	BIO *b = BIO_new_file(path, "r");

	if (!b)
		err_set(err, TB_E_COPY_CERT, 0, field);
	return b;
}

/* "O = กรม..., CN = ..." in UTF-8, on one line with no control bytes. */
static void signer_name(struct copy_signer *s)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n = 0;

	if (b) {
		X509_NAME_print_ex(b, X509_get_subject_name(s->cert), 0,
				   XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
		n = BIO_read(b, s->name, (int)sizeof s->name - 1);
		BIO_free(b);
	}
	s->name[n > 0 ? n : 0] = '\0';
	for (char *c = s->name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
}

int copy_signer_load(const struct copy_doc *d, struct copy_signer **out, tb_err *err)
{
	const char *key = copy_doc_get(d, COPY_KEY), *cert = copy_doc_get(d, COPY_CERT);
	const char *chain = copy_doc_get(d, COPY_CHAIN);
	struct copy_signer *s;
	struct copy_buf kb = { 0 };
	BIO *b = NULL;
	X509 *x;

	const char *cmd = copy_doc_get(d, COPY_SIGN_COMMAND);
	char words[sizeof s->cmd], *argv[SIGN_ARGS + 1];

	*out = NULL;
	if (*key && *cmd)
		return err_set(err, TB_E_COPY_SIGNER_TWICE, 0, "copy.sign_command");
	if (!*key && !*cmd)
		return err_set(err, TB_E_COPY_NO_KEY, 0, "copy.key");
	if (!*cert)
		return err_set(err, TB_E_COPY_NO_KEY, 0, "copy.cert");
	if (!(s = calloc(1, sizeof *s)))
		return err_set(err, TB_E_NOMEM, 0, NULL);
	if (*cmd) {
		long t = atol(copy_doc_get(d, COPY_SIGN_TIMEOUT));

		if (str_split_words(cmd, words, sizeof words, argv, SIGN_ARGS)) {
			err_set(err, TB_E_COPY_SIGNER_MISSING, 0, "copy.sign_command");
			goto fail;
		}
		if (copy_exec_check(argv[0], TB_E_COPY_SIGNER_MISSING, "copy.sign_command", err))
			goto fail;
		memcpy(s->cmd, cmd, strlen(cmd) + 1);
		s->timeout_s = t > 0 && t <= 600 ? t : 60;
	} else {
		if (read_key(key, &kb, err))
			goto fail;
		b = BIO_new_mem_buf(kb.p, (int)kb.n);
		s->key = b ? PEM_read_bio_PrivateKey(b, NULL, no_passphrase, NULL) : NULL;
		BIO_free(b);
		copy_buf_wipe(&kb);
		if (!s->key) {
			err_set(err, TB_E_COPY_KEY, 0, "copy.key");
			goto fail;
		}
	}
	if (!(b = open_pem(cert, "copy.cert", err)))
		goto fail;
	s->cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!s->cert) {
		err_set(err, TB_E_COPY_CERT, 0, "copy.cert");
		goto fail;
	}
	if (s->key && X509_check_private_key(s->cert, s->key) != 1) {
		err_set(err, TB_E_COPY_KEY_MISMATCH, 0, "copy.key");
		goto fail;
	}
	if (X509_cmp_current_time(X509_get0_notAfter(s->cert)) <= 0 ||
	    X509_cmp_current_time(X509_get0_notBefore(s->cert)) >= 0) {
		err_set(err, TB_E_COPY_CERT_EXPIRED, 0, "copy.cert");
		goto fail;
	}
	s->certs_der = (size_t)i2d_X509(s->cert, NULL);
	if (!(s->chain = sk_X509_new_null())) {
		err_set(err, TB_E_NOMEM, 0, NULL);
		goto fail;
	}
	if (*chain) {
		if (!(b = open_pem(chain, "copy.chain", err)))
			goto fail;
		while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
			s->certs_der += (size_t)i2d_X509(x, NULL);
			if (sk_X509_num(s->chain) >= 8 || !sk_X509_push(s->chain, x)) {
				X509_free(x);
				BIO_free(b);
				err_set(err, TB_E_COPY_CERT, 0, "copy.chain");
				goto fail;
			}
		}
		BIO_free(b);
		ERR_clear_error();   /* the end of the file */
		if (!sk_X509_num(s->chain)) {
			err_set(err, TB_E_COPY_CERT, 0, "copy.chain");
			goto fail;
		}
	}
	signer_name(s);
	*out = s;
	return 0;
fail:
	copy_buf_wipe(&kb);
	copy_signer_free(&s);
	return -1;
}

void copy_signer_free(struct copy_signer **sp)
{
	struct copy_signer *s = sp ? *sp : NULL;

	if (!s)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	free(s);
	*sp = NULL;
}

const char *copy_signer_name(const struct copy_signer *s)
{
	return s->name;
}

/* --- the PDF's own structure (written by cairo, so a classic xref) ------------------------- */

static const char *find_last(const struct copy_buf *b, const char *what)
{
	size_t n = strlen(what);

	for (size_t i = b->n >= n ? b->n - n + 1 : 0; i-- > 0;)
		if (memcmp(b->p + i, what, n) == 0)
			return (const char *)b->p + i;
	return NULL;
}

/* The number after key within [from, end), or -1. */
static long number_after(const char *from, const char *end, const char *key)
{
	size_t n = strlen(key);

	for (const char *s = from; s + n < end; s++)
		if (memcmp(s, key, n) == 0) {
			char *e;
			long v;

			s += n;
			while (s < end && (*s == ' ' || *s == '[' || *s == '\n'))
				s++;
			if (s >= end || *s < '0' || *s > '9')
				return -1;
			v = strtol(s, &e, 10);
			return e <= end ? v : -1;
		}
	return -1;
}

/* Object num's dictionary: its text between the first "<<" and the
 * matching last ">>" before endobj. */
static int object_dict(const struct copy_buf *b, long num, const char **start, size_t *len)
{
	char head[32];
	const char *end = (const char *)b->p + b->n, *o = NULL, *e;
	size_t hn = (size_t)snprintf(head, sizeof head, "\n%ld 0 obj", num);

	for (const char *s = (const char *)b->p; s + hn < end; s++)
		if (memcmp(s, head, hn) == 0)
			o = s + hn;     /* the last definition wins */
	if (!o)
		return -1;
	for (e = o; e + 6 <= end && memcmp(e, "endobj", 6); e++)
		;
	if (e + 6 > end)
		return -1;
	while (o < e && !(o[0] == '<' && o[1] == '<'))
		o++;
	while (e > o && !(e[-2] == '>' && e[-1] == '>'))
		e--;
	if (e - o < 4)
		return -1;
	*start = o + 2;
	*len = (size_t)(e - 2 - (o + 2));
	return 0;
}

static int addf(struct copy_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int addf(struct copy_buf *b, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= sizeof buf ? -1 : copy_buf_add(b, buf, (size_t)n);
}

static int cms_der(struct copy_signer *s, const struct copy_buf *b, size_t a, size_t z,
		   unsigned char **der, int *len)
{
	unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
	BIO *in = BIO_new(BIO_s_mem());
	CMS_ContentInfo *cms = NULL;
	int rc = -1;

	if (!in || BIO_write(in, b->p, (int)a) != (int)a ||
	    BIO_write(in, b->p + z, (int)(b->n - z)) != (int)(b->n - z))
		goto out;
	cms = CMS_sign(NULL, NULL, s->chain, NULL, flags);
	if (!cms || !CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(), flags | CMS_CADES) ||
	    CMS_final(cms, in, NULL, flags) != 1)
		goto out;
	*der = NULL;
	*len = i2d_CMS_ContentInfo(cms, der);
	rc = *len > 0 ? 0 : -1;
out:
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return rc;
}

/* SHA-256 of the file but the /Contents hex string. */
static int ranges_digest(const struct copy_buf *b, size_t a, size_t z, unsigned char md[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned n = 0;
	int ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) && EVP_DigestUpdate(c, b->p, a) &&
		 EVP_DigestUpdate(c, b->p + z, b->n - z) && EVP_DigestFinal_ex(c, md, &n) && n == 32;

	EVP_MD_CTX_free(c);
	return ok ? 0 : -1;
}

/* The signing command: the DER of the signed attributes in, the raw
 * signature out, judged by the certificate's own public key. */
static int command_sign(struct copy_signer *s, const unsigned char *attrs, int alen, struct copy_buf *sig,
			tb_err *err)
{
	char words[sizeof s->cmd], *argv[SIGN_ARGS + 1];
	EVP_MD_CTX *v;
	int st = 0, ok;

	if (str_split_words(s->cmd, words, sizeof words, argv, SIGN_ARGS))
		return err_set(err, TB_E_COPY_SIGNER_MISSING, 0, "copy.sign_command");
	switch (copy_exec(argv, attrs, (size_t)alen, sig, SIG_MAX, s->timeout_s * 1000, &st, err)) {
	case COPY_EXEC_EXITED:
		if (st)
			return err_set(err, TB_E_COPY_SIGNER_FAILED, st, "copy.sign_command");
		if (!sig->n)
			return err_set(err, TB_E_COPY_SIGNER_FAILED, 0, "copy.sign_command");
		break;
	case COPY_EXEC_TIMEOUT:
		return err_set(err, TB_E_COPY_SIGNER_TIMEOUT, s->timeout_s, "copy.sign_command");
	case COPY_EXEC_TOO_MUCH:
		return err_set(err, TB_E_COPY_SIGNER_FAILED, SIG_MAX, "copy.sign_command");
	case COPY_EXEC_STOPPED:
		return err_set(err, TB_E_COPY_CANCELLED, 0, "copy.sign_command");
	default:
		return -1;
	}
	v = EVP_MD_CTX_new();
	ok = v && EVP_DigestVerifyInit(v, NULL, EVP_sha256(), NULL, X509_get0_pubkey(s->cert)) == 1 &&
	     EVP_DigestVerify(v, sig->p, sig->n, attrs, (size_t)alen) == 1;
	EVP_MD_CTX_free(v);
	ERR_clear_error();
	return ok ? 0 : err_set(err, TB_E_COPY_SIGNATURE_BAD, 0, "copy.cert");
}

/* The SignedData as OpenSSL makes it with a key (content type, signing
 * time, message digest and signing-certificate-v2 signed), signed by the
 * command. */
static int cms_der_command(struct copy_signer *s, const struct copy_buf *b, size_t a, size_t z,
			   unsigned char **der, int *len, tb_err *err)
{
	unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
	CMS_ContentInfo *cms = NULL;
	CMS_SignerInfo *si;
	STACK_OF(X509_ATTRIBUTE) *set = NULL;
	ASN1_TIME *now = NULL;
	unsigned char md[32], *attrs = NULL;
	struct copy_buf sig = { 0 };
	int alen = -1, rc = -1;

	if (ranges_digest(b, a, z, md) || !(cms = CMS_sign(NULL, NULL, s->chain, NULL, flags)) ||
	    /* The certificate's public key stands for the key: nothing is
	     * signed here (CMS_PARTIAL), the algorithms are set from it. */
	    !(si = CMS_add1_signer(cms, s->cert, X509_get0_pubkey(s->cert), EVP_sha256(), flags | CMS_CADES)) ||
	    !(now = X509_gmtime_adj(NULL, 0)) ||
	    !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT, OBJ_nid2obj(NID_pkcs7_data), -1) ||
	    !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, now->type, now, -1) ||
	    !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, md, sizeof md) ||
	    !(set = sk_X509_ATTRIBUTE_new_null()))
		goto bad;
	for (int i = 0; i < CMS_signed_get_attr_count(si); i++)
		if (!sk_X509_ATTRIBUTE_push(set, CMS_signed_get_attr(si, i)))
			goto bad;
	/* The SET OF in DER order, as a verifier encodes it again. */
	alen = ASN1_item_i2d((ASN1_VALUE *)set, &attrs, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
	if (alen <= 0)
		goto bad;
	if (command_sign(s, attrs, alen, &sig, err))
		goto out;
	if (!ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig.p, (int)sig.n))
		goto bad;
	*der = NULL;
	*len = i2d_CMS_ContentInfo(cms, der);
	if (*len > 0) {
		rc = 0;
		goto out;
	}
bad:
	err_set(err, TB_E_COPY_SIGN, 0, "cms");
out:
	ERR_clear_error();
	copy_buf_wipe(&sig);
	OPENSSL_free(attrs);
	sk_X509_ATTRIBUTE_free(set);     /* the attributes are the signer's */
	ASN1_TIME_free(now);
	CMS_ContentInfo_free(cms);
	return rc;
}

int copy_sign(struct copy_signer *s, struct copy_buf *b, tb_err *err)
{
	const char *tr = find_last(b, "trailer"), *sx = find_last(b, "startxref"), *end;
	const char *cat, *pg;
	size_t catn, pgn, room = 8192 + s->certs_der, at_sig, at_wid, at_cat, at_pg;
	size_t at_xref, br_at, lt, gt;
	long size, root, info, prev, pages, page;
	unsigned char *der = NULL;
	int der_len = 0;
	char stamp[32], br[64];
	time_t now = time(NULL);
	struct tm tm;

	end = (const char *)b->p + b->n;
	if (!tr || !sx)
		return err_set(err, TB_E_COPY_SIGN, 0, "pdf trailer");
	size = number_after(tr, end, "/Size");
	root = number_after(tr, end, "/Root");
	info = number_after(tr, end, "/Info");
	prev = number_after(sx, end, "startxref");
	if (size < 1 || root < 1 || prev < 1 || object_dict(b, root, &cat, &catn))
		return err_set(err, TB_E_COPY_SIGN, 0, "pdf catalog");
	pages = number_after(cat, cat + catn, "/Pages");
	if (pages < 1 || object_dict(b, pages, &pg, &pgn) ||
	    (page = number_after(pg, pg + pgn, "/Kids")) < 1 || object_dict(b, page, &pg, &pgn))
		return err_set(err, TB_E_COPY_SIGN, 0, "pdf page");
	/* cairo writes no form and, without links, no annotations. */
	if (memmem(cat, catn, "/AcroForm", 9) || memmem(pg, pgn, "/Annots", 7))
		return err_set(err, TB_E_COPY_SIGN, 0, "pdf page");
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "D:%Y%m%d%H%M%SZ", &tm);

	/* The dictionaries are copied out before the buffer grows. */
	{
		char *catc = strndup(cat, catn), *pgc = strndup(pg, pgn);
		int bad = !catc || !pgc;

		at_sig = b->n + 1;
		bad = bad || addf(b, "\n%ld 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite "
				  "/SubFilter /ETSI.CAdES.detached /M (%s) /ByteRange ", size, stamp);
		br_at = b->n;
		bad = bad || addf(b, "%-44s", "[0 0 0 0]") || addf(b, " /Contents <");
		lt = b->n - 1;
		for (size_t i = 0; !bad && i < room; i++)
			bad = copy_buf_add(b, "00", 2);
		gt = b->n + 1;
		bad = bad || addf(b, "> >>\nendobj\n");
		at_wid = b->n;
		bad = bad || addf(b, "%ld 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) "
				  "/V %ld 0 R /F 132 /Rect [0 0 0 0] /P %ld 0 R >>\nendobj\n",
				  size + 1, size, page);
		at_cat = b->n;
		bad = bad || addf(b, "%ld 0 obj\n<<", root) || copy_buf_add(b, catc, catn) ||
		      addf(b, " /AcroForm << /Fields [%ld 0 R] /SigFlags 3 >> >>\nendobj\n", size + 1);
		at_pg = b->n;
		bad = bad || addf(b, "%ld 0 obj\n<<", page) || copy_buf_add(b, pgc, pgn) ||
		      addf(b, " /Annots [%ld 0 R] >>\nendobj\n", size + 1);
		free(catc);
		free(pgc);
		at_xref = b->n;
		bad = bad || addf(b, "xref\n%ld 2\n%010zu 00000 n \n%010zu 00000 n \n", size, at_sig, at_wid) ||
		      addf(b, "%ld 1\n%010zu 00000 n \n%ld 1\n%010zu 00000 n \n", root, at_cat, page, at_pg) ||
		      addf(b, "trailer\n<< /Size %ld /Root %ld 0 R", size + 2, root) ||
		      (info > 0 && addf(b, " /Info %ld 0 R", info)) ||
		      addf(b, " /Prev %ld >>\nstartxref\n%zu\n%%%%EOF\n", prev, at_xref);
		if (bad)
			return err_set(err, TB_E_NOMEM, 0, NULL);
	}
	snprintf(br, sizeof br, "[0 %zu %zu %zu]", lt, gt, b->n - gt);
	memcpy(b->p + br_at, br, strlen(br));
	if (!s->key) {
		if (cms_der_command(s, b, lt, gt, &der, &der_len, err))
			return -1;
	} else if (cms_der(s, b, lt, gt, &der, &der_len)) {
		ERR_clear_error();
		return err_set(err, TB_E_COPY_SIGN, 0, "cms");
	}
	if ((size_t)der_len > room) {
		OPENSSL_free(der);
		return err_set(err, TB_E_COPY_SIGN, der_len, "cms size");
	}
	for (int i = 0; i < der_len; i++) {
		static const char hex[] = "0123456789ABCDEF";

		b->p[lt + 1 + 2 * (size_t)i] = (unsigned char)hex[der[i] >> 4];
		b->p[lt + 2 + 2 * (size_t)i] = (unsigned char)hex[der[i] & 15];
	}
	OPENSSL_free(der);
	return 0;
}
