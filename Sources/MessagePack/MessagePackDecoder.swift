public import NIOCore

public import SocketIOParser

/// Decodes one MessagePack value into a ``JSONValue``, strictly and within bounds.
///
/// Every MessagePack format is read, and what `@socket.io/postgres-adapter` peers write
/// (through `@msgpack/msgpack`) decodes to the value the Node peer had:
///
/// | MessagePack | JSONValue |
/// | --- | --- |
/// | nil | ``JSONValue/null`` (also what JavaScript's `undefined` was written as) |
/// | false, true | ``JSONValue/bool(_:)`` |
/// | fixint, uint 8/16/32/64, int 8/16/32/64 | ``JSONValue/int(_:)``; a uint 64 above `Int64.max` becomes the nearest ``JSONValue/double(_:)``, as in JavaScript |
/// | float 32, float 64 | ``JSONValue/double(_:)`` |
/// | fixstr, str 8/16/32 | ``JSONValue/string(_:)`` |
/// | bin 8/16/32 | ``JSONValue/binary(_:)``, a slice sharing the input's storage |
/// | fixarray, array 16/32 | ``JSONValue/array(_:)`` |
/// | fixmap, map 16/32 | ``JSONValue/object(_:)``, keys in wire order; for a repeated key the last value wins at the first position, as a JavaScript object assignment does |
/// | timestamp extension (type −1) | ``JSONValue/string(_:)`` holding the ISO 8601 text of the JavaScript `Date`, such as `"2024-05-06T07:08:09.010Z"` |
///
/// Decisions, where MessagePack allows more than JSON:
/// - **Extensions.** msgpack-javascript writes only one: the timestamp (type −1) for a
///   `Date`. It becomes the string that `JSON.stringify` makes of that `Date`
///   (`toISOString()`), which is what a Node server would send on to Socket.IO clients.
///   A timestamp of the wrong size, with nanoseconds above 999 999 999, or outside a
///   `Date`'s ±8.64e15 ms is rejected; every other extension type is rejected.
/// - **Map keys** must be strings; any other key is rejected. Node never writes one (its
///   encoder writes `Object.keys`), and JSON objects cannot hold one.
/// - **Invalid UTF-8** in a string is replaced by U+FFFD rather than rejected, as Node's
///   `TextDecoder` does: a JavaScript string may hold a lone surrogate, which Node writes as
///   an invalid three-byte sequence, and one such character must not void a whole broadcast.
/// - **Non-minimal forms** (say, 5 as uint 16) are accepted: the specification allows them.
///
/// Bounds, so that hostile input cannot crash the process or make it allocate:
/// - arrays and maps nest at most ``maxDepth`` deep (the top-level container is at depth 1);
/// - every declared length is checked against the bytes that remain before anything is
///   allocated for it (an array element takes at least 1 byte, a map entry at least 2);
/// - bytes after the top-level value are rejected, and the byte `0xc1` is never valid.
public struct MessagePackDecoder: Sendable {
    /// The deepest nesting of arrays and maps accepted; the top-level container is at depth 1.
    public var maxDepth: Int
    /// Whether extension type 0 is read as notepack.io writes it (see ``NotepackExtension``):
    /// what `socket.io-msgpack-parser` clients send for `undefined`, a `Date` and an
    /// `ArrayBuffer`. Off, type 0 is refused like any extension but the timestamp.
    public var readsNotepackExtensions: Bool

    /// Creates a decoder.
    ///
    /// - Parameters:
    ///   - maxDepth: The deepest nesting of arrays and maps accepted, at least 1; it also
    ///     bounds the decoder's recursion.
    ///   - readsNotepackExtensions: Whether extension type 0 is read as notepack.io writes it.
    public init(maxDepth: Int = JSONValue.defaultMaxDepth, readsNotepackExtensions: Bool = false) {
        precondition(maxDepth >= 1, "maxDepth must be at least 1")
        self.maxDepth = maxDepth
        self.readsNotepackExtensions = readsNotepackExtensions
    }

    /// Decodes the readable bytes of `buffer`, which must hold exactly one MessagePack value.
    ///
    /// - Parameter buffer: The encoded bytes; its reader index is not moved.
    /// - Returns: The decoded value.
    /// - Throws: ``MessagePackError`` with the byte offset (relative to the reader index) of
    ///   the problem.
    public func decode(_ buffer: ByteBuffer) throws(MessagePackError) -> JSONValue {
        var reader = Reader(buffer: buffer, maxDepth: self.maxDepth, readsNotepackExtensions: self.readsNotepackExtensions)
        let value = try reader.readValue()
        guard reader.remaining == 0 else {
            throw MessagePackError(
                .trailingData, at: reader.offset,
                "\(reader.remaining) byte\(reader.remaining == 1 ? "" : "s") after the value"
            )
        }
        return value
    }

    /// Decodes `bytes`, which must hold exactly one MessagePack value.
    ///
    /// - Parameter bytes: The encoded bytes.
    /// - Returns: The decoded value.
    /// - Throws: ``MessagePackError`` with the byte offset of the problem.
    public func decode(_ bytes: some Sequence<UInt8>) throws(MessagePackError) -> JSONValue {
        try self.decode(ByteBuffer(bytes: bytes))
    }
}

/// The recursive reader behind ``MessagePackDecoder``. Every read goes through ByteBuffer's
/// bounds-checked getters; lengths are checked against `remaining` before use.
private struct Reader {
    let buffer: ByteBuffer
    let base: Int
    let end: Int
    let maxDepth: Int
    let readsNotepackExtensions: Bool
    var index: Int
    var depth = 0

    init(buffer: ByteBuffer, maxDepth: Int, readsNotepackExtensions: Bool) {
        self.buffer = buffer
        self.base = buffer.readerIndex
        self.end = buffer.writerIndex
        self.index = buffer.readerIndex
        self.maxDepth = maxDepth
        self.readsNotepackExtensions = readsNotepackExtensions
    }

    /// The offset of the next byte, relative to the reader index.
    var offset: Int { self.index - self.base }

    /// The bytes not yet read.
    var remaining: Int { self.end - self.index }

    /// Reads a big-endian integer of the argument's width after the type byte at `start`.
    private mutating func read<T: FixedWidthInteger>(
        _: T.Type,
        for start: Int,
        _ what: String
    ) throws(MessagePackError) -> T {
        guard let value = self.buffer.getInteger(at: self.index, endianness: .big, as: T.self) else {
            let size = MemoryLayout<T>.size
            throw MessagePackError(
                .unexpectedEnd, at: start - self.base,
                "\(what) needs \(size) byte\(size == 1 ? "" : "s"), \(self.remaining) remain"
            )
        }
        self.index += MemoryLayout<T>.size
        return value
    }

    /// Reads an unsigned big-endian length after the type byte at `start`.
    private mutating func readLength<T: FixedWidthInteger & UnsignedInteger>(
        _: T.Type,
        for start: Int,
        _ what: String
    ) throws(MessagePackError) -> Int {
        let raw = try self.read(T.self, for: start, what)
        guard let length = Int(exactly: raw) else {  // only possible where Int has 32 bits
            throw MessagePackError(.lengthExceedsInput, at: start - self.base, "\(what) \(raw) exceeds Int")
        }
        return length
    }

    /// Checks that `length` bytes remain for the body of the value whose type byte is at `start`.
    private func require(_ length: Int, for start: Int, _ what: String) throws(MessagePackError) {
        guard length <= self.remaining else {
            throw MessagePackError(
                .lengthExceedsInput, at: start - self.base,
                "\(what) declares \(length) bytes, \(self.remaining) remain"
            )
        }
    }

    mutating func readValue() throws(MessagePackError) -> JSONValue {
        let start = self.index
        guard let type = self.buffer.getInteger(at: self.index, as: UInt8.self) else {
            throw MessagePackError(.unexpectedEnd, at: self.offset, "a value was expected")
        }
        self.index += 1
        switch type {
        case 0x00...0x7f:
            return .int(Int64(type))
        case 0x80...0x8f:
            return try self.readMap(count: Int(type & 0x0f), at: start)
        case 0x90...0x9f:
            return try self.readArray(count: Int(type & 0x0f), at: start)
        case 0xa0...0xbf:
            return try self.readString(length: Int(type & 0x1f), at: start, "fixstr")
        case 0xc0:
            return .null
        case 0xc1:
            throw MessagePackError(.invalidTypeByte, at: start - self.base, "0xc1 is never used")
        case 0xc2:
            return .bool(false)
        case 0xc3:
            return .bool(true)
        case 0xc4:
            return try self.readBinary(length: self.readLength(UInt8.self, for: start, "bin 8 length"), at: start)
        case 0xc5:
            return try self.readBinary(length: self.readLength(UInt16.self, for: start, "bin 16 length"), at: start)
        case 0xc6:
            return try self.readBinary(length: self.readLength(UInt32.self, for: start, "bin 32 length"), at: start)
        case 0xc7:
            return try self.readExtension(length: self.readLength(UInt8.self, for: start, "ext 8 length"), at: start, fixed: false)
        case 0xc8:
            return try self.readExtension(length: self.readLength(UInt16.self, for: start, "ext 16 length"), at: start, fixed: false)
        case 0xc9:
            return try self.readExtension(length: self.readLength(UInt32.self, for: start, "ext 32 length"), at: start, fixed: false)
        case 0xca:
            let bits = try self.read(UInt32.self, for: start, "float 32")
            return .double(Double(Float(bitPattern: bits)))
        case 0xcb:
            let bits = try self.read(UInt64.self, for: start, "float 64")
            return .double(Double(bitPattern: bits))
        case 0xcc:
            return .int(Int64(try self.read(UInt8.self, for: start, "uint 8")))
        case 0xcd:
            return .int(Int64(try self.read(UInt16.self, for: start, "uint 16")))
        case 0xce:
            return .int(Int64(try self.read(UInt32.self, for: start, "uint 32")))
        case 0xcf:
            let number = try self.read(UInt64.self, for: start, "uint 64")
            // Above Int64.max JavaScript has the nearest double too (msgpack-javascript reads
            // `high * 2^32 + low`, rounded once, as this conversion is).
            return Int64(exactly: number).map(JSONValue.int) ?? .double(Double(number))
        case 0xd0:
            return .int(Int64(try self.read(Int8.self, for: start, "int 8")))
        case 0xd1:
            return .int(Int64(try self.read(Int16.self, for: start, "int 16")))
        case 0xd2:
            return .int(Int64(try self.read(Int32.self, for: start, "int 32")))
        case 0xd3:
            return .int(try self.read(Int64.self, for: start, "int 64"))
        case 0xd4:
            return try self.readExtension(length: 1, at: start, fixed: true)
        case 0xd5:
            return try self.readExtension(length: 2, at: start, fixed: true)
        case 0xd6:
            return try self.readExtension(length: 4, at: start, fixed: true)
        case 0xd7:
            return try self.readExtension(length: 8, at: start, fixed: true)
        case 0xd8:
            return try self.readExtension(length: 16, at: start, fixed: true)
        case 0xd9:
            return try self.readString(
                length: self.readLength(UInt8.self, for: start, "str 8 length"), at: start, "str 8")
        case 0xda:
            return try self.readString(
                length: self.readLength(UInt16.self, for: start, "str 16 length"), at: start, "str 16")
        case 0xdb:
            return try self.readString(
                length: self.readLength(UInt32.self, for: start, "str 32 length"), at: start, "str 32")
        case 0xdc:
            return try self.readArray(count: self.readLength(UInt16.self, for: start, "array 16 length"), at: start)
        case 0xdd:
            return try self.readArray(count: self.readLength(UInt32.self, for: start, "array 32 length"), at: start)
        case 0xde:
            return try self.readMap(count: self.readLength(UInt16.self, for: start, "map 16 length"), at: start)
        case 0xdf:
            return try self.readMap(count: self.readLength(UInt32.self, for: start, "map 32 length"), at: start)
        default:  // 0xe0...0xff
            return .int(Int64(Int8(bitPattern: type)))
        }
    }

    private mutating func readString(length: Int, at start: Int, _ what: String) throws(MessagePackError) -> JSONValue {
        .string(try self.readStringBody(length: length, at: start, what))
    }

    private mutating func readStringBody(
        length: Int,
        at start: Int,
        _ what: String
    ) throws(MessagePackError) -> String {
        try self.require(length, for: start, what)
        // `getString` decodes with `String(decoding:as:)`, which repairs invalid UTF-8 with U+FFFD.
        guard let string = self.buffer.getString(at: self.index, length: length) else {
            throw MessagePackError(.lengthExceedsInput, at: start - self.base, "\(what) body")
        }
        self.index += length
        return string
    }

    private mutating func readBinary(length: Int, at start: Int) throws(MessagePackError) -> JSONValue {
        try self.require(length, for: start, "bin")
        guard let bytes = self.buffer.getSlice(at: self.index, length: length) else {
            throw MessagePackError(.lengthExceedsInput, at: start - self.base, "bin body")
        }
        self.index += length
        return .binary(bytes)
    }

    /// Reads an extension; `fixed` tells the fixext forms from ext 8/16/32, which notepack.io's
    /// type 0 depends on.
    private mutating func readExtension(length: Int, at start: Int, fixed: Bool) throws(MessagePackError) -> JSONValue {
        let type = try self.read(Int8.self, for: start, "extension type")
        try self.require(length, for: start, "ext")
        if type == 0, self.readsNotepackExtensions {
            guard let body = self.buffer.getSlice(at: self.index, length: length) else {
                throw MessagePackError(.lengthExceedsInput, at: start - self.base, "ext body")
            }
            self.index += length
            switch NotepackExtension.value(body, fixed: fixed) {
            case .success(let value):
                return value
            case .failure(let failure):
                throw MessagePackError(failure.code, at: start - self.base, failure.detail)
            }
        }
        guard type == -1 else {
            throw MessagePackError(.unsupportedExtension, at: start - self.base, "type \(type), \(length) bytes")
        }
        guard let payload = self.buffer.getBytes(at: self.index, length: length) else {
            throw MessagePackError(.lengthExceedsInput, at: start - self.base, "ext body")
        }
        self.index += length
        switch MessagePackTimestamp.isoString(payload: payload) {
        case .success(let text):
            return .string(text)
        case .failure(let failure):
            throw MessagePackError(.invalidTimestamp, at: start - self.base, failure.detail)
        }
    }

    private mutating func enter(at start: Int) throws(MessagePackError) {
        self.depth += 1
        guard self.depth <= self.maxDepth else {
            throw MessagePackError(
                .depthLimitExceeded, at: start - self.base,
                "depth \(self.depth), limit \(self.maxDepth)"
            )
        }
    }

    private mutating func readArray(count: Int, at start: Int) throws(MessagePackError) -> JSONValue {
        // Each element takes at least one byte: refuse before reserving room for `count`.
        guard count <= self.remaining else {
            throw MessagePackError(
                .lengthExceedsInput, at: start - self.base,
                "array declares \(count) elements, \(self.remaining) bytes remain"
            )
        }
        try self.enter(at: start)
        var elements: [JSONValue] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            elements.append(try self.readValue())
        }
        self.depth -= 1
        return .array(elements)
    }

    private mutating func readMap(count: Int, at start: Int) throws(MessagePackError) -> JSONValue {
        // Each entry takes at least two bytes (a fixstr key and a fixint value).
        guard count <= self.remaining / 2 else {
            throw MessagePackError(
                .lengthExceedsInput, at: start - self.base,
                "map declares \(count) entries, \(self.remaining) bytes remain"
            )
        }
        try self.enter(at: start)
        var object = JSONObject(minimumCapacity: count)
        for _ in 0..<count {
            let key = try self.readKey()
            object.updateValue(try self.readValue(), forKey: key)
        }
        self.depth -= 1
        return .object(object)
    }

    /// Reads a map key, which must be a string.
    private mutating func readKey() throws(MessagePackError) -> String {
        let start = self.index
        guard let type = self.buffer.getInteger(at: self.index, as: UInt8.self) else {
            throw MessagePackError(.unexpectedEnd, at: self.offset, "a map key was expected")
        }
        let length: Int
        switch type {
        case 0xa0...0xbf:
            self.index += 1
            length = Int(type & 0x1f)
        case 0xd9:
            self.index += 1
            length = try self.readLength(UInt8.self, for: start, "str 8 length")
        case 0xda:
            self.index += 1
            length = try self.readLength(UInt16.self, for: start, "str 16 length")
        case 0xdb:
            self.index += 1
            length = try self.readLength(UInt32.self, for: start, "str 32 length")
        default:
            throw MessagePackError(
                .nonStringMapKey, at: start - self.base, "key type byte \(MessagePackError.hex(type))")
        }
        return try self.readStringBody(length: length, at: start, "map key")
    }
}
