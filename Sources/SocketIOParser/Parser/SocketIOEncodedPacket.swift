public import NIOCore

/// A packet in wire form: one text message, then one binary message per attachment.
///
/// Encode once and hand the same value to every recipient; `ByteBuffer`s are
/// copy-on-write, so sharing them costs no copies.
public struct SocketIOEncodedPacket: Sendable, Hashable {
    /// The text message, such as `2/admin,13["evt",1]` (without the Engine.IO `4` prefix).
    public var text: ByteBuffer
    /// The binary messages that follow the text, in placeholder order.
    public var attachments: [ByteBuffer]

    /// Creates an encoded packet.
    ///
    /// - Parameters:
    ///   - text: The text message.
    ///   - attachments: The binary messages that follow it.
    public init(text: ByteBuffer, attachments: [ByteBuffer] = []) {
        self.text = text
        self.attachments = attachments
    }
}
