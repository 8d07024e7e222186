#!/usr/bin/env bash
# Client CPU per ack round trip: our Swift client (sio-client-bench) and python-socketio's
# AsyncClient against the same release sio-e2e-server, in the same run, side by side.
# Usage: scripts/client-bench.sh [COUNT] [CLIENTS] [websocket|polling]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-20000}"
CLIENTS="${2:-10}"
TRANSPORT="${3:-websocket}"

swift build -c release --product sio-e2e-server >&2
swift build -c release --product sio-client-bench >&2
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/pip install --quiet --disable-pip-version-check -r Tests/Interop/requirements.txt

BIN="$(swift build -c release --show-bin-path)"
LOG="$(mktemp)"
"$BIN/sio-e2e-server" --host 127.0.0.1 --port 0 >"$LOG" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 600); do grep -q 'listening on' "$LOG" && break; sleep 0.1; done
PORT="$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$LOG")"
URL="http://127.0.0.1:$PORT"

echo "server: $BIN/sio-e2e-server on $URL; $COUNT round trips over $CLIENTS clients ($TRANSPORT)" >&2
"$BIN/sio-client-bench" --url "$URL" --count "$COUNT" --clients "$CLIENTS" --transport "$TRANSPORT"
.venv/bin/python Tests/ClientInterop/bench_python_client.py "$URL" "$COUNT" "$CLIENTS" "$TRANSPORT"
