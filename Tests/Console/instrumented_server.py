"""A python-socketio AsyncServer (aiohttp) instrumented with `instrument()` for the Admin UI:
a server nobody here wrote, for `sioconsole attach` to watch and drive.

Prints "PORT <n>" once it listens on 127.0.0.1, and exits when its stdin closes, so it never
outlives the test that started it.

Usage: instrumented_server.py [--port N] [--auth USER:PASSWORD] [--read-only] [--mode production]
                              [--server-stats-interval SECONDS]
The clients' events: "join" <room> joins the room, "ping-me" is answered with "pong"; every
other event is accepted and ignored.
"""
import argparse
import asyncio
import sys

import socketio
from aiohttp import web


def make_server(arguments):
    sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval=2, ping_timeout=5)

    @sio.on("join")
    async def join(sid, room):
        await sio.enter_room(sid, room)

    @sio.on("ping-me")
    async def ping_me(sid, *args):
        return "pong"

    @sio.on("*")
    async def anything(event, sid, *args):
        pass

    @sio.on("connect", namespace="/chat")
    async def connect_chat(sid, environ, auth):
        pass

    auth = False
    if arguments.auth:
        user, _, password = arguments.auth.partition(":")
        auth = {"username": user, "password": password}
    sio.instrument(auth=auth, read_only=arguments.read_only, mode=arguments.mode,
                   server_stats_interval=arguments.server_stats_interval)
    return sio


async def main(arguments):
    sio = make_server(arguments)
    app = web.Application()
    sio.attach(app)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", arguments.port)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    # Runs until stdin closes (the test ended, or died).
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--auth")
    parser.add_argument("--read-only", action="store_true")
    parser.add_argument("--mode", default="development")
    parser.add_argument("--server-stats-interval", type=float, default=1)
    asyncio.run(main(parser.parse_args()))
