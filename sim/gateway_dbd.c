/* tabien-gateway: DBD over GDX (the profile, shareholders, financial-statement
 * years) and the open API. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sim/gateway.h"

/* --- DBD ------------------------------------------------------------------------------------ */

static const cJSON *company(const char *id)
{
	return id ? cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(S.pop, "juristic"), id) : NULL;
}

/* {"status":{"code":"NNNN","description":...},"data":data} (data taken). */
static cJSON *dbd_answer(const char *code, const char *desc, cJSON *data)
{
	cJSON *o = cJSON_CreateObject(), *st = cJSON_AddObjectToObject(o, "status");

	cJSON_AddStringToObject(st, "code", code);
	cJSON_AddStringToObject(st, "description", desc);
	cJSON_AddItemToObject(o, "data", data ? data : cJSON_CreateObject());
	return o;
}

/* The failure switches both DBD endpoints share; MHD_YES + *sent when one
 * answered. */
static mhd_result dbd_faults(struct MHD_Connection *c, const char *id, int html, int *sent)
{
	mhd_result r;

	*sent = 1;
	if (!in_scope(DBD_SCOPE, id)) {
		*sent = 0;
		return MHD_YES;
	}
	if (faults_answer(c, &(struct faults_of){ "{\"Message\":\"simulated failure\"}", html,
			  "{\"status\":{\"code\":\"1000\"},\"data\":{\"cd:Organizatio", html, 0, 1,
			  NULL }, &r))
		return r;
	*sent = 0;
	return MHD_YES;
}

static mhd_result dbd_send(struct MHD_Connection *c, const char *id, cJSON *o, int html)
{
	if (in_scope(DBD_SCOPE, id) && (S.f.truncate || S.f.drip_ms))
		return send_slowly(c, o);
	return send_taken(c, 200, o, html);
}

/* POST /ws/dbd/juristic/v7/general/profile {"OrganizationJuristicID":"..."}:
 * the whole profile, directors and signing authority included; an unknown
 * company is data {}. */
mhd_result on_dbd_gdx(struct MHD_Connection *c, const char *upload, size_t len)
{
	const char *key = header(c, "Consumer-Key"), *tok = header(c, "Token");
	cJSON *in = cJSON_ParseWithLength(upload, len), *data;
	const cJSON *idv = cJSON_GetObjectItemCaseSensitive(in, "OrganizationJuristicID");
	char id[14] = "";
	int sent;
	mhd_result r;

	count(&S.n_dbd_gdx);
	if (cJSON_IsString(idv) && strlen(idv->valuestring) == 13)
		memcpy(id, idv->valuestring, 14);
	cJSON_Delete(in);
	if (gdx_refused(c, key && strcmp(key, S.key) == 0, tok, 1, &r))
		return r;
	if (!cid_ok(id))
		return send_taken(c, 200, dbd_answer("1051", "invalid OrganizationJuristicID", NULL), 0);
	r = dbd_faults(c, id, 0, &sent);
	if (sent)
		return r;
	if (in_scope(DBD_SCOPE, id) && S.f.code)
		return send_code(c, 200, S.f.code, "simulated");
	data = cJSON_CreateObject();
	if (company(id))
		cJSON_AddItemToObject(data, "cd:OrganizationJuristicPerson", cJSON_Duplicate(company(id), 1));
	return dbd_send(c, id, dbd_answer("1000", "success", data), 0);
}

/* GET DBD_SHAREHOLDERS_PATH or DBD_FINANCIALS_PATH ?JuristicID=<13> over
 * GDX: the company's list from the population's juristic_shareholders or
 * juristic_financials (none: an empty list), in the profile's wrapper; an
 * unknown company is 1004.  --dbd-array wraps the list in an array. */
mhd_result on_dbd_part(struct MHD_Connection *c, const char *table, const char *list)
{
	const char *key = header(c, "Consumer-Key"), *tok = header(c, "Token");
	const char *id = arg(c, "JuristicID");
	const cJSON *rows;
	cJSON *data, *wrap;
	int sent;
	mhd_result r;

	count(&S.n_dbd_parts);
	if (gdx_refused(c, key && strcmp(key, S.key) == 0, tok, 0, &r))
		return r;
	if (!cid_ok(id))
		return send_taken(c, 200, dbd_answer("1051", "invalid JuristicID", NULL), 0);
	r = dbd_faults(c, id, 0, &sent);
	if (sent)
		return r;
	if (in_scope(DBD_SCOPE, id) && S.f.code)
		return send_code(c, 200, S.f.code, "simulated");
	if (!company(id))
		return send_taken(c, 200, dbd_answer("1004", "Data not found", cJSON_CreateArray()), 0);
	rows = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(S.pop, table), id);
	data = cJSON_CreateObject();
	cJSON_AddItemToObject(data, list, rows ? cJSON_Duplicate(rows, 1) : cJSON_CreateArray());
	if (S.dbd_array) {
		wrap = cJSON_CreateArray();
		cJSON_AddItemToArray(wrap, data);
		data = wrap;
	}
	return dbd_send(c, id, dbd_answer("1000", "success", data), 0);
}

/* The open API's reading of a company: no directors nor signing authority,
 * Christian-era dates, the address under another name. */
static cJSON *open_shape(const cJSON *co)
{
	cJSON *o = cJSON_Duplicate(co, 1), *addr, *wrap, *date;

	cJSON_DeleteItemFromObjectCaseSensitive(o, "cd:OrganizationJuristicPersonList");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "cd:OrganizationJuristicPersonDescription");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "cd:OrganizationJuristicPaidUpCapital");
	addr = cJSON_DetachItemFromObjectCaseSensitive(o, "cd:Address");
	if (addr) {
		wrap = cJSON_AddObjectToObject(o, "cd:OrganizationJuristicAddress");
		cJSON_AddItemToObject(wrap, "cr:AddressType", addr);
	}
	date = cJSON_GetObjectItemCaseSensitive(o, "cd:OrganizationJuristicRegisterDate");
	if (cJSON_IsString(date) && strlen(date->valuestring) == 8) {
		char ce[9];
		snprintf(ce, sizeof ce, "%04d%s", atoi(date->valuestring) / 10000 - 543,
			 date->valuestring + 4);
		cJSON_SetValuestring(date, ce);
	}
	return o;
}

/* GET /api/v1/juristic_person/<13>: JSON served as text/html, always. */
mhd_result on_dbd_open(struct MHD_Connection *c, const char *id)
{
	cJSON *data, *person;
	int sent;
	mhd_result r;

	count(&S.n_dbd_open);
	r = dbd_faults(c, id, 1, &sent);
	if (sent)
		return r;
	if (in_scope(DBD_SCOPE, id) && S.dbd_waf)
		return send_body(c, 403, "<!DOCTYPE html><html><head><title>Request Rejected</title></head>"
				 "<body>The requested URL was rejected. Please consult with your "
				 "administrator.<br>Your support ID is: 1234567890</body></html>", 1);
	if (in_scope(DBD_SCOPE, id) && S.dbd_quota)
		return send_taken(c, 200, dbd_answer("8888", "Quota exceeded", cJSON_CreateArray()), 1);
	if (!cid_ok(id))
		return send_taken(c, 200, dbd_answer("1051", "Invalid juristic id", cJSON_CreateArray()), 1);
	if (!company(id))
		return send_taken(c, 200, dbd_answer("1004", "Data not found", cJSON_CreateArray()), 1);
	person = cJSON_CreateObject();
	cJSON_AddItemToObject(person, "cd:OrganizationJuristicPerson", open_shape(company(id)));
	if (S.dbd_array) {
		data = cJSON_CreateArray();
		cJSON_AddItemToArray(data, person);
	} else {
		data = person;
	}
	return dbd_send(c, id, dbd_answer("1000", "Success", data), 1);
}

