"""`sioconsole --headless --adapter postgres://…` on a two-node cluster.

One `sio-e2e-server` and one `sioconsole`, both on the PostgreSQL adapter of the throw-away
database that scripts/with-postgres.sh starts (SIO_TEST_POSTGRES_URL). python-socketio
clients connect to the e2e server (the other node); the console must list both nodes, show
the remote sockets with their handshake and rooms, and act on them through the cluster.

    scripts/with-postgres.sh env SIOCONSOLE=$PWD/.build/debug/sioconsole \
        SIO_E2E_SERVER=$PWD/.build/debug/sio-e2e-server \
        .venv/bin/python -m pytest -q -p no:cacheprovider Tests/Console/test_cluster_console.py

Without SIO_TEST_POSTGRES_URL every test fails (never skips). Every wait is bounded, and
generously (WAIT): a bound only ends a wait that failed, a loaded machine only makes a test
slower.
"""
import json
import os
import queue
import subprocess
import time

import pytest
import socketio

from process_lines import Lines

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONSOLE = os.environ.get("SIOCONSOLE", os.path.join(ROOT, ".build", "debug", "sioconsole"))
E2E_SERVER = os.environ.get("SIO_E2E_SERVER", os.path.join(ROOT, ".build", "debug", "sio-e2e-server"))
POSTGRES_URL = os.environ.get("SIO_TEST_POSTGRES_URL")
MISSING_POSTGRES = ("SIO_TEST_POSTGRES_URL is not set: run this suite under scripts/with-postgres.sh, "
                    "which starts a throw-away PostgreSQL and exports it")
REPLY_TYPES = ("reply", "sockets", "rooms", "socket", "nodes", "help")
WAIT = 30  # seconds: a reply, an event, a disconnect
SLOW_WAIT = 60  # seconds: a process starting, the cluster noticing a node, a socket or a room


def wait_for(condition, what, timeout=SLOW_WAIT, interval=0.1):
    """Calls `condition` until it returns something truthy (returned), at most `timeout` s."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}")


class Node:
    """A process of the cluster, stopped by `close`; its stderr goes to a file."""

    def __init__(self, arguments, log_path, parse):
        self.log = open(log_path, "wb")
        self.process = subprocess.Popen(arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)
        self.lines = Lines(self.process.stdout, parse)

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=WAIT)
        self.log.close()


class E2EServer(Node):
    """`sio-e2e-server --port 0 --adapter URL`: the other node. With Node's default heartbeat
    (25 s / 20 s) and connect timeout (45 s) instead of the e2e server's 300 / 200 ms and 1 s:
    these tests are about the cluster, and a client thread held up on a loaded machine must
    not lose its connection to a timer."""

    def __init__(self, url, log_path):
        super().__init__([E2E_SERVER, "--port", "0", "--adapter", url,
                          "--ping-interval", "25000", "--ping-timeout", "20000", "--connect-timeout", "45000"],
                         log_path, lambda raw: raw.decode().strip())
        line = self.lines.next(lambda text: text.startswith("listening on "), timeout=SLOW_WAIT)
        self.url = "http://" + line.removeprefix("listening on ")


class Console(Node):
    """`sioconsole --headless --adapter URL`: this node, commands on stdin, JSON lines out."""

    def __init__(self, url, log_path):
        super().__init__([CONSOLE, "--headless", "--port", "0", "--adapter", url], log_path, json.loads)
        banner = self.lines.next(lambda line: line["type"] == "listening", timeout=SLOW_WAIT)
        self.url = f"http://127.0.0.1:{banner['port']}"

    def next(self, predicate, timeout=WAIT):
        return self.lines.next(predicate, timeout)

    def reply(self, command, timeout=WAIT):
        self.process.stdin.write((command + "\n").encode())
        self.process.stdin.flush()
        return self.next(lambda line: line["type"] in REPLY_TYPES, timeout)

    def socket(self, sid):
        """The `sockets` row of `sid`, or None."""
        return next((row for row in self.reply("sockets")["sockets"] if row["id"] == sid), None)


class Client:
    """A python-socketio client recording its events and disconnections."""

    def __init__(self, url, auth=None, query="", ack_reply=None):
        self.events = queue.Queue()
        self.disconnects = queue.Queue()
        self.sio = socketio.Client(reconnection=False)

        def on_any(event, *arguments):
            self.events.put((event, list(arguments)))
            return ack_reply

        def on_disconnect(reason=None):
            self.disconnects.put(str(reason))

        self.sio.on("*", on_any)
        self.sio.on("disconnect", on_disconnect)
        self.sio.connect(url + (("?" + query) if query else ""), auth=auth, wait_timeout=WAIT)

    def event(self, name, timeout=WAIT):
        """The arguments of the next `name` event (the e2e node also sends its own, e.g. `auth`)."""
        deadline = time.monotonic() + timeout
        while True:
            event, arguments = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            if event == name:
                return arguments

    @property
    def sid(self):
        return self.sio.get_sid("/")

    def server_side_rooms(self):
        """The rooms the e2e node itself has this client's socket in (its `fetch-sockets`)."""
        sockets = self.sio.call("fetch-sockets", timeout=WAIT)
        return next(set(row["rooms"]) for row in sockets if row["id"] == self.sid)

    def close(self):
        try:
            self.sio.disconnect()
        except Exception:  # noqa: BLE001
            pass


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The e2e node and the console node, or None without a database (the tests fail)."""
    if not POSTGRES_URL:
        yield None
        return
    folder = tmp_path_factory.mktemp("cluster")
    other = E2EServer(POSTGRES_URL, folder / "e2e-server.log")
    console = None
    try:
        console = Console(POSTGRES_URL, folder / "sioconsole.log")
        yield other, console
    finally:
        if console:
            console.close()
        other.close()


def nodes_of(console):
    """`cluster` fixture's console, and a `nodes` reply where / has this node and an alive other."""
    def both():
        reply = console.reply("nodes")
        rows = [row for row in reply["nodes"] if row["nsp"] == "/"]
        if any(row["self"] for row in rows) and any(not row["self"] and row["state"] == "alive" for row in rows):
            return reply
        return None
    return wait_for(both, "the console to see the other node")


def require(cluster):
    if cluster is None:
        pytest.fail(MISSING_POSTGRES, pytrace=False)
    return cluster


def test_the_console_lists_both_nodes(cluster):
    other, console = require(cluster)
    reply = nodes_of(console)
    assert reply["cluster"] is True
    assert reply["servers"] == 2
    rows = [row for row in reply["nodes"] if row["nsp"] == "/"]
    local = [row for row in rows if row["self"]]
    remote = [row for row in rows if not row["self"] and row["state"] != "gone"]
    assert len(local) == 1 and len(remote) == 1
    assert local[0]["uid"] != remote[0]["uid"]
    assert len(remote[0]["uid"]) == 16
    assert remote[0]["silenceMs"] >= 0 and remote[0]["lastHeartbeat"].endswith("Z")
    assert local[0]["publishFailures"] == 0


def test_a_socket_on_the_other_node_appears_with_its_handshake_and_rooms(cluster, clients):
    other, console = require(cluster)
    rows = [row for row in nodes_of(console)["nodes"] if row["nsp"] == "/"]
    other_uid = next(row["uid"] for row in rows if not row["self"] and row["state"] == "alive")
    remote = Client(other.url, auth={"token": "s3cret"}, query="user=remote-alice")
    local = Client(console.url, query="user=local-bob")
    clients.extend([remote, local])
    row = wait_for(lambda: console.socket(remote.sid), "the remote socket in `sockets`")
    # The node that holds it, by its uid in the cluster.
    assert row["node"] == other_uid
    assert row["rooms"] == [remote.sid]
    shown = console.reply(f"show {remote.sid}")["socket"]
    assert shown["node"] == other_uid
    assert shown["handshake"]["query"]["user"] == "remote-alice"
    assert shown["handshake"]["auth"] == {"token": "s3cret"}
    assert shown["data"] is None
    mine = wait_for(lambda: console.socket(local.sid), "the local socket in `sockets`")
    assert "node" not in mine and mine["transport"] in ("polling", "websocket")
    connect = console.next(lambda line: line["type"] == "connect" and line.get("socket") == remote.sid)
    assert "another node" in connect["summary"]


def test_join_emit_and_leave_from_the_console_act_on_the_remote_socket(cluster, clients):
    other, console = require(cluster)
    nodes_of(console)
    remote = Client(other.url)
    clients.append(remote)
    wait_for(lambda: console.socket(remote.sid), "the remote socket in `sockets`")

    joined = console.reply(f"join lobby {remote.sid}")
    assert joined["ok"] is True, joined
    assert "cluster" in joined["message"]
    wait_for(lambda: "lobby" in remote.server_side_rooms(), "the other node to put the socket in lobby")
    row = wait_for(lambda: (row := console.socket(remote.sid)) and "lobby" in row["rooms"] and row,
                   "the console to show the remote socket in lobby")
    assert sorted(row["rooms"]) == sorted([remote.sid, "lobby"])
    rooms = console.reply("rooms")["rooms"]
    assert {"nsp": "/", "room": "lobby", "private": False, "members": [remote.sid]} in rooms

    assert console.reply('emit --to lobby news {"n": 1}')["ok"] is True
    assert remote.event("news") == [{"n": 1}]
    assert console.reply(f"emit --to {remote.sid} direct 2")["ok"] is True
    assert remote.event("direct") == [2]

    assert console.reply(f"leave lobby {remote.sid}")["ok"] is True
    wait_for(lambda: "lobby" not in remote.server_side_rooms(), "the other node to take the socket out of lobby")
    wait_for(lambda: (row := console.socket(remote.sid)) and row["rooms"] == [remote.sid],
             "the console to show the remote socket out of lobby")


def test_an_emit_with_ack_to_a_remote_socket_reports_its_reply(cluster, clients):
    other, console = require(cluster)
    nodes_of(console)
    remote = Client(other.url, ack_reply="pong")
    clients.append(remote)
    wait_for(lambda: console.socket(remote.sid), "the remote socket in `sockets`")
    assert console.reply(f"emit --to {remote.sid} --ack 5000 ping 1")["ok"] is True
    reply = console.next(lambda line: line["type"] == "ack" and line["summary"].startswith("reply to emit"))
    assert reply["socket"] == remote.sid
    assert reply["args"] == ["pong"]
    assert console.next(lambda line: "1 of 1 replied" in line["summary"])["type"] == "console"


def test_kick_from_the_console_disconnects_the_remote_socket(cluster, clients):
    other, console = require(cluster)
    nodes_of(console)
    remote = Client(other.url)
    clients.append(remote)
    sid = remote.sid
    wait_for(lambda: console.socket(sid), "the remote socket in `sockets`")
    kicked = console.reply(f"kick {sid}")
    assert kicked["ok"] is True, kicked
    assert remote.disconnects.get(timeout=WAIT) == "server disconnect"
    wait_for(lambda: console.socket(sid) is None, "the remote socket to leave `sockets`")
    gone = console.next(lambda line: line["type"] == "disconnect" and line.get("socket") == sid)
    assert "another node" in gone["summary"]


def alive_others(console):
    return {row["uid"] for row in console.reply("nodes")["nodes"]
            if row["nsp"] == "/" and not row["self"] and row["state"] == "alive"}


def test_a_node_that_stops_is_shown_gone_and_its_sockets_leave(cluster, clients, tmp_path):
    other, console = require(cluster)
    nodes_of(console)
    before = alive_others(console)
    extra = E2EServer(POSTGRES_URL, tmp_path / "extra-node.log")
    try:
        new = wait_for(lambda: alive_others(console) - before, "the console to see a third node")
        assert console.reply("nodes")["servers"] == 3
        client = Client(extra.url)
        clients.append(client)
        sid = client.sid
        wait_for(lambda: console.socket(sid), "the third node's socket in `sockets`")
    finally:
        extra.close()
    # SIGTERM: the node closes its adapter, which tells the cluster it leaves.
    (uid,) = new
    wait_for(lambda: any(row["uid"] == uid and row["state"] == "gone" for row in console.reply("nodes")["nodes"]),
             "the console to show the stopped node gone")
    wait_for(lambda: console.socket(sid) is None, "the stopped node's socket to leave `sockets`")
    assert console.next(lambda line: line["type"] == "node" and uid in line["summary"] and "left" in line["summary"])
    assert console.reply("nodes")["servers"] == 2
