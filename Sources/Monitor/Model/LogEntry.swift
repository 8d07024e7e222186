public import SocketIO

/// One line of the packet stream: a packet, a connection or room change, or console output.
public struct LogEntry: Sendable, Identifiable {
    /// What the line is about.
    public enum Kind: String, Sendable, CaseIterable {
        /// An event packet (`onAny` in, `onAnyOutgoing` out).
        case event
        /// An acknowledgement packet.
        case ack
        /// A socket joined its namespace.
        case connect
        /// A socket left its namespace.
        case disconnect
        /// A socket joined a room.
        case join
        /// A socket left a room.
        case leave
        /// A connection moved from polling to WebSocket.
        case upgrade
        /// Output of the console: actions done, replies to console emits.
        case console
        /// A failed or refused console action, an ack timeout.
        case error
        /// Packets were dropped because they came faster than the log records them.
        case dropped
        /// A server joined or left the cluster.
        case node
    }

    /// Consecutive, increasing from 1.
    public internal(set) var id: UInt64
    /// When it happened, in nanoseconds since 1970.
    public let time: Int64
    /// What it is.
    public let kind: Kind
    /// Which way.
    public let direction: Direction
    /// The namespace, when there is one.
    public let namespace: String?
    /// The socket, when there is one.
    public let socketID: String?
    /// The event name (raw: sanitize before printing), or `nil`.
    public let event: String?
    /// The room of a join or leave (raw), or `nil`.
    public let room: String?
    /// The acknowledgement id, when known.
    public let ackID: UInt64?
    /// The size in bytes, when known.
    public let size: Int?
    /// The one-line summary: payload preview or message, already safe to print.
    public let summary: String
    /// The whole payload, kept while the log's payload budget allows.
    public internal(set) var payload: [JSONValue]?
    /// The bytes ``payload`` counts against the budget.
    let payloadBytes: Int

    /// Creates an entry; the log assigns ``id``.
    public init(time: Int64, kind: Kind, direction: Direction, namespace: String? = nil, socketID: String? = nil,
                event: String? = nil, room: String? = nil, ackID: UInt64? = nil, size: Int? = nil,
                summary: String, payload: [JSONValue]? = nil, payloadBytes: Int = 0) {
        self.id = 0
        self.time = time
        self.kind = kind
        self.direction = direction
        self.namespace = namespace
        self.socketID = socketID
        self.event = event
        self.room = room
        self.ackID = ackID
        self.size = size
        self.summary = summary
        self.payload = payload
        self.payloadBytes = payloadBytes
    }

    /// The entry as one JSON object (the headless output and `export` format), keys in a
    /// fixed order, every string escaped so the line is safe on a terminal.
    ///
    /// - Returns: A single-line JSON document.
    public func jsonLine() -> String {
        var fields: [(String, String)] = [
            ("type", PayloadFormatter.quoted(kind.rawValue)),
            ("id", String(id)),
            ("time", PayloadFormatter.quoted(WallClock.iso8601(time))),
            ("dir", PayloadFormatter.quoted(direction.rawValue)),
        ]
        if let namespace { fields.append(("nsp", PayloadFormatter.quoted(namespace))) }
        if let socketID { fields.append(("socket", PayloadFormatter.quoted(socketID))) }
        if let event { fields.append(("event", PayloadFormatter.quoted(event))) }
        if let room { fields.append(("room", PayloadFormatter.quoted(room))) }
        if let ackID { fields.append(("ack", String(ackID))) }
        if let size { fields.append(("size", String(size))) }
        fields.append(("summary", PayloadFormatter.quoted(summary)))
        if let payload {
            if kind == .connect, payload.count == 1 {
                fields.append(("handshake", PayloadFormatter.compact(payload[0], binary: .jsonObject)))
            } else {
                fields.append(("args", PayloadFormatter.compact(.array(payload), binary: .jsonObject)))
            }
        }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
