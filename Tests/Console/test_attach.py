"""`sioconsole attach URL --headless`: the console of a server that runs elsewhere, over the
Admin UI protocol.

The watched servers: our `sio-e2e-server --admin` (with and without basic authentication,
read-only, production mode) and a python-socketio server instrumented with `instrument()`
(Tests/Console/instrumented_server.py: a server nobody here wrote). python-socketio clients
connect to the watched server; the console must list them with their handshake and rooms,
stream their events both ways, and act on them through the protocol's commands. Every wait
is bounded, and generously (WAIT): a bound only ends a wait that failed.
"""
import os
import socket
import subprocess
import sys
import time

import bcrypt
import pytest

from console_client import Client
from headless_process import REPLY_TYPES, WAIT, HeadlessProcess
from process_lines import Lines, stop_process

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONSOLE = os.environ.get("SIOCONSOLE", os.path.join(ROOT, ".build", "debug", "sioconsole"))
E2E_SERVER = os.environ.get("SIO_E2E_SERVER", os.path.join(ROOT, ".build", "debug", "sio-e2e-server"))
INSTRUMENTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "instrumented_server.py")
SLOW_WAIT = 60  # seconds: a process starting, a reconnection with backoff


class OurServer:
    """`sio-e2e-server --admin …` on a free port (or `port`), stopped by `close`."""

    def __init__(self, *arguments, port=0):
        self.process = subprocess.Popen([E2E_SERVER, "--port", str(port), "--ping-interval", "500", "--ping-timeout", "5000",
                                         "--admin", *arguments],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.lines = Lines(self.process.stdout, lambda raw: raw.decode("utf-8", "replace").strip())
        listening = self.lines.next(lambda line: line.startswith("listening on "), SLOW_WAIT)
        self.port = int(listening.rsplit(":", 1)[1])
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self):
        stop_process(self.process, WAIT)


class PythonServer:
    """tests/Console/instrumented_server.py: python-socketio with `instrument()`."""

    def __init__(self, *arguments):
        self.process = subprocess.Popen([sys.executable, INSTRUMENTED, *arguments],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.lines = Lines(self.process.stdout, lambda raw: raw.decode("utf-8", "replace").strip())
        port = self.lines.next(lambda line: line.startswith("PORT "), SLOW_WAIT)
        self.port = int(port.split()[1])
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Attached(HeadlessProcess):
    """A running `sioconsole attach URL --headless` and the JSON lines it wrote."""

    def __init__(self, url, *arguments, env=None):
        super().__init__([CONSOLE, "attach", url, "--headless", *arguments], env)
        self.banner = self.next(lambda line: line["type"] == "attached", SLOW_WAIT)

    def wait_socket(self, sid, timeout=SLOW_WAIT):
        """Waits until `sockets` lists `sid` (a socket's connection reaches the console
        through the server's report, some time after the client saw it)."""
        return self.wait_listing("sockets", lambda line: sid in [row["id"] for row in line["sockets"]],
                                 f"socket {sid} listed", timeout)

    def wait_listing(self, command, predicate, what, timeout=SLOW_WAIT):
        """Asks `command` until its reply satisfies `predicate` (bounded; asked again every
        0.2 s, the poll interval of the wait, not a guess at how long anything takes)."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = self.reply(command)
            if predicate(last):
                return last
            time.sleep(0.2)
        raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}")


def start(closing, thing):
    closing.append(thing)
    return thing


def next_event(client, name, timeout=WAIT):
    """The next event called `name` the client received (earlier others are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        namespace, event, arguments = client.events.get(timeout=max(0.01, deadline - time.monotonic()))
        if event == name:
            return namespace, event, arguments


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# MARK: our server


def test_sockets_rooms_and_events_of_our_server(closing, clients):
    server = start(closing, OurServer())
    console = start(closing, Attached(server.url))
    assert "ALL_EVENTS" in console.banner["features"] and "EMIT_WITH_ACK" in console.banner["features"]
    alice = Client(server.url, query="who=alice")
    clients.append(alice)
    sid = alice.sid()
    console.wait_socket(sid)
    shown = console.reply(f"show {sid}")
    assert shown["type"] == "socket" and shown["socket"]["id"] == sid
    assert shown["socket"]["handshake"]["query"]["who"] == "alice"
    alice.sio.emit("join", "lobby")
    console.wait_listing("rooms", lambda line: any(room["room"] == "lobby" and sid in room["members"] for room in line["rooms"]),
                         "lobby with alice")
    alice.sio.emit("message", {"n": 1})
    inbound = console.next(lambda line: line["type"] == "event" and line["dir"] == "in" and line.get("event") == "message")
    assert inbound["socket"] == sid and inbound["args"] == [{"n": 1}]
    outbound = console.next(lambda line: line["type"] == "event" and line["dir"] == "out" and line.get("event") == "message-back")
    assert outbound["socket"] == sid


def test_a_msgpack_server_watched_with_parser_msgpack(closing, clients):
    server = start(closing, OurServer("--parser", "msgpack"))
    console = start(closing, Attached(server.url, "--parser", "msgpack"))
    alice = Client(server.url, serializer="msgpack")
    clients.append(alice)
    sid = alice.sid()
    console.wait_socket(sid)
    alice.sio.emit("message", ({"n": 1}, b"\x07"))
    inbound = console.next(lambda line: line["type"] == "event" and line["dir"] == "in" and line.get("event") == "message")
    assert inbound["socket"] == sid and inbound["args"] == [{"n": 1}, {"_binary": 1, "hex": "07"}]
    console.next(lambda line: line["type"] == "event" and line["dir"] == "out" and line.get("event") == "message-back")


def test_emit_to_a_room_reaches_only_its_members_and_acks_come_back(closing, clients):
    server = start(closing, OurServer())
    console = start(closing, Attached(server.url))
    alice = Client(server.url, ack_reply="pong")
    bob = Client(server.url)
    clients.extend([alice, bob])
    alice.sio.emit("join", "lobby")
    console.wait_listing("rooms", lambda line: any(room["room"] == "lobby" and alice.sid() in room["members"] for room in line["rooms"]),
                         "lobby with alice")
    console.wait_socket(bob.sid())
    reply = console.reply('emit --to lobby news "hi"')
    assert reply["ok"], reply
    assert next_event(alice, "news") == ("/", "news", ["hi"])
    bob.wait_pings()  # had the emit reached bob, it would be in his queue by now
    assert all(event != "news" for _, event, _ in list(bob.events.queue)), "bob is not in lobby"
    reply = console.reply(f"emit --ack 2000 --to {alice.sid()} ping-me")
    assert reply["ok"], reply
    answer = console.next(lambda line: line["type"] == "ack" and line.get("event") == "ping-me")
    assert answer["args"] == ["pong"]


def test_kick_and_kick_bang(closing, clients):
    server = start(closing, OurServer())
    console = start(closing, Attached(server.url))
    alice = Client(server.url, namespaces=("/", "/custom"))
    bob = Client(server.url, namespaces=("/", "/custom"))
    clients.extend([alice, bob])
    console.wait_socket(alice.sid())
    console.wait_socket(bob.sid())
    sid_alice = alice.sid()
    assert console.reply(f"kick {sid_alice}")["ok"]
    assert alice.disconnect_reason() == ("/", "server disconnect")
    console.next(lambda line: line["type"] == "disconnect" and line["socket"] == sid_alice)
    alice.wait_pings()  # had the kick closed the connection, /custom would have ended by now
    assert "/custom" in alice.sio.namespaces, "kick ends one namespace's socket, not the connection"
    assert console.reply(f"kick! {bob.sid()}")["ok"]
    ended = {bob.disconnect_reason()[0], bob.disconnect_reason()[0]}
    assert ended == {"/", "/custom"}, "kick! closes the whole connection: both namespaces end"


def test_read_only_refuses_and_a_read_only_server_is_explained(closing, clients):
    server = start(closing, OurServer())
    console = start(closing, Attached(server.url, "--read-only"))
    alice = Client(server.url)
    clients.append(alice)
    console.wait_socket(alice.sid())
    reply = console.reply(f"kick {alice.sid()}")
    assert not reply["ok"] and "read-only" in reply["message"]
    locked = start(closing, OurServer("--admin-readonly"))
    watcher = start(closing, Attached(locked.url))
    assert "EMIT" not in watcher.banner["features"]
    bob = Client(locked.url)
    clients.append(bob)
    watcher.wait_socket(bob.sid())
    reply = watcher.reply(f"kick {bob.sid()}")
    assert not reply["ok"] and "does not advertise DISCONNECT" in reply["message"]
    reply = watcher.reply("emit hello")
    assert not reply["ok"] and "EMIT" in reply["message"]


def test_basic_authentication_good_and_bad_password(closing, clients, tmp_path):
    digest = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4)).decode()
    server = start(closing, OurServer("--admin-user", "ops", "--admin-password-hash", digest))
    password_file = tmp_path / "password"
    password_file.write_text("s3cret\n")
    console = start(closing, Attached(server.url, "--user", "ops", "--password-file", str(password_file)))
    assert console.banner["status"].startswith("connected"), console.banner
    alice = Client(server.url)
    clients.append(alice)
    console.wait_socket(alice.sid())
    wrong = start(closing, Attached(server.url, "--user", "ops", env={"SIOCONSOLE_PASSWORD": "wrong"}))
    assert wrong.banner["status"].startswith("refused"), wrong.banner
    assert "bad credentials" in wrong.banner["status"]
    assert wrong.reply("sockets")["sockets"] == []
    assert wrong.process.poll() is None, "a refused console stays up, retrying"


def test_production_mode_has_stats_but_no_sockets(closing, clients):
    server = start(closing, OurServer("--admin-mode", "production"))
    console = start(closing, Attached(server.url))
    assert "ALL_EVENTS" not in console.banner["features"]
    alice = Client(server.url)
    clients.append(alice)
    nodes = console.wait_listing("nodes", lambda line: line.get("servers") == 1 and line["nodes"][0]["clients"] >= 2,
                                 "the server's stats counting alice and the console")
    assert nodes["attached"] is True and nodes["nodes"][0]["state"] == "healthy"
    assert console.reply("sockets")["sockets"] == []


def test_no_admin_namespace_and_no_server_are_clear(closing):
    plain = subprocess.Popen([E2E_SERVER, "--port", "0"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    class Plain:
        def close(self):
            stop_process(plain, WAIT)
    start(closing, Plain())
    listening = Lines(plain.stdout, lambda raw: raw.decode().strip()).next(lambda line: line.startswith("listening on "), SLOW_WAIT)
    url = "http://" + listening.split()[-1]
    console = start(closing, Attached(url))
    assert console.banner["status"].startswith("refused") and "no /admin namespace" in console.banner["status"], console.banner
    nowhere = start(closing, Attached(f"http://127.0.0.1:{free_port()}"))
    assert not nowhere.banner["status"].startswith("connected"), nowhere.banner
    assert nowhere.reply("sockets")["sockets"] == []


def test_the_server_restarts_and_the_console_recovers(closing, clients):
    server = start(closing, OurServer())
    console = start(closing, Attached(server.url))
    alice = Client(server.url)
    clients.append(alice)
    console.wait_socket(alice.sid())
    port = server.port
    server.close()
    lost = console.next(lambda line: line["type"] == "link" and line["status"] != "connected", SLOW_WAIT)
    assert lost["status"] in ("reconnecting", "refused")
    # The last picture stays while the server is away.
    assert console.process.poll() is None
    again = start(closing, OurServer(port=port))
    console.next(lambda line: line["type"] == "link" and line["status"] == "connected", SLOW_WAIT)
    bob = Client(again.url)
    clients.append(bob)
    listing = console.wait_socket(bob.sid())
    assert alice.sid() not in [row["id"] for row in listing["sockets"]], "the fresh all_sockets replaced the old picture"


# MARK: python-socketio's instrument()


def test_python_socketio_server_sockets_rooms_events_and_actions(closing, clients):
    server = start(closing, PythonServer())
    console = start(closing, Attached(server.url))
    features = console.banner["features"]
    assert "ALL_EVENTS" in features and "EMIT" in features and "EMIT_WITH_ACK" not in features
    alice = Client(server.url, query="who=alice")
    bob = Client(server.url)
    clients.extend([alice, bob])
    console.wait_socket(alice.sid())
    console.wait_socket(bob.sid())
    assert console.reply(f"show {alice.sid()}")["socket"]["handshake"]["query"]["who"] == "alice"
    alice.sio.emit("join", "lobby")
    console.wait_listing("rooms", lambda line: any(room["room"] == "lobby" and alice.sid() in room["members"] for room in line["rooms"]),
                         "lobby with alice (python reports rooms with its stats)")
    alice.sio.emit("hello", 1)
    inbound = console.next(lambda line: line["type"] == "event" and line["dir"] == "in" and line.get("event") == "hello")
    assert inbound["socket"] == alice.sid() and inbound["args"] == [1]
    assert console.reply('emit --to lobby news "hi"')["ok"]
    assert next_event(alice, "news") == ("/", "news", ["hi"])
    console.next(lambda line: line["type"] == "event" and line["dir"] == "out" and line.get("event") == "news")
    bob.wait_pings()
    assert all(event != "news" for _, event, _ in list(bob.events.queue)), "bob is not in lobby"
    reply = console.reply(f"emit --ack 1000 --to {alice.sid()} ping-me")
    assert not reply["ok"] and "does not return replies" in reply["message"]
    sid_bob = bob.sid()
    assert console.reply(f"kick {sid_bob}")["ok"]
    assert bob.disconnect_reason()[0] == "/"
    console.next(lambda line: line["type"] == "disconnect" and line["socket"] == sid_bob)


def test_python_socketio_server_with_a_wrong_password(closing):
    server = start(closing, PythonServer("--auth", "ops:right"))
    good = start(closing, Attached(server.url, "--user", "ops", env={"SIOCONSOLE_PASSWORD": "right"}))
    assert good.banner["status"].startswith("connected"), good.banner
    bad = start(closing, Attached(server.url, "--user", "ops", env={"SIOCONSOLE_PASSWORD": "wrong"}))
    assert bad.banner["status"].startswith("refused") and "bad credentials" in bad.banner["status"], bad.banner
