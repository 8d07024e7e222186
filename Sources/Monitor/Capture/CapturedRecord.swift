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
package enum CapturedPacket: Sendable {
    /// An event, from `onAny` (in) or `onAnyOutgoing` (out).
    case event(EventRecord)
    /// An acknowledgement packet as the engine carried it, still encoded.
    case ack(RawAckRecord)
}

package struct EventRecord: Sendable {
    package var time: Int64
    package var direction: Direction
    package var namespace: String
    package var socketID: String
    package var event: String
    package var arguments: [JSONValue]
    /// The ack id the client asked for (inbound only, when the engine hook saw it).
    package var ackID: UInt64?
    /// Bytes on the wire (inbound); 0 when unknown and estimated later.
    package var size: Int

    package init(time: Int64, direction: Direction, namespace: String, socketID: String, event: String,
                 arguments: [JSONValue], ackID: UInt64? = nil, size: Int = 0) {
        self.time = time
        self.direction = direction
        self.namespace = namespace
        self.socketID = socketID
        self.event = event
        self.arguments = arguments
        self.ackID = ackID
        self.size = size
    }
}

package struct RawAckRecord: Sendable {
    var time: Int64
    var direction: Direction
    var engineID: String
    /// The engine packet's data (`3/nsp,12[...]`), a slice of what went over the wire.
    var text: ByteBuffer
    var size: Int
}

/// What changes the tables: rarer than packets, never dropped, kept in order.
package enum StructuralRecord: Sendable {
    case namespaceCreated(String)
    case engineOpened(id: String, transport: String, address: String)
    case engineUpgraded(id: String, transport: String)
    case engineClosed(id: String, reason: String, description: String?)
    case socketConnected(SocketInfo)
    case socketDisconnected(namespace: String, id: String, reason: String, description: String?)
    /// A remote feed's news of a socket: its transport after an upgrade, or its new `data`.
    case socketUpdated(namespace: String, id: String, transport: String?, data: JSONValue?)
    case joined(namespace: String, room: String, socketID: String)
    case left(namespace: String, room: String, socketID: String)
    case note(ConsoleNote)
}

/// What is known of a socket when it connects.
package struct SocketInfo: Sendable {
    package var id: String
    package var namespace: String
    package var engineID: String
    package var transport: String
    package var upgraded: Bool
    package var handshake: Handshake
    package var rooms: Set<String>
    package var recovered: Bool
    var tap: SocketTap?
    /// The socket's `data` as a remote feed last described it (a hooked socket is read live).
    package var data: JSONValue?

    init(id: String, namespace: String, engineID: String, transport: String, upgraded: Bool, handshake: Handshake,
         rooms: Set<String>, recovered: Bool, tap: SocketTap?) {
        self.id = id
        self.namespace = namespace
        self.engineID = engineID
        self.transport = transport
        self.upgraded = upgraded
        self.handshake = handshake
        self.rooms = rooms
        self.recovered = recovered
        self.tap = tap
    }

    /// A socket described by a remote feed (no live socket to read counters from).
    package init(id: String, namespace: String, engineID: String, transport: String, handshake: Handshake,
                 rooms: Set<String>, data: JSONValue?) {
        self.init(id: id, namespace: namespace, engineID: engineID, transport: transport, upgraded: transport == "websocket",
                  handshake: handshake, rooms: rooms, recovered: false, tap: nil)
        self.data = data
    }
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
