@testable import AdminFeed
import Monitor
import SocketIO
import Testing

@Suite("Admin UI events into the console's model")
struct AdminEventTranslatorTests {
    @Test("a Node serialized socket becomes a socket with its handshake, rooms and data")
    func nodeSocket() throws {
        let json = try JSONValue(parsing: #"""
        {"id":"s1","clientId":"c1","transport":"websocket","nsp":"/chat","data":{"user":"ann"},
         "handshake":{"address":"10.0.0.1","headers":{"host":"x","set-cookie":["a=1","b=2"]},"query":{"EIO":"4","tag":["a","b"]},
                      "issued":1700000000123,"secure":true,"time":"Tue","url":"/socket.io/?EIO=4","xdomain":false},
         "rooms":["s1","lobby"]}
        """#)
        let update = AdminEventTranslator.translate("socket_connected", [json, "2026-12-07T17:00:00.000Z"], time: 5)
        guard case .structural(.socketConnected(let info))? = update else { Issue.record("not a connection: \(String(describing: update))"); return }
        #expect(info.id == "s1")
        #expect(info.namespace == "/chat")
        #expect(info.engineID == "c1")
        #expect(info.transport == "websocket")
        #expect(info.rooms == ["s1", "lobby"])
        #expect(info.handshake.address == "10.0.0.1")
        #expect(info.handshake.headers["set-cookie"] == "a=1, b=2")
        #expect(info.handshake.query["tag"] == ["a", "b"])
        #expect(info.handshake.issued == 1_700_000_000_123)
        #expect(info.handshake.secure)
        #expect(info.data?["user"] == "ann")
    }

    @Test("python-socketio's float issued time is read as milliseconds")
    func pythonIssued() {
        let handshake = AdminEventTranslator.handshake(.object(["issued": .double(1_700_000_000_123.456)]))
        #expect(handshake.issued == 1_700_000_000_123)
    }

    @Test("events, rooms and disconnections; malformed ones are skipped")
    func events() {
        guard case .packet(let record)? = AdminEventTranslator.translate("event_received", ["/", "s1", ["hello", 1, "x"], "date"], time: 9) else {
            Issue.record("not a packet"); return
        }
        #expect(record.direction == .inbound && record.event == "hello" && record.arguments == [1, "x"] && record.time == 9)
        guard case .packet(let sent)? = AdminEventTranslator.translate("event_sent", ["/", "s1", ["bye"]], time: 9) else {
            Issue.record("not a packet"); return
        }
        #expect(sent.direction == .outbound && sent.arguments.isEmpty)
        guard case .structural(.joined(let namespace, let room, let id))? = AdminEventTranslator.translate("room_joined", ["/", "lobby", "s1", "d"], time: 1) else {
            Issue.record("not a join"); return
        }
        #expect(namespace == "/" && room == "lobby" && id == "s1")
        guard case .structural(.socketDisconnected(_, let gone, let reason, _))? = AdminEventTranslator.translate("socket_disconnected", ["/", "s1", "transport close", "d"], time: 1) else {
            Issue.record("not a disconnection"); return
        }
        #expect(gone == "s1" && reason == "transport close")
        #expect(AdminEventTranslator.translate("event_received", ["/", "s1", "not an array"], time: 1) == nil)
        #expect(AdminEventTranslator.translate("event_received", ["/"], time: 1) == nil)
        #expect(AdminEventTranslator.translate("room_joined", [1, 2, 3], time: 1) == nil)
        #expect(AdminEventTranslator.translate("socket_connected", [.object([:])], time: 1) == nil)
        #expect(AdminEventTranslator.translate("server_stats", ["no"], time: 1) == nil)
        #expect(AdminEventTranslator.translate("whatever", [], time: 1) == nil)
    }

    @Test("server_stats give the server's figures and its traffic")
    func stats() throws {
        let json = try JSONValue(parsing: #"""
        {"serverId":"node-a","hostname":"h","pid":42,"uptime":12.5,"clientsCount":3,"pollingClientsCount":1,
         "aggregatedEvents":[{"timestamp":1,"type":"packetsIn","count":4},{"timestamp":2,"type":"packetsIn","count":1},
                             {"timestamp":1,"type":"bytesOut","count":100},{"timestamp":1,"type":"rawConnection","count":2}],
         "namespaces":[{"name":"/","socketsCount":2},{"name":"/admin","socketsCount":1}]}
        """#)
        guard case .stats(let server, let traffic)? = AdminEventTranslator.translate("server_stats", [json], time: 77) else {
            Issue.record("not stats"); return
        }
        #expect(server.id == "node-a" && server.pid == 42 && server.clients == 3 && server.pollingClients == 1)
        #expect(server.uptime == 12.5 && server.lastSeen == 77)
        #expect(server.namespaces == [.init(name: "/", sockets: 2), .init(name: "/admin", sockets: 1)])
        #expect(traffic == TrafficTotals(packetsIn: 5, packetsOut: 0, bytesIn: 0, bytesOut: 100))
        #expect(server.health(now: 77 + 4_000_000_000) == .healthy)
        #expect(server.health(now: 77 + 6_000_000_000) == .late)
    }

    @Test("per-socket data: development mode, or a server older than modes; production mode advertises AGGREGATED_EVENTS alone")
    func perSocketData() {
        #expect(FeedLink(url: "u", namespace: "/admin", features: ["EMIT", "AGGREGATED_EVENTS", "ALL_EVENTS"]).perSocketData)
        #expect(FeedLink(url: "u", namespace: "/admin", features: ["EMIT", "JOIN", "MJOIN"]).perSocketData, "admin-ui before 0.3")
        #expect(FeedLink(url: "u", namespace: "/admin", features: []).perSocketData, "an old read-only server")
        #expect(!FeedLink(url: "u", namespace: "/admin", features: ["AGGREGATED_EVENTS"]).perSocketData)
        #expect(!FeedLink(url: "u", namespace: "/admin", features: ["EMIT", "AGGREGATED_EVENTS"]).perSocketData)
    }

    @Test("config lists the features; session carries the id")
    func configAndSession() {
        guard case .config(let features)? = AdminEventTranslator.translate("config", [.object(["supportedFeatures": ["EMIT", "ALL_EVENTS"]])], time: 0) else {
            Issue.record("not config"); return
        }
        #expect(features == ["EMIT", "ALL_EVENTS"])
        guard case .session(let id)? = AdminEventTranslator.translate("session", ["abc"], time: 0) else { Issue.record("not a session"); return }
        #expect(id == "abc")
    }
}

@Suite("AdminFeed: a big snapshot goes in slices")
struct AdminFeedSnapshotTests {
    func info(_ index: Int) -> SocketInfo {
        SocketInfo(id: "s\(index)", namespace: "/", engineID: "e\(index)", transport: "websocket",
                   handshake: AdminEventTranslator.handshake(.object(["issued": .int(Int64(index))])), rooms: ["s\(index)"], data: nil)
    }

    @Test("all_sockets of 5,000 sockets fills the tables over three drains, and what came after waits behind it")
    func slices() throws {
        let feed = try AdminFeed(options: AttachOptions(url: "http://127.0.0.1:1"))
        var state = MonitorState()
        feed.inbox.push(.allSockets((0..<5_000).map(info)))
        feed.inbox.push(.structural(.socketDisconnected(namespace: "/", id: "s4999", reason: "transport close", description: nil)))
        feed.drain(into: &state)
        #expect(state.sockets.count == Backlog.snapshotSlice)
        feed.drain(into: &state)
        #expect(state.sockets.count == 2 * Backlog.snapshotSlice)
        feed.drain(into: &state)
        #expect(state.sockets.count == 4_999, "the whole snapshot, then the disconnection that followed it")
        #expect(state.sockets["s4999"] == nil)
        #expect(state.log.all.filter { $0.kind == .connect }.isEmpty, "a snapshot is not 5,000 connections")
        #expect(state.log.all.contains { $0.summary == "5000 socket(s) on the server" })
    }

    @Test("reports that came between the connection and the snapshot are kept: a socket that connected, a join the snapshot missed, a disconnection")
    func reportsBeforeTheSnapshot() throws {
        let feed = try AdminFeed(options: AttachOptions(url: "http://127.0.0.1:1"))
        var state = MonitorState()
        // Before a reconnection: a socket the server no longer has.
        feed.inbox.push(.structural(.socketConnected(info(7))))
        feed.drain(into: &state)
        #expect(state.sockets["s7"] != nil)
        feed.inbox.push(.linked)
        feed.inbox.push(.structural(.socketConnected(info(9))))
        feed.inbox.push(.structural(.joined(namespace: "/", room: "late", socketID: "s1")))
        feed.inbox.push(.structural(.socketDisconnected(namespace: "/", id: "s2", reason: "transport close", description: nil)))
        feed.drain(into: &state)
        // Gathered before all three reports: it lists s2, and s1 without its join.
        feed.inbox.push(.allSockets([info(1), info(2), info(3)]))
        feed.drain(into: &state)
        #expect(Set(state.sockets.keys) == ["s1", "s3", "s9"], "s9 connected after the snapshot was taken, s2 left, s7 left while away")
        #expect(state.members(of: "late", in: "/") == ["s1"])
    }
}
