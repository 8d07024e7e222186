extension SocketIOPacket {
    /// Checks the rules of `socket.io-parser`'s `isPayloadValid`, plus the ack id rules
    /// the protocol implies; the encoder and the decoder share them so that whatever one
    /// writes, the other reads.
    ///
    /// Where the reference accepts a numeric first element as an event name, this one
    /// requires a string: event names are strings everywhere in this server's API.
    package static func validate(
        type: SocketIOPacketType,
        data: JSONValue?,
        ackId: UInt64?,
        payloadOffset: Int?
    ) throws(SocketIOParserError) {
        switch type {
        case .connect:
            switch data {
            case nil, .object?:
                break
            default:
                throw SocketIOParserError(.invalidPayload, at: payloadOffset, "CONNECT payload must be an object")
            }
            try Self.forbidAckId(ackId, type)
        case .disconnect:
            guard data == nil else {
                throw SocketIOParserError(.invalidPayload, at: payloadOffset, "DISCONNECT takes no payload")
            }
            try Self.forbidAckId(ackId, type)
        case .event, .binaryEvent:
            guard case .array(let elements)? = data, let first = elements.first else {
                throw SocketIOParserError(
                    .invalidPayload,
                    at: payloadOffset,
                    "\(type) payload must be a non-empty array"
                )
            }
            guard case .string(let name) = first else {
                throw SocketIOParserError(.invalidPayload, at: payloadOffset, "event name must be a string")
            }
            guard !Self.reservedEventNames.contains(name) else {
                throw SocketIOParserError(.reservedEventName, at: payloadOffset, "\"\(name)\" is reserved")
            }
        case .ack, .binaryAck:
            guard case .array? = data else {
                throw SocketIOParserError(.invalidPayload, at: payloadOffset, "\(type) payload must be an array")
            }
            guard ackId != nil else {
                throw SocketIOParserError(.invalidAckId, at: nil, "\(type) needs an ack id")
            }
        case .connectError:
            switch data {
            case .object?, .string?:
                break
            default:
                throw SocketIOParserError(
                    .invalidPayload,
                    at: payloadOffset,
                    "CONNECT_ERROR payload must be an object or a string"
                )
            }
            try Self.forbidAckId(ackId, type)
        }
    }

    private static func forbidAckId(_ ackId: UInt64?, _ type: SocketIOPacketType) throws(SocketIOParserError) {
        guard ackId == nil else {
            throw SocketIOParserError(.invalidAckId, at: nil, "\(type) takes no ack id")
        }
    }
}
