/* `tabien linkage query|household` with --transport lk2 (or
 * linkage.transport = lk2): the services through the agency's Linkage
 * Center 2 proxy.  The officer signs in as for GDX, then logs in with the
 * officer's card (--officer-cid, --chip and the card's PIN, asked like the
 * password); all the services go in one request, each printed with its own
 * result or error. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "services/base/configfile.h"
#include "services/card/card_decode.h"
#include "services/registry/lk2.h"
#include "tui/cmd.h"
#include "tui/cmd_linkage.h"

#define PIN_BYTES 20

int cmd_lk2_wanted(const struct lk_opts *o, const char *path, tb_err *err)
{
	struct config *c;
	int r;

	if (o->transport)
		return o->transport == 2;
	c = calloc(1, sizeof *c);
	if (!c)
		return err_set(err, TB_E_NOMEM, 0, NULL);
	r = config_load(c, path, err);
	if (r == 0)
		r = lk2_transport_from(c, err);
	explicit_bzero(c, sizeof *c);
	free(c);
	return r;
}

static void lk2_said(const char *text)
{
	if (text && *text)
		fprintf(stderr, "        Linkage Center says / Linkage Center แจ้ง: %s\n", text);
}

static int lk2_print_error(const char *what, const tb_err *e, const char *text)
{
	char prefix[64];

	snprintf(prefix, sizeof prefix, "tabien: %s: ", what);
	cmd_error(stderr, prefix, e);
	lk2_said(text);
	return -1;
}

/* Checked before anything is asked or sent: 0, -1 with err, or a usage
 * error said here (EXIT_USAGE). */
static int lk2_check(const struct lk_opts *o, tb_err *err)
{
	if (!cid_valid(o->cid))
		return err_set(err, TB_E_AUTH_INVALID, 0, "cid");
	if (cmd_purpose_check(&o->q, err))
		return -1;
	if (!o->chip || !*o->chip) {
		fprintf(stderr, "tabien: --chip (the chip number of the officer's card) is needed with "
			"lk2 / ต้องระบุ --chip (หมายเลขชิปบนบัตรของเจ้าหน้าที่) เมื่อใช้ lk2\n");
		return EXIT_USAGE;
	}
	if (o->officer_cid && !cid_valid(o->officer_cid))
		return err_set(err, TB_E_AUTH_INVALID, 0, "officer cid");
	return 0;
}

/* The officer's card login, then one request for every service asked. */
int cmd_lk2_query(const struct lk_opts *o, const char *path)
{
	struct lk2_config *lc = calloc(1, sizeof *lc);
	struct lk2 *l = NULL;
	struct lk2_op *op = NULL;
	struct cmd_query q;
	char pin[PIN_BYTES];
	int failed = 0, r;

	cmd_query_init(&q, &o->q);
	memset(pin, 0, sizeof pin);
	if (!lc) {
		err_set(&q.err, TB_E_NOMEM, 0, NULL);
		goto fail;
	}
	if ((r = lk2_check(o, &q.err)) != 0) {
		if (r < 0)
			goto fail;
		q.rc = r;
		goto out;
	}
	if (lk2_config_load(lc, path, &q.err)) {
		cmd_config_error(path, &q.err);
		goto out;
	}
	cmd_query_need(&q, o->household ? RIGHT_HOUSEHOLD : RIGHT_REGISTRY, o->cid);
	if (cmd_query_begin(&q))
		goto fail;
	if (cmd_ask(o->q.batch, "PIN of the officer's card / รหัส PIN ของบัตรเจ้าหน้าที่", pin,
		    sizeof pin, 1, "PIN", &q.err))
		goto fail;
	l = lk2_new(lc, &q.err);
	if (!l)
		goto fail;
	op = lk2_login_start(l, o->officer_cid ? o->officer_cid : q.who.cid, o->chip, pin, &q.err);
	sodium_memzero(pin, sizeof pin);
	if (!op)
		goto fail;
	if (lk2_run(l, op, &q.err)) {
		lk2_print_error("login", &q.err, lk2_batch_message(op, 0));
		goto out;
	}
	lk2_op_free(&op);
	op = lk2_batch_start(l, o->cid, o->services, o->n_services, q.d, q.who.username,
			     o->q.purpose, o->q.consent, NULL, &q.err);
	if (!op)
		goto fail;
	if (o->q.json)
		q.out = cJSON_CreateArray();
	if (lk2_run(l, op, &q.err) && !q.out)
		lk2_print_error("request", &q.err, lk2_batch_message(op, 0));
	for (int i = 0; i < o->n_services; i++) {
		struct linkage_result *res = NULL;
		int s = o->services[i];
		char what[32];

		err_clear(&q.err);
		if (lk2_batch_take(op, s, &res, &q.err) == 0) {
			cmd_linkage_emit(q.out, &res);
			continue;
		}
		failed++;
		snprintf(what, sizeof what, "00023/%s", linkage_service_code(s));
		if (q.out)
			cJSON_AddItemToArray(q.out, cmd_linkage_error_json(s, &q.err));
		else if (lk2_op_error(op, NULL) == 0)
			lk2_print_error(what, &q.err, lk2_batch_message(op, s));
	}
	q.rc = failed ? EXIT_FAIL : EXIT_OK;
	goto out;
fail:
	cmd_query_fail(&q);
out:
	sodium_memzero(pin, sizeof pin);
	lk2_op_free(&op);
	lk2_free(&l);          /* logs out */
	if (lc) {
		lk2_config_wipe(lc);
		free(lc);
	}
	return cmd_query_end(&q);
}
