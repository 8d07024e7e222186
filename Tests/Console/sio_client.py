#!/usr/bin/env python3
"""A python-socketio client the console tests drive sioconsole with.

It connects (to one or more namespaces), records everything it sees as JSON lines in
--out (connected, each event with its arguments, each disconnect with its reason, with
--record-pings each Engine.IO ping too), answers every event that asks for an
acknowledgement with --ack-reply, emits what --emit says once connected, and exits when its
last namespace is disconnected or after --stay seconds.

Everything is recorded in the order the server wrote it (python-socketio would run each
event handler on a thread of its own): a test that waits for a later line (a ping, another
event) knows that whatever the server wrote before it is in the file already.

    sio_client.py http://127.0.0.1:PORT --out alice.jsonl --namespace / --namespace /admin \
        --auth '{"token":"s3cret"}' --query user=alice --transport websocket \
        --ack-reply '"pong from alice"' --emit chat '["hello"]'
"""
import argparse
import json
import sys
import threading
import time

import engineio
import socketio
from engineio import packet as engineio_packet


class InlineEngineClient(engineio.Client):
    """Runs each 'message' handler on the reading thread, in wire order, and reports pings."""

    on_ping = None

    def _trigger_event(self, event, *args, **kwargs):
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)

    def _receive_packet(self, pkt):
        if pkt.packet_type == engineio_packet.PING and self.on_ping is not None:
            self.on_ping()
        return super()._receive_packet(pkt)


class OrderedClient(socketio.Client):
    def _engineio_client_class(self):
        return InlineEngineClient

    def _handle_disconnect(self, namespace):
        # Handled inline like every packet (so in wire order), except the final
        # eio.disconnect(), which joins the reading thread: it runs on a thread of its own.
        eio = self.eio
        eio.disconnect = lambda *args, **kwargs: self.start_background_task(
            type(eio).disconnect, eio, *args, **kwargs)
        try:
            super()._handle_disconnect(namespace)
        finally:
            del eio.disconnect


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--out", required=True)
    parser.add_argument("--namespace", action="append", default=[])
    parser.add_argument("--auth", default=None)
    parser.add_argument("--query", action="append", default=[])
    parser.add_argument("--transport", choices=["polling", "websocket", "upgrade"], default="upgrade")
    parser.add_argument("--ack-reply", default=None)
    parser.add_argument("--emit", nargs=2, action="append", default=[], metavar=("EVENT", "ARGS_JSON"))
    parser.add_argument("--record-pings", action="store_true")
    # The tests end their clients themselves: a long stay, for a slow (loaded) machine.
    parser.add_argument("--stay", type=float, default=900.0)
    args = parser.parse_args()

    namespaces = args.namespace or ["/"]
    lock = threading.Lock()
    out = open(args.out, "a", buffering=1)
    remaining = set(namespaces)
    finished = threading.Event()

    def record(**fields):
        with lock:
            out.write(json.dumps(fields) + "\n")

    sio = OrderedClient(reconnection=False)
    if args.record_pings:
        sio.eio.on_ping = lambda: record(type="ping")
    ack_reply = json.loads(args.ack_reply) if args.ack_reply is not None else None

    def make_handlers(namespace):
        def on_connect():
            record(type="connected", nsp=namespace, sid=sio.get_sid(namespace), transport=sio.transport())

        def on_disconnect(reason=None):
            record(type="disconnect", nsp=namespace, reason=str(reason))
            with lock:
                remaining.discard(namespace)
                if not remaining:
                    finished.set()

        def on_any(event, *event_args):
            record(type="event", nsp=namespace, event=event, args=list(event_args))
            return ack_reply

        sio.on("connect", on_connect, namespace=namespace)
        sio.on("disconnect", on_disconnect, namespace=namespace)
        sio.on("*", on_any, namespace=namespace)

    for namespace in namespaces:
        make_handlers(namespace)

    url = args.url
    if args.query:
        url += "?" + "&".join(args.query)
    transports = {"polling": ["polling"], "websocket": ["websocket"], "upgrade": ["polling", "websocket"]}[args.transport]
    auth = json.loads(args.auth) if args.auth else None
    try:
        sio.connect(url, namespaces=namespaces, transports=transports, auth=auth, wait_timeout=30)
    except Exception as error:  # noqa: BLE001 - reported to the test through the file
        record(type="error", message=str(error))
        sys.exit(1)
    for event, payload in args.emit:
        values = json.loads(payload)
        sio.emit(event, tuple(values), namespace=namespaces[0])
        record(type="emitted", event=event)
    deadline = time.monotonic() + args.stay
    while not finished.is_set() and time.monotonic() < deadline:
        finished.wait(0.1)
    record(type="exit", connected=sio.connected)
    try:
        sio.disconnect()
    except Exception:  # noqa: BLE001
        pass
    out.close()


if __name__ == "__main__":
    main()
