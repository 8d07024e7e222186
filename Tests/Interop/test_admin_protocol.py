# The Admin UI protocol of `sio-e2e-server --admin`, driven by python-socketio's AsyncClient
# (a client nobody here wrote) over polling, WebSocket and the upgrade: config, all_sockets,
# every event, every command, server_stats and the namespace flag.
from __future__ import annotations

import os
import socket as pysocket

import pytest
import requests

from admin_helpers import (
    DEVELOPMENT_FEATURES,
    STATS_KEYS,
    AdminClient,
    RecordedClient,
    admin_server,
    assert_date,
    assert_serialized_socket,
    clients,
    run,
)
from helpers import REQUEST_TIMEOUT

TRANSPORT_CASES = [
    pytest.param((["polling"], "polling"), id="polling"),
    pytest.param((["websocket"], "websocket"), id="websocket"),
    pytest.param((["polling", "websocket"], "websocket"), id="upgrade"),
]


@pytest.fixture(params=TRANSPORT_CASES)
def transports(request) -> tuple[list[str], str]:
    return request.param


def test_config_then_all_sockets_of_every_namespace(transports):
    wanted, final = transports

    async def scenario(server):
        user, admin = RecordedClient("/"), AdminClient()
        async with clients(user, admin):
            await user.connect(server, wanted)
            await user.log.until(lambda: user.sio.transport() == final, f"user on {final}")
            await admin.connect(server, wanted)
            ((config,),) = await admin.wait("config")
            assert config == {"supportedFeatures": DEVELOPMENT_FEATURES}
            ((sockets,),) = await admin.wait("all_sockets")
            by_namespace = {entry["nsp"]: entry for entry in sockets}
            assert set(by_namespace) == {"/", "/admin"}, sockets
            assert_serialized_socket(by_namespace["/"], sid=user.sid, nsp="/", eio_sid=user.sio.eio.sid, transport=final)
            assert by_namespace["/admin"]["id"] == admin.sid
            # config comes before all_sockets, as in Node.
            order = [name for ns, name, _ in admin.log.events if name in ("config", "all_sockets")]
            assert order == ["config", "all_sockets"], admin.log.events

    with admin_server("--admin") as server:
        run(scenario(server))


def test_socket_room_and_event_reports_as_they_happen(transports):
    wanted, final = transports

    async def scenario(server):
        admin, user = AdminClient(), RecordedClient("/")
        async with clients(admin, user):
            await admin.connect(server, ["websocket"])
            await admin.wait("config")
            await user.connect(server, wanted)
            sid = user.sid

            connected, when = await admin.wait_for("socket_connected", lambda a: a[0]["id"] == sid, "socket_connected")
            # With the upgrade, python-socketio may finish it before it joins the namespace.
            assert_serialized_socket(connected, sid=sid, nsp="/", eio_sid=user.sio.eio.sid,
                                     transport=connected["transport"] if len(wanted) > 1 else final)
            assert_date(when)
            own_room = await admin.wait_for("room_joined", lambda a: a[2] == sid, "room_joined of the own room")
            assert own_room[:3] == ("/", sid, sid)
            assert_date(own_room[3])

            # The handlers of sio-e2e-server: join/leave a room, message -> message-back.
            await user.call("join", "lobby")
            joined = await admin.wait_for("room_joined", lambda a: a[1] == "lobby", "room_joined lobby")
            assert joined[:3] == ("/", "lobby", sid)
            await user.call("leave", "lobby")
            left = await admin.wait_for("room_left", lambda a: a[1] == "lobby", "room_left lobby")
            assert left[:3] == ("/", "lobby", sid)
            assert_date(left[3])

            await user.emit("message", 1, "two", b"\x03")
            received = await admin.wait_for("event_received", lambda a: a[2][0] == "message", "event_received")
            assert received[:3] == ("/", sid, ["message", 1, "two", b"\x03"])
            assert_date(received[3])
            sent = await admin.wait_for("event_sent", lambda a: a[2][0] == "message-back", "event_sent")
            assert sent[:3] == ("/", sid, ["message-back", 1, "two", b"\x03"])
            assert_date(sent[3])

            if connected["transport"] != final:
                updated = await admin.wait_for("socket_updated", lambda a: a[0].get("id") == sid, "socket_updated")
                assert updated == ({"id": sid, "nsp": "/", "transport": "websocket"},)

            await user.close()
            gone = await admin.wait_for("socket_disconnected", lambda a: a[1] == sid, "socket_disconnected")
            # python-socketio may close the transport before its DISCONNECT packet is read.
            assert gone[:2] == ("/", sid) and gone[2] in ("client namespace disconnect", "transport close"), gone
            assert_date(gone[3])
            # The admin namespace's own traffic is never reported as events.
            assert all(args[0] != "/admin" for args in admin.received("event_received") + admin.received("event_sent"))

    with admin_server("--admin") as server:
        run(scenario(server))


def test_server_stats_describe_this_server(transports):
    wanted, _ = transports

    async def scenario(server):
        admin, user = AdminClient(), RecordedClient("/")
        async with clients(admin, user):
            await admin.connect(server, wanted)
            await user.connect(server, ["websocket"])
            await user.emit("message", "x" * 100)
            await user.wait("message-back")
            # Counted traffic shows up in one of the next stats.
            seen: dict[str, int] = {}
            for _ in range(5):
                (stats,) = await admin.next_stats()
                assert STATS_KEYS <= set(stats), stats
                for event in stats["aggregatedEvents"]:
                    assert set(event) <= {"timestamp", "type", "subType", "count"}, event
                    assert event["timestamp"] % 1000 == 0, event
                    seen[event["type"]] = seen.get(event["type"], 0) + event["count"]
                if {"rawConnection", "packetsIn", "packetsOut", "bytesIn", "bytesOut"} <= set(seen):
                    break
            assert {"rawConnection", "packetsIn", "packetsOut", "bytesIn", "bytesOut"} <= set(seen), seen
            assert seen["bytesIn"] >= 100, seen
            assert stats["serverId"] == pysocket.gethostname() and stats["hostname"] == pysocket.gethostname()
            assert stats["pid"] == server.proc.pid
            assert isinstance(stats["uptime"], (int, float)) and stats["uptime"] > 0
            assert stats["clientsCount"] == 2
            assert stats["pollingClientsCount"] == (1 if wanted == ["polling"] else 0)
            namespaces = {entry["name"]: entry["socketsCount"] for entry in stats["namespaces"]}
            assert namespaces == {"/": 1, "/custom": 0, "/admin": 1}, stats["namespaces"]

    with admin_server("--admin") as server:
        run(scenario(server))


def test_commands_emit_join_leave_and_disconnect(transports):
    wanted, _ = transports

    async def scenario(server):
        admin, user, other = AdminClient(), RecordedClient("/"), RecordedClient("/")
        async with clients(admin, user, other):
            await admin.connect(server, wanted)
            await admin.wait("config")
            await user.connect(server, ["websocket"])
            await other.connect(server, ["polling"])

            # emit to one socket (its id as filter), then to all (no filter).
            await admin.emit("emit", "/", user.sid, "hello", "world", {"n": 1})
            assert (await user.wait("hello"))[0] == ("world", {"n": 1})
            await admin.emit("emit", "/", None, "everyone", 2)
            await user.wait("everyone")
            await other.wait("everyone")
            assert other.received("hello") == []

            # join: the room then reaches that socket only.
            await admin.emit("join", "/", "vip", user.sid)
            await admin.wait_for("room_joined", lambda a: a[1] == "vip", "room_joined vip")
            await admin.emit("emit", "/", "vip", "vip-news")
            await user.wait("vip-news")
            # leave, then join of every socket (MJOIN: no filter).
            await admin.emit("leave", "/", "vip", user.sid)
            await admin.wait_for("room_left", lambda a: a[1] == "vip", "room_left vip")
            await admin.emit("join", "/", "all-room")
            await admin.wait_for("room_joined", lambda a: a[1] == "all-room" and a[2] == other.sid, "other joined")
            await admin.wait_for("room_joined", lambda a: a[1] == "all-room" and a[2] == user.sid, "user joined")

            # _disconnect with a filter: only that socket goes.
            await admin.emit("_disconnect", "/", False, other.sid)
            await other.log.until(lambda: other.log.disconnects, "the other client disconnected")
            assert user.sio.connected
            await admin.emit("_disconnect", "/", True)
            await user.log.until(lambda: user.log.disconnects, "the user disconnected")

    with admin_server("--admin") as server:
        run(scenario(server))


def test_emit_with_an_ack_returns_the_replies():
    async def scenario(server):
        admin, user = AdminClient(), RecordedClient("/")
        async with clients(admin, user):
            await admin.connect(server, ["websocket"])
            user.sio.on("ping-me", lambda *args: ("pong", len(args)), namespace="/")
            await user.connect(server, ["websocket"])
            # Each client's reply is the first argument it acknowledged with.
            reply = await admin.call("emit", "/", user.sid, "ping-me", 1, 2)
            assert reply == (None, ["pong"])

    with admin_server("--admin") as server:
        run(scenario(server))


def test_custom_namespace_and_cross_origin_credentials():
    async def scenario(server):
        admin = AdminClient("/watch")
        async with clients(admin):
            await admin.connect(server, ["polling"])
            ((config,),) = await admin.wait("config")
            assert "EMIT" in config["supportedFeatures"]

    with admin_server("--admin", "--admin-namespace", "/watch") as server:
        run(scenario(server))
        # A page of another origin may poll with credentials (the web UI's withCredentials).
        origin = "https://admin.socket.io"
        response = requests.get(f"{server.base_url}/socket.io/?EIO=4&transport=polling",
                                headers={"Origin": origin}, timeout=REQUEST_TIMEOUT)
        assert response.status_code == 200
        assert response.headers.get("Access-Control-Allow-Origin") == origin
        assert response.headers.get("Access-Control-Allow-Credentials") == "true"
        preflight = requests.options(f"{server.base_url}/socket.io/?EIO=4&transport=polling",
                                     headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
                                     timeout=REQUEST_TIMEOUT)
        assert preflight.headers.get("Access-Control-Allow-Origin") == origin
        assert preflight.headers.get("Access-Control-Allow-Credentials") == "true"


def test_the_flags_are_in_the_help():
    import subprocess

    from helpers import server_binary

    result = subprocess.run([str(server_binary()), "--help"], capture_output=True, text=True, timeout=30, env=os.environ)
    for flag in ("--admin", "--admin-user", "--admin-password-hash", "--admin-readonly", "--admin-mode", "--admin-namespace"):
        assert flag in result.stderr + result.stdout, flag
