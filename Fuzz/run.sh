#!/usr/bin/env bash
# Runs one fuzz target (or `all`, one after the other) for SECONDS each:
#   Fuzz/run.sh TARGET SECONDS [libFuzzer flags…]
# Builds first if needed (release, libFuzzer + AddressSanitizer, see build.sh). New inputs go
# to Fuzz/.corpus/TARGET (git-ignored); the committed seeds in Fuzz/Corpus/TARGET are read
# too. A crash, leak or timeout leaves its input in Fuzz/.artifacts/TARGET/ and fails.
set -euo pipefail
cd "$(dirname "$0")"
targets=(engine-packet engine-query engine-http socketio-packet json msgpack console-command theme)
if [ $# -lt 2 ]; then
    echo "usage: $0 TARGET|all SECONDS [libFuzzer flags…]; targets: ${targets[*]}" >&2
    exit 2
fi
target=$1 seconds=$2
shift 2
binary=$(./build.sh)

run() {
    local name=$1
    shift
    echo "== fuzz $name for $seconds s" >&2
    mkdir -p ".corpus/$name" ".artifacts/$name"
    # -rss_limit_mb bounds one input's memory; -timeout calls an input that runs 10 s a hang.
    # Leak detection is libFuzzer's default (-detect_leaks=1) under AddressSanitizer. Swift's
    # own backtracer is off: it reads memory AddressSanitizer then reports as overflows.
    SIO_FUZZ_TARGET=$name SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$binary" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=".artifacts/$name/" "$@" ".corpus/$name" "Corpus/$name"
}

if [ "$target" = all ]; then
    for name in "${targets[@]}"; do run "$name" "$@"; done
else
    run "$target" "$@"
fi
