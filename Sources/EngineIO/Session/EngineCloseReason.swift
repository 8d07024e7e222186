/// Why a session closed, with Node's wording as raw value.
public enum EngineCloseReason: String, Sendable, CaseIterable {
    /// The client closed the connection or sent a `close` packet.
    case transportClose = "transport close"
    /// The connection failed (reset, overlapping polls, an aborted poll, an oversized frame…).
    case transportError = "transport error"
    /// No pong arrived within `pingTimeout` of a ping.
    case pingTimeout = "ping timeout"
    /// The client sent something that does not decode.
    case parseError = "parse error"
    /// The server called `close()` on the session.
    case forcedClose = "forced close"
    /// The server is closing.
    case serverShuttingDown = "server shutting down"
}

/// Whether a session is usable, as Node's `readyState`.
public enum EngineReadyState: String, Sendable {
    /// Packets are exchanged.
    case open
    /// Closing: what is queued may still be fetched.
    case closing
    /// Over; nothing more is sent or received.
    case closed
}
