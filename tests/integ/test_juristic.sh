#!/usr/bin/env bash
# `tabien juristic show` against the gateway simulator over HTTP on
# 127.0.0.1: a company from the GDX DBD profile and from the open API (data
# as an object and as an array), a bad check digit refused before anything
# is sent, the quota and the firewall explained, the cache (a hit sends
# nothing, a 1-second TTL expires, --refresh asks), an old copy shown and
# labelled stale when DBD fails, the gateway's faults, and one audit row per
# lookup; shareholders and financial statements from their configured
# endpoints (and "not provided" where a source has none); old copies purged
# at a lookup and by `tabien juristic purge`.  The simulator counts requests
# (--stats-file).  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-juristic.XXXXXX")
. "$S/tests/lib/common.sh"
export TABIEN_PWHASH=fast TABIEN_TERMINAL=counter-test
export TABIEN_DB="$dir/data/tabien.db" TABIEN_CONFIG="$dir/tabien.conf"
unset XDG_DATA_HOME XDG_CONFIG_HOME http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
audited=0 source=gdx ttl= parts= keep=
trap test_cleanup EXIT
# A failing case shows the command's output and the simulator's counters.
SHOW="$dir/out $dir/err $dir/stats"

SOMCHAI=1400100123451
SIAM=0105536012346 TECH=0105547123454 KHONKAEN=0405535001232 ABANDONED=0105558007779
UNKNOWN=0105560999996 BADSUM=0105536012345
PW='officer-password-1'

config() {
	{
		echo "gdx.url = http://127.0.0.1:${sim_port:-1}"
		echo "gdx.consumer_key = sim-key"
		echo "gdx.consumer_secret = sim-secret"
		echo "dbd.open_url = http://127.0.0.1:${sim_port:-1}"
		echo "dbd.source = $source"
		echo "http.timeout_ms = 4000"
		[ -n "$ttl" ] && echo "dbd.cache_ttl_s = $ttl"
		[ -n "$keep" ] && echo "dbd.cache_keep_days = $keep"
		if [ -n "$parts" ]; then
			echo "dbd.shareholders_path = /ws/dbd/juristic/v1/shareholder"
			echo "dbd.financials_path = /ws/dbd/juristic/v5/profile/financial/years"
		fi
	} >"$TABIEN_CONFIG"
	chmod 600 "$TABIEN_CONFIG"
}
# Each fresh simulator (sim_start) gets a config naming it.
sim_started() { config; }
# q ID [OPTIONS...]: one lookup as officer1 (audited: the ID is valid).
q() {
	printf '%s\n' "$PW" | "$TABIEN" juristic show "$@" --as officer1 --batch \
		--purpose "ตรวจสอบนิติบุคคล" >"$dir/out" 2>"$dir/err"
	rc=$?
	audited=$((audited + 1))
}
has() { grep -qF -- "$1" "$dir/out"; }
err_has() { grep -qF -- "$1" "$dir/err"; }

printf '%s\n' "กรมทดสอบระบบ" BR-01 "สาขาทดสอบ" officer1 "สมชาย ใจดี" "$SOMCHAI" "เจ้าหน้าที่" \
	"$PW" "$PW" | "$TABIEN" admin init --batch >"$dir/out" 2>"$dir/err"
check "a branch and its officer are set up" [ $? = 0 ]

# --- GDX: the whole profile ------------------------------------------------------------------
sim_start
q "$SIAM"
check "gdx: exit 0, Thai and English names, bilingual labels" \
	bash -c "[ $rc = 0 ] && grep -qF 'บริษัท สยามตัวอย่างการค้า จำกัด' '$dir/out' \
		&& grep -qF 'SIAM SAMPLE TRADING COMPANY LIMITED' '$dir/out' \
		&& grep -qF 'Registered capital / ทุนจดทะเบียน' '$dir/out' && grep -qF '[DBD/gdx]' '$dir/out'"
check "gdx: capital with Thai grouping, Buddhist-era registration date, status" \
	bash -c "grep -qF '5,000,000.00 บาท' '$dir/out' && grep -qF '19 ก.ค. 2536' '$dir/out' \
		&& grep -qF 'ยังดำเนินกิจการอยู่ (active)' '$dir/out'"
check "gdx: directors in DBD's order (sent out of order) and the signing authority" \
	bash -c "grep -n 'นายสมชาย ใจดี (กรรมการ)' '$dir/out' | grep -qF '1. ' \
		&& [ \$(grep -n '1\. นายสมชาย' '$dir/out' | cut -d: -f1) -lt \$(grep -n '2\. นางสมศรี' '$dir/out' | cut -d: -f1) ] \
		&& grep -qF '3. นางสาวมาลี มีสุข' '$dir/out' && grep -qF 'ประทับตราสำคัญของบริษัท' '$dir/out'"
check "gdx: the long objective, wrapped, and the address from its parts" \
	bash -c "grep -qF 'ประกอบกิจการค้าส่งและค้าปลีก' '$dir/out' && grep -qF 'แขวงคลองเตยเหนือ' '$dir/out' \
		&& [ \$(awk 'length > 0' '$dir/out' | wc -l) -gt 20 ]"
check "gdx: the age line, in English and Thai" \
	bash -c "grep -qE 'as of [0-9]{2}:[0-9]{2}, just now' '$dir/out' && grep -qF 'ข้อมูล ณ' '$dir/out'"
check "gdx: one token, one profile request" \
	bash -c "[ '$(sim_count token)' = 1 ] && [ '$(sim_count dbd_gdx)' = 1 ] && [ '$(sim_count dbd_open)' = 0 ]"
q "$TECH"
check "gdx: five directors, paid-up capital sent as a number with satang" \
	bash -c "[ $rc = 0 ] && grep -qF '5. นายอนันต์ ศรีสุข' '$dir/out' && grep -qF '1,000,000,000.50 บาท' '$dir/out' \
		&& grep -qF '1,250,000,000.00 บาท' '$dir/out'"
check "gdx: one token per run, from the Linkage transport's token handling" \
	bash -c "[ '$(sim_count token)' = 2 ] && [ '$(sim_count dbd_gdx)' = 2 ]"
q "$KHONKAEN"
check "gdx: a dissolved partnership, partners with their investment" \
	bash -c "[ $rc = 0 ] && grep -qF 'เลิก (dissolved)' '$dir/out' \
		&& grep -qF 'หุ้นส่วนผู้จัดการ, เงิน, 600,000.00 บาท' '$dir/out'"
q "$ABANDONED" --json
check "gdx --json: status abandoned, capital in satang, fetched_at, not stale" \
	bash -c "[ $rc = 0 ] && grep -qF '\"status\":	\"abandoned\"' '$dir/out' \
		&& grep -qF '\"capital_satang\":	100000000' '$dir/out' && grep -qF '\"fetched_at\":' '$dir/out' \
		&& grep -qF '\"stale\":	false' '$dir/out'"
q "$UNKNOWN"
expect_error "gdx: an unknown company (data {})" JURISTIC-NOT-FOUND "ไม่พบนิติบุคคล"

# --- the check digit: refused before anything is sent ---------------------------------------------
before="$(sim_count token)/$(sim_count dbd_gdx)/$(sim_count dbd_open)"
"$TABIEN" juristic show "$BADSUM" --as officer1 --batch </dev/null >"$dir/out" 2>"$dir/err"
rc=$?
expect_error "a wrong check digit" JURISTIC-ID-INVALID "หลักตรวจสอบ"
check "a wrong check digit: no request, no password asked" \
	bash -c "[ '$before' = '$(sim_count token)/$(sim_count dbd_gdx)/$(sim_count dbd_open)' ]"

# --- the gateway's fault switches -------------------------------------------------------------------
sim_start --expire-next 1
q "$TECH" --refresh
check "gdx: an expired token is renewed once and the profile sent again" \
	bash -c "[ $rc = 0 ] && [ '$(sim_count token)' = 2 ] && [ '$(sim_count dbd_gdx)' = 2 ]"
sim_start --malformed --scope dbd
q "$UNKNOWN"
expect_error "gdx: a malformed answer" ANSWER-MALFORMED "รูปแบบ"
sim_start --truncate
q "$UNKNOWN"
expect_error "gdx: a truncated answer" ANSWER-TRUNCATED "ขาดหาย"
sim_start --status 503
q "$UNKNOWN"
expect_error "gdx: HTTP 503 without a saved copy" GATEWAY-FAILED "ขัดข้อง"
q "$SIAM" --refresh
check "gdx: HTTP 503 with a saved copy: shown, labelled stale, exit 3" \
	bash -c "[ $rc = 3 ] && grep -qF 'STALE' '$dir/out' && grep -qF 'ข้อมูลเก่า' '$dir/out' \
		&& grep -qF 'GATEWAY-FAILED (503)' '$dir/out' && grep -qF 'บริษัท สยามตัวอย่างการค้า จำกัด' '$dir/out'"
sim_start --code 90008
q "$UNKNOWN"
expect_error "gdx: the gateway's own quota (90008)" LINKAGE-QUOTA "โควตา"
sim_start --latency-ms 1500
sed -i 's/^http.timeout_ms = .*/http.timeout_ms = 500/' "$TABIEN_CONFIG"
q "$UNKNOWN"
expect_error "gdx: a gateway slower than http.timeout_ms" GATEWAY-UNREACHABLE "ติดต่อเครื่องแม่ข่ายไม่ได้"

# --- the open API ----------------------------------------------------------------------------------
source=open
sim_start
q "$TECH"
check "open: exit 0, served as text/html, no directors in the open data" \
	bash -c "[ $rc = 0 ] && grep -qF '[DBD/open]' '$dir/out' && grep -qF 'บริษัท ทดสอบเทคโนโลยี จำกัด (มหาชน)' '$dir/out' \
		&& grep -qF 'not in the open data / ไม่มีในข้อมูลเปิด' '$dir/out'"
check "open: the Christian-era date shown in the Buddhist era, the address under its other name" \
	bash -c "grep -qF '1 มี.ค. 2547' '$dir/out' && grep -qF 'ถนนแจ้งวัฒนะ' '$dir/out'"
check "open: one request, no GDX token" \
	bash -c "[ '$(sim_count dbd_open)' = 1 ] && [ '$(sim_count token)' = 0 ] && [ '$(sim_count dbd_gdx)' = 0 ]"
q "$TECH"
check "open: a cache hit sends nothing and says it is a saved copy" \
	bash -c "[ $rc = 0 ] && [ '$(sim_count dbd_open)' = 1 ] && grep -qF 'saved copy, nothing sent' '$dir/out'"
q "$TECH" --refresh
check "open: --refresh asks DBD again" bash -c "[ $rc = 0 ] && [ '$(sim_count dbd_open)' = 2 ]"
q "$UNKNOWN"
expect_error "open: no data (1004)" "JURISTIC-NOT-FOUND (1004)" "ไม่พบนิติบุคคล"
sim_start --dbd-array
q "$KHONKAEN"
check "open: data as an array" \
	bash -c "[ $rc = 0 ] && grep -qF 'เลิก (dissolved)' '$dir/out' && [ '$(sim_count dbd_open)' = 1 ]"

# The copy's age is set in the database rather than waited for: no test
# depends on how fast the machine is.
ttl=60
config
q "$SIAM"
check "open, TTL 60 s: the first lookup asks" bash -c "[ $rc = 0 ] && [ '$(sim_count dbd_open)' = 2 ]"
q "$SIAM"
check "open, TTL 60 s: a fresh copy is used, nothing asked" bash -c "[ $rc = 0 ] && [ '$(sim_count dbd_open)' = 2 ]"
sqlite3 "$TABIEN_DB" "UPDATE juristic_cache SET fetched_at = fetched_at - 120 WHERE id = '$SIAM'"
q "$SIAM"
check "open, TTL 60 s: a copy two minutes old is asked for again" bash -c "[ $rc = 0 ] && [ '$(sim_count dbd_open)' = 3 ]"
ttl=

# --- quota, firewall, outage: the saved copy, stale --------------------------------------------------
sim_start --dbd-quota
q "$UNKNOWN"
expect_error "open: the daily quota (8888) without a saved copy" "JURISTIC-QUOTA (8888)" "โควตา"
check "open: the quota says to try tomorrow" err_has "Try again tomorrow"
q "$TECH" --refresh
check "open: the quota with a saved copy: shown, labelled stale with its age, exit 3" \
	bash -c "[ $rc = 3 ] && grep -qF '*** STALE' '$dir/out' && grep -qF 'ข้อมูลเก่า' '$dir/out' \
		&& grep -qF 'JURISTIC-QUOTA (8888)' '$dir/out' && grep -qE 'a saved copy, as of [0-9:]+' '$dir/out' \
		&& grep -qF 'บริษัท ทดสอบเทคโนโลยี จำกัด (มหาชน)' '$dir/out'"
q "$TECH" --refresh --json
check "open --json: stale true with the reason" \
	bash -c "[ $rc = 3 ] && grep -qF '\"stale\":	true' '$dir/out' && grep -qF '\"error\":	\"JURISTIC-QUOTA\"' '$dir/out'"
sim_start --dbd-waf
q "$UNKNOWN"
expect_error "open: the firewall's 403 page" JURISTIC-BLOCKED "ระงับการเข้าถึง"
check "open: the firewall: wait, do not retry in a loop" err_has "Wait at least 15 minutes"
check "open: the firewall: one request, no retry" [ "$(sim_count dbd_open)" = 1 ]
# Through the simulator as the proxy: a request that went out would be counted.
config
printf '%s\n' "dbd.open_url = http://openapi.example" "http.proxy = http://127.0.0.1:$sim_port" \
	>>"$TABIEN_CONFIG"
q "$UNKNOWN"
audited=$((audited - 1))
expect_error "open: plain http:// to another host than this machine" PLAIN-HTTP "ไม่เข้ารหัส" dbd.open_url
check "  (nothing was sent)" bash -c "[ '$(sim_count dbd_open)' = 1 ] && [ '$(sim_count other)' = 0 ]"
config
q "$SIAM" --refresh
check "open: the firewall with a saved copy: stale, exit 3" \
	bash -c "[ $rc = 3 ] && grep -qF 'JURISTIC-BLOCKED (403' '$dir/out' && grep -qF 'ข้อมูลเก่า' '$dir/out'"
sim_stop
q "$SIAM" --refresh
check "open: DBD unreachable with a saved copy: stale, exit 3" \
	bash -c "[ $rc = 3 ] && grep -qF 'JURISTIC-UNREACHABLE' '$dir/out'"
q "$UNKNOWN"
expect_error "open: DBD unreachable, no copy" JURISTIC-UNREACHABLE "ติดต่อบริการข้อมูลเปิด"

# --- shareholders and financial statements -------------------------------------------------------------
source=gdx parts=1
sim_start
q "$SIAM" --refresh
check "parts: shareholders in DBD's order (sent out of order), a company and a foreigner, shares grouped" \
	bash -c "[ $rc = 0 ] && grep -qF 'Shareholders / ผู้ถือหุ้น' '$dir/out' \
		&& grep -qF '1. นายสมชาย ใจดี (ไทย; 25,000 หุ้น / shares; 2,500,000.00 บาท)' '$dir/out' \
		&& grep -qF '3. MR.JOHN SAMPLE (อังกฤษ; 5,000 หุ้น' '$dir/out' \
		&& grep -qF '4. บริษัท ทดสอบเทคโนโลยี จำกัด (มหาชน) (ไทย; 5,000 หุ้น' '$dir/out'"
check "parts: financial-statement years newest first, a Christian-era year shown in B.E., a loss" \
	bash -c "[ \$(grep -n '^ *2566: ' '$dir/out' | cut -d: -f1) -lt \$(grep -n '^ *2565: ' '$dir/out' | cut -d: -f1) ] \
		&& [ \$(grep -n '^ *2565: ' '$dir/out' | cut -d: -f1) -lt \$(grep -n '^ *2564: ' '$dir/out' | cut -d: -f1) ] \
		&& grep -qF 'net profit / กำไรสุทธิ -350,000.00 บาท' '$dir/out'"
check "parts: one request each, sent with the profile under one token" \
	bash -c "[ '$(sim_count dbd_parts)' = 2 ] && [ '$(sim_count dbd_gdx)' = 1 ] && [ '$(sim_count token)' = 1 ]"
q "$SIAM"
check "parts: a saved copy keeps them, nothing sent" \
	bash -c "[ $rc = 0 ] && grep -qF 'saved copy, nothing sent' '$dir/out' && grep -qF '3. MR.JOHN SAMPLE' '$dir/out' \
		&& grep -qF 'กำไรสุทธิ -350,000.00 บาท' '$dir/out' && [ '$(sim_count dbd_parts)' = 2 ]"
q "$TECH" --refresh --json
check "parts --json: shareholders with satang, years alone when that is all DBD sends" \
	bash -c "[ $rc = 0 ] && grep -qF '\"amount_satang\":	40000000050' '$dir/out' \
		&& grep -qF '\"year\":	2566' '$dir/out' && grep -qF '\"revenue_satang\":	null' '$dir/out'"
q "$ABANDONED" --refresh
check "parts: none filed is an empty list, not an error" \
	bash -c "[ $rc = 0 ] && grep -qE '^Shareholders / ผู้ถือหุ้น +0$' '$dir/out' \
		&& grep -qE '^Financial statements / งบการเงิน +0$' '$dir/out'"
sim_start --dbd-array
q "$SIAM" --refresh
check "parts: a list wrapped in an array" \
	bash -c "[ $rc = 0 ] && grep -qF '2. นางสมศรี ใจดี (ไทย; 15,000 หุ้น' '$dir/out' && grep -qF '2564: ' '$dir/out'"
parts=
config
q "$SIAM" --refresh
check "parts: not asked for when no endpoint is set: not provided by this source" \
	bash -c "[ $rc = 0 ] && [ '$(sim_count dbd_parts)' = 2 ] \
		&& [ \$(grep -c 'not provided by this source / แหล่งข้อมูลนี้ไม่มีข้อมูลส่วนนี้' '$dir/out') = 2 ]"
source=open parts=1
config
q "$SIAM" --refresh
check "parts: the open API has none, whatever is set" \
	bash -c "[ $rc = 0 ] && [ '$(sim_count dbd_parts)' = 2 ] \
		&& [ \$(grep -c 'not provided by this source' '$dir/out') = 2 ]"
parts=

# --- old copies purged --------------------------------------------------------------------------------
copies() { sqlite3 "$TABIEN_DB" "SELECT count(*) FROM juristic_cache${1:+ WHERE id = '$1'}"; }
age_days() { sqlite3 "$TABIEN_DB" "UPDATE juristic_cache SET fetched_at = fetched_at - $2 * 86400 WHERE id = '$1'"; }
purge() { "$TABIEN" juristic purge "$@" >"$dir/out" 2>"$dir/err"; rc=$?; }
source=gdx
config
old=$(copies "$KHONKAEN")
age_days "$KHONKAEN" 40
purge
check "purge: copies older than 30 days (the default) are deleted, the others kept" \
	bash -c "[ $rc = 0 ] && [ $old -gt 0 ] && grep -qF '$old saved copies of company data deleted' '$dir/out' \
		&& [ $(copies "$KHONKAEN") = 0 ] && [ $(copies "$SIAM") -gt 0 ]"
age_days "$TECH" 8
keep=7
config
q "$SIAM"
check "purge: a lookup deletes copies older than dbd.cache_keep_days first" \
	bash -c "[ $rc = 0 ] && [ $(copies "$TECH") = 0 ] && [ $(copies "$SIAM") -gt 0 ]"
keep=0
config
age_days "$SIAM" 400
purge
check "purge: dbd.cache_keep_days = 0 keeps every copy" \
	bash -c "[ $rc = 0 ] && grep -qF 'copies are kept' '$dir/out' && [ $(copies "$SIAM") -gt 0 ]"
purge --days 0
check "purge --days 0: every copy" bash -c "[ $rc = 0 ] && [ $(copies) = 0 ]"
purge --days soon
check "purge: a bad --days is a usage error" \
	bash -c "[ $rc = 2 ] && grep -qF 'usage: tabien juristic purge' '$dir/err'"
long=$(head -c 5000 /dev/zero | tr '\0' x)
purge --db "/tmp/$long"
"$TABIEN" juristic show "0$long" --as officer1 --batch </dev/null >/dev/null 2>"$dir/err2"
rc2=$?
check "an ID or --db too long: a usage error (exit 2), never cut short" \
	bash -c "[ $rc = 2 ] && grep -qF -- '--db: at most' '$dir/err' \
		&& [ $rc2 = 2 ] && grep -qF 'at most 31 characters' '$dir/err2'"
keep=

# --- the audit trail ----------------------------------------------------------------------------------
printf '%s\n' "$PW" | "$TABIEN" audit export --as officer1 --batch >"$dir/audit.csv" 2>"$dir/err"
check "audit export works" [ $? = 0 ]
rows=$(grep -c 'juristic.query' "$dir/audit.csv")
check "one audit row per lookup, cache hits and stale ones too, none for the bad ID ($audited)" \
	[ "$rows" = "$audited" ]
check "audit rows: the source, the juristic ID, the purpose, the result" \
	bash -c "grep 'juristic.query' '$dir/audit.csv' | grep -F 'dbd/gdx' | grep -F '$SIAM' \
		| grep -F 'ตรวจสอบนิติบุคคล' | grep -qF ',OK' \
		&& grep 'juristic.query' '$dir/audit.csv' | grep -F 'dbd/open' | grep -qF 'OK cache' \
		&& grep 'juristic.query' '$dir/audit.csv' | grep -qF 'STALE JURISTIC-QUOTA 8888' \
		&& ! grep -qF '$BADSUM' '$dir/audit.csv'"

# --- no company data without its audit row ------------------------------------------------------------
sqlite3 "$TABIEN_DB" "CREATE TRIGGER no_rows BEFORE INSERT ON audit \
	WHEN NEW.action = 'juristic.query' BEGIN SELECT RAISE(ABORT, 'disk refused'); END"
q "$TECH" --refresh
check "an audit row that cannot be written: exit 1, AUDIT-NOT-WRITTEN in both languages, no company shown" \
	bash -c "[ $rc = 1 ] && grep -qF 'AUDIT-NOT-WRITTEN' '$dir/err' && [ \$(grep -c 'AUDIT-NOT-WRITTEN' '$dir/err') -ge 2 ] \
		&& ! grep -qF '$TECH' '$dir/out'"
sqlite3 "$TABIEN_DB" "DROP TRIGGER no_rows"

echo "1..$n"
[ $failed = 0 ]
