# The Admin UI protocol across a cluster: two `sio-e2e-server --admin` nodes on one
# PostgreSQL. One admin client, connected to node A, sees both servers' server_stats and the
# sockets of both in all_sockets, hears of a socket connecting to node B, and its commands
# reach a socket on node B. With basic authentication, a session opened on one node is good
# on the other (the session store is the cluster's PostgreSQL).
from __future__ import annotations

import asyncio
from typing import Iterator

import pytest
import socketio

from admin_helpers import NODE_HASH, NODE_PASSWORD, STATS_TIMEOUT, AdminClient, RecordedClient, clients
from cluster_helpers import DELIVERY_TIMEOUT, Node, formed_cluster

HEARTBEAT_INTERVAL_MS = 1000


# Function-scoped: two clusters on one PostgreSQL at once would see each other's nodes.
@pytest.fixture
def admin_cluster() -> Iterator[list[Node]]:
    with formed_cluster([["polling", "websocket"], ["polling", "websocket"]],
                        heartbeat_interval_ms=HEARTBEAT_INTERVAL_MS, extra_args=("--admin",)) as nodes:
        yield nodes


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


def test_one_admin_client_watches_and_drives_both_nodes(admin_cluster: list[Node]):
    node_a, node_b = admin_cluster

    async def scenario():
        on_a, on_b = RecordedClient("/"), RecordedClient("/")
        admin = AdminClient()
        late_on_b = RecordedClient("/")
        async with clients(on_a, on_b, admin, late_on_b):
            await on_a.connect(node_a.proc, ["websocket"])
            await on_b.connect(node_b.proc, ["polling"])
            await admin.connect(node_a.proc, ["websocket"])

            # all_sockets: the sockets of both nodes (fetchSockets over the cluster).
            ((sockets,),) = await admin.wait("all_sockets", timeout=DELIVERY_TIMEOUT * 2)
            ids = {(entry["nsp"], entry["id"]) for entry in sockets}
            assert {("/", on_a.sid), ("/", on_b.sid), ("/admin", admin.sid)} <= ids, sockets
            (remote,) = [entry for entry in sockets if entry["id"] == on_b.sid]
            # The bookkeeping travels with the socket's data, as in Node.
            assert remote["clientId"] == on_b.sio.eio.sid[:12] and remote["transport"] == "polling", remote

            # server_stats of both servers reach the one admin client.
            pids = {node_a.pid, node_b.pid}
            await admin.log.until(
                lambda: pids <= {args[0]["pid"] for args in admin.received("server_stats")},
                "server_stats from both nodes", STATS_TIMEOUT)

            # A socket connecting to node B is reported to the admin client of node A.
            await late_on_b.connect(node_b.proc, ["websocket"])
            await admin.wait_for("socket_connected", lambda a: a[0]["id"] == late_on_b.sid,
                                 "socket_connected from node B", DELIVERY_TIMEOUT)

            # Commands reach a socket on node B.
            await admin.emit("emit", "/", on_b.sid, "hello", "from node A")
            assert (await on_b.wait("hello", timeout=DELIVERY_TIMEOUT))[0] == ("from node A",)
            await admin.emit("join", "/", "vip", on_b.sid)
            await admin.wait_for("room_joined", lambda a: a[1] == "vip" and a[2] == on_b.sid,
                                 "room_joined on node B", DELIVERY_TIMEOUT)
            await admin.emit("emit", "/", "vip", "vip-news")
            await on_b.wait("vip-news", timeout=DELIVERY_TIMEOUT)
            assert on_a.received("vip-news") == []
            await admin.emit("_disconnect", "/", False, on_b.sid)
            await on_b.log.until(lambda: on_b.log.disconnects, "node B's client disconnected", DELIVERY_TIMEOUT)
            assert on_a.sio.connected

    run(scenario())


@pytest.fixture
def admin_cluster_with_auth() -> Iterator[list[Node]]:
    with formed_cluster([["websocket"], ["websocket"]], heartbeat_interval_ms=HEARTBEAT_INTERVAL_MS,
                        extra_args=("--admin-user", "admin", "--admin-password-hash", NODE_HASH)) as nodes:
        yield nodes


def test_an_admin_session_from_one_node_is_good_on_the_other(admin_cluster_with_auth: list[Node]):
    """The session store is the cluster's PostgreSQL: logged in on node A with the password,
    an admin client reconnects to node B with its session id alone; an id nobody issued is
    refused there."""
    node_a, node_b = admin_cluster_with_auth

    async def scenario():
        first, again, stranger = AdminClient(), AdminClient(), AdminClient()
        async with clients(first, again, stranger):
            await first.connect(node_a.proc, ["websocket"], auth={"username": "admin", "password": NODE_PASSWORD})
            ((session,),) = await first.wait("session")
            await again.connect(node_b.proc, ["websocket"], auth={"sessionId": session})
            await again.wait("config")
            assert again.received("session") == [], "a session id alone must be enough on node B"
            with pytest.raises(socketio.exceptions.ConnectionError):
                await stranger.connect(node_b.proc, ["websocket"], auth={"sessionId": "0" * 32})
            await stranger.log.until(lambda: stranger.connect_errors, "connect_error")
            assert stranger.connect_errors[0] == {"message": "invalid credentials"}

    run(scenario())
