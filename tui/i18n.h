/* UI text through gettext: English in the source, Thai in po/th.po.  The
 * language is chosen by the locale or the `language` setting and can be
 * switched while running. */
#ifndef TABIEN_I18N_H
#define TABIEN_I18N_H

#include <libintl.h>

#include "services/base/errors.h"

#define _(s) gettext(s)
#define N_(s) (s)

/* Binds the catalogue ($TABIEN_LOCALEDIR or the installed one) and picks the
 * language: `setting` ("th", "en" or NULL for the locale's). */
void i18n_init(const char *setting);
void i18n_set(enum tb_lang lang);
enum tb_lang i18n_lang(void);
/* A value the registry gives in Thai (sex, nationality, the person's status,
 * the place in the house, the house's type) in the screen's language: in
 * English the known ones in English, others as the registry wrote them.
 * The card's "male" then never sits beside the registry's "ชาย" as if the
 * two differed. */
const char *i18n_registry(const char *value);

#endif
