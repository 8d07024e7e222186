package import NIOCore

/// Decodes the messages of one connection with the connection's ``SocketIOPacketParser``.
///
/// With the default parser it is a ``SocketIOPacketDecoder`` (text packets, then their
/// attachments). With a binary parser every binary message is one packet and a text
/// message is a protocol error, as it is for Node's `socket.io-msgpack-parser`, whose
/// decoder throws on a string and so closes that connection with `parse error`.
///
/// After a thrown error the caller should close the connection.
package struct SocketIOMessageDecoder: Sendable {
    private var textDecoder: SocketIOPacketDecoder
    private let binaryCodec: (any SocketIOBinaryPacketCodec)?

    init(format: SocketIOPacketParser.Format, maxAttachments: Int, maxDepth: Int) {
        self.textDecoder = SocketIOPacketDecoder(maxAttachments: maxAttachments, maxDepth: maxDepth)
        switch format {
        case .text: self.binaryCodec = nil
        case .binary(let codec): self.binaryCodec = codec
        }
    }

    /// Feeds one text message.
    ///
    /// - Parameter text: The message, without the Engine.IO `4` prefix.
    /// - Returns: The packet, or `nil` when a binary packet now awaits attachments.
    /// - Throws: ``SocketIOParserError``; with a binary parser, always
    ///   ``SocketIOParserError/Code/textMessageNotAllowed``.
    package mutating func receive(text: ByteBuffer) throws(SocketIOParserError) -> SocketIOPacket? {
        guard self.binaryCodec == nil else {
            throw SocketIOParserError(.textMessageNotAllowed, at: nil, "\(text.readableBytes) bytes of text")
        }
        return try self.textDecoder.receive(text: text)
    }

    /// Feeds one binary message: an attachment with the default parser, a packet otherwise.
    ///
    /// - Parameter binary: The message.
    /// - Returns: The packet, or `nil` when attachments are still missing.
    /// - Throws: ``SocketIOParserError`` for malformed or unexpected input.
    package mutating func receive(binary: ByteBuffer) throws(SocketIOParserError) -> SocketIOPacket? {
        if let binaryCodec {
            return try binaryCodec.decode(binary, maxDepth: self.textDecoder.maxDepth)
        }
        return try self.textDecoder.receive(binary: binary)
    }

    /// Drops any partly received packet.
    package mutating func reset() {
        self.textDecoder.reset()
    }
}
