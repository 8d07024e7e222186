# Shared helpers for the Socket.IO interop tests: the /socket.io/ endpoint, raw Socket.IO frames, servers with Socket.IO flags, event recording.
from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import websocket

from helpers import (
    MAX_PAYLOAD,
    PING_INTERVAL_MS,
    PING_TIMEOUT_MS,
    STARTUP_TIMEOUT,
    WS_TIMEOUT,
    ServerProcess,
    parse_open_packet,
    server_binary,
    wait_server_read_all,
    ws_connect,
    ws_recv,
)

# Node's defaults, for servers whose tests are not about heartbeats or the connect timeout.
QUIET_PING_INTERVAL_MS = 25_000
QUIET_PING_TIMEOUT_MS = 20_000
NODE_CONNECT_TIMEOUT_MS = 45_000
E2E_CONNECT_TIMEOUT_MS = 1_000  # sio-e2e-server's default --connect-timeout

# Engine.IO packet types as they appear in a text frame.
EIO_PING = "2"
EIO_PONG = "3"

# Socket.IO packet types.
CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK = range(7)


# --------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------


class SocketIOEndpoint:
    """A server seen through /socket.io/ instead of /engine.io/. The URL methods of
    ServerProcess are reused on another path, so the polling helpers of helpers.py (poll,
    post, open_polling_session, ...) work on the Socket.IO engine unchanged."""

    ws_url = ServerProcess.ws_url
    polling_url = ServerProcess.polling_url
    websocket_url = ServerProcess.websocket_url

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.base_url = server.base_url

    def url(self, query: str) -> str:
        return f"{self.base_url}/socket.io/?{query}"

    def __str__(self) -> str:
        return f"{self.base_url}/socket.io/"


def start_sio_server(
    *,
    ping_interval: int = PING_INTERVAL_MS,
    ping_timeout: int = PING_TIMEOUT_MS,
    connect_timeout: int | None = None,
    recovery: bool = False,
    max_payload: int = MAX_PAYLOAD,
    extra_args: tuple[str, ...] = (),
) -> ServerProcess:
    """sio-e2e-server with the Socket.IO flags that helpers.start_server does not pass
    (`extra_args` are appended as they are, e.g. the --admin flags)."""
    binary = server_binary()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not binary.is_file():  # the binary may be in the middle of a rebuild
        if time.monotonic() >= deadline:
            raise RuntimeError(f"server binary not found at {binary}; set SIO_E2E_SERVER")
        time.sleep(0.2)
    args = [
        str(binary),
        "--host", "127.0.0.1",
        "--port", "0",
        "--ping-interval", str(ping_interval),
        "--ping-timeout", str(ping_timeout),
        "--max-payload", str(max_payload),
    ]
    if connect_timeout is not None:
        args += ["--connect-timeout", str(connect_timeout)]
    if recovery:
        args.append("--recovery")
    args += extra_args
    server = ServerProcess(args)
    server.wait_listening()
    return server


@contextlib.contextmanager
def sio_server(**options: Any) -> Iterator[ServerProcess]:
    """A dedicated server for a block; it must still be alive at the end, and is then
    stopped with SIGTERM."""
    proc = start_sio_server(**options)
    try:
        yield proc
        code = proc.proc.poll()
        assert code is None, (
            f"sio-e2e-server {proc.base_url} died (exit status {code}); stderr tail:\n"
            f"{proc.stderr_text(4000)}"
        )
    finally:
        proc.stop()


# --------------------------------------------------------------------------------------------
# Socket.IO packet encoding (the default parser), one Engine.IO message frame per packet
# --------------------------------------------------------------------------------------------


def compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def sio_frame(packet_type: int, data: Any = None, nsp: str = "/", ack_id: int | None = None,
              attachments: int = 0) -> str:
    """`4` + `<type>[<attachments>-][<nsp>,][<id>][<json>]`."""
    text = f"4{packet_type}"
    if attachments:
        text += f"{attachments}-"
    if nsp != "/":
        text += f"{nsp},"
    if ack_id is not None:
        text += str(ack_id)
    if data is not None:
        text += compact_json(data)
    return text


_PACKET = re.compile(
    r"^4(?P<type>[0-6])(?:(?P<attachments>\d+)-)?(?:(?P<nsp>/[^,]*),)?(?P<id>\d+)?(?P<data>.*)$",
    re.S,
)


@dataclass
class SioPacket:
    type: int
    nsp: str
    id: int | None
    data: Any
    attachments: int
    raw: str

    @property
    def event(self) -> str | None:
        if self.type in (EVENT, BINARY_EVENT) and isinstance(self.data, list) and self.data:
            return self.data[0]
        return None


def parse_sio(frame: str | bytes) -> SioPacket:
    """A Socket.IO packet from an Engine.IO message frame; fails on anything else."""
    assert isinstance(frame, str), f"expected a Socket.IO text frame, got binary {frame!r}"
    match = _PACKET.match(frame)
    assert match, f"not a Socket.IO packet in an Engine.IO message: {frame!r}"
    body = match.group("data")
    try:
        data = json.loads(body) if body else None
    except ValueError:
        raise AssertionError(f"Socket.IO packet payload is not JSON: {frame!r}") from None
    return SioPacket(
        type=int(match.group("type")),
        nsp=match.group("nsp") or "/",
        id=int(match.group("id")) if match.group("id") else None,
        data=data,
        attachments=int(match.group("attachments") or 0),
        raw=frame,
    )


def split_offset(packet: SioPacket) -> tuple[list, str]:
    """The arguments of an EVENT from a server with connection state recovery, and the
    offset string it must carry as its last argument."""
    assert packet.type == EVENT, f"expected an EVENT, got {packet.raw!r}"
    assert len(packet.data) >= 2, f"event carries no offset: {packet.raw!r}"
    offset = packet.data[-1]
    assert isinstance(offset, str) and offset, f"last argument is not an offset string: {packet.raw!r}"
    return packet.data[:-1], offset


# --------------------------------------------------------------------------------------------
# Raw client: one Engine.IO WebSocket session on /socket.io/, frames sent and read as they are
# --------------------------------------------------------------------------------------------


class RawSocket:
    """A raw WebSocket client of /socket.io/ (websocket-client). `recv` answers the server's
    pings and returns the next other frame; `recv_raw` returns pings too."""

    def __init__(self, server: ServerProcess, timeout: float = WS_TIMEOUT, sid: str | None = None) -> None:
        """A new session, or with `sid` the WebSocket of an upgrade of that polling session
        (see `upgrade`)."""
        self.ws = ws_connect(SocketIOEndpoint(server).websocket_url(sid), timeout)
        self.handshake = parse_open_packet(ws_recv(self.ws, timeout)) if sid is None else {"sid": sid}

    def upgrade(self) -> None:
        """The probe exchange (`2probe` answered by `3probe`), then `5`; returns once the
        server has read it."""
        self.send("2probe")
        answer = self.recv()
        assert answer == "3probe", f"2probe answered with {answer!r}"
        self.send("5")
        wait_server_read_all(self.ws.sock)

    def __enter__(self) -> "RawSocket":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, frame: str | bytes) -> None:
        if isinstance(frame, bytes):
            self.ws.send_binary(frame)
        else:
            self.ws.send(frame)

    def recv_raw(self, timeout: float = WS_TIMEOUT) -> str | bytes:
        return ws_recv(self.ws, timeout)

    def _frames(self, timeout: float) -> Iterator[str | bytes | None]:
        """Data frames other than Engine.IO pings (each answered with a pong) until
        `timeout` runs out; a final None when the server ends the connection."""
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            self.ws.settimeout(remaining)
            try:
                opcode, frame = self.ws.recv_data_frame()
            except websocket.WebSocketTimeoutException:
                return
            except (websocket.WebSocketConnectionClosedException, ConnectionError):
                opcode, frame = websocket.ABNF.OPCODE_CLOSE, None
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                yield None
                return
            data = frame.data.decode("utf-8") if opcode == websocket.ABNF.OPCODE_TEXT else bytes(frame.data)
            if data == EIO_PING:
                self.ws.send(EIO_PONG)
            else:
                yield data

    def recv(self, timeout: float = WS_TIMEOUT) -> str | bytes:
        for frame in self._frames(timeout):
            assert frame is not None, "the server closed the connection"
            return frame
        raise AssertionError(f"no frame other than pings within {timeout}s")

    def recv_packet(self, timeout: float = WS_TIMEOUT) -> SioPacket:
        return parse_sio(self.recv(timeout))

    def connect(self, nsp: str = "/", auth: Any = None) -> dict:
        """CONNECT to `nsp`; returns the data of the server's CONNECT reply (the "auth"
        event that follows is left unread)."""
        self.send(sio_frame(CONNECT, auth, nsp))
        reply = self.recv_packet()
        assert (reply.type, reply.nsp) == (CONNECT, nsp), f"expected CONNECT on {nsp}, got {reply.raw!r}"
        assert isinstance(reply.data, dict), f"CONNECT reply without data: {reply.raw!r}"
        return reply.data

    def wait_closed(self, timeout: float = WS_TIMEOUT) -> list[str | bytes]:
        """Answer pings until the server ends the connection (close frame or dropped TCP);
        returns the data frames that came before."""
        frames: list[str | bytes] = []
        try:
            for frame in self._frames(timeout):
                if frame is None:
                    return frames
                frames.append(frame)
        finally:
            self.ws.shutdown()
        raise AssertionError(f"server did not close the connection within {timeout}s; frames meanwhile: {frames!r}")

    def drop(self) -> None:
        """End the TCP connection abruptly: no DISCONNECT, no Engine.IO close, no close frame."""
        self.ws.shutdown()

    def close(self) -> None:
        if self.ws.connected:
            with contextlib.suppress(websocket.WebSocketException, OSError):
                self.ws.close(timeout=1)
        self.ws.shutdown()


def fence(sock: RawSocket) -> list[SioPacket]:
    """A message/message-back round trip; returns the packets that arrived before the echo.
    Whatever the server wrote to this connection before handling the message comes first."""
    marker = f"fence-{time.monotonic_ns()}"
    sock.send(sio_frame(EVENT, ["message", marker]))
    before: list[SioPacket] = []
    while True:
        packet = sock.recv_packet()
        if packet.event == "message-back" and marker in packet.data:
            return before
        before.append(packet)


# --------------------------------------------------------------------------------------------
# python-socketio AsyncClient: everything it receives, recorded in order
# --------------------------------------------------------------------------------------------


class ConditionWaiter:
    """Bounded waits, in asyncio, for conditions on state that callbacks update (each
    update calls `notify`)."""

    def __init__(self) -> None:
        self._changed = asyncio.Event()

    def notify(self) -> None:
        self._changed.set()

    def describe(self) -> str:
        """What a timeout message shows of the state."""
        return ""

    async def until(self, condition: Callable[[], Any], what: str, timeout: float = WS_TIMEOUT) -> Any:
        """Wait until `condition()` is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}; {self.describe()}")
            self._changed.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)


class EventRecorder(ConditionWaiter):
    """Records every event (on any namespace) and every disconnect an AsyncClient sees."""

    def __init__(self, client: Any) -> None:
        super().__init__()
        self.events: list[tuple[str, str, tuple]] = []  # (namespace, event, args)
        self.disconnects: list[tuple[str, Any]] = []  # (namespace, reason)
        client.on("*", self._on_event, namespace="*")
        client.on("disconnect", self._on_disconnect, namespace="*")

    async def _on_event(self, event: str, namespace: str, *args: Any) -> None:
        self.events.append((namespace, event, args))
        self.notify()

    async def _on_disconnect(self, namespace: str, reason: Any = None) -> None:
        self.disconnects.append((namespace, reason))
        self.notify()

    def describe(self) -> str:
        return f"events: {self.events!r}, disconnects: {self.disconnects!r}"

    def received(self, event: str, namespace: str = "/") -> list[tuple]:
        return [args for ns, name, args in self.events if ns == namespace and name == event]

    async def wait_event(self, event: str, namespace: str = "/", count: int = 1,
                         timeout: float = WS_TIMEOUT) -> list[tuple]:
        """The first `count` arguments tuples of `event` on `namespace`, once that many came."""
        found = await self.until(
            lambda: len(self.received(event, namespace)) >= count and self.received(event, namespace),
            f"{count} x {event!r} on {namespace}", timeout,
        )
        return found[:count]
