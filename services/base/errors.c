/* The errors catalogue: one table, two languages, a hint for each entry. */
#include "config.h"

#include "services/base/errors.h"

#include <stdio.h>
#include <string.h>
#include <winscard.h>

struct err_entry {
	const char *domain, *code, *en, *th, *hint_en, *hint_th;
};

static const struct err_entry catalogue[TB_ERR_COUNT] = {
	[TB_OK] = { "none", "OK", "No error", "ไม่มีข้อผิดพลาด", "", "" },
#define TB_ERR_ROW(id, dom, code, en, th, hen, hth) [id] = { dom, code, en, th, hen, hth },
	TB_ERRORS(TB_ERR_ROW)
#undef TB_ERR_ROW
};

static const struct err_entry *err_entry_get(enum tb_err_id id)
{
	if ((unsigned)id >= TB_ERR_COUNT)
		id = TB_E_SYSTEM;
	return &catalogue[id];
}

int err_set(tb_err *e, enum tb_err_id id, long detail, const char *field)
{
	if (e) {
		e->id = id;
		e->detail = detail;
		e->field = field;
	}
	return -1;
}

void err_clear(tb_err *e)
{
	if (e)
		*e = (tb_err){ 0 };
}

const char *err_domain(enum tb_err_id id) { return err_entry_get(id)->domain; }
const char *err_code(enum tb_err_id id) { return err_entry_get(id)->code; }

const char *err_message(enum tb_err_id id, enum tb_lang lang)
{
	const struct err_entry *x = err_entry_get(id);
	return lang == TB_LANG_TH ? x->th : x->en;
}

const char *err_hint(enum tb_err_id id, enum tb_lang lang)
{
	const struct err_entry *x = err_entry_get(id);
	return lang == TB_LANG_TH ? x->hint_th : x->hint_en;
}

/* PC/SC codes are shown in hex, as support tools and pcscd logs print them;
 * status words as four hex digits; other details in decimal.  A damaged
 * photo's detail is the bytes read, named so: in hex it passed for a status
 * word ("SW 13EC" for 5100 bytes). */
static void err_detail(const tb_err *e, enum tb_lang lang, char *buf, size_t size)
{
	const char *dom = err_domain(e->id);
	buf[0] = '\0';
	if (e->detail == 0)
		return;
	if (e->id == TB_E_CARD_PHOTO)
		snprintf(buf, size, lang == TB_LANG_TH ? "ความยาว %ld" : "length %ld", e->detail);
	else if ((unsigned long)e->detail >= 0x80100000UL && (unsigned long)e->detail <= 0x801000FFUL)
		snprintf(buf, size, "0x%08lX", (unsigned long)e->detail);
	else if (strcmp(dom, "card") == 0 && e->detail > 0xFF && e->detail <= 0xFFFF)
		snprintf(buf, size, "SW %04lX", (unsigned long)e->detail);
	else
		snprintf(buf, size, "%ld", e->detail);
}

/* text with its "{n}" (if any) replaced by the detail. */
static void with_number(const char *text, long n, char *buf, size_t size)
{
	const char *at = strstr(text, "{n}");

	if (!at)
		snprintf(buf, size, "%s", text);
	else
		snprintf(buf, size, "%.*s%ld%s", (int)(at - text), text, n, at + 3);
}

void err_text(const tb_err *e, enum tb_lang lang, char *buf, size_t size)
{
	with_number(err_message(e->id, lang), e->detail, buf, size);
}

void err_hint_text(const tb_err *e, enum tb_lang lang, char *buf, size_t size)
{
	with_number(err_hint(e->id, lang), e->detail, buf, size);
}

int err_format(const tb_err *e, enum tb_lang lang, char *buf, size_t size)
{
	char detail[48], msg[512], hint[512];

	err_detail(e, lang, detail, sizeof detail);
	err_text(e, lang, msg, sizeof msg);
	err_hint_text(e, lang, hint, sizeof hint);
	return snprintf(buf, size, "%s%s%s%s%s%s: %s%s%s",
			err_code(e->id),
			detail[0] || e->field ? " (" : "", detail,
			detail[0] && e->field ? ", " : "",
			e->field ? e->field : "",
			detail[0] || e->field ? ")" : "",
			msg, hint[0] ? " — " : "", hint);
}

enum tb_err_id err_from_pcsc(long rv)
{
	switch (rv) {
	case SCARD_S_SUCCESS:
		return TB_OK;
	case SCARD_E_NO_SERVICE:
	case SCARD_E_SERVICE_STOPPED:
		return TB_E_PCSC_NO_SERVICE;
	case SCARD_E_NO_READERS_AVAILABLE:
		return TB_E_PCSC_NO_READER;
	case SCARD_E_UNKNOWN_READER:
	case SCARD_E_READER_UNAVAILABLE:
		return TB_E_PCSC_READER_UNKNOWN;
	case SCARD_E_NO_SMARTCARD:
		return TB_E_PCSC_NO_CARD;
	case SCARD_W_REMOVED_CARD:
		return TB_E_CARD_REMOVED;
	case SCARD_W_RESET_CARD:
		return TB_E_CARD_RESET;
	case SCARD_E_SHARING_VIOLATION:
		return TB_E_PCSC_SHARING;
	case SCARD_W_UNRESPONSIVE_CARD:
	case SCARD_W_UNPOWERED_CARD:
	case SCARD_E_PROTO_MISMATCH:
		return TB_E_CARD_MUTE;
	case SCARD_E_NO_MEMORY:
		return TB_E_NOMEM;
	default:
		return TB_E_PCSC_OTHER;
	}
}
