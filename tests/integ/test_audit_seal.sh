#!/usr/bin/env bash
# The audit trail's seals against a forger who can write the database:
# `tabien audit seal-init`, seals at `tabien audit seal` and on their own,
# and `tabien audit verify --key` after the forger's rewrite (sqlite3, then
# every hash and the head made again by tests/lib/audit_forge), a seal made
# with a later epoch's key, the last seals deleted.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-seal.XXXXXX")
. "$S/tests/lib/common.sh"
export TABIEN_PWHASH=fast TABIEN_TERMINAL=counter-seal
export TABIEN_DB="$dir/data/tabien.db"
unset XDG_DATA_HOME
trap test_cleanup EXIT
KEYFILE="$TABIEN_DB.seal"

run() {
	local input=$1; shift
	printf '%s' "$input" | "$TABIEN" "$@" >"$dir/out" 2>"$dir/err"
	rc=$?
}
ADMIN_PW='admin-password-1'
init_input="กรมทดสอบระบบ
BR-01
สาขาทดสอบ
admin1
สมชาย ใจดี
$(cid_of 110170020345)
หัวหน้างาน
$ADMIN_PW
$ADMIN_PW
"
# Two audited rows a time: admin1's login and the export.
rows() { for _ in $(seq "$1"); do run "$ADMIN_PW
" audit export --as admin1 --batch; done; }
save() { cp "$TABIEN_DB" "$dir/saved.db"; cp -p "$KEYFILE" "$dir/saved.seal"; }
restore() { cp "$dir/saved.db" "$TABIEN_DB"; cp -p "$dir/saved.seal" "$KEYFILE"; }

run "$init_input" admin init --batch
check "the branch set up" [ "$rc" = 0 ]
run "" audit verify
SHOW="$dir/out" check "verify before any seal: exit 0, the chain intact and not sealed, in English and Thai" \
	bash -c "[ $rc = 0 ] && grep -q 'audit chain intact' '$dir/out' && grep -q 'not sealed' '$dir/out' && grep -q 'ยังไม่ได้ผนึก' '$dir/out'"

run "" audit seal-init
KEY=$(sed -n 's/.*: \(tbseal1-[0-9a-f]\{64\}\)$/\1/p' "$dir/out")
SHOW="$dir/out $dir/err" check "seal-init: exit 0, the verification key shown once" \
	bash -c "[ $rc = 0 ] && [ -n '$KEY' ] && grep -q 'กุญแจตรวจสอบ' '$dir/out'"
check "seal-init: the key file is a private plain file that does not hold the verification key" \
	bash -c "[ \"\$(stat -c %a '$KEYFILE')\" = 600 ] && [ -f '$KEYFILE' ] && [ ! -L '$KEYFILE' ] && ! grep -q '${KEY#tbseal1-}' '$KEYFILE'"
run "" audit seal-init
SHOW="$dir/err" check "seal-init twice: exit 1, the key file kept" \
	bash -c "[ $rc = 1 ] && grep -q AUDIT-SEAL-EXISTS '$dir/err'"

rows 3
run "" audit seal
check "audit seal: sealed" bash -c "[ $rc = 0 ] && grep -q '^sealed' '$dir/out'"
rows 3
run "" audit seal
rows 1
run "" audit verify --key "$KEY"
SHOW="$dir/out $dir/err" check "verify --key: exit 0, three seals checked, the rows after the last seal a warning" \
	bash -c "[ $rc = 0 ] && grep -q 'seals: 3 checked' '$dir/out' && grep -q 'warning: 2 rows after row 13 are not sealed yet' '$dir/out' && grep -q 'ยังไม่ได้ผนึก' '$dir/out'"
run "" audit verify
SHOW="$dir/out" check "verify without --key: as before, plus what is sealed" \
	bash -c "[ $rc = 0 ] && grep -q 'audit chain intact: 15 rows' '$dir/out' && grep -q 'seals: 3 stored, up to row 13' '$dir/out'"
run "" audit seal --key x
check "audit seal --key: a usage error" [ "$rc" = 2 ]
run "" audit verify --key "tbseal1-xyz"
SHOW="$dir/err" check "verify with a key that is not one: exit 1, AUDIT-SEAL-KEY" \
	bash -c "[ $rc = 1 ] && grep -q AUDIT-SEAL-KEY '$dir/err'"

save
# The forger: a row changed with sqlite3, the chain and the head made again.
"$B/tests/lib/audit_forge" "$TABIEN_DB" "UPDATE audit SET subject = '$(cid_of 310050012345)' WHERE seq = 4" >/dev/null
run "" audit verify
SHOW="$dir/out" check "forged: the chain alone says intact (the threat)" \
	bash -c "[ $rc = 0 ] && grep -q 'audit chain intact' '$dir/out'"
run "" audit verify --key "$KEY"
SHOW="$dir/out $dir/err" check "forged: verify --key exits 1 naming the rows the seal of epoch 1 no longer matches" \
	bash -c "[ $rc = 1 ] && grep -q 'REWRITTEN: rows 2 to 7 no longer match the seal of epoch 1' '$dir/out' && grep -q 'AUDIT-REWRITTEN (7)' '$dir/err' && grep -q 'ถูกเขียนใหม่' '$dir/err'"

restore
"$B/tests/lib/audit_forge" "$TABIEN_DB" "DELETE FROM audit WHERE seq = 9" >/dev/null
run "" audit verify --key "$KEY"
SHOW="$dir/out" check "forged: a row removed and the rest renumbered is named too" \
	bash -c "[ $rc = 1 ] && grep -q 'rows 8 to 13 no longer match the seal of epoch 2' '$dir/out'"

# The forger re-seals with the key file's seed, the key of epoch 3,
# numbering it epoch 0 after deleting the real seals.
restore
"$B/tests/lib/audit_forge" "$TABIEN_DB" "UPDATE audit SET subject = '$(cid_of 310050012345)' WHERE seq = 4" >/dev/null
sqlite3 "$TABIEN_DB" "DELETE FROM audit_seal"
sed -i -e '/^last /d' -e 's/^epoch .*/epoch 0/' "$KEYFILE"
run "" audit seal
check "the forger's seal is made" [ "$rc" = 0 ]
run "" audit verify --key "$KEY"
SHOW="$dir/out $dir/err" check "a seal made with a later epoch's key: exit 1, FORGED, epoch 0" \
	bash -c "[ $rc = 1 ] && grep -q 'seal of epoch 0 FORGED' '$dir/out' && grep -q 'AUDIT-SEAL-FORGED' '$dir/err'"

restore
sqlite3 "$TABIEN_DB" "DELETE FROM audit_seal WHERE epoch >= 1"
run "" audit verify --key "$KEY"
SHOW="$dir/out $dir/err" check "the last seals deleted: exit 1, missing from epoch 1, the key file at epoch 3" \
	bash -c "[ $rc = 1 ] && grep -q 'seals MISSING from epoch 1 (the key file is at epoch 3)' '$dir/out' && grep -q 'AUDIT-SEAL-MISSING (1)' '$dir/err' && grep -q 'หายไป' '$dir/err'"

restore
mv "$KEYFILE" "$dir/real.seal"
ln -s "$dir/real.seal" "$KEYFILE"
rows 1
run "" audit seal
SHOW="$dir/err" check "a key file that is a link: not followed, refused" \
	bash -c "[ $rc = 1 ] && grep -q FILE-IS-LINK '$dir/err'"
rm "$KEYFILE"
mv "$dir/real.seal" "$KEYFILE"
run "" audit verify --key "$KEY"
SHOW="$dir/out" check "the rows audited meanwhile are written, and sealed at the next chance" \
	bash -c "[ $rc = 0 ] && grep -q 'warning: 4 rows after row 13' '$dir/out'"

echo "1..$n"
