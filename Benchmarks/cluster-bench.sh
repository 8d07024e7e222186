#!/usr/bin/env bash
# Benchmarks/cluster-bench.sh [RECEIVERS]
# Cross-node fan-out on the PostgreSQL adapter, side by side in one run:
#   local     sender and receivers on node A (in-memory adapter, one process)
#   pg-local  sender and receivers on node A, A on PostgreSQL with a second node B
#   pg-cross  sender on node A, receivers on node B (every broadcast crosses PostgreSQL)
# Needs a release build: swift build -c release --product sio-e2e-server
# and the test venv (.venv, with aiohttp). Starts its own throw-away PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SIO_TEST_POSTGRES_URL:-}" ]; then exec scripts/with-postgres.sh "$0" "$@"; fi

receivers=${1:-50}
server=${SIO_E2E_SERVER:-$PWD/.build/release/sio-e2e-server}
python=${PYTHON:-$PWD/.venv/bin/python}
# Nodes start inside $(...) subshells, so their pids are kept in a file.
pidfile=$(mktemp)
trap 'while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$pidfile"; rm -f "$pidfile"' EXIT

# start_node [ARGS...]: starts a node on a free port and prints the port once it listens.
start_node() {
    local log
    log=$(mktemp)
    "$server" --port 0 --ping-interval 25000 --ping-timeout 20000 --connect-timeout 45000 "$@" >"$log" 2>&1 &
    echo $! >>"$pidfile"
    for _ in $(seq 1 300); do
        if grep -q "listening on" "$log"; then sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$log"; return; fi
        sleep 0.1  # bounded wait for the node's "listening" line
    done
    echo "node did not start: $(cat "$log")" >&2
    exit 1
}

run() { "$python" Benchmarks/cluster_fanout.py --receivers "$receivers" "$@"; }

single=$(start_node)
run --label local --sender-port "$single" --receiver-port "$single"
a=$(start_node --adapter "$SIO_TEST_POSTGRES_URL")
b=$(start_node --adapter "$SIO_TEST_POSTGRES_URL")
run --label pg-local --sender-port "$a" --receiver-port "$a"
run --label pg-cross --sender-port "$a" --receiver-port "$b"
