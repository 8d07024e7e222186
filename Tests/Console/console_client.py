"""A python-socketio client for the console suites: records what it receives, in the order
the server wrote it (sio_client.OrderedClient), and counts the Engine.IO pings, so a test can
wait until a server's ping proves an event did NOT come."""
import queue
import threading

from sio_client import OrderedClient

WAIT = 30  # seconds: the bound of every wait (it only ends one that failed)


class Client:
    """A python-socketio client that records what it receives, in the order the server wrote
    it (sio_client.OrderedClient), and counts the Engine.IO pings. `serializer` is the packet
    format, "default" or "msgpack"."""

    def __init__(self, url, namespaces=("/",), auth=None, query="", ack_reply=None, transports=None,
                 serializer="default", http_session=None):
        self.events = queue.Queue()
        self.disconnects = queue.Queue()
        self.pings = 0
        self._pinged = threading.Condition()
        self.sio = OrderedClient(reconnection=False, serializer=serializer, http_session=http_session)
        self.sio.eio.on_ping = self._on_ping
        for namespace in namespaces:
            self._handlers(namespace, ack_reply)
        self.sio.connect(url + (("?" + query) if query else ""), namespaces=list(namespaces), auth=auth,
                         transports=transports, wait_timeout=WAIT)

    def _on_ping(self):
        with self._pinged:
            self.pings += 1
            self._pinged.notify_all()

    def wait_pings(self, count=2, timeout=WAIT):
        """Waits for `count` more pings. The console sends a ping only a ping interval after
        the pong to the one before, so with two the last was sent after this call began:
        whatever the console sent this client before it is in `events` by now."""
        with self._pinged:
            want = self.pings + count
            if not self._pinged.wait_for(lambda: self.pings >= want, timeout):
                raise AssertionError(f"fewer than {count} pings within {timeout}s")

    def _handlers(self, namespace, ack_reply):
        def on_any(event, *arguments):
            self.events.put((namespace, event, list(arguments)))
            return ack_reply

        def on_disconnect(reason=None):
            self.disconnects.put((namespace, str(reason)))

        self.sio.on("*", on_any, namespace=namespace)
        self.sio.on("disconnect", on_disconnect, namespace=namespace)

    def sid(self, namespace="/"):
        return self.sio.get_sid(namespace)

    def event(self, timeout=WAIT):
        return self.events.get(timeout=timeout)

    def disconnect_reason(self, timeout=WAIT):
        return self.disconnects.get(timeout=timeout)

    def close(self):
        try:
            self.sio.disconnect()
        except Exception:  # noqa: BLE001
            pass
