#!/usr/bin/env bash
# CI smoke of every fuzz target: one build, then a few seconds of each over its corpus, so a
# target that no longer builds or crashes at once is noticed. Real runs: Fuzz/run.sh.
set -euo pipefail
cd "$(dirname "$0")"
./run.sh all "${FUZZ_SMOKE_SECONDS:-5}"
