#include "config.h"

#include "tui/i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* GNU gettext caches translations; bumping this counter after changing
 * LANGUAGE makes it look again (documented in the gettext manual). */
extern int _nl_msg_cat_cntr;

static enum tb_lang current = TB_LANG_EN;
/* The locale's choice, read once before i18n_set changes LANGUAGE itself. */
static int locale_thai = -1;

static int locale_is_thai(void)
{
	static const char *vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "th", 2) == 0;
	}
	return 0;
}

void i18n_set(enum tb_lang lang)
{
	current = lang;
	/* LANGUAGE outranks LC_MESSAGES, and works under C.UTF-8 too. */
	setenv("LANGUAGE", lang == TB_LANG_TH ? "th" : "en", 1);
	++_nl_msg_cat_cntr;
}

enum tb_lang i18n_lang(void)
{
	return current;
}

void i18n_init(const char *setting)
{
	const char *dir = getenv("TABIEN_LOCALEDIR");

	/* Not installed: the catalogue compiled in the build tree. */
	if (!dir || !*dir)
		dir = access(LOCALEDIR "/th/LC_MESSAGES/" PACKAGE ".mo", R_OK) == 0
		      ? LOCALEDIR : TABIEN_BUILDDIR "/po";
	bindtextdomain(PACKAGE, dir);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
	if (setting && strcmp(setting, "th") == 0)
		i18n_set(TB_LANG_TH);
	else if (setting && strcmp(setting, "en") == 0)
		i18n_set(TB_LANG_EN);
	else {
		if (locale_thai < 0)
			locale_thai = locale_is_thai();
		i18n_set(locale_thai ? TB_LANG_TH : TB_LANG_EN);
	}
}

/* The English words are msgids whose Thai is the registry's own word, so
 * the catalogue keeps the pairs. */
static const struct {
	const char *th, *en;
} registry_words[] = {
	{ "ชาย", N_("male") },
	{ "หญิง", N_("female") },
	{ "ไทย", N_("Thai") },
	{ "เจ้าบ้าน", N_("householder") },
	{ "ผู้อาศัย", N_("resident") },
	{ "บ้าน", N_("house") },
	{ "บุคคลนี้มีภูมิลำเนาอยู่ในบ้านนี้", N_("domiciled in this house") },
};

const char *i18n_registry(const char *value)
{
	if (!value || i18n_lang() == TB_LANG_TH)
		return value;
	for (size_t i = 0; i < sizeof registry_words / sizeof registry_words[0]; i++)
		if (strcmp(value, registry_words[i].th) == 0)
			return registry_words[i].en;
	return value;
}
