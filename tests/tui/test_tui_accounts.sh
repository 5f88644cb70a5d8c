#!/usr/bin/env bash
# Accounts at the counter, as people see them in the full-screen program: the
# first run on a terminal nobody set up, registration (by hand and from the
# officer's own card), approval by the agency's admin, logins refused for
# pending, suspended and locked-out accounts, the idle lock, a hang-up and the
# login it leaves to resume, the admin's users and audit panes, and a
# user's own settings.  The real `tabien` runs in terminals made by a private
# tmux server, against a private pcscd and the virtual card; every step waits
# for the screen by polling it with a deadline.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
# A little history: tmux 3.3 can scroll the first line a new pane prints
# out of sight while it sets the pane up.
tui_begin accounts 50 sqlite3

# The commands run here (admin init, audit export ...) see the same database
# and the same private home as the program in tmux.  Fast password hashing
# is for tests only (see services/accounts/users.h).
export TABIEN_PWHASH=fast TABIEN_DB="$dir/data/tabien.db" TABIEN_TERMINAL=counter-cli
export HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state"
export PCSCLITE_CSOCK_NAME="$sock"
# Thailand's clock (POSIX form: no tzdata needed), so that local times differ
# from the stored UTC ones.
export TZ=ICT-7
mkdir -p "$HOME" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME/tabien" "$dir/config-th"
# A Thai-speaking terminal: the language from its configuration file.
printf 'language = th\n' >"$dir/config-th/tabien.conf"

# --- the program in tmux ---------------------------------------------------------

# run-tabien TTY TERMINAL IDLE CONFIG: the program, in the tmux terminal
# named TTY, with the build tree's themes and catalogue, the private pcscd
# and home.  TERMINAL is the name tabien records (a login left open resumes
# on the same one), IDLE shortens the idle lock ("" keeps the branch's),
# CONFIG is a configuration file ("" for the usual one).  The program's pid
# goes to pid.TTY and its exit status (128+N for a signal) to status.TTY;
# the terminal stays open after it, so that its state can be seen (and tmux
# 3.3 does not always reap a dead pane).
cat >"$dir/run-tabien" <<EOF
#!/usr/bin/env bash
tty="\$1"
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=$TZ
unset LANGUAGE LC_MESSAGES TABIEN_CONFIG TABIEN_IDLE_SECONDS
export HOME=$(printf '%q' "$HOME") XDG_CONFIG_HOME=$(printf '%q' "$XDG_CONFIG_HOME")
export XDG_STATE_HOME=$(printf '%q' "$XDG_STATE_HOME")
export TABIEN_THEMES=$(printf '%q' "$S/themes") TABIEN_LOCALEDIR=$(printf '%q' "$B/po")
export PCSCLITE_CSOCK_NAME=$(printf '%q' "$sock")
export TABIEN_DB=$(printf '%q' "$TABIEN_DB") TABIEN_PWHASH=fast TABIEN_TERMINAL="\$2"
[ -n "\$3" ] && export TABIEN_IDLE_SECONDS="\$3"
[ -n "\$4" ] && export TABIEN_CONFIG="\$4"
sh -c 'echo \$\$ >"\$1"; exec "\$2"' sh $(printf '%q' "$dir")/pid.\$tty $(printf '%q' "$TABIEN")
echo \$? >$(printf '%q' "$dir")/status.\$tty
exec sleep infinity
EOF
chmod +x "$dir/run-tabien"

# start TTY TERMINAL [IDLE] [CONFIG]: a new 80x24 terminal running tabien.
start() {
	tm kill-session -t "$1" 2>/dev/null
	rm -f "$dir/status.$1" "$dir/pid.$1"
	tm new-session -d -s "$1" -x 80 -y 24 "$dir/run-tabien" "$1" "$2" "${3:-}" "${4:-}"
}
dead() { [ -s "$dir/status.$1" ]; }
wait_dead() { wait_cmd dead "$1"; }
# The terminal is back to its normal state: not on the alternate screen,
# the cursor shown.
restored() {
	[ "$(tm display-message -p -t "$1" '#{alternate_on}#{cursor_flag}')" = 01 ]
}
# quit TTY: F10 quits from every pane and form.
quit() { alive "$1" && keys "$1" F10; wait_dead "$1"; }

# The masked password field: one bullet per character typed.
bullets() { grep -o "•" "$dir/screen.$1" 2>/dev/null | wc -l; }
# bullets_are TTY OP N: the number of bullets is OP N (captured anew).
bullets_are() { capture "$1"; [ "$(bullets "$1")" "$2" "$3" ]; }
# wait_bullets TTY OP N: polls until it is.
wait_bullets() { wait_cmd bullets_are "$@"; }
# type_secret TTY TEXT: types into a password field and waits until all
# of it has arrived (the screen shows its bullets).
type_secret() {
	local want
	capture "$1"
	want=$(($(bullets "$1") + ${#2}))
	keys "$1" -l "$2"
	wait_bullets "$1" -ge "$want"
}
# submit_secret TTY: Enter on a password field; waits until the form
# took it (the bullets are wiped).
submit_secret() {
	keys "$1" Enter
	wait_bullets "$1" = 0
}
# login TTY USER PASSWORD: on a fresh sign-in form.
login() {
	wait_text "$1" "สาขา 1 (BR-01)" || return 1
	keys "$1" -l "$2" && keys "$1" Enter && keys "$1" -l "$3" && keys "$1" Enter
}
# Esc leaves the registration form for a fresh sign-in form (and does
# nothing on a sign-in form).
back_to_sign_in() {
	keys "$1" Escape
	wait_text "$1" "Enter: next / log in"
}
# fresh_sign_in TTY: an empty sign-in form, whatever the login pane
# showed (F3 and Esc go through the registration form, which wipes it).
fresh_sign_in() {
	back_to_sign_in "$1" && keys "$1" F3 && wait_text "$1" "Register a new account" &&
		back_to_sign_in "$1"
}
# The status bar (the last line) of the last capture.
status_bar() { line "$1" 24; }

# ensure_started TTY TERMINAL...: starts the program again when a case
# before left it ended.
ensure_started() { alive "$1" || { note "$1: the program started again"; start "$@"; }; }
# ensure_admin: the admin logged in on the terminal counter-2, on Users.
# "22 Nov 2569 BE 00:05": a stored time as the panes show it.
STAMP_RE="[0-9]{1,2} [A-Z][a-z]{2} 25[0-9]{2} BE [0-9]{2}:[0-9]{2}"
# local_stamp TIME: a stored UTC time as they should show it here.
local_stamp() { echo "$(date -d "$1" +%-d\ %b) $(( $(date -d "$1" +%Y) + 543 )) BE $(date -d "$1" +%H:%M)"; }
ensure_admin() {
	alive adm || {
		note "adm: the program started again"
		start adm counter-2
		login adm "$ADMIN" "$ADMIN_PW" && wait_text adm "$ADMIN*"
	}
	keys adm F3
	wait_text adm "Accounts — waiting for approval first"
}

# --- accounts from the command line ------------------------------------------------

ADMIN=admin1 ADMIN_PW=admin-password-1 ADMIN_NAME="สมชาย ใจดี"
OFFICER=staff1 PW=counter-password-1 OFFICER_NAME="มาลัย ใจงาม"
LOCKME=staff5 LOCKME_PW=staff5-password-1
OFFICER_CID=$(cid_of 310050012345)
BAD_CID=${OFFICER_CID:0:12}$(((${OFFICER_CID:12:1} + 1) % 10))
users() { "$TABIEN" admin users 2>&1; }
# user_status USER: pending, active, suspended, rejected, or nothing.
user_status() {
	users | awk -v u="$1" '$1 == u { for (i = 2; i <= NF; i++) if ($i ~ /^(pending|active|suspended|rejected)$/) { print $i; exit } }'
}
as_admin() { printf '%s\n' "$ADMIN_PW" | "$TABIEN" admin "$@" --as "$ADMIN" --batch >>"$dir/cli.log" 2>&1; }
audit_csv() { printf '%s\n' "$ADMIN_PW" | "$TABIEN" audit export --as "$ADMIN" --batch 2>>"$dir/cli.log"; }
# ensure_active USER: re-establishes an active account after a case that
# failed to leave it so.
ensure_active() {
	case "$(user_status "$1")" in
	active) return 0 ;;
	pending) as_admin approve "$1" ;;
	suspended) as_admin reinstate "$1" ;;
	esac
	note "$1 made active again from the command line"
}

# --- pcscd and the card --------------------------------------------------------------

# Each card inserted logs its commands to vcard.log.N (N counts the
# insertions); `pull --wait` waits until pcscd has seen the reader empty.
VCARD_LOGS=1
MALEE_CID=$(value malee cid)
SOMCHAI_CID=$(value somchai cid)
IFS='#' read -r _ somchai_first _ somchai_last <<<"$(value somchai name_th)"

echo "1..43"

# === 1. a terminal nobody set up =========================================================
SESSION=nodb
start nodb counter-1
# The message is plain text, wrapped by the terminal: the capture joins
# wrapped lines and includes the history.
no_database() {
	wait_dead nodb || return 1
	tm capture-pane -p -J -S - -t nodb >"$dir/screen.nodb"
	[ "$(exit_status nodb)" != 0 ] || { note "exit status: $(exit_status nodb)"; return 1; }
	grep -qF "has not been set up on this terminal" "$dir/screen.nodb" &&
		grep -qF "ยังไม่ได้ตั้งค่าโปรแกรม tabien บนเครื่องนี้" "$dir/screen.nodb" &&
		grep -qF "runs 'tabien admin init'" "$dir/screen.nodb" &&
		grep -qF "สั่ง 'tabien admin init'" "$dir/screen.nodb" &&
		! grep -qF " ทะเบียน " "$dir/screen.nodb" || return 1
	restored nodb || { note "terminal not restored: $(tm display-message -p -t nodb '#{alternate_on}#{cursor_flag}')"; return 1; }
	[ ! -e "$TABIEN_DB" ] || { note "a database file was created"; return 1; }
}
check "no database: plain tabien says to run 'tabien admin init' (English and Thai), exits non-zero, the terminal restored" \
	no_database

# The admin sets the terminal up; two purposes for lookups.  A second staff
# account, approved from the command line, is the one the lock-out locks.
set_up() {
	printf '%s\n' "กรมทดสอบ" "BR-01" "สาขา 1" "$ADMIN" "$ADMIN_NAME" "$(cid_of 110170020345)" \
		"หัวหน้างาน" "$ADMIN_PW" "$ADMIN_PW" | "$TABIEN" admin init --batch &&
		as_admin settings --purpose "ตรวจสอบ" --purpose "ยืนยันตัวตน" &&
		printf '%s\n' "$LOCKME" "ทดสอบ ล็อกเอาต์" "$(cid_of 310050054321)" "เจ้าหน้าที่" \
			"$LOCKME_PW" "$LOCKME_PW" | "$TABIEN" admin register --batch &&
		as_admin approve "$LOCKME"
}
set_up >"$dir/setup.log" 2>&1 ||
	{ echo "Bail out! tabien admin init failed"; sed 's/^/# /' "$dir/setup.log" "$dir/cli.log"; exit 1; }
start_pcscd || { echo "Bail out! pcscd did not start"; sed 's/^/# /' "$dir/pcscd.log"; exit 1; }

# === 2. the login screen ====================================================================
SESSION=t1
start t1 counter-1
check "after admin init: the login screen shows the agency, the branch and 'Log in'" \
	eval 'wait_text t1 "กรมทดสอบ — สาขา 1 (BR-01)" "Log in" "User name" "Password" &&
		! grep -qF "F2 Card" "$dir/screen.t1" && alive t1'

# === 3. registration in the program ============================================================
# register TTY USER FULLNAME CID POSITION PASSWORD PASSWORD-AGAIN: F3,
# then every field, Tab between them, Enter on the last.
register() {
	local s=$1
	back_to_sign_in "$s"
	keys "$s" F3
	wait_text "$s" "Register a new account" "Password again" || return 1
	keys "$s" -l "$2"; keys "$s" Tab
	keys "$s" -l "$3"; keys "$s" Tab
	keys "$s" -l "$4"; keys "$s" Tab
	keys "$s" -l "$5"; keys "$s" Tab
	keys "$s" -l "$6"; keys "$s" Tab
	keys "$s" -l "$7"; keys "$s" Enter
}
register t1 "$OFFICER" "$OFFICER_NAME" "$OFFICER_CID" "เจ้าหน้าที่ทะเบียน" "$PW" "$PW"
check "register: F3, the form, Enter on the last field: 'Registered', the account pending" \
	eval 'wait_text t1 "Registered. Your account waits for your agency'"'"'s admin to approve it." "Log in" &&
		[ "$(user_status "$OFFICER")" = pending ] && alive t1'
# The cases after this one need the account: made from the command line
# when the form failed.
[ -n "$(user_status "$OFFICER")" ] || {
	note "$OFFICER registered from the command line"
	printf '%s\n' "$OFFICER" "$OFFICER_NAME" "$OFFICER_CID" "เจ้าหน้าที่ทะเบียน" "$PW" "$PW" |
		"$TABIEN" admin register --batch >>"$dir/cli.log" 2>&1
}
register t1 staff2 "สมหญิง รักงาน" "$(cid_of 310050012346)" "เจ้าหน้าที่" "$PW" "another-password-2"
check "register: a different second password shows the mismatch and registers nothing" \
	eval 'wait_text t1 "The two passwords typed are not the same" "Register a new account" &&
		[ -z "$(user_status staff2)" ] && alive t1'
back_to_sign_in t1
register t1 staff3 "สมศรี มีสุข" "$BAD_CID" "เจ้าหน้าที่" "$PW" "$PW"
check "register: a citizen ID with a wrong check digit shows the invalid-field error and registers nothing" \
	eval 'wait_text t1 "A field is missing or not valid" "Register a new account" &&
		[ -z "$(user_status staff3)" ] && alive t1'
back_to_sign_in t1

# === 4. a pending account ===========================================================================
ensure_started t1 counter-1
fresh_sign_in t1
login t1 "$OFFICER" "$PW"
check "a pending account cannot log in: waiting for the agency's admin" \
	eval 'wait_text t1 "Your account is waiting for your agency'"'"'s admin to" &&
		! grep -qF "F2 Card" "$dir/screen.t1" && alive t1'

# === 5. the officer's own card fills the ID ======================================================
ensure_started t1 counter-1
fresh_sign_in t1
# A citizen's card left in the reader before the form opened is not read:
# the form says so, shows none of it, and the card answers no command.
insert somchai
wait_cmd reader_holds_card
keys t1 F3
check "register: a card already in the reader is not read, and the form says to insert your own" \
	eval 'wait_text t1 "Register a new account" "A card was already in the reader" &&
		! grep -qF -e "$SOMCHAI_CID" -e "taken from your card" -e "$somchai_last" "$dir/screen.t1" &&
		[ "$(grep -c -- "->" "$dir/vcard.log.$inserts")" = 0 ] && alive t1'
pull --wait
insert malee
check "register: the officer's card in the reader fills the empty citizen ID" \
	eval 'wait_text t1 "$MALEE_CID" "Citizen ID taken from your card." && alive t1'
back_to_sign_in t1
pull --wait
# With an ID typed, a card read meanwhile changes nothing: once the card
# has answered every command of the read, one more digit is typed, and the
# field shows what was typed.
keys t1 F3
wait_text t1 "Register a new account"
keys t1 Tab Tab
keys t1 -l 3100
wait_text t1 "3100"
insert malee
wait_cmd eval '[ "$(grep -c -- "->" "$dir/vcard.log.$inserts")" -ge 7 ]'
keys t1 -l 5
check "register: a typed citizen ID is never overwritten by the card" \
	eval 'wait_text t1 "31005" && capture t1 && ! grep -qF -e "$MALEE_CID" -e "taken from your card" "$dir/screen.t1" &&
		alive t1'
back_to_sign_in t1
pull --wait

# === 6. the admin approves ============================================================================
SESSION=adm
start adm counter-2
login adm "$ADMIN" "$ADMIN_PW"
wait_text adm "$ADMIN*"
keys adm F3
# The accounts start on the screen's 4th line; the selected one is marked ›.
check "admin: F3 opens Users, the pending account first with 'waiting for approval'" \
	eval 'wait_text adm "Accounts — waiting for approval first" &&
		line adm 4 | grep -qE "^ › $OFFICER +$OFFICER_NAME +waiting for approval" && alive adm'
registered_at=$(sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" "SELECT created FROM users WHERE username = '$OFFICER'")
check "admin: the selected account's registration in local time and the Buddhist era ($registered_at)" \
	eval 'wait_text adm "registered $(local_stamp "$registered_at")"'
keys adm a
wait_text adm "Approve the account of $OFFICER_NAME ($OFFICER)?" "Enter: yes · Esc: no"
keys adm Enter
check "admin: a asks about the user by name, Enter approves: 'active' on screen and in 'tabien admin users'" \
	eval 'wait_re adm "^ (›| ) $OFFICER +$OFFICER_NAME +active" && wait_text adm "Done: $OFFICER" &&
		[ "$(user_status "$OFFICER")" = active ] && alive adm'
ensure_active "$OFFICER"

# === 7. the officer logs in ==============================================================================
SESSION=t1
ensure_started t1 counter-1
fresh_sign_in t1
login t1 "$OFFICER" "$PW"
check "officer: logged in, the status bar names the officer and the branch" \
	eval 'wait_text t1 "Insert the citizen'"'"'s ID card" "F2 Card" &&
		status_bar t1 | grep -qE "^ $OFFICER │ สาขา 1 │ ตรวจสอบ │ ○ empty" && alive t1'
# Keys are handled in order: once the help (opened after them) is up, F3
# and F4 have been handled.  F3 is refused (a box the next key, F4, closes;
# the status bar says so), so the screen but its last line stays as it was.
cp "$dir/screen.t1" "$dir/before"
keys t1 F3 F4 F1
wait_text t1 "Keys — press Esc or F1 to close"
cp "$dir/screen.t1" "$dir/help1"
keys t1 G
wait_text t1 "Redraw the screen"
cp "$dir/screen.t1" "$dir/help2"
keys t1 Escape
wait_gone t1 "Keys — press Esc"
admin_help="Users:|Audit:|approve|suspend|reinstate|admin rights|F3 |F4 "
# Closing the help can be captured half redrawn: poll for the screen as it
# was (had F3 or F4 done something, it never gets there).
# (No process substitution: a minimal root may have no /dev/fd.)
head -n 23 "$dir/before" >"$dir/before.top"
same_as_before() { capture t1 && head -n 23 "$dir/screen.t1" | cmp -s "$dir/before.top" -; }
SHOW="$dir/before $dir/help1 $dir/help2" check "officer: F3 and F4 open nothing (refused, said in the status bar), the tab line has no admin panes and the help lists no admin keys" \
	eval 'wait_cmd same_as_before && ! line t1 1 | grep -qE "Users|Audit" && status_bar t1 | grep -q "No right to users" &&
		! grep -qE "$admin_help" "$dir/help1" "$dir/help2" && alive t1'

# === 8. a card read is audited with its purpose ============================================================
# The status bar names the session's purpose while no citizen is on screen,
# and the citizen's own once one is (not chosen yet: "purpose?").
keys t1 p
wait_text t1 "Purpose: ยืนยันตัวตน"
status_bar t1 | grep -qF "│ ยืนยันตัวตน │ ○ empty" || note "status bar: $(status_bar t1)"
insert somchai
check "card read: the purpose chosen with p in the status bar, then the citizen's, the card's formatted ID shown" \
	eval 'grep -qF "│ ยืนยันตัวตน │ ○ empty" "$dir/screen.t1" &&
		wait_text t1 "$(fmt "$SOMCHAI_CID")" "$somchai_first" "Card read" &&
		status_bar t1 | grep -qF "│ purpose? │ ● card" && alive t1'
audit_csv >"$dir/audit.csv"
SHOW="$dir/audit.csv" check "card read: 'tabien audit export' has a card.read row with the officer, the card's ID and the purpose" \
	eval 'grep -qE "^[0-9]+,[^,]+,counter-1,BR-01,$OFFICER,card.read,,$SOMCHAI_CID,ยืนยันตัวตน,OK," "$dir/audit.csv" &&
		alive t1'

# === 9. the idle lock ======================================================================================
# A terminal of its own with a 4 s lock (IDLE_LOCK_S); the card is still in
# the reader, so it is read at login.  With 2 s, on two busy cores the lock
# came back between the unlock's checks and the next key.
IDLE_LOCK_S=4
SESSION=idle
start idle counter-3 $IDLE_LOCK_S
login idle "$OFFICER" "$PW"
wait_text idle "$(fmt "$SOMCHAI_CID")"
cp "$dir/screen.idle" "$dir/shown"
locked_and_wiped() {
	grep -qF "$somchai_first" "$dir/shown" || { note "the card was not shown before the lock"; return 1; }
	wait_text idle "The screen is locked" || return 1
	! grep -qF -e "$(fmt "$SOMCHAI_CID")" -e "$SOMCHAI_CID" -e "$somchai_first" -e "$somchai_last" \
		"$dir/screen.idle" || { note "the card's data is still on the screen"; return 1; }
	# Only the branch, then the message: no user, no reader.
	status_bar idle | grep -qE "^ สาขา 1 │ Locked after a while without use" &&
		! status_bar idle | grep -qE "●|○|$OFFICER|no reader|pcscd"
}
SHOW="$dir/shown" check "idle lock: the card was shown, then 'The screen is locked', its ID and name gone, no reader in the status bar" \
	eval 'locked_and_wiped && alive idle'
# stays_gone TTY MS TEXT...: no TEXT shows up on the screen for MS
# milliseconds (how long a read takes, several times over).  A key that does
# nothing, each time the screen is looked at, keeps the idle lock (2 s here)
# away however slowly the loop turns on a busy machine.
stays_gone() {
	local s=$1 end=$(($(now_ms) + $2)) t
	shift 2
	while [ "$(now_ms)" -lt "$end" ]; do
		keys "$s" z
		capture "$s"
		for t in "$@"; do
			grep -qF -- "$t" "$dir/screen.$s" && { note "'$t' came back"; return 1; }
		done
		sleep 0.05
	done
}
# The same user types the password (the name is filled in).  Once the
# status bar shows the card in the reader, keys that do nothing keep the
# lock away while the screen is watched, up to the F5.
type_secret idle "$PW" && keys idle Enter
unlocked_without_data() {
	wait_gone idle "The screen is locked" && wait_text idle "F2 Card" || return 1
	wait_line idle 24 "^ $OFFICER │ .*● card" || return 1
	keys idle z
	stays_gone idle 1000 "$(fmt "$SOMCHAI_CID")" "$somchai_first"
}
check "idle lock: the same password unlocks, the card pane is back, the card's data stays gone until read again" \
	eval 'unlocked_without_data && alive idle'
cp "$dir/screen.idle" "$dir/unlocked"
keys idle F5
SHOW="$dir/unlocked" check "idle lock: F5 reads the card still in the reader again" \
	eval 'wait_text idle "$(fmt "$SOMCHAI_CID")" "$somchai_first" && alive idle'

# === 10. another user at the locked screen ==================================================================
wait_text idle "The screen is locked"
# Up to the name (filled in with the locked user's), cleared, the admin's.
keys idle Up C-u
keys idle -l "$ADMIN"
keys idle Enter
type_secret idle "$ADMIN_PW" && keys idle Enter
ended_idle() {
	[ "$(sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" "SELECT s.end_reason FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE u.username = '$OFFICER' AND s.terminal = 'counter-3' ORDER BY s.id DESC LIMIT 1")" = idle ]
}
check "another user at the locked screen: the admin is logged in" \
	eval 'wait_line idle 24 "^ $ADMIN\\* │" && alive idle'
audit_csv >"$dir/audit.csv"
SHOW="$dir/audit.csv" check "another user at the locked screen: the officer's login ended (audit user.logout 'idle', its sessions row ended)" \
	eval 'grep -qE "^[0-9]+,[^,]+,counter-3,BR-01,$OFFICER,user.logout,,,,idle," "$dir/audit.csv" && ended_idle && alive idle'
quit idle

# === 11. suspension ===========================================================================================
SESSION=adm
ensure_admin
select_user adm "$OFFICER"
keys adm u
wait_text adm "Suspend the account of $OFFICER_NAME ($OFFICER)?"
keys adm Enter
check "suspend: u asks, Enter suspends: 'suspended' on screen and in 'tabien admin users'" \
	eval 'wait_re adm "^ (›| ) $OFFICER +$OFFICER_NAME +suspended" && wait_text adm "Done: $OFFICER" &&
		[ "$(user_status "$OFFICER")" = suspended ] && alive adm'
[ "$(user_status "$OFFICER")" = suspended ] || { note "$OFFICER suspended from the command line"; as_admin suspend "$OFFICER"; }
# In Thai: a terminal whose configuration file says language = th.
SESSION=th
start th counter-5 "" "$dir/config-th/tabien.conf"
login th "$OFFICER" "$PW"
check "suspended: the officer's login is refused, in Thai: 'ท่านไม่ได้รับสิทธิ์เข้าใช้งานระบบ'" \
	eval 'wait_text th "ท่านไม่ได้รับสิทธิ์เข้าใช้งานระบบ" "ติดต่อผู้ดูแลระบบของหน่วยงาน" &&
		! grep -qF "F2 บัตร" "$dir/screen.th" && alive th'
quit th
# In English, on the terminal where the officer was logged in.
SESSION=t1
ensure_started t1 counter-1
keys t1 F12
login t1 "$OFFICER" "$PW"
check "suspended: in English, 'You are not authorised to use the system'" \
	eval 'wait_text t1 "You are not authorised to use the system" && ! grep -qF "F2 Card" "$dir/screen.t1" &&
		alive t1'
as_admin reinstate "$OFFICER"
ensure_active "$OFFICER"

# === 12. lock-out ==================================================================================================
ensure_started t1 counter-1
fresh_sign_in t1
login t1 "$LOCKME" wrong-password-0
wait_text t1 "Wrong username or password"
# One wrong password at a time: typed in full, then Enter, then the form
# has wiped it.
for i in 1 2 3 4; do
	type_secret t1 "wrong-password-$i" && submit_secret t1
done
locked_with_seconds() {
	wait_text t1 "locked" || return 1
	grep -A1 -F "locked" "$dir/screen.t1" | grep -qE "[0-9]+" ||
		{ note "no number of seconds on the screen"; return 1; }
}
check "lock-out: the fifth wrong password shows the 'locked' message with the seconds to wait" \
	eval 'locked_with_seconds && alive t1'
type_secret t1 "$LOCKME_PW" && submit_secret t1
last_result() {
	sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" \
		"SELECT action || ' ' || result FROM audit WHERE username = '$1' ORDER BY seq DESC LIMIT 1"
}
check "lock-out: the right password is refused while the lock lasts" \
	eval 'capture t1 && grep -qF "locked" "$dir/screen.t1" && ! grep -qF "F2 Card" "$dir/screen.t1" &&
		[ "$(last_result "$LOCKME")" = "user.login_failed AUTH-LOCKED" ] && alive t1'
quit t1

# === 13. the last admin ===========================================================================================
SESSION=adm
ensure_admin
wait_text adm "Accounts — waiting for approval first"
select_user adm "$ADMIN"
keys adm u
wait_text adm "Suspend the account of $ADMIN_NAME ($ADMIN)?"
keys adm Enter
check "last admin: suspending oneself is refused with the last-admin error, the account stays active" \
	eval 'wait_text adm "LAST-ADMIN" && grep -qE "^ › $ADMIN +$ADMIN_NAME +active +agency admin +BR-01" "$dir/screen.adm" &&
		[ "$(user_status "$ADMIN")" = active ] && alive adm'

# === 14. a hang-up, then the login resumed ===========================================================================
# The reader is empty, so that no card read follows the login.
pull --wait
SESSION=hup
start hup counter-4
login hup "$OFFICER" "$PW"
wait_text hup "F2 Card"
keys hup F9
wait_text hup "Card service"
kill -HUP "$(cat "$dir/pid.hup")"
hup_login() {
	sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" "SELECT s.ended || '|' || s.state FROM sessions s
		JOIN users u ON u.id = s.user_id WHERE u.username = '$OFFICER' AND s.terminal = 'counter-4'
		ORDER BY s.id DESC LIMIT 1"
}
hung_up() {
	wait_dead hup || return 1
	capture hup
	! grep -qF -e " ทะเบียน " -e "Card service" "$dir/screen.hup" || { note "the program's screen is still shown"; return 1; }
	restored hup || { note "alternate screen, cursor: $(tm display-message -p -t hup '#{alternate_on} #{cursor_flag}')"; return 1; }
	[ "$(hup_login)" = "|pane=diagnostics" ] || { note "the sessions row: $(hup_login)"; return 1; }
}
check "SIGHUP: the program ends, the terminal is restored, the login left open on Diagnostics" \
	eval 'hung_up || { note "exit status: $(exit_status hup)"; false; }'
note "exit status after SIGHUP: $(exit_status hup)"
SESSION=hup2
start hup2 counter-4
login hup2 "$OFFICER" "$PW"
check "SIGHUP: logging in again on the same terminal shows the Diagnostics pane" \
	eval 'wait_text hup2 "Card service" && wait_re hup2 "Virtual PCD 00 00 .*— empty" && line hup2 1 | grep -qF "F9 Diagnostics" &&
		alive hup2'
# Once the status bar shows the reader, every message of the login is in.
check "SIGHUP: logging in again on the same terminal says 'Welcome back'" \
	eval 'wait_line hup2 24 "^ $OFFICER │ .*○ empty" && grep -qF "Welcome back" "$dir/screen.hup2" && alive hup2'

# === 15. the audit pane =====================================================================================================
ensure_admin
# The officer reads a card: the admin's audit pane shows it among the
# newest rows.
# Both terminals logged in read it: the officer's and the admin's.
reads() { sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" "SELECT count(*) FROM audit WHERE action = 'card.read' AND username = '$1'"; }
before=$(reads "$OFFICER") before_admin=$(reads "$ADMIN")
insert somchai
wait_cmd eval '[ "$(reads "$OFFICER")" -gt "$before" ] && [ "$(reads "$ADMIN")" -gt "$before_admin" ]'
SESSION=adm
keys adm F4
newest_first() {
	local newest
	wait_text adm "Audit trail — newest first" || return 1
	newest=$(sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" "SELECT username || ' ' || action FROM audit ORDER BY seq DESC LIMIT 1")
	line adm 4 | grep -qE "^ › $STAMP_RE +${newest% *} +${newest#* }" ||
		{ note "the newest row in the database: $newest"; return 1; }
	grep -qE "^ (›| ) $STAMP_RE +$OFFICER +card.read +$SOMCHAI_CID +OK  ตรวจสอบ" "$dir/screen.adm"
}
check "audit pane: F4 shows the rows newest first, the officer's card read among them" \
	eval 'newest_first && alive adm'
# The card read's time as stored (UTC), in Thailand's time and the Buddhist era.
read_at=$(sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" \
	"SELECT time FROM audit WHERE action = 'card.read' AND username = '$OFFICER' ORDER BY seq DESC LIMIT 1")
check "audit pane: times in local time and the Buddhist era ($read_at shown as $(local_stamp "$read_at"))" \
	eval 'grep -qE "^ (›| ) $(local_stamp "$read_at") +$OFFICER +card.read +$SOMCHAI_CID" "$dir/screen.adm"'
keys adm /
wait_text adm "Enter: apply the filter"
keys adm -l "$OFFICER"
keys adm Enter Enter Enter Enter
only_officer() {
	wait_text adm "Filter: user $OFFICER (/: change)" &&
		! grep -E "^ (›| ) $STAMP_RE " "$dir/screen.adm" | grep -vqE "^ (›| ) $STAMP_RE +$OFFICER "
}
check "audit pane: the filter in force is shown above the rows, which are all the officer's" \
	eval 'wait_cmd eval "capture adm; only_officer"'
keys adm /
wait_text adm "Enter: apply the filter"
keys adm Up Up Up C-u Enter Enter Enter Enter
check "audit pane: the filter cleared, its line is gone" \
	eval 'wait_gone adm "Filter:" && wait_text adm "Audit trail — newest first"'
keys adm V
check "audit pane: V says the chain is intact" \
	eval 'wait_text adm "The chain is intact" && alive adm'
sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" "UPDATE audit SET subject = 'x' WHERE seq = 2"
keys adm V
check "audit pane: after a row was changed with sqlite3, V says the chain is broken at row 2" \
	eval 'wait_text adm "The chain is broken at row 2" && alive adm'
keys adm E
csv=
exported() {
	wait_text adm "rows exported to" || return 1
	csv=$(ls "$XDG_STATE_HOME/tabien/"audit-*.csv 2>/dev/null | head -1)
	[ -f "$csv" ] &&
		[ "$(stat -c %a "$csv")" = 600 ] || { note "file: $csv $(stat -c %a "$csv" 2>&1)"; return 1; }
	head -n 1 "$csv" | grep -q "^seq,time,terminal,branch,username,action" &&
		grep -q ",$OFFICER,card.read,,$SOMCHAI_CID," "$csv"
}
check "audit pane: E writes a CSV under \$XDG_STATE_HOME/tabien, mode 600" \
	eval 'exported && alive adm'

# === 16. the officer's own settings ===========================================================================================
SESSION=hup2
alive hup2 || { note "officer's terminal restarted"; start hup2 counter-4; login hup2 "$OFFICER" "$PW"; }
keys hup2 F11
wait_text hup2 "Your settings" "Language (th, en, or empty)"
keys hup2 Tab
keys hup2 -l th
keys hup2 Tab Enter
check "settings: Language th, Enter on the last field: 'บันทึกการตั้งค่าแล้ว', the screen in Thai" \
	eval 'wait_text hup2 "บันทึกการตั้งค่าแล้ว" "F2 บัตร" && alive hup2'
keys hup2 F12
login hup2 "$OFFICER" "$PW"
wait_text hup2 "F2 บัตร"
SESSION=th2
start th2 counter-6
login th2 "$OFFICER" "$PW"
check "settings: after logging out and in again, and in a new program, the screen is Thai after login" \
	eval 'wait_text th2 "F2 บัตร" && capture hup2 && grep -qF "F2 บัตร" "$dir/screen.hup2" && alive th2 && alive hup2'

# === 17. the next user starts from the terminal's language ==========================================
# th2 is in Thai because of its officer's setting; after F12 the login form
# and an admin without a language setting are back in the terminal's own
# (English here).
keys th2 F12
check "logout: the login form and the next user (no language set) are in the terminal's language" \
	eval 'wait_text th2 "Log in" "User name" && login th2 "$ADMIN" "$ADMIN_PW" && wait_text th2 "F2 Card" &&
		! grep -qF "F2 บัตร" "$dir/screen.th2" && alive th2'

# === 18. suspended while logged in ===================================================================
# A fresh officer (no settings of its own) and an empty reader.
NEW=staff7 NEW_PW=staff7-password-1
printf '%s\n' "$NEW" "ทดสอบ เจ็ด" "$(cid_of 310050077777)" "เจ้าหน้าที่" "$NEW_PW" "$NEW_PW" |
	"$TABIEN" admin register --batch >>"$dir/cli.log" 2>&1
as_admin approve "$NEW"
pull --wait
SESSION=sus
start sus counter-7
login sus "$NEW" "$NEW_PW"
wait_text sus "F2 Card" "Insert the citizen"
as_admin suspend "$NEW"
insert malee
check "suspended while logged in: the next card read logs the officer out; the card's data never shows" \
	eval 'wait_text sus "You are not authorised" "User name" && ! grep -qF "$MALEE_CID" "$dir/screen.sus" &&
		! grep -qF "${MALEE_CID:0:1}-${MALEE_CID:1:4}" "$dir/screen.sus" &&
		! audit_csv | grep -qE ",$NEW,card\.read,,$MALEE_CID," && alive sus'
pull --wait
as_admin reinstate "$NEW"
quit sus

# === 19. a hang-up while the screen is locked ========================================================
SESSION=hl
start hl counter-8 $IDLE_LOCK_S
login hl "$NEW" "$NEW_PW"
wait_text hl "F2 Card"
keys hl F9
wait_text hl "The screen is locked"
kill -HUP "$(cat "$dir/pid.hl")"
wait_dead hl
start hl counter-8
login hl "$NEW" "$NEW_PW"
check "hang-up while locked: the next login resumes the pane under the lock (Diagnostics), not a login form" \
	eval 'wait_text hl "Welcome back" "Card service" "F9 Diagnostics" && alive hl'
quit hl

# Under tools/check the program runs with the sanitizers: a report goes to
# its terminal when it ends, and each terminal stays open after it.
for s in adm hup2 th2; do quit "$s"; done
for s in $(tm list-sessions -F "#{session_name}"); do
	tm capture-pane -p -J -S - -t "$s" | sed "s/^/$s: /"
done >"$dir/terminals"
all_ended() {
	local s
	for s in $(tm list-sessions -F "#{session_name}"); do
		dead "$s" || { note "$s: the program is still running"; return 1; }
	done
}
SESSION= SHOW="$dir/terminals" check "every program ended, with no sanitizer report in any terminal" \
	eval 'all_ended && ! grep -qE "Sanitizer|runtime error" "$dir/terminals"'
[ "$failed" = 0 ]
