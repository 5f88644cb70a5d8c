#!/usr/bin/env bash
# What the full-screen program says before it takes the screen: a locale that
# is not UTF-8 gets a clear message (not garbage), a UTF-8 locale that is not
# installed is served by C.UTF-8, and no terminal at all is explained.  The
# real binary in tmux on a private server.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-locale.XXXXXX")
. "$S/tests/lib/tui.sh"
trap tui_cleanup EXIT
tui_init
# A failing case shows the last screen read.
SHOW="$dir/screen"
# run NAME ENV...: tabien in a new 80x24 terminal with that environment; its
# exit status goes to status.NAME, and the terminal stays open to be read.
run() {
	local name=$1; shift
	tm new-session -d -s "$name" -x 80 -y 24 \
		"env -i PATH=/usr/bin:/bin TERM=xterm-256color HOME=$dir TABIEN_DB=$dir/none.db $* $TABIEN; echo \$? >$dir/status.$name; exec sleep 60"
}
# ended_with NAME TEXT: the program ended and its terminal shows the text
# (read anew into $dir/screen).
ended_with() {
	tm capture-pane -p -t "$1" >"$dir/screen" 2>/dev/null
	[ -s "$dir/status.$1" ] && grep -qF -- "$2" "$dir/screen"
}
# wait_end NAME TEXT: polls until it has.
wait_end() { wait_cmd ended_with "$1" "$2"; }

echo "1..3"
run c LANG=C LC_ALL=C
check "a locale that is not UTF-8: a clear message naming UTF-8 and what to set, exit 1" \
	eval 'wait_end c "This terminal cannot show tabien" && grep -qF "export LANG=C.UTF-8" "$dir/screen" &&
		[ "$(cat "$dir/status.c")" = 1 ] && ! grep -qF "ทะเบียน" "$dir/screen"'
run th LANG=th_TH.UTF-8
check "a UTF-8 locale not installed here: accepted (the next step, the set-up check, speaks)" \
	eval 'wait_end th "tabien admin init" && ! grep -qF "cannot show tabien" "$dir/screen"'
"$TABIEN" </dev/null >"$dir/screen" 2>&1; rc=$?
check "no terminal: says the full-screen program needs one and names the command line, exit 1" \
	eval '[ $rc = 1 ] && grep -qF "needs a terminal" "$dir/screen" && grep -qF "tabien card read" "$dir/screen"'
exit $((failed > 0))
