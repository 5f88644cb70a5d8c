#!/usr/bin/env bash
# `tabien admin ...` and `tabien audit ...` as an admin's script uses them
# (--batch: every answer from standard input), against a private database.
# Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-admin.XXXXXX")
. "$S/tests/lib/common.sh"
# Fast password hashing: for tests only (see services/accounts/users.h).
export TABIEN_PWHASH=fast TABIEN_TERMINAL=counter-test
export TABIEN_DB="$dir/data/tabien.db"
unset XDG_DATA_HOME

cleanup() { chmod -R u+rwX "$dir" 2>/dev/null; test_cleanup; }
trap cleanup EXIT

# run NAME-OF-OUTPUT STDIN COMMAND...: runs tabien, keeps out/err/rc.
run() {
	local input=$1; shift
	printf '%s' "$input" | "$TABIEN" "$@" >"$dir/out" 2>"$dir/err"
	rc=$?
	cat "$dir/err" >>"$dir/all-err"
}
has() { grep -qF -- "$1" "$2"; }
ADMIN_PW='admin-password-1'
STAFF_PW='staff-password-1'
CID_ADMIN=$(cid_of 110170020345)
CID_STAFF=$(cid_of 310050012345)
init_input="กรมทดสอบระบบ
BR-01
สาขาทดสอบ
admin1
สมชาย ใจดี
$CID_ADMIN
หัวหน้างาน
$ADMIN_PW
$ADMIN_PW
"
register_input() { # USER PASSWORD [FULL NAME]
	printf '%s\n%s\n%s\n%s\n%s\n%s\n' "$1" "${3:-มาลี มีสุข}" "$CID_STAFF" "เจ้าหน้าที่" "$2" "$2"
}

# --- before the first run --------------------------------------------------------------
run "" admin users
SHOW="$dir/err" check "no database: exit 1, says to run 'tabien admin init', in English and Thai" \
	bash -c "[ $rc = 1 ] && grep -q NOT-INITIALISED '$dir/err' && grep -q 'tabien admin init' '$dir/err' && grep -q 'ยังไม่ได้ตั้งค่า' '$dir/err'"
check "no database: nothing was created" [ ! -e "$TABIEN_DB" ]

run "" admin init
SHOW="$dir/err" check "init without a terminal and without --batch: exit 2, says to use --batch" \
	bash -c "[ $rc = 2 ] && grep -q -- '--batch' '$dir/err'"

run "${init_input/$ADMIN_PW
$ADMIN_PW/$ADMIN_PW
something-else-1}" admin init --batch --db "$dir/mismatch.db"
SHOW="$dir/err" check "init: two different passwords are refused" \
	bash -c "[ $rc = 1 ] && grep -q PASSWORD-MISMATCH '$dir/err' && grep -q 'ไม่ตรงกัน' '$dir/err'"

# --- the first run -------------------------------------------------------------------
run "$init_input" admin init --batch
SHOW="$dir/out $dir/err" check "init --batch: exit 0, the branch and the admin named" \
	bash -c "[ $rc = 0 ] && grep -q 'BR-01' '$dir/out' && grep -q 'admin1' '$dir/out'"
check "init: the database file is 0600, its new folder 0700" \
	bash -c "[ \"\$(stat -c %a '$TABIEN_DB')\" = 600 ] && [ \"\$(stat -c %a '$dir/data')\" = 700 ]"
run "$init_input" admin init --batch
SHOW="$dir/err" check "init twice: exit 1, already set up" \
	bash -c "[ $rc = 1 ] && grep -q ALREADY-INITIALISED '$dir/err'"
run "" admin settings
SHOW="$dir/out" check "settings: the branch, the 300 s idle timeout and the default purposes" \
	bash -c "[ $rc = 0 ] && grep -q 'สาขาทดสอบ' '$dir/out' && grep -q '300 s' '$dir/out' && grep -q '1\\. ' '$dir/out'"

# --- registration and approval ----------------------------------------------------------
run "$(register_input staff.a "$STAFF_PW")" admin register --batch
SHOW="$dir/out $dir/err" check "register: exit 0, waiting for the agency's admin (both languages)" \
	bash -c "[ $rc = 0 ] && grep -q \"waiting for your agency's admin\" '$dir/out' && grep -q 'รอผู้ดูแลระบบของหน่วยงานอนุมัติ' '$dir/out'"
run "$(register_input staff.b "$STAFF_PW")" admin register --batch
run "$(register_input staff.a "$STAFF_PW")" admin register --batch
SHOW="$dir/err" check "register a taken username: exit 1" bash -c "[ $rc = 1 ] && grep -q USERNAME-TAKEN '$dir/err'"
run "$(printf 'staff.c\nชื่อ\n1234567890123\nตำแหน่ง\n%s\n%s\n' "$STAFF_PW" "$STAFF_PW")" admin register --batch
SHOW="$dir/err" check "register with a wrong check digit: exit 1, the cid field named" \
	bash -c "[ $rc = 1 ] && grep -q 'INVALID-FIELD (cid)' '$dir/err'"
run "$(register_input staff.c short)" admin register --batch
SHOW="$dir/err" check "register with a short password: exit 1, the minimum shown" \
	bash -c "[ $rc = 1 ] && grep -q 'PASSWORD-SHORT (10' '$dir/err' && grep -q 'at least 10 characters' '$dir/err'"
run "$(register_input staff.d "$STAFF_PW" "'); DROP TABLE users;--")" admin register --batch
run "" admin users --json
printf '"full_name":\t"%s"\n' "'); DROP TABLE users;--" >"$dir/expect"
SHOW="$dir/out" check "SQL in a full name is stored as typed and harms nothing" \
	bash -c "[ $rc = 0 ] && grep -qFf '$dir/expect' '$dir/out' && grep -q 'staff.a' '$dir/out'"

run "" admin users --status pending
SHOW="$dir/out" check "users --status pending: the three pending accounts" \
	bash -c "[ $rc = 0 ] && [ \$(grep -c pending '$dir/out') = 3 ] && ! grep -q '^admin1' '$dir/out'"
check "users: no citizen ID is printed" bash -c "! grep -q '$CID_STAFF' '$dir/out'"

run "" admin approve staff.a
SHOW="$dir/err" check "approve without --as: exit 2" bash -c "[ $rc = 2 ] && grep -q -- '--as' '$dir/err'"
long=$(head -c 5000 /dev/zero | tr '\0' x)
run "" admin users --db "/tmp/$long"
rc1=$rc
run "" admin settings --db "/tmp/$long"
SHOW="$dir/err" check "--db too long for a path: exit 2, says so (admin users, admin settings)" \
	bash -c "[ $rc1 = 2 ] && [ $rc = 2 ] && grep -qF -- '--db: at most' '$dir/err'"
run "wrong-password-9
" admin approve staff.a --as admin1 --batch
SHOW="$dir/err" check "approve with a wrong admin password: exit 1, wrong username or password" \
	bash -c "[ $rc = 1 ] && grep -q AUTH-WRONG '$dir/err' && grep -q 'ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง' '$dir/err'"
run "$ADMIN_PW
" admin approve staff.a --as nosuchadmin --batch
cp "$dir/err" "$dir/err.unknown"
run "wrong-password-9
" admin approve staff.a --as admin1 --batch
check "an unknown admin and a wrong password give the same message" cmp -s "$dir/err" "$dir/err.unknown"

run "$STAFF_PW
new-password-22
new-password-22
" admin passwd staff.a --batch
SHOW="$dir/err" check "a pending account cannot log in: waiting for the admin" \
	bash -c "[ $rc = 1 ] && grep -q AUTH-PENDING '$dir/err' && grep -q 'รอผู้ดูแลระบบของหน่วยงานอนุมัติ' '$dir/err'"

run "$ADMIN_PW
" admin approve staff.a --as admin1 --batch
SHOW="$dir/out $dir/err" check "approve --as admin1: exit 0" bash -c "[ $rc = 0 ] && grep -q 'staff.a approved' '$dir/out'"
run "" admin users --status active --json
SHOW="$dir/out" check "users --json: staff.a is active" grep -q '"username":	"staff.a"' "$dir/out"

run "$STAFF_PW
" admin approve staff.b --as staff.a --batch
SHOW="$dir/err" check "a staff member cannot approve: exit 1, RIGHT-REFUSED" \
	bash -c "[ $rc = 1 ] && grep -q RIGHT-REFUSED '$dir/err'"
run "$ADMIN_PW
" admin reject staff.b --as admin1 --batch
SHOW="$dir/out $dir/err" check "reject: exit 0" [ "$rc" = 0 ]
run "$STAFF_PW
new-password-22
new-password-22
" admin passwd staff.b --batch
SHOW="$dir/err" check "a rejected account cannot log in" bash -c "[ $rc = 1 ] && grep -q AUTH-REJECTED '$dir/err'"

run "$ADMIN_PW
" admin suspend admin1 --as admin1 --batch
SHOW="$dir/err" check "the last active admin cannot be suspended" bash -c "[ $rc = 1 ] && grep -q LAST-ADMIN '$dir/err'"
run "$ADMIN_PW
" admin remove-admin admin1 --as admin1 --batch
SHOW="$dir/err" check "the last active admin cannot be demoted" bash -c "[ $rc = 1 ] && grep -q LAST-ADMIN '$dir/err'"

run "$ADMIN_PW
" admin suspend staff.a --as admin1 --batch
run "$STAFF_PW
new-password-22
new-password-22
" admin passwd staff.a --batch
SHOW="$dir/err" check "suspended: 'not authorised' in English and Thai" \
	bash -c "[ $rc = 1 ] && grep -q 'You are not authorised to use the system' '$dir/err' && grep -q 'ท่านไม่ได้รับสิทธิ์เข้าใช้งานระบบ' '$dir/err'"
run "$ADMIN_PW
" admin reinstate staff.a --as admin1 --batch
SHOW="$dir/err" check "reinstate: exit 0" [ "$rc" = 0 ]

run "$ADMIN_PW
" admin reset-password staff.a --as admin1 --batch
temp=$(sed -n 's/^temporary password for staff.a.*: \([A-Za-z0-9]*\)$/\1/p' "$dir/out")
SHOW="$dir/err" check "reset-password: exit 0, a temporary password printed once" \
	bash -c "[ $rc = 0 ] && [ ${#temp} = 12 ]"
run "$temp
new-password-22
new-password-22
" admin passwd staff.a --batch
SHOW="$dir/out $dir/err" check "the temporary password lets the user choose a new one" [ "$rc" = 0 ]

# Lock-out: the fifth wrong password locks the account for 30 s.
for i in 1 2 3 4 5; do
	run "wrong-password-9
another-pass-33
another-pass-33
" admin passwd staff.a --batch
done
SHOW="$dir/err" check "five wrong passwords: locked, with the seconds to wait" \
	bash -c "[ $rc = 1 ] && grep -q 'AUTH-LOCKED (30)' '$dir/err' && grep -q 'locked for 30 seconds' '$dir/err' && grep -q 'ล็อก' '$dir/err'"
run "new-password-22
another-pass-33
another-pass-33
" admin passwd staff.a --batch
SHOW="$dir/err" check "locked: even the right password waits" bash -c "[ $rc = 1 ] && grep -q 'AUTH-LOCKED' '$dir/err'"

check "no password is in the database file" \
	bash -c "! grep -qaF -e '$ADMIN_PW' -e '$STAFF_PW' -e 'new-password-22' '$TABIEN_DB'"

# Branch settings from a script.
run "" admin settings --idle-timeout 600
check "settings changes without --as: exit 2" [ "$rc" = 2 ]
run "$ADMIN_PW
" admin settings --as admin1 --batch --idle-timeout 10
SHOW="$dir/err" check "settings: an idle timeout under 30 s is refused, the field named" \
	bash -c "[ $rc = 1 ] && grep -q 'IDLE-RANGE (10, idle_timeout): The idle lock is 10 seconds: it must be from 30 to 86400 seconds' '$dir/err'"
run "$ADMIN_PW
" admin settings --as admin1 --batch --idle-timeout 600 --purpose 'ตรวจสอบคำขอ' --purpose '=1+1'
SHOW="$dir/out $dir/err" check "settings: an admin sets the timeout and replaces the purposes" \
	bash -c "[ $rc = 0 ] && grep -q '600 s' '$dir/out' && grep -q '1. ตรวจสอบคำขอ' '$dir/out' && grep -q '2. =1+1' '$dir/out' && ! grep -q '3\\. ' '$dir/out'"

run "" admin frobnicate
check "unknown admin command: exit 2" [ "$rc" = 2 ]

# --- the audit trail ----------------------------------------------------------------------
run "" audit verify
SHOW="$dir/out $dir/err" check "audit verify: exit 0, the chain intact, in English and Thai" \
	bash -c "[ $rc = 0 ] && grep -q 'audit chain intact: [1-9][0-9]* rows' '$dir/out' && grep -q 'ครบถ้วน' '$dir/out'"

run "" audit export
check "audit export without --as: exit 2" [ "$rc" = 2 ]
run "$ADMIN_PW
" audit export --as admin1 --batch --csv "$dir/audit.csv"
SHOW="$dir/err" check "audit export --csv: exit 0, a private file with a header" \
	bash -c "[ $rc = 0 ] && [ \"\$(stat -c %a '$dir/audit.csv')\" = 600 ] && head -n 1 '$dir/audit.csv' | grep -q '^seq,time,terminal,branch,username,action,service,subject,purpose,result,hash'"
SHOW="$dir/audit.csv" check "audit export: approvals, refusals and logins are all there" \
	bash -c "grep -q 'admin1,admin.approve,,staff.a,,OK' '$dir/audit.csv' && grep -q 'staff.a,admin.approve,,staff.b,,RIGHT-REFUSED' '$dir/audit.csv' && grep -q 'counter-test,BR-01,staff.a,user.login_failed,,,,AUTH-LOCKED' '$dir/audit.csv'"
check "audit export: no password in it" \
	bash -c "! grep -qF -e '$ADMIN_PW' -e '$STAFF_PW' -e 'new-password-22' '$dir/audit.csv'"
run "$ADMIN_PW
" audit export --as admin1 --batch --user staff.b --since "$(date +%F)" --until "$(date +%F)"
SHOW="$dir/out" check "audit export --user --since --until: only that user's rows of today" \
	bash -c "[ $rc = 0 ] && [ \$(grep -c ',staff.b,' '$dir/out') -ge 2 ] && ! grep -q ',admin1,admin.init' '$dir/out'"
run "$ADMIN_PW
" audit export --as admin1 --batch --until 2000-01-01
SHOW="$dir/out" check "audit export --until long ago: the header only" bash -c "[ $rc = 0 ] && [ \$(wc -l <'$dir/out') = 1 ]"
run "" audit export --as admin1 --since 2024-02-30
SHOW="$dir/err" check "audit export with a date that does not exist: exit 2" \
	bash -c "[ $rc = 2 ] && grep -q 'INVALID-FIELD (since)' '$dir/err'"

if command -v sqlite3 >/dev/null; then
	cp "$TABIEN_DB" "$dir/intact.db"
	sqlite3 "$TABIEN_DB" "UPDATE audit SET subject = '$CID_ADMIN' WHERE seq = 3"
	run "" audit verify
	SHOW="$dir/out $dir/err" check "an audit row edited with sqlite3: verify exits 1 naming row 3, in English and Thai" \
		bash -c "[ $rc = 1 ] && grep -q 'BROKEN at row 3' '$dir/out' && grep -q 'AUDIT-BROKEN (3)' '$dir/err' && grep -q 'บันทึกการใช้งานถูกแก้ไข' '$dir/err'"
	cp "$dir/intact.db" "$TABIEN_DB"
	sqlite3 "$TABIEN_DB" "DELETE FROM audit WHERE seq = 5"
	run "" audit verify
	SHOW="$dir/out $dir/err" check "an audit row deleted with sqlite3: verify names row 5" \
		bash -c "[ $rc = 1 ] && grep -q 'AUDIT-BROKEN (5)' '$dir/err'"
	cp "$dir/intact.db" "$TABIEN_DB"
	sqlite3 "$TABIEN_DB" "PRAGMA user_version = 42"
	run "" admin users
	SHOW="$dir/err" check "a database from a newer tabien: exit 1, refused" \
		bash -c "[ $rc = 1 ] && grep -q 'DB-NEWER (42)' '$dir/err' && grep -q 'รุ่นที่ใหม่กว่า' '$dir/err'"
	cp "$dir/intact.db" "$TABIEN_DB"
else
	skip "an audit row edited with sqlite3" "sqlite3 is not installed"
	skip "an audit row deleted with sqlite3" "sqlite3 is not installed"
	skip "a database from a newer tabien" "sqlite3 is not installed"
fi

# --- damaged and read-only files ---------------------------------------------------------
head -c 8192 /dev/urandom >"$dir/garbage.db"
run "" admin users --db "$dir/garbage.db"
SHOW="$dir/err" check "a garbage file: exit 1 (no crash), damaged or not a tabien database" \
	bash -c "[ $rc = 1 ] && grep -q DB-CORRUPT '$dir/err' && grep -q 'เสียหาย' '$dir/err'"
run "" audit verify --db "$dir/garbage.db"
check "audit verify on a garbage file: exit 1, no crash" bash -c "[ $rc = 1 ] && grep -q DB-CORRUPT '$dir/err'"

# Root writes anything: the read-only cases run as nobody.
mkdir -p "$dir/ro"
cp "$TABIEN_DB" "$dir/ro/t.db"
as_other=()
if [ "$(id -u)" = 0 ]; then
	chmod 711 "$dir"
	chown -R nobody "$dir/ro"
	as_other=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
chmod 400 "$dir/ro/t.db"
"${as_other[@]}" "$TABIEN" admin users --db "$dir/ro/t.db" >"$dir/out" 2>"$dir/err"; rc=$?
cat "$dir/err" >>"$dir/all-err"
SHOW="$dir/err" check "a read-only database file: exit 1, says it cannot be written" \
	bash -c "[ $rc = 1 ] && grep -q DB-READONLY '$dir/err' && grep -q 'อ่านอย่างเดียว' '$dir/err'"
chmod 600 "$dir/ro/t.db"
chmod 500 "$dir/ro"
"${as_other[@]}" "$TABIEN" admin users --db "$dir/ro/t.db" >"$dir/out" 2>"$dir/err"; rc=$?
cat "$dir/err" >>"$dir/all-err"
SHOW="$dir/err" check "a database in a read-only folder: exit 1, says it cannot be written" \
	bash -c "[ $rc = 1 ] && grep -q DB-READONLY '$dir/err'"
chmod 700 "$dir/ro"

chmod 644 "$TABIEN_DB"
run "" admin users
SHOW="$dir/err" check "a database readable by others is made 0600, with a warning" \
	bash -c "[ $rc = 0 ] && grep -q 'mode 644' '$dir/err' && [ \"\$(stat -c %a '$TABIEN_DB')\" = 600 ]"

# --- the real password cost, once ---------------------------------------------------------
real_db="$dir/real/tabien.db"
start=$(date +%s%N)
printf '%s' "$init_input" | TABIEN_PWHASH= "$TABIEN" admin init --batch --db "$real_db" >/dev/null 2>"$dir/err"
cat "$dir/err" >>"$dir/all-err"
printf '%s\n' "$ADMIN_PW" | TABIEN_PWHASH= "$TABIEN" admin settings --db "$real_db" --as admin1 --batch --idle-timeout 600 >"$dir/out" 2>"$dir/err"; rc=$?
cat "$dir/err" >>"$dir/all-err"
SHOW="$dir/out $dir/err" check "default cost: the admin logs in, the settings change" \
	bash -c "[ $rc = 0 ] && grep -q '600 s' '$dir/out'"
if command -v sqlite3 >/dev/null; then
	hash=$(sqlite3 "$real_db" 'SELECT pwhash FROM users' 2>/dev/null)
	case "$hash" in
	'$argon2id$v=19$m=65536,t=2,p=1$'*) ok "default cost: argon2id with libsodium's INTERACTIVE limits" ;;
	*) echo "# $hash" | cut -c1-40; not_ok "default cost: argon2id with libsodium's INTERACTIVE limits" ;;
	esac
else
	skip "default cost: argon2id with libsodium's INTERACTIVE limits" "sqlite3 is not installed"
fi
echo "# init and one admin login at the default cost: $((($(date +%s%N) - start) / 1000000)) ms"

run "" --help
SHOW="$dir/out" check "--help lists the admin and audit commands" \
	bash -c "grep -q 'admin init' '$dir/out' && grep -q 'audit verify' '$dir/out'"

# Under tools/check every command runs with the sanitizers: their reports go
# to stderr, which the checks above read only for the expected message.
SHOW="$dir/all-err" check "no sanitizer report from any command" \
	bash -c "! grep -qE 'Sanitizer|runtime error|LeakSanitizer' '$dir/all-err'"

echo "1..$n"
[ "$failed" = 0 ]
