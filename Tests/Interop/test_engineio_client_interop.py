# python-engineio's own client against sio-e2e-server over polling, websocket and polling->websocket upgrade: echo, order, heartbeat, disconnect.
from __future__ import annotations

import time
from typing import Iterator

import pytest

from helpers import PING_INTERVAL_MS, PING_TIMEOUT_MS, EchoClient, ServerProcess, assert_session_gone
from sio_helpers import QUIET_PING_TIMEOUT_MS, sio_server

TRANSPORT_CASES = [
    pytest.param((["polling"], "polling"), id="polling"),
    pytest.param((["websocket"], "websocket"), id="websocket"),
    pytest.param((["polling", "websocket"], "websocket"), id="upgrade"),
]


@pytest.fixture(scope="module")
def tolerant_server() -> Iterator[ServerProcess]:
    """For the tests that are not about heartbeats: pings every 300 ms as on the shared
    server, but 20 s (Node's default) to answer them. python-engineio's client answers pings
    from threads that share the GIL with the test, and on a loaded machine the shared server's
    200 ms ended sessions in the middle of a 200 KB echo (about 1 in 25). The pings stay
    frequent: they also release a pending long poll, which python-engineio's disconnect
    waits for."""
    with sio_server(ping_interval=PING_INTERVAL_MS, ping_timeout=QUIET_PING_TIMEOUT_MS) as proc:
        yield proc


def open_client(server: ServerProcess, case) -> Iterator[tuple[EchoClient, str]]:
    transports, expected_transport = case
    client = EchoClient().connect(server, transports)
    yield client, expected_transport
    client.disconnect()


@pytest.fixture(params=TRANSPORT_CASES)
def connected(request, tolerant_server):
    yield from open_client(tolerant_server, request.param)


@pytest.fixture(params=TRANSPORT_CASES)
def connected_with_heartbeats(request, server):
    """On the shared server: pings every 300 ms, 200 ms to answer."""
    yield from open_client(server, request.param)


def test_connects_on_the_expected_transport(connected):
    client, expected_transport = connected
    assert client.client.transport() == expected_transport, (
        f"client ended on {client.client.transport()!r}, expected {expected_transport!r}"
    )
    assert client.sid, "client has no sid after connecting"
    client.assert_still_connected()


@pytest.mark.parametrize(
    "text",
    ["hello", "", "héllo wörld ✓ 😀", "4looks like a packet"],
    ids=["ascii", "empty", "unicode", "packet-like"],
)
def test_text_message_echoes_as_text(connected, text):
    client, _ = connected
    client.assert_echoes(text)


@pytest.mark.parametrize(
    "data",
    [b"\x01\x02\x03\x04", b"", bytes(range(256)), b"hello"],
    ids=["1234", "empty", "all-byte-values", "ascii-bytes"],
)
def test_binary_message_echoes_as_bytes(connected, data):
    client, _ = connected
    client.assert_echoes(data)


def test_large_messages_echo(connected):
    client, _ = connected
    client.assert_echoes("x" * 200_000)
    client.assert_echoes(bytes(range(256)) * 800)


# python-engineio refuses to decode a polling payload of more than 16 packets (its
# Payload.max_decode_packets), so each burst stays well below that: the server may batch a
# whole burst, plus a ping, into one response.
BURST = 12
BURSTS = 3


def test_several_messages_arrive_in_order(connected):
    client, _ = connected
    for burst in range(BURSTS):
        sent = []
        for i in range(BURST):
            data = f"message {burst}.{i}" if i % 3 else f"binary {burst}.{i}".encode()
            sent.append(data)
            client.client.send(data)
        received = [client.next_message() for _ in sent]
        assert received == sent, f"burst {burst}: echoes arrived out of order or altered"
        assert all(type(a) is type(b) for a, b in zip(received, sent)), "text/binary types changed"


def test_session_survives_several_heartbeats(connected_with_heartbeats):
    client, expected_transport = connected_with_heartbeats
    # The wait is the test: several ping intervals pass while the client answers pings.
    time.sleep(3 * (PING_INTERVAL_MS + PING_TIMEOUT_MS) / 1000)
    client.assert_still_connected()
    assert client.client.transport() == expected_transport
    client.assert_echoes("still here")


def test_disconnects_cleanly(connected_with_heartbeats, server):
    # On the shared server: python-engineio's polling client may end its write loop before
    # it has sent the close packet, and then the session ends by its ping timeout (200 ms).
    client, _ = connected_with_heartbeats
    client.assert_echoes("bye")
    sid = client.sid
    client.disconnect()
    assert client.client.state == "disconnected", f"client state after disconnect: {client.client.state!r}"
    reason = client.disconnects.get_nowait() if not client.disconnects.empty() else None
    assert reason == client.client.reason.CLIENT_DISCONNECT, f"unexpected disconnect reason {reason!r}"
    assert client.disconnects.empty(), "more than one disconnect event"
    assert_session_gone(server, sid)
