/// Why a client socket was disconnected, with `socket.io-client`'s strings.
public enum ClientDisconnectReason: String, Sendable, CaseIterable {
    /// The server disconnected the socket (`socket.disconnect()` on the server).
    case ioServerDisconnect = "io server disconnect"
    /// The client called ``ClientSocket/disconnect()``.
    case ioClientDisconnect = "io client disconnect"
    /// The server stopped pinging.
    case pingTimeout = "ping timeout"
    /// The connection was closed (the server went away, or closed it).
    case transportClose = "transport close"
    /// The connection failed.
    case transportError = "transport error"
    /// The server sent something that does not decode.
    case parseError = "parse error"
    /// The Manager was closed (``Manager/disconnect()``).
    case forcedClose = "forced close"

    /// Whether the Manager reconnects by itself after this reason (the server's and the
    /// client's own disconnections are final, as in `socket.active`).
    public var willReconnect: Bool {
        switch self {
        case .ioServerDisconnect, .ioClientDisconnect, .forcedClose: false
        case .pingTimeout, .transportClose, .transportError, .parseError: true
        }
    }
}
