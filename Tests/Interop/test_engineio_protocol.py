# Port of the official engine.io-protocol v4 test suite (handshake, message, heartbeat, close, upgrade) against sio-e2e-server.
# The handshake, heartbeat and close cases also run on /socket.io/, as the official
# socket.io-protocol suite runs them there too (fixture `endpoint`).
from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest

from helpers import (
    PING_INTERVAL_MS,
    PING_TIMEOUT_MS,
    WS_TIMEOUT,
    PendingRequest,
    assert_poll,
    assert_post_ok,
    assert_post_rejected,
    assert_status,
    assert_ws_refused,
    check_open_packet,
    http_request,
    open_polling_session,
    parse_open_packet,
    poll,
    post,
    wait_server_read_all,
    wait_ws_closed,
    ws_connect,
    ws_open_session,
    ws_recv,
    ws_recv_message,
)
from sio_helpers import SocketIOEndpoint


@pytest.fixture(params=["engine.io", "socket.io"])
def endpoint(request, server):
    """The e2e server's plain engine (/engine.io/), then its Socket.IO one (/socket.io/)."""
    return server if request.param == "engine.io" else SocketIOEndpoint(server)


def upgrade_and_confirm(server, sid: str):
    """WebSocket with the sid, probe exchange, then the upgrade packet."""
    ws = ws_connect(server.websocket_url(sid))
    ws.send("2probe")
    assert ws_recv(ws) == "3probe", "probe was not answered with 3probe"
    ws.send("5")
    wait_server_read_all(ws.sock)
    return ws


# ---------------------------------------------------------------------------------------------
# handshake
# ---------------------------------------------------------------------------------------------


def test_handshake_polling_successfully_opens_a_session(endpoint):
    response = http_request("GET", endpoint.polling_url())
    assert_status(response, 200)
    check_open_packet(parse_open_packet(response.text), ["websocket"], strict_sid=False)


def test_handshake_polling_fails_with_an_invalid_eio_query_parameter(endpoint):
    assert_status(http_request("GET", endpoint.url("transport=polling")), 400)
    assert_status(http_request("GET", endpoint.url("EIO=abc&transport=polling")), 400)


def test_handshake_polling_fails_with_an_invalid_transport_query_parameter(endpoint):
    assert_status(http_request("GET", endpoint.url("EIO=4")), 400)
    assert_status(http_request("GET", endpoint.url("EIO=4&transport=abc")), 400)


def test_handshake_polling_fails_with_an_invalid_request_method(endpoint):
    assert_status(http_request("POST", endpoint.polling_url()), 400)
    assert_status(http_request("PUT", endpoint.polling_url()), 400)


def test_handshake_websocket_successfully_opens_a_session(endpoint):
    ws, value = ws_open_session(endpoint)
    try:
        check_open_packet(value, [], strict_sid=False)
    finally:
        ws.close()


def test_handshake_websocket_fails_with_an_invalid_eio_query_parameter(endpoint):
    assert_ws_refused(endpoint.ws_url("transport=websocket"))
    assert_ws_refused(endpoint.ws_url("EIO=abc&transport=websocket"))


def test_handshake_websocket_fails_with_an_invalid_transport_query_parameter(endpoint):
    assert_ws_refused(endpoint.ws_url("EIO=4"))
    assert_ws_refused(endpoint.ws_url("EIO=4&transport=abc"))


# ---------------------------------------------------------------------------------------------
# message
# ---------------------------------------------------------------------------------------------


def test_message_polling_one_plain_text_packet(server):
    sid = open_polling_session(server)
    assert_post_ok(server, sid, "4hello")
    assert_poll(server, sid, "4hello")


def test_message_polling_several_plain_text_packets(server):
    sid = open_polling_session(server)
    assert_post_ok(server, sid, "4test1\x1e4test2\x1e4test3")
    assert_poll(server, sid, "4test1\x1e4test2\x1e4test3")


def test_message_polling_plain_text_and_binary_packets(server):
    sid = open_polling_session(server)
    assert_post_ok(server, sid, "4hello\x1ebAQIDBA==")
    assert_poll(server, sid, "4hello\x1ebAQIDBA==")


def test_message_polling_closes_the_session_upon_invalid_packet_format(server):
    sid = open_polling_session(server)
    assert_post_rejected(server, sid, "abc")
    assert_status(poll(server, sid), 400)


def test_message_polling_closes_the_session_upon_duplicate_poll_requests(server):
    sid = open_polling_session(server)
    first = PendingRequest("GET", server.polling_url(sid))
    first.wait_read_by_server()  # read and handled: the second poll comes after it
    second = http_request("GET", server.polling_url(sid) + "&t=burst")
    status, body = first.response()
    assert status == 200, f"first poll: expected 200, got {status} {body!r}"
    assert body == "1", f"first poll should be released with a close packet, got {body!r}"
    assert_status(second, 400)
    assert_status(poll(server, sid), 400)


def test_message_polling_closes_the_session_upon_cancelled_polling_request(server):
    sid = open_polling_session(server)
    parts = urlsplit(server.polling_url(sid))
    with socket.create_connection((parts.hostname, parts.port), timeout=WS_TIMEOUT) as raw:
        raw.sendall(
            f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode("ascii")
        )
        wait_server_read_all(raw)  # the poll is pending when its connection goes away
    assert_status(poll(server, sid), 400)


def test_message_websocket_plain_text_packet(server):
    ws, _ = ws_open_session(server)
    try:
        ws.send("4hello")
        assert ws_recv_message(ws) == "4hello"
    finally:
        ws.close()


def test_message_websocket_binary_packet(server):
    ws, _ = ws_open_session(server)
    try:
        ws.send_binary(bytes([1, 2, 3, 4]))
        data = ws_recv_message(ws)
        assert isinstance(data, bytes), f"binary echo must be a binary frame, got {data!r}"
        assert data == bytes([1, 2, 3, 4])
    finally:
        ws.close()


def test_message_websocket_closes_the_session_upon_invalid_packet_format(server):
    ws, _ = ws_open_session(server)
    ws.send("abc")
    wait_ws_closed(ws)


# ---------------------------------------------------------------------------------------------
# heartbeat
# ---------------------------------------------------------------------------------------------


def test_heartbeat_polling_sends_ping_pong_packets(endpoint):
    sid = open_polling_session(endpoint)
    for _ in range(3):
        assert_poll(endpoint, sid, "2")
        assert_status(post(endpoint, sid, "3"), 200)


def test_heartbeat_polling_closes_the_session_upon_ping_timeout(endpoint):
    sid = open_polling_session(endpoint)
    # The stimulus: the client stays silent for pingInterval + pingTimeout.
    time.sleep((PING_INTERVAL_MS + PING_TIMEOUT_MS + 10) / 1000)
    # Then the session must be gone. A poll still answered (with the buffered ping) only
    # means the close has not happened yet: poll again, within a bound.
    deadline = time.monotonic() + WS_TIMEOUT
    while (response := poll(endpoint, sid)).status_code != 400:
        assert response.status_code == 200, f"unexpected poll answer {response.status_code} {response.text!r}"
        assert time.monotonic() < deadline, f"session {sid} still open {WS_TIMEOUT}s after the ping timeout"


def test_heartbeat_websocket_sends_ping_pong_packets(endpoint):
    ws, _ = ws_open_session(endpoint)
    try:
        for i in range(3):
            assert ws_recv(ws) == "2", f"expected ping #{i + 1}"
            ws.send("3")
    finally:
        ws.close()


def test_heartbeat_websocket_closes_the_session_upon_ping_timeout(endpoint):
    ws = ws_connect(endpoint.websocket_url())
    wait_ws_closed(ws, timeout=(PING_INTERVAL_MS + PING_TIMEOUT_MS) / 1000 + WS_TIMEOUT)


# ---------------------------------------------------------------------------------------------
# close
# ---------------------------------------------------------------------------------------------


def test_close_polling_forcefully_closes_the_session(endpoint):
    sid = open_polling_session(endpoint)
    pending = PendingRequest("GET", endpoint.polling_url(sid))
    pending.wait_read_by_server()
    post(endpoint, sid, "1")
    status, body = pending.response()
    assert status == 200, f"pending poll: expected 200, got {status} {body!r}"
    assert body == "6", f"pending poll should be released with a noop packet, got {body!r}"
    assert_status(poll(endpoint, sid), 400)


def test_close_websocket_forcefully_closes_the_session(endpoint):
    ws, _ = ws_open_session(endpoint)
    ws.send("1")
    wait_ws_closed(ws)


# ---------------------------------------------------------------------------------------------
# upgrade
# ---------------------------------------------------------------------------------------------


def test_upgrade_successfully_upgrades_from_polling_to_websocket(server):
    sid = open_polling_session(server)
    ws = ws_connect(server.websocket_url(sid))
    try:
        ws.send("2probe")
        assert ws_recv(ws) == "3probe"
        assert_poll(server, sid, "6")
        ws.send("5")
        ws.send("4hello")
        assert ws_recv_message(ws) == "4hello"
    finally:
        ws.close()


def test_upgrade_ignores_http_requests_with_same_sid_after_upgrade(server):
    sid = open_polling_session(server)
    ws = upgrade_and_confirm(server, sid)
    try:
        assert_status(poll(server, sid), 400)
        ws.send("4hello")
        assert ws_recv_message(ws) == "4hello"
    finally:
        ws.close()


def test_upgrade_ignores_websocket_connection_with_same_sid_after_upgrade(server):
    sid = open_polling_session(server)
    ws = upgrade_and_confirm(server, sid)
    try:
        assert_ws_refused(server.websocket_url(sid))
        ws.send("4hello")
        assert ws_recv_message(ws) == "4hello"
    finally:
        ws.close()
