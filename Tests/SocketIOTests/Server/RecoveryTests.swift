import NIOCore
import SocketIO
import Testing
@testable import TestSupport

@Suite("Connection state recovery")
struct RecoveryTests {
    private var options: SocketIOServerOptions {
        var options = SocketIOServerOptions()
        options.connectionStateRecovery = ConnectionStateRecoveryOptions()
        return options
    }

    /// A connected session that has received one event, so it has an offset to come back with.
    private struct TrackedSession {
        let client: TestSocketIOClient
        let sid: String
        let socket: Socket
        /// The CONNECT payload that asks to recover this session.
        let recoveryAuth: JSONValue

        /// Drops the connection without a DISCONNECT and waits until the server saw it go.
        func drop() async {
            let gone = Signal<Bool>()
            socket.onDisconnect { _, _ in gone.set(true) }
            await client.close()
            _ = await gone.wait()
        }
    }

    private func openTrackedSession(port: Int, sockets: SocketCollector) async throws -> TrackedSession {
        let client = try await TestSocketIOClient.open(port: port)
        let (answer, _) = try await connectRaw(client)
        let sid = try #require(answer["sid"]?.stringValue)
        let socket = try await sockets.socket(sid)
        try socket.emit("tick")
        let offset = try #require(try await client.nextEvent().arguments.last)
        return TrackedSession(client: client, sid: sid, socket: socket, recoveryAuth: ["pid": answer["pid"] ?? nil, "offset": offset])
    }

    /// Sends CONNECT and returns the answer's JSON plus the events that came with it, in order
    /// (a restored session's missed events come before its CONNECT answer, as Node writes them).
    private func connectRaw(
        _ client: TestSocketIOClient,
        auth: JSONValue? = nil,
        expectedEvents: Int = 0
    ) async throws -> (answer: JSONValue, events: [ReceivedEvent]) {
        try await client.send(TestSocketIOPacket(kind: .connect, payload: try auth?.jsonString() ?? ""))
        var answer: JSONValue?
        var events: [ReceivedEvent] = []
        while answer == nil || events.count < expectedEvents {
            let packet = try await client.nextPacket()
            switch packet.kind {
            case .connect:
                answer = try packet.data()
            case .event, .binaryEvent:
                guard case .array(let items)? = try packet.data(), let name = items.first?.stringValue else {
                    throw TestSocketIOClientError.unexpected("\(packet)")
                }
                events.append(ReceivedEvent(namespace: packet.namespace, name: name, arguments: Array(items.dropFirst())))
            case .disconnect, .ack, .connectError, .binaryAck:
                throw TestSocketIOClientError.unexpected("\(packet)")
            }
        }
        return (try #require(answer), events)
    }

    @Test("with recovery on, the CONNECT answer carries a private session id beside the sid")
    func connectAnswerCarriesPid() async throws {
        try await withServer(options) { io, port in
            let client = try await TestSocketIOClient.open(port: port)
            let (answer, _) = try await connectRaw(client)
            let sid = try #require(answer["sid"]?.stringValue)
            let pid = try #require(answer["pid"]?.stringValue)
            #expect(!pid.isEmpty && pid != sid)
            await client.close()
        }
    }

    @Test("with recovery on, every emitted event carries an offset as its last argument, distinct each time")
    func eventsCarryOffsets() async throws {
        try await withServer(options) { io, port in
            let sockets = SocketCollector(io.sockets)
            let client = try await TestSocketIOClient.open(port: port)
            let (answer, _) = try await connectRaw(client)
            let socket = try await sockets.socket(answer["sid"]?.stringValue)
            try io.emit("broadcast", 1)
            try socket.emit("direct", 2)
            let first = try await client.nextEvent()
            let second = try await client.nextEvent()
            #expect(first.arguments.count == 2 && first.arguments[0] == 1)
            #expect(second.arguments.count == 2 && second.arguments[0] == 2)
            let offsets = [first.arguments.last?.stringValue, second.arguments.last?.stringValue]
            #expect(offsets.allSatisfy { $0?.isEmpty == false })
            #expect(offsets[0] != offsets[1])
            await client.close()
        }
    }

    @Test("volatile events and events with acks carry no offset")
    func volatileAndAckEventsCarryNoOffset() async throws {
        try await withServer(options) { io, port in
            let sockets = SocketCollector(io.sockets)
            let client = try await TestSocketIOClient.open(port: port)
            let (answer, _) = try await connectRaw(client)
            let socket = try await sockets.socket(answer["sid"]?.stringValue)
            try io.volatile.emit("v", 1)
            try socket.emit("q", [2]) { _ in }
            #expect(try await client.nextEvent().arguments == [1])
            #expect(try await client.nextEvent().arguments == [2])
            await client.close()
        }
    }

    @Test("a client that lost its connection gets its id, rooms, data and missed events back")
    func sessionIsRestored() async throws {
        try await withServer(options) { io, port in
            let middlewareRuns = Recorder<String>()
            io.use { _ in middlewareRuns.append("run") }
            let sockets = SocketCollector(io.sockets)
            io.onConnection { socket in
                if !socket.recovered {
                    socket.join("room")
                    socket.data = ["kept": true]
                }
            }

            let first = try await TestSocketIOClient.open(port: port)
            let (answer, _) = try await connectRaw(first)
            let sid = try #require(answer["sid"]?.stringValue)
            let pid = try #require(answer["pid"]?.stringValue)
            let original = try await sockets.socket(sid)
            #expect(await eventually { original.rooms.contains("room") })
            try io.to("room").emit("seen")
            let seen = try await first.nextEvent()
            let offset = try #require(seen.arguments.last)

            let gone = Signal<DisconnectReason>()
            original.onDisconnect { r, _ in gone.set(r) }
            await first.close()
            #expect(await gone.wait() == .transportClose)

            try io.to("room").emit("missed-room", "a")
            try io.emit("missed-all", "b")
            try io.except("room").emit("not-for-it")
            try io.to("elsewhere").emit("not-for-it-either")

            let second = try await TestSocketIOClient.open(port: port)
            let (restored, events) = try await connectRaw(second, auth: ["pid": .string(pid), "offset": offset], expectedEvents: 2)
            #expect(restored["sid"] == .string(sid))
            #expect(restored["pid"] == .string(pid))
            #expect(events.map(\.name) == ["missed-room", "missed-all"])
            #expect(events.first?.arguments.first == "a")

            let socket = try await sockets.socket(sid)
            do { let identical = socket !== original; #expect(identical) }
            #expect(socket.recovered)
            #expect(socket.rooms == [sid, "room"])
            #expect(socket.data == ["kept": true])
            #expect(middlewareRuns.values.count == 1, "middlewares are skipped on recovery by default")

            // Nothing else was pending: the next event is the marker.
            try io.emit("marker")
            #expect(try await second.nextEvent().name == "marker")
            await second.close()
        }
    }

    @Test("with skipMiddlewares off, a recovered session runs the middlewares again")
    func middlewaresRunWhenNotSkipped() async throws {
        var options = self.options
        options.connectionStateRecovery = ConnectionStateRecoveryOptions(skipMiddlewares: false)
        try await withServer(options) { io, port in
            let middlewareRuns = Recorder<String>()
            io.use { _ in middlewareRuns.append("run") }
            let sockets = SocketCollector(io.sockets)
            let first = try await openTrackedSession(port: port, sockets: sockets)
            await first.drop()

            let second = try await TestSocketIOClient.open(port: port)
            let (restored, _) = try await connectRaw(second, auth: first.recoveryAuth)
            #expect(restored["sid"] == .string(first.sid))
            #expect(middlewareRuns.values.count == 2)
            await second.close()
        }
    }

    @Test("a session ended by the client's own DISCONNECT is not kept")
    func clientDisconnectIsNotRecoverable() async throws {
        try await withServer(options) { io, port in
            let sockets = SocketCollector(io.sockets)
            let first = try await openTrackedSession(port: port, sockets: sockets)
            let gone = Signal<DisconnectReason>()
            first.socket.onDisconnect { r, _ in gone.set(r) }
            try await first.client.disconnect()
            #expect(await gone.wait() == .clientNamespaceDisconnect)
            await first.client.close()

            let second = try await TestSocketIOClient.open(port: port)
            let (fresh, _) = try await connectRaw(second, auth: first.recoveryAuth)
            #expect(fresh["sid"] != .string(first.sid))
            let socket = try await sockets.socket(fresh["sid"]?.stringValue)
            #expect(!socket.recovered)
            await second.close()
        }
    }

    @Test("an unknown pid or offset gives a fresh session")
    func unknownSessionGivesAFreshOne() async throws {
        try await withServer(options) { io, port in
            let sockets = SocketCollector(io.sockets)
            let client = try await TestSocketIOClient.open(port: port)
            let (answer, _) = try await connectRaw(client, auth: ["pid": "no-such-pid", "offset": "no-such-offset"])
            let socket = try await sockets.socket(answer["sid"]?.stringValue)
            #expect(!socket.recovered)
            #expect(answer["pid"] != "no-such-pid")
            await client.close()
        }
    }

    @Test("a session can be restored only once")
    func sessionRestoredOnlyOnce() async throws {
        try await withServer(options) { io, port in
            let sockets = SocketCollector(io.sockets)
            let first = try await openTrackedSession(port: port, sockets: sockets)
            await first.drop()

            let second = try await TestSocketIOClient.open(port: port)
            let (restored, _) = try await connectRaw(second, auth: first.recoveryAuth)
            #expect(restored["sid"] == .string(first.sid))
            let third = try await TestSocketIOClient.open(port: port)
            let (other, _) = try await connectRaw(third, auth: first.recoveryAuth)
            #expect(other["sid"] != .string(first.sid), "two live sockets must not share one id")
            await second.close()
            await third.close()
        }
    }

    @Test("with recovery on, a binary emit keeps its attachment and gets an offset")
    func binaryEmitWithRecovery() async throws {
        try await withServer(options) { io, port in
            let sockets = SocketCollector(io.sockets)
            let client = try await TestSocketIOClient.open(port: port)
            let (answer, _) = try await connectRaw(client)
            let socket = try await sockets.socket(answer["sid"]?.stringValue)
            try socket.emit("file", .binary(ByteBuffer(bytes: [7, 7])))
            let event = try await client.nextEvent()
            #expect(event.arguments.count == 2)
            #expect(event.arguments.first == .binary(ByteBuffer(bytes: [7, 7])))
            #expect(event.arguments.last?.stringValue?.isEmpty == false)
            await client.close()
        }
    }
}
