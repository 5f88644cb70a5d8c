# A private PostgreSQL server for a test: initdb into the test's scratch
# folder, as an unprivileged account (nobody when the test runs as root),
# listening on a socket in that folder only (and on 127.0.0.1 with
# PG_TCP=1), polled with pg_isready until it answers, stopped and removed by
# pg_cleanup.  Source after tests/lib/common.sh.
# shellcheck shell=bash

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
pg_dir= pg_port= pg_run=() PG_SUPER=postgres

# pg_available: the server's programs are installed.
pg_available() { [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ]; }

pg_as() { (cd "$pg_dir" && "${pg_run[@]}" "$@"); }

# pg_start [EXTRA SETTINGS...]: a new cluster, started; extra settings are
# -c name=value pairs for postgres (ssl=on, ...).
pg_start() {
	pg_dir="$dir/pg"
	mkdir -p "$pg_dir"
	if [ "$(id -u)" -eq 0 ]; then
		# nobody must reach its folder through ours.
		chmod o+x "$dir"
		chown nobody "$pg_dir"
		pg_run=(runuser -u nobody --)
	fi
	chmod 700 "$pg_dir"
	pg_port=${PG_PORT:-$((20000 + RANDOM % 20000))}
	# On TCP too: a port nothing answers on.
	while [ -n "${PG_TCP:-}" ] && (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; do
		pg_port=$((20000 + RANDOM % 20000))
	done
	pg_as "$PG_BIN/initdb" -D "$pg_dir/data" -U "$PG_SUPER" -E UTF8 --locale=C.UTF-8 \
		--auth-local=trust --auth-host=scram-sha-256 >"$pg_dir/initdb.log" 2>&1 || return 1
	pg_ctl_start "$@"
}

# pg_ctl_start: starts the cluster made by pg_start (again, after pg_stop).
pg_ctl_start() {
	local listen="''"
	[ -n "${PG_TCP:-}" ] && listen=127.0.0.1
	pg_as "$PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -W \
		-o "-k $pg_dir -p $pg_port -c listen_addresses=$listen $*" start \
		>/dev/null 2>&1 || return 1
	wait_cmd pg_ready
}

pg_ready() { "$PG_BIN/pg_isready" -q -h "$pg_dir" -p "$pg_port"; }
pg_down() { ! pg_ready; }

# pg_stop [MODE]: stops the server (fast, or immediate: as a crash).
pg_stop() {
	pg_as "$PG_BIN/pg_ctl" -D "$pg_dir/data" -m "${1:-fast}" -W stop >/dev/null 2>&1
	wait_cmd pg_gone
}
pg_gone() { ! pg_as "$PG_BIN/pg_ctl" -D "$pg_dir/data" status >/dev/null 2>&1; }

# psql_as USER [DB] -c ...: psql over the private socket, errors stop it.
psql_as() {
	local user=$1 db=$2; shift 2
	"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$pg_dir" -p "$pg_port" -U "$user" -d "$db" "$@"
}

# pg_createdb NAME: a new database owned by the superuser.
pg_createdb() { psql_as "$PG_SUPER" postgres -c "CREATE DATABASE $1"; }

# pg_conn DB [USER]: the connection string tabien is given.
pg_conn() { echo "host=$pg_dir port=$pg_port dbname=$1 user=${2:-$PG_SUPER}"; }

pg_cleanup() {
	[ -n "$pg_dir" ] && [ -d "$pg_dir/data" ] && pg_stop immediate
}
