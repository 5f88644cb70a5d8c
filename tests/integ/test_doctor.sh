#!/usr/bin/env bash
# tabien doctor for real: the private pcscd with the virtual card, the
# gateway simulator over HTTPS with a test CA made here by openssl, a real
# database.  Everything passes (exit 0, --json too, no secret and no
# officer's ID in the output); the copies folder (copy.dir) private, open
# to look in, writable by others, a link, another account's, missing; then
# pcscd stopped, the gateway down, its certificate expired or near its end,
# the configuration or the audit trail's sealing key 0644: each the right
# check failing with its fix.
# Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tools/lib.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-doctor.XXXXXX")
. "$S/tests/lib/common.sh"
port=$(free_port)
sock="$dir/pcscd.comm"
export PCSCLITE_CSOCK_NAME="$sock" HOME="$dir"
export TABIEN_PWHASH=fast TABIEN_TERMINAL=counter-test
export TABIEN_DB="$dir/data/tabien.db" TABIEN_CONFIG="$dir/conf/tabien.conf"
unset XDG_DATA_HOME XDG_CONFIG_HOME http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
unset SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE
trap test_cleanup EXIT
SHOW="$dir/out $dir/err"
SOMCHAI=1400100123451 PW='officer-password-1'

# --- a CA and certificates (as in test_tls.sh) -------------------------------------------------
make_certs() {
	cd "$dir/pki" || return 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
		-out ca.pem -days 400 -subj /CN=tabien-test-ca || return 1
	mkdir -p issued && : >index.txt && echo 1000 >serial
	printf '%s\n' '[ca]' 'default_ca = test' '[test]' "database = $dir/pki/index.txt" \
		"new_certs_dir = $dir/pki/issued" "serial = $dir/pki/serial" 'default_md = sha256' \
		'policy = any' 'unique_subject = no' '[any]' 'commonName = supplied' >ca.cnf
	cert good -days 365 && cert soon -days 10 &&
		cert expired -startdate 20200101000000Z -enddate 20200201000000Z
}
cert() { # NAME DATES...
	local name=$1
	shift
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$name.key" \
		-out "$name.csr" -subj "/CN=$name" &&
		echo "subjectAltName = IP:127.0.0.1,DNS:localhost" >"$name.ext" &&
		openssl ca -batch -notext -config ca.cnf -cert ca.pem -keyfile ca.key -in "$name.csr" \
			-out "$name.pem" -extfile "$name.ext" "$@"
}
mkdir -p "$dir/pki" "$dir/conf"
chmod 700 "$dir/conf"
(make_certs) >"$dir/openssl.log" 2>&1
SHOW="$dir/openssl.log" check "a test CA and certificates (a year, ten days, expired) made by openssl" \
	bash -c "[ -s '$dir/pki/good.pem' ] && [ -s '$dir/pki/soon.pem' ] && [ -s '$dir/pki/expired.pem' ]"

tls() { sim_start --tls-cert "$dir/pki/$1.pem" --tls-key "$dir/pki/$1.key"; }
config() {
	{
		echo "gdx.url = https://127.0.0.1:${sim_port:-1}"
		echo "gdx.consumer_key = sim-key"
		echo "gdx.consumer_secret = sim-secret"
		echo "http.ca_file = $dir/pki/ca.pem"
		[ -z "${copydir:-}" ] || echo "copy.dir = $copydir"
	} >"$TABIEN_CONFIG"
	chmod 600 "$TABIEN_CONFIG"
}
doctor() { "$TABIEN" doctor --timeout 3 "$@" >"$dir/out" 2>"$dir/err"; rc=$?; }
# line STATUS CHECK: the check's line (its label, an apostrophe as any
# character) says STATUS.
line() { local label=${2//"'"/.}; grep -qE "^$1 +$label" "$dir/out"; }
# fails CHECK CODE FIX NAME: exit 1, that check FAIL, the code and the fix
# (the Thai under it comes from the same catalogue entry).
failed_with() { [ "$rc" = 1 ] && line FAIL "$1" && grep -qF "$2" "$dir/out" && grep -qF "$3" "$dir/out"; }
fails() { check "$4: exit 1, '$1' FAIL, $2 with its fix" failed_with "$1" "$2" "$3"; }
all_pass() { [ "$rc" = 0 ] && ! grep -qE '^(FAIL|WARN)' "$dir/out" && grep -qF 'all checks passed' "$dir/out"; }
gateway_ok() {
	line OK "gateway's name" && line OK "gateway's port" &&
		grep -qE "^OK +gateway.s certificate.*verified.*days left" "$dir/out" &&
		line OK clock && line OK token && line OK "officer's agent"
}
nothing_private() { ! grep -qE "sim-secret|$SOMCHAI|$(fmt $SOMCHAI)|สมชาย" "$dir/out" "$dir/err"; }

printf '%s\n' "กรมทดสอบระบบ" BR-01 "สาขาทดสอบ" officer1 "สมชาย ใจดี" "$SOMCHAI" "เจ้าหน้าที่" \
	"$PW" "$PW" | "$TABIEN" admin init --batch >"$dir/out" 2>"$dir/err"
check "a branch and its first admin are set up" [ $? = 0 ]

start_pcscd
insert somchai
wait_cmd eval 'readers | grep -q "Virtual PCD 00 00.*card"'
tls good
config

# --- everything passes ---------------------------------------------------------------------------
doctor
check "all pass: exit 0, no FAIL or WARN line" all_pass
check "  pcscd reachable, a reader with the card" \
	bash -c "grep -qE '^OK +card service' '$dir/out' && grep -qE '^OK +card readers.*1 with a card' '$dir/out'"
check "  the database: quick_check, its schema, the audit chain intact" \
	bash -c "grep -qE '^OK +database integrity.*schema ([0-9]+) of \\1\b' '$dir/out' && grep -qE '^OK +audit chain.*intact' '$dir/out'"
check "  the gateway: name, port, certificate verified with its days left, clock, token, agent" \
	gateway_ok
check "  one token was asked for, with the agent check" [ "$(sim_count token)" = 1 ]
check "  labels in Thai too" grep -qF 'ใบรับรองของเครื่องแม่ข่าย' "$dir/out"
check "  no sealing or signing key yet: their check skipped" line SKIP "key files'"
check "  no secret, no officer's ID, no card holder in the output" nothing_private
check "  the default copies folder, not there yet: made at the first copy" \
	grep -qE '^OK +copies folder.*made 0700 at the first copy' "$dir/out"
doctor --json
check "--json: the same checks, status OK, exit 0" \
	bash -c "[ $rc = 0 ] && jq -e '.status == \"OK\" and (.checks | length) == 18 and
		([.checks[] | select(.status == \"FAIL\")] | length) == 0' '$dir/out' >/dev/null"


# --- the copies folder (copy.dir) ---------------------------------------------------------------
copydir=$dir/copies
mkdir -m 700 "$copydir"
config
doctor
check "copy.dir 0700, ours: OK with its mode and free space" \
	bash -c "[ $rc = 0 ] && grep -qE '^OK +copies folder .*: $copydir: mode 700, [0-9]+ MB free' '$dir/out'"
chmod 750 "$copydir"
doctor
check "copy.dir 0750: WARN, COPY-FOLDER-NOT-PRIVATE with chmod 700, exit 3" \
	bash -c "[ $rc = 3 ] && grep -qE '^WARN +copies folder.*others can look in' '$dir/out' \
		&& grep -qF COPY-FOLDER-NOT-PRIVATE '$dir/out' && grep -qF 'chmod 700' '$dir/out'"
chmod 777 "$copydir"
doctor
fails "copies folder" COPY-FOLDER-NOT-PRIVATE "chmod 700" "copy.dir writable by others"
chmod 700 "$copydir"
mv "$copydir" "$dir/real-copies"
ln -s "$dir/real-copies" "$copydir"
doctor
fails "copies folder" COPY-FOLDER-NOT-PRIVATE "chmod 700" "copy.dir a link to a folder"
rm "$copydir"
mv "$dir/real-copies" "$copydir"
if [ "$(id -u)" = 0 ]; then
	chown nobody "$copydir"
	doctor
	fails "copies folder" COPY-FOLDER-NOT-PRIVATE "chmod 700" "copy.dir another account's"
	chown root "$copydir"
else
	skip "copy.dir another account's" "needs root to give it away"
fi
rmdir "$copydir"
doctor
fails "copies folder" COPY-FOLDER "copy.dir or --out" "copy.dir missing"
copydir=
config
"$TABIEN" audit seal-init >"$dir/out" 2>"$dir/err"
doctor
check "the audit trail sealed (seal-init): its key file private, all pass" \
	eval '[ $rc = 0 ] && line OK "key files.*1 key file: mode 600" && nothing_private'

# --- each failure with its fix -----------------------------------------------------------------
chmod 644 "$TABIEN_DB.seal"
doctor
fails "key files' permissions" AUDIT-SEAL-KEY "0600 file of this account" "the sealing key 0644"
chmod 600 "$TABIEN_DB.seal"
echo "copy.key = $dir/copy-key.pem" >>"$TABIEN_CONFIG"
echo "not a key, never read" >"$dir/copy-key.pem"
chmod 644 "$dir/copy-key.pem"
doctor
fails "key files' permissions" COPY-KEY-NOT-PRIVATE "chmod 600" "the copies' signing key 0644"
check "  (copy.key a setting the configuration's check knows)" line OK "configuration /"
config

chmod 644 "$TABIEN_CONFIG"
doctor
fails "configuration's permissions" CONFIG-NOT-PRIVATE "chmod 600" "the configuration 0644"
check "  (the gateway's checks wait for the file to be fixed; nothing private shown)" \
	eval 'line SKIP token && nothing_private'
chmod 600 "$TABIEN_CONFIG"

tls expired
config
doctor
fails "gateway's certificate" TLS-EXPIRED "renew the certificate" "the gateway's certificate expired"

tls soon
config
doctor
check "a certificate with ten days left: WARN, TLS-EXPIRING, exit 3" \
	bash -c "[ $rc = 3 ] && grep -qE '^WARN +gateway.s certificate.*days left' '$dir/out' && grep -qF TLS-EXPIRING '$dir/out'"

sim_stop
doctor
fails "gateway's port" GATEWAY-UNREACHABLE "gdx.url" "the gateway down"
check "  (the later gateway checks are skipped, not hung)" eval 'line SKIP token && line SKIP clock'

pull
kill "$pcscd_pid" 2>/dev/null
wait "$pcscd_pid" 2>/dev/null
pcscd_pid=
doctor
fails "card service" PCSCD-DOWN "systemctl start pcscd" "pcscd stopped"

echo "1..$n"
[ $failed = 0 ]
