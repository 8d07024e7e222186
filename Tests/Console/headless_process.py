"""A running `sioconsole … --headless`: commands written on its stdin, its JSON lines read
from its stdout with bounded waits. Shared by the embedded (`test_headless.py`) and the
attached (`test_attach.py`) suites."""
import json
import os
import subprocess

from process_lines import Lines, stop_process

WAIT = 30  # seconds: the bound of every wait (it only ends one that failed)
REPLY_TYPES = ("reply", "sockets", "rooms", "socket", "nodes", "help")


class HeadlessProcess:
    """`argv` started with pipes; `env` adds to the environment."""

    def __init__(self, argv, env=None):
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        env={**os.environ, **(env or {})})
        self.output = Lines(self.process.stdout, json.loads,
                            describe_exit=lambda: f"sioconsole exited ({self.process.poll()})")
        self.raw = self.output.raw
        self.seen = self.output.seen

    def send(self, command):
        self.process.stdin.write((command + "\n").encode())
        self.process.stdin.flush()

    def next(self, predicate, timeout=WAIT):
        """The first line (seen before or arriving within `timeout`) that matches."""
        return self.output.next(predicate, timeout)

    def reply(self, command, timeout=WAIT):
        """Sends a command and returns its answer (a reply, or the data it asked for)."""
        self.send(command)
        return self.next(lambda line: line["type"] in REPLY_TYPES, timeout)

    def close(self):
        stop_process(self.process, WAIT)
