"""`sioconsole attach` to one server of a two-server cluster on PostgreSQL.

Two `sio-e2e-server --admin --adapter postgres://…` on the throw-away database of
scripts/with-postgres.sh (SIO_TEST_POSTGRES_URL). The console attaches to the first only; the
admin namespace is on the cluster adapter too, so it must see both servers (their stats), the
sockets of both, and act on a socket of the other server through the protocol's commands.
Without SIO_TEST_POSTGRES_URL every test fails (never skips).
"""
import os

from console_client import Client
from test_attach import SLOW_WAIT, Attached, OurServer, start

POSTGRES_URL = os.environ.get("SIO_TEST_POSTGRES_URL")


def test_one_attach_sees_both_servers_and_acts_on_either(closing, clients):
    assert POSTGRES_URL, "SIO_TEST_POSTGRES_URL is not set: run this suite under scripts/with-postgres.sh"
    first = start(closing, OurServer("--adapter", POSTGRES_URL, "--heartbeat-interval", "500"))
    second = start(closing, OurServer("--adapter", POSTGRES_URL, "--heartbeat-interval", "500"))
    console = start(closing, Attached(first.url))
    nodes = console.wait_listing("nodes", lambda line: line.get("servers") == 2, "stats of both servers", SLOW_WAIT)
    assert {node["pid"] for node in nodes["nodes"]} == {first.process.pid, second.process.pid}
    here = Client(first.url)
    there = Client(second.url)
    clients.extend([here, there])
    console.wait_socket(here.sid())
    console.wait_socket(there.sid())
    there.sio.emit("join", "far")
    console.wait_listing("rooms", lambda line: any(room["room"] == "far" and there.sid() in room["members"] for room in line["rooms"]),
                         "the other server's room")
    sid = there.sid()
    assert console.reply(f"kick {sid}")["ok"]
    assert there.disconnect_reason() == ("/", "server disconnect")
    console.next(lambda line: line["type"] == "disconnect" and line["socket"] == sid, SLOW_WAIT)
