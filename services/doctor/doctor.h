/* `tabien doctor`: the checks branch support runs over SSH, without a login.
 * Each check says OK, WARN, FAIL or SKIP, a short fact without personal
 * data or secrets (a count, a version, a number of days) and, when it did
 * not pass, a catalogue error whose hint is the fix.  Each has its own time
 * limit, so a dead gateway costs that limit and no more.  The printing is
 * the front end's (tui/cmd_doctor.c). */
#ifndef TABIEN_DOCTOR_H
#define TABIEN_DOCTOR_H

#include "services/base/configfile.h"
#include "services/base/errors.h"

enum doctor_status { DOCTOR_OK, DOCTOR_WARN, DOCTOR_FAIL, DOCTOR_SKIP };

/* X(id, English label, Thai label), in the order they run. */
#define DOCTOR_CHECKS(X) \
	X(pcscd, "card service (pcscd)", "บริการเครื่องอ่านบัตร (pcscd)") \
	X(readers, "card readers", "เครื่องอ่านบัตร") \
	X(config, "configuration", "ไฟล์ตั้งค่า") \
	X(config_mode, "configuration's permissions", "สิทธิ์ของไฟล์ตั้งค่า") \
	X(db_mode, "database's permissions", "สิทธิ์ของฐานข้อมูล") \
	X(db, "database integrity and schema", "ความสมบูรณ์และรุ่นของฐานข้อมูล") \
	X(audit, "audit chain", "สายบันทึกการใช้งาน") \
	X(secrets, "key files' permissions", "สิทธิ์ของไฟล์กุญแจ") \
	X(disk, "free space", "พื้นที่ว่างบนดิสก์") \
	X(copies, "copies folder", "โฟลเดอร์สำเนา") \
	X(locale, "locale", "ภาษาและชุดอักขระ") \
	X(terminal, "terminal", "เทอร์มินัล") \
	X(dns, "gateway's name", "ชื่อเครื่องแม่ข่าย") \
	X(tcp, "gateway's port", "การเชื่อมต่อเครื่องแม่ข่าย") \
	X(tls, "gateway's certificate", "ใบรับรองของเครื่องแม่ข่าย") \
	X(clock, "clock", "นาฬิกาของเครื่อง") \
	X(token, "token", "โทเคน") \
	X(agent, "officer's agent", "Agent ของเจ้าหน้าที่")

enum doctor_id {
#define DOCTOR_ENUM(id, en, th) DOCTOR_##id,
	DOCTOR_CHECKS(DOCTOR_ENUM)
#undef DOCTOR_ENUM
	DOCTOR_COUNT
};

struct doctor_check {
	enum doctor_id id;
	enum doctor_status status;
	char fact[160];      /* plain facts, the same in both languages */
	tb_err err;          /* WARN and FAIL: what is wrong; the hint is the fix */
};

struct doctor_opts {
	const char *db_path;      /* NULL: the configuration's, else the default */
	const char *agent;        /* the officer for the token, else the first active admin */
	int timeout_ms;           /* each check's limit; 0: 5000 */
	/* The configuration as the front end loaded it, with its own keys
	 * (theme, language, key.*) already asked for; load_err its error. */
	struct config *cfg;
	const tb_err *load_err;
};

/* "pcscd", "readers" ... (the --json names) and the labels. */
const char *doctor_name(enum doctor_id id);
const char *doctor_label(enum doctor_id id, enum tb_lang lang);
const char *doctor_status_name(enum doctor_status s);

/* Runs every check in order, calling fn after each; returns the worst
 * status (SKIP counts as OK). */
enum doctor_status doctor_run(const struct doctor_opts *o,
			      void (*fn)(void *ud, const struct doctor_check *c), void *ud);

/* doctor_gateway.c: the gateway's checks (dns to agent), run by doctor_run. */
struct doctor_ctx;
void doctor_gateway(struct doctor_ctx *x);

#endif
