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

    /// Emits to every socket of every child.
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: JSONValue...) throws {
        for child in children.values { try child.emit(event, arguments) }
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
