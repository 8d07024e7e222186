public import NIOCore

extension JSONValue {
    /// Parses one JSON document (RFC 8259) from the readable bytes of `buffer`.
    ///
    /// Integers that fit in `Int64` become ``int(_:)``; other numbers become ``double(_:)``.
    /// Object keys keep their order; for a repeated key the last value wins.
    ///
    /// - Parameters:
    ///   - buffer: The UTF-8 JSON text; its reader index is not moved.
    ///   - maxDepth: The deepest nesting of arrays and objects accepted, at least 1.
    /// - Throws: ``JSONError`` with the byte offset (relative to the reader index) of the problem.
    public init(parsing buffer: ByteBuffer, maxDepth: Int = JSONValue.defaultMaxDepth) throws(JSONError) {
        self = try buffer.withUnsafeReadableBytes { (bytes) throws(JSONError) -> JSONValue in
            var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
            return try parser.parseDocument()
        }
    }

    /// Parses one JSON document (RFC 8259) from raw UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - bytes: The UTF-8 JSON text.
    ///   - maxDepth: The deepest nesting of arrays and objects accepted, at least 1.
    /// - Throws: ``JSONError`` with the byte offset of the problem.
    public init(parsing bytes: UnsafeRawBufferPointer, maxDepth: Int = JSONValue.defaultMaxDepth) throws(JSONError) {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        self = try parser.parseDocument()
    }

    /// Parses one JSON document (RFC 8259) from a string.
    ///
    /// - Parameters:
    ///   - text: The JSON text.
    ///   - maxDepth: The deepest nesting of arrays and objects accepted, at least 1.
    /// - Throws: ``JSONError`` with the UTF-8 byte offset of the problem.
    public init(parsing text: String, maxDepth: Int = JSONValue.defaultMaxDepth) throws(JSONError) {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(JSONError) -> JSONValue in
                var parser = JSONParser(bytes: UnsafeRawBufferPointer(utf8), maxDepth: maxDepth)
                return try parser.parseDocument()
            }
        }
        self = try result.get()
    }
}
