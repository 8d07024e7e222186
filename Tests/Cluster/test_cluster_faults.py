# Faults: a node killed with SIGKILL is dropped by the others within the heartbeat timeout
# (and does not hang a pending fetchSockets); a PostgreSQL restart interrupts nothing for
# good: broadcasts cross nodes again without restarting any node.
from __future__ import annotations

import signal
import time
from typing import Iterator

import pytest

from cluster_helpers import (
    CALL_TIMEOUT,
    DELIVERY_TIMEOUT,
    Node,
    Peer,
    PeerSet,
    assert_broadcast_reached,
    fetched_ids,
    restart_postgres,
    start_nodes,
    stop_nodes,
    unique,
    wait_server_count,
)

# Shorter than Node's 5 s / 10 s so the suite stays quick; still far above the stalls a
# loaded machine causes. Requests wait far longer than a dead node takes to be dropped, so a
# request pending on a dead node ends by the drop, not by its timeout, even on a loaded machine.
HEARTBEAT_INTERVAL_MS = 1000
HEARTBEAT_TIMEOUT_MS = 3000
REQUESTS_TIMEOUT_MS = 60_000
# The adapter checks for silent nodes once a second.
DROP_BOUND = HEARTBEAT_TIMEOUT_MS / 1000 + 1 + 30  # timeout + check period + margin for load
# For the test whose point is that a node's close message drops it at once: the others'
# heartbeat timeout is long, so a drop within it can only come from that message, however
# loaded the machine is.
LONG_HEARTBEAT_TIMEOUT_MS = 60_000
# After a PostgreSQL restart: how long broadcasts may take to cross again (the LISTEN
# connections' 1–3 s backoff, on a loaded machine), and how long each attempt waits.
RESUME_BOUND = 60.0
ATTEMPT_BOUND = 3.0


@pytest.fixture
def heartbeat_timeout_ms() -> int:
    """The heartbeat timeout of the `cluster` fixture's nodes (a test may parametrize it)."""
    return HEARTBEAT_TIMEOUT_MS


@pytest.fixture
def cluster(peers: PeerSet, heartbeat_timeout_ms: int) -> Iterator[list[Node]]:
    nodes = start_nodes(
        [["polling", "websocket"]] * 3,
        heartbeat_interval_ms=HEARTBEAT_INTERVAL_MS,
        heartbeat_timeout_ms=heartbeat_timeout_ms,
        requests_timeout_ms=REQUESTS_TIMEOUT_MS,
    )
    try:
        probes = PeerSet()
        try:
            wait_server_count([probes.open(node, f"probe-{node.name}") for node in nodes], 3)
        finally:
            probes.close_all()
        yield nodes
    finally:
        peers.close_all()
        complaints = stop_nodes(nodes)
    assert not complaints, "\n".join(complaints)


def test_killed_node_is_dropped_and_a_pending_fetch_sockets_returns(cluster: list[Node], peers: PeerSet) -> None:
    a, b, c = cluster
    a1, b1 = peers.open(a, "a1"), peers.open(b, "b1")
    c1, c2 = peers.open(c, "c1"), peers.open(c, "c2")
    room = unique("survivors")
    for peer in (a1, b1, c1, c2):
        peer.join(room)
    assert fetched_ids(a1) == {a1.sid, b1.sid, c1.sid, c2.sid}

    # Freeze C first so it cannot answer the request that is already on its way, then kill it.
    c.proc.proc.send_signal(signal.SIGSTOP)
    started = time.monotonic()
    pending = a1.call_async("fetch-sockets")
    c.killed = True
    c.proc.proc.send_signal(signal.SIGKILL)
    c.proc.proc.wait(timeout=30)

    # Bounded past the requests timeout: had the request ended by its timeout, the check
    # on `elapsed` below says so (instead of a missing ack).
    result = pending.result(timeout=REQUESTS_TIMEOUT_MS / 1000 + CALL_TIMEOUT)
    elapsed = time.monotonic() - started
    assert isinstance(result, list), f"fetch-sockets pending on the dead node failed: {result!r}"
    assert {s["id"] for s in result} == {a1.sid, b1.sid}, "the surviving nodes' sockets"
    assert elapsed < REQUESTS_TIMEOUT_MS / 1000, f"fetch-sockets ended by its timeout ({elapsed:.1f}s), not by the drop"

    wait_server_count([a1, b1], 2, timeout=max(1.0, DROP_BOUND - (time.monotonic() - started)))
    for peer in (c1, c2):
        peer.wait_disconnected()

    # The survivors still work as a cluster, and no longer wait for the dead node.
    token = {"after-kill": room}
    a1.call("broadcast", room, token)
    assert_broadcast_reached(a1, token, [a1, b1], [a1, b1])
    asked = time.monotonic()
    assert b1.call("server-side-emit") == [str(a.pid)]
    assert fetched_ids(b1) == {a1.sid, b1.sid}
    assert time.monotonic() - asked < CALL_TIMEOUT / 2, "requests after the drop must not wait for the dead node"


def test_broadcasts_resume_after_a_postgres_restart(cluster: list[Node], peers: PeerSet) -> None:
    everyone = [peers.open(node, f"{node.name.lower()}1") for node in cluster]
    a1, b1, c1 = everyone
    room = unique("restart")
    for peer in everyone:
        peer.join(room)
    pids = [node.pid for node in cluster]
    token = {"before": "restart"}
    a1.call("broadcast", room, token)
    assert_broadcast_reached(a1, token, everyone, everyone)

    restart_postgres()

    # Messages published while the LISTEN connections reconnect are lost (as in Node): keep
    # sending fresh ones until one crosses, within a bound covering the 1–3 s backoff.
    for sender, receivers in ((a1, [b1, c1]), (c1, [a1, b1]), (b1, [a1, c1])):
        deadline = time.monotonic() + RESUME_BOUND
        attempt = 0
        while True:
            attempt += 1
            token = {"after-restart-from": sender.name, "attempt": attempt}
            sender.call("broadcast", room, token)
            try:
                for receiver in receivers:
                    receiver.wait_event("broadcast", token, timeout=ATTEMPT_BOUND)
                break
            except AssertionError:
                if time.monotonic() >= deadline:
                    raise AssertionError(
                        f"broadcasts from {sender.node} did not resume within {RESUME_BOUND}s of the restart")
    wait_server_count(everyone, 3, timeout=DELIVERY_TIMEOUT + 10)

    token = {"settled": room}
    b1.call("broadcast", room, token)
    assert_broadcast_reached(b1, token, everyone, everyone)
    # Requests and the attachment table (binary, large) work on the new connections too.
    assert fetched_ids(c1) == {peer.sid for peer in everyone}
    token, blob = {"binary-after": "restart"}, bytes(range(256)) * 40
    c1.call("broadcast", room, token, blob)
    assert_broadcast_reached(c1, token, everyone, everyone)
    assert a1.wait_event("broadcast", token) == [token, blob]
    assert all(node.alive() for node in cluster) and [node.pid for node in cluster] == pids
    for peer in everyone:
        assert peer.connected(), f"{peer} lost its connection over the PostgreSQL restart"


@pytest.mark.parametrize("heartbeat_timeout_ms", [LONG_HEARTBEAT_TIMEOUT_MS], ids=["long-heartbeat-timeout"])
def test_node_started_after_the_others_joins_the_cluster(cluster: list[Node], peers: PeerSet,
                                                       heartbeat_timeout_ms: int) -> None:
    """A late node is counted by everyone and takes part in broadcasts; once stopped
    cleanly (SIGTERM sends its close), the others drop it at once."""
    late = start_nodes([["websocket"]], heartbeat_interval_ms=HEARTBEAT_INTERVAL_MS,
                       heartbeat_timeout_ms=heartbeat_timeout_ms, requests_timeout_ms=REQUESTS_TIMEOUT_MS)[0]
    late.name = "D"
    try:
        everyone: list[Peer] = [peers.open(node, f"{node.name.lower()}1") for node in (*cluster, late)]
        wait_server_count(everyone, 4)
        room = unique("late")
        for peer in everyone:
            peer.join(room)
        token = {"with": "D"}
        everyone[0].call("broadcast", room, token)
        assert_broadcast_reached(everyone[0], token, everyone, everyone)
        token = {"from": "D"}
        everyone[3].call("broadcast", room, token)
        assert_broadcast_reached(everyone[3], token, everyone, everyone)
    finally:
        complaints = stop_nodes([late])
    assert not complaints, "\n".join(complaints)
    # The close message makes this immediate; the bound stays below the heartbeat timeout
    # (of A, B and C, which is what would drop D without its close message).
    wait_server_count(everyone[:3], 3, timeout=heartbeat_timeout_ms / 1000 - 0.5)
