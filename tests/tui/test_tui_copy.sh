#!/usr/bin/env bash
# The `c` key: a digital copy from the full-screen program.  The real
# `tabien` in a private tmux server, a private pcscd and the virtual card,
# the agency's key and certificate made here with openssl.  c opens the
# dialog (the card's text and photo picked, the session's purpose in it);
# an Enter sent with the c, or pasted, does not make the copy; an Enter of
# its own does, in the background, and the status bar names the file: in the
# copies folder, 0600, pdfsig says valid, and the audit trail has its row.
# From the household pane (the gateway simulator as GDX): its own section
# picked, the members' Thai names and the service in the file; and from the
# companies pane, DBD's particulars.
# A copy signed by the token's command (sim/tabien-token-sign, held open until
# a file exists) is stopped when the card is pulled meanwhile: the officer
# told, the command killed, no file, no row.  Data already wiped makes no
# copy: the card pulled with the dialog up, and c with no card.  Every step polls the screen with a deadline.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
tui_begin tui-copy

# ADMIN, OFFICER and their passwords; PURPOSE, asked of no one (auto_purpose).
tui_counter_branch --auto "ตรวจสอบ"

# The agency's signing key and certificate, under a CA made here.
k="$dir/keys"
mkdir -m 700 "$k"
(
	cd "$k" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
		-subj "/CN=Test Agency CA" -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign &&
		openssl req -newkey rsa:2048 -nodes -keyout sign.key -out sign.csr -subj "/CN=Copy Signer" &&
		printf 'keyUsage=critical,digitalSignature,nonRepudiation\n' >ext &&
		openssl x509 -req -in sign.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
			-extfile ext -out sign.pem && chmod 600 ./*.key
) >"$dir/openssl.log" 2>&1 || { echo "Bail out! openssl could not make the keys"; exit 1; }
sim_start || { echo "Bail out! the gateway simulator did not start"; exit 1; }
conf="$dir/config/tabien/tabien.conf"
{
	printf 'copy.key = %s\ncopy.cert = %s\n' "$k/sign.key" "$k/sign.pem"
	printf 'gdx.url = http://127.0.0.1:%s\ngdx.consumer_key = sim-key\n' "$sim_port"
	printf 'gdx.consumer_secret = sim-secret\nhttp.timeout_ms = 6000\n'
} >"$conf"
chmod 600 "$conf"
copies="$dir/home/.local/share/tabien/copies"

cat >"$dir/run-tabien" <<EOF
#!/usr/bin/env bash
unset LANGUAGE LC_MESSAGES TABIEN_CONFIG XDG_DATA_HOME
export TERM=xterm-256color XDG_CONFIG_HOME=$(printf '%q' "$dir/config")
export LANG=C.UTF-8 LC_ALL=C.UTF-8
export HOME=$(printf '%q' "$dir/home") XDG_STATE_HOME=$(printf '%q' "$dir/state")
export TABIEN_THEMES=$(printf '%q' "$S/themes") TABIEN_LOCALEDIR=$(printf '%q' "$B/po")
export PCSCLITE_CSOCK_NAME=$(printf '%q' "$sock")
export TABIEN_DB=$(printf '%q' "$TABIEN_DB") TABIEN_PWHASH=fast TABIEN_TERMINAL=tui-copy
$(printf '%q' "$TABIEN")
echo \$? >$(printf '%q' "$dir")/status.\$1
EOF
chmod +x "$dir/run-tabien"

ncopies() { find "$copies" -type f 2>/dev/null | wc -l; }
copies_are() { [ "$(ncopies)" = "$1" ]; }
audit_copies() { sqlite3 "$TABIEN_DB" "SELECT count(*) FROM audit WHERE action = 'copy.make' AND result LIKE 'OK sha256=%'"; }
# paste TEXT: as a terminal pastes once the program asked for the marks.
paste() { tm set-buffer -b p -- "$1" && tm paste-buffer -p -b p -t main; }
DIALOG="Digital copy"

echo "1..18"

start_pcscd || { echo "Bail out! pcscd did not start"; sed 's/^/# /' "$dir/pcscd.log"; exit 1; }
SESSION=main
tm new-session -d -s main -x 100 -y 30 "$dir/run-tabien" main
wait_text main "User name" "Password"
keys main -l "$OFFICER" && keys main Enter && keys main -l "$PASSWORD" && keys main Enter
cid=$(value somchai cid)
fmt_cid=$(fmt "$cid")
insert somchai
check "card read: its ID on the card pane" eval 'wait_text main "$fmt_cid" "Card read" && alive main'

# c and Enter in one write: the Enter came with the c and is no answer.
keys main c Enter
check "c: the dialog with the card's sections and the session's purpose; an Enter sent with the c does not confirm" \
	eval 'wait_text main "$DIALOG" "[x] The card'"'"'s text" "[x] The photo" "$PURPOSE" &&
		[ "$(ncopies)" = 0 ] && alive main'
paste $'\r'
paste $'\n'
check "a pasted Enter does not confirm: the dialog stays, no file" \
	eval 'wait_text main "$DIALOG" && [ "$(ncopies)" = 0 ] && alive main'
keys main Enter
pdf=
check "Enter of its own: the copy made in the background, its path in the status bar" \
	eval 'wait_text main "Copy written" && wait_gone main "$DIALOG" &&
		pdf=$(find "$copies" -type f -name "copy-*.pdf" | head -1) && [ -n "$pdf" ] && alive main'
pdfsig "${pdf:-/nonexistent}" >"$dir/sig" 2>&1
SHOW="$dir/sig" check "the copy: 0600 in a 0700 folder, pdfsig says the signature is valid" \
	bash -c "[ \"\$(stat -c %a '$copies')\" = 700 ] && [ \"\$(stat -c %a '${pdf:-/nonexistent}')\" = 600 ] &&
		grep -q 'Signature is Valid' '$dir/sig' && grep -q 'Total document signed' '$dir/sig'"
check "the audit trail: one copy.make row with the file's SHA-256" \
	bash -c "[ \"\$(sqlite3 '$TABIEN_DB' \"SELECT result FROM audit WHERE action = 'copy.make'\")\" = \"OK sha256=\$(sha256sum '${pdf:-/nonexistent}' | cut -d' ' -f1)\" ]"

# The household pane: its own section picked, the registry's others not.
keys main h
wait_text main "People in the house · 007" "นางสมศรี ใจดี"
keys main c
check "c on the household pane: the household picked, the record not" \
	eval 'wait_text main "$DIALOG" "[x] The household and the house" "[ ] The registry record" "[ ] Name changes"'
keys main Enter
house=
check "the household's copy: written, signed, the members' Thai names and service 00023/007 in it" \
	eval 'wait_cmd copies_are 2 && wait_text main "Copy written" &&
		house=$(ls -t "$copies"/copy-*.pdf | head -1) && pdfsig "$house" | grep -q "Signature is Valid" &&
		pdftotext -raw "$house" - | grep -qF "นางสมศรี ใจดี" && pdftotext -raw "$house" - | grep -qF "00023/007" &&
		! pdftotext -raw "$house" - | grep -qF "00023/001"'
# A company: its particulars picked, DBD as the source.
keys main b
wait_text main "Juristic ID" && keys main -l 0105536012346 && keys main Enter
wait_text main "บริษัท สยามตัวอย่างการค้า จำกัด"
keys main c
check "c on the companies pane: the particulars picked, the directors not" \
	eval 'wait_text main "$DIALOG" "[x] The company'"'"'s particulars" "[ ] Directors" "[ ] Shareholders"'
keys main Enter
company=
check "the company's copy: written, signed, its Thai name and DBD as the source" \
	eval 'wait_cmd copies_are 3 && company=$(ls -t "$copies"/copy-*.pdf | head -1) &&
		pdfsig "$company" | grep -q "Signature is Valid" &&
		pdftotext -raw "$company" - | grep -qF "บริษัท สยามตัวอย่างการค้า จำกัด" &&
		pdftotext -raw "$company" - | grep -qF "Source: DBD"'
keys main F2
wait_text main "$fmt_cid"

# A copy held open by the token's signing command (it waits for a file that
# never comes): the card pulled meanwhile stops it.
conf_sign() {
	{
		printf 'copy.sign_command = %s --key %s --started %s --wait-for %s\n' "$B/sim/tabien-token-sign" \
			"$k/sign.key" "$dir/started" "$dir/never"
		printf 'copy.cert = %s\n' "$k/sign.pem"
		printf 'gdx.url = http://127.0.0.1:%s\ngdx.consumer_key = sim-key\n' "$sim_port"
		printf 'gdx.consumer_secret = sim-secret\nhttp.timeout_ms = 6000\n'
	} >"$conf"
}
cp "$conf" "$dir/conf.key"
conf_sign
keys main c
wait_text main "$DIALOG"
keys main Enter
check "a copy signed by the token's command: the command holds it open" \
	eval 'wait_cmd test -s "$dir/started" && wait_text main "Making the copy" && alive main'
signer=$(cat "$dir/started" 2>/dev/null)
pull --wait
check "card pulled mid-copy: the officer is told COPY-CANCELLED, the signing command is gone" \
	eval 'wait_text main "COPY-CANCELLED" && wait_cmd eval "! kill -0 ${signer:-0} 2>/dev/null" && alive main'
check "card pulled mid-copy: no file, no temporary file, no audit row" \
	bash -c "[ \"\$(find '$copies' -type f | wc -l)\" = 3 ] && [ \$(sqlite3 '$TABIEN_DB' \"SELECT count(*) FROM audit WHERE action = 'copy.make'\") = 3 ]"
cp "$dir/conf.key" "$conf"
insert somchai
wait_text main "$fmt_cid"

# The dialog up, the card pulled: its data is gone, so is the copy.
keys main c
wait_text main "$DIALOG"
pull --wait
wait_gone main "$fmt_cid"
keys main Enter
check "card pulled with the dialog up: Enter says there is nothing to copy, no new file" \
	eval 'wait_text main "COPY-NOTHING" && [ "$(ncopies)" = 3 ] && [ "$(audit_copies)" = 3 ] && alive main'
keys main F5
keys main c
check "no card: c says there is nothing to copy, no dialog" \
	eval 'wait_text main "nothing here to copy" && wait_gone main "$DIALOG" && alive main'
keys main q
check "quit: the program ends cleanly" eval 'wait_cmd test -s "$dir/status.main" && [ "$(cat "$dir/status.main")" = 0 ]'

# The same copies folder filled from the command line too: every copy in
# it under its own audit reference's name, none replaced, 0600 in 0700.
for i in 1 2; do
	printf '%s\n' "$PASSWORD" | HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state" \
		"$TABIEN" copy juristic 0105536012346 --as "$OFFICER" --purpose "$PURPOSE" --batch >>"$dir/cli.out" 2>&1
done
sqlite3 "$TABIEN_DB" "SELECT substr(service, 6) FROM audit WHERE action = 'copy.make'" | sort >"$dir/refs"
find "$copies" -type f -printf '%f\n' | sed 's/^copy-//; s/\.pdf$//' | sort >"$dir/names"
SHOW="$dir/refs $dir/names $dir/cli.out" check "the copies folder from the c key and the command line: five copies, each its own name" \
	bash -c "[ \$(wc -l <'$dir/names') = 5 ] && diff '$dir/refs' '$dir/names' >/dev/null"
check "the copies folder: 0700, every file in it 0600" \
	bash -c "[ \$(stat -c %a '$copies') = 700 ] && [ -z \"\$(find '$copies' -type f ! -perm 600)\" ]"
