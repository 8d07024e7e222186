"""A python-socketio AsyncServer (aiohttp) for the Swift client's interop tests.

Started by Tests/SocketIOClientTests/PythonInteropTests.swift: prints "PORT <n>" once it
listens on 127.0.0.1, and exits when its stdin closes, so it never outlives the test.
Usage: python_server.py [port] [serializer]   (serializer: default or msgpack)
"""
import asyncio
import sys

import socketio
from aiohttp import web


def make_server(serializer="default"):
    sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval=3, ping_timeout=2, serializer=serializer)

    @sio.event
    async def connect(sid, environ, auth):
        await sio.emit("auth", auth, to=sid)

    @sio.event
    async def echo(sid, *args):
        return args

    @sio.on("push-me")
    async def push_me(sid, *args):
        await sio.emit("pushed", args, to=sid)

    @sio.on("kick-me")
    async def kick_me(sid, *args):
        await sio.disconnect(sid)

    @sio.on("ask")
    async def ask(sid, *args):
        reply = await sio.call("question", (41, b"\x07"), to=sid, timeout=60)
        await sio.emit("answer", reply, to=sid)

    @sio.on("where", namespace="/chat")
    async def where_chat(sid, *args):
        return "/chat"

    @sio.on("where")
    async def where_main(sid, *args):
        return "/"

    @sio.on("connect", namespace="/chat")
    async def connect_chat(sid, environ, auth):
        pass

    @sio.on("connect", namespace="/guarded")
    async def connect_guarded(sid, environ, auth):
        if not auth or auth.get("token") != "good":
            raise socketio.exceptions.ConnectionRefusedError("not authorized", {"content": "Please retry later"})

    return sio


async def main(port, serializer):
    sio = make_server(serializer)
    app = web.Application()
    sio.attach(app)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port, reuse_address=True)
    await site.start()
    bound = site._server.sockets[0].getsockname()[1]
    print(f"PORT {bound}", flush=True)
    loop = asyncio.get_running_loop()
    # Exit when the test closes our stdin (or dies).
    await loop.run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0, sys.argv[2] if len(sys.argv) > 2 else "default"))
