import EngineIOClient
import NIOConcurrencyHelpers

/// The Managers ``io(_:_:)`` shares, by server.
private let managerCache = NIOLockedValueBox([String: Manager]())

/// Connects to the namespace in `url`'s path (`io(url, options)` of `socket.io-client`).
///
/// Sockets of one server share a Manager (one connection) unless `forceNew` is set,
/// `multiplex` is off, or that namespace is already connected through the shared one.
/// - Parameters:
///   - url: The server and namespace, such as `http://127.0.0.1:3000/admin`.
///   - options: The options.
/// - Returns: The socket, connecting unless ``SocketIOClientOptions/autoConnect`` is off.
/// - Throws: ``EngineClientError`` when the URL is not `http(s)`/`ws(s)`.
public func io(_ url: String, _ options: SocketIOClientOptions = SocketIOClientOptions()) throws -> ClientSocket {
    let parsed = try EngineClientURL(url)
    let key = parsed.origin + options.path
    let namespace = parsed.pathname
    let manager: Manager = managerCache.withLockedValue { cache in
        let sameNamespace = cache[key]?.hasSocket(namespace) ?? false
        if options.forceNew || !options.multiplex || sameNamespace {
            return Manager(url: parsed, options: options)
        }
        if let shared = cache[key] { return shared }
        let created = Manager(url: parsed, options: options)
        cache[key] = created
        return created
    }
    let socket = manager.socket(namespace, auth: options.auth)
    if options.autoConnect { socket.connect() }
    return socket
}

/// Takes `manager` out of the Managers ``io(_:_:)`` shares (it was shut down).
func stopSharing(_ manager: Manager) {
    managerCache.withLockedValue { cache in cache = cache.filter { $0.value !== manager } }
}
