# `sio-e2e-server --metrics-port 0`: the server's figures in Prometheus's text format at
# /metrics, moved by real python-socketio clients: engine connections open and in total,
# sockets per namespace, packets and bytes each way, closes and disconnects by reason.
from __future__ import annotations

import re
import time

import requests
import socketio

from helpers import REQUEST_TIMEOUT, WS_TIMEOUT, ServerProcess
from sio_helpers import sio_server

SAMPLE = re.compile(r'^(?P<name>[a-z_]+)(?:\{(?P<labels>[^}]*)\})? (?P<value>[0-9.e+-]+)$')


def metrics_url(server: ServerProcess) -> str:
    line = server._lines.get(timeout=REQUEST_TIMEOUT)
    assert line is not None and line.startswith("metrics on "), line
    return f"http://{line.split()[-1]}/metrics"


def scrape(url: str) -> dict[tuple[str, frozenset], float]:
    response = requests.get(url, timeout=REQUEST_TIMEOUT)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    samples = {}
    for line in response.text.splitlines():
        match = SAMPLE.match(line)
        if match:
            labels = frozenset(re.findall(r'(\w+)="([^"]*)"', match["labels"] or ""))
            samples[(match["name"], labels)] = float(match["value"])
    return samples


def wait_for(url: str, predicate, what: str, timeout: float = WS_TIMEOUT) -> dict:
    """Scrapes until `predicate` holds (the counts move on the server's loops, just after
    the client saw its own side)."""
    deadline = time.monotonic() + timeout
    samples = {}
    while time.monotonic() < deadline:
        samples = scrape(url)
        if predicate(samples):
            return samples
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}; last scrape: {samples}")


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_follow_clients_connecting_talking_and_leaving() -> None:
    with sio_server(extra_args=("--metrics-port", "0")) as server:
        url = metrics_url(server)
        before = scrape(url)
        assert value(before, "socketio_engine_connections") == 0

        clients = []
        for transports in (["polling"], ["websocket"]):
            client = socketio.Client(reconnection=False, request_timeout=REQUEST_TIMEOUT)
            client.connect(server.base_url, transports=transports, namespaces=["/", "/custom"], wait_timeout=WS_TIMEOUT)
            clients.append(client)
        for client in clients:
            assert client.call("message-with-ack", "x" * 1000, timeout=REQUEST_TIMEOUT) == "x" * 1000

        during = wait_for(url, lambda s: value(s, "socketio_sockets", namespace="/custom") == 2
                          and value(s, "socketio_engine_connections") == 2, "two clients on / and /custom")
        assert value(during, "socketio_sockets", namespace="/") == 2
        assert value(during, "socketio_engine_connections_total") == 2
        assert value(during, "socketio_engine_packets_total", direction="in") >= 6  # connects and the calls
        assert value(during, "socketio_engine_packets_total", direction="out") >= 6
        assert value(during, "socketio_engine_bytes_total", direction="in") > 2000
        assert value(during, "socketio_engine_bytes_total", direction="out") > 2000

        for client in clients:
            client.disconnect()
        after = wait_for(url, lambda s: value(s, "socketio_engine_connections") == 0
                         and value(s, "socketio_sockets", namespace="/") == 0, "both clients gone")
        # python-socketio leaves each namespace then closes: the reason depends on which the
        # server reads first; the count per namespace does not.
        for namespace in ("/", "/custom"):
            left = sum(v for (name, labels), v in after.items()
                       if name == "socketio_socket_disconnects_total" and ("namespace", namespace) in labels)
            assert left == 2, (namespace, after)
        assert sum(v for (name, _), v in after.items() if name == "socketio_engine_closes_total") == 2
        assert value(after, "socketio_sockets", namespace="/custom") == 0


def test_other_paths_of_the_metrics_port_are_not_found() -> None:
    with sio_server(extra_args=("--metrics-port", "0")) as server:
        url = metrics_url(server)
        assert requests.get(url.replace("/metrics", "/other"), timeout=REQUEST_TIMEOUT).status_code == 404
