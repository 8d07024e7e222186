public import SocketIOClient

/// How `sioconsole attach` reaches a server: its URL, admin namespace and path, the
/// credentials of its admin namespace, and what the operator allows.
public struct AttachOptions: Sendable {
    /// The server's URL (`http://host:port`, `https://…`); a path in it is ignored (use ``path``).
    public var url: String
    /// The admin namespace (`/admin` unless the server was instrumented with another).
    public var namespace = "/admin"
    /// The server's Engine.IO path.
    public var path = "/socket.io/"
    /// The admin user, for a server that asks for credentials.
    public var username: String?
    /// The admin password (from a file, the environment or a prompt: never an argument).
    public var password: String?
    /// Connect over WebSocket only (no long-polling first).
    public var websocketOnly = false
    /// The server's packet format: an instrumented server on msgpack needs admin clients on
    /// msgpack too.
    public var parser: SocketIOPacketParser = .default
    /// Refuse every acting command, whatever the server allows.
    public var readOnly = false
    /// A PEM file of certificates to trust for an `https` server, besides the system's
    /// (a private CA, or the server's own self-signed certificate).
    public var trustedCertificatesFile: String?
    /// Verify the server's certificate (off only for a test server, never in production).
    public var verifiesCertificate = true
    /// The longest wait between two reconnection attempts.
    public var reconnectionDelayMax: Duration = .seconds(5)

    /// Options to attach to `url`.
    public init(url: String) {
        self.url = url
    }
}
