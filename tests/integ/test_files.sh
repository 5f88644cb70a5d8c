#!/usr/bin/env bash
# Files someone else could have planted or swapped: the database behind a
# link, another account's or another program's database, a link beside it;
# the photo and the audit export written over an existing file or a link;
# a configuration holding the secret reached through a link or kept in a
# folder others can write.  Nothing that is not ours is changed.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tools/lib.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-files.XXXXXX")
. "$S/tests/lib/common.sh"
port=$(free_port)
sock="$dir/pcscd.comm"
export PCSCLITE_CSOCK_NAME="$sock" HOME="$dir"
export TABIEN_PWHASH=fast TABIEN_TERMINAL=counter-test
export TABIEN_DB="$dir/data/tabien.db" TABIEN_CONFIG="$dir/conf/tabien.conf"
unset XDG_DATA_HOME XDG_CONFIG_HOME
trap test_cleanup EXIT

run() {
	local input=$1; shift
	printf '%s' "$input" | "$TABIEN" "$@" >"$dir/out" 2>"$dir/err"
	rc=$?
	cat "$dir/err" >>"$dir/all-err"
}
mode_of() { stat -c %a "$1"; }
owner_of() { stat -c %U "$1"; }
same() { cmp -s "$1" "$2"; }
as_root() { [ "$(id -u)" = 0 ]; }
ADMIN_PW='admin-password-1'
CID_ADMIN=$(cid_of 110170020345)
init_input="กรมทดสอบระบบ
BR-01
สาขาทดสอบ
admin1
สมชาย ใจดี
$CID_ADMIN
หัวหน้างาน
$ADMIN_PW
$ADMIN_PW
"

echo "1..21"
run "$init_input" admin init --batch
check "admin init: exit 0" [ "$rc" = 0 ]

# --- the database --------------------------------------------------------------------------
cp "$TABIEN_DB" "$dir/mine.db"
chmod 644 "$dir/mine.db"
ln -s "$dir/mine.db" "$dir/link.db"
run "" audit verify --db "$dir/link.db"
expect_error "audit verify --db a link to a file of ours" DB-IS-LINK 'ลิงก์'
check "the link's target keeps its mode (644)" [ "$(mode_of "$dir/mine.db")" = 644 ]

ln -s "$dir/nowhere.db" "$dir/dangling.db"
run "$init_input" admin init --batch --db "$dir/dangling.db"
expect_error "admin init --db a link to nowhere" DB-IS-LINK 'ลิงก์'
check "nothing is created where the link points" [ ! -e "$dir/nowhere.db" ]

if as_root; then
	cp "$TABIEN_DB" "$dir/theirs.db"
	chmod 644 "$dir/theirs.db"
	chown nobody "$dir/theirs.db"
	run "" audit verify --db "$dir/theirs.db"
	expect_error "audit verify on another account's database" DB-NOT-OURS 'บัญชีอื่น'
	check "their file keeps its owner and mode" \
		bash -c "[ \"\$(stat -c %U '$dir/theirs.db')\" = nobody ] && [ \"\$(stat -c %a '$dir/theirs.db')\" = 644 ]"
else
	skip "audit verify on another account's database" "only root can give a file away"
	skip "their file keeps its owner and mode" "only root can give a file away"
fi

if command -v sqlite3 >/dev/null; then
	sqlite3 "$dir/other.db" "CREATE TABLE t (x); INSERT INTO t VALUES (1)"
	chmod 644 "$dir/other.db"
	run "" audit verify --db "$dir/other.db"
	expect_error "audit verify on another program's SQLite file" DB-NOT-TABIEN 'โปรแกรมอื่น'
	check "that file keeps its mode (644), and nothing is made beside it" \
		bash -c "[ \"\$(stat -c %a '$dir/other.db')\" = 644 ] && [ ! -e '$dir/other.db-wal' ] && [ ! -e '$dir/other.db-shm' ]"
else
	skip "audit verify on another program's SQLite file" "sqlite3 is not installed"
	skip "that file keeps its mode (644), and nothing is made beside it" "sqlite3 is not installed"
fi

cp "$TABIEN_DB" "$dir/w.db"
echo "precious" >"$dir/victim"
chmod 644 "$dir/victim"
ln -s "$dir/victim" "$dir/w.db-wal"
run "" audit verify --db "$dir/w.db"
expect_error "a -wal beside the database that is a link" DB-IS-LINK 'ลิงก์'
check "the -wal link's target is untouched" \
	bash -c "[ \"\$(cat '$dir/victim')\" = precious ] && [ \"\$(stat -c %a '$dir/victim')\" = 644 ]"

# --- the photo -----------------------------------------------------------------------------
start_pcscd
insert somchai
# The card read waits for a card, not for a reader: poll until pcscd lists
# the reader holding the card.
wait_cmd reader_holds_card
photo="$S/sim/fixtures/$(value somchai photo)"
echo "old" >"$dir/photo.jpg"
chmod 644 "$dir/photo.jpg"
run "" card read --wait 10 --photo "$dir/photo.jpg"
SHOW="$dir/err" check "--photo over an existing 0644 file of ours: replaced, now 0600" \
	bash -c "[ $rc = 0 ] && [ \"\$(stat -c %a '$dir/photo.jpg')\" = 600 ] && cmp -s '$photo' '$dir/photo.jpg'"
ln -s "$dir/victim" "$dir/photo-link.jpg"
run "" card read --wait 10 --photo "$dir/photo-link.jpg"
expect_error "--photo to a link" FILE-IS-LINK 'ลิงก์'
check "the link's target is untouched, no file left beside it" \
	bash -c "[ \"\$(cat '$dir/victim')\" = precious ] && [ \"\$(stat -c %a '$dir/victim')\" = 644 ] && ! ls -A '$dir' | grep -q '^\\.photo'"
pull

# --- the audit export ----------------------------------------------------------------------
echo "old" >"$dir/audit.csv"
chmod 644 "$dir/audit.csv"
run "$ADMIN_PW
" audit export --as admin1 --batch --csv "$dir/audit.csv"
SHOW="$dir/err" check "audit export --csv over an existing 0644 file of ours: replaced, now 0600" \
	bash -c "[ $rc = 0 ] && [ \"\$(stat -c %a '$dir/audit.csv')\" = 600 ] && head -n 1 '$dir/audit.csv' | grep -q '^seq,time'"
ln -s "$dir/victim" "$dir/audit-link.csv"
run "$ADMIN_PW
" audit export --as admin1 --batch --csv "$dir/audit-link.csv"
expect_error "audit export --csv to a link" FILE-IS-LINK 'ลิงก์'
check "the link's target is untouched, no file left beside it" \
	bash -c "[ \"\$(cat '$dir/victim')\" = precious ] && ! ls -A '$dir' | grep -q '^\\.audit'"

# --- the configuration ---------------------------------------------------------------------
mkdir -p "$dir/conf" "$dir/real"
printf 'gdx.url = https://127.0.0.1:9\ngdx.consumer_key = k\ngdx.consumer_secret = s3cret\n' \
	>"$dir/real/tabien.conf"
chmod 600 "$dir/real/tabien.conf"
ln -s "$dir/real/tabien.conf" "$TABIEN_CONFIG"
run "" juristic purge
expect_error "a config holding the secret reached through a link" CONFIG-IS-LINK 'ลิงก์'
rm "$TABIEN_CONFIG"
cp -p "$dir/real/tabien.conf" "$TABIEN_CONFIG"
chmod 777 "$dir/conf"
run "" juristic purge
SHOW="$dir/err" check "a private config in a folder anyone can write: still read, with a warning" \
	bash -c "[ $rc = 0 ] && grep -q 'warning: CONFIG-FOLDER-OPEN' '$dir/err' && grep -q 'บัญชีอื่นเขียนได้' '$dir/err'"
chmod 1777 "$dir/conf"
run "" juristic purge
SHOW="$dir/err" check "the same folder with the sticky bit (as /tmp): no warning" \
	bash -c "[ $rc = 0 ] && ! grep -q CONFIG-FOLDER-OPEN '$dir/err'"
chmod 700 "$dir/conf"

SHOW="$dir/all-err" check "no sanitizer report from any command" \
	bash -c "! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$dir/all-err'"
