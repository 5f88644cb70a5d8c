#!/usr/bin/env bash
# `tabien linkage ...` against the gateway simulator over HTTP on 127.0.0.1:
# every service parsed, the token cached and renewed once, refusals never
# retried, every failure of the gateway shown as a clear error in English
# and Thai, the secret's file checked, and an audit row for every query.
# The simulator counts requests (--stats-file), so a retry storm shows.
# Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-linkage.XXXXXX")
. "$S/tests/lib/common.sh"
export TABIEN_PWHASH=fast TABIEN_TERMINAL=counter-test
export TABIEN_DB="$dir/data/tabien.db" TABIEN_CONFIG="$dir/tabien.conf"
unset XDG_DATA_HOME XDG_CONFIG_HOME http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
trap test_cleanup EXIT
# A failing case shows the command's output and the simulator's counters.
SHOW="$dir/out $dir/err $dir/stats"
has() { grep -qF -- "$1" "$2"; }

SOMCHAI=1400100123451 MALEE=1104500678902 THANA=1120100135797 BOONRUEN=3500100246800
PW='officer-password-1'

# Each fresh simulator (sim_start) gets a config of its own.
sim_started() { config "http.timeout_ms = ${TIMEOUT_MS:-4000}"; }
config() { # extra lines
	{
		echo "gdx.url = http://127.0.0.1:${sim_port:-1}"
		echo "gdx.consumer_key = sim-key"
		echo "gdx.consumer_secret = sim-secret"
		for l in "$@"; do echo "$l"; done
	} >"$TABIEN_CONFIG"
	chmod 600 "$TABIEN_CONFIG"
}
# q ARGS...: one `tabien linkage ...` as officer1, the password on stdin.
q() {
	printf '%s\n' "$PW" | "$TABIEN" linkage "$@" --as officer1 --batch --purpose "ตรวจสอบสิทธิ" \
		>"$dir/out" 2>"$dir/err"
	rc=$?
	cat "$dir/out" "$dir/err" >>"$dir/all-output"
}

# --- a branch with one officer -------------------------------------------------------------
printf '%s\n' "กรมทดสอบระบบ" BR-01 "สาขาทดสอบ" officer1 "สมชาย ใจดี" "$SOMCHAI" "เจ้าหน้าที่" \
	"$PW" "$PW" | "$TABIEN" admin init --batch >"$dir/out" 2>"$dir/err"
check "a branch and its officer are set up" [ $? = 0 ]

# --- every service, parsed from the simulator ----------------------------------------------
sim_start
check "the simulator listens on 127.0.0.1 only and says where" \
	bash -c "[ -n '$sim_port' ] && grep -qF '127.0.0.1:$sim_port' '$dir/sim.out'"
q query --service 001,027,007,008,013,017 --cid "$SOMCHAI"
check "six services for one citizen: exit 0" [ $rc = 0 ]
check "001: the registry's names, birth date and father's ID (sent as a number)" \
	bash -c "grep -qF 'นายสมชาย ใจดี' '$dir/out' && grep -qF 'Mr. Somchai Jaidee' '$dir/out' \
		&& grep -qF '15 มี.ค. 2528' '$dir/out' && grep -qF '3-4001-00123-40-7' '$dir/out'"
check "027: two addresses, the old one ended, house IDs of 11 digits (one sent as a number)" \
	bash -c "grep -qF '40010012345' '$dir/out' && grep -qF '40010099887' '$dir/out' \
		&& grep -qF 'ended / สิ้นสุด 10 มิ.ย. 2555' '$dir/out'"
check "007: three members of the household with their IDs and place in the house" \
	bash -c "grep -qF 'Members / จำนวนคนในบ้าน' '$dir/out' && grep -qF 'เด็กชายสมศักดิ์ ใจดี' '$dir/out' \
		&& grep -qF '3-4001-00123-46-6' '$dir/out' && grep -qF 'ผู้อาศัย' '$dir/out'"
check "008: the house details" \
	bash -c "grep -qF '[00023/008]' '$dir/out' && grep -qF 'ตำบลในเมือง อำเภอเมืองขอนแก่น' '$dir/out'"
check "013 and 017 with no change: a count of 0" \
	bash -c "[ \$(grep -c 'Changes / จำนวนครั้งที่เปลี่ยน *0' '$dir/out') = 2 ]"
check "six queries, one token (cached between queries)" \
	bash -c "[ '$(sim_count link)' = 6 ] && [ '$(sim_count token)' = 1 ]"
q query --service 013 --cid "$MALEE"
check "013: a first-name change (มะลิ → มาลี)" \
	bash -c "[ $rc = 0 ] && grep -qF 'นางสาวมะลิ ชื่นชูสุวรรณ์' '$dir/out' && grep -qF 'ช.3/2558' '$dir/out'"
q query --service 017 --cid "$THANA"
check "017: a surname change with its cause" \
	bash -c "[ $rc = 0 ] && grep -qF 'สมิธ' '$dir/out' && grep -qF 'ขอใช้ชื่อสกุลของมารดา' '$dir/out'"
q household --cid "$BOONRUEN" --json
check "household --json: 007 and 008 as JSON, a birth date with only the year" \
	bash -c "[ $rc = 0 ] && grep -qF '\"service\":	\"00023/007\"' '$dir/out' \
		&& grep -qF '\"service\":	\"00023/008\"' '$dir/out' && grep -qF '24790000' '$dir/out'"
check "household --json is valid JSON" jq -e . "$dir/out"
q query --service 001 --cid 1400100123452
check "a citizen ID with a wrong check digit is refused before any request" \
	bash -c "[ $rc = 1 ] && grep -qF 'INVALID-FIELD' '$dir/err' && grep -qF 'cid' '$dir/err' \
		&& [ '$(sim_count link)' = 10 ]"
tokens_before=$(sim_count token)
printf 'wrong-password-1\n' | "$TABIEN" linkage query --service 001 --cid "$MALEE" --as officer1 \
	--batch >"$dir/out" 2>"$dir/err"
rc=$?
check "a wrong password: AUTH-WRONG and no request" \
	bash -c "[ $rc = 1 ] && grep -qF AUTH-WRONG '$dir/err' && [ '$(sim_count token)' = '$tokens_before' ]"
q query --service 001 --cid 1234567890121
expect_error "a citizen the registry does not know (404 with 90500)" LINKAGE-NO-DATA "ทะเบียนไม่มีข้อมูล" 90500
check "  (one request, no retry)" bash -c "[ '$(sim_count link)' = 11 ]"

# --- the token: renewed once, never a storm ---------------------------------------------------
sim_start --expire-next 1
q query --service 001 --cid "$MALEE"
check "an expired token: a new one and the query once more, then the answer" \
	bash -c "[ $rc = 0 ] && grep -qF 'มาลี' '$dir/out' && [ '$(sim_count token)' = 2 ] \
		&& [ '$(sim_count link)' = 2 ]"
sim_start --expire-next 100
q query --service 001 --cid "$MALEE"
expect_error "a token refused even after renewal" LINKAGE-TOKEN "โทเคน"
check "  (two token requests and two queries, no more)" \
	bash -c "[ '$(sim_count token)' = 2 ] && [ '$(sim_count link)' = 2 ]"
sim_start --token-ttl-s 0
q query --service 001,027 --cid "$MALEE"
check "tokens that die at once: each query renews once and gives up" \
	bash -c "[ $rc = 1 ] && [ '$(sim_count link)' = 4 ] && [ '$(sim_count token)' -le 4 ]"

# --- refusals are not retried ---------------------------------------------------------------
sim_start --deny 001
q query --service 001,027 --cid "$SOMCHAI"
expect_error "95011: the officer has no right to the service" LINKAGE-NO-SERVICE-RIGHT "ไม่มีสิทธิ์ใช้บริการนี้" 95011
check "95011 shows what to do (the Super User asks DOPA), in both languages" \
	bash -c "grep -qF 'Super User' '$dir/err' && grep -qF 'กรมการปกครอง' '$dir/err'"
check "95011 is not retried; the other service still answers" \
	bash -c "[ '$(sim_count link)' = 2 ] && [ '$(sim_count token)' = 1 ] && grep -qF '40010012345' '$dir/out'"
for code in 95001:LINKAGE-NOT-REGISTERED:ยังไม่ได้ลงทะเบียน 95004:LINKAGE-NO-PERMISSION:รหัสสำนักงาน \
	90008:LINKAGE-QUOTA:โควตา 90014:LINKAGE-CLOSED:ปิดให้บริการ 99999:LINKAGE-NO-DATA:ไม่มีข้อมูล \
	95015:LINKAGE-TOO-LARGE:เกินขนาด 91234:LINKAGE-ERROR:แจ้งข้อผิดพลาด 90007:GATEWAY-DENIED:รหัสลับ; do
	IFS=: read -r num name th <<<"$code"
	sim_start --code "$num"
	q query --service 001 --cid "$MALEE"
	expect_error "Linkage code $num" "$name" "$th" "$num"
	check "  ($num not retried)" bash -c "[ '$(sim_count link)' = 1 ]"
done
sim_start --quota --scope 027
q query --service 001,027 --cid "$MALEE"
check "--quota on 027 only: 001 answers, 027 shows the quota (90008)" \
	bash -c "[ $rc = 1 ] && grep -qF 'มาลี' '$dir/out' && grep -qF 'LINKAGE-QUOTA (90008)' '$dir/err' \
		&& grep -qF 'โควตา' '$dir/err'"

# --- the gateway's failures ----------------------------------------------------------------------
for st in 401 403; do
	sim_start --status $st
	q query --service 001 --cid "$MALEE"
	expect_error "HTTP $st" GATEWAY-DENIED "ปฏิเสธ" $st
	check "  (HTTP $st: one renewal, then the error; no storm)" \
		bash -c "[ '$(sim_count link)' = 2 ] && [ '$(sim_count token)' = 2 ]"
done
sim_start --status 404
q query --service 001 --cid "$MALEE"
expect_error "HTTP 404" GATEWAY-NOT-FOUND "ไม่พบ" 404
for st in 500 502 504; do
	sim_start --status $st
	q query --service 001 --cid "$MALEE"
	expect_error "HTTP $st" GATEWAY-FAILED "ขัดข้อง" $st
	check "  (HTTP $st not retried)" bash -c "[ '$(sim_count link)' = 1 ]"
done
sim_start --malformed
q query --service 001 --cid "$MALEE"
expect_error "a body that is not JSON" ANSWER-MALFORMED "รูปแบบ"
sim_start --truncate
q query --service 001 --cid "$MALEE"
expect_error "a body shorter than its Content-Length" ANSWER-TRUNCATED "ขาดหาย"
sim_start --oversize
q query --service 001 --cid "$MALEE"
expect_error "an oversized body (Content-Length)" ANSWER-TOO-LARGE "ใหญ่เกินไป"
sim_start --oversize-chunked
q query --service 001 --cid "$MALEE"
expect_error "an oversized body (chunked, cut by the size cap)" ANSWER-TOO-LARGE "ใหญ่เกินไป"
TIMEOUT_MS=800 sim_start --drip-ms 200
q query --service 001 --cid "$MALEE"
expect_error "a slow drip beyond the time-out" GATEWAY-UNREACHABLE "ติดต่อเครื่องแม่ข่ายไม่ได้" timeout
sim_start --reset
q query --service 001 --cid "$MALEE"
expect_error "a connection reset" GATEWAY-UNREACHABLE "X0003" "connection reset"
sim_start --latency-ms 300 --html
q query --service 001 --cid "$MALEE"
check "latency below the time-out and a text/html content type: the answer" \
	bash -c "[ $rc = 0 ] && grep -qF 'มาลี' '$dir/out'"
sim_stop
config
q query --service 001 --cid "$MALEE"
expect_error "nothing listening" GATEWAY-UNREACHABLE "X0003" connect

# --- the secret's file ------------------------------------------------------------------------------
sim_start
chmod 644 "$TABIEN_CONFIG"
q query --service 001 --cid "$MALEE"
check "a consumer secret in a file others can read is refused, naming the file and chmod 600" \
	bash -c "[ $rc = 1 ] && grep -qF CONFIG-NOT-PRIVATE '$dir/err' && grep -qF '$TABIEN_CONFIG' '$dir/err' \
		&& grep -qF 'chmod 600 $TABIEN_CONFIG' '$dir/err' && grep -qF 'ไฟล์ส่วนตัว' '$dir/err'"
check "  (nothing was sent)" bash -c "[ '$(sim_count token)' = 0 ] && [ '$(sim_count link)' = 0 ]"
chmod 640 "$TABIEN_CONFIG"
q query --service 001 --cid "$MALEE"
check "a group-readable file is refused too" bash -c "[ $rc = 1 ] && grep -qF CONFIG-NOT-PRIVATE '$dir/err'"
config "gdx.consumer_secret ="
sed -i '/= sim-secret/d' "$TABIEN_CONFIG"
q query --service 001 --cid "$MALEE"
check "no consumer secret: GATEWAY-NOT-SET-UP names the setting" \
	bash -c "[ $rc = 1 ] && grep -qF GATEWAY-NOT-SET-UP '$dir/err' && grep -qF gdx.consumer_secret '$dir/err'"
# Through the simulator as the proxy: a request that went out would be counted.
config "gdx.url = http://gateway.example/ws" "http.proxy = http://127.0.0.1:$sim_port"
q query --service 001 --cid "$MALEE"
expect_error "plain http:// to another host than this machine" PLAIN-HTTP "ไม่เข้ารหัส" gdx.url
check "  (the hint says https://, and nothing was sent)" \
	bash -c "grep -qF 'https://' '$dir/err' && [ '$(sim_count token)' = 0 ] && [ '$(sim_count other)' = 0 ]"
sim_stop

# --- the officer's presence: linkage permission ---------------------------------------------------
# perm [ARGS...]: `tabien linkage permission` as officer1, the password on stdin.
perm() {
	printf '%s\n' "$PW" | "$TABIEN" linkage permission --as officer1 --batch "$@" \
		>"$dir/out" 2>"$dir/err"
	rc=$?
	cat "$dir/out" "$dir/err" >>"$dir/all-output"
}
sim_start
perm
check "permission: the officer's agent is available, exit 0, said in English and Thai" \
	bash -c "[ $rc = 0 ] && grep -qF 'AgentAvailable' '$dir/out' \
		&& grep -qF 'Linkage queries can be sent' '$dir/out' && grep -qF 'ส่งคำขอข้อมูล Linkage ได้' '$dir/out' \
		&& grep -qF 'officer1 (1-4001-00123-45-1)' '$dir/out'"
check "  (one token, one permission request, no registry query)" \
	bash -c "[ '$(sim_count token)' = 1 ] && [ '$(sim_count permission)' = 1 ] && [ '$(sim_count link)' = 0 ]"
sim_start --session-state AgentNotAvailable
perm
check "AgentNotAvailable: exit 3, start the agent and insert the officer's card, in both languages" \
	bash -c "[ $rc = 3 ] && grep -qF 'AgentNotAvailable' '$dir/out' && grep -qF 'Start the agent' '$dir/out' \
		&& grep -qF \"insert the officer's ID card\" '$dir/out' && grep -qF 'เสียบบัตรประชาชนของเจ้าหน้าที่' '$dir/out'"
sim_start --session-state CitizenAvailable
perm
check "CitizenAvailable: exit 0, the two-card mode named in English and Thai" \
	bash -c "[ $rc = 0 ] && grep -qF 'CitizenAvailable' '$dir/out' && grep -qF 'two-card mode' '$dir/out' \
		&& grep -qF 'แบบสองบัตร' '$dir/out'"
perm --json
check "--json: the state, the two-card flag and the officer's IDs" \
	bash -c "[ $rc = 0 ] && grep -qF '\"state\":	\"CitizenAvailable\"' '$dir/out' \
		&& grep -qF '\"two_card\":	true' '$dir/out' && grep -qF '\"agent_id\":	\"$SOMCHAI\"' '$dir/out'"
check "permission --json is valid JSON" jq -e . "$dir/out"
sim_start --session-state AgentSleeping
perm
check "a state the program does not know: shown as sent, called unknown, exit 3" \
	bash -c "[ $rc = 3 ] && grep -qF 'AgentSleeping (unknown / ไม่รู้จัก)' '$dir/out' \
		&& grep -qF 'branch support' '$dir/out' && grep -qF 'ฝ่ายสนับสนุนของสาขา' '$dir/out'"
sim_start --expire-next 1
perm
check "permission with an expired token: a new token and the request once more, then the state" \
	bash -c "[ $rc = 0 ] && grep -qF 'AgentAvailable' '$dir/out' && [ '$(sim_count token)' = 2 ] \
		&& [ '$(sim_count permission)' = 2 ]"
sim_start --expire-next 100
perm
expect_error "permission: a token refused even after renewal" LINKAGE-TOKEN "โทเคน"
check "  (two token requests and two permission requests, no more)" \
	bash -c "[ '$(sim_count token)' = 2 ] && [ '$(sim_count permission)' = 2 ]"
sim_start --code 95001 --scope permission
perm
expect_error "permission: an officer the Linkage Center does not know (95001)" \
	LINKAGE-NOT-REGISTERED "ยังไม่ได้ลงทะเบียน" 95001
check "  (95001 is not retried)" bash -c "[ '$(sim_count permission)' = 1 ] && [ '$(sim_count token)' = 1 ]"
perm --json
check "  (--json: the error's code, number and both languages, exit 1)" \
	bash -c "[ $rc = 1 ] && grep -qF '\"error\":	\"LINKAGE-NOT-REGISTERED\"' '$dir/out' \
		&& grep -qF '\"detail\":	95001' '$dir/out' && grep -qF 'linkagemgmt' '$dir/out'"
sim_start --status 500 --scope permission
perm
expect_error "permission: HTTP 500" GATEWAY-FAILED "ขัดข้อง" 500
check "  (HTTP 500 not retried)" bash -c "[ '$(sim_count permission)' = 1 ]"
sim_start --malformed --scope permission
perm
expect_error "permission: a body that is not JSON" ANSWER-MALFORMED "รูปแบบ"
sim_start --code 95011 --scope 001
perm
check "failure switches aimed at a service leave the permission check alone" \
	bash -c "[ $rc = 0 ] && grep -qF 'AgentAvailable' '$dir/out'"
sim_stop
config
perm
expect_error "permission: nothing listening" GATEWAY-UNREACHABLE "X0003" connect
printf '%s\n' "$PW" | "$TABIEN" linkage permission --as officer1 --batch --cid "$MALEE" \
	>"$dir/out" 2>"$dir/err"
rc=$?
check "permission takes no citizen: a usage error (exit 2) naming the command" \
	bash -c "[ $rc = 2 ] && grep -qF 'linkage permission --as USER' '$dir/err'"
# Arguments too long for what they name are usage errors, never cut short.
long=$(head -c 5000 /dev/zero | tr '\0' x)
"$TABIEN" linkage query --service 001 --cid "1$long" --as officer1 --batch </dev/null >/dev/null 2>"$dir/err"
rc=$?
"$TABIEN" linkage permission --as officer1 --batch --db "/tmp/$long" </dev/null >/dev/null 2>"$dir/err2"
rc2=$?
check "a --cid or --db too long: a usage error (exit 2) that says so" \
	bash -c "[ $rc = 2 ] && grep -qF -- '--cid: at most 31 bytes' '$dir/err' \
		&& [ $rc2 = 2 ] && grep -qF -- '--db: at most' '$dir/err2'"

# --- the audit trail ---------------------------------------------------------------------------------
printf '%s\n' "$PW" | "$TABIEN" audit export --as officer1 --batch >"$dir/audit.csv" 2>"$dir/err"
check "audit export works" [ $? = 0 ]
rows=$(grep -c 'linkage.query' "$dir/audit.csv")
# Queries sent: 6+1+1+2 (household) +1 (unknown citizen) +1+1+2 (tokens) +2 (deny) +7 (codes)
# +1 (90007) +2 (scope) +2 (401/403) +1 (404) +3 (5xx) +5 (bodies) +1 (reset) +1 (latency) +1 (no listener)
# Permission checks are about the officer, not a citizen: they write none.
check "one audit row for every query sent (41), none for refused input" [ "$rows" = 41 ]
check "audit rows name the service, the citizen and the result code with its number" \
	bash -c "grep 'linkage.query' '$dir/audit.csv' | grep -F '00023/001' | grep -F '$SOMCHAI' \
		| grep -qF 'LINKAGE-NO-SERVICE-RIGHT 95011' && grep 'linkage.query' '$dir/audit.csv' \
		| grep -F '00023/007' | grep -F 'ตรวจสอบสิทธิ' | grep -qF ',OK'"
check "no secret, token or consumer key in anything printed" \
	bash -c "! grep -qE 'sim-secret|sim-key|Token:' '$dir/all-output'"

# --- a person's services at once, from the command line too ---------------------------------------
sim_start --latency-ms 300
q query --service 001,027,007,008,013,017 --cid "$SOMCHAI"
check "six services from the command line are all sent at once (six waiting together at the gateway)" \
	bash -c "[ $rc = 0 ] && [ '$(sim_count link_peak)' = 6 ] && [ '$(sim_count token)' = 1 ]"
check "  and printed in the order asked, each once" \
	bash -c "grep -o '^\[00023/0[0-9][0-9]\]' '$dir/out' | tr -d '\n' | \
		grep -qxF '[00023/001][00023/027][00023/007][00023/008][00023/013][00023/017]'"
before=$(sim_count link)
q query --service 001,001,013 --cid "$SOMCHAI"
check "a service named twice is asked once: printed once, two requests sent for 001,001,013" \
	bash -c "[ $rc = 0 ] && [ \$(grep -c '^\[00023/001\]' '$dir/out') = 1 ] && [ $(( $(sim_count link) - before )) = 2 ]"

# --- the consent beside the purpose ----------------------------------------------------------------
q query --service 001,027 --cid "$SOMCHAI" --consent mission
check "--consent mission: written beside the purpose on both rows, and the chain still verifies" \
	bash -c "[ $rc = 0 ] && [ \$(sqlite3 '$TABIEN_DB' \"SELECT count(*) FROM audit WHERE seq > \
		(SELECT max(seq) - 2 FROM audit) AND consent = 'mission' AND purpose = 'ตรวจสอบสิทธิ'\") = 2 ] &&
		'$TABIEN' audit verify >/dev/null"
before=$(sim_count link)
q query --service 001 --cid "$SOMCHAI" --consent maybe
check "--consent other than yes, no or mission: refused in both languages before anything is sent" \
	bash -c "[ $rc = 1 ] && grep -qF 'consent' '$dir/err' && grep -qF 'INVALID-FIELD' '$dir/err' &&
		[ '$(sim_count link)' = '$before' ]"

# --- no registry data without its audit row ----------------------------------------------------------
sqlite3 "$TABIEN_DB" "CREATE TRIGGER no_rows BEFORE INSERT ON audit \
	WHEN NEW.action = 'linkage.query' BEGIN SELECT RAISE(ABORT, 'disk refused'); END"
q query --service 001,027 --cid "$SOMCHAI"
check "an audit row that cannot be written: exit 1, the error said, no registry data printed" \
	bash -c "[ $rc = 1 ] && grep -qF 'AUDIT-NOT-WRITTEN' '$dir/err' && ! grep -qF 'ใจดี' '$dir/out'"
sqlite3 "$TABIEN_DB" "DROP TRIGGER no_rows"

echo "1..$n"
[ $failed = 0 ]
