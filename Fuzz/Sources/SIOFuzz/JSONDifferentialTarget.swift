import Foundation
import SocketIOParser

/// The JSON parser against Foundation's `JSONSerialization` (`.fragmentsAllowed`): both must
/// accept the same documents and read the same values from them. The differences below are
/// intended, each one because the parser follows JavaScript's `JSON.parse` (what Socket.IO
/// peers run) where Foundation does something else; only they are skipped, and precisely:
/// - Depth: the parser stops at `maxDepth` (the server's bound); Foundation at 512.
/// - Numbers beyond `Double`'s range: `JSON.parse` reads `1e400` as `Infinity`, Foundation
///   refuses the document.
/// - Lone UTF-16 surrogate escapes (`"\ud800"`): `JSON.parse` keeps them; a Swift `String`
///   cannot, so the parser puts U+FFFD in their place; Foundation refuses the document.
/// - Text that is not UTF-8: Foundation guesses UTF-16/32 from zero bytes and skips a byte
///   order mark; Socket.IO text is UTF-8 only (a WebSocket text frame, or a polling body),
///   and `JSON.parse` refuses a leading U+FEFF too.
/// - Long numbers: Foundation reads them as `NSDecimalNumber`, whose `doubleValue` is not
///   correctly rounded; there the oracle is the decimal's text read by `Double(_:)`. A
///   decimal keeps 38 digits, so past that the two may also sit one `ulp` apart.
/// - Trailing commas (`[1,]`, `{"a":1,}`): Foundation accepts them; RFC 8259 and `JSON.parse`
///   do not.
enum JSONDifferentialTarget {
    static let maxDepth = 64

    static func run(_ bytes: UnsafeRawBufferPointer) {
        let ours: Result<JSONValue, JSONError> = Result { () throws(JSONError) in
            try JSONValue(parsing: bytes, maxDepth: maxDepth)
        }
        let theirs = Result { try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) }
        switch (ours, theirs) {
        case (.success(let value), .success(let object)):
            if let difference = difference(value, object) {
                fatalError("JSON values differ: \(difference)")
            }
        case (.failure, .failure):
            return
        case (.success(let value), .failure(let error)):
            if value.containsNonFinite || hasLoneSurrogateEscape(bytes) { return }
            fatalError("only Foundation refuses: \(error) ours: \(value)")
        case (.failure(let error), .success(let object)):
            if error.code == .depthLimitExceeded || !isPlainUTF8(bytes) || isTrailingComma(error, bytes) { return }
            fatalError("only ours refuses: \(error) Foundation: \(object)")
        }
    }

    /// The first place where the two readings differ, described; `nil` when they agree.
    static func difference(_ value: JSONValue, _ object: Any) -> String? {
        switch value {
        case .null:
            return object is NSNull ? nil : "null vs \(object)"
        case .bool(let bool):
            return (object as? Bool) == bool && !isNumber(object) ? nil : "\(bool) vs \(object)"
        case .int(let int):
            return numberEquals(object, Double(int), exact: int) ? nil : "\(int) vs \(object)"
        case .double(let double):
            return numberEquals(object, double, exact: nil) ? nil : "\(double) vs \(object)"
        case .string(let string):
            guard let other = object as? String else { return "\(string) vs \(object)" }
            return Array(string.unicodeScalars) == Array(other.unicodeScalars) ? nil : "\(string.debugDescription) vs \(other.debugDescription)"
        case .array(let elements):
            guard let others = object as? [Any], others.count == elements.count else { return "array vs \(object)" }
            for (element, other) in zip(elements, others) {
                if let difference = difference(element, other) { return difference }
            }
            return nil
        case .object(let entries):
            guard let others = object as? [String: Any], others.count == entries.count else { return "object vs \(object)" }
            for (key, element) in entries {
                guard let other = others[key] else { return "key \(key.debugDescription) missing" }
                if let difference = difference(element, other) { return difference }
            }
            return nil
        case .binary:
            return "the parser never produces binary"
        }
    }

    /// Whether Foundation's number equals ours: integers exactly, others as the nearest double.
    private static func numberEquals(_ object: Any, _ double: Double, exact: Int64?) -> Bool {
        if let decimal = object as? NSDecimalNumber {
            if let exact { return decimal.stringValue == String(exact) }
            guard let oracle = Double(decimal.stringValue) else { return false }
            return oracle == double || oracle.nextUp == double || oracle.nextDown == double
        }
        guard let number = object as? NSNumber, isNumber(object) else { return false }
        if let exact, String(cString: number.objCType) != "d" { return number.int64Value == exact }
        return number.doubleValue == double
    }

    private static func isNumber(_ object: Any) -> Bool {
        guard let number = object as? NSNumber else { return false }
        return !(object is Bool) || String(cString: number.objCType) != "c"
    }

    private static func hasLoneSurrogateEscape(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // Decoding the text is the parser's job; a loose look for `\ud8..\udf` is enough to
        // decide whether this exemption can apply.
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        return ["\\ud8", "\\ud9", "\\uda", "\\udb", "\\udc", "\\udd", "\\ude", "\\udf"].contains { text.contains($0) }
    }

    /// Whether the parser stopped at a `]` or `}` whose previous non-blank byte is a comma.
    private static func isTrailingComma(_ error: JSONError, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard error.code == .unexpectedByte, let offset = error.offset, offset < bytes.count,
              bytes[offset] == UInt8(ascii: "]") || bytes[offset] == UInt8(ascii: "}") else { return false }
        let before = bytes[..<offset].last { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return before == UInt8(ascii: ",")
    }

    private static func isPlainUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.prefix(4).contains(0) { return false }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}
