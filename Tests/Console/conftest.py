"""Fixtures shared by the console's Python suites."""
import pytest


@pytest.fixture
def clients():
    """A list the test appends its clients to; each is closed when the test ends."""
    made = []
    yield made
    for client in made:
        client.close()


@pytest.fixture
def closing():
    """Processes (anything with `close`) a test started; each is closed when it ends, the
    last started first (a console before the server it watches)."""
    made = []
    yield made
    for process in reversed(made):
        process.close()
