/* `tabien linkage permission`: whether the officer's agent is up at GDX
 * (agent/permission), and whether the two-card mode is on. */
#include "config.h"

#include <string.h>

#include "services/card/card_decode.h"
#include "tui/cmd.h"
#include "tui/cmd_linkage.h"

static void permission_print(const struct user *who, const struct linkage_permission *p)
{
	char buf[512], id[32];

	cmd_linkage_cid(who->cid, id, sizeof id);
	snprintf(buf, sizeof buf, "%s (%s)", who->username, id);
	cmd_linkage_row("Officer / เจ้าหน้าที่", buf);
	if (strlen(p->agent_id) == 13 && cid_valid(p->agent_id))
		cmd_linkage_cid(p->agent_id, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "%s", p->agent_id[0] ? p->agent_id : "-");
	cmd_linkage_row("Agent ID / รหัส Agent", buf);
	if (p->state == LINKAGE_SESSION_UNKNOWN)
		snprintf(buf, sizeof buf, "%s (unknown / ไม่รู้จัก)", p->state_text);
	else
		snprintf(buf, sizeof buf, "%s", p->state_text);
	cmd_linkage_row("State / สถานะ", buf);
	cmd_linkage_row("Means / ความหมาย", linkage_session_name(p->state, TB_LANG_EN));
	cmd_linkage_row("", linkage_session_name(p->state, TB_LANG_TH));
	cmd_linkage_row("Next / สิ่งที่ต้องทำ", linkage_session_hint(p->state, TB_LANG_EN));
	cmd_linkage_row("", linkage_session_hint(p->state, TB_LANG_TH));
}

static cJSON *permission_json(const struct linkage_permission *p)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "state", p->state_text);
	cJSON_AddBoolToObject(o, "known", p->state != LINKAGE_SESSION_UNKNOWN);
	cJSON_AddBoolToObject(o, "agent_available", p->state == LINKAGE_AGENT_AVAILABLE ||
				p->state == LINKAGE_CITIZEN_AVAILABLE);
	cJSON_AddBoolToObject(o, "two_card", p->state == LINKAGE_CITIZEN_AVAILABLE);
	cJSON_AddStringToObject(o, "agent_id", p->agent_id);
	cJSON_AddStringToObject(o, "citizen_id", p->citizen_id);
	cJSON_AddStringToObject(o, "message", linkage_session_name(p->state, TB_LANG_EN));
	cJSON_AddStringToObject(o, "message_th", linkage_session_name(p->state, TB_LANG_TH));
	cJSON_AddStringToObject(o, "hint", linkage_session_hint(p->state, TB_LANG_EN));
	cJSON_AddStringToObject(o, "hint_th", linkage_session_hint(p->state, TB_LANG_TH));
	return o;
}

/* Always over GDX, whatever linkage.transport says: agent/permission is a
 * GDX endpoint.  Exit 0 when the officer's agent is up (with or without the
 * citizen's card), 3 when it is not or the state is unknown, 1 when the
 * gateway could not say. */
static int permission_run(const struct cmd_query_opts *o)
{
	struct linkage *lk = NULL;
	struct linkage_permission p;
	struct cmd_query q;

	cmd_query_init(&q, o);
	memset(&p, 0, sizeof p);
	if (cmd_linkage_open(&q, &lk))
		goto out;
	if (linkage_permission(lk, q.who.cid, &p, &q.err)) {
		if (!o->json)
			goto fail;
		q.out = cmd_error_json(NULL, &q.err);
		q.rc = EXIT_FAIL;
	} else {
		if (o->json)
			q.out = permission_json(&p);
		else
			permission_print(&q.who, &p);
		q.rc = p.state == LINKAGE_AGENT_AVAILABLE || p.state == LINKAGE_CITIZEN_AVAILABLE ?
		       EXIT_OK : EXIT_WARN;
	}
	goto out;
fail:
	cmd_query_fail(&q);
out:
	explicit_bzero(&p, sizeof p);
	linkage_free(&lk);
	return cmd_query_end(&q);
}

int cmd_permission(int argc, char **argv)
{
	static const struct option opts[] = { CMD_QUERY_OPTIONS, { 0 } };
	struct cmd_query_opts o;

	if (cmd_query_parse(argc, argv, opts, &o, NULL, NULL) || optind != argc)
		return -1;
	return permission_run(&o);
}
