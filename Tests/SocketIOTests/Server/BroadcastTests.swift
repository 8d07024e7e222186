import SocketIO
import Testing
@testable import TestSupport

/// Tests prove that a client did NOT get a broadcast by sending a "marker" to everyone
/// afterwards: a connection receives in order, so a client whose next event is the marker
/// was skipped.
@Suite("Broadcasting")
struct BroadcastTests {
    /// Three clients on `/`: `a` in rooms r1 and r2, `b` in r1, `c` in none.
    private struct Trio {
        let a: TestSocketIOClient
        let b: TestSocketIOClient
        let c: TestSocketIOClient
        let sa: Socket
        let sb: Socket
        let sc: Socket

        var clients: [TestSocketIOClient] { [a, b, c] }

        func close() async {
            for client in clients { await client.close() }
        }
    }

    private func connectTrio(_ io: SocketIOServer, port: Int) async throws -> Trio {
        let sockets = SocketCollector(io.sockets)
        let (a, sa) = try await connectClient(port: port, collector: sockets)
        let (b, sb) = try await connectClient(port: port, collector: sockets)
        let (c, sc) = try await connectClient(port: port, collector: sockets)
        sa.join(["r1", "r2"])
        sb.join("r1")
        return Trio(a: a, b: b, c: c, sa: sa, sb: sb, sc: sc)
    }

    /// The names of the events each client got up to the marker.
    private func received(_ trio: Trio, _ io: SocketIOServer) async throws -> [[String]] {
        try io.emit("marker")
        var result: [[String]] = []
        for client in trio.clients {
            result.append(try await client.events(through: "marker").map(\.name))
        }
        return result
    }

    @Test("io.emit reaches every socket of the main namespace with the arguments")
    func emitReachesEveryone() async throws {
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            try io.emit("news", "hello", ["n": 1])
            for client in trio.clients {
                #expect(try await client.nextEvent() == ReceivedEvent(namespace: "/", name: "news", arguments: ["hello", ["n": 1]]))
            }
            await trio.close()
        }
    }

    @Test("to(room) reaches only the room's members")
    func toRoom() async throws {
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            try io.to("r2").emit("x")
            #expect(try await received(trio, io) == [["x", "marker"], ["marker"], ["marker"]])
            await trio.close()
        }
    }

    @Test("in(room) is a synonym of to(room)")
    func inRoom() async throws {
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            try io.in("r1").emit("x")
            #expect(try await received(trio, io) == [["x", "marker"], ["x", "marker"], ["marker"]])
            await trio.close()
        }
    }

    @Test("several to() reach the union of the rooms, each socket once")
    func multipleToIsAUnion() async throws {
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            trio.sc.join("r3")
            try io.to("r1").to("r2").to("r3").emit("x")
            try io.to(["r2", "r3"]).emit("y")
            #expect(try await received(trio, io) == [["x", "y", "marker"], ["x", "marker"], ["x", "y", "marker"]])
            await trio.close()
        }
    }

    @Test("except(room) leaves the room's members out")
    func exceptRoom() async throws {
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            try io.except("r2").emit("x")
            try io.to("r1").except("r2").emit("y")
            try io.except(["r1", trio.sc.id]).emit("z")
            #expect(try await received(trio, io) == [["marker"], ["x", "y", "marker"], ["x", "marker"]])
            await trio.close()
        }
    }

    @Test("a socket id works as a room for to() and except()")
    func socketIDAsRoom() async throws {
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            try io.to(trio.sb.id).emit("private")
            #expect(try await received(trio, io) == [["marker"], ["private", "marker"], ["marker"]])
            await trio.close()
        }
    }

    @Test("socket.to(room) leaves the sender out even when it is in the room")
    func socketToExcludesSender() async throws {
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            try trio.sa.to("r1").emit("x")
            try trio.sb.in("r1").emit("y")
            #expect(try await received(trio, io) == [["y", "marker"], ["x", "marker"], ["marker"]])
            await trio.close()
        }
    }

    @Test("socket.broadcast reaches everyone but the sender")
    func socketBroadcast() async throws {
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            try trio.sb.broadcast.emit("x")
            try trio.sa.except("r1").emit("y")
            #expect(try await received(trio, io) == [["x", "marker"], ["marker"], ["x", "y", "marker"]])
            await trio.close()
        }
    }

    @Test("a broadcast in a namespace stays in that namespace")
    func broadcastStaysInItsNamespace() async throws {
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            let adminNamespace = io.of("/admin")
            let admin = try await TestSocketIOClient.connect(port: port, namespace: "/admin")
            try adminNamespace.emit("for-admins")
            try io.emit("for-main")
            #expect(try await admin.nextEvent() == ReceivedEvent(namespace: "/admin", name: "for-admins", arguments: []))
            #expect(try await received(trio, io) == [["for-main", "marker"], ["for-main", "marker"], ["for-main", "marker"]])
            await admin.close()
            await trio.close()
        }
    }

    @Test("volatile, compress and local broadcasts are delivered to writable clients")
    func flagsAreAccepted() async throws {
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            try io.volatile.emit("v")
            try io.compress(false).emit("c")
            try io.local.emit("l")
            try io.to("r1").volatile.compress(true).local.emit("all-flags")
            try io.of("/").volatile.emit("ns-v")
            #expect(try await received(trio, io) == [
                ["v", "c", "l", "all-flags", "ns-v", "marker"],
                ["v", "c", "l", "all-flags", "ns-v", "marker"],
                ["v", "c", "l", "ns-v", "marker"],
            ])
            await trio.close()
        }
    }

    @Test("socket.volatile and socket.compress emits reach the client")
    func socketFlagsAreAccepted() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            try socket.volatile.emit("v", 1)
            try socket.compress(false).emit("c", 2)
            #expect(try await client.nextEvent() == ReceivedEvent(namespace: "/", name: "v", arguments: [1]))
            #expect(try await client.nextEvent() == ReceivedEvent(namespace: "/", name: "c", arguments: [2]))
            await client.close()
        }
    }

    @Test("BroadcastOperator is immutable: deriving one leaves the original unchanged")
    func broadcastOperatorIsImmutable() async throws {
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            let r2 = io.to("r2")
            let both = r2.to("r1")
            let withoutA = both.except("r2")
            #expect(r2.rooms == ["r2"])
            #expect(both.rooms == ["r1", "r2"])
            #expect(withoutA.exceptRooms == ["r2"])
            #expect(both.exceptRooms.isEmpty)
            #expect(r2.volatile.flags.volatile && !r2.flags.volatile)
            try r2.emit("only-a")
            try withoutA.emit("only-b")
            #expect(try await received(trio, io) == [["only-a", "marker"], ["only-b", "marker"], ["marker"]])
            await trio.close()
        }
    }

    @Test("a broadcast to a room nobody is in reaches nobody")
    func emptyRoomReachesNobody() async throws {
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            try io.to("empty").emit("x")
            #expect(try await received(trio, io) == [["marker"], ["marker"], ["marker"]])
            await trio.close()
        }
    }

    @Test("Encodable values broadcast as JSON objects")
    func encodableBroadcast() async throws {
        struct Score: Codable, Sendable { var player: String; var points: Int }
        try await withServer { io, port in
            let trio = try await connectTrio(io, port: port)
            try io.to("r1").emit("score", encoding: Score(player: "ada", points: 3))
            let event = try await trio.b.nextEvent()
            #expect(event.name == "score")
            #expect(event.arguments.first?["player"] == "ada")
            #expect(event.arguments.first?["points"] == 3)
            await trio.close()
        }
    }

    @Test("50 broadcasts reach 20 clients spread over the event loops, each client in order")
    func broadcastsKeepOrderAcrossManyClients() async throws {
        try await withServer { io, port in
            var clients: [TestSocketIOClient] = []
            for _ in 0..<20 {
                clients.append(try await TestSocketIOClient.connect(port: port))
            }
            for n in 0..<50 {
                try io.emit("n", .int(Int64(n)))
            }
            for client in clients {
                var received: [Int64] = []
                for _ in 0..<50 {
                    received.append(try await client.nextEvent().arguments.first?.intValue ?? -1)
                }
                #expect(received == (0..<50).map { Int64($0) })
            }
            for client in clients { await client.close() }
        }
    }
}
