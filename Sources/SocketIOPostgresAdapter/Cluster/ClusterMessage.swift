import Foundation
public import SocketIO

/// One message between the servers of a cluster, in the shape Node's
/// `ClusterAdapter` sends: `{"uid": …, "nsp": …, "type": N, "data": {…}}`.
public struct ClusterMessage: Sendable, Hashable {
    /// The sending server's id (16 hex characters; `"emitter"` for Node's emitter).
    public var uid: String
    /// The namespace.
    public var nsp: String
    /// The message type.
    public var type: ClusterMessageType
    /// The type's payload, `nil` for heartbeats and closes.
    public var data: JSONObject?

    /// Creates a message.
    public init(uid: String, nsp: String, type: ClusterMessageType, data: JSONObject? = nil) {
        self.uid = uid
        self.nsp = nsp
        self.type = type
        self.data = data
    }

    /// The message as a JSON object, keys in Node's order.
    public var json: JSONValue {
        var object: JSONObject = ["uid": .string(uid), "nsp": .string(nsp), "type": .int(Int64(type.rawValue))]
        if let data { object["data"] = .object(data) }
        return .object(object)
    }

    /// Reads a message; `nil` when it is not one (wrong types, unknown message type).
    public init?(json: JSONValue) {
        guard let object = json.objectValue,
              let uid = object["uid"]?.stringValue,
              let rawType = object["type"]?.intValue,
              let type = ClusterMessageType(rawValue: Int(rawType))
        else { return nil }
        self.uid = uid
        // Attachment headers and some responses omit `nsp`; the channel tells it then.
        self.nsp = object["nsp"]?.stringValue ?? ""
        self.type = type
        self.data = object["data"]?.objectValue
    }

    /// The request this message belongs to, for requests with acknowledgement and responses.
    public var requestID: String? { data?["requestId"]?.stringValue }

    /// A random 16-hex-character id, as Node's `randomId()` (8 random bytes).
    public static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<8).map { _ in String(format: "%02x", generator.next() as UInt8) }.joined()
    }
}

// MARK: Payload shapes

extension ClusterMessage {
    /// Node's `encodeOptions`: `{rooms: [...], except: [...], flags: {...}}`.
    static func encode(_ options: BroadcastOptions) -> JSONValue {
        var flags = JSONObject()
        if options.flags.volatile { flags["volatile"] = true }
        if !options.flags.compress { flags["compress"] = false }
        if options.flags.local { flags["local"] = true }
        if options.flags.broadcast { flags["broadcast"] = true }
        if let timeout = options.flags.timeout {
            flags["timeout"] = .int(Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        }
        return .object([
            "rooms": .array(options.rooms.sorted().map(JSONValue.string)),
            "except": .array(options.except.sorted().map(JSONValue.string)),
            "flags": .object(flags),
        ])
    }

    /// Node's `decodeOptions`.
    static func decodeOptions(_ value: JSONValue?) -> BroadcastOptions {
        var options = BroadcastOptions()
        options.rooms = Set(value?["rooms"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        options.except = Set(value?["except"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let flags = value?["flags"]
        options.flags.volatile = flags?["volatile"]?.boolValue ?? false
        options.flags.compress = flags?["compress"]?.boolValue ?? true
        options.flags.local = flags?["local"]?.boolValue ?? false
        options.flags.broadcast = flags?["broadcast"]?.boolValue ?? false
        if let timeout = flags?["timeout"]?.doubleValue { options.flags.timeout = .milliseconds(Int64(timeout)) }
        return options
    }

    /// A Socket.IO packet as Node's adapter passes it: `{type, data, nsp[, id]}`.
    static func encode(_ packet: SocketIOPacket) -> JSONValue {
        var object: JSONObject = ["type": .int(Int64(packet.type.rawValue))]
        if let data = packet.data { object["data"] = data }
        object["nsp"] = .string(packet.namespace)
        if let id = packet.ackId { object["id"] = .int(Int64(id)) }
        return .object(object)
    }

    static func decodePacket(_ value: JSONValue?, namespace: String) -> SocketIOPacket? {
        guard let value, let rawType = value["type"]?.intValue,
              let type = SocketIOPacketType(rawValue: UInt8(clamping: rawType))
        else { return nil }
        // Binary packets travel as their plain type: the encoder picks the wire type again.
        let plain: SocketIOPacketType = switch type {
        case .binaryEvent: .event
        case .binaryAck: .ack
        default: type
        }
        return SocketIOPacket(type: plain, namespace: value["nsp"]?.stringValue ?? namespace, data: value["data"])
    }

    /// A socket as FETCH_SOCKETS_RESPONSE carries it: `{id, handshake, rooms, data}`.
    static func encode(_ socket: RemoteSocket) -> JSONValue {
        .object([
            "id": .string(socket.id),
            "handshake": socket.handshake.json,
            "rooms": .array(socket.rooms.sorted().map(JSONValue.string)),
            "data": socket.data,
        ])
    }

    static func decodeSocket(_ value: JSONValue, namespace: Namespace) -> RemoteSocket? {
        guard let id = value["id"]?.stringValue else { return nil }
        return RemoteSocket(
            id: id,
            handshake: Handshake(json: value["handshake"] ?? .null),
            rooms: Set(value["rooms"]?.arrayValue?.compactMap(\.stringValue) ?? []),
            data: value["data"] ?? .null,
            namespace: namespace
        )
    }
}
