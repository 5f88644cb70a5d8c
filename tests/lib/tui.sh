# Shared by the terminal tests: TAP output, the real `tabien` in a private
# tmux server, screen polling with deadlines, the private pcscd with the
# virtual card, and the gateway simulator.  Source it after setting B (the
# build tree), S (the sources) and dir (the test's scratch folder).
# shellcheck shell=bash

TABIEN="$B/tabien"
DEADLINE_MS=${DEADLINE_MS:-10000}
n=0 failed=0 pcscd_pid= card_pid= sim_pid=

# --- TAP ---------------------------------------------------------------------------------

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	shift
	for f in "$@"; do [ -f "$f" ] && sed 's/^/# /' "$f"; done
}
# check NAME COMMAND...: on failure shows the last capture of the session in
# $SESSION (and any files in $SHOW).
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else
		[ -n "${SESSION:-}" ] && capture "$SESSION"
		not_ok "$name" ${SESSION:+"$dir/screen.$SESSION"} ${SHOW:-}
	fi
}

# --- tmux and the screen -------------------------------------------------------------------

# tmux on its own socket, with no user configuration.  remain-on-exit keeps
# a pane whose program ended, so its last screen can still be shown.
tui_init() {
	printf 'set -g remain-on-exit on\nset -g history-limit 0\n' >"$dir/tmux.conf"
}
tm() { tmux -S "$dir/tmux.sock" -f "$dir/tmux.conf" "$@"; }
tui_cleanup() {
	tm kill-server 2>/dev/null
	[ -n "$card_pid" ] && kill "$card_pid" 2>/dev/null
	[ -n "$pcscd_pid" ] && kill "$pcscd_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$dir"
}
capture() { tm capture-pane -p -t "$1" >"$dir/screen.$1" 2>&1; }
# The screen's line N (1-based) from the last capture.
line() { sed -n "$2p" "$dir/screen.$1"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_text SESSION TEXT...: polls until every TEXT is on the screen.
wait_text() {
	local s=$1 end=$(($(now_ms) + DEADLINE_MS)) t all
	shift
	while :; do
		capture "$s"
		all=1
		for t in "$@"; do grep -qF -- "$t" "$dir/screen.$s" || { all=0; break; }; done
		[ "$all" = 1 ] && return 0
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.05
	done
}
# wait_gone SESSION TEXT...: polls until no TEXT is on the screen.
wait_gone() {
	local s=$1 end=$(($(now_ms) + DEADLINE_MS)) t any
	shift
	while :; do
		capture "$s"
		any=0
		for t in "$@"; do grep -qF -- "$t" "$dir/screen.$s" && { any=1; break; }; done
		[ "$any" = 0 ] && return 0
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.05
	done
}
# The program in the session's pane is still running.
alive() {
	[ ! -e "$dir/status.$1" ] && [ "$(tm list-panes -t "$1" -F '#{pane_dead}' 2>/dev/null)" = 0 ]
}
keys() { local s=$1; shift; tm send-keys -t "$s" "$@"; }
# Screen column (0-based) where TEXT starts on the first line holding it,
# counted in display columns (wc -L measures with wcwidth).
column_of() {
	local l p
	l=$(grep -F -m1 -- "$2" "$dir/screen.$1") || { echo -1; return; }
	p=${l%%"$2"*}
	printf '%s' "$p" | wc -L
}

# --- accounts ------------------------------------------------------------------------------

# A citizen ID with a correct check digit from 12 digits.
cid_of() {
	local b=$1 s=0 i
	for i in $(seq 0 11); do s=$((s + ${b:$i:1} * (13 - i))); done
	echo "$b$(((11 - s % 11) % 10))"
}

# --- pcscd and the card --------------------------------------------------------------------

# Needs port (free_port) and sock (the private pcscd's socket).
readers() { PCSCLITE_CSOCK_NAME=$sock "$TABIEN" card readers 2>/dev/null; }
start_pcscd() {
	"$B/sim/tabien-pcscd" --dir "$dir" --port "$port" >"$dir/pcscd.log" 2>&1 &
	pcscd_pid=$!
	local end=$(($(now_ms) + DEADLINE_MS))
	until [ -S "$sock" ] && readers | grep -q 'Virtual PCD'; do
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.05
	done
}
insert() { # insert FIXTURE|FILE.card [vcard options]
	local f=$1; shift
	case $f in */*) ;; *) f="$S/sim/fixtures/$f.card" ;; esac
	"$B/sim/tabien-vcard" --fixture "$f" --port "$port" --delay-ms 5 "$@" \
		>>"$dir/vcard.log" 2>&1 &
	card_pid=$!
}
pull() {
	[ -n "$card_pid" ] && kill "$card_pid" 2>/dev/null
	wait "$card_pid" 2>/dev/null
	card_pid=
}
# pcscd polls every 400 ms: the next card can only come once it saw the
# reader empty.
wait_reader_empty() {
	local end=$(($(now_ms) + DEADLINE_MS))
	until readers | grep -q 'Virtual PCD 00 00.*empty'; do
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.05
	done
}
# A fixture card's field.
value() { sed -n "s/^$2: *//p" "$S/sim/fixtures/$1.card"; }

# --- the gateway simulator -----------------------------------------------------------------

# sim_start [SWITCHES...]: a fresh simulator on an ephemeral port (in
# sim_port), counting requests in $dir/stats.
sim_start() {
	sim_stop
	rm -f "$dir/sim.port" "$dir/stats"
	"$B/sim/tabien-gateway" --port-file "$dir/sim.port" --stats-file "$dir/stats" "$@" \
		>"$dir/sim.out" 2>&1 &
	sim_pid=$!
	local end=$(($(now_ms) + DEADLINE_MS))
	until [ -s "$dir/sim.port" ]; do
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.05
	done
	sim_port=$(cat "$dir/sim.port")
}
sim_stop() {
	if [ -n "$sim_pid" ]; then
		kill "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
		sim_pid=
	fi
}
# A counter of the simulator's (n_token, n_link ...), once it has written it.
sim_count() { sed -n "s/^$1 //p" "$dir/stats" 2>/dev/null; }
