# Shared by tools/demo, tools/check and tools/bench: install what is missing,
# then build.  Sourced, not run.

# Debian 12 packages.  Build: compiler, autotools, the libraries' -dev
# packages and gettext (msgfmt for the Thai catalogue).  Run and test: pcscd
# with the vpcd driver (the virtual card's reader), tmux (the terminal tests),
# openssl and tinyproxy (the TLS test's certificates and HTTP proxy);
# the C.UTF-8 locale comes with libc.  clang with libFuzzer's runtime: the
# fuzz targets (tests/fuzz/, tools/fuzz; tools/check runs each briefly).
# tabien-copy: cairo, pango, OpenSSL and a Thai font; its test checks the
# PDF with poppler-utils, qpdf and NSS's certutil.  groff-base: test_man
# renders the man pages.  postgresql and libpq-dev: the shared database's
# engine (libpq's header; the tests start a private server).
TABIEN_PACKAGES="gcc make autoconf automake libtool pkg-config libc6-dev
 libpcsclite-dev libcjson-dev libjpeg62-turbo-dev libcmocka-dev libncurses-dev
 libsqlite3-dev libsodium-dev libcurl4-openssl-dev libmicrohttpd-dev sqlite3 gettext
 pcscd vsmartcard-vpcd tmux jq openssl tinyproxy clang libclang-rt-14-dev
 libcairo2-dev libpango1.0-dev libssl-dev fonts-thai-tlwg poppler-utils qpdf libnss3-tools
 groff-base postgresql libpq-dev"

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '%s\n' "tabien: $*" >&2; }

deps_install() {
	local missing=() p
	for p in $TABIEN_PACKAGES; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || {
			say "these Debian packages are missing and this user cannot install them: ${missing[*]}"
			say "as root: apt-get install ${missing[*]}"
			return 1
		}
		sudo=(sudo)
	fi
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build DIR [configure options...]: configure once into DIR, then make (the
# targets in $BUILD_TARGET, else all).
build() {
	local dir="$TOP/$1"
	shift
	if [ ! -x "$TOP/configure" ] || [ "$TOP/configure.ac" -nt "$TOP/configure" ]; then
		(cd "$TOP" && autoreconf -fi >/dev/null 2>&1) || { say "autoreconf failed"; return 1; }
	fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ "$(cat "$dir/.tabien-configure" 2>/dev/null)" != "$*" ]; then
		(cd "$dir" && "$TOP/configure" -q "$@") || { say "configure failed"; return 1; }
		printf '%s' "$*" >"$dir/.tabien-configure"
	fi
	make -C "$dir" -s -j"$(nproc)" ${BUILD_TARGET:-} >/dev/null || { say "build failed"; return 1; }
}

# A free even port whose neighbour is free too (vpcd takes both).
free_port() {
	local p i
	for i in $(seq 1 200); do
		p=$((20000 + 2 * (RANDOM % 15000)))
		if ! (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null &&
			! (echo >/dev/tcp/127.0.0.1/$((p + 1))) 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# wait_reader TABIEN STATE: polls `tabien card readers` until the first
# virtual reader shows STATE ("card" or "empty"), for 30 s at most: a build
# with sanitizers on a busy machine takes seconds to start pcscd and its
# reader.  pcscd notices a card leaving only at its next poll (400 ms); a
# card put in before that is served with the old card's state.
wait_reader() {
	local end=$((SECONDS + 30))
	while [ "$SECONDS" -lt "$end" ]; do
		"$1" card readers 2>/dev/null | grep -q "Virtual PCD 00 00.*$2" && return 0
		sleep 0.05
	done
	return 1
}
