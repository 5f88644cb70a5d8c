#!/usr/bin/env bash
# `tabien linkage ... --transport lk2` against the simulator's Linkage
# Center 2 proxy over HTTP on 127.0.0.1: the officer's card login through
# the stand-in signer, a wrong PIN, signers that are missing, fail, print
# too much or hang, all services in one request with each answered on its
# own (partial success), the JWT renewed once and the request sent once
# more, refusals never sent again, the job, the quota, every failure shown
# in English and Thai, the config file's permissions, logout on exit and an
# audit row for every service (an answer whose row cannot be written is not
# shown).  The simulator counts requests
# (--stats-file), so a retry storm shows.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
SIGNER="$B/sim/tabien-signer"
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-lk2.XXXXXX")
. "$S/tests/lib/common.sh"
export TABIEN_PWHASH=fast TABIEN_TERMINAL=counter-test
export TABIEN_DB="$dir/data/tabien.db" TABIEN_CONFIG="$dir/tabien.conf"
unset XDG_DATA_HOME XDG_CONFIG_HOME http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
audited=0
trap test_cleanup EXIT
# A failing case shows the command's output and the simulator's counters.
SHOW="$dir/out $dir/err $dir/stats"
# stats NAME=N ...: the simulator's counters are exactly these.
stats() {
	local kv
	for kv in "$@"; do
		[ "$(sim_count "${kv%%=*}")" = "${kv#*=}" ] || return 1
	done
}

SOMCHAI=1400100123451 MALEE=1104500678902 BOONRUEN=3500100246800
PW='officer-password-1'
SIM_PIN=4739
ALL=001,027,007,008,013,017

# Every simulator (sim_start) takes the officer's PIN and gets a config.
SIM_SWITCHES=(--lk2-pin "$SIM_PIN")
sim_started() { config; }
config() { # extra lines (a later line wins)
	{
		echo "linkage.transport = lk2"
		echo "lk2.url = http://127.0.0.1:${sim_port:-1}"
		echo "lk2.signer = $SIGNER"
		echo "http.timeout_ms = 4000"
		for l in "$@"; do echo "$l"; done
	} >"$TABIEN_CONFIG"
	chmod 600 "$TABIEN_CONFIG"
}
# q [--pin PIN] ARGS...: one `tabien linkage ...` as officer1 with the card
# CH-0001; the password and the PIN on stdin.
q() {
	local pin=$SIM_PIN
	if [ "$1" = --pin ]; then pin=$2; shift 2; fi
	printf '%s\n%s\n' "$PW" "$pin" | "$TABIEN" linkage "$@" --as officer1 --batch --chip CH-0001 \
		--purpose "ตรวจสอบสิทธิ" >"$dir/out" 2>"$dir/err"
	rc=$?
	cat "$dir/out" "$dir/err" >>"$dir/all-output"
}

# --- a branch with one officer -------------------------------------------------------------
printf '%s\n' "กรมทดสอบระบบ" BR-01 "สาขาทดสอบ" officer1 "สมชาย ใจดี" "$SOMCHAI" "เจ้าหน้าที่" \
	"$PW" "$PW" | "$TABIEN" admin init --batch >"$dir/out" 2>"$dir/err"
check "a branch and its officer are set up" [ $? = 0 ]

# --- the login and one request for every service -------------------------------------------
sim_start
q query --service $ALL --cid "$SOMCHAI"
audited=$((audited + 6))
check "six services through LK2: exit 0" [ $rc = 0 ]
check "001 as the registry has it (names, birth date, father's ID)" \
	bash -c "grep -qF 'นายสมชาย ใจดี' '$dir/out' && grep -qF 'Mr. Somchai Jaidee' '$dir/out' \
		&& grep -qF '15 มี.ค. 2528' '$dir/out' && grep -qF '3-4001-00123-40-7' '$dir/out'"
check "027, 007, 008, 013 and 017 all shown" \
	bash -c "grep -qF 'ended / สิ้นสุด 10 มิ.ย. 2555' '$dir/out' && grep -qF 'เด็กชายสมศักดิ์ ใจดี' '$dir/out' \
		&& grep -qF '[00023/008]' '$dir/out' \
		&& [ \$(grep -c 'Changes / จำนวนครั้งที่เปลี่ยน *0' '$dir/out') = 2 ]"
check "one login, one signature confirmed, one job list, ONE request for six services, one logout" \
	stats lk2_login=1 lk2_confirm=1 lk2_job=1 lk2_request=1 lk2_renew=0 lk2_logout=1 link=0 token=0
q household --cid "$BOONRUEN" --json
audited=$((audited + 2))
check "household --json over LK2: 007 and 008 as JSON" \
	bash -c "[ $rc = 0 ] && grep -qF '\"service\":	\"00023/007\"' '$dir/out' \
		&& grep -qF '\"service\":	\"00023/008\"' '$dir/out' && grep -qF '24790000' '$dir/out'"
check "household --json is valid JSON" jq -e . "$dir/out"
sim_start --lk2-string-data
q query --service 001,027 --cid "$MALEE"
audited=$((audited + 2))
check "responseData sent as a JSON string is read like an object" \
	bash -c "[ $rc = 0 ] && grep -qF 'มาลี' '$dir/out' && grep -qF 'House ID' '$dir/out'"
config "lk2.office_id = 10024" "lk2.job_id = 6f1c2a9e-3b7d-4c5e-9a8f-0d1e2f3a4b5c"
q query --service 001 --cid "$MALEE"
audited=$((audited + 1))
check "a configured office and job: used, the job list not asked for" \
	bash -c "[ $rc = 0 ] && [ '$(sim_count lk2_job)' = 1 ] && [ '$(sim_count lk2_confirm)' = 2 ]"

# --- the officer's login ---------------------------------------------------------------------
sim_start
q --pin 9999 query --service 001 --cid "$MALEE"
expect_error "a wrong PIN (the simulator refuses the envelope)" LK2-WRONG-PIN "รหัส PIN ของบัตรเจ้าหน้าที่ไม่ถูกต้อง" 90090
check "  (one login, one confirm, no request, no logout: never logged in)" \
	stats lk2_login=1 lk2_confirm=1 lk2_request=0 lk2_logout=0
q --pin 12ab query --service 001 --cid "$MALEE"
check "a PIN that is not 4 to 16 digits: refused before anything is sent" \
	bash -c "[ $rc = 1 ] && grep -qF 'INVALID-FIELD' '$dir/err' && grep -qF PIN '$dir/err' \
		&& [ '$(sim_count lk2_login)' = 1 ]"
config "lk2.office_id = 99"
q query --service 001 --cid "$MALEE"
expect_error "an office the login does not offer" LK2-NO-OFFICE "ไม่มีสำนักงาน" lk2.office_id
check "  (no confirm sent)" stats lk2_confirm=1
config
q query --service 001 --cid 1400100123452
check "a citizen ID with a wrong check digit is refused before any request" \
	bash -c "[ $rc = 1 ] && grep -qF 'INVALID-FIELD' '$dir/err' && grep -qF 'cid' '$dir/err' \
		&& [ '$(sim_count lk2_login)' = 2 ]"

# --- the signer ---------------------------------------------------------------------------------
sim_start
config "lk2.signer = $dir/no-such-signer"
q query --service 001 --cid "$MALEE"
expect_error "a signer that is not there" LK2-SIGNER-MISSING "โปรแกรมลงนาม" "not found"
check "  (nothing sent to the proxy)" stats lk2_login=0
printf '#!/bin/sh\ncat >/dev/null\necho "card error" >&2\nexit 3\n' >"$dir/signer-fails"
printf '#!/bin/sh\ncat >/dev/null\nexit 0\n' >"$dir/signer-silent"
printf '#!/bin/sh\ncat >/dev/null\nyes AAAAAAAAAAAAAAAAAAAA | head -c 20000\n' >"$dir/signer-chatty"
printf '#!/bin/sh\necho $$ >"%s/hang.pids"\nsleep 47 &\necho $! >>"%s/hang.pids"\nwait\n' \
	"$dir" "$dir" >"$dir/signer-hangs"
printf '#!/bin/sh\ncat >/dev/null\necho abc\n' >"$dir/signer-open"
chmod 700 "$dir"/signer-*
chmod 777 "$dir/signer-open"
config "lk2.signer = $dir/signer-fails"
q query --service 001 --cid "$MALEE"
expect_error "a signer that fails (exit 3)" LK2-SIGNER-FAILED "ลงนาม" "3, exit status"
check "  (no confirm, no request)" stats lk2_login=1 lk2_confirm=0 lk2_request=0
config "lk2.signer = $dir/signer-silent"
q query --service 001 --cid "$MALEE"
expect_error "a signer that prints nothing" LK2-SIGNER-FAILED "ลงนาม" "no envelope"
config "lk2.signer = $dir/signer-chatty"
q query --service 001 --cid "$MALEE"
expect_error "a signer that prints too much" LK2-SIGNER-FAILED "ลงนาม" "envelope too long"
config "lk2.signer = $dir/signer-hangs" "lk2.signer_timeout_ms = 500"
q query --service 001 --cid "$MALEE"
expect_error "a signer that hangs: stopped at lk2.signer_timeout_ms" LK2-SIGNER-TIMEOUT "ภายในเวลา"
check "  (the signer and what it started were killed and reaped)" \
	bash -c "[ -s '$dir/hang.pids' ] && for p in \$(cat '$dir/hang.pids'); do \
		[ ! -d /proc/\$p ] || grep -q '^State:[[:space:]]*Z' /proc/\$p/status || exit 1; done"
config "lk2.signer = $dir/signer-open"
q query --service 001 --cid "$MALEE"
expect_error "a signer other accounts may change: not run" LK2-SIGNER-MISSING "แก้ไข" "writable by other accounts"
config "lk2.signer = signer-without-path"
q query --service 001 --cid "$MALEE"
expect_error "a signer named without its full path" LK2-NOT-SET-UP "lk2.signer" "full path"
check "  (nothing of all this reached the proxy's confirm or request)" \
	stats lk2_confirm=0 lk2_request=0

# --- the JWT: renewed once, the request sent once more, never a storm ------------------------------
sim_start --expire-next 1
q query --service 001,027 --cid "$MALEE"
audited=$((audited + 2))
check "an expired JWT: renewed, the request sent once more, then both answers" \
	bash -c "[ $rc = 0 ] && grep -qF 'มาลี' '$dir/out' && grep -qF 'House ID' '$dir/out'"
check "  (two requests, one renewal, one logout with the renewed JWT)" \
	stats lk2_request=2 lk2_renew=1 lk2_logout=1
sim_start --expire-next 100
q query --service 001,027 --cid "$MALEE"
audited=$((audited + 2))
expect_error "a JWT refused even after renewal" LK2-SESSION-ENDED "เข้าสู่ระบบใหม่" 401
check "  (two requests and one renewal, no more)" stats lk2_request=2 lk2_renew=1
sim_start --token-ttl-s 0
config "lk2.job_id = 6f1c2a9e-3b7d-4c5e-9a8f-0d1e2f3a4b5c"
q query --service 001 --cid "$MALEE"
audited=$((audited + 1))
expect_error "a JWT that dies at once and cannot be renewed" LK2-SESSION-ENDED "หมดอายุ"
check "  (one request, one renewal refused, then the officer must log in again)" \
	stats lk2_request=1 lk2_renew=1
sim_start
config "lk2.renew_age_s = 0"
q query --service 001 --cid "$MALEE"
audited=$((audited + 1))
check "a JWT older than lk2.renew_age_s: renewed before the request, not after a refusal" \
	bash -c "[ $rc = 0 ] && grep -qF 'มาลี' '$dir/out' && [ '$(sim_count lk2_renew)' = 1 ] \
		&& [ '$(sim_count lk2_request)' = 1 ]"

# --- partial success and refusals: never sent again ------------------------------------------------
sim_start --deny 001
q query --service 001,027,007 --cid "$SOMCHAI"
audited=$((audited + 3))
expect_error "95011 for 001 in a batch" LINKAGE-NO-SERVICE-RIGHT "ไม่มีสิทธิ์ใช้บริการนี้" 95011
check "  95011 names its service, says what to do and shows the Linkage Center's own text" \
	bash -c "grep -qF '00023/001: LINKAGE-NO-SERVICE-RIGHT' '$dir/err' && grep -qF 'Super User' '$dir/err' \
		&& grep -qF 'กรมการปกครอง' '$dir/err' && grep -qF 'user has no right to this service' '$dir/err'"
check "  the other services of the same request still show" \
	bash -c "grep -qF '40010012345' '$dir/out' && grep -qF 'เด็กชายสมศักดิ์ ใจดี' '$dir/out' \
		&& ! grep -qF '[00023/001]' '$dir/out'"
check "  (one request: the refusal is not sent again; then the logout)" \
	stats lk2_request=1 lk2_renew=0 lk2_logout=1
sim_start --code 90014
q query --service 001,027 --cid "$MALEE"
audited=$((audited + 2))
expect_error "90014 for every service" LINKAGE-CLOSED "ปิดให้บริการ" 90014
check "  (each service says so; one request)" \
	bash -c "[ \$(grep -c '00023/0..: LINKAGE-CLOSED (90014)' '$dir/err') = 2 ] && [ '$(sim_count lk2_request)' = 1 ]"
sim_start --scope 027 --code 95013
q query --service 001,027 --cid "$MALEE"
audited=$((audited + 2))
check "95013 on 027 only: 001 shows, 027 says the provider is down" \
	bash -c "[ $rc = 1 ] && grep -qF 'มาลี' '$dir/out' && grep -qF '00023/027: LINKAGE-PROVIDER-DOWN (95013)' '$dir/err'"
sim_start --scope 027 --malformed
q query --service 001,027 --cid "$MALEE"
audited=$((audited + 2))
check "a malformed answer for 027 only: 001 shows, 027 is ANSWER-MALFORMED" \
	bash -c "[ $rc = 1 ] && grep -qF 'มาลี' '$dir/out' && grep -qF '00023/027: ANSWER-MALFORMED' '$dir/err'"
q query --service 013 --cid 1234567890121
audited=$((audited + 1))
expect_error "a citizen the registry does not know (90500)" LINKAGE-NO-DATA "ทะเบียนไม่มีข้อมูล" 90500

# --- the whole request refused or lost --------------------------------------------------------------
sim_start --lk2-quota 0
q query --service 001,027 --cid "$MALEE"
audited=$((audited + 2))
expect_error "the quota used up (90008)" LINKAGE-QUOTA "โควตา" 90008
check "  (the request is not sent again)" stats lk2_request=1 lk2_renew=0
sim_start --lk2-job-gone
q query --service 001 --cid "$MALEE"
audited=$((audited + 1))
expect_error "403 job not found" LK2-JOB-NOT-FOUND "ไม่พบงาน" 403
check "  (not sent again)" stats lk2_request=1
sim_start
config "lk2.job_id = 00000000-0000-0000-0000-000000000000"
q query --service 001 --cid "$MALEE"
audited=$((audited + 1))
expect_error "a configured job the Linkage Center does not know" LK2-JOB-NOT-FOUND "lk2.job_id"
sim_start --status 500
q query --service 001 --cid "$MALEE"
audited=$((audited + 1))
expect_error "HTTP 500 from the proxy" GATEWAY-FAILED "ขัดข้อง" 500
check "  (not retried)" stats lk2_request=1
sim_start --malformed
q query --service 001,027 --cid "$MALEE"
audited=$((audited + 2))
expect_error "a whole answer that is not JSON" ANSWER-MALFORMED "รูปแบบ"
sim_start --truncate
q query --service 001 --cid "$MALEE"
audited=$((audited + 1))
expect_error "an answer shorter than its Content-Length" ANSWER-TRUNCATED "ขาดหาย"
sim_start --reset
q query --service 001 --cid "$MALEE"
audited=$((audited + 1))
expect_error "a connection reset during the request" LK2-UNREACHABLE "X0003" "connection reset"
sim_stop
config
q query --service 001 --cid "$MALEE"
expect_error "no proxy listening: cannot reach the proxy, not a refusal" LK2-UNREACHABLE "ติดต่อเครื่องพร็อกซี" connect
check "  (and the hint names lk2.url)" grep -qF lk2.url "$dir/err"

# --- the configuration -------------------------------------------------------------------------------
sim_start
chmod 644 "$TABIEN_CONFIG"
q query --service 001 --cid "$MALEE"
check "a config file naming the signer that others can read is refused, naming the file and chmod 600" \
	bash -c "[ $rc = 1 ] && grep -qF LK2-CONFIG-NOT-PRIVATE '$dir/err' && grep -qF '$TABIEN_CONFIG' '$dir/err' \
		&& grep -qF 'chmod 600 $TABIEN_CONFIG' '$dir/err' && grep -qF 'ไฟล์ส่วนตัว' '$dir/err'"
check "  (nothing was sent)" stats lk2_login=0
chmod 640 "$TABIEN_CONFIG"
q query --service 001 --cid "$MALEE"
check "a group-readable file is refused too" bash -c "[ $rc = 1 ] && grep -qF LK2-CONFIG-NOT-PRIVATE '$dir/err'"
config
sed -i '/^lk2.url/d' "$TABIEN_CONFIG"
q query --service 001 --cid "$MALEE"
check "no lk2.url: LK2-NOT-SET-UP names the setting" \
	bash -c "[ $rc = 1 ] && grep -qF LK2-NOT-SET-UP '$dir/err' && grep -qF lk2.url '$dir/err'"
config "lk2.url = http://proxy.example" "http.proxy = http://127.0.0.1:$sim_port"
q query --service 001 --cid "$MALEE"
expect_error "plain http:// to another host than this machine" PLAIN-HTTP "ไม่เข้ารหัส" lk2.url
check "  (the hint says https://, and nothing was sent)" \
	bash -c "grep -qF 'https://' '$dir/err' && [ '$(sim_count lk2_login)' = 0 ] && [ '$(sim_count other)' = 0 ]"
config "linkage.transport = lk3"
q query --service 001 --cid "$MALEE"
check "linkage.transport must be gdx or lk2" \
	bash -c "[ $rc = 1 ] && grep -qF 'CONFIG' '$dir/err' && grep -qF 'linkage.transport' '$dir/err'"
config
printf '%s\n%s\n' "$PW" "$SIM_PIN" | "$TABIEN" linkage query --service 001 --cid "$MALEE" --as officer1 \
	--batch >"$dir/out" 2>"$dir/err"
rc=$?
check "without --chip: a usage error that says what is missing" \
	bash -c "[ $rc = 2 ] && grep -qF -- '--chip' '$dir/err' && [ '$(sim_count lk2_login)' = 0 ]"
printf '%s\n%s\n' "$PW" "$SIM_PIN" | "$TABIEN" linkage query --service 001 --cid "$MALEE" --as officer1 \
	--batch --chip "CH-$(head -c 100 /dev/zero | tr '\0' 1)" >"$dir/out" 2>"$dir/err"
rc=$?
check "a --chip too long: a usage error, no login sent" \
	bash -c "[ $rc = 2 ] && grep -qF -- '--chip: at most 63 bytes' '$dir/err' && [ '$(sim_count lk2_login)' = 0 ]"

# --- an answer whose audit row cannot be written ------------------------------------------------------
# A trigger refuses the query rows only, so the officer still logs in.
sqlite3 "$TABIEN_DB" "CREATE TRIGGER no_query_rows BEFORE INSERT ON audit
	WHEN NEW.action = 'linkage.query' BEGIN SELECT RAISE(FAIL, 'refused by the test'); END"
q query --service 001,027 --cid "$MALEE"
cp "$dir/err" "$dir/err.audit"
sqlite3 "$TABIEN_DB" "DROP TRIGGER no_query_rows"
check "the audit row cannot be written: exit 1, AUDIT-NOT-WRITTEN for each service, in English and Thai" \
	bash -c "[ $rc = 1 ] && [ \$(grep -c 'AUDIT-NOT-WRITTEN.*could not be written' '$dir/err.audit') = 2 ] \
		&& grep -qF 'บันทึกการใช้งานไม่ได้' '$dir/err.audit'"
check "  (no citizen data shown without its audit row)" \
	bash -c "! grep -qF 'มาลี' '$dir/out' && ! grep -qF 'Malee' '$dir/out' && [ '$(sim_count lk2_request)' = 1 ]"
sim_stop

# --- the audit trail -------------------------------------------------------------------------------
printf '%s\n' "$PW" | "$TABIEN" audit export --as officer1 --batch >"$dir/audit.csv" 2>"$dir/err"
check "audit export works" [ $? = 0 ]
rows=$(grep -c 'linkage.query' "$dir/audit.csv")
check "one audit row for every service of every request started ($audited), none when no request started" \
	[ "$rows" = "$audited" ]
check "audit rows name the service, the citizen, the purpose and the result code with its number" \
	bash -c "grep 'linkage.query' '$dir/audit.csv' | grep -F '00023/001' | grep -F '$SOMCHAI' \
		| grep -qF 'LINKAGE-NO-SERVICE-RIGHT 95011' && grep 'linkage.query' '$dir/audit.csv' \
		| grep -F '00023/027' | grep -F '$SOMCHAI' | grep -F 'ตรวจสอบสิทธิ' | grep -qF ',OK' \
		&& grep 'linkage.query' '$dir/audit.csv' | grep -qF 'LK2-SESSION-ENDED 401'"
check "no PIN, envelope or JWT in anything printed" \
	bash -c "! grep -qE '$SIM_PIN|eyJhbGci|[0-9a-f]{64}|Bearer' '$dir/all-output'"

echo "1..$n"
[ $failed = 0 ]
