import NIOCore
import NIOConcurrencyHelpers
import Synchronization
public import NIOHTTP1
public import Logging

/// An Engine.IO v4 server (Node's engine.io `Server`): sessions over HTTP long-polling and
/// WebSocket, the upgrade between them, heartbeats, limits, CORS and the engine events.
///
/// Listen standalone with ``listen(host:port:tls:group:)``, or attach to your own NIO server
/// with ``configure(channel:passThrough:)``.
public final class EngineServer: Sendable {
    /// The options the engine was created with.
    public let options: EngineOptions
    let logger: Logger

    struct Hooks {
        var connection: [@Sendable (EngineSocket) -> Void] = []
        var connectionError: [@Sendable (EngineConnectionError) -> Void] = []
        var headers: [@Sendable (inout HTTPHeaders, EngineRequest) -> Void] = []
        var initialHeaders: [@Sendable (inout HTTPHeaders, EngineRequest) -> Void] = []
        var middlewares: [EngineMiddleware] = []
    }
    let hooks = NIOLockedValueBox(Hooks())
    let sessions = NIOLockedValueBox([String: EngineSocket]())
    let listeners = NIOLockedValueBox([any Channel]())
    /// Connections accepted by ``listen(host:port:tls:group:)``, closed by ``close()``.
    let connections = NIOLockedValueBox([ObjectIdentifier: any Channel]())
    let corsPattern: CORSMatcher?
    /// Set by ``close()``: from then on no handshake is accepted, on any pipeline.
    let closed = Atomic<Bool>(false)

    /// Creates an engine.
    /// - Parameters:
    ///   - options: Node's options with Node's defaults.
    ///   - logger: where the engine logs (at debug level and below, by client).
    public init(options: EngineOptions = EngineOptions(), logger: Logger = Logger(label: "engine.io")) {
        self.options = options
        self.logger = logger
        if case .pattern(let pattern) = options.cors?.origin {
            corsPattern = CORSMatcher(pattern: pattern)
        } else {
            corsPattern = nil
        }
    }

    // MARK: Sessions

    /// Whether ``close()`` was called: a closed engine refuses every new handshake,
    /// including those that reach it through a pipeline you configured yourself.
    public var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// The number of open sessions (Node's `clientsCount`).
    public var clientsCount: Int { sessions.withLockedValue { $0.count } }

    /// The open sessions, by id (Node's `clients`).
    public var clients: [String: EngineSocket] { sessions.withLockedValue { $0 } }

    func session(_ id: String) -> EngineSocket? { sessions.withLockedValue { $0[id] } }

    func sessionClosed(_ socket: EngineSocket) {
        sessions.withLockedValue { sessions in
            if sessions[socket.id] === socket { sessions[socket.id] = nil }
        }
    }

    /// Registers and opens a new session, then tells the `connection` listeners.
    func openSession(_ socket: EngineSocket) {
        socket.eventLoop.assertInEventLoop()
        sessions.withLockedValue { $0[socket.id] = socket }
        socket.debugLog("engine session opened",
                        ["transport": "\(socket.transportName.rawValue)", "remote": "\(socket.request.remoteIP ?? "")"])
        socket.open()
        for listener in hooks.withLockedValue({ $0.connection }) { listener(socket) }
    }

    // MARK: Events

    /// Adds a listener for new sessions (Node's `connection`). It runs on the session's
    /// event loop, before any message of that session is delivered.
    public func onConnection(_ listener: @escaping @Sendable (EngineSocket) -> Void) {
        hooks.withLockedValue { $0.connection.append(listener) }
    }

    /// Adds a listener for refused requests (Node's `connection_error`).
    public func onConnectionError(_ listener: @escaping @Sendable (EngineConnectionError) -> Void) {
        hooks.withLockedValue { $0.connectionError.append(listener) }
    }

    /// Adds a hook that may change the headers of every engine response (Node's `headers`).
    public func onHeaders(_ listener: @escaping @Sendable (inout HTTPHeaders, EngineRequest) -> Void) {
        hooks.withLockedValue { $0.headers.append(listener) }
    }

    /// Adds a hook that may change the headers of handshake responses (Node's `initial_headers`).
    public func onInitialHeaders(_ listener: @escaping @Sendable (inout HTTPHeaders, EngineRequest) -> Void) {
        hooks.withLockedValue { $0.initialHeaders.append(listener) }
    }

    /// Adds a request middleware (Node's `engine.use`).
    public func use(_ middleware: @escaping EngineMiddleware) {
        hooks.withLockedValue { $0.middlewares.append(middleware) }
    }

    func reportError(_ error: EngineRequestError, request: EngineRequest) {
        logger.debug("request refused", metadata: ["code": "\(error.code.rawValue)", "uri": "\(request.uri)"])
        let event = EngineConnectionError(request: request, code: error.code, message: error.message, context: error.context)
        for listener in hooks.withLockedValue({ $0.connectionError }) { listener(event) }
    }

    /// The headers every response to `request` carries, after the `headers` (and, for a
    /// handshake, `initial_headers`) hooks ran.
    func responseHeaders(for request: EngineRequest, handshakeSid: String?) -> HTTPHeaders {
        var headers = HTTPHeaders()
        let hooks = self.hooks.withLockedValue { $0 }
        if let handshakeSid {
            if let cookie = options.cookie {
                headers.add(name: "Set-Cookie", value: cookie.headerValue(sid: handshakeSid))
            }
            for hook in hooks.initialHeaders { hook(&headers, request) }
        }
        for hook in hooks.headers { hook(&headers, request) }
        return headers
    }

    func matchesPath(_ uri: String) -> Bool {
        uri.hasPrefix(options.normalizedPath)
    }
}
