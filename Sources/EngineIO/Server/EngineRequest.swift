public import NIOCore
public import NIOHTTP1

/// An HTTP request as the engine saw it: the first request of a session (Node's
/// `socket.request`) or any request passed to middlewares and hooks.
public struct EngineRequest: Sendable {
    /// The HTTP method.
    public let method: HTTPMethod
    /// The full request target, path and query (`/engine.io/?EIO=4&transport=polling`).
    public let uri: String
    /// The request headers.
    public let headers: HTTPHeaders
    /// The peer's address, when the socket knows it.
    public let remoteAddress: SocketAddress?
    /// The local address the request arrived on.
    public let localAddress: SocketAddress?
    /// The HTTP version.
    public let version: HTTPVersion
    /// The query parameters, percent-decoded; the first value wins for repeated names.
    ///
    /// The engine's own parameters (`EIO`, `transport`, `sid`) are single-valued, so this
    /// flat form serves the engine and hooks that read one value; ``queryValues`` has every
    /// value.
    public let query: [String: String]
    /// Whether the connection is TLS (Node's `request.connection.encrypted`): the engine
    /// sets it when a TLS handler in front of it (NIOSSL's) reported its handshake.
    public let isSecure: Bool

    /// Creates a request description.
    /// - Parameter secure: whether the connection is TLS.
    public init(head: HTTPRequestHead, remoteAddress: SocketAddress?, localAddress: SocketAddress?, secure: Bool = false) {
        self.isSecure = secure
        self.method = head.method
        self.uri = head.uri
        self.headers = head.headers
        self.version = head.version
        self.remoteAddress = remoteAddress
        self.localAddress = localAddress
        self.query = QueryString.parse(head.uri)
    }

    /// Every query parameter in Node's `querystring` shape: a string for a name sent once,
    /// the values in order for a repeated one (Socket.IO's `handshake.query`).
    ///
    /// Parsed from ``uri`` on each read rather than stored: only a socket's handshake needs
    /// it, so the many polling requests of a session do not pay for a second dictionary.
    public var queryValues: [String: QueryValue] { QueryString.parseValues(uri) }

    /// The path without the query string.
    public var path: String {
        if let mark = uri.firstIndex(of: "?") { return String(uri[..<mark]) }
        return uri
    }

    /// The remote IP address as text, without the port (`"127.0.0.1"`).
    public var remoteIP: String? { remoteAddress?.ipAddress }
}
