# Three sio-e2e-server nodes on one PostgreSQL behave as one server: broadcasts, fetchSockets,
# socketsJoin/Leave, disconnectSockets, serverSideEmit and broadcast acks cross nodes. Node C
# offers HTTP long-polling only, so every check also crosses transports.
from __future__ import annotations

from typing import Iterator

import pytest
import socketio

from cluster_helpers import (
    Node,
    Peer,
    PeerSet,
    assert_broadcast_reached,
    fetch_sockets,
    fetched_ids,
    formed_cluster,
    unique,
    wait_fetched_ids,
)

# A short heartbeat interval lets the nodes find each other quickly; the timeout keeps
# Node's default so a loaded machine never drops a live node in the middle of a test.
HEARTBEAT_INTERVAL_MS = 1000
TRANSPORTS = [["polling", "websocket"], ["polling", "websocket"], ["polling"]]


@pytest.fixture(scope="module")
def cluster() -> Iterator[list[Node]]:
    with formed_cluster(TRANSPORTS, heartbeat_interval_ms=HEARTBEAT_INTERVAL_MS) as nodes:
        yield nodes


@pytest.fixture(autouse=True)
def leaves_no_socket_behind(cluster: list[Node], peers: PeerSet) -> Iterator[None]:
    """After each test its clients are gone from every node, so the next one starts clean."""
    yield
    peers.close_all()
    probe = peers.open(cluster[0], "cleanup-probe")
    wait_fetched_ids(probe, None, {probe.sid})


@pytest.fixture
def spread(cluster: list[Node], peers: PeerSet) -> list[Peer]:
    """Two peers per node: a1 a2 b1 b2 c1 c2."""
    return [peers.open(node, f"{node.name.lower()}{index}") for node in cluster for index in (1, 2)]


def by_name(peers: list[Peer]) -> dict[str, Peer]:
    return {peer.name: peer for peer in peers}


def test_every_node_counts_three_servers_with_distinct_identities(cluster: list[Node], spread: list[Peer]) -> None:
    p = by_name(spread)
    for peer in (p["a1"], p["b1"], p["c1"]):
        assert peer.call("server-count") == 3, f"{peer.node} does not count 3 servers"
    identities = {peer.node.name: peer.call("node") for peer in (p["a1"], p["b1"], p["c1"])}
    assert identities == {node.name: str(node.pid) for node in cluster}


def test_room_broadcast_reaches_exactly_its_members_on_every_node(spread: list[Peer]) -> None:
    p = by_name(spread)
    room = unique("room")
    members = [p["a1"], p["b1"], p["c1"]]
    for member in members:
        member.join(room)

    # From a node's non-member, then from a member of the polling-only node.
    for sender in (p["a2"], p["c1"]):
        token = {"to": room, "from": sender.name}
        assert sender.call("broadcast", room, token) is None
        assert_broadcast_reached(sender, token, members, spread)


def test_room_broadcast_with_members_on_one_remote_node_only(spread: list[Peer]) -> None:
    p = by_name(spread)
    room = unique("room")
    p["b1"].join(room)
    p["b2"].join(room)
    token = {"only": "node B"}
    p["c2"].call("broadcast", room, token)
    assert_broadcast_reached(p["c2"], token, [p["b1"], p["b2"]], spread)


def test_broadcast_except_skips_the_room_on_every_node(spread: list[Peer]) -> None:
    p = by_name(spread)
    room = unique("excluded")
    excluded = [p["a1"], p["b2"], p["c1"]]
    for peer in excluded:
        peer.join(room)
    token = {"except": room}
    assert p["b1"].call("broadcast-except", room, token) is None
    assert_broadcast_reached(p["b1"], token, [peer for peer in spread if peer not in excluded], spread)


def test_fetch_sockets_from_any_node_sees_every_socket_with_handshake_rooms_and_data(
        cluster: list[Node], peers: PeerSet) -> None:
    opened = []
    for index, node in enumerate(cluster * 2):
        name = f"f{index}"
        opened.append(peers.open(
            node, name, auth={"token": f"secret-{name}", "n": index},
            headers={"X-Peer": name}, query=f"peer={name}&lang=fr",
        ))
    shared, odd = unique("all"), unique("odd")
    for index, peer in enumerate(opened):
        peer.join(shared)
        if index % 2:
            peer.join(odd)
        assert peer.call("set-data", {"name": peer.name, "index": index, "tags": ["x", index]}) is None

    expected_ids = {peer.sid for peer in opened}
    for asker in opened[:3]:  # one on each node
        sockets = fetch_sockets(asker)
        assert {s["id"] for s in sockets} == expected_ids, f"fetch-sockets from {asker.node}"
        by_id = {s["id"]: s for s in sockets}
        for index, peer in enumerate(opened):
            fetched = by_id[peer.sid]
            rooms = {peer.sid, shared} | ({odd} if index % 2 else set())
            assert set(fetched["rooms"]) == rooms, f"{peer} rooms seen from {asker.node}"
            assert fetched["data"] == {"name": peer.name, "index": index, "tags": ["x", index]}
            handshake = fetched["handshake"]
            assert handshake["auth"] == {"token": f"secret-{peer.name}", "n": index}
            assert handshake["query"]["peer"] == peer.name and handshake["query"]["lang"] == "fr"
            assert handshake["query"]["EIO"] == "4"
            headers = {name.lower(): value for name, value in handshake["headers"].items()}
            assert headers.get("x-peer") == peer.name, f"{peer} headers seen from {asker.node}: {headers}"
            assert handshake["url"].startswith("/socket.io/"), handshake["url"]
            assert "127.0.0.1" in handshake["address"], handshake["address"]
            assert isinstance(handshake["issued"], int) and handshake["issued"] > 0
            assert handshake["time"]

    odd_ids = {peer.sid for index, peer in enumerate(opened) if index % 2}
    for asker in opened[3:]:
        assert fetched_ids(asker, odd) == odd_ids, f"fetch-sockets({odd!r}) from {asker.node}"
        assert fetched_ids(asker, unique("empty")) == set()


def test_sockets_join_and_leave_act_on_every_node(spread: list[Peer]) -> None:
    p = by_name(spread)
    source, target = unique("src"), unique("dst")
    members = [p["a1"], p["b1"], p["c1"]]
    for member in members:
        member.join(source)
    member_ids = {member.sid for member in members}

    assert p["b2"].call("sockets-join", source, target) is None
    for asker in (p["a2"], p["c2"]):
        wait_fetched_ids(asker, target, member_ids)
    for fetched in fetch_sockets(p["c2"], target):
        assert set(fetched["rooms"]) == {fetched["id"], source, target}
    token = {"joined": target}
    p["a2"].call("broadcast", target, token)
    assert_broadcast_reached(p["a2"], token, members, spread)

    assert p["c2"].call("sockets-leave", source, target) is None
    for asker in (p["a2"], p["b2"]):
        wait_fetched_ids(asker, target, set())
    wait_fetched_ids(p["a2"], source, member_ids)
    token = {"left": target}
    p["b2"].call("broadcast", target, token)
    assert_broadcast_reached(p["b2"], token, [], spread)


def test_disconnect_sockets_disconnects_clients_on_every_node(spread: list[Peer]) -> None:
    p = by_name(spread)
    kick, kick_close = unique("kick"), unique("kick-close")
    kicked = [p["a1"], p["b1"], p["c1"]]
    closed = [p["a2"], p["c2"]]
    for peer in kicked:
        peer.join(kick)
    for peer in closed:
        peer.join(kick_close)

    assert p["b2"].call("disconnect-sockets", kick, False) is None
    for peer in kicked:
        assert peer.wait_disconnected() == socketio.Client.reason.SERVER_DISCONNECT, f"{peer} disconnect reason"
    assert p["b2"].call("disconnect-sockets", kick_close, True) is None
    for peer in closed:
        peer.wait_disconnected()

    survivor = p["b2"]
    assert survivor.connected() and survivor.call("node") == str(survivor.node.pid)
    wait_fetched_ids(survivor, None, {survivor.sid})


def test_server_side_emit_with_ack_gets_the_other_nodes_answers(cluster: list[Node], spread: list[Peer]) -> None:
    p = by_name(spread)
    pids = {node.name: str(node.pid) for node in cluster}
    for asker in (p["a1"], p["b1"], p["c1"]):
        answers = asker.call("server-side-emit")
        assert isinstance(answers, list), f"server-side-emit from {asker.node} failed: {answers!r}"
        others = sorted(pid for name, pid in pids.items() if name != asker.node.name)
        assert sorted(answers) == others, f"answers to {asker.node}"


def test_broadcast_with_ack_collects_every_clients_reply_across_nodes(spread: list[Peer]) -> None:
    p = by_name(spread)
    room = unique("question")
    members = [p["a1"], p["a2"], p["b1"], p["c1"], p["c2"]]
    for member in members:
        member.join(room)
    question = {"q": room}
    replies = p["b2"].call("broadcast-with-ack", room, question)
    assert isinstance(replies, list), f"broadcast-with-ack failed: {replies!r}"
    assert sorted(replies, key=lambda reply: reply["peer"]) == [
        {"peer": member.name, "args": [question]} for member in sorted(members, key=lambda m: m.name)
    ]
    assert p["b2"].events("question") == []

    # A room without members: an empty answer at once, not a timeout.
    assert p["a1"].call("broadcast-with-ack", unique("nobody"), question) == []


def test_binary_payloads_cross_nodes_intact(cluster: list[Node], peers: PeerSet) -> None:
    blob = bytes(range(256)) * 40  # 10 KB with every byte value
    everyone = [peers.open(node, f"bin-{node.name.lower()}{i}",
                           reply=lambda peer, args: {"peer": peer.name, "echo": args[0]["raw"][:16]})
                for node in cluster for i in (1, 2)]
    a1, a2, b1, b2, c1, c2 = everyone
    room = unique("binary")
    members = [a1, b1, c1]
    for member in members:
        member.join(room)

    payload = {"raw": blob, "nested": [b"\x00", {"ff": b"\xff" * 3}], "text": "mixed"}
    for sender in (a2, c2):
        token = {"binary-from": sender.name}
        sender.call("broadcast", room, token, payload, b"\x01\x02 top level")
        assert_broadcast_reached(sender, token, members, everyone)
        for member in members:
            args = member.wait_event("broadcast", token)
            assert args == [token, payload, b"\x01\x02 top level"], f"{member} got {args[1:]!r:.200}"
            assert isinstance(args[1]["raw"], bytes)

    # Binary acks from clients on other nodes travel back to the asking node.
    replies = b2.call("broadcast-with-ack", room, {"raw": blob})
    assert isinstance(replies, list), f"broadcast-with-ack failed: {replies!r}"
    assert sorted(replies, key=lambda reply: reply["peer"]) == [
        {"peer": member.name, "echo": blob[:16]} for member in sorted(members, key=lambda m: m.name)
    ]


def test_payloads_over_8000_bytes_cross_nodes_intact(cluster: list[Node], peers: PeerSet) -> None:
    everyone = [peers.open(node, f"big-{node.name.lower()}{i}") for node in cluster for i in (1, 2)]
    a1, a2, b1, b2, c1, c2 = everyone
    room = unique("large")
    members = [a1, b2, c1]
    for member in members:
        member.join(room)

    large = {"text": "é☃😀 " * 3000, "numbers": list(range(3000)), "deep": {"list": [{"k": "v" * 100}] * 50}}
    for sender in (b1, c2):
        token = {"large-from": sender.name}
        sender.call("broadcast", room, token, large)
        assert_broadcast_reached(sender, token, members, everyone)
        for member in members:
            assert member.wait_event("broadcast", token) == [token, large], f"{member} got a different payload"

    # A large socket.data comes back through fetchSockets' response from another node.
    assert c1.call("set-data", large) is None
    fetched = {s["id"]: s for s in fetch_sockets(a2, room)}
    assert set(fetched) == {member.sid for member in members}
    assert fetched[c1.sid]["data"] == large


def test_polling_only_node_counts_and_broadcasts_both_ways(cluster: list[Node], spread: list[Peer]) -> None:
    p = by_name(spread)
    for peer in (p["c1"], p["c2"]):
        assert peer.client.transport() == "polling"
    assert p["a1"].client.transport() == "websocket"
    assert p["c2"].call("server-count") == 3

    to_polling, to_websocket = unique("to-polling"), unique("to-websocket")
    p["c1"].join(to_polling)
    p["a1"].join(to_websocket)
    p["b1"].join(to_websocket)
    token = {"into": "polling"}
    p["a2"].call("broadcast", to_polling, token)
    assert_broadcast_reached(p["a2"], token, [p["c1"]], spread)
    token = {"from": "polling"}
    p["c2"].call("broadcast", to_websocket, token)
    assert_broadcast_reached(p["c2"], token, [p["a1"], p["b1"]], spread)


def test_no_cluster_message_was_lost(cluster: list[Node]) -> None:
    """Last of the module. Nothing above disturbs PostgreSQL, so a failed publish is a bug
    even where no test noticed it (a lost heartbeat only delays the cluster's forming)."""
    for node in cluster:
        log = node.proc.stderr_text()
        assert "cluster publish failed" not in log, f"{node} failed to publish cluster messages:\n{log[-4000:]}"
