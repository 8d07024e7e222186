#!/usr/bin/env bash
# Builds the fuzz targets (release, libFuzzer + AddressSanitizer) into Fuzz/.build and prints
# the executable's path. SwiftPM's own --sanitize=fuzzer only links libFuzzer; the coverage
# instrumentation libFuzzer steers by needs -sanitize=fuzzer on every compile too.
# -enable-testing lets the targets reach the parsers that are internal or package-scoped
# (QueryString, CORSMatcher, PollingPayload, JSONParser) through @testable import.
set -euo pipefail
cd "$(dirname "$0")"
flags=(-c release --sanitize=fuzzer --sanitize=address
       -Xswiftc -sanitize=fuzzer -Xswiftc -enable-testing)
swift build "${flags[@]}" >&2
echo "$(swift build "${flags[@]}" --show-bin-path)/SIOFuzz"
