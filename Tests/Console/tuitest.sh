# tmux harness for the console's end-to-end tests: source it. A private tmux server on its
# own socket (never the user's), every wait bounded, the screen dumped on failure.
TT_SOCK="sioconsole-tt-$$"
TT_CONF="$(mktemp)"
tt_tmux() { tmux -L "$TT_SOCK" -f "$TT_CONF" "$@"; }
tt_start() {   # name "command" [cols rows TERM]
  TT_NAME="$1"; local cmd="$2" cols="${3:-120}" rows="${4:-40}" term="${5:-tmux-256color}"
  printf 'set -g default-terminal "%s"\nset -g remain-on-exit on\nset -g history-limit 0\nset -g escape-time 0\nset -g set-titles on\nset -g set-titles-string "#T"\n' "$term" > "$TT_CONF"
  TERM="${TERM:-xterm-256color}" tt_tmux new-session -d -s "$TT_NAME" -x "$cols" -y "$rows" \
      -e LC_ALL="${TT_LOCALE:-C.UTF-8}" "$cmd"
}
tt_screen() { tt_tmux capture-pane -p -t "$TT_NAME" "$@"; }
tt_keys()   { tt_tmux send-keys -t "$TT_NAME" "$@"; }
tt_hex()    { tt_tmux send-keys -t "$TT_NAME" -H "$@"; }
tt_resize() { tt_tmux resize-window -t "$TT_NAME" -x "$1" -y "$2"; }
tt_dead()   { [ "$(tt_tmux display-message -p -t "$TT_NAME" '#{pane_dead}')" = 1 ]; }
tt_format() { tt_tmux display-message -p -t "$TT_NAME" "$1"; }
# Waits poll the screen until it shows what they wait for; their bounds only end a wait that
# failed (a passing test never waits for one to run out), so they are generous: 30 s.
tt_wait() {    # "fixed text" [timeout_s=30]
  local text="$1" deadline=$(( $(date +%s) + ${2:-30} ))
  while [ "$(date +%s)" -le "$deadline" ]; do
    tt_screen | grep -qF -- "$text" && return 0
    tt_dead && { echo "app exited while waiting for '$text'" >&2; tt_screen >&2; return 1; }
    sleep 0.05
  done
  echo "timeout waiting for '$text'; screen:" >&2; tt_screen >&2; return 1
}
tt_wait_gone() {    # "fixed text" [timeout_s=30]
  local text="$1" deadline=$(( $(date +%s) + ${2:-30} ))
  while [ "$(date +%s)" -le "$deadline" ]; do
    tt_screen | grep -qF -- "$text" || return 0
    sleep 0.05
  done
  echo "timeout waiting for '$text' to go; screen:" >&2; tt_screen >&2; return 1
}
tt_stop() { tt_tmux kill-server 2>/dev/null; rm -f "$TT_CONF" "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TT_SOCK"; }
