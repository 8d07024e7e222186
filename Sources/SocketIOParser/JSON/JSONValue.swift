public import NIOCore

/// A JSON value as Socket.IO carries it: a JSON document plus binary attachments.
///
/// Unlike `JSONSerialization`, `JSONValue` keeps what Socket.IO peers care about:
/// object keys stay in the order they were written (``JSONObject``), and integers
/// that fit in 64 bits stay exact (``int(_:)``) instead of turning into `Double`.
///
/// JSON has a single number type, so numbers compare by value: `.int(1) == .double(1.0)`
/// and both hash alike. Every other case compares only with itself.
///
/// ``binary(_:)`` is not JSON: it is a Socket.IO binary attachment. The packet encoder
/// replaces each one by a `{"_placeholder":true,"num":N}` object and sends the bytes in
/// a separate message; the packet decoder puts them back.
public enum JSONValue: Sendable {
    /// JSON `null`.
    case null
    /// JSON `true` or `false`.
    case bool(Bool)
    /// A JSON number written without fraction or exponent that fits in `Int64`.
    case int(Int64)
    /// Any other JSON number.
    case double(Double)
    /// A JSON string.
    case string(String)
    /// A JSON array.
    case array([JSONValue])
    /// A JSON object whose keys keep their order.
    case object(JSONObject)
    /// A Socket.IO binary attachment (a Node.js `Buffer` or `ArrayBuffer` on the other side).
    case binary(ByteBuffer)
}

extension JSONValue: Hashable {
    /// Compares two values; numbers compare by value across ``int(_:)`` and ``double(_:)``.
    ///
    /// - Parameters:
    ///   - lhs: A value.
    ///   - rhs: Another value.
    /// - Returns: Whether both denote the same JSON value.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null):
            return true
        case (.bool(let a), .bool(let b)):
            return a == b
        case (.int(let a), .int(let b)):
            return a == b
        case (.double(let a), .double(let b)):
            return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            return Int64(exactly: b) == a
        case (.string(let a), .string(let b)):
            return a == b
        case (.array(let a), .array(let b)):
            return a == b
        case (.object(let a), .object(let b)):
            return a == b
        case (.binary(let a), .binary(let b)):
            return a == b
        default:
            return false
        }
    }

    /// Hashes the value so that numbers equal by ``==(_:_:)`` hash alike.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null:
            hasher.combine(0 as UInt8)
        case .bool(let value):
            hasher.combine(1 as UInt8)
            hasher.combine(value)
        case .int(let value):
            hasher.combine(2 as UInt8)
            hasher.combine(value)
        case .double(let value):
            if let exact = Int64(exactly: value) {
                hasher.combine(2 as UInt8)
                hasher.combine(exact)
            } else {
                hasher.combine(3 as UInt8)
                hasher.combine(value)
            }
        case .string(let value):
            hasher.combine(4 as UInt8)
            hasher.combine(value)
        case .array(let value):
            hasher.combine(5 as UInt8)
            hasher.combine(value)
        case .object(let value):
            hasher.combine(6 as UInt8)
            hasher.combine(value)
        case .binary(let value):
            hasher.combine(7 as UInt8)
            hasher.combine(value)
        }
    }
}

extension JSONValue {
    /// The nesting depth of arrays and objects that parsers accept unless told otherwise.
    public static let defaultMaxDepth = 32
}
