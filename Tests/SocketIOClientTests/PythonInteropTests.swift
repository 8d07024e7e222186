import EngineIOClient
import NIOCore
import SocketIOClient
import SocketIOParser
import Testing
import TestSupport

/// The client against python-socketio's AsyncServer on aiohttp, started by each test.
@Suite("ClientSocket against python-socketio", .serialized)
struct PythonInteropTests {
    @Test(
        "auth, every JSON kind and binary both ways, acks both ways, namespaces",
        arguments: TransportMode.allCases, [SocketIOPacketParser.default, .msgpack]
    )
    func conversation(mode: TransportMode, parser: SocketIOPacketParser) async throws {
        let server = try await PythonServer.start(parser: parser)
        var options = clientOptions(mode, parser: parser)
        options.auth = .object(["token": "abc", "n": 2])
        let manager = try Manager("http://127.0.0.1:\(server.port)", options: options)
        let socket = manager.socket()
        let auth = Signal<[JSONValue]>()
        socket.on("auth") { arguments, _ in auth.set(arguments) }
        socket.on("question") { arguments, ack in ack?(.int((arguments.first?.intValue ?? 0) + 1), arguments[1]) }
        let answer = Signal<[JSONValue]>()
        socket.on("answer") { arguments, _ in answer.set(arguments) }
        socket.connect()
        #expect(await auth.wait() == [["token": "abc", "n": 2]])

        let payload: [JSONValue] = [
            .null, true, false, 0, -42, 1.5, "héllo \"wörld\"\n", [], [1, [2, [3]]], [:],
            ["a": ["b": [nil, "c"]]], .binary(ByteBuffer(bytes: [0, 1, 255])),
        ]
        let reply = try await socket.timeout(.seconds(60)).emitWithAck("echo", payload)
        #expect(reply == payload)
        let pushed = Signal<[JSONValue]>()
        socket.on("pushed") { arguments, _ in pushed.set(arguments) }
        try socket.emit("push-me", payload)
        #expect(await pushed.wait() == payload)

        // The server asks, the client acks (with binary), the server reports what it got.
        try socket.emit("ask")
        #expect(await answer.wait() == [42, .binary(ByteBuffer(bytes: [7]))])

        let chat = manager.socket("/chat").connect()
        #expect(try await chat.emitWithAck("where") == ["/chat"])
        #expect(try await socket.emitWithAck("where") == ["/"])
        await manager.shutdown()
        await server.stop()
    }

    @Test(
        "a refused namespace and a refusing connect handler give connect_error with data",
        arguments: TransportMode.allCases, [SocketIOPacketParser.default, .msgpack]
    )
    func refusals(mode: TransportMode, parser: SocketIOPacketParser) async throws {
        let server = try await PythonServer.start(parser: parser)
        let manager = try Manager("http://127.0.0.1:\(server.port)", options: clientOptions(mode, parser: parser))
        let nowhere = manager.socket("/nowhere")
        let refused = Signal<SocketIOClientError>()
        nowhere.onConnectError { refused.set($0) }
        nowhere.connect()
        #expect(await refused.wait()?.code == .connectError)

        let guarded = manager.socket("/guarded", auth: .object(["token": "bad"]))
        let error = Signal<SocketIOClientError>()
        guarded.onConnectError { error.set($0) }
        guarded.connect()
        let failure = try #require(await error.wait())
        #expect(failure.message == "not authorized")
        #expect(failure.data == ["content": "Please retry later"])
        await manager.shutdown()
        await server.stop()
    }

    @Test("a server-side disconnect", arguments: TransportMode.allCases)
    func serverDisconnect(mode: TransportMode) async throws {
        let server = try await PythonServer.start()
        let manager = try Manager("http://127.0.0.1:\(server.port)", options: clientOptions(mode))
        let socket = manager.socket()
        let reason = Signal<ClientDisconnectReason>()
        socket.onDisconnect { why, _ in reason.set(why) }
        socket.connect()
        #expect(await eventually { socket.connected })
        try socket.emit("kick-me")
        #expect(await reason.wait() == .ioServerDisconnect)
        #expect(!socket.active)
        await manager.shutdown()
        await server.stop()
    }

    @Test("the server restarted under the client: automatic reconnection with backoff", arguments: TransportMode.allCases)
    func restart(mode: TransportMode) async throws {
        let first = try await PythonServer.start()
        let clock = ManualTimerSource()
        let manager = try Manager("http://127.0.0.1:\(first.port)", options: clientOptions(mode, timers: clock))
        let socket = manager.socket()
        let connects = Recorder<Int>()
        socket.onConnect { connects.append(1) }
        socket.connect()
        #expect(await eventually { connects.values.count == 1 })
        await first.stop()
        #expect(await eventually { !socket.connected })
        #expect(clock.pendingDelays.contains(.seconds(1)))
        let second = try await PythonServer.start(port: first.port)
        #expect(await clock.advanceWhenArmed(.seconds(1)))
        #expect(await eventually { connects.values.count == 2 })
        await manager.shutdown()
        await second.stop()
    }

    @Test("a frozen server is detected by the heartbeat", arguments: [TransportMode.websocket, .polling])
    func frozenServer(mode: TransportMode) async throws {
        let server = try await PythonServer.start()
        let clock = ManualTimerSource()
        var options = clientOptions(mode, timers: clock)
        options.reconnection = false
        let manager = try Manager("http://127.0.0.1:\(server.port)", options: options)
        let socket = manager.socket()
        let reason = Signal<ClientDisconnectReason>()
        socket.onDisconnect { why, _ in reason.set(why) }
        socket.connect()
        #expect(await eventually { socket.connected })
        server.freeze()
        // python-socketio: ping_interval 3 s + ping_timeout 2 s.
        #expect(await clock.advanceWhenArmed(.seconds(5)))
        #expect(await reason.wait() == .pingTimeout)
        await manager.shutdown()
        await server.stop()
    }
}
