#!/usr/bin/env bash
# Runs every test of the project: the Swift suites (unit and over real sockets, the client's
# against python-socketio too), the interop
# suites in Python (official protocol test cases, python-engineio, python-socketio) against
# sio-e2e-server, the cluster suites on PostgreSQL, then the console's. Creates the Python
# virtualenv in .venv on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

# The cluster suites need a PostgreSQL: run everything under a throw-away one (a temporary
# folder, a free port on 127.0.0.1), removed when the tests end.
if [ -z "${SIO_TEST_POSTGRES_URL:-}" ]; then
    exec scripts/with-postgres.sh "$0" "$@"
fi

echo "== portability: platform-only code stays inside its #if guard"
scripts/check-portability.sh

echo "== swift build"
swift build --build-tests

# The Python virtualenv comes first: the Swift client's suites start python-socketio servers
# (Tests/ClientInterop/python_server.py) with it.
echo "== python virtualenv"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r Tests/Interop/requirements.txt
export SIO_CLIENT_INTEROP_PYTHON="$PWD/.venv/bin/python"

echo "== swift test"
swift test --skip-build

echo "== python interop suites"
SIO_E2E_SERVER="$PWD/.build/debug/sio-e2e-server" .venv/bin/python -m pytest -q -p no:cacheprovider Tests/Interop

echo "== cluster: three sio-e2e-server nodes on one PostgreSQL"
SIO_E2E_SERVER="$PWD/.build/debug/sio-e2e-server" .venv/bin/python -m pytest -q -p no:cacheprovider Tests/Cluster

echo "== console: sioconsole --headless (commands on stdin, JSON lines on stdout)"
SIOCONSOLE="$PWD/.build/debug/sioconsole" SIO_E2E_SERVER="$PWD/.build/debug/sio-e2e-server" \
    .venv/bin/python -m pytest -q -p no:cacheprovider Tests/Console

echo "== console: the full screen in tmux"
SIOCONSOLE="$PWD/.build/debug/sioconsole" PYTHON="$PWD/.venv/bin/python" Tests/Console/console_e2e.sh

# The fuzz targets' smoke (Fuzz/smoke.sh: every target over its committed corpus once, no
# mutation, so the answer is the same every run), so a target that no longer builds, or a
# regression on a recorded input, is noticed. Its sanitizer build compiles
# the dependencies again, instrumented, in Fuzz/.build: about 4 minutes from clean on this
# project's 2-core machines, plus seconds of replay. SIO_FUZZ_SMOKE=0 skips it.
if [ "${SIO_FUZZ_SMOKE:-1}" = 1 ]; then
    echo "== fuzz smoke: every fuzz target for a few seconds"
    Fuzz/smoke.sh
fi
