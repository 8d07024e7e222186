# python-socketio's client over https and wss against `sio-e2e-server --tls-cert --tls-key`,
# with a certificate this test makes and the client trusting only it: events, acks and
# binary over polling, websocket and the upgrade; plain HTTP on the TLS port harms no one.
from __future__ import annotations

import socket
import subprocess
from pathlib import Path
from typing import Iterator

import pytest
import requests
import socketio

from helpers import REQUEST_TIMEOUT, WS_TIMEOUT, ServerProcess, server_binary
from sio_helpers import sio_server

TRANSPORT_CASES = [
    pytest.param((["polling"], "polling"), id="polling"),
    pytest.param((["websocket"], "websocket"), id="websocket"),
    pytest.param((["polling", "websocket"], "websocket"), id="upgrade"),
]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key


@pytest.fixture(scope="module")
def tls_server(certificate: tuple[Path, Path]) -> Iterator[ServerProcess]:
    cert, key = certificate
    with sio_server(extra_args=("--tls-cert", str(cert), "--tls-key", str(key))) as server:
        yield server


def trusting_session(cert: Path) -> requests.Session:
    """A requests session that trusts only this test's certificate (python-engineio hands
    it to websocket-client as its CA file too)."""
    session = requests.Session()
    session.verify = str(cert)
    # Otherwise REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE, when set, replace that trust root.
    session.trust_env = False
    return session


@pytest.mark.parametrize("case", TRANSPORT_CASES)
def test_events_acks_and_binary_over_tls(tls_server: ServerProcess, certificate: tuple[Path, Path],
                                         case: tuple[list[str], str]) -> None:
    transports, expected_transport = case
    client = socketio.Client(reconnection=False, request_timeout=REQUEST_TIMEOUT,
                             http_session=trusting_session(certificate[0]))
    try:
        client.connect(f"https://localhost:{tls_server.port}", transports=transports, wait_timeout=WS_TIMEOUT)
        payload = {"text": "über TLS ✓", "bytes": b"\x00\x01\xfe\xff", "n": 42}
        assert client.call("message-with-ack", payload, timeout=REQUEST_TIMEOUT) == payload
        if expected_transport == "websocket":
            # The upgrade happens in the background; an ack after it proves the wss leg.
            attempts = 50
            while client.transport() != "websocket" and attempts > 0:
                assert client.call("message-with-ack", "ping", timeout=REQUEST_TIMEOUT) == "ping"
                attempts -= 1
            assert client.transport() == "websocket"
            assert client.call("message-with-ack", b"after upgrade", timeout=REQUEST_TIMEOUT) == b"after upgrade"
    finally:
        client.disconnect()


def test_a_client_that_does_not_trust_the_certificate_is_refused(tls_server: ServerProcess) -> None:
    client = socketio.Client(reconnection=False, request_timeout=REQUEST_TIMEOUT)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(f"https://localhost:{tls_server.port}", transports=["polling"], wait_timeout=WS_TIMEOUT)


def test_plain_http_on_the_tls_port_is_dropped_and_harms_no_one(tls_server: ServerProcess,
                                                                certificate: tuple[Path, Path]) -> None:
    client = socketio.Client(reconnection=False, request_timeout=REQUEST_TIMEOUT,
                             http_session=trusting_session(certificate[0]))
    client.connect(f"https://localhost:{tls_server.port}", transports=["websocket"], wait_timeout=WS_TIMEOUT)
    try:
        with socket.create_connection(("127.0.0.1", tls_server.port), timeout=REQUEST_TIMEOUT) as raw:
            raw.sendall(b"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost\r\n\r\n")
            received = b""
            while chunk := raw.recv(4096):
                received += chunk
        assert not received.startswith(b"HTTP/"), received[:80]
        assert client.call("message-with-ack", "still here", timeout=REQUEST_TIMEOUT) == "still here"
    finally:
        client.disconnect()


def test_a_certificate_without_its_key_or_an_unusable_key_is_refused_at_start(certificate: tuple[Path, Path]) -> None:
    cert, _ = certificate
    for argv, said in ((["--tls-cert", str(cert)], "--tls-cert and --tls-key go together"),
                       (["--tls-cert", str(cert), "--tls-key", str(cert)], str(cert))):
        result = subprocess.run([str(server_binary()), "--port", "0", *argv], stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=REQUEST_TIMEOUT * 6)
        assert result.returncode == 2, result
        assert said in result.stderr.decode(), result.stderr
