/* Seals of the audit trail's head, so that whoever can write the database
 * still cannot rewrite what was sealed unseen.
 *
 * Each terminal has a key file beside the database (DB.seal: 0600, ours,
 * never a link, replaced whole by privfile).  It holds the signing seed of
 * the current epoch only.  A seal is the head (sequence number and hash)
 * signed with Ed25519 by that epoch's key, together with the public key of
 * the next epoch; the next epoch's seed is new random bytes and the old one
 * is gone once the key file is replaced.  So the seals form a chain of
 * signatures back to the epoch-0 public key, the verification key that
 * `tabien audit seal-init` shows once for the agency to keep off the
 * machine: someone who takes the machine holds only the current epoch's
 * seed and cannot make any earlier seal again.  Every seal also goes to the
 * system log, a copy outside the database.  The key file keeps the last
 * seal too, so one lost between the key file and the database is stored at
 * the next seal and seals deleted from the database show against the key
 * file's epoch. */
#ifndef TABIEN_AUDIT_SEAL_H
#define TABIEN_AUDIT_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "services/base/errors.h"
#include "storage/db.h"

#define AUDIT_SEAL_EVERY 64          /* rows between seals; log-out seals too */
#define AUDIT_SEAL_KEY_PREFIX "tbseal1-"
#define AUDIT_SEAL_KEY_TEXT (sizeof AUDIT_SEAL_KEY_PREFIX - 1 + 64 + 1)
#define AUDIT_SEAL_ID_HEX 16

/* The key file of a database: its path with ".seal" after it; for a
 * database on a server, server.seal in this account's data folder
 * ($XDG_DATA_HOME/tabien, else ~/.local/share/tabien). */
void audit_seal_path(const struct db *d, char *out, size_t size);

/* Makes the key file (refused with TB_E_AUDIT_SEAL_EXISTS when there is
 * one), seals the head as epoch 0 and gives the verification key. */
int audit_seal_init(struct db *d, char vkey[AUDIT_SEAL_KEY_TEXT], tb_err *err);

/* Seals this terminal's chain's head (while it has no row, the chain of
 * before step 8) when AUDIT_SEAL_EVERY rows have come since the last seal,
 * or when `force` and any row has.  1 sealed, 0 nothing to do (or no key
 * file: sealing not set up), -1 on error.  Not inside a transaction of the
 * caller's: a seal must never cover rows a rollback takes away. */
int audit_seal(struct db *d, int force, tb_err *err);

struct audit_seal_check {
	int64_t seals;             /* seals checked (with a key) or stored */
	int64_t sealed_seq;        /* the newest row a seal covers */
	int64_t unsealed;          /* rows after it: a warning, not a failure */
	int64_t key_epoch;         /* the key file's epoch; -1 when it is not here */
	int64_t other;             /* seals of other keys (other terminals), not checked */
	int64_t bad_epoch;         /* the seal that failed, or the first one missing */
	int64_t bad_from, bad_to;  /* the rows a failed seal no longer matches */
	char key_id[AUDIT_SEAL_ID_HEX + 1];
};

/* Checks the seals against the stored rows' hashes (call after audit_verify
 * found the chain itself intact).  With vkey: every seal of that key in
 * order from epoch 0, each signature by the key of its own epoch, epochs
 * without gaps, each seal's head equal to the row it names, and the key
 * file's epoch (when the file is here) not ahead of the seals.  Without:
 * what is sealed, from the seals stored.  0, or -1 with
 * TB_E_AUDIT_REWRITTEN (detail: the last row a seal covers; out->bad_from
 * and bad_to), TB_E_AUDIT_SEAL_FORGED or TB_E_AUDIT_SEAL_MISSING (detail:
 * the epoch), TB_E_AUDIT_SEAL_KEY, or a storage error. */
int audit_seal_verify(struct db *d, const char *vkey, struct audit_seal_check *out,
		      tb_err *err);

#endif
