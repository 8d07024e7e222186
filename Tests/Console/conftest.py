"""Fixtures shared by the console's Python suites."""
import pytest


@pytest.fixture
def clients():
    """A list the test appends its clients to; each is closed when the test ends."""
    made = []
    yield made
    for client in made:
        client.close()
