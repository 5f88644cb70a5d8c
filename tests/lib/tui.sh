# Shared by the terminal tests: the real `tabien` in a private tmux server
# and screen polling with deadlines, over tests/lib/common.sh (TAP, the
# private pcscd with the virtual card, the gateway simulator).  Source it
# after setting B (the build tree), S (the sources) and dir (the test's
# scratch folder); a failing check shows the screen of the session named
# in SESSION.
# shellcheck shell=bash

. "$S/tests/lib/common.sh"

# --- tmux and the screen -------------------------------------------------------------------

# tui_init [HISTORY]: tmux on its own socket, with no user configuration.
# remain-on-exit keeps a pane whose program ended, so its last screen can
# still be shown.  HISTORY lines of scrollback, none unless told (tmux 3.3
# can scroll the first line a new pane prints out of sight while it sets
# the pane up).
tui_init() {
	printf 'set -g remain-on-exit on\nset -g history-limit %s\n' "${1:-0}" >"$dir/tmux.conf"
}
tm() { tmux -S "$dir/tmux.sock" -f "$dir/tmux.conf" "$@"; }
tui_cleanup() {
	tm kill-server 2>/dev/null
	test_cleanup
}
capture() { tm capture-pane -p -t "$1" >"$dir/screen.$1" 2>&1; }
# The screen's line N (1-based) from the last capture.
line() { sed -n "$2p" "$dir/screen.$1"; }
# shows_all SESSION TEXT...: a new capture holds every TEXT.
shows_all() {
	local s=$1 t
	shift
	capture "$s"
	for t in "$@"; do grep -qF -- "$t" "$dir/screen.$s" || return 1; done
}
# shows_none SESSION TEXT...: a new capture holds no TEXT.
shows_none() {
	local s=$1 t
	shift
	capture "$s"
	for t in "$@"; do grep -qF -- "$t" "$dir/screen.$s" && return 1; done
	return 0
}
# shows_re SESSION REGEX: a line of a new capture matches.
shows_re() { capture "$1"; grep -qE -- "$2" "$dir/screen.$1"; }
# wait_text SESSION TEXT...: polls until every TEXT is on the screen.
wait_text() { wait_cmd shows_all "$@"; }
# wait_gone SESSION TEXT...: polls until no TEXT is on the screen.
wait_gone() { wait_cmd shows_none "$@"; }
# wait_re SESSION REGEX: polls until a line of the screen matches.
wait_re() { wait_cmd shows_re "$1" "$2"; }
# The program in the session's pane is still running.
alive() {
	[ ! -e "$dir/status.$1" ] && [ "$(tm list-panes -t "$1" -F '#{pane_dead}' 2>/dev/null)" = 0 ]
}
# The program's exit status, once it has ended (the scripts' run-tabien
# writes it to status.SESSION).
exit_status() { cat "$dir/status.$1" 2>/dev/null; }
keys() { local s=$1; shift; tm send-keys -t "$s" "$@"; }
# Screen column (0-based) where TEXT starts on the first line holding it,
# counted in display columns (wc -L measures with wcwidth).
column_of() {
	local l p
	l=$(grep -F -m1 -- "$2" "$dir/screen.$1") || { echo -1; return; }
	p=${l%%"$2"*}
	printf '%s' "$p" | wc -L
}
