# Connection state recovery (sio-e2e-server --recovery) driven with raw frames: same sid, rooms and missed events back after an abrupt drop; failed recoveries get a new sid.
from __future__ import annotations

from typing import Iterator

import pytest

from helpers import ServerProcess
from sio_helpers import (
    ACK,
    CONNECT,
    EVENT,
    QUIET_PING_INTERVAL_MS,
    QUIET_PING_TIMEOUT_MS,
    RawSocket,
    SioPacket,
    fence,
    sio_frame,
    sio_server,
    split_offset,
)

ROOM = "r"


@pytest.fixture(scope="module")
def recovery_server() -> Iterator[ServerProcess]:
    # Heartbeats far apart: raw clients only answer pings while reading, and these tests
    # are about recovery, not heartbeats.
    with sio_server(recovery=True, ping_interval=QUIET_PING_INTERVAL_MS,
                    ping_timeout=QUIET_PING_TIMEOUT_MS) as proc:
        yield proc


class Member:
    """A raw client connected to `/` (with recovery: CONNECT reply {sid, pid}) that keeps
    the offset of the last event it received."""

    def __init__(self, server: ServerProcess, connect_data: dict | None = None) -> None:
        self.sock = RawSocket(server)
        self.packets: list[SioPacket] = []
        self.sock.send(sio_frame(CONNECT, connect_data))
        self.connect_reply: dict = {}
        self.next_ack = 1
        # Everything until the "auth" event, which the connection handler emits: with a
        # recovered session the missed events may come before or after the CONNECT reply.
        while True:
            packet = self.recv()
            if packet.type == CONNECT:
                assert not self.connect_reply, f"second CONNECT reply: {packet.raw!r}"
                assert packet.nsp == "/" and isinstance(packet.data, dict), packet.raw
                self.connect_reply = packet.data
            elif packet.event == "auth":
                split_offset(packet)
                if self.connect_reply:
                    break
        assert set(self.connect_reply) == {"sid", "pid"}, f"CONNECT reply with recovery: {self.connect_reply!r}"
        assert all(isinstance(v, str) and v for v in self.connect_reply.values()), self.connect_reply

    @property
    def sid(self) -> str:
        return self.connect_reply["sid"]

    @property
    def pid(self) -> str:
        return self.connect_reply["pid"]

    def recv(self) -> SioPacket:
        packet = self.sock.recv_packet()
        self.packets.append(packet)
        return packet

    def call(self, *args: object) -> SioPacket:
        ack_id, self.next_ack = self.next_ack, self.next_ack + 1
        self.sock.send(sio_frame(EVENT, list(args), ack_id=ack_id))
        while True:
            packet = self.recv()
            if packet.type == ACK and packet.id == ack_id:
                return packet

    def join(self, room: str) -> None:
        assert self.call("join", room).data == [room]

    def broadcast(self, *args: object) -> None:
        """`broadcast` to ROOM, acked (with no argument) once the server has emitted it."""
        assert self.call("broadcast", ROOM, *args).data == []

    def broadcasts(self) -> list[tuple[list, str]]:
        """(arguments, offset) of every `broadcast` event received so far, in order."""
        return [
            (args[1:], offset)
            for args, offset in (split_offset(p) for p in self.packets if p.event == "broadcast")
        ]

    def wait_broadcasts(self, count: int) -> list[tuple[list, str]]:
        while len(self.broadcasts()) < count:
            self.recv()
        return self.broadcasts()

    def fence(self) -> None:
        """Read everything the server wrote to this connection before a round trip."""
        self.packets.extend(fence(self.sock))

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def members(recovery_server) -> Iterator[list[Member]]:
    opened: list[Member] = []
    yield opened
    for member in opened:
        member.close()


def open_member(members: list[Member], server: ServerProcess, connect_data: dict | None = None) -> Member:
    member = Member(server, connect_data)
    members.append(member)
    return member


def dropped_member(members: list[Member], server: ServerProcess) -> tuple[Member, Member, Member]:
    """A member of ROOM that saw two broadcasts and then dropped its TCP connection, a
    witness that stays in ROOM, and a sender outside it."""
    first = open_member(members, server)
    first.join(ROOM)
    witness = open_member(members, server)
    witness.join(ROOM)
    sender = open_member(members, server)
    for n in (1, 2):
        sender.broadcast("x", n)
    assert [args for args, _ in first.wait_broadcasts(2)] == [["x", 1], ["x", 2]]
    witness.wait_broadcasts(2)
    first.sock.drop()
    return first, witness, sender


# ---------------------------------------------------------------------------------------------


def test_every_emitted_event_carries_an_offset(recovery_server, members):
    member = open_member(members, recovery_server)
    member.sock.send(sio_frame(EVENT, ["message", 1, {"two": 2}]))
    packet = member.recv()
    args, offset = split_offset(packet)
    assert args == ["message-back", 1, {"two": 2}], packet.raw
    member.join(ROOM)
    member.broadcast("own")
    (own,) = member.wait_broadcasts(1)
    assert own[0] == ["own"] and own[1] != offset, f"offsets must differ: {own!r} after {offset!r}"


def test_reconnect_within_the_window_recovers_sid_rooms_and_missed_events(recovery_server, members):
    first, witness, sender = dropped_member(members, recovery_server)
    (_, last_offset) = first.broadcasts()[-1]

    for n in (3, 4, 5):
        sender.broadcast("x", n)
    missed = witness.wait_broadcasts(5)[2:]
    assert [args for args, _ in missed] == [["x", 3], ["x", 4], ["x", 5]]

    back = open_member(members, recovery_server, {"pid": first.pid, "offset": last_offset})
    assert back.sid == first.sid, f"not recovered: sid {back.sid!r}, was {first.sid!r}"
    assert back.pid == first.pid, f"recovered session changed its pid: {back.pid!r}, was {first.pid!r}"
    # As Node writes them: the missed events come before the CONNECT reply.
    connect_at = next(i for i, packet in enumerate(back.packets) if packet.type == CONNECT)
    missed_at = [i for i, packet in enumerate(back.packets) if packet.event == "broadcast"][:3]
    assert len(missed_at) == 3 and max(missed_at) < connect_at, (
        f"missed events should precede the CONNECT reply: {[packet.raw for packet in back.packets]!r}"
    )

    # Still in ROOM: a new broadcast reaches it, after the missed ones.
    sender.broadcast("x", 6)
    back.wait_broadcasts(4)
    back.fence()
    received = back.broadcasts()
    new = witness.wait_broadcasts(6)[5]
    assert received == missed + [new], (
        f"expected the 3 missed events (with the offsets the witness saw) then the new one, once each:\n"
        f"expected {missed + [new]!r}\ngot {received!r}"
    )


def test_wrong_pid_gets_a_new_session(recovery_server, members):
    first, _, sender = dropped_member(members, recovery_server)
    (_, last_offset) = first.broadcasts()[-1]
    sender.broadcast("x", 3)

    other = open_member(members, recovery_server, {"pid": "not-a-known-pid-0000", "offset": last_offset})
    assert other.sid != first.sid, "recovered a session with a pid the server never issued"
    assert other.pid != first.pid
    assert_not_in_room(other, sender)


def test_unknown_offset_gets_a_new_session(recovery_server, members):
    first, _, sender = dropped_member(members, recovery_server)
    sender.broadcast("x", 3)

    other = open_member(members, recovery_server, {"pid": first.pid, "offset": "no-such-offset"})
    assert other.sid != first.sid, "recovered a session from an offset the server never issued"
    assert_not_in_room(other, sender)


def test_clean_disconnect_is_not_recoverable(recovery_server, members):
    """A client's own DISCONNECT ("client namespace disconnect") is not among the reasons
    Node keeps a session for."""
    first = open_member(members, recovery_server)
    first.join(ROOM)
    sender = open_member(members, recovery_server)
    sender.broadcast("x", 1)
    (_, last_offset) = first.wait_broadcasts(1)[-1]
    first.sock.send("41")
    first.sock.drop()
    sender.broadcast("x", 2)

    other = open_member(members, recovery_server, {"pid": first.pid, "offset": last_offset})
    assert other.sid != first.sid, "a session ended by the client's DISCONNECT was recovered"
    assert_not_in_room(other, sender)


def assert_not_in_room(member: Member, sender: Member) -> None:
    """No replayed events, and a broadcast to ROOM does not reach it."""
    sender.broadcast("after", "reconnect")
    member.fence()
    assert member.broadcasts() == [], f"a fresh session got broadcasts: {member.broadcasts()!r}"
