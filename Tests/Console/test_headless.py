"""`sioconsole --headless`: JSON lines on stdout, the console's commands on stdin.

Each test starts the built binary on a free port (SIOCONSOLE, default .build/debug/sioconsole),
connects python-socketio clients, writes commands to its stdin and reads its stdout; every
wait is bounded, generously (a loaded machine only makes a test slower). A check that a
client did NOT get something first waits for two more Engine.IO pings on its connection
(`Client.wait_pings`): the console pings every PING_INTERVAL_MS.
"""
import json
import os
import queue
import time

import pytest

from headless_process import HeadlessProcess
from console_client import Client

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("SIOCONSOLE", os.path.join(ROOT, ".build", "debug", "sioconsole"))
EVIL = "\u001b[2J\u001b]0;x\u0007"
PING_INTERVAL_MS = 1000
WAIT = 30  # seconds: the bound of every wait (it only ends one that failed)


class Headless(HeadlessProcess):
    """A running `sioconsole --headless` (its own embedded server) and the JSON lines it wrote."""

    def __init__(self, *arguments):
        super().__init__([BINARY, "--headless", "--port", "0", "--namespace", "/admin",
                          "--ping-interval", str(PING_INTERVAL_MS), *arguments])
        banner = self.next(lambda line: line["type"] == "listening")
        self.port = banner["port"]
        self.url = f"http://127.0.0.1:{self.port}"


@pytest.fixture
def console():
    running = Headless()
    yield running
    running.close()


def test_connections_and_events_become_json_lines(console, clients):
    alice = Client(console.url, auth={"token": "s3cret"}, query="user=alice")
    clients.append(alice)
    connect = console.next(lambda line: line["type"] == "connect")
    assert connect["socket"] == alice.sid()
    assert connect["nsp"] == "/"
    assert connect["handshake"]["auth"] == {"token": "s3cret"}
    assert connect["handshake"]["query"]["user"] == "alice"
    alice.sio.emit("chat", ("hello", {"n": 1}))
    event = console.next(lambda line: line["type"] == "event")
    assert event["dir"] == "in"
    assert event["event"] == "chat"
    assert event["args"] == ["hello", {"n": 1}]
    assert event["socket"] == alice.sid()
    assert event["size"] > 0


@pytest.mark.parametrize("parser", ["default", "msgpack"])
def test_events_and_acks_show_the_same_with_either_parser(parser, closing, clients):
    console = Headless("--parser", parser)
    closing.append(console)
    alice = Client(console.url, ack_reply="pong", serializer=parser)
    clients.append(alice)
    console.next(lambda line: line["type"] == "connect")
    alice.sio.emit("chat", ("hello", {"n": 1}, b"\x01\x02"), callback=lambda *args: None)
    event = console.next(lambda line: line["type"] == "event" and line["dir"] == "in")
    assert event["event"] == "chat" and event["socket"] == alice.sid()
    assert event["args"] == ["hello", {"n": 1}, {"_binary": 2, "hex": "0102"}]
    assert event["ack"] >= 0 and event["size"] > 0
    assert console.reply(f"emit --to {alice.sid()} --ack 3000 ping 1")["ok"] is True
    reply = console.next(lambda line: line["type"] == "ack" and line["dir"] == "in")
    assert reply["socket"] == alice.sid() and reply["args"] == ["pong"] and reply["ack"] >= 0


def test_join_rooms_sockets_and_show(console, clients):
    alice = Client(console.url, query="user=alice")
    clients.append(alice)
    console.next(lambda line: line["type"] == "connect")
    reply = console.reply(f"join lobby {alice.sid()}")
    assert reply["ok"] is True
    join = console.next(lambda line: line["type"] == "join")
    assert join["room"] == "lobby" and join["socket"] == alice.sid()
    rooms = console.reply("rooms")
    assert {"nsp": "/", "room": "lobby", "private": False, "members": [alice.sid()]} in rooms["rooms"]
    sockets = console.reply("sockets")
    assert [socket["id"] for socket in sockets["sockets"]] == [alice.sid()]
    assert sorted(sockets["sockets"][0]["rooms"]) == sorted([alice.sid(), "lobby"])
    shown = console.reply(f"show {alice.sid()}")
    assert shown["socket"]["handshake"]["query"]["user"] == "alice"
    assert shown["socket"]["data"] is None
    assert console.reply(f"leave lobby {alice.sid()}")["ok"] is True
    assert console.next(lambda line: line["type"] == "leave")["room"] == "lobby"


def test_nodes_says_the_server_is_a_single_node(console, clients):
    alice = Client(console.url)
    clients.append(alice)
    console.next(lambda line: line["type"] == "connect")
    reply = console.reply("nodes")
    assert reply["cluster"] is False and reply["servers"] == 1 and reply["nodes"] == []
    assert "single-node" in reply["summary"]
    assert "node" not in console.reply("sockets")["sockets"][0]


def test_emit_to_a_room_reaches_only_its_members(console, clients):
    alice, bob = Client(console.url), Client(console.url)
    clients.extend([alice, bob])
    console.reply(f"join lobby {alice.sid()}")
    assert console.reply('emit --to lobby news {"n": 1} "text"')["ok"] is True
    assert alice.event() == ("/", "news", [{"n": 1}, "text"])
    bob.wait_pings()  # had the emit reached bob, it would be in his queue by now
    with pytest.raises(queue.Empty):
        bob.event(timeout=0.5)
    outbound = console.next(lambda line: line["type"] == "event" and line["dir"] == "out")
    assert outbound["socket"] == alice.sid() and outbound["event"] == "news"


def test_emit_with_ack_reports_each_reply(console, clients):
    alice = Client(console.url, ack_reply="pong")
    clients.append(alice)
    console.next(lambda line: line["type"] == "connect")
    assert console.reply(f"emit --to {alice.sid()} --ack 3000 ping 1")["ok"] is True
    reply = console.next(lambda line: line["type"] == "ack" and line["summary"].startswith("reply to emit"))
    assert reply["socket"] == alice.sid()
    assert reply["args"] == ["pong"]
    summary = console.next(lambda line: "1 of 1 replied" in line["summary"])
    assert summary["type"] == "console"


def test_kick_and_kick_bang_with_the_reasons_clients_see(console, clients):
    carol = Client(console.url, namespaces=("/", "/admin"))
    dave = Client(console.url, namespaces=("/", "/admin"))
    clients.extend([carol, dave])
    carol_main = carol.sid()
    assert console.reply(f"kick {carol_main}")["ok"] is True
    assert carol.disconnect_reason() == ("/", "server disconnect")
    carol.wait_pings()  # had the kick ended /admin too, carol would have seen it by now
    assert carol.sio.connected and "/admin" in carol.sio.namespaces
    gone = console.next(lambda line: line["type"] == "disconnect" and line["socket"] == carol_main)
    assert gone["summary"] == "disconnected: server namespace disconnect"
    assert console.reply(f"kick! {dave.sid()}")["ok"] is True
    reasons = {dave.disconnect_reason(), dave.disconnect_reason()}
    assert {namespace for namespace, _ in reasons} == {"/", "/admin"}


def test_filter_and_pause_change_what_is_printed(console, clients):
    alice = Client(console.url)
    clients.append(alice)
    console.next(lambda line: line["type"] == "connect")
    assert console.reply("filter event:chat")["ok"] is True
    alice.sio.emit("noise", (1,))
    alice.sio.emit("chat", ("kept",))
    event = console.next(lambda line: line["type"] == "event")
    assert event["event"] == "chat"
    assert console.reply("filter")["message"] == "event:chat"
    assert console.reply("pause")["ok"] is True
    events_before = console.reply("sockets")["sockets"][0]["in"]
    alice.sio.emit("chat", ("while paused",))
    # The server has counted the event (the counters stay live while paused), so had it been
    # printed, it would be among the lines read by the time the reply arrives.
    deadline = time.monotonic() + WAIT
    while console.reply("sockets")["sockets"][0]["in"] <= events_before:
        assert time.monotonic() < deadline, "the server never counted the event sent while paused"
    assert all(line.get("args") != ["while paused"] for line in console.seen)
    assert console.reply("resume")["ok"] is True
    assert console.next(lambda line: line.get("args") == ["while paused"])["event"] == "chat"


def test_client_text_is_escaped_on_stdout(console, clients):
    mallory = Client(console.url)
    clients.append(mallory)
    mallory.sio.emit(EVIL, (EVIL,))
    event = console.next(lambda line: line["type"] == "event")
    assert event["event"] == EVIL and event["args"] == [EVIL]
    raw = b"".join(console.raw)
    assert b"\x1b" not in raw and b"\x07" not in raw
    assert b"\\u001b[2J\\u001b]0;x\\u0007" in raw


def test_bad_commands_get_an_error_reply(console):
    assert console.reply("frobnicate")["ok"] is False
    assert console.reply("emit disconnect")["ok"] is False
    assert console.reply("kick nobody")["message"] == "no socket nobody"
    assert console.reply("theme light")["ok"] is False
    assert console.reply("help")["type"] == "help"


def test_an_overlong_input_line_is_refused_and_the_console_goes_on(console):
    console.send("x" * 200_000)
    refusal = console.next(lambda line: line["type"] == "reply")
    assert refusal["ok"] is False and refusal["command"] == "input"
    assert "200000 bytes" in refusal["message"]
    assert console.reply("help")["type"] == "help"


def test_export_writes_json_lines(console, clients, tmp_path):
    alice = Client(console.url)
    clients.append(alice)
    alice.sio.emit("chat", ("exported",))
    console.next(lambda line: line["type"] == "event")
    path = tmp_path / "log.jsonl"
    assert console.reply(f"export {path}")["ok"] is True
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert any(line.get("args") == ["exported"] for line in lines)


def test_read_only_refuses_every_acting_command(clients):
    console = Headless("--read-only")
    try:
        grace = Client(console.url)
        clients.append(grace)
        console.next(lambda line: line["type"] == "connect")
        for command in (f"kick {grace.sid()}", f"kick! {grace.sid()}", f"join lobby {grace.sid()}",
                        f"leave {grace.sid()} {grace.sid()}", "emit hello"):
            reply = console.reply(command)
            assert reply["ok"] is False
            assert reply["message"].startswith("read-only:")
        grace.wait_pings()  # had a command reached grace, it would be in her queue by now
        assert grace.sio.connected
        with pytest.raises(queue.Empty):
            grace.event(timeout=0.3)
        assert console.reply("sockets")["sockets"][0]["id"] == grace.sid()
    finally:
        console.close()


def test_quit_stops_the_server_and_the_clients_see_it(clients):
    console = Headless()
    alice = Client(console.url)
    clients.append(alice)
    console.next(lambda line: line["type"] == "connect")
    assert console.reply("quit")["message"] == "bye"
    assert console.process.wait(timeout=WAIT) == 0
    assert alice.disconnect_reason()[0] == "/"


def test_admin_flags_serve_the_admin_ui_protocol_from_the_embedded_server(clients):
    running = Headless("--admin", "--admin-readonly", "--admin-namespace", "/ops")
    try:
        alice = Client(running.url)
        clients.append(alice)
        admin = Client(running.url, namespaces=("/ops",))
        clients.append(admin)
        received = {}
        deadline = time.monotonic() + 10
        while not {"config", "all_sockets"} <= set(received) and time.monotonic() < deadline:
            namespace, event, arguments = admin.event(timeout=max(0.1, deadline - time.monotonic()))
            if namespace == "/ops":
                received.setdefault(event, arguments)
        assert received["config"] == [{"supportedFeatures": ["AGGREGATED_EVENTS", "ALL_EVENTS"]}]
        ids = {(entry["nsp"], entry["id"]) for entry in received["all_sockets"][0]}
        assert {("/", alice.sid()), ("/ops", admin.sid("/ops"))} <= ids
    finally:
        running.close()


def test_demo_traffic_moves_every_pane():
    """`--demo`: real clients in the process connect with names, enter rooms, chat (events
    both ways), ping with acknowledgements, and some stay on polling."""
    demo = Headless("--demo")
    try:
        connects = set()
        while len(connects) < 8:
            connects.add(demo.next(lambda line: line["type"] == "connect")["socket"])
        demo.next(lambda line: line["type"] == "join" and line["nsp"] == "/")
        demo.next(lambda line: line["type"] == "event" and line["dir"] == "in" and line.get("event") == "say", 60)
        demo.next(lambda line: line["type"] == "event" and line["dir"] == "out" and line.get("event") == "said", 60)
        demo.next(lambda line: line["type"] == "ack" and line["dir"] == "out", 60)
        listing = demo.reply("sockets")
        transports = {row["transport"] for row in listing["sockets"]}
        assert "polling" in transports and "websocket" in transports, transports
        shown = demo.reply("show " + listing["sockets"][0]["id"])
        assert isinstance(shown["socket"]["data"]["name"], str), shown
    finally:
        demo.close()



def test_the_parser_flag_is_in_the_help_and_an_unknown_parser_is_refused():
    import subprocess

    shown = subprocess.run([BINARY, "--help"], capture_output=True, text=True, timeout=WAIT)
    assert "--parser NAME" in shown.stdout + shown.stderr
    refused = subprocess.run([BINARY, "--headless", "--port", "0", "--parser", "json"], capture_output=True,
                             text=True, timeout=WAIT, stdin=subprocess.DEVNULL)
    assert refused.returncode != 0
    assert "unknown parser json" in refused.stderr + refused.stdout
