# Shared by the terminal tests: the real `tabien` in a private tmux server
# and screen polling with deadlines, over tests/lib/common.sh (TAP, the
# private pcscd with the virtual card, the gateway simulator).  Source it
# after setting B (the build tree) and S (the sources), then call
# tui_begin, which makes dir (the test's scratch folder); a failing check
# shows the screen of the session named in SESSION.
# shellcheck shell=bash

. "$S/tools/lib.sh"
. "$S/tests/lib/common.sh"

# tui_begin NAME [HISTORY [COMMAND...]]: what every terminal test does
# first.  The locale and an environment of the test's own (no outer tmux,
# language, configuration, database or proxy); skipped when tmux or a
# COMMAND is missing; the scratch folder $dir (tabien-NAME.XXXXXX, removed
# at exit), a free vpcd port in $port and the private pcscd's socket in
# $sock; tmux set up with HISTORY lines of scrollback (tui_init).
tui_begin() {
	local name=$1 history=${2:-0} c
	shift $(($# < 2 ? $# : 2))
	export LC_ALL=C.UTF-8 LANG=C.UTF-8
	unset TMUX LANGUAGE LC_MESSAGES TABIEN_CONFIG TABIEN_DB XDG_DATA_HOME \
		http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY
	for c in tmux "$@"; do
		command -v "$c" >/dev/null || { echo "1..0 # SKIP $c is not installed"; exit 0; }
	done
	dir=$(mktemp -d "${TMPDIR:-/tmp}/tabien-$name.XXXXXX")
	port=$(free_port)
	sock="$dir/pcscd.comm"
	trap tui_cleanup EXIT
	tui_init "$history"
}

# --- tmux and the screen -------------------------------------------------------------------

# tui_init [HISTORY]: tmux on its own socket, with no user configuration.
# remain-on-exit keeps a pane whose program ended, so its last screen can
# still be shown.  HISTORY lines of scrollback, none unless told (tmux 3.3
# can scroll the first line a new pane prints out of sight while it sets
# the pane up).
tui_init() {
	printf 'set -g remain-on-exit on\nset -g history-limit %s\n' "${1:-0}" >"$dir/tmux.conf"
}
tm() { tmux -S "$dir/tmux.sock" -f "$dir/tmux.conf" "$@"; }
tui_cleanup() {
	tm kill-server 2>/dev/null
	test_cleanup
}
capture() { tm capture-pane -p -t "$1" >"$dir/screen.$1" 2>&1; }
# The screen's line N (1-based) from the last capture.
line() { sed -n "$2p" "$dir/screen.$1"; }
# shows_all SESSION TEXT...: a new capture holds every TEXT.
shows_all() {
	local s=$1 t
	shift
	capture "$s"
	for t in "$@"; do grep -qF -- "$t" "$dir/screen.$s" || return 1; done
}
# shows_none SESSION TEXT...: a new capture holds no TEXT.
shows_none() {
	local s=$1 t
	shift
	capture "$s"
	for t in "$@"; do grep -qF -- "$t" "$dir/screen.$s" && return 1; done
	return 0
}
# shows_re SESSION REGEX: a line of a new capture matches.
shows_re() { capture "$1"; grep -qE -- "$2" "$dir/screen.$1"; }
# wait_text SESSION TEXT...: polls until every TEXT is on the screen.
wait_text() { wait_cmd shows_all "$@"; }
# wait_gone SESSION TEXT...: polls until no TEXT is on the screen.
wait_gone() { wait_cmd shows_none "$@"; }
# wait_re SESSION REGEX: polls until a line of the screen matches.
wait_re() { wait_cmd shows_re "$1" "$2"; }
# shows_line SESSION N REGEX: the screen's line N matches (captured anew).
shows_line() { capture "$1"; line "$1" "$2" | grep -qE -- "$3"; }
# wait_line SESSION N REGEX: polls until it does.
wait_line() { wait_cmd shows_line "$@"; }
# select_user SESSION USER: moves the users pane's marker (›) to USER's
# row; the rows start on the screen's 4th line.
select_user() {
	local i k
	capture "$1"
	k=$(grep -nE "^ (›| ) $2 " "$dir/screen.$1" | head -1 | cut -d: -f1)
	[ -n "$k" ] && [ "$k" -ge 4 ] || return 1
	keys "$1" g
	for i in $(seq 5 "$k"); do keys "$1" j; done
	wait_line "$1" "$k" "^ › $2 "
}
# cursor_on SESSION TEXT: a new capture shows the terminal's cursor, and on
# the row of the first line holding TEXT (a field's label), right of it.
cursor_on() {
	local row col c
	capture "$1"
	row=$(grep -nF -m1 -- "$2" "$dir/screen.$1" | cut -d: -f1)
	col=$(column_of "$1" "$2")
	c=$(tm display -p -t "$1" '#{cursor_flag} #{cursor_y} #{cursor_x}')
	[ -n "$row" ] && [ "${c% *}" = "1 $((row - 1))" ] && [ "${c##* }" -gt "$col" ]
}
# The program in the session's pane is still running.
alive() {
	[ ! -e "$dir/status.$1" ] && [ "$(tm list-panes -t "$1" -F '#{pane_dead}' 2>/dev/null)" = 0 ]
}
# The program's exit status, once it has ended (the scripts' run-tabien
# writes it to status.SESSION).
# The Nth part of the status bar in the last capture of SESSION (parts
# split at │: 1 the user, 2 the branch, 3 the purpose), apart from the
# message at its end that may name the same words.
status_part() { line "$1" 24 | awk -F'│' -v n="$2" '{ print $n }'; }
# purpose_shown SESSION TEXT: the status bar's purpose part (cut to what
# fits) begins as TEXT does.
purpose_shown() { capture "$1" && status_part "$1" 3 | grep -qF -- "${2:0:6}"; }
exit_status() { cat "$dir/status.$1" 2>/dev/null; }
keys() { local s=$1; shift; tm send-keys -t "$s" "$@"; }
# Screen column (0-based) where TEXT starts on the first line holding it,
# counted in display columns (wc -L measures with wcwidth).
column_of() {
	local l p
	l=$(grep -F -m1 -- "$2" "$dir/screen.$1") || { echo -1; return; }
	p=${l%%"$2"*}
	printf '%s' "$p" | wc -L
}

# tui_counter_branch [--auto] [PURPOSE...]: a branch made by `admin init`
# with its admin ($ADMIN, $ADMIN_PASSWORD), its purposes (by default
# ตรวจสอบสิทธิ and ขึ้นทะเบียนสวัสดิการ; the first two in $PURPOSE and
# $PURPOSE2) and one approved officer ($OFFICER, $PASSWORD, $OFFICER_CID),
# in $TABIEN_DB under $dir (or the server $TUI_DB names); with --auto the
# first purpose is the branch's auto_purpose, so the counter is never asked.
# Bails out when the set-up fails.
tui_counter_branch() {
	local auto=
	[ "${1:-}" != --auto ] || { auto=1; shift; }
	[ $# -gt 0 ] || set -- "ตรวจสอบสิทธิ" "ขึ้นทะเบียนสวัสดิการ"
	export TABIEN_PWHASH=fast TABIEN_DB="${TUI_DB:-$dir/data/tabien.db}"
	ADMIN=admin1 ADMIN_PASSWORD=admin-password-1
	OFFICER=staff1 PASSWORD=counter-password-1 OFFICER_CID=$(cid_of 310050012345)
	PURPOSE=$1 PURPOSE2=${2:-}
	local settings=() p
	for p in "$@"; do settings+=(--purpose "$p"); done
	[ -z "$auto" ] || settings+=(--auto-purpose "$PURPOSE")
	tui_counter_set_up() {
		printf '%s\n' "กรมทดสอบ" "BR-01" "สาขา 1" "$ADMIN" "สมชาย ใจดี" "$(cid_of 110170020345)" \
			"หัวหน้างาน" "$ADMIN_PASSWORD" "$ADMIN_PASSWORD" | "$TABIEN" admin init --batch &&
			printf '%s\n' "$ADMIN_PASSWORD" | "$TABIEN" admin settings --as "$ADMIN" --batch "${settings[@]}" &&
			printf '%s\n' "$OFFICER" "มาลัย ใจงาม" "$OFFICER_CID" "เจ้าหน้าที่" \
				"$PASSWORD" "$PASSWORD" | "$TABIEN" admin register --batch &&
			printf '%s\n' "$ADMIN_PASSWORD" | "$TABIEN" admin approve "$OFFICER" --as "$ADMIN" --batch
	}
	mkdir -p "$dir/home" "$dir/state" "$dir/config/tabien"
	HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state" tui_counter_set_up >"$dir/setup.log" 2>&1 ||
		{ echo "Bail out! tabien admin init failed"; sed 's/^/# /' "$dir/setup.log"; exit 1; }
}

# tui_launcher: $dir/run-tabien SESSION [TERM] runs the program as a
# counter's terminal would (TERM xterm-256color unless told): the build
# tree's themes and catalogue, the private pcscd ($sock), $TABIEN_DB and a
# home of its own under $dir, so nothing of the real user is read or
# written.  It records the exit status (128+N for a signal) in
# status.SESSION: tmux 3.3 does not always report a dead pane's status.
tui_launcher() {
	cat >"$dir/run-tabien" <<-EOF
	#!/usr/bin/env bash
	unset LANGUAGE LC_MESSAGES TABIEN_CONFIG
	session="\$1"
	export TERM="\${2:-xterm-256color}" XDG_CONFIG_HOME=$(printf '%q' "$dir/config")
	export LANG=C.UTF-8 LC_ALL=C.UTF-8
	export HOME=$(printf '%q' "$dir/home") XDG_STATE_HOME=$(printf '%q' "$dir/state")
	# A session with a HOME of its own is another terminal.
	if [ -d $(printf '%q' "$dir")/home-"\$session" ]; then
		export HOME=$(printf '%q' "$dir")/home-"\$session"
		export XDG_CONFIG_HOME="\$HOME/.config" XDG_STATE_HOME="\$HOME/.state"
	fi
	export TABIEN_THEMES=$(printf '%q' "$S/themes") TABIEN_LOCALEDIR=$(printf '%q' "$B/po")
	export PCSCLITE_CSOCK_NAME=$(printf '%q' "$sock")
	export TABIEN_DB=$(printf '%q' "$TABIEN_DB") TABIEN_PWHASH=fast TABIEN_TERMINAL="tui-\$session"
	$(printf '%q' "$TABIEN")
	echo \$? >$(printf '%q' "$dir")/status.\$session
	EOF
	chmod +x "$dir/run-tabien"
}

# tui_officer_terminal: what the registry panes' tests share, for an
# officer ($OFFICER, $PASSWORD) at a terminal with the private pcscd ($sock),
# the database ($TABIEN_DB, a file or a server) and the gateway simulator:
# config PORT [SESSION] writes the terminal's configuration (a SESSION's
# own: that session is then a terminal of its own, with its own HOME),
# $dir/run-tabien runs the program in a session, start SESSION, login
# SESSION, tui_sql QUERY asks the database (sqlite3 or psql), audit_rows
# WHERE counts the registry's rows.
tui_officer_terminal() {
	# The terminal's configuration: the simulator as the gateway.
	config() {
		local conf="$dir/config/tabien/tabien.conf"
		if [ -n "${2:-}" ]; then
			mkdir -p "$dir/home-$2/.config/tabien" "$dir/home-$2/.state"
			conf="$dir/home-$2/.config/tabien/tabien.conf"
		fi
		{
			echo "gdx.url = http://127.0.0.1:$1"
			echo "gdx.consumer_key = sim-key"
			echo "gdx.consumer_secret = sim-secret"
			echo "http.timeout_ms = 6000"
			echo "http.connect_timeout_ms = 2000"
		} >"$conf"
		chmod 600 "$conf"
	}

	tui_launcher
	start() { tm new-session -d -s "$1" -x 80 -y 24 "$dir/run-tabien" "$1"; }
	login() {
		wait_text "$1" "User name" "Password" || return 1
		keys "$1" -l "$OFFICER" && keys "$1" Enter && keys "$1" -l "$PASSWORD" && keys "$1" Enter &&
			wait_text "$1" "Insert the citizen's ID card"
	}
	audit_action=$(sed -n 's/^#define AUDIT_LINKAGE_QUERY *"\([^"]*\)".*/\1/p' "$S/services/accounts/audit.h")
	tui_sql() {
		case $TABIEN_DB in
		*=*) "$PG_BIN/psql" -X -q -At -d "$TABIEN_DB" -c "$1" ;;
		*) sqlite3 -cmd '.timeout 5000' "$TABIEN_DB" "$1" ;;
		esac
	}
	audit_rows() { tui_sql "SELECT count(*) FROM audit WHERE action = '$audit_action' AND $1"; }
}
