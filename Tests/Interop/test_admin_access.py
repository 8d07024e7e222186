# Who may use the Admin UI protocol and what they may do: basic authentication with bcrypt
# hashes ($2a$, $2b$, $2y$), session reuse, read-only servers, production mode, and bad input
# on the admin namespace, with python-socketio's AsyncClient.
from __future__ import annotations

import bcrypt
import pytest
import socketio

from admin_helpers import (
    NODE_HASH,
    NODE_PASSWORD,
    PRODUCTION_FEATURES,
    READONLY_FEATURES,
    SESSION_ID,
    AdminClient,
    RecordedClient,
    admin_server,
    clients,
    run,
)


def hash_with_prefix(password: str, prefix: str) -> str:
    """bcrypt's $2b$ hash of `password`, relabelled: $2a$, $2b$ and $2y$ are the same
    computation for short ASCII passwords."""
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    return prefix + hashed[4:]


async def refused(server, auth: dict | None, transports: list[str]) -> AdminClient:
    """An admin client whose connection must be refused with Node's message."""
    admin = AdminClient()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await admin.connect(server, transports, auth=auth)
    await admin.log.until(lambda: admin.connect_errors, "connect_error")
    assert admin.connect_errors[0] == {"message": "invalid credentials"}, admin.connect_errors
    await admin.close()
    return admin


@pytest.mark.parametrize("transports", [["polling"], ["websocket"], ["polling", "websocket"]], ids=["polling", "websocket", "upgrade"])
def test_basic_auth_session_and_reuse(transports):
    async def scenario(server):
        admin = AdminClient()
        async with clients(admin):
            await admin.connect(server, transports, auth={"username": "admin", "password": NODE_PASSWORD})
            ((session,),) = await admin.wait("session")
            assert SESSION_ID.match(session), session
            await admin.wait("config")
            # session comes before config, as Node's client delivers it.
            names = [name for _, name, _ in admin.log.events]
            assert names.index("session") < names.index("config"), names

            again = AdminClient()
            async with clients(again):
                await again.connect(server, transports, auth={"sessionId": session})
                await again.wait("config")
                assert again.received("session") == []

        await refused(server, None, transports)
        await refused(server, {"username": "admin", "password": "wrong"}, transports)
        await refused(server, {"username": "root", "password": NODE_PASSWORD}, transports)
        await refused(server, {"sessionId": "1234"}, transports)
        await refused(server, {"username": ["admin"], "password": {"x": 1}}, transports)

    with admin_server("--admin-user", "admin", "--admin-password-hash", NODE_HASH) as server:
        run(scenario(server))


@pytest.mark.parametrize("prefix", ["$2a$", "$2b$", "$2y$"])
def test_every_bcrypt_prefix_is_accepted(prefix):
    password = "s3cret-pässword"

    async def scenario(server):
        admin = AdminClient()
        async with clients(admin):
            await admin.connect(server, ["websocket"], auth={"username": "ops", "password": password})
            await admin.wait("session")
        await refused(server, {"username": "ops", "password": password + "x"}, ["websocket"])

    with admin_server("--admin-user", "ops", "--admin-password-hash", hash_with_prefix(password, prefix)) as server:
        run(scenario(server))


def test_a_hash_that_is_not_bcrypt_stops_the_server_at_start():
    from helpers import server_binary
    import subprocess

    result = subprocess.run([str(server_binary()), "--port", "0", "--admin-user", "a", "--admin-password-hash", "plain"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "bcrypt" in result.stderr
    result = subprocess.run([str(server_binary()), "--port", "0", "--admin-user", "a"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2


def test_readonly_advertises_and_runs_no_command():
    async def scenario(server):
        admin, user = AdminClient(), RecordedClient("/")
        async with clients(admin, user):
            await user.connect(server, ["websocket"])
            await admin.connect(server, ["websocket"])
            ((config,),) = await admin.wait("config")
            assert config == {"supportedFeatures": READONLY_FEATURES}
            await admin.emit("emit", "/", user.sid, "hello", "world")
            await admin.emit("join", "/", "vip", user.sid)
            await admin.emit("_disconnect", "/", True, user.sid)
            reply = None
            # An ack request gets no answer either: the command has no handler at all.
            with pytest.raises(socketio.exceptions.TimeoutError):
                reply = await admin.call("emit", "/", user.sid, "message-with-ack", 1, timeout=3)
            assert reply is None
            # Two server_stats later the commands have long been handled: none acted.
            await admin.next_stats(2)
            assert user.received("hello") == [] and user.sio.connected
            assert admin.received("room_joined") == [] or all(args[1] != "vip" for args in admin.received("room_joined"))
            watcher = AdminClient()
            async with clients(watcher):
                await watcher.connect(server, ["websocket"])
                ((sockets,),) = await watcher.wait("all_sockets")
                (entry,) = [s for s in sockets if s["id"] == user.sid]
                assert entry["rooms"] == [user.sid]

    with admin_server("--admin", "--admin-readonly") as server:
        run(scenario(server))


def test_production_mode_sends_aggregates_only():
    async def scenario(server):
        admin, user = AdminClient(), RecordedClient("/")
        async with clients(admin, user):
            await admin.connect(server, ["polling", "websocket"])
            ((config,),) = await admin.wait("config")
            assert config == {"supportedFeatures": PRODUCTION_FEATURES}
            await user.connect(server, ["websocket"])
            await user.emit("message", "hi")
            await user.wait("message-back")
            stats = await admin.next_stats(2)
            assert any(stats_["aggregatedEvents"] for stats_ in stats), stats
            verbose = {"all_sockets", "socket_connected", "socket_updated", "socket_disconnected",
                       "room_joined", "room_left", "event_received", "event_sent"}
            assert [name for _, name, _ in admin.log.events if name in verbose] == []
            # Commands still work in production mode.
            await admin.emit("emit", "/", user.sid, "hello")
            await user.wait("hello")

    with admin_server("--admin", "--admin-mode", "production") as server:
        run(scenario(server))


BAD_COMMANDS = [
    ("emit",),
    ("emit", "/"),
    ("emit", 42, None, "hello"),
    ("emit", "/", 42, "hello"),
    ("emit", "/", None, 42),
    ("emit", "/", None, "connect"),  # reserved
    ("emit", "/", ["a", "b"], "hello"),
    ("emit", "/nope", None, "hello"),  # no such namespace: none is created
    ("emit", "/", "r" * 200_000, "hello"),  # a huge filter
    ("emit", "/", None, "e" * 200_000),
    ("join", "/"),
    ("join", "/", {"room": "x"}),
    ("join", "/", "x" * 200_000),
    ("join", "/", "vip", 7),
    ("leave", None, "vip"),
    ("_disconnect", "/", "yes"),
    ("_disconnect", "/", None),
    ("_disconnect", "/", True, {"id": 1}),
    ("_disconnect", {"nsp": "/"}, True),
    ("unknown-command", "/", None),
    ("server_stats", {"forged": True}),
]


def test_bad_input_has_no_effect_and_no_crash():
    async def scenario(server):
        admin, user = AdminClient(), RecordedClient("/")
        async with clients(admin, user):
            await user.connect(server, ["websocket"])
            await admin.connect(server, ["websocket"])
            await admin.wait("all_sockets")
            for command in BAD_COMMANDS:
                await admin.emit(*command)
            await admin.emit("emit", "/", user.sid, "fence")
            await user.wait("fence")
            (stats,) = await admin.next_stats()
            assert {entry["name"] for entry in stats["namespaces"]} == {"/", "/custom", "/admin"}
            assert user.sio.connected and admin.sio.connected
            assert [name for _, name, _ in user.log.events if name not in ("auth", "fence")] == []
            watcher = AdminClient()
            async with clients(watcher):
                await watcher.connect(server, ["polling"])
                ((sockets,),) = await watcher.wait("all_sockets")
                (entry,) = [s for s in sockets if s["id"] == user.sid]
                assert entry["rooms"] == [user.sid]

    with admin_server("--admin") as server:
        run(scenario(server))
