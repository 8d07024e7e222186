import NIOCore

/// The header of an encoded Socket.IO packet (`<type>[<n>-][/nsp,][<ack id>]<json>`),
/// read without copying: what the hooks need to name an ack and to match an event with
/// the engine packet that carried it.
struct PacketHeader: Equatable {
    /// The Socket.IO packet type digit's value (0 connect … 6 binary ack).
    var type: UInt8
    /// The namespace, `/` when the packet names none.
    var namespace: String
    /// The acknowledgement id, if the packet has one.
    var ackID: UInt64?
    /// Where the JSON payload starts, relative to the reader index.
    var payloadOffset: Int

    /// Reads the header of `buffer`.
    ///
    /// - Parameters:
    ///   - buffer: The packet text.
    ///   - skipEngineType: Whether the buffer starts with the engine's `4` (a whole engine packet).
    /// - Returns: The header, or `nil` when the text is not a Socket.IO packet.
    static func parse(_ buffer: ByteBuffer, skipEngineType: Bool) -> PacketHeader? {
        buffer.withUnsafeReadableBytes { bytes -> PacketHeader? in
            var index = skipEngineType ? 1 : 0
            guard index < bytes.count else { return nil }
            let typeByte = bytes[index]
            guard typeByte >= UInt8(ascii: "0"), typeByte <= UInt8(ascii: "6") else { return nil }
            let type = typeByte - UInt8(ascii: "0")
            index += 1
            if type == 5 || type == 6 {
                // Attachment count, then '-'.
                while index < bytes.count, bytes[index] != UInt8(ascii: "-") {
                    guard isDigit(bytes[index]) else { return nil }
                    index += 1
                }
                index += 1
            }
            var namespace = "/"
            if index < bytes.count, bytes[index] == UInt8(ascii: "/") {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: ",") { index += 1 }
                namespace = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
            }
            var ackID: UInt64?
            var digits = 0
            var value: UInt64 = 0
            while index < bytes.count, isDigit(bytes[index]), digits < 19 {
                value = value * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            if digits > 0 { ackID = value }
            return PacketHeader(type: type, namespace: namespace, ackID: ackID, payloadOffset: min(index, bytes.count))
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
