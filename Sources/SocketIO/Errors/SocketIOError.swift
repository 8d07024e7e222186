/// The errors of the Socket.IO layer: one struct over a closed set of cases, each with
/// the message Node uses where Node has one.
public struct SocketIOError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable {
        case reservedEventName(String)
        case ackTimeout
        case disconnected
        case serverClosed
    }

    private let kind: Kind

    /// `emit` was called with a name Socket.IO reserves (`connect`, `disconnect`, …).
    public static func reservedEventName(_ name: String) -> SocketIOError { SocketIOError(kind: .reservedEventName(name)) }
    /// Not every acknowledgement arrived in time.
    public static let ackTimeout = SocketIOError(kind: .ackTimeout)
    /// The socket disconnected before the acknowledgement arrived.
    public static let disconnected = SocketIOError(kind: .disconnected)
    /// The server was closed: `listen` and `attach` refuse to start it again (a closed
    /// engine also refuses every handshake).
    public static let serverClosed = SocketIOError(kind: .serverClosed)

    public var description: String {
        switch kind {
        case .reservedEventName(let name): "\"\(name)\" is a reserved event name"
        case .ackTimeout: "operation has timed out"
        case .disconnected: "socket has been disconnected"
        case .serverClosed: "the server is closed"
        }
    }
}

/// Thrown by a namespace middleware to refuse a connection: the client gets a
/// `connect_error` with this message and data (Node's `next(err)` with `err.data`).
public struct ConnectError: Error, Sendable, CustomStringConvertible {
    /// The message the client sees.
    public let message: String
    /// Extra details for the client.
    public let data: JSONValue?

    /// Creates a refusal.
    /// - Parameters:
    ///   - message: what the client sees as the error's message.
    ///   - data: extra details, sent as the error's `data`.
    public init(_ message: String, data: JSONValue? = nil) {
        self.message = message
        self.data = data
    }

    public var description: String { message }
}

/// Acknowledgements gathered from a broadcast when not all arrived in time: what did
/// arrive is kept (Node passes it along with the error).
public struct BroadcastAckTimeout: Error, Sendable, CustomStringConvertible {
    /// The replies that did arrive, one argument list per client.
    public let responses: [JSONValue]
    /// How many clients were expected to answer.
    public let expected: Int

    public var description: String { "operation has timed out (\(responses.count) of \(expected) responses)" }
}
