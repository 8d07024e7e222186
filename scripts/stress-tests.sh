#!/usr/bin/env bash
# Runs the whole Swift test suite N times in a row while busy processes load every core, and
# prints each failing test by name: a test that races a real timer or a fixed wait shows up
# here long before it turns a CI run red.
#
#   scripts/stress-tests.sh [N]      N runs (default 10); STRESS_HOGS=K busy processes (default 2)
#
# Exits non-zero if any run failed. The logs of every run stay in the folder it prints.
set -euo pipefail
cd "$(dirname "$0")/.."

# The adapter's tests use a PostgreSQL: run under a throw-away one, as scripts/test.sh does.
if [ -z "${SIO_TEST_POSTGRES_URL:-}" ]; then
    exec scripts/with-postgres.sh "$0" "$@"
fi

runs=${1:-10}
hogs=${STRESS_HOGS:-2}

swift build --build-tests

hog_pids=()
stop_hogs() { for pid in "${hog_pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_hogs EXIT
for _ in $(seq "$hogs"); do
    yes >/dev/null &
    hog_pids+=("$!")
done

logs=$(mktemp -d "${TMPDIR:-/tmp}/stress-tests.XXXXXX")
red=0
for run in $(seq "$runs"); do
    log="$logs/run-$run.log"
    started=$SECONDS
    if swift test --skip-build >"$log" 2>&1; then
        echo "run $run/$runs: green ($((SECONDS - started)) s)"
    else
        red=$((red + 1))
        echo "run $run/$runs: RED ($((SECONDS - started)) s)"
        # swift-testing marks failures with ✘ (the test, then each issue it recorded).
        grep -E '✘|error:|Fatal error|Crash' "$log" | sed 's/^/    /' | head -40 || true
    fi
done

echo "$((runs - red)) of $runs runs green with $hogs busy processes; logs in $logs"
[ "$red" -eq 0 ]
