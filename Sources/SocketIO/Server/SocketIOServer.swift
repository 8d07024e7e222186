public import EngineIO
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
public import NIOPosix
public import NIOSSL

/// A Socket.IO server (Node's `Server`): namespaces, sockets, rooms and broadcasts on an
/// Engine.IO server.
public final class SocketIOServer: Sendable {
    /// The options the server was created with.
    public let options: SocketIOServerOptions
    /// The Engine.IO server underneath (Node's `server.engine`).
    public let engine: EngineServer

    struct State {
        var namespaces: [String: Namespace] = [:]
        var parents: [ParentNamespace] = []
        var newNamespace: [@Sendable (Namespace) -> Void] = []
        var closed = false
    }
    let state = NIOLockedValueBox(State())

    /// Creates a server with its own engine.
    /// - Parameters:
    ///   - options: the server's and its engine's options.
    ///   - logger: where the server logs; each connection's and socket's lines carry their
    ///     ids (``Socket/logger``). It logs per connection at debug level only.
    public init(options: SocketIOServerOptions = SocketIOServerOptions(), logger: Logger = Logger(label: "socket.io")) {
        self.options = options
        self.engine = EngineServer(options: options.engine, logger: logger)
        bind(engine)
        _ = of("/")
    }

    /// Creates a server on an engine you made (Node's `server.bind(engine)`).
    public init(engine: EngineServer, options: SocketIOServerOptions = SocketIOServerOptions()) {
        self.options = options
        self.engine = engine
        bind(engine)
        _ = of("/")
    }

    /// Serves the connections of `engine` too (Node's `server.bind`).
    public func bind(_ engine: EngineServer) {
        engine.onConnection { [unowned self] conn in self.onconnection(conn) }
    }

    /// Takes over an engine connection (Node's `server.onconnection`).
    public func onconnection(_ conn: EngineSocket) {
        // The engine calls this on the session's loop, before the first packet can be read:
        // starting synchronously means a CONNECT posted right after the handshake is never missed.
        let client = Client(server: self, conn: conn)
        if conn.eventLoop.inEventLoop {
            client.start()
        } else {
            conn.eventLoop.execute { client.start() }
        }
    }

    /// The path the engine really answers, as Node's `server.path()` reports it: without
    /// the trailing slash (`/socket.io`), and the engine's own when you passed one in.
    public var path: String {
        var path = engine.options.path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path.hasPrefix("/") ? path : "/" + path
    }

    // MARK: Listening

    /// Listens on `host:port` (Node's `server.listen(port)`), returning the bound port.
    /// Unlike Node, the default host is `127.0.0.1`: pass `host: "0.0.0.0"` (or `"::"`)
    /// to listen on every interface.
    ///
    /// With `tls` it serves `https`/`wss` (Node's `new Server(httpsServer)`), and
    /// `socket.handshake.secure` is true:
    ///
    /// ```swift
    /// let tls = try EngineTLS.serverContext(certificateChainFile: "cert.pem", privateKeyFile: "key.pem")
    /// try await io.listen(host: "0.0.0.0", port: 443, tls: tls)
    /// ```
    /// - Throws: ``SocketIOError/serverClosed`` after ``close()``; when the address cannot be bound.
    @discardableResult
    public func listen(host: String = "127.0.0.1", port: Int, tls: NIOSSLContext? = nil,
                       group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Int {
        try checkOpen()
        return try await engine.listen(host: host, port: port, tls: tls, group: group)
    }

    /// Attaches to your own NIO server: call from `childChannelInitializer` (Node's
    /// `server.attach`); with `passThrough`, other paths reach your handlers.
    /// - Throws: ``SocketIOError/serverClosed`` after ``close()``; when the pipeline cannot be changed.
    public func attach(channel: any Channel, passThrough: Bool = true) throws {
        try checkOpen()
        try engine.configure(channel: channel, passThrough: passThrough)
    }

    private func checkOpen() throws {
        if state.withLockedValue({ $0.closed }) || engine.isClosed { throw SocketIOError.serverClosed }
    }

    /// Disconnects every socket with `server shutting down`, then closes the engine and
    /// frees the port (Node's `server.close`). Afterwards nothing may connect: the engine
    /// refuses handshakes even on a pipeline you attached it to, and `listen`/`attach` throw.
    public func close() async {
        let namespaces = state.withLockedValue { state in
            state.closed = true
            return Array(state.namespaces.values)
        }
        var closing: [EventLoopFuture<Void>] = []
        for namespace in namespaces {
            for socket in namespace.sockets.values {
                closing.append(socket.eventLoop.submit { socket.onClose(.serverShuttingDown, description: nil) })
            }
        }
        for future in closing { try? await future.get() }
        for namespace in namespaces { await namespace.adapter.close() }
        await engine.close()
    }

    // MARK: Namespaces

    /// The namespace `name`, created on first use (Node's `server.of(name)`).
    public func of(_ name: String) -> Namespace {
        let name = name.hasPrefix("/") ? name : "/" + name
        var created: Namespace?
        let namespace = state.withLockedValue { state -> Namespace in
            if let existing = state.namespaces[name] { return existing }
            let namespace = Namespace(name: name, server: self)
            state.namespaces[name] = namespace
            created = namespace
            return namespace
        }
        if let created { announce(created) }
        return namespace
    }

    /// A dynamic namespace for every name `matcher` accepts (Node's `server.of(fn)`).
    public func of(matching matcher: @escaping ParentNamespace.Matcher) -> ParentNamespace {
        let parent = ParentNamespace(server: self, matcher: matcher)
        state.withLockedValue { $0.parents.append(parent) }
        return parent
    }

    /// A dynamic namespace for every name the regular expression matches (Node's
    /// `server.of(/regex/)`): as Node's `regex.test(name)`, a match anywhere in the name
    /// counts unless the pattern is anchored with `^…$`.
    /// - Parameter pattern: a regular expression in Swift `Regex` syntax.
    /// - Returns: the parent namespace of the children it creates.
    /// - Throws: the `Regex` compile error when `pattern` is not a valid expression.
    public func of(pattern: String) throws -> ParentNamespace {
        let regex = try NamespacePattern(pattern)
        return of(matching: { name, _ in regex.matches(name) })
    }

    /// The namespaces that exist now, by name.
    public var namespaces: [String: Namespace] { state.withLockedValue { $0.namespaces } }

    /// Adds a listener for namespaces created from now on (Node's `new_namespace`).
    public func onNewNamespace(_ listener: @escaping @Sendable (Namespace) -> Void) {
        state.withLockedValue { $0.newNamespace.append(listener) }
    }

    func namespace(named name: String) -> Namespace? {
        state.withLockedValue { $0.namespaces[name] }
    }

    /// Asks the dynamic namespaces, in order, whether one takes `name`; creates the child.
    func dynamicNamespace(named name: String, auth: JSONObject) async -> Namespace? {
        let parents = state.withLockedValue { $0.parents }
        for parent in parents where await parent.matcher(name, auth) {
            var created: Namespace?
            let namespace = state.withLockedValue { state -> Namespace in
                // Another connection may have created it meanwhile.
                if let existing = state.namespaces[name] { return existing }
                let child = parent.createChild(name)
                state.namespaces[name] = child
                created = child
                return child
            }
            if let created { announce(created) }
            return namespace
        }
        return nil
    }

    func removeNamespace(_ namespace: Namespace) {
        state.withLockedValue { state in
            if state.namespaces[namespace.name] === namespace { state.namespaces[namespace.name] = nil }
        }
    }

    private func announce(_ namespace: Namespace) {
        let listeners = state.withLockedValue { $0.newNamespace }
        for listener in listeners { listener(namespace) }
    }

    // MARK: The main namespace's API (Node's server-level shortcuts)

    /// The main namespace `/` (Node's `server.sockets`).
    public var sockets: Namespace { of("/") }

    /// Adds a connection listener on `/` (Node's `io.on("connection")`).
    public func onConnection(_ listener: @escaping @Sendable (Socket) -> Void) { sockets.onConnection(listener) }
    /// Synonym of ``onConnection(_:)`` (Node's `io.on("connect")`).
    public func onConnect(_ listener: @escaping @Sendable (Socket) -> Void) { sockets.onConnection(listener) }
    /// Adds a middleware on `/` (Node's `io.use`).
    public func use(_ middleware: @escaping Namespace.Middleware) { sockets.use(middleware) }
    /// Sockets of `/` in `room`.
    public func to(_ room: String) -> BroadcastOperator { sockets.to(room) }
    /// Sockets of `/` in these rooms.
    public func to(_ rooms: [String]) -> BroadcastOperator { sockets.to(rooms) }
    /// Synonym of `to`.
    public func `in`(_ room: String) -> BroadcastOperator { sockets.to(room) }
    /// Synonym of `to`.
    public func `in`(_ rooms: [String]) -> BroadcastOperator { sockets.to(rooms) }
    /// Sockets of `/` except those in `room`.
    public func except(_ room: String) -> BroadcastOperator { sockets.except(room) }
    /// Sockets of `/` except those in these rooms.
    public func except(_ rooms: [String]) -> BroadcastOperator { sockets.except(rooms) }
    /// Only this server's sockets of `/`.
    public var local: BroadcastOperator { sockets.local }
    /// Volatile broadcast on `/`.
    public var volatile: BroadcastOperator { sockets.volatile }
    /// Broadcast on `/` with the compress flag.
    public func compress(_ compress: Bool) -> BroadcastOperator { sockets.compress(compress) }
    /// Broadcast on `/` with an acknowledgement timeout.
    public func timeout(_ duration: Duration) -> BroadcastOperator { sockets.timeout(duration) }
    /// Emits to every socket of `/`.
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: JSONValue...) throws { try sockets.emit(event, arguments) }
    /// Emits to every socket of `/` and waits for their replies.
    /// - Throws: ``BroadcastAckTimeout`` when a timeout was set and passed.
    public func emitWithAck(_ event: String, _ arguments: JSONValue...) async throws -> [JSONValue] {
        try await sockets.everyone.emitWithAck(event, arguments)
    }
    /// Sends a `message` event to every socket of `/`.
    public func send(_ arguments: JSONValue...) { try? sockets.everyone.emit("message", arguments) }
    /// Every socket of `/` with its details.
    /// - Throws: when a cluster adapter cannot gather the answers.
    public func fetchSockets() async throws -> [RemoteSocket] { try await sockets.fetchSockets() }
    /// Makes every socket of `/` join rooms (Node's `io.socketsJoin`).
    public func socketsJoin(_ rooms: String...) { sockets.everyone.socketsJoin(rooms) }
    /// Makes every socket of `/` join these rooms (Node's `io.socketsJoin([...])`).
    public func socketsJoin(_ rooms: [String]) { sockets.everyone.socketsJoin(rooms) }
    /// Makes every socket of `/` leave rooms (Node's `io.socketsLeave`).
    public func socketsLeave(_ rooms: String...) { sockets.everyone.socketsLeave(rooms) }
    /// Makes every socket of `/` leave these rooms (Node's `io.socketsLeave([...])`).
    public func socketsLeave(_ rooms: [String]) { sockets.everyone.socketsLeave(rooms) }
    /// The ids of every socket of `/`, across the cluster (Node's `io.allSockets()`).
    public func allSockets() async -> Set<String> { await sockets.allSockets() }
    /// Disconnects every socket of `/`.
    public func disconnectSockets(close: Bool = false) { sockets.disconnectSockets(close: close) }
    /// Emits to the other servers of the cluster (Node's `io.serverSideEmit`).
    /// - Throws: ``SocketIOError`` for `connect`, `connection` or `new_namespace`.
    public func serverSideEmit(_ event: String, _ arguments: JSONValue...) throws {
        try sockets.serverSideEmit(event, arguments)
    }
    /// Emits to the other servers and calls `ack` with one reply per server (Node's
    /// `io.serverSideEmit(event, …args, callback)`).
    /// - Throws: ``SocketIOError`` for a reserved name.
    public func serverSideEmit(_ event: String, _ arguments: [JSONValue], timeout: Duration? = nil, ack: @escaping @Sendable (Result<[JSONValue], any Error>) -> Void) throws {
        try sockets.serverSideEmit(event, arguments, timeout: timeout, ack: ack)
    }
    /// Emits to the other servers and waits for one reply per server (Node's `io.serverSideEmitWithAck`).
    /// - Throws: on a reserved name, or when not every server answered in time.
    public func serverSideEmitWithAck(_ event: String, _ arguments: JSONValue..., timeout: Duration? = nil) async throws -> [JSONValue] {
        try await sockets.serverSideEmitWithAck(event, arguments, timeout: timeout)
    }
}
