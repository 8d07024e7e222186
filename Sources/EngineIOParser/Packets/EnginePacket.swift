public import NIOCore

/// One Engine.IO packet, kept in its wire form.
///
/// A text packet's `wire` is the type digit followed by its data (`4hello`); a binary
/// packet's `wire` is the raw bytes of a `message`. Keeping the wire form means an
/// outbound packet is encoded once and the same bytes go to every transport and every
/// target of a broadcast, and an inbound packet's data is a slice of what arrived.
public struct EnginePacket: Sendable, Hashable {
    /// The packet's type.
    public let type: EnginePacketType
    /// Whether this is a binary `message` packet.
    public let isBinary: Bool
    /// The encoded packet: the type digit then the data for text, raw bytes for binary.
    public let wire: ByteBuffer

    private init(type: EnginePacketType, isBinary: Bool, wire: ByteBuffer) {
        self.type = type
        self.isBinary = isBinary
        self.wire = wire
    }

    /// The packet's data without its type digit (a slice: no copy).
    public var data: ByteBuffer {
        if isBinary { return wire }
        return wire.getSlice(at: wire.readerIndex + 1, length: wire.readableBytes - 1) ?? ByteBuffer()
    }

    /// The data of a `message` packet as an ``EngineMessage``; `nil` for other types.
    public var message: EngineMessage? {
        guard type == .message else { return nil }
        return isBinary ? .binary(wire) : .text(data)
    }

    /// Encoded size in bytes, as a WebSocket frame would carry it.
    public var byteCount: Int { wire.readableBytes }

    // MARK: Building packets

    /// A text packet of `type` whose data is `data` (copied once behind the type digit).
    public static func text(_ type: EnginePacketType, _ data: some Collection<UInt8> = EmptyCollection()) -> EnginePacket {
        var wire = ByteBuffer()
        wire.reserveCapacity(1 + data.count)
        wire.writeInteger(type.rawValue)
        wire.writeBytes(data)
        return EnginePacket(type: type, isBinary: false, wire: wire)
    }

    /// A text packet of `type` whose data is `string`.
    public static func text(_ type: EnginePacketType, string: String) -> EnginePacket {
        var wire = ByteBuffer()
        wire.reserveCapacity(1 + string.utf8.count)
        wire.writeInteger(type.rawValue)
        wire.writeString(string)
        return EnginePacket(type: type, isBinary: false, wire: wire)
    }

    /// A `message` packet carrying `message`.
    public static func message(_ message: EngineMessage) -> EnginePacket {
        switch message {
        case .binary(let buffer):
            return EnginePacket(type: .message, isBinary: true, wire: buffer)
        case .text(let buffer):
            var wire = ByteBuffer()
            wire.reserveCapacity(1 + buffer.readableBytes)
            wire.writeInteger(EnginePacketType.message.rawValue)
            wire.writeImmutableBuffer(buffer)
            return EnginePacket(type: .message, isBinary: false, wire: wire)
        }
    }

    /// A text `message` packet from a buffer that already starts with the digit `4`.
    ///
    /// Upper layers write the digit themselves so a broadcast is encoded into one
    /// buffer, once, with no further copy.
    /// - Throws: ``EngineProtocolError`` when the buffer does not start with `4`.
    public static func message(prefixedText wire: ByteBuffer) throws -> EnginePacket {
        guard wire.getInteger(at: wire.readerIndex, as: UInt8.self) == EnginePacketType.message.rawValue else {
            throw EngineProtocolError.invalidPacket("a prefixed message must start with 4")
        }
        return EnginePacket(type: .message, isBinary: false, wire: wire)
    }

    package static let ping = EnginePacket.text(.ping)
    package static let pong = EnginePacket.text(.pong)
    package static let noop = EnginePacket.text(.noop)
    package static let close = EnginePacket.text(.close)
    package static let probePong = EnginePacket.text(.pong, string: "probe")
    package static let probePing = EnginePacket.text(.ping, string: "probe")
    package static let upgrade = EnginePacket.text(.upgrade)

    // MARK: Decoding

    /// Decodes one text packet (a WebSocket text frame, or one record of a polling payload).
    /// - Throws: ``EngineProtocolError`` when the first byte is not a packet type digit.
    public static func decode(text wire: ByteBuffer) throws -> EnginePacket {
        guard let first = wire.getInteger(at: wire.readerIndex, as: UInt8.self) else {
            throw EngineProtocolError.invalidPacket("empty packet")
        }
        guard let type = EnginePacketType(rawValue: first) else {
            throw EngineProtocolError.invalidPacket("unknown packet type")
        }
        return EnginePacket(type: type, isBinary: false, wire: wire)
    }

    /// Wraps the bytes of a WebSocket binary frame (always a `message`).
    public static func decode(binary wire: ByteBuffer) -> EnginePacket {
        EnginePacket(type: .message, isBinary: true, wire: wire)
    }
}
