public import Monitor
import NIOCore
public import SocketIOClient
import SocketIO
import Synchronization

/// The console's model fed over the Admin UI protocol (`@socket.io/admin-ui`): the feed
/// connects to the admin namespace of a running server (ours with `--admin`, Node's with
/// `instrument()`, python-socketio's with `instrument()`) as an ordinary Socket.IO client,
/// and turns what the server reports (`all_sockets`, `socket_connected`, `room_joined`,
/// `event_received`, `server_stats`, …) into the records the in-process ``Monitor`` makes
/// from its hooks. The console drains it the same way and never knows the difference.
///
/// The client's callbacks only queue updates; ``drain(into:)`` applies them on the
/// console's thread. The link never gives up: a lost connection is retried with backoff
/// (the server's session id instead of the password when it gave one), a refusal too, and
/// each state shows in ``MonitorState/link``.
public final class AdminFeed: MonitorFeed {
    /// Where and how to attach.
    public let options: AttachOptions
    /// Limits of the model.
    public let configuration: MonitorConfiguration
    /// The client's manager (its engine connection).
    public let manager: Manager
    /// The admin namespace's socket.
    public let socket: ClientSocket
    let inbox: AdminInbox
    private let session = AdminSession()
    private let started = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    private let retrying = Atomic<Bool>(false)
    private let features = Mutex<[String]>([])
    private let createdAt = WallClock.nanoseconds()
    private let serverStart = Atomic<Int64>(0)
    private let clients = Atomic<Int>(0)
    private let emitCounter = Atomic<Int>(0)
    /// Drained updates not applied yet (behind a snapshot); only the draining thread uses it.
    private let backlog = Mutex(Backlog())

    /// Creates a feed; ``start()`` connects.
    ///
    /// - Parameters:
    ///   - options: The server's URL, admin namespace, path and credentials.
    ///   - configuration: Limits of the model.
    ///   - clientOptions: The Socket.IO client's options (tests give a clock and timers);
    ///     the path, transports and reconnection settings are taken from `options`.
    /// - Throws: ``SocketIOClientError`` for a URL the client cannot use.
    public init(options: AttachOptions, configuration: MonitorConfiguration = MonitorConfiguration(),
                clientOptions: SocketIOClientOptions = SocketIOClientOptions()) throws {
        self.options = options
        self.configuration = configuration
        var client = clientOptions
        client.path = options.path
        client.autoConnect = false
        client.reconnectionDelayMax = options.reconnectionDelayMax
        if options.websocketOnly { client.transports = [.websocket] }
        var url = try EngineClientURL(options.url)
        url.pathname = "/"
        manager = Manager(url: url, options: client)
        inbox = AdminInbox(link: FeedLink(url: options.url, namespace: options.namespace), packetLimit: configuration.packetsPerDrain * 8)
        let session = self.session
        let (username, password) = (options.username, options.password)
        // The session id the server handed out when there is one (as the web Admin UI
        // does), else the credentials, else nothing.
        socket = manager.socket(options.namespace, auth: .provider {
            if let id = session.id { return ["sessionId": .string(id)] }
            guard let username else { return nil }
            return ["username": .string(username), "password": .string(password ?? "")]
        })
    }

    /// When the watched server started (the longest uptime its nodes report), or when the
    /// feed was made until the first stats come.
    public var startedAt: Int64 {
        let server = serverStart.load(ordering: .relaxed)
        return server == 0 ? createdAt : server
    }

    /// Engine connections open on the watched server's nodes, from their last stats.
    public var engineClientCount: Int { clients.load(ordering: .relaxed) }

    /// The features the server advertised (`config`), as last received.
    public var supportedFeatures: [String] { features.withLock { $0 } }

    /// The link as it stands (what the header shows).
    public var link: FeedLink { inbox.link }

    /// Connects to the admin namespace. Calling it again does nothing.
    public func start() {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        let inbox = self.inbox
        let manager = self.manager
        socket.onAny { [weak self] event, arguments in
            guard let self else { return }
            let now = WallClock.nanoseconds()
            guard let update = AdminEventTranslator.translate(event, arguments, time: now) else { return }
            switch update {
            case .session(let id):
                session.id = id
            case .config(let list):
                features.withLock { $0 = list }
                inbox.setLink { $0.features = list }
                inbox.push(update)
            default:
                inbox.push(update)
            }
        }
        socket.onConnect {
            inbox.push(.linked)
            inbox.setLink { link in
                link.status = .connected
                link.transport = manager.transport?.rawValue
            }
        }
        socket.onConnectError { [weak self] error in
            guard let self else { return }
            // A session the server no longer knows (it restarted, or the session expired):
            // at once again with the credentials, as the web Admin UI does.
            if session.id != nil {
                session.id = nil
                socket.connect()
                return
            }
            guard error.code == .connectError else {
                // The server was not reached: the manager reconnects by itself, with backoff.
                inbox.setLink { $0.status = .reconnecting(Self.describeFailure(error, path: options.path)) }
                return
            }
            inbox.setLink { $0.status = .refused(Self.describeRefusal(error, namespace: options.namespace)) }
            retryLater()
        }
        socket.onDisconnect { [weak self] reason, _ in
            guard let self else { return }
            inbox.setLink { $0.status = .reconnecting(reason.rawValue) }
            // The server (or an operator's kick) ended the admin socket: the client does not
            // come back by itself then, so the feed does.
            if reason == .ioServerDisconnect { retryLater() }
        }
        let path = options.path
        _ = manager.onEvent { event in
            switch event {
            case .upgrade(let kind):
                inbox.setLink { $0.transport = kind.rawValue }
            case .reconnectError(let error), .error(let error):
                inbox.setLink { link in
                    if case .connected = link.status { return }
                    link.status = .reconnecting(Self.describeFailure(error, path: path))
                }
            default:
                break
            }
        }
        socket.connect()
    }

    /// Disconnects and stops reconnecting.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
        socket.disconnect()
        manager.disconnect()
    }

    /// Disconnects, waits for the client to release its connection, and stops reconnecting.
    public func shutdown() async {
        stopped.store(true, ordering: .relaxed)
        socket.disconnect()
        await manager.shutdown()
    }

    /// Tries the admin namespace again after the longest reconnection delay (once at a
    /// time): refusals are not retried by the client itself.
    private func retryLater() {
        guard !stopped.load(ordering: .relaxed),
              retrying.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        let delay = TimeAmount.nanoseconds(Int64(options.reconnectionDelayMax.components.seconds) * 1_000_000_000
            + options.reconnectionDelayMax.components.attoseconds / 1_000_000_000)
        manager.eventLoop.scheduleTask(in: delay) { [weak self] in
            guard let self else { return }
            retrying.store(false, ordering: .relaxed)
            guard !stopped.load(ordering: .relaxed), !socket.connected else { return }
            socket.connect()
        }
    }

    /// Adds console output to the stream (an action's later outcome). Callable from any thread.
    func note(_ note: ConsoleNote) {
        inbox.push(.structural(.note(note)))
    }

    func nextEmitID() -> Int {
        emitCounter.wrappingAdd(1, ordering: .relaxed).newValue
    }

    // MARK: Draining

    /// Applies what the server reported since the last call.
    @discardableResult
    public func drain(into state: inout MonitorState) -> Bool {
        let batch = inbox.take()
        var changed = false
        if state.link != batch.link {
            if let before = state.link, before.status != batch.link.status { logLinkChange(batch.link, into: &state) }
            if state.link == nil { logLinkChange(batch.link, into: &state) }
            state.link = batch.link
            changed = true
        }
        // A snapshot (all_sockets) goes in a slice per drain, so that 10,000 sockets never
        // hold the screen; what came after it waits behind it, in order.
        let snapshotChanged = backlog.withLock { backlog in
            backlog.deferred.append(contentsOf: batch.updates)
            return applyBacklog(&backlog, to: &state)
        }
        changed = changed || snapshotChanged
        if batch.dropped > 0 {
            state.countDropped(batch.dropped)
            changed = true
        }
        if batch.overflowed {
            // Too much at once to keep in order: start again from a fresh all_sockets.
            state.record(ConsoleNote(kind: .error, message: "too many changes at once: reconnecting for a fresh picture"))
            socket.disconnect()
            socket.connect()
        }
        state.setTotals(batch.totals, interval: 2_000_000_000)
        return changed
    }

    /// Applies the deferred updates in order; a snapshot among them replaces the tables and
    /// goes in ``Backlog/snapshotSlice`` sockets per call.
    ///
    /// - Returns: Whether anything was applied.
    private func applyBacklog(_ backlog: inout Backlog, to state: inout MonitorState) -> Bool {
        var applied = false
        var next = 0
        while true {
            if !backlog.snapshot.isEmpty {
                let now = WallClock.nanoseconds()
                let slice = backlog.snapshot.prefix(Backlog.snapshotSlice)
                for item in slice {
                    state.addExisting(item.info, time: now)
                    for record in item.newer { state.apply(record, time: now) }
                }
                backlog.snapshot.removeFirst(slice.count)
                applied = true
                if !backlog.snapshot.isEmpty { break }
                state.record(ConsoleNote(kind: .info, message: "\(backlog.snapshotCount) socket(s) on the server"))
            }
            guard next < backlog.deferred.count else { break }
            let update = backlog.deferred[next]
            next += 1
            applied = true
            switch update {
            case .linked:
                backlog.journal = SnapshotJournal()
            case .allSockets(let sockets):
                startSnapshot(sockets, backlog: &backlog, state: &state)
            case .structural(let record):
                backlog.journal?.note(record)
                apply(update, to: &state)
            default:
                apply(update, to: &state)
            }
        }
        backlog.deferred.removeFirst(next)
        return applied
    }

    /// Starts applying a snapshot. The server gathered it at some moment after the link
    /// connected, and the reports that came since may be older or newer than it: each
    /// listed socket gets the snapshot's description, then its reports again in order (a
    /// join the snapshot already has changes nothing; one it missed is restored); a socket
    /// reported disconnected stays out; a socket that neither the snapshot nor the reports
    /// know is dropped (it left while the console was away).
    private func startSnapshot(_ sockets: [SocketInfo], backlog: inout Backlog, state: inout MonitorState) {
        let now = WallClock.nanoseconds()
        let journal = backlog.journal ?? SnapshotJournal()
        backlog.journal = nil
        let listed = Set(sockets.map(\.id))
        let departed = state.sockets.keys.filter { !listed.contains($0) && journal.reports[$0] == nil }
        for id in departed { state.forgetSocket(id, time: now) }
        if !departed.isEmpty {
            state.record(ConsoleNote(kind: .info, message: "\(departed.count) socket(s) left while the console was not connected"))
        }
        for server in state.servers.values {
            for namespace in server.namespaces { state.apply(.namespaceCreated(namespace.name), time: now) }
        }
        backlog.snapshot = sockets.filter { !journal.disconnected.contains($0.id) }
            .map { SnapshotItem(info: $0, newer: journal.reports[$0.id] ?? []) }[...]
        backlog.snapshotCount = sockets.count
        if sockets.isEmpty { state.record(ConsoleNote(kind: .info, message: "no socket on the server")) }
    }

    private func apply(_ update: AdminUpdate, to state: inout MonitorState) {
        let now = WallClock.nanoseconds()
        switch update {
        case .config(let features):
            let mode = features.contains("ALL_EVENTS")
                ? "development mode: every socket, room and event is reported"
                : "production mode: the server sends only its stats (no sockets, rooms or events)"
            state.record(ConsoleNote(kind: .info, message: "server features: " + (features.isEmpty ? "none" : features.joined(separator: " ")) + " — " + mode))
        case .session, .linked:
            break
        case .allSockets:
            break  // see applyBacklog
        case .structural(let record):
            state.apply(record, time: now)
        case .packet(let record):
            state.append(.event(record))
        case .stats(var server, _):
            if let previous = state.servers[server.key], server.lastSeen > previous.lastSeen {
                server.interval = min(max(server.lastSeen - previous.lastSeen, 500_000_000), 60_000_000_000)
            } else if state.servers[server.key] == nil {
                state.record(ConsoleNote(kind: .info, message: "server " + Sanitizer.clean(server.id, limit: 60) + " reports (host "
                    + Sanitizer.clean(server.hostname, limit: 60) + ", pid \(server.pid))"))
            }
            state.servers[server.key] = server
            for (key, silent) in state.servers where silent.isForgotten(now: now) {
                state.servers[key] = nil
                state.record(ConsoleNote(kind: .error, message: "server " + Sanitizer.clean(silent.id, limit: 60) + " (pid \(silent.pid)) stopped reporting"))
            }
            for namespace in server.namespaces { state.apply(.namespaceCreated(namespace.name), time: now) }
            let healthy = state.servers.values.filter { $0.health(now: now) == .healthy }
            clients.store(healthy.reduce(0) { $0 + $1.clients }, ordering: .relaxed)
            let start = healthy.map { $0.lastSeen - Int64($0.uptime * 1e9) }.min() ?? 0
            serverStart.store(start, ordering: .relaxed)
        }
    }

    private func logLinkChange(_ link: FeedLink, into state: inout MonitorState) {
        let kind: ConsoleNote.Kind
        switch link.status {
        case .connected, .connecting: kind = .info
        case .reconnecting, .refused: kind = .error
        }
        state.record(ConsoleNote(kind: kind, message: "attached to " + Sanitizer.clean(link.url, limit: 80) + ": " + link.summary))
    }

    /// What a failure to reach the server means for the operator, in a few words.
    static func describeFailure(_ error: SocketIOClientError, path: String) -> String {
        let message = error.message
        if message.contains("Connection refused") || message.contains("connection reset") {
            return "connection refused: is the server running, and is the URL right?"
        }
        if message.contains("answered 404") || message.contains("answered 400") {
            return Sanitizer.clean(message, limit: 60) + ": is \(path) the server's path (--path)?"
        }
        if error.code == .timeout { return "no answer in time: is the URL right, and the server up?" }
        return Sanitizer.clean(message, limit: 120)
    }

    /// What a refusal of the admin namespace means for the operator.
    static func describeRefusal(_ error: SocketIOClientError, namespace: String) -> String {
        let message = Sanitizer.clean(error.message, limit: 120)
        switch error.message {
        case "Invalid namespace":
            return "the server has no \(namespace) namespace: is it instrumented for the Admin UI (or is it another --admin-namespace)?"
        case "invalid credentials", "authentication failed":
            return "bad credentials (\(message)): check --user and the password"
        default:
            return message
        }
    }
}

/// What the client's callbacks queued for the console's thread: updates in arrival order
/// (events beyond a bound are counted, not kept), the link's state, and the traffic summed
/// from every server's stats.
final class AdminInbox: Sendable {
    struct Batch {
        var updates: [AdminUpdate]
        var link: FeedLink
        var dropped: Int
        var overflowed: Bool
        var totals: TrafficTotals
    }

    private struct Contents {
        var updates: [AdminUpdate] = []
        var packets = 0
        var dropped = 0
        var overflowed = false
        var link: FeedLink
        var totals = TrafficTotals()
    }

    private let contents: Mutex<Contents>
    private let packetLimit: Int
    /// Structural updates beyond this many between two drains mean the console cannot keep up.
    private let structuralLimit = 1 << 18

    init(link: FeedLink, packetLimit: Int) {
        contents = Mutex(Contents(link: link))
        self.packetLimit = packetLimit
    }

    var link: FeedLink { contents.withLock { $0.link } }

    func push(_ update: AdminUpdate) {
        contents.withLock { contents in
            switch update {
            case .packet:
                guard contents.packets < packetLimit else {
                    contents.dropped += 1
                    return
                }
                contents.packets += 1
            case .stats(_, let traffic):
                contents.totals = contents.totals + traffic
            default:
                guard contents.updates.count < structuralLimit else {
                    contents.overflowed = true
                    return
                }
            }
            contents.updates.append(update)
        }
    }

    func setLink(_ change: (inout FeedLink) -> Void) {
        contents.withLock { change(&$0.link) }
    }

    func take() -> Batch {
        contents.withLock { contents in
            defer {
                contents.updates = []
                contents.packets = 0
                contents.dropped = 0
                contents.overflowed = false
            }
            return Batch(updates: contents.updates, link: contents.link, dropped: contents.dropped,
                         overflowed: contents.overflowed, totals: contents.totals)
        }
    }
}

/// The session id the server handed out (basic authentication), shared with the auth
/// provider that runs on every connection attempt.
final class AdminSession: Sendable {
    private let value = Mutex<String?>(nil)

    var id: String? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

/// Updates the console has taken from the inbox but not applied yet: the rest of a
/// snapshot, and what arrived after it.
struct Backlog: Sendable {
    /// Sockets applied per drain: about a millisecond of work on this machine's release build.
    static let snapshotSlice = 2_000
    var snapshot: ArraySlice<SnapshotItem> = []
    var snapshotCount = 0
    var deferred: [AdminUpdate] = []
    /// What the reports said since the link connected, while its snapshot is awaited.
    var journal: SnapshotJournal?
}

/// A socket of a snapshot, with the reports about it that came before the snapshot did.
struct SnapshotItem: Sendable {
    var info: SocketInfo
    var newer: [StructuralRecord]
}

/// The reports about each socket between a connection of the link and its snapshot.
struct SnapshotJournal: Sendable {
    /// Each socket's connection, change and room reports, in order.
    var reports: [String: [StructuralRecord]] = [:]
    /// Sockets reported disconnected: the snapshot may still list them.
    var disconnected: Set<String> = []

    mutating func note(_ record: StructuralRecord) {
        switch record {
        case .socketConnected(let info):
            disconnected.remove(info.id)
            reports[info.id, default: []].append(record)
        case .socketUpdated(_, let id, _, _), .joined(_, _, let id), .left(_, _, let id):
            reports[id, default: []].append(record)
        case .socketDisconnected(_, let id, _, _):
            disconnected.insert(id)
            reports[id] = nil
        case .namespaceCreated, .engineOpened, .engineUpgraded, .engineClosed, .note:
            break
        }
    }
}
