#!/usr/bin/env bash
# Every string the program shows through gettext has a Thai translation, and
# the catalogue compiles.  Speaks TAP.
set -u
S=${TABIEN_SRCDIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..3"
n=0 failed=0
report() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else failed=1; echo "not ok $n - $2"; sed 's/^/# /' "$tmp/out"; fi; }

xgettext --from-code=UTF-8 -k_ -kN_ -o "$tmp/tabien.pot" "$S"/tui/*.c "$S"/tui/*.h >"$tmp/out" 2>&1
report $? "the sources' strings can be extracted"
msgcmp "$S/po/th.po" "$tmp/tabien.pot" >"$tmp/out" 2>&1
report $? "every string in the sources is in po/th.po"
msgattrib --untranslated --no-obsolete "$S/po/th.po" >"$tmp/out" 2>&1
[ ! -s "$tmp/out" ]
report $? "no string in po/th.po is left untranslated"
exit $failed
