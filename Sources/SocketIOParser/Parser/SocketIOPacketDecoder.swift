public import NIOCore

/// Decodes the Engine.IO messages of one connection into Socket.IO packets.
///
/// A text `BINARY_EVENT` or `BINARY_ACK` announces N attachments; the decoder then
/// waits for exactly N binary messages and returns the packet with its placeholders
/// replaced by ``JSONValue/binary(_:)`` values. Every other text message yields a
/// packet at once.
///
/// Message sizes are the caller's to bound (the engine's `maxHttpBufferSize`); the
/// decoder bounds what a message can make it do: the attachment count, the payload's
/// nesting depth, and the ack id's length.
///
/// After any thrown error the decoder is back in its initial state, but the stream is
/// no longer trustworthy: the caller should close the connection (reason `parse error`).
///
/// Mirrors `Decoder` of `socket.io-parser`, more strictly; see ``receive(text:)``.
public struct SocketIOPacketDecoder: Sendable {
    /// The attachment limit used unless told otherwise, Node's `maxAttachments` default.
    public static let defaultMaxAttachments = 10

    /// The most binary attachments one packet may announce.
    public let maxAttachments: Int
    /// The deepest nesting of arrays and objects accepted in a payload.
    public let maxDepth: Int

    private enum State: Sendable {
        case idle
        case awaitingAttachments(SocketIOPacket, received: [ByteBuffer])
        /// Held briefly while the buffered packet is taken out, so it stays uniquely referenced.
        case modifying
    }

    private var state: State = .idle

    /// Creates a decoder for one connection.
    ///
    /// - Parameters:
    ///   - maxAttachments: The most binary attachments one packet may announce.
    ///   - maxDepth: The deepest nesting of arrays and objects accepted in a payload.
    public init(
        maxAttachments: Int = SocketIOPacketDecoder.defaultMaxAttachments,
        maxDepth: Int = JSONValue.defaultMaxDepth
    ) {
        precondition(maxAttachments >= 0, "maxAttachments must not be negative")
        precondition(maxDepth >= 1, "maxDepth must be at least 1")
        self.maxAttachments = maxAttachments
        self.maxDepth = maxDepth
    }

    /// Whether a binary packet is waiting for more attachments.
    public var isAwaitingAttachments: Bool {
        switch self.state {
        case .awaitingAttachments: true
        case .idle, .modifying: false
        }
    }

    /// Drops any partly received binary packet.
    public mutating func reset() {
        self.state = .idle
    }

    /// Feeds one text message.
    ///
    /// The format is `<type>[<attachments>-][<namespace>,][<ackId>][JSON]`. Checks, beyond
    /// those of the reference parser: the attachment count is plain decimal digits; the
    /// namespace is valid UTF-8; the ack id has at most 15 digits, is required on acks and
    /// refused on `CONNECT`, `DISCONNECT` and `CONNECT_ERROR`; events and acks must have a
    /// payload; event names must be strings. As in the reference, a namespace may run to
    /// the end of the message without its `,` (`0/admin`): the official protocol test suite
    /// sends exactly that, and then nothing can follow it.
    ///
    /// - Parameter text: The message, without the Engine.IO `4` prefix.
    /// - Returns: The packet, or `nil` when it is a binary packet awaiting attachments.
    /// - Throws: ``SocketIOParserError`` for malformed input, or when a binary packet is
    ///   still awaiting attachments.
    public mutating func receive(text: ByteBuffer) throws(SocketIOParserError) -> SocketIOPacket? {
        try self.checkReadyForText()
        let (maxAttachments, maxDepth) = (self.maxAttachments, self.maxDepth)
        let packet = try text.withUnsafeReadableBytes { (bytes) throws(SocketIOParserError) -> SocketIOPacket in
            try Self.parse(bytes, maxAttachments: maxAttachments, maxDepth: maxDepth)
        }
        return self.accept(packet)
    }

    /// Feeds one text message given as a string.
    ///
    /// - Parameter text: The message, without the Engine.IO `4` prefix.
    /// - Returns: The packet, or `nil` when it is a binary packet awaiting attachments.
    /// - Throws: ``SocketIOParserError`` as ``receive(text:)-(ByteBuffer)`` does.
    public mutating func receive(text: String) throws(SocketIOParserError) -> SocketIOPacket? {
        try self.checkReadyForText()
        let (maxAttachments, maxDepth) = (self.maxAttachments, self.maxDepth)
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(SocketIOParserError) -> SocketIOPacket in
                try Self.parse(UnsafeRawBufferPointer(utf8), maxAttachments: maxAttachments, maxDepth: maxDepth)
            }
        }
        return self.accept(try result.get())
    }

    /// Feeds one binary message, an attachment of the pending binary packet.
    ///
    /// - Parameter binary: The attachment bytes; the returned packet holds this buffer.
    /// - Returns: The packet once its last attachment arrived, otherwise `nil`.
    /// - Throws: ``SocketIOParserError`` when no binary packet is pending, or a
    ///   placeholder in its payload names no attachment.
    public mutating func receive(binary: ByteBuffer) throws(SocketIOParserError) -> SocketIOPacket? {
        switch self.state {
        case .idle:
            throw SocketIOParserError(.unexpectedBinaryMessage)
        case .modifying:
            preconditionFailure("SocketIOPacketDecoder used while modifying")
        case .awaitingAttachments(var packet, var received):
            self.state = .modifying
            received.append(binary)
            guard received.count == packet.attachmentCount else {
                self.state = .awaitingAttachments(packet, received: received)
                return nil
            }
            self.state = .idle
            if var data = packet.data {
                packet.data = nil  // leaves `data` uniquely referenced, so it is patched in place
                try data.replacePlaceholders(with: received)
                packet.data = data
            }
            return packet
        }
    }

    private mutating func checkReadyForText() throws(SocketIOParserError) {
        switch self.state {
        case .idle:
            return
        case .awaitingAttachments(let packet, let received):
            self.state = .idle
            throw SocketIOParserError(
                .unexpectedTextMessage,
                at: nil,
                "\(packet.attachmentCount - received.count) attachment(s) still missing"
            )
        case .modifying:
            preconditionFailure("SocketIOPacketDecoder used while modifying")
        }
    }

    private mutating func accept(_ packet: SocketIOPacket) -> SocketIOPacket? {
        guard packet.type.isBinary else { return packet }
        var received: [ByteBuffer] = []
        received.reserveCapacity(packet.attachmentCount)
        self.state = .awaitingAttachments(packet, received: received)
        return nil
    }

    // MARK: - Text form

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Parses one text message; stateless, so it can be tested alone.
    static func parse(
        _ bytes: UnsafeRawBufferPointer,
        maxAttachments: Int,
        maxDepth: Int
    ) throws(SocketIOParserError) -> SocketIOPacket {
        guard let typeByte = bytes.first else {
            throw SocketIOParserError(.emptyPacket, at: 0)
        }
        guard Self.isDigit(typeByte), let type = SocketIOPacketType(rawValue: typeByte - UInt8(ascii: "0")) else {
            throw SocketIOParserError(.unknownPacketType, at: 0)
        }
        var index = 1

        var attachmentCount = 0
        if type.isBinary {
            let start = index
            while index < bytes.count, Self.isDigit(bytes[index]) {
                // Stop counting past the limit; only the verdict matters then.
                if attachmentCount <= maxAttachments {
                    attachmentCount = attachmentCount * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                }
                index += 1
            }
            guard index > start, index < bytes.count, bytes[index] == UInt8(ascii: "-") else {
                throw SocketIOParserError(.invalidAttachmentCount, at: index, "expected <count>-")
            }
            guard attachmentCount >= 1 else {
                throw SocketIOParserError(
                    .invalidAttachmentCount,
                    at: start,
                    "a binary packet has at least one attachment"
                )
            }
            guard attachmentCount <= maxAttachments else {
                throw SocketIOParserError(.tooManyAttachments, at: start, "the limit is \(maxAttachments)")
            }
            index += 1
        }

        var namespace = SocketIOPacket.mainNamespace
        if index < bytes.count, bytes[index] == UInt8(ascii: "/") {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ",") {
                index += 1
            }
            let name = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
            if name.count > 1 {
                guard let decoded = String(validating: name, as: UTF8.self) else {
                    throw SocketIOParserError(.invalidNamespace, at: start, "not valid UTF-8")
                }
                namespace = decoded
            }
            if index < bytes.count {
                index += 1  // the closing ","
            }
        }

        var ackId: UInt64?
        if index < bytes.count, Self.isDigit(bytes[index]) {
            let start = index
            var value: UInt64 = 0
            while index < bytes.count, Self.isDigit(bytes[index]) {
                guard index - start < 15 else {
                    throw SocketIOParserError(.invalidAckId, at: start, "more than 15 digits")
                }
                value = value * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            ackId = value
        }

        var data: JSONValue?
        if index < bytes.count {
            var parser = JSONParser(
                bytes: UnsafeRawBufferPointer(rebasing: bytes[index...]),
                maxDepth: maxDepth,
                offsetBase: index
            )
            do {
                data = try parser.parseDocument()
            } catch {
                throw SocketIOParserError(.invalidJSON, at: error.offset, error.code.description)
            }
        }

        try SocketIOPacket.validate(type: type, data: data, ackId: ackId, payloadOffset: index)
        return SocketIOPacket(
            type: type,
            namespace: namespace,
            data: data,
            ackId: ackId,
            attachmentCount: attachmentCount
        )
    }
}
