#!/usr/bin/env bash
# The full-screen program as a person at the counter sees it: the real
# `tabien` in a terminal made by a private tmux server, against a private
# pcscd and the virtual card.  Every case waits for the screen by polling it
# with a deadline and asserts on the text shown.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
tui_begin tui

# --- the terminal's set-up: a database with one officer ---------------------------------

# An admin sets the terminal up; the officer at the counter registers and the
# admin approves the account.  Fast password hashing is for tests only (see
# services/accounts/users.h).  Short branch and purpose names leave the status bar room
# for the reader and the last message at 80 columns.
tui_counter_branch "ตรวจสอบ" "ยืนยันตัวตน"

# --- the program in tmux -------------------------------------------------------

# $dir/run-tabien SESSION TERM: the program in a home of its own, its exit
# status in status.SESSION.
tui_launcher

# start SESSION COLS LINES [TERM]
start() {
	tm new-session -d -s "$1" -x "$2" -y "$3" "$dir/run-tabien" "$1" "${4:-xterm-256color}"
}
# The program has ended and its terminal closed.
dead() { [ -s "$dir/status.$1" ] && [ "$(tm list-panes -t "$1" -F "#{pane_dead}" 2>/dev/null)" = 1 ]; }
# wait_dead SESSION: polls until it is.
wait_dead() { wait_cmd dead "$1"; }
# login SESSION [PASSWORD]: types the officer's name and password into the form.
login() {
	wait_text "$1" "User name" "Password" || return 1
	keys "$1" -l "$OFFICER" && keys "$1" Enter && keys "$1" -l "${2:-$PASSWORD}" &&
		keys "$1" Enter
}
# same_column SESSION TEXT...: every TEXT starts at one screen column.
same_column() {
	local s=$1 first= c t
	shift
	for t in "$@"; do
		c=$(column_of "$s" "$t")
		[ "$c" -ge 0 ] || return 1
		[ -z "$first" ] && first=$c
		[ "$c" = "$first" ] || { echo "# '$t' starts at column $c, not $first"; return 1; }
	done
}

cid=$(value malee cid)
fmt_cid=$(fmt "$cid")
IFS='#' read -r t_title t_first t_middle t_last <<<"$(value malee name_th)"
IFS='#' read -r e_title e_first e_middle e_last <<<"$(value malee name_en)"
name_th="$t_title$t_first${t_middle:+ $t_middle} $t_last"
name_en="$e_title $e_first${e_middle:+ $e_middle} $e_last"
request_no=$(value malee request_no) photo_no=$(value malee photo_no)
INSERT="Insert the citizen's ID card"

echo "1..29"

# --- no pcscd yet -------------------------------------------------------------------
SESSION=nopcscd
start nopcscd 80 24
login nopcscd
check "no pcscd: the error, its code and what to do, and the program keeps running" \
	eval 'wait_text nopcscd "PCSCD-DOWN" "is not running" "systemctl start pcscd" "pcscd not running" &&
		alive nopcscd'
start_pcscd || { echo "Bail out! pcscd did not start"; sed 's/^/# /' "$dir/pcscd.log"; exit 1; }
check "pcscd started later: the program finds it and asks for the card" \
	eval 'wait_text nopcscd "$INSERT" "Reader 1 of 2: Virtual PCD 00 00" "○ empty" && alive nopcscd'
keys nopcscd q
wait_dead nopcscd

# --- the counter's screen at 80x24 ---------------------------------------------
SESSION=main
start main 80 24
check "start-up: the tab line and the login form with the branch" \
	eval 'wait_text main "Log in" "User name" "Password" "สาขา 1 (BR-01)" &&
		line main 1 | grep -qF " ทะเบียน " && line main 1 | grep -qE "F1 Help *$" &&
		! grep -qF "F2 Card" "$dir/screen.main" && alive main'
login main wrong-password-9
check "login: a wrong password is refused in place, the form stays" \
	eval 'wait_text main "Wrong username or password" "User name" && ! grep -qF "F2 Card" "$dir/screen.main" &&
		alive main'
# The form keeps the name and waits for the password again.
keys main -l "$PASSWORD"
keys main Enter
# Every pane's key is on the tab line, the shown pane with its name, and
# F1 Help at its end: at 80 columns the line tightens rather than cut any.
tabs_shown() {
	local t l
	l=" $(line "$1" 1) "
	shift
	for t in "$@"; do
		case $l in *" $t "*) ;; *) echo "# tab line lacks '$t': $l"; return 1 ;; esac
	done
	line main 1 | grep -qE "F1 Help *$"
}
check "login: the tab line, the card prompt and the status bar with officer, branch and reader" \
	eval 'wait_text main "$INSERT" "Reader 1 of 2: Virtual PCD 00 00" "○ empty" &&
		tabs_shown main "F2 Card" F9 F11 i h n && ! line main 1 | grep -qF "…" &&
		line main 24 | grep -qE "^ $OFFICER.* │ สาขา 1 │ .* │ ○ empty" &&
		alive main'

keys main F1
check "help: F1 opens the card pane's keys, then Quit and the others, no admin keys for an officer; G goes to the end" \
	eval 'wait_text main "Keys — press Esc or F1 to close" "Use the next card reader" "F1 ?" "Show or hide the keys" \
			"F10 q" "Quit" "F6 s" "Write a support report" "F7 t" "F8 l" &&
		! grep -qF "approve the selected account" "$dir/screen.main" &&
		keys main G && wait_text main "F9 d" "Diagnostics" "F11" && alive main'
keys main Escape
check "help: Esc closes it and the card prompt is back" \
	eval 'wait_gone main "Keys — press Esc" && wait_text main "$INSERT" && alive main'

# --- a card -------------------------------------------------------------------------------
insert malee
check "card inserted: the formatted ID and the Thai name, title run into the first name" \
	eval 'wait_text main "$fmt_cid" "$name_th" "$name_en" "Card read" "● card" && alive main'
check "card: the Thai name's value starts at the same column as the other values" \
	same_column main "$fmt_cid" "$name_th" "$name_en" "$request_no"
check "card: the photo number (เลขใต้รูป) as the command line prints it" \
	eval 'grep -qE "^.{26,}Photo no\. +$photo_no" "$dir/screen.main"'
photo_cells=$(grep -E '^ *│▀' "$dir/screen.main" | grep -o '▀' | wc -l)
check "card: the photo is drawn in half blocks inside its frame ($photo_cells cells)" \
	[ "$photo_cells" -ge 100 ]

# An unknown key must change nothing, nor must the admins' pane keys for an
# officer: F3 is refused (its box goes with the next key, F4) and only the
# status bar says so.  Keys are handled in order, so once the help overlay
# (opened after them) is up, they have been handled.
cp "$dir/screen.main" "$dir/before"
keys main z '~' IC F3 F4
keys main F1
wait_text main "Keys — press Esc"
keys main Escape
wait_gone main "Keys — press Esc"
# The help overlay's removal can be caught half redrawn: poll for the
# screen as it was (a key that changed something never gets there).
# (No process substitution: a minimal root may have no /dev/fd.)
head -n -1 "$dir/before" >"$dir/before.top"
same_as_before() { capture main && head -n -1 "$dir/screen.main" | cmp -s "$dir/before.top" -; }
SHOW="$dir/before" check "unknown keys (z, ~, Insert) and the admins' F3 F4 change nothing for an officer but the status bar's refusal" \
	eval 'wait_cmd same_as_before && tail -n 1 "$dir/screen.main" | grep -q "No right to users" && alive main'

keys main l
check "language: l shows the Thai labels, still aligned, and l again English" \
	eval 'wait_text main "เลขประจำตัวประชาชน" "ชื่อภาษาอังกฤษ" "F2 บัตร" "$fmt_cid" &&
		same_column main "$fmt_cid" "$name_th" "$name_en" "$request_no" &&
		keys main l && wait_text main "Citizen ID" "F2 Card" && alive main'

keys main F9
check "diagnostics: the service, both readers, the card and the last read's figures" \
	eval 'wait_text main "Card service" "running" "Virtual PCD 00 00 * — card" "Virtual PCD 00 01 — empty" \
			"Last read" "card exchanges" "Terminal" "xterm-256color, 80x24" && alive main'
check "diagnostics: no ID or name on the screen" \
	eval '! grep -qF -e "$fmt_cid" -e "$cid" -e "$t_first" -e "$t_last" -e "$e_last" "$dir/screen.main"'

keys main s
report=
check "support report: s writes a file under \$XDG_STATE_HOME/tabien, mode 600, and says so" \
	eval 'wait_text main "Support report" && report=$(ls "$dir/state/tabien/"support-*.txt 2>/dev/null | head -1) &&
		[ -f "$report" ] && [ "$(stat -c %a "$report")" = 600 ] && grep -q "Last read" "$report" &&
		alive main'
SHOW=${report:-} check "support report: no personal data (ID, Thai and English names)" \
	eval '[ -n "$report" ] && ! grep -qF -e "$cid" -e "$fmt_cid" -e "$t_first" -e "$t_last" \
		-e "$e_first" -e "$e_last" "$report"'

keys main F2
wait_text main "$fmt_cid"
pull
check "card pulled: the ID and names are gone from the screen, the prompt is back" \
	eval 'wait_text main "$INSERT" "○ empty" && wait_gone main "$fmt_cid" "$t_first" "$e_first" &&
		alive main'

# A hostile card offers 255 bytes for every read: the program reads every
# inserted card by itself, so it must say what is wrong and keep running.
insert somchai --odd overlong
check "hostile card (answers more than asked): the error with its code on screen, the program keeps running" \
	eval 'wait_text main "CARD-OVERLONG" "more than was asked" && alive main'
pull --wait
insert malee
check "after the hostile card, the next card reads as usual" \
	eval 'wait_text main "$fmt_cid" "$name_th" "Card read" && wait_gone main "CARD-OVERLONG" && alive main'
pull
wait_text main "$INSERT" "○ empty"

# --- terminal sizes ----------------------------------------------------------------
tm resize-window -t main -x 60 -y 20
check "60x20: the too-small message, with the size needed" \
	eval 'wait_text main "The terminal is too small." "needs at least 80x24" && alive main'
tm resize-window -t main -x 80 -y 24
check "back to 80x24: the normal screen returns" \
	eval 'wait_gone main "too small" && wait_text main "F1 Help" "$INSERT" "○ empty" &&
		line main 2 | grep -qF "Virtual PCD 00 00" && line main 24 | grep -qF "○ empty" && alive main'

# A card already in the reader when the officer logs in.
wait_reader_empty
insert malee
SESSION=large
start large 120 40
login large
check "120x40: the card read at login, tab line to the right edge, status bar on the last line" \
	eval 'wait_text large "$fmt_cid" "$name_th" "Card read" &&
		[ "$(column_of large "F1 Help")" = 112 ] && line large 40 | grep -qF "● card" &&
		same_column large "$fmt_cid" "$name_th" "$request_no" && alive large'
large_cells=$(grep -o '▀' "$dir/screen.large" | wc -l)
check "120x40: the photo grows with the pane ($large_cells half-block cells against $photo_cells at 80x24)" \
	eval '[ "$large_cells" -ge $((photo_cells * 2)) ] && grep -qE "│ +Photo no\. +$photo_no" "$dir/screen.large"'
tm resize-window -t large -x 200 -y 50
huge() { capture large; huge_cells=$(grep -o '▀' "$dir/screen.large" | wc -l); [ "$huge_cells" -gt "$large_cells" ]; }
huge_cells=0
check "200x50: larger still, the text beside it" \
	eval 'wait_cmd huge && same_column large "$fmt_cid" "$name_th" "$request_no" && note "$huge_cells cells"'
tm resize-window -t large -x 120 -y 40
wait_cmd eval '! huge'
# At 80 columns the status bar has no room left for "Theme: high-contrast".
keys large t
check "theme: t cycles default → high-contrast → low-bandwidth → mono → default, named in the status bar" \
	eval 'wait_text large "Theme: high-contrast" && keys large t && wait_text large "Theme: low-bandwidth" &&
		keys large t && wait_text large "Theme: mono" &&
		keys large t && wait_text large "Theme: default" && grep -qF "$name_th" "$dir/screen.large" &&
		alive large'

SESSION=vt100
start vt100 80 24 vt100
login vt100
# The theme comes from the officer's settings at login: t three times gives mono.
check "mono theme on TERM=vt100: the card's text and a photo in shades" \
	eval 'wait_text vt100 "$fmt_cid" "$name_th" "$name_en" "Card read" && keys vt100 t &&
		wait_text vt100 "Theme: h" && keys vt100 t && wait_text vt100 "Theme: l" && keys vt100 t &&
		wait_text vt100 "Theme: mono" &&
		grep -qF "$name_th" "$dir/screen.vt100" &&
		[ "$(grep -o "[█▓▒░]" "$dir/screen.vt100" | wc -l)" -ge 100 ] &&
		keys vt100 d && wait_text vt100 "vt100, 80x24, no colours" && alive vt100'
# vt100's terminfo draws lines by SO/SI, which a terminal in UTF-8 mode
# ignores ("lqqqk"): frames come in Unicode's line-drawing letters instead.
keys vt100 F1
check "TERM=vt100: the help's frame in line-drawing letters, not 'lqqqk'" \
	eval 'wait_text vt100 "Keys — press Esc" && grep -qE "^┌─ Keys — press Esc or F1 to close ─+┐$" "$dir/screen.vt100" &&
		grep -qE "^│ +F1 \?" "$dir/screen.vt100" && ! grep -qE "^lq|qqqk$|^x " "$dir/screen.vt100"'
keys vt100 Escape

# --- quitting ------------------------------------------------------------------------------
SESSION=main
keys main q
check "q quits: the program ends with status 0" \
	eval 'wait_dead main && [ "$(exit_status main)" = 0 ] || { echo "# exit status: $(exit_status main)"; false; }'

[ "$failed" = 0 ]
