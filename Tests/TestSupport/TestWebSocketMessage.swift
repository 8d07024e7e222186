/// What ``TestWebSocket/receive(timeout:)`` hands a test: one complete message, or the end.
enum TestWebSocketMessage: Sendable, Equatable {
    /// A text message, reassembled if the server fragmented it.
    case text(String)
    /// A binary message, reassembled if the server fragmented it.
    case binary([UInt8])
    /// The connection is over: `code` is the server's close code, or nil when the server sent a
    /// close frame without one or the TCP connection ended without any close frame.
    case closed(code: UInt16?)
}
