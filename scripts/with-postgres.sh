#!/usr/bin/env bash
# with-postgres.sh COMMAND...
# Starts a throw-away PostgreSQL cluster (initdb in a temporary folder, loopback only, a
# free port, trust auth), runs COMMAND with these variables set, then stops the cluster
# and removes the folder, whatever COMMAND did:
#   SIO_TEST_POSTGRES_URL   postgres://postgres@127.0.0.1:PORT/postgres
#   SIO_TEST_POSTGRES_DATA  the data folder (for pg_ctl restart in fault tests)
#   SIO_TEST_PG_CTL         "runuser -u postgres -- .../pg_ctl" ready to take -D …
# PostgreSQL refuses to run as root, so the cluster runs as the `postgres` user.
set -euo pipefail

# Debian keeps the server programs off PATH, per major version; elsewhere (macOS with
# Homebrew, other Linux distributions) initdb is on PATH or where pg_config says.
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ]; then
    if command -v initdb >/dev/null 2>&1; then
        bindir=$(dirname "$(command -v initdb)")
    elif command -v pg_config >/dev/null 2>&1; then
        bindir=$(pg_config --bindir)
    fi
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "with-postgres: PostgreSQL is not installed (Debian: apt-get install postgresql; macOS: brew install postgresql@16)" >&2
    exit 1
fi
as_postgres=()
if [ "$(id -u)" = 0 ]; then as_postgres=(runuser -u postgres --); fi

dir=$(mktemp -d /tmp/sio-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

cleanup() {
    "${as_postgres[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

"${as_postgres[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_postgres[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >/dev/null \
    || { cat "$dir/log" >&2; exit 1; }

export SIO_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
export SIO_TEST_POSTGRES_DATA="$dir/data"
export SIO_TEST_PG_CTL="${as_postgres[*]} $bindir/pg_ctl"
echo "with-postgres: PostgreSQL on 127.0.0.1:$port ($dir)"
"$@"
