import NIOConcurrencyHelpers

/// A dynamic namespace (Node's `ParentNamespace`): creates a child namespace for every
/// name its matcher accepts. Children share the parent's middlewares and connection
/// listeners; broadcasting on the parent reaches every child.
public final class ParentNamespace: Sendable {
    /// Decides whether a namespace name belongs to this parent; gets the name and the
    /// CONNECT's auth object.
    public typealias Matcher = @Sendable (_ name: String, _ auth: JSONObject) async -> Bool

    unowned let server: SocketIOServer
    let matcher: Matcher

    struct State {
        var middlewares: [Namespace.Middleware] = []
        var connection: [@Sendable (Socket) -> Void] = []
        var children: [String: Namespace] = [:]
    }
    let state = NIOLockedValueBox(State())

    init(server: SocketIOServer, matcher: @escaping Matcher) {
        self.server = server
        self.matcher = matcher
    }

    /// Adds a middleware every child runs, including children created later.
    public func use(_ middleware: @escaping Namespace.Middleware) {
        let children = state.withLockedValue { state in
            state.middlewares.append(middleware)
            return Array(state.children.values)
        }
        for child in children { child.use(middleware) }
    }

    /// Adds a connection listener to every child, including children created later.
    public func onConnection(_ listener: @escaping @Sendable (Socket) -> Void) {
        let children = state.withLockedValue { state in
            state.connection.append(listener)
            return Array(state.children.values)
        }
        for child in children { child.onConnection(listener) }
    }

    /// The current children, by name.
    public var children: [String: Namespace] { state.withLockedValue { $0.children } }

    // MARK: Broadcasting over every child (Node's ParentNamespace operators)

    var everyone: ParentBroadcastOperator { ParentBroadcastOperator(parent: self) }

    /// Sockets in `room`, in every child (Node's `parentNamespace.to`).
    public func to(_ room: String) -> ParentBroadcastOperator { everyone.to(room) }
    /// Sockets in these rooms, in every child.
    public func to(_ rooms: [String]) -> ParentBroadcastOperator { everyone.to(rooms) }
    /// Synonym of `to` (Node's `in`).
    public func `in`(_ room: String) -> ParentBroadcastOperator { everyone.to(room) }
    /// Synonym of `to` (Node's `in`).
    public func `in`(_ rooms: [String]) -> ParentBroadcastOperator { everyone.to(rooms) }
    /// Every socket of every child except those in `room` (Node's `except`).
    public func except(_ room: String) -> ParentBroadcastOperator { everyone.except(room) }
    /// Every socket of every child except those in these rooms.
    public func except(_ rooms: [String]) -> ParentBroadcastOperator { everyone.except(rooms) }
    /// Only this server's sockets (Node's `local`).
    public var local: ParentBroadcastOperator { everyone.local }
    /// Dropping packets for clients that cannot take them now (Node's `volatile`).
    public var volatile: ParentBroadcastOperator { everyone.volatile }
    /// With an acknowledgement timeout (Node's `timeout`).
    public func timeout(_ duration: Duration) -> ParentBroadcastOperator { everyone.timeout(duration) }

    /// Emits to every socket of every child (Node's `parentNamespace.emit`).
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: JSONValue...) throws { try everyone.emit(event, arguments) }
    /// Emits an argument list to every socket of every child.
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: [JSONValue]) throws { try everyone.emit(event, arguments) }
    /// Every socket of every child that exists on this server, with details. (Node's
    /// parent namespace throws here; see the README's differences from Node.)
    /// - Throws: when a cluster adapter cannot gather the answers.
    public func fetchSockets() async throws -> [RemoteSocket] { try await everyone.fetchSockets() }
    /// Makes every socket of every child join rooms (Node's `socketsJoin`).
    public func socketsJoin(_ rooms: String...) { everyone.socketsJoin(rooms) }
    /// Makes every socket of every child join these rooms.
    public func socketsJoin(_ rooms: [String]) { everyone.socketsJoin(rooms) }
    /// Makes every socket of every child leave rooms (Node's `socketsLeave`).
    public func socketsLeave(_ rooms: String...) { everyone.socketsLeave(rooms) }
    /// Makes every socket of every child leave these rooms.
    public func socketsLeave(_ rooms: [String]) { everyone.socketsLeave(rooms) }
    /// Disconnects every socket of every child (Node's `disconnectSockets`).
    public func disconnectSockets(close: Bool = false) { everyone.disconnectSockets(close: close) }
    /// Emits to the other servers of the cluster in every child namespace (Node's `serverSideEmit`).
    /// - Throws: ``SocketIOError`` for `connect`, `connection` or `new_namespace`.
    public func serverSideEmit(_ event: String, _ arguments: JSONValue...) throws {
        try Namespace.checkServerSideName(event)
        for child in children.values { try child.serverSideEmit(event, arguments) }
    }

    /// Creates the child `name` (Node's `createChild`).
    func createChild(_ name: String) -> Namespace {
        let (middlewares, listeners) = state.withLockedValue { ($0.middlewares, $0.connection) }
        let child = Namespace(name: name, server: server, parent: self, middlewares: middlewares)
        for listener in listeners { child.onConnection(listener) }
        state.withLockedValue { $0.children[name] = child }
        return child
    }

    func removeChild(_ child: Namespace) {
        state.withLockedValue { state in
            if state.children[child.name] === child { state.children[child.name] = nil }
        }
        server.removeNamespace(child)
    }
}
