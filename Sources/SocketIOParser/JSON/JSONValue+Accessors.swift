public import NIOCore

extension JSONValue {
    /// Whether the value is ``null``.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The Boolean, when the value is ``bool(_:)``.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number as an exact integer: an ``int(_:)``, or a ``double(_:)`` with no fraction
    /// that fits in `Int64`.
    public var intValue: Int64? {
        switch self {
        case .int(let value):
            return value
        case .double(let value):
            return Int64(exactly: value)
        case .null, .bool, .string, .array, .object, .binary:
            return nil
        }
    }

    /// The number as a `Double` (an ``int(_:)`` converts, possibly rounding beyond 2^53).
    public var doubleValue: Double? {
        switch self {
        case .int(let value):
            return Double(value)
        case .double(let value):
            return value
        case .null, .bool, .string, .array, .object, .binary:
            return nil
        }
    }

    /// The string, when the value is ``string(_:)``.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, when the value is ``array(_:)``.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The object, when the value is ``object(_:)``.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The bytes, when the value is ``binary(_:)``.
    public var binaryValue: ByteBuffer? {
        if case .binary(let value) = self { return value }
        return nil
    }

    /// The member `key` of an object; `nil` when the value is not an object or lacks the key.
    ///
    /// - Parameter key: The member name.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The element at `index` of an array; `nil` when the value is not an array or the
    /// index is out of range.
    ///
    /// - Parameter index: The zero-based position.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// Whether a ``binary(_:)`` value occurs anywhere in the value.
    public var containsBinary: Bool {
        switch self {
        case .binary:
            return true
        case .array(let elements):
            return elements.contains { $0.containsBinary }
        case .object(let object):
            return object.contains { $0.value.containsBinary }
        case .null, .bool, .int, .double, .string:
            return false
        }
    }
}
