#!/usr/bin/env bash
# The full-screen program on a shared PostgreSQL server (tests/lib/pg.sh
# starts a private one): two terminals (two HOMEs, two terminal names) on
# it.  An officer registers in the program at one, the admin approves in
# the users pane of the other, the officer logs in, reads the card (the
# private pcscd with the virtual card) and the person pane (the gateway
# simulator); `tabien audit verify` and psql agree on the rows.  Then the
# server is lost mid-session (`pg_ctl stop -m immediate`): a lookup whose
# audit rows cannot be written (nothing sent), the users pane and an
# approval are refused as PG-LOST in both languages with what to do next,
# nothing half-written, the card stays on screen and is read again; back,
# the next action works with no restart, also after a restart while both
# sat idle.  A company lookup typed in the companies pane, opened before
# the server was lost, is refused as PG-LOST with nothing sent to DBD, and
# works once the server is back.  Last, the server down when the program starts: the login
# screen says PG-DOWN and what still works, and logging in works once it
# is up, in the same program; its idle lock on a lost server locks, and
# unlocks once the server is back.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tools/lib.sh"
export LC_ALL=C.UTF-8
unset TMUX XDG_DATA_HOME PGPASSFILE TABIEN_IDLE_SECONDS
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is not installed"; exit 0; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-tui-pg.XXXXXX")
. "$S/tests/lib/tui.sh"
. "$S/tests/lib/pg.sh"
if ! pg_available; then
	rm -rf "$dir"
	echo "1..0 # SKIP the postgresql package is not installed"
	exit 0
fi
port=$(free_port)
sock="$dir/pcscd.comm"
cleanup() { pg_cleanup; tui_cleanup; }
trap cleanup EXIT
tui_init

pg_start || { cat "$dir"/pg/*.log; echo "Bail out! the private server did not start"; exit 1; }
pg_createdb tabien
TUI_DB=$(pg_conn tabien)
# admin1 and staff1 at BR-01, looking people up under the branch's mission.
tui_counter_branch
printf '%s\n' "$ADMIN_PASSWORD" | HOME="$dir/home" "$TABIEN" admin settings --as "$ADMIN" --batch \
	--purpose "$PURPOSE" --auto-purpose "$PURPOSE" >>"$dir/setup.log" 2>&1 ||
	{ echo "Bail out! admin settings failed"; sed 's/^/# /' "$dir/setup.log"; exit 1; }
# config, run-tabien, start, login, tui_sql, audit_rows.
tui_officer_terminal
NEW=staff2 NEW_NAME="ทองดี มีสุข" NEW_CID=$(cid_of 510050012345) NEW_PW=counter-password-2
# A second one waits, registered from the command line: approved during
# the outage, then after it.
LATE=staff3 LATE_NAME="สมหญิง รักดี"
printf '%s\n' "$LATE" "$LATE_NAME" "$(cid_of 610050012345)" "เจ้าหน้าที่" "$NEW_PW" "$NEW_PW" |
	HOME="$dir/home" "$TABIEN" admin register --batch >>"$dir/setup.log" 2>&1 ||
	{ echo "Bail out! admin register failed"; sed 's/^/# /' "$dir/setup.log"; exit 1; }
SOMCHAI=$(value somchai cid)
status_of() { tui_sql "SELECT status FROM users WHERE username = '$1'"; }
rows() { tui_sql "SELECT count(*) FROM audit WHERE $1"; }
rows_are() { [ "$(rows "$1")" = "$2" ]; }
rows_at_least() { [ "$(rows "$1")" -ge "$2" ]; }
verify() { HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" "$TABIEN" audit verify >"$dir/verify.out" 2>&1; }
# intact: verify agrees with the server's count, polled (a row the other
# terminal is still writing lands between the two readings).
counted() { verify && grep -q "intact: $(rows true) rows" "$dir/verify.out"; }
intact() { wait_cmd counted; }
REGISTERED="action = 'user.register' AND subject = '$NEW' AND terminal = 'tui-off'"
LOGGED_IN="action = 'user.login' AND username = '$NEW' AND terminal = 'tui-off'"
CARD_READ="action = 'card.read' AND subject = '$SOMCHAI' AND terminal = 'tui-off'"
LOOKED_UP="action = 'linkage.query' AND subject = '$SOMCHAI' AND terminal = 'tui-off' AND result = 'OK'"
LOST_TH="การเชื่อมต่อกับเครื่องแม่ข่ายฐานข้อมูลขาดหาย"
# lost_box SESSION: the box of an action refused on a lost server, in both
# languages, with what to do.
lost_box() {
	wait_text "$1" "PG-LOST" "The connection to the database server was lost" "$LOST_TH" \
		"Try again once" "Any key: close"
}

sim_start || { echo "Bail out! the gateway simulator did not start"; exit 1; }
start_pcscd || { echo "Bail out! pcscd did not start"; sed 's/^/# /' "$dir/pcscd.log"; exit 1; }
# Two terminals: adm (the admin's) and off (the new officer's).
config "$sim_port" adm
config "$sim_port" off
# tui-off seals its chain with a key of its own (in its HOME).
HOME="$dir/home-off" TABIEN_TERMINAL=tui-off "$TABIEN" audit seal-init >"$dir/seal.out" 2>&1
KEY=$(grep -o 'tbseal1-[0-9a-f]*' "$dir/seal.out" | head -n 1)

# --- one registers, the other approves --------------------------------------------------------
SESSION=off
start off
wait_text off "User name" "Password"
keys off F3
wait_text off "Register a new account" "Password again"
keys off -l "$NEW"; keys off Tab
keys off -l "$NEW_NAME"; keys off Tab
keys off -l "$NEW_CID"; keys off Tab
keys off -l "เจ้าหน้าที่"; keys off Tab
keys off -l "$NEW_PW"; keys off Tab
keys off -l "$NEW_PW"; keys off Enter
check "terminal off: registered in the program, pending on the server (psql)" \
	eval 'wait_text off "Registered. Your account waits" && [ "$(status_of $NEW)" = pending ]'
check "... the registration on record from tui-off" rows_are "$REGISTERED" 1

SESSION=adm
start adm
wait_text adm "User name" "Password"
keys adm -l "$ADMIN"; keys adm Enter
keys adm -l "$ADMIN_PASSWORD"; keys adm Enter
wait_text adm "$ADMIN*"
keys adm F3
# Oldest first: the one from the command line, then the one from the program.
wait_re adm "^ › $LATE +$LATE_NAME +waiting for approval"
keys adm Down
wait_re adm "^ › $NEW +$NEW_NAME +waiting for approval"
keys adm a
wait_text adm "Approve the account of $NEW_NAME ($NEW)?"
keys adm Enter
check "terminal adm: the admin approves $NEW in the users pane, active on the server" \
	eval 'wait_text adm "Done: $NEW" && [ "$(status_of $NEW)" = active ]'

SESSION=off
OFFICER=$NEW PASSWORD=$NEW_PW login off
check "terminal off: $NEW logs in, the login on record from tui-off" \
	eval 'wait_text off "Insert the citizen'"'"'s ID card" && rows_are "$LOGGED_IN" 1'

# --- the card and the registry -----------------------------------------------------------------
insert somchai
check "the card read and shown, its audit row on the server" \
	eval 'wait_text off "Mr. Somchai Jaidee" "Card read" && wait_cmd rows_are "$CARD_READ" 1'
keys off i
check "the person pane: the registry's record beside the card" \
	eval 'wait_text off "On the card" "In the registry" "Mr. Somchai Jaidee" && wait_cmd rows_at_least "$LOOKED_UP" 6'
lookups=$(rows "$LOOKED_UP")
check "the registry's lookups on record at tui-off ($lookups rows), each with the purpose" \
	rows_are "$LOOKED_UP AND purpose = '$PURPOSE'" "$lookups"
SHOW="$dir/verify.out" check "tabien audit verify against the server: intact, every row counted" intact

# --- the server lost mid-session -------------------------------------------------------------------
SESSION=adm
select_user adm "$LATE"
before=$(rows true)
pg_stop immediate
SESSION=off
asked=$(sim_count link)
keys off F5
check "a lookup on a lost server: refused as PG-LOST in both languages, with what to do next" \
	wait_text off "PG-LOST" "The connection to the database server was lost" "$LOST_TH" "Try again once"
check "... no registry data on screen, and nothing asked of the registry without its rows ($asked requests)" \
	eval '! grep -qF "Mr. Somchai Jaidee" "$dir/screen.off" && [ "$(sim_count link)" = "$asked" ]'
keys off F2
check "F2: the card pane opens, the session's check of the right refused in a box" lost_box off
keys off Escape
check "... a key closes it: the card pane still shows the card" \
	eval 'wait_gone off "Any key: close" && wait_text off "Mr. Somchai Jaidee" "$(fmt $SOMCHAI)"'
keys off F5
check "the card read again with no server: its audit row refused in the box" \
	eval 'wait_text off "Card read" && lost_box off'
keys off Escape
check "... and the card shown" eval 'wait_gone off "Any key: close" && wait_text off "Mr. Somchai Jaidee" && alive off'

SESSION=adm
keys adm a
wait_text adm "Approve the account of $LATE_NAME ($LATE)?"
keys adm Enter
check "an approval on a lost server: refused in the box" lost_box adm
keys adm Escape
wait_gone adm "Any key: close"
keys adm F2
lost_box adm
keys adm Escape
wait_gone adm "Any key: close"
keys adm F3
check "opening the users pane on a lost server: refused in the box" \
	eval 'lost_box adm && ! shows_all adm "Accounts — waiting for approval first"'
keys adm Escape
check "both programs still run, both still logged in" \
	eval 'wait_gone adm "Any key: close" && alive adm && alive off && shows_all adm "$ADMIN*" && shows_all off "$NEW"'

pg_ctl_start || { echo "Bail out! the server did not start again"; exit 1; }
check "back: nothing half-written: not one row more ($before), $LATE still pending" \
	eval 'rows_are true "$before" && [ "$(status_of $LATE)" = pending ]'
SHOW="$dir/verify.out" check "... and audit verify intact" intact

# --- back: the next action works, no restart ------------------------------------------------------
SESSION=adm
keys adm F3
check "the users pane opens, the server back" \
	wait_text adm "Accounts — waiting for approval first"
select_user adm "$LATE"
keys adm a
wait_text adm "Approve the account of $LATE_NAME ($LATE)?"
keys adm Enter
check "the approval again: done, $LATE active" eval 'wait_text adm "Done: $LATE" && [ "$(status_of $LATE)" = active ]'
SESSION=off
keys off i
keys off F5
check "the lookup asked again: the record shown, its rows written" \
	eval 'wait_text off "In the registry" "Mr. Somchai Jaidee" && wait_cmd rows_at_least "$LOOKED_UP" $((lookups * 2))'
SHOW="$dir/verify.out" check "audit verify intact after the outage" intact

# A restart while both programs sit idle: their connections look fine until
# used; the first statement (outside any transaction) finds that out before
# it is sent, not after.
pg_stop fast
pg_ctl_start || { echo "Bail out! the server did not start again"; exit 1; }
SESSION=adm
keys adm F2
check "a restart while idle: the next pane switch asks the server with no error" \
	eval 'wait_text adm "Reader 1 of 2" && ! shows_all adm "Any key: close"'
keys adm F3
check "... the users pane lists the accounts" \
	eval 'wait_re adm "^ (›| ) $LATE +$LATE_NAME +active" && ! shows_all adm "Any key: close"'

# --- a company lookup on a lost server ------------------------------------------------------------
# Its audit row could not be written: nothing goes to DBD (db_ping first).
SIAM=0105536012346
SESSION=off
keys off b
wait_text off "Companies — juristic persons (DBD)" "Juristic ID"
pg_stop immediate
asked=$(sim_count dbd_gdx)
keys off -l "$SIAM"
wait_text off "0-1055-36012-34-6"
keys off Enter
check "the companies pane on a lost server: the lookup refused as PG-LOST in the box, in both languages, with what to do" \
	lost_box off
check "... nothing sent to DBD ($asked requests), no certificate on screen" \
	eval '[ "$(sim_count dbd_gdx)" = "$asked" ] && ! shows_all off "SIAM SAMPLE TRADING"'
keys off Escape
check "... a key closes the box: the refusal stays in the pane, beside the ID" \
	eval 'wait_gone off "Any key: close" && wait_text off "0-1055-36012-34-6: The connection to the database server was lost"'
pg_ctl_start || { echo "Bail out! the server did not start again"; exit 1; }
keys off F5
check "the server back: F5 asks again, the certificate shown, one request to DBD, its row written" \
	eval 'wait_text off "SIAM SAMPLE TRADING COMPANY LIMITED" "0-1055-36012-34-6" &&
		[ "$(sim_count dbd_gdx)" = $((asked + 1)) ] &&
		wait_cmd rows_at_least "subject = '"'$SIAM'"' AND terminal = '"'tui-off'"' AND result = '"'OK'"'" 1'

# --- the server down when the program starts; the idle lock on a lost server ---------------------
keys off q
check "q quits, exit status 0" eval 'wait_cmd eval "! alive off" && [ "$(exit_status off)" = 0 ]'
tm kill-session -t off
rm -f "$dir/status.off"
# No card left in: the login's screen is the one asking for a card.
pull --wait
pg_stop
# This time with a short idle lock.
tm new-session -d -s off -x 80 -y 24 -e TABIEN_IDLE_SECONDS=4 "$dir/run-tabien" off
check "start-up with the server down: the login screen says PG-DOWN, in both languages, and what still works" \
	wait_text off "User name" "PG-DOWN" "The database server cannot be reached" \
		"ติดต่อเครื่องแม่ข่ายฐานข้อมูลไม่ได้" "tabien card read"
pg_ctl_start || { echo "Bail out! the server did not start again"; exit 1; }
OFFICER=$NEW PASSWORD=$NEW_PW login off
check "the server up: the officer logs in, the same program" eval 'alive off && rows_are "$LOGGED_IN" 2'
check "... at the terminal's branch, read once the server answered" eval 'wait_text off "สาขา 1"'
pg_stop immediate
check "the idle lock with the server lost: the screen locks all the same" \
	wait_text off "The screen is locked: log in again"
# The lock's own row is refused in the box (unless the lock came first).
if shows_all off "Any key: close"; then
	keys off Escape
	wait_gone off "Any key: close"
fi
keys off -l "$NEW_PW"; keys off Enter
check "unlocking on a lost server: refused as PG-LOST in both languages, still locked" \
	wait_text off "PG-LOST" "$LOST_TH" "The screen is locked: log in again"
pg_ctl_start || { echo "Bail out! the server did not start again"; exit 1; }
keys off -l "$NEW_PW"; keys off Enter
check "the server back: the same password unlocks, no restart" \
	eval 'wait_text off "Logged in" && wait_gone off "The screen is locked" && alive off'
keys off F10
check "F10 quits, exit status 0" eval 'wait_cmd eval "! alive off" && [ "$(exit_status off)" = 0 ]'
SHOW="$dir/verify.out" check "audit verify intact at the end" intact
HOME="$dir/home-off" "$TABIEN" audit verify --key "$KEY" >"$dir/verify.out" 2>&1
rc=$?
SHOW="$dir/verify.out" check "audit verify --key: tui-off's seals, made across the outages, check" \
	eval '[ "$rc" = 0 ] && [ -n "$KEY" ] && grep -qE "^seals: [1-9][0-9]* checked with key" "$dir/verify.out"'

echo "1..$n"
[ "$failed" = 0 ]
