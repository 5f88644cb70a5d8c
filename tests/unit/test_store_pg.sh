#!/usr/bin/env bash
# The storage, accounts and audit suites once more, on a private PostgreSQL
# server (tests/lib/pg.sh): each cmocka test gets a database of its own
# there (tests/unit/store_fixture.c), the tests about the SQLite file itself
# are skipped.  The three programs' TAP as one plan.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-store-pg.XXXXXX")
. "$S/tests/lib/common.sh"
. "$S/tests/lib/pg.sh"
trap 'pg_cleanup; test_cleanup' EXIT

if ! pg_available; then
	echo "1..0 # SKIP the postgresql package is not installed"
	exit 0
fi
pg_start || { cat "$dir"/pg/*.log; echo "Bail out! the private server did not start"; exit 1; }
export TABIEN_TEST_PG="host=$pg_dir port=$pg_port user=$PG_SUPER"
for t in test_store_db test_store_accounts test_store_audit; do
	CMOCKA_MESSAGE_OUTPUT=TAP "$B/tests/unit/$t" >"$dir/$t.tap" 2>&1
	while IFS= read -r line; do
		case $line in
		*"# SKIP"*)
			n=$((n + 1))
			echo "ok $n - $t (postgresql): ${line##*SKIP } # SKIP about the SQLite file itself"
			;;
		"ok "* | "not ok "*)
			n=$((n + 1))
			[ "${line#not}" != "$line" ] && failed=$((failed + 1))
			echo "$line" | sed -E "s/^(not )?ok [0-9]+ -? ?/\1ok $n - $t (postgresql): /"
			;;
		1..*) ;;
		*) echo "# $line" ;;
		esac
	done <"$dir/$t.tap"
done
echo "1..$n"
[ "$failed" = 0 ]
