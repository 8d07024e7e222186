import SocketIO
import Testing
@testable import TestSupport

@Suite("Connection middlewares")
struct MiddlewareTests {
    @Test("middlewares run in registration order, before the connection listener")
    func middlewaresRunInOrder() async throws {
        try await withServer { io, port in
            let steps = Recorder<String>()
            io.use { _ in steps.append("first") }
            io.use { _ in steps.append("second") }
            io.use { _ in steps.append("third") }
            io.onConnection { _ in steps.append("connection") }
            let client = try await TestSocketIOClient.connect(port: port)
            #expect(await eventually { steps.values.count == 4 })
            #expect(steps.values == ["first", "second", "third", "connection"])
            await client.close()
        }
    }

    @Test("a middleware sees the handshake and what it stores in socket.data reaches the connection listener")
    func middlewareSeesHandshakeAndSetsData() async throws {
        try await withServer { io, port in
            io.use { socket in
                socket.data = ["user": socket.handshake.auth["user"] ?? nil]
            }
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets, auth: #"{"user":"ada"}"#)
            #expect(socket.data == ["user": "ada"])
            await client.close()
        }
    }

    @Test("a ConnectError reaches the client as connect_error with its message and data; no socket is made")
    func connectErrorReachesTheClient() async throws {
        try await withServer { io, port in
            let connections = Recorder<String>()
            io.use { _ in throw ConnectError("not authorized", data: ["content": "Please retry later"]) }
            io.onConnection { connections.append($0.id) }
            let client = try await TestSocketIOClient.open(port: port)
            let error = await #expect(throws: TestSocketIOConnectError.self) {
                try await client.connect()
            }
            #expect(error?.namespace == "/")
            #expect(error?.json == ["message": "not authorized", "data": ["content": "Please retry later"]])
            #expect(connections.values.isEmpty)
            #expect(io.sockets.sockets.isEmpty)
            await client.close()
        }
    }

    @Test("a ConnectError without data sends only the message, as Node omits an undefined data")
    func connectErrorWithoutData() async throws {
        try await withServer { io, port in
            io.use { _ in throw ConnectError("go away") }
            let client = try await TestSocketIOClient.open(port: port)
            let error = await #expect(throws: TestSocketIOConnectError.self) {
                try await client.connect()
            }
            #expect(error?.json == ["message": "go away"])
            await client.close()
        }
    }

    @Test("a refusing middleware stops the chain: later middlewares do not run")
    func refusalStopsTheChain() async throws {
        try await withServer { io, port in
            let steps = Recorder<String>()
            io.use { _ in steps.append("first") }
            io.use { _ in
                steps.append("second")
                throw ConnectError("no")
            }
            io.use { _ in steps.append("third") }
            let client = try await TestSocketIOClient.open(port: port)
            await #expect(throws: TestSocketIOConnectError.self) { try await client.connect() }
            #expect(steps.values == ["first", "second"])
            await client.close()
        }
    }

    @Test("after a refusal the same connection may try the namespace again and be accepted")
    func retryAfterRefusal() async throws {
        try await withServer { io, port in
            io.use { socket in
                guard socket.handshake.auth["token"] == "good" else { throw ConnectError("bad token") }
            }
            let client = try await TestSocketIOClient.open(port: port)
            await #expect(throws: TestSocketIOConnectError.self) {
                try await client.connect(auth: #"{"token":"bad"}"#)
            }
            let sid = try await client.connect(auth: #"{"token":"good"}"#)
            #expect(await eventually { io.sockets.sockets[sid] != nil })
            await client.close()
        }
    }

    @Test("an async middleware is awaited before the socket connects")
    func asyncMiddlewareIsAwaited() async throws {
        try await withServer { io, port in
            let finished = Signal<Bool>()
            io.use { socket in
                // Real asynchronous work (a lookup, say): the socket must wait for it.
                try await Task.sleep(for: .milliseconds(150))
                socket.data = "looked-up"
                finished.set(true)
            }
            let seenData = Signal<JSONValue>()
            io.onConnection { socket in seenData.set(socket.data) }
            let client = try await TestSocketIOClient.connect(port: port)
            #expect(finished.current == true, "CONNECT answered before the middleware finished")
            #expect(await seenData.wait() == "looked-up")
            await client.close()
        }
    }

    @Test("an async middleware may refuse after awaiting")
    func asyncMiddlewareRefuses() async throws {
        try await withServer { io, port in
            io.use { _ in
                try await Task.sleep(for: .milliseconds(50))
                throw ConnectError("later no", data: 7)
            }
            let client = try await TestSocketIOClient.open(port: port)
            let error = await #expect(throws: TestSocketIOConnectError.self) { try await client.connect() }
            #expect(error?.json == ["message": "later no", "data": 7])
            await client.close()
        }
    }

    @Test("a namespace's middlewares do not run for other namespaces")
    func middlewaresAreNamespaceScoped() async throws {
        try await withServer { io, port in
            let ran = Recorder<String>()
            io.of("/admin").use { _ in ran.append("admin") }
            io.use { _ in ran.append("main") }
            let client = try await TestSocketIOClient.open(port: port)
            try await client.connect(namespace: "/admin")
            #expect(ran.values == ["admin"])
            try await client.connect(namespace: "/")
            #expect(ran.values == ["admin", "main"])
            await client.close()
        }
    }

    @Test("a refusal on one namespace leaves the connection's other namespaces connected")
    func refusalLeavesOtherNamespaces() async throws {
        try await withServer { io, port in
            io.of("/locked").use { _ in throw ConnectError("locked") }
            let sockets = SocketCollector(io.sockets)
            let client = try await TestSocketIOClient.open(port: port)
            let sid = try await client.connect(namespace: "/")
            await #expect(throws: TestSocketIOConnectError.self) { try await client.connect(namespace: "/locked") }
            let socket = try await sockets.socket(sid)
            #expect(socket.connected)
            try socket.emit("still")
            #expect(try await client.nextEvent().name == "still")
            await client.close()
        }
    }

    @Test("rooms joined in a middleware are kept when the socket is accepted")
    func roomsJoinedInMiddlewareAreKept() async throws {
        try await withServer { io, port in
            io.use { socket in socket.join("early") }
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            #expect(socket.rooms == [socket.id, "early"])
            await client.close()
        }
    }

    @Test("rooms joined in a middleware are left when a later middleware refuses the socket")
    func roomsJoinedByARefusedSocketAreLeft() async throws {
        try await withServer { io, port in
            let refusedID = Signal<String>()
            io.use { socket in
                socket.join("pending")
                refusedID.set(socket.id)
            }
            io.use { _ in throw ConnectError("no") }
            let client = try await TestSocketIOClient.open(port: port)
            await #expect(throws: TestSocketIOConnectError.self) { try await client.connect() }
            let id = try #require(await refusedID.wait())
            // Node's _cleanup runs right after the connect_error is written.
            #expect(await eventually { io.sockets.adapter.rooms["pending"] == nil })
            #expect(io.sockets.adapter.rooms[id] == nil)
            #expect(await io.in("pending").allSockets().isEmpty)
            await client.close()
        }
    }

    @Test("a connection whose only CONNECT was refused is still closed at connectTimeout")
    func refusedConnectionIsClosedAtConnectTimeout() async throws {
        let clock = ManualTimerSource()
        try await withServer(serverOptions(clock: clock) { $0.connectTimeout = .seconds(2) }) { io, port in
            io.use { _ in throw ConnectError("no") }
            let client = try await TestSocketIOClient.open(port: port)
            await #expect(throws: TestSocketIOConnectError.self) { try await client.connect() }
            #expect(await clock.advanceWhenArmed(.seconds(2)))
            let packets = try await client.packetsUntilClose()
            #expect(packets.isEmpty)
        }
    }
}
