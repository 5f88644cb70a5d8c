#!/usr/bin/env bash
# Branches and rights in the full-screen program: two terminals (two HOMEs,
# two terminal names, each its `branch =`) on one database file.  An
# officer registered at the second branch's terminal is approved by the
# agency admin in the users pane of the first, and logs in at the second;
# the audit pane is refused with who can grant it (the refusal on record),
# then opens after `tabien admin grant` without logging in again, showing
# the officer's own branch only; a right revoked meanwhile closes its pane
# the next time it is asked for; a login at the other branch's terminal
# refused, never locking the account, and a session ended by a move to
# another branch; without the card right a card
# inserted is not read at all (the virtual card sees no command), the
# refusal shown and on record once per card, and read once granted.  The
# real `tabien` in a private tmux server, a private pcscd and the virtual
# card.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
unset XDG_CONFIG_HOME TABIEN_IDLE_SECONDS
tui_begin rights-tui 50 sqlite3

export TABIEN_PWHASH=fast TABIEN_DB="$dir/shared/tabien.db"
# A private pcscd: every program here watches its one reader.
export PCSCLITE_CSOCK_NAME="$sock"
start_pcscd || { echo "1..0 # SKIP the private pcscd did not start"; exit 0; }

PW='a-password-12'
# terminal N BRANCH: a HOME whose config file names the branch.
terminal() {
	mkdir -p "$dir/home$1/.config/tabien" "$dir/state$1"
	printf 'branch = %s\n' "$2" >"$dir/home$1/.config/tabien/tabien.conf"
}
# cli N ARGS... (the password on standard input): tabien at terminal N.
cli() {
	local t=$1; shift
	printf '%s\n' "$PW" | HOME="$dir/home$t" TABIEN_TERMINAL="counter-$t" "$TABIEN" "$@" \
		>"$dir/out" 2>>"$dir/cli.log"
}
cat >"$dir/run-tabien" <<EOF
#!/usr/bin/env bash
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES TABIEN_IDLE_SECONDS TABIEN_CONFIG XDG_CONFIG_HOME
export HOME=$(printf '%q' "$dir")/home\$1 XDG_STATE_HOME=$(printf '%q' "$dir")/state\$1
export TABIEN_THEMES=$(printf '%q' "$S/themes") TABIEN_LOCALEDIR=$(printf '%q' "$B/po")
export PCSCLITE_CSOCK_NAME=$(printf '%q' "$PCSCLITE_CSOCK_NAME")
export TABIEN_DB=$(printf '%q' "$TABIEN_DB") TABIEN_PWHASH=fast TABIEN_TERMINAL=tui-\$1
$(printf '%q' "$TABIEN")
echo \$? >$(printf '%q' "$dir")/status.t\$1
exec sleep infinity
EOF
chmod +x "$dir/run-tabien"
# start N: terminal N's program in the tmux session tN.
start() { tm new-session -d -s "t$1" -x 100 -y 30 "$dir/run-tabien" "$1"; }
login() { # SESSION BRANCH-NAME USER
	wait_text "$1" "$2" "User name" || return 1
	keys "$1" -l "$3" && keys "$1" Enter && keys "$1" -l "$PW" && keys "$1" Enter
}
rows() { sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" "SELECT count(*) FROM audit WHERE $1"; }
status_of() { sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" "SELECT status FROM users WHERE username = '$1'"; }

# --- the agency: BR-01 (terminal 1) and BR-02 (terminal 2) ---------------------------------------
terminal 1 BR-01
terminal 2 BR-02
printf '%s\n' กรมทดสอบระบบ BR-01 สาขาหนึ่ง admin1 "สมชาย ใจดี" "$(cid_of 110170020345)" หัวหน้างาน "$PW" "$PW" |
	HOME="$dir/home1" TABIEN_TERMINAL=counter-1 "$TABIEN" admin init --batch >/dev/null 2>>"$dir/cli.log"
cli 1 admin branches --add BR-02 --name "สาขาสอง" --as admin1 --batch
printf '%s\n' off.b "มาลี มีสุข" "$(cid_of 310050012345)" เจ้าหน้าที่ "$PW" "$PW" |
	HOME="$dir/home2" TABIEN_TERMINAL=counter-2 "$TABIEN" admin register --batch >/dev/null 2>>"$dir/cli.log"
SHOW="$dir/cli.log" check "set-up: two branches, off.b registered at BR-02's terminal" \
	[ "$(sqlite3 "$TABIEN_DB" "SELECT branch || ' ' || status FROM users WHERE username = 'off.b'")" = "BR-02 pending" ]

# --- terminal 1's agency admin approves; off.b logs in at terminal 2 ---------------------------
SESSION=t1
start 1
login t1 "สาขาหนึ่ง (BR-01)" admin1
wait_text t1 "admin1*"
keys t1 F3
wait_text t1 "Accounts — waiting for approval first"
keys t1 a
wait_text t1 "Approve the account of มาลี มีสุข (off.b)?"
keys t1 Enter
check "terminal 1: the agency admin approves off.b of BR-02 in the users pane" \
	eval 'wait_text t1 "Done: off.b" && [ "$(status_of off.b)" = active ]'

SESSION=t2
start 2
login t2 "สาขาสอง (BR-02)" off.b
check "terminal 2: off.b logs in at BR-02's terminal; no audit tab" \
	eval 'wait_text t2 "off.b" "F2 Card" && ! line t2 1 | grep -q "Audit"'
check "the login is on record at tui-2, branch BR-02" \
	[ "$(rows "username = 'off.b' AND action = 'user.login' AND terminal = 'tui-2' AND branch = 'BR-02'")" = 1 ]

# --- the audit pane refused, then granted ---------------------------------------------------------
keys t2 F4
check "F4: refused in a box: the right, that it is recorded, who can grant it" \
	wait_text t2 "Refused: you have no right to the audit trail (audit)." \
		"The refusal is recorded in the audit trail." "Who can grant it: admin1"
check "the refusal is on record: right.refused, audit, RIGHT-REFUSED" \
	[ "$(rows "username = 'off.b' AND action = 'right.refused' AND service = 'audit' AND result = 'RIGHT-REFUSED' AND branch = 'BR-02'")" = 1 ]
keys t2 Escape
check "a key closes the box; the pane stays the card's" \
	eval 'wait_gone t2 "Refused: you have no right" && shows_all t2 "F2 Card"'
cli 1 admin grant off.b audit --as admin1 --batch
SHOW="$dir/cli.log" check "tabien admin grant off.b audit at terminal 1" grep -q 'off.b may use audit now' "$dir/out"
keys t2 F4
check "F4 again, no new login: the audit pane opens, its tab shown" \
	eval 'wait_text t2 "Audit trail — newest first" && line t2 1 | grep -q "Audit"'
check "the pane shows BR-02's rows (the refusal) and none of BR-01's (admin1's)" \
	eval 'wait_text t2 "right.refused" && ! sed "\$d" "$dir/screen.t2" | grep -q "admin1"'

# --- a right revoked meanwhile --------------------------------------------------------------------
cli 1 admin revoke off.b companies --as admin1 --batch
keys t2 b
check "b after the revocation: refused, who can grant it" \
	wait_text t2 "Refused: you have no right to the companies pane (companies)." "Who can grant it: admin1"
keys t2 Escape
check "the companies tab is gone" eval 'wait_gone t2 "Refused:" && ! line t2 1 | grep -q "Companies"'
check "two refusals on record" [ "$(rows "action = 'right.refused'")" = 2 ]
# --- a login at another branch's terminal ---------------------------------------------------------
# Terminal 3 is BR-01's and speaks Thai; off.b is BR-02's.  Refused once
# the password is right, again and again, with no lock-out.
terminal 3 BR-01
printf 'language = th\n' >>"$dir/home3/.config/tabien/tabien.conf"
other_rows() { rows "username = 'off.b' AND action = 'user.login_failed' AND result = 'AUTH-OTHER-BRANCH' AND terminal = 'tui-3' AND branch = 'BR-01' AND subject = 'BR-02'"; }
SESSION=t3
start 3
wait_text t3 "สาขาหนึ่ง (BR-01)" "ชื่อผู้ใช้"
keys t3 -l off.b && keys t3 Enter && keys t3 -l "$PW" && keys t3 Enter
check "terminal 3 (BR-01): off.b refused in Thai, both branches named, what to do" \
	wait_text t3 "AUTH-OTHER-BRANCH" "บัญชีของท่านอยู่คนละสาขากับเครื่องนี้" "สาขาของบัญชี: BR-02 · สาขาของเครื่องนี้: BR-01"
for i in 2 3 4 5 6 7; do
	wait_cmd eval '[ "$(other_rows)" -ge $((i - 1)) ]'
	keys t3 -l "$PW" && keys t3 Enter
done
check "seven refusals on record, each naming off.b's branch; no lock-out" \
	eval 'wait_cmd eval "[ \"\$(other_rows)\" = 7 ]" &&
	      [ "$(sqlite3 -cmd ".timeout 5000" "$TABIEN_DB" "SELECT failures || \" \" || locked_until FROM users WHERE username = '"'off.b'"'")" = "0 0" ]'
check "no session was made at terminal 3" \
	[ "$(rows "username = 'off.b' AND action = 'user.login' AND terminal = 'tui-3'")" = 0 ]
keys t3 Up
wait_cmd shows_all t3 "ชื่อผู้ใช้"
# The user name field still holds off.b: cleared with backspaces.
for i in 1 2 3 4 5; do keys t3 BSpace; done
keys t3 -l admin1 && keys t3 Enter && keys t3 -l "$PW" && keys t3 Enter
check "the agency admin logs in at terminal 3" \
	eval 'wait_text t3 "admin1" && [ "$(rows "username = '"'admin1'"' AND action = '"'user.login'"' AND terminal = '"'tui-3'"'")" = 1 ]'

check "the three programs still run" eval 'alive t1 && alive t2 && alive t3'

# --- the card right: nothing of a card read without it ----------------------------------------------
# Only terminal 2 (off.b) watches the reader from here on.
tm kill-session -t t1
tm kill-session -t t3
SESSION=t2
keys t2 F2
wait_text t2 "Insert the citizen's ID card"
cli 1 admin revoke off.b card --as admin1 --batch
SHOW="$dir/cli.log" check "tabien admin revoke off.b card at terminal 1" grep -q 'off.b may no longer use card' "$dir/out"
card_rows() { rows "username = 'off.b' AND action = 'right.refused' AND service = 'card'"; }
# Each card logs the commands it gets to vcard.log.N.
VCARD_LOGS=1
apdus() { grep -cE '^vcard: ([0-9A-F]{2} ){4}\[' "$dir/vcard.log.$1"; }
read_binary() { grep -cE '^vcard: [0-9A-F]{2} B0 ' "$dir/vcard.log.$1"; }
insert malee
check "a card inserted: refused in a box, what and who can grant it" \
	wait_text t2 "Refused: you have no right to ID cards and the card pane (card)." "Who can grant it: admin1"
keys t2 Escape
check "the card pane says the card was not read, that it is on record, who can grant it" \
	wait_text t2 "The card in the reader was not read: you have no right to read ID cards" \
		"The refusal is recorded. Who can grant it: admin1"
keys t2 i
check "the person pane: nothing to look up, and why" \
	wait_text t2 "The card in the reader was not read" "F5: ask again once it is granted"
keys t2 h
wait_text t2 "The card in the reader was not read"
keys t2 n
wait_text t2 "The card in the reader was not read"
check "one refusal on record for the card, whatever was drawn since; no card.read row" \
	eval '[ "$(card_rows)" = 1 ] && [ "$(rows "action = '"'card.read'"'")" = 0 ]'
SHOW="$dir/vcard.log.1" check "the card got no command at all: no SELECT, no READ BINARY" \
	eval '[ "$(apdus 1)" = 0 ] && [ "$(read_binary 1)" = 0 ]'
pull --wait
insert malee
check "a second card: refused again, a second row" \
	eval 'wait_cmd eval "[ \"\$(card_rows)\" = 2 ]" && wait_text t2 "Refused: you have no right to ID cards"'
keys t2 Escape
SHOW="$dir/vcard.log.2" check "and it got no command either" [ "$(apdus 2)" = 0 ]
cli 1 admin grant off.b card --as admin1 --batch
keys t2 F5
check "granted, F5 on the names pane reads the card: on record as card.read" \
	eval 'wait_cmd eval "[ \"\$(rows \"username = '"'off.b'"' AND action = '"'card.read'"' AND result = '"'OK'"'\")\" = 1 ]"'
SHOW="$dir/vcard.log.2" check "the card now got its READ BINARY commands" [ "$(read_binary 2)" -gt 0 ]
pull --wait
insert malee
check "the next card is read as soon as it is in" \
	eval 'wait_cmd eval "[ \"\$(rows \"username = '"'off.b'"' AND action = '"'card.read'"'\")\" = 2 ]"'
keys t2 F2
check "the card pane shows it; two refusals on record in all" \
	eval 'wait_text t2 "$(fmt "$(value malee cid)")" && [ "$(card_rows)" = 2 ]'
# Moved to BR-01 meanwhile: the next card finds BR-02's terminal no longer theirs.
pull --wait
cli 1 admin move off.b --branch BR-01 --as admin1 --batch
insert malee
check "moved to another branch while logged in: the next card logs off.b out, AUTH-OTHER-BRANCH" \
	wait_text t2 "AUTH-OTHER-BRANCH" "User name"
check "that card was not read for them" \
	[ "$(rows "username = 'off.b' AND action = 'card.read'")" = 2 ]
check "terminal 2 still runs" alive t2

echo "1..$n"
[ "$failed" = 0 ]
