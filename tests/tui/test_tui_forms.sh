#!/usr/bin/env bash
# Forms and keys as a new user meets them: the terminal's cursor in the
# field being typed in (login, registration, settings, the companies ID),
# letters typed into the companies ID field kept from the program's
# shortcuts, quitting with text typed asked first, F5 with an empty reader
# said, and the companies pane's lists (the history's Enter, Esc on an old
# error, the first PgDn).  The real `tabien` in a private tmux server, the
# private pcscd with an empty reader and the gateway simulator; every step
# waits for the screen with a deadline.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
tui_begin forms

export TABIEN_PWHASH=fast TABIEN_DB="$dir/data/tabien.db"
export HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state"
mkdir -p "$HOME" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"
OFFICER=officer1 PW=counter-password-1
SIAM=0105536012346 TECH=0105547123454 BADSUM=0105536012345
printf '%s\n' "กรมทดสอบ" BR-01 "สาขา 1" "$OFFICER" "สมชาย ใจดี" 1400100123451 "เจ้าหน้าที่" "$PW" "$PW" |
	"$TABIEN" admin init --batch >"$dir/setup.log" 2>&1 ||
	{ echo "Bail out! tabien admin init failed"; sed 's/^/# /' "$dir/setup.log"; exit 1; }
start_pcscd || { echo "Bail out! pcscd did not start"; sed 's/^/# /' "$dir/pcscd.log"; exit 1; }
sim_start || { echo "Bail out! the gateway simulator did not start"; sed 's/^/# /' "$dir/sim.out"; exit 1; }
{
	echo "gdx.url = http://127.0.0.1:$sim_port"
	echo "gdx.consumer_key = sim-key"
	echo "gdx.consumer_secret = sim-secret"
	echo "http.timeout_ms = 8000"
} >"$dir/gdx.conf"
chmod 600 "$dir/gdx.conf"

cat >"$dir/run-tabien" <<EOF
#!/usr/bin/env bash
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES TABIEN_IDLE_SECONDS
export HOME=$(printf '%q' "$HOME") XDG_CONFIG_HOME=$(printf '%q' "$XDG_CONFIG_HOME")
export XDG_STATE_HOME=$(printf '%q' "$XDG_STATE_HOME")
export TABIEN_THEMES=$(printf '%q' "$S/themes") TABIEN_LOCALEDIR=$(printf '%q' "$B/po")
export PCSCLITE_CSOCK_NAME=$(printf '%q' "$sock")
export TABIEN_DB=$(printf '%q' "$TABIEN_DB") TABIEN_PWHASH=fast TABIEN_TERMINAL="\$1"
export TABIEN_CONFIG=$(printf '%q' "$dir/gdx.conf")
$(printf '%q' "$TABIEN")
echo \$? >$(printf '%q' "$dir")/status.\$1
EOF
chmod +x "$dir/run-tabien"
tm new-session -d -s f -x 80 -y 24 "$dir/run-tabien" f
SESSION=f
type_id() { keys f -l "$1" && wait_text f "$1"; }
# The certificate's marker line: the screen line (1-based) starting with ›.
marker_line() { grep -n '^›' "$dir/screen.f" | head -1 | cut -d: -f1; }

echo "1..20"

# --- the cursor, and quitting with text typed ------------------------------------------------
wait_text f "Log in" "User name" "Password"
check "log in: the terminal's cursor is in the user name field, not the last field drawn" \
	wait_cmd cursor_on f "User name"
keys f -l "$OFFICER"
keys f Enter
check "Enter: the cursor moves to the password field" wait_cmd cursor_on f "Password"
keys f -l x
keys f F10
check "F10 with a password typed asks first" \
	eval 'wait_text f "Quit anyway?" "typed but not sent" && alive f'
keys f Escape
wait_gone f "Quit anyway?"
keys f F3
check "registration: the cursor in its first field" \
	eval 'wait_text f "Register a new account" && wait_cmd cursor_on f "User name"'
keys f Down Down
check "registration: Down moves the cursor to the citizen ID" wait_cmd cursor_on f "Citizen ID"
keys f -l "$BADSUM"
check "registration: a citizen ID's wrong check digit is said as it is typed" \
	wait_text f "Check digit wrong: compare the 13 digits with the card"
keys f Escape
wait_text f "Log in"
keys f -l "$OFFICER"
keys f Enter
keys f -l "$PW"
keys f Enter
wait_text f "Insert the citizen's ID card"

# --- F5 with nothing to read --------------------------------------------------------------------
keys f F5
check "F5 with the reader empty says so" wait_text f "No card in the reader"

# --- settings --------------------------------------------------------------------------------------
keys f F11
check "settings: the cursor in the theme field" \
	eval 'wait_text f "Your settings" && wait_cmd cursor_on f "Theme"'
keys f -l x
keys f F10
check "F10 with a setting changed and not saved asks first" \
	eval 'wait_text f "Quit anyway?" "A setting is changed but not saved." && alive f'
keys f Escape
wait_gone f "Quit anyway?"
keys f Escape
# "Pane after login" with letters meant as shortcuts, then saved.
keys f Down Down
keys f -l nh
keys f Enter Enter Enter Enter Enter Enter
check "settings: a pane that is none named next to the field, with the panes it takes" \
	eval 'wait_text f "not one this field takes" "card, person, household" &&
		wait_cmd cursor_on f "Pane after login"'
keys f C-u
keys f -l card
keys f Down Down Down C-u
keys f -l 10
keys f Enter Enter Enter
check "settings: an idle lock of 10 s named with its range next to the field" \
	eval 'wait_text f "The idle lock is 10 seconds: it must be from" "30 to 86400 seconds" && wait_cmd cursor_on f "Idle lock"'
keys f F9
check "F9: the idle lock's own hint, not the user name's" \
	eval 'wait_text f "IDLE-RANGE (10, idle_timeout)" "Type a number of seconds from 30" && shows_none f "username 3 to 32"'

# --- the companies ID field ------------------------------------------------------------------------
# Alt and a letter: the letter's action even where a field takes letters.
keys f F11
wait_text f "Your settings"
keys f M-b
check "Alt+b on the settings form opens the companies pane, no b typed" \
	eval 'wait_text f "Companies — juristic persons (DBD)" && shows_none f "Your settings"'
check "companies: the cursor in the ID field" \
	eval 'wait_text f "Juristic ID" && wait_cmd cursor_on f "Juristic ID"'
type_id 0105
keys f q l t s p
not_acted() {
	wait_text f "Digits only in the ID" && alive f && ! shows_all f "Quit anyway?" &&
		! shows_all f "Language:" && ! shows_all f "Theme:" && ! shows_all f "Purpose:" &&
		! ls "$dir/state/tabien/"support-*.txt >/dev/null 2>&1 && shows_re f "Juristic ID +0105 *$"
}
check "q, l, t, s, p typed into the ID field act on nothing, and say why" not_acted
keys f M-i
check "Alt+i from the ID field opens the person pane" \
	wait_text f "Insert the citizen's ID card: the registry record shows here"
keys f b
wait_text f "Juristic ID"
keys f Escape
wait_re f "Juristic ID *$"

# --- the companies pane's lists --------------------------------------------------------------------
type_id "$SIAM"
keys f Enter
wait_text f "บริษัท สยามตัวอย่างการค้า จำกัด"
keys f PgDn
page_end() {
	capture f
	[ "$(marker_line)" = 22 ] && grep -q "^  Juristic ID  *0-1055-36012-34-6" "$dir/screen.f"
}
check "the first PgDn moves the marker to the page's end, the page stays" wait_cmd page_end
type_id "$TECH"
keys f Enter
wait_text f "บริษัท ทดสอบเทคโนโลยี จำกัด (มหาชน)"
type_id "$BADSUM"
keys f Enter
wait_text f "The juristic ID is not 13 digits with a correct check digit"
keys f H
wait_text f "Looked up in this session"
keys f Down
keys f Enter
check "Enter in the history runs the entry chosen, not the ID left in the field" \
	eval 'wait_re f "^  Name \(Thai\) +บริษัท สยามตัวอย่างการค้า จำกัด" &&
		! shows_all f "not 13 digits with a correct check digit"'
sim_stop
type_id "$TECH"
keys f Enter
wait_text f "0-1055-47123-45-4:"
keys f Escape
check "Esc puts an old failure away" wait_gone f "0-1055-47123-45-4:"

keys f F10
check "F10 with nothing typed quits at once" wait_cmd eval '[ "$(exit_status f)" = 0 ]'
