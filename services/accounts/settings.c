/* Branch and user settings: what each key may hold, and who may change it. */
#include "config.h"

#include "services/accounts/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/accounts/audit.h"
#include "services/accounts/rights.h"
#include "storage/branches_db.h"
#include "storage/settings_db.h"

/* Offered until an admin writes the branch's own list. */
static const char *const default_purposes[] = {
	"ยืนยันตัวตนผู้มาติดต่อขอรับบริการ",
	"ประกอบการพิจารณาคำขอตามภารกิจของหน่วยงาน",
	"เจ้าของข้อมูลให้ความยินยอม",
};

void settings_branch_defaults(struct branch_settings *b)
{
	memset(b, 0, sizeof *b);
	b->idle_timeout_s = SETTINGS_IDLE_DEFAULT_S;
	for (size_t i = 0; i < sizeof default_purposes / sizeof *default_purposes; i++)
		snprintf(b->purposes[b->npurposes++], SETTINGS_PURPOSE_BYTES, "%s", default_purposes[i]);
}

static int token_ok(const char *s, size_t min, size_t max, const char *allowed)
{
	size_t n = strlen(s);
	return n >= min && n <= max && strspn(s, allowed) == n;
}

#define CODE_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

int settings_branch_validate(const struct branch_settings *b, tb_err *err)
{
	if (!users_text_valid(b->agency, SETTINGS_NAME_CHARS))
		return err_set(err, TB_E_AUTH_INVALID, 0, "agency");
	if (!token_ok(b->code, 1, SETTINGS_CODE_MAX, CODE_CHARS))
		return err_set(err, TB_E_AUTH_INVALID, 0, "code");
	if (!users_text_valid(b->name, SETTINGS_NAME_CHARS))
		return err_set(err, TB_E_AUTH_INVALID, 0, "name");
	if (b->idle_timeout_s < SETTINGS_IDLE_MIN_S || b->idle_timeout_s > SETTINGS_IDLE_MAX_S)
		return err_set(err, TB_E_IDLE_RANGE, b->idle_timeout_s, "idle_timeout");
	if (!token_ok(b->gateway_profile, 0, SETTINGS_PROFILE_MAX, CODE_CHARS))
		return err_set(err, TB_E_AUTH_INVALID, 0, "gateway_profile");
	if (b->npurposes < 1 || b->npurposes > SETTINGS_PURPOSES_MAX)
		return err_set(err, TB_E_AUTH_INVALID, b->npurposes, "purposes");
	for (int i = 0; i < b->npurposes; i++)
		if (!users_text_valid(b->purposes[i], SETTINGS_PURPOSE_CHARS))
			return err_set(err, TB_E_AUTH_INVALID, i + 1, "purpose");
	if (b->auto_purpose[0] && !users_text_valid(b->auto_purpose, SETTINGS_PURPOSE_CHARS))
		return err_set(err, TB_E_AUTH_INVALID, 0, "auto_purpose");
	return 0;
}

int settings_initialised(struct db *d, tb_err *err)
{
	char code[SETTINGS_CODE_MAX + 1];
	int r = settings_db_get(d, "branch_code", code, sizeof code, err);

	if (r == 0)
		err_set(err, TB_E_STORE_NOT_INIT, 0, NULL);
	return r;
}

/* Writes the branch's own keys and purposes (inside the caller's
 * transaction); the agency's name is the whole database's. */
static int branch_write(struct db *d, const struct branch_settings *b, tb_err *err)
{
	const char *texts[SETTINGS_PURPOSES_MAX];
	char idle[16];

	snprintf(idle, sizeof idle, "%d", b->idle_timeout_s);
	for (int i = 0; i < b->npurposes; i++)
		texts[i] = b->purposes[i];
	return branches_db_rename(d, b->code, b->name, err) ||
	       branches_db_set(d, b->code, "idle_timeout", idle, err) ||
	       branches_db_set(d, b->code, "gateway_profile", b->gateway_profile, err) ||
	       branches_db_set(d, b->code, "copy_unsigned", b->copy_unsigned ? "1" : "0", err) ||
	       branches_db_set(d, b->code, "auto_purpose", b->auto_purpose, err) ||
	       branches_db_purposes_set(d, b->code, texts, (size_t)b->npurposes, err) ? -1 : 0;
}

static int branch_new(struct db *d, const struct branch_settings *b, tb_err *err)
{
	struct branch row = { 0 };

	snprintf(row.code, sizeof row.code, "%s", b->code);
	snprintf(row.name, sizeof row.name, "%s", b->name);
	db_time_iso(db_now(d), row.created);
	return branches_db_add(d, &row, err) || branch_write(d, b, err) ? -1 : 0;
}

int settings_init(struct db *d, const struct branch_settings *b, const struct user_new *admin,
		  tb_err *err)
{
	int ok, r;

	if (settings_branch_validate(b, err) || users_validate(admin, err))
		return -1;
	if (db_tx_begin(d, err))
		return -1;
	r = settings_initialised(d, err);
	ok = r == 0;
	if (r > 0)
		err_set(err, TB_E_STORE_ALREADY_INIT, 0, NULL);
	ok = ok && settings_db_set(d, "agency", b->agency, err) == 0 &&
	     settings_db_set(d, "branch_code", b->code, err) == 0 && branch_new(d, b, err) == 0 &&
	     users_create_first_admin(d, admin, b->code, err) == 0 &&
	     audit_append(d, &(struct audit_entry){ .username = admin->username,
			  .action = AUDIT_ADMIN_INIT, .subject = b->code, .result = "OK" }, err) == 0;
	return db_tx_end(d, ok, err);
}

static int purpose_add(const char *text, void *arg)
{
	struct branch_settings *b = arg;

	if (b->npurposes >= SETTINGS_PURPOSES_MAX)
		return 1;
	snprintf(b->purposes[b->npurposes++], SETTINGS_PURPOSE_BYTES, "%s", text);
	return 0;
}

int settings_branch_of(struct db *d, const char *code, struct branch_settings *out, tb_err *err)
{
	char idle[16] = "", unsigned_copies[4] = "";
	struct branch row;
	int r;

	memset(out, 0, sizeof *out);
	if (settings_initialised(d, err) <= 0)
		return -1;
	r = branches_db_find(d, code, &row, err);
	if (r <= 0)
		return r < 0 ? -1 : err_set(err, TB_E_BRANCH_UNKNOWN, 0, NULL);
	snprintf(out->code, sizeof out->code, "%s", row.code);
	snprintf(out->name, sizeof out->name, "%s", row.name);
	if (settings_db_get(d, "agency", out->agency, sizeof out->agency, err) < 0 ||
	    branches_db_get(d, code, "idle_timeout", idle, sizeof idle, err) < 0 ||
	    branches_db_get(d, code, "gateway_profile", out->gateway_profile,
			    sizeof out->gateway_profile, err) < 0 ||
	    branches_db_get(d, code, "copy_unsigned", unsigned_copies, sizeof unsigned_copies, err) < 0 ||
	    branches_db_get(d, code, "auto_purpose", out->auto_purpose, sizeof out->auto_purpose, err) < 0 ||
	    branches_db_purposes(d, code, purpose_add, out, err) < 0)
		return -1;
	/* Only an admin's explicit "1" allows them; anything else does not. */
	out->copy_unsigned = strcmp(unsigned_copies, "1") == 0;
	out->idle_timeout_s = atoi(idle);
	/* A value edited outside the program never turns the lock off. */
	if (out->idle_timeout_s < SETTINGS_IDLE_MIN_S || out->idle_timeout_s > SETTINGS_IDLE_MAX_S)
		out->idle_timeout_s = SETTINGS_IDLE_DEFAULT_S;
	return 0;
}

int settings_branch_get(struct db *d, struct branch_settings *out, tb_err *err)
{
	char code[SETTINGS_CODE_MAX + 1] = "";

	snprintf(code, sizeof code, "%s", db_branch(d));
	if (!code[0] && settings_db_get(d, "branch_code", code, sizeof code, err) < 0)
		return -1;
	return settings_branch_of(d, code, out, err);
}

/* A change refused for want of a right, recorded after the rollback. */
static void refused(struct db *d, const char *actor, const char *action, const char *code,
		    const tb_err *err)
{
	tb_err ignored;

	if (strcmp(err_domain(err->id), "auth") == 0)
		audit_append(d, &(struct audit_entry){ .username = actor, .action = action,
			     .subject = code, .result = err_code(err->id) }, &ignored);
}

int settings_branch_set(struct db *d, const char *actor, const struct branch_settings *b,
			tb_err *err)
{
	char agency[SETTINGS_NAME_BYTES] = "";
	struct user a;
	int ok;

	if (settings_branch_validate(b, err))
		return -1;
	if (db_tx_begin(d, err))
		return -1;
	ok = settings_initialised(d, err) > 0 &&
	     rights_require(d, actor, RIGHT_SETTINGS, b->code, &a, err) == 0 &&
	     branches_db_find(d, b->code, NULL, err) > 0 &&
	     settings_db_get(d, "agency", agency, sizeof agency, err) >= 0;
	/* The agency's name is every branch's: an agency admin's to change. */
	if (ok && strcmp(agency, b->agency) != 0)
		ok = a.role == USER_AGENCY_ADMIN ? settings_db_set(d, "agency", b->agency, err) == 0
			: err_set(err, TB_E_AUTH_NOT_ADMIN, 0, "agency") == 0;
	ok = ok && branch_write(d, b, err) == 0 &&
	     audit_append(d, &(struct audit_entry){ .username = actor,
			  .action = AUDIT_ADMIN_SETTINGS, .subject = b->code, .result = "OK" }, err) == 0;
	if (db_tx_end(d, ok, err)) {
		refused(d, actor, AUDIT_ADMIN_SETTINGS, b->code, err);
		return -1;
	}
	return 0;
}

int settings_branch_add(struct db *d, const char *actor, const char *code, const char *name,
			tb_err *err)
{
	struct branch_settings *b = calloc(1, sizeof *b);
	struct user a;
	int ok;

	if (!b)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	settings_branch_defaults(b);
	snprintf(b->code, sizeof b->code, "%s", code);
	snprintf(b->name, sizeof b->name, "%s", name);
	ok = strlen(code) <= SETTINGS_CODE_MAX || err_set(err, TB_E_AUTH_INVALID, 0, "code") == 0;
	ok = ok && settings_db_get(d, "agency", b->agency, sizeof b->agency, err) >= 0 &&
	     settings_branch_validate(b, err) == 0;
	if (!ok || db_tx_begin(d, err)) {
		free(b);
		return -1;
	}
	ok = settings_initialised(d, err) > 0 && rights_require(d, actor, RIGHT_SETTINGS, NULL, &a, err) == 0;
	if (ok && a.role != USER_AGENCY_ADMIN)
		ok = err_set(err, TB_E_AUTH_NOT_ADMIN, 0, NULL) == 0;
	ok = ok && branch_new(d, b, err) == 0 &&
	     audit_append(d, &(struct audit_entry){ .username = actor,
			  .action = AUDIT_ADMIN_BRANCH, .subject = b->code, .result = "OK" }, err) == 0;
	if (db_tx_end(d, ok, err))
		refused(d, actor, AUDIT_ADMIN_BRANCH, b->code, err);
	else
		ok = 2;
	free(b);
	return ok == 2 ? 0 : -1;
}

int settings_branch_list(struct db *d, int (*fn)(const struct branch *b, void *arg), void *arg,
			 tb_err *err)
{
	return branches_db_list(d, fn, arg, err);
}

int settings_default_branch(struct db *d, char *out, size_t size, tb_err *err)
{
	return settings_db_get(d, "branch_code", out, size, err) < 0 ? -1 : 0;
}

int settings_terminal_branch(struct db *d, const char *code, tb_err *err)
{
	int r = strlen(code) <= SETTINGS_CODE_MAX ? branches_db_find(d, code, NULL, err) : 0;

	if (r < 0)
		return -1;
	if (r == 0)
		return err_set(err, TB_E_BRANCH_UNKNOWN, 0, NULL);
	db_set_branch(d, code);
	return 0;
}

int settings_user_get(struct db *d, int64_t user_id, struct user_settings *out, tb_err *err)
{
	/* Unset: "" for the theme and language, which then follow the
	 * terminal's own configuration. */
	*out = (struct user_settings){ .default_pane = "card" };
	if (settings_db_user_get(d, user_id, "theme", out->theme, sizeof out->theme, err) < 0 ||
	    settings_db_user_get(d, user_id, "language", out->language, sizeof out->language, err) < 0 ||
	    settings_db_user_get(d, user_id, "default_pane", out->default_pane,
				 sizeof out->default_pane, err) < 0)
		return -1;
	return 0;
}

int settings_user_set(struct db *d, int64_t user_id, const struct user_settings *s,
		      tb_err *err)
{
	int ok;

	if (!token_ok(s->theme, 0, sizeof s->theme - 1, CODE_CHARS) || s->theme[0] == '.')
		return err_set(err, TB_E_AUTH_INVALID, 0, "theme");
	if (strcmp(s->language, "th") != 0 && strcmp(s->language, "en") != 0 && s->language[0])
		return err_set(err, TB_E_AUTH_INVALID, 0, "language");
	if (!token_ok(s->default_pane, 1, sizeof s->default_pane - 1,
		      "abcdefghijklmnopqrstuvwxyz0123456789_-"))
		return err_set(err, TB_E_AUTH_INVALID, 0, "default_pane");
	if (db_tx_begin(d, err))
		return -1;
	ok = settings_db_user_set(d, user_id, "theme", s->theme, err) == 0 &&
	     settings_db_user_set(d, user_id, "language", s->language, err) == 0 &&
	     settings_db_user_set(d, user_id, "default_pane", s->default_pane, err) == 0;
	return db_tx_end(d, ok, err);
}
