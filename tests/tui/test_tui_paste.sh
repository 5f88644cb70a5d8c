#!/usr/bin/env bash
# Pasted text is text.  The real `tabien` in a private tmux server (which
# sends a paste between the terminal's paste marks once the program asks for
# them, and as plain keys with paste-buffer without -p, as a terminal without
# the mode does), the gateway simulator for the lookups, no card reader.
# The program runs under script(1), so that what it wrote to the terminal
# (the paste mode asked for and given back) can be read afterwards.  A paste
# outside a field is dropped, never read as keys; an ID pasted into the
# person pane's field and the companies field fills them; in the users pane a
# pasted "a" and newline approves nobody, with or without the paste marks;
# the same keys typed one by one still work; quitting with an ID typed asks
# first; ^Z and the exit give the mode back.  Every step polls the screen
# with a deadline.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
tui_begin paste 50 sqlite3 script

export TABIEN_PWHASH=fast TABIEN_DB="$dir/data/tabien.db" TABIEN_TERMINAL=counter-cli
export HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state"
# No pcscd is needed: a private socket nobody serves keeps the machine's away.
export PCSCLITE_CSOCK_NAME="$dir/no-pcscd.comm"
mkdir -p "$HOME" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME/tabien"

# --- the program in tmux, under script(1) ----------------------------------------------------

# The program as a job of its own (set -m), so that ^Z stops it as a shell
# would: the shell says so in stopped.TTY, then waits until the test writes
# to cont.TTY (a pipe), and brings it back with fg.
cat >"$dir/inner" <<EOF
#!/usr/bin/env bash
set -m
d=$(printf '%q' "$dir")
$(printf '%q' "$TABIEN")
st=\$?
while [ -n "\$(jobs -s)" ]; do
	echo stopped >"\$d/stopped.\$1"
	read -r _ <"\$d/cont.\$1"
	rm -f "\$d/stopped.\$1"
	fg >/dev/null
	st=\$?
done
exit \$st
EOF
cat >"$dir/run-tabien" <<EOF
#!/usr/bin/env bash
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES TABIEN_IDLE_SECONDS TABIEN_CONFIG
export HOME=$(printf '%q' "$HOME") XDG_CONFIG_HOME=$(printf '%q' "$XDG_CONFIG_HOME")
export XDG_STATE_HOME=$(printf '%q' "$XDG_STATE_HOME")
export TABIEN_THEMES=$(printf '%q' "$S/themes") TABIEN_LOCALEDIR=$(printf '%q' "$B/po")
export PCSCLITE_CSOCK_NAME=$(printf '%q' "$PCSCLITE_CSOCK_NAME")
export TABIEN_DB=$(printf '%q' "$TABIEN_DB") TABIEN_PWHASH=fast TABIEN_TERMINAL=counter-1
script -qfec "$(printf '%q' "$dir/inner") \$1" $(printf '%q' "$dir")/out.\$1
echo \$? >$(printf '%q' "$dir")/status.\$1
exec sleep infinity
EOF
chmod +x "$dir/inner" "$dir/run-tabien"

start() {
	tm kill-session -t "$1" 2>/dev/null
	rm -f "$dir/status.$1" "$dir/stopped.$1" "$dir/cont.$1" "$dir/out.$1"
	mkfifo "$dir/cont.$1"
	tm new-session -d -s "$1" -x 80 -y 24 "$dir/run-tabien" "$1"
}
login() {
	wait_text "$1" "Log in" || return 1
	keys "$1" -l "$2" && keys "$1" Enter && keys "$1" -l "$3" && keys "$1" Enter
}
# paste TTY TEXT: as a terminal pastes once the program asked for the marks.
paste() { tm set-buffer -b p -- "$2" && tm paste-buffer -p -b p -t "$1"; }
# paste_plain TTY TEXT: as a terminal without the mode pastes: plain keys,
# written at once.
paste_plain() { tm set-buffer -b p -- "$2" && tm paste-buffer -b p -t "$1"; }
# The last paste mode the program wrote to its terminal: h (on) or l (off).
mode() { grep -ao $'\e\\[?2004[hl]' "$dir/out.$1" 2>/dev/null | tail -1 | tail -c 2 | head -c 1; }
modes() { grep -ao $'\e\\[?2004[hl]' "$dir/out.$1" 2>/dev/null | wc -l; }
mode_is() { [ "$(mode "$1")" = "$2" ]; }
dead() { [ -s "$dir/status.$1" ]; }

users() { "$TABIEN" admin users 2>>"$dir/cli.log"; }
user_status() {
	users | awk -v u="$1" '$1 == u { for (i = 2; i <= NF; i++) if ($i ~ /^(pending|active|suspended|rejected)$/) { print $i; exit } }'
}
approvals() { sqlite3 "$TABIEN_DB" "SELECT count(*) FROM audit WHERE action = 'admin.approve' AND subject = '$1'"; }
lookups() { sqlite3 "$TABIEN_DB" "SELECT count(*) FROM audit WHERE action = 'linkage.query'"; }

# --- set-up --------------------------------------------------------------------------------

ADMIN=admin1 ADMIN_PW=admin-password-1
NEW1=staff1 NEW2=staff2 PW=counter-password-1
set_up() {
	printf '%s\n' "กรมทดสอบ" BR-01 "สาขา 1" "$ADMIN" "สมชาย ใจดี" "$(cid_of 110170020345)" "หัวหน้างาน" \
		"$ADMIN_PW" "$ADMIN_PW" | "$TABIEN" admin init --batch &&
		printf '%s\n' "$ADMIN_PW" | "$TABIEN" admin settings --purpose "ตรวจสอบสิทธิ" --auto-purpose "ตรวจสอบสิทธิ" --as "$ADMIN" --batch &&
		printf '%s\n' "$NEW1" "มาลัย ใจงาม" "$(cid_of 310050012345)" "เจ้าหน้าที่" "$PW" "$PW" |
		"$TABIEN" admin register --batch &&
		printf '%s\n' "$NEW2" "สมหญิง รักงาน" "$(cid_of 310050012346)" "เจ้าหน้าที่" "$PW" "$PW" |
		"$TABIEN" admin register --batch
}
set_up >"$dir/setup.log" 2>&1 ||
	{ echo "Bail out! tabien admin init failed"; sed 's/^/# /' "$dir/setup.log"; exit 1; }
sim_start || { echo "Bail out! the gateway simulator did not start"; sed 's/^/# /' "$dir/sim.out"; exit 1; }
{
	echo "gdx.url = http://127.0.0.1:$sim_port"
	echo "gdx.consumer_key = sim-key"
	echo "gdx.consumer_secret = sim-secret"
	echo "http.timeout_ms = 8000"
} >"$XDG_CONFIG_HOME/tabien/tabien.conf"
chmod 600 "$XDG_CONFIG_HOME/tabien/tabien.conf"
MALEE=$(value malee cid) SIAM=0105536012346

echo "1..17"

# === outside a field =======================================================================
SESSION=adm
start adm
check "start-up: the terminal is asked for bracketed paste (ESC [ ? 2004 h)" \
	eval 'wait_text adm "Log in" && wait_cmd mode_is adm h'
login adm "$ADMIN" "$ADMIN_PW"
wait_text adm "$ADMIN*"
paste adm "please q quit now"
check "a paste holding q outside a field: dropped with a message, the program still runs" \
	eval 'wait_text adm "Paste dropped" && alive adm && ! dead adm'

# === the users pane ===========================================================================
keys adm F3
wait_text adm "Accounts — waiting for approval first"
paste adm $'a\n'
check "users: a pasted a and newline asks nothing and approves nobody (pending, no audit row)" \
	eval 'wait_text adm "Paste dropped" && ! grep -qF "Approve the account" "$dir/screen.adm" &&
		[ "$(user_status "$NEW1")" = pending ] && [ "$(approvals "$NEW1")" = 0 ]'
keys adm Escape
paste_plain adm $'a\r'
check "users, a terminal without paste marks: a and Enter in one read ask, but do not answer" \
	eval 'wait_text adm "Approve the account of" "is no answer: press Enter again" &&
		[ "$(user_status "$NEW1")" = pending ] && [ "$(approvals "$NEW1")" = 0 ]'
keys adm Escape
wait_gone adm "Approve the account of"
keys adm a
wait_text adm "Approve the account of" "Enter: yes · Esc: no"
keys adm Enter
check "users: the same keys typed one by one approve, with one audit row" \
	eval 'wait_text adm "Done: " && [ "$(user_status "$NEW1")" = active ] &&
		[ "$(approvals "$NEW1")" = 1 ] && [ "$(user_status "$NEW2")" = pending ]'

# === the person pane's field ================================================================
keys adm i
wait_text adm "the registry record shows here"
keys adm 1
wait_text adm "Citizen ID"
keys adm BSpace
paste adm "$(fmt "$MALEE")"$'\n'
check "person: an ID pasted as people write it fills the field as its digits, nothing looked up yet" \
	eval 'wait_text adm "$MALEE" && [ "$(lookups)" = 0 ]'
keys adm F10
check "quit with an ID typed: it asks first, with what would be lost" \
	eval 'wait_text adm "A citizen ID is typed but not looked up." "Quit anyway?" "Enter: quit · Esc: stay"'
keys adm Escape
check "Esc: the program stays, the ID still in its field" \
	eval 'wait_gone adm "Quit anyway?" && wait_text adm "$MALEE" && alive adm'
keys adm Enter
check "Enter: the pasted ID is looked up" \
	eval 'wait_text adm "Miss Malee Chuenchoosuwan" && alive adm'

# === the companies field =======================================================================
keys adm b
wait_text adm "Juristic ID"
paste adm "  $(fmt "$SIAM")  "
check "companies: an ID pasted with dashes and spaces fills the field" \
	eval 'wait_text adm "0-1055-36012-34-6" && wait_text adm "$SIAM"'
keys adm Enter
check "companies: Enter looks the pasted ID up" wait_text adm "บริษัท สยามตัวอย่างการค้า จำกัด"

# === Thai, and lines, in a form ================================================================
SESSION=t2
start t2
wait_text t2 "Log in"
paste t2 "ทดสอบภาษาไทย"
check "login form: Thai pasted into the user name field, as typed" \
	eval 'wait_text t2 "ทดสอบภาษาไทย" && alive t2'
keys t2 C-u
paste t2 $'staff9\nsecret-password\n'
check "a paste of two lines: the first goes into the field, the rest is dropped and said so, nothing submitted" \
	eval 'wait_text t2 "staff9" "first line went into the field" && ! grep -qF "•" "$dir/screen.t2" && alive t2'

# === the help, ^Z, the exit ====================================================================
SESSION=adm
keys adm F1
check "help: says how pasting behaves" \
	eval 'wait_text adm "Pasted text goes into the field being typed in" && keys adm Escape && wait_gone adm "Keys — press"'
before=$(modes adm)
keys adm C-z
check "^Z: the program stops as a job, the paste mode given back first" \
	eval 'wait_cmd test -e "$dir/stopped.adm" && mode_is adm l && [ "$(modes adm)" = $((before + 1)) ]'
timeout 20 sh -c 'echo >"$1"' sh "$dir/cont.adm"
keys adm F2
check "back in the foreground: the mode again, the screen drawn again, a paste still dropped" \
	eval 'wait_cmd mode_is adm h && wait_text adm "F1 Help" && paste adm "q" && wait_text adm "Paste dropped" && alive adm'
keys adm q
check "q typed quits: status 0, the paste mode given back" \
	eval 'wait_cmd dead adm && [ "$(cat "$dir/status.adm")" = 0 ] && mode_is adm l'

[ "$failed" = 0 ]
