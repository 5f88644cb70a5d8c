/* The error catalogue's second half (the first is in errors.h, which
 * includes this and is the one to include): the gateways (GDX, DBD, LK2),
 * files from outside, the digital copy, the doctor's checks and the
 * PostgreSQL server.  Same entries, same form:
 * X(id, domain, code, english, thai, hint_english, hint_thai). */
#ifndef TABIEN_ERRORS_SERVICES_H
#define TABIEN_ERRORS_SERVICES_H

/* The gateway (HTTP) and the Linkage Center.  A Linkage code (90001, 95011 ...)
 * is kept in tb_err.detail, so the number staff quote to support stays
 * visible next to the text. */
#define TB_ERRORS_GATEWAY(X) \
	X(TB_E_NET_UNREACHABLE, "gateway", "GATEWAY-UNREACHABLE", \
	  "The gateway cannot be reached (X0003): no connection, name, secure link or answer in time", \
	  "ติดต่อเครื่องแม่ข่ายไม่ได้ (X0003) ไม่มีการเชื่อมต่อ หาชื่อไม่พบ การเชื่อมต่อแบบปลอดภัยล้มเหลว หรือไม่ตอบภายในเวลา", \
	  "Check the network cable or connection (internet or GIN), the gateway address (gdx.url) and the certificate settings, then try again", \
	  "ตรวจสอบสายหรือการเชื่อมต่อเครือข่าย (อินเทอร์เน็ตหรือ GIN) ที่อยู่เครื่องแม่ข่าย (gdx.url) และการตั้งค่าใบรับรอง แล้วลองใหม่") \
	X(TB_E_NET_DENIED, "gateway", "GATEWAY-DENIED", \
	  "The gateway refused the request (HTTP 401/403): the consumer key, secret or token was not accepted", \
	  "เครื่องแม่ข่ายปฏิเสธคำขอ (HTTP 401/403) ไม่ยอมรับรหัสผู้ใช้บริการ รหัสลับ หรือโทเคน", \
	  "Check gdx.consumer_key and gdx.consumer_secret in the configuration file; ask branch support if they were changed", \
	  "ตรวจสอบ gdx.consumer_key และ gdx.consumer_secret ในไฟล์ตั้งค่า หากมีการเปลี่ยนให้สอบถามฝ่ายสนับสนุนของสาขา") \
	X(TB_E_NET_NOT_FOUND, "gateway", "GATEWAY-NOT-FOUND", \
	  "The gateway has no such data or address (HTTP 404)", \
	  "เครื่องแม่ข่ายไม่พบข้อมูลหรือที่อยู่ที่ขอ (HTTP 404)", \
	  "Check the citizen ID; if every query fails, check the gateway address (gdx.url)", \
	  "ตรวจสอบเลขประจำตัวประชาชน หากทุกคำขอล้มเหลว ให้ตรวจสอบที่อยู่เครื่องแม่ข่าย (gdx.url)") \
	X(TB_E_NET_SERVER, "gateway", "GATEWAY-FAILED", \
	  "The gateway reported a failure on its side (HTTP 5xx)", \
	  "เครื่องแม่ข่ายขัดข้อง (HTTP 5xx)", \
	  "Wait a few minutes and try again; if it lasts, report the code shown to branch support", \
	  "รอสักครู่แล้วลองใหม่ หากยังขัดข้อง ให้แจ้งรหัสที่แสดงแก่ฝ่ายสนับสนุนของสาขา") \
	X(TB_E_NET_STATUS, "gateway", "GATEWAY-STATUS", \
	  "The gateway gave an unexpected HTTP status", \
	  "เครื่องแม่ข่ายตอบสถานะ HTTP ที่ไม่คาดไว้", \
	  "Try again; if it repeats, report the code shown to branch support", \
	  "ลองใหม่ หากยังเกิดซ้ำ ให้แจ้งรหัสที่แสดงแก่ฝ่ายสนับสนุนของสาขา") \
	X(TB_E_NET_TRUNCATED, "gateway", "ANSWER-TRUNCATED", \
	  "The gateway's answer was cut off before its end", \
	  "คำตอบจากเครื่องแม่ข่ายขาดหายก่อนจบ", \
	  "Try again; an unstable connection is the usual cause", \
	  "ลองใหม่ สาเหตุที่พบบ่อยคือการเชื่อมต่อไม่เสถียร") \
	X(TB_E_NET_TOO_LARGE, "gateway", "ANSWER-TOO-LARGE", \
	  "The gateway's answer is too large and was refused", \
	  "คำตอบจากเครื่องแม่ข่ายมีขนาดใหญ่เกินไปจึงไม่รับ", \
	  "Report it to branch support; the limit is http.max_body in the configuration file", \
	  "แจ้งฝ่ายสนับสนุนของสาขา ขนาดสูงสุดกำหนดที่ http.max_body ในไฟล์ตั้งค่า") \
	X(TB_E_NET_MALFORMED, "gateway", "ANSWER-MALFORMED", \
	  "The gateway's answer is not in the expected form", \
	  "คำตอบจากเครื่องแม่ข่ายไม่อยู่ในรูปแบบที่คาดไว้", \
	  "Try again; if it repeats, report it to branch support with the service code", \
	  "ลองใหม่ หากยังเกิดซ้ำ ให้แจ้งฝ่ายสนับสนุนของสาขาพร้อมรหัสบริการ") \
	X(TB_E_NET_CANCELLED, "gateway", "CANCELLED", \
	  "The request was cancelled", "คำขอถูกยกเลิก", \
	  "Send the request again when needed", \
	  "ส่งคำขอใหม่เมื่อต้องการ") \
	X(TB_E_GDX_NOT_SET_UP, "gateway", "GATEWAY-NOT-SET-UP", \
	  "The gateway is not set up on this terminal (the setting named is missing or wrong)", \
	  "ยังไม่ได้ตั้งค่าการเชื่อมต่อเครื่องแม่ข่ายบนเครื่องนี้ (ค่าที่ระบุไม่มีหรือไม่ถูกต้อง)", \
	  "Branch support adds gdx.url, gdx.consumer_key and gdx.consumer_secret to the configuration file", \
	  "ฝ่ายสนับสนุนของสาขาเพิ่ม gdx.url gdx.consumer_key และ gdx.consumer_secret ในไฟล์ตั้งค่า") \
	X(TB_E_PLAIN_HTTP, "gateway", "PLAIN-HTTP", \
	  "The gateway address named uses plain http://: the secret, tokens and citizen data would travel unencrypted", \
	  "ที่อยู่เครื่องแม่ข่ายที่ระบุใช้ http:// ธรรมดา รหัสลับ โทเคน และข้อมูลประชาชนจะถูกส่งโดยไม่เข้ารหัส", \
	  "Write the address with https:// in the setting named (plain http:// is accepted only for 127.0.0.1, ::1 and localhost)", \
	  "แก้ค่าที่ระบุให้ขึ้นต้นด้วย https:// (http:// ธรรมดาใช้ได้เฉพาะกับ 127.0.0.1 ::1 และ localhost)") \
	X(TB_E_TLS_UNTRUSTED, "gateway", "TLS-UNTRUSTED", \
	  "The gateway's certificate is not signed by an authority this terminal trusts; nothing was sent", \
	  "ใบรับรองของเครื่องแม่ข่ายไม่ได้ลงนามโดยผู้ออกใบรับรองที่เครื่องนี้เชื่อถือ จึงไม่ได้ส่งข้อมูลใด", \
	  "If the agency uses its own certificate authority, set http.ca_file to its certificate (PEM); otherwise the connection may be intercepted: report it to branch support", \
	  "หากหน่วยงานใช้ผู้ออกใบรับรองของตนเอง ให้ตั้ง http.ca_file เป็นไฟล์ใบรับรองนั้น (PEM) มิฉะนั้นอาจมีผู้ดักการเชื่อมต่อ ให้แจ้งฝ่ายสนับสนุนของสาขา") \
	X(TB_E_TLS_WRONG_HOST, "gateway", "TLS-WRONG-HOST", \
	  "The gateway's certificate is for another host name than the address configured; nothing was sent", \
	  "ใบรับรองของเครื่องแม่ข่ายออกให้ชื่อเครื่องอื่น ไม่ตรงกับที่อยู่ที่ตั้งค่าไว้ จึงไม่ได้ส่งข้อมูลใด", \
	  "Check the host name in the gateway's address (gdx.url, lk2.url, dbd.open_url) against the one the agency gave; if it is right, report it to branch support", \
	  "ตรวจสอบชื่อเครื่องในที่อยู่เครื่องแม่ข่าย (gdx.url lk2.url dbd.open_url) กับที่หน่วยงานแจ้ง หากถูกต้องแล้ว ให้แจ้งฝ่ายสนับสนุนของสาขา") \
	X(TB_E_TLS_EXPIRED, "gateway", "TLS-EXPIRED", \
	  "The gateway's certificate has expired or is not valid yet; nothing was sent", \
	  "ใบรับรองของเครื่องแม่ข่ายหมดอายุหรือยังไม่ถึงวันเริ่มใช้ จึงไม่ได้ส่งข้อมูลใด", \
	  "Check this terminal's date and time; if they are right, the gateway's operator must renew the certificate: report it to branch support", \
	  "ตรวจสอบวันและเวลาของเครื่องนี้ หากถูกต้องแล้ว ผู้ดูแลเครื่องแม่ข่ายต้องต่ออายุใบรับรอง ให้แจ้งฝ่ายสนับสนุนของสาขา") \
	X(TB_E_TLS_PIN, "gateway", "TLS-PIN-MISMATCH", \
	  "The gateway's public key is not the one pinned in http.pin; nothing was sent", \
	  "กุญแจสาธารณะของเครื่องแม่ข่ายไม่ตรงกับที่กำหนดไว้ใน http.pin จึงไม่ได้ส่งข้อมูลใด", \
	  "The gateway changed its key or the connection is intercepted: report it to branch support and change http.pin only once the agency confirms the new key", \
	  "เครื่องแม่ข่ายเปลี่ยนกุญแจหรือมีผู้ดักการเชื่อมต่อ ให้แจ้งฝ่ายสนับสนุนของสาขา และแก้ http.pin เมื่อหน่วยงานยืนยันกุญแจใหม่แล้วเท่านั้น") \
	X(TB_E_SECRET_MODE, "gateway", "CONFIG-NOT-PRIVATE", \
	  "The configuration file holds the consumer secret but other accounts can read it, or it is not yours", \
	  "ไฟล์ตั้งค่ามีรหัสลับผู้ใช้บริการ แต่บัญชีอื่นอ่านได้ หรือไม่ใช่ไฟล์ของบัญชีนี้", \
	  "Make it private: chmod 600 on the file named (and chown it to this account); then run again", \
	  "ทำให้เป็นไฟล์ส่วนตัว: สั่ง chmod 600 กับไฟล์ที่ระบุ (และ chown ให้บัญชีนี้) แล้วสั่งใหม่") \
	X(TB_E_LK_NOT_REGISTERED, "linkage", "LINKAGE-NOT-REGISTERED", \
	  "The officer is not registered in the Linkage Center", \
	  "เจ้าหน้าที่ยังไม่ได้ลงทะเบียนในระบบ Linkage Center", \
	  "Ask the agency's Linkage Super User to grant this officer rights (linkagemgmt)", \
	  "ขอให้ Super User ของหน่วยงานกำหนดสิทธิ์ให้เจ้าหน้าที่ผู้นี้ (linkagemgmt)") \
	X(TB_E_LK_NO_PERMISSION, "linkage", "LINKAGE-NO-PERMISSION", \
	  "No Linkage Center permission, or the office ID is wrong", \
	  "ไม่มีสิทธิ์ใช้งาน Linkage Center หรือรหัสสำนักงานไม่ถูกต้อง", \
	  "Check the office ID (linkage.office_id); ask the agency's Linkage Super User", \
	  "ตรวจสอบรหัสสำนักงาน (linkage.office_id) และสอบถาม Super User ของหน่วยงาน") \
	X(TB_E_LK_NO_SERVICE_RIGHT, "linkage", "LINKAGE-NO-SERVICE-RIGHT", \
	  "The officer or the agency has no right to this service", \
	  "เจ้าหน้าที่หรือหน่วยงานไม่มีสิทธิ์ใช้บริการนี้", \
	  "The agency's Linkage Super User must request this service from DOPA", \
	  "Super User ของหน่วยงานต้องขอสิทธิ์ใช้บริการนี้จากกรมการปกครอง") \
	X(TB_E_LK_QUOTA, "linkage", "LINKAGE-QUOTA", \
	  "The quota of queries is used up", \
	  "โควตาการสอบถามข้อมูลหมดแล้ว", \
	  "Try again tomorrow, or ask the agency's Linkage Super User to raise the quota", \
	  "ลองใหม่ในวันถัดไป หรือขอให้ Super User ของหน่วยงานเพิ่มโควตา") \
	X(TB_E_LK_SESSION, "linkage", "LINKAGE-SESSION", \
	  "The Linkage Center does not accept the officer's session or card", \
	  "Linkage Center ไม่ยอมรับการเข้าสู่ระบบหรือบัตรของเจ้าหน้าที่", \
	  "Log in again with the officer's latest card; if it repeats, report the code shown", \
	  "เข้าสู่ระบบใหม่ด้วยบัตรใบล่าสุดของเจ้าหน้าที่ หากยังเกิดซ้ำ ให้แจ้งรหัสที่แสดง") \
	X(TB_E_LK_CLOSED, "linkage", "LINKAGE-CLOSED", \
	  "The Linkage Center is closed now (outside working hours, maintenance, or not enabled for the agency)", \
	  "Linkage Center ปิดให้บริการขณะนี้ (นอกเวลาทำการ ปิดปรับปรุง หรือยังไม่เปิดให้หน่วยงาน)", \
	  "Try again later; if it lasts during working hours, report the code shown", \
	  "ลองใหม่ภายหลัง หากยังปิดในเวลาทำการ ให้แจ้งรหัสที่แสดง") \
	X(TB_E_LK_PROVIDER, "linkage", "LINKAGE-PROVIDER-DOWN", \
	  "The data provider did not answer in time", \
	  "หน่วยงานเจ้าของข้อมูลไม่ตอบภายในเวลา", \
	  "Try again in a few minutes", \
	  "ลองใหม่ในอีกสักครู่") \
	X(TB_E_LK_BAD_REQUEST, "linkage", "LINKAGE-BAD-REQUEST", \
	  "The Linkage Center did not accept the request (bad input or unknown service)", \
	  "Linkage Center ไม่รับคำขอ (ข้อมูลไม่ถูกต้องหรือไม่พบบริการ)", \
	  "Check the citizen ID and the service code; report the code shown if they are right", \
	  "ตรวจสอบเลขประจำตัวประชาชนและรหัสบริการ หากถูกต้องให้แจ้งรหัสที่แสดง") \
	X(TB_E_LK_NO_DATA, "linkage", "LINKAGE-NO-DATA", \
	  "The registry has no data of this kind for this person", \
	  "ทะเบียนไม่มีข้อมูลประเภทนี้ของบุคคลนี้", \
	  "Check the citizen ID; no record is a normal answer for some services", \
	  "ตรวจสอบเลขประจำตัวประชาชน สำหรับบางบริการการไม่พบข้อมูลถือเป็นคำตอบปกติ") \
	X(TB_E_LK_TOO_LARGE, "linkage", "LINKAGE-TOO-LARGE", \
	  "The Linkage Center's answer is over its size limit", \
	  "คำตอบของ Linkage Center เกินขนาดที่กำหนด", \
	  "Report the code shown to branch support", \
	  "แจ้งรหัสที่แสดงแก่ฝ่ายสนับสนุนของสาขา") \
	X(TB_E_LK_TOKEN, "linkage", "LINKAGE-TOKEN", \
	  "The gateway did not accept a new token", \
	  "เครื่องแม่ข่ายไม่ยอมรับโทเคนใหม่", \
	  "Try again in a minute; if it repeats, check the consumer key and secret", \
	  "ลองใหม่ในอีกสักครู่ หากยังเกิดซ้ำ ให้ตรวจสอบรหัสผู้ใช้บริการและรหัสลับ") \
	X(TB_E_LK_OTHER, "linkage", "LINKAGE-ERROR", \
	  "The Linkage Center reported an error (the code is shown)", \
	  "Linkage Center แจ้งข้อผิดพลาด (แสดงรหัสไว้)", \
	  "Note the code and report it to branch support; the list of codes is in the manual", \
	  "จดรหัสแล้วแจ้งฝ่ายสนับสนุนของสาขา รายการรหัสอยู่ในคู่มือ")

/* DBD (กรมพัฒนาธุรกิจการค้า) juristic persons, over GDX or the open API.  The
 * DBD status code (1004, 8888 ...) is kept in tb_err.detail. */
#define TB_ERRORS_DBD(X) \
	X(TB_E_DBD_ID_INVALID, "input", "JURISTIC-ID-INVALID", \
	  "The juristic ID is not 13 digits with a correct check digit", \
	  "เลขทะเบียนนิติบุคคลไม่ใช่ตัวเลข 13 หลักที่หลักตรวจสอบถูกต้อง", \
	  "Check the number on the company certificate; nothing was sent", \
	  "ตรวจสอบเลขจากหนังสือรับรองนิติบุคคล ยังไม่มีการส่งคำขอใด ๆ") \
	X(TB_E_DBD_NOT_FOUND, "dbd", "JURISTIC-NOT-FOUND", \
	  "DBD has no juristic person with this ID", \
	  "กรมพัฒนาธุรกิจการค้าไม่พบนิติบุคคลเลขนี้", \
	  "Check the juristic ID with the company certificate; a company registered today may not be listed yet", \
	  "ตรวจสอบเลขทะเบียนกับหนังสือรับรองนิติบุคคล นิติบุคคลที่เพิ่งจดทะเบียนวันนี้อาจยังไม่มีข้อมูล") \
	X(TB_E_DBD_BAD_ID, "dbd", "JURISTIC-BAD-ID", \
	  "DBD did not accept the juristic ID", \
	  "กรมพัฒนาธุรกิจการค้าไม่รับเลขทะเบียนนิติบุคคลนี้", \
	  "Check the juristic ID; if it is right, report the code shown to branch support", \
	  "ตรวจสอบเลขทะเบียนนิติบุคคล หากถูกต้องให้แจ้งรหัสที่แสดงแก่ฝ่ายสนับสนุนของสาขา") \
	X(TB_E_DBD_QUOTA, "dbd", "JURISTIC-QUOTA", \
	  "Today's quota of DBD lookups is used up", \
	  "โควตาการสอบถามข้อมูลนิติบุคคลของวันนี้หมดแล้ว", \
	  "Try again tomorrow; a copy saved earlier is shown when there is one", \
	  "ลองใหม่ในวันถัดไป หากมีข้อมูลที่บันทึกไว้ก่อนหน้า โปรแกรมจะแสดงข้อมูลนั้นแทน") \
	X(TB_E_DBD_BLOCKED, "dbd", "JURISTIC-BLOCKED", \
	  "DBD's web firewall is blocking this terminal for now (too many lookups in a short time)", \
	  "ระบบป้องกันของกรมพัฒนาธุรกิจการค้าระงับการเข้าถึงจากเครื่องนี้ชั่วคราว (สอบถามถี่เกินไป)", \
	  "Wait at least 15 minutes before the next lookup; do not retry in a loop", \
	  "รออย่างน้อย 15 นาทีก่อนสอบถามครั้งถัดไป และอย่าสั่งซ้ำติดต่อกัน") \
	X(TB_E_DBD_UNREACHABLE, "dbd", "JURISTIC-UNREACHABLE", \
	  "The DBD open data service cannot be reached or did not answer properly", \
	  "ติดต่อบริการข้อมูลเปิดของกรมพัฒนาธุรกิจการค้าไม่ได้ หรือตอบกลับไม่ถูกต้อง", \
	  "Check the network and dbd.open_url, then try again later; a copy saved earlier is shown when there is one", \
	  "ตรวจสอบเครือข่ายและ dbd.open_url แล้วลองใหม่ภายหลัง หากมีข้อมูลที่บันทึกไว้ก่อนหน้า โปรแกรมจะแสดงข้อมูลนั้นแทน") \
	X(TB_E_DBD_OTHER, "dbd", "JURISTIC-ERROR", \
	  "DBD reported an error (the code is shown)", \
	  "กรมพัฒนาธุรกิจการค้าแจ้งข้อผิดพลาด (แสดงรหัสไว้)", \
	  "Try again later; if it repeats, report the code shown to branch support", \
	  "ลองใหม่ภายหลัง หากยังเกิดซ้ำ ให้แจ้งรหัสที่แสดงแก่ฝ่ายสนับสนุนของสาขา") \
	X(TB_E_DBD_PART_MISSING, "dbd", "JURISTIC-PART-MISSING", \
	  "This part was not in the saved copy (DBD did not send it that time)", \
	  "ข้อมูลส่วนนี้ไม่มีในสำเนาที่บันทึกไว้ (ครั้งนั้นกรมพัฒนาธุรกิจการค้าไม่ได้ส่งมา)", \
	  "Ask DBD again (refresh) to get it", \
	  "สอบถามกรมพัฒนาธุรกิจการค้าใหม่ (รีเฟรช) เพื่อรับข้อมูลส่วนนี้")

/* Linkage Center 2 through the agency's proxy.  "Cannot reach the proxy"
 * (LK2-UNREACHABLE) is kept apart from what the Linkage Center answers (the
 * linkage entries above, with the code in tb_err.detail). */
#define TB_ERRORS_LK2(X) \
	X(TB_E_LK2_NOT_SET_UP, "gateway", "LK2-NOT-SET-UP", \
	  "Linkage Center 2 is not set up on this terminal (the setting named is missing or wrong)", \
	  "ยังไม่ได้ตั้งค่าการเชื่อมต่อ Linkage Center 2 บนเครื่องนี้ (ค่าที่ระบุไม่มีหรือไม่ถูกต้อง)", \
	  "Branch support adds lk2.url (the agency's proxy) and lk2.signer to the configuration file", \
	  "ฝ่ายสนับสนุนของสาขาเพิ่ม lk2.url (เครื่องพร็อกซีของหน่วยงาน) และ lk2.signer ในไฟล์ตั้งค่า") \
	X(TB_E_LK2_CONFIG_MODE, "gateway", "LK2-CONFIG-NOT-PRIVATE", \
	  "The configuration file names the PIN signer but other accounts can read it, or it is not yours", \
	  "ไฟล์ตั้งค่าระบุโปรแกรมลงนามที่รับรหัส PIN แต่บัญชีอื่นอ่านได้ หรือไม่ใช่ไฟล์ของบัญชีนี้", \
	  "Make it private: chmod 600 on the file named (and chown it to this account); then run again", \
	  "ทำให้เป็นไฟล์ส่วนตัว: สั่ง chmod 600 กับไฟล์ที่ระบุ (และ chown ให้บัญชีนี้) แล้วสั่งใหม่") \
	X(TB_E_LK2_UNREACHABLE, "gateway", "LK2-UNREACHABLE", \
	  "The agency's Linkage Center proxy cannot be reached (X0003): no connection, name, secure link or answer in time", \
	  "ติดต่อเครื่องพร็อกซี Linkage Center ของหน่วยงานไม่ได้ (X0003) ไม่มีการเชื่อมต่อ หาชื่อไม่พบ การเชื่อมต่อแบบปลอดภัยล้มเหลว หรือไม่ตอบภายในเวลา", \
	  "Check the network (internet or GIN), the proxy's address (lk2.url) and that the agency's proxy is running, then try again", \
	  "ตรวจสอบเครือข่าย (อินเทอร์เน็ตหรือ GIN) ที่อยู่เครื่องพร็อกซี (lk2.url) และดูว่าเครื่องพร็อกซีของหน่วยงานทำงานอยู่ แล้วลองใหม่") \
	X(TB_E_LK2_SIGNER_MISSING, "signer", "LK2-SIGNER-MISSING", \
	  "The PIN signer (lk2.signer) cannot be run, or other accounts could change it", \
	  "เรียกใช้โปรแกรมลงนามรหัส PIN (lk2.signer) ไม่ได้ หรือบัญชีอื่นแก้ไขโปรแกรมนี้ได้", \
	  "Check that lk2.signer names the agency's signer with its full path, that it is installed and executable, and writable by its owner only", \
	  "ตรวจสอบว่า lk2.signer ระบุโปรแกรมลงนามของหน่วยงานพร้อมที่อยู่เต็ม ติดตั้งแล้ว เรียกใช้ได้ และมีเพียงเจ้าของที่แก้ไขได้") \
	X(TB_E_LK2_SIGNER_FAILED, "signer", "LK2-SIGNER-FAILED", \
	  "The PIN signer did not give an envelope (it failed, printed nothing, or printed too much)", \
	  "โปรแกรมลงนามรหัส PIN ไม่ส่งผลการลงนาม (ทำงานล้มเหลว ไม่แสดงผล หรือแสดงผลยาวเกินไป)", \
	  "Check the officer's card is in the reader and log in again; if it repeats, report the code shown to branch support", \
	  "ตรวจสอบว่าบัตรของเจ้าหน้าที่อยู่ในเครื่องอ่าน แล้วเข้าสู่ระบบใหม่ หากยังเกิดซ้ำ ให้แจ้งรหัสที่แสดงแก่ฝ่ายสนับสนุนของสาขา") \
	X(TB_E_LK2_SIGNER_TIMEOUT, "signer", "LK2-SIGNER-TIMEOUT", \
	  "The PIN signer did not finish in time and was stopped", \
	  "โปรแกรมลงนามรหัส PIN ทำงานไม่เสร็จภายในเวลาจึงถูกหยุด", \
	  "Check the officer's card and its reader, then log in again; the limit is lk2.signer_timeout_ms", \
	  "ตรวจสอบบัตรของเจ้าหน้าที่และเครื่องอ่าน แล้วเข้าสู่ระบบใหม่ เวลาสูงสุดกำหนดที่ lk2.signer_timeout_ms") \
	X(TB_E_LK2_WRONG_PIN, "linkage", "LK2-WRONG-PIN", \
	  "The PIN of the officer's card is wrong", \
	  "รหัส PIN ของบัตรเจ้าหน้าที่ไม่ถูกต้อง", \
	  "Type the PIN again with care: after several wrong PINs the card is blocked", \
	  "พิมพ์รหัส PIN ใหม่อย่างระมัดระวัง หากใส่ผิดหลายครั้งบัตรจะถูกระงับ") \
	X(TB_E_LK2_PIN_BLOCKED, "linkage", "LK2-PIN-BLOCKED", \
	  "The PIN of the officer's card is blocked", \
	  "รหัส PIN ของบัตรเจ้าหน้าที่ถูกระงับ", \
	  "The officer has the PIN reset at a district registry office; until then another officer logs in", \
	  "เจ้าหน้าที่ต้องไปปลดล็อกรหัส PIN ที่สำนักทะเบียน ระหว่างนี้ให้เจ้าหน้าที่คนอื่นเข้าสู่ระบบแทน") \
	X(TB_E_LK2_NO_OFFICE, "linkage", "LK2-NO-OFFICE", \
	  "The Linkage Center offers this officer no office, or not the one set in lk2.office_id", \
	  "Linkage Center ไม่มีสำนักงานให้เจ้าหน้าที่ผู้นี้ หรือไม่มีสำนักงานตามที่ตั้งไว้ใน lk2.office_id", \
	  "Remove lk2.office_id to take the first office offered, or ask the agency's Linkage Super User to add the officer to the office", \
	  "ลบ lk2.office_id เพื่อใช้สำนักงานแรกที่ระบบเสนอ หรือขอให้ Super User ของหน่วยงานเพิ่มเจ้าหน้าที่เข้าสำนักงาน") \
	X(TB_E_LK2_JOB, "linkage", "LK2-JOB-NOT-FOUND", \
	  "The Linkage Center does not know the job this request was sent under", \
	  "Linkage Center ไม่พบงาน (job) ที่ใช้ส่งคำขอนี้", \
	  "Remove lk2.job_id to use the officer's first job, or ask the agency's Linkage Super User which job to use", \
	  "ลบ lk2.job_id เพื่อใช้งานแรกของเจ้าหน้าที่ หรือสอบถาม Super User ของหน่วยงานว่าต้องใช้งานใด") \
	X(TB_E_LK2_SESSION, "linkage", "LK2-SESSION-ENDED", \
	  "The Linkage Center session has ended (not logged in, or the session expired and could not be renewed)", \
	  "การเข้าสู่ระบบ Linkage Center สิ้นสุดแล้ว (ยังไม่ได้เข้าสู่ระบบ หรือหมดอายุและต่ออายุไม่ได้)", \
	  "Log in again with the officer's card and PIN", \
	  "เข้าสู่ระบบใหม่ด้วยบัตรและรหัส PIN ของเจ้าหน้าที่")

/* Files tabien opens or writes that someone else could have planted or
 * swapped: links, other accounts' files, files that are not ours. */
#define TB_ERRORS_FILES(X) \
	X(TB_E_FILE_LINK, "input", "FILE-IS-LINK", \
	  "The file named is a symbolic link; tabien does not write through links", \
	  "ไฟล์ที่ระบุเป็นลิงก์ (symbolic link) โปรแกรม tabien ไม่เขียนผ่านลิงก์", \
	  "Name a new file in a folder of your own; the link and what it points to were left as they were", \
	  "ระบุชื่อไฟล์ใหม่ในโฟลเดอร์ของบัญชีนี้ ลิงก์และไฟล์ปลายทางไม่ถูกเปลี่ยนแปลง") \
	X(TB_E_FILE_NOT_OURS, "input", "FILE-NOT-OURS", \
	  "The file named belongs to another account or is not a plain file, so tabien does not replace it", \
	  "ไฟล์ที่ระบุเป็นของบัญชีอื่นหรือไม่ใช่ไฟล์ธรรมดา โปรแกรม tabien จึงไม่เขียนทับ", \
	  "Name a new file in a folder of your own; tabien replaces only plain files of this account", \
	  "ระบุชื่อไฟล์ใหม่ในโฟลเดอร์ของบัญชีนี้ โปรแกรม tabien เขียนทับได้เฉพาะไฟล์ธรรมดาของบัญชีนี้") \
	X(TB_E_STORE_LINK, "storage", "DB-IS-LINK", \
	  "The database path, or a -wal, -shm or -journal file beside it, is a symbolic link", \
	  "ที่อยู่ฐานข้อมูล หรือไฟล์ -wal -shm หรือ -journal ที่อยู่ข้างกัน เป็นลิงก์ (symbolic link)", \
	  "Point --db or TABIEN_DB at the real file and remove links beside it; tabien changed nothing", \
	  "ระบุ --db หรือ TABIEN_DB เป็นไฟล์จริง และลบลิงก์ที่อยู่ข้างกัน โปรแกรม tabien ไม่ได้เปลี่ยนแปลงไฟล์ใด") \
	X(TB_E_STORE_NOT_OURS, "storage", "DB-NOT-OURS", \
	  "The database file belongs to another account or is not a plain file", \
	  "ไฟล์ฐานข้อมูลเป็นของบัญชีอื่นหรือไม่ใช่ไฟล์ธรรมดา", \
	  "Run tabien as the account that owns the database, or check the path (--db or TABIEN_DB); tabien changed nothing", \
	  "เรียกใช้ tabien ด้วยบัญชีที่เป็นเจ้าของฐานข้อมูล หรือตรวจสอบที่อยู่ไฟล์ (--db หรือ TABIEN_DB) โปรแกรม tabien ไม่ได้เปลี่ยนแปลงไฟล์") \
	X(TB_E_STORE_FOREIGN, "storage", "DB-NOT-TABIEN", \
	  "The file is a database of another program, not tabien's", \
	  "ไฟล์นี้เป็นฐานข้อมูลของโปรแกรมอื่น ไม่ใช่ของ tabien", \
	  "Check the path (--db or TABIEN_DB); tabien left the file as it was", \
	  "ตรวจสอบที่อยู่ไฟล์ (--db หรือ TABIEN_DB) โปรแกรม tabien ไม่ได้เปลี่ยนแปลงไฟล์") \
	X(TB_E_CONFIG_LINK, "input", "CONFIG-IS-LINK", \
	  "The configuration file holds a secret but is a symbolic link, or is not yours", \
	  "ไฟล์ตั้งค่ามีข้อมูลลับ แต่เป็นลิงก์ (symbolic link) หรือไม่ใช่ไฟล์ของบัญชีนี้", \
	  "Put the real file at the path named, owned by this account with chmod 600; then run again", \
	  "วางไฟล์จริงไว้ที่ที่อยู่ที่ระบุ ให้เป็นของบัญชีนี้และสั่ง chmod 600 แล้วสั่งใหม่") \
	X(TB_E_CONFIG_FOLDER, "input", "CONFIG-FOLDER-OPEN", \
	  "The configuration file is in a folder other accounts can write, so they could replace it", \
	  "ไฟล์ตั้งค่าอยู่ในโฟลเดอร์ที่บัญชีอื่นเขียนได้ จึงอาจถูกแทนที่ได้", \
	  "Move the file to a folder of your own, or run chmod o-w,g-w on its folder", \
	  "ย้ายไฟล์ไปไว้ในโฟลเดอร์ของบัญชีนี้ หรือสั่ง chmod o-w,g-w กับโฟลเดอร์ของไฟล์") \
	X(TB_E_CONFIG_UNKNOWN, "input", "CONFIG-UNKNOWN", \
	  "The configuration file names a setting tabien does not know; it is ignored", \
	  "ไฟล์ตั้งค่ามีชื่อการตั้งค่าที่โปรแกรม tabien ไม่รู้จัก จึงไม่ถูกนำมาใช้", \
	  "Check the name's spelling against the nearest known setting shown, or see man tabien.conf", \
	  "ตรวจการสะกดชื่อเทียบกับชื่อที่ใกล้เคียงที่แสดงไว้ หรือดู man tabien.conf")

/* The digital copy (services/copy/, tabien-copy): the signed PDF that stands
 * in for a photocopy. */
#define TB_ERRORS_COPY(X) \
	X(TB_E_COPY_NO_KEY, "copy", "COPY-NO-KEY", \
	  "No signing key is set up for digital copies, so no copy was made", \
	  "ยังไม่ได้ตั้งค่ากุญแจสำหรับลงลายมือชื่อสำเนาอิเล็กทรอนิกส์ จึงไม่ได้ทำสำเนา", \
	  "Ask branch support to set copy.key and copy.cert (PEM files) in the configuration file, or copy.sign_command and copy.cert for a key in a token", \
	  "แจ้งฝ่ายสนับสนุนของสาขาให้ตั้งค่า copy.key และ copy.cert (ไฟล์ PEM) ในไฟล์ตั้งค่า หรือ copy.sign_command และ copy.cert เมื่อกุญแจอยู่ในโทเคน") \
	X(TB_E_COPY_KEY, "copy", "COPY-KEY-BAD", \
	  "The signing key file is not a private key tabien can use (damaged, protected by a passphrase or not a key)", \
	  "ไฟล์กุญแจสำหรับลงลายมือชื่อไม่ใช่กุญแจส่วนตัวที่ใช้ได้ (เสียหาย มีรหัสผ่าน หรือไม่ใช่กุญแจ)", \
	  "Ask branch support to check copy.key: an unencrypted PEM private key; no copy was made", \
	  "แจ้งฝ่ายสนับสนุนของสาขาให้ตรวจ copy.key ต้องเป็นกุญแจส่วนตัวแบบ PEM ที่ไม่เข้ารหัส ไม่ได้ทำสำเนา") \
	X(TB_E_COPY_KEY_MODE, "copy", "COPY-KEY-NOT-PRIVATE", \
	  "The signing key file can be read by other accounts, is a link or is not this account's", \
	  "บัญชีอื่นอ่านไฟล์กุญแจสำหรับลงลายมือชื่อได้ หรือไฟล์เป็นลิงก์ หรือไม่ใช่ของบัญชีนี้", \
	  "Make it a plain file of this account and run chmod 600 on it; no copy was made", \
	  "ให้เป็นไฟล์ธรรมดาของบัญชีนี้ และสั่ง chmod 600 กับไฟล์ ไม่ได้ทำสำเนา") \
	X(TB_E_COPY_CERT, "copy", "COPY-CERT-BAD", \
	  "The signing certificate (copy.cert or copy.chain) cannot be read", \
	  "อ่านใบรับรองสำหรับลงลายมือชื่อ (copy.cert หรือ copy.chain) ไม่ได้", \
	  "Ask branch support to check the PEM files named; no copy was made", \
	  "แจ้งฝ่ายสนับสนุนของสาขาให้ตรวจไฟล์ PEM ที่ระบุ ไม่ได้ทำสำเนา") \
	X(TB_E_COPY_KEY_MISMATCH, "copy", "COPY-KEY-MISMATCH", \
	  "The signing key does not belong to the signing certificate", \
	  "กุญแจสำหรับลงลายมือชื่อไม่ตรงกับใบรับรอง", \
	  "Ask branch support to set copy.key and copy.cert to a key and its own certificate; no copy was made", \
	  "แจ้งฝ่ายสนับสนุนของสาขาให้ตั้ง copy.key และ copy.cert เป็นกุญแจและใบรับรองคู่เดียวกัน ไม่ได้ทำสำเนา") \
	X(TB_E_COPY_CERT_EXPIRED, "copy", "COPY-CERT-EXPIRED", \
	  "The signing certificate has expired or is not valid yet", \
	  "ใบรับรองสำหรับลงลายมือชื่อหมดอายุหรือยังไม่ถึงวันเริ่มใช้", \
	  "Ask branch support to renew the agency's certificate (copy.cert); no copy was made", \
	  "แจ้งฝ่ายสนับสนุนของสาขาให้ต่ออายุใบรับรองของหน่วยงาน (copy.cert) ไม่ได้ทำสำเนา") \
	X(TB_E_COPY_SIGN, "copy", "COPY-SIGN-FAILED", \
	  "The copy could not be signed", "ลงลายมือชื่อในสำเนาไม่ได้", \
	  "Try again; if it repeats, send the support report to branch support; no copy was made", \
	  "ลองใหม่ หากยังเกิดซ้ำ ให้ส่งรายงานให้ฝ่ายสนับสนุนของสาขา ไม่ได้ทำสำเนา") \
	X(TB_E_COPY_RENDER, "copy", "COPY-RENDER-FAILED", \
	  "The copy's pages could not be made (a Thai font or the photo is missing or damaged)", \
	  "สร้างหน้าสำเนาไม่ได้ (ไม่มีแบบอักษรไทย หรือรูปถ่ายเสียหาย)", \
	  "Ask branch support to install fonts-thai-tlwg; try again without the photo if the card's photo is damaged", \
	  "แจ้งฝ่ายสนับสนุนของสาขาให้ติดตั้ง fonts-thai-tlwg หากรูปในบัตรเสียหายให้ลองทำสำเนาโดยไม่มีรูป") \
	X(TB_E_COPY_FOLDER, "copy", "COPY-FOLDER", \
	  "The copy could not be written to the copies folder (missing, read-only or full); nothing was left behind", \
	  "เขียนสำเนาลงโฟลเดอร์สำเนาไม่ได้ (ไม่มีโฟลเดอร์ อ่านได้อย่างเดียว หรือเต็ม) ไม่มีไฟล์ค้างอยู่", \
	  "Check copy.dir or --out: the folder must exist, be this account's and have room", \
	  "ตรวจ copy.dir หรือ --out โฟลเดอร์ต้องมีอยู่ เป็นของบัญชีนี้ และมีที่ว่างพอ") \
	X(TB_E_COPY_COMMAND, "copy", "COPY-COMMAND-FAILED", \
	  "The document system (copy.command) did not take the copy; it was not delivered", \
	  "ระบบเอกสาร (copy.command) ไม่รับสำเนา สำเนาจึงไม่ถูกส่ง", \
	  "Check that the agency's document system is up, then make the copy again", \
	  "ตรวจว่าระบบเอกสารของหน่วยงานทำงานอยู่ แล้วทำสำเนาใหม่") \
	X(TB_E_COPY_COMMAND_TIMEOUT, "copy", "COPY-COMMAND-TIMEOUT", \
	  "The document system (copy.command) did not finish in time; the copy was not delivered", \
	  "ระบบเอกสาร (copy.command) ทำงานไม่เสร็จในเวลาที่กำหนด สำเนาจึงไม่ถูกส่ง", \
	  "Check that the agency's document system is up (copy.command_timeout_s sets the wait), then make the copy again", \
	  "ตรวจว่าระบบเอกสารของหน่วยงานทำงานอยู่ (copy.command_timeout_s กำหนดเวลารอ) แล้วทำสำเนาใหม่") \
	X(TB_E_COPY_PROGRAM, "copy", "COPY-PROGRAM", \
	  "The copy program (tabien-copy) is missing or stopped", \
	  "ไม่พบโปรแกรมทำสำเนา (tabien-copy) หรือโปรแกรมหยุดทำงาน", \
	  "Reinstall tabien; tabien-copy belongs next to tabien; no copy was made", \
	  "ติดตั้ง tabien ใหม่ โปรแกรม tabien-copy ต้องอยู่ที่เดียวกับ tabien ไม่ได้ทำสำเนา") \
	X(TB_E_COPY_PURPOSE, "copy", "COPY-NO-PURPOSE", \
	  "A copy needs a purpose, and none was given", \
	  "สำเนาต้องระบุวัตถุประสงค์ แต่ไม่ได้ระบุ", \
	  "Give --purpose with what the copy is for, as it will be printed across it", \
	  "ระบุ --purpose ว่าสำเนาใช้สำหรับอะไร ข้อความนี้จะพิมพ์ทับบนสำเนา") \
	X(TB_E_COPY_SECTION, "copy", "COPY-SECTION-MISSING", \
	  "A section picked for the copy is not in what the source sent, so no copy was made", \
	  "ไม่มีข้อมูลส่วนที่เลือกใส่ในสำเนาจากแหล่งข้อมูล จึงไม่ได้ทำสำเนา", \
	  "Make the copy without that section, or ask again when the source provides it", \
	  "ทำสำเนาโดยไม่เลือกส่วนนั้น หรือสอบถามใหม่เมื่อแหล่งข้อมูลมีข้อมูลส่วนนี้") \
	X(TB_E_COPY_NOTHING, "copy", "COPY-NOTHING", \
	  "There is nothing here to copy: the data was wiped (card taken out, screen locked, logged out) or not looked up", \
	  "ไม่มีข้อมูลให้ทำสำเนา ข้อมูลถูกลบไปแล้ว (ถอดบัตร ล็อกหน้าจอ หรือออกจากระบบ) หรือยังไม่ได้สอบถาม", \
	  "Insert the card or look the person up again, then press c on the pane to copy", \
	  "เสียบบัตรหรือสอบถามข้อมูลใหม่ แล้วกด c ที่หน้าที่ต้องการทำสำเนา") \
	X(TB_E_COPY_CANCELLED, "copy", "COPY-CANCELLED", \
	  "The copy was stopped: its data was wiped (card taken out, screen locked, logged out) while it was being made; nothing was written", \
	  "หยุดทำสำเนาแล้ว เพราะข้อมูลถูกลบระหว่างทำสำเนา (ถอดบัตร ล็อกหน้าจอ หรือออกจากระบบ) ไม่มีไฟล์ถูกเขียน", \
	  "Insert the card again and make the copy with the card left in the reader until the copy is written", \
	  "เสียบบัตรใหม่ แล้วทำสำเนาโดยเสียบบัตรไว้จนกว่าจะเขียนสำเนาเสร็จ") \
	X(TB_E_COPY_FOLDER_UNSAFE, "copy", "COPY-FOLDER-NOT-PRIVATE", \
	  "The copies folder is a link, is not this account's, or other accounts can write to it; no copy was written there", \
	  "โฟลเดอร์สำเนาเป็นลิงก์ ไม่ใช่ของบัญชีนี้ หรือบัญชีอื่นเขียนลงไปได้ จึงไม่ได้เขียนสำเนาลงไป", \
	  "Make copy.dir a plain folder of this account and run chmod 700 on it", \
	  "ให้ copy.dir เป็นโฟลเดอร์ธรรมดาของบัญชีนี้ และสั่ง chmod 700 กับโฟลเดอร์") \
	X(TB_E_COPY_SIGNER_TWICE, "copy", "COPY-SIGNER-TWICE", \
	  "Both copy.key and copy.sign_command are set: a copy is signed one way, with a key file or by the signing command", \
	  "ตั้งค่าทั้ง copy.key และ copy.sign_command สำเนาลงนามได้ทางเดียว ด้วยไฟล์กุญแจหรือด้วยคำสั่งลงนาม", \
	  "Ask branch support to keep one of them in the configuration file: copy.sign_command for a key in a token or HSM", \
	  "แจ้งฝ่ายสนับสนุนของสาขาให้เหลือค่าเดียวในไฟล์ตั้งค่า ใช้ copy.sign_command เมื่อกุญแจอยู่ในโทเคนหรือ HSM") \
	X(TB_E_COPY_SIGNER_MISSING, "copy", "COPY-SIGNER-MISSING", \
	  "The signing command (copy.sign_command) cannot be run, or other accounts could change it; no copy was made", \
	  "เรียกใช้คำสั่งลงนาม (copy.sign_command) ไม่ได้ หรือบัญชีอื่นแก้ไขได้ ไม่ได้ทำสำเนา", \
	  "Check that copy.sign_command names the token's signing program by its full path, installed, executable and writable by its owner only", \
	  "ตรวจว่า copy.sign_command ระบุโปรแกรมลงนามของโทเคนพร้อมที่อยู่เต็ม ติดตั้งแล้ว เรียกใช้ได้ และมีเพียงเจ้าของที่แก้ไขได้") \
	X(TB_E_COPY_SIGNER_FAILED, "copy", "COPY-SIGNER-FAILED", \
	  "The signing command gave no signature (it failed, printed nothing or printed too much); no copy was made", \
	  "คำสั่งลงนามไม่ส่งลายมือชื่อกลับมา (ทำงานล้มเหลว ไม่แสดงผล หรือแสดงผลยาวเกินไป) ไม่ได้ทำสำเนา", \
	  "Check the token or HSM is connected and unlocked, then make the copy again; if it repeats, tell branch support the number shown", \
	  "ตรวจว่าเชื่อมต่อโทเคนหรือ HSM และปลดล็อกแล้ว แล้วทำสำเนาใหม่ หากยังเกิดซ้ำ ให้แจ้งหมายเลขที่แสดงแก่ฝ่ายสนับสนุนของสาขา") \
	X(TB_E_COPY_SIGNER_TIMEOUT, "copy", "COPY-SIGNER-TIMEOUT", \
	  "The signing command did not finish in time and was stopped; no copy was made", \
	  "คำสั่งลงนามทำงานไม่เสร็จในเวลาที่กำหนดจึงถูกหยุด ไม่ได้ทำสำเนา", \
	  "Check the token or HSM answers (copy.sign_timeout_s sets the wait), then make the copy again", \
	  "ตรวจว่าโทเคนหรือ HSM ตอบสนอง (copy.sign_timeout_s กำหนดเวลารอ) แล้วทำสำเนาใหม่") \
	X(TB_E_COPY_SIGNATURE_BAD, "copy", "COPY-SIGNATURE-BAD", \
	  "The signature the signing command gave does not verify with the certificate (copy.cert); no copy was made", \
	  "ลายมือชื่อที่คำสั่งลงนามส่งกลับมาตรวจสอบกับใบรับรอง (copy.cert) ไม่ผ่าน ไม่ได้ทำสำเนา", \
	  "Ask branch support to check that copy.cert is the certificate of the key the token signs with", \
	  "แจ้งฝ่ายสนับสนุนของสาขาให้ตรวจว่า copy.cert เป็นใบรับรองของกุญแจที่โทเคนใช้ลงนาม")

/* What `tabien doctor` finds that no other command reports. */
#define TB_ERRORS_DOCTOR(X) \
	X(TB_E_TLS_EXPIRING, "gateway", "TLS-EXPIRING", \
	  "The gateway's certificate expires within 30 days", \
	  "ใบรับรองของเครื่องแม่ข่ายจะหมดอายุภายใน 30 วัน", \
	  "Tell branch support now, so that the gateway's operator renews it before lookups stop", \
	  "แจ้งฝ่ายสนับสนุนของสาขาตั้งแต่ตอนนี้ เพื่อให้ผู้ดูแลเครื่องแม่ข่ายต่ออายุก่อนการสอบถามข้อมูลจะใช้ไม่ได้") \
	X(TB_E_CLOCK, "system", "CLOCK-WRONG", \
	  "This terminal's clock is more than two minutes away from the gateway's", \
	  "นาฬิกาของเครื่องนี้ต่างจากของเครื่องแม่ข่ายเกินสองนาที", \
	  "Set the date and time (as root: timedatectl set-ntp true); tokens, certificates and the audit trail depend on it", \
	  "ตั้งวันและเวลาให้ถูกต้อง (ผู้ดูแลระบบสั่ง timedatectl set-ntp true) โทเคน ใบรับรอง และบันทึกการใช้งานขึ้นอยู่กับเวลานี้") \
	X(TB_E_DISK_LOW, "storage", "DISK-LOW", \
	  "Less than 100 MB is free where the database lives", \
	  "พื้นที่ว่างในที่เก็บฐานข้อมูลเหลือน้อยกว่า 100 MB", \
	  "Free some disk space (old files, logs) before the database can no longer grow", \
	  "ลบไฟล์ที่ไม่จำเป็น (ไฟล์เก่า บันทึกระบบ) ก่อนที่ฐานข้อมูลจะเขียนเพิ่มไม่ได้") \
	X(TB_E_FOLDER_OPEN, "storage", "DB-FOLDER-OPEN", \
	  "Other accounts can write to the database's folder", \
	  "บัญชีอื่นเขียนลงในโฟลเดอร์ของฐานข้อมูลได้", \
	  "The folder's owner runs 'chmod 700' on the folder named", \
	  "ให้เจ้าของโฟลเดอร์สั่ง 'chmod 700' กับโฟลเดอร์ที่ระบุ") \
	X(TB_E_AGENT_DOWN, "linkage", "AGENT-NOT-AVAILABLE", \
	  "The officer's agent is not running at the gateway", \
	  "Agent ของเจ้าหน้าที่ไม่ได้ทำงานที่เครื่องแม่ข่าย", \
	  "Start the agency's agent program with the officer's card in the reader, then run again", \
	  "เปิดโปรแกรม Agent ของหน่วยงานโดยเสียบบัตรของเจ้าหน้าที่ในเครื่องอ่าน แล้วสั่งใหม่")

/* The shared database on a PostgreSQL server (storage/db_pg.c). */
#define TB_ERRORS_PG(X) \
	X(TB_E_PG_LIB, "storage", "PG-NO-LIBPQ", \
	  "The database is on a PostgreSQL server, but its client library (libpq) is not installed", \
	  "ฐานข้อมูลอยู่บนเครื่องแม่ข่าย PostgreSQL แต่ยังไม่ได้ติดตั้งไลบรารี libpq", \
	  "As root: apt-get install libpq5; reading a card needs no database meanwhile", \
	  "ผู้ดูแลระบบสั่ง apt-get install libpq5 ระหว่างนี้ยังอ่านบัตรได้โดยไม่ต้องใช้ฐานข้อมูล") \
	X(TB_E_PG_DOWN, "storage", "PG-DOWN", \
	  "The database server cannot be reached", \
	  "ติดต่อเครื่องแม่ข่ายฐานข้อมูลไม่ได้", \
	  "Reading a card's own data still works (tabien card read); logging in, lookups and the audit trail wait for the server. Tell branch support, then try again", \
	  "ยังอ่านข้อมูลจากบัตรได้ (tabien card read) แต่การเข้าระบบ การสอบถามข้อมูล และบันทึกการใช้งานต้องรอเครื่องแม่ข่าย แจ้งฝ่ายสนับสนุนของสาขาแล้วลองใหม่") \
	X(TB_E_PG_AUTH, "storage", "PG-AUTH", \
	  "The database server refused this terminal's sign-in", \
	  "เครื่องแม่ข่ายฐานข้อมูลปฏิเสธการเข้าใช้ของเครื่องนี้", \
	  "Check the user in the database setting and its password in ~/.pgpass (or the file PGPASSFILE names)", \
	  "ตรวจสอบชื่อผู้ใช้ในค่า database และรหัสผ่านในไฟล์ ~/.pgpass (หรือไฟล์ที่ PGPASSFILE ระบุ)") \
	X(TB_E_PG_TLS, "storage", "PG-TLS", \
	  "The database server's certificate was not accepted", \
	  "ไม่ยอมรับใบรับรองของเครื่องแม่ข่ายฐานข้อมูล", \
	  "Check sslrootcert and the server's name in the database setting; tell branch support; nothing was sent", \
	  "ตรวจสอบ sslrootcert และชื่อเครื่องแม่ข่ายในค่า database แล้วแจ้งฝ่ายสนับสนุนของสาขา ยังไม่มีข้อมูลใดถูกส่ง") \
	X(TB_E_PG_PASSWORD, "storage", "PG-PASSWORD-IN-CONFIG", \
	  "The database setting holds a password, which must not be written there", \
	  "ค่า database มีรหัสผ่านอยู่ ซึ่งห้ามเขียนไว้ในค่านี้", \
	  "Remove password= from the setting and put the password in ~/.pgpass (or the file PGPASSFILE names), chmod 600", \
	  "ลบ password= ออกจากค่านี้ แล้วเก็บรหัสผ่านในไฟล์ ~/.pgpass (หรือไฟล์ที่ PGPASSFILE ระบุ) และสั่ง chmod 600") \
	X(TB_E_PG_PASSFILE, "storage", "PG-PASSFILE-OPEN", \
	  "The database password file can be read by other accounts, or is a link or not a plain file", \
	  "ไฟล์รหัสผ่านฐานข้อมูลบัญชีอื่นอ่านได้ หรือเป็นลิงก์หรือไม่ใช่ไฟล์ธรรมดา", \
	  "Run 'chmod 600' on ~/.pgpass (or the file PGPASSFILE names), and keep it a plain file of this account", \
	  "สั่ง 'chmod 600' กับไฟล์ ~/.pgpass (หรือไฟล์ที่ PGPASSFILE ระบุ) และให้เป็นไฟล์ธรรมดาของบัญชีนี้") \
	X(TB_E_PG_LOST, "storage", "PG-LOST", \
	  "The connection to the database server was lost; the action was not saved, nothing of it was written", \
	  "การเชื่อมต่อกับเครื่องแม่ข่ายฐานข้อมูลขาดหาย รายการนี้ไม่ถูกบันทึก และไม่มีส่วนใดถูกเขียน", \
	  "Try again once the server is back; tabien connects again by itself", \
	  "ลองใหม่เมื่อเครื่องแม่ข่ายกลับมาทำงาน โปรแกรม tabien จะเชื่อมต่อใหม่เอง")

#endif
