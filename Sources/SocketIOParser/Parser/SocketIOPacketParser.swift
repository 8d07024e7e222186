package import NIOCore

/// The wire format of Socket.IO packets, chosen once for a server or a client.
///
/// Both ends of a connection must use the same one. ``default`` is `socket.io-parser`'s text
/// format with binary attachments; the `SocketIOMsgpackParser` module adds `.msgpack`
/// (`socket.io-msgpack-parser`), where each packet is one binary message.
///
/// Mirrors the `parser` option of Node's `Server` and of `socket.io-client`.
public struct SocketIOPacketParser: Sendable, Hashable, CustomStringConvertible {
    /// How packets travel, which decides the encoding and decoding paths.
    package enum Format: Sendable {
        /// `socket.io-parser`: a text message, then one binary message per attachment.
        case text
        /// One binary message per packet, written and read by the codec.
        case binary(any SocketIOBinaryPacketCodec)
    }

    /// How packets travel.
    package let format: Format
    /// A short name for logs and help text, such as `default` or `msgpack`.
    public let name: String

    private init(name: String, format: Format) {
        self.name = name
        self.format = format
    }

    /// A parser that puts each packet in one binary message through `codec`.
    ///
    /// - Parameters:
    ///   - name: A short name for logs and help text.
    ///   - codec: Writes and reads one packet per binary message.
    package init(name: String, binaryCodec codec: any SocketIOBinaryPacketCodec) {
        self.init(name: name, format: .binary(codec))
    }

    /// `socket.io-parser`: packets as text, binary values as attachments that follow the text.
    public static let `default` = SocketIOPacketParser(name: "default", format: .text)

    /// The parser's name.
    public var description: String { self.name }

    /// Parsers are told apart by name: each name stands for one wire format.
    public static func == (lhs: SocketIOPacketParser, rhs: SocketIOPacketParser) -> Bool {
        lhs.name == rhs.name
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.name)
    }

    /// Encodes `packet` into the messages that carry it.
    ///
    /// - Parameters:
    ///   - packet: The packet to encode.
    ///   - textPrefix: A byte written before a text message in the same buffer (the server
    ///     passes Engine.IO's `4`); binary messages take no prefix.
    /// - Returns: The text message and its attachments, or the one binary message.
    /// - Throws: ``SocketIOParserError`` when the packet cannot be encoded.
    package func encode(_ packet: SocketIOPacket, textPrefix: UInt8?) throws(SocketIOParserError) -> SocketIOWirePacket {
        switch self.format {
        case .text:
            return .text(try SocketIOPacketEncoder().encode(packet, leadingByte: textPrefix))
        case .binary(let codec):
            return .binary(try codec.encode(packet))
        }
    }

    /// A decoder for the messages of one connection.
    ///
    /// - Parameters:
    ///   - maxAttachments: The most binary attachments one text packet may announce.
    ///   - maxDepth: The deepest nesting of arrays and objects accepted in a payload.
    /// - Returns: The decoder.
    package func makeDecoder(
        maxAttachments: Int = SocketIOPacketDecoder.defaultMaxAttachments,
        maxDepth: Int = JSONValue.defaultMaxDepth
    ) -> SocketIOMessageDecoder {
        SocketIOMessageDecoder(format: self.format, maxAttachments: maxAttachments, maxDepth: maxDepth)
    }
}

/// One packet in wire form, as a ``SocketIOPacketParser`` encodes it.
package enum SocketIOWirePacket: Sendable {
    /// A text message and the binary messages of its attachments.
    case text(SocketIOEncodedPacket)
    /// A single binary message.
    case binary(ByteBuffer)
}

/// A wire format that carries each packet in one binary message and keeps no state
/// between messages (`socket.io-msgpack-parser`'s model).
package protocol SocketIOBinaryPacketCodec: Sendable {
    /// Encodes `packet` into one binary message.
    ///
    /// - Parameter packet: The packet; a binary type is written as its plain one.
    /// - Returns: The message.
    /// - Throws: ``SocketIOParserError`` when the packet breaks the protocol's rules.
    func encode(_ packet: SocketIOPacket) throws(SocketIOParserError) -> ByteBuffer

    /// Decodes one binary message.
    ///
    /// - Parameters:
    ///   - message: The message.
    ///   - maxDepth: The deepest nesting of arrays and objects accepted in the payload.
    /// - Returns: The packet.
    /// - Throws: ``SocketIOParserError`` for malformed input.
    func decode(_ message: ByteBuffer, maxDepth: Int) throws(SocketIOParserError) -> SocketIOPacket
}
