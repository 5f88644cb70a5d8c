/* What the `tabien copy ...` commands share (cmd_copy.c): the purpose, the
 * settings tabien-copy needs and where the copy goes, the page's header,
 * the copy handed over with its audit row, the result printed.  The card's
 * copy is in cmd_copy.c; the registry's and DBD's in cmd_copy_query.c. */
#ifndef TABIEN_CMD_COPY_H
#define TABIEN_CMD_COPY_H

#include <stddef.h>
#include <time.h>

#include "services/accounts/settings.h"
#include "services/accounts/users.h"
#include "services/base/errors.h"
#include "services/copy/copy_doc.h"

struct db;
struct card_record;
struct copy_result;

struct linkage_result;
struct juristic_result;

/* The card's sections: its text, its photo. */
enum { CARD_SECTION_TEXT = 1, CARD_SECTION_PHOTO = 2 };
/* The registry's (--sections record,addresses,household,names). */
enum { REG_SECTION_RECORD = 1, REG_SECTION_ADDRESSES = 2, REG_SECTION_HOUSEHOLD = 4, REG_SECTION_NAMES = 8 };
/* DBD's (--sections certificate,directors,signing,shareholders). */
enum { JUR_SECTION_CERTIFICATE = 1, JUR_SECTION_DIRECTORS = 2, JUR_SECTION_SIGNING = 4,
       JUR_SECTION_SHAREHOLDERS = 8 };

#define COPY_REF_BYTES 24

/* A fresh audit reference: 16 hex digits. */
void cmd_copy_ref(char ref[COPY_REF_BYTES]);
/* purpose as given, else asked (refused empty, and with batch unasked:
 * a copy's purpose is printed across it). */
int cmd_copy_purpose(char *purpose, size_t size, int batch, tb_err *err);
/* copy.key, copy.cert, copy.chain, copy.command from the config file and
 * where the copy goes: out, the document system, or the copies folder (made
 * 0700 when it is the default one).  Refused without a key, unless the
 * branch allows unsigned copies (read from db, or else the database at
 * db_path; NULL: the default one): the copy is then marked UNSIGNED. */
int cmd_copy_settings(struct copy_doc *d, const char *out, const char *ref, struct db *db, const char *db_path,
		      tb_err *err);
/* Now, as Thai staff write it: "4 ธ.ค. 2568 16:59:02". */
void cmd_copy_when(time_t t, char *out, size_t size);
/* The page's header: the purpose, agency, branch, officer, time, reference. */
int cmd_copy_header(struct copy_doc *d, struct db *db, const struct user *who, const char *purpose,
		    const char *ref, tb_err *err);
/* The copy made and delivered, its audit row (copy.make: the reference,
 * the SHA-256, OK or why it was not delivered) written, the result printed
 * (as JSON with json).  A copy the trail does not know of is removed. */
int cmd_copy_deliver(struct copy_doc *d, struct db *db, const struct user *who, const char *subject,
		     const char *purpose, const char *ref, int json, tb_err *err);

/* The card's page: its text and its photo as sections picks, with its
 * source (the chip, read at read_at). */
int cmd_copy_card_doc(struct copy_doc *d, const struct card_record *r, int sections, time_t read_at,
		      tb_err *err);
/* The copy's audit row (copy.make): the reference, the SHA-256, and OK or
 * why it was not delivered (failed). */
int cmd_copy_audit(struct db *db, const struct user *who, const char *subject, const char *purpose,
		   const char *ref, const struct copy_result *res, const tb_err *failed, tb_err *err);

/* The Linkage services a mask of registry sections asks, in the copy's
 * order (at most LINKAGE_FETCH_MAX); how many. */
int cmd_copy_services(int sections, int *services);
/* The registry's page title, then one service's answer as a section with
 * its source (Linkage Center service 00023/NNN, fetched when). */
int cmd_copy_registry_title(struct copy_doc *d, tb_err *err);
int cmd_copy_registry_section(struct copy_doc *d, const struct linkage_result *r, const char *when,
			      tb_err *err);

/* A company's page: the sections picked of r, each with DBD as its source
 * and when it was fetched (a saved copy said so); one r lacks refuses. */
int cmd_copy_juristic_pages(struct copy_doc *d, const struct juristic_result *r, int sections, tb_err *err);

/* A comma-separated list of section names (names[i] is bit i) to a mask;
 * -1 when one is unknown (said on standard error). */
int cmd_copy_sections(const char *list, const char *const *names, size_t n);

/* tabien copy person|household|names|juristic (cmd_copy_query.c); argv[0]
 * is the subcommand.  -1 for an unknown one. */
int cmd_copy_query(int argc, char **argv);

#endif
