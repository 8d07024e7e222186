public import SocketIO
import NIOCore

/// Which way a packet went, or `system` for what is not a packet (connections, rooms,
/// operator output).
public enum Direction: String, Sendable, CaseIterable {
    /// From a client to the server.
    case inbound = "in"
    /// From the server to a client.
    case outbound = "out"
    /// Not a packet: connect, disconnect, join, leave, upgrade, console output.
    case system = "sys"
}

/// A packet as a hook saw it on a server thread: small, immutable, nothing computed.
///
/// Payloads keep the argument array the server already built (a reference, not a copy);
/// previews and sizes are worked out later on the console's thread.
enum CapturedPacket: Sendable {
    /// An event, from `onAny` (in) or `onAnyOutgoing` (out).
    case event(EventRecord)
    /// An acknowledgement packet as the engine carried it, still encoded.
    case ack(RawAckRecord)
}

struct EventRecord: Sendable {
    var time: Int64
    var direction: Direction
    var namespace: String
    var socketID: String
    var event: String
    var arguments: [JSONValue]
    /// The ack id the client asked for (inbound only, when the engine hook saw it).
    var ackID: UInt64?
    /// Bytes on the wire (inbound); 0 when unknown and estimated later.
    var size: Int
}

struct RawAckRecord: Sendable {
    var time: Int64
    var direction: Direction
    var engineID: String
    /// The engine packet's data (`3/nsp,12[...]`), a slice of what went over the wire.
    var text: ByteBuffer
    var size: Int
}

/// What changes the tables: rarer than packets, never dropped, kept in order.
enum StructuralRecord: Sendable {
    case namespaceCreated(String)
    case engineOpened(id: String, transport: String, address: String)
    case engineUpgraded(id: String, transport: String)
    case engineClosed(id: String, reason: String, description: String?)
    case socketConnected(SocketInfo)
    case socketDisconnected(namespace: String, id: String, reason: String, description: String?)
    case joined(namespace: String, room: String, socketID: String)
    case left(namespace: String, room: String, socketID: String)
    case note(ConsoleNote)
}

/// What is known of a socket when it connects.
struct SocketInfo: Sendable {
    var id: String
    var namespace: String
    var engineID: String
    var transport: String
    var upgraded: Bool
    var handshake: Handshake
    var rooms: Set<String>
    var recovered: Bool
    var tap: SocketTap?
}

/// Output of the console itself: results of operator actions, replies to its emits.
public struct ConsoleNote: Sendable, Equatable {
    /// What kind of output.
    public enum Kind: String, Sendable {
        /// A plain message (an action done, an emit sent).
        case info
        /// A failed or refused action, a timeout.
        case error
        /// A client's reply to an emit made from the console.
        case reply
    }

    /// The kind.
    public var kind: Kind
    /// The text (already safe to print).
    public var message: String
    /// The namespace concerned, if any.
    public var namespace: String?
    /// The socket concerned, if any.
    public var socketID: String?
    /// The number of the console emit this belongs to, if any.
    public var emitID: Int?
    /// The event name concerned, if any.
    public var event: String?
    /// The reply's arguments, for ``Kind/reply``.
    public var arguments: [JSONValue]?

    /// Creates a note.
    public init(kind: Kind, message: String, namespace: String? = nil, socketID: String? = nil,
                emitID: Int? = nil, event: String? = nil, arguments: [JSONValue]? = nil) {
        self.kind = kind
        self.message = message
        self.namespace = namespace
        self.socketID = socketID
        self.emitID = emitID
        self.event = event
        self.arguments = arguments
    }
}

struct Stamped<Record: Sendable>: Sendable {
    var time: Int64
    var record: Record
}
