@testable import AdminFeed
import HummingbirdBcrypt
import Monitor
import SocketIO
@testable import SocketIOAdmin
import SocketIOClient
import Testing
import TestSupport

/// The feed attached to an instrumented server in this process, over real sockets: what the
/// server reports reaches the model, and the console's commands reach the server's clients.
@Suite("AdminFeed: attached to an instrumented server")
struct AdminFeedLiveTests {
    /// Runs `body` with a server on a free port, instrumented without timers (the test sends
    /// the stats), and a feed attached to it; stops both after.
    func withAttachedFeed(
        _ adminOptions: AdminOptions = AdminOptions(auth: .none),
        attach: (inout AttachOptions) -> Void = { _ in },
        _ body: (SocketIOServer, AdminInstrumentation, AdminFeed, Int) async throws -> Void
    ) async throws {
        let io = SocketIOServer()
        io.of("/").onConnection { socket in
            socket.on("join") { arguments, _ in
                if let room = arguments.first?.stringValue { socket.join(room) }
            }
            socket.on("shout") { arguments, _ in try? socket.emit("echo", arguments) }
        }
        let admin = try AdminInstrumentation(server: io, options: adminOptions, clock: .system, startsTimers: false)
        let port = try await io.listen(host: "127.0.0.1", port: 0)
        var options = AttachOptions(url: "http://127.0.0.1:\(port)")
        options.reconnectionDelayMax = .milliseconds(200)
        attach(&options)
        let feed = try AdminFeed(options: options)
        feed.start()
        do {
            try await body(io, admin, feed, port)
        } catch {
            await feed.shutdown()
            await io.close()
            throw error
        }
        await feed.shutdown()
        await io.close()
    }

    /// A client of the watched server; `reply` answers its acknowledged `ping`s.
    func connectClient(port: Int, query: [String: String] = [:], reply: JSONValue? = nil) async throws -> (Manager, ClientSocket) {
        var options = SocketIOClientOptions()
        options.query = query
        options.transports = [.websocket]
        let manager = Manager(url: try EngineClientURL("http://127.0.0.1:\(port)"), options: options)
        let socket = manager.socket("/")
        if let reply { socket.on("ping") { _, ack in ack?(reply) } }
        let connected = Signal<Bool>()
        socket.onConnect { connected.set(true) }
        socket.connect()
        #expect(await connected.wait() == true)
        return (manager, socket)
    }

    @Test("a client's socket, handshake, rooms and events reach the model; the header counts its server")
    func socketsRoomsAndEvents() async throws {
        try await withAttachedFeed { _, admin, feed, port in
            var state = MonitorState()
            #expect(await eventually { feed.drain(into: &state); return state.link?.status == .connected && !(state.link?.features.isEmpty ?? true) })
            #expect(state.link?.perSocketData == true)
            let (manager, client) = try await connectClient(port: port, query: ["who": "ann"])
            let id = try #require(client.id)
            #expect(await eventually { feed.drain(into: &state); return state.sockets[id] != nil })
            #expect(state.sockets[id]?.handshake.query["who"] == "ann")
            #expect(state.sockets[id]?.namespace == "/")
            try client.emit("join", "lobby")
            #expect(await eventually { feed.drain(into: &state); return state.members(of: "lobby", in: "/").contains(id) })
            try client.emit("shout", "hi")
            #expect(await eventually {
                feed.drain(into: &state)
                return state.log.all.contains { $0.event == "echo" && $0.direction == .outbound && $0.socketID == id }
            })
            #expect(state.log.all.contains { $0.event == "shout" && $0.direction == .inbound && $0.socketID == id })
            #expect(state.sockets[id]?.eventsIn ?? 0 >= 2)
            admin.emitServerStats()
            #expect(await eventually { feed.drain(into: &state); return state.servers.count == 1 })
            #expect(await eventually { feed.drain(into: &state); return state.totals.packetsIn >= 2 },
                    "the stats' aggregated packets count into the rates: \(state.totals)")
            #expect(feed.engineClientCount == 2, "the client and the feed itself")
            await manager.shutdown()
            #expect(await eventually { feed.drain(into: &state); return state.sockets[id] == nil })
        }
    }

    @Test("join, emit to a room, emit --ack and kick reach the server's clients through the protocol")
    func actions() async throws {
        try await withAttachedFeed { _, _, feed, port in
            var state = MonitorState()
            let actions = AdminActions(feed: feed, readOnly: false)
            #expect(await eventually { feed.drain(into: &state); return feed.supportedFeatures.contains("EMIT_WITH_ACK") })
            let (manager, client) = try await connectClient(port: port, reply: "pong")
            let id = try #require(client.id)
            #expect(await eventually { feed.drain(into: &state); return state.sockets[id] != nil })
            let joined = actions.perform(.join(room: "lobby", sockets: [id]), selection: .none, state: state)
            #expect(!joined.isError, "\(joined.message)")
            #expect(await eventually { feed.drain(into: &state); return state.members(of: "lobby", in: "/").contains(id) })
            let news = Signal<[JSONValue]>()
            client.on("news") { arguments, _ in news.set(arguments) }
            let emitted = actions.perform(.emit(EmitCommand(targets: ["lobby"], event: "news", arguments: ["hello"])), selection: .none, state: state)
            #expect(!emitted.isError, "\(emitted.message)")
            #expect(await news.wait() == ["hello"])
            let asked = actions.perform(.emit(EmitCommand(targets: [id], ackTimeout: .seconds(5), event: "ping")), selection: .none, state: state)
            #expect(!asked.isError, "\(asked.message)")
            #expect(await eventually {
                feed.drain(into: &state)
                return state.log.all.contains { $0.kind == .ack && $0.payload == ["pong"] }
            })
            let gone = Signal<ClientDisconnectReason>()
            client.onDisconnect { reason, _ in gone.set(reason) }
            let kicked = actions.perform(.kick(sockets: [id], closeConnection: false), selection: .none, state: state)
            #expect(!kicked.isError, "\(kicked.message)")
            #expect(await gone.wait() == .ioServerDisconnect)
            #expect(await eventually { feed.drain(into: &state); return state.sockets[id] == nil })
            await manager.shutdown()
        }
    }

    @Test("what the server does not advertise, and everything in read-only, is refused with the reason")
    func refusals() async throws {
        var options = AdminOptions(auth: .none)
        options.readonly = true
        try await withAttachedFeed(options) { _, _, feed, port in
            var state = MonitorState()
            #expect(await eventually { feed.drain(into: &state); return !feed.supportedFeatures.isEmpty })
            let (manager, client) = try await connectClient(port: port)
            let id = try #require(client.id)
            #expect(await eventually { feed.drain(into: &state); return state.sockets[id] != nil })
            let actions = AdminActions(feed: feed, readOnly: false)
            let kick = actions.perform(.kick(sockets: [id], closeConnection: false), selection: .none, state: state)
            #expect(kick.isError && kick.message.contains("does not advertise DISCONNECT"))
            let emit = actions.perform(.emit(EmitCommand(event: "x")), selection: .none, state: state)
            #expect(emit.isError && emit.message.contains("EMIT"))
            let readOnly = AdminActions(feed: feed, readOnly: true)
            let refused = readOnly.perform(.join(room: "r", sockets: [id]), selection: .none, state: state)
            #expect(refused.isError && refused.message.contains("read-only"))
            #expect(client.connected)
            await manager.shutdown()
        }
    }

    @Test("wrong credentials are refused with a clear message; right ones connect and get a session")
    func credentials() async throws {
        let options = AdminOptions(auth: .basic(username: "ops", passwordHash: Bcrypt.hash("right", cost: 4)))
        try await withAttachedFeed(options, attach: { $0.username = "ops"; $0.password = "wrong" }) { _, _, feed, port in
            var state = MonitorState()
            #expect(await eventually {
                feed.drain(into: &state)
                if case .refused(let why) = state.link?.status { return why.contains("bad credentials") }
                return false
            })
            var good = AttachOptions(url: "http://127.0.0.1:\(port)")
            good.username = "ops"
            good.password = "right"
            let other = try AdminFeed(options: good)
            other.start()
            var seen = MonitorState()
            #expect(await eventually { other.drain(into: &seen); return seen.link?.status == .connected })
            await other.shutdown()
        }
    }

    @Test("a server without the admin namespace is named as such")
    func noAdminNamespace() async throws {
        let io = SocketIOServer()
        let port = try await io.listen(host: "127.0.0.1", port: 0)
        let feed = try AdminFeed(options: AttachOptions(url: "http://127.0.0.1:\(port)"))
        feed.start()
        var state = MonitorState()
        #expect(await eventually {
            feed.drain(into: &state)
            if case .refused(let why) = state.link?.status { return why.contains("no /admin namespace") }
            return false
        })
        await feed.shutdown()
        await io.close()
    }
}
