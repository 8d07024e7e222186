public import NIOCore

public import SocketIOParser

/// Encodes a ``JSONValue`` as MessagePack, byte for byte as Node's `@msgpack/msgpack`
/// (`encode()` with its default options, as `@socket.io/postgres-adapter` calls it)
/// encodes the equivalent JavaScript value.
///
/// The mapping, following msgpack-javascript's `Encoder`:
///
/// | JSONValue | MessagePack |
/// | --- | --- |
/// | ``JSONValue/null`` | nil `c0` (JavaScript's `null`, and `undefined` too: `ignoreUndefined` is off) |
/// | ``JSONValue/bool(_:)`` | false `c2` / true `c3` |
/// | ``JSONValue/int(_:)`` | the smallest of positive fixint, uint 8/16/32/64, negative fixint, int 8/16/32/64 |
/// | ``JSONValue/double(_:)`` | as the integer above when it is a safe integer (`Number.isSafeInteger`), else float 64 |
/// | ``JSONValue/string(_:)`` | fixstr / str 8 / str 16 / str 32 by UTF-8 length |
/// | ``JSONValue/binary(_:)`` | bin 8 / bin 16 / bin 32 (a Node `Buffer` or `Uint8Array`) |
/// | ``JSONValue/array(_:)`` | fixarray / array 16 / array 32 |
/// | ``JSONValue/object(_:)`` | fixmap / map 16 / map 32, string keys in the object's key order |
///
/// Notes on the choices:
/// - JavaScript has one number type, so `3` and `3.0` are the same value and Node writes it
///   as fixint `03`; `.double(3.0)` therefore encodes as `03` too, and `.double(-0.0)` as `00`
///   (`-0 >= 0` in JavaScript). Float 32 is never written (`forceFloat32` is off by default).
///   NaN is written as the canonical quiet NaN `cb 7f f8 00 00 00 00 00 00`, as V8 does.
/// - An ``JSONValue/int(_:)`` beyond JavaScript's safe range (±(2^53 − 1)) has no exact
///   JavaScript equivalent; Node would have the nearest double and write float 64. It is
///   written as uint 64 / int 64 instead, which keeps it exact for Swift peers, while a Node
///   peer decodes it (`high * 2^32 + low`, rounded once) to exactly that same nearest double.
/// - Keys are written in ``JSONObject`` order. JavaScript objects list integer-like keys
///   (`"0"`, `"1"`, …) first in ascending order; an object parsed from a JavaScript peer
///   already has that order, and any order decodes to the same object in Node.
/// - msgpack-javascript refuses to encode past a depth of 100; this encoder bounds the
///   nesting of arrays and maps by ``maxDepth`` (100 by default) so that a hostile or
///   accidental deep tree cannot exhaust the stack.
public struct MessagePackEncoder: Sendable {
    /// The nesting depth of arrays and maps that encoders accept unless told otherwise,
    /// msgpack-javascript's `DEFAULT_MAX_DEPTH`.
    public static let defaultMaxDepth = 100

    /// The deepest nesting of arrays and maps encoded; the top-level container is at depth 1.
    public var maxDepth: Int

    /// Creates an encoder.
    ///
    /// - Parameter maxDepth: The deepest nesting of arrays and maps encoded, at least 1.
    public init(maxDepth: Int = MessagePackEncoder.defaultMaxDepth) {
        precondition(maxDepth >= 1, "maxDepth must be at least 1")
        self.maxDepth = maxDepth
    }

    /// Encodes `value` into a new buffer.
    ///
    /// - Parameter value: The value to encode.
    /// - Returns: The MessagePack bytes.
    /// - Throws: ``MessagePackError`` with ``MessagePackError/Code/depthLimitExceeded`` or
    ///   ``MessagePackError/Code/lengthTooLarge``.
    public func encode(_ value: JSONValue) throws(MessagePackError) -> ByteBuffer {
        var buffer = ByteBuffer()
        try self.encode(value, into: &buffer)
        return buffer
    }

    /// Appends the encoding of `value` to `buffer`.
    ///
    /// - Parameters:
    ///   - value: The value to encode.
    ///   - buffer: The buffer to append to; when encoding fails its writer index is put back
    ///     where it was, so nothing partial is left behind.
    /// - Throws: ``MessagePackError`` with ``MessagePackError/Code/depthLimitExceeded`` or
    ///   ``MessagePackError/Code/lengthTooLarge``; offsets count from the original writer index.
    public func encode(_ value: JSONValue, into buffer: inout ByteBuffer) throws(MessagePackError) {
        let start = buffer.writerIndex
        var writer = Writer(start: start, maxDepth: self.maxDepth)
        do {
            try writer.write(value, into: &buffer)
        } catch {
            buffer.moveWriterIndex(to: start)
            throw error
        }
    }
}

/// The recursive writer behind ``MessagePackEncoder``.
private struct Writer {
    /// The largest integer JavaScript represents exactly (`Number.MAX_SAFE_INTEGER`).
    private static let maxSafeInteger: Double = 9_007_199_254_740_991

    let start: Int
    let maxDepth: Int
    var depth = 0

    init(start: Int, maxDepth: Int) {
        self.start = start
        self.maxDepth = maxDepth
    }

    mutating func write(_ value: JSONValue, into buffer: inout ByteBuffer) throws(MessagePackError) {
        switch value {
        case .null:
            buffer.writeInteger(0xc0 as UInt8)
        case .bool(let flag):
            buffer.writeInteger(flag ? 0xc3 : 0xc2 as UInt8)
        case .int(let number):
            Self.writeInteger(number, into: &buffer)
        case .double(let number):
            Self.writeDouble(number, into: &buffer)
        case .string(let string):
            try self.writeString(string, into: &buffer)
        case .binary(let bytes):
            try self.writeHeader(
                count: bytes.readableBytes, fix: nil, small: 0xc4, medium: 0xc5, large: 0xc6,
                what: "binary", into: &buffer
            )
            buffer.writeImmutableBuffer(bytes)
        case .array(let elements):
            let headerOffset = buffer.writerIndex
            try self.writeHeader(
                count: elements.count, fix: (0x90, 16), small: nil, medium: 0xdc, large: 0xdd,
                what: "array", into: &buffer
            )
            try self.enter(at: headerOffset)
            for element in elements {
                try self.write(element, into: &buffer)
            }
            self.depth -= 1
        case .object(let object):
            let headerOffset = buffer.writerIndex
            try self.writeHeader(
                count: object.count, fix: (0x80, 16), small: nil, medium: 0xde, large: 0xdf,
                what: "map", into: &buffer
            )
            try self.enter(at: headerOffset)
            for (key, element) in object {
                try self.writeString(key, into: &buffer)
                try self.write(element, into: &buffer)
            }
            self.depth -= 1
        }
    }

    private mutating func enter(at headerOffset: Int) throws(MessagePackError) {
        self.depth += 1
        guard self.depth <= self.maxDepth else {
            throw MessagePackError(
                .depthLimitExceeded, at: headerOffset - self.start,
                "depth \(self.depth), limit \(self.maxDepth)"
            )
        }
    }

    /// Writes the smallest integer form, as msgpack-javascript's `encodeNumber` does.
    static func writeInteger(_ number: Int64, into buffer: inout ByteBuffer) {
        if number >= 0 {
            if number < 0x80 {
                buffer.writeInteger(UInt8(number))  // positive fixint
            } else if number < 0x100 {
                buffer.writeInteger(0xcc as UInt8)
                buffer.writeInteger(UInt8(number))
            } else if number < 0x1_0000 {
                buffer.writeInteger(0xcd as UInt8)
                buffer.writeInteger(UInt16(number), endianness: .big)
            } else if number < 0x1_0000_0000 {
                buffer.writeInteger(0xce as UInt8)
                buffer.writeInteger(UInt32(number), endianness: .big)
            } else {
                buffer.writeInteger(0xcf as UInt8)
                buffer.writeInteger(UInt64(number), endianness: .big)
            }
        } else {
            if number >= -0x20 {
                buffer.writeInteger(Int8(number))  // negative fixint: 0xe0 | (number + 32)
            } else if number >= -0x80 {
                buffer.writeInteger(0xd0 as UInt8)
                buffer.writeInteger(Int8(number))
            } else if number >= -0x8000 {
                buffer.writeInteger(0xd1 as UInt8)
                buffer.writeInteger(Int16(number), endianness: .big)
            } else if number >= -0x8000_0000 {
                buffer.writeInteger(0xd2 as UInt8)
                buffer.writeInteger(Int32(number), endianness: .big)
            } else {
                buffer.writeInteger(0xd3 as UInt8)
                buffer.writeInteger(number, endianness: .big)
            }
        }
    }

    /// Writes a safe integer as an integer and anything else as float 64, as
    /// msgpack-javascript's `encodeNumber` does for a JavaScript number.
    static func writeDouble(_ number: Double, into buffer: inout ByteBuffer) {
        if number.magnitude <= Self.maxSafeInteger, number.rounded(.towardZero) == number {
            // Exact: |number| < 2^53. `Int64(-0.0)` is 0, written as fixint 00 like JavaScript's -0.
            Self.writeInteger(Int64(number), into: &buffer)
            return
        }
        buffer.writeInteger(0xcb as UInt8)
        let bits: UInt64 = number.isNaN ? 0x7ff8_0000_0000_0000 : number.bitPattern
        buffer.writeInteger(bits, endianness: .big)
    }

    private func writeString(_ string: String, into buffer: inout ByteBuffer) throws(MessagePackError) {
        try self.writeHeader(
            count: string.utf8.count, fix: (0xa0, 32), small: 0xd9, medium: 0xda, large: 0xdb,
            what: "string", into: &buffer
        )
        buffer.writeString(string)
    }

    /// Writes the header of a string, binary, array or map: the fix form when `fix` is
    /// given and `count` is below its limit, else the 8-, 16- or 32-bit length form.
    private func writeHeader(
        count: Int,
        fix: (base: UInt8, limit: Int)?,
        small: UInt8?,
        medium: UInt8,
        large: UInt8,
        what: String,
        into buffer: inout ByteBuffer
    ) throws(MessagePackError) {
        if let fix, count < fix.limit {
            buffer.writeInteger(fix.base + UInt8(count))
        } else if let small, count < 0x100 {
            buffer.writeInteger(small)
            buffer.writeInteger(UInt8(count))
        } else if count < 0x1_0000 {
            buffer.writeInteger(medium)
            buffer.writeInteger(UInt16(count), endianness: .big)
        } else if UInt64(count) < 0x1_0000_0000 {
            buffer.writeInteger(large)
            buffer.writeInteger(UInt32(count), endianness: .big)
        } else {
            throw MessagePackError(
                .lengthTooLarge, at: buffer.writerIndex - self.start,
                "\(what) of \(count) \(what == "array" || what == "map" ? "elements" : "bytes")"
            )
        }
    }
}
