import EngineIO
import EngineIOClient
import NIOCore
import SocketIO
import SocketIOClient
import Testing
import TestSupport

/// The Swift client and our server, both on `socket.io-msgpack-parser`.
@Suite("The msgpack parser, client and server")
struct MsgpackParserTests {
    static func serverOptions(_ parser: SocketIOPacketParser = .msgpack) -> SocketIOServerOptions {
        var options = SocketIOServerOptions()
        options.parser = parser
        return options
    }

    @Test("events, binary and acks go both ways", arguments: TransportMode.allCases)
    func eventsAndAcks(mode: TransportMode) async throws {
        let payload: [JSONValue] = [
            nil, true, -42, 1.5, "héllo", [1, [2]], ["a": [.binary(ByteBuffer(bytes: [9, 8]))]],
            .binary(ByteBuffer(bytes: [0, 1, 255])),
        ]
        let answer = Signal<[JSONValue]>()
        try await withServer(Self.serverOptions(), configure: { server in
            server.onConnection { socket in
                socket.on("echo") { arguments, ack in ack?.send(arguments) }
                socket.on("push-me") { arguments, _ in try? socket.emit("pushed", arguments) }
                try? socket.timeout(.seconds(60)).emit("question", [41, .binary(ByteBuffer(bytes: [7]))]) { result in
                    answer.set((try? result.get()) ?? [])
                }
            }
        }) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode, parser: .msgpack))
            let socket = manager.socket()
            socket.on("question") { arguments, ack in
                ack?(.int((arguments.first?.intValue ?? 0) + 1), arguments[1])
            }
            let pushed = Signal<[JSONValue]>()
            socket.on("pushed") { arguments, _ in pushed.set(arguments) }
            socket.connect()
            #expect(try await socket.timeout(.seconds(60)).emitWithAck("echo", payload) == payload)
            try socket.emit("push-me", payload)
            #expect(await pushed.wait() == payload)
            #expect(await answer.wait() == [42, .binary(ByteBuffer(bytes: [7]))])
            await manager.shutdown()
        }
    }

    @Test("namespaces, and a middleware's connect_error with its data", arguments: TransportMode.allCases)
    func namespacesAndConnectError(mode: TransportMode) async throws {
        try await withServer(Self.serverOptions(), configure: { server in
            server.of("/custom").onConnection { socket in
                socket.on("where") { _, ack in ack?(.string(socket.namespace.name)) }
            }
            server.of("/guarded").use { _ in
                throw ConnectError("not authorized", data: ["content": "Please retry later"])
            }
        }) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode, parser: .msgpack))
            let custom = manager.socket("/custom").connect()
            #expect(try await custom.timeout(.seconds(60)).emitWithAck("where") == ["/custom"])
            let refused = Signal<SocketIOClientError>()
            let guarded = manager.socket("/guarded")
            guarded.onConnectError { refused.set($0) }
            guarded.connect()
            let error = try #require(await refused.wait())
            #expect(error.message == "not authorized")
            #expect(error.data == ["content": "Please retry later"])
            #expect(custom.connected)
            await manager.shutdown()
        }
    }

    @Test("a broadcast to a room reaches each member once, binary included", arguments: TransportMode.allCases)
    func roomBroadcast(mode: TransportMode) async throws {
        try await withServer(Self.serverOptions(), configure: { server in
            server.onConnection { socket in
                socket.on("join") { _, ack in
                    socket.join("room")
                    ack?()
                }
                socket.on("shout") { arguments, _ in try? server.to("room").emit("news", arguments) }
            }
        }) { _, port in
            let managers = try (0..<3).map { _ in try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode, parser: .msgpack)) }
            let sockets = managers.map { $0.socket().connect() }
            let news = Recorder<(Int, [JSONValue])>()
            for (index, socket) in sockets.enumerated() {
                socket.on("news") { arguments, _ in news.append((index, arguments)) }
            }
            for socket in sockets.prefix(2) {
                _ = try await socket.timeout(.seconds(60)).emitWithAck("join")
            }
            let message: [JSONValue] = ["hi", .binary(ByteBuffer(bytes: [1, 2, 3]))]
            try sockets[2].emit("shout", message)
            #expect(await eventually { news.values.count >= 2 })
            #expect(Set(news.values.map(\.0)) == [0, 1])
            #expect(news.values.allSatisfy { $0.1 == message })
            for manager in managers { await manager.shutdown() }
        }
    }

    @Test(
        "a client on the other parser is disconnected alone; a client on the server's keeps working",
        arguments: [(SocketIOPacketParser.msgpack, SocketIOPacketParser.default), (.default, .msgpack)],
        TransportMode.allCases
    )
    func otherParserFailsCleanly(parsers: (SocketIOPacketParser, SocketIOPacketParser), mode: TransportMode) async throws {
        let (serverParser, otherParser) = parsers
        let engineCloses = Recorder<String>()
        let connections = Recorder<String>()
        var options = Self.serverOptions(serverParser)
        // A polling session closed by the server waits for the client's next GET to hand it
        // the close packet, at most closeTimeout (30 s, as Node). When the bad packet comes
        // while the client is upgrading, its polling is paused and no GET comes: the session
        // ends at the timeout. Short here, so the wait below is not a race with it.
        options.engine.closeTimeout = .seconds(2)
        try await withServer(options, configure: { server in
            server.engine.onConnection { conn in
                conn.onClose { reason, _ in engineCloses.append(reason.rawValue) }
            }
            server.onConnection { socket in
                connections.append(socket.id)
                socket.on("echo") { arguments, ack in ack?.send(arguments) }
            }
        }) { _, port in
            let good = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode, parser: serverParser))
            let goodSocket = good.socket().connect()
            #expect(try await goodSocket.timeout(.seconds(60)).emitWithAck("echo", ["before"]) == ["before"])

            var otherOptions = clientOptions(mode, parser: otherParser)
            otherOptions.reconnection = false
            let other = try Manager("http://127.0.0.1:\(port)", options: otherOptions)
            let otherSocket = other.socket().connect()
            // The server drops the other client's connection at its first packet.
            #expect(await eventually { !engineCloses.values.isEmpty })
            #expect(!otherSocket.connected)
            #expect(connections.values.count == 1)

            let binary: [JSONValue] = ["after", .binary(ByteBuffer(bytes: [4, 5]))]
            #expect(try await goodSocket.timeout(.seconds(60)).emitWithAck("echo", binary) == binary)
            #expect(goodSocket.connected)
            await other.shutdown()
            await good.shutdown()
        }
    }
}
