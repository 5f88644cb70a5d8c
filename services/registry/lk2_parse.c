/* Linkage Center 2: the proxy's answers read, without the network (see lk2.h). */
#include "config.h"

#include "services/registry/lk2_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "services/base/format.h"
#include "services/base/util.h"

/* --- reading answers ------------------------------------------------------------------ */

static const cJSON *field(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

/* A whole number sent as a JSON number or as a string of digits. */
static long number_of(const cJSON *v, long unknown)
{
	if (cJSON_IsNumber(v) && v->valuedouble > -1e12 && v->valuedouble < 1e12 &&
	    v->valuedouble == (double)(long)v->valuedouble)
		return (long)v->valuedouble;
	if (cJSON_IsString(v) && v->valuestring[0] && strlen(v->valuestring) < 12 &&
	    strspn(v->valuestring, "0123456789") == strlen(v->valuestring))
		return strtol(v->valuestring, NULL, 10);
	return unknown;
}

/* Goes into a header, a JSON string or the signer's input line: printable
 * ASCII without spaces only. */
int lk2_text_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return 0;
	return 1;
}

static cJSON *json_parse(const char *body, size_t len)
{
	if (!body)
		return NULL;
	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
		body += 3;
		len -= 3;
	}
	return len ? cJSON_ParseWithLength(body, len) : NULL;
}

enum tb_err_id lk2_code_error(long code)
{
	switch (code) {
	case 90090: case 1001:
		return TB_E_LK2_WRONG_PIN;
	case 1002:
		return TB_E_LK2_PIN_BLOCKED;
	default:
		return linkage_code_error(code);
	}
}

/* Which call an answer is for: the login's own (no JWT yet), one with the
 * JWT, or the request (where 403 means the job). */
enum ctx { CTX_LOGIN, CTX_BEARER, CTX_REQUEST };

/* The part every answer shares: {errorNumber, errorMessage}, then the HTTP
 * status, then JSON.  errorNumber is a Linkage code (90001, 95011 ...) or
 * the HTTP status again (401, 403). */
static int answer_check(long status, const cJSON *root, enum ctx ctx, char *msg, size_t msize,
			tb_err *err)
{
	long code = number_of(field(root, "errorNumber"), 0);
	const cJSON *m = field(root, "errorMessage");

	if (msg && msize) {
		msg[0] = '\0';
		if (cJSON_IsString(m))
			format_clean(msg, msize, m->valuestring, false);
	}
	if (code >= 1000)
		return err_set(err, lk2_code_error(code), code, NULL);
	if (code == 401 || status == 401)
		return err_set(err, ctx == CTX_LOGIN ? TB_E_LK_SESSION : TB_E_LK2_SESSION, 401, NULL);
	if (code == 403 || status == 403)
		return err_set(err, ctx == CTX_REQUEST ? TB_E_LK2_JOB :
			       ctx == CTX_LOGIN ? TB_E_LK_SESSION : TB_E_LK2_SESSION, 403, NULL);
	if (code > 0 && (code < 200 || code > 299) && http_status_check(code, err))
		return -1;
	if (http_status_check(status, err))
		return -1;
	if (!root)
		return err_set(err, TB_E_NET_MALFORMED, 0, "not JSON");
	return 0;
}

int lk2_parse_login(long status, const char *body, size_t len, const char *want_office,
		    struct lk2_login_answer *out, tb_err *err)
{
	cJSON *root = json_parse(body, len);
	const cJSON *offices, *o, *random;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (answer_check(status, root, CTX_LOGIN, NULL, 0, err))
		goto out;
	random = field(root, "random");
	if (!cJSON_IsString(random) || !lk2_text_ok(random->valuestring) ||
	    !str_copy(out->random, sizeof out->random, random->valuestring)) {
		err_set(err, TB_E_NET_MALFORMED, 0, "login: no random");
		goto out;
	}
	offices = field(root, "office");
	if (!cJSON_IsArray(offices))
		offices = field(root, "offices");
	if (!cJSON_IsArray(offices))
		offices = NULL;
	cJSON_ArrayForEach(o, offices) {
		const cJSON *id = field(o, "id");
		char text[64];

		if (cJSON_IsString(id) && lk2_text_ok(id->valuestring) &&
		    strlen(id->valuestring) < sizeof text)
			str_copy(text, sizeof text, id->valuestring);
		else if (number_of(id, -1) >= 0 && cJSON_IsNumber(id))
			snprintf(text, sizeof text, "%ld", number_of(id, -1));
		else
			continue;
		out->n_offices++;
		if (!out->office_id[0] && (!want_office || !want_office[0] ||
					   strcmp(want_office, text) == 0)) {
			str_copy(out->office_id, sizeof out->office_id, text);
			out->office_is_number = cJSON_IsNumber(id);
		}
	}
	if (!out->office_id[0]) {
		err_set(err, TB_E_LK2_NO_OFFICE, out->n_offices,
			want_office && want_office[0] ? "lk2.office_id" : "no office offered");
		goto out;
	}
	rc = 0;
out:
	if (rc)
		explicit_bzero(out, sizeof *out);
	cJSON_Delete(root);
	return rc;
}

int lk2_parse_token(long status, const char *body, size_t len, char *out, size_t size,
		    tb_err *err)
{
	cJSON *root = json_parse(body, len);
	const cJSON *t;
	int rc = -1;

	out[0] = '\0';
	if (answer_check(status, root, CTX_BEARER, NULL, 0, err))
		goto out;
	t = field(root, "token");
	if (!cJSON_IsString(t) || !lk2_text_ok(t->valuestring)) {
		err_set(err, TB_E_NET_MALFORMED, 0, "no token");
		goto out;
	}
	if (!str_copy(out, size, t->valuestring)) {
		explicit_bzero(out, size);
		err_set(err, TB_E_NET_MALFORMED, 0, "token too long");
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

int lk2_parse_jobs(long status, const char *body, size_t len, char *out, size_t size,
		   tb_err *err)
{
	cJSON *root = json_parse(body, len);
	const cJSON *jobs, *j;
	int rc = -1;

	out[0] = '\0';
	if (answer_check(status, root, CTX_REQUEST, NULL, 0, err))
		goto out;
	jobs = field(root, "job");
	if (!cJSON_IsArray(jobs)) {
		err_set(err, TB_E_NET_MALFORMED, 0, "no job list");
		goto out;
	}
	cJSON_ArrayForEach(j, jobs) {
		if (cJSON_IsObject(j))
			j = field(j, "id");
		if (cJSON_IsString(j) && lk2_text_ok(j->valuestring) &&
		    str_copy(out, size, j->valuestring)) {
			rc = 0;
			goto out;
		}
		if (!j)
			break;
	}
	err_set(err, TB_E_LK2_JOB, 0, "no job for this officer");
out:
	cJSON_Delete(root);
	return rc;
}

/* One item of a batch: its own status, error and data. */
static void item_parse(const cJSON *el, const struct linkage_fieldmap *map, struct lk2_item *it)
{
	long st = number_of(field(el, "responseStatus"), 0), code = 0;
	const cJSON *e = field(el, "responseError"), *d = field(el, "responseData");
	char *printed = NULL;
	const char *text;

	if (cJSON_IsObject(e)) {
		const cJSON *m = field(e, "errorMessage");

		code = number_of(field(e, "errorNumber"), 0);
		if (cJSON_IsString(m))
			format_clean(it->message, sizeof it->message, m->valuestring, false);
	} else if (cJSON_IsString(e)) {
		format_clean(it->message, sizeof it->message, e->valuestring, false);
	}
	if (code >= 1000) {
		err_set(&it->err, lk2_code_error(code), code, NULL);
		return;
	}
	if (code > 0 && (code < 200 || code > 299))
		st = code;
	if (st == 404) {
		err_set(&it->err, TB_E_LK_NO_DATA, st, NULL);
		return;
	}
	if (st && http_status_check(st, &it->err))
		return;
	if (it->message[0] && !d) {
		err_set(&it->err, TB_E_LK_OTHER, 0, NULL);
		return;
	}
	if (cJSON_IsString(d)) {
		text = d->valuestring;
	} else if (cJSON_IsObject(d) || cJSON_IsArray(d)) {
		printed = cJSON_PrintUnformatted(d);
		if (!printed) {
			err_set(&it->err, TB_E_NOMEM, 0, NULL);
			return;
		}
		text = printed;
	} else {
		err_set(&it->err, TB_E_NET_MALFORMED, it->service, "no responseData");
		return;
	}
	if (linkage_parse(it->service, 200, text, strlen(text), map, &it->result, &it->err) == 0)
		err_clear(&it->err);
	if (printed) {
		explicit_bzero(printed, strlen(printed));
		cJSON_free(printed);
	}
}

int lk2_parse_batch(long status, const char *body, size_t len, const int *services,
		    const int *ids, int n, const struct linkage_fieldmap *map,
		    struct lk2_item *items, char *message, size_t msize, tb_err *err)
{
	cJSON *root = json_parse(body, len);
	const cJSON *data, *el;
	int found[LK2_MAX_SERVICES] = { 0 }, rc = -1;

	if (n < 0 || n > LK2_MAX_SERVICES) {
		err_set(err, TB_E_USAGE, n, "services");
		goto out;
	}
	if (answer_check(status, root, CTX_REQUEST, message, msize, err))
		goto out;
	data = field(root, "data");
	if (!cJSON_IsArray(data)) {
		err_set(err, TB_E_NET_MALFORMED, 0, "no data list");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		memset(&items[i], 0, sizeof items[i]);
		items[i].service = services[i];
		err_set(&items[i].err, TB_E_NET_MALFORMED, services[i], "no answer for this service");
	}
	cJSON_ArrayForEach(el, data) {
		long sid = number_of(field(el, "serviceID"), -1);

		for (int i = 0; i < n; i++)
			if (!found[i] && ids[i] == sid) {
				found[i] = 1;
				err_clear(&items[i].err);
				item_parse(el, map, &items[i]);
				break;
			}
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

void lk2_items_free(struct lk2_item *items, int n)
{
	for (int i = 0; i < n; i++) {
		linkage_result_free(&items[i].result);
		explicit_bzero(&items[i], sizeof items[i]);
	}
}

/* The errorMessage of a refusal, for people to read next to the code. */
void lk2_message_of(const char *body, size_t len, char *out, size_t size)
{
	cJSON *root = json_parse(body, len);
	const cJSON *m = field(root, "errorMessage");

	out[0] = '\0';
	if (cJSON_IsString(m))
		format_clean(out, size, m->valuestring, false);
	cJSON_Delete(root);
}
