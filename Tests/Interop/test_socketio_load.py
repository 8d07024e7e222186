# 1000 raw aiohttp WebSocket clients on sio-e2e-server at once (room broadcast reaches each exactly once, each gets its own ack, all close cleanly), and a race check of CONNECT right after the polling handshake.
from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from typing import Any, Iterator
from urllib.parse import urlsplit

import aiohttp
import pytest

from helpers import REQUEST_TIMEOUT, ServerProcess, parse_open_packet, raise_open_file_limit
from sio_helpers import (
    ACK,
    CONNECT,
    EIO_PING,
    EIO_PONG,
    EVENT,
    NODE_CONNECT_TIMEOUT_MS,
    QUIET_PING_INTERVAL_MS,
    QUIET_PING_TIMEOUT_MS,
    ConditionWaiter,
    RawSocket,
    SioPacket,
    SocketIOEndpoint,
    parse_sio,
    sio_frame,
    sio_server,
)

CLIENTS = 1000
ROOM = "all"
CONNECT_BOUND = 60.0  # all clients connected, in their namespace and in ROOM
PHASE_BOUND = 30.0  # each later phase
CLOSE_BOUND = 30.0
OPENING_AT_ONCE = 100  # handshakes in flight at once; the connections themselves all stay open


@pytest.fixture(scope="module")
def load_server() -> Iterator[ServerProcess]:
    raise_open_file_limit(4 * CLIENTS + 1024)  # inherited by the server process
    # Heartbeats and the connect timeout at Node's defaults: this test is about fan-out.
    with sio_server(ping_interval=QUIET_PING_INTERVAL_MS, ping_timeout=QUIET_PING_TIMEOUT_MS,
                    connect_timeout=NODE_CONNECT_TIMEOUT_MS) as proc:
        yield proc


class LoadClient(ConditionWaiter):
    """One raw Socket.IO client on an aiohttp WebSocket; a reader task records what comes."""

    def __init__(self, index: int, ws: aiohttp.ClientWebSocketResponse) -> None:
        super().__init__()
        self.index = index
        self.ws = ws
        self.open_packet: dict | None = None
        self.connect_reply: dict | None = None
        self.events: list[list] = []
        self.acks: dict[int, SioPacket] = {}
        self.unexpected: list[Any] = []
        self.ended = False
        self.next_ack = 1
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    self.unexpected.append((message.type, message.data))
                elif self.open_packet is None:
                    self.open_packet = parse_open_packet(message.data)
                elif message.data == EIO_PING:
                    await self.ws.send_str(EIO_PONG)
                else:
                    self._record(parse_sio(message.data))
                self.notify()
        finally:
            self.ended = True
            self.notify()

    def _record(self, packet: SioPacket) -> None:
        if packet.type == CONNECT and self.connect_reply is None:
            self.connect_reply = packet.data
        elif packet.type == EVENT:
            self.events.append(packet.data)
        elif packet.type == ACK and packet.id is not None and packet.id not in self.acks:
            self.acks[packet.id] = packet
        else:
            self.unexpected.append(packet.raw)

    def describe(self) -> str:
        return (f"client {self.index}: open={self.open_packet is not None} connect={self.connect_reply!r} "
                f"events={self.events!r} acks={sorted(self.acks)} unexpected={self.unexpected!r} ended={self.ended}")

    def received(self, event: str) -> list[list]:
        return [data[1:] for data in self.events if data[0] == event]

    async def call(self, *args: Any, timeout: float = PHASE_BOUND) -> list:
        ack_id, self.next_ack = self.next_ack, self.next_ack + 1
        await self.ws.send_str(sio_frame(EVENT, list(args), ack_id=ack_id))
        ack = await self.until(lambda: self.acks.get(ack_id), f"ack {ack_id} of {args!r}", timeout)
        return ack.data

    async def join_room(self) -> None:
        await self.until(lambda: self.open_packet, "the Engine.IO open packet")
        await self.ws.send_str("40")
        await self.until(lambda: self.connect_reply and self.received("auth"), "CONNECT reply and auth event")
        assert set(self.connect_reply) == {"sid"}, self.describe()
        assert await self.call("join", ROOM) == [ROOM], self.describe()

    async def close(self) -> None:
        await self.ws.close()
        await asyncio.wait_for(self.reader, CLOSE_BOUND)


async def open_clients(session: aiohttp.ClientSession, url: str) -> list[LoadClient]:
    gate = asyncio.Semaphore(OPENING_AT_ONCE)

    async def open_one(index: int) -> LoadClient:
        async with gate:
            ws = await session.ws_connect(url, autoping=True, compress=0)
            client = LoadClient(index, ws)
            await client.join_room()
            return client

    return list(await asyncio.gather(*(open_one(i) for i in range(CLIENTS))))


async def all_received(clients: list[LoadClient], event: str, count: int) -> None:
    await asyncio.gather(*(
        c.until(lambda c=c: len(c.received(event)) >= count, f"{count} x {event!r}", PHASE_BOUND) for c in clients
    ))


async def load_scenario(server: ServerProcess) -> dict[str, float]:
    timings: dict[str, float] = {}
    url = SocketIOEndpoint(server).websocket_url()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=None, connect=PHASE_BOUND)) as session:
        started = time.monotonic()
        clients = await asyncio.wait_for(open_clients(session, url), CONNECT_BOUND)
        timings["connect+join"] = time.monotonic() - started
        try:
            sids = {c.connect_reply["sid"] for c in clients}
            assert len(sids) == CLIENTS, f"{CLIENTS - len(sids)} duplicate Socket.IO sids"
            assert not any(c.ended for c in clients), "a connection ended while the others were opening"

            # One broadcast to ROOM from one member reaches every member, the sender included.
            started = time.monotonic()
            token = uuid.uuid4().hex
            assert await clients[0].call("broadcast", ROOM, "hello", token) == []
            await all_received(clients, "broadcast", 1)
            # A second broadcast is a fence: per connection it comes after any duplicate.
            assert await clients[-1].call("broadcast", ROOM, "fence", token) == []
            await all_received(clients, "broadcast", 2)
            timings["broadcasts"] = time.monotonic() - started
            wrong = [(c.index, c.received("broadcast")) for c in clients
                     if c.received("broadcast") != [["hello", token], ["fence", token]]]
            assert not wrong, f"{len(wrong)} clients did not get each broadcast exactly once, e.g. {wrong[:3]!r}"

            # Every client gets its own payload back in its own ack.
            started = time.monotonic()
            payloads = [f"payload-{c.index}-{uuid.uuid4().hex}" for c in clients]
            results = await asyncio.gather(*(c.call("message-with-ack", p, {"i": c.index}) for c, p in zip(clients, payloads)))
            timings["acks"] = time.monotonic() - started
            wrong_acks = [(c.index, r) for c, p, r in zip(clients, payloads, results) if r != [p, {"i": c.index}]]
            assert not wrong_acks, f"{len(wrong_acks)} clients got a wrong ack, e.g. {wrong_acks[:3]!r}"

            unexpected = [(c.index, c.unexpected) for c in clients if c.unexpected]
            assert not unexpected, f"unexpected frames, e.g. {unexpected[:3]!r}"
        finally:
            started = time.monotonic()
            await asyncio.wait_for(asyncio.gather(*(c.close() for c in clients), return_exceptions=True), CLOSE_BOUND)
            timings["close"] = time.monotonic() - started
        codes = {c.ws.close_code for c in clients}
        assert codes <= {1000, 1005}, f"close codes {codes!r}"
    return timings


def test_thousand_clients_broadcast_and_acks(load_server):
    started = time.monotonic()
    timings = asyncio.run(load_scenario(load_server))
    total = time.monotonic() - started
    assert total < CONNECT_BOUND + 3 * PHASE_BOUND, f"load test took {total:.1f}s: {timings!r}"
    # The server is still healthy and serves a fresh client.
    with RawSocket(load_server) as sock:
        assert set(sock.connect()) == {"sid"}
        assert sock.recv() == '42["auth",{}]'
    print(f"\n{CLIENTS} clients: " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))


# ---------------------------------------------------------------------------------------------
# CONNECT sent the instant the polling handshake is answered
# ---------------------------------------------------------------------------------------------

HANDSHAKE_RACE_ROUNDS = 1500


def http_request_bytes(method: str, target: str, body: bytes = b"") -> bytes:
    return f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body


async def read_keep_alive_response(reader: asyncio.StreamReader) -> tuple[int, str]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    length = re.search(r"(?im)^content-length:\s*(\d+)", head)
    body = await reader.readexactly(int(length.group(1))) if length else b""
    return int(head.split(" ", 2)[1]), body.decode()


async def bounded_response(reader: asyncio.StreamReader) -> tuple[int, str]:
    return await asyncio.wait_for(read_keep_alive_response(reader), REQUEST_TIMEOUT)


async def connect_right_after_handshake(server: ServerProcess) -> str:
    """Like python-socketio's AsyncClient over polling: the handshake on connection A, then
    at once a long poll on A and `40` POSTed on connection B (another event loop of the
    server). Returns what the long poll brings: it must be the CONNECT reply."""
    url = urlsplit(SocketIOEndpoint(server).polling_url())
    target = f"{url.path}?{url.query}"
    reader_a, writer_a = await asyncio.open_connection(server.host, server.port)
    reader_b, writer_b = await asyncio.open_connection(server.host, server.port)
    try:
        writer_a.write(http_request_bytes("GET", target))
        status, body = await bounded_response(reader_a)
        assert status == 200, f"handshake: {status} {body!r}"
        session_target = f"{target}&sid={json.loads(body[1:])['sid']}"
        writer_a.write(http_request_bytes("GET", session_target))
        writer_b.write(http_request_bytes("POST", session_target, b"40"))
        assert await bounded_response(reader_b) == (200, "ok")
        status, body = await bounded_response(reader_a)
        assert status == 200, f"long poll: {status} {body!r}"
        return body
    finally:
        writer_a.close()
        writer_b.close()


LOST_ENOUGH = 5  # a regression shows in its first lost rounds; the rest would only take time


@pytest.fixture(scope="module")
def quiet_server() -> Iterator[ServerProcess]:
    # Heartbeats and connect timeout at Node's defaults: with the e2e server's 300 ms and 1 s
    # a loaded machine could let the first ping (or the close) reach the long poll before the
    # CONNECT reply, which would count as a lost `40`. A `40` really lost still shows: the
    # long poll then brings the ping (25 s), within its bound (REQUEST_TIMEOUT).
    with sio_server(ping_interval=QUIET_PING_INTERVAL_MS, ping_timeout=QUIET_PING_TIMEOUT_MS,
                    connect_timeout=NODE_CONNECT_TIMEOUT_MS) as proc:
        yield proc


def test_connect_sent_right_after_the_polling_handshake_is_never_lost(quiet_server):
    server = quiet_server

    async def rounds() -> list[tuple[int, str]]:
        lost = []
        for index in range(HANDSHAKE_RACE_ROUNDS):
            body = await connect_right_after_handshake(server)
            if not body.startswith("40{"):
                lost.append((index, body))
                if len(lost) >= LOST_ENOUGH:
                    break
        return lost

    # Each step of each round is bounded (REQUEST_TIMEOUT); the rounds as a whole are not,
    # so that a loaded machine only makes the test slower.
    lost = asyncio.run(rounds())
    assert not lost, (
        f"{len(lost)} sessions (stopping at {LOST_ENOUGH}) of {HANDSHAKE_RACE_ROUNDS} lost the `40` POSTed right after the handshake "
        f"(the long poll brought {lost[0][1]!r} instead of the CONNECT reply, i.e. the server answered "
        f"the POST 'ok' but never acted on it); first rounds: {lost[:5]!r}"
    )
