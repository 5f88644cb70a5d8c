#!/usr/bin/env bash
# The audit trail with many writers: audited lookups per second with 1, 8
# and 32 terminals appending at once (tests/lib/audit_writer, one process
# each, each terminal its own chain; and 32 processes on one terminal) on a private PostgreSQL server and on one SQLite file, the chain
# verified after each run; and an officer's sign-in, p50 and p99, on both.
# Figures, never a pass or a fail on a time.
#   bench_store.sh BUILD-DIR SOURCE-DIR [ROWS]   (ROWS per run, 2000 by default)
set -u
B=${1:?build dir} S=${2:?source dir} rows=${3:-2000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-bench-store.XXXXXX")
. "$S/tests/lib/common.sh"
. "$S/tests/lib/pg.sh"
trap 'pg_cleanup; test_cleanup' EXIT
WRITER="$B/tests/lib/audit_writer"
unset TABIEN_PWHASH XDG_DATA_HOME
export TABIEN_TERMINAL=bench HOME="$dir"

pg_available || { echo "bench_store: the postgresql package is not installed"; exit 0; }
pg_start || { echo "bench_store: the private server did not start"; exit 1; }
pg_createdb tabien
PGDB=$(pg_conn tabien)
LITE="$dir/lite/tabien.db"
CID=$(cid_of 110170020345)
for db in "$PGDB" "$LITE"; do
	printf 'กรมทดสอบระบบ\nBR-01\nสาขาทดสอบ\nadmin1\nสมชาย ใจดี\n%s\nหัวหน้างาน\n%s\n%s\n' \
		"$CID" bench-password-1 bench-password-1 | "$TABIEN" admin init --batch --db "$db" >/dev/null
done

# every_ready W: all W writers have connected and wait at the barrier (or
# one could not connect and said so).
every_ready() {
	[ "$(cat "$dir"/w.* 2>/dev/null | grep -c '^ready$')" -ge "$1" ] ||
		[ -n "$(cat "$dir"/w-err.* 2>/dev/null)" ]
}
# run ENGINE DB WRITERS [one]: ROWS appends shared among WRITERS processes,
# each its own terminal (its own audit chain), or with "one" all on one
# terminal, one chain, taking turns.  The writers connect, wait at a
# barrier (the end of a FIFO's input) and append together: the rate is over
# the first append's start to the last one's commit, on the writers' own
# monotonic clock; process start-up and connecting (launch to all at the
# barrier) are printed beside it, not in it.
run() {
	local engine=$1 db=$2 w=$3 each=$(( (rows + $3 - 1) / $3 )) launch ready fails=0 pids=() p
	local one=${4:-}
	local before after
	before=$("$TABIEN" audit verify --db "$db" 2>/dev/null | sed -n 's/.*intact: \([0-9]*\) rows.*/\1/p')
	rm -f "$dir/go"
	mkfifo "$dir/go"
	# Held open read-write here, so the writers' opens do not block; closed,
	# it is the end of their input: the start.
	exec 3<>"$dir/go"
	launch=$(now_ms)
	for i in $(seq 1 "$w"); do
		TABIEN_TERMINAL="bench-${one:-$i}" "$WRITER" --barrier "$db" "$each" "b$w-$i" \
			<"$dir/go" >"$dir/w.$i" 2>"$dir/w-err.$i" 3>&- &
		pids+=($!)
	done
	DEADLINE_MS=120000 wait_cmd every_ready "$w"
	ready=$(now_ms)
	exec 3>&-
	for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
	after=$("$TABIEN" audit verify --db "$db" 2>/dev/null | sed -n 's/.*intact: \([0-9]*\) rows.*/\1/p')
	cat "$dir"/w.* | sed -n 's/^us //p' | sort -n >"$dir/lat"
	t0=$(cat "$dir"/w.* | sed -n 's/^t0 //p' | sort -n | head -n 1)
	t1=$(cat "$dir"/w.* | sed -n 's/^t1 //p' | sort -n | tail -n 1)
	awk -v e="$engine${one:+ 1 term}" -v w="$w" -v n="$((${after:-0} - ${before:-0}))" \
		-v want="$((w * each))" -v us="$((${t1:-0} - ${t0:-0}))" -v f="$fails" \
		-v up="$((ready - launch))" -v chain="${after:+intact}" -v all="${after:-0}" '
		{ a[NR] = $1 }
		END {
			printf "%-17s %2d writers  %5d rows in %6.0f ms  %7.0f lookups/s  append p50 %6.2f ms  p99 %7.2f ms  chain %s%s  (start-up %d ms)%s\n",
				e, w, n, us / 1000, n * 1000000 / (us > 0 ? us : 1), a[int(NR * 0.5) + 1] / 1000,
				a[int(NR * 0.99) + 1] / 1000, chain ? chain : "NOT INTACT",
				chain ? sprintf(", %d rows in all, %d of %d added", all, n, want) : "", up,
				f || n != want ? sprintf("  (%d writers refused some appends, %d rows missing)", f, want - n) : ""
		}' "$dir/lat"
	rm -f "$dir"/w.* "$dir"/w-err.* "$dir/go"
}

echo "== the audit trail with many writers: $rows audited lookups a run, one process per writer =="
echo "   (rate from the first append to the last commit, all writers connected first; start-up: launch to all connected)"
for w in 1 8 32; do run postgresql "$PGDB" "$w"; done
run postgresql "$PGDB" 32 one
for w in 1 8 32; do run sqlite "$LITE" "$w"; done
echo "== an officer's sign-in (the password hashing included), 50 in a row =="
for e in postgresql sqlite; do
	db=$PGDB
	[ $e = sqlite ] && db=$LITE
	"$WRITER" --login "$db" 50 admin1 bench-password-1 | sed -n 's/^us //p' | sort -n >"$dir/lat"
	awk -v e=$e '{ a[NR] = $1 } END { printf "%-10s sign-in p50 %7.1f ms  p99 %7.1f ms\n", e,
		a[int(NR * 0.5) + 1] / 1000, a[int(NR * 0.99) + 1] / 1000 }' "$dir/lat"
done
