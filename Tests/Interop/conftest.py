# Pytest fixtures: start sio-e2e-server processes (default session-wide one and custom per-test ones) and stop them.
from __future__ import annotations

import signal
from typing import Callable, Iterator

import pytest

from helpers import RUNNING, ServerProcess, start_server

STDERR_TAIL = 4000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the tail of every running server's stderr (and whether it died) to a failure."""
    report = yield
    if report.failed:
        for proc in list(RUNNING):
            status = "running" if proc.proc.poll() is None else f"EXITED with {proc.proc.returncode}"
            report.sections.append(
                (f"sio-e2e-server {proc.base_url} ({status}) stderr tail", proc.stderr_text(STDERR_TAIL))
            )
    return report


class SharedServer:
    """The default server (ping 300/200, max payload 1000000), shared by the whole session
    but restarted if a test crashed it, so one crash is blamed on one test only."""

    def __init__(self) -> None:
        self.proc: ServerProcess | None = None

    def get(self) -> ServerProcess:
        if self.proc is None or self.proc.proc.poll() is not None:
            if self.proc is not None:
                self.proc.stop()  # already dead: just release it
            self.proc = start_server()
        return self.proc

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop(signal.SIGTERM)


@pytest.fixture(scope="session")
def shared_server() -> Iterator[SharedServer]:
    holder = SharedServer()
    yield holder
    holder.stop()


@pytest.fixture
def server(shared_server: SharedServer) -> Iterator[ServerProcess]:
    proc = shared_server.get()
    yield proc
    code = proc.proc.poll()
    assert code is None, (
        f"sio-e2e-server died during this test (exit status {code}); stderr tail:\n"
        f"{proc.stderr_text(STDERR_TAIL)}"
    )


@pytest.fixture
def custom_server() -> Iterator[Callable[..., ServerProcess]]:
    """Factory for servers with other settings (keyword args of helpers.start_server);
    each one is stopped with SIGTERM at the end of the test."""
    started: list[ServerProcess] = []

    def factory(**options) -> ServerProcess:
        proc = start_server(**options)
        started.append(proc)
        return proc

    yield factory
    errors = []
    for proc in started:
        if proc.proc.poll() is not None:
            errors.append(
                f"sio-e2e-server {proc.base_url} died during this test (exit status {proc.proc.returncode}); "
                f"stderr tail:\n{proc.stderr_text(STDERR_TAIL)}"
            )
        try:
            proc.stop(signal.SIGTERM)
        except RuntimeError as exc:
            errors.append(str(exc))
    assert not errors, "\n".join(errors)
