"""Cross-node fan-out: broadcasts sent by a client of one node, delivered to receivers on
another node of the same cluster (or, for the side-by-side figure, on the sender's node).

    python Benchmarks/cluster_fanout.py --sender-port A --receiver-port B [--receivers 200]
        [--window 16] [--duration 5] [--payload 32]

Speaks raw Engine.IO v4 / Socket.IO v5 over WebSocket (aiohttp) to any server that has the
benchmark handlers (`join`, `broadcast`): sio-e2e-server, or sioconsole --bench-handlers.
Prints one JSON line: broadcasts/s, deliveries/s and latency percentiles (ms) from the
sender's emit to the last receiver of each broadcast.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time

import aiohttp

ROOM = "cluster-bench"


async def open_socket(session: aiohttp.ClientSession, port: int) -> aiohttp.ClientWebSocketResponse:
    ws = await session.ws_connect(f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket", max_msg_size=0)
    opening = await ws.receive_str()
    assert opening.startswith("0{"), opening
    await ws.send_str("40")
    while True:
        reply = await ws.receive_str()
        if reply.startswith("40"):
            return ws
        if reply == "2":
            await ws.send_str("3")


async def join(ws: aiohttp.ClientWebSocketResponse) -> None:
    await ws.send_str(f'420["join","{ROOM}"]')
    while True:
        reply = await ws.receive_str()
        if reply.startswith("430"):
            return
        if reply == "2":
            await ws.send_str("3")


class Fanout:
    def __init__(self, receivers: int, window: int) -> None:
        self.receivers = receivers
        self.window = window
        self.counts: dict[int, int] = {}
        self.sent_at: dict[int, float] = {}
        self.latencies: list[float] = []
        self.deliveries = 0
        self.completed = 0
        self.next_seq = 0
        self.slot = asyncio.Semaphore(window)

    def delivered(self, seq: int) -> None:
        self.deliveries += 1
        count = self.counts.get(seq, 0) + 1
        if count == self.receivers:
            self.counts.pop(seq, None)
            self.latencies.append(time.perf_counter() - self.sent_at.pop(seq))
            self.completed += 1
            self.slot.release()
        else:
            self.counts[seq] = count


async def receive(ws: aiohttp.ClientWebSocketResponse, fanout: Fanout) -> None:
    prefix = '42["broadcast",'
    async for message in ws:
        text = message.data
        if text == "2":
            await ws.send_str("3")
        elif text.startswith(prefix):
            end = text.index(",", len(prefix))
            fanout.delivered(int(text[len(prefix):end]))


async def send(ws: aiohttp.ClientWebSocketResponse, fanout: Fanout, payload: str, stop_at: float) -> None:
    while time.perf_counter() < stop_at:
        await fanout.slot.acquire()
        seq = fanout.next_seq
        fanout.next_seq += 1
        fanout.sent_at[seq] = time.perf_counter()
        await ws.send_str(f'42["broadcast","{ROOM}",{seq},"{payload}"]')


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else float("nan")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sender-port", type=int, required=True)
    parser.add_argument("--receiver-port", type=int, required=True)
    parser.add_argument("--receivers", type=int, default=200)
    parser.add_argument("--window", type=int, default=16)
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=1)
    parser.add_argument("--payload", type=int, default=32)
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        receivers = [await open_socket(session, args.receiver_port) for _ in range(args.receivers)]
        await asyncio.gather(*(join(ws) for ws in receivers))
        sender = await open_socket(session, args.sender_port)
        fanout = Fanout(args.receivers, args.window)
        readers = [asyncio.create_task(receive(ws, fanout)) for ws in receivers]
        pinger = asyncio.create_task(receive(sender, Fanout(1, 1)))

        start = time.perf_counter()
        sending = asyncio.create_task(send(sender, fanout, "x" * args.payload, start + args.warmup + args.duration))
        await asyncio.sleep(args.warmup)  # warm-up period of the measurement, not a wait for a condition
        base_deliveries, base_completed, base_latencies = fanout.deliveries, fanout.completed, len(fanout.latencies)
        measured_from = time.perf_counter()
        await sending
        elapsed = time.perf_counter() - measured_from
        deliveries = fanout.deliveries - base_deliveries
        completed = fanout.completed - base_completed
        latencies = fanout.latencies[base_latencies:]
        for task in readers + [pinger]:
            task.cancel()
        for ws in receivers + [sender]:
            await ws.close()
    print(json.dumps({
        "label": args.label,
        "receivers": args.receivers,
        "broadcasts_per_s": round(completed / elapsed),
        "deliveries_per_s": round(deliveries / elapsed),
        "p50_ms": round(percentile(latencies, 0.5), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
    }))


if __name__ == "__main__":
    asyncio.run(main())
