#!/usr/bin/env bash
# `tabien card read` and `tabien card watch` as a person or a script uses them,
# against a private pcscd and the virtual card.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tools/lib.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-cli.XXXXXX")
. "$S/tests/lib/common.sh"
port=$(free_port)
sock="$dir/pcscd.comm"
export PCSCLITE_CSOCK_NAME="$sock"
# A database of this test's own (none until the last cases set one up), so
# that no read lands in a real terminal's audit trail.
export TABIEN_DB="$dir/tabien.db" TABIEN_PWHASH=fast HOME="$dir"
watch_pid=
cleanup() {
	[ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null
	test_cleanup
}
trap cleanup EXIT
# Polls until the file holds the text, up to 10 s.
wait_for() {
	local i
	for i in $(seq 1 200); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
stop_pcscd() { kill "$pcscd_pid"; wait "$pcscd_pid" 2>/dev/null; pcscd_pid=; rm -f "$sock"; }
# The card answers at once; `pull --wait` waits until pcscd has seen the
# reader empty.
VCARD_DELAY_MS=0

echo "1..23"

# No pcscd at all.
"$TABIEN" card read >"$dir/out" 2>"$dir/err"; rc=$?
SHOW="$dir/err" check "no pcscd: exit 1 with the reason in English and Thai" \
	bash -c "[ $rc = 1 ] && grep -q 'PCSCD-DOWN' '$dir/err' && grep -q 'pcscd) is not running' '$dir/err' && grep -q 'บริการเครื่องอ่านบัตร' '$dir/err' && grep -q 'systemctl start pcscd' '$dir/err'"

# pcscd without a reader.
start_pcscd --no-reader
"$TABIEN" card read >"$dir/out" 2>"$dir/err"; rc=$?
SHOW="$dir/err" check "no reader: exit 1, says to plug in the reader" \
	bash -c "[ $rc = 1 ] && grep -q 'NO-READER' '$dir/err' && grep -q 'ไม่พบเครื่องอ่านบัตร' '$dir/err'"
stop_pcscd

start_pcscd
"$TABIEN" card readers >"$dir/out" 2>"$dir/err"; rc=$?
SHOW="$dir/out $dir/err" check "readers: the virtual reader, empty" \
	bash -c "[ $rc = 0 ] && grep -q 'Virtual PCD 00 00.*empty' '$dir/out'"
"$TABIEN" card read --wait 0 >"$dir/out" 2>"$dir/err"; rc=$?
SHOW="$dir/err" check "no card: exit 1, says to insert the card" \
	bash -c "[ $rc = 1 ] && grep -q 'NO-CARD' '$dir/err' && grep -q 'Insert the citizen' '$dir/err'"

# A real read, the card inserted while the command waits.
"$TABIEN" card read --wait 10 --photo "$dir/photo.jpg" >"$dir/out" 2>"$dir/err" &
reader_pid=$!
insert somchai
wait "$reader_pid"; rc=$?
cid=$(value somchai cid)
fmt="${cid:0:1}-${cid:1:4}-${cid:5:5}-${cid:10:2}-${cid:12:1}"
IFS='#' read -r t_title t_first t_middle t_last <<<"$(value somchai name_th)"
SHOW="$dir/out $dir/err" check "read: exit 0, formatted ID and the Thai name" \
	bash -c "[ $rc = 0 ] && grep -q -- '$fmt' '$dir/out' && grep -q '$t_title$t_first $t_last' '$dir/out'"
SHOW="$dir/out" check "read: Buddhist-era dates in Thai" grep -qE '(ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.) 25[0-9][0-9]' "$dir/out"
check "read: --photo writes the card's JPEG, byte for byte" \
	cmp -s "$dir/photo.jpg" "$S/sim/fixtures/$(value somchai photo)"
check "read: the photo file is private (0600)" bash -c "[ \"\$(stat -c %a '$dir/photo.jpg')\" = 600 ]"
# Labels line up: the value column starts at the same screen column on every
# row, though the Thai labels have combining marks (columns != characters).
awk_cols=$(while IFS= read -r line; do
	label=${line%%  [! ]*}; rest=${line#"$label"}; sp=${rest%%[! ]*}
	printf '%s\n' "$label$sp" | LC_ALL=C.UTF-8 wc -L; done <"$dir/out" | sort -u | wc -l)
SHOW="$dir/out" check "read: value column aligned on every row" [ "$awk_cols" = 1 ]

"$TABIEN" card read --json >"$dir/json" 2>"$dir/err"; rc=$?
SHOW="$dir/json $dir/err" check "read --json: the fixture's ID, names and address" \
	bash -c "[ $rc = 0 ] && grep -q '\"cid\":[[:space:]]*\"$cid\"' '$dir/json' && grep -q '\"first\":[[:space:]]*\"$t_first\"' '$dir/json' && grep -q '\"cid_valid\":[[:space:]]*true' '$dir/json' && grep -q '\"photo_bytes\":[[:space:]]*[1-9]' '$dir/json'"
pull --wait

# A card with a wrong check digit: shown, flagged, exit 3.
insert somchai --odd bad-checksum
"$TABIEN" card read --wait 10 --no-photo >"$dir/out" 2>"$dir/err"; rc=$?
SHOW="$dir/out $dir/err" check "bad check digit: exit 3, flagged on screen and as a warning" \
	bash -c "[ $rc = 3 ] && grep -q 'CHECK DIGIT WRONG' '$dir/out' && grep -q 'CID-CHECKSUM' '$dir/err' && grep -q 'หลักตรวจสอบ' '$dir/err'"
pull --wait

# A damaged photo with --photo: the text read is printed all the same, exit 3,
# the warning names the bytes read (not a status word), no file is written.
insert somchai --odd truncated-photo
"$TABIEN" card read --wait 10 --photo "$dir/damaged.jpg" >"$dir/out" 2>"$dir/err"; rc=$?
SHOW="$dir/out $dir/err" check "damaged photo with --photo: the text printed, exit 3, 'length 5100' in both languages, no file" \
	bash -c "[ $rc = 3 ] && grep -q '$(fmt "$cid")' '$dir/out' && grep -q 'damaged, .*not written' '$dir/out' \
		&& grep -q 'CARD-PHOTO (length 5100, photo)' '$dir/err' && grep -q 'ความยาว 5100' '$dir/err' \
		&& ! grep -q 'SW ' '$dir/err' && [ ! -e '$dir/damaged.jpg' ]"
pull --wait

insert somchai --odd no-applet
"$TABIEN" card read --wait 10 >"$dir/out" 2>"$dir/err"; rc=$?
SHOW="$dir/err" check "not a Thai ID card: exit 1, says so" \
	bash -c "[ $rc = 1 ] && grep -q 'NOT-THAI-ID' '$dir/err' && grep -q 'ไม่ใช่บัตรประจำตัวประชาชน' '$dir/err'"
pull --wait

# Hostile cards that offer more than was asked (61 FF and 255 bytes for every
# read; 6C FF for a shorter read): a clear card error, and not a byte copied
# past a buffer (under the sanitizers a report would be in err).
for odd in overlong gr-6c-more; do
	insert somchai --odd "$odd"
	"$TABIEN" card read --wait 10 >"$dir/out" 2>"$dir/err"; rc=$?
	SHOW="$dir/err" check "card answering more than asked (--odd $odd): exit 1, CARD-OVERLONG in English and Thai, nothing overrun" \
		bash -c "[ $rc = 1 ] && grep -q 'CARD-OVERLONG' '$dir/err' && grep -q 'more than was asked' '$dir/err' \
			&& grep -q 'เกินกว่าที่ขอ' '$dir/err' && ! grep -qE 'Sanitizer|runtime error' '$dir/err'"
	pull --wait
done

# Usage errors.
"$TABIEN" card read --wait abc >/dev/null 2>"$dir/err"; rc=$?
SHOW="$dir/err" check "bad --wait: exit 2 with a message" bash -c "[ $rc = 2 ] && grep -q 'wait' '$dir/err'"
# No reader's name is that long (PC/SC's limit is 127 bytes): cut short it
# could name another reader, so it is refused before anything is asked.
long=$(head -c 3000 /dev/zero | tr '\0' r)
for sub in read watch; do
	"$TABIEN" card "$sub" --reader "$long" >/dev/null 2>"$dir/err" </dev/null; rc=$?
	SHOW="$dir/err" check "card $sub --reader over 127 bytes: exit 2, says the name is too long" \
		bash -c "[ $rc = 2 ] && grep -q 'at most 127 bytes' '$dir/err' && grep -q 'ไม่เกิน 127' '$dir/err' \
			&& ! grep -qE 'Sanitizer|runtime error' '$dir/err'"
done
"$TABIEN" card frobnicate >/dev/null 2>"$dir/err"; rc=$?
check "unknown card command: exit 2" [ "$rc" = 2 ]

# watch: events as they happen; Ctrl-C ends it cleanly.
"$TABIEN" card watch --no-photo >"$dir/watch" 2>&1 &
watch_pid=$!
wait_for "$dir/watch" 'reader added'
insert malee
SHOW="$dir/watch" check "watch: insertion and a finished read are printed" \
	bash -c "$(declare -f wait_for); wait_for '$dir/watch' 'card inserted' && wait_for '$dir/watch' 'read done'"
pull --wait
SHOW="$dir/watch" check "watch: removal is printed" wait_for "$dir/watch" 'card removed'
kill -INT "$watch_pid"; wait "$watch_pid"; rc=$?; watch_pid=
check "watch: Ctrl-C exits 0" [ "$rc" = 0 ]

# On a terminal that is set up, a read from the command line is audited
# under the system login that ran it.
printf '%s\n' "กรมทดสอบ" T-01 "สาขาทดสอบ" admin1 "ผู้ดูแล ทดสอบ" 1101700203450 "หัวหน้า" \
	admin-password-1 admin-password-1 | "$TABIEN" admin init --batch >/dev/null 2>&1
insert thana
"$TABIEN" card read --wait 10 --no-photo >/dev/null 2>"$dir/err"
pull --wait
printf 'admin-password-1\n' | "$TABIEN" audit export --as admin1 --batch >"$dir/audit" 2>>"$dir/err"
SHOW="$dir/audit $dir/err" check "read on a set-up terminal: an audit row under the system login, with the card's ID" \
	grep -qE ",os:$(id -un),card\.read,,$(value thana cid),,OK," "$dir/audit"

[ "$failed" = 0 ]
