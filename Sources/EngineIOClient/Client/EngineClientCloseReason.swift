/// Why an Engine.IO client connection closed, with `engine.io-client`'s strings.
public enum EngineClientCloseReason: String, Sendable, CaseIterable {
    /// The server closed the connection (a close packet, or the TCP connection ended).
    case transportClose = "transport close"
    /// A transport failed (refused, reset, an HTTP error).
    case transportError = "transport error"
    /// The server stopped sending pings for `pingInterval + pingTimeout`.
    case pingTimeout = "ping timeout"
    /// The client closed the connection itself.
    case forcedClose = "forced close"
    /// The server sent something that does not decode.
    case parseError = "parse error"
}
