#!/usr/bin/env bash
# Runs every libFuzzer target of a tree built with `make fuzz` (configure
# CC=clang --enable-fuzz), one after another, and speaks TAP: one case per
# target, with its executions, executions per second and coverage (cov: and
# ft: from libFuzzer's final stats), or the crash and the input that made it.
#
#   run_fuzz.sh --runs N      each target N runs from its seeds (seed 1, a
#                             fresh scratch corpus): tools/check's regression run
#   run_fuzz.sh --seconds S   each target S seconds, the corpus kept between
#                             runs in $B/fuzz/corpus/NAME: tools/fuzz
#
# Seeds: tests/fuzz/corpus/NAME, the card images mkseeds makes from the test
# citizens, tabien.conf.example and themes/*.theme.  The committed corpus is
# never written: libFuzzer adds what it finds to the scratch one.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-fuzz.XXXXXX")
. "$S/tests/lib/common.sh"
trap test_cleanup EXIT

mode=${1:-} amount=${2:-}
case "$mode" in
--runs) limit=(-runs="$amount" -seed=1) ;;
--seconds) limit=(-max_total_time="$amount") ;;
*) echo "usage: run_fuzz.sh --runs N | --seconds S" >&2; exit 2 ;;
esac
case "$amount" in '' | *[!0-9]*) echo "run_fuzz.sh: $mode needs a number" >&2; exit 2 ;; esac

# The card seeds are made here, not kept in the tree.
mkdir -p "$B/fuzz/seeds" && "$B/tests/fuzz/mkseeds" "$S/sim/fixtures" "$B/fuzz/seeds" || exit 1

# seeds NAME DEST: every seed of a target into DEST (kept when there).
seeds() {
	local f
	for f in "$S/tests/fuzz/corpus/$1"/* "$B/fuzz/seeds/$1"/*; do
		[ -f "$f" ] && cp -n "$f" "$2/"
	done
	case "$1" in
	config) cp -n "$S/tabien.conf.example" "$2/" ;;
	theme) cp -n "$S"/themes/*.theme "$2/" ;;
	esac
}

# stat FILE KEY: a value of libFuzzer's -print_final_stats.
stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -n 1; }

crashed=0
for bin in "$B"/tests/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	if [ "$mode" = --runs ]; then corpus=$dir/corpus/$name; else corpus=$B/fuzz/corpus/$name; fi
	crashes=$B/fuzz/crashes/$name
	log=$dir/$name.log
	mkdir -p "$corpus" "$crashes"
	seeds "$name" "$corpus"
	opts=(-print_final_stats=1 -timeout=10 -artifact_prefix="$crashes/")
	case "$name" in
	linkage | token | permission | lk2 | juristic) opts+=(-dict="$S/tests/fuzz/json.dict") ;;
	esac
	"$bin" "${opts[@]}" "${limit[@]}" "$corpus" >"$log" 2>&1
	rc=$?
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
	# Per second only from a timed run: a short one rounds it to 0.
	figures="$(stat "$log" number_of_executed_units) runs, "
	[ "$mode" = --seconds ] && figures+="$(stat "$log" average_exec_per_sec) exec/s, "
	figures+=${cov:-no coverage}
	if [ $rc -eq 0 ]; then
		ok "$name: $figures"
	else
		crashed=1
		input=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
		not_ok "$name: failed (exit $rc), input ${input:-none written}"
		# What went wrong and where: the sanitizer's line and the first frames.
		grep -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|^    #[0-3] ' "$log" | head -n 6 | sed 's/^/# /'
	fi
done
echo "1..$n"
[ $crashed -eq 0 ]
