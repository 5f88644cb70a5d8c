#!/usr/bin/env bash
# Companies at the counter, as the officer sees them in the full-screen
# program: the companies pane, a juristic ID typed and its certificate shown
# (the ID and the capital formatted, Thai text wrapped and aligned in the
# value column), scrolling to the directors, signing authority, shareholders
# and financial statements, a director's details, a saved copy and a
# refresh, a wrong check digit refused before anything is sent, the
# session's history, the open API's set-up note, the simulator switched to
# the quota and to the firewall (the saved copy, labelled STALE with the
# reason), a slow answer cancelled with Esc, the audit rows, and the history
# gone after a log-out.  The real `tabien` runs in a terminal made by a
# private tmux server, against the gateway simulator on 127.0.0.1 (no card
# reader is needed); every step waits for the screen with a deadline.
# Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
tui_begin companies 50 sqlite3

export TABIEN_PWHASH=fast TABIEN_DB="$dir/data/tabien.db" TABIEN_TERMINAL=counter-cli
export HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state"
# No pcscd is needed: a private socket nobody serves keeps the machine's away.
export PCSCLITE_CSOCK_NAME="$dir/no-pcscd.comm"
mkdir -p "$HOME" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"

# A failing case shows the simulator's counters too.
SHOW="$dir/stats"
# A restarted simulator keeps its port, so a program already running keeps
# its address; an empty sim_port makes it pick another.
SIM_SAME_PORT=1

# --- the program in tmux ----------------------------------------------------------------

cat >"$dir/run-tabien" <<EOF
#!/usr/bin/env bash
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES TABIEN_IDLE_SECONDS
export HOME=$(printf '%q' "$HOME") XDG_CONFIG_HOME=$(printf '%q' "$XDG_CONFIG_HOME")
export XDG_STATE_HOME=$(printf '%q' "$XDG_STATE_HOME")
export TABIEN_THEMES=$(printf '%q' "$S/themes") TABIEN_LOCALEDIR=$(printf '%q' "$B/po")
export PCSCLITE_CSOCK_NAME=$(printf '%q' "$PCSCLITE_CSOCK_NAME")
export TABIEN_DB=$(printf '%q' "$TABIEN_DB") TABIEN_PWHASH=fast TABIEN_TERMINAL=counter-1
export TABIEN_CONFIG="\$2"
$(printf '%q' "$TABIEN")
echo \$? >$(printf '%q' "$dir")/status.\$1
exec sleep infinity
EOF
chmod +x "$dir/run-tabien"

# start TTY CONFIG: a new 80x24 terminal running tabien with that config.
start() {
	tm kill-session -t "$1" 2>/dev/null
	rm -f "$dir/status.$1"
	tm new-session -d -s "$1" -x 80 -y 24 "$dir/run-tabien" "$1" "$2"
}
# type_id TTY ID: types the ID and waits for it in the field.
type_id() { keys "$1" -l "$2" && wait_text "$1" "$2"; }
login() {
	wait_text "$1" "Log in" || return 1
	keys "$1" -l "$2" && keys "$1" Enter && keys "$1" -l "$3" && keys "$1" Enter
}
# col_of TTY PREFIX-REGEX TEXT: the column where TEXT starts on the first
# line that is PREFIX-REGEX then TEXT.  Prefixes are ASCII (a label and
# spaces), so their bytes are their columns.
col_of() {
	local l
	l=$(grep -E -- "^$2$3" "$dir/screen.$1" | head -1)
	[ -n "$l" ] || { echo -1; return; }
	l=${l%%"$3"*}
	echo "${#l}"
}
# The cursor line's number in the footer ("20/42").
cursor_at() { grep -oE '[0-9]+/[0-9]+( ↓)?$' "$dir/screen.$1" | tail -1 | cut -d/ -f1; }
# move TTY KEY: sends KEY and waits until the footer's line number has
# moved, so that what is checked next is the screen after KEY, not before.
move() {
	local at
	capture "$1"
	at=$(cursor_at "$1")
	keys "$1" "$2" && wait_cmd eval 'capture "$1"; [ "$(cursor_at "$1")" != "$at" ]'
}
# wait_stat NAME N: the simulator has counted N requests of a kind.
wait_stat() { wait_cmd eval "[ \"\$(sim_count $1)\" = $2 ]"; }

# --- set-up --------------------------------------------------------------------------------

OFFICER=officer1 PW=counter-password-1
SIAM=0105536012346 TECH=0105547123454 BADSUM=0105536012345
printf '%s\n' "กรมทดสอบ" BR-01 "สาขา 1" "$OFFICER" "สมชาย ใจดี" 1400100123451 "เจ้าหน้าที่" "$PW" "$PW" |
	"$TABIEN" admin init --batch >"$dir/setup.log" 2>&1 &&
	printf '%s\n' "$PW" | "$TABIEN" admin settings --purpose "ตรวจสอบนิติบุคคล" --as "$OFFICER" --batch \
		>>"$dir/setup.log" 2>&1 ||
	{ echo "Bail out! tabien admin init failed"; sed 's/^/# /' "$dir/setup.log"; exit 1; }
sim_start || { echo "Bail out! the gateway simulator did not start"; sed 's/^/# /' "$dir/sim.out"; exit 1; }
# The GDX source, with the shareholder and financial-statement endpoints.
{
	echo "gdx.url = http://127.0.0.1:$sim_port"
	echo "gdx.consumer_key = sim-key"
	echo "gdx.consumer_secret = sim-secret"
	echo "dbd.shareholders_path = /ws/dbd/juristic/v1/shareholder"
	echo "dbd.financials_path = /ws/dbd/juristic/v5/profile/financial/years"
	echo "http.timeout_ms = 8000"
} >"$dir/gdx.conf"
chmod 600 "$dir/gdx.conf"


# === the certificate ========================================================================
SESSION=t1
start t1 "$dir/gdx.conf"
login t1 "$OFFICER" "$PW"
keys t1 b
check "b opens the companies pane: the ID field and what to do" \
	wait_text t1 "Companies — juristic persons (DBD)" "Juristic ID" "Type a 13-digit juristic ID and press Enter."

type_id t1 "$SIAM"
check "13 digits typed: shown formatted as the certificate prints it" wait_text t1 "0-1055-36012-34-6"
keys t1 Enter
check "Enter: the certificate, the ID formatted, capital with Thai grouping, status and date" \
	wait_text t1 "บริษัท สยามตัวอย่างการค้า จำกัด" "SIAM SAMPLE TRADING COMPANY LIMITED" \
	"Juristic ID           0-1055-36012-34-6" "5,000,000.00 baht" "active (ยังดำเนินกิจการอยู่)" \
	"19 Jul 2536 BE" "as of "
# The objective is long Thai text: its first line beside the label, the
# next ones in the same column, none wider than the terminal.
wrapped_and_aligned() {
	local c1 c2
	c1=$(col_of t1 "  Objective +" "ประกอบกิจการค้าส่งและค้าปลีก")
	c2=$(col_of t1 " +" "รวมทั้งเครื่องใช้ไฟฟ้า")
	note "objective at column $c1, its second line at $c2"
	[ "$c1" -gt 2 ] && [ "$c1" = "$c2" ] &&
		[ "$(col_of t1 "  Name \(Thai\) +" "บริษัท สยามตัวอย่างการค้า จำกัด")" = "$c1" ] &&
		[ "$(wc -L <"$dir/screen.t1")" -le 80 ]
}
check "Thai text wrapped at a space and aligned in the value column, within 80 columns" \
	wrapped_and_aligned
once() { [ "$(sim_count dbd_gdx)" = 1 ] && [ "$(sim_count dbd_parts)" = 2 ]; }
check "the lookup went to DBD once, with its two parts" once

move t1 PgDn
move t1 PgDn
check "scrolled: directors in order, the signing authority wrapped and aligned" \
	wait_re t1 "^ +2\. นางสมศรี ใจดี — กรรมการ"
# The screen is captured anew until it holds the three lines aligned: one
# capture can catch the second PgDn's lines half drawn.
signing_cols() {
	capture t1
	c0=$(col_of t1 "  Signing authority +" "นายสมชาย ใจดี ลงลายมือชื่อ")
	c1=$(col_of t1 " +" "หรือ นางสมศรี ใจดี")
	c2=$(col_of t1 " +" "และประทับตราสำคัญของบริษัท")
	[ "${c0:-0}" -gt 2 ] && [ "$c0" = "$c1" ] && [ "$c1" = "$c2" ]
}
signing_aligned() {
	local c0 c1 c2 rc
	wait_cmd signing_cols
	rc=$?
	note "signing authority at column $c0, then $c1 and $c2"
	return $rc
}
check "the signing authority: each line wrapped in the value column" signing_aligned
check "shareholders: in order, what they hold under each, shares grouped" \
	wait_re t1 "^  Shareholders +1\. นายสมชาย ใจดี — ไทย$"
check "shareholders: the shares and their value" wait_text t1 "25,000 shares · 2,500,000.00 baht"
move t1 G
check "at the end: financial-statement years newest first, figures aligned, the source named" \
	wait_re t1 "^  Financial statements +2566  revenue +24,100,500.25 baht"
years_in_order() {
	local y6 y5 y4 c1 c2
	y6=$(grep -n "2566  revenue" "$dir/screen.t1" | cut -d: -f1)
	y5=$(grep -n "2565  revenue" "$dir/screen.t1" | cut -d: -f1)
	y4=$(grep -n "2564  revenue" "$dir/screen.t1" | cut -d: -f1)
	c1=$(col_of t1 "  Financial statements +2566  revenue +" "24,100,500.25")
	c2=$(col_of t1 " +net profit +" "1,204,000.00")
	note "years on lines $y6 $y5 $y4; figures at columns $c1 and $c2"
	[ -n "$y4" ] && [ "$y6" -lt "$y5" ] && [ "$y5" -lt "$y4" ] && [ "$c1" -gt 24 ] &&
		[ "$c2" = "$(( c1 + 1 ))" ] &&
		grep -qE "net profit +-350,000.00 baht" "$dir/screen.t1" &&
		grep -qF "DBD through the GDX gateway" "$dir/screen.t1"
}
check "financial statements: newest first, figures in a column, a loss as one" years_in_order

# Enter on a director: only what DBD lists.
on_director() { grep -qE "^› +(Directors +)?1\. นายสมชาย ใจดี — กรรมการ" "$dir/screen.t1"; }
# Up one line at a time, each time waiting for the cursor to move.
to_director() {
	local i at
	capture t1
	for i in $(seq 1 60); do
		on_director && return 0
		at=$(cursor_at t1)
		keys t1 Up
		wait_cmd eval 'capture t1; [ "$(cursor_at t1)" != "$at" ]' || return 1
	done
	return 1
}
to_director && keys t1 Enter
check "Enter on a director: what the certificate lists, nothing more looked up" \
	wait_text t1 "Director 1 of 3, as DBD lists them" "นายสมชาย ใจดี" "nothing more about this person"
keys t1 Escape
check "Esc: back to the certificate, on the same line" wait_re t1 "^› +Directors +1\. นายสมชาย ใจดี"

# === a saved copy, and a refresh ==============================================================
type_id t1 "$SIAM"
keys t1 Enter
cache_hit() { wait_text t1 "a saved copy, nothing sent to DBD" && [ "$(sim_count dbd_gdx)" = 1 ]; }
check "the same company again: a saved copy, nothing sent" cache_hit
keys t1 R
check "R asks DBD again though the copy is fresh" wait_stat dbd_gdx 2
refreshed() { wait_gone t1 "a saved copy, nothing sent" && grep -qF "just now" "$dir/screen.t1"; }
check "after the refresh: the copy is DBD's answer of just now" refreshed

# === a wrong check digit =========================================================================
before=$(sim_count dbd_gdx)
type_id t1 "$BADSUM"
check "a wrong check digit shows as it is typed" wait_text t1 "check digit wrong"
keys t1 Enter
refused() {
	wait_text t1 "The juristic ID is not 13 digits with a correct check digit" \
		"number on the company certificate; nothing was sent" && [ "$(sim_count dbd_gdx)" = "$before" ]
}
check "Enter on it: refused with what to do, nothing sent" refused
keys t1 Escape

# === the session's history ======================================================================
type_id t1 "$TECH"
keys t1 Enter
wait_text t1 "บริษัท ทดสอบเทคโนโลยี จำกัด (มหาชน)"
keys t1 H
check "H: the IDs looked up in this session, newest first, formatted, with names" \
	wait_re t1 "0-1055-47123-45-4  บริษัท ทดสอบเทคโนโลยี"
history_order() {
	[ "$(grep -n "0-1055-47123-45-4" "$dir/screen.t1" | head -1 | cut -d: -f1)" -lt \
		"$(grep -n "0-1055-36012-34-6  บริษัท สยาม" "$dir/screen.t1" | head -1 | cut -d: -f1)" ]
}
check "the history: the later lookup first" history_order
keys t1 Down
keys t1 Enter
check "Enter on an earlier company shows it again" \
	wait_re t1 "^  Name \(Thai\) +บริษัท สยามตัวอย่างการค้า จำกัด"

# === the open API: set-up note, quota and firewall, a slow answer cancelled ========================
sim_stop
port2_conf() {
	{
		echo "dbd.open_url = http://127.0.0.1:$sim_port"
		echo "http.timeout_ms = 8000"
	} >"$dir/open.conf"
}
sim_port=
sim_start || { echo "Bail out! the simulator did not start again"; exit 1; }
port2_conf
SESSION=t2
start t2 "$dir/open.conf"
login t2 "$OFFICER" "$PW"
keys t2 b
check "no gateway set up: the open API, and what to set up for the rest" \
	wait_text t2 "Source: DBD open data (no key)" "gdx.consumer_key and gdx.consumer_secret" \
	"configuration file"
type_id t2 "$TECH"
keys t2 Enter
wait_text t2 "DBD open data (no key)" "not provided by this source"
sim_start --dbd-quota
keys t2 R
check "the simulator over its quota: the saved copy, labelled STALE with the reason" \
	wait_text t2 "STALE: not DBD's current data" "JURISTIC-QUOTA (8888)" "บริษัท ทดสอบเทคโนโลยี จำกัด (มหาชน)"
sim_start --dbd-waf
keys t2 R
check "the firewall's 403 page: STALE, and to wait" \
	wait_text t2 "STALE: not DBD's current data" "JURISTIC-BLOCKED (403" "Wait at least 15"
sim_start --latency-ms 6000 --scope dbd
keys t2 R
wait_text t2 "Looking up 0-1055-47123-45-4 at DBD… (Esc cancels)"
keys t2 Escape
check "a slow answer: Esc cancels it at once, the company stays shown" \
	wait_text t2 "The request was cancelled" "บริษัท ทดสอบเทคโนโลยี จำกัด (มหาชน)"

# === the audit trail, and the history gone at log-out ===============================================
printf '%s\n' "$PW" | "$TABIEN" audit export --as "$OFFICER" --batch >"$dir/audit.csv" 2>"$dir/audit.err"
audited() {
	[ "$(grep -c 'juristic.query' "$dir/audit.csv")" -ge 8 ] &&
		grep 'juristic.query' "$dir/audit.csv" | grep -F "$SIAM" | grep -F 'ตรวจสอบนิติบุคคล' | grep -qF 'OK cache' &&
		grep 'juristic.query' "$dir/audit.csv" | grep -qF 'STALE JURISTIC-QUOTA 8888' &&
		grep 'juristic.query' "$dir/audit.csv" | grep -qF 'CANCELLED' &&
		! grep -qF "$BADSUM" "$dir/audit.csv"
}
SHOW="$dir/stats $dir/audit.csv"
check "every lookup audited with the purpose (cache hits, stale, cancelled), none for the bad ID" audited
SHOW="$dir/stats"
keys t2 F12
wait_text t2 "Log in"
login t2 "$OFFICER" "$PW"
keys t2 b
wait_text t2 "Companies — juristic persons (DBD)"
keys t2 H
forgotten() { wait_text t2 "nothing yet" && ! grep -qF "ทดสอบเทคโนโลยี" "$dir/screen.t2"; }
check "after a log-out the history and the company are gone" forgotten

echo "1..$n"
[ $failed = 0 ]
