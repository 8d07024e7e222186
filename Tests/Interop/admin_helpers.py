# Helpers of the Admin UI protocol tests: sio-e2e-server with --admin flags, python-socketio
# AsyncClients that record everything (an admin client on /admin, application clients on /),
# and the checks of the protocol's shapes.
from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any, AsyncIterator, Callable

import socketio

from helpers import REQUEST_TIMEOUT, WS_TIMEOUT, ServerProcess
from sio_helpers import NODE_CONNECT_TIMEOUT_MS, QUIET_PING_INTERVAL_MS, QUIET_PING_TIMEOUT_MS, EventRecorder, sio_server

# Node's `changeit`, as Node's own admin tests hash it (cost 10).
NODE_PASSWORD = "changeit"
NODE_HASH = "$2b$10$nu1FHRkuxkZkqID.31gz4uQsyERZAn.m4IIruysTsHDODBtrqS5Me"

ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
SESSION_ID = re.compile(r"^[0-9a-f]{16}$")

COMMANDS = ["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT"]
DEVELOPMENT_FEATURES = COMMANDS + ["AGGREGATED_EVENTS", "ALL_EVENTS", "EMIT_WITH_ACK"]
PRODUCTION_FEATURES = COMMANDS + ["AGGREGATED_EVENTS", "EMIT_WITH_ACK"]
READONLY_FEATURES = ["AGGREGATED_EVENTS", "ALL_EVENTS"]

HANDSHAKE_KEYS = {"address", "headers", "query", "issued", "secure", "time", "url", "xdomain"}
STATS_KEYS = {"serverId", "hostname", "pid", "uptime", "clientsCount", "pollingClientsCount",
              "aggregatedEvents", "namespaces"}

# Long enough for several server_stats (every 2 s) on a loaded machine.
STATS_TIMEOUT = 20.0


def admin_server(*flags: str):
    """A dedicated sio-e2e-server with these --admin flags and Node's quiet heartbeats."""
    return sio_server(ping_interval=QUIET_PING_INTERVAL_MS, ping_timeout=QUIET_PING_TIMEOUT_MS,
                      connect_timeout=NODE_CONNECT_TIMEOUT_MS, extra_args=flags)


class RecordedClient:
    """An AsyncClient (no reconnection) on one namespace, recording every event, every
    disconnect and every connect_error."""

    def __init__(self, namespace: str = "/") -> None:
        self.namespace = namespace
        self.sio = socketio.AsyncClient(reconnection=False, request_timeout=REQUEST_TIMEOUT)
        self.log = EventRecorder(self.sio)
        self.connect_errors: list[Any] = []
        # On the catch-all namespace too: a handler on one namespace would hide the
        # recorder's catch-all handlers for that namespace.
        self.sio.on("connect_error", self._on_connect_error, namespace="*")

    async def _on_connect_error(self, namespace: str, data: Any = None) -> None:
        if namespace == self.namespace:
            self.connect_errors.append(data)
            self.log.notify()

    async def connect(self, server: ServerProcess, transports: list[str], auth: dict | None = None) -> "RecordedClient":
        await self.sio.connect(server.base_url, transports=transports, namespaces=[self.namespace],
                               auth=auth, socketio_path="socket.io", wait_timeout=WS_TIMEOUT)
        return self

    @property
    def sid(self) -> str:
        return self.sio.get_sid(self.namespace)

    def received(self, event: str) -> list[tuple]:
        return self.log.received(event, self.namespace)

    async def wait(self, event: str, count: int = 1, timeout: float = WS_TIMEOUT) -> list[tuple]:
        return await self.log.wait_event(event, self.namespace, count, timeout)

    async def wait_for(self, event: str, matches: Callable[[tuple], bool], what: str,
                       timeout: float = WS_TIMEOUT) -> tuple:
        """The first arguments of `event` that `matches` accepts, once one came."""
        def found() -> Any:
            return next((args for args in self.received(event) if matches(args)), None)
        return await self.log.until(found, what, timeout)

    async def emit(self, event: str, *args: Any) -> None:
        await self.sio.emit(event, args, namespace=self.namespace)

    async def call(self, event: str, *args: Any, timeout: float = WS_TIMEOUT) -> Any:
        return await self.sio.call(event, args, namespace=self.namespace, timeout=timeout)

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


class AdminClient(RecordedClient):
    def __init__(self, namespace: str = "/admin") -> None:
        super().__init__(namespace)

    async def next_stats(self, count: int = 1) -> list[dict]:
        """Waits for `count` more server_stats than arrived so far; returns them."""
        before = len(self.received("server_stats"))
        stats = await self.wait("server_stats", before + count, STATS_TIMEOUT)
        return [args[0] for args in stats[before:]]


@contextlib.asynccontextmanager
async def clients(*made: RecordedClient) -> AsyncIterator[None]:
    """Closes every client at the end, whatever happened."""
    try:
        yield
    finally:
        await asyncio.gather(*(client.close() for client in made), return_exceptions=True)


def run(coro) -> Any:
    return asyncio.run(asyncio.wait_for(coro, 90))


def assert_date(value: Any) -> None:
    assert isinstance(value, str) and ISO_DATE.match(value), f"not a JavaScript ISO date: {value!r}"


def assert_serialized_socket(socket: dict, *, sid: str, nsp: str, eio_sid: str, transport: str) -> None:
    """Node's SerializedSocket: exact keys, the client id as the first 12 characters of the
    Engine.IO id, data without the admin's bookkeeping, the handshake without auth."""
    assert set(socket) == {"id", "clientId", "transport", "nsp", "data", "handshake", "rooms"}, socket
    assert socket["id"] == sid, socket
    assert socket["nsp"] == nsp, socket
    assert socket["clientId"] == eio_sid[:12], (socket, eio_sid)
    assert socket["transport"] == transport, socket
    assert socket["data"] == {}, socket
    handshake = socket["handshake"]
    assert set(handshake) == HANDSHAKE_KEYS, handshake
    assert handshake["address"] == "127.0.0.1", handshake
    assert isinstance(handshake["headers"], dict) and handshake["headers"], handshake
    assert handshake["query"].get("EIO") == "4", handshake
    assert isinstance(handshake["issued"], int) and handshake["issued"] > 0, handshake
    assert handshake["secure"] is False and handshake["xdomain"] is False, handshake
    assert handshake["url"].startswith("/socket.io/?"), handshake
    assert isinstance(handshake["time"], str) and handshake["time"], handshake
    assert socket["rooms"] == [sid], socket
