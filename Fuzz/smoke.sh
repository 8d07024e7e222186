#!/usr/bin/env bash
# CI smoke of every fuzz target: one build, then each target runs every input of its committed
# corpus once (seeds and the inputs of past findings), under AddressSanitizer and leak
# detection, and stops. No mutation: CI must give the same answer every time, and a random
# walk may meet a known, not yet fixed flaw (the README lists them). So a target that no
# longer builds, or a regression on a recorded input, is noticed; finding new bugs is
# Fuzz/run.sh's job.
set -euo pipefail
cd "$(dirname "$0")"
./run.sh all 5 -runs=0
