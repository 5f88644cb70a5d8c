/* One error type for the whole program: an entry of the catalogue (what went
 * wrong, in Thai and English, and what to do next) plus the raw detail that
 * support needs (a PC/SC code, a status word, an HTTP status, an errno). */
#ifndef TABIEN_ERRORS_H
#define TABIEN_ERRORS_H

#include <stddef.h>

/* The catalogue: X(id, domain, code, english, thai, hint_english, hint_thai).
 * Add entries here; errors.c turns the table into the lookup. */
#define TB_ERRORS_GENERAL(X) \
	X(TB_E_NOMEM, "system", "NO-MEMORY", \
	  "Out of memory", "หน่วยความจำไม่พอ", \
	  "Close other programs and try again; if it repeats, call branch support", \
	  "ปิดโปรแกรมอื่นแล้วลองใหม่ หากยังเกิดซ้ำ ให้แจ้งฝ่ายสนับสนุนของสาขา") \
	X(TB_E_SYSTEM, "system", "SYSTEM", \
	  "A system call failed", "การเรียกระบบล้มเหลว", \
	  "Try again; if it repeats, send the support report to branch support", \
	  "ลองใหม่ หากยังเกิดซ้ำ ให้ส่งรายงานสำหรับฝ่ายสนับสนุนให้ฝ่ายสนับสนุนของสาขา") \
	X(TB_E_USAGE, "input", "USAGE", \
	  "The command was not understood", "ไม่เข้าใจคำสั่ง", \
	  "Run 'tabien --help' to see the commands", \
	  "พิมพ์ 'tabien --help' เพื่อดูคำสั่งที่ใช้ได้") \
	X(TB_E_FILE, "input", "FILE", \
	  "A file could not be read or written", "อ่านหรือเขียนไฟล์ไม่ได้", \
	  "Check the path and its permissions", \
	  "ตรวจสอบที่อยู่ไฟล์และสิทธิ์การเข้าถึง") \
	X(TB_E_CONFIG, "input", "CONFIG", \
	  "The configuration file has an error", "ไฟล์ตั้งค่ามีข้อผิดพลาด", \
	  "Fix the line named; until then the default is used", \
	  "แก้ไขบรรทัดที่ระบุ ระหว่างนี้โปรแกรมใช้ค่าเริ่มต้น") \
	X(TB_E_THEME, "input", "THEME", \
	  "The theme file has an error", "ไฟล์ธีมมีข้อผิดพลาด", \
	  "Fix the line named or pick another theme; the built-in theme is used meanwhile", \
	  "แก้ไขบรรทัดที่ระบุหรือเลือกธีมอื่น ระหว่างนี้โปรแกรมใช้ธีมพื้นฐาน") \
	X(TB_E_TERMINAL, "input", "TERMINAL", \
	  "This terminal cannot show tabien", "เทอร์มินัลนี้แสดงผลโปรแกรมไม่ได้", \
	  "Use a UTF-8 terminal of at least 80x24 (for example: export LANG=C.UTF-8)", \
	  "ใช้เทอร์มินัลแบบ UTF-8 ขนาดอย่างน้อย 80x24 (เช่น export LANG=C.UTF-8)")

#define TB_ERRORS_PCSC(X) \
	X(TB_E_PCSC_NO_SERVICE, "card", "PCSCD-DOWN", \
	  "The smart-card service (pcscd) is not running", \
	  "บริการเครื่องอ่านบัตร (pcscd) ไม่ทำงาน", \
	  "Start it (systemctl start pcscd) or ask branch support", \
	  "เริ่มบริการ (systemctl start pcscd) หรือแจ้งฝ่ายสนับสนุนของสาขา") \
	X(TB_E_PCSC_NO_READER, "card", "NO-READER", \
	  "No card reader is connected", "ไม่พบเครื่องอ่านบัตร", \
	  "Plug in the card reader; if it is plugged in, unplug it and plug it in again", \
	  "เสียบเครื่องอ่านบัตร หากเสียบอยู่แล้ว ให้ถอดออกแล้วเสียบใหม่") \
	X(TB_E_PCSC_READER_UNKNOWN, "card", "READER-UNKNOWN", \
	  "The named card reader was not found", "ไม่พบเครื่องอ่านบัตรตามชื่อที่ระบุ", \
	  "Check the reader name ('tabien card readers' lists them)", \
	  "ตรวจสอบชื่อเครื่องอ่านบัตร (คำสั่ง 'tabien card readers' แสดงรายชื่อ)") \
	X(TB_E_PCSC_NO_CARD, "card", "NO-CARD", \
	  "There is no card in the reader", "ไม่มีบัตรในเครื่องอ่าน", \
	  "Insert the citizen's ID card, chip first and facing up", \
	  "เสียบบัตรประชาชน ด้านชิปเข้าก่อนและหงายขึ้น") \
	X(TB_E_PCSC_SHARING, "card", "CARD-BUSY", \
	  "Another program is using the card", "มีโปรแกรมอื่นกำลังใช้บัตรอยู่", \
	  "Close the other program that uses the card reader, then read again", \
	  "ปิดโปรแกรมอื่นที่ใช้เครื่องอ่านบัตร แล้วอ่านใหม่") \
	X(TB_E_PCSC_OTHER, "card", "READER-ERROR", \
	  "The card reader reported an error", "เครื่องอ่านบัตรแจ้งข้อผิดพลาด", \
	  "Take the card out and insert it again; if it repeats, send the support report", \
	  "ถอดบัตรแล้วเสียบใหม่ หากยังเกิดซ้ำ ให้ส่งรายงานสำหรับฝ่ายสนับสนุน")

#define TB_ERRORS_CARD(X) \
	X(TB_E_CARD_REMOVED, "card", "CARD-REMOVED", \
	  "The card was removed before reading finished", \
	  "บัตรถูกดึงออกก่อนอ่านเสร็จ", \
	  "Insert the card again and leave it in until reading finishes", \
	  "เสียบบัตรใหม่ และอย่าดึงออกจนกว่าจะอ่านเสร็จ") \
	X(TB_E_CARD_RESET, "card", "CARD-RESET", \
	  "The card was reset by another program during reading", \
	  "บัตรถูกโปรแกรมอื่นรีเซ็ตระหว่างอ่าน", \
	  "Read again; if it repeats, close other programs that use the card reader", \
	  "อ่านใหม่ หากยังเกิดซ้ำ ให้ปิดโปรแกรมอื่นที่ใช้เครื่องอ่านบัตร") \
	X(TB_E_CARD_MUTE, "card", "CARD-MUTE", \
	  "The card does not answer", "บัตรไม่ตอบสนอง", \
	  "Take the card out, check the chip is clean, and insert it again", \
	  "ถอดบัตร ตรวจดูว่าชิปสะอาด แล้วเสียบใหม่") \
	X(TB_E_CARD_NOT_THAI_ID, "card", "NOT-THAI-ID", \
	  "This is not a Thai national ID card", "บัตรนี้ไม่ใช่บัตรประจำตัวประชาชน", \
	  "Insert the citizen's Thai national ID card", \
	  "เสียบบัตรประจำตัวประชาชนของผู้มาติดต่อ") \
	X(TB_E_CARD_STATUS, "card", "CARD-STATUS", \
	  "The card gave an unexpected answer", "บัตรตอบกลับผิดรูปแบบ", \
	  "Take the card out and insert it again; if it repeats the card may be damaged: note the code for support", \
	  "ถอดบัตรแล้วเสียบใหม่ หากยังเกิดซ้ำ บัตรอาจชำรุด ให้จดรหัสนี้แจ้งฝ่ายสนับสนุน") \
	X(TB_E_CARD_SHORT, "card", "CARD-SHORT", \
	  "The card sent less data than asked for", "บัตรส่งข้อมูลมาไม่ครบ", \
	  "Take the card out and insert it again; if it repeats the card may be damaged", \
	  "ถอดบัตรแล้วเสียบใหม่ หากยังเกิดซ้ำ บัตรอาจชำรุด") \
	X(TB_E_CARD_TEXT, "card", "CARD-TEXT", \
	  "Text on the card holds characters that are not Thai (TIS-620)", \
	  "ข้อความบนบัตรมีอักขระที่ไม่ใช่ภาษาไทย (TIS-620)", \
	  "Compare with the printed card; the marked field may be wrong", \
	  "ตรวจเทียบกับหน้าบัตร ช่องที่มีเครื่องหมายอาจไม่ถูกต้อง") \
	X(TB_E_CARD_DATE, "card", "CARD-DATE", \
	  "A date on the card is not valid", "วันที่บนบัตรไม่ถูกต้อง", \
	  "Compare with the date printed on the card", \
	  "ตรวจเทียบกับวันที่ที่พิมพ์บนหน้าบัตร") \
	X(TB_E_CARD_CID, "card", "CID-CHECKSUM", \
	  "The citizen ID on the card fails its check digit", \
	  "เลขประจำตัวประชาชนบนบัตรมีหลักตรวจสอบไม่ถูกต้อง", \
	  "Compare the number with the printed card; the card may be damaged or not genuine", \
	  "ตรวจเทียบเลขกับหน้าบัตร บัตรอาจชำรุดหรือไม่ใช่บัตรจริง") \
	X(TB_E_CARD_PHOTO, "card", "CARD-PHOTO", \
	  "The photo on the card is damaged or incomplete", \
	  "รูปถ่ายบนบัตรเสียหายหรือไม่ครบ", \
	  "Compare the face with the printed card; read again to retry the photo", \
	  "ตรวจเทียบใบหน้ากับหน้าบัตร หรืออ่านใหม่เพื่อลองอ่านรูปอีกครั้ง")


#define TB_ERRORS(X) TB_ERRORS_GENERAL(X) TB_ERRORS_PCSC(X) TB_ERRORS_CARD(X)

enum tb_err_id {
	TB_OK = 0,
#define TB_ERR_ENUM(id, dom, code, en, th, hen, hth) id,
	TB_ERRORS(TB_ERR_ENUM)
#undef TB_ERR_ENUM
	TB_ERR_COUNT
};

typedef struct tb_err {
	enum tb_err_id id;
	long detail;       /* PC/SC code, SW1SW2, errno, byte offset ... */
	const char *field; /* static string naming the field or call, or NULL */
} tb_err;

enum tb_lang { TB_LANG_EN = 0, TB_LANG_TH = 1 };

/* Fills *e (when e is not NULL) and returns -1, so callers can write
 * `return err_set(e, TB_E_X, detail, "field");`. */
int err_set(tb_err *e, enum tb_err_id id, long detail, const char *field);
void err_clear(tb_err *e);

const char *err_domain(enum tb_err_id id);
const char *err_code(enum tb_err_id id);   /* stable, e.g. "CARD-REMOVED" */
const char *err_message(enum tb_err_id id, enum tb_lang lang);
const char *err_hint(enum tb_err_id id, enum tb_lang lang);

/* "CARD-REMOVED (0x80100069, photo): The card was removed ... — Leave the card ..."
 * Always NUL-terminated; returns the length it wanted, like snprintf. */
int err_format(const tb_err *e, enum tb_lang lang, char *buf, size_t size);

/* Map a PC/SC return code to a catalogue entry. */
enum tb_err_id err_from_pcsc(long rv);

#endif
