/// A failure to parse or serialize JSON.
///
/// Match on ``code``; ``offset`` tells where in the input the parser stopped.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case unexpectedEnd
            case unexpectedByte
            case invalidLiteral
            case invalidNumber
            case invalidEscape
            case controlCharacterInString
            case invalidUTF8
            case depthLimitExceeded
            case trailingData
            case binaryNotSerializable
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The input ended inside a value.
        public static let unexpectedEnd = Code(.unexpectedEnd)
        /// A byte that cannot start or continue a value here.
        public static let unexpectedByte = Code(.unexpectedByte)
        /// A misspelt `true`, `false` or `null`.
        public static let invalidLiteral = Code(.invalidLiteral)
        /// A number that breaks the RFC 8259 grammar (leading zero, missing digits, …).
        public static let invalidNumber = Code(.invalidNumber)
        /// An unknown `\` escape or a malformed `\u` escape.
        public static let invalidEscape = Code(.invalidEscape)
        /// A raw control character (below U+0020) inside a string.
        public static let controlCharacterInString = Code(.controlCharacterInString)
        /// A string that is not valid UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// Arrays and objects nested deeper than the parser's limit.
        public static let depthLimitExceeded = Code(.depthLimitExceeded)
        /// Bytes other than whitespace after the value.
        public static let trailingData = Code(.trailingData)
        /// A ``JSONValue/binary(_:)`` value, which plain JSON cannot carry.
        public static let binaryNotSerializable = Code(.binaryNotSerializable)

        /// A short English description of the code.
        public var description: String {
            switch self.base {
            case .unexpectedEnd: "unexpected end of input"
            case .unexpectedByte: "unexpected byte"
            case .invalidLiteral: "invalid literal"
            case .invalidNumber: "invalid number"
            case .invalidEscape: "invalid escape sequence"
            case .controlCharacterInString: "unescaped control character in string"
            case .invalidUTF8: "invalid UTF-8 in string"
            case .depthLimitExceeded: "nesting depth limit exceeded"
            case .trailingData: "unexpected data after the value"
            case .binaryNotSerializable: "binary value cannot be written as JSON"
            }
        }
    }

    /// What went wrong.
    public let code: Code
    /// The byte offset in the input where the problem was found; `nil` for serialization errors.
    public let offset: Int?

    init(_ code: Code, at offset: Int?) {
        self.code = code
        self.offset = offset
    }

    /// A readable account of the error, with its byte offset.
    public var description: String {
        if let offset {
            return "JSON error: \(self.code) at byte \(offset)"
        }
        return "JSON error: \(self.code)"
    }
}
