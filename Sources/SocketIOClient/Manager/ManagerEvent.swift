import EngineIOClient
public import EngineIOParser

/// What a ``Manager`` reports (`socket.io-client`'s Manager events).
public enum ManagerEvent: Sendable {
    /// The connection opened (`open`).
    case open
    /// The connection closed (`close`), with the engine's reason.
    case close(reason: String, error: SocketIOClientError?)
    /// The connection could not be opened (`error`).
    case error(SocketIOClientError)
    /// The server pinged (`ping`).
    case ping
    /// The connection moved to another transport (the engine's `upgrade`).
    case upgrade(EngineTransportKind)
    /// A reconnection attempt starts (`reconnect_attempt`), numbered from 1.
    case reconnectAttempt(Int)
    /// A reconnection attempt failed (`reconnect_error`).
    case reconnectError(SocketIOClientError)
    /// Reconnected after this many attempts (`reconnect`).
    case reconnect(Int)
    /// Gave up after `reconnectionAttempts` (`reconnect_failed`).
    case reconnectFailed

    /// The event's name in `socket.io-client`.
    public var name: String {
        switch self {
        case .open: "open"
        case .close: "close"
        case .error: "error"
        case .ping: "ping"
        case .upgrade: "upgrade"
        case .reconnectAttempt: "reconnect_attempt"
        case .reconnectError: "reconnect_error"
        case .reconnect: "reconnect"
        case .reconnectFailed: "reconnect_failed"
        }
    }
}
