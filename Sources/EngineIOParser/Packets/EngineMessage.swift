public import NIOCore

/// The data of an Engine.IO `message` packet: UTF-8 text or raw binary.
///
/// Both cases hold a `ByteBuffer`, usually a slice of what arrived on the wire, so
/// nothing is copied between the socket and the code that reads it.
public enum EngineMessage: Sendable, Hashable {
    /// A text message; the buffer holds UTF-8 bytes.
    case text(ByteBuffer)
    /// A binary message.
    case binary(ByteBuffer)

    /// A text message built from a Swift string.
    public static func string(_ string: String) -> EngineMessage {
        .text(ByteBuffer(string: string))
    }

    /// The bytes of the message, whatever its kind.
    public var buffer: ByteBuffer {
        switch self {
        case .text(let buffer), .binary(let buffer): buffer
        }
    }

    /// The text as a `String`, or `nil` for a binary message.
    public var stringValue: String? {
        guard case .text(let buffer) = self else { return nil }
        return String(buffer: buffer)
    }

    /// Whether the message is binary.
    public var isBinary: Bool {
        if case .binary = self { return true }
        return false
    }
}
