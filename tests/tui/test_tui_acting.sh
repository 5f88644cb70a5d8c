#!/usr/bin/env bash
# Acting for someone (ผู้รับมอบอำนาจ): f, the grantor's card, then the
# grantee's, in two readers and then one after the other in one; both cards
# side by side and both names on every registry pane; nothing asked before
# both are read; each looked up under their own purpose and consent, every
# audit row naming both; o for the other, f to end (both wiped).  The real
# `tabien` in tmux, the private pcscd with the virtual card in its two
# readers, the gateway simulator over HTTP; every case polls with a
# deadline.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
tui_begin tui-act

# --- a branch with one approved officer ------------------------------------------------

# ADMIN, OFFICER, their passwords and the two purposes PURPOSE, PURPOSE2.
tui_counter_branch

# config PORT, $dir/run-tabien, start, login, audit_rows.
tui_officer_terminal

SOMCHAI=$(value somchai cid) MALEE=$(value malee cid) THANA=$(value thana cid)
BOTH="grantor=$SOMCHAI grantee=$MALEE"

links_are() { [ "$(sim_count link)" = "$1" ]; }
rows_are() { [ "$(audit_rows "$1")" = "$2" ]; }
card_rows() { sqlite3 "$TABIEN_DB" "SELECT count(*) FROM audit WHERE action = 'card.read' AND $1"; }
card_rows_are() { [ "$(card_rows "$1")" = "$2" ]; }
status_has() { capture main && line main 24 | grep -qF -- "$1"; }
said() { wait_cmd status_has "$1"; }
# Side by side: TEXT1 and TEXT2 on one line, TEXT1 to the left.
side_by_side() { capture main && grep -F -- "$1" "$dir/screen.main" | grep -qF -- "$2" &&
	[ "$(column_of main "$1")" -lt "$(column_of main "$2")" ]; }
# Both names on the pane, the grantor's line above the grantee's.
both_named() {
	wait_text main "Acting for someone" "Grantor" "Grantee" "$1" "$2" || return 1
	[ "$(grep -nF -- "$1" "$dir/screen.main" | head -1 | cut -d: -f1)" -lt \
		"$(grep -nF -- "$2" "$dir/screen.main" | head -1 | cut -d: -f1)" ]
}
# The audit rows of the visit: every one of its registry rows names both.
visit_rows() { audit_rows "acting = '$BOTH'"; }

echo "1..20"

sim_start || { echo "Bail out! the gateway simulator did not start"; exit 1; }
config "$sim_port"
start_pcscd || { echo "Bail out! pcscd did not start"; sed 's/^/# /' "$dir/pcscd.log"; exit 1; }
SESSION=main
start main
login main || { capture main; echo "Bail out! login failed"; sed 's/^/# /' "$dir/screen.main"; exit 1; }

# === two readers ============================================================================
keys main f
check "f: acting for someone, the card pane asks for the grantor's card" \
	eval 'wait_text main "Grantor" "Grantee" "Insert the grantor'"'"'s card" && said "Acting for someone"'
insert somchai
check "the grantor's card in the first reader: shown as the grantor, the grantee's card asked for" \
	eval 'wait_text main "Somchai" "Insert the grantee'"'"'s card" && links_are 0'
grantor_card=$card_pid card_pid=
VCARD_READER=1 insert malee
grantee_card=$card_pid card_pid=
check "the grantee's card in the second reader: both cards side by side on the card pane" \
	eval 'wait_cmd side_by_side "Somchai" "Malee" && side_by_side "$(fmt "$SOMCHAI")" "$(fmt "$MALEE")"'
keys main c
check "c on the card pane copies neither of the two cards (the registry panes copy the one in focus)" \
	eval 'said "COPY-NOTHING" && side_by_side "Somchai" "Malee"'
keys main i
check "the person pane names both, the grantee in focus asks why; nothing reached the registry" \
	eval 'both_named "สมชาย" "มาลี" && wait_text main "The registry is not asked yet" && links_are 0 &&
		[ "$(audit_rows 1)" = 0 ]'
keys main Down Enter
wait_text main "The card owner's consent" >/dev/null
keys main y
check "the grantee's purpose and consent: six requests, six rows naming both" \
	eval 'wait_cmd links_are 6 &&
		wait_cmd rows_are "subject = '"'$MALEE'"' AND purpose = '"'$PURPOSE2'"' AND consent = '"'yes'"' AND acting = '"'$BOTH'"'" 6'
keys main h
check "the household pane names both too, and the status bar the grantee's purpose" \
	eval 'both_named "สมชาย" "มาลี" && wait_cmd purpose_shown main "$PURPOSE2"'
keys main o
check "o: the grantor in focus, asked for their own purpose" \
	eval 'wait_text main "The registry is not asked yet" && both_named "สมชาย" "มาลี" &&
		wait_cmd purpose_shown main "purpose?"'
keys main Enter
wait_text main "The card owner's consent" >/dev/null
keys main m
check "the grantor's own purpose and consent: six more, their rows naming both" \
	eval 'wait_cmd links_are 12 &&
		wait_cmd rows_are "subject = '"'$SOMCHAI'"' AND purpose = '"'$PURPOSE'"' AND consent = '"'mission'"' AND acting = '"'$BOTH'"'" 6 &&
		[ "$(visit_rows)" = 12 ] && wait_cmd purpose_shown main "$PURPOSE"'
check "the card reads are audited as the grantor's and the grantee's" \
	eval 'card_rows_are "subject = '"'$SOMCHAI'"' AND acting = '"'grantor=$SOMCHAI'"'" 1 &&
		card_rows_are "subject = '"'$MALEE'"' AND acting = '"'$BOTH'"'" 1'
card_pid=$grantee_card
pull
card_pid=$grantor_card
pull --wait
wait_cmd eval '! readers | grep -q "Virtual PCD 00 01.*card"'
keys main F2 f
check "f again: acting for someone ends, both citizens' data wiped" \
	eval 'said "Acting for someone ended" && wait_gone main "Grantee" "Malee" "Somchai"'

# === one reader, one card after the other ==================================================
keys main f
wait_text main "Insert the grantor's card" >/dev/null
insert somchai
wait_text main "Somchai" >/dev/null
keys main i
wait_text main "The registry is not asked yet" >/dev/null
keys main Enter
wait_text main "The card owner's consent" >/dev/null
keys main y
check "one reader: the grantor's purpose chosen, nothing is asked before the grantee's card" \
	eval 'wait_text main "Waiting for the grantee'"'"'s card" && links_are 12'
pull --wait
keys main F2
check "the grantor's card out of the reader: still shown as the grantor, the grantee's card asked for" \
	eval 'wait_text main "Somchai" "Insert the grantee'"'"'s card"'
insert malee
check "the grantee's card in the same reader: both side by side, the grantor's lookups go" \
	eval 'wait_cmd side_by_side "Somchai" "Malee" && wait_cmd links_are 18 &&
		wait_cmd rows_are "subject = '"'$SOMCHAI'"' AND consent = '"'yes'"' AND acting = '"'$BOTH'"'" 6'
keys main i
wait_text main "The registry is not asked yet" >/dev/null
keys main C-r
check "the grantee with the repeat key: six more, every row of the visit names both" \
	eval 'wait_cmd links_are 24 && wait_cmd eval "[ \$(visit_rows) = 24 ]" &&
		wait_text main "Registry record" && both_named "สมชาย" "มาลี"'
pull --wait
insert thana
check "a third card while both are read is not taken as either" \
	eval 'said "Both citizens are read already" && both_named "สมชาย" "มาลี" && links_are 24'
keys main f
check "f ends it: the registry panes and the card pane show neither" \
	eval 'said "Acting for someone ended" && wait_gone main "Grantee" "มาลี" "สมชาย"'

# === the grantor by a typed ID ==============================================================
pull --wait
keys main f
wait_text main "Acting for someone" >/dev/null
keys main -l "$SOMCHAI"
keys main Enter
check "a typed ID as the grantor: named as typed, and the card pane says there is no card" \
	eval 'wait_text main "$(fmt "$SOMCHAI")  (typed ID)" && keys main F2 &&
		wait_text main "typed ID: no card" "Insert the grantee'"'"'s card"'
insert malee
keys main i
check "then the grantee's card: both named, the grantee asked for their purpose, nothing sent" \
	eval 'both_named "$(fmt "$SOMCHAI")" "มาลี" && wait_text main "The registry is not asked yet" && links_are 24'
# Letters are the purpose's filter while it is asked for: ^F ends it there.
keys main C-f
check "^F ends it with the purpose picker up; still running, nothing more reached the simulator" \
	eval 'said "Acting for someone ended" && wait_gone main "Grantee" && alive main && links_are 24'
