# Shared by the shell tests: TAP output, polling with a deadline, the test
# citizens, the private pcscd with the virtual card, and the gateway
# simulator.  Source it after setting B (the build tree), S (the sources)
# and dir (the test's scratch folder); the terminal tests source
# tests/lib/tui.sh, which sources this one.
# shellcheck shell=bash

# TABIEN_BIN: another tabien than the build tree's (tools/package-test runs
# the tests on the installed one).
TABIEN="${TABIEN_BIN:-$B/tabien}"
DEADLINE_MS=${DEADLINE_MS:-10000}
n=0 failed=0 pcscd_pid= card_pid= sim_pid=

# --- TAP ---------------------------------------------------------------------------------

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	shift
	for f in "$@"; do [ -f "$f" ] && sed 's/^/# /' "$f"; done
}
# check NAME COMMAND...: on failure shows the files in $SHOW and, in the
# terminal tests, the last capture of the session in $SESSION.
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else
		[ -n "${SESSION:-}" ] && capture "$SESSION"
		not_ok "$name" ${SESSION:+"$dir/screen.$SESSION"} ${SHOW:-}
	fi
}
# skip NAME WHY: a case that cannot run here.
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
note() { echo "# $*"; }

# --- polling -------------------------------------------------------------------------------

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_cmd COMMAND...: polls until the command succeeds, DEADLINE_MS at most.
wait_cmd() {
	local end=$(($(now_ms) + DEADLINE_MS))
	until "$@"; do
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.05
	done
}

# --- the command line ----------------------------------------------------------------------

# expect_error NAME CODE THAI-WORDS [DETAIL]: the last command (its status
# in $rc, its standard error in $dir/err) failed with exit 1 and said why in
# English and Thai.
expect_error() {
	local name=$1 code=$2 th=$3 detail=${4:-}
	check "$name: exit 1, $code${detail:+ ($detail)}, in English and Thai" \
		bash -c "[ $rc = 1 ] && grep -qF '$code' '$dir/err' && grep -qF '$th' '$dir/err' \
			&& { [ -z '$detail' ] || grep -qF '$detail' '$dir/err'; }"
}

# --- citizens ------------------------------------------------------------------------------

# A citizen ID with a correct check digit from 12 digits.
cid_of() {
	local b=$1 s=0 i
	for i in $(seq 0 11); do s=$((s + ${b:$i:1} * (13 - i))); done
	echo "$b$(((11 - s % 11) % 10))"
}
# A fixture card's field.
value() { sed -n "s/^$2: *//p" "$S/sim/fixtures/$1.card"; }
# A citizen ID as people write it: 1-2345-67890-12-1.
fmt() { echo "${1:0:1}-${1:1:4}-${1:5:5}-${1:10:2}-${1:12:1}"; }
# age_of YYYYMMDD: whole years from a Buddhist-era birth date to today, as
# tabien computes them (services/base/format's format_age).
age_of() {
	local y m
	y=$(( $(date +%Y) + 543 )) m=$(date +%m%d)
	echo $(( y - ${1:0:4} - (10#$m < 10#${1:4:4} ? 1 : 0) ))
}

# --- pcscd and the card --------------------------------------------------------------------

# Needs port (free_port) and sock (the private pcscd's socket).
readers() { PCSCLITE_CSOCK_NAME=$sock "$TABIEN" card readers 2>/dev/null; }
reader_empty() { readers | grep -q 'Virtual PCD 00 00.*empty'; }
reader_holds_card() { readers | grep -q 'Virtual PCD 00 00.*card'; }
# pcscd polls every 400 ms: the next card can only come once it saw the
# reader empty.
wait_reader_empty() { wait_cmd reader_empty; }
# start_pcscd [--no-reader] [tabien-pcscd options]: the socket exists before
# pcscd is ready, so this waits until it lists the first reader, empty
# (with --no-reader, only for the socket).
start_pcscd() {
	"$B/sim/tabien-pcscd" --dir "$dir" --port "$port" "$@" >"$dir/pcscd.log" 2>&1 &
	pcscd_pid=$!
	wait_cmd test -S "$sock" || return 1
	[ "${1:-}" = --no-reader ] || wait_reader_empty
}
# insert FIXTURE|FILE.card [vcard options]: the card goes into the first
# reader (VCARD_READER=1: the second, on the next vpcd port) and answers
# each command after VCARD_DELAY_MS.  What it prints goes
# to vcard.log; with VCARD_LOGS set, it logs its commands (--log) to a file
# of its own, vcard.log.N (N, in $inserts, counts the insertions).
VCARD_DELAY_MS=5 VCARD_LOGS= VCARD_READER=0 inserts=0
insert() {
	local f=$1 log="$dir/vcard.log"
	shift
	case $f in */*) ;; *) f="$S/sim/fixtures/$f.card" ;; esac
	inserts=$((inserts + 1))
	if [ -n "$VCARD_LOGS" ]; then
		log="$dir/vcard.log.$inserts"
		set -- --log "$@"
	fi
	"$B/sim/tabien-vcard" --fixture "$f" --port $((port + VCARD_READER)) --delay-ms "$VCARD_DELAY_MS" "$@" \
		>>"$log" 2>&1 &
	card_pid=$!
}
# pull [--wait]: the card comes out; with --wait, until pcscd has seen the
# reader empty, as a person's next card cannot come sooner.
pull() {
	[ -n "$card_pid" ] && kill "$card_pid" 2>/dev/null
	wait "$card_pid" 2>/dev/null
	card_pid=
	[ "${1:-}" != --wait ] || wait_reader_empty
}

# --- the gateway simulator -----------------------------------------------------------------

# sim_start [SWITCHES...]: a fresh simulator (fresh counters in $dir/stats)
# with the switches in the array SIM_SWITCHES, then SWITCHES, on a port it
# picks (in sim_port); with SIM_SAME_PORT set, on sim_port when that is set,
# so that a program already running keeps its address.  Then, started or
# not, it runs the script's sim_started, if there is one (to write a
# configuration naming the port).
SIM_SWITCHES=() SIM_SAME_PORT= sim_port=
sim_start() {
	local rc=0
	sim_stop
	rm -f "$dir/sim.port" "$dir/stats"
	[ -n "$SIM_SAME_PORT" ] || sim_port=
	"$B/sim/tabien-gateway" ${sim_port:+--port "$sim_port"} --port-file "$dir/sim.port" \
		--stats-file "$dir/stats" ${SIM_SWITCHES[@]+"${SIM_SWITCHES[@]}"} "$@" >"$dir/sim.out" 2>&1 &
	sim_pid=$!
	wait_cmd eval '[ -s "$dir/sim.port" ] && [ -s "$dir/stats" ]' || rc=1
	sim_port=$(cat "$dir/sim.port" 2>/dev/null)
	! declare -F sim_started >/dev/null || sim_started
	return $rc
}
sim_stop() {
	if [ -n "$sim_pid" ]; then
		kill "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
		sim_pid=
	fi
}
# A counter of the simulator's (token, link ...), once it has written it.
sim_count() { sed -n "s/^$1 //p" "$dir/stats" 2>/dev/null; }

# --- the end -------------------------------------------------------------------------------

# Stops what was started here and removes the scratch folder (kept, and
# named, when KEEP is set).
test_cleanup() {
	[ -n "$card_pid" ] && kill "$card_pid" 2>/dev/null
	[ -n "$pcscd_pid" ] && kill "$pcscd_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	wait 2>/dev/null
	if [ -n "${KEEP:-}" ]; then echo "# kept $dir"; else rm -rf "$dir"; fi
}
