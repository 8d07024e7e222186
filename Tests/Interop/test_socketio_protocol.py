# Port of the official socket.io-protocol v5 test suite (test-suite/test-suite.js: Engine.IO and Socket.IO cases on /socket.io/) against sio-e2e-server, plus connect timeout, duplicate CONNECT, attachment limit, polling session and keep-alive upgrade checks.
from __future__ import annotations

import base64
import json
import os
import re
import socket
import time
from urllib.parse import urlsplit

import pytest

from helpers import (
    PING_INTERVAL_MS,
    PING_TIMEOUT_MS,
    WS_TIMEOUT,
    assert_status,
    assert_ws_refused,
    open_polling_session,
    parse_open_packet,
    poll,
    post,
    wait_ws_closed,
    ws_connect,
)
from sio_helpers import (
    E2E_CONNECT_TIMEOUT_MS,
    EIO_PING,
    EIO_PONG,
    RawSocket,
    SocketIOEndpoint,
)

HEARTBEAT_S = (PING_INTERVAL_MS + PING_TIMEOUT_MS) / 1000


@pytest.fixture
def sio(server) -> SocketIOEndpoint:
    return SocketIOEndpoint(server)


def init_socketio_connection(server) -> RawSocket:
    """The suite's initSocketIOConnection(): Engine.IO handshake, `40`, then the CONNECT
    reply and the "auth" event are read."""
    sock = RawSocket(server)
    sock.send("40")
    sock.recv()  # Socket.IO handshake
    sock.recv()  # "auth" packet
    return sock


def assert_connect_reply(frame: str, prefix: str, keys: set[str]) -> dict:
    assert frame.startswith(prefix), f"expected a CONNECT reply starting with {prefix!r}, got {frame!r}"
    handshake = json.loads(frame[len(prefix):])
    assert set(handshake) == keys, f"CONNECT reply keys {sorted(handshake)} != {sorted(keys)}: {frame!r}"
    assert isinstance(handshake["sid"], str), frame
    return handshake


# =============================================================================================
# Engine.IO protocol
# =============================================================================================

# handshake, heartbeat, close: the Engine.IO cases run on /socket.io/ too, from
# test_engineio_protocol.py (its `endpoint` fixture).


# upgrade -------------------------------------------------------------------------------------


def test_eio_upgrade_should_successfully_upgrade_from_polling_to_websocket(sio):
    sid = open_polling_session(sio)
    with RawSocket(sio.server, sid=sid) as sock:
        sock.send("2probe")
        assert sock.recv() == "3probe"
        sock.send("5")
        # Not in the official case: the upgraded session carries Socket.IO.
        sock.send("40")
        assert_connect_reply(sock.recv(), "40", {"sid"})


def test_eio_upgrade_should_ignore_http_requests_with_same_sid_after_upgrade(sio):
    sid = open_polling_session(sio)
    with RawSocket(sio.server, sid=sid) as sock:
        sock.upgrade()
        assert_status(poll(sio, sid), 400)


def test_eio_upgrade_should_ignore_websocket_connection_with_same_sid_after_upgrade(sio):
    sid = open_polling_session(sio)
    with RawSocket(sio.server, sid=sid) as sock:
        sock.upgrade()
        assert_ws_refused(sio.websocket_url(sid))


# =============================================================================================
# Socket.IO protocol
# =============================================================================================

# connect -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "reply_prefix", "auth_event"),
    [
        pytest.param("40", "40", '42["auth",{}]', id="main-namespace"),
        pytest.param('40{"token":"123"}', "40", '42["auth",{"token":"123"}]', id="main-namespace-with-payload"),
        pytest.param("40/custom,", "40/custom,", '42/custom,["auth",{}]', id="custom-namespace"),
        pytest.param('40/custom,{"token":"abc"}', "40/custom,", '42/custom,["auth",{"token":"abc"}]',
                     id="custom-namespace-with-payload"),
    ],
)
def test_sio_connect_should_allow_connection(server, sent, reply_prefix, auth_event):
    with RawSocket(server) as sock:
        sock.send(sent)
        assert_connect_reply(sock.recv(), reply_prefix, {"sid"})
        assert sock.recv() == auth_event


def test_sio_connect_should_disallow_connection_to_an_unknown_namespace(server):
    with RawSocket(server) as sock:
        sock.send("40/random")
        assert sock.recv() == '44/random,{"message":"Invalid namespace"}'


def test_sio_connect_should_disallow_connection_with_an_invalid_handshake(server):
    sock = RawSocket(server)
    sock.send("4abc")
    sock.wait_closed()


def test_sio_connect_should_close_the_connection_if_no_handshake_is_received(sio):
    ws = ws_connect(sio.websocket_url())
    wait_ws_closed(ws, timeout=E2E_CONNECT_TIMEOUT_MS / 1000 + WS_TIMEOUT)


# disconnect ----------------------------------------------------------------------------------


def test_sio_disconnect_should_disconnect_from_the_main_namespace(server):
    with init_socketio_connection(server) as sock:
        sock.send("41")
        # The Engine.IO session outlives the namespace: the next frame is a heartbeat.
        assert sock.recv_raw(timeout=PING_INTERVAL_MS / 1000 + WS_TIMEOUT) == EIO_PING


def test_sio_disconnect_should_connect_then_disconnect_from_a_custom_namespace(server):
    with init_socketio_connection(server) as sock:
        assert sock.recv_raw(timeout=PING_INTERVAL_MS / 1000 + WS_TIMEOUT) == EIO_PING  # ping
        sock.send(EIO_PONG)
        sock.send("40/custom")
        assert_connect_reply(sock.recv(), "40/custom,", {"sid"})  # Socket.IO handshake
        assert sock.recv() == '42/custom,["auth",{}]'  # auth packet
        sock.send("41/custom")
        sock.send('42["message","message to main namespace"]')
        assert sock.recv() == '42["message-back","message to main namespace"]'


# message -------------------------------------------------------------------------------------


def test_sio_message_should_send_a_plain_text_packet(server):
    with init_socketio_connection(server) as sock:
        sock.send('42["message",1,"2",{"3":[true]}]')
        assert sock.recv() == '42["message-back",1,"2",{"3":[true]}]'


def test_sio_message_should_send_a_plain_text_packet_with_an_ack(server):
    with init_socketio_connection(server) as sock:
        sock.send('42456["message-with-ack",1,"2",{"3":[false]}]')
        assert sock.recv() == '43456[1,"2",{"3":[false]}]'


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        pytest.param('452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
                     '452-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
                     id="binary-attachments"),
        pytest.param('452-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
                     '462-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
                     id="binary-attachments-and-an-ack"),
    ],
)
def test_sio_message_should_send_a_packet_with(server, sent, expected):
    with init_socketio_connection(server) as sock:
        sock.send(sent)
        sock.send(bytes([1, 2, 3]))
        sock.send(bytes([4, 5, 6]))
        packets = [sock.recv() for _ in range(3)]
        assert packets[0] == expected
        assert packets[1] == bytes([1, 2, 3])
        assert packets[2] == bytes([4, 5, 6])


@pytest.mark.parametrize(
    "frame",
    [
        pytest.param("4abc", id="unknown-packet-type"),
        pytest.param("42{}", id="invalid-payload-format"),
        pytest.param('42abc["message-with-ack",1,"2",{"3":[false]}]', id="invalid-ack-id"),
    ],
)
def test_sio_message_should_close_the_connection_upon_invalid_format(server, frame):
    sock = init_socketio_connection(server)
    sock.send(frame)
    sock.wait_closed()


# =============================================================================================
# Beyond the official suite: behaviour of the reference server the suite does not pin down
# =============================================================================================


def test_sio_connect_timeout_closes_a_connection_that_joins_no_namespace(server):
    """Pings are answered, so only the connect timeout (1000 ms) can end this connection."""
    sock = RawSocket(server)
    started = time.monotonic()
    frames = sock.wait_closed(timeout=E2E_CONNECT_TIMEOUT_MS / 1000 + WS_TIMEOUT)
    elapsed = time.monotonic() - started
    assert frames == [], f"unexpected frames before the close: {frames!r}"
    assert elapsed >= 0.8 * E2E_CONNECT_TIMEOUT_MS / 1000, f"closed after {elapsed:.3f}s, before the connect timeout"


def test_sio_connect_timeout_spares_a_connection_that_joined_a_namespace(server):
    with init_socketio_connection(server) as sock:
        deadline = time.monotonic() + 1.5 * E2E_CONNECT_TIMEOUT_MS / 1000
        pings = 0
        # Answer heartbeats past the connect timeout, and for at least 3 of them: a loaded
        # machine may send them late, which is not what this test is about.
        while time.monotonic() < deadline or pings < 3:
            assert sock.recv_raw() == EIO_PING
            sock.send(EIO_PONG)
            pings += 1
        assert pings >= 3
        sock.send('42["message","still here"]')
        assert sock.recv() == '42["message-back","still here"]'


def test_sio_connect_twice_to_the_same_namespace_closes_the_connection(server):
    sock = init_socketio_connection(server)
    sock.send("40")
    frames = sock.wait_closed()
    assert not any(isinstance(f, str) and f.startswith("40") for f in frames), (
        f"a second CONNECT reply was sent: {frames!r}"
    )


def test_sio_session_over_http_long_polling(sio):
    sid = open_polling_session(sio)
    assert_status(post(sio, sid, "40"), 200)
    connect_reply, auth_event = poll_packets(sio, sid, 2)
    assert_connect_reply(connect_reply, "40", {"sid"})
    assert auth_event == '42["auth",{}]'
    assert_status(post(sio, sid, '42["message","over polling",{"n":[1,2]}]'), 200)
    assert poll_packets(sio, sid, 1) == ['42["message-back","over polling",{"n":[1,2]}]']


def poll_packets(sio: SocketIOEndpoint, sid: str, count: int) -> list[str]:
    """Poll until `count` packets other than pings came (pings are answered)."""
    packets: list[str] = []
    deadline = time.monotonic() + WS_TIMEOUT
    while len(packets) < count:
        assert time.monotonic() < deadline, f"only {packets!r} within {WS_TIMEOUT}s"
        response = poll(sio, sid)
        assert_status(response, 200)
        for packet in response.text.split("\x1e"):
            if packet == EIO_PING:
                assert_status(post(sio, sid, EIO_PONG), 200)
            else:
                packets.append(packet)
    return packets


def binary_event_frames(count: int) -> tuple[str, list[bytes]]:
    placeholders = ",".join(f'{{"_placeholder":true,"num":{i}}}' for i in range(count))
    return f'45{count}-["message",{placeholders}]', [bytes([i, 0xFF - i]) for i in range(count)]


def test_sio_message_with_ten_attachments_round_trips(server):
    """10 is the default `maxAttachments` of Node's socket.io-parser: still accepted."""
    header, buffers = binary_event_frames(10)
    with init_socketio_connection(server) as sock:
        sock.send(header)
        for buffer in buffers:
            sock.send(buffer)
        assert sock.recv() == header.replace('"message"', '"message-back"')
        assert [sock.recv() for _ in buffers] == buffers


def test_sio_message_with_eleven_attachments_closes_the_connection(server):
    """Past `maxAttachments` Node's decoder throws ("too many attachments"): parse error."""
    header, _ = binary_event_frames(11)
    sock = init_socketio_connection(server)
    sock.send(header)
    frames = sock.wait_closed()
    assert frames == [], f"unexpected frames before the close: {frames!r}"


def test_eio_upgrade_on_the_keep_alive_connection_of_the_polling_handshake(sio):
    """HTTP clients with a connection pool (aiohttp, so python-socketio's AsyncClient) send
    the WebSocket upgrade on the keep-alive connection that carried the polling handshake;
    Node's HTTP server upgrades any request of a connection."""
    with socket.create_connection((sio.server.host, sio.server.port), timeout=WS_TIMEOUT) as raw:
        target = request_target(sio.polling_url())
        raw.sendall(f"GET {target} HTTP/1.1\r\nHost: {sio.server.host}\r\n\r\n".encode())
        status, head, body = read_http_response(raw)
        assert status == 200, f"handshake: {status} {body!r}"
        sid = parse_open_packet(body.decode())["sid"]
        raw.sendall(upgrade_request(sio, sid))
        status, head, body = read_http_response(raw)
        assert status == 101, (
            f"WebSocket upgrade on the reused connection answered {status} {body!r}, expected 101\n{head}"
        )


def test_eio_refused_upgrade_does_not_leave_the_connection_hanging(sio):
    """Node answers a refused upgrade with `Connection: close` and ends the connection; a
    server that keeps it open must go on answering requests on it."""
    with socket.create_connection((sio.server.host, sio.server.port), timeout=WS_TIMEOUT) as raw:
        raw.sendall(upgrade_request(sio, "AAAAAAAAAAAAAAAAAAAA"))
        status, head, body = read_http_response(raw)
        assert status == 400, f"upgrade with an unknown sid answered {status} {body!r}"
        raw.sendall(f"GET {request_target(sio.polling_url())} HTTP/1.1\r\nHost: {sio.server.host}\r\n\r\n".encode())
        try:
            chunk = raw.recv(65536)
        except ConnectionResetError:
            # The server closed with our second request unread: TCP reports that as a reset.
            chunk = b""
        except socket.timeout:
            raise AssertionError(
                f"after the refused upgrade ({head!r}) the connection stayed open but the next request "
                f"got no answer within {WS_TIMEOUT}s"
            ) from None
        assert chunk == b"" or chunk.startswith(b"HTTP/1.1 200"), f"next request answered {chunk!r}"


def upgrade_request(sio: SocketIOEndpoint, sid: str) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    return (
        f"GET {request_target(sio.websocket_url(sid))} HTTP/1.1\r\nHost: {sio.server.host}\r\n"
        f"Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()


def request_target(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def read_http_response(raw: socket.socket) -> tuple[int, str, bytes]:
    """One HTTP/1.1 response (status, head, body) from a keep-alive connection; a 101 has no body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = raw.recv(65536)
        assert chunk, f"connection closed mid-response: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    head_text = head.decode("latin-1")
    status = int(head_text.split(" ", 2)[1])
    length = re.search(r"(?im)^content-length:\s*(\d+)", head_text)
    if status != 101 and length:
        while len(body) < int(length.group(1)):
            chunk = raw.recv(65536)
            assert chunk, "connection closed mid-body"
            body += chunk
    return status, head_text, body
