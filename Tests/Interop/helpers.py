# Shared helpers for the Engine.IO interop tests: server process control, raw HTTP/WebSocket clients, packet checks.
from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import multiprocessing
import os
import queue
import re
import resource
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import engineio
import requests
import websocket

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO_ROOT / ".build" / "debug" / "sio-e2e-server"

PING_INTERVAL_MS = 300
PING_TIMEOUT_MS = 200
MAX_PAYLOAD = 1_000_000

# Bounds for every wait in the suite (seconds). Each one only ends a wait that failed: a
# passing test never waits for one to run out, so they are generous, for a loaded machine.
STARTUP_TIMEOUT = 60.0
SHUTDOWN_TIMEOUT = 30.0
REQUEST_TIMEOUT = 30.0
WS_TIMEOUT = 30.0

SID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20}$")
OPEN_PACKET_KEYS = {"sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"}
LISTENING_PATTERN = re.compile(r"^listening on (?P<host>[^:\s]+):(?P<port>\d+)$")

# Servers currently running, so a failing test can show their stderr.
RUNNING: "set[ServerProcess]" = set()


# --------------------------------------------------------------------------------------------
# Server process
# --------------------------------------------------------------------------------------------


def server_binary() -> Path:
    return Path(os.environ.get("SIO_E2E_SERVER", str(DEFAULT_BINARY)))


class ServerProcess:
    """A running `sio-e2e-server` child process listening on an ephemeral port."""

    def __init__(self, args: list[str]):
        self.args = args
        self.base_url = ""
        self.host = ""
        self.port = 0
        self._stderr = tempfile.TemporaryFile()
        self._lines: "queue.Queue[str | None]" = queue.Queue()
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        # Keep draining stdout so the server never blocks on a full pipe.
        self._reader = threading.Thread(target=self._drain_stdout, daemon=True)
        self._reader.start()
        RUNNING.add(self)

    def _drain_stdout(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self._lines.put(raw.decode("utf-8", "replace").rstrip("\r\n"))
        self._lines.put(None)

    def stderr_text(self, limit: int | None = None) -> str:
        """The server's stderr; past `limit` characters, its head and tail (a crash's reason
        comes first, its backtrace after)."""
        if self._stderr.closed:
            return ""
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace")
        if limit is None or len(text) <= limit:
            return text
        return f"{text[: limit // 2]}\n[... {len(text) - limit} characters cut ...]\n{text[-limit // 2:]}"

    def wait_listening(self, timeout: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._fail_startup(f"no 'listening on' line within {timeout}s", seen)
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                self.proc.wait(timeout=SHUTDOWN_TIMEOUT)
                self._fail_startup(f"server exited with status {self.proc.returncode}", seen)
            seen.append(line)
            match = LISTENING_PATTERN.match(line)
            if match:
                self.host = match.group("host")
                self.port = int(match.group("port"))
                assert self.port > 0, f"server announced port 0: {line!r}"
                self.base_url = f"http://{self.host}:{self.port}"
                return

    def _fail_startup(self, why: str, seen: list[str]) -> None:
        self.kill()
        raise RuntimeError(
            f"sio-e2e-server failed to start ({why}).\n"
            f"command: {' '.join(self.args)}\n"
            f"stdout lines: {seen!r}\n"
            f"stderr:\n{self.stderr_text()}"
        )

    def kill(self) -> None:
        RUNNING.discard(self)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=SHUTDOWN_TIMEOUT)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Stop with `sig`; kill after a bound. Raises if the server ignored the signal."""
        RUNNING.discard(self)
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=SHUTDOWN_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
                raise RuntimeError(
                    f"sio-e2e-server did not exit within {SHUTDOWN_TIMEOUT}s of signal {sig}; killed it.\n"
                    f"stderr:\n{self.stderr_text()}"
                )
        self._stderr.close()
        return self.proc.returncode

    # URL helpers -----------------------------------------------------------------------------

    def url(self, query: str) -> str:
        return f"{self.base_url}/engine.io/?{query}"

    def ws_url(self, query: str) -> str:
        return "ws" + self.url(query)[len("http"):]

    def polling_url(self, sid: str | None = None, eio: str = "4") -> str:
        query = f"EIO={eio}&transport=polling"
        if sid is not None:
            query += f"&sid={sid}"
        return self.url(query)

    def websocket_url(self, sid: str | None = None, eio: str = "4") -> str:
        query = f"EIO={eio}&transport=websocket"
        if sid is not None:
            query += f"&sid={sid}"
        return self.ws_url(query)

    def __str__(self) -> str:
        return self.base_url


def start_server(
    ping_interval: int = PING_INTERVAL_MS,
    ping_timeout: int = PING_TIMEOUT_MS,
    max_payload: int = MAX_PAYLOAD,
    header_timeout: int | None = None,
) -> ServerProcess:
    binary = server_binary()
    if not binary.is_file():
        raise RuntimeError(
            f"server binary not found at {binary}; run `swift build` or set SIO_E2E_SERVER"
        )
    args = [
        str(binary),
        "--host", "127.0.0.1",
        "--port", "0",
        "--ping-interval", str(ping_interval),
        "--ping-timeout", str(ping_timeout),
        "--max-payload", str(max_payload),
    ]
    if header_timeout is not None:
        args += ["--header-timeout", str(header_timeout)]
    server = ServerProcess(args)
    server.wait_listening()
    return server


# --------------------------------------------------------------------------------------------
# HTTP long-polling
# --------------------------------------------------------------------------------------------


def http_request(method: str, url: str, body: str | bytes | None = None,
                 timeout: float = REQUEST_TIMEOUT) -> requests.Response:
    """One request on a fresh connection, with a bounded timeout."""
    return requests.request(method, url, data=body, timeout=timeout)


def assert_status(response: requests.Response, status: int) -> None:
    assert response.status_code == status, (
        f"{response.request.method} {response.url}: expected {status}, got "
        f"{response.status_code} {response.text!r}"
    )


def post(server: ServerProcess, sid: str, body: str | bytes) -> requests.Response:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return http_request("POST", server.polling_url(sid), data)


def poll(server: ServerProcess, sid: str) -> requests.Response:
    return http_request("GET", server.polling_url(sid))


def assert_post_rejected(server: ServerProcess, sid: str, body: str | bytes) -> None:
    """A POST the server must refuse: HTTP 400, or dropping the connection (also accepted by
    the official suite)."""
    try:
        response = post(server, sid, body)
    except requests.ConnectionError:
        return
    assert_status(response, 400)


def assert_post_ok(server: ServerProcess, sid: str, body: str) -> None:
    response = post(server, sid, body)
    assert_status(response, 200)
    assert response.text == "ok", f"POST answer should be 'ok', got {response.text!r}"


def assert_poll(server: ServerProcess, sid: str, expected: str) -> None:
    response = poll(server, sid)
    assert_status(response, 200)
    assert response.text == expected, f"poll body: expected {expected!r}, got {response.text!r}"


def parse_open_packet(text: str) -> dict:
    assert text.startswith("0"), f"expected an open packet, got {text!r}"
    value = json.loads(text[1:])
    assert set(value) == OPEN_PACKET_KEYS, f"open packet keys {sorted(value)} != {sorted(OPEN_PACKET_KEYS)}"
    return value


def check_open_packet(value: dict, upgrades: list[str], max_payload: int = MAX_PAYLOAD,
                      strict_sid: bool = True, ping_interval: int = PING_INTERVAL_MS,
                      ping_timeout: int = PING_TIMEOUT_MS) -> dict:
    """The open packet's fields against this server's settings; `strict_sid` also demands
    the 20 URL-safe characters of the contract (the official suite only wants a string)."""
    assert isinstance(value["sid"], str), f"sid must be a string: {value!r}"
    if strict_sid:
        assert SID_PATTERN.match(value["sid"]), f"sid must be 20 URL-safe characters, got {value['sid']!r}"
    assert value["upgrades"] == upgrades, f"upgrades {value['upgrades']!r} != {upgrades!r}"
    assert value["pingInterval"] == ping_interval, value
    assert value["pingTimeout"] == ping_timeout, value
    assert value["maxPayload"] == max_payload, value
    return value


def assert_valid_open_packet(text: str, upgrades: list[str], max_payload: int = MAX_PAYLOAD,
                             ping_interval: int = PING_INTERVAL_MS, ping_timeout: int = PING_TIMEOUT_MS) -> dict:
    return check_open_packet(parse_open_packet(text), upgrades, max_payload,
                             ping_interval=ping_interval, ping_timeout=ping_timeout)


def open_polling_session(server: ServerProcess) -> str:
    response = http_request("GET", server.polling_url())
    assert response.status_code == 200, f"handshake failed: {response.status_code} {response.text!r}"
    return parse_open_packet(response.text)["sid"]


def assert_fresh_session_echoes(server: ServerProcess) -> None:
    sid = open_polling_session(server)
    assert_post_ok(server, sid, "4fresh session")
    assert_poll(server, sid, "4fresh session")


def error_json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"error body is not JSON: {response.text!r}") from None
    assert isinstance(body, dict) and isinstance(body.get("code"), int) and isinstance(body.get("message"), str), (
        f"error body must be {{code:int, message:str}}, got {body!r}"
    )
    return body


def assert_error(response: requests.Response, code: int, message: str, status: int = 400) -> None:
    assert response.status_code == status, (
        f"expected HTTP {status}, got {response.status_code} {response.text!r}"
    )
    body = error_json(response)
    assert body == {"code": code, "message": message}, f"expected code {code} {message!r}, got {body!r}"


def assert_session_gone(server: ServerProcess, sid: str, timeout: float = REQUEST_TIMEOUT) -> None:
    """The sid must be unknown: GET answers 400 code 1 (bounded wait for asynchronous close)."""
    deadline = time.monotonic() + timeout
    while True:
        response = http_request("GET", server.polling_url(sid))
        if response.status_code == 400 and error_json(response).get("code") == 1:
            return
        if time.monotonic() >= deadline:
            raise AssertionError(
                f"sid {sid} still usable after {timeout}s: {response.status_code} {response.text!r}"
            )


PROC_NET_TCP = ("/proc/net/tcp", "/proc/net/tcp6")


def _server_side_rx_queue(client_port: int, server_port: int) -> int | None:
    """Bytes of this connection that the local server process has not read yet, from the
    kernel's socket table (Linux); None when the table is unavailable or has no such row."""
    for path in PROC_NET_TCP:
        try:
            with open(path, encoding="ascii") as table:
                rows = table.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if local_port == server_port and remote_port == client_port:
                return int(fields[4].split(":")[1], 16)
    return None


def wait_server_read_all(sock: socket.socket, timeout: float = REQUEST_TIMEOUT) -> None:
    """Bounded wait until the (local) server has read every byte sent on `sock` and then
    done all the work they caused (see `wait_server_quiescent`), so that a request on another
    connection is sure to come after it. Only the quiescence wait where the kernel's socket
    table cannot be read."""
    client_port = sock.getsockname()[1]
    server_port = sock.getpeername()[1]
    deadline = time.monotonic() + timeout
    while True:
        pending = _server_side_rx_queue(client_port, server_port)
        if not pending:
            break
        if time.monotonic() >= deadline:
            raise AssertionError(f"server left {pending} bytes of a request unread for {timeout}s")
        time.sleep(0.001)
    server = next((proc for proc in list(RUNNING) if proc.port == server_port), None)
    if server is not None:
        wait_server_quiescent(server, max(1.0, deadline - time.monotonic()))


QUIET_WINDOW = 0.02  # seconds without any CPU time used by any of the server's threads


def _server_threads(pid: int) -> tuple[int, bool] | None:
    """The CPU time all threads of `pid` have used (ns from schedstat, or clock ticks where
    the kernel has no schedstat), and whether one of them is running or waiting for a CPU;
    None where /proc does not tell."""
    total, runnable = 0, False
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            state, ticks = fields[0], int(fields[11]) + int(fields[12])  # state, utime + stime
        except (OSError, ValueError, IndexError):
            continue  # a thread that just ended
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat", encoding="ascii") as stats:
                total += int(stats.read().split()[0])
        except (OSError, ValueError, IndexError):
            total += ticks
        runnable = runnable or state == "R"
    return total, runnable


def wait_server_quiescent(server: "ServerProcess", timeout: float = REQUEST_TIMEOUT) -> None:
    """Bounded wait until no thread of the server process has used any CPU for QUIET_WINDOW
    and none is running or waiting to run: whatever the server had started to handle (a
    request it has read, with its hops between event loops and tasks) is done, however
    loaded the machine is (a thread starved of CPU shows as runnable). Where /proc cannot
    tell, a fixed pause of QUIET_WINDOW instead."""
    deadline = time.monotonic() + timeout
    before = _server_threads(server.proc.pid)
    if before is None:
        time.sleep(QUIET_WINDOW)
        return
    while True:
        time.sleep(QUIET_WINDOW)
        after = _server_threads(server.proc.pid)
        if after is None:
            return  # the server exited: nothing more will happen in it
        if after[0] == before[0] and not before[1] and not after[1]:
            return
        if time.monotonic() >= deadline:
            raise AssertionError(f"sio-e2e-server {server.base_url} was still busy after {timeout}s")
        before = after


class PendingRequest:
    """An HTTP request whose bytes are sent now and whose response is read later."""

    def __init__(self, method: str, url: str, body: bytes | None = None,
                 timeout: float = REQUEST_TIMEOUT):
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.conn.request(method, f"{parts.path}?{parts.query}", body=body)

    def wait_read_by_server(self) -> None:
        wait_server_read_all(self.conn.sock)

    def response(self) -> tuple[int, str]:
        try:
            resp = self.conn.getresponse()
            return resp.status, resp.read().decode("utf-8", "replace")
        finally:
            self.conn.close()

    def abort(self) -> None:
        self.conn.close()


def raise_open_file_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def decode_http_response(raw: bytes) -> tuple[int, str]:
    """Status and body of one complete HTTP/1.1 response read up to EOF."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = b""
        while True:
            size_line, _, body = body.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                break
            chunks, body = chunks + body[:size], body[size + 2:]
        body = chunks
    elif "content-length" in headers:
        body = body[: int(headers["content-length"])]
    return status, body.decode("utf-8", "replace")


async def raw_handshake(host: str, port: int, target: str, timeout: float) -> tuple[int, str]:
    async def exchange() -> bytes:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            return await reader.read()
        finally:
            writer.close()

    return decode_http_response(await asyncio.wait_for(exchange(), timeout))


async def _gather_handshakes(host: str, port: int, target: str, count: int, timeout: float) -> list[object]:
    tasks = [raw_handshake(host, port, target, timeout) for _ in range(count)]
    return await asyncio.gather(*tasks, return_exceptions=True)


def _handshake_flood_child(host: str, port: int, target: str, count: int, timeout: float) -> list[object]:
    raise_open_file_limit(4 * count)
    results = asyncio.run(_gather_handshakes(host, port, target, count, timeout))
    return [r if isinstance(r, tuple) else f"{type(r).__name__}: {r}" for r in results]


def handshake_flood(server: ServerProcess, count: int, timeout: float) -> list[object]:
    """`count` simultaneous polling handshakes, each a (status, body) or an error string.
    They run in a child process: from this one, their load would starve the GIL and so the
    heartbeat threads of python-engineio clients the test keeps open meanwhile."""
    target = server.polling_url()[len(server.base_url):]
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        job = pool.apply_async(_handshake_flood_child, (server.host, server.port, target, count, timeout))
        return job.get(timeout + STARTUP_TIMEOUT)


# --------------------------------------------------------------------------------------------
# WebSocket
# --------------------------------------------------------------------------------------------


def ws_connect(url: str, timeout: float = WS_TIMEOUT) -> websocket.WebSocket:
    return websocket.create_connection(url, timeout=timeout)


def ws_recv(ws: websocket.WebSocket, timeout: float = WS_TIMEOUT) -> str | bytes:
    """Next data message (text as str, binary as bytes); fails on close or timeout."""
    ws.settimeout(timeout)
    opcode, frame = ws.recv_data_frame()
    if opcode == websocket.ABNF.OPCODE_TEXT:
        return frame.data.decode("utf-8")
    if opcode == websocket.ABNF.OPCODE_BINARY:
        return bytes(frame.data)
    raise AssertionError(f"expected a data frame, got opcode {opcode} {frame.data!r}")


def ws_recv_message(ws: websocket.WebSocket, timeout: float = WS_TIMEOUT) -> str | bytes:
    """Like ws_recv, but answers the server's pings (`2` with `3`) meanwhile and returns the
    next other frame: a test that waits for an echo must not lose its session to the
    heartbeat (300 ms + 200 ms) when a loaded machine delays the echo."""
    deadline = time.monotonic() + timeout
    while True:
        frame = ws_recv(ws, max(0.001, deadline - time.monotonic()))
        if frame != "2":
            return frame
        ws.send("3")


def ws_open_session(server: ServerProcess) -> tuple[websocket.WebSocket, dict]:
    ws = ws_connect(server.websocket_url())
    return ws, parse_open_packet(ws_recv(ws))


NO_CLOSE_FRAME = None


def wait_ws_closed(ws: websocket.WebSocket, timeout: float = WS_TIMEOUT) -> int | None:
    """Read until the server closes; returns the close code (1005 if none given), or
    NO_CLOSE_FRAME when the TCP connection was dropped without a close frame."""
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"server did not close the WebSocket within {timeout}s")
            ws.settimeout(remaining)
            try:
                opcode, frame = ws.recv_data_frame()
            except websocket.WebSocketTimeoutException:
                continue
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                data = frame.data or b""
                return int.from_bytes(data[:2], "big") if len(data) >= 2 else 1005
    except (websocket.WebSocketConnectionClosedException, ConnectionError):
        return NO_CLOSE_FRAME
    finally:
        ws.shutdown()


def assert_ws_refused(url: str, timeout: float = WS_TIMEOUT) -> int | None:
    """The server must refuse the WebSocket (non-101 answer or dropped connection) or close it
    right after accepting. Returns the HTTP status of a refusal, if there was one."""
    try:
        ws = ws_connect(url, timeout)
    except websocket.WebSocketTimeoutException:
        raise AssertionError(f"WebSocket handshake to {url} timed out instead of being refused") from None
    except websocket.WebSocketBadStatusException as exc:
        return exc.status_code
    except (websocket.WebSocketConnectionClosedException, ConnectionError):
        return None
    wait_ws_closed(ws, timeout)
    return None


# --------------------------------------------------------------------------------------------
# python-engineio client
# --------------------------------------------------------------------------------------------


class OrderedClient(engineio.Client):
    """engineio.Client runs each 'message' handler on its own thread, which can reorder them;
    run it inline on the reading thread so the queue sees messages in wire order."""

    def _trigger_event(self, event, *args, **kwargs):
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class EchoClient:
    """python-engineio's sync client with its events funnelled into queues."""

    def __init__(self) -> None:
        self.client = OrderedClient(request_timeout=REQUEST_TIMEOUT)
        self.messages: "queue.Queue[str | bytes]" = queue.Queue()
        self.disconnects: "queue.Queue[object]" = queue.Queue()
        self.client.on("message", self.messages.put)
        self.client.on("disconnect", self.disconnects.put)

    def connect(self, server: ServerProcess, transports: list[str]) -> "EchoClient":
        self.client.connect(server.base_url, transports=transports, engineio_path="engine.io")
        return self

    @property
    def sid(self) -> str:
        return self.client.sid

    def next_message(self, timeout: float = REQUEST_TIMEOUT) -> str | bytes:
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no echo within {timeout}s (transport {self.client.transport()})") from None

    def echo(self, data: str | bytes) -> str | bytes:
        self.client.send(data)
        return self.next_message()

    def assert_echoes(self, data: str | bytes) -> None:
        got = self.echo(data)
        assert type(got) is type(data), f"sent {type(data).__name__}, echo came back as {type(got).__name__}"
        assert got == data, f"echo mismatch: sent {data!r}, got {got!r}"

    def assert_still_connected(self) -> None:
        assert self.disconnects.empty(), f"client was disconnected: {self.disconnects.get_nowait()!r}"
        assert self.client.state == "connected", f"client state is {self.client.state!r}"

    def disconnect(self) -> None:
        if self.client.state == "connected":
            self.client.disconnect()


@contextlib.contextmanager
def assert_stays_healthy(server: ServerProcess, transport: str = "websocket") -> Iterator[None]:
    """Open a healthy session before the block; after it, that session must still echo and
    the server must still accept a fresh session."""
    healthy = EchoClient().connect(server, [transport])
    try:
        healthy.assert_echoes("before bad input")
        yield
        healthy.assert_still_connected()
        healthy.assert_echoes("after bad input")
        healthy.assert_echoes(b"\x00\x01after")
        assert_fresh_session_echoes(server)
    finally:
        healthy.disconnect()
