import NIOCore
import SocketIO
import Testing
@testable import Monitor

/// Builds records the way the hooks would, for tests of the model alone.
enum Records {
    static func handshake(address: String = "127.0.0.1", issued: Int64 = 1_000, auth: JSONObject = [:], headers: [String: String] = [:]) -> Handshake {
        Handshake(headers: headers, time: "t", address: address, xdomain: false, secure: false, issued: issued,
                  url: "/socket.io/?EIO=4", query: ["EIO": "4"], auth: auth)
    }

    static func connect(_ id: String, namespace: String = "/", engine: String? = nil, issued: Int64 = 1_000,
                        transport: String = "polling", rooms: Set<String>? = nil) -> StructuralRecord {
        .socketConnected(SocketInfo(id: id, namespace: namespace, engineID: engine ?? "e-" + id, transport: transport,
                                    upgraded: false, handshake: handshake(issued: issued), rooms: rooms ?? [id],
                                    recovered: false, tap: nil))
    }

    static func event(_ direction: Direction, _ socket: String, _ name: String, _ arguments: [JSONValue] = [],
                      namespace: String = "/", ack: UInt64? = nil, time: Int64 = 1) -> CapturedPacket {
        .event(EventRecord(time: time, direction: direction, namespace: namespace, socketID: socket, event: name,
                           arguments: arguments, ackID: ack, size: 0))
    }
}

@Suite struct MonitorStateTests {
    @Test func connectJoinLeaveDisconnectKeepTheTablesAndLogThem() {
        var state = MonitorState()
        state.apply(.namespaceCreated("/"), time: 1)
        state.apply(.joined(namespace: "/", room: "A", socketID: "A"), time: 2)   // own room, before connect
        state.apply(Records.connect("A"), time: 3)
        state.apply(.joined(namespace: "/", room: "lobby", socketID: "A"), time: 4)
        state.apply(Records.connect("B", issued: 2_000), time: 5)
        state.apply(.joined(namespace: "/", room: "lobby", socketID: "B"), time: 6)
        #expect(state.sockets.count == 2)
        #expect(state.rooms(of: "A") == ["A", "lobby"])
        #expect(state.members(of: "lobby", in: "/") == ["A", "B"])
        #expect(state.rooms(in: "/", includePrivate: false) == [RoomSummary(name: "lobby", members: 2, isPrivate: false)])
        #expect(state.rooms(in: "/", includePrivate: true).filter(\.isPrivate).map(\.name) == ["A", "B"])
        #expect(state.socketIDs() == ["A", "B"])
        #expect(state.socketIDs(namespace: "/", room: "lobby") == ["A", "B"])

        state.apply(.left(namespace: "/", room: "lobby", socketID: "A"), time: 7)
        #expect(state.members(of: "lobby", in: "/") == ["B"])
        state.apply(.left(namespace: "/", room: "lobby", socketID: "B"), time: 8)
        state.apply(.left(namespace: "/", room: "B", socketID: "B"), time: 9)
        state.apply(.socketDisconnected(namespace: "/", id: "B", reason: "server namespace disconnect", description: nil), time: 10)
        #expect(state.rooms(in: "/", includePrivate: true).map(\.name) == ["A"])
        #expect(state.sockets.keys.sorted() == ["A"])

        let kinds = state.log.all.map(\.kind)
        #expect(kinds == [.connect, .join, .connect, .join, .leave, .leave, .disconnect])
        #expect(state.log.all.last?.summary == "disconnected: server namespace disconnect")
    }

    @Test func aLateJoinForADisconnectedSocketIsIgnored() {
        var state = MonitorState()
        state.apply(Records.connect("A"), time: 1)
        state.apply(.socketDisconnected(namespace: "/", id: "A", reason: "transport close", description: nil), time: 2)
        state.apply(.joined(namespace: "/", room: "lobby", socketID: "A"), time: 3)
        #expect(state.rooms(in: "/", includePrivate: true).isEmpty)
        #expect(state.rooms(of: "A").isEmpty)
    }

    @Test func anUpgradeMarksTheSocketsOfThatConnection() {
        var state = MonitorState()
        state.apply(.engineOpened(id: "E", transport: "polling", address: "127.0.0.1"), time: 1)
        state.apply(Records.connect("A", engine: "E"), time: 2)
        state.apply(Records.connect("B", namespace: "/admin", engine: "E"), time: 3)
        state.apply(.engineUpgraded(id: "E", transport: "websocket"), time: 4)
        #expect(state.sockets["A"]?.transport == "websocket")
        #expect(state.sockets["A"]?.upgraded == true)
        #expect(state.sockets["B"]?.upgraded == true)
        #expect(state.log.all.last?.kind == .upgrade)
        // A socket that connects on an already upgraded connection shows it too.
        state.apply(Records.connect("C", namespace: "/other", engine: "E"), time: 5)
        #expect(state.sockets["C"]?.upgraded == true)
    }

    @Test func packetsBecomeLogLinesWithPreviewSizeAndAck() {
        var state = MonitorState()
        state.append(Records.event(.inbound, "A", "chat", [.string("hi")], ack: 7))
        state.append(Records.event(.outbound, "A", "news", [.object(["n": .int(1)])], namespace: "/admin"))
        let entries = state.log.all
        #expect(entries.count == 2)
        #expect(entries[0].event == "chat" && entries[0].ackID == 7 && entries[0].summary == #""hi""#)
        #expect(entries[0].direction == .inbound)
        // Outbound size is estimated from the encoding: 2["news",{"n":1}] with "/admin,".
        #expect(entries[1].size == #"2/admin,["news",{"n":1}]"#.utf8.count)
        #expect(state.knownEvents.sorted() == ["chat", "news"])
    }

    @Test func rawAckPacketsAreDecodedAndAttributedToTheirSocket() {
        var state = MonitorState()
        state.apply(Records.connect("A", namespace: "/admin", engine: "E"), time: 1)
        state.append(.ack(RawAckRecord(time: 2, direction: .inbound, engineID: "E", text: ByteBuffer(string: #"3/admin,12["ok",2]"#), size: 18)))
        let entry = state.log.all.last
        #expect(entry?.kind == .ack)
        #expect(entry?.socketID == "A")
        #expect(entry?.ackID == 12)
        #expect(entry?.namespace == "/admin")
        #expect(entry?.payload == [.string("ok"), .int(2)])
    }

    @Test func consoleNotesAndDropsAreLogged() {
        var state = MonitorState()
        state.record(ConsoleNote(kind: .reply, message: "reply to emit #1 from A:", socketID: "A", event: "ping", arguments: [.string("pong")]))
        state.countDropped(42)
        #expect(state.log.all.map(\.kind) == [.ack, .dropped])
        #expect(state.log.all[0].summary == #"reply to emit #1 from A: "pong""#)
        #expect(state.droppedTotal == 42)
    }

    @Test func eventNamesForCompletionAreBounded() {
        var state = MonitorState()
        for number in 0..<600 { state.append(Records.event(.inbound, "A", "e\(number)", time: Int64(number))) }
        #expect(state.knownEvents.count == 500)
        #expect(state.knownEvents.first == "e599")
    }

    @Test func resolveSocketAcceptsAUniquePrefix() {
        var state = MonitorState()
        state.apply(Records.connect("AbcDef"), time: 1)
        state.apply(Records.connect("AbxYz"), time: 2)
        #expect(state.resolveSocket("AbcD")?.id == "AbcDef")
        #expect(state.resolveSocket("Ab") == nil)
        #expect(state.resolveSocket("AbxYz")?.id == "AbxYz")
    }
}

@Suite struct PacketLogTests {
    static func entry(_ text: String, payloadBytes: Int = 0) -> LogEntry {
        LogEntry(time: 0, kind: .event, direction: .inbound, event: text, summary: text,
                 payload: payloadBytes > 0 ? [.string(text)] : nil, payloadBytes: payloadBytes)
    }

    @Test func theRingKeepsTheNewestEntriesWithIncreasingIDs() {
        var log = PacketLog(capacity: 3)
        for number in 1...5 { log.append(Self.entry("e\(number)")) }
        #expect(log.count == 3)
        #expect(log.all.map(\.event) == ["e3", "e4", "e5"])
        #expect(log.all.map(\.id) == [3, 4, 5])
        #expect(log.firstID == 3 && log.lastID == 5)
        #expect(log.entry(id: 2) == nil)
        #expect(log.entry(id: 4)?.event == "e4")
        #expect(log.entries(after: 3).map(\.id) == [4, 5])
        #expect(log.entries(after: 0).map(\.id) == [3, 4, 5])
        #expect(log.entries(after: 5).isEmpty)
    }

    @Test func payloadsOfOldEntriesGoBeyondTheBudgetButPreviewsStay() {
        var log = PacketLog(capacity: 10, payloadBudget: 250)
        for number in 1...4 { log.append(Self.entry("p\(number)", payloadBytes: 100)) }
        #expect(log.retainedBytes <= 250)
        #expect(log.entry(id: 1)?.payload == nil)
        #expect(log.entry(id: 2)?.payload == nil)
        #expect(log.entry(id: 4)?.payload != nil)
        #expect(log.entry(id: 1)?.summary == "p1")
    }

    @Test func overwrittenEntriesReleaseTheirBudget() {
        var log = PacketLog(capacity: 2, payloadBudget: 1_000)
        for number in 1...5 { log.append(Self.entry("p\(number)", payloadBytes: 100)) }
        #expect(log.retainedBytes == 200)
    }
}

@Suite struct LogFilterTests {
    static func entry(_ direction: Direction, event: String? = "chat", socket: String? = "S1", room: String? = nil,
                      namespace: String = "/", summary: String = "hello world") -> LogEntry {
        LogEntry(time: 0, kind: event == nil ? .join : .event, direction: direction, namespace: namespace, socketID: socket,
                 event: event, room: room, summary: summary)
    }

    @Test func eachConditionFilters() throws {
        let rooms: (String) -> Set<String>? = { $0 == "S1" ? ["lobby"] : [] }
        let inbound = Self.entry(.inbound)
        #expect(try LogFilter(parsing: "dir:in").matches(inbound, roomsOf: rooms))
        #expect(try !LogFilter(parsing: "dir:out").matches(inbound, roomsOf: rooms))
        #expect(try LogFilter(parsing: "event:chat").matches(inbound, roomsOf: rooms))
        #expect(try LogFilter(parsing: "event:ch*").matches(inbound, roomsOf: rooms))
        #expect(try !LogFilter(parsing: "event:cha").matches(inbound, roomsOf: rooms))
        #expect(try LogFilter(parsing: "socket:S").matches(inbound, roomsOf: rooms))
        #expect(try !LogFilter(parsing: "socket:T").matches(inbound, roomsOf: rooms))
        #expect(try LogFilter(parsing: "room:lobby").matches(inbound, roomsOf: rooms))
        #expect(try !LogFilter(parsing: "room:other").matches(inbound, roomsOf: rooms))
        #expect(try LogFilter(parsing: "room:other").matches(Self.entry(.system, event: nil, socket: "S9", room: "other"), roomsOf: rooms))
        #expect(try LogFilter(parsing: "nsp:admin").matches(Self.entry(.inbound, namespace: "/admin"), roomsOf: rooms))
        #expect(try LogFilter(parsing: "WORLD").matches(inbound, roomsOf: rooms))
        #expect(try !LogFilter(parsing: "planet").matches(inbound, roomsOf: rooms))
        #expect(try LogFilter(parsing: "event:chat dir:in hello").matches(inbound, roomsOf: rooms))
        #expect(try !LogFilter(parsing: "event:chat dir:out hello").matches(inbound, roomsOf: rooms))
    }

    @Test func theTextFormRoundTrips() throws {
        let filter = LogFilter(text: "two words", event: "chat", socket: "abc", room: "salle 1", namespace: "/admin", direction: .outbound)
        #expect(try LogFilter(parsing: filter.description) == filter)
        #expect(try LogFilter(parsing: "").isEmpty)
    }

    @Test func badValuesAreRefused() {
        #expect(throws: CommandError.self) { try LogFilter(parsing: "dir:sideways") }
        #expect(throws: CommandError.self) { try LogFilter(parsing: "event:") }
    }
}

@Suite struct LogViewTests {
    @Test func theViewFollowsTheLogIncrementallyAndHonoursTheFilter() throws {
        var state = MonitorState(configuration: { var c = MonitorConfiguration(); c.logCapacity = 5; return c }())
        var view = LogView()
        state.append(Records.event(.inbound, "A", "chat"))
        state.append(Records.event(.outbound, "A", "news"))
        let changed = view.update(state)
        #expect(changed)
        #expect(Array(view.visible) == [1, 2])
        view.setFilter(try LogFilter(parsing: "dir:in"), state: state)
        #expect(Array(view.visible) == [1])
        state.append(Records.event(.inbound, "B", "chat"))
        view.update(state)
        #expect(Array(view.visible) == [1, 3])
        // Entries the ring drops leave the view too.
        for _ in 0..<5 { state.append(Records.event(.outbound, "A", "news")) }
        view.update(state)
        #expect(view.visible.isEmpty)
    }

    @Test func pausingFreezesWhatIsShownAndCountsTheRest() {
        var state = MonitorState()
        var view = LogView()
        state.append(Records.event(.inbound, "A", "one"))
        view.update(state)
        view.pause(state)
        state.append(Records.event(.inbound, "A", "two"))
        state.append(Records.event(.inbound, "A", "three"))
        view.update(state)
        #expect(Array(view.visible) == [1])
        #expect(view.hiddenByPause == 2)
        view.resume()
        #expect(Array(view.visible) == [1, 2, 3])
    }
}

@Suite struct RateHistoryTests {
    @Test func ratesArePerSecondDeltas() {
        var rates = RateHistory(capacity: 3)
        let first = rates.sample(TrafficTotals(), time: 0)
        let tooSoon = rates.sample(TrafficTotals(packetsIn: 5), time: 500_000_000)
        let second = rates.sample(TrafficTotals(packetsIn: 10, packetsOut: 20, bytesIn: 100, bytesOut: 2000), time: 2_000_000_000)
        #expect(!first && !tooSoon && second)
        #expect(rates.current == RateHistory.Sample(packetsIn: 5, packetsOut: 10, bytesIn: 50, bytesOut: 1000))
        for second in 3...6 { rates.sample(TrafficTotals(packetsIn: 10), time: Int64(second) * 1_000_000_000) }
        #expect(rates.samples.count == 3)
    }

    @Test func sparklinesScaleToTheLargestValue() {
        #expect(Sparkline.render([0, 1, 2, 4, 8], width: 5) == " ▂▃▅█")
        #expect(Sparkline.render([1, 1], width: 4) == "  ██")
        #expect(Sparkline.render([], width: 3) == "   ")
        #expect(Sparkline.formatRate(0) == "0")
        #expect(Sparkline.formatRate(2.5) == "2.5")
        #expect(Sparkline.formatRate(1234) == "1.2k")
        #expect(Sparkline.formatRate(2_500_000) == "2.5M")
    }
}

@Suite struct PacketHeaderTests {
    @Test func headersAreReadWithNamespaceAckAndAttachments() {
        #expect(PacketHeader.parse(ByteBuffer(string: #"42["a"]"#), skipEngineType: true) == PacketHeader(type: 2, namespace: "/", ackID: nil, payloadOffset: 2))
        #expect(PacketHeader.parse(ByteBuffer(string: #"4212["a"]"#), skipEngineType: true)?.ackID == 12)
        #expect(PacketHeader.parse(ByteBuffer(string: #"2/admin,7["a"]"#), skipEngineType: false) == PacketHeader(type: 2, namespace: "/admin", ackID: 7, payloadOffset: 9))
        #expect(PacketHeader.parse(ByteBuffer(string: #"51-/x,3["a",{"_placeholder":true,"num":0}]"#), skipEngineType: false)?.ackID == 3)
        #expect(PacketHeader.parse(ByteBuffer(string: "9"), skipEngineType: false) == nil)
        #expect(PacketHeader.parse(ByteBuffer(), skipEngineType: false) == nil)
    }
}
