public import SocketIOParser

/// The errors of the Socket.IO client: a refused connection (with the server's `message`
/// and `data`, as `connect_error` gives them), a timeout, a lost connection.
public struct SocketIOClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// The server refused the namespace (a middleware's error, an unknown namespace).
        case connectError
        /// The connection could not be opened (refused, unreachable, an HTTP error).
        case connectionFailed
        /// The connection did not open within `timeout`.
        case timeout
        /// An acknowledgement did not arrive in time.
        case ackTimeout
        /// The socket was disconnected before the acknowledgement came.
        case disconnected
        /// The event name is reserved (`connect`, `disconnect`, …).
        case reservedEvent
        /// The arguments cannot be encoded.
        case encoding
    }

    /// What went wrong.
    public let code: Code
    /// The message (the server's `message` for ``Code/connectError``).
    public let message: String
    /// The server's `data` for ``Code/connectError``.
    public let data: JSONValue?

    /// Creates an error.
    public init(_ code: Code, _ message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String { message }

    static let ackTimedOut = SocketIOClientError(.ackTimeout, "operation has timed out")
    static let socketDisconnected = SocketIOClientError(.disconnected, "socket has been disconnected")
}
