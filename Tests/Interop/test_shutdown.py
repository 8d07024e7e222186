# SIGTERM and SIGINT shut sio-e2e-server down gracefully (swift-service-lifecycle's
# ServiceGroup): connected clients are disconnected, nothing new is accepted, exit status 0.
from __future__ import annotations

import signal
import threading

import pytest
import requests
import socketio

from helpers import REQUEST_TIMEOUT, WS_TIMEOUT
from sio_helpers import start_sio_server


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("transports", [["polling"], ["websocket"]], ids=["polling", "websocket"])
def test_a_signal_disconnects_every_client_and_exits_cleanly(sig: int, transports: list[str]) -> None:
    server = start_sio_server()
    try:
        client = socketio.Client(reconnection=False, request_timeout=REQUEST_TIMEOUT)
        gone = threading.Event()
        client.on("disconnect", lambda *reason: gone.set())
        client.connect(server.base_url, transports=transports, wait_timeout=WS_TIMEOUT)
        assert client.call("message-with-ack", "before", timeout=REQUEST_TIMEOUT) == "before"
        base_url = server.base_url
    finally:
        status = server.stop(sig)
    assert status == 0
    assert gone.wait(WS_TIMEOUT), "the client was not disconnected"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base_url}/socket.io/?EIO=4&transport=polling", timeout=REQUEST_TIMEOUT)
