#!/usr/bin/env bash
# `tabien copy card`: the signed digital copy, made from the virtual card
# through the private pcscd, checked with the tools a receiving agency
# would use: pdfsig (valid, trusted once the CA made here is in an NSS
# database, broken after one byte changes), pdftotext -raw (the Thai name
# with its marks, the formatted ID, the purpose, the source), pdfimages (the
# card's JPEG byte for byte; none with --no-photo), qpdf --check, pdftoppm.
# Then the refusals: no key, a key that is no key, a key of another
# certificate, an expired certificate, a key others can read, a missing
# copies folder, no purpose with --batch, the document system failing or
# hanging; each leaves no file, and the audit trail has a row per copy
# with its SHA-256.  A key in a token: copy.sign_command run as
# sim/tabien-token-sign (RSA and EC P-256), pdfsig valid and trusted, the
# CAdES attributes read back by openssl cms; and refused, with no file, for
# copy.key beside it, a missing command, one that fails, hangs, talks too
# much, prints garbage or signs with another key.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tools/lib.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-copy.XXXXXX")
. "$S/tests/lib/common.sh"
port=$(free_port)
sock="$dir/pcscd.comm"
export PCSCLITE_CSOCK_NAME="$sock"
export TABIEN_DB="$dir/tabien.db" TABIEN_PWHASH=fast HOME="$dir" TABIEN_CONFIG="$dir/tabien.conf"
unset XDG_DATA_HOME XDG_CONFIG_HOME
trap test_cleanup EXIT
SHOW="$dir/out $dir/err"
VCARD_DELAY_MS=0
PW='officer-password-1'
PURPOSE='สมัครงานราชการ'
CID=$(value somchai cid)

echo "1..63"

# --- the agency's keys, made here ------------------------------------------------------------
k="$dir/keys"
mkdir -m 700 "$k"
(
	cd "$k" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
		-subj "/CN=Test Agency CA" -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign
	openssl req -newkey rsa:2048 -nodes -keyout sign.key -out sign.csr -utf8 -subj "/O=กรมทดสอบระบบ/CN=Copy Signer"
	printf 'keyUsage=critical,digitalSignature,nonRepudiation\n' >ext
	openssl x509 -req -in sign.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
		-extfile ext -out sign.pem
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other.key
	# Expired: valid for one second, a day ago (openssl ca sets the dates).
	mkdir -p db && : >db/index && echo 01 >db/serial
	printf '[ca]\ndefault_ca=c\n[c]\ndatabase=db/index\nserial=db/serial\nnew_certs_dir=db\npolicy=p\ndefault_md=sha256\n[p]\ncommonName=supplied\n' >ca.cnf
	openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in sign.csr -out old.pem \
		-startdate 20200101000000Z -enddate 20200102000000Z -subj "/CN=Copy Signer"
	echo "not a key" >junk.key
	# An EC P-256 key for the token, under the same CA.
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.csr \
		-subj "/O=Token Agency/CN=Token Signer"
	openssl x509 -req -in ec.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile ext -out ec.pem
	chmod 600 ./*.key
) >"$dir/openssl.log" 2>&1
key=$k/sign.key cert=$k/sign.pem chain= command= timeout= copydir= signcmd= signtimeout=
config() {
	{
		[ -n "$key" ] && echo "copy.key = $key"
		[ -n "$signcmd" ] && echo "copy.sign_command = $signcmd"
		[ -n "$signtimeout" ] && echo "copy.sign_timeout_s = $signtimeout"
		[ -n "$cert" ] && echo "copy.cert = $cert"
		[ -n "$chain" ] && echo "copy.chain = $chain"
		[ -n "$command" ] && echo "copy.command = $command"
		[ -n "$timeout" ] && echo "copy.command_timeout_s = $timeout"
		[ -n "$copydir" ] && echo "copy.dir = $copydir"
		if [ -n "$sim_port" ]; then
			printf 'gdx.url = http://127.0.0.1:%s\ngdx.consumer_key = sim-key\n' "$sim_port"
			printf 'gdx.consumer_secret = sim-secret\ndbd.source = gdx\nhttp.timeout_ms = 4000\n'
		fi
	} >"$TABIEN_CONFIG"
	chmod 600 "$TABIEN_CONFIG"
}
# cp [OPTIONS...]: one copy of the card as officer1.
cp_card() {
	config
	printf '%s\n' "$PW" | "$TABIEN" copy card --as officer1 --batch "$@" >"$dir/out" 2>"$dir/err"
	rc=$?
}
copies() { find "$dir/.local/share/tabien/copies" "$dir/out.d" -type f 2>/dev/null | wc -l; }

printf '%s\n' "กรมทดสอบระบบ" BR-01 "สาขาทดสอบ" officer1 "สมชาย ใจดี" "$CID" "เจ้าหน้าที่" \
	"$PW" "$PW" | "$TABIEN" admin init --batch >"$dir/out" 2>"$dir/err"
start_pcscd
insert somchai
wait_cmd reader_holds_card

# --- a copy with the photo ------------------------------------------------------------------
cp_card --purpose "$PURPOSE" --json
pdf=$(jq -r .path "$dir/out" 2>/dev/null)
check "copy: exit 0, JSON with the path, the SHA-256, the signer and the audit reference" \
	bash -c "[ $rc = 0 ] && [ -f '$pdf' ] && jq -e '.sha256|test(\"^[0-9a-f]{64}\$\")' '$dir/out' >/dev/null \
		&& jq -e '.signer|test(\"CN = Copy Signer\") and test(\"กรมทดสอบระบบ\")' '$dir/out' >/dev/null && jq -e '.audit_ref|length==16' '$dir/out' >/dev/null"
check "copy: the file's SHA-256 is the one reported" \
	bash -c "[ \"\$(sha256sum '$pdf' | cut -d' ' -f1)\" = \"\$(jq -r .sha256 '$dir/out')\" ]"
check "copy: the copies folder is 0700 and the file 0600" \
	bash -c "[ \"\$(stat -c %a '$dir/.local/share/tabien/copies')\" = 700 ] && [ \"\$(stat -c %a '$pdf')\" = 600 ]"
pdfsig "$pdf" >"$dir/sig" 2>&1
SHOW="$dir/sig" check "pdfsig: ETSI.CAdES.detached, SHA-256, valid, the whole document signed" \
	bash -c "grep -q 'ETSI.CAdES.detached' '$dir/sig' && grep -q 'SHA-256\|SHA256' '$dir/sig' \
		&& grep -q 'Signature is Valid' '$dir/sig' && grep -q 'Total document signed' '$dir/sig'"
mkdir "$dir/nss"
certutil -N --empty-password -d "sql:$dir/nss" >/dev/null 2>&1
certutil -A -t "CT,C,C" -n ca -i "$k/ca.pem" -d "sql:$dir/nss" >/dev/null 2>&1
pdfsig -nssdir "sql:$dir/nss" "$pdf" >"$dir/sig" 2>&1
SHOW="$dir/sig" check "pdfsig: the certificate is trusted once the CA is known" \
	grep -q 'Certificate is Trusted' "$dir/sig"
cp "$pdf" "$dir/flipped.pdf"
# One byte of the page content (inside the first signed range) changes.
off=$(grep -abo 'stream' "$dir/flipped.pdf" | head -1 | cut -d: -f1)
printf 'X' | dd of="$dir/flipped.pdf" bs=1 seek=$((off + 40)) conv=notrunc 2>/dev/null
pdfsig "$dir/flipped.pdf" >"$dir/sig" 2>&1
SHOW="$dir/sig" check "pdfsig: one byte changed, the signature is not valid" \
	bash -c "! grep -q 'Signature is Valid' '$dir/sig' && grep -q 'Digest Mismatch\|Invalid\|not valid' '$dir/sig'"
qpdf --check "$pdf" >"$dir/qpdf" 2>&1; q=$?
SHOW="$dir/qpdf" check "qpdf --check: exit 0" [ "$q" = 0 ]
pdftotext -raw "$pdf" "$dir/text" 2>/dev/null
SHOW="$dir/text" check "pdftotext: the Thai name with its marks, the ID, the purpose, the source" \
	bash -c "grep -qF 'นายสมชาย ใจดี' '$dir/text' && grep -qF '$(fmt "$CID")' '$dir/text' \
		&& grep -qF 'ใช้สำหรับ $PURPOSE เท่านั้น' '$dir/text' && grep -qF 'ชิปในบัตร' '$dir/text' \
		&& grep -qF 'สำเนาถูกต้อง' '$dir/text' && grep -qF 'กรมทดสอบระบบ' '$dir/text'"
ref=$(jq -r .audit_ref "$dir/out")
check "pdftotext: the audit reference is on the page" grep -qF "$ref" "$dir/text"
mkdir "$dir/img"
pdfimages -all "$pdf" "$dir/img/p" 2>/dev/null
check "pdfimages: the photo is the card's own JPEG, byte for byte" \
	bash -c "[ \$(ls '$dir/img' | wc -l) = 1 ] && cmp -s '$dir/img/p-000.jpg' '$S/sim/fixtures/$(value somchai photo)'"
pdftoppm -r 50 -f 1 -l 1 -png "$pdf" "$dir/page" 2>/dev/null
check "pdftoppm: page 1 renders" bash -c "[ -s '$dir/page-1.png' ]"
check "copy: the file is at most 150 KB" bash -c "[ \$(stat -c %s '$pdf') -le 153600 ]"
sqlite3 "$TABIEN_DB" "select action||'|'||service||'|'||subject||'|'||purpose||'|'||result from audit where action='copy.make'" >"$dir/audit"
SHOW="$dir/audit" check "audit: the copy's row: reference, citizen, purpose, OK and the SHA-256" \
	grep -qF "copy.make|copy $ref|$CID|$PURPOSE|OK sha256=$(jq -r .sha256 "$dir/out")" "$dir/audit"

# --- least data -------------------------------------------------------------------------------
cp_card --purpose "$PURPOSE" --no-photo --out "$dir/nophoto.pdf"
pdfimages -list "$dir/nophoto.pdf" >"$dir/list" 2>&1
SHOW="$dir/list $dir/err" check "--no-photo: signed, and no image in the file" \
	bash -c "[ $rc = 0 ] && [ \$(tail -n +3 '$dir/list' | wc -l) = 0 ] && pdfsig '$dir/nophoto.pdf' | grep -q 'Signature is Valid'"

# --- refusals: no file, a clear error in both languages ------------------------------------------
before=$(copies)
key= cp_card --purpose "$PURPOSE"
expect_error "no key" COPY-NO-KEY "ยังไม่ได้ตั้งค่ากุญแจ" copy.key
key=$k/junk.key cp_card --purpose "$PURPOSE"
expect_error "a file that is no key" COPY-KEY-BAD "ไม่ใช่กุญแจส่วนตัว"
key=$k/other.key cp_card --purpose "$PURPOSE"
expect_error "a key of another certificate" COPY-KEY-MISMATCH "ไม่ตรงกับใบรับรอง"
cert=$k/old.pem cp_card --purpose "$PURPOSE"
expect_error "an expired certificate" COPY-CERT-EXPIRED "หมดอายุ"
chmod 644 "$k/sign.key"
cp_card --purpose "$PURPOSE"
expect_error "a key others can read" COPY-KEY-NOT-PRIVATE "chmod 600" 644
chmod 600 "$k/sign.key"
ln -s "$k/sign.key" "$dir/link.key"
key=$dir/link.key cp_card --purpose "$PURPOSE"
expect_error "a key reached through a link" COPY-KEY-NOT-PRIVATE "ลิงก์"
copydir=$dir/missing cp_card --purpose "$PURPOSE"
expect_error "a missing copies folder" COPY-FOLDER "โฟลเดอร์สำเนา"
cp_card --batch
expect_error "no purpose with --batch" COPY-NO-PURPOSE "วัตถุประสงค์"
check "refusals: no copy was written" bash -c "[ $(copies) = $before ] && [ ! -e '$dir/missing' ]"

# --- the document system ---------------------------------------------------------------------
printf '#!/bin/sh\ncat >"%s/delivered.pdf"\n' "$dir" >"$dir/dms-ok"
printf '#!/bin/sh\ncat >/dev/null\necho "document system down" >&2\nexit 4\n' >"$dir/dms-fail"
printf '#!/bin/sh\nexec sleep 600\n' >"$dir/dms-hang"
chmod 700 "$dir"/dms-*
command=$dir/dms-ok cp_card --purpose "$PURPOSE" --json
check "copy.command: the signed file on its standard input, none kept" \
	bash -c "[ $rc = 0 ] && [ \"\$(jq -r .path '$dir/out')\" = - ] && pdfsig '$dir/delivered.pdf' | grep -q 'Signature is Valid' && [ $(copies) = $before ]"
command=$dir/dms-fail cp_card --purpose "$PURPOSE"
expect_error "copy.command failing" COPY-COMMAND-FAILED "ไม่รับสำเนา"
command=$dir/dms-hang timeout=1 cp_card --purpose "$PURPOSE"
expect_error "copy.command hanging" COPY-COMMAND-TIMEOUT "ไม่เสร็จในเวลา"
sqlite3 "$TABIEN_DB" "select result from audit where action='copy.make' order by seq" >"$dir/audit"
SHOW="$dir/audit" check "audit: the undelivered copies' rows say why, with their SHA-256" \
	bash -c "grep -q '^COPY-COMMAND-FAILED sha256=[0-9a-f]\{64\}\$' '$dir/audit' && grep -q '^COPY-COMMAND-TIMEOUT sha256=' '$dir/audit'"

# --- a key in a token: the signing command ----------------------------------------------------
TOKEN=$B/sim/tabien-token-sign
# tk [SIGNER OPTIONS...]: a copy signed by the stand-in for the token's command.
tk() {
	local o=$1
	shift
	key= signcmd="$TOKEN --key $o $*" cp_card --purpose "$PURPOSE" --json
}
before=$(copies)
tk "$k/sign.key"
pdf=$(jq -r .path "$dir/out" 2>/dev/null)
pdfsig -nssdir "sql:$dir/nss" "${pdf:-/nonexistent}" >"$dir/sig" 2>&1
SHOW="$dir/sig $dir/err" check "copy.sign_command: ETSI.CAdES.detached, valid, trusted, the whole document signed" \
	bash -c "[ $rc = 0 ] && grep -q 'ETSI.CAdES.detached' '$dir/sig' && grep -q 'Signature is Valid' '$dir/sig' \
		&& grep -q 'Certificate is Trusted' '$dir/sig' && grep -q 'Total document signed' '$dir/sig' \
		&& jq -e '.signer|test(\"CN = Copy Signer\")' '$dir/out' >/dev/null"
# The CMS out of /Contents, read by openssl: the CAdES attributes are there.
# (perl-base is in every Debian; the zero padding after the DER is not read.)
grep -ao '/Contents <[0-9A-F]*>' "${pdf:-/nonexistent}" | tail -1 | sed 's/^[^<]*<//; s/>$//' |
	perl -ne 'print pack("H*", $_)' >"$dir/cms.der"
openssl cms -cmsout -print -inform DER -in "$dir/cms.der" >"$dir/cms.txt" 2>&1
SHOW="$dir/cms.txt" check "copy.sign_command: signed attributes content type, message digest, signing-certificate-v2" \
	bash -c "grep -q 'contentType' '$dir/cms.txt' && grep -q 'messageDigest' '$dir/cms.txt' \
		&& grep -qi 'signingCertificateV2\|id-smime-aa-signingCertificateV2' '$dir/cms.txt'"
key= cert=$k/ec.pem signcmd="$TOKEN --key $k/ec.key" cp_card --purpose "$PURPOSE" --out "$dir/ec.pdf"
pdfsig -nssdir "sql:$dir/nss" "$dir/ec.pdf" >"$dir/sig" 2>&1
SHOW="$dir/sig $dir/err" check "copy.sign_command with an EC P-256 key: valid and trusted" \
	bash -c "[ $rc = 0 ] && grep -q 'Signature is Valid' '$dir/sig' && grep -q 'Certificate is Trusted' '$dir/sig'"
rm -f "$dir/ec.pdf"
before=$(copies)
signcmd="$TOKEN --key $k/sign.key" cp_card --purpose "$PURPOSE"
expect_error "copy.key and copy.sign_command together" COPY-SIGNER-TWICE "ลงนามได้ทางเดียว"
key= signcmd="$dir/no-such-signer" cp_card --purpose "$PURPOSE"
expect_error "a signing command that is not there" COPY-SIGNER-MISSING "เรียกใช้คำสั่งลงนาม"
tk "$k/sign.key" --odd exit1
expect_error "a signing command that fails" COPY-SIGNER-FAILED "ไม่ส่งลายมือชื่อ"
signtimeout=1 tk "$k/sign.key" --odd hang
expect_error "a signing command that hangs" COPY-SIGNER-TIMEOUT "ไม่เสร็จในเวลา"
tk "$k/sign.key" --odd huge
expect_error "a signing command that prints too much" COPY-SIGNER-FAILED "ยาวเกินไป"
tk "$k/sign.key" --odd garbage
expect_error "a signing command that prints no signature" COPY-SIGNATURE-BAD "ตรวจสอบกับใบรับรอง"
tk "$k/other.key"
expect_error "a token whose key is not the certificate's" COPY-SIGNATURE-BAD "copy.cert"
check "the signing command's failures: no copy and no temporary file left" \
	bash -c "[ $(copies) = $before ] && [ -z \"\$(find '$dir/.local/share/tabien/copies' -name '.*')\" ]"
sqlite3 "$TABIEN_DB" "select count(*) from audit where action='copy.make' and result like 'COPY-SIGN%'" >"$dir/audit"
check "the signing command's failures: no audit row claims a copy" [ "$(cat "$dir/audit")" = 0 ]

# --- the registry and DBD, from the gateway simulator ----------------------------------------
# cq SUBCOMMAND [OPTIONS...]: one copy of a registry or DBD answer as officer1.
cq() {
	config
	printf '%s\n' "$PW" | "$TABIEN" copy "$@" --as officer1 --batch >"$dir/out" 2>"$dir/err"
	rc=$?
}
# The text of a copy, ended by a line break (pdftotext ends on a form feed).
pdf_text() { pdftotext -raw "$1" "$dir/text" 2>/dev/null; echo >>"$dir/text"; }
sim_start
HOUSE=$dir/household.pdf
cq household --cid "$CID" --purpose "$PURPOSE" --out "$HOUSE" --json
SHOW="$dir/out $dir/err" check "copy household: exit 0, signed and valid" \
	bash -c "[ $rc = 0 ] && [ \"\$(jq -r .path '$dir/out')\" = '$HOUSE' ] && pdfsig '$HOUSE' | grep -q 'Signature is Valid'"
pdf_text "$HOUSE"
SHOW="$dir/text" check "copy household: the members' Thai names with their marks, IDs, each service's source" \
	bash -c "grep -qF 'เด็กชายสมศักดิ์ ใจดี' '$dir/text' && grep -qF '3-4001-00123-46-6' '$dir/text' \
		&& grep -qF 'บริการ 00023/007' '$dir/text' && grep -qF 'บริการ 00023/008' '$dir/text' \
		&& grep -qF 'ใช้สำหรับ $PURPOSE เท่านั้น' '$dir/text'"
SHOW="$dir/text" check "copy household: no section that was not picked (record, name changes, photo)" \
	bash -c "! grep -qF '00023/001' '$dir/text' && ! grep -qF '00023/013' '$dir/text' && ! grep -qF 'บิดา' '$dir/text' \
		&& [ \$(pdfimages -list '$HOUSE' | tail -n +3 | wc -l) = 0 ]"
cq person --cid "$CID" --sections record,names --purpose "$PURPOSE" --out "$dir/person.pdf"
pdf_text "$dir/person.pdf"
SHOW="$dir/text $dir/err" check "copy person --sections record,names: 001, 013 and 017, no household" \
	bash -c "[ $rc = 0 ] && grep -qF 'บริการ 00023/001' '$dir/text' && grep -qF 'บริการ 00023/013' '$dir/text' \
		&& grep -qF 'บริการ 00023/017' '$dir/text' && grep -qF '3-4001-00123-40-7' '$dir/text' \
		&& ! grep -qF '00023/007' '$dir/text' && ! grep -qF 'เด็กชายสมศักดิ์' '$dir/text'"
AGE=$(age_of 25280315)
SHOW="$dir/text" check "copy person: the age from the birth date as of the copy's day ($AGE), as the panes show it" \
	grep -qF "อายุ / Age $AGE ปี / $AGE years" "$dir/text"
SIAM=0105536012346
cq juristic "$SIAM" --sections certificate,directors --purpose "$PURPOSE" --out "$dir/company.pdf" --json
pdf_text "$dir/company.pdf"
SHOW="$dir/text $dir/err" check "copy juristic: signed, the company's Thai name, its directors, DBD as the source" \
	bash -c "[ $rc = 0 ] && pdfsig '$dir/company.pdf' | grep -q 'Signature is Valid' \
		&& grep -qF 'บริษัท สยามตัวอย่างการค้า จำกัด' '$dir/text' && grep -qF 'นางสาวมาลี มีสุข' '$dir/text' \
		&& grep -qF 'Source: DBD (gdx)' '$dir/text' && grep -qF '5,000,000.00 บาท' '$dir/text'"
SHOW="$dir/text" check "copy juristic: the signing authority and shareholders, not picked, are absent" \
	bash -c "! grep -qF 'ประทับตราสำคัญของบริษัท' '$dir/text' && ! grep -qF 'ผู้ถือหุ้น' '$dir/text'"
sqlite3 "$TABIEN_DB" "select subject||'|'||result from audit where action='copy.make'" >"$dir/audit"
SHOW="$dir/audit" check "audit: the company's copy has its row with the SHA-256" \
	grep -qF "$SIAM|OK sha256=$(jq -r .sha256 "$dir/out")" "$dir/audit"
cq juristic "$SIAM" --sections shareholders --purpose "$PURPOSE" --out "$dir/holders.pdf"
expect_error "shareholders DBD did not send" COPY-SECTION-MISSING "ไม่มีข้อมูลส่วนที่เลือก"
cq person --cid "$CID" --sections record,photo --purpose "$PURPOSE" --out "$dir/bad.pdf"
check "an unknown section: a usage error, no file" \
	bash -c "[ $rc = 2 ] && grep -qF 'record,addresses,household,names' '$dir/err' && [ ! -e '$dir/bad.pdf' ] && [ ! -e '$dir/holders.pdf' ]"

# --- unsigned copies: only when an admin allows them for the branch ---------------------------
unsigned() { printf '%s\n' "$PW" | "$TABIEN" admin settings --as officer1 --batch --copy-unsigned "$1" >"$dir/admin.out" 2>&1; }
unsigned yes
key= cert= cq juristic "$SIAM" --purpose "$PURPOSE" --out "$dir/unsigned.pdf" --json
pdf_text "$dir/unsigned.pdf"
pages=$(pdfinfo "$dir/unsigned.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
SHOW="$dir/text $dir/err $dir/admin.out" check "unsigned copies allowed, no key: made, every page says UNSIGNED / ไม่ได้ลงนาม, no signature" \
	bash -c "[ $rc = 0 ] && grep -qF 'unsigned copies / สำเนาที่ไม่ลงนาม: allowed' '$dir/admin.out' &&
		[ \$(grep -oF 'UNSIGNED: this copy carries no digital signature' '$dir/text' | wc -l) = '${pages:-x}' ] &&
		[ \$(grep -oF 'ไม่ได้ลงนาม' '$dir/text' | wc -l) -ge '${pages:-x}' ] &&
		pdfsig '$dir/unsigned.pdf' 2>&1 | grep -q 'does not contain any signatures' &&
		[ \"\$(jq -r .signer '$dir/out')\" = 'UNSIGNED / ไม่ได้ลงนาม' ]"
cq juristic "$SIAM" --purpose "$PURPOSE" --out "$dir/signed-anyway.pdf"
check "unsigned copies allowed, a key set up: the copy is signed all the same" \
	bash -c "[ $rc = 0 ] && pdfsig '$dir/signed-anyway.pdf' | grep -q 'Signature is Valid'"
unsigned no
key= cert= cq juristic "$SIAM" --purpose "$PURPOSE" --out "$dir/refused.pdf"
check "unsigned copies not allowed again, no key: refused (COPY-NO-KEY), no file" \
	bash -c "[ $rc = 1 ] && grep -qF COPY-NO-KEY '$dir/err' && [ ! -e '$dir/refused.pdf' ]"

# --- the copies folder (copy.dir) filled from the command line -----------------------------------
box=$dir/box
mkdir -m 700 "$box"
: >"$dir/refs"
for i in 1 2 3; do
	copydir=$box cp_card --purpose "$PURPOSE" --json
	jq -r .audit_ref "$dir/out" >>"$dir/refs" 2>/dev/null
done
ls "$box" >"$dir/names"
SHOW="$dir/names $dir/refs" check "copy.dir: three copies, three names, each its audit reference's, none replaced" \
	bash -c "[ \$(wc -l <'$dir/names') = 3 ] && [ \$(sort -u '$dir/refs' | wc -l) = 3 ] &&
		sed 's/^/copy-/; s/\$/.pdf/' '$dir/refs' | sort >'$dir/refs.names' && sort '$dir/names' | cmp -s - '$dir/refs.names'"
check "copy.dir: the folder 0700, every file 0600" \
	bash -c "[ \$(stat -c %a '$box') = 700 ] && [ -z \"\$(find '$box' -type f ! -perm 600)\" ]"
ln -s "$box" "$dir/box-link"
copydir=$dir/box-link cp_card --purpose "$PURPOSE"
expect_error "copy.dir a link to a folder" COPY-FOLDER-NOT-PRIVATE "ลิงก์"
chmod 777 "$box"
copydir=$box cp_card --purpose "$PURPOSE"
expect_error "copy.dir writable by others" COPY-FOLDER-NOT-PRIVATE "chmod 700" 777
chmod 700 "$box"
if [ "$(id -u)" = 0 ]; then
	chown nobody "$box"
	copydir=$box cp_card --purpose "$PURPOSE"
	expect_error "copy.dir another account's" COPY-FOLDER-NOT-PRIVATE "ไม่ใช่ของบัญชีนี้"
	chown root "$box"
else
	skip "copy.dir another account's" "needs root to give it away"
fi
default=$dir/.local/share/tabien/copies
mv "$default" "$dir/default-copies"
ln -s "$box" "$default"
cp_card --purpose "$PURPOSE"
expect_error "the default copies folder a link" COPY-FOLDER-NOT-PRIVATE "ลิงก์"
rm "$default"
mv "$dir/default-copies" "$default"
check "the refused copies folders: nothing written in any" \
	bash -c "[ \$(ls -A '$box' | wc -l) = 3 ]"

# --- a full copies folder: a 16 KB tmpfs of its own, in a mount namespace of
# this command's own (the copy with its photo is some 57 KB) --------------------------------------
full=$dir/full
mkdir -m 700 "$full"
if [ "$(id -u)" = 0 ] && unshare -m sh -c "mount -t tmpfs -o size=16k,mode=700 tabien-full '$full'" 2>/dev/null; then
	copydir=$full config
	printf '%s\n' "$PW" | FULL="$full" LEFT="$dir/full.left" unshare -m sh -c '
		mount -t tmpfs -o size=16k,mode=700 tabien-full "$1" || exit 99
		shift
		"$@"; rc=$?
		ls -A "$FULL" >"$LEFT"
		exit $rc' sh "$full" "$TABIEN" copy card --as officer1 --batch --purpose "$PURPOSE" \
		>"$dir/out" 2>"$dir/err"
	rc=$?
	SHOW="$dir/err $dir/full.left" check "a full copies folder: exit 1, COPY-FOLDER in both languages, nothing partial left" \
		bash -c "[ $rc = 1 ] && grep -qF COPY-FOLDER '$dir/err' && grep -qF 'เต็ม' '$dir/err' && [ ! -s '$dir/full.left' ]"
else
	skip "a full copies folder" "needs root and a mount namespace for a small tmpfs"
fi

# --- a read-only copies folder: as nobody, since root writes anything --------------------------
if [ "$(id -u)" = 0 ]; then
	ro="$dir/nobody"
	mkdir -p "$ro/copies"
	sqlite3 "$TABIEN_DB" ".backup '$ro/t.db'"
	cp "$k/sign.key" "$k/sign.pem" "$ro/"
	TABIEN_CONFIG="$ro/tabien.conf" key="$ro/sign.key" cert="$ro/sign.pem" copydir="$ro/copies" config
	chown -R nobody:nogroup "$ro"
	chmod 500 "$ro/copies"
	chmod 711 "$dir"
	printf '%s\n' "$PW" | TABIEN_DB="$ro/t.db" TABIEN_CONFIG="$ro/tabien.conf" HOME="$ro" \
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$TABIEN" copy juristic "$SIAM" \
		--purpose "$PURPOSE" --as officer1 --batch >"$dir/out" 2>"$dir/err"
	rc=$?
	SHOW="$dir/err" check "a read-only copies folder: COPY-FOLDER in both languages, nothing left in it" \
		bash -c "[ $rc = 1 ] && grep -qF COPY-FOLDER '$dir/err' && grep -qF 'อ่านได้อย่างเดียว' '$dir/err' &&
			[ -z \"\$(ls -A '$ro/copies')\" ]"
else
	skip "a read-only copies folder" "needs root to run as nobody"
fi

# --- without the card right nothing of the card is read (last: no one is left to grant it back) --
printf '%s\n' "$PW" | "$TABIEN" admin revoke officer1 card --as officer1 --batch >/dev/null 2>>"$dir/err.revoke"
made=$(sqlite3 "$TABIEN_DB" "select count(*) from audit where action in ('copy.make', 'card.read')")
before=$(copies)
key=$k/sign.key cert=$k/sign.pem chain= command= timeout= copydir= signcmd= signtimeout=
cp_card --purpose "$PURPOSE"
expect_error "copy card without the card right" RIGHT-REFUSED "คุณไม่มีสิทธิ์" "(card)"
check "nothing written, nothing read on record, the refusal is (right.refused, card)" \
	bash -c "[ $(copies) = $before ] &&
		[ \"\$(sqlite3 '$TABIEN_DB' \"select count(*) from audit where action in ('copy.make', 'card.read')\")\" = $made ] &&
		[ \"\$(sqlite3 '$TABIEN_DB' \"select count(*) from audit where action = 'right.refused' and service = 'card' and username = 'officer1'\")\" = 1 ]"
