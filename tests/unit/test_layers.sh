#!/usr/bin/env bash
# The layers of HACKING.md, as includes: each folder below tui/ includes
# only the folders named for it here, and no two files include each other.
# Speaks TAP.
set -u
S=${TABIEN_SRCDIR:?}
cd "$S" || exit 1
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

# folder: the folders its files may include besides their own.
allowed() {
	case $1 in
	services/doctor) echo "services/registry services/juristic services/accounts services/gateway services/copy services/card storage services/base" ;;
	services/registry) echo "services/gateway services/accounts storage services/base" ;;
	services/juristic) echo "services/gateway services/accounts storage services/base" ;;
	services/copy) echo "services/base" ;;
	services/accounts) echo "storage services/base" ;;
	services/gateway | services/card | storage) echo "services/base" ;;
	services/base) echo "" ;;
	*) echo "?" ;;
	esac
}

# Every include of ours, as "file folder-included".
edges() {
	grep -o '^#include "\(services/[a-z]*\|storage\|tui\)/[a-z_0-9]*\.h"' \
		services/*/*.[ch] storage/*.[ch] 2>/dev/null |
		sed 's|^\([^:]*\):#include "\(.*\)"|\1 \2|'
}

for d in services/* storage; do
	[ -d "$d" ] || continue
	ok_to=$(allowed "$d")
	if [ "$ok_to" = "?" ]; then
		not_ok "$d is in the layers of HACKING.md"
		continue
	fi
	bad=$(edges | awk -v d="$d" -v ok=" $ok_to " '
		{ f = $1; sub(/\/[^\/]*$/, "", f); t = $2; sub(/\/[^\/]*$/, "", t) }
		f == d && t != d && index(ok, " " t " ") == 0 { print $1 " includes " $2 }')
	if [ -z "$bad" ]; then
		ok "$d includes only its own folder and ${ok_to:-nothing else}"
	else
		not_ok "$d includes only its own folder and ${ok_to:-nothing else}"
		echo "$bad" | sed 's/^/# /'
	fi
done

# No two modules include each other.  A module is a .c and its header; a
# header with no .c of its own (db_private.h, lk2_private.h) is part of the
# module that includes it.
modules=$(ls services/*/*.c storage/*.c | sed 's/\.c$//' | tr '\n' ' ')
cycles=$(edges | awk -v mods=" $modules " '
	{ a = $1; sub(/\.[ch]$/, "", a); b = $2; sub(/\.h$/, "", b)
	  if (a != b && index(mods, " " a " ") && index(mods, " " b " ")) e[a " " b] = 1 }
	END { for (k in e) { split(k, p, " "); if ((p[2] " " p[1]) in e && p[1] < p[2]) print p[1] " <-> " p[2] } }')
if [ -z "$cycles" ]; then
	ok "no two files of services/ and storage/ include each other"
else
	not_ok "no two files of services/ and storage/ include each other"
	echo "$cycles" | sed 's/^/# /'
fi

# tui/ is the top: nothing below includes it (checked above), and it is the
# only folder that draws.
drawing=$(grep -l 'ncurses\|curses.h' services/*/*.[ch] storage/*.[ch] 2>/dev/null)
if [ -z "$drawing" ]; then ok "nothing below tui/ includes curses"; else not_ok "nothing below tui/ includes curses"; echo "# $drawing"; fi

# Small files: none of ours over 800 lines (HACKING.md's rule), so that a
# file stays one thing a reader can hold.
long=$(find services storage tui sim tests tools -type f \( -name '*.[ch]' -o -name '*.sh' \) \
	-exec wc -l {} + 2>/dev/null | awk '$2 != "total" && $1 > 800 { print $2 " (" $1 " lines)" }')
if [ -z "$long" ]; then ok "no source file over 800 lines"; else not_ok "no source file over 800 lines"; echo "$long" | sed 's/^/# /'; fi

echo "1..$n"
[ $failed = 0 ]
