/// Why a socket left its namespace: the closed list of Node's `DisconnectReason`.
public enum DisconnectReason: String, Sendable, CaseIterable {
    /// The server called `socket.disconnect()`.
    case serverNamespaceDisconnect = "server namespace disconnect"
    /// The client called `socket.disconnect()` (a DISCONNECT packet).
    case clientNamespaceDisconnect = "client namespace disconnect"
    /// The server is closing.
    case serverShuttingDown = "server shutting down"
    /// The client stopped answering pings.
    case pingTimeout = "ping timeout"
    /// The connection was closed by the client.
    case transportClose = "transport close"
    /// The connection failed.
    case transportError = "transport error"
    /// The client sent a packet that does not decode.
    case parseError = "parse error"
    /// The engine connection was closed by the server (`socket.conn.close()`).
    case forcedClose = "forced close"
    /// The server closed the whole connection (`socket.disconnect(true)` elsewhere,
    /// connect timeout, an invalid packet sequence).
    case forcedServerClose = "forced server close"

    init(engineReason: EngineCloseReason) {
        switch engineReason {
        case .transportClose: self = .transportClose
        case .transportError: self = .transportError
        case .pingTimeout: self = .pingTimeout
        case .parseError: self = .parseError
        case .forcedClose: self = .forcedClose
        case .serverShuttingDown: self = .serverShuttingDown
        }
    }
}
