# Hostile and malformed input against sio-e2e-server (bad methods/sids/versions/transports/payloads, size limits, slow headers, handshake floods); a healthy session must survive each.
from __future__ import annotations

import json
import select
import socket
import time

import pytest

from helpers import (
    REQUEST_TIMEOUT,
    assert_error,
    assert_poll,
    assert_post_ok,
    assert_post_rejected,
    assert_session_gone,
    assert_status,
    assert_stays_healthy,
    assert_valid_open_packet,
    assert_ws_refused,
    error_json,
    handshake_flood,
    http_request,
    open_polling_session,
    post,
    wait_ws_closed,
    ws_open_session,
    ws_recv,
    ws_recv_message,
)

UNKNOWN_SIDS = [
    pytest.param("AAAAAAAAAAAAAAAAAAAA", id="well-formed"),
    pytest.param("does-not-exist", id="short"),
    pytest.param("x" * 200, id="very-long"),
]
SMALL_MAX_PAYLOAD = 1000
HEADER_TIMEOUT_MS = 500
HEADER_TIMEOUT_BOUND = 30.0  # fails only a server that never closes: generous for a loaded machine
HANDSHAKE_FLOOD = 1000


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_wrong_method_with_sid_is_rejected(server, method):
    with assert_stays_healthy(server):
        sid = open_polling_session(server)
        response = http_request(method, server.polling_url(sid), b"4hello")
        assert_status(response, 400)
        error_json(response)


def test_handshake_with_post_is_bad_handshake_method(server):
    with assert_stays_healthy(server):
        assert_error(http_request("POST", server.polling_url(), b"4hello"), 2, "Bad handshake method")


@pytest.mark.parametrize("sid", UNKNOWN_SIDS)
def test_unknown_sid_is_rejected(server, sid):
    with assert_stays_healthy(server):
        assert_error(http_request("GET", server.polling_url(sid)), 1, "Session ID unknown")
        assert_error(post(server, sid, "4hello"), 1, "Session ID unknown")
        status = assert_ws_refused(server.websocket_url(sid))
        assert status in (None, 400), f"WebSocket with unknown sid refused with HTTP {status}, expected 400"


@pytest.mark.parametrize("eio", ["3", "5", "2"])
def test_unsupported_protocol_version(server, eio):
    with assert_stays_healthy(server):
        assert_error(http_request("GET", server.polling_url(eio=eio)), 5, "Unsupported protocol version")
        status = assert_ws_refused(server.websocket_url(eio=eio))
        assert status in (None, 400), f"WebSocket with EIO={eio} refused with HTTP {status}, expected 400"


@pytest.mark.parametrize("query", ["EIO=4&transport=abc", "EIO=4&transport=", "EIO=4&transport=flashsocket"])
def test_unknown_transport(server, query):
    with assert_stays_healthy(server):
        assert_error(http_request("GET", server.url(query)), 0, "Transport unknown")


MALFORMED_PAYLOADS = [
    pytest.param(b"", id="empty-body"),
    pytest.param(b"b@@@@not base64!", id="invalid-base64"),
    pytest.param(b"9x", id="unknown-packet-type"),
    pytest.param(b"\x1e", id="lone-separator"),
]


@pytest.mark.parametrize("body", MALFORMED_PAYLOADS)
def test_malformed_payload_closes_the_session(server, body):
    with assert_stays_healthy(server):
        sid = open_polling_session(server)
        assert_post_rejected(server, sid, body)
        assert_session_gone(server, sid)


def test_oversize_post_body_gets_413_and_closes_the_session(custom_server):
    small = custom_server(max_payload=SMALL_MAX_PAYLOAD)
    with assert_stays_healthy(small):
        response = http_request("GET", small.polling_url())
        assert_status(response, 200)
        assert_valid_open_packet(response.text, ["websocket"], max_payload=SMALL_MAX_PAYLOAD)

        at_limit = open_polling_session(small)
        body = "4" + "y" * (SMALL_MAX_PAYLOAD - 1)
        assert_post_ok(small, at_limit, body)
        assert_poll(small, at_limit, body)

        sid = open_polling_session(small)
        response = post(small, sid, "4" + "x" * (2 * SMALL_MAX_PAYLOAD - 1))
        assert_status(response, 413)
        assert_session_gone(small, sid)


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_oversize_websocket_frame_closes_with_1009(custom_server, binary):
    small = custom_server(max_payload=SMALL_MAX_PAYLOAD)
    with assert_stays_healthy(small):
        ws, _ = ws_open_session(small)
        try:
            at_limit = "4" + "y" * (SMALL_MAX_PAYLOAD - 1)
            ws.send(at_limit)
            assert ws_recv_message(ws) == at_limit, "a frame of exactly max-payload bytes must be echoed"
        finally:
            ws.close()

        ws, _ = ws_open_session(small)
        if binary:
            ws.send_binary(b"\x07" * (2 * SMALL_MAX_PAYLOAD))
        else:
            ws.send("4" + "x" * (2 * SMALL_MAX_PAYLOAD - 1))
        code = wait_ws_closed(ws)
        assert code == 1009, f"expected close code 1009 (message too big), got {code}"


def wait_for_server_close(sock: socket.socket, trickle: bytes | None, bound: float) -> float:
    """Seconds until the server closes `sock` (EOF or reset); optionally sends one byte of
    `trickle` every 100 ms meanwhile. Fails if the connection is still open after `bound`."""
    start = time.monotonic()
    position = 0
    while time.monotonic() - start < bound:
        if trickle is not None:
            try:
                sock.sendall(trickle[position % len(trickle):position % len(trickle) + 1])
            except (BrokenPipeError, ConnectionResetError):
                return time.monotonic() - start
            position += 1
        readable, _, _ = select.select([sock], [], [], 0.1)
        if readable:
            try:
                if sock.recv(65536) == b"":
                    return time.monotonic() - start
            except ConnectionResetError:
                return time.monotonic() - start
    raise AssertionError(f"server kept an incomplete-header connection open for {bound}s")


HALF_REQUEST = b"GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slo"

SLOW_CLIENTS = [
    pytest.param(HALF_REQUEST, None, id="half-headers-then-silence"),
    pytest.param(b"", None, id="connect-and-say-nothing"),
    pytest.param(HALF_REQUEST, b"wly-trickling-header-bytes-", id="trickles-header-bytes-forever"),
]


@pytest.mark.parametrize("first_bytes, trickle", SLOW_CLIENTS)
def test_incomplete_request_headers_time_out(custom_server, first_bytes, trickle):
    slow = custom_server(header_timeout=HEADER_TIMEOUT_MS)
    with assert_stays_healthy(slow):
        with socket.create_connection((slow.host, slow.port), timeout=REQUEST_TIMEOUT) as sock:
            sock.sendall(first_bytes)
            elapsed = wait_for_server_close(sock, trickle, HEADER_TIMEOUT_BOUND)
        assert elapsed >= HEADER_TIMEOUT_MS / 1000 * 0.8, (
            f"server closed the connection after {elapsed:.3f}s, before its {HEADER_TIMEOUT_MS} ms header timeout"
        )


def test_header_timeout_does_not_cut_a_pending_long_poll(custom_server):
    # Headers complete at once; the long-poll then waits longer than the header timeout.
    slow = custom_server(header_timeout=100, ping_interval=300, ping_timeout=200)
    with assert_stays_healthy(slow):
        sid = open_polling_session(slow)
        assert_poll(slow, sid, "2")
        assert_status(post(slow, sid, "3"), 200)


def test_a_thousand_concurrent_handshakes(custom_server):
    # Heartbeats loose enough that the healthy session's pongs are not what is being tested
    # when the machine is busy serving a thousand handshakes (the default is 300 + 200 ms).
    server = custom_server(ping_interval=2000, ping_timeout=5000)
    with assert_stays_healthy(server):
        results = handshake_flood(server, HANDSHAKE_FLOOD, timeout=60)
        failures = [(i, r) for i, r in enumerate(results) if not (isinstance(r, tuple) and r[0] == 200)]
        assert not failures, f"{len(failures)} of {HANDSHAKE_FLOOD} handshakes failed, e.g. {failures[:3]!r}"
        sids = [assert_valid_open_packet(text, ["websocket"], ping_interval=2000, ping_timeout=5000)["sid"]
                for _, text in results]
        assert len(set(sids)) == HANDSHAKE_FLOOD, "duplicate sids handed out"


def test_healthy_session_over_polling_survives_bad_input(server):
    # The same guard with the healthy session on long-polling instead of WebSocket.
    with assert_stays_healthy(server, transport="polling"):
        sid = open_polling_session(server)
        assert_post_rejected(server, sid, b"9x")
        assert_session_gone(server, sid)
        assert_error(http_request("GET", server.polling_url("nope")), 1, "Session ID unknown")


def read_http_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Reads one HTTP/1.1 response with a Content-Length body (or a head only, for a 101)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before a full response head: {data!r}"
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed inside a response body"
        rest += chunk
    return status, headers, rest[:length]


def upgrade_request(path: str) -> bytes:
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").encode()


def test_websocket_upgrade_on_a_connection_that_carried_polling_requests(server):
    # aiohttp (python-socketio's AsyncClient) reuses its keep-alive connection for the upgrade.
    with socket.create_connection((server.host, server.port), timeout=REQUEST_TIMEOUT) as sock:
        sock.sendall(b"GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        status, _, body = read_http_response(sock)
        assert status == 200
        sid = assert_valid_open_packet(body.decode(), ["websocket"])["sid"]
        sock.sendall(upgrade_request(f"/engine.io/?EIO=4&transport=websocket&sid={sid}"))
        status, headers, _ = read_http_response(sock)
        assert status == 101, f"upgrade on a reused connection answered {status}"
        assert headers["sec-websocket-accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


@pytest.mark.parametrize("after_polling", [False, True], ids=["first-request", "reused-connection"])
def test_a_refused_upgrade_closes_its_connection(server, after_polling):
    # Node destroys the socket of an upgrade it will not take; a client must not be left
    # with a connection whose state it cannot know. The same holds for an upgrade that comes
    # after polling requests on a keep-alive connection.
    with assert_stays_healthy(server):
        with socket.create_connection((server.host, server.port), timeout=REQUEST_TIMEOUT) as sock:
            if after_polling:
                sock.sendall(b"GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                assert read_http_response(sock)[0] == 200
            sock.sendall(upgrade_request("/engine.io/?EIO=4&transport=websocket&sid=AAAAAAAAAAAAAAAAAAAA"))
            status, headers, body = read_http_response(sock)
            assert status == 400
            assert json.loads(body.decode())["code"] == 1
            assert headers.get("connection", "").lower() == "close"
            assert wait_for_server_close(sock, None, REQUEST_TIMEOUT) >= 0


def test_polling_round_trips_then_an_upgrade_on_one_keep_alive_connection(server):
    # Several polling round trips on one keep-alive connection, then an upgrade on it.
    with socket.create_connection((server.host, server.port), timeout=REQUEST_TIMEOUT) as sock:
        sock.sendall(b"GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        _, _, body = read_http_response(sock)
        sid = assert_valid_open_packet(body.decode(), ["websocket"])["sid"]
        for number in range(3):
            message = f"4m{number}".encode()
            sock.sendall(f"POST /engine.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         f"Content-Length: {len(message)}\r\n\r\n".encode() + message)
            status, _, answer = read_http_response(sock)
            assert (status, answer) == (200, b"ok")
            sock.sendall(f"GET /engine.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            status, _, answer = read_http_response(sock)
            assert (status, answer) == (200, message)
        sock.sendall(upgrade_request(f"/engine.io/?EIO=4&transport=websocket&sid={sid}"))
        status, _, _ = read_http_response(sock)
        assert status == 101
