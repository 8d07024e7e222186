public import NIOCore

extension JSONValue {
    /// Appends the value as compact JSON, exactly as `JSON.stringify` would write it.
    ///
    /// Doubles use the shortest form that reads back to the same value, laid out as
    /// JavaScript does (`1` for `1.0`, `1e+21`, `1e-7`); non-finite doubles become `null`.
    ///
    /// - Parameter buffer: The buffer to append to.
    /// - Throws: ``JSONError`` with code ``JSONError/Code/binaryNotSerializable`` when the value
    ///   holds a ``binary(_:)``; send those through ``SocketIOPacketEncoder`` instead.
    ///   Nothing is appended then.
    public func write(to buffer: inout ByteBuffer) throws(JSONError) {
        var writer = JSONWriter(binaryPolicy: .reject)
        try writer.write(self, into: &buffer)
    }

    /// Returns the value as compact JSON in a new buffer.
    ///
    /// - Parameter allocator: The allocator for the buffer.
    /// - Returns: The JSON text.
    /// - Throws: ``JSONError`` when the value holds a ``binary(_:)``.
    public func serialized(allocator: ByteBufferAllocator = ByteBufferAllocator()) throws(JSONError) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        try self.write(to: &buffer)
        return buffer
    }

    /// Returns the value as compact JSON text.
    ///
    /// - Returns: The JSON text.
    /// - Throws: ``JSONError`` when the value holds a ``binary(_:)``.
    public func jsonString() throws(JSONError) -> String {
        String(buffer: try self.serialized())
    }
}

extension JSONValue: CustomStringConvertible {
    /// The value as compact JSON, with binary values shown as `<binary N bytes>`.
    public var description: String {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        var writer = JSONWriter(binaryPolicy: .describe)
        do {
            try writer.write(self, into: &buffer)
        } catch {
            // Unreachable: the describe policy never throws.
        }
        return String(buffer: buffer)
    }
}
