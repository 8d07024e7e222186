#!/usr/bin/env bash
# Runs every test of the project: the Swift suites (unit and over real sockets), then the
# interop suites in Python (official protocol test cases, python-engineio) against
# sio-e2e-server. Creates the Python virtualenv in .venv on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== swift build"
swift build --build-tests

echo "== swift test"
swift test --skip-build

echo "== python interop suites"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r Tests/Interop/requirements.txt
SIO_E2E_SERVER="$PWD/.build/debug/sio-e2e-server" .venv/bin/python -m pytest -q -p no:cacheprovider Tests/Interop

echo "== console: sioconsole --headless (commands on stdin, JSON lines on stdout)"
SIOCONSOLE="$PWD/.build/debug/sioconsole" .venv/bin/python -m pytest -q -p no:cacheprovider Tests/Console

echo "== console: the full screen in tmux"
SIOCONSOLE="$PWD/.build/debug/sioconsole" PYTHON="$PWD/.venv/bin/python" Tests/Console/console_e2e.sh
