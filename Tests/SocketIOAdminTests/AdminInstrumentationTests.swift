import EngineIO
import HummingbirdBcrypt
import NIOCore
import SocketIO
import Testing

@testable import SocketIOAdmin
@testable import TestSupport

@Suite struct AdminInstrumentationTests {
    @Test func serverStatsCarryTheClocksTimeAndTheTrafficPerSecond() async throws {
        try await withInstrumentedServer { io, admin, port in
            let client = try await TestSocketIOClient.connect(port: port, namespace: "/admin")
            defer { Task { await client.close() } }
            _ = try await client.event("config")
            admin.emitServerStats()
            let stats = try #require(try await client.event("server_stats").first)
            #expect(stats["uptime"] == .double(42.5))
            #expect(stats["clientsCount"] == 1)
            #expect(stats["pollingClientsCount"] == 0)
            #expect(stats["serverId"] == .string(admin.serverId))
            #expect(stats["namespaces"] == [["name": "/", "socketsCount": 0], ["name": "/admin", "socketsCount": 1]])
            let events = try #require(stats["aggregatedEvents"]?.arrayValue)
            #expect(events.contains(["timestamp": 1_700_000_000_000, "type": "rawConnection", "count": 1]))
            // Packets count from the first admin client on: its config went out.
            #expect(events.contains { $0["type"] == "packetsOut" && $0["timestamp"] == 1_700_000_000_000 })
            #expect(events.allSatisfy { $0["timestamp"] == 1_700_000_000_000 })
        }
    }

    @Test func dataChangesAreReportedWithoutTheAdminsBookkeeping() async throws {
        try await withInstrumentedServer { io, admin, port in
            io.onConnection { socket in socket.data = ["score": 1] }
            let watcher = try await TestSocketIOClient.connect(port: port, namespace: "/admin")
            defer { Task { await watcher.close() } }
            _ = try await watcher.event("config")
            let user = try await TestSocketIOClient.connect(port: port)
            defer { Task { await user.close() } }
            let id = try #require(user.sid("/"))
            let connected = try await watcher.event("socket_connected") { $0.first?["id"] == .string(id) }
            #expect(connected[0]["data"] == [:])
            let updated = try await watcher.event("socket_updated") { $0.first?["id"] == .string(id) }
            #expect(updated == [["id": .string(id), "nsp": "/", "data": ["score": 1]]])
        }
    }

    @Test func aSlowAdminClientLosesStreamEventsAndTheLossIsCountedButKeepsItsPicture() async throws {
        var options = AdminOptions(auth: .none)
        options.maxBufferedPackets = 5
        try await withInstrumentedServer(options) { io, admin, port in
            // A polling admin client that never polls: everything waits in its buffer.
            let session = try await TestSocketIOPollingSession.open(port: port)
            try await session.post("40/admin,")
            let conn = try #require(await waitForEngineSocket(io, session.sid))
            _ = await eventually { admin.adminNamespace.sockets.count == 1 }
            for index in 0..<50 { admin.report("event_sent", ["/", "id", .array(["tick", .int(Int64(index))])]) }
            #expect(await eventually { admin.droppedEventCount >= 40 })
            let buffered = try await conn.eventLoop.submit { conn.bufferedPacketCount }.get()
            // The bound holds events; the CONNECT reply is not an event and is never shed.
            #expect(buffered <= options.maxBufferedPackets + 1)
            #expect(admin.droppedEventCount + buffered >= 50)
            // server_stats still get through: the client gets them on time however flooded.
            let dropped = admin.droppedEventCount
            admin.emitServerStats()
            #expect(await eventually { (try? await conn.eventLoop.submit { conn.bufferedPacketCount }.get()) == buffered + 1 })
            #expect(admin.droppedEventCount == dropped)
            // So do the socket and room changes its picture is made of: none may be lost.
            admin.report("socket_connected", [["id": "s1", "nsp": "/"]])
            admin.report("room_joined", ["/", "lobby", "s1"])
            admin.report("socket_disconnected", ["/", "s1", "transport close"])
            #expect(await eventually { (try? await conn.eventLoop.submit { conn.bufferedPacketCount }.get()) == buffered + 4 })
            #expect(admin.droppedEventCount == dropped)
        }
    }

    @Test func eventReportsOverTheBudgetOfASecondAreDroppedAndCounted() async throws {
        var options = AdminOptions(auth: .none)
        options.maxEventReportsPerSecond = 3
        let clock = TestAdminClock()
        try await withInstrumentedServer(options, clock: clock) { _, admin, port in
            let watcher = try await TestSocketIOClient.connect(port: port, namespace: "/admin")
            defer { Task { await watcher.close() } }
            _ = try await watcher.event("config")
            for index in 0..<5 { admin.reportEventIfWatched("event_sent") { ["/", "id", .array(["tick", .int(Int64(index))])] } }
            #expect(admin.droppedEventCount == 2)
            // The next second has a budget of its own.
            clock.set(milliseconds: 1_700_000_001_500, uptime: 43.5)
            admin.reportEventIfWatched("event_sent") { ["/", "id", .array(["tick", 5])] }
            admin.report("room_joined", ["/", "fence", "id"])
            var ticks: [JSONValue] = []
            while true {
                let packet = try await watcher.nextPacket(timeout: .seconds(30))
                guard packet.kind.isEvent, packet.namespace == "/admin", case .array(let items) = try JSONValue(parsing: packet.payload) else { continue }
                if items.first == "room_joined" { break }
                if items.first == "event_sent" { ticks.append(items[3][1] ?? .null) }
            }
            #expect(ticks == [0, 1, 2, 5], "three in the first second, then the next second's")
            #expect(admin.droppedEventCount == 2)
        }
    }

    @Test func socketsCarryEventListenersOnlyWhileAnAdminClientWatches() async throws {
        try await withInstrumentedServer { io, admin, port in
            let user = try await TestSocketIOClient.connect(port: port)
            defer { Task { await user.close() } }
            #expect(await eventually { io.sockets.sockets.count == 1 })
            let socket = try #require(io.sockets.sockets.values.first)
            // Nobody watches: a delivery to this socket finds no outgoing listener to feed.
            #expect(socket.listenersAny().isEmpty && socket.listenersAnyOutgoing().isEmpty)
            let watcher = try await TestSocketIOClient.connect(port: port, namespace: "/admin")
            // The admin's connection handler installs them on the server's loop, right after
            // the CONNECT reply that `connect` waits for: wait for it, bounded.
            #expect(await eventually { socket.listenersAny().count == 1 && socket.listenersAnyOutgoing().count == 1 })
            await watcher.close()
            #expect(await eventually { socket.listenersAnyOutgoing().isEmpty && socket.listenersAny().isEmpty })
        }
    }

    @Test func readOnlyRegistersNoCommandAndAdvertisesNone() async throws {
        var options = AdminOptions(auth: .none)
        options.readonly = true
        try await withInstrumentedServer(options) { io, admin, port in
            let watcher = try await TestSocketIOClient.connect(port: port, namespace: "/admin")
            defer { Task { await watcher.close() } }
            let config = try await watcher.event("config")
            #expect(config == [["supportedFeatures": ["AGGREGATED_EVENTS", "ALL_EVENTS"]]])
            let socket = try #require(admin.adminNamespace.sockets.values.first)
            let names = socket.eventNames()
            #expect(!names.contains("emit") && !names.contains("join") && !names.contains("leave") && !names.contains("_disconnect"))
        }
    }

    @Test func basicAuthOpensASessionAndRefusesEverythingElse() async throws {
        let store = InMemoryAdminSessionStore()
        // A hash of "changeit" at cost 4, made here so the test stays fast.
        var options = AdminOptions(auth: .basic(username: "admin", passwordHash: Bcrypt.hash("changeit", cost: 4)))
        options.store = store
        try await withInstrumentedServer(options) { _, instrumentation, port in
            let admin = try await TestSocketIOClient.connect(
                port: port, namespace: "/admin", auth: #"{"username":"admin","password":"changeit"}"#)
            let session = try #require(try await admin.event("session").first?.stringValue)
            #expect(session.count == 16 && session.allSatisfy(\.isHexDigit))
            #expect(await store.doesSessionExist(session))
            // Alone again, so no report reaches the next client before its CONNECT answer.
            await admin.close()
            #expect(await eventually { instrumentation.adminNamespace.sockets.isEmpty })

            let again = try await TestSocketIOClient.connect(port: port, namespace: "/admin", auth: #"{"sessionId":"\#(session)"}"#)
            await again.close()
            #expect(await eventually { instrumentation.adminNamespace.sockets.isEmpty })

            for auth in [nil, #"{"username":"admin","password":"nope"}"#, #"{"sessionId":"1234"}"#, #"{"username":1,"password":[]}"#] {
                let refused = try await TestSocketIOClient.open(port: port)
                defer { Task { await refused.close() } }
                let error = await #expect(throws: TestSocketIOConnectError.self) {
                    try await refused.connect(namespace: "/admin", auth: auth)
                }
                #expect(error?.payload == #"{"message":"invalid credentials"}"#)
            }
        }
    }

    @Test func aPasswordThatIsNotABcryptHashIsRefusedAtOnce() {
        #expect(throws: AdminConfigurationError.self) {
            try instrument(SocketIOServer(), options: AdminOptions(auth: .basic(username: "a", passwordHash: "plain")))
        }
        var options = AdminOptions(auth: .none)
        options.namespaceName = "admin"
        #expect(throws: AdminConfigurationError.self) { try instrument(SocketIOServer(), options: options) }
    }
}

/// The engine session `sid`, once the server registered it.
private func waitForEngineSocket(_ io: SocketIOServer, _ sid: String) async -> EngineSocket? {
    _ = await eventually { io.engine.clients[sid] != nil }
    return io.engine.clients[sid]
}
