"""The python-socketio side of the ack round-trip benchmark (see Sources/sio-client-bench).

C AsyncClients, each emitting `message-with-ack` N/C times in a row and awaiting the reply;
prints one JSON line with the CPU time this process spent per round trip, connections
excluded. Usage: bench_python_client.py URL COUNT CLIENTS [websocket|polling]
"""
import asyncio
import json
import sys
import time

import socketio


async def main(url, total, clients, transport):
    sockets = [socketio.AsyncClient(reconnection=False) for _ in range(clients)]
    await asyncio.gather(*(s.connect(url, transports=[transport]) for s in sockets))
    per_client = total // clients
    payload = ("hello", {"n": 1, "list": [1, 2, 3]})

    async def run(sock):
        for _ in range(per_client):
            reply = await sock.call("message-with-ack", payload, timeout=60)
            assert list(reply) == list(payload), reply

    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    await asyncio.gather(*(run(s) for s in sockets))
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    round_trips = per_client * clients
    print(json.dumps({
        "client": "python-socketio", "transport": transport, "clients": clients,
        "round_trips": round_trips, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
        "cpu_us_per_rtt": round(cpu / round_trips * 1e6, 1),
        "rtt_per_s": round(round_trips / wall),
    }))
    await asyncio.gather(*(s.disconnect() for s in sockets))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]),
                     sys.argv[4] if len(sys.argv) > 4 else "websocket"))
