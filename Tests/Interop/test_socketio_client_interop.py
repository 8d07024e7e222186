# python-socketio's AsyncClient against sio-e2e-server over polling, websocket and the upgrade: JSON and binary both ways, acks, namespaces, auth, rooms, disconnect reasons.
from __future__ import annotations

import asyncio
import contextlib
from typing import Any, AsyncIterator, Iterator

import pytest
import socketio

from helpers import PING_INTERVAL_MS, REQUEST_TIMEOUT, WS_TIMEOUT, ServerProcess
from sio_helpers import QUIET_PING_TIMEOUT_MS, EventRecorder, sio_server, start_sio_server

TRANSPORT_CASES = [
    pytest.param((["polling"], "polling"), id="polling"),
    pytest.param((["websocket"], "websocket"), id="websocket"),
    pytest.param((["polling", "websocket"], "websocket"), id="upgrade"),
]

ACK_TIMEOUT = 30.0  # fails only a missing ack: generous for a loaded machine
CONCURRENT_ACKS = 10

JSON_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    42,
    2**31 - 1,
    -(2**31),
    2**32 + 7,
    2**53 - 1,  # Number.MAX_SAFE_INTEGER: the largest integer every Socket.IO peer keeps exactly
    -(2**53 - 1),
    0.5,
    -273.15,
    3.141592653589793,
    1e-7,
    6.02214076e23,
    1.7976931348623157e308,
    "",
    "plain ascii",
    "héllo wörld — ünïcödé",
    "日本語のテキスト",
    "emoji outside the BMP: 😀🎉",
    'quotes " and backslashes \\ and /slashes/',
    "control: \n\t\r\x00\x01\x1e\x1f",
    "line separators \u2028\u2029",
    "42[\"looks like a packet\"]",
    [],
    {},
    [1, "two", None, True, [3.5, [[]]], {"k": "v"}],
    {"a": 1, "b": [True, False, None], "c": {"d": {"e": ["deep", {"f": -0.125}]}}, "unicode kéy ✓": "v"},
]

NESTED_BINARY = {
    "name": "nested",
    "top": b"\x00\x01\x02\xff",
    "list": [b"first", {"inner": b"\xde\xad\xbe\xef", "n": 7}, [b"", b"\x00" * 3]],
    "deep": {"deeper": {"deepest": bytes(range(256))}},
    "text": "not binary",
}


def assert_same_json(got: Any, expected: Any, path: str = "$") -> None:
    """Deep equality that tells bool from int and bytes from str (Python's == does not)."""
    if isinstance(expected, bool) or expected is None:
        assert got is expected, f"{path}: expected {expected!r}, got {got!r}"
    elif isinstance(expected, (int, float)):
        assert isinstance(got, (int, float)) and not isinstance(got, bool), f"{path}: expected number {expected!r}, got {got!r}"
        assert got == expected, f"{path}: expected {expected!r}, got {got!r}"
    elif isinstance(expected, (str, bytes)):
        assert type(got) is type(expected), f"{path}: expected {type(expected).__name__} {expected!r}, got {got!r}"
        assert got == expected, f"{path}: expected {expected!r}, got {got!r}"
    elif isinstance(expected, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(expected), f"{path}: expected {expected!r}, got {got!r}"
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_same_json(g, e, f"{path}[{i}]")
    elif isinstance(expected, dict):
        assert isinstance(got, dict) and set(got) == set(expected), f"{path}: expected {expected!r}, got {got!r}"
        for key in expected:
            assert_same_json(got[key], expected[key], f"{path}.{key}")
    else:
        raise TypeError(f"unsupported expected value {expected!r}")


class Client:
    """An AsyncClient (no reconnection) with everything it receives recorded; `serializer`
    is python-socketio's name of the packet format ("default" or "msgpack")."""

    def __init__(self, serializer: str = "default") -> None:
        self.sio = socketio.AsyncClient(reconnection=False, request_timeout=REQUEST_TIMEOUT, serializer=serializer)
        self.log = EventRecorder(self.sio)

    async def connect(self, server, transports: list[str], namespaces: list[str] | None = None,
                      auth: dict | None = None) -> "Client":
        await self.sio.connect(server.base_url, transports=transports, namespaces=namespaces or ["/"],
                               auth=auth, socketio_path="socket.io", wait_timeout=WS_TIMEOUT)
        return self

    async def emit_and_wait_back(self, args: tuple, namespace: str = "/") -> tuple:
        """Emit `message` with `args`; the next `message-back` on that namespace."""
        before = len(self.log.received("message-back", namespace))
        await self.sio.emit("message", args, namespace=namespace)
        received = await self.log.wait_event("message-back", namespace, count=before + 1)
        return received[before]

    async def call(self, event: str, args: tuple, namespace: str = "/") -> Any:
        return await self.sio.call(event, args, namespace=namespace, timeout=ACK_TIMEOUT)

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


@contextlib.asynccontextmanager
async def connected_clients(server, transports: list[str], count: int = 1, serializer: str = "default",
                            **options: Any) -> AsyncIterator[list[Client]]:
    clients = [Client(serializer) for _ in range(count)]
    try:
        for client in clients:
            await client.connect(server, transports, **options)
        yield clients
    finally:
        await asyncio.gather(*(client.close() for client in clients), return_exceptions=True)


def run(coro) -> Any:
    # Every wait inside is bounded on its own; this only stops a scenario that hangs.
    return asyncio.run(asyncio.wait_for(coro, 600))


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    """This module's server (instead of conftest's shared one): pings every 300 ms, but 20 s
    (Node's default) to answer them, as none of these tests is about heartbeats, and with
    the e2e server's 200 ms a loaded machine can end a session in the middle of a large echo
    (seen with python-engineio's client and 200 KB messages)."""
    with sio_server(ping_interval=PING_INTERVAL_MS, ping_timeout=QUIET_PING_TIMEOUT_MS) as proc:
        yield proc


@pytest.fixture(params=TRANSPORT_CASES)
def transports(request) -> tuple[list[str], str]:
    return request.param


# ---------------------------------------------------------------------------------------------


def test_connects_on_the_expected_transport_and_gets_the_auth_event(server, transports):
    wanted, final = transports

    async def scenario():
        async with connected_clients(server, wanted) as (client,):
            await client.log.until(lambda: client.sio.transport() == final,
                                   f"transport {final!r} (now {client.sio.transport()!r})")
            namespace_sid = client.sio.get_sid("/")
            assert isinstance(namespace_sid, str) and namespace_sid, f"no namespace sid: {namespace_sid!r}"
            assert namespace_sid != client.sio.eio.sid, "Socket.IO v5 sid must differ from the Engine.IO sid"
            (auth,) = await client.log.wait_event("auth")
            assert_same_json(auth, ({},))

    run(scenario())


def test_every_json_type_round_trips_through_message_back(server, transports):
    async def scenario():
        async with connected_clients(server, transports[0]) as (client,):
            for value in JSON_VALUES:
                assert_same_json(await client.emit_and_wait_back((value,)), (value,))
            everything = tuple(JSON_VALUES)
            assert_same_json(await client.emit_and_wait_back(everything), everything)

    run(scenario())


def test_every_json_type_round_trips_through_an_ack(server, transports):
    async def scenario():
        async with connected_clients(server, transports[0]) as (client,):
            for value in JSON_VALUES:
                # A one-argument ack comes back as that argument, a longer one as a tuple.
                assert_same_json(await client.call("message-with-ack", (value,)), value)
            everything = tuple(JSON_VALUES)
            assert_same_json(await client.call("message-with-ack", everything), everything)

    run(scenario())


def test_nested_binary_round_trips_through_message_back(server, transports):
    async def scenario():
        async with connected_clients(server, transports[0]) as (client,):
            # 9 attachments: Node's parser (and this server) refuse more than 10 per packet.
            args = (NESTED_BINARY, [b"a", [{"c": b"\x00"}]], "text between", b"")
            assert_same_json(await client.emit_and_wait_back(args), args)
            assert_same_json(await client.emit_and_wait_back((b"\xff" * 100_000,)), (b"\xff" * 100_000,))

    run(scenario())


def test_nested_binary_round_trips_through_an_ack(server, transports):
    async def scenario():
        async with connected_clients(server, transports[0]) as (client,):
            args = (NESTED_BINARY, 1, b"\x04\x05")
            assert_same_json(await client.call("message-with-ack", args), args)
            assert_same_json(await client.call("message-with-ack", (b"solo",)), b"solo")

    run(scenario())


def test_acks_in_both_forms_and_from_join_leave_and_broadcast(server, transports):
    async def scenario():
        async with connected_clients(server, transports[0]) as (client,):
            acked: asyncio.Future = asyncio.get_running_loop().create_future()
            await client.sio.emit("message-with-ack", ("callback", 2),
                                  callback=lambda *args: acked.set_result(args))
            assert_same_json(await asyncio.wait_for(acked, ACK_TIMEOUT), ("callback", 2))
            assert await client.call("join", ("ack-room",)) == "ack-room"
            # `broadcast` acks with no argument at all.
            assert await client.call("broadcast", ("ack-room", "payload")) is None
            (event,) = await client.log.wait_event("broadcast")
            assert_same_json(event, ("payload",))
            assert await client.call("leave", ("ack-room",)) == "ack-room"
            # Acks in flight at once each find their own id. (Fewer than 16: python-engineio
            # refuses a polling payload of more packets, and the server may batch all acks.)
            results = await asyncio.gather(*(client.call("message-with-ack", (i, f"n{i}")) for i in range(CONCURRENT_ACKS)))
            assert [tuple(r) for r in results] == [(i, f"n{i}") for i in range(CONCURRENT_ACKS)]

    run(scenario())


def test_two_namespaces_on_one_connection(server, transports):
    auth = {"token": "two-namespaces"}

    async def scenario():
        async with connected_clients(server, transports[0], namespaces=["/", "/custom"], auth=auth) as (client,):
            main_sid, custom_sid = client.sio.get_sid("/"), client.sio.get_sid("/custom")
            assert main_sid and custom_sid and main_sid != custom_sid, (main_sid, custom_sid)
            assert_same_json(await client.log.wait_event("auth", "/"), [(auth,)])
            assert_same_json(await client.log.wait_event("auth", "/custom"), [(auth,)])
            assert_same_json(await client.emit_and_wait_back(("to custom", b"\x07"), "/custom"), ("to custom", b"\x07"))
            assert_same_json(await client.emit_and_wait_back(("to main",), "/"), ("to main",))
            assert_same_json(await client.call("message-with-ack", ("ack custom",), "/custom"), "ack custom")
            # Each echo came back on the namespace it was sent to, and only there.
            assert_same_json(client.log.received("message-back", "/custom"), [("to custom", b"\x07")])
            assert_same_json(client.log.received("message-back", "/"), [("to main",)])

    run(scenario())


def test_auth_dict_round_trips_through_the_auth_event(server, transports):
    auth = {
        "token": "s3cr3t",
        "user": {"id": 12345, "roles": ["admin", "dev"], "active": True, "score": 9.75},
        "nothing": None,
        "unicode": "naïve café ✓",
    }

    async def scenario():
        async with connected_clients(server, transports[0], auth=auth) as (client,):
            assert_same_json(await client.log.wait_event("auth"), [(auth,)])

    run(scenario())


def test_broadcast_to_a_room_reaches_exactly_its_members(server, transports):
    room = "interop-room"

    async def scenario():
        async with connected_clients(server, transports[0], count=3) as (a, b, c):
            for member in (a, b):
                assert await member.call("join", (room,)) == room

            # C (not a member) broadcasts: A and B get it, C does not. C's own connection
            # would have carried the event before the ack, had the server sent it there.
            assert await c.call("broadcast", (room, "from c", {"n": 1})) is None
            for member in (a, b):
                assert_same_json(await member.log.wait_event("broadcast"), [("from c", {"n": 1})])
            assert c.log.received("broadcast") == [], f"non-member got {c.log.received('broadcast')!r}"

            # A (a member) broadcasts: namespace.to(room) includes the sender.
            assert await a.call("broadcast", (room, "from a", b"\x01")) is None
            for member in (a, b):
                got = await member.log.wait_event("broadcast", count=2)
                assert_same_json(got[1], ("from a", b"\x01"))

            # A leaves: only B is left in the room.
            assert await a.call("leave", (room,)) == room
            assert await c.call("broadcast", (room, "after leave")) is None
            got = await b.log.wait_event("broadcast", count=3)
            assert_same_json(got[2], ("after leave",))

            # Fences: whatever the server wrote to A and C before answering these came first.
            for other in (a, c):
                await other.emit_and_wait_back(("fence",))
            assert_same_json(a.log.received("broadcast"), [("from c", {"n": 1}), ("from a", b"\x01")])
            assert c.log.received("broadcast") == []
            assert_same_json(b.log.received("broadcast"),
                             [("from c", {"n": 1}), ("from a", b"\x01"), ("after leave",)])

    run(scenario())


def test_client_side_disconnect_reason(server, transports):
    async def scenario():
        client = await Client().connect(server, transports[0], namespaces=["/", "/custom"])
        await client.sio.disconnect()
        await client.log.until(lambda: len(client.log.disconnects) == 2, "both namespaces to disconnect")
        assert sorted(client.log.disconnects) == [
            ("/", client.sio.reason.CLIENT_DISCONNECT),
            ("/custom", client.sio.reason.CLIENT_DISCONNECT),
        ]
        assert not client.sio.connected

    run(scenario())


def test_disconnect_fires_when_the_server_goes_away(transports):
    dedicated = start_sio_server()

    async def scenario():
        client = await Client().connect(dedicated, transports[0])
        await client.log.until(lambda: client.sio.transport() == transports[1], "the final transport")
        await client.emit_and_wait_back(("alive",))
        await asyncio.to_thread(dedicated.stop)
        await client.log.until(lambda: client.log.disconnects, "the disconnect handler", timeout=WS_TIMEOUT + 5)
        (namespace, reason), = client.log.disconnects
        assert namespace == "/"
        assert reason != client.sio.reason.CLIENT_DISCONNECT, f"server loss reported as {reason!r}"
        assert reason in (client.sio.reason.SERVER_DISCONNECT, client.sio.reason.TRANSPORT_ERROR,
                          getattr(client.sio.reason, "TRANSPORT_CLOSE", None)), reason
        await client.log.until(lambda: not client.sio.connected, "the client to see itself disconnected")
        await client.close()

    try:
        run(scenario())
    finally:
        dedicated.stop()
