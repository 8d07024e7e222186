import Foundation
import NIOCore
import SocketIO
import Testing
@testable import Monitor
@testable import TestSupport

/// A server on 127.0.0.1 (port 0) with a started monitor, for tests against real sockets.
/// Its timers run on `clock`, which only the test moves.
final class LiveHarness: @unchecked Sendable {
    let io: SocketIOServer
    let port: Int
    let clock = ManualTimerSource()
    let monitor: Monitor
    var state: MonitorState
    var readOnly = false

    init(options: SocketIOServerOptions = SocketIOServerOptions(), configuration: MonitorConfiguration = MonitorConfiguration(),
         startMonitor: Bool = true, namespaces: [String] = []) async throws {
        var options = options
        options.engine.timers = clock
        io = SocketIOServer(options: options)
        for name in namespaces { _ = io.of(name) }
        port = try await io.listen(host: "127.0.0.1", port: 0)
        monitor = Monitor(server: io, configuration: configuration)
        state = MonitorState(configuration: configuration)
        if startMonitor { monitor.start() }
    }

    /// Drains until `condition` holds on the model, or fails after `timeout`.
    func until(_ what: String, timeout: Duration = .seconds(30), _ condition: (MonitorState) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            monitor.drain(into: &state)
            if condition(state) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        monitor.drain(into: &state)
        if !condition(state) {
            Issue.record("timed out waiting for \(what); log: \(state.log.all.map { "\($0.kind) \($0.summary)" })")
            throw CommandError("timeout: \(what)")
        }
    }

    func perform(_ line: String, selection: Selection = .none) throws -> ActionOutcome {
        let executor = ActionExecutor(monitor: monitor, readOnly: readOnly)
        return executor.perform(try CommandParser.parse(line), selection: selection, state: state)
    }

    func close() async {
        await io.close()
    }

    /// The next event packet the client receives (skipping others).
    static func nextEvent(_ client: TestSocketIOClient, timeout: Duration = .seconds(30)) async throws -> TestSocketIOPacket {
        while true {
            let packet = try await client.nextPacket(timeout: timeout)
            if packet.kind == .event || packet.kind == .binaryEvent { return packet }
        }
    }
}

@Suite(.serialized) struct MonitorLiveTests {
    @Test func aConnectingClientAppearsWithItsHandshakeRoomsAndTransport() async throws {
        let harness = try await LiveHarness()
        defer { Task { await harness.close() } }
        let client = try await TestSocketIOClient.connect(port: harness.port, auth: #"{"token":"s3cret"}"#, query: "user=alice",
                                                          headers: [("X-Trace", "abc")])
        let sid = try #require(client.sid())
        try await harness.until("the socket") { $0.sockets[sid] != nil }
        let socket = try #require(harness.state.sockets[sid])
        #expect(socket.namespace == "/")
        #expect(socket.transport == "websocket")
        #expect(socket.address == "127.0.0.1")
        #expect(socket.handshake.auth["token"] == .string("s3cret"))
        #expect(socket.handshake.query["user"] == "alice")
        #expect(socket.handshake.headers["x-trace"] == "abc")
        #expect(harness.state.rooms(of: sid) == [sid])
        #expect(harness.state.rooms(in: "/", includePrivate: true) == [RoomSummary(name: sid, members: 1, isPrivate: true)])
        #expect(socket.socket != nil)
        let connect = try #require(harness.state.log.all.first { $0.kind == .connect })
        #expect(connect.socketID == sid)
        #expect(connect.summary.contains(#"auth {"token":"s3cret"}"#))
        await client.close()
        try await harness.until("the disconnect") { $0.sockets[sid] == nil }
        #expect(harness.state.log.all.last?.summary == "disconnected: transport close")
        #expect(harness.state.rooms(in: "/", includePrivate: true).isEmpty)
    }

    @Test func eventsBothWaysAreLoggedWithAckIDsSizesAndCounters() async throws {
        let harness = try await LiveHarness()
        defer { Task { await harness.close() } }
        harness.io.onConnection { socket in
            socket.on("hello") { arguments, ack in
                ack?(.string("welcome"))
                try? socket.emit("news", .object(["n": .int(1)]))
            }
        }
        let client = try await TestSocketIOClient.connect(port: harness.port)
        let sid = try #require(client.sid())
        try await client.emit("hello", argumentsJSON: #""\u001b[2J",1"#, ackID: 5)
        try await harness.until("both events") { state in
            state.log.all.contains { $0.kind == .event && $0.direction == .outbound && $0.event == "news" }
                && state.log.all.contains { $0.kind == .ack && $0.direction == .outbound }
        }
        let inbound = try #require(harness.state.log.all.first { $0.kind == .event && $0.direction == .inbound })
        #expect(inbound.event == "hello")
        #expect(inbound.ackID == 5)
        #expect(inbound.size == #"25["hello","\u001b[2J",1]"#.utf8.count)
        #expect(inbound.summary == #""\u001b[2J", 1"#)
        #expect(inbound.payload == [.string("\u{1B}[2J"), .int(1)])
        let reply = try #require(harness.state.log.all.first { $0.kind == .ack && $0.direction == .outbound })
        #expect(reply.ackID == 5 && reply.socketID == sid && reply.payload == [.string("welcome")])
        let socket = try #require(harness.state.sockets[sid])
        #expect(socket.eventsIn == 1)
        #expect(socket.eventsOut == 1)
        #expect(harness.state.totals.packetsIn >= 1 && harness.state.totals.packetsOut >= 2)
        #expect(harness.state.totals.bytesIn >= inbound.size ?? 0)
        await client.close()
    }

    @Test func joinAndLeaveByCommandChangeRoomsThroughTheServer() async throws {
        let harness = try await LiveHarness()
        defer { Task { await harness.close() } }
        let alice = try await TestSocketIOClient.connect(port: harness.port)
        let bob = try await TestSocketIOClient.connect(port: harness.port)
        let a = try #require(alice.sid()), b = try #require(bob.sid())
        try await harness.until("two sockets") { $0.sockets.count == 2 }
        #expect(try harness.perform("join lobby \(a) \(b)").isError == false)
        try await harness.until("both in lobby") { $0.members(of: "lobby", in: "/") == [a, b] }
        #expect(harness.io.sockets.adapter.rooms["lobby"] == [a, b])
        #expect(try !harness.perform("leave lobby", selection: .socket(b)).isError)
        try await harness.until("bob left") { $0.members(of: "lobby", in: "/") == [a] }
        // A room selected: every member, through socketsJoin.
        #expect(try !harness.perform("join vip", selection: .room(namespace: "/", room: "lobby")).isError)
        try await harness.until("alice in vip") { $0.members(of: "vip", in: "/") == [a] }
        #expect(harness.state.log.all.contains { $0.kind == .join && $0.room == "vip" && $0.socketID == a })
        #expect(try harness.perform("join lobby nobody").message == "no socket nobody")
        #expect(try harness.perform("join lobby").isError)
        await alice.close()
        await bob.close()
    }

    @Test func emitToARoomReachesOnlyItsMembers() async throws {
        let harness = try await LiveHarness()
        defer { Task { await harness.close() } }
        let alice = try await TestSocketIOClient.connect(port: harness.port)
        let bob = try await TestSocketIOClient.connect(port: harness.port)
        let a = try #require(alice.sid())
        try await harness.until("two sockets") { $0.sockets.count == 2 }
        _ = try harness.perform("join lobby \(a)")
        try await harness.until("alice in lobby") { $0.members(of: "lobby", in: "/") == [a] }
        let outcome = try harness.perform(#"emit --to lobby news {"n":1} "x""#)
        #expect(!outcome.isError)
        #expect(outcome.message.contains("(1 socket(s))"))
        let packet = try await LiveHarness.nextEvent(alice)
        #expect(packet.payload == #"["news",{"n":1},"x"]"#)
        // Bob gets nothing; then everyone gets the next one (no target: the namespace).
        _ = try harness.perform("emit all-hands")
        let bobPacket = try await LiveHarness.nextEvent(bob)
        #expect(bobPacket.payload == #"["all-hands"]"#)
        try await harness.until("outbound lines") { state in
            state.log.all.filter { $0.kind == .event && $0.direction == .outbound }.count == 3
        }
        await alice.close()
        await bob.close()
    }

    @Test func emitWithAckReportsEachReplyAndEachTimeout() async throws {
        let harness = try await LiveHarness()
        defer { Task { await harness.close() } }
        let alice = try await TestSocketIOClient.connect(port: harness.port)
        let bob = try await TestSocketIOClient.connect(port: harness.port)
        let a = try #require(alice.sid()), b = try #require(bob.sid())
        try await harness.until("two sockets") { $0.sockets.count == 2 }
        let outcome = try harness.perform("emit --ack 700 ping 1")
        #expect(!outcome.isError)
        let packet = try await LiveHarness.nextEvent(alice)
        let ackID = try #require(packet.ackID)
        try await alice.sendAck(ackID, argumentsJSON: #""pong",2"#)
        _ = try await LiveHarness.nextEvent(bob)   // bob never answers
        try await harness.until("alice's reply") { state in
            state.log.all.contains { $0.kind == .ack && $0.direction == .inbound && $0.summary.hasPrefix("reply") }
        }
        #expect(await harness.clock.advanceWhenArmed(.milliseconds(700)))
        try await harness.until("reply, timeout and summary") { state in
            state.log.all.contains { $0.kind == .error && $0.summary.contains("1 of 2 replied, 1 did not") }
        }
        let reply = try #require(harness.state.log.all.first { $0.kind == .ack && $0.direction == .inbound && $0.summary.hasPrefix("reply") })
        #expect(reply.socketID == a)
        #expect(reply.payload == [.string("pong"), .int(2)])
        #expect(harness.state.log.all.contains { $0.kind == .error && $0.socketID == b && $0.summary.contains("no reply within 700 ms") })
        await alice.close()
        await bob.close()
    }

    @Test func kickDisconnectsTheNamespaceAndKickBangClosesTheConnection() async throws {
        let harness = try await LiveHarness(namespaces: ["/admin"])
        defer { Task { await harness.close() } }
        let client = try await TestSocketIOClient.connect(port: harness.port)
        try await client.connect(namespace: "/admin")
        let main = try #require(client.sid()), admin = try #require(client.sid("/admin"))
        try await harness.until("both sockets") { $0.sockets.count == 2 }
        #expect(try !harness.perform("kick \(main)").isError)
        let disconnect = try await client.nextPacket()
        #expect(disconnect.kind == .disconnect && disconnect.namespace == "/")
        try await harness.until("main gone") { $0.sockets[main] == nil }
        #expect(harness.state.sockets[admin] != nil)
        #expect(harness.state.log.all.contains { $0.socketID == main && $0.summary == "disconnected: server namespace disconnect" })
        #expect(try !harness.perform("kick! \(admin)").isError)
        let packets = try await client.packetsUntilClose()
        #expect(packets.contains { $0.kind == .disconnect && $0.namespace == "/admin" })
        try await harness.until("admin gone") { $0.sockets.isEmpty }
    }

    @Test func kickingASelectedRoomDisconnectsEveryMember() async throws {
        let harness = try await LiveHarness()
        defer { Task { await harness.close() } }
        let alice = try await TestSocketIOClient.connect(port: harness.port)
        let bob = try await TestSocketIOClient.connect(port: harness.port)
        let carol = try await TestSocketIOClient.connect(port: harness.port)
        let a = try #require(alice.sid()), b = try #require(bob.sid()), c = try #require(carol.sid())
        try await harness.until("three sockets") { $0.sockets.count == 3 }
        _ = try harness.perform("join lobby \(a) \(b)")
        try await harness.until("lobby") { $0.members(of: "lobby", in: "/").count == 2 }
        #expect(try !harness.perform("kick", selection: .room(namespace: "/", room: "lobby")).isError)
        try await harness.until("lobby kicked") { $0.sockets.keys.sorted() == [c] }
        await carol.close()
    }

    @Test func readOnlyRefusesEveryActingCommand() async throws {
        let harness = try await LiveHarness()
        defer { Task { await harness.close() } }
        harness.readOnly = true
        let client = try await TestSocketIOClient.connect(port: harness.port)
        let sid = try #require(client.sid())
        try await harness.until("socket") { $0.sockets[sid] != nil }
        for line in ["join lobby \(sid)", "leave \(sid) \(sid)", "kick \(sid)", "kick! \(sid)", "emit ping"] {
            let outcome = try harness.perform(line)
            #expect(outcome.isError)
            #expect(outcome.message.hasPrefix("read-only:"))
        }
        try await Task.sleep(for: .milliseconds(200))
        harness.monitor.drain(into: &harness.state)
        #expect(harness.state.sockets[sid] != nil)
        #expect(harness.state.rooms(of: sid) == [sid])
        await client.close()
    }

    @Test func aFloodIsSampledAndTheDropsCounted() async throws {
        var configuration = MonitorConfiguration()
        configuration.packetsPerDrain = 16
        configuration.logCapacity = 100
        let harness = try await LiveHarness(configuration: configuration)
        defer { Task { await harness.close() } }
        let client = try await TestSocketIOClient.connect(port: harness.port)
        let sid = try #require(client.sid())
        try await harness.until("socket") { $0.sockets[sid] != nil }
        for number in 0..<500 { try await client.emit("flood", argumentsJSON: String(number)) }
        // Wait for the server side without draining: the per-socket counter is exact and live.
        let deadline = ContinuousClock.now + .seconds(10)
        while harness.state.sockets[sid]?.eventsIn != 500, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(harness.state.sockets[sid]?.eventsIn == 500)
        harness.monitor.drain(into: &harness.state)
        // One connection, one event loop, one shard: 16 kept, the rest counted.
        let logged = harness.state.log.all.filter { $0.event == "flood" }.count
        #expect(logged == 16)
        #expect(harness.state.droppedTotal == 484)
        #expect(harness.state.log.all.last?.kind == .dropped)
        #expect(harness.state.totals.packetsIn >= 500)
        await client.close()
    }

    @Test func aMonitorStartedLatePicksUpWhatIsAlreadyConnected() async throws {
        let harness = try await LiveHarness(startMonitor: false, namespaces: ["/late"])
        defer { Task { await harness.close() } }
        let client = try await TestSocketIOClient.connect(port: harness.port, namespace: "/late")
        let sid = try #require(client.sid("/late"))
        let socket = try #require(harness.io.of("/late").sockets[sid])
        socket.join("early")
        harness.monitor.start()
        try await harness.until("existing socket") { $0.sockets[sid] != nil }
        #expect(harness.state.rooms(of: sid) == [sid, "early"])
        try await client.emit("after", argumentsJSON: "1", namespace: "/late")
        try await harness.until("its events") { $0.log.all.contains { $0.event == "after" } }
        await client.close()
    }

    @Test func theTablesCanBeRebuiltFromTheServer() async throws {
        let harness = try await LiveHarness()
        defer { Task { await harness.close() } }
        let client = try await TestSocketIOClient.connect(port: harness.port)
        let sid = try #require(client.sid())
        try await harness.until("socket") { $0.sockets[sid] != nil }
        harness.monitor.resync(&harness.state)
        #expect(harness.state.sockets[sid] != nil)
        #expect(harness.state.rooms(of: sid) == [sid])
        #expect(harness.state.log.all.last?.summary.contains("rebuilt") == true)
        await client.close()
    }

    @Test func exportWritesTheLogAsJSONLines() async throws {
        var state = MonitorState()
        state.append(Records.event(.inbound, "A", "\u{1B}]0;x\u{07}", [.string("\u{1B}[2J")]))
        let path = "/tmp/sioconsole-export-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        let outcome = ActionExecutor.export(state.log.all, to: path)
        #expect(outcome == .done("exported 1 entries to \(path)"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n") && text.split(separator: "\n").count == 1)
        // Valid JSON, no raw control character, and the original text comes back.
        #expect(!text.dropLast().unicodeScalars.contains { $0.value < 0x20 })
        let line = try JSONValue(parsing: String(text.dropLast()))
        #expect(line["type"] == .string("event"))
        #expect(line["event"] == .string("\u{1B}]0;x\u{07}"))
        #expect(line["args"] == .array([.string("\u{1B}[2J")]))
        #expect(line["socket"] == .string("A") && line["dir"] == .string("in"))
        #expect(ActionExecutor.export([], to: "/nonexistent-dir/x.jsonl").isError)
    }
}
