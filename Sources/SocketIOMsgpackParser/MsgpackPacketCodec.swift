import MessagePack
import NIOCore
import SocketIOParser

/// The packet codec of `socket.io-msgpack-parser`: one MessagePack map per packet.
///
/// The encoder writes the keys `type`, `nsp`, then `data` and `id` when present. The decoder
/// reads the keys in any order and checks what Node's `checkPacket` checks (an integer `type`
/// from 0 to 4, a string `nsp`, a payload that fits the type, an integer `id`), then this
/// server's own packet rules, the same as for the text format: event names are strings and
/// not reserved, acks carry an id of at most 15 digits, other types carry none.
///
/// A MessagePack `nil` for `data` or `id` counts as absent: python-socketio's serializer
/// always writes `data`, as `nil` when a packet has none. notepack.io's extension type 0
/// (`undefined`, `Date`, a browser's `ArrayBuffer`) is read, as Node's decoder reads it.
struct MsgpackPacketCodec: SocketIOBinaryPacketCodec {
    /// The keys of the packet map.
    private enum Key {
        static let type = "type"
        static let namespace = "nsp"
        static let data = "data"
        static let id = "id"
    }

    func encode(_ packet: SocketIOPacket) throws(SocketIOParserError) -> ByteBuffer {
        let type = Self.wireType(packet.type)
        guard packet.namespace.utf8.first == UInt8(ascii: "/") else {
            throw SocketIOParserError(.invalidNamespace, at: nil, "a namespace starts with \"/\"")
        }
        if let ackId = packet.ackId, ackId > SocketIOPacket.maxAckId {
            throw SocketIOParserError(.invalidAckId, at: nil, "ack id \(ackId) has more than 15 digits")
        }
        try SocketIOPacket.validate(type: type, data: packet.data, ackId: packet.ackId, payloadOffset: nil)

        var map = JSONObject(minimumCapacity: 4)
        map[Key.type] = .int(Int64(type.rawValue))
        map[Key.namespace] = .string(packet.namespace)
        if let data = packet.data {
            map[Key.data] = data
        }
        if let ackId = packet.ackId {
            map[Key.id] = .int(Int64(ackId))
        }
        do {
            // The map is one level above the payload, whose own depth the encoder bounds.
            return try MessagePackEncoder(maxDepth: MessagePackEncoder.defaultMaxDepth + 1).encode(.object(map))
        } catch {
            throw SocketIOParserError(.invalidPayload, at: nil, "\(error)")
        }
    }

    func decode(_ message: ByteBuffer, maxDepth: Int) throws(SocketIOParserError) -> SocketIOPacket {
        let value: JSONValue
        do {
            value = try MessagePackDecoder(maxDepth: maxDepth + 1, readsNotepackExtensions: true).decode(message)
        } catch {
            throw SocketIOParserError(.invalidMessagePack, at: error.offset, "\(error.code): \(error.detail)")
        }
        guard case .object(let map) = value else {
            throw SocketIOParserError(.unknownPacketType, at: 0, "a packet is a map")
        }
        guard let rawType = map[Key.type]?.intValue, (0...4).contains(rawType),
              let type = SocketIOPacketType(rawValue: UInt8(rawType))
        else {
            throw SocketIOParserError(.unknownPacketType, at: nil, "type \(map[Key.type]?.description ?? "missing")")
        }
        guard case .string(let namespace)? = map[Key.namespace] else {
            throw SocketIOParserError(.invalidNamespace, at: nil, "nsp \(map[Key.namespace]?.description ?? "missing")")
        }
        let data = Self.present(map[Key.data])
        var ackId: UInt64?
        if let id = Self.present(map[Key.id]) {
            guard let number = id.intValue, number >= 0, UInt64(number) <= SocketIOPacket.maxAckId else {
                throw SocketIOParserError(.invalidAckId, at: nil, "id \(id)")
            }
            ackId = UInt64(number)
        }
        try SocketIOPacket.validate(type: type, data: data, ackId: ackId, payloadOffset: nil)
        return SocketIOPacket(type: type, namespace: namespace, data: data, ackId: ackId)
    }

    /// The type as written: binary values ride inside the map, so binary types go out plain.
    private static func wireType(_ type: SocketIOPacketType) -> SocketIOPacketType {
        switch type {
        case .binaryEvent: .event
        case .binaryAck: .ack
        case .connect, .disconnect, .event, .ack, .connectError: type
        }
    }

    /// `nil` for a missing key or a MessagePack `nil`.
    private static func present(_ value: JSONValue?) -> JSONValue? {
        if case .null? = value { return nil }
        return value
    }
}
