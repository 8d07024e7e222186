import SocketIO
import Testing
@testable import TestSupport

@Suite("Disconnection and its reasons")
struct DisconnectTests {
    @Test("a DISCONNECT from the client ends the socket with \"client namespace disconnect\"; the connection stays")
    func clientNamespaceDisconnect() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let reason = Signal<DisconnectReason>()
            socket.onDisconnect { r, _ in reason.set(r) }
            try await client.disconnect()
            #expect(await reason.wait() == .clientNamespaceDisconnect)
            #expect(!socket.connected)
            #expect(socket.disconnected)
            #expect(!io.sockets.sockets.keys.contains(socket.id))
            // The engine connection is still there: the client can join again.
            let again = try await client.connect()
            #expect(again != socket.id)
            await client.close()
        }
    }

    @Test("socket.disconnect() sends DISCONNECT, ends with \"server namespace disconnect\" and keeps the connection")
    func serverNamespaceDisconnect() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let reason = Signal<DisconnectReason>()
            socket.onDisconnect { r, _ in reason.set(r) }
            socket.disconnect()
            let packet = try await client.nextPacket()
            #expect(packet == TestSocketIOPacket(kind: .disconnect, namespace: "/"))
            #expect(await reason.wait() == .serverNamespaceDisconnect)
            let again = try await client.connect()
            #expect(await eventually { io.sockets.sockets[again] != nil })
            await client.close()
        }
    }

    @Test("socket.disconnect() in a custom namespace names that namespace")
    func serverNamespaceDisconnectInCustomNamespace() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.of("/chat"))
            let client = try await TestSocketIOClient.open(port: port)
            let sid = try await client.connect(namespace: "/chat")
            try await sockets.socket(sid).disconnect()
            #expect(try await client.nextPacket() == TestSocketIOPacket(kind: .disconnect, namespace: "/chat"))
            await client.close()
        }
    }

    @Test("socket.disconnect(close: true) disconnects every namespace of the connection and closes it")
    func disconnectWithClose() async throws {
        try await withServer { io, port in
            let mainSockets = SocketCollector(io.sockets)
            let adminSockets = SocketCollector(io.of("/admin"))
            let client = try await TestSocketIOClient.open(port: port)
            let main = try await mainSockets.socket(try await client.connect())
            let admin = try await adminSockets.socket(try await client.connect(namespace: "/admin"))
            let reasons = Recorder<String>()
            main.onDisconnect { r, _ in reasons.append("/ \(r.rawValue)") }
            admin.onDisconnect { r, _ in reasons.append("/admin \(r.rawValue)") }

            main.disconnect(close: true)
            let packets = try await client.packetsUntilClose()
            #expect(Set(packets) == [
                TestSocketIOPacket(kind: .disconnect, namespace: "/"),
                TestSocketIOPacket(kind: .disconnect, namespace: "/admin"),
            ])
            #expect(packets.count == 2)
            #expect(await eventually { reasons.values.count == 2 })
            #expect(Set(reasons.values) == ["/ server namespace disconnect", "/admin server namespace disconnect"])
            #expect(!main.connected && !admin.connected)
        }
    }

    @Test("io.close() ends every socket with \"server shutting down\" and closes the connections")
    func serverShuttingDown() async throws {
        let io = SocketIOServer()
        let port = try await io.listen(host: "127.0.0.1", port: 0)
        let mainSockets = SocketCollector(io.sockets)
        let adminSockets = SocketCollector(io.of("/admin"))
        let client = try await TestSocketIOClient.open(port: port)
        let main = try await mainSockets.socket(try await client.connect())
        let admin = try await adminSockets.socket(try await client.connect(namespace: "/admin"))
        let other = try await TestSocketIOClient.connect(port: port)
        let reasons = Recorder<DisconnectReason>()
        main.onDisconnect { r, _ in reasons.append(r) }
        admin.onDisconnect { r, _ in reasons.append(r) }

        await io.close()
        #expect(reasons.values == [.serverShuttingDown, .serverShuttingDown])
        _ = try await client.packetsUntilClose()
        _ = try await other.packetsUntilClose()
        await #expect(throws: (any Error).self) {
            _ = try await TestSocketIOClient.open(port: port, timeout: .seconds(2))
        }
    }

    @Test("a client that stops answering pings is disconnected with \"ping timeout\"")
    func pingTimeout() async throws {
        let clock = ManualTimerSource()
        let options = serverOptions(clock: clock) {
            $0.engine.pingInterval = .milliseconds(1000)
            $0.engine.pingTimeout = .milliseconds(500)
        }
        try await withServer(options) { io, port in
            let reason = Signal<DisconnectReason>()
            io.onConnection { socket in socket.onDisconnect { r, _ in reason.set(r) } }
            let client = try await TestSocketIOClient.connect(port: port, answersPings: false)
            #expect(await clock.advanceWhenArmed(.milliseconds(1000)))
            #expect(await clock.advanceWhenArmed(.milliseconds(500)))
            #expect(await reason.wait() == .pingTimeout)
            _ = try await client.packetsUntilClose()
        }
    }

    @Test("a client closing its WebSocket ends the socket with \"transport close\"")
    func transportClose() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let reason = Signal<DisconnectReason>()
            socket.onDisconnect { r, _ in reason.set(r) }
            await client.close()
            #expect(await reason.wait() == .transportClose)
        }
    }

    @Test("an undecodable Socket.IO packet (\"4X\") ends the sockets with \"parse error\" and closes the connection")
    func socketIOParseError() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let reason = Signal<DisconnectReason>()
            let errors = Recorder<String>()
            socket.onDisconnect { r, _ in reason.set(r) }
            socket.onError { errors.append("\($0)") }
            try await client.sendEngineText("4X")
            #expect(await reason.wait() == .parseError)
            #expect(errors.values.count == 1, "the socket's error listeners hear of the bad packet (Node's _onerror)")
            _ = try await client.packetsUntilClose()
        }
    }

    @Test("an undecodable Engine.IO packet ends the sockets with \"parse error\"")
    func engineParseError() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let reason = Signal<DisconnectReason>()
            socket.onDisconnect { r, _ in reason.set(r) }
            try await client.sendEngineText("9garbage")
            #expect(await reason.wait() == .parseError)
            _ = try await client.packetsUntilClose()
        }
    }

    @Test("a second CONNECT to a namespace already joined closes the connection (\"forced server close\")")
    func secondConnectClosesTheConnection() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let reason = Signal<DisconnectReason>()
            socket.onDisconnect { r, _ in reason.set(r) }
            try await client.send(TestSocketIOPacket(kind: .connect))
            let packets = try await client.packetsUntilClose()
            #expect(!packets.contains { $0.kind == .connect }, "no second socket may be created: \(packets)")
            #expect(await reason.wait() == .forcedServerClose)
        }
    }

    @Test("an event for a namespace the client never joined closes the connection")
    func eventForUnjoinedNamespaceClosesTheConnection() async throws {
        try await withServer { io, port in
            _ = io.of("/other")
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let reason = Signal<DisconnectReason>()
            socket.onDisconnect { r, _ in reason.set(r) }
            try await client.emit("sneaky", namespace: "/other")
            _ = try await client.packetsUntilClose()
            #expect(await reason.wait() == .forcedServerClose)
        }
    }

    @Test("disconnecting runs before disconnect, each once, with the same reason")
    func disconnectingBeforeDisconnect() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let order = Recorder<String>()
            socket.onDisconnecting { r, _ in order.append("disconnecting \(r.rawValue)") }
            socket.onDisconnect { r, _ in order.append("disconnect \(r.rawValue)") }
            socket.disconnect()
            socket.disconnect()
            _ = try await client.nextPacket()
            #expect(await eventually { order.values.count >= 2 })
            // A second disconnect() on a disconnected socket does nothing.
            try await client.connect()
            #expect(order.values == ["disconnecting server namespace disconnect", "disconnect server namespace disconnect"])
            await client.close()
        }
    }

    @Test("on(\"disconnect\") handlers get the reason string as their one argument")
    func disconnectEventHandlerGetsReason() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let arguments = Signal<[JSONValue]>()
            socket.on("disconnect") { args, _ in arguments.set(args) }
            try await client.disconnect()
            #expect(await arguments.wait() == ["client namespace disconnect"])
            await client.close()
        }
    }

    @Test("every Node disconnect reason has Node's exact string")
    func reasonStrings() {
        #expect(DisconnectReason.allCases.map(\.rawValue) == [
            "server namespace disconnect", "client namespace disconnect", "server shutting down", "ping timeout",
            "transport close", "transport error", "parse error", "forced close", "forced server close",
        ])
    }

    @Test("a client disconnecting one namespace leaves its other namespaces connected")
    func disconnectOneNamespaceOnly() async throws {
        try await withServer { io, port in
            let adminSockets = SocketCollector(io.of("/admin"))
            let client = try await TestSocketIOClient.open(port: port)
            try await client.connect()
            let admin = try await adminSockets.socket(try await client.connect(namespace: "/admin"))
            try await client.disconnect(namespace: "/")
            #expect(await eventually { io.sockets.sockets.isEmpty })
            #expect(admin.connected)
            try admin.emit("ok")
            #expect(try await client.nextEvent().namespace == "/admin")
            await client.close()
        }
    }

    @Test("closing the engine connection from the server (socket.conn.close()) ends the socket with \"forced close\"")
    func forcedClose() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let reason = Signal<DisconnectReason>()
            socket.onDisconnect { r, _ in reason.set(r) }
            socket.conn.close()
            #expect(await reason.wait() == .forcedClose)
            _ = try await client.packetsUntilClose()
        }
    }

    @Test("io.close() also ends the sockets of dynamic child namespaces, and a second close() returns")
    func closeReachesChildrenAndIsIdempotent() async throws {
        let io = SocketIOServer()
        let port = try await io.listen(host: "127.0.0.1", port: 0)
        let parent = try io.of(pattern: #"^/dyn-\d+$"#)
        let sockets = SocketCollector(parent)
        let client = try await TestSocketIOClient.open(port: port)
        let socket = try await sockets.socket(try await client.connect(namespace: "/dyn-1"))
        let reason = Signal<DisconnectReason>()
        socket.onDisconnect { r, _ in reason.set(r) }
        await io.close()
        #expect(await reason.wait() == .serverShuttingDown)
        await io.close()
        _ = try await client.packetsUntilClose()
    }

    @Test("io.close() fails a pending emitWithAck instead of leaving it hanging")
    func closeFailsPendingAcks() async throws {
        let io = SocketIOServer()
        let port = try await io.listen(host: "127.0.0.1", port: 0)
        let sockets = SocketCollector(io.sockets)
        let (client, socket) = try await connectClient(port: port, collector: sockets)
        let outcome = Signal<String>()
        Task {
            do {
                _ = try await socket.emitWithAck("never-answered")
                outcome.set("answered")
            } catch {
                outcome.set("\(error)")
            }
        }
        _ = try await client.nextEvent()
        await io.close()
        #expect(await outcome.wait() == SocketIOError.disconnected.description)
    }
}
