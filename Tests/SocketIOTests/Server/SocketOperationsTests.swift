import SocketIO
import Testing
@testable import TestSupport

@Suite("Server-side operations on many sockets")
struct SocketOperationsTests {
    @Test("fetchSockets returns every socket with its id, handshake, rooms and data")
    func fetchSocketsReturnsDetails() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (c1, s1) = try await connectClient(port: port, collector: sockets, auth: #"{"name":"one"}"#)
            let (c2, s2) = try await connectClient(port: port, collector: sockets, auth: #"{"name":"two"}"#, query: "x=2")
            s1.join("red")
            s1.data = ["score": 10]
            s2.data = "two's data"

            let fetched = try await io.fetchSockets()
            #expect(Set(fetched.map(\.id)) == [s1.id, s2.id])
            guard let r1 = fetched.first(where: { $0.id == s1.id }), let r2 = fetched.first(where: { $0.id == s2.id }) else {
                Issue.record("fetchSockets missed a socket: \(fetched.map(\.id))")
                return
            }
            #expect(r1.rooms == [s1.id, "red"])
            #expect(r1.data == ["score": 10])
            #expect(r1.handshake == s1.handshake)
            #expect(r1.handshake.auth == ["name": "one"])
            #expect(r2.rooms == [s2.id])
            #expect(r2.data == "two's data")
            #expect(r2.handshake.query["x"] == "2")
            await c1.close()
            await c2.close()
        }
    }

    @Test("fetchSockets honours in() and except()")
    func fetchSocketsFilters() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (c1, s1) = try await connectClient(port: port, collector: sockets)
            let (c2, s2) = try await connectClient(port: port, collector: sockets)
            let (c3, s3) = try await connectClient(port: port, collector: sockets)
            s1.join("red")
            s2.join(["red", "blue"])
            #expect(Set(try await io.in("red").fetchSockets().map(\.id)) == [s1.id, s2.id])
            #expect(Set(try await io.in("red").except("blue").fetchSockets().map(\.id)) == [s1.id])
            #expect(Set(try await io.except("red").fetchSockets().map(\.id)) == [s3.id])
            #expect(try await io.in("nobody").fetchSockets().isEmpty)
            await c1.close()
            await c2.close()
            await c3.close()
        }
    }

    @Test("fetchSockets of a namespace only returns that namespace's sockets")
    func fetchSocketsPerNamespace() async throws {
        try await withServer { io, port in
            let admin = io.of("/admin")
            let client = try await TestSocketIOClient.open(port: port)
            let mainSID = try await client.connect()
            let adminSID = try await client.connect(namespace: "/admin")
            #expect(try await admin.fetchSockets().map(\.id) == [adminSID])
            #expect(try await io.fetchSockets().map(\.id) == [mainSID])
            await client.close()
        }
    }

    @Test("a fetched socket can be emitted to, joined to and removed from rooms, and disconnected")
    func remoteSocketOperations() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            guard let remote = try await io.fetchSockets().first else {
                Issue.record("fetchSockets returned nothing")
                return
            }
            try remote.emit("direct", 1)
            #expect(try await client.nextEvent() == ReceivedEvent(namespace: "/", name: "direct", arguments: [1]))
            remote.join("vip", "beta")
            #expect(await eventually { socket.rooms == [socket.id, "vip", "beta"] })
            remote.leave("beta")
            #expect(await eventually { socket.rooms == [socket.id, "vip"] })
            let reason = Signal<DisconnectReason>()
            socket.onDisconnect { r, _ in reason.set(r) }
            remote.disconnect()
            #expect(try await client.nextPacket().kind == .disconnect)
            #expect(await reason.wait() == .serverNamespaceDisconnect)
            await client.close()
        }
    }

    @Test("socketsJoin and socketsLeave change the rooms of the selected sockets")
    func socketsJoinAndLeave() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (c1, s1) = try await connectClient(port: port, collector: sockets)
            let (c2, s2) = try await connectClient(port: port, collector: sockets)
            s1.join("red")

            io.socketsJoin("all", "everyone")
            #expect(await eventually { s1.rooms == [s1.id, "red", "all", "everyone"] && s2.rooms == [s2.id, "all", "everyone"] })

            io.in("red").socketsJoin("red-team")
            #expect(await eventually { s1.rooms.contains("red-team") })
            #expect(!s2.rooms.contains("red-team"))

            io.except("red").socketsLeave("all")
            #expect(await eventually { !s2.rooms.contains("all") })
            #expect(s1.rooms.contains("all"))

            io.socketsLeave("everyone")
            #expect(await eventually { s1.rooms == [s1.id, "red", "all", "red-team"] && s2.rooms == [s2.id] })
            await c1.close()
            await c2.close()
        }
    }

    @Test("disconnectSockets() disconnects from the namespace only: the client gets DISCONNECT and the connection stays")
    func disconnectSocketsKeepsTheConnection() async throws {
        try await withServer { io, port in
            let mainSockets = SocketCollector(io.sockets)
            let adminSockets = SocketCollector(io.of("/admin"))
            let client = try await TestSocketIOClient.open(port: port)
            let mainSID = try await client.connect()
            let adminSID = try await client.connect(namespace: "/admin")
            let main = try await mainSockets.socket(mainSID)
            let admin = try await adminSockets.socket(adminSID)
            let reason = Signal<DisconnectReason>()
            main.onDisconnect { r, _ in reason.set(r) }

            io.disconnectSockets()
            let packet = try await client.nextPacket()
            #expect(packet.kind == .disconnect)
            #expect(packet.namespace == "/")
            #expect(await reason.wait() == .serverNamespaceDisconnect)
            #expect(admin.connected)
            try admin.emit("still-here")
            #expect(try await client.nextEvent() == ReceivedEvent(namespace: "/admin", name: "still-here", arguments: []))
            // The client may join the namespace again on the same connection.
            try await client.connect()
            await client.close()
        }
    }

    @Test("disconnectSockets(close: true) closes the whole connection of each selected socket")
    func disconnectSocketsWithClose() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (target, targetSocket) = try await connectClient(port: port, collector: sockets)
            let (bystander, bystanderSocket) = try await connectClient(port: port, collector: sockets)
            targetSocket.join("kick")
            let reason = Signal<DisconnectReason>()
            targetSocket.onDisconnect { r, _ in reason.set(r) }

            io.in("kick").disconnectSockets(close: true)
            let packets = try await target.packetsUntilClose()
            #expect(packets.map(\.kind) == [.disconnect])
            #expect(await reason.wait() == .serverNamespaceDisconnect)
            #expect(bystanderSocket.connected)
            try bystanderSocket.emit("fine")
            #expect(try await bystander.nextEvent().name == "fine")
            await bystander.close()
        }
    }

    @Test("allSockets returns the ids of the namespace's or the rooms' sockets")
    func allSockets() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (c1, s1) = try await connectClient(port: port, collector: sockets)
            let (c2, s2) = try await connectClient(port: port, collector: sockets)
            s2.join("x")
            #expect(await io.sockets.allSockets() == [s1.id, s2.id])
            #expect(await io.in("x").allSockets() == [s2.id])
            #expect(await io.of("/empty").allSockets().isEmpty)
            await c1.close()
            await c2.close()
        }
    }

    @Test("serverSideEmit with no other server is a no-op that reaches no client")
    func serverSideEmitIsANoOp() async throws {
        try await withServer { io, port in
            let client = try await TestSocketIOClient.connect(port: port)
            let received = Recorder<String>()
            io.sockets.onServerSideEmit("sync") { _, _ in received.append("sync") }
            try io.serverSideEmit("sync", 1, 2)
            try io.of("/other").serverSideEmit("sync")
            try io.emit("marker")
            #expect(try await client.nextEvent().name == "marker")
            #expect(received.values.isEmpty, "a server must not receive its own serverSideEmit")
            await client.close()
        }
    }

    @Test("serverSideEmitWithAck with no other server returns no replies")
    func serverSideEmitWithAckIsEmpty() async throws {
        try await withServer { io, _ in
            let plain = try await io.serverSideEmitWithAck("count")
            let withTimeout = try await io.serverSideEmitWithAck("count", 1, timeout: .milliseconds(100))
            let inNamespace = try await io.of("/admin").serverSideEmitWithAck("count")
            #expect(plain.isEmpty)
            #expect(withTimeout.isEmpty)
            #expect(inNamespace.isEmpty)
        }
    }

    @Test("serverSideEmit refuses Node's reserved names (connect, connection, new_namespace) and allows the others")
    func serverSideEmitRefusesReservedNames() async throws {
        try await withServer { io, _ in
            #expect(throws: SocketIOError.reservedEventName("connect")) { try io.serverSideEmit("connect") }
            #expect(throws: SocketIOError.reservedEventName("connection")) { try io.of("/admin").serverSideEmit("connection") }
            await #expect(throws: SocketIOError.reservedEventName("new_namespace")) {
                _ = try await io.serverSideEmitWithAck("new_namespace")
            }
            #expect(throws: SocketIOError.reservedEventName("connection")) { try io.serverSideEmit("connection", []) { _ in } }
            // Node's namespace reserves only those three: a socket's reserved names pass.
            try io.serverSideEmit("disconnect")
            _ = try await io.serverSideEmitWithAck("disconnecting")
        }
    }

    @Test("serverSideEmit with an ack callback gets one reply per other server (none here), as Node's callback(err, responses)")
    func serverSideEmitWithCallback() async throws {
        try await withServer { io, _ in
            let replies = try await withCheckedThrowingContinuation { continuation in
                do {
                    try io.serverSideEmit("count", [1], timeout: .seconds(1)) { continuation.resume(with: $0) }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            #expect(replies.isEmpty)
        }
    }

    @Test("a fetched socket's timeout(...).emitWithAck gets that client's reply")
    func remoteSocketEmitWithAck() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            guard let remote = try await io.fetchSockets().first(where: { $0.id == socket.id }) else {
                Issue.record("fetchSockets missed the socket")
                return
            }
            async let reply = remote.timeout(.seconds(5)).emitWithAck("whoami")
            let event = try await client.nextEvent()
            try await client.sendAck(try #require(event.ackID), "me")
            #expect(try await reply == ["me"])  // A RemoteSocket acks as a broadcast: one reply per client.
            await client.close()
        }
    }
}
