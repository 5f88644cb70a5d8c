/* DBD juristic persons, the settings and the names: the sources, the
 * statuses, the field map and dbd.* (see juristic.h). */
#include "config.h"

#include "services/juristic/juristic.h"

#include <ctype.h>
#include <string.h>

#include "services/base/util.h"

const char *juristic_source_name(enum juristic_source s)
{
	return s == JURISTIC_GDX ? "gdx" : "open";
}

/* --- status ------------------------------------------------------------------------------ */

static const struct {
	enum juristic_status s;
	const char *en, *th;
} statuses[] = {
	{ JURISTIC_ACTIVE, "active", "ยังดำเนินกิจการอยู่" },
	{ JURISTIC_DISSOLVED, "dissolved", "เลิก" },
	{ JURISTIC_LIQUIDATED, "liquidated", "เสร็จชำระบัญชี" },
	{ JURISTIC_ABANDONED, "abandoned", "ร้าง" },
};

enum juristic_status juristic_status_parse(const char *t)
{
	if (!t || !*t)
		return JURISTIC_STATUS_UNKNOWN;
	/* Order matters: "เสร็จการชำระบัญชี" holds no "เลิก", but DBD also
	 * writes "เลิกกิจการ" and "ยังดำเนินกิจการอยู่" holds "กิจการ". */
	if (strstr(t, "ยังดำเนินกิจการ"))
		return JURISTIC_ACTIVE;
	if (strstr(t, "เสร็จ") && strstr(t, "ชำระบัญชี"))
		return JURISTIC_LIQUIDATED;
	if (strncmp(t, "ร้าง", strlen("ร้าง")) == 0)
		return JURISTIC_ABANDONED;
	if (strncmp(t, "เลิก", strlen("เลิก")) == 0)
		return JURISTIC_DISSOLVED;
	return JURISTIC_STATUS_UNKNOWN;
}

const char *juristic_status_name(enum juristic_status s, enum tb_lang lang)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (statuses[i].s == s)
			return lang == TB_LANG_TH ? statuses[i].th : statuses[i].en;
	return NULL;
}

void juristic_fieldmap_defaults(struct juristic_fieldmap *m)
{
#define JR_MAP_DEFAULT(f, key, def) str_copy(m->f, sizeof m->f, def);
	JURISTIC_FIELDS(JR_MAP_DEFAULT)
#undef JR_MAP_DEFAULT
}

/* --- configuration ---------------------------------------------------------------------- */

static int url_ok(const char *u)
{
	return strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0;
}

/* The paths go into URLs as they are: a plain path only. */
static int path_ok(const char *p)
{
	if (p[0] != '/')
		return 0;
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/-_.~", *p))
			return 0;
	return 1;
}

int juristic_config_from(struct juristic_config *jc, struct config *c, int gdx_set_up,
			 tb_err *err)
{
	long ttl = 86400, keep = 30;
	const char *src;

	memset(jc, 0, sizeof *jc);
	str_copy(jc->open_url, sizeof jc->open_url, "https://openapi.dbd.go.th");
	str_copy(jc->open_path, sizeof jc->open_path, "/api/v1/juristic_person/");
	str_copy(jc->gdx_path, sizeof jc->gdx_path, "/ws/dbd/juristic/v7/general/profile");
	juristic_fieldmap_defaults(&jc->map);
	if (config_text(c, "dbd.open_url", jc->open_url, sizeof jc->open_url, err) ||
	    config_text(c, "dbd.open_path", jc->open_path, sizeof jc->open_path, err) ||
	    config_text(c, "dbd.gdx_path", jc->gdx_path, sizeof jc->gdx_path, err) ||
	    config_text(c, "dbd.shareholders_path", jc->shareholders_path,
			sizeof jc->shareholders_path, err) ||
	    config_text(c, "dbd.financials_path", jc->financials_path, sizeof jc->financials_path,
			err) ||
	    config_long(c, "dbd.cache_ttl_s", 0, 366L * 86400, &ttl, err) ||
	    config_long(c, "dbd.cache_keep_days", 0, 3660, &keep, err) ||
	    http_settings_from(c, &jc->http, err))
		return -1;
#define JR_MAP_CONF(f, key, def) \
	if (config_text(c, "dbd.field." key, jc->map.f, sizeof jc->map.f, err)) \
		return -1;
	JURISTIC_FIELDS(JR_MAP_CONF)
#undef JR_MAP_CONF
	if (!url_ok(jc->open_url))
		return err_set(err, TB_E_CONFIG, 0, "dbd.open_url");
	if (http_url_check(jc->open_url, "dbd.open_url", err))
		return -1;
	if (!path_ok(jc->open_path))
		return err_set(err, TB_E_CONFIG, 0, "dbd.open_path");
	if (!path_ok(jc->gdx_path))
		return err_set(err, TB_E_CONFIG, 0, "dbd.gdx_path");
	if (jc->shareholders_path[0] && !path_ok(jc->shareholders_path))
		return err_set(err, TB_E_CONFIG, 0, "dbd.shareholders_path");
	if (jc->financials_path[0] && !path_ok(jc->financials_path))
		return err_set(err, TB_E_CONFIG, 0, "dbd.financials_path");
	jc->cache_ttl_s = ttl;
	jc->cache_keep_days = keep;
	src = config_get(c, "dbd.source");
	if (!src)
		jc->source = gdx_set_up ? JURISTIC_GDX : JURISTIC_OPEN;
	else if (strcmp(src, "gdx") == 0)
		jc->source = JURISTIC_GDX;
	else if (strcmp(src, "open") == 0)
		jc->source = JURISTIC_OPEN;
	else
		return err_set(err, TB_E_CONFIG, 0, "dbd.source (gdx or open)");
	if (jc->source == JURISTIC_GDX && !gdx_set_up)
		return err_set(err, TB_E_GDX_NOT_SET_UP, 0, "dbd.source = gdx needs gdx.*");
	return 0;
}

