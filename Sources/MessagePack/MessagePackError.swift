/// A failure to encode or decode MessagePack.
///
/// Match on ``code``. ``offset`` tells where the problem is: for decoding, the byte offset
/// in the input (relative to the buffer's reader index) of the value, length or byte at
/// fault; for encoding, the offset in the output (relative to where encoding started) at
/// which the offending value would have been written. ``detail`` adds specifics, such as
/// a declared length and the bytes that actually remain.
public struct MessagePackError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case unexpectedEnd
            case lengthExceedsInput
            case invalidTypeByte
            case nonStringMapKey
            case unsupportedExtension
            case invalidTimestamp
            case depthLimitExceeded
            case trailingData
            case lengthTooLarge
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The input ended inside a value: a type byte, a length or a number is cut short.
        public static let unexpectedEnd = Code(.unexpectedEnd)
        /// A string, binary, extension, array or map declares more bytes or elements than
        /// the rest of the input can hold.
        public static let lengthExceedsInput = Code(.lengthExceedsInput)
        /// The byte `0xc1`, which the MessagePack specification never uses.
        public static let invalidTypeByte = Code(.invalidTypeByte)
        /// A map key that is not a string (integer, nil, boolean, float, binary, array, map or extension).
        public static let nonStringMapKey = Code(.nonStringMapKey)
        /// An extension type other than the timestamp (`-1`).
        public static let unsupportedExtension = Code(.unsupportedExtension)
        /// A timestamp extension (`-1`) of the wrong size, with nanoseconds above 999 999 999,
        /// or outside the range of a JavaScript `Date`.
        public static let invalidTimestamp = Code(.invalidTimestamp)
        /// Arrays and maps nested deeper than the coder's limit.
        public static let depthLimitExceeded = Code(.depthLimitExceeded)
        /// Bytes left over after the one top-level value.
        public static let trailingData = Code(.trailingData)
        /// A string, binary, array or map too large for MessagePack's 32-bit lengths (encoding only).
        public static let lengthTooLarge = Code(.lengthTooLarge)

        /// A short English description of the code.
        public var description: String {
            switch self.base {
            case .unexpectedEnd: "unexpected end of input"
            case .lengthExceedsInput: "declared length exceeds the remaining input"
            case .invalidTypeByte: "invalid type byte"
            case .nonStringMapKey: "map key is not a string"
            case .unsupportedExtension: "unsupported extension type"
            case .invalidTimestamp: "invalid timestamp extension"
            case .depthLimitExceeded: "nesting depth limit exceeded"
            case .trailingData: "unexpected data after the value"
            case .lengthTooLarge: "length does not fit in 32 bits"
            }
        }
    }

    /// What went wrong.
    public let code: Code
    /// The byte offset of the problem: in the input when decoding (relative to the reader
    /// index), in the output when encoding (relative to where encoding started).
    public let offset: Int
    /// Specifics of this occurrence, such as the type byte or the lengths involved; may be empty.
    public let detail: String

    init(_ code: Code, at offset: Int, _ detail: String = "") {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    /// A readable account of the error, with its byte offset and details.
    public var description: String {
        if self.detail.isEmpty {
            return "MessagePack error: \(self.code) at byte \(self.offset)"
        }
        return "MessagePack error: \(self.code) at byte \(self.offset) (\(self.detail))"
    }
}

extension MessagePackError {
    /// `0x` and two lowercase hex digits, for error details.
    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0f)])
    }
}
