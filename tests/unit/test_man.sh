#!/usr/bin/env bash
# The man pages: every setting the code asks for is in tabien.conf(5) (the
# keys read by name, LK2's service IDs and the field maps' X-macros), every
# full-screen action in tabien(1), every command of the usage in tabien(1);
# both render under groff -ww without a warning.  Speaks TAP.
set -u
S=${TABIEN_SRCDIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
report() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else failed=1; echo "not ok $n - $2"; sed 's/^/# /' "$tmp/out"; fi; }
# The page as text, with groff's hyphen escapes undone.
page() { sed 's/\\-/-/g; s/\\f[BIR]//g' "$S/man/$1"; }

{
	grep -rhoE 'config_(get|text|long)\([^,]+, *"[^"]+"' "$S"/services "$S"/tui | grep -oE '"[^"]+"$' | tr -d '"'
	grep -rhoE '"lk2\.service\.[0-9]+"' "$S"/services | tr -d '"'
	sed -n '/define JURISTIC_FIELDS/,/^$/p' "$S/services/juristic/juristic.h" |
		grep -oE 'X\([a-z_]+, "[^"]+"' | sed -E 's/.*"([^"]+)"/dbd.field.\1/'
	sed -n '/define LINKAGE_007_FIELDS/,/^$/p' "$S/services/registry/linkage.h" |
		grep -oE 'X\([a-z_]+, "[^"]+"' | sed -E 's/.*"([^"]+)"/linkage.007.\1/'
} | grep -vE '\.$' | sort -u >"$tmp/keys"
[ "$(wc -l <"$tmp/keys")" -gt 60 ]
report $? "the settings the code knows are found ($(wc -l <"$tmp/keys"))"
page tabien.conf.5 >"$tmp/conf5"
: >"$tmp/out"
while read -r k; do grep -qF "$k" "$tmp/conf5" || echo "missing: $k" >>"$tmp/out"; done <"$tmp/keys"
[ ! -s "$tmp/out" ]
report $? "every setting is in tabien.conf(5)"

page tabien.1 >"$tmp/man1"
: >"$tmp/out"
for a in $(grep -oE 'X\(ACT_[A-Z_]+, "[^"]+"' "$S/tui/actions.h" | sed -E 's/.*"([^"]+)"/\1/'); do
	grep -qF "key.$a" "$tmp/man1" || echo "missing action: $a" >>"$tmp/out"
done
[ ! -s "$tmp/out" ]
report $? "every full-screen action and its key is in tabien(1)"
: >"$tmp/out"
grep -oE '^[[:space:]]*"  [a-z][a-z-]*( [a-z|-]+)?' "$S/tui/main.c" | sed -E 's/^[[:space:]]*"  //' | while read -r c; do
	grep -qF "$c" "$tmp/man1" || echo "missing command: $c" >>"$tmp/out"
done
[ ! -s "$tmp/out" ]
report $? "every command of the usage is in tabien(1)"

# Bash completion: every command and subcommand of the usage, and every
# option the usage names.
comp=$(tr '\n\t' '  ' <"$S/completion/tabien")
: >"$tmp/out"
grep -oE '^[[:space:]]*"  [a-z][a-z-]*( [a-z|-]+)?' "$S/tui/main.c" | sed -E 's/^[[:space:]]*"  //' | sort -u |
	while read -r group subs; do
		case $comp in *"compgen -W '"*[\ \']"$group "*) ;; *) echo "missing command: $group" >>"$tmp/out" ;; esac
		for sub in ${subs//|/ }; do
			echo "$comp" | grep -qE "[ (]$group\) opts='([^']* )?$sub[ ']" ||
				echo "missing: $group $sub" >>"$tmp/out"
		done
	done
for o in $(grep -oE -- '--[a-z][a-z-]+' "$S/tui/main.c" | sort -u); do
	case $comp in *"$o"*) ;; *) echo "missing option: $o" >>"$tmp/out" ;; esac
done
[ ! -s "$tmp/out" ]
report $? "every command, subcommand and option of the usage is in the bash completion"

for m in tabien.1 tabien.conf.5; do
	groff -ww -man -Tutf8 "$S/man/$m" >/dev/null 2>"$tmp/out"
	[ $? = 0 ] && [ ! -s "$tmp/out" ]
	report $? "$m renders under groff -ww -man without a warning"
done
echo "1..$n"
exit $failed
