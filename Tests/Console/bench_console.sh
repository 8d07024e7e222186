#!/usr/bin/env bash
# The console's benchmark (not part of scripts/test.sh): with ../shared/bench's generator,
#  1. fan-out throughput (1000 receivers, 32-byte payload, 8 broadcasts in flight) of the same
#     server without any console (sio-e2e-server), with `sioconsole --headless`, and with the
#     full-screen console in tmux, alternating, ROUNDS times; prints each run and the medians;
#  2. keystroke latency of the full screen with N sockets (10,000) under a broadcast flood:
#     tmux sends `?`, capture-pane polls until the help shows (an upper bound: each poll
#     starts a tmux client, about 3 ms);
#  3. the same for `sioconsole attach` to a `sio-e2e-server --admin` holding the N sockets
#     under the same flood: how long the first all_sockets takes to fill the table, keystroke
#     latency while it loads, and once it is loaded.
#
#   Tests/Console/bench_console.sh            (ROUNDS=5 N=10000 by default)
# Every server runs in a session of its own (setsid; a tmux pane is one), because Linux's
# autogroup scheduling shares the CPU between sessions: a server in the generator's session
# would get a different share than the full-screen one in tmux, and the comparison would
# measure that instead of the console.
# Needs a release build (`swift build -c release --product sioconsole --product sio-e2e-server`)
# and the bench (`../shared/bench/setup.sh`, whose work folder is $SIO_BENCH_WORK or /tmp/sio-bench).
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${SIOCONSOLE:-$ROOT/.build/release/sioconsole}
BARE=${BARE_SERVER:-$ROOT/.build/release/sio-e2e-server}
GEN=${SIO_BENCH_WORK:-/tmp/sio-bench}/bin/sio-bench
ROUNDS=${ROUNDS:-5}
N=${N:-10000}
for tool in "$BIN" "$BARE" "$GEN"; do [ -x "$tool" ] || { echo "missing $tool (see the header of this script)"; exit 2; }; done
. "$ROOT/Tests/Console/tuitest.sh"
trap 'tt_stop' EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
RESULTS=$(mktemp)

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pane_process() {   # tmux may exec the command itself or run it under sh -c
  local pane child; pane=$(tt_format '#{pane_pid}'); child=$(pgrep -P "$pane" | head -1); echo "${child:-$pane}"
}
generate() {   # port pid clients duration
  "$GEN" --scenario fanout --port "$1" --pid "$2" --label console --duration "$4" --warmup 1 --payload 32 \
    --timeout 120 --clients "$3" --window 8 2>/dev/null | tail -n 1
}
field() { echo "$1" | grep -o "\"$2\":[0-9.]*" | cut -d: -f2; }

if [ "$ROUNDS" -gt 0 ]; then   # ROUNDS=0: only the keystroke latencies
echo "# fan-out, 1000 receivers: deliveries/s and server CPU-seconds per 100k deliveries"
for round in $(seq 1 "$ROUNDS"); do
  for mode in bare headless screen; do
    PORT=$(free_port)
    case $mode in
      bare)
        setsid "$BARE" --port "$PORT" --ping-interval 25000 --ping-timeout 20000 --connect-timeout 45000 >/dev/null 2>&1 &
        PID=$!; sleep 1; line=$(generate "$PORT" "$PID" 1000 6); kill "$PID"; wait "$PID" 2>/dev/null ;;
      headless)
        setsid "$BIN" --headless --bench-handlers --port "$PORT" </dev/null >/dev/null 2>&1 &
        PID=$!; sleep 1; line=$(generate "$PORT" "$PID" 1000 6); kill "$PID"; wait "$PID" 2>/dev/null ;;
      screen)
        tt_start bench "$BIN --bench-handlers --port $PORT" 120 40
        tt_wait "127.0.0.1:$PORT" 20 >/dev/null
        PID=$(pane_process); line=$(generate "$PORT" "$PID" 1000 6); tt_stop ;;
    esac
    echo "$mode $(field "$line" deliveries_per_s) $(field "$line" server_cpu_s_per_100k)" | tee -a "$RESULTS"
    sleep 1
  done
done
python3 - "$RESULTS" <<'EOF'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    mode, rate, cpu = line.split()
    runs[mode].append((float(rate), float(cpu)))
median = {mode: statistics.median(rate for rate, _ in values) for mode, values in runs.items()}
for mode, values in runs.items():
    print(f"{mode:9} median {median[mode]:9.0f} deliveries/s, {statistics.median(cpu for _, cpu in values):.3f} CPU-s/100k")
pairs = [s[0] / h[0] for s, h in zip(runs["screen"], runs["headless"])]
print(f"full screen / headless, per round: {', '.join(f'{p:.2f}' for p in pairs)}; median {statistics.median(pairs):.2f}")
print(f"full screen / no console (medians): {median['screen'] / median['bare']:.2f}")
EOF
rm -f "$RESULTS"
fi

measure_keys() {   # label count
  local samples=() i start
  for i in $(seq 1 "$2"); do
    start=$(date +%s%N)
    tt_keys '?'
    until tt_screen | grep -qF "this help"; do :; done
    samples+=($(( ($(date +%s%N) - start) / 1000000 )))
    tt_keys Escape
    tt_wait_gone "this help" 5 >/dev/null
    sleep 0.2
  done
  echo "$1 key -> screen (ms): ${samples[*]}"
}

echo "# keystroke latency with $N sockets and a broadcast flood"
PORT=$(free_port)
tt_start latency "$BIN --bench-handlers --port $PORT" 120 40
tt_wait "127.0.0.1:$PORT" 20 >/dev/null || exit 1
PID=$(pane_process)
generate "$PORT" "$PID" "$N" 60 >/tmp/console-latency-gen.json &
GENERATOR=$!
deadline=$(( $(date +%s) + 90 ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  count=$(tt_screen | head -1 | grep -oE "sockets / [0-9]+" | grep -oE "[0-9]+$")
  [ -n "$count" ] && [ "$count" -ge "$N" ] && break
  sleep 0.5
done
sleep 3
tt_screen | head -2
measure_keys "embedded, under the flood:" 10
tt_screen | head -2
wait "$GENERATOR"
tt_stop

echo "# attach: $N sockets on a server with --admin, a broadcast flood"
PORT=$(free_port)
setsid "$BARE" --port "$PORT" --admin --ping-interval 25000 --ping-timeout 20000 --connect-timeout 45000 >/dev/null 2>&1 &
WATCHED=$!
sleep 1
generate "$PORT" "$WATCHED" "$N" 60 >/tmp/console-attach-gen.json &
GENERATOR=$!
sleep 20   # the generator connects its N clients before the flood
start=$(date +%s%N)
tt_start attach "$BIN attach http://127.0.0.1:$PORT" 140 40
tt_wait "(connected via" 30 >/dev/null   # the process started and connected: now keys
measure_keys "while all_sockets loads:" 5
deadline=$(( $(date +%s) + 90 ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  count=$(tt_screen | head -1 | grep -oE "sockets / [0-9]+" | grep -oE "[0-9]+$")
  [ -n "$count" ] && [ "$count" -ge "$N" ] && break
  sleep 0.05
done
echo "attach to $N sockets on screen: $(( ($(date +%s%N) - start) / 1000000 )) ms (including the keystroke samples above)"
tt_screen | head -2
measure_keys "loaded, under the flood:" 10
tt_screen | head -2
wait "$GENERATOR"
kill "$WATCHED"; wait "$WATCHED" 2>/dev/null
