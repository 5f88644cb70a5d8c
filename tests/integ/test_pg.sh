#!/usr/bin/env bash
# The shared database on a real PostgreSQL server (tests/lib/pg.sh starts a
# private one): two terminals on one server, the connection string's rules,
# 32 writers on the audit chain at once, the terminals' role that may only
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
	local t=$1 input=$2; shift 2
	mkdir -p "$dir/home-$t"
	printf '%s' "$input" | HOME="$dir/home-$t" TABIEN_TERMINAL="counter-$t" TABIEN_DB="$DB" \
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
check "the server holds schema 6 in tabien_schema" [ "$(sql 'SELECT version FROM tabien_schema')" = 6 ]
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
for w in $(seq 1 32); do
	"$WRITER" "$DB" 20 "w$w" >"$dir/writer.$w" 2>&1 &
	pids+=($!)
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
SHOW="$dir/writer.1" check "32 writers at once: every append committed" [ "$fails" = 0 ]
after=$(sql "SELECT count(*) FROM audit")
check "exactly 640 rows more ($before then $after)" [ "$after" = $((before + 640)) ]
check "no sequence number twice or missing" \
	[ "$(sql "SELECT count(DISTINCT seq) = count(*) AND max(seq) = count(*) FROM audit")" = t ]
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

echo "1..$n"
[ "$failed" = 0 ]
