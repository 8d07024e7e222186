"""The lines a child process writes on stdout, read by a thread, waited for with a bound."""
import queue
import subprocess
import threading
import time


class Lines:
    """Every line `stream` yields, parsed by `parse`, in a queue; `raw` keeps the bytes."""

    def __init__(self, stream, parse, describe_exit=lambda: "the process exited"):
        self.queue = queue.Queue()
        self.seen = []
        self.raw = []
        self._parse = parse
        self._describe_exit = describe_exit
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for raw in stream:
            self.raw.append(raw)
            self.queue.put(self._parse(raw))
        self.queue.put(None)

    def next(self, predicate, timeout=30):
        """The first line (kept from before, or arriving within `timeout`) that matches;
        lines that do not match are kept for later calls (the last 500). The bound only ends
        a wait that failed, so it is generous, for a loaded machine."""
        for line in self.seen:
            if predicate(line):
                self.seen.remove(line)
                return line
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no matching line within {timeout}s; unmatched: {self.seen[-20:]}")
            try:
                line = self.queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"{self._describe_exit()}; unmatched: {self.seen[-20:]}")
            if predicate(line):
                return line
            self.seen.append(line)
            del self.seen[:-500]


def stop_process(process, timeout=30):
    """Ends a child process: SIGTERM, then SIGKILL if it is still there after `timeout` s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
