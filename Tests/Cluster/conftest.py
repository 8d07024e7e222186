# Pytest wiring of the cluster suite: the PostgreSQL check (fail, never skip), server stderr on
# failures, and a per-test set of peers closed at the end.
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "Interop"))  # helpers.py: ServerProcess, server_binary
sys.path.insert(0, str(HERE))

from cluster_helpers import POSTGRES_URL_VARIABLE, PeerSet  # noqa: E402
from helpers import RUNNING  # noqa: E402

STDERR_TAIL = 4000


@pytest.fixture(scope="session", autouse=True)
def postgres_required() -> None:
    """Without the throw-away PostgreSQL every test fails with this message (not a skip: a
    missing database must not pass for a green run)."""
    if not os.environ.get(POSTGRES_URL_VARIABLE):
        pytest.fail(
            f"{POSTGRES_URL_VARIABLE} is not set. The cluster suite runs against the throw-away "
            "PostgreSQL of scripts/with-postgres.sh:\n"
            "  scripts/with-postgres.sh .venv/bin/python -m pytest -q -p no:cacheprovider Tests/Cluster",
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the tail of every running server's stderr (and whether it died) to a failure."""
    report = yield
    if report.failed:
        for proc in list(RUNNING):
            status = "running" if proc.proc.poll() is None else f"EXITED with {proc.proc.returncode}"
            report.sections.append(
                (f"sio-e2e-server {proc.base_url} pid {proc.proc.pid} ({status}) stderr tail",
                 proc.stderr_text(STDERR_TAIL))
            )
    return report


@pytest.fixture
def peers() -> Iterator[PeerSet]:
    """Clients opened by one test; all disconnected when it ends."""
    opened = PeerSet()
    yield opened
    opened.close_all()
