/* One error type for the whole program: an entry of the catalogue (what went
 * wrong, in Thai and English, and what to do next) plus the raw detail that
 * support needs (a PC/SC code, a status word, an HTTP status, an errno). */
#ifndef TABIEN_ERRORS_H
#define TABIEN_ERRORS_H

#include <stddef.h>

/* The catalogue: X(id, domain, code, english, thai, hint_english, hint_thai).
 * Add entries here or, for the gateways, files, the copy, the doctor and the
 * PostgreSQL server, in errors_services.h; errors.c turns the table into the
 * lookup. */
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
	X(TB_E_CARD_OVERLONG, "card", "CARD-OVERLONG", \
	  "The card answered more than was asked: it is damaged or not a genuine card", \
	  "บัตรตอบข้อมูลมาเกินกว่าที่ขอ บัตรอาจชำรุดหรือไม่ใช่บัตรจริง", \
	  "Do not use this card's data; check the person's identity another way and note the code for support", \
	  "อย่าใช้ข้อมูลจากบัตรนี้ ให้ตรวจสอบตัวบุคคลด้วยวิธีอื่น และจดรหัสนี้แจ้งฝ่ายสนับสนุน") \
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


#define TB_ERRORS_STORE(X) \
	X(TB_E_STORE_NOT_INIT, "storage", "NOT-INITIALISED", \
	  "tabien has not been set up on this terminal yet", \
	  "ยังไม่ได้ตั้งค่าโปรแกรม tabien บนเครื่องนี้", \
	  "An admin of the agency runs 'tabien admin init' to create the branch and the first admin account", \
	  "ผู้ดูแลระบบของหน่วยงานสั่ง 'tabien admin init' เพื่อสร้างข้อมูลสาขาและบัญชีผู้ดูแลระบบคนแรก") \
	X(TB_E_STORE_ALREADY_INIT, "storage", "ALREADY-INITIALISED", \
	  "tabien is already set up on this terminal", \
	  "โปรแกรม tabien ตั้งค่าบนเครื่องนี้ไว้แล้ว", \
	  "Change users and branch settings with the 'tabien admin' commands or the settings screen", \
	  "แก้ไขผู้ใช้และการตั้งค่าสาขาด้วยคำสั่ง 'tabien admin' หรือหน้าตั้งค่า") \
	X(TB_E_STORE_NEWER, "storage", "DB-NEWER", \
	  "The database was made by a newer version of tabien", \
	  "ฐานข้อมูลถูกสร้างโดยโปรแกรม tabien รุ่นที่ใหม่กว่า", \
	  "Install the newer version of tabien on this terminal; do not delete the database", \
	  "ติดตั้งโปรแกรม tabien รุ่นใหม่บนเครื่องนี้ และอย่าลบฐานข้อมูล") \
	X(TB_E_STORE_CORRUPT, "storage", "DB-CORRUPT", \
	  "The database file is damaged or is not a tabien database", \
	  "ไฟล์ฐานข้อมูลเสียหายหรือไม่ใช่ฐานข้อมูลของ tabien", \
	  "Keep the file as it is (it holds the audit trail) and call branch support to restore it from a backup", \
	  "เก็บไฟล์ไว้ตามสภาพ (มีบันทึกการใช้งาน) และแจ้งฝ่ายสนับสนุนของสาขาเพื่อกู้คืนจากสำเนาสำรอง") \
	X(TB_E_STORE_READONLY, "storage", "DB-READONLY", \
	  "The database cannot be written (the file, its folder or the disk is read-only)", \
	  "เขียนฐานข้อมูลไม่ได้ (ไฟล์ โฟลเดอร์ หรือดิสก์เป็นแบบอ่านอย่างเดียว)", \
	  "Check that this account may write the database file and its folder, and that the disk is mounted read-write", \
	  "ตรวจสอบว่าบัญชีนี้มีสิทธิ์เขียนไฟล์ฐานข้อมูลและโฟลเดอร์ และดิสก์ไม่ได้เป็นแบบอ่านอย่างเดียว") \
	X(TB_E_STORE_FULL, "storage", "DB-FULL", \
	  "The disk that holds the database is full", \
	  "ดิสก์ที่เก็บฐานข้อมูลเต็ม", \
	  "Free some disk space, then try again", \
	  "ลบไฟล์ที่ไม่จำเป็นเพื่อเพิ่มพื้นที่ว่าง แล้วลองใหม่") \
	X(TB_E_STORE_BUSY, "storage", "DB-BUSY", \
	  "The database is busy (another tabien on this terminal is using it)", \
	  "ฐานข้อมูลไม่ว่าง (มีโปรแกรม tabien อื่นบนเครื่องนี้กำลังใช้งาน)", \
	  "Wait a moment and try again", \
	  "รอสักครู่แล้วลองใหม่") \
	X(TB_E_STORE_OPEN, "storage", "DB-OPEN", \
	  "The database file cannot be opened or created", \
	  "เปิดหรือสร้างไฟล์ฐานข้อมูลไม่ได้", \
	  "Check the path (--db or TABIEN_DB) and the permissions of the file and its folders", \
	  "ตรวจสอบที่อยู่ไฟล์ (--db หรือ TABIEN_DB) และสิทธิ์ของไฟล์และโฟลเดอร์") \
	X(TB_E_STORE_MODE, "storage", "DB-MODE", \
	  "Other accounts can read the database file, and it cannot be made private", \
	  "บัญชีอื่นอ่านไฟล์ฐานข้อมูลได้ และเปลี่ยนให้เป็นไฟล์ส่วนตัวไม่ได้", \
	  "The file's owner runs 'chmod 600' on the database file", \
	  "ให้เจ้าของไฟล์สั่ง 'chmod 600' กับไฟล์ฐานข้อมูล") \
	X(TB_E_STORE, "storage", "DB-ERROR", \
	  "The database reported an error", "ฐานข้อมูลแจ้งข้อผิดพลาด", \
	  "Try again; if it repeats, send the support report to branch support", \
	  "ลองใหม่ หากยังเกิดซ้ำ ให้ส่งรายงานสำหรับฝ่ายสนับสนุนให้ฝ่ายสนับสนุนของสาขา")

#define TB_ERRORS_AUTH(X) \
	X(TB_E_AUTH_WRONG, "auth", "AUTH-WRONG", \
	  "Wrong username or password", \
	  "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", \
	  "Check the username and that the keyboard types in the right language, then try again", \
	  "ตรวจสอบชื่อผู้ใช้ และดูว่าแป้นพิมพ์พิมพ์ภาษาที่ถูกต้อง แล้วลองใหม่") \
	X(TB_E_AUTH_PENDING, "auth", "AUTH-PENDING", \
	  "Your account is waiting for your agency's admin to approve it", \
	  "บัญชีของท่านรอผู้ดูแลระบบของหน่วยงานอนุมัติ", \
	  "Ask your agency's admin to check and approve your registration", \
	  "ติดต่อผู้ดูแลระบบของหน่วยงานเพื่อตรวจสอบและอนุมัติการลงทะเบียน") \
	X(TB_E_AUTH_REJECTED, "auth", "AUTH-REJECTED", \
	  "Your registration was not approved by your agency's admin", \
	  "การลงทะเบียนของท่านไม่ได้รับการอนุมัติจากผู้ดูแลระบบของหน่วยงาน", \
	  "Ask your agency's admin why; if you registered under the wrong agency, register again under the right one", \
	  "สอบถามเหตุผลจากผู้ดูแลระบบของหน่วยงาน หากลงทะเบียนผิดหน่วยงาน ให้ลงทะเบียนใหม่ให้ถูกหน่วยงาน") \
	X(TB_E_AUTH_SUSPENDED, "auth", "AUTH-SUSPENDED", \
	  "You are not authorised to use the system", \
	  "ท่านไม่ได้รับสิทธิ์เข้าใช้งานระบบ", \
	  "Contact your agency's admin", \
	  "ติดต่อผู้ดูแลระบบของหน่วยงาน") \
	X(TB_E_AUTH_LOCKED, "auth", "AUTH-LOCKED", \
	  "Too many failed logins: the account is locked for {n} seconds", \
	  "เข้าสู่ระบบผิดหลายครั้ง บัญชีถูกล็อกชั่วคราว {n} วินาที", \
	  "Try again after that time; if the password is forgotten, an admin can reset it", \
	  "ลองใหม่หลังพ้นเวลาดังกล่าว หากลืมรหัสผ่าน ให้ผู้ดูแลระบบตั้งรหัสผ่านใหม่ให้") \
	X(TB_E_AUTH_MUST_CHANGE, "auth", "PASSWORD-EXPIRED", \
	  "The password was reset and must be changed before going on", \
	  "รหัสผ่านถูกตั้งใหม่ ต้องเปลี่ยนรหัสผ่านก่อนใช้งานต่อ", \
	  "Change it at the login screen or with 'tabien admin passwd USERNAME'", \
	  "เปลี่ยนรหัสผ่านที่หน้าเข้าสู่ระบบ หรือด้วยคำสั่ง 'tabien admin passwd ชื่อผู้ใช้'") \
	X(TB_E_AUTH_TAKEN, "auth", "USERNAME-TAKEN", \
	  "This username is already taken", \
	  "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว", \
	  "Choose another username", \
	  "เลือกชื่อผู้ใช้อื่น") \
	X(TB_E_AUTH_INVALID, "input", "INVALID-FIELD", \
	  "A field is missing or not valid", \
	  "ข้อมูลบางช่องไม่ได้กรอกหรือไม่ถูกต้อง", \
	  "Fix the field named: username 3 to 32 of a-z 0-9 . _ -; names up to 100 characters without control characters; a 13-digit citizen ID with a correct check digit", \
	  "แก้ไขช่องที่ระบุ: ชื่อผู้ใช้ 3 ถึง 32 ตัว ใช้ได้เฉพาะ a-z 0-9 . _ -; ชื่อไม่เกิน 100 ตัวอักษรและไม่มีอักขระควบคุม; เลขประจำตัวประชาชน 13 หลักที่หลักตรวจสอบถูกต้อง") \
	X(TB_E_AUTH_PASSWORD_SHORT, "auth", "PASSWORD-SHORT", \
	  "The password is too short", \
	  "รหัสผ่านสั้นเกินไป", \
	  "Use a password of at least {n} characters", \
	  "ใช้รหัสผ่านที่มีความยาวอย่างน้อย {n} ตัวอักษร") \
	X(TB_E_IDLE_RANGE, "input", "IDLE-RANGE", \
	  "The idle lock is {n} seconds: it must be from 30 to 86400 seconds", \
	  "เวลาล็อกหน้าจอเมื่อไม่มีการใช้งานคือ {n} วินาที ต้องอยู่ระหว่าง 30 ถึง 86400 วินาที", \
	  "Type a number of seconds from 30 (half a minute) to 86400 (a day)", \
	  "พิมพ์จำนวนวินาทีตั้งแต่ 30 (ครึ่งนาที) ถึง 86400 (หนึ่งวัน)") \
	X(TB_E_CHOICE, "input", "NOT-A-CHOICE", \
	  "The value typed is not one this field takes", \
	  "ค่าที่พิมพ์ไม่ใช่ค่าที่ช่องนี้รับ", \
	  "Type one of the values listed next to the field", \
	  "พิมพ์ค่าใดค่าหนึ่งตามที่แสดงข้างช่อง") \
	X(TB_E_AUTH_PASSWORD_MISMATCH, "auth", "PASSWORD-MISMATCH", \
	  "The two passwords typed are not the same", \
	  "รหัสผ่านที่พิมพ์ทั้งสองครั้งไม่ตรงกัน", \
	  "Type the same password twice", \
	  "พิมพ์รหัสผ่านเดียวกันทั้งสองครั้ง") \
	X(TB_E_AUTH_LAST_ADMIN, "auth", "LAST-ADMIN", \
	  "This is the last active admin: the account cannot be suspended or lose its admin rights", \
	  "บัญชีนี้เป็นผู้ดูแลระบบคนสุดท้ายที่ใช้งานอยู่ จึงระงับหรือถอนสิทธิ์ผู้ดูแลระบบไม่ได้", \
	  "Make another active user an admin first", \
	  "แต่งตั้งผู้ใช้อื่นที่ใช้งานอยู่เป็นผู้ดูแลระบบก่อน") \
	X(TB_E_AUTH_NOT_ADMIN, "auth", "NOT-ADMIN", \
	  "Only an active admin of the agency can do this", \
	  "เฉพาะผู้ดูแลระบบของหน่วยงานที่ใช้งานอยู่เท่านั้นที่ทำรายการนี้ได้", \
	  "Ask your agency's admin", \
	  "ติดต่อผู้ดูแลระบบของหน่วยงาน") \
	X(TB_E_AUTH_NO_USER, "auth", "NO-SUCH-USER", \
	  "There is no user with this username", \
	  "ไม่พบผู้ใช้ชื่อนี้", \
	  "Check the username ('tabien admin users' lists them)", \
	  "ตรวจสอบชื่อผู้ใช้ (คำสั่ง 'tabien admin users' แสดงรายชื่อ)") \
	X(TB_E_AUTH_STATE, "auth", "ACCOUNT-STATE", \
	  "The account's status does not allow this", \
	  "สถานะของบัญชีไม่อนุญาตให้ทำรายการนี้", \
	  "Only pending accounts are approved or rejected, active ones suspended or made admin, suspended ones reinstated", \
	  "อนุมัติหรือปฏิเสธได้เฉพาะบัญชีที่รออนุมัติ ระงับหรือแต่งตั้งเป็นผู้ดูแลระบบได้เฉพาะบัญชีที่ใช้งานอยู่ และคืนสิทธิ์ได้เฉพาะบัญชีที่ถูกระงับ") \
	TB_ERRORS_RIGHTS(X)

/* Branches and rights (services/accounts/rights.c). */
#define TB_ERRORS_RIGHTS(X) \
	X(TB_E_RIGHT_REFUSED, "auth", "RIGHT-REFUSED", \
	  "You have no right to this (the right is named); the refusal is recorded", \
	  "คุณไม่มีสิทธิ์ใช้งานส่วนนี้ (ตามชื่อสิทธิ์ที่แสดง) และระบบได้บันทึกการปฏิเสธไว้แล้ว", \
	  "Ask an admin of your branch (named below) to grant it: tabien admin grant USERNAME RIGHT", \
	  "ขอให้ผู้ดูแลระบบของสาขา (ตามรายชื่อด้านล่าง) ให้สิทธิ์ด้วยคำสั่ง tabien admin grant ชื่อผู้ใช้ สิทธิ์") \
	X(TB_E_ROLE_ABOVE_OWN, "auth", "ROLE-ABOVE-OWN", \
	  "You can give roles only up to your own (named), and only to users not above it; the refusal is recorded", \
	  "คุณกำหนดบทบาทได้ไม่เกินบทบาทของตนเอง (ตามที่แสดง) และเฉพาะกับผู้ใช้ที่บทบาทไม่สูงกว่าคุณ ระบบได้บันทึกการปฏิเสธไว้แล้ว", \
	  "Ask someone whose role is high enough (named below) to give it: tabien admin role USERNAME ROLE", \
	  "ขอให้ผู้ที่มีบทบาทสูงพอ (ตามรายชื่อด้านล่าง) กำหนดบทบาทให้ด้วยคำสั่ง tabien admin role ชื่อผู้ใช้ บทบาท") \
	X(TB_E_RIGHT_BRANCH, "auth", "OTHER-BRANCH", \
	  "This user belongs to another branch: only its admins or an agency admin can do this", \
	  "ผู้ใช้นี้อยู่สาขาอื่น เฉพาะผู้ดูแลระบบของสาขานั้นหรือผู้ดูแลระบบระดับหน่วยงานเท่านั้นที่ทำรายการนี้ได้", \
	  "Ask an admin of that branch or an agency admin ('tabien admin users' shows each user's branch)", \
	  "ติดต่อผู้ดูแลระบบของสาขานั้นหรือผู้ดูแลระบบระดับหน่วยงาน (คำสั่ง 'tabien admin users' แสดงสาขาของผู้ใช้แต่ละคน)") \
	X(TB_E_AUTH_OTHER_BRANCH, "auth", "AUTH-OTHER-BRANCH", \
	  "Your account belongs to another branch than this terminal (both named below); the refusal is recorded", \
	  "บัญชีของท่านอยู่คนละสาขากับเครื่องนี้ (ตามที่ระบุด้านล่าง) และระบบได้บันทึกการปฏิเสธไว้แล้ว", \
	  "Use a terminal of your own branch, or ask an agency admin to move your account: tabien admin move USERNAME --branch CODE", \
	  "ใช้เครื่องของสาขาของท่าน หรือขอให้ผู้ดูแลระบบระดับหน่วยงานย้ายบัญชีด้วยคำสั่ง tabien admin move ชื่อผู้ใช้ --branch รหัสสาขา") \
	X(TB_E_BRANCH_UNKNOWN, "input", "BRANCH-UNKNOWN", \
	  "The branch set for this terminal is not in the database", \
	  "ไม่พบสาขาที่ตั้งไว้สำหรับเครื่องนี้ในฐานข้อมูล", \
	  "Fix 'branch = CODE' in the configuration file to one that 'tabien admin branches' lists, or ask an agency admin to add it", \
	  "แก้ไข 'branch = รหัส' ในไฟล์ตั้งค่าให้เป็นรหัสที่คำสั่ง 'tabien admin branches' แสดง หรือขอให้ผู้ดูแลระบบระดับหน่วยงานเพิ่มสาขา") \
	X(TB_E_BRANCH_NO_SUCH, "input", "NO-SUCH-BRANCH", \
	  "There is no branch with this code", \
	  "ไม่พบสาขาที่ใช้รหัสนี้", \
	  "Check the code ('tabien admin branches' lists them)", \
	  "ตรวจสอบรหัสสาขา (คำสั่ง 'tabien admin branches' แสดงรายการสาขา)") \
	X(TB_E_BRANCH_TAKEN, "input", "BRANCH-TAKEN", \
	  "A branch with this code exists already", \
	  "มีสาขาที่ใช้รหัสนี้อยู่แล้ว", \
	  "Choose another code ('tabien admin branches' lists them)", \
	  "เลือกรหัสอื่น (คำสั่ง 'tabien admin branches' แสดงรายการสาขา)")

#define TB_ERRORS_AUDIT(X) \
	X(TB_E_AUDIT_BROKEN, "audit", "AUDIT-BROKEN", \
	  "The audit trail was altered: a row was changed, removed or moved (the number shown is the first bad row)", \
	  "บันทึกการใช้งานถูกแก้ไข มีรายการถูกเปลี่ยน ลบ หรือย้ายลำดับ (ตัวเลขที่แสดงคือรายการแรกที่ไม่ถูกต้อง)", \
	  "Keep the database file as it is as evidence and report it to the agency's supervisor", \
	  "เก็บไฟล์ฐานข้อมูลไว้ตามสภาพเพื่อเป็นหลักฐาน และรายงานผู้บังคับบัญชาของหน่วยงาน") \
	X(TB_E_AUDIT_UNWRITTEN, "audit", "AUDIT-NOT-WRITTEN", \
	  "The answer came but its audit row could not be written, so it is not shown", \
	  "ได้รับคำตอบแล้ว แต่บันทึกการใช้งานไม่ได้ จึงไม่แสดงข้อมูล", \
	  "Check the database (disk space, its permissions) and try again; report the code shown to branch support if it repeats", \
	  "ตรวจสอบฐานข้อมูล (พื้นที่ดิสก์และสิทธิ์ของไฟล์) แล้วลองใหม่ หากยังเกิดซ้ำ ให้แจ้งรหัสที่แสดงแก่ฝ่ายสนับสนุนของสาขา") \
	X(TB_E_AUDIT_REWRITTEN, "audit", "AUDIT-REWRITTEN", \
	  "The audit trail was rewritten after it was sealed: a row up to the number shown was changed, removed or moved and the hashes made again", \
	  "บันทึกการใช้งานถูกเขียนใหม่หลังจากผนึกแล้ว มีรายการจนถึงลำดับที่แสดงถูกเปลี่ยน ลบ หรือย้าย แล้วคำนวณค่าแฮชใหม่", \
	  "Keep the database and the key file as they are as evidence, compare with the seals in the system log and report it to the agency's supervisor", \
	  "เก็บฐานข้อมูลและไฟล์กุญแจไว้ตามสภาพเพื่อเป็นหลักฐาน เทียบกับตราผนึกในบันทึกของระบบ และรายงานผู้บังคับบัญชาของหน่วยงาน") \
	X(TB_E_AUDIT_SEAL_FORGED, "audit", "AUDIT-SEAL-FORGED", \
	  "A seal of the audit trail was not made with the key of its own epoch (the number shown is the epoch)", \
	  "ตราผนึกของบันทึกการใช้งานไม่ได้สร้างด้วยกุญแจของช่วงของตนเอง (ตัวเลขที่แสดงคือช่วงกุญแจ)", \
	  "Check that the verification key is the one this terminal's seal-init showed; if it is, keep the files as evidence and report it to the agency's supervisor", \
	  "ตรวจสอบว่ากุญแจตรวจสอบเป็นกุญแจที่ seal-init ของเครื่องนี้แสดง หากใช่ ให้เก็บไฟล์ไว้เป็นหลักฐานและรายงานผู้บังคับบัญชาของหน่วยงาน") \
	X(TB_E_AUDIT_SEAL_MISSING, "audit", "AUDIT-SEAL-MISSING", \
	  "Seals of the audit trail are missing (the number shown is the first missing epoch)", \
	  "ตราผนึกของบันทึกการใช้งานหายไป (ตัวเลขที่แสดงคือช่วงกุญแจแรกที่หายไป)", \
	  "Compare with the seals in the system log (journalctl -t tabien), keep the files as evidence and report it to the agency's supervisor", \
	  "เทียบกับตราผนึกในบันทึกของระบบ (journalctl -t tabien) เก็บไฟล์ไว้เป็นหลักฐาน และรายงานผู้บังคับบัญชาของหน่วยงาน") \
	X(TB_E_AUDIT_SEAL_KEY, "audit", "AUDIT-SEAL-KEY", \
	  "The audit trail's sealing key or verification key cannot be used", \
	  "ใช้กุญแจผนึกหรือกุญแจตรวจสอบของบันทึกการใช้งานไม่ได้", \
	  "Give the verification key exactly as seal-init showed it (tbseal1-...); the key file must be a plain 0600 file of this account, not a link", \
	  "ระบุกุญแจตรวจสอบตามที่ seal-init แสดงทุกตัวอักษร (tbseal1-...) ไฟล์กุญแจต้องเป็นไฟล์ธรรมดาของบัญชีนี้ สิทธิ์ 0600 และไม่ใช่ลิงก์") \
	X(TB_E_AUDIT_SEAL_EXISTS, "audit", "AUDIT-SEAL-EXISTS", \
	  "Sealing is already set up for this database on this terminal", \
	  "ตั้งค่าการผนึกบันทึกการใช้งานของฐานข้อมูลนี้บนเครื่องนี้ไว้แล้ว", \
	  "Use the verification key shown the first time; the old key file is never replaced, so a forger cannot start the seals again", \
	  "ใช้กุญแจตรวจสอบที่แสดงในครั้งแรก ไฟล์กุญแจเดิมจะไม่ถูกแทนที่ ผู้ปลอมแปลงจึงเริ่มการผนึกใหม่ไม่ได้")

#include "services/base/errors_services.h"

#define TB_ERRORS(X) TB_ERRORS_GENERAL(X) TB_ERRORS_PCSC(X) TB_ERRORS_CARD(X) \
	TB_ERRORS_STORE(X) TB_ERRORS_AUTH(X) TB_ERRORS_AUDIT(X) TB_ERRORS_GATEWAY(X) \
	TB_ERRORS_DBD(X) TB_ERRORS_LK2(X) TB_ERRORS_FILES(X) TB_ERRORS_COPY(X) \
	TB_ERRORS_DOCTOR(X) TB_ERRORS_PG(X)

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

/* The message and the hint with the detail in the sentence: an entry may
 * say "{n}" where its number goes ("locked for {n} seconds"); use these, not
 * the two above, wherever e's detail is known. */
void err_text(const tb_err *e, enum tb_lang lang, char *buf, size_t size);
void err_hint_text(const tb_err *e, enum tb_lang lang, char *buf, size_t size);

/* "CARD-REMOVED (0x80100069, photo): The card was removed ... — Leave the card ..."
 * Always NUL-terminated; returns the length it wanted, like snprintf. */
int err_format(const tb_err *e, enum tb_lang lang, char *buf, size_t size);

/* Map a PC/SC return code to a catalogue entry. */
enum tb_err_id err_from_pcsc(long rv);

#endif
