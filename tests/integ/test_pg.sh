#!/usr/bin/env bash
# The shared database on a real PostgreSQL server (tests/lib/pg.sh starts a
# private one): two terminals on one server, the connection string's rules,
# 32 writers on 16 terminals' audit chains at once, the terminals' role that may only
# insert seals, and the server going away.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-pg.XXXXXX")
. "$S/tests/lib/common.sh"
. "$S/tests/lib/pg.sh"
export TABIEN_PWHASH=fast
unset XDG_DATA_HOME TABIEN_DB PGPASSFILE
WRITER="$B/tests/lib/audit_writer"

cleanup() { pg_cleanup; test_cleanup; }
trap cleanup EXIT

if ! pg_available; then
	echo "1..0 # SKIP the postgresql package is not installed"
	exit 0
fi
pg_start || { cat "$dir"/pg/*.log; echo "Bail out! the private server did not start"; exit 1; }
pg_createdb tabien
DB=$(pg_conn tabien)

# on A|B STDIN COMMAND...: tabien as terminal A or B (each its own HOME and
# terminal name, the same server); out, err and rc kept.
on() {
	local t=$1 input=$2 db=$DB; shift 2
	[ "$t" = c ] && db=$(pg_conn moved)
	mkdir -p "$dir/home-$t"
	printf '%s' "$input" | HOME="$dir/home-$t" TABIEN_TERMINAL="counter-$t" TABIEN_DB="$db" \
		"$TABIEN" "$@" >"$dir/out" 2>"$dir/err"
	rc=$?
}
has() { grep -qF -- "$1" "$2"; }
sql() { psql_as "$PG_SUPER" tabien -At -c "$1"; }
ADMIN_PW='admin-password-1'
STAFF_PW='staff-password-1'
CID_ADMIN=$(cid_of 110170020345)
CID_STAFF=$(cid_of 310050012345)

# --- two terminals, one server ----------------------------------------------------------
on a "กรมทดสอบระบบ
BR-01
สาขาทดสอบ
admin1
สมชาย ใจดี
$CID_ADMIN
หัวหน้างาน
$ADMIN_PW
$ADMIN_PW
" admin init --batch
SHOW="$dir/out $dir/err" check "terminal A: init on the server, exit 0" bash -c "[ $rc = 0 ] && grep -q BR-01 '$dir/out'"
check "the server holds schema 8 in tabien_schema" [ "$(sql 'SELECT version FROM tabien_schema')" = 8 ]
on b "staff1
มาลี มีสุข
$CID_STAFF
เจ้าหน้าที่
$STAFF_PW
$STAFF_PW
" admin register --batch
SHOW="$dir/err" check "terminal B: an officer registers, exit 0" [ "$rc" = 0 ]
on a "$ADMIN_PW
" admin approve staff1 --as admin1 --batch
SHOW="$dir/out $dir/err" check "terminal A: the admin approves B's officer" bash -c "[ $rc = 0 ] && grep -q 'staff1 approved' '$dir/out'"
on b "$STAFF_PW
new-password-22
new-password-22
" admin passwd staff1 --batch
SHOW="$dir/err" check "terminal B: the officer logs in (and changes the password)" [ "$rc" = 0 ]
check "the audit trail on the server names both terminals" \
	[ "$(sql "SELECT string_agg(DISTINCT terminal, ',' ORDER BY terminal) FROM audit")" = counter-a,counter-b ]
on b "" audit verify
SHOW="$dir/out $dir/err" check "audit verify from B: the chain intact" bash -c "[ $rc = 0 ] && grep -q 'intact' '$dir/out'"
check "tabien is not linked with libpq: a terminal on SQLite never loads it" bash -c "! ldd '$TABIEN' | grep -q libpq"

# --- the connection string ----------------------------------------------------------------
on a "" admin users --db "$DB password=secret"
expect_error "a password in the connection string" PG-PASSWORD-IN-CONFIG "ห้ามเขียนไว้ในค่านี้"
check "... and the message names ~/.pgpass and PGPASSFILE" bash -c "grep -q '~/.pgpass' '$dir/err' && grep -q PGPASSFILE '$dir/err'"
on a "" admin users --db "postgresql://postgres:secret@localhost/tabien"
expect_error "a password in a URI" PG-PASSWORD-IN-CONFIG "ห้ามเขียนไว้ในค่านี้"
echo "*:*:*:*:nothing" >"$dir/pgpass"
chmod 644 "$dir/pgpass"
PGPASSFILE="$dir/pgpass" on a "" admin users
expect_error "a password file others can read" PG-PASSFILE-OPEN "บัญชีอื่นอ่านได้"
chmod 600 "$dir/pgpass"
PGPASSFILE="$dir/pgpass" on a "" admin users
SHOW="$dir/err" check "the same file made 0600 is accepted" [ "$rc" = 0 ]
ln -s "$dir/pgpass" "$dir/pgpass-link"
on a "" admin users --db "$DB passfile=$dir/pgpass-link"
expect_error "a password file named by passfile= that is a link" PG-PASSFILE-OPEN "เป็นลิงก์"

pg_createdb newer
TABIEN_DB="$(pg_conn newer)" "$TABIEN" admin users >/dev/null 2>&1
psql_as "$PG_SUPER" newer -c "UPDATE tabien_schema SET version = 99"
on a "" admin users --db "$(pg_conn newer)"
expect_error "a server database of a newer schema" DB-NEWER "รุ่นที่ใหม่กว่า"
pg_createdb other
psql_as "$PG_SUPER" other -c "CREATE TABLE invoices (id int)"
on a "" admin users --db "$(pg_conn other)"
expect_error "a database of another program" DB-NOT-TABIEN "ไม่ใช่ของ tabien"
check "... left as it was" [ "$(psql_as "$PG_SUPER" other -At -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 1 ]

# --- many writers on the chain ---------------------------------------------------------
before=$(sql "SELECT count(*) FROM audit")
pids=()
# 16 terminals, two processes on each: each terminal's own chain, its two
# writers one after the other on it, the terminals never waiting for each other.
for w in $(seq 1 32); do
	TABIEN_TERMINAL="counter-w$(((w - 1) % 16 + 1))" "$WRITER" "$DB" 20 "w$w" >"$dir/writer.$w" 2>&1 &
	pids+=($!)
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
SHOW="$dir/writer.1" check "32 writers at once: every append committed" [ "$fails" = 0 ]
after=$(sql "SELECT count(*) FROM audit")
check "exactly 640 rows more ($before then $after)" [ "$after" = $((before + 640)) ]
# seq is the one order of all rows, taken from a sequence: never twice, but
# not gap-free (a rolled-back append leaves its number unused).
check "no sequence number twice" [ "$(sql "SELECT count(DISTINCT seq) = count(*) FROM audit")" = t ]
check "16 terminals' chains, each with its head at its newest row" \
	[ "$(sql "SELECT count(*) FROM audit_heads h WHERE chain LIKE 'counter-w%' AND seq = (SELECT max(seq) FROM audit a WHERE a.chain = h.chain)")" = 16 ]
check "each writer's rows in the order it wrote them" \
	[ "$(sql "SELECT count(*) FROM (SELECT subject, seq, lag(seq) OVER (PARTITION BY split_part(subject, '-', 1) ORDER BY split_part(subject, '-', 2)::int) AS prev FROM audit WHERE subject LIKE 'w%') t WHERE prev > seq")" = 0 ]
on a "" audit verify
SHOW="$dir/out $dir/err" check "audit verify: intact, with the exact count" \
	bash -c "[ $rc = 0 ] && grep -q 'intact: $after rows' '$dir/out'"

# --- seals a terminal may only insert ----------------------------------------------------
on a "" audit seal-init
SHOW="$dir/out $dir/err" check "seal-init on the server: the key file in the terminal's data folder, 0600" \
	bash -c "[ $rc = 0 ] && [ \"\$(stat -c %a '$dir/home-a/.local/share/tabien/server.seal')\" = 600 ]"
key=$(grep -o 'tbseal1-[0-9a-f]*' "$dir/out" | head -n 1)
on a "" audit verify --key "$key"
SHOW="$dir/out $dir/err" check "audit verify --key: the seals check" [ "$rc" = 0 ]
psql_as "$PG_SUPER" tabien -c "CREATE ROLE counter LOGIN" \
	-f "$S/doc/postgresql-terminal.sql" -v role=counter >"$dir/grant.log" 2>&1
SHOW="$dir/grant.log" check "the terminals' grants apply" [ $? = 0 ]
"$WRITER" "$(pg_conn tabien counter)" 5 counter >"$dir/writer.counter" 2>&1
SHOW="$dir/writer.counter" check "a terminal signed in as that role appends audited lookups" [ $? = 0 ]
for q in "UPDATE audit_seal SET sig = 'x'" "DELETE FROM audit_seal" "UPDATE audit SET result = 'x'" \
	"DELETE FROM audit" "TRUNCATE audit_seal"; do
	psql_as counter tabien -c "$q" >"$dir/refused" 2>&1
	SHOW="$dir/refused" check "the terminals' role: $q refused" \
		bash -c "[ $? != 0 ] && grep -q 'permission denied' '$dir/refused'"
done
psql_as "$PG_SUPER" tabien -c "UPDATE audit_seal SET sig = 'x'" >"$dir/refused" 2>&1
SHOW="$dir/refused" check "even the owner's UPDATE of a seal is refused (insert-only)" \
	bash -c "[ $? != 0 ] && grep -q 'insert-only' '$dir/refused'"

# --- a terminal's SQLite file moved to the server -----------------------------------------
lite="$dir/home-c/lite.db"
mkdir -p "$dir/home-c"
on c "กรมทดสอบระบบ
BR-02
สาขาย่อยสอง
admin2
สมหญิง ใจงาม
$CID_ADMIN
หัวหน้างาน
$ADMIN_PW
$ADMIN_PW
" admin init --batch --db "$lite"
for u in off1 off2; do
	on c "$u
ทองดี มีสุข
$CID_STAFF
เจ้าหน้าที่
$STAFF_PW
$STAFF_PW
" admin register --batch --db "$lite"
done
on c "$ADMIN_PW
" admin approve off1 --as admin2 --batch --db "$lite"
on c "$STAFF_PW
new-password-33
new-password-33
" admin passwd off1 --batch --db "$lite"
on c "$ADMIN_PW
" admin settings --as admin2 --batch --idle-timeout 420 --purpose 'ตรวจสอบสิทธิ' --db "$lite"
HOME="$dir/home-c" TABIEN_TERMINAL=counter-c "$WRITER" "$lite" 150 lite >/dev/null 2>&1
on c "" audit seal-init --db "$lite"
litekey=$(grep -o 'tbseal1-[0-9a-f]*' "$dir/out" | head -n 1)
HOME="$dir/home-c" TABIEN_TERMINAL=counter-c "$WRITER" "$lite" 70 more >/dev/null 2>&1
on c "" audit seal --db "$lite"
pg_createdb moved
on c "" admin migrate --to "$(pg_conn moved)" --db "$lite"
check "migrate without --as: exit 2" [ "$rc" = 2 ]
on c "$ADMIN_PW
" admin migrate --to "$(pg_conn moved)" --as admin2 --batch --db "$lite"
SHOW="$dir/out $dir/err" check "admin migrate: exit 0, says what it moved, table by table" \
	bash -c "[ $rc = 0 ] && grep -q 'checked row by row' '$dir/out' && grep -qE '^  audit +22[0-9]\$' '$dir/out' && grep -qE '^  users +3\$' '$dir/out' && grep -qE '^  audit_seal +[1-9]' '$dir/out' && grep -q 'seal key' '$dir/out'"
cp "$dir/out" "$dir/migrate.out"
same=0 tables=0
for t in "branch_settings:key" "branches:code" "branch_config:branch, key" "branch_purposes:branch, pos" "users:id" "grants:user_id, right_name" "user_settings:user_id, key" "sessions:id" \
	"audit:seq" "audit_heads:chain" "audit_seal:key_id, epoch" "juristic_cache:id, source"; do
	tables=$((tables + 1))
	sqlite3 -separator '|' "$lite" "SELECT * FROM ${t%%:*} ORDER BY ${t#*:}" >"$dir/from.$tables"
	psql_as "$PG_SUPER" moved -At -F '|' -c "SELECT * FROM ${t%%:*} ORDER BY ${t#*:}" >"$dir/to.$tables"
	cmp -s "$dir/from.$tables" "$dir/to.$tables" && same=$((same + 1))
done
check "every row of every table the same on both sides ($same of $tables tables)" [ "$same" = "$tables" ]
check "... and the rows are there (audit: $(wc -l <"$dir/to.9"))" [ "$(wc -l <"$dir/to.9")" -ge 220 ]
on c "" audit verify --key "$litekey"
SHOW="$dir/out $dir/err" check "audit verify --key on the server: the moved chain and seals check" \
	bash -c "[ $rc = 0 ] && grep -q intact '$dir/out'"
on c "new-password-33
new-password-44
new-password-44
" admin passwd off1 --batch
SHOW="$dir/err" check "the moved officer logs in on the server" [ "$rc" = 0 ]
on c "off3
ทองดี มีสุข
$CID_STAFF
เจ้าหน้าที่
$STAFF_PW
$STAFF_PW
" admin register --batch
newid=$(psql_as "$PG_SUPER" moved -At -c "SELECT id FROM users WHERE username = 'off3'")
SHOW="$dir/err" check "a new registration on the server takes the next id ($newid)" \
	bash -c "[ $rc = 0 ] && [ '$newid' = 4 ]"
on c "$ADMIN_PW
" admin migrate --to "$(pg_conn moved)" --as admin2 --batch --db "$lite"
expect_error "a second migrate into a database in use" ALREADY-INITIALISED "ตั้งค่าบนเครื่องนี้ไว้แล้ว"

# --- the server going away ---------------------------------------------------------------
pg_stop
on a "" admin users
expect_error "the server down at start-up" PG-DOWN "ติดต่อเครื่องแม่ข่ายฐานข้อมูลไม่ได้"
check "... and what still works is said: reading a card" bash -c "grep -q 'tabien card read' '$dir/err'"
pg_ctl_start
on a "" admin users
SHOW="$dir/err" check "the server back: the same command works" [ "$rc" = 0 ]

# A writer killed mid-run loses nothing it had committed.
"$WRITER" "$DB" 100000 killed >"$dir/writer.killed" 2>&1 &
kp=$!
wait_cmd bash -c "[ \$(grep -c '^ok' '$dir/writer.killed') -ge 30 ]"
kill -9 "$kp"
wait "$kp" 2>/dev/null
committed=$(grep -c '^ok' "$dir/writer.killed")
stored=$(sql "SELECT count(*) FROM audit WHERE subject LIKE 'killed-%'")
check "kill -9 of a writer: all $committed rows it reported are there ($stored)" [ "$stored" -ge "$committed" ]

# A restart under load: every row a writer was told was written is there.
pids=()
for w in 1 2 3 4; do
	"$WRITER" --retry "$DB" 150 "r$w" >"$dir/restart.$w" 2>"$dir/restart-err.$w" &
	pids+=($!)
done
wait_cmd bash -c "[ \$(cat '$dir'/restart.* | grep -c '^ok') -ge 40 ]"
pg_stop fast
pg_ctl_start
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
SHOW="$dir/restart-err.1" check "a server restart under load: the writers carry on and finish" [ "$fails" = 0 ]
grep -h '^ok' "$dir"/restart.* | sed 's/^ok //' | sort >"$dir/told"
sql "SELECT subject FROM audit WHERE subject LIKE 'r_-%'" | sort -u >"$dir/stored"
check "... and no row a writer was told was committed is missing" \
	bash -c "[ -z \"\$(comm -23 '$dir/told' '$dir/stored')\" ] && [ \$(wc -l <'$dir/told') = 600 ]"
note "appends refused while the server restarted: $(cat "$dir"/restart-err.* | grep -c 'PG-')"
on a "" audit verify
SHOW="$dir/out $dir/err" check "audit verify after all of it: intact" bash -c "[ $rc = 0 ] && grep -q intact '$dir/out'"

# --- TLS to the server, with a certificate made here ------------------------------------
mkdir -p "$dir/tls"
(
	cd "$dir/tls" &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
		-out ca.crt -days 2 -subj "/CN=tabien test CA" &&
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout server.key -out server.csr -subj "/CN=localhost" &&
	echo "subjectAltName = DNS:localhost" >server.ext &&
	openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
		-extfile server.ext -out server.crt &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other.key \
		-out other.crt -days 2 -subj "/CN=another CA"
) >"$dir/tls.log" 2>&1
[ "$(id -u)" -eq 0 ] && chown nobody "$dir/tls/server.key"
chmod 600 "$dir/tls/server.key"
chmod o+rx "$dir/tls"
psql_as "$PG_SUPER" postgres -c "ALTER ROLE $PG_SUPER PASSWORD 'tls-password-1'"
pg_stop
# Over TCP only with TLS, and with the password.
sed -i '/^host /d' "$pg_dir/data/pg_hba.conf"
echo "hostssl all all 127.0.0.1/32 scram-sha-256" >>"$pg_dir/data/pg_hba.conf"
PG_TCP=1 pg_ctl_start -c ssl=on -c ssl_cert_file="$dir/tls/server.crt" -c ssl_key_file="$dir/tls/server.key"
SHOW="$pg_dir/server.log" check "the server restarted with TLS on TCP" pg_ready
mkdir -p "$dir/home-t"
echo "localhost:$pg_port:*:$PG_SUPER:tls-password-1" >"$dir/home-t/.pgpass"
chmod 600 "$dir/home-t/.pgpass"
tls_db="host=localhost port=$pg_port dbname=tabien user=$PG_SUPER sslrootcert=$dir/tls/ca.crt"
tls() { HOME="$dir/home-t" TABIEN_TERMINAL=counter-t "$TABIEN" "$@" >"$dir/out" 2>"$dir/err"; rc=$?; }
tls admin users --db "$tls_db sslmode=verify-full"
SHOW="$dir/out $dir/err" check "sslmode=verify-full with the test's CA: the users listed, the password from ~/.pgpass" \
	bash -c "[ $rc = 0 ] && grep -q admin1 '$dir/out'"
tls audit verify --db "$tls_db sslmode=verify-full"
SHOW="$dir/out $dir/err" check "... and the audit trail verified over TLS" bash -c "[ $rc = 0 ] && grep -q intact '$dir/out'"
tls admin users --db "host=localhost port=$pg_port dbname=tabien user=$PG_SUPER sslrootcert=$dir/tls/other.crt sslmode=verify-full"
expect_error "a certificate of another CA" PG-TLS "ไม่ยอมรับใบรับรอง"
tls admin users --db "host=127.0.0.1 port=$pg_port dbname=tabien user=$PG_SUPER sslrootcert=$dir/tls/ca.crt sslmode=verify-full"
expect_error "the server named by an address its certificate does not hold" PG-TLS "ไม่ยอมรับใบรับรอง"
tls admin users --db "$tls_db sslmode=disable"
expect_error "without TLS the server refuses" PG-AUTH "ปฏิเสธการเข้าใช้"
chmod 644 "$dir/home-t/.pgpass"
tls admin users --db "$tls_db sslmode=verify-full"
expect_error "~/.pgpass others can read" PG-PASSFILE-OPEN "บัญชีอื่นอ่านได้"

echo "1..$n"
[ "$failed" = 0 ]
