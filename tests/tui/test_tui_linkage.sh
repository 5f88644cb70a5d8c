#!/usr/bin/env bash
# The registry panes as the officer sees them: the real `tabien` in tmux,
# the private pcscd with the virtual card, and the gateway simulator over
# HTTP.  Card in → the person pane fills (sections arriving on their own,
# one refused while the others show) → household → open a member → back;
# the card pulled mid-lookup cancels it; an unreachable gateway is said to
# be one.  Every case polls the screen with a deadline.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
tui_begin tui-lk

# --- a branch with one approved officer ------------------------------------------------

# ADMIN, OFFICER, OFFICER_CID and their passwords; PURPOSE, asked of no one
# (auto_purpose).
tui_counter_branch --auto "ตรวจสอบสิทธิ"

# config PORT, $dir/run-tabien, start, login, audit_rows.
tui_officer_terminal

SOMCHAI=$(value somchai cid) SOMSRI=3400100123466

echo "1..45"

# --- card in: the person pane fills ----------------------------------------------------------
# A gateway slow enough to see the sections wait, and one service the
# agency has no right to (95011).
sim_start --latency-ms 700 --deny 13 || { echo "Bail out! the gateway simulator did not start"; exit 1; }
config "$sim_port"
start_pcscd || { echo "Bail out! pcscd did not start"; sed 's/^/# /' "$dir/pcscd.log"; exit 1; }
SESSION=main
start main
login main || { capture main; echo "Bail out! login failed"; sed 's/^/# /' "$dir/screen.main"; exit 1; }
keys main i
check "person pane before a card: it asks for one" \
	eval 'wait_text main "the registry record shows here" && line main 1 | grep -qF "Person"'
insert somchai
check "card in: the sections wait for the registry, each with its own spinner" \
	eval 'wait_text main "Registry record · 001" "asking the registry…" "Addresses on file · 027" "$(fmt $SOMCHAI)"'
check "the record fills: card and registry side by side, the same name on both" \
	eval 'wait_text main "On the card" "In the registry" "Mr. Somchai Jaidee" "householder" "สมบัติ ใจดี" \
			"Officer'"'"'s agent: The officer'"'"'s agent is running" &&
		[ "$(grep -F " Name  " "$dir/screen.main" | grep -oF "นายสมชาย ใจดี" | wc -l)" = 2 ] &&
		! grep -qF "≠" "$dir/screen.main"'
# Nothing cut at 80x24: long values go on in the line below, addresses too.
check "addresses: the one in use, then the ended one with its date, each whole (wrapped, nothing cut)" \
	eval 'wait_text main "99/1 หมู่ที่ 4 ซอยสุขใจ ถนนมิตรภาพ" "12 หมู่ที่ 7 ถนนศรีจันทร์" "(ended 10 Jun 2555 BE)" &&
		[ "$(grep -nF "99/1 หมู่ที่ 4" "$dir/screen.main" | cut -d: -f1)" -lt \
		  "$(grep -nF "12 หมู่ที่ 7" "$dir/screen.main" | cut -d: -f1)" ] &&
		[ "$(grep -cF "จังหวัดขอนแก่น" "$dir/screen.main")" -ge 2 ] && ! grep -qF "…" "$dir/screen.main"'
check "the place in the house and the officer's agent whole, on the lines below theirs" \
	eval 'wait_text main "householder, moved in" "2556 BE" "Linkage queries can be sent"'

# The age as of today from the birth date (the simulator's own age field,
# 40, is as old as its record): the same in the person and household panes.
AGE=$(age_of 25280315)
check "person pane: the age from the birth date as of today ($AGE), not the registry's age field" \
	eval 'wait_re main "^ +Age +$AGE years *$"'
check "English: the registry's sex, nationality, status and place in the house in English, beside the card's" \
	eval 'wait_re main "^ +Gender +male +male *$" && grep -qE "^ +Nationality +Thai *$" "$dir/screen.main" &&
		grep -qE "^ +Status +domiciled in this house *$" "$dir/screen.main" &&
		grep -qE "^ +In the house as +householder, moved in" "$dir/screen.main"'
keys main l
check "Thai: the same values as the registry wrote them" \
	eval 'wait_re main "^ +เพศ +ชาย +ชาย *$" && grep -qE "^ +สัญชาติ +ไทย *$" "$dir/screen.main" &&
		grep -qF "เจ้าบ้าน" "$dir/screen.main"'
keys main l
wait_text main "On the card"

# --- household, a member, back --------------------------------------------------------------
keys main h
check "household: the house with its ID, the members with ID, place in the house and the same age" \
	eval 'wait_text main "House · 008" "House ID 4001-001234-5" "People in the house · 007" \
		"$(fmt $SOMSRI)" "นางสมศรี ใจดี" "resident" "เด็กชายสมศักดิ์ ใจดี" "years" &&
		grep -E "^ +$(fmt $SOMCHAI) +นายสมชาย ใจดี" "$dir/screen.main" | grep -qE " $AGE years *$"'
# The columns as wide as their headers: none cut, the ages under "Age".
household_header() {
	local h a
	grep -qE "^ +Citizen ID +Name +In the house as +Age *$" "$dir/screen.main" || return 1
	h=$(column_of main " Age") a=$(column_of main " $AGE years")
	note "Age at column $h, the age at $a"
	[ "$h" = "$a" ]
}
check "household: the members' header whole at 80 columns, the ages under it" household_header
keys main Down
keys main Enter
check "Enter on a member: their own record, marked as opened from the household, no card column" \
	eval 'wait_text main "นางสมศรี ใจดี  $(fmt $SOMSRI)" "▶ Household member of นายสมชาย ใจดี · Esc: back" \
		"Mrs. Somsri Jaidee" && ! grep -qF "On the card" "$dir/screen.main"'
keys main F2
check "F2 with a member open: the card in the reader, and a line saying the registry panes show someone else" \
	eval 'wait_text main "Somchai" "The registry panes show $(fmt $SOMSRI), a household member, not this card" &&
		! grep -qF "Somsri" "$dir/screen.main"'
keys main n
check "names: a refused service says so in both languages with the fix, the other still shows" \
	eval 'wait_text main "First-name changes · 013" "LINKAGE-NO-SERVICE-RIGHT 95011" \
		"has no right to" "ไม่มีสิทธิ์ใช้บริการนี้" "must request this service from DOPA" \
		"Surname changes · 017" "→"'
# The refusal is kept for branch support too: the diagnostics' list and
# the support report name the service and the code, never the person.
keys main F9
report=
refusal_reported() {
	wait_text main "LINKAGE-NO-SERVICE-RIGHT" && keys main s && wait_text main "Support report written" &&
		report=$(ls "$dir/state/tabien/"support-*.txt 2>/dev/null | head -1) && [ -f "$report" ] &&
		grep -qE "LINKAGE-NO-SERVICE-RIGHT \(95011, 013\): .*has no right to" "$report" &&
		! grep -qF -e "$SOMCHAI" -e "$SOMSRI" -e "$(fmt $SOMCHAI)" -e "$(fmt $SOMSRI)" -e "สมศรี" "$report"
}
check "a Linkage refusal in the diagnostics' list and the support report: the service and code, no ID" \
	eval 'refusal_reported'
keys main n
wait_text main "First-name changes · 013"
keys main Escape
check "Esc: back to the card holder, with the card beside the registry again" \
	eval 'wait_text main "from the card in the reader" && keys main i && wait_text main "On the card" "Mr. Somchai Jaidee"'
echo "# gateway: $(sim_count token) token, $(sim_count link) link requests; audit: $(audit_rows 1) rows"
check "one token for both people, six queries each, every one audited with the purpose, as an automatic lookup" \
	eval '[ "$(sim_count token)" = 1 ] && [ "$(sim_count link)" = 12 ] &&
		[ "$(audit_rows "subject = '"'$SOMCHAI'"' AND purpose = '"'$PURPOSE'"' AND consent = '"'auto'"'")" = 6 ] &&
		[ "$(audit_rows "subject = '"'$SOMSRI'"' AND username = '"'$OFFICER'"'")" = 6 ] &&
		[ "$(audit_rows "result LIKE '"'%95011%'"'")" = 2 ]'

# --- a typed ID while the card is in: on top of the card holder, marked, Esc back --------------------
MALEE=$(value malee cid)
keys main -l "$MALEE"
keys main Enter
check "typed ID with a card in: a banner says it is not the card holder, with the way back" \
	eval 'wait_text main "$(fmt $MALEE)" "▶ Not the card holder: typed ID · Esc: back" "Miss Malee Chuenchoosuwan" &&
		! grep -qF "On the card" "$dir/screen.main"'
keys main h
check "h with a typed ID: the banner over the typed person's house, not the card holder's" \
	eval 'wait_text main "▶ Not the card holder: typed ID" "$(fmt $MALEE)" && ! grep -qF "$(fmt $SOMCHAI)" "$dir/screen.main"'
keys main n
check "n with a typed ID: the same banner" eval 'wait_text main "▶ Not the card holder: typed ID" "$(fmt $MALEE)"'
keys main F2
check "F2 with a typed ID: still the card in the reader, and says the registry panes show the typed ID" \
	eval 'wait_text main "Somchai" "The registry panes show $(fmt $MALEE), a typed ID, not this card"'
keys main h
wait_text main "People in the house · 007" "นางมาลัย ชื่นชูสุวรรณ์"
keys main Down Enter
check "a member of the typed person's house: the banner names whose household" \
	eval 'wait_text main "▶ Household member of นางสาวมาลี ชื่นชูสุวรรณ์ · Esc: back" \
		"นางมาลัย ชื่นชูสุวรรณ์  $(fmt 3104500678917)"'
keys main Escape
check "Esc: back one step, to the typed ID" eval 'wait_text main "▶ Not the card holder: typed ID" "$(fmt $MALEE)"'
keys main Escape
check "Esc again: back to the card holder, no banner, F2 without the line" \
	eval 'wait_text main "from the card in the reader" "$(fmt $SOMCHAI)" && ! grep -qF "▶" "$dir/screen.main" &&
		keys main F2 && wait_text main "Somchai" && wait_gone main "The registry panes show"'
keys main i

# --- then a company: the same GDX client, the same token ------------------------------------------
keys main b
wait_text main "Juristic ID" && keys main -l 0105536012346 && keys main Enter
check "b, a company looked up after the card: its certificate, on the registry panes' token" \
	eval 'wait_text main "บริษัท สยามตัวอย่างการค้า จำกัด" && [ "$(sim_count dbd_gdx)" = 1 ] &&
		[ "$(sim_count token)" = 1 ]'
keys main i
pull
check "card out: the registry data leaves the screen with it" \
	eval 'wait_text main "the registry record shows here" && ! grep -qF "นายสมชาย" "$dir/screen.main" && alive main'

# --- a citizen ID typed instead of a card ---------------------------------------------------------
keys main -l "${MALEE:0:12}$(( (${MALEE:12:1} + 1) % 10 ))"
before=$(audit_rows "subject LIKE '${MALEE:0:12}%'")
keys main Enter
check "typed ID: a wrong check digit is refused in place, nothing is asked of the registry" \
	eval 'wait_text main "INVALID-FIELD" "citizen ID" && [ "$(audit_rows "subject LIKE '"'${MALEE:0:12}%'"'")" = "$before" ]'
keys main Escape
keys main -l "$MALEE"
keys main Enter
check "typed ID: the registry record without a card column" \
	eval 'wait_text main "นางสาวมาลี ชื่นชูสุวรรณ์  $(fmt $MALEE)" "Miss Malee Chuenchoosuwan" "In the house as" &&
		! grep -qF "On the card" "$dir/screen.main" && ! grep -qF "from the card in the reader" "$dir/screen.main"'
keys main Escape

# --- a card older than the registry ------------------------------------------------------------
# Somchai's card as it was before his surname and address changed: the
# registry has ใจดี at 99/1, the card says ใจเย็น at 12 หมู่ที่ 7.
wait_reader_empty
sed -e 's/^name_th: .*/name_th: นาย#สมชาย##ใจเย็น/' \
	-e 's/^address: .*/address: 12#หมู่ที่ 7###ถนนศรีจันทร์#ตำบลในเมือง#อำเภอเมืองขอนแก่น#จังหวัดขอนแก่น/' \
	"$S/sim/fixtures/somchai.card" >"$dir/old-somchai.card"
cp "$S/sim/fixtures/somchai.jpg" "$dir/"
insert "$dir/old-somchai.card"
check "differences: the registry's name marked against the card's, and the house move said plainly" \
	eval 'wait_text main "นายสมชาย ใจเย็น" "≠ นายสมชาย ใจดี" "Name changed since the card was made: the card is not the latest" \
		"Moved house: the card'"'"'s address is no longer in use on file" && alive main'
# The two warnings come first; the record is then taller than the pane.
check "taller than the pane: the warnings above it all, the last line says how many lines more and PgDn" \
	eval 'wait_re main "↓ [0-9]+ more lines: PgDn *$" &&
		[ "$(grep -nF "Moved house" "$dir/screen.main" | cut -d: -f1)" -lt \
		  "$(grep -nF "Registry record" "$dir/screen.main" | cut -d: -f1)" ]'
keys main G
check "G: the end of the pane, the last address whole, and the way back up" \
	eval 'wait_text main "↑ the top: PgUp, Home" "(ended 10 Jun 2555 BE)" &&
		[ "$(grep -cF "จังหวัดขอนแก่น" "$dir/screen.main")" -ge 2 ] && wait_gone main "$(fmt $SOMCHAI)"'
keys main g
check "g: the top again" eval 'wait_text main "$(fmt $SOMCHAI)" "↓" && wait_gone main "↑ the top"'
tm resize-window -t main -x 200 -y 50
check "200x50: the pane uses the width, each value on its own line, nothing left to scroll" \
	eval 'wait_re main "In the house as +householder, moved in 1 Feb 2556 BE *$" && wait_gone main "↓" &&
		grep -qF "Moved house" "$dir/screen.main" && [ "$(column_of main "In the registry")" -gt 100 ]'
tm resize-window -t main -x 80 -y 24
wait_text main "↓"
pull

# --- the card pulled in the middle of a lookup ---------------------------------------------------
wait_reader_empty
keys main q
sim_start --latency-ms 4000 --scope 1 --session-state AgentNotAvailable && config "$sim_port"
SESSION=cancel
start cancel
login cancel
keys cancel i
insert somchai
check "the officer's agent not running: said above the sections, with what to do" \
	eval 'wait_text cancel "Addresses on file · 027" "asking the registry…" "Registry record · 001" \
		"agent is not running" "Start the agent"'
pull
check "card pulled mid-lookup: the lookup is dropped at once, the queries sent are logged as cancelled" \
	eval 'wait_text cancel "the registry record shows here" && alive cancel &&
		[ "$(audit_rows "subject = '"'$SOMCHAI'"' AND result = '"'CANCELLED'"'")" -ge 1 ]'

# --- Esc while a service is still on its way -----------------------------------------------------
wait_reader_empty
insert somchai
wait_text cancel "Addresses on file · 027" "99/1 หมู่ที่ 4" "asking the registry…"
before=$(audit_rows "result = 'CANCELLED'")
keys cancel Escape
check "Esc mid-lookup: the slow service is cancelled and says so, what came stays, the cancel is audited" \
	eval 'wait_text cancel "CANCELLED" "The request was cancelled" "99/1 หมู่ที่ 4" &&
		wait_gone cancel "asking the registry…" &&
		[ "$(audit_rows "result = '"'CANCELLED'"'")" = $((before + 1)) ] && alive cancel'
pull

# --- no gateway at all ---------------------------------------------------------------------
wait_reader_empty
sim_stop
insert somchai
check "gateway down: each section says it cannot be reached (X0003), the program keeps going" \
	eval 'wait_text cancel "GATEWAY-UNREACHABLE" "X0003" && alive cancel'
pull

keys cancel q

# --- Linkage Center 2: the officer signs in with their own card and its PIN --------------------
wait_reader_empty
SIM_PIN=4739
sim_start --lk2-pin "$SIM_PIN" || { echo "Bail out! the gateway simulator did not start"; exit 1; }
{
	echo "linkage.transport = lk2"
	echo "lk2.url = http://127.0.0.1:$sim_port"
	echo "lk2.signer = $B/sim/tabien-signer"
	echo "http.timeout_ms = 6000"
} >"$dir/config/tabien/tabien.conf"
chmod 600 "$dir/config/tabien/tabien.conf"
# The officer's own card: their account's ID.
sed -e "s/^cid: .*/cid: $OFFICER_CID/" -e 's/^name_th: .*/name_th: นาง#มาลัย##ใจงาม/' \
	"$S/sim/fixtures/somchai.card" >"$dir/officer.card"
SESSION=lk2
start lk2
login lk2
keys lk2 i
check "LK2: before any lookup the person pane asks for the officer's own card" \
	eval 'wait_text lk2 "Linkage Center sign-in: insert your own ID card" && alive lk2'
insert "$dir/officer.card"
check "LK2: the officer's card asks for its PIN, shown as bullets; no lookup of the officer" \
	eval 'wait_text lk2 "type its PIN" && keys lk2 -l 1111 && wait_text lk2 "••••" &&
		[ "$(audit_rows "subject = '"'$OFFICER_CID'"'")" = 0 ]'
keys lk2 Enter
check "LK2: a wrong PIN is refused with what to do, and the PIN is asked again" \
	eval 'wait_text lk2 "LK2-WRONG-PIN" "type its PIN" && ! grep -qF "••••" "$dir/screen.lk2"'
keys lk2 -l "$SIM_PIN"
keys lk2 Enter
check "LK2: the right PIN signs in" \
	eval 'wait_text lk2 "Signed in to the Linkage Center" && wait_gone lk2 "type its PIN" &&
		[ "$(sim_count lk2_confirm)" -ge 1 ]'
pull
wait_reader_empty
insert somchai
check "LK2: the citizen's card fills the pane from one request for all six services" \
	eval 'wait_text lk2 "In the registry" "Mr. Somchai Jaidee" "99/1 หมู่ที่ 4" &&
		[ "$(sim_count lk2_request)" = 1 ] && [ "$(sim_count link)" = 0 ]'
check "LK2: every service of the request audited" \
	eval '[ "$(audit_rows "subject = '"'$SOMCHAI'"' AND username = '"'$OFFICER'"' AND time > (SELECT max(time) FROM audit WHERE result = '"'CANCELLED'"')")" -ge 6 ]'
# A name history longer than its line goes on below it, nothing cut (one
# more LK2 request: the typed ID's).
keys lk2 -l "$MALEE"
keys lk2 Enter
wait_text lk2 "$(fmt $MALEE)"
keys lk2 n
SESSION=lk2 check "names: a first-name change whole, where it was registered and the document wrapped below it" \
	eval 'wait_text lk2 "มะลิ ชื่นชูสุวรรณ์ → มาลี" "สำนักงานเขตวังทองหลาง" "ช.3/2558" &&
		! grep -qF "…" "$dir/screen.lk2"'
pull
keys lk2 q

# --- two readers: the officer's card stays in the second ------------------------------------------
wait_reader_empty
SESSION=two
start two
login two
keys two i
"$B/sim/tabien-vcard" --fixture "$dir/officer.card" --port $((port + 1)) --delay-ms 5 \
	>>"$dir/vcard.log" 2>&1 &
officer_pid=$!
trap 'kill $officer_pid 2>/dev/null; tui_cleanup' EXIT
wait_text two "type its PIN" && keys two -l "$SIM_PIN" && keys two Enter
wait_text two "Signed in to the Linkage Center"
insert somchai
check "two readers: the citizen's card in the first fills the pane while the officer's stays in the second" \
	eval 'wait_text two "In the registry" "Mr. Somchai Jaidee" && [ "$(sim_count lk2_request)" = 3 ] &&
		[ "$(audit_rows "subject = '"'$OFFICER_CID'"'")" = 0 ]'
pull
check "two readers: the citizen's card out clears the pane; the officer stays signed in" \
	eval 'wait_text two "the registry record shows here" && ! grep -qF "type its PIN" "$dir/screen.two" &&
		! grep -qF "insert your own ID card" "$dir/screen.two"'
kill $officer_pid 2>/dev/null
keys two q
exit $((failed > 0))
