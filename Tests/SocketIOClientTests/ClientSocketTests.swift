import EngineIO
import EngineIOClient
import NIOCore
import SocketIO
import SocketIOClient
import Testing
import TestSupport

@Suite("ClientSocket against our server")
struct ClientSocketTests {
    @Test("connects with auth, and the server sees it", arguments: TransportMode.allCases)
    func authEcho(mode: TransportMode) async throws {
        try await withServer(configure: { server in
            server.onConnection { socket in try? socket.emit("auth", .object(socket.handshake.auth)) }
        }) { _, port in
            var options = clientOptions(mode)
            options.auth = .object(["token": "s3cret", "n": 1])
            let manager = try Manager("http://127.0.0.1:\(port)", options: options)
            let socket = manager.socket()
            let auth = Signal<[JSONValue]>()
            socket.on("auth") { arguments, _ in auth.set(arguments) }
            socket.connect()
            let received = try #require(await auth.wait())
            #expect(received == [["token": "s3cret", "n": 1]])
            #expect(socket.connected)
            #expect(socket.id != nil)
            await manager.shutdown()
        }
    }

    @Test("every JSON kind and binary go both ways, with acks", arguments: TransportMode.allCases)
    func payloadsBothWays(mode: TransportMode) async throws {
        let bytes = ByteBuffer(bytes: [0, 1, 2, 250, 255])
        let payload: [JSONValue] = [
            .null, true, false, 0, -42, 9_007_199_254_740_993, 1.5, -0.25, "", "héllo \"wörld\"\n",
            [], [1, [2, [3]]], [:], ["a": ["b": [nil, "c"]]], .binary(bytes),
            ["nested": [.binary(ByteBuffer(bytes: [9])), "x"]],
        ]
        try await withServer(configure: { server in
            server.onConnection { socket in
                socket.on("echo") { arguments, ack in ack?.send(arguments) }
                socket.on("push-me") { arguments, _ in try? socket.emit("pushed", arguments) }
            }
        }) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode))
            let socket = manager.socket().connect()
            let reply = try await socket.timeout(.seconds(60)).emitWithAck("echo", payload)
            #expect(reply == payload)
            let pushed = Signal<[JSONValue]>()
            socket.on("pushed") { arguments, _ in pushed.set(arguments) }
            try socket.emit("push-me", payload)
            #expect(await pushed.wait() == payload)
            await manager.shutdown()
        }
    }

    @Test("the server's acks reach the client's handlers and come back", arguments: TransportMode.allCases)
    func serverAsksClient(mode: TransportMode) async throws {
        let answer = Signal<[JSONValue]>()
        try await withServer(configure: { server in
            server.onConnection { socket in
                // The callback form: it gets every argument of the client's ack.
                try? socket.timeout(.seconds(60)).emit("question", [41, .binary(ByteBuffer(bytes: [7]))]) { result in
                    answer.set((try? result.get()) ?? [])
                }
            }
        }) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode))
            let socket = manager.socket()
            socket.on("question") { arguments, ack in
                ack?(.int((arguments.first?.intValue ?? 0) + 1), arguments[1])
            }
            socket.connect()
            #expect(await answer.wait() == [42, .binary(ByteBuffer(bytes: [7]))])
            await manager.shutdown()
        }
    }

    @Test("namespaces share one engine connection", arguments: TransportMode.allCases)
    func multiplexed(mode: TransportMode) async throws {
        let engineIDs = Recorder<String>()
        try await withServer(configure: { server in
            for name in ["/", "/chat", "/admin"] {
                server.of(name).onConnection { socket in
                    engineIDs.append(socket.conn.id)
                    socket.on("where") { _, ack in ack?(.string(socket.namespace.name)) }
                }
            }
        }) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode))
            let sockets = ["/", "/chat", "/admin"].map { manager.socket($0).connect() }
            for (socket, name) in zip(sockets, ["/", "/chat", "/admin"]) {
                let reply = try await socket.emitWithAck("where")
                #expect(reply == [.string(name)])
            }
            #expect(Set(engineIDs.values).count == 1)
            #expect(engineIDs.values.count == 3)
            await manager.shutdown()
        }
    }

    @Test("a namespace the server does not have is refused with connect_error", arguments: TransportMode.allCases)
    func refusedNamespace(mode: TransportMode) async throws {
        try await withServer { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode))
            let socket = manager.socket("/nowhere")
            let error = Signal<SocketIOClientError>()
            socket.onConnectError { error.set($0) }
            socket.connect()
            let refused = try #require(await error.wait())
            #expect(refused.code == .connectError)
            #expect(refused.message == "Invalid namespace")
            #expect(!socket.connected)
            #expect(!socket.active)
            await manager.shutdown()
        }
    }

    @Test("a middleware's error reaches connect_error with its data", arguments: TransportMode.allCases)
    func middlewareError(mode: TransportMode) async throws {
        try await withServer(configure: { server in
            server.of("/guarded").use { socket in
                guard socket.handshake.auth["token"] == "good" else {
                    throw ConnectError("not authorized", data: ["content": "Please retry later"])
                }
            }
        }) { _, port in
            var options = clientOptions(mode)
            options.auth = .object(["token": "bad"])
            let manager = try Manager("http://127.0.0.1:\(port)", options: options)
            let error = Signal<SocketIOClientError>()
            let args = Signal<[JSONValue]>()
            let socket = manager.socket("/guarded")
            socket.onConnectError { error.set($0) }
            socket.on("connect_error") { arguments, _ in args.set(arguments) }
            socket.connect()
            let refused = try #require(await error.wait())
            #expect(refused.message == "not authorized")
            #expect(refused.data == ["content": "Please retry later"])
            #expect(await args.wait() == ["not authorized", ["content": "Please retry later"]])
            await manager.shutdown()
        }
    }

    @Test("a wrong path gives a connect_error that names the HTTP status", arguments: TransportMode.allCases)
    func wrongPath(mode: TransportMode) async throws {
        try await withServer { _, port in
            var options = clientOptions(mode)
            options.path = "/not-socket.io/"
            options.reconnection = false
            let manager = try Manager("http://127.0.0.1:\(port)", options: options)
            let socket = manager.socket()
            let error = Signal<SocketIOClientError>()
            socket.onConnectError { error.set($0) }
            socket.connect()
            let failure = try #require(await error.wait())
            #expect(failure.code == .connectionFailed)
            #expect(failure.message.contains("404"))
            await manager.shutdown()
        }
    }

    @Test("auth from a closure is evaluated on each connect")
    func authProvider() async throws {
        try await withServer(configure: { server in
            server.of("/guarded").use { socket in
                guard socket.handshake.auth["token"] == "good" else { throw ConnectError("not authorized") }
            }
        }) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(.websocket))
            let calls = Recorder<Int>()
            let socket = manager.socket("/guarded", auth: .provider {
                calls.append(1)
                return calls.values.count == 1 ? ["token": "bad"] : ["token": "good"]
            })
            let refused = Signal<Bool>()
            let connected = Signal<Bool>()
            socket.onConnectError { _ in refused.set(true) }
            socket.onConnect { connected.set(true) }
            socket.connect()
            #expect(await refused.wait() == true)
            socket.connect()
            #expect(await connected.wait() == true)
            #expect(calls.values.count == 2)
            await manager.shutdown()
        }
    }

    @Test("a server-side disconnect ends the socket with io server disconnect", arguments: TransportMode.allCases)
    func serverDisconnect(mode: TransportMode) async throws {
        try await withServer(configure: { server in
            server.onConnection { socket in socket.on("kick-me") { _, _ in socket.disconnect() } }
        }) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode))
            let socket = manager.socket()
            let reason = Signal<ClientDisconnectReason>()
            socket.onDisconnect { why, _ in reason.set(why) }
            socket.connect()
            #expect(await eventually { socket.connected })
            try socket.emit("kick-me")
            #expect(await reason.wait() == .ioServerDisconnect)
            #expect(!socket.active)
            #expect(await eventually { manager.state == .closed })
            await manager.shutdown()
        }
    }

    @Test("the client's disconnect reaches the server as client namespace disconnect", arguments: TransportMode.allCases)
    func clientDisconnect(mode: TransportMode) async throws {
        let serverReason = Signal<DisconnectReason>()
        try await withServer(configure: { server in
            server.onConnection { socket in socket.onDisconnect { reason, _ in serverReason.set(reason) } }
        }) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode))
            let socket = manager.socket()
            let reason = Signal<ClientDisconnectReason>()
            socket.onDisconnect { why, _ in reason.set(why) }
            socket.connect()
            #expect(await eventually { socket.connected })
            socket.disconnect()
            #expect(await reason.wait() == .ioClientDisconnect)
            #expect(await serverReason.wait() == .clientNamespaceDisconnect)
            await manager.shutdown()
        }
    }

    @Test("events emitted before the connection are buffered and sent in order", arguments: TransportMode.allCases)
    func bufferedEmits(mode: TransportMode) async throws {
        let received = Recorder<Int64>()
        try await withServer(configure: { server in
            server.onConnection { socket in socket.on("n") { arguments, _ in received.append(arguments[0].intValue ?? -1) } }
        }) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode))
            let socket = manager.socket()
            for n in 0..<20 { try socket.emit("n", .int(Int64(n))) }
            try socket.volatile.emit("n", -5)
            socket.connect()
            #expect(await eventually { received.values.count == 20 })
            #expect(received.values == Array(0..<20))
            await manager.shutdown()
        }
    }

    @Test("a burst of server events reaches the handlers in order, on the Manager's loop", arguments: TransportMode.allCases)
    func incomingOrder(mode: TransportMode) async throws {
        try await withServer(configure: { server in
            server.onConnection { socket in
                socket.on("burst") { _, _ in
                    for n in 0..<300 { try? socket.emit("n", .int(Int64(n)), n % 50 == 0 ? .binary(ByteBuffer(bytes: [1])) : .null) }
                }
            }
        }) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode))
            let socket = manager.socket()
            let received = Recorder<Int64>()
            let offLoop = Recorder<Bool>()
            socket.on("n") { arguments, _ in
                if !manager.eventLoop.inEventLoop { offLoop.append(true) }
                received.append(arguments[0].intValue ?? -1)
            }
            socket.connect()
            try socket.emit("burst")
            #expect(await eventually { received.values.count == 300 })
            #expect(received.values == Array(0..<300))
            #expect(offLoop.values.isEmpty)
            await manager.shutdown()
        }
    }

    @Test("catch-all listeners see incoming and outgoing events; once and off work")
    func catchAll() async throws {
        try await withServer(configure: { server in
            server.onConnection { socket in
                socket.on("ping-me") { arguments, _ in
                    try? socket.emit("pong", arguments)
                    try? socket.emit("pong", arguments)
                }
            }
        }) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(.websocket))
            let socket = manager.socket()
            let incoming = Recorder<String>()
            let outgoing = Recorder<String>()
            let order = Recorder<String>()
            let onceCount = Recorder<Int>()
            socket.onAny { event, _ in incoming.append(event); order.append("any") }
            socket.prependAny { _, _ in order.append("first") }
            socket.onAnyOutgoing { event, _ in outgoing.append(event) }
            socket.once("pong") { _, _ in onceCount.append(1) }
            let removed = socket.on("pong") { _, _ in Issue.record("removed listener called") }
            socket.off("pong", removed)
            socket.connect()
            try socket.emit("ping-me", 1)
            #expect(await eventually { incoming.values.count == 2 })
            #expect(incoming.values == ["pong", "pong"])
            #expect(outgoing.values == ["ping-me"])
            #expect(order.values == ["first", "any", "first", "any"])
            #expect(onceCount.values.count == 1)
            #expect(throws: SocketIOClientError.self) { try socket.emit("connect") }
            await manager.shutdown()
        }
    }

    @Test("Codable values go out and come back")
    func codable() async throws {
        struct Point: Codable, Sendable, Equatable { var x: Int; var y: Double; var label: String? }
        try await withServer(configure: { server in
            server.onConnection { socket in
                socket.on("echo") { arguments, ack in ack?.send(arguments) }
                socket.on("send-point") { _, _ in try? socket.emit("point", ["x": 1, "y": 2.5, "label": "p"]) }
            }
        }) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(.websocket))
            let socket = manager.socket().connect()
            let point = Point(x: 3, y: -1.25, label: nil)
            let back = try await socket.emitWithAck("echo", encoding: point, as: Point.self)
            #expect(back == point)
            let received = Signal<Point>()
            socket.on("point", as: Point.self) { value, _ in received.set(value) }
            try socket.emit("send-point")
            #expect(await received.wait() == Point(x: 1, y: 2.5, label: "p"))
            await manager.shutdown()
        }
    }

    @Test("polling upgrades to WebSocket by default")
    func upgrades() async throws {
        try await withServer { _, port in
            let upgraded = Signal<EngineTransportKind>()
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(.upgrade))
            manager.onEvent { event in if case .upgrade(let kind) = event { upgraded.set(kind) } }
            let socket = manager.socket().connect()
            #expect(await upgraded.wait() == .websocket)
            #expect(manager.transport == .websocket)
            // The upgrade may finish before the namespace's CONNECT reply arrives.
            #expect(await eventually { socket.connected })
            await manager.shutdown()
        }
    }

    @Test("io() shares one Manager per server and makes a new one for forceNew")
    func ioMultiplexing() async throws {
        try await withServer { _, port in
            var options = clientOptions(.websocket)
            options.autoConnect = false
            let a = try io("http://127.0.0.1:\(port)/", options)
            let b = try io("http://127.0.0.1:\(port)/chat", options)
            #expect(a.io === b.io)
            #expect(b.namespace == "/chat")
            let c = try io("http://127.0.0.1:\(port)/chat", options)
            #expect(c.io !== b.io)
            options.forceNew = true
            let d = try io("http://127.0.0.1:\(port)/other", options)
            #expect(d.io !== a.io)
            for manager in [a.io, c.io, d.io] { await manager.shutdown() }
        }
    }
}

@Suite("ClientSocket: edge cases")
struct ClientSocketEdgeTests {
    @Test("a server that sends what does not decode ends the connection with parse error", arguments: [TransportMode.websocket, .polling])
    func parseError(mode: TransportMode) async throws {
        // A bare Engine.IO server that accepts the CONNECT, then sends garbage.
        var engineOptions = EngineOptions()
        engineOptions.path = "/socket.io/"
        let engine = EngineServer(options: engineOptions)
        engine.onConnection { socket in
            socket.onMessage { message in
                guard message.stringValue == "0" else { return }
                socket.send(.string("0{\"sid\":\"raw\"}"))
                socket.send(.string("9 not a packet"))
            }
        }
        let port = try await engine.listen(host: "127.0.0.1", port: 0)
        var options = clientOptions(mode)
        options.reconnection = false
        let manager = try Manager("http://127.0.0.1:\(port)", options: options)
        let socket = manager.socket()
        let reason = Signal<ClientDisconnectReason>()
        socket.onDisconnect { why, _ in reason.set(why) }
        socket.connect()
        #expect(await reason.wait() == .parseError)
        await manager.shutdown()
        await engine.close()
    }

    @Test("rememberUpgrade starts with WebSocket once one succeeded in this process")
    func rememberUpgrade() async throws {
        try await withServer { _, port in
            let first = try Manager("http://127.0.0.1:\(port)", options: clientOptions(.websocket))
            let firstSocket = first.socket().connect()
            #expect(await eventually { firstSocket.connected })
            await first.shutdown()

            var options = clientOptions(.upgrade)
            options.rememberUpgrade = true
            let manager = try Manager("http://127.0.0.1:\(port)", options: options)
            let openedWith = Signal<EngineTransportKind>()
            manager.onEvent { event in
                if case .open = event, let transport = manager.transport { openedWith.set(transport) }
            }
            manager.socket().connect()
            #expect(await openedWith.wait() == .websocket)
            await manager.shutdown()
        }
    }
}

@Suite("Manager lifetime")
struct ManagerLifetimeTests {
    @Test("a shut-down Manager and its sockets are freed once the application drops them", arguments: [false, true])
    func shutDownManagerIsFreed(throughIO: Bool) async throws {
        try await withServer { _, port in
            weak var weakManager: Manager?
            weak var weakSocket: ClientSocket?
            do {
                let socket: ClientSocket
                if throughIO {
                    socket = try io("http://127.0.0.1:\(port)", clientOptions(.websocket))
                } else {
                    socket = try Manager("http://127.0.0.1:\(port)", options: clientOptions(.websocket)).socket()
                    socket.connect()
                }
                let connected = Signal<Bool>()
                _ = socket.onConnect { connected.set(true) }
                if socket.connected { connected.set(true) }
                #expect(await connected.wait() == true)
                weakManager = socket.io
                weakSocket = socket
                await socket.io.shutdown()
            }
            #expect(await eventually { weakManager == nil && weakSocket == nil }, "the Manager or its socket was kept alive")
        }
    }
}
