#!/usr/bin/env bash
# End-to-end tests of the full-screen sioconsole, in a private tmux server: start it on a
# free port, drive python-socketio clients at it, type keys (send-keys) and read the screen
# (capture-pane). Every wait polls for what it waits for, with a generous bound (a loaded
# machine only makes it slower); a check that something did NOT happen first waits for a
# later ping on the same connection (ping_fence). Prints "N passed, N failed"; exits 1 on a
# failure.
#
#   Tests/Console/console_e2e.sh            (after swift build; uses .build/debug/sioconsole)
#   SIOCONSOLE=/path/to/sioconsole PYTHON=/path/to/python Tests/Console/console_e2e.sh
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${SIOCONSOLE:-$ROOT/.build/debug/sioconsole}
PY=${PYTHON:-$ROOT/.venv/bin/python}
CLIENT=$ROOT/Tests/Console/sio_client.py
[ -x "$BIN" ] || { echo "no $BIN: run swift build first"; exit 2; }
[ -x "$PY" ] || { echo "no $PY: create the venv (scripts/test.sh does)"; exit 2; }
command -v tmux >/dev/null || { echo "tmux is missing (apt-get install tmux)"; exit 2; }

. "$ROOT/Tests/Console/tuitest.sh"
WORK=$(mktemp -d)
PIDS=()
PASSED=0
FAILED=0

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  tt_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

check() {   # name command...
  local name=$1; shift
  if "$@"; then
    PASSED=$((PASSED + 1)); echo "ok - $name"
  else
    FAILED=$((FAILED + 1)); echo "not ok - $name"
  fi
}

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts sioconsole in tmux; after it exits, the pane's shell records the terminal's settings
# (to check they were restored), then its exit status in one rename: a test that sees the
# status can read the settings. Pings every second (PING_INTERVAL_MS): ping_fence waits for them.
PING_INTERVAL_MS=1000
start_console() {   # extra arguments...
  PORT=$(free_port)
  rm -f "$WORK/exit" "$WORK/stty"
  tt_start ui "${NO_COLOR:+env NO_COLOR=$NO_COLOR }$BIN --port $PORT --namespace /admin --ping-interval $PING_INTERVAL_MS --log $WORK/console.log $*; code=\$?; stty -a > $WORK/stty 2>&1; echo \$code > $WORK/exit.tmp; mv $WORK/exit.tmp $WORK/exit" "${COLS:-120}" "${ROWS:-40}"
  tt_wait "127.0.0.1:$PORT/socket.io/" 60
}

client() {   # name args...
  local name=$1; shift
  "$PY" "$CLIENT" "http://127.0.0.1:$PORT" --out "$WORK/$name.jsonl" --record-pings "$@" >"$WORK/$name.stderr" 2>&1 &
  PIDS+=($!)
}

# Waits (bounded) until FILE has a line containing TEXT.
wait_line() {   # file text [timeout_s=30]
  local file=$1 text=$2 deadline=$(( $(date +%s) + ${3:-30} ))
  while [ "$(date +%s)" -le "$deadline" ]; do
    grep -qF -- "$text" "$file" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "timeout waiting for '$text' in $file:" >&2; cat "$file" >&2 2>/dev/null; return 1
}

no_line() { ! grep -qF -- "$2" "$1" 2>/dev/null; }

pings_of() { cat "$WORK/$1.jsonl" 2>/dev/null | grep -c '"type": "ping"'; }

# Waits (bounded) until client NAME has recorded two more Engine.IO pings than when called.
# The server sends a ping only a ping interval after the pong to the previous one, so the
# second was sent after this call began, after what the test did before it; sio_client.py
# records in the order the server wrote, so anything the console sent that client before
# (an event, a disconnect) is in its file by then. Before a check that something did not
# arrive, it makes that check mean the same on a loaded machine as on an idle one.
ping_fence() {   # name [timeout_s=30]
  local want=$(( $(pings_of "$1") + 2 )) deadline=$(( $(date +%s) + ${2:-30} ))
  while [ "$(date +%s)" -le "$deadline" ]; do
    [ "$(pings_of "$1")" -ge "$want" ] && return 0
    sleep 0.05
  done
  echo "timeout waiting for two more pings to $1:" >&2; cat "$WORK/$1.jsonl" >&2 2>/dev/null; return 1
}

# no_line, once client NAME has had two more pings (ping_fence).
fenced_no_line() {   # name text
  ping_fence "$1" && no_line "$WORK/$1.jsonl" "$2"
}

sid_of() {   # name [namespace]
  wait_line "$WORK/$1.jsonl" '"type": "connected"' 30 >/dev/null || return 1
  "$PY" - "$WORK/$1.jsonl" "${2:-/}" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    record = json.loads(line)
    if record.get("type") == "connected" and record.get("nsp") == sys.argv[2]:
        print(record["sid"]); break
EOF
}

# Waits (bounded) until a screen line holds both texts.
tt_wait_row() {   # text1 text2 [timeout_s]
  local deadline=$(( $(date +%s) + ${3:-30} ))
  while [ "$(date +%s)" -le "$deadline" ]; do
    tt_screen | grep -F -- "$1" | grep -qF -- "$2" && return 0
    sleep 0.05
  done
  echo "timeout waiting for a line with '$1' and '$2'; screen:" >&2; tt_screen >&2; return 1
}

command_line() { tt_keys ":"; tt_keys -l "$1"; tt_keys Enter; }

wait_dead() {   # timeout_s
  local deadline=$(( $(date +%s) + ${1:-10} ))
  while [ "$(date +%s)" -le "$deadline" ]; do
    [ -s "$WORK/exit" ] && return 0
    sleep 0.05
  done
  echo "sioconsole did not exit; screen:" >&2; tt_screen >&2; return 1
}

terminal_restored() {
  grep -qE '(^| )icanon( |$)' "$WORK/stty" && grep -qE '(^| )echo( |$)' "$WORK/stty" \
    && [ "$(tt_format '#{alternate_on}')" = 0 ]
}

# ---------------------------------------------------------------------------------------
echo "# full screen: clients appear with rooms and handshake"
start_console
client alice --namespace / --namespace /admin --auth '{"token":"s3cret"}' --query user=alice --ack-reply '"pong-alice"' \
  --emit chat '["hello 房间"]'
client bob --transport polling --query user=bob
ALICE=$(sid_of alice); BOB=$(sid_of bob); ALICE_ADMIN=$(sid_of alice /admin)
check "alice and bob connect" test -n "$ALICE" -a -n "$BOB" -a -n "$ALICE_ADMIN"
check "sockets appear in the table" tt_wait "$ALICE" 30
check "bob shows his polling transport" tt_wait_row "$BOB" "polling" 30
check "alice's chat event is in the stream" tt_wait 'chat' 30
check "the header counts sockets per namespace" tt_wait "sockets / 2 /admin 1" 30
check "256 colours are used (dark theme)" sh -c "tmux -L '$TT_SOCK' capture-pane -e -p -t ui | grep -q '38;5;'"

command_line "join lobby $ALICE"
check "join by command: the room appears in the tree" tt_wait "# lobby" 30
check "join by command: alice's row lists the room" tt_wait "lobby" 30
command_line "join 房间 $ALICE $BOB"
check "a CJK room name shows with its two members" tt_wait "# 房间" 30

command_line "show $ALICE"
check "details show the query" tt_wait "user = alice" 30
tt_keys PageDown
check "details show the auth (a page down)" tt_wait '"token": "s3cret"' 30
tt_keys g
check "details show the engine transport" tt_wait "websocket (upgraded from polling)" 30
tt_keys Escape
tt_wait_gone "user = alice" 30 >/dev/null

echo "# emit"
command_line 'emit --to lobby news "for the lobby"'
check "emit to a room reaches its member" wait_line "$WORK/alice.jsonl" '"event": "news"' 30
check "emit to a room does not reach others" fenced_no_line bob '"event": "news"'
command_line "emit --to lobby --ack 3000 ping 1"
check "emit --ack shows the reply" tt_wait 'reply to emit #2' 30
check "emit --ack shows the reply's payload" tt_wait '"pong-alice"' 30
check "emit --ack shows the summary" tt_wait 'ping: 1 of 1 replied' 30
check "the client got the ping" wait_line "$WORK/alice.jsonl" '"event": "ping"' 30

echo "# / filter"
tt_keys "/"; tt_keys -l "event:chat"; tt_keys Enter
check "the filter shows in the stream's title" tt_wait "filter: event:chat" 30
check "filtered: chat stays" tt_wait "hello 房间" 30
check "filtered: news and joins go" tt_wait_gone "joined lobby" 30
tt_keys -l '\'
check "backslash clears the filter" tt_wait "joined lobby" 30

echo "# client text is escaped"
client mallory --emit $'\u001b[2J\u001b]0;x\u0007' '["\u001b[2J\u001b]0;x\u0007"]'
check "mallory's event name arrives escaped" tt_wait '\x1B[2J\x1B]0;' 30
check "the payload shows as JSON escapes" tt_wait '"\u001b[2J\u001b]0;x\u0007"' 30
check "the screen was not cleared (header still there)" tt_wait "sioconsole 127.0.0.1:$PORT" 30
check "the window title was not changed" test "$(tt_format '#{pane_title}')" != "x"

echo "# kick and kick! by command"
client carol --namespace / --namespace /admin
CAROL=$(sid_of carol)
tt_wait "$CAROL" 30 >/dev/null
command_line "kick $CAROL"
check "kick: carol's / socket is disconnected by the server" wait_line "$WORK/carol.jsonl" '"nsp": "/", "reason": "server disconnect"' 30
check "kick: carol's /admin socket stays connected" fenced_no_line carol '"nsp": "/admin", "reason"'
check "kick: the stream shows the reason" tt_wait "disconnected: server namespace" 30
client dave --namespace / --namespace /admin
DAVE=$(sid_of dave)
tt_wait "$DAVE" 30 >/dev/null
command_line "kick! $DAVE"
check "kick!: dave's / socket is disconnected" wait_line "$WORK/dave.jsonl" '"nsp": "/", "reason"' 30
check "kick!: dave's /admin socket goes too (whole connection)" wait_line "$WORK/dave.jsonl" '"nsp": "/admin", "reason"' 30

echo "# kick and kick! by key"
client erin --namespace / --namespace /admin
ERIN=$(sid_of erin)
tt_wait "$ERIN" 30 >/dev/null
tt_keys Tab; tt_keys G      # sockets pane, newest socket (erin)
tt_keys k
check "k asks for confirmation" tt_wait "Kick $ERIN from /? [y/N]" 30
tt_keys n
check "any other key cancels" tt_wait "cancelled" 30
check "cancelled: erin is still connected" fenced_no_line erin '"reason"'
tt_keys k; tt_wait "Kick $ERIN" 30 >/dev/null; tt_keys y
check "k then y kicks erin from /" wait_line "$WORK/erin.jsonl" '"nsp": "/", "reason": "server disconnect"' 30
check "k leaves erin's /admin socket" fenced_no_line erin '"nsp": "/admin", "reason"'
client frank --namespace / --namespace /admin
FRANK=$(sid_of frank)
tt_wait "$FRANK" 30 >/dev/null
command_line "show $FRANK"
tt_wait "Socket $FRANK" 30 >/dev/null
tt_keys K
check "K asks for confirmation" tt_wait "Close the whole connection of $FRANK" 30
tt_keys y
check "K then y closes frank's whole connection" wait_line "$WORK/frank.jsonl" '"nsp": "/admin", "reason"' 30
tt_keys Escape

echo "# nodes view on the in-memory adapter"
tt_keys n
check "n opens the nodes view, which says the server is a single node" tt_wait "Single-node server" 30
check "a single node's header has no nodes count" sh -c "! tmux -L '$TT_SOCK' capture-pane -p -t ui | head -1 | grep -q ' nodes '"
tt_keys Escape
tt_wait_gone "Single-node server" 30 >/dev/null

echo "# mouse"
tt_keys Escape
# The click goes where bob's row is on one capture of the screen: first let the table settle
# (every kick above seen: alice, bob and mallory on /, alice, carol and erin on /admin).
tt_wait "sockets / 3 /admin 3" 30 >/dev/null
ROW=$(tt_screen | grep -n -F -e "$BOB" | head -1 | cut -d: -f1)
COL=$(tt_screen | grep -F -e "$BOB" | head -1 | awk -v id="$BOB" '{ print index($0, id) }')
if [ -n "$ROW" ] && [ -n "$COL" ]; then
  # X10 mouse report (tmux-256color): ESC [ M, 32+button, 32+column, 32+row (1-based).
  tt_hex 1b 5b 4d 20 "$(printf '%x' $((32 + COL + 2)))" "$(printf '%x' $((32 + ROW)))"
  tt_hex 1b 5b 4d 23 "$(printf '%x' $((32 + COL + 2)))" "$(printf '%x' $((32 + ROW)))"
  tt_keys Enter
  check "a click selects bob's row (Enter opens his details)" tt_wait "Socket $BOB" 30
  tt_keys Escape
else
  check "bob's row is on screen for the mouse test" false
fi

echo "# resize"
tt_resize 80 24
check "80x24: the header is drawn" tt_wait "sioconsole 127.0.0.1:$PORT" 30
check "80x24: whole socket ids still show" tt_wait "$ALICE" 30
check "80x24: the key bar shows quit" tt_wait "q Quit" 30
tt_resize 40 10
check "40x10: still drawn" tt_wait "sioconsole" 30
tt_resize 30 8
check "30x8: says it is too small" tt_wait "too small" 30
tt_resize 20 4
tt_wait "20×4" 30 >/dev/null   # it has drawn at 20x4 (the start of its "too small" notice)
check "20x4: still running" test ! -s "$WORK/exit"
tt_resize 120 40
check "back to 120x40: full screen again" tt_wait "Rooms" 30

echo "# idle costs nothing"
# The console's own CPU time (user + system ticks of its process), not the machine's: other
# processes do not add to it, they only make a window of wall time hold less of its work.
# Linux reads them from /proc; elsewhere (macOS) ps gives the CPU time, converted to ticks.
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu_ticks() {
  if [ -r "/proc/$1/stat" ]; then awk '{ print $14 + $15 }' "/proc/$1/stat"; return; fi
  ps -o cputime= -p "$1" | "$PY" -c '
import sys
text = sys.stdin.read().strip()
days, _, clock = text.rpartition("-")
seconds = 0.0
for part in clock.split(":"):
    seconds = seconds * 60 + float(part)
print(int((int(days or 0) * 86400 + seconds) * int(sys.argv[1])))' "$HZ"
}
now_ns() { "$PY" -c 'import time; print(time.time_ns())'; }
CONSOLE_PID=$(pgrep -P "$(tt_format '#{pane_pid}')" | head -1)
for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
PIDS=()
# Idle means no client left: wait until the console has seen them all go (the header counts
# no engine client and no socket) instead of guessing how long that takes.
tt_wait "clients 0  sockets / 0 /admin 0" 60 >/dev/null
# One 5 s window of wall time: IDLE_TICKS used in it, IDLE_LIMIT = 2% of a core over its
# actual length (at 100 ticks/s, 10 ticks for 5 s: one header refresh a second fits).
idle_window() {
  local start end before after
  start=$(now_ns); before=$(cpu_ticks "$CONSOLE_PID")
  sleep 5
  after=$(cpu_ticks "$CONSOLE_PID"); end=$(now_ns)
  IDLE_TICKS=$((after - before))
  IDLE_LIMIT=$(( (end - start) * HZ * 2 / 100 / 1000000000 ))
}
# Up to 6 windows, passing at the first under the limit: work left over from the clients'
# departure, or a window stretched by a busy machine, cannot fail it; a console that spins
# uses a large share of a core in every window (hundreds of ticks), and fails all 6.
idle_windows() {
  local attempt
  for attempt in 1 2 3 4 5 6; do
    idle_window
    echo "  idle window $attempt: $IDLE_TICKS ticks (limit $IDLE_LIMIT)"
    [ "$IDLE_TICKS" -le "$IDLE_LIMIT" ] && return 0
  done
  return 1
}
idle_windows
check "idle: under 2% of a core over 5 s ($IDLE_TICKS ticks)" test "$IDLE_TICKS" -le "$IDLE_LIMIT"

echo "# quit restores the terminal"
tt_keys q
check "q asks first" tt_wait "Quit? The server stops with the console." 30
tt_keys y
check "y quits" wait_dead 30
check "exit status 0" test "$(cat "$WORK/exit" 2>/dev/null)" = 0
check "terminal restored after quit (icanon, echo, main screen)" terminal_restored
check "nothing was printed on the screen's stdout/stderr (the log got nothing unexpected)" test -z "$(grep -v -e '^$' "$WORK/console.log" | grep -iv -e 'info' -e 'debug' || true)"
tt_stop

# ---------------------------------------------------------------------------------------
echo "# NO_COLOR, 8 colours, Ctrl-C, a crash"
NO_COLOR=1 start_console
check "NO_COLOR: the screen is drawn" tt_wait "Rooms" 30
check "NO_COLOR: no colour is used (only bold, dim, reverse)" sh -c "! tmux -L '$TT_SOCK' capture-pane -e -p -t ui | grep -qE '(\\[|;)(3|4)[0-7](;|m)|38;5;|48;5;'"
check "NO_COLOR: the selection shows in reverse video" sh -c "tmux -L '$TT_SOCK' capture-pane -e -p -t ui | grep -q '\\[7m'"
tt_keys C-c
check "Ctrl-C quits at once" wait_dead 30
check "exit status 130 (SIGINT)" test "$(cat "$WORK/exit" 2>/dev/null)" = 130
check "terminal restored after Ctrl-C" terminal_restored
tt_stop
PORT=$(free_port)
rm -f "$WORK/exit" "$WORK/stty"
tt_start ui "$BIN --port $PORT --log $WORK/console8.log; code=\$?; stty -a > $WORK/stty 2>&1; echo \$code > $WORK/exit.tmp; mv $WORK/exit.tmp $WORK/exit" 100 30 screen
check "TERM=screen (8 colours): the screen is drawn" tt_wait "sioconsole 127.0.0.1:$PORT" 60
check "TERM=screen: only the 8 basic colours are used" sh -c "tmux -L '$TT_SOCK' capture-pane -e -p -t ui | grep -qE '\[3[0-7]m|;3[0-7]m' && ! tmux -L '$TT_SOCK' capture-pane -e -p -t ui | grep -q '38;5;'"
CONSOLE_PID=$(pgrep -P "$(tt_format '#{pane_pid}')" | head -1)
[ -n "$CONSOLE_PID" ] && kill -SEGV "$CONSOLE_PID"
check "a crash (SIGSEGV) ends it" wait_dead 30
check "exit status 139 (SIGSEGV)" test "$(cat "$WORK/exit" 2>/dev/null)" = 139
check "terminal restored after the crash" terminal_restored
check "the crash notice is on the screen" tt_wait "sioconsole crashed; the terminal was restored" 30
tt_stop

# ---------------------------------------------------------------------------------------
echo "# --read-only"
start_console --read-only
client grace --query user=grace
GRACE=$(sid_of grace)
tt_wait "$GRACE" 30 >/dev/null
check "the header says READ-ONLY" tt_wait "READ-ONLY" 30
command_line "kick $GRACE"
check "kick by command is refused" tt_wait "read-only: kick is refused" 30
command_line "emit hello"
check "emit is refused" tt_wait "read-only: emit is refused" 30
tt_keys Tab; tt_keys k
check "k is refused" tt_wait "read-only: k (kick) is refused" 30
check "grace stays connected" fenced_no_line grace '"reason"'
check "grace got no event" no_line "$WORK/grace.jsonl" '"event": "hello"'

echo "# SIGTERM restores the terminal"
PANE_PID=$(tt_format '#{pane_pid}')
CONSOLE_PID=$(pgrep -P "$PANE_PID" | head -1)
check "sioconsole's pid found" test -n "$CONSOLE_PID"
[ -n "$CONSOLE_PID" ] && kill -TERM "$CONSOLE_PID"
check "SIGTERM stops it" wait_dead 30
check "exit status 143 (SIGTERM)" test "$(cat "$WORK/exit" 2>/dev/null)" = 143
check "terminal restored after SIGTERM" terminal_restored
check "grace saw the server shut down" wait_line "$WORK/grace.jsonl" '"reason"' 30
tt_stop

# ---------------------------------------------------------------------------------------
echo "# an unknown TERM gets a clear message"
PORT=$(free_port)
rm -f "$WORK/exit"
tt_start term "env TERM=no-such-terminal $BIN --port $PORT 2>$WORK/term.err; echo \$? > $WORK/exit" 100 20
check "unknown TERM: it exits" wait_dead 30
check "unknown TERM: exit status 1" test "$(cat "$WORK/exit" 2>/dev/null)" = 1
check "unknown TERM: the message names the terminal type" grep -q 'no-such-terminal' "$WORK/term.err"
check "unknown TERM: the message suggests --headless" grep -q -- '--headless' "$WORK/term.err"
tt_stop

# ---------------------------------------------------------------------------------------
echo "# attach: the console of a server in another process, over the Admin UI protocol"
E2E=${SIO_E2E_SERVER:-$ROOT/.build/debug/sio-e2e-server}
start_watched() {   # port extra-arguments...
  local port=$1; shift
  "$E2E" --port "$port" --admin --ping-interval "$PING_INTERVAL_MS" --ping-timeout 5000 "$@" >"$WORK/watched.out" 2>/dev/null &
  WATCHED=$!
  PIDS+=($WATCHED)
  wait_line "$WORK/watched.out" "listening on" 60 >/dev/null || return 1
  PORT=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK/watched.out" | head -1)
}
HASH=$("$PY" -c 'import bcrypt; print(bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4)).decode())')
start_watched 0 --admin-user ops --admin-password-hash "$HASH"
printf 's3cret\n' > "$WORK/password"
rm -f "$WORK/exit"
tt_start attach "$BIN attach http://127.0.0.1:$PORT --user ops --password-file $WORK/password --log $WORK/attach.log; code=\$?; stty -a > $WORK/stty 2>&1; echo \$code > $WORK/exit.tmp; mv $WORK/exit.tmp $WORK/exit" 140 40
check "attach: the header names the server and the link" tt_wait "http://127.0.0.1:$PORT (connected via" 60
client gina --query user=gina --ack-reply '"pong-gina"'
client hugo --transport polling
GINA=$(sid_of gina); HUGO=$(sid_of hugo)
check "attach: the watched server's sockets appear" tt_wait_row "$GINA" "websocket" 60
check "attach: a polling client shows its transport" tt_wait_row "$HUGO" "polling" 60
command_line "join lobby $GINA"
check "attach: join by command, through the server" tt_wait "# lobby" 30
command_line 'emit --to lobby news "attached"'
check "attach: emit to a room reaches its member" wait_line "$WORK/gina.jsonl" '"event": "news"' 30
check "attach: emit to a room does not reach others" fenced_no_line hugo '"event": "news"'
check "attach: the stream shows the emitted event" tt_wait_row "news" "attached" 30
command_line "emit --to $GINA --ack 3000 ping 1"
check "attach: emit --ack shows the client's reply (our server returns replies)" tt_wait '"pong-gina"' 30
command_line "show $HUGO"
check "attach: details show the handshake" tt_wait "Socket $HUGO" 30
tt_keys k
check "attach: k asks for confirmation" tt_wait "Kick $HUGO" 30
tt_keys y
check "attach: k then y kicks hugo (he sees the server's disconnect)" wait_line "$WORK/hugo.jsonl" '"reason": "server disconnect"' 30
tt_keys Escape
check "attach: the stream shows hugo leaving" tt_wait "disconnected: server namespace" 30
tt_keys n
check "attach: n lists the servers that report" tt_wait "Servers reporting to" 30
check "attach: the server is healthy" tt_wait_row "$WATCHED" "healthy" 30
tt_keys Escape
kill "$WATCHED"; wait "$WATCHED" 2>/dev/null
check "attach: a lost server shows in the header" tt_wait "not connected" 60
check "attach: the last picture stays" tt_wait "$GINA" 5
start_watched "$PORT" --admin-user ops --admin-password-hash "$HASH"
check "attach: the console reconnects to the restarted server" tt_wait "(connected via" 60
check "attach: the fresh picture replaces the old one (only the console's own admin socket)" tt_wait "sockets / 0 /admin 1" 60
tt_keys q
check "attach: q asks to leave (the server keeps running)" tt_wait "Leave the console?" 30
tt_keys y
check "attach: it exits" wait_dead 30
check "attach: exit status 0" test "$(cat "$WORK/exit" 2>/dev/null)" = 0
check "attach: terminal restored" terminal_restored
check "attach: the watched server still runs" kill -0 "$WATCHED"
tt_stop

echo "# attach with a wrong password"
printf 'wrong\n' > "$WORK/password"
rm -f "$WORK/exit"
tt_start attach "$BIN attach http://127.0.0.1:$PORT --user ops --password-file $WORK/password; echo \$? > $WORK/exit" 140 30
check "attach: a wrong password gets a clear message" tt_wait "bad credentials" 60
tt_keys q; tt_keys y
check "attach: it leaves on q" wait_dead 30
tt_stop

echo "# attach to python-socketio's instrument() (a server nobody here wrote)"
mkfifo "$WORK/python-stdin"
"$PY" "$ROOT/Tests/Console/instrumented_server.py" <"$WORK/python-stdin" >"$WORK/python.out" 2>"$WORK/python.err" &
PIDS+=($!)
exec 7>"$WORK/python-stdin"   # the server runs until this closes (at exit)
wait_line "$WORK/python.out" "PORT " 60 >/dev/null
PORT=$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$WORK/python.out")
rm -f "$WORK/exit"
tt_start attach "$BIN attach http://127.0.0.1:$PORT; echo \$? > $WORK/exit" 140 40
check "attach python: connected, every socket and event reported (ALL_EVENTS)" tt_wait "(connected via" 60
client ivy --query user=ivy
IVY=$(sid_of ivy)
check "attach python: ivy's socket appears" tt_wait "$IVY" 60
command_line "show $IVY"
check "attach python: details show the query" tt_wait "user = ivy" 30
tt_keys k
check "attach python: k asks for confirmation" tt_wait "Kick $IVY" 30
tt_keys y
check "attach python: k then y kicks ivy" wait_line "$WORK/ivy.jsonl" '"reason"' 30
tt_keys Escape
command_line "emit --ack 1000 hello"
check "attach python: emit --ack says the server returns no replies" tt_wait "does not return replies" 30
tt_keys q; tt_keys y
check "attach python: it leaves on q" wait_dead 30
tt_stop
exec 7>&-

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
