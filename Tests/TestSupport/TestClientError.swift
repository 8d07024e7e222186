/// Why a test client call failed, as a value tests can match on instead of a message.
enum TestClientError: Error, Equatable {
    /// The bound given to the call passed before the awaited condition held.
    case timeout
    /// The server answered a WebSocket handshake with this status instead of `101 Switching Protocols`.
    case upgradeRefused(status: Int)
    /// The connection ended (or was aborted) before a complete HTTP response arrived.
    case connectionClosed
}
