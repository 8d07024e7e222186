# python-socketio's AsyncClient with serializer='msgpack' against `sio-e2e-server --parser msgpack`
# (socket.io-msgpack-parser: one binary message per packet), over polling, websocket and the
# upgrade: events, acks, binary, namespaces, a connection error, and clients on the other parser
# turned away alone.
from __future__ import annotations

import asyncio
import contextlib
import subprocess
from typing import Any, Iterator

import pytest
import socketio

from helpers import PING_INTERVAL_MS, WS_TIMEOUT, ServerProcess
from sio_helpers import QUIET_PING_TIMEOUT_MS, sio_server
from test_socketio_client_interop import (  # noqa: F401 (transports is a fixture)
    JSON_VALUES,
    NESTED_BINARY,
    Client,
    assert_same_json,
    connected_clients,
    run,
    transports,
)


@pytest.fixture(scope="module")
def msgpack_server() -> Iterator[ServerProcess]:
    with sio_server(ping_interval=PING_INTERVAL_MS, ping_timeout=QUIET_PING_TIMEOUT_MS,
                    extra_args=("--parser", "msgpack")) as proc:
        yield proc


@pytest.fixture(scope="module")
def default_server() -> Iterator[ServerProcess]:
    with sio_server(ping_interval=PING_INTERVAL_MS, ping_timeout=QUIET_PING_TIMEOUT_MS) as proc:
        yield proc


def test_connects_on_the_expected_transport_with_auth(msgpack_server, transports):
    wanted, final = transports

    async def scenario():
        async with connected_clients(msgpack_server, wanted, serializer="msgpack",
                                     auth={"token": "s3cret", "n": 1}) as (client,):
            await client.log.until(lambda: client.sio.transport() == final,
                                   f"transport {final!r} (now {client.sio.transport()!r})")
            (auth,) = await client.log.wait_event("auth")
            assert_same_json(auth, ({"token": "s3cret", "n": 1},))

    run(scenario())


def test_every_json_type_round_trips_as_event_and_as_ack(msgpack_server, transports):
    async def scenario():
        async with connected_clients(msgpack_server, transports[0], serializer="msgpack") as (client,):
            everything = tuple(JSON_VALUES)
            assert_same_json(await client.emit_and_wait_back(everything), everything)
            assert_same_json(await client.call("message-with-ack", everything), everything)
            for value in JSON_VALUES:
                assert_same_json(await client.call("message-with-ack", (value,)), value)

    run(scenario())


def test_binary_rides_inside_the_packet_both_ways(msgpack_server, transports):
    async def scenario():
        async with connected_clients(msgpack_server, transports[0], serializer="msgpack") as (client,):
            # No attachment limit here: binary is part of the one message, so 17 values pass.
            args = (NESTED_BINARY, [b"a", [{"c": b"\x00"}]], "text", b"", [b"%d" % i for i in range(8)])
            assert_same_json(await client.emit_and_wait_back(args), args)
            assert_same_json(await client.call("message-with-ack", args), args)
            assert_same_json(await client.emit_and_wait_back((b"\xff" * 100_000,)), (b"\xff" * 100_000,))

    run(scenario())


def test_namespaces_and_a_room_broadcast(msgpack_server, transports):
    async def scenario():
        async with connected_clients(msgpack_server, transports[0], count=2, serializer="msgpack",
                                     namespaces=["/", "/custom"]) as (first, second):
            args = ("on custom", b"\x01")
            assert_same_json(await first.emit_and_wait_back(args, "/custom"), args)
            for client in (first, second):
                assert await client.call("join", ("room",), namespace="/custom") == "room"
            assert await first.call("broadcast", ("room", b"\x02\x03"), namespace="/custom") is None
            for client in (first, second):
                (event,) = await client.log.wait_event("broadcast", "/custom")
                assert_same_json(event, (b"\x02\x03",))
            assert first.log.received("broadcast", "/") == []

    run(scenario())


def test_an_unknown_namespace_gets_connect_error(msgpack_server, transports):
    async def scenario():
        client = Client("msgpack")
        errors: list[Any] = []
        client.sio.on("connect_error", lambda data: errors.append(data), namespace="/nowhere")
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(msgpack_server, transports[0], namespaces=["/nowhere"])
        await client.log.until(lambda: errors, "connect_error on /nowhere")
        assert errors[0] == {"message": "Invalid namespace"}
        await client.sio.disconnect()

    run(scenario())


async def assert_turned_away(server: ServerProcess, transports: list[str], serializer: str) -> None:
    """A client on `serializer` opens an engine connection; the server closes it at the
    client's first packet, before any namespace is joined. python-socketio's `connect` would
    wait out its whole timeout for the namespace, so the engine's close is watched instead."""
    other = Client(serializer)
    closed = asyncio.Event()
    drop_connection = other.sio.eio.handlers["disconnect"]

    async def on_engine_close(*args: Any) -> None:
        closed.set()
        await drop_connection(*args)

    other.sio.eio.on("disconnect", on_engine_close)
    attempt = asyncio.create_task(other.connect(server, transports))
    try:
        await asyncio.wait_for(closed.wait(), WS_TIMEOUT)
        assert not other.sio.connected
        assert other.log.received("auth") == []
    finally:
        attempt.cancel()
        with contextlib.suppress(BaseException):
            await attempt
        await other.sio.disconnect()


@pytest.mark.parametrize("server_kind, other_serializer", [("msgpack", "default"), ("default", "msgpack")])
def test_a_client_on_the_other_parser_is_turned_away_alone(request, transports, server_kind, other_serializer):
    server = request.getfixturevalue(f"{server_kind}_server")

    async def scenario():
        async with connected_clients(server, transports[0], serializer=server_kind) as (good,):
            assert await good.call("message-with-ack", ("before",)) == "before"
            await assert_turned_away(server, transports[0], other_serializer)
            assert_same_json(await good.call("message-with-ack", ("after", b"\x09")), ("after", b"\x09"))
            assert good.sio.connected

    run(scenario())


def test_the_parser_flag_is_in_the_help_and_an_unknown_parser_is_refused():
    from helpers import server_binary

    shown = subprocess.run([str(server_binary()), "--help"], capture_output=True, text=True, timeout=30)
    assert "--parser" in shown.stderr + shown.stdout
    refused = subprocess.run([str(server_binary()), "--parser", "json", "--port", "0"], capture_output=True,
                             text=True, timeout=30)
    assert refused.returncode != 0
    assert "unknown parser json" in refused.stderr + refused.stdout
