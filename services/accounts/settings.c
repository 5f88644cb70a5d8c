/* Branch and user settings: what each key may hold, and who may change it. */
#include "config.h"

#include "services/accounts/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/accounts/audit.h"
#include "services/accounts/rights.h"
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

/* Writes every branch key and the purposes (inside the caller's transaction). */
static int branch_write(struct db *d, const struct branch_settings *b, tb_err *err)
{
	const char *texts[SETTINGS_PURPOSES_MAX];
	char idle[16];

	snprintf(idle, sizeof idle, "%d", b->idle_timeout_s);
	for (int i = 0; i < b->npurposes; i++)
		texts[i] = b->purposes[i];
	return settings_db_set(d, "agency", b->agency, err) ||
	       settings_db_set(d, "branch_code", b->code, err) ||
	       settings_db_set(d, "branch_name", b->name, err) ||
	       settings_db_set(d, "idle_timeout", idle, err) ||
	       settings_db_set(d, "gateway_profile", b->gateway_profile, err) ||
	       settings_db_set(d, "copy_unsigned", b->copy_unsigned ? "1" : "0", err) ||
	       settings_db_set(d, "auto_purpose", b->auto_purpose, err) ||
	       settings_db_purposes_set(d, texts, (size_t)b->npurposes, err) ? -1 : 0;
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
	ok = ok && branch_write(d, b, err) == 0 && users_create_first_admin(d, admin, err) == 0 &&
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

int settings_branch_get(struct db *d, struct branch_settings *out, tb_err *err)
{
	char idle[16] = "", unsigned_copies[4] = "";
	int r;

	memset(out, 0, sizeof *out);
	r = settings_initialised(d, err);
	if (r <= 0)
		return -1;
	if (settings_db_get(d, "agency", out->agency, sizeof out->agency, err) < 0 ||
	    settings_db_get(d, "branch_code", out->code, sizeof out->code, err) < 0 ||
	    settings_db_get(d, "branch_name", out->name, sizeof out->name, err) < 0 ||
	    settings_db_get(d, "idle_timeout", idle, sizeof idle, err) < 0 ||
	    settings_db_get(d, "gateway_profile", out->gateway_profile,
			    sizeof out->gateway_profile, err) < 0 ||
	    settings_db_get(d, "copy_unsigned", unsigned_copies, sizeof unsigned_copies, err) < 0 ||
	    settings_db_get(d, "auto_purpose", out->auto_purpose, sizeof out->auto_purpose, err) < 0 ||
	    settings_db_purposes(d, purpose_add, out, err) < 0)
		return -1;
	/* Only an admin's explicit "1" allows them; anything else does not. */
	out->copy_unsigned = strcmp(unsigned_copies, "1") == 0;
	out->idle_timeout_s = atoi(idle);
	/* A value edited outside the program never turns the lock off. */
	if (out->idle_timeout_s < SETTINGS_IDLE_MIN_S || out->idle_timeout_s > SETTINGS_IDLE_MAX_S)
		out->idle_timeout_s = SETTINGS_IDLE_DEFAULT_S;
	return 0;
}

int settings_branch_set(struct db *d, const char *actor, const struct branch_settings *b,
			tb_err *err)
{
	int ok;

	if (settings_branch_validate(b, err))
		return -1;
	if (db_tx_begin(d, err))
		return -1;
	ok = settings_initialised(d, err) > 0 && rights_require_admin(d, actor, NULL, err) == 0 &&
	     branch_write(d, b, err) == 0 &&
	     audit_append(d, &(struct audit_entry){ .username = actor,
			  .action = AUDIT_ADMIN_SETTINGS, .subject = b->code, .result = "OK" }, err) == 0;
	return db_tx_end(d, ok, err);
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
