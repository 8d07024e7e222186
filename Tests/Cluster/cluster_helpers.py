# Helpers for the multi-node cluster suite: sio-e2e-server nodes on one PostgreSQL, and
# python-socketio clients that record what they receive and wait for it with a bound.
from __future__ import annotations

import contextlib
import itertools
import os
import shlex
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import engineio
import socketio

INTEROP_DIR = Path(__file__).resolve().parents[1] / "Interop"
if str(INTEROP_DIR) not in sys.path:
    sys.path.insert(0, str(INTEROP_DIR))

from helpers import STARTUP_TIMEOUT, ServerProcess, server_binary  # noqa: E402

# Bounds (seconds) for every wait; generous, since the machine may be loaded. Each one only
# ends a wait that failed: a passing test never waits for one to run out.
CALL_TIMEOUT = 30.0        # an event's ack from the server (cluster requests included)
DELIVERY_TIMEOUT = 30.0    # a broadcast reaching clients on other nodes
CLUSTER_FORM_TIMEOUT = 60.0
CONNECT_TIMEOUT = 30.0

# Quiet engine heartbeats: these tests are about the cluster, not the engine's pings.
PING_INTERVAL_MS = 25_000
PING_TIMEOUT_MS = 20_000
SIO_CONNECT_TIMEOUT_MS = 45_000

POSTGRES_URL_VARIABLE = "SIO_TEST_POSTGRES_URL"

_names = itertools.count(1)


def unique(prefix: str) -> str:
    """A name no other test uses (rooms, tokens), so leftovers never match."""
    return f"{prefix}-{next(_names)}-{uuid.uuid4().hex[:6]}"


def postgres_url() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        raise RuntimeError(
            f"{POSTGRES_URL_VARIABLE} is not set: the cluster suite needs the throw-away PostgreSQL "
            "that scripts/with-postgres.sh starts; run it as\n"
            "  scripts/with-postgres.sh .venv/bin/python -m pytest -q -p no:cacheprovider Tests/Cluster"
        )
    return url


def wait_until(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.05) -> Any:
    """Polls `condition` until it returns something truthy (returned), failing after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


# --------------------------------------------------------------------------------------------
# Nodes
# --------------------------------------------------------------------------------------------


@dataclass
class Node:
    """One sio-e2e-server of the cluster."""

    name: str
    proc: ServerProcess
    transports: list[str]
    killed: bool = False

    @property
    def url(self) -> str:
        return self.proc.base_url

    @property
    def pid(self) -> int:
        return self.proc.proc.pid

    def alive(self) -> bool:
        return self.proc.proc.poll() is None

    def __str__(self) -> str:
        return f"node {self.name} ({self.url}, pid {self.pid})"


def node_arguments(url: str, transports: list[str], heartbeat_interval_ms: int | None,
                   heartbeat_timeout_ms: int | None, requests_timeout_ms: int | None) -> list[str]:
    args = [
        str(server_binary()),
        "--host", "127.0.0.1",
        "--port", "0",
        "--ping-interval", str(PING_INTERVAL_MS),
        "--ping-timeout", str(PING_TIMEOUT_MS),
        "--connect-timeout", str(SIO_CONNECT_TIMEOUT_MS),
        "--transports", ",".join(transports),
        "--adapter", url,
    ]
    for flag, value in (("--heartbeat-interval", heartbeat_interval_ms),
                        ("--heartbeat-timeout", heartbeat_timeout_ms),
                        ("--requests-timeout", requests_timeout_ms)):
        if value is not None:
            args += [flag, str(value)]
    return args


def start_nodes(transports: list[list[str]], *, heartbeat_interval_ms: int | None = None,
                heartbeat_timeout_ms: int | None = None, requests_timeout_ms: int | None = None,
                extra_args: tuple[str, ...] = ()) -> list[Node]:
    """Starts one node per entry of `transports` (the transports each offers), all at once,
    and waits until each listens. Does not wait for the cluster to form. `extra_args` go to
    every node as they are (e.g. --admin)."""
    binary = server_binary()
    if not binary.is_file():
        raise RuntimeError(f"server binary not found at {binary}; run `swift build` or set SIO_E2E_SERVER")
    url = postgres_url()
    procs = [
        ServerProcess(node_arguments(url, offered, heartbeat_interval_ms, heartbeat_timeout_ms, requests_timeout_ms)
                      + list(extra_args))
        for offered in transports
    ]
    try:
        for proc in procs:
            proc.wait_listening(STARTUP_TIMEOUT)
    except BaseException:
        for proc in procs:
            proc.kill()
        raise
    return [Node(chr(ord("A") + index), proc, offered) for index, (proc, offered) in enumerate(zip(procs, transports))]


def stop_nodes(nodes: list[Node]) -> list[str]:
    """Stops every node still running; returns a complaint for each that died on its own."""
    complaints = []
    for node in nodes:
        if node.killed:
            node.proc.kill()
            continue
        if not node.alive():
            complaints.append(
                f"{node} died during the test (exit status {node.proc.proc.returncode}); stderr:\n"
                f"{node.proc.stderr_text(4000)}"
            )
            node.proc.kill()
            continue
        try:
            node.proc.stop()
        except RuntimeError as error:
            complaints.append(str(error))
    return complaints


@contextlib.contextmanager
def formed_cluster(transports: list[list[str]], **start_options: Any) -> Iterator[list[Node]]:
    """Nodes started as `start_nodes` does, once every one counts them all; stopped at the end,
    failing if one died on its own."""
    nodes = start_nodes(transports, **start_options)
    probes = PeerSet()
    try:
        wait_server_count([probes.open(node, f"probe-{node.name}") for node in nodes], len(nodes))
        probes.close_all()
        yield nodes
    finally:
        probes.close_all()
        complaints = stop_nodes(nodes)
    assert not complaints, "\n".join(complaints)


# --------------------------------------------------------------------------------------------
# Clients
# --------------------------------------------------------------------------------------------


class _InlineEngineClient(engineio.Client):
    """python-engineio runs each 'message' handler on a thread of its own, which can reorder
    messages; run them on the reading thread so a peer records events in wire order (the
    "nobody else got it" checks rely on a later fence message arriving last)."""

    def _trigger_event(self, event, *args, **kwargs):
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class _OrderedClient(socketio.Client):
    def _engineio_client_class(self):
        return _InlineEngineClient

    def _handle_disconnect(self, namespace):
        # A server DISCONNECT ends with eio.disconnect(), which joins the reading thread: it
        # must not run on that thread.
        self.start_background_task(super()._handle_disconnect, namespace)


@dataclass
class Received:
    event: str
    args: list[Any]


class Peer:
    """A python-socketio client on one node that records every event and disconnect."""

    def __init__(self, node: Node, name: str, *, transports: list[str] | None = None,
                 auth: dict | None = None, headers: dict | None = None, query: str | None = None,
                 reply: Callable[["Peer", list[Any]], Any] | None = None) -> None:
        self.node = node
        self.name = name
        self.transports = transports or node.transports
        self._condition = threading.Condition()
        self._events: list[Received] = []
        self.disconnects: list[Any] = []
        self._reply = reply or (lambda peer, args: {"peer": peer.name, "args": args})
        self.client = _OrderedClient(reconnection=False, request_timeout=CALL_TIMEOUT)
        self.client.on("*", self._on_any)
        self.client.on("question", self._on_question)
        self.client.on("disconnect", self._on_disconnect)
        url = node.url + (f"?{query}" if query else "")
        self.client.connect(url, headers=headers or {}, auth=auth, transports=self.transports,
                            wait_timeout=CONNECT_TIMEOUT)
        self.sid: str = self.client.get_sid("/")
        assert self.sid, f"{self} connected without a socket id"

    def __str__(self) -> str:
        return f"peer {self.name} on node {self.node.name}"

    __repr__ = __str__

    # Recording ---------------------------------------------------------------------------------

    def _record(self, received: Received) -> None:
        with self._condition:
            self._events.append(received)
            self._condition.notify_all()

    def _on_any(self, event: str, *args: Any) -> None:
        self._record(Received(event, list(args)))

    def _on_question(self, *args: Any) -> Any:
        self._record(Received("question", list(args)))
        return self._reply(self, list(args))

    def _on_disconnect(self, reason: Any = None) -> None:
        with self._condition:
            self.disconnects.append(reason)
            self._condition.notify_all()

    def events(self, event: str) -> list[list[Any]]:
        with self._condition:
            return [r.args for r in self._events if r.event == event]

    def count(self, event: str, first_argument: Any) -> int:
        """How many `event`s arrived whose first argument is `first_argument`."""
        return sum(1 for args in self.events(event) if args and args[0] == first_argument)

    def wait_event(self, event: str, first_argument: Any, timeout: float = DELIVERY_TIMEOUT) -> list[Any]:
        """The arguments of the first `event` whose first argument is `first_argument`."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                for received in self._events:
                    if received.event == event and received.args and received.args[0] == first_argument:
                        return received.args
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(r.event, _short(r.args)) for r in self._events[-10:]]
                    raise AssertionError(
                        f"{self} got no {event!r} with {_short(first_argument)} within {timeout}s; last events: {seen}"
                    )
                self._condition.wait(remaining)

    def wait_disconnected(self, timeout: float = DELIVERY_TIMEOUT) -> Any:
        deadline = time.monotonic() + timeout
        with self._condition:
            while not self.disconnects:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{self} was not disconnected within {timeout}s")
                self._condition.wait(remaining)
            return self.disconnects[0]

    # Talking to the server -------------------------------------------------------------------

    def call(self, event: str, *args: Any, timeout: float = CALL_TIMEOUT) -> Any:
        """Emits `event` with `args` and returns the server's ack (its only argument, a tuple
        of several, or None)."""
        try:
            return self.client.call(event, tuple(args) if args else None, timeout=timeout)
        except socketio.exceptions.TimeoutError:
            raise AssertionError(f"{self}: no ack for {event!r} within {timeout}s") from None

    def call_async(self, event: str, *args: Any) -> "PendingAck":
        pending = PendingAck(self, event)
        self.client.emit(event, tuple(args) if args else None, callback=pending._resolve)
        return pending

    def join(self, *rooms: str) -> None:
        for room in rooms:
            assert self.call("join", room) == room

    def connected(self) -> bool:
        return self.client.connected and not self.disconnects

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()
        self.client.shutdown()


class PendingAck:
    """An emitted event whose ack is awaited later."""

    def __init__(self, peer: Peer, event: str) -> None:
        self.peer = peer
        self.event = event
        self._done = threading.Event()
        self._value: Any = None

    def _resolve(self, *args: Any) -> None:
        self._value = args[0] if len(args) == 1 else (args or None)
        self._done.set()

    def result(self, timeout: float = CALL_TIMEOUT) -> Any:
        if not self._done.wait(timeout):
            raise AssertionError(f"{self.peer}: no ack for {self.event!r} within {timeout}s")
        return self._value


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class PeerSet:
    """The peers a test opened; all closed at its end."""

    peers: list[Peer] = field(default_factory=list)

    def open(self, node: Node, name: str, **options: Any) -> Peer:
        peer = Peer(node, name, **options)
        self.peers.append(peer)
        return peer

    def close_all(self) -> None:
        for peer in self.peers:
            try:
                peer.close()
            except Exception:  # a peer of a killed node may already be half gone
                pass
        self.peers.clear()


# --------------------------------------------------------------------------------------------
# Cluster-level checks
# --------------------------------------------------------------------------------------------


def server_count(peer: Peer) -> int:
    return peer.call("server-count")


def wait_server_count(peers: list[Peer], expected: int, timeout: float = CLUSTER_FORM_TIMEOUT) -> None:
    """Every peer's node must count `expected` servers (bounded polling)."""
    for peer in peers:
        last: list[int] = []

        def settled() -> bool:
            last[:] = [server_count(peer)]
            return last[0] == expected

        try:
            wait_until(settled, timeout, f"{peer.node} to count {expected} servers", interval=0.1)
        except AssertionError as error:
            raise AssertionError(f"{error} (last count {last})") from None


def fetch_sockets(peer: Peer, room: str | None = None) -> list[dict]:
    result = peer.call("fetch-sockets", room) if room is not None else peer.call("fetch-sockets")
    assert isinstance(result, list), f"fetch-sockets from {peer.node} failed: {result!r}"
    return result


def fetched_ids(peer: Peer, room: str | None = None) -> set[str]:
    return {socket["id"] for socket in fetch_sockets(peer, room)}


def wait_fetched_ids(peer: Peer, room: str | None, expected: set[str], timeout: float = DELIVERY_TIMEOUT) -> None:
    last: list[set[str]] = [set()]

    def matches() -> bool:
        last[0] = fetched_ids(peer, room)
        return last[0] == expected

    try:
        wait_until(matches, timeout, f"fetch-sockets({room!r}) from {peer.node} to match", interval=0.1)
    except AssertionError as error:
        raise AssertionError(f"{error}: expected {sorted(expected)}, last {sorted(last[0])}") from None


NOBODY = "__room-without-members__"


def fence(sender: Peer, peers: list[Peer]) -> None:
    """A broadcast to everyone sent after the messages under test: once every peer has it,
    anything sent before it by `sender`'s node has arrived wherever it was going to (one
    node publishes in order, PostgreSQL notifies in order, each client reads in order)."""
    token = {"fence": unique("fence")}
    assert sender.call("broadcast-except", NOBODY, token) is None
    for peer in peers:
        peer.wait_event("broadcast", token)


def assert_broadcast_reached(sender: Peer, token: Any, members: list[Peer], everyone: list[Peer]) -> None:
    """`token` (a broadcast's first argument) must reach each of `members` exactly once and
    nobody else among `everyone`."""
    for member in members:
        member.wait_event("broadcast", token)
    fence(sender, everyone)
    counts = {peer.name: peer.count("broadcast", token) for peer in everyone}
    expected = {peer.name: (1 if peer in members else 0) for peer in everyone}
    assert counts == expected, f"broadcast {_short(token)}: deliveries {counts}, expected {expected}"


# --------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------


def restart_postgres(timeout: float = 90.0) -> None:
    """`pg_ctl restart -m fast` on the suite's cluster, with the options with-postgres.sh
    started it with."""
    url = postgres_url()
    data = os.environ.get("SIO_TEST_POSTGRES_DATA")
    pg_ctl = os.environ.get("SIO_TEST_PG_CTL")
    assert data and pg_ctl, "SIO_TEST_POSTGRES_DATA and SIO_TEST_PG_CTL must be set (scripts/with-postgres.sh)"
    port = url.rsplit(":", 1)[1].split("/", 1)[0]
    folder = str(Path(data).parent)
    command = shlex.split(pg_ctl) + [
        "-D", data, "-l", f"{folder}/log", "-m", "fast", "-w", "-t", "60",
        "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {folder}",
        "restart",
    ]
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"pg_ctl restart failed ({result.returncode}): {result.stdout}\n{result.stderr}"
