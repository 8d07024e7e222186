import NIOHTTP1

/// The engine's options, named and defaulted as Node's `engine.io` `ServerOptions`.
public struct EngineOptions: Sendable {
    /// The URL path the engine answers (Node's `path`). A bare engine uses `/engine.io/`;
    /// a Socket.IO server sets `/socket.io/`. Requests match when their URL starts with it.
    public var path: String = "/engine.io/"
    /// Whether a trailing slash is added to `path` (Node's `addTrailingSlash`).
    public var addTrailingSlash: Bool = true
    /// How often the server sends a ping.
    public var pingInterval: Duration = .milliseconds(25_000)
    /// How long the server waits for the pong before closing with `ping timeout`.
    public var pingTimeout: Duration = .milliseconds(20_000)
    /// How long an upgrade may take between the probe and the `upgrade` packet.
    public var upgradeTimeout: Duration = .milliseconds(10_000)
    /// The largest message or polling body accepted, in bytes (also `maxPayload` in the
    /// open packet).
    public var maxHttpBufferSize: Int = 1_000_000
    /// The transports clients may use, in preference order.
    public var transports: [EngineTransportKind] = [.polling, .websocket]
    /// Whether polling sessions may upgrade to WebSocket.
    public var allowUpgrades: Bool = true
    /// Decides whether a handshake may proceed (Node's `allowRequest`). Return `false`
    /// or throw to refuse: the client gets 403 with code 4 and the thrown error's
    /// description (or "Forbidden") as message.
    public var allowRequest: (@Sendable (EngineRequest) async throws -> Bool)?
    /// Cross-origin resource sharing; `nil` sends no CORS headers (Node's default).
    public var cors: CORSOptions?
    /// A cookie holding the session id, set on the handshake; `nil` sets none.
    public var cookie: CookieOptions?
    /// gzip/deflate for polling responses at or above a threshold; `nil` turns it off.
    public var httpCompression: HTTPCompressionOptions? = HTTPCompressionOptions()
    /// WebSocket permessage-deflate. Not supported: the engine declines the extension
    /// (which the RFC allows) whatever this says; it is here so Node option sets map 1:1.
    public var perMessageDeflate: Bool = false
    /// A message sent right after the open packet to every new session.
    public var initialPacket: EngineMessage?
    /// Produces session ids (Node's `generateId`); the default is 20 URL-safe characters
    /// from the system's cryptographic random source.
    public var generateId: @Sendable (EngineRequest) -> String = { _ in SessionID.random() }
    /// A connection that has not sent complete request headers this long after it
    /// opened, or after its previous response, is closed (slow-client protection).
    public var requestHeaderTimeout: Duration = .seconds(10)
    /// How long a closing polling session waits for the client to fetch its last packets.
    public var closeTimeout: Duration = .seconds(30)
    /// Where every timer of the engine (and of a Socket.IO server on it) comes from: the
    /// event loops' own clock. Tests put a ``ManualTimerSource`` here to move time themselves.
    public var timers: any TimerSource = EventLoopTimerSource()

    /// Creates options with Node's defaults.
    public init() {}

    /// `path` as it is matched: with a trailing slash when `addTrailingSlash` is set.
    var normalizedPath: String {
        var path = self.path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        if !path.hasPrefix("/") { path = "/" + path }
        return addTrailingSlash ? (path == "/" ? "/" : path + "/") : path
    }
}

/// Compression of polling responses (Node's `httpCompression`).
public struct HTTPCompressionOptions: Sendable {
    /// Responses smaller than this many bytes are sent as they are.
    public var threshold: Int
    /// Creates compression options.
    /// - Parameter threshold: the smallest body worth compressing; Node's default is 1024.
    public init(threshold: Int = 1024) { self.threshold = threshold }
}

/// The session cookie (Node's `cookie` option).
public struct CookieOptions: Sendable {
    /// The cookie's name.
    public var name: String = "io"
    /// Its `Path` attribute; `nil` leaves it out.
    public var path: String? = "/"
    /// Whether it is `HttpOnly`.
    public var httpOnly: Bool = true
    /// Its `SameSite` attribute (`Lax`, `Strict`, `None`); `nil` leaves it out.
    public var sameSite: String? = "Lax"
    /// Whether it is `Secure`.
    public var secure: Bool = false
    /// Its `Domain`; `nil` leaves it out.
    public var domain: String?
    /// Its `Max-Age` in seconds; `nil` makes it a session cookie.
    public var maxAge: Int?

    /// Creates cookie options with Node's defaults (`io`, path `/`, HttpOnly, SameSite=Lax).
    public init() {}

    /// The `Set-Cookie` value for a session id.
    func headerValue(sid: String) -> String {
        var parts = ["\(name)=\(sid)"]
        if let domain { parts.append("Domain=\(domain)") }
        if let path { parts.append("Path=\(path)") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if httpOnly { parts.append("HttpOnly") }
        if secure { parts.append("Secure") }
        if let sameSite { parts.append("SameSite=\(sameSite)") }
        return parts.joined(separator: "; ")
    }
}
