public import NIOCore

/// Encodes packets into their wire form, `<type>[<attachments>-][<namespace>,][<ackId>][JSON]`.
///
/// Stateless and `Sendable`: one encoder serves every connection. Encoding walks the
/// payload twice: once to size the text and count binary values (which decide the
/// packet type and header), once to write it, into a single buffer allocated at its
/// final size.
///
/// Mirrors `Encoder` of `socket.io-parser`.
public struct SocketIOPacketEncoder: Sendable {
    /// The allocator for the text buffers.
    public var allocator: ByteBufferAllocator

    /// Creates an encoder.
    ///
    /// - Parameter allocator: The allocator for the text buffers.
    public init(allocator: ByteBufferAllocator = ByteBufferAllocator()) {
        self.allocator = allocator
    }

    /// Encodes `packet`.
    ///
    /// Binary values anywhere in the payload are replaced, depth first, by
    /// `{"_placeholder":true,"num":N}` and returned as attachments; an `EVENT` or `ACK`
    /// with attachments goes out as `BINARY_EVENT` or `BINARY_ACK`, and a binary type
    /// without any goes out as the plain one.
    ///
    /// - Parameter packet: The packet to encode; its ``SocketIOPacket/attachmentCount`` is ignored.
    /// - Returns: The text message and its attachments.
    /// - Throws: ``SocketIOParserError`` when the namespace does not start with `/` or holds a
    ///   `,`, the ack id is over 15 digits, the payload does not fit the type, or binary
    ///   values appear in a type that cannot carry them.
    public func encode(_ packet: SocketIOPacket) throws(SocketIOParserError) -> SocketIOEncodedPacket {
        try encode(packet, leadingByte: nil)
    }

    /// Encodes `packet` with `leadingByte` written before it in the same buffer: the
    /// server passes Engine.IO's `4` so the text is a ready engine packet, with no copy.
    package func encode(_ packet: SocketIOPacket, leadingByte: UInt8?) throws(SocketIOParserError) -> SocketIOEncodedPacket {
        let isMainNamespace = packet.namespace == SocketIOPacket.mainNamespace
        if !isMainNamespace {
            try Self.validateNamespace(packet.namespace)
        }
        if let ackId = packet.ackId, ackId > SocketIOPacket.maxAckId {
            throw SocketIOParserError(.invalidAckId, at: nil, "ack id \(ackId) has more than 15 digits")
        }
        try SocketIOPacket.validate(type: packet.type, data: packet.data, ackId: packet.ackId, payloadOffset: nil)

        let canCarryBinary = packet.type.isEvent || packet.type.isAck
        var writer = JSONWriter(binaryPolicy: canCarryBinary ? .placeholders : .reject)
        var payloadBound = 0
        if let data = packet.data {
            do {
                payloadBound = try writer.measure(data)
            } catch {
                throw SocketIOParserError(.binaryNotAllowed, at: nil, "\(packet.type) cannot carry binary data")
            }
        }
        let attachmentCount = writer.measuredBinaryCount
        if attachmentCount > 0 {
            writer.reserveAttachmentCapacity()
        }

        let type: SocketIOPacketType
        switch packet.type {
        case .event, .binaryEvent:
            type = attachmentCount == 0 ? .event : .binaryEvent
        case .ack, .binaryAck:
            type = attachmentCount == 0 ? .ack : .binaryAck
        case .connect, .disconnect, .connectError:
            type = packet.type
        }

        var headerLength = leadingByte == nil ? 1 : 2
        if type.isBinary {
            headerLength += JSONWriter.decimalLength(UInt64(attachmentCount)) + 1
        }
        if !isMainNamespace {
            headerLength += packet.namespace.utf8.count + 1
        }
        if let ackId = packet.ackId {
            headerLength += JSONWriter.decimalLength(ackId)
        }

        // One allocation, sized from the measuring pass, written through one pointer.
        var buffer = self.allocator.buffer(capacity: headerLength + payloadBound)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: headerLength + payloadBound) { out in
            var cursor = out.baseAddress!
            if let leadingByte { JSONWriter.put(leadingByte, at: &cursor) }
            JSONWriter.put(UInt8(ascii: "0") + type.rawValue, at: &cursor)
            if type.isBinary {
                JSONWriter.putDecimal(UInt64(attachmentCount), negative: false, at: &cursor)
                JSONWriter.put(UInt8(ascii: "-"), at: &cursor)
            }
            if !isMainNamespace {
                var namespace = packet.namespace
                namespace.withUTF8 { utf8 in
                    cursor.copyMemory(from: utf8.baseAddress!, byteCount: utf8.count)
                    cursor += utf8.count
                }
                JSONWriter.put(UInt8(ascii: ","), at: &cursor)
            }
            if let ackId = packet.ackId {
                JSONWriter.putDecimal(ackId, negative: false, at: &cursor)
            }
            let written = cursor - out.baseAddress!
            if let data = packet.data {
                return written + writer.emit(data, into: UnsafeMutableRawBufferPointer(rebasing: out[written...]))
            }
            return written
        }
        return SocketIOEncodedPacket(text: buffer, attachments: writer.attachments)
    }

    /// Encodes `packet` into its text message alone, for packets known to hold no binary values.
    ///
    /// - Parameter packet: The packet to encode.
    /// - Returns: The text message.
    /// - Throws: ``SocketIOParserError`` as ``encode(_:)`` does, and with code
    ///   ``SocketIOParserError/Code/binaryNotAllowed`` when the payload holds binary values.
    public func encodeText(_ packet: SocketIOPacket) throws(SocketIOParserError) -> ByteBuffer {
        let encoded = try self.encode(packet)
        guard encoded.attachments.isEmpty else {
            throw SocketIOParserError(.binaryNotAllowed, at: nil, "the packet has binary attachments")
        }
        return encoded.text
    }

    private static func validateNamespace(_ namespace: String) throws(SocketIOParserError) {
        guard namespace.utf8.first == UInt8(ascii: "/") else {
            throw SocketIOParserError(.invalidNamespace, at: nil, "a namespace starts with \"/\"")
        }
        guard !namespace.utf8.contains(UInt8(ascii: ",")) else {
            throw SocketIOParserError(.invalidNamespace, at: nil, "a namespace cannot contain \",\"")
        }
    }
}
