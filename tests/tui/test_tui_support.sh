#!/usr/bin/env bash
# What the officer and branch support are told when something is wrong: every
# bad line of the config file in F9's list, a config path that is a folder,
# and the support report (from F9 and from `tabien support-report`), which
# holds what support asks for and nothing personal.  The real binary in tmux,
# no card reader needed.  Speaks TAP.
set -u
B=${TABIEN_BUILDDIR:?}
S=${TABIEN_SRCDIR:?}
. "$S/tests/lib/tui.sh"
tui_begin support

export TABIEN_PWHASH=fast TABIEN_DB="$dir/data/tabien.db"
export HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state"
mkdir -p "$HOME" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME/tabien" "$dir/folder.conf"
ADMIN=admin1 ADMIN_PASSWORD=admin-password-1
admin_cid=$(cid_of 110170020345)
printf '%s\n' "กรมทดสอบ" "BR-01" "สาขา 1" "$ADMIN" "สมชาย ใจดี" "$admin_cid" \
	"หัวหน้างาน" "$ADMIN_PASSWORD" "$ADMIN_PASSWORD" | "$TABIEN" admin init --batch >"$dir/setup.log" 2>&1 ||
	{ echo "Bail out! tabien admin init failed"; sed 's/^/# /' "$dir/setup.log"; exit 1; }

# run-tabien SESSION CONFIG: the program with CONFIG as its config file.
cat >"$dir/run-tabien" <<EOF
#!/usr/bin/env bash
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
export HOME=$(printf '%q' "$HOME") XDG_CONFIG_HOME=$(printf '%q' "$XDG_CONFIG_HOME")
export XDG_STATE_HOME=$(printf '%q' "$XDG_STATE_HOME")
export TABIEN_THEMES=$(printf '%q' "$S/themes") TABIEN_LOCALEDIR=$(printf '%q' "$B/po")
export PCSCLITE_CSOCK_NAME=$(printf '%q' "$sock")
export TABIEN_DB=$(printf '%q' "$TABIEN_DB") TABIEN_PWHASH=fast TABIEN_TERMINAL="\$1"
export TABIEN_CONFIG="\$2"
$(printf '%q' "$TABIEN")
echo \$? >$(printf '%q' "$dir")/status.\$1
EOF
chmod +x "$dir/run-tabien"
start() { tm new-session -d -s "$1" -x "$2" -y "$3" "$dir/run-tabien" "$1" "$4"; }
login() {
	wait_text "$1" "User name" "Password" || return 1
	keys "$1" -l "$ADMIN" && keys "$1" Enter && keys "$1" -l "$ADMIN_PASSWORD" && keys "$1" Enter
}

echo "1..9"

# --- the config file --------------------------------------------------------------
conf="$dir/bad.conf"
cat >"$conf" <<'EOF'
# a config with a bad line of every kind
theme = fancy
key.quit = F99 Q
language = de
a stray line
gdx.consumer_kye = abc
EOF
SESSION=conf
start conf 160 50 "$conf"
login conf
keys conf F9
check "config: every bad line in F9's list with its line number and value, top down" \
	eval 'wait_text conf "line 2: theme = fancy: no such theme" "line 3: key.quit = F99 Q: F99 is not a key" \
			"line 4: language = de: th or en" "line 5: not key = value" \
			"line 6: gdx.consumer_kye: nearest known gdx.consumer_key" "CONFIG-UNKNOWN" &&
		[ "$(grep -n "line 2: theme" "$dir/screen.conf" | cut -d: -f1)" -lt \
		  "$(grep -n "line 6: gdx" "$dir/screen.conf" | cut -d: -f1)" ] && alive conf'
keys conf s
report=
check "config: the support report lists them too, the value of an unknown key left out" \
	eval 'wait_text conf "Support report written" && report=$(ls "$dir/state/tabien/"support-*.txt | head -1) &&
		grep -qF "line 4: language = de: th or en" "$report" && grep -qF "line 5: not key = value" "$report" &&
		! grep -qF "abc" "$report"'
SHOW=${report:-} check "support report: agency, branch, user, pane and action, the connection, the DGA contact centre, no ID" \
	eval 'grep -qx "Agency  *กรมทดสอบ" "$report" && grep -qx "Branch  *สาขา 1 (BR-01)" "$report" &&
		grep -qx "User  *$ADMIN" "$report" && grep -qx "Pane  *diagnostics" "$report" &&
		grep -qx "Last action  *pane-diagnostics" "$report" && grep -q "^Connection  *gdx, gateway not set up" "$report" &&
		grep -qF "02-612-6060, contact@dga.or.th" "$report" && ! grep -qF -e "$admin_cid" -e "สมชาย" "$report"'
keys conf q

SESSION=folder
start folder 100 30 "$dir/folder.conf"
login folder
keys folder F9
check "config: a path that is a folder is an error, said with the path" \
	eval 'wait_text folder "FILE (21, config)" "$dir/folder.conf" && alive folder'
keys folder q

SHOW="$dir/cmd.err" check "config: a command names the bad line on stderr" \
	eval 'TABIEN_CONFIG="$conf" "$TABIEN" linkage permission --as "$ADMIN" --batch </dev/null 2>"$dir/cmd.err";
		grep -qF "line 5: not key = value" "$dir/cmd.err"'

# --- the report from the command line -------------------------------------------------
# No pcscd behind the socket: the report says so, and is written all the same.
out="$dir/report.txt"
TABIEN_CONFIG="$conf" "$TABIEN" support-report --out "$out" >"$dir/sr.out" 2>"$dir/sr.err"; rc=$?
SHOW="$dir/sr.out $dir/sr.err $out" check "support-report --out FILE: exit 0, says where, the file 600 with the header and the config's bad lines" \
	eval '[ $rc = 0 ] && grep -qF "Support report written / เขียนรายงานสำหรับฝ่ายสนับสนุนแล้ว: $out" "$dir/sr.out" &&
		[ "$(stat -c %a "$out")" = 600 ] && grep -qx "Agency  *กรมทดสอบ" "$out" &&
		grep -qx "Branch  *สาขา 1 (BR-01)" "$out" && grep -qx "User  *(not logged in)" "$out" &&
		grep -q "^Pane  *(the command line" "$out" && grep -qF "02-612-6060, contact@dga.or.th" "$out" &&
		grep -qF "line 4: language = de: th or en" "$out" && grep -q "^Card service  *not running (PCSCD-DOWN)" "$out" &&
		grep -q "^Terminal .*no screen" "$out" && ! grep -qF -e "$admin_cid" -e "สมชาย" -e abc "$out"'
"$TABIEN" support-report >"$dir/sr.out" 2>"$dir/sr.err"; rc=$?
SHOW="$dir/sr.out $dir/sr.err" check "support-report without --out: into \$XDG_STATE_HOME/tabien, named in the output" \
	eval '[ $rc = 0 ] && f=$(sed -n "s/^Support report written .*: //p" "$dir/sr.out") &&
		case $f in "$dir/state/tabien/support-"*.txt) true ;; *) false ;; esac && [ -f "$f" ] &&
		[ "$(stat -c %a "$f")" = 600 ]'
# Written through privfile: never through a link, nor over another's file.
ln -s "$dir/victim" "$dir/link.txt"
"$TABIEN" support-report --out "$dir/link.txt" >"$dir/sr.out" 2>"$dir/sr.err"; rc=$?
SHOW="$dir/sr.out $dir/sr.err" check "support-report --out a link: refused in both languages, nothing written through it" \
	eval '[ $rc = 1 ] && grep -q "FILE" "$dir/sr.err" && [ "$(wc -l <"$dir/sr.err")" -ge 2 ] && [ ! -e "$dir/victim" ] &&
		! grep -q "Support report written" "$dir/sr.out"'
"$TABIEN" support-report --frobnicate >/dev/null 2>"$dir/sr.err"; rc=$?
SHOW="$dir/sr.err" check "support-report with an unknown option: exit 2 and the usage" \
	eval '[ $rc = 2 ] && grep -qF "usage: tabien support-report [--out FILE]" "$dir/sr.err"'
[ "$failed" = 0 ]
