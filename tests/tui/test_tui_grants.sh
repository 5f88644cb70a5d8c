#!/usr/bin/env bash
# Rights and roles in the users pane: an admin's terminal and an officer's
# on one database file.  The users list shows each account's role and
# branch within 80 columns, in English and Thai.  An admin whose role was
# lowered to branch admin at another terminal meanwhile is refused a user
# of another branch still on the list.  The branch admin opens the
# officer's rights (v), takes household (Space): the officer's terminal
# then refuses the household pane with who can grant it; gives it back
# (Enter): it opens; resets it to the role's default (D).  `tabien admin
# rights` agrees with the screen after each step and the audit trail has a
# row for each.  A role above the admin's own (O), a right the admin no
# longer holds, another branch's user: refused in the refusal box with who
# can grant it or do it (never the admin themselves), in both languages,
# nothing changed; the last agency admin's own role: refused in the status
# line.  The agency admin moves a user to another branch (B); a branch admin
# is not shown the key and is refused it, on record.  The real
# `tabien` in a private tmux server; no card reader is needed.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
unset XDG_CONFIG_HOME TABIEN_IDLE_SECONDS
tui_begin grants 0 sqlite3
tui_counter_branch
# No pcscd is needed: a private socket nobody serves keeps the machine's away.
sock="$dir/no-pcscd.comm"
tui_officer_terminal

BADMIN=badmin BADMIN_NAME="สมศรี ดูแล" OTHER=off.b
# cli [CONFIG-DIR] ARGS... (the admin's password on standard input): tabien
# at a terminal whose configuration is in CONFIG-DIR ($dir/config).
cli() {
	local conf="$dir/config"
	case $1 in /*) conf=$1; shift ;; esac
	printf '%s\n' "$ADMIN_PASSWORD" | HOME="$dir/home" XDG_CONFIG_HOME="$conf" XDG_STATE_HOME="$dir/state" \
		"$TABIEN" "$@" >"$dir/out" 2>>"$dir/cli.log"
}
# register CONFIG-DIR USER NAME CID: a registration, approved by $ADMIN.
register() {
	printf '%s\n' "$2" "$3" "$(cid_of "$4")" "เจ้าหน้าที่" "$PASSWORD" "$PASSWORD" |
		HOME="$dir/home" XDG_CONFIG_HOME="$1" "$TABIEN" admin register --batch >/dev/null 2>>"$dir/cli.log" &&
		cli admin approve "$2" --as "$ADMIN" --batch
}
# cli_says USER RIGHT HELD FROM: `tabien admin rights USER` says of RIGHT
# held yes or no, from role, granted or revoked.
cli_says() { "$TABIEN" admin rights "$1" 2>>"$dir/cli.log" | grep -qE "^$2 +$3 [^ ]+ +$4 "; }
role_of() { sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" "SELECT role FROM users WHERE username = '$1'"; }
rows() { sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" "SELECT count(*) FROM audit WHERE $1"; }
# as SESSION USER [PASSWORD]: the login form filled in ($PASSWORD unless
# told).
as() {
	wait_text "$1" "User name" "Password" || return 1
	keys "$1" -l "$2" && keys "$1" Enter && keys "$1" -l "${3:-$PASSWORD}" && keys "$1" Enter &&
		wait_text "$1" "F2 Card"
}
# said SESSION TEXT...: the message log (L) holds every TEXT; closed again.
said() {
	local s=$1 rc
	keys "$s" L
	wait_text "$@"
	rc=$?
	keys "$s" Escape
	wait_gone "$s" "Messages, newest first" "ข้อความ ล่าสุดก่อน" && return $rc
}
# right_row SESSION RIGHT HELD FROM: the rights view's row for RIGHT says so.
right_row() { shows_re "$1" "^ (›| ) $2 .* $3 +$4 *$"; }

# --- the agency: a second branch and its officer; an admin at BR-01 ----------------------------
mkdir -p "$dir/config2/tabien"
echo 'branch = BR-02' >"$dir/config2/tabien/tabien.conf"
cli admin branches --add BR-02 --name "สาขาสอง" --as "$ADMIN" --batch &&
	register "$dir/config" "$BADMIN" "$BADMIN_NAME" 110170020346 &&
	register "$dir/config2" "$OTHER" "มาลี มีสุข" 310050012346 &&
	cli admin role "$BADMIN" agency-admin --as "$ADMIN" --batch
SHOW="$dir/cli.log" check "set-up: $BADMIN an agency admin at BR-01, $OTHER an officer of BR-02" \
	[ "$(sqlite3 "$TABIEN_DB" "SELECT group_concat(username || ' ' || branch || ' ' || role, ', ') FROM users WHERE username IN ('$BADMIN', '$OTHER') ORDER BY username")" = "$BADMIN BR-01 agency_admin, $OTHER BR-02 officer" ]

# --- the list: role and branch within 80 columns ----------------------------------------------------
SESSION=adm
start adm
as adm "$BADMIN"
keys adm F3
check "the users list shows each account's status, role and branch, whole, at 80 columns" \
	eval 'wait_text adm "Accounts — waiting for approval first" &&
		wait_re adm "^ (›| ) $OFFICER +มาลัย ใจงาม +active +officer +BR-01 *$" &&
		shows_re adm "^ (›| ) $BADMIN +$BADMIN_NAME +active +agency admin +BR-01 *$" &&
		shows_re adm "^ (›| ) $OTHER +มาลี มีสุข +active +officer +BR-02 *$"'
keys adm F1
check "F1 in the users pane lists v, O, D and Space" \
	eval 'wait_text adm "Users: the selected user'"'"'s rights" "Users: choose the selected user'"'"'s role" \
		"Rights: the selected right back to the role" "Rights: give or take the selected right" &&
		shows_re adm "│ +v +Users: the selected" && shows_re adm "│ +O +Users: choose" &&
		shows_re adm "│ +D +Rights: " && shows_re adm "│ +Space +Rights: "'
keys adm Escape
wait_gone adm "Users: choose the selected user"
keys adm F8
check "in Thai too: the role and the branch code whole at the line's end" \
	eval 'wait_re adm "^ (›| ) $OTHER +มาลี มีสุข +ใช้งานได้ +เจ้าหน้าที่ +BR-02 *$" &&
		[ "$(grep -F " $OTHER " "$dir/screen.adm" | wc -L)" -le 80 ]'
keys adm F8
wait_text adm "Language: English"

# --- lowered to branch admin at another terminal: another branch refused -----------------------------
cli admin role "$BADMIN" branch-admin --as "$ADMIN" --batch
SHOW="$dir/cli.log" check "meanwhile the agency admin makes $BADMIN a branch admin" [ "$(role_of "$BADMIN")" = branch_admin ]
select_user adm "$OTHER"
keys adm v
wait_text adm "Rights of มาลี มีสุข ($OTHER)" "officer · branch BR-02"
keys adm j j
wait_re adm "^ › household "
keys adm Space
check "Space on $OTHER's household (BR-02): OTHER-BRANCH in the refusal box, who can do it ($ADMIN: BR-02 has no admin)" \
	wait_text adm "OTHER-BRANCH: This user belongs to another" "The refusal is recorded in the audit trail." \
		"Who can do it: $ADMIN" "Any key: close"
keys adm Escape
check "Esc closes the box: the row unchanged, the refusal in the message log" \
	eval 'wait_gone adm "Who can do it:" && said adm "OTHER-BRANCH" "This user belongs to another branch" &&
		right_row adm household held "the role'"'"'s default"'
check "nothing changed: tabien admin rights $OTHER, and the refusal is on record" \
	eval 'cli_says "$OTHER" household yes role &&
		[ "$(rows "username = '"'$BADMIN'"' AND action = '"'admin.revoke'"' AND result = '"'OTHER-BRANCH'"'")" = 1 ]'
keys adm O
wait_text adm "Role of มาลี มีสุข ($OTHER)" "Enter: give this role · Esc: no"
keys adm j
wait_re adm "^ › supervisor "
keys adm Enter
check "O, supervisor, Enter: refused, OTHER-BRANCH, back in the rights view; still an officer" \
	eval 'wait_text adm "Rights of มาลี มีสุข" "OTHER-BRANCH: This user" "Who can do it: $ADMIN" &&
		[ "$(role_of "$OTHER")" = officer ]'
keys adm Escape
wait_gone adm "Who can do it:"
keys adm Escape
wait_text adm "Accounts — waiting for approval first"
keys adm F5
check "F5: the list is the branch's own now, $OTHER gone" \
	eval 'wait_text adm "The list was read again" && wait_gone adm " $OTHER "'

# --- the officer's terminal ------------------------------------------------------------------------
SESSION=off
start off
as off "$OFFICER"
keys off h
check "the officer opens the household pane (the role's default)" \
	eval 'wait_text off "the household shows here" && shows_none off "Refused:"'
keys off F2
wait_re off "^ *F2 Card"

# --- the branch admin takes household ---------------------------------------------------------------
SESSION=adm
select_user adm "$OFFICER"
keys adm v
check "v opens the officer's nine rights, each held or not and where from" \
	eval 'wait_text adm "Rights of มาลัย ใจงาม ($OFFICER)" "officer · branch BR-01" &&
		right_row adm card held "the role'"'"'s default" && right_row adm audit "not held" "the role'"'"'s default" &&
		[ "$(grep -cE "^ (›| ) [a-z]+ .* (held|not held) " "$dir/screen.adm")" = 9 ]'
keys adm j j
wait_re adm "^ › household "
keys adm Space
check "Space takes household: 'not held, taken' on screen, said in the status line" \
	eval 'said adm "household: taken from $OFFICER" && right_row adm household "not held" taken'
check "tabien admin rights agrees: household no, revoked" \
	cli_says "$OFFICER" household no revoked

SESSION=off
keys off h
check "the officer's h: refused with the right, that it is on record, and who can grant it ($BADMIN)" \
	wait_text off "Refused: you have no right to the household pane (household)." \
		"The refusal is recorded in the audit trail." "Who can grant it: $BADMIN"
keys off Escape
wait_gone off "Refused:"

# --- given back, then the role's default --------------------------------------------------------------
SESSION=adm
keys adm Enter
check "Enter gives household: 'held, given'; tabien admin rights says granted" \
	eval 'said adm "household: given to $OFFICER" && right_row adm household held given &&
		cli_says "$OFFICER" household yes granted'
SESSION=off
keys off h
check "the officer's h opens the household pane again" \
	eval 'wait_text off "the household shows here" && shows_none off "Refused:"'
SESSION=adm
keys adm D
check "D: back to the role's default on screen and in tabien admin rights" \
	eval 'said adm "household: back to the role'"'"'s default for $OFFICER" &&
		right_row adm household held "the role'"'"'s default" &&
		cli_says "$OFFICER" household yes role'
check "the audit trail: the revoke, the grant and the reset by $BADMIN, of household, for $OFFICER" \
	eval 'for a in admin.revoke admin.grant admin.reset_right; do
		[ "$(rows "username = '"'$BADMIN'"' AND action = '"'"'$a'"'"' AND service = '"'household'"' AND subject = '"'$OFFICER'"' AND result = '"'OK'"' AND branch = '"'BR-01'"'")" = 1 ] || exit 1
	done'

# --- refusals: a role above one's own, a right one does not hold -------------------------------------------
keys adm O
wait_text adm "Role of มาลัย ใจงาม ($OFFICER)"
keys adm G
wait_re adm "^ › agency admin "
keys adm Enter
check "O, agency admin, Enter: ROLE-ABOVE-OWN (branch-admin) in the box, who can do it ($ADMIN); still an officer" \
	eval 'wait_text adm "ROLE-ABOVE-OWN (branch-admin): You can give roles only up to your own" \
			"Who can do it: $ADMIN" &&
		[ "$(role_of "$OFFICER")" = officer ] && [ "$(rows "action = '"'admin.role'"' AND result = '"'ROLE-ABOVE-OWN'"'")" = 1 ]'
keys adm Escape
check "Esc: the box gone, the refusal in the message log" \
	eval 'wait_gone adm "Who can do it:" && said adm "ROLE-ABOVE-OWN (branch-admin): You can give roles only up to"'
keys adm F8
wait_text adm "ภาษา: ไทย"
keys adm O
wait_re adm "^ › เจ้าหน้าที่ "
keys adm G Enter
check "the same in Thai: 'คุณกำหนดบทบาทได้ไม่เกินบทบาทของตนเอง', 'ผู้ที่ทำรายการนี้ได้: $ADMIN'; still an officer" \
	eval 'wait_text adm "ROLE-ABOVE-OWN (branch-admin): คุณกำหนดบทบาทได้ไม่เกินบทบาทของตนเอง" \
			"ระบบบันทึกการปฏิเสธนี้ไว้" "ผู้ที่ทำรายการนี้ได้: $ADMIN" &&
		[ "$(role_of "$OFFICER")" = officer ]'
keys adm Escape
wait_gone adm "ผู้ที่ทำรายการนี้ได้:"
keys adm F8
wait_text adm "Language: English"
cli admin revoke "$BADMIN" copies --as "$ADMIN" --batch
keys adm j j j
wait_re adm "^ › copies "
keys adm Space
check "a right taken from the admin meanwhile: refused for the officer's, the box names who can grant it ($ADMIN, not $BADMIN)" \
	wait_text adm "Refused: you have no right to digital copies (copies)." \
		"The refusal is recorded in the audit trail." "Who can grant it: $ADMIN"
keys adm Escape
check "Esc: nothing changed; RIGHT-REFUSED (copies) in the message log" \
	eval 'wait_gone adm "Who can grant it:" && said adm "RIGHT-REFUSED (copies)" &&
		right_row adm copies held "the role'"'"'s default" && cli_says "$OFFICER" copies yes role'
keys adm O
wait_text adm "Role of มาลัย ใจงาม ($OFFICER)"
keys adm j
wait_re adm "^ › supervisor "
keys adm Enter
check "Enter again: $OFFICER is a supervisor, on screen, in the database and on record" \
	eval 'said adm "$OFFICER is now supervisor" && wait_text adm "supervisor · branch BR-01" &&
		right_row adm audit held "the role'"'"'s default" && [ "$(role_of "$OFFICER")" = supervisor ] &&
		[ "$(rows "username = '"'$BADMIN'"' AND action = '"'admin.role'"' AND service = '"'supervisor'"' AND result = '"'OK'"'")" = 1 ]'
keys adm Escape
check "Esc: the list shows the new role" wait_re adm "^ (›| ) $OFFICER +มาลัย ใจงาม +active +supervisor +BR-01 *$"
# --- the last agency admin ------------------------------------------------------------------------------
SESSION=agc
start agc
as agc "$ADMIN" "$ADMIN_PASSWORD"
keys agc F3
wait_text agc "Accounts — waiting for approval first"
select_user agc "$ADMIN"
keys agc O
wait_text agc "Role of สมชาย ใจดี ($ADMIN)"
keys agc k
wait_re agc "^ › branch admin "
keys agc Enter
check "the last agency admin making themselves branch admin: LAST-ADMIN, still agency admin" \
	eval 'wait_text agc "LAST-ADMIN" && said agc "the last active admin" &&
		wait_re agc "^ (›| ) $ADMIN +สมชาย ใจดี +active +agency admin +BR-01 *$" &&
		[ "$(role_of "$ADMIN")" = agency_admin ]'
# --- moving a user to another branch: the agency admin's alone -----------------------------------------
SESSION=adm
keys adm F1
check "F1 for the branch admin: no key to move a user to another branch" \
	eval 'wait_text adm "Users: choose the selected user" && shows_none adm "Users: move the selected user"'
keys adm Escape
wait_gone adm "Users: choose the selected user"
check "nor on the list's line of keys" eval 'wait_text adm "v: rights · O: role" && shows_none adm "O: role · B: branch"'
select_user adm "$OFFICER"
keys adm B
check "B all the same: NOT-ADMIN in the refusal box with who can do it ($ADMIN), on record; still at BR-01" \
	eval 'wait_text adm "NOT-ADMIN: Only an active admin of the agency can do this" "Who can do it: $ADMIN" &&
		[ "$(sqlite3 "$TABIEN_DB" "SELECT branch FROM users WHERE username = '"'$OFFICER'"'")" = BR-01 ] &&
		[ "$(rows "username = '"'$BADMIN'"' AND action = '"'admin.move'"' AND subject = '"'$OFFICER'"' AND result = '"'NOT-ADMIN'"'")" = 1 ]'
keys adm Escape
wait_gone adm "Who can do it:"
SESSION=agc
keys agc F1
check "F1 for the agency admin lists B" \
	eval 'wait_text agc "Users: move the selected user to another branch" && shows_re agc "│ +B +Users: move the selected"'
keys agc Escape
wait_gone agc "Users: move the selected user"
select_user agc "$OFFICER"
keys agc B
check "B: the branches to choose from, the officer's own marked, the marker on it" \
	eval 'wait_text agc "Branch of มาลัย ใจงาม ($OFFICER)" "Enter: move them to this branch · Esc: no" &&
		wait_re agc "^ › BR-01 +.* \(now\)" && shows_re agc "^   BR-02 +สาขาสอง"'
keys agc j
wait_re agc "^ › BR-02 "
keys agc Enter
check "BR-02, Enter: said, the list shows BR-02" \
	eval 'said agc "$OFFICER belongs to branch BR-02 now" &&
		wait_re agc "^ (›| ) $OFFICER +มาลัย ใจงาม +active +supervisor +BR-02 *$"'
check "tabien admin users and the database file agree: BR-02; the move on record, from and to" \
	eval '"$TABIEN" admin users 2>>"$dir/cli.log" | grep -qE "^$OFFICER .* BR-02 " &&
		[ "$(sqlite3 "$TABIEN_DB" "SELECT branch FROM users WHERE username = '"'$OFFICER'"'")" = BR-02 ] &&
		[ "$(rows "username = '"'$ADMIN'"' AND action = '"'admin.move'"' AND service = '"'BR-01>BR-02'"' AND subject = '"'$OFFICER'"' AND result = '"'OK'"'")" = 1 ]'
check "the three programs still run" eval 'alive adm && alive off && alive agc'

echo "1..$n"
[ "$failed" = 0 ]
