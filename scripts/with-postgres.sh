#!/usr/bin/env bash
# Runs a command with RXFLOW_TEST_PG_URL pointing at a PostgreSQL server the tests may create
# and drop their own databases on: the one on 127.0.0.1:5432 when it answers, else a private
# throwaway server started here from Debian's binaries and stopped afterwards.
set -euo pipefail
if [ -n "${RXFLOW_TEST_PG_URL:-}" ]; then exec "$@"; fi
probe=${RXFLOW_PG_PROBE_PORT:-5432}
if pg_isready -q -h 127.0.0.1 -p "$probe" 2>/dev/null && psql -h 127.0.0.1 -p "$probe" -U postgres -d postgres -Atqc "select 1" >/dev/null 2>&1; then
  export RXFLOW_TEST_PG_URL="postgresql://postgres@127.0.0.1:$probe/postgres"
  exec "$@"
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "PostgreSQL binaries not found: run 'make system-deps'." >&2; exit 1; }
dir=$(mktemp -d /tmp/rxflow-pg.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
run_as=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; run_as=(runuser -u postgres --); fi
"${run_as[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
"${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
trap '"${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null; rm -rf "$dir"' EXIT
echo "Started a private PostgreSQL on 127.0.0.1:$port for the tests."
export RXFLOW_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
"$@"
