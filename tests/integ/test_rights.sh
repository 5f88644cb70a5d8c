#!/usr/bin/env bash
# Branches, roles and rights on the command line: two terminals (two HOMEs,
# two terminal names, each its `branch =`) on one database file.  One
# registers, an admin elsewhere approves, the first logs in; an agency admin
# adds a branch and makes its admin; grants, revocations, resets and roles; refusals
# with their audit rows and who can grant them; the supervisor's trail of
# their own branch only; each branch its own settings.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-rights.XXXXXX")
. "$S/tests/lib/common.sh"
export TABIEN_PWHASH=fast
export TABIEN_DB="$dir/shared/tabien.db"
unset XDG_DATA_HOME XDG_CONFIG_HOME TABIEN_CONFIG TABIEN_TERMINAL
trap test_cleanup EXIT

PW='a-password-12'
CID=$(cid_of 310050012345)
# terminal N BRANCH: a HOME with its config file naming the branch.
terminal() {
	mkdir -p "$dir/home$1/.config/tabien"
	printf 'theme = default\nbranch = %s\n' "$2" >"$dir/home$1/.config/tabien/tabien.conf"
}
# at N STDIN ARGS...: tabien at terminal N (its HOME, its name).
at() {
	local t=$1 input=$2; shift 2
	printf '%s' "$input" | HOME="$dir/home$t" TABIEN_TERMINAL="counter-$t" "$TABIEN" "$@" \
		>"$dir/out" 2>"$dir/err"
	rc=$?
}
pw() { printf '%s\n' "$PW"; }
register() { # N USER
	at "$1" "$(printf '%s\n%s\n%s\n%s\n%s\n%s\n' "$2" "มาลี มีสุข" "$CID" "เจ้าหน้าที่" "$PW" "$PW")" \
		admin register --batch
}
csv() { # N USER: the trail as USER sees it, into $dir/csv
	at "$1" "$(pw)" audit export --as "$2" --batch --csv "$dir/csv"
}

# --- the agency, its first branch, a second one -------------------------------------------
terminal 1 BR-01
at 1 "$(printf '%s\n' กรมทดสอบระบบ BR-01 สาขาหนึ่ง admin1 "สมชาย ใจดี" "$(cid_of 110170020345)" หัวหน้างาน "$PW" "$PW")" \
	admin init --batch
SHOW="$dir/err" check "init: exit 0" [ "$rc" = 0 ]
at 1 "" admin branches
SHOW="$dir/out" check "branches: BR-01, the default one" \
	bash -c "[ $rc = 0 ] && grep -q 'BR-01 .*สาขาหนึ่ง.*default' '$dir/out'"
at 1 "" admin rights admin1
SHOW="$dir/out" check "the first admin is an agency admin holding every right" \
	bash -c "grep -q 'agency-admin, branch / สาขา BR-01' '$dir/out' && ! grep -q 'no ไม่มี' '$dir/out'"
at 1 "$(pw)" admin branches --add BR-02 --name "สาขาย่อยสอง" --as admin1 --batch
SHOW="$dir/out $dir/err" check "branches --add BR-02: exit 0" bash -c "[ $rc = 0 ] && grep -q 'BR-02' '$dir/out'"
at 1 "$(pw)" admin branches --add BR-02 --name "อีกครั้ง" --as admin1 --batch
expect_error "the same code again" BRANCH-TAKEN "มีสาขาที่ใช้รหัสนี้อยู่แล้ว"
at 1 "" admin branches --json
SHOW="$dir/out" check "branches --json: two, BR-02 with its Thai name" \
	bash -c "[ \"\$(jq length '$dir/out')\" = 2 ] && jq -e '.[] | select(.code == \"BR-02\" and .name == \"สาขาย่อยสอง\" and .default == false)' '$dir/out' >/dev/null"

# --- a terminal of a branch the database does not know ---------------------------------------
terminal 9 NO-SUCH
at 9 "" admin users
SHOW="$dir/err" check "branch = NO-SUCH: exit 1, BRANCH-UNKNOWN in both languages, the file named" \
	bash -c "[ $rc = 1 ] && grep -q BRANCH-UNKNOWN '$dir/err' && grep -q 'ไม่พบสาขา' '$dir/err' && grep -q 'home9/.config/tabien/tabien.conf' '$dir/err'"
at 9 "" doctor
SHOW="$dir/out" check "tabien doctor there: the database check fails, BRANCH-UNKNOWN, the code named" \
	bash -c "[ $rc = 1 ] && grep -q 'BRANCH-UNKNOWN' '$dir/out' && grep -q 'branch = NO-SUCH' '$dir/out'"

# --- two terminals, one database: register at 2, approve at 1, log in at 2 -------------------
terminal 2 BR-02
register 2 adm.b
register 2 off.b
SHOW="$dir/err" check "register at terminal 2: exit 0" [ "$rc" = 0 ]
at 1 "" admin users --json
SHOW="$dir/out" check "the users registered at terminal 2 belong to BR-02, officers" \
	bash -c "jq -e '[.[] | select(.username == \"off.b\" and .branch == \"BR-02\" and .role == \"officer\" and .status == \"pending\")] | length == 1' '$dir/out' >/dev/null"
at 1 "$(pw)" admin approve adm.b --as admin1 --batch
SHOW="$dir/err" check "the agency admin at terminal 1 approves a BR-02 user" [ "$rc" = 0 ]
at 1 "$(pw)" admin role adm.b branch-admin --as admin1 --batch
SHOW="$dir/out $dir/err" check "and makes them BR-02's admin" bash -c "[ $rc = 0 ] && grep -q 'branch-admin' '$dir/out'"
at 2 "$(pw)" admin approve off.b --as adm.b --batch
SHOW="$dir/err" check "BR-02's admin approves off.b at terminal 2" [ "$rc" = 0 ]
register 1 off.a
at 2 "$(pw)" admin approve off.a --as adm.b --batch
expect_error "BR-02's admin approving a BR-01 user" OTHER-BRANCH "ผู้ใช้นี้อยู่สาขาอื่น"
SHOW="$dir/err" check "and is told who can: the agency admin, not adm.b" \
	grep -q 'who can do it / ผู้ที่ทำรายการนี้ได้: admin1$' "$dir/err"
at 2 "$(pw)" admin role adm.b agency-admin --as adm.b --batch
expect_error "a branch admin making themselves agency admin" ROLE-ABOVE-OWN "กำหนดบทบาทได้ไม่เกินบทบาทของตนเอง" \
	"(branch-admin): You can give roles only up to your own"
SHOW="$dir/err" check "and is told who can: the agency admin" \
	grep -q 'who can do it / ผู้ที่ทำรายการนี้ได้: admin1$' "$dir/err"
at 2 "$(pw)" audit export --as off.b --batch --csv "$dir/refused.csv"
SHOW="$dir/err" check "off.b logs in at terminal 2 (the password checked) and is refused the trail" \
	bash -c "[ $rc = 1 ] && grep -q 'RIGHT-REFUSED (audit)' '$dir/err' && grep -q 'คุณไม่มีสิทธิ์' '$dir/err'"
SHOW="$dir/err" check "the refusal says who can grant it: BR-02's admin" \
	grep -q 'who can grant it / ผู้ที่ให้สิทธิ์ได้: adm.b$' "$dir/err"
check "nothing was written for the refused export" [ ! -e "$dir/refused.csv" ]
csv 1 admin1
SHOW="$dir/csv" check "the trail: off.b's login at counter-2 in BR-02" \
	grep -q ',counter-2,BR-02,off.b,user.login,,,,OK,' "$dir/csv"
SHOW="$dir/csv" check "the trail: the refusal, its right and its result" \
	grep -q ',counter-2,BR-02,off.b,right.refused,audit,,,RIGHT-REFUSED,' "$dir/csv"
SHOW="$dir/csv" check "the trail: the approval at counter-1 and the one refused at counter-2" \
	bash -c "grep -q ',counter-1,BR-01,admin1,admin.approve,,adm.b,,OK,' '$dir/csv' && grep -q ',counter-2,BR-02,adm.b,admin.approve,,off.a,,OTHER-BRANCH,' '$dir/csv'"

# --- logging in at another branch's terminal, and moving a user -------------------------------
# More refusals than a lock-out takes: not one counts as a wrong password.
tries=0
while [ $tries -lt 7 ]; do
	at 1 "$(pw)" audit export --as off.b --batch --csv "$dir/other.csv"
	grep -qF AUTH-OTHER-BRANCH "$dir/err" || break
	tries=$((tries + 1))
done
expect_error "off.b of BR-02 at BR-01's terminal, the password right" AUTH-OTHER-BRANCH "บัญชีของท่านอยู่คนละสาขากับเครื่องนี้"
SHOW="$dir/err" check "the refusal names both branches and what to do, in both languages" \
	bash -c "grep -qF 'your branch / สาขาของท่าน: BR-02; this terminal'\''s / สาขาของเครื่องนี้: BR-01' '$dir/err' &&
		grep -qF 'tabien admin move USERNAME --branch CODE' '$dir/err' && grep -qF 'ใช้เครื่องของสาขาของท่าน' '$dir/err'"
check "refused seven times in a row, nothing written" bash -c "[ $tries = 7 ] && [ ! -e '$dir/other.csv' ]"
at 1 "wrong-password-1
" audit export --as off.b --batch --csv "$dir/other.csv"
expect_error "a wrong password there is a wrong password: the branch is asked after it" AUTH-WRONG "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
at 2 "$(pw)" audit export --as off.b --batch --csv "$dir/other.csv"
SHOW="$dir/err" check "no lock-out: off.b logs in at BR-02's terminal at once (then refused the trail)" \
	bash -c "grep -q 'RIGHT-REFUSED (audit)' '$dir/err' && ! grep -q AUTH-LOCKED '$dir/err'"
csv 2 admin1
SHOW="$dir/err" check "the agency admin logs in at BR-02's terminal too" [ "$rc" = 0 ]
SHOW="$dir/csv" check "the trail: seven refusals at counter-1, each naming off.b's branch" \
	[ "$(grep -c ',counter-1,BR-01,off.b,user.login_failed,,BR-02,,AUTH-OTHER-BRANCH,' "$dir/csv")" = 7 ]
# A login refused under --json is said as the JSON error object on standard
# output too, not only in words on standard error (nothing is sent: the
# gateway named is not there).
{ printf 'gdx.url = http://127.0.0.1:1\ngdx.consumer_key = k\ngdx.consumer_secret = s\n'
  printf 'dbd.open_url = http://127.0.0.1:1\n'; } >>"$dir/home1/.config/tabien/tabien.conf"
chmod 600 "$dir/home1/.config/tabien/tabien.conf"
at 1 "$(pw)" admin settings --as admin1 --batch --copy-unsigned yes
json_refused() { # WHAT CODE: the last command's stdout is that error object, exit 1
	SHOW="$dir/out $dir/err" check "$1 --json, refused at login: $2 as JSON on stdout, in words on stderr" \
		bash -c "[ $rc = 1 ] && jq -e --arg c '$2' '.error == \$c and (.message | length > 0) and
			(.message_th | length > 0) and (.hint_th | length > 0)' '$dir/out' >/dev/null &&
			grep -qF '$2' '$dir/err'"
}
P="--purpose ตรวจสอบ"
for cmd in "juristic show 0105536012346 $P" "linkage query --service 001 --cid $CID $P" \
	"linkage household --cid $CID $P" "linkage permission" "copy person --cid $CID --out $dir/c.pdf $P" \
	"copy juristic 0105536012346 --out $dir/c.pdf $P" "copy card --out $dir/c.pdf $P"; do
	# shellcheck disable=SC2086
	at 1 "$(pw)" $cmd --as off.b --batch --json
	json_refused "${cmd%% -*}" AUTH-OTHER-BRANCH
done
at 1 "$(pw)" linkage permission --as off.b --batch --json
SHOW="$dir/err" check "  and under the words, both branches" grep -qF 'your branch / สาขาของท่าน: BR-02' "$dir/err"
at 1 "wrong-password-1
" juristic show 0105536012346 --as admin1 --batch --purpose "ตรวจสอบ" --json
json_refused "juristic show, a wrong password," AUTH-WRONG
at 1 "$(pw)" juristic show 0105536012346 --as nobody.here --batch --purpose "ตรวจสอบ" --json
SHOW="$dir/out $dir/err" check "juristic show --json, an unknown user: a JSON error too" \
	bash -c "[ $rc = 1 ] && jq -e '.error | startswith(\"AUTH-\")' '$dir/out' >/dev/null"
[ -e "$dir/c.pdf" ]; check "no copy was written" [ $? = 1 ]

at 2 "$(pw)" admin move off.b --branch BR-01 --as adm.b --batch
expect_error "a branch admin moving a user" NOT-ADMIN "ผู้ดูแลระบบ"
at 1 "$(pw)" admin move off.b --branch BR-09 --as admin1 --batch
expect_error "a move into a branch that does not exist" NO-SUCH-BRANCH "ไม่พบสาขาที่ใช้รหัสนี้"
at 1 "$(pw)" admin move off.b --branch "BR-$(printf '%040d' 1)" --as admin1 --batch
SHOW="$dir/err" check "move to a code longer than any: usage, exit 2, not NO-SUCH-BRANCH" \
	bash -c "[ $rc = 2 ] && grep -qF -- '--branch: at most 32 bytes / --branch ยาวได้ไม่เกิน 32 ไบต์' '$dir/err' &&
		! grep -q NO-SUCH-BRANCH '$dir/err'"
at 1 "$(pw)" admin move off.b --as admin1 --batch
check "move without --branch: usage, exit 2" [ "$rc" = 2 ]
at 1 "$(pw)" admin move off.b --branch BR-01 --as admin1 --batch
SHOW="$dir/out $dir/err" check "the agency admin moves off.b into BR-01: said in both languages" \
	bash -c "[ $rc = 0 ] && grep -qF 'off.b belongs to branch BR-01 now / off.b ย้ายไปสาขา BR-01 แล้ว' '$dir/out'"
at 1 "$(pw)" audit export --as off.b --batch --csv "$dir/other.csv"
SHOW="$dir/err" check "off.b now logs in at BR-01's terminal" grep -q 'RIGHT-REFUSED (audit)' "$dir/err"
at 2 "$(pw)" audit export --as off.b --batch --csv "$dir/other.csv"
expect_error "and no longer at BR-02's" AUTH-OTHER-BRANCH "บัญชีของท่านอยู่คนละสาขากับเครื่องนี้"
at 1 "$(pw)" admin move off.b --branch BR-02 --as admin1 --batch
csv 1 admin1
SHOW="$dir/csv" check "the trail: both moves, from and to, and the refused one" \
	bash -c "grep -q ',counter-1,BR-01,admin1,admin.move,BR-02>BR-01,off.b,,OK,' '$dir/csv' &&
		grep -q ',counter-1,BR-01,admin1,admin.move,BR-01>BR-02,off.b,,OK,' '$dir/csv' &&
		grep -q ',counter-2,BR-02,adm.b,admin.move,BR-01,off.b,,NOT-ADMIN,' '$dir/csv'"

# --- grants and revocations -------------------------------------------------------------------
at 2 "$(pw)" admin grant off.b users --as off.b --batch
expect_error "an officer granting" RIGHT-REFUSED "คุณไม่มีสิทธิ์" "users"
at 2 "$(pw)" admin grant off.b audit --as adm.b --batch
SHOW="$dir/out $dir/err" check "grant off.b audit: exit 0, said in both languages" \
	bash -c "[ $rc = 0 ] && grep -q 'off.b may use audit now / off.b ได้รับสิทธิ์ audit แล้ว' '$dir/out'"
csv 2 off.b
SHOW="$dir/err $dir/csv" check "granted, off.b reads the trail: BR-02's rows only" \
	bash -c "[ $rc = 0 ] && [ \"\$(tail -n +2 '$dir/csv' | cut -d, -f4 | sort -u)\" = BR-02 ]"
at 2 "$(pw)" admin revoke off.b card --as adm.b --batch
at 2 "" admin rights off.b --json
SHOW="$dir/out" check "rights off.b: audit granted, card revoked, registry from the role" \
	bash -c "jq -e '(.[] | select(.right == \"audit\") | .held and .from == \"granted\") and
	       (.[] | select(.right == \"card\") | (.held | not) and .from == \"revoked\") and
	       (.[] | select(.right == \"registry\") | .held and .from == \"role\")' '$dir/out' >/dev/null"
at 2 "$(pw)" admin revoke off.b card --as admin1 --batch
SHOW="$dir/err" check "an agency admin acts on any branch's user" [ "$rc" = 0 ]
at 2 "$(pw)" admin reset-right off.a card --as adm.b --batch
expect_error "BR-02's admin resetting a right of a BR-01 user" OTHER-BRANCH "ผู้ใช้นี้อยู่สาขาอื่น"
SHOW="$dir/err" check "and is told who can: BR-01 has no branch admin, so the agency admin" \
	grep -q 'who can do it / ผู้ที่ทำรายการนี้ได้: admin1$' "$dir/err"
at 2 "$(pw)" admin reset-right off.b card --as adm.b --batch
SHOW="$dir/out $dir/err" check "reset-right off.b card: exit 0, said in both languages" \
	bash -c "[ $rc = 0 ] && grep -q \"off.b: card is the role's default again / สิทธิ์ card ของ off.b กลับเป็นค่าตามบทบาทแล้ว\" '$dir/out'"
at 2 "" admin rights off.b
SHOW="$dir/out" check "rights off.b: card held again, from the role; audit still granted" \
	bash -c "grep -qE '^card +yes มี +role บทบาท\$' '$dir/out' && grep -qE '^audit +yes มี +granted ' '$dir/out'"
at 2 "$(pw)" admin reset-right off.b card --as adm.b --batch
SHOW="$dir/err" check "reset-right again, nothing left to drop: exit 0" [ "$rc" = 0 ]
at 2 "$(pw)" admin reset-right off.b nothing --as adm.b --batch
SHOW="$dir/err" check "reset-right of an unknown right: a usage error naming the rights" \
	bash -c "[ $rc = 2 ] && grep -q 'usage: tabien admin reset-right USERNAME RIGHT' '$dir/err' && grep -q 'card registry' '$dir/err'"

# --- the supervisor ---------------------------------------------------------------------------
register 2 sup.b
at 2 "$(pw)" admin approve sup.b --as adm.b --batch
at 2 "$(pw)" admin role sup.b supervisor --as adm.b --batch
SHOW="$dir/err" check "BR-02's admin makes sup.b supervisor" [ "$rc" = 0 ]
csv 2 sup.b
SHOW="$dir/csv" check "the supervisor reads BR-02's trail, none of BR-01's" \
	bash -c "[ $rc = 0 ] && grep -q ',BR-02,' '$dir/csv' && ! tail -n +2 '$dir/csv' | cut -d, -f4 | grep -qx BR-01"
csv 1 admin1
SHOW="$dir/csv" check "the agency admin reads both branches" \
	bash -c "grep -q ',BR-01,' '$dir/csv' && grep -q ',BR-02,' '$dir/csv'"
SHOW="$dir/csv" check "the trail: the grant and the role, what and to whom" \
	bash -c "grep -q ',adm.b,admin.grant,audit,off.b,,OK,' '$dir/csv' && grep -q ',adm.b,admin.role,supervisor,sup.b,,OK,' '$dir/csv'"
SHOW="$dir/csv" check "the trail: one reset of off.b's card, the one refused for off.a, the role above adm.b's own" \
	bash -c "[ \"\$(grep -c ',adm.b,admin.reset_right,card,off.b,,OK,' '$dir/csv')\" = 1 ] &&
		grep -q ',adm.b,admin.reset_right,card,off.a,,OTHER-BRANCH,' '$dir/csv' &&
		grep -q ',adm.b,admin.role,agency_admin,adm.b,,ROLE-ABOVE-OWN,' '$dir/csv'"
at 2 "$(pw)" admin approve off.a --as sup.b --batch
expect_error "a supervisor approving" RIGHT-REFUSED "คุณไม่มีสิทธิ์" "users"

# --- each branch its own settings -------------------------------------------------------------
at 2 "$(pw)" admin settings --as adm.b --batch --idle-timeout 120 --purpose "ตรวจสอบสิทธิ์สาขาสอง"
SHOW="$dir/out $dir/err" check "BR-02's admin sets BR-02's idle lock and purposes" \
	bash -c "[ $rc = 0 ] && grep -q 'branch code / รหัสสาขา: BR-02' '$dir/out' && grep -q '120 s' '$dir/out'"
at 1 "" admin settings
SHOW="$dir/out" check "BR-01 keeps its own: 300 s, its purposes" \
	bash -c "grep -q 'BR-01' '$dir/out' && grep -q '300 s' '$dir/out' && ! grep -q 'สาขาสอง' '$dir/out'"
at 2 "$(pw)" admin settings --as sup.b --batch --idle-timeout 60
expect_error "a supervisor changing the settings" RIGHT-REFUSED "คุณไม่มีสิทธิ์" "settings"
SHOW="$dir/err" check "and is told to ask BR-02's admin" grep -q 'ผู้ที่ให้สิทธิ์ได้: adm.b' "$dir/err"
at 2 "$(pw)" admin branches --add BR-03 --name "สาขาสาม" --as adm.b --batch
expect_error "a branch admin adding a branch" NOT-ADMIN "ผู้ดูแลระบบ"

csv 1 admin1
SHOW="$dir/csv" check "the trail: the refused settings change and branch, with their results" \
	bash -c "grep -q ',sup.b,admin.settings,,BR-02,,RIGHT-REFUSED,' '$dir/csv' && grep -q ',adm.b,admin.branch,,BR-03,,NOT-ADMIN,' '$dir/csv'"
at 1 "" audit verify
SHOW="$dir/out $dir/err" check "audit verify: the chain written by both terminals is intact" [ "$rc" = 0 ]

echo "1..$n"
[ "$failed" = 0 ]
