#!/usr/bin/env bash
# Messages and help as a new user meets them: F1 lists the keys of the screen
# it is opened on (the login screen's F3, not keys that do nothing there),
# Shift+Tab and the admin's * said; L keeps the status line's messages in
# full (the support report's whole path); F7 and F8 kept per user across a
# log-out; the tab line at 80 columns names the panes that fit.  The real
# `tabien` in a private tmux server, no card reader or gateway needed; every
# step waits for the screen with a deadline.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
tui_begin messages

export TABIEN_PWHASH=fast TABIEN_DB="$dir/data/tabien.db"
export HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state"
mkdir -p "$HOME" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"
ADMIN=admin1 PW=admin-password-1
printf '%s\n' "กรมทดสอบ" BR-01 "สาขา 1" "$ADMIN" "สมชาย ใจดี" 1400100123451 "หัวหน้างาน" "$PW" "$PW" |
	"$TABIEN" admin init --batch >"$dir/setup.log" 2>&1 ||
	{ echo "Bail out! tabien admin init failed"; sed 's/^/# /' "$dir/setup.log"; exit 1; }

cat >"$dir/run-tabien" <<EOF
#!/usr/bin/env bash
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES TABIEN_IDLE_SECONDS
export HOME=$(printf '%q' "$HOME") XDG_CONFIG_HOME=$(printf '%q' "$XDG_CONFIG_HOME")
export XDG_STATE_HOME=$(printf '%q' "$XDG_STATE_HOME")
export TABIEN_THEMES=$(printf '%q' "$S/themes") TABIEN_LOCALEDIR=$(printf '%q' "$B/po")
export PCSCLITE_CSOCK_NAME=$(printf '%q' "$dir/no-pcscd.comm")
export TABIEN_DB=$(printf '%q' "$TABIEN_DB") TABIEN_PWHASH=fast TABIEN_TERMINAL="\$1"
$(printf '%q' "$TABIEN")
echo \$? >$(printf '%q' "$dir")/status.\$1
EOF
chmod +x "$dir/run-tabien"
tm new-session -d -s m -x 80 -y 24 "$dir/run-tabien" m
SESSION=m
login() {
	wait_text m "Log in" "User name" || return 1
	keys m -l "$ADMIN" && keys m Enter && keys m -l "$PW" && keys m Enter
}

echo "1..12"

# --- the tab line at 80 columns --------------------------------------------------------------------
# The first line, once logged in: the shown pane's title and, in order, the
# others' while they fit, within 80 columns and F1 Help kept.
tabs_named() {
	capture m
	local l
	l=$(line m 1)
	[[ $l == *"F2 Card"*"i Person"*"h Household"*"n Names"*"F1 Help"* ]] && [ "$(printf '%s' "$l" | wc -L)" -le 80 ]
}

# --- F1 ---------------------------------------------------------------------------------------
wait_text m "Log in" "User name"
keys m F1
check "F1 on the login screen: its keys, F3 among them, none that do nothing there" \
	eval 'wait_text m "Register a new account, or back to log in" "Quit" "^P" &&
		shows_none m "Read the card again" "Next pane" "Log out" "F10 q"'
keys m Escape
wait_gone m "Register a new account, or back"
login
wait_text m "Insert the citizen's ID card"
check "the tab line at 80 columns names the panes that fit, in order" wait_cmd tabs_named
keys m F1
check "F1 on the card pane: the reader key, Shift+Tab and the admin's * said; no other pane's keys" \
	eval 'wait_text m "Use the next card reader" "Shift+Tab" "After your name in the status bar: you are an admin" &&
		shows_none m "Audit: export" "Companies: ask DBD again"'
keys m Escape
wait_gone m "Keys — press Esc"
keys m b
wait_text m "Companies — juristic persons (DBD)"
keys m F1
check "F1 on the companies pane: its own keys" \
	eval 'wait_text m "Companies: ask DBD again" && shows_none m "Use the next card reader"'
keys m Escape

# --- the message log --------------------------------------------------------------------------------
keys m F6
wait_text m "Support report written"
report=$(ls "$dir/state/tabien/"support-*.txt 2>/dev/null | head -1)
check "the support report's path is cut on the status line" \
	eval '[ -n "$report" ] && shows_none m "$(basename "$report")"'
keys m L
# The path may be wrapped: its lines joined hold it whole.
log_has_path() {
	capture m
	sed -E -e 's/^[│x] *[0-9:]* *//' -e 's/ *[│x]$//' "$dir/screen.m" | tr -d '\n' | grep -qF "$report"
}
check "L: the messages in full, the report's whole path among them" \
	eval 'wait_text m "Messages, newest first" && wait_cmd log_has_path'
keys m Escape
check "Esc closes the messages" wait_gone m "Messages, newest first"

# --- F7 and F8 kept per user ---------------------------------------------------------------------------
keys m F8
wait_text m "ช่วยเหลือ"
keys m F7
wait_text m "ธีม:"
theme=$(sed -n 's/.*ธีม: \([^ ]*\).*/\1/p' "$dir/screen.m" | head -1)
keys m F12
check "after a log-out the terminal's own language again" wait_text m "Log in" "User name"
login
check "F8 and F7 kept for the user: Thai and the theme chosen after logging in again" \
	eval 'wait_text m "ช่วยเหลือ" && [ -n "$theme" ] &&
		[ "$(sqlite3 "$TABIEN_DB" "SELECT value FROM user_settings WHERE key = '"'"'theme'"'"'")" = "$theme" ]'

# --- the key bar where the screen has room ------------------------------------------------------------
check "80x24: no key bar, every line the pane's" eval '! grep -qF "F1Help" "$dir/screen.m"'
keys m F10
wait_cmd eval '[ -n "$(exit_status m)" ]'
tm new-session -d -s k -x 100 -y 30 "$dir/run-tabien" k
SESSION=k
wait_text k "Log in" "User name"
keys k -l "$ADMIN"
keys k Enter
keys k -l "$PW"
keys k Enter
# The user chose Thai above: the key bar's names are in Thai, its keys as
# they are.
keybar() { capture k; line k 29 | grep -qE "$1"; }
check "100x30: a key bar over the status bar, the card pane's keys first, F10 in it" \
	wait_cmd keybar "^r[^ ]+ c[^ ]+ F1[^ ]+ .* F10[^ ]+ *$"
keys k b
check "the key bar follows the pane: the companies pane's own keys" wait_cmd keybar "^R.+ H[^ ]+ c[^ ]+ "
keys k Escape
keys k F10
