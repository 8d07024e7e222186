package import NIOCore

/// The HTTP long-polling body format of Engine.IO v4: packets separated by the record
/// separator 0x1e, binary packets as `b` followed by their base64 form.
package enum PollingPayload {
    package static let separator: UInt8 = 0x1E
    package static let binaryMarker = UInt8(ascii: "b")

    /// Joins `packets` into one response body, allocating once. (An array, not a generic
    /// collection: the engine calls it from another module, where a generic would not be
    /// specialised.)
    package static func encode(_ packets: [EnginePacket]) -> ByteBuffer {
        var size = max(packets.count - 1, 0)
        for packet in packets {
            size += packet.isBinary ? 1 + Base64.encodedLength(packet.wire.readableBytes) : packet.wire.readableBytes
        }
        var body = ByteBuffer()
        body.reserveCapacity(size)
        var first = true
        for packet in packets {
            if !first { body.writeInteger(separator) }
            first = false
            if packet.isBinary {
                body.writeInteger(binaryMarker)
                Base64.encode(packet.wire, into: &body)
            } else {
                body.writeImmutableBuffer(packet.wire)
            }
        }
        return body
    }

    /// Splits a POST body into packets; every record must decode.
    /// - Throws: ``EngineProtocolError`` for an empty record, an unknown type or bad base64.
    package static func decode(_ body: ByteBuffer) throws -> [EnginePacket] {
        let separators: [Int] = body.withUnsafeReadableBytes { bytes in
            var offsets: [Int] = []
            for (offset, byte) in bytes.enumerated() where byte == separator { offsets.append(offset) }
            return offsets
        }
        var packets: [EnginePacket] = []
        packets.reserveCapacity(separators.count + 1)
        var start = 0
        for end in separators + [body.readableBytes] {
            let record = body.getSlice(at: body.readerIndex + start, length: end - start)!
            packets.append(try decodeRecord(record))
            start = end + 1
        }
        return packets
    }

    private static func decodeRecord(_ record: ByteBuffer) throws -> EnginePacket {
        if record.getInteger(at: record.readerIndex, as: UInt8.self) == binaryMarker {
            let encoded = record.getSlice(at: record.readerIndex + 1, length: record.readableBytes - 1)!
            guard let bytes = Base64.decode(encoded) else {
                throw EngineProtocolError.invalidPacket("invalid base64 in binary packet")
            }
            return .decode(binary: bytes)
        }
        return try .decode(text: record)
    }
}
