/// One Socket.IO packet: a type, a namespace, an optional payload and an optional ack id.
///
/// Binary attachments live inside ``data`` as ``JSONValue/binary(_:)`` values; the
/// encoder and decoder move them to and from separate binary messages.
///
/// Mirrors the `Packet` interface of `socket.io-parser`.
public struct SocketIOPacket: Sendable, Hashable {
    /// The packet type.
    ///
    /// The encoder picks ``SocketIOPacketType/binaryEvent`` or ``SocketIOPacketType/event``
    /// (and likewise for acks) from whether ``data`` holds binary values, so either may be
    /// given. Decoded packets keep the type they had on the wire.
    public var type: SocketIOPacketType
    /// The namespace, `/` for the main one.
    public var namespace: String
    /// The payload, `nil` when the packet has none.
    public var data: JSONValue?
    /// The acknowledgement id, at most 15 decimal digits.
    public var ackId: UInt64?
    /// The number of binary attachments that followed the packet on the wire.
    ///
    /// Set by the decoder for binary packets and ignored by the encoder, which counts
    /// the binary values in ``data``.
    public var attachmentCount: Int

    /// The main namespace, which the wire format leaves implicit.
    public static let mainNamespace = "/"

    /// The largest ack id the protocol carries: 15 digits, which JavaScript numbers hold exactly.
    public static let maxAckId: UInt64 = 999_999_999_999_999

    /// Event names that `socket.io-parser` refuses in incoming and outgoing events.
    public static let reservedEventNames: Set<String> = [
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    ]

    /// Creates a packet.
    ///
    /// - Parameters:
    ///   - type: The packet type.
    ///   - namespace: The namespace, `/` by default.
    ///   - data: The payload, if any.
    ///   - ackId: The acknowledgement id, if any.
    ///   - attachmentCount: The number of binary attachments; only decoders need to set it.
    public init(
        type: SocketIOPacketType,
        namespace: String = SocketIOPacket.mainNamespace,
        data: JSONValue? = nil,
        ackId: UInt64? = nil,
        attachmentCount: Int = 0
    ) {
        self.type = type
        self.namespace = namespace
        self.data = data
        self.ackId = ackId
        self.attachmentCount = attachmentCount
    }
}

extension SocketIOPacket {
    /// A `CONNECT` packet: a client's request (with its `auth` object) or the server's
    /// answer (with `{"sid": …}`).
    ///
    /// - Parameters:
    ///   - namespace: The namespace to join.
    ///   - data: The payload object, if any.
    /// - Returns: The packet.
    public static func connect(namespace: String = mainNamespace, data: JSONObject? = nil) -> SocketIOPacket {
        SocketIOPacket(type: .connect, namespace: namespace, data: data.map { .object($0) })
    }

    /// A `DISCONNECT` packet.
    ///
    /// - Parameter namespace: The namespace to leave.
    /// - Returns: The packet.
    public static func disconnect(namespace: String = mainNamespace) -> SocketIOPacket {
        SocketIOPacket(type: .disconnect, namespace: namespace)
    }

    /// An `EVENT` packet, which the encoder turns into `BINARY_EVENT` when arguments hold binary values.
    ///
    /// - Parameters:
    ///   - name: The event name.
    ///   - arguments: The event arguments.
    ///   - namespace: The namespace.
    ///   - ackId: The id the receiver acknowledges with, if a reply is wanted.
    /// - Returns: The packet.
    public static func event(
        _ name: String,
        _ arguments: [JSONValue] = [],
        namespace: String = mainNamespace,
        ackId: UInt64? = nil
    ) -> SocketIOPacket {
        var payload: [JSONValue] = []
        payload.reserveCapacity(arguments.count + 1)
        payload.append(.string(name))
        payload.append(contentsOf: arguments)
        return SocketIOPacket(type: .event, namespace: namespace, data: .array(payload), ackId: ackId)
    }

    /// An `ACK` packet, which the encoder turns into `BINARY_ACK` when arguments hold binary values.
    ///
    /// - Parameters:
    ///   - arguments: The reply arguments.
    ///   - ackId: The id of the event being acknowledged.
    ///   - namespace: The namespace.
    /// - Returns: The packet.
    public static func ack(
        _ arguments: [JSONValue],
        ackId: UInt64,
        namespace: String = mainNamespace
    ) -> SocketIOPacket {
        SocketIOPacket(type: .ack, namespace: namespace, data: .array(arguments), ackId: ackId)
    }

    /// A `CONNECT_ERROR` packet with the payload Node sends: `{"message": …, "data": …}`.
    ///
    /// - Parameters:
    ///   - message: The error message.
    ///   - data: Extra details, if any (the `data` of Node's error).
    ///   - namespace: The namespace that refused the connection.
    /// - Returns: The packet.
    public static func connectError(
        message: String,
        data: JSONValue? = nil,
        namespace: String = mainNamespace
    ) -> SocketIOPacket {
        var payload: JSONObject = ["message": .string(message)]
        if let data {
            payload["data"] = data
        }
        return SocketIOPacket(type: .connectError, namespace: namespace, data: .object(payload))
    }

    /// The event name of an event packet, `nil` for other types.
    public var eventName: String? {
        guard self.type.isEvent, case .array(let elements)? = self.data else { return nil }
        return elements.first?.stringValue
    }

    /// The event arguments (after the name) of an event packet, or the arguments of an
    /// ack packet; empty for other types.
    public var arguments: ArraySlice<JSONValue> {
        guard case .array(let elements)? = self.data else { return [] }
        if self.type.isEvent {
            return elements.dropFirst()
        }
        if self.type.isAck {
            return elements[...]
        }
        return []
    }
}
