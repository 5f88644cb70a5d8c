/* The program's one GDX client: see app_gdx in app.h. */
#include "config.h"

#include <string.h>

#include "services/gateway/gdx.h"
#include "tui/app.h"

struct gdx *app_gdx(struct app *a, tb_err *err)
{
	struct gdx_config gc;

	if (a->gdx)
		return a->gdx;
	if (gdx_config_from(&gc, &a->cfg, err) == 0)
		a->gdx = gdx_new(&gc, err);
	explicit_bzero(&gc, sizeof gc);
	return a->gdx;
}

void app_gdx_drop(struct app *a)
{
	/* The token is the officer's: it goes with them, whoever still holds
	 * the client (a pane lets go at its next wake-up). */
	if (a->gdx)
		gdx_forget_token(a->gdx);
	gdx_free(&a->gdx);
}
