#!/usr/bin/env bash
# TLS and proxies for real: the gateway simulator over HTTPS with a test CA
# and certificates made here by openssl.  Verification is on by default (no
# http.ca_file: the CA is not trusted), a private CA through http.ca_file, a
# certificate for another host, an expired one, the key pin right and wrong,
# each refusal with its own clear error; a real HTTP proxy (tinyproxy, our
# own instance on a free loopback port) carrying the lookup with CONNECT.
# GDX for most cases, one DBD and one LK2 lookup so every client path is
# shown verifying.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
SIGNER="$B/sim/tabien-signer"
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-tls.XXXXXX")
. "$S/tests/lib/common.sh"
export TABIEN_PWHASH=fast TABIEN_TERMINAL=counter-test
export TABIEN_DB="$dir/data/tabien.db" TABIEN_CONFIG="$dir/tabien.conf"
unset XDG_DATA_HOME XDG_CONFIG_HOME http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
unset no_proxy NO_PROXY SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE
proxy_pid=
cleanup() {
	[ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null
	test_cleanup
}
trap cleanup EXIT
SHOW="$dir/out $dir/err $dir/stats $dir/sim.out"

SOMCHAI=1400100123451 MALEE=1104500678902 SIAM=0105536012346
PW='officer-password-1' SIM_PIN=4739

# --- a CA and three certificates ------------------------------------------------------------
# openssl ca, not x509 -req: only it sets a start and an end date in the
# past (OpenSSL 3.0 has no -not_before), for the expired certificate.
make_certs() {
	cd "$dir/pki" || return 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
		-out ca.pem -days 30 -subj /CN=tabien-test-ca || return 1
	mkdir -p issued && : >index.txt && echo 1000 >serial
	printf '%s\n' '[ca]' 'default_ca = test' '[test]' "database = $dir/pki/index.txt" \
		"new_certs_dir = $dir/pki/issued" "serial = $dir/pki/serial" 'default_md = sha256' \
		'policy = any' 'unique_subject = no' '[any]' 'commonName = supplied' >ca.cnf
	cert good "IP:127.0.0.1,DNS:localhost" -days 30 &&
		cert wronghost "DNS:gateway.example" -days 30 &&
		cert expired "IP:127.0.0.1,DNS:localhost" -startdate 20200101000000Z \
			-enddate 20200201000000Z
}
cert() { # NAME SUBJECT-ALT-NAMES DATES...
	local name=$1 san=$2
	shift 2
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$name.key" \
		-out "$name.csr" -subj "/CN=$name" &&
		echo "subjectAltName = $san" >"$name.ext" &&
		openssl ca -batch -notext -config ca.cnf -cert ca.pem -keyfile ca.key -in "$name.csr" \
			-out "$name.pem" -extfile "$name.ext" "$@"
}
mkdir -p "$dir/pki"
(make_certs) >"$dir/openssl.log" 2>&1
SHOW="$dir/openssl.log"
check "a test CA and certificates (good, for another host, expired) made by openssl" \
	bash -c "[ -s '$dir/pki/good.pem' ] && [ -s '$dir/pki/wronghost.pem' ] && [ -s '$dir/pki/expired.pem' ]"
SHOW="$dir/out $dir/err $dir/stats $dir/sim.out"
CA=$dir/pki/ca.pem
# The good certificate's key as curl pins it: sha256// and the base64 of
# the hash of its SubjectPublicKeyInfo.
PIN="sha256//$(openssl x509 -in "$dir/pki/good.pem" -pubkey -noout | openssl pkey -pubin -outform der |
	openssl dgst -sha256 -binary | base64)"
WRONG_PIN="sha256//$(printf 'not the key' | openssl dgst -sha256 -binary | base64)"

# tls CERT: a fresh simulator serving HTTPS with that certificate.
tls() { sim_start --tls-cert "$dir/pki/$1.pem" --tls-key "$dir/pki/$1.key" --lk2-pin "$SIM_PIN"; }
config() { # extra lines
	{
		echo "gdx.url = https://127.0.0.1:${sim_port:-1}"
		echo "gdx.consumer_key = sim-key"
		echo "gdx.consumer_secret = sim-secret"
		echo "http.timeout_ms = 4000"
		for l in "$@"; do echo "$l"; done
	} >"$TABIEN_CONFIG"
	chmod 600 "$TABIEN_CONFIG"
}
# q ARGS...: one `tabien linkage query` as officer1, the password on stdin.
q() {
	printf '%s\n' "$PW" | "$TABIEN" linkage query "$@" --as officer1 --batch \
		--purpose "ตรวจสอบสิทธิ" >"$dir/out" 2>"$dir/err"
	rc=$?
}
found() { [ $rc = 0 ] && grep -qF 'มาลี' "$dir/out"; }

printf '%s\n' "กรมทดสอบระบบ" BR-01 "สาขาทดสอบ" officer1 "สมชาย ใจดี" "$SOMCHAI" "เจ้าหน้าที่" \
	"$PW" "$PW" | "$TABIEN" admin init --batch >"$dir/out" 2>"$dir/err"
check "a branch and its officer are set up" [ $? = 0 ]

# --- verification ---------------------------------------------------------------------------
tls good
check "the simulator serves HTTPS" grep -qF '(HTTPS)' "$dir/sim.out"
config
q --service 001 --cid "$MALEE"
expect_error "no http.ca_file: the test CA is not trusted" TLS-UNTRUSTED "ไม่ได้ลงนาม" 60
check "  (the hint names http.ca_file; no request reached the simulator)" \
	bash -c "grep -qF http.ca_file '$dir/err' && [ '$(sim_count token)' = 0 ]"
config "http.ca_file = $CA"
q --service 001 --cid "$MALEE"
check "the test CA through http.ca_file: the lookup works" found
config "http.ca_file = $dir/pki/missing.pem"
q --service 001 --cid "$MALEE"
expect_error "an http.ca_file that is not there" FILE "อ่านหรือเขียนไฟล์ไม่ได้" http.ca_file
config "http.ca_file = $CA" "http.pin = $PIN"
q --service 001 --cid "$MALEE"
check "http.pin with the gateway's key: the lookup works" found
config "http.ca_file = $CA" "http.pin = $WRONG_PIN"
tokens=$(sim_count token)
q --service 001 --cid "$MALEE"
expect_error "http.pin with another key" TLS-PIN-MISMATCH "กุญแจสาธารณะ" http.pin
check "  (nothing was sent)" [ "$(sim_count token)" = "$tokens" ]

tls wronghost
config "http.ca_file = $CA"
q --service 001 --cid "$MALEE"
expect_error "a certificate for another host" TLS-WRONG-HOST "ชื่อเครื่องอื่น"
check "  (nothing was sent)" [ "$(sim_count token)" = 0 ]

tls expired
config "http.ca_file = $CA"
q --service 001 --cid "$MALEE"
expect_error "an expired certificate" TLS-EXPIRED "หมดอายุ"
check "  (the hint says to check the date and time; nothing was sent)" \
	bash -c "grep -qF 'date and time' '$dir/err' && [ '$(sim_count token)' = 0 ]"

# --- DBD and LK2 verify too -------------------------------------------------------------------
tls good
config "dbd.source = open" "dbd.open_url = https://127.0.0.1:$sim_port"
printf '%s\n' "$PW" | "$TABIEN" juristic show "$SIAM" --as officer1 --batch \
	--purpose "ตรวจสอบนิติบุคคล" >"$dir/out" 2>"$dir/err"
rc=$?
expect_error "DBD's open API: the test CA is not trusted" TLS-UNTRUSTED "ไม่ได้ลงนาม"
config "dbd.source = open" "dbd.open_url = https://127.0.0.1:$sim_port" "http.ca_file = $CA"
printf '%s\n' "$PW" | "$TABIEN" juristic show "$SIAM" --as officer1 --batch \
	--purpose "ตรวจสอบนิติบุคคล" >"$dir/out" 2>"$dir/err"
rc=$?
check "DBD's open API with http.ca_file: the company" \
	bash -c "[ $rc = 0 ] && grep -qF 'สยาม' '$dir/out' && [ '$(sim_count dbd_open)' = 1 ]"

# lk2 [LINES...]: one LK2 lookup with the officer's card CH-0001.
lk2() {
	config "linkage.transport = lk2" "lk2.url = https://127.0.0.1:$sim_port" "lk2.signer = $SIGNER" "$@"
	printf '%s\n%s\n' "$PW" "$SIM_PIN" | "$TABIEN" linkage query --service 001 --cid "$MALEE" \
		--as officer1 --batch --chip CH-0001 --purpose "ตรวจสอบสิทธิ" >"$dir/out" 2>"$dir/err"
	rc=$?
}
lk2
expect_error "LK2: the test CA is not trusted (not 'cannot reach the proxy')" TLS-UNTRUSTED "ไม่ได้ลงนาม"
check "  (no login reached the simulator)" [ "$(sim_count lk2_login)" = 0 ]
lk2 "http.ca_file = $CA"
check "LK2 with http.ca_file: the lookup works" found

# --- a real proxy: tinyproxy, CONNECT to the simulator ------------------------------------------
# proxy_start: tinyproxy in the foreground on a free loopback port (in
# proxy_port), logging each request; tried on another port if that one
# was taken meanwhile.
proxy_start() {
	local i
	for i in 1 2 3 4 5; do
		proxy_port=$((20000 + RANDOM % 30000))
		printf '%s\n' "Port $proxy_port" "Listen 127.0.0.1" "Allow 127.0.0.1" "Timeout 30" \
			"MaxClients 8" "LogLevel Connect" "LogFile \"$dir/proxy.log\"" >"$dir/proxy.conf"
		: >"$dir/proxy.log"
		tinyproxy -d -c "$dir/proxy.conf" >"$dir/proxy.out" 2>&1 &
		proxy_pid=$!
		wait_cmd eval "(echo >/dev/tcp/127.0.0.1/$proxy_port) 2>/dev/null || ! kill -0 $proxy_pid 2>/dev/null"
		kill -0 "$proxy_pid" 2>/dev/null && return 0
		wait "$proxy_pid" 2>/dev/null
		proxy_pid=
	done
	return 1
}
if ! command -v tinyproxy >/dev/null; then
	skip "a lookup through a real HTTP proxy" "tinyproxy is not installed (tools/lib.sh installs it)"
else
	proxy_start
	check "tinyproxy listens on its own loopback port" [ -n "$proxy_pid" ]
	config "http.ca_file = $CA" "http.proxy = http://127.0.0.1:$proxy_port"
	q --service 001 --cid "$MALEE"
	check "through the proxy: the lookup works" found
	check "  (it went through the proxy with CONNECT to the simulator)" \
		grep -qF "CONNECT 127.0.0.1:$sim_port " "$dir/proxy.log"
	kill "$proxy_pid" 2>/dev/null
	wait "$proxy_pid" 2>/dev/null
	proxy_pid=
fi
sim_stop

echo "1..$n"
[ $failed = 0 ]
