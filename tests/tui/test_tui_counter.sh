#!/usr/bin/env bash
# At the counter: a card read shows at once, and the registry waits for the
# officer's purpose (from the branch's list, filtered by typing) and the
# owner's consent; then the six lookups, audited with both.  The repeat key,
# and p asking again under a new purpose.  The real `tabien` in tmux, the
# private pcscd with the virtual card, the gateway simulator over HTTP;
# every case polls with a deadline.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
tui_begin tui-ctr

# --- a branch with one approved officer ------------------------------------------------

# ADMIN, OFFICER, their passwords and the two purposes PURPOSE, PURPOSE2.
tui_counter_branch

# config PORT, $dir/run-tabien, start, login, audit_rows.
tui_officer_terminal

SOMCHAI=$(value somchai cid)

# Polled with a deadline: the simulator's link requests, the audit rows, and
# how many lines of the screen name a purpose (the status bar names the
# purpose of the citizen on screen, none while it is not chosen).
links_are() { [ "$(sim_count link)" = "$1" ]; }
rows_are() { [ "$(audit_rows "$1")" = "$2" ]; }
lines_with() { capture main && [ "$(grep -cF "$1" "$dir/screen.main")" = "$2" ]; }

echo "1..20"

sim_start || { echo "Bail out! the gateway simulator did not start"; exit 1; }
config "$sim_port"
start_pcscd || { echo "Bail out! pcscd did not start"; sed 's/^/# /' "$dir/pcscd.log"; exit 1; }
SESSION=main
start main
login main || { capture main; echo "Bail out! login failed"; sed 's/^/# /' "$dir/screen.main"; exit 1; }
insert somchai
check "card in: the card shows at once" eval 'wait_text main "Somchai"'
keys main i
check "the person pane asks why, lists the branch's purposes, and nothing reached the registry" \
	eval 'wait_text main "The registry is not asked yet" "$PURPOSE" "$PURPOSE2" "$(fmt $SOMCHAI)" &&
		[ "$(sim_count link)" = 0 ] && [ "$(audit_rows 1)" = 0 ]'
keys main -l "สวัส"
check "typing filters the list" \
	eval 'wait_text main "$PURPOSE2" && wait_cmd lines_with "$PURPOSE" 0 && links_are 0'
keys main BSpace BSpace BSpace BSpace
wait_cmd lines_with "$PURPOSE" 1
keys main Down
keys main Enter
check "Enter on a purpose asks for the owner's consent, still nothing sent" \
	eval 'wait_text main "The card owner'"'"'s consent" "Purpose: $PURPOSE2" && [ "$(sim_count link)" = 0 ]'
keys main y
check "consent given: six requests, the record fills" \
	eval 'wait_text main "Mr. Somchai Jaidee" && wait_cmd links_are 6'
# The purpose's own part of the status bar: the message names it too.
check "the status bar names this citizen's purpose, not the session's" \
	wait_cmd purpose_shown main "$PURPOSE2"
check "six audit rows carry the purpose chosen and consent yes" \
	eval 'wait_cmd rows_are "subject = '"'$SOMCHAI'"' AND purpose = '"'$PURPOSE2'"' AND consent = '"'yes'"'" 6'
keys main p
check "p on the citizen asks again, with the repeat key offered" \
	eval 'wait_text main "The registry is not asked yet" "^R: the last again"'
keys main Enter
wait_text main "The card owner's consent" >/dev/null
keys main m
check "under the new purpose: six more requests, audited with the mission as the footing" \
	eval 'wait_cmd links_are 12 &&
		wait_cmd rows_are "subject = '"'$SOMCHAI'"' AND purpose = '"'$PURPOSE'"' AND consent = '"'mission'"'" 6'
keys main p
wait_text main "^R: the last again" >/dev/null
keys main C-r
check "the repeat key: the last choice again, six more rows" \
	eval 'wait_cmd links_are 18 &&
		wait_cmd rows_are "subject = '"'$SOMCHAI'"' AND purpose = '"'$PURPOSE'"' AND consent = '"'mission'"'" 12 &&
		wait_text main "Mr. Somchai Jaidee"'

# --- F5 in every pane --------------------------------------------------------------------
# The registry panes ask again for the person shown, under the same purpose
# and consent: six more requests and rows each time.
status_has() { capture main && line main 24 | grep -qF -- "$1"; }
said() { wait_cmd status_has "$1"; }
card_reads() { sqlite3 "$TABIEN_DB" "SELECT count(*) FROM audit WHERE action = 'card.read'"; }
card_reads_are() { [ "$(card_reads)" = "$1" ]; }
keys main F5
check "F5 in the person pane asks the registry again: six more requests and rows" \
	eval 'said "Asking the registry again" && wait_cmd links_are 24 &&
		wait_cmd rows_are "subject = '"'$SOMCHAI'"' AND purpose = '"'$PURPOSE'"' AND consent = '"'mission'"'" 18'
keys main h
wait_text main "People in the house" >/dev/null
keys main F5
check "F5 in the household pane: six more" eval 'wait_cmd links_are 30 && wait_text main "People in the house"'
keys main n
wait_text main "Surname changes" >/dev/null
keys main F5
check "F5 in the names pane: six more" eval 'wait_cmd links_are 36 && wait_text main "Surname changes"'
before=$(card_reads)
keys main F2
wait_text main "Somchai" >/dev/null
keys main F5
check "F5 in the card pane reads the card again (audited), and the registry waits for a purpose again" \
	eval 'wait_cmd card_reads_are $((before + 1)) && wait_text main "Somchai" && said "purpose?"'
keys main b
wait_text main "13-digit" >/dev/null
keys main F5
check "F5 in the companies pane with no company asks for an ID" eval 'said "Type a juristic ID first"'
keys main F9
wait_text main "Card service" >/dev/null
keys main F5
check "F5 where there is nothing to read again says so" eval 'said "Nothing on this pane to read again"'
keys main i
wait_text main "The registry is not asked yet" >/dev/null
keys main F5
check "F5 before the purpose is chosen says so and sends nothing" \
	eval 'said "Nothing was asked yet" && links_are 36'
pull --wait
wait_text main "Insert the citizen's ID card" >/dev/null
keys main F5
check "F5 with nobody shown says so" eval 'said "Nobody to ask the registry about"'

# --- the gateway down: the card holder's name and one error, F5 tries again ----------------
sim_stop
insert somchai
wait_text main "The registry is not asked yet" >/dev/null
keys main C-r
gateway_down() {
	wait_text main "สมชาย" "GATEWAY-UNREACHABLE" "F5: try again" &&
		[ "$(grep -c "GATEWAY-UNREACHABLE" "$dir/screen.main")" = 1 ] &&
		! grep -qF "asking the registry" "$dir/screen.main"
}
check "gateway down: the person pane names the card holder and shows one error with the retry key" \
	wait_cmd gateway_down
# The simulator comes back on the same address; its first answers may
# refuse the old token, which is renewed: count the audited answers.
before=$(audit_rows "subject = '$SOMCHAI' AND result = 'OK'")
SIM_SAME_PORT=1 sim_start || { echo "Bail out! the gateway simulator did not start again"; exit 1; }
keys main F5
check "the gateway back: F5 fills the record, six answers audited" \
	eval 'wait_text main "Mr. Somchai Jaidee" "Registry record" &&
		wait_cmd rows_are "subject = '"'$SOMCHAI'"' AND result = '"'OK'"'" $((before + 6)) && alive main'
