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
    let serverStart = Atomic<Int64>(0)
    let clients = Atomic<Int>(0)
    private let emitCounter = Atomic<Int>(0)
    /// Drained updates not applied yet (behind a snapshot); only the draining thread uses it.
    let backlog = Mutex(Backlog())

    /// Creates a feed; ``start()`` connects.
    ///
    /// - Parameters:
    ///   - options: The server's URL, admin namespace, path and credentials.
    ///   - configuration: Limits of the model.
    ///   - clientOptions: The Socket.IO client's options (tests give a clock and timers);
    ///     the path, transports and reconnection settings are taken from `options`.
    /// - Throws: ``SocketIOClientError`` for a URL the client cannot use; ``AttachTLSError``
    ///   for a trust file it cannot read.
    public init(options: AttachOptions, configuration: MonitorConfiguration = MonitorConfiguration(),
                clientOptions: SocketIOClientOptions = SocketIOClientOptions()) throws {
        self.options = options
        self.configuration = configuration
        var client = clientOptions
        client.path = options.path
        client.autoConnect = false
        client.reconnectionDelayMax = options.reconnectionDelayMax
        if options.websocketOnly { client.transports = [.websocket] }
        if let tls = try options.tlsConfiguration() { client.tlsConfiguration = tls }
        client.parser = options.parser
        var url = try EngineClientURL(options.url)
        url.pathname = "/"
        manager = Manager(url: url, options: client)
        inbox = AdminInbox(link: FeedLink(url: options.url, namespace: options.namespace), packetLimit: configuration.packetsPerDrain * 2)
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
