/* Linkage Center 2: the lk2.* settings (see lk2.h). */
#include "config.h"

#include "services/registry/lk2.h"

#include <stdlib.h>
#include <string.h>

#include "services/base/util.h"
#include "services/gateway/http.h"

/* --- configuration ------------------------------------------------------------------ */

/* Placeholders (see lk2.h): the agency's list of LK2 IDs replaces them. */
static const struct {
	int service;
	const char *key;
	int id;
} default_map[LK2_N_SERVICES] = {
	{ LINKAGE_PERSON, "lk2.service.001", 1 },
	{ LINKAGE_ADDRESSES, "lk2.service.027", 2 },
	{ LINKAGE_HOUSEHOLD, "lk2.service.007", 3 },
	{ LINKAGE_HOUSE, "lk2.service.008", 4 },
	{ LINKAGE_FIRST_NAMES, "lk2.service.013", 5 },
	{ LINKAGE_SURNAMES, "lk2.service.017", 6 },
};

int lk2_config_from(struct lk2_config *lc, struct config *c, tb_err *err)
{
	long login_type = 1, renew = 600, signer_ms = 15000;

	memset(lc, 0, sizeof *lc);
	linkage_fieldmap_defaults(&lc->map007);
	if (config_text(c, "lk2.url", lc->url, sizeof lc->url, err) ||
	    config_long(c, "lk2.login_type", 1, 2, &login_type, err) ||
	    config_text(c, "lk2.office_id", lc->office_id, sizeof lc->office_id, err) ||
	    config_text(c, "lk2.job_id", lc->job_id, sizeof lc->job_id, err) ||
	    config_long(c, "lk2.renew_age_s", 0, 86400, &renew, err) ||
	    config_text(c, "lk2.signer", lc->signer, sizeof lc->signer, err) ||
	    config_long(c, "lk2.signer_timeout_ms", 100, 600000, &signer_ms, err) ||
	    config_text(c, "lk2.chip_field", lc->chip_field, sizeof lc->chip_field, err) ||
	    http_settings_from(c, &lc->http, err))
		goto fail;
	for (int i = 0; i < LK2_N_SERVICES; i++) {
		long id = default_map[i].id;

		if (config_long(c, default_map[i].key, 1, 1000000, &id, err))
			goto fail;
		lc->map[i].service = default_map[i].service;
		lc->map[i].id = (int)id;
	}
#define LK2_MAP_CONF(f, key, def) \
	if (config_text(c, "linkage.007." key, lc->map007.f, sizeof lc->map007.f, err)) \
		goto fail;
	LINKAGE_007_FIELDS(LK2_MAP_CONF)
#undef LK2_MAP_CONF
	lc->login_type = (int)login_type;
	lc->renew_age_s = (int)renew;
	lc->signer_timeout_ms = signer_ms;
	if (!lc->chip_field[0])
		str_copy(lc->chip_field, sizeof lc->chip_field, "photo_no");
	if (strcmp(lc->chip_field, "photo_no") != 0 && strcmp(lc->chip_field, "request_no") != 0) {
		err_set(err, TB_E_CONFIG, 0, "lk2.chip_field");
		goto fail;
	}
	/* The file names the program that receives the officer's PIN: whoever
	 * may change it may send PINs anywhere, so it is held to the rule ssh
	 * applies to its keys, like the file that holds the GDX secret. */
	if (lc->signer[0] && config_private(c, TB_E_LK2_CONFIG_MODE, "lk2.signer", err))
		goto fail;
	if (!lc->url[0]) {
		err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.url");
		goto fail;
	}
	if (strncmp(lc->url, "https://", 8) != 0 && strncmp(lc->url, "http://", 7) != 0) {
		err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.url (https://...)");
		goto fail;
	}
	if (http_url_check(lc->url, "lk2.url", err))
		goto fail;
	if (lc->login_type != 1) {
		err_set(err, TB_E_LK2_NOT_SET_UP, lc->login_type, "lk2.login_type (1: the officer's card)");
		goto fail;
	}
	if (!lc->signer[0]) {
		err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.signer");
		goto fail;
	}
	if (lc->signer[0] != '/') {
		err_set(err, TB_E_LK2_NOT_SET_UP, 0, "lk2.signer (a full path)");
		goto fail;
	}
	for (int i = 0; i < LK2_N_SERVICES; i++)
		for (int j = i + 1; j < LK2_N_SERVICES; j++)
			if (lc->map[i].id == lc->map[j].id) {
				err_set(err, TB_E_LK2_NOT_SET_UP, lc->map[j].id,
					"lk2.service.* (one ID for two services)");
				goto fail;
			}
	return 0;
fail:
	lk2_config_wipe(lc);
	return -1;
}

static int lk2_apply(struct config *c, void *arg, tb_err *err)
{
	return lk2_config_from(arg, c, err);
}

int lk2_config_load(struct lk2_config *lc, const char *path, tb_err *err)
{
	return config_read(path, lk2_apply, lc, err);
}

void lk2_config_wipe(struct lk2_config *lc)
{
	explicit_bzero(lc, sizeof *lc);
}

int lk2_service_id(const struct lk2_config *lc, int service)
{
	for (int i = 0; i < LK2_N_SERVICES; i++)
		if (lc->map[i].service == service && lc->map[i].id > 0)
			return lc->map[i].id;
	return -1;
}

int lk2_transport_from(struct config *c, tb_err *err)
{
	const char *v = config_get(c, "linkage.transport");

	if (!v || strcmp(v, "gdx") == 0)
		return 0;
	if (strcmp(v, "lk2") == 0)
		return 1;
	return err_set(err, TB_E_CONFIG, 0, "linkage.transport (gdx or lk2)");
}
