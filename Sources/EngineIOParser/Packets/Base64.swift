package import NIOCore

/// Standard base64 (RFC 4648 §4) for polling payloads, written straight into
/// `ByteBuffer`s so binary packets need no intermediate `Data` or `String`.
package enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0xFF marks a byte that is not in the alphabet.
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    package static func encodedLength(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Appends the padded base64 form of `source`'s readable bytes to `target`.
    package static func encode(_ source: ByteBuffer, into target: inout ByteBuffer) {
        source.withUnsafeReadableBytes { input in
            let outCount = encodedLength(input.count)
            target.writeWithUnsafeMutableBytes(minimumWritableBytes: outCount) { output in
                alphabet.withUnsafeBufferPointer { table in
                    var o = 0
                    var i = 0
                    while i + 3 <= input.count {
                        let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                        output[o] = table[Int(v >> 18 & 63)]
                        output[o + 1] = table[Int(v >> 12 & 63)]
                        output[o + 2] = table[Int(v >> 6 & 63)]
                        output[o + 3] = table[Int(v & 63)]
                        i += 3
                        o += 4
                    }
                    let rest = input.count - i
                    if rest > 0 {
                        var v = UInt32(input[i]) << 16
                        if rest == 2 { v |= UInt32(input[i + 1]) << 8 }
                        output[o] = table[Int(v >> 18 & 63)]
                        output[o + 1] = table[Int(v >> 12 & 63)]
                        output[o + 2] = rest == 2 ? table[Int(v >> 6 & 63)] : UInt8(ascii: "=")
                        output[o + 3] = UInt8(ascii: "=")
                        o += 4
                    }
                    return o
                }
            }
        }
    }

    /// Decodes `source` (padding optional), or returns `nil` when it is not base64.
    package static func decode(_ source: ByteBuffer) -> ByteBuffer? {
        source.withUnsafeReadableBytes { input -> ByteBuffer? in
            var count = input.count
            // Padding may only stand at the end, at most two of it.
            var padding = 0
            while count > 0, padding < 2, input[count - 1] == UInt8(ascii: "=") {
                count -= 1
                padding += 1
            }
            if padding > 0, input.count % 4 != 0 { return nil }
            if count % 4 == 1 { return nil }
            var output = ByteBuffer()
            output.reserveCapacity(count / 4 * 3 + 2)
            let ok = reverse.withUnsafeBufferPointer { table -> Bool in
                var accumulator: UInt32 = 0
                var bits = 0
                for index in 0..<count {
                    let value = table[Int(input[index])]
                    if value == 0xFF { return false }
                    accumulator = accumulator << 6 | UInt32(value)
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        output.writeInteger(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                    }
                }
                return true
            }
            return ok ? output : nil
        }
    }
}
