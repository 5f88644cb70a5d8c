#!/usr/bin/env bash
# tools/demo as a newcomer and a trainer run it, on this tree's binaries
# (TABIEN_BUILDDIR): without a terminal it says the full-screen part was
# skipped and how to see it, and the photos it names outlive it; in a
# terminal (tmux) a trainer holds one citizen's card in, pauses the turns,
# picks another citizen from a second terminal and goes back to the turns.
# Every step polls with a deadline.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
tui_begin demo-test
# The demo's folders (its photos among them) land in the test's own.
export TMPDIR="$dir" HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state"
mkdir -p "$HOME"
name_of() { local t f m l; IFS='#' read -r t f m l <<<"$(value "$1" name_th)"; echo "$t$f${m:+ $m} $l"; }
SOMCHAI=$(name_of somchai) MALEE=$(name_of malee)

echo "1..7"

# --- no terminal ---------------------------------------------------------------------------
"$S/tools/demo" </dev/null >"$dir/out" 2>&1; rc=$?
SHOW="$dir/out" check "no terminal: the cards and the lookup, then the full-screen part said to be skipped, and how to see it" \
	eval '[ $rc = 0 ] && grep -qF "== tabien linkage query" "$dir/out" &&
		grep -qF "the full-screen program was skipped" "$dir/out" &&
		grep -qF "run tools/demo in a terminal" "$dir/out"'
# "Photo / รูปถ่าย   JPEG 5100 bytes → PATH" for each citizen.
sed -n 's/^Photo .*JPEG [0-9]* bytes → //p' "$dir/out" >"$dir/photos"
photos_kept() {
	local p
	[ "$(wc -l <"$dir/photos")" = 4 ] || return 1
	while read -r p; do
		[ -s "$p" ] && [ "$(stat -c %a "$p")" = 600 ] &&
			[ "$(head -c 2 "$p" | od -An -tx1 | tr -d ' ')" = ffd8 ] || { note "not kept: $p"; return 1; }
	done <"$dir/photos"
}
SHOW="$dir/out" check "the four photo paths it printed still hold the JPEGs (0600) after it ended" photos_kept

# --- a trainer at a terminal -------------------------------------------------------------
SESSION=demo
tm new-session -d -s demo -x 80 -y 24 "$S/tools/demo" --citizen malee
state() { [ "$(cat "$B/demo-status" 2>/dev/null)" = "$1" ]; }
# The demo reads the four cards and asks the registry first.
DEADLINE_MS=90000 wait_text demo "User name" "Password"
keys demo -l demo
keys demo Enter
keys demo -l demo-password-1
keys demo Enter
check "--citizen malee: her card is put in and kept there" \
	eval 'DEADLINE_MS=30000 wait_text demo "$MALEE" "Card read" && wait_cmd state "holding malee"'
"$S/tools/demo" pause
check "tools/demo pause from another terminal: the card in stays, the turns stop" \
	eval 'wait_cmd state "paused malee" && wait_text demo "$MALEE"'
"$S/tools/demo" somchai
check "tools/demo somchai: his card instead of hers, kept in" \
	eval 'wait_text demo "$SOMCHAI" && wait_gone demo "$MALEE" && wait_cmd state "holding somchai"'
"$S/tools/demo" cycle
check "tools/demo cycle: the cards take turns again" eval 'wait_cmd eval "grep -q ^cycle \"$B/demo-status\""'
keys demo q
check "q: the demo ends, its control files gone" \
	eval 'wait_cmd eval "[ ! -e \"$B/demo-status\" ] && [ ! -e \"$B/demo-control\" ]"'

[ "$failed" = 0 ]
