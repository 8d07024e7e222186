import NIOCore

/// Writes compact JSON into a `ByteBuffer`, the way `JSON.stringify` does.
///
/// Output matches JavaScript byte for byte: no whitespace, `\b \t \n \f \r` and `\u00xx`
/// for other control characters, non-ASCII kept as UTF-8, numbers in ECMAScript's
/// shortest round-trip form (`1` for `1.0`, `1e+21`, `1e-7`) and `null` for non-finite ones.
///
/// Writing takes two passes: ``measure(_:)`` bounds the output size (exactly, but for
/// fractional doubles) and counts binary values, then ``emit(_:into:)`` stores bytes through a raw
/// pointer into space reserved once. Going through `ByteBuffer` byte by byte costs a
/// capacity check and an exclusivity check per call, several times the work itself.
struct JSONWriter {
    /// What to do with a ``JSONValue/binary(_:)`` value.
    enum BinaryPolicy {
        /// Throw ``JSONError/Code/binaryNotSerializable``.
        case reject
        /// Write a Socket.IO placeholder and collect the bytes in ``attachments``.
        case placeholders
        /// Write a readable stand-in; for descriptions only, never for the wire.
        case describe
    }

    let binaryPolicy: BinaryPolicy
    /// The binary values met so far, in depth-first order, under ``BinaryPolicy/placeholders``.
    private(set) var attachments: [ByteBuffer] = []
    /// The binary values counted by ``measure(_:)``.
    private(set) var measuredBinaryCount = 0

    init(binaryPolicy: BinaryPolicy) {
        self.binaryPolicy = binaryPolicy
    }

    /// Appends `value` to `buffer`; nothing is written when it throws.
    mutating func write(_ value: JSONValue, into buffer: inout ByteBuffer) throws(JSONError) {
        let bound = try self.measure(value)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { out in
            self.emit(value, into: out)
        }
    }

    /// Makes room for the attachments ``measure(_:)`` counted, so collecting them
    /// allocates once.
    mutating func reserveAttachmentCapacity() {
        self.attachments.reserveCapacity(self.measuredBinaryCount)
    }

    /// Writes `value` at the start of `out`, which must hold the ``measure(_:)`` bound.
    /// - Returns: The number of bytes written.
    mutating func emit(_ value: JSONValue, into out: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = out.baseAddress else { return 0 }
        var cursor = base
        self.emit(value, at: &cursor)
        assert(cursor - base <= out.count)
        return cursor - base
    }

    // MARK: - Measuring

    /// The most bytes a non-integral double takes: "-0.0000012345678901234567" is 25.
    private static let doubleBound = 25
    /// `{"_placeholder":true,"num":` + 20 digits + `}`.
    private static let placeholderBound = 27 + 20 + 1
    /// `<binary ` + 20 digits + ` bytes>`.
    private static let descriptionBound = 8 + 20 + 7

    /// An upper bound on the size of `value` in JSON; exact except for fractional doubles.
    mutating func measure(_ value: JSONValue) throws(JSONError) -> Int {
        switch value {
        case .null:
            return 4
        case .bool(let flag):
            return flag ? 4 : 5
        case .int(let number):
            return Self.decimalLength(number.magnitude) + (number < 0 ? 1 : 0)
        case .double(let number):
            if number == number.rounded(.towardZero), number.magnitude < 9_007_199_254_740_992 {
                return Self.decimalLength(UInt64(number.magnitude)) + (number < 0 ? 1 : 0)
            }
            return Self.doubleBound
        case .string(let string):
            return Self.measure(string)
        case .array(let elements):
            var size = 2 + Swift.max(elements.count - 1, 0)
            for element in elements {
                size += try self.measure(element)
            }
            return size
        case .object(let object):
            var size = 2 + Swift.max(object.count - 1, 0)
            for (key, member) in object {
                size += Self.measure(key) + 1 + (try self.measure(member))
            }
            return size
        case .binary:
            switch self.binaryPolicy {
            case .reject:
                throw JSONError(.binaryNotSerializable, at: nil)
            case .placeholders:
                self.measuredBinaryCount += 1
                return Self.placeholderBound
            case .describe:
                return Self.descriptionBound
            }
        }
    }

    /// The exact size of `string` as a quoted, escaped JSON string.
    private static func measure(_ string: String) -> Int {
        if let size = string.utf8.withContiguousStorageIfAvailable({ Self.escapedSize(UnsafeRawBufferPointer($0)) }) {
            return size + 2
        }
        var size = 2
        for byte in string.utf8 {
            size += Self.escapedSize(byte)
        }
        return size
    }

    private static func escapedSize(_ bytes: UnsafeRawBufferPointer) -> Int {
        var size = bytes.count
        for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            size += Self.escapedSize(byte) - 1
        }
        return size
    }

    @inline(__always)
    private static func escapedSize(_ byte: UInt8) -> Int {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x08, 0x09, 0x0A, 0x0C, 0x0D: 2
        case 0..<0x20: 6
        default: 1
        }
    }

    // MARK: - Emitting

    private mutating func emit(_ value: JSONValue, at cursor: inout UnsafeMutableRawPointer) {
        switch value {
        case .null:
            Self.put("null", at: &cursor)
        case .bool(let flag):
            Self.put(flag ? "true" : "false", at: &cursor)
        case .int(let number):
            Self.putDecimal(number.magnitude, negative: number < 0, at: &cursor)
        case .double(let number):
            Self.putDouble(number, at: &cursor)
        case .string(let string):
            Self.putString(string, at: &cursor)
        case .array(let elements):
            Self.put(UInt8(ascii: "["), at: &cursor)
            for (index, element) in elements.enumerated() {
                if index > 0 {
                    Self.put(UInt8(ascii: ","), at: &cursor)
                }
                self.emit(element, at: &cursor)
            }
            Self.put(UInt8(ascii: "]"), at: &cursor)
        case .object(let object):
            Self.put(UInt8(ascii: "{"), at: &cursor)
            for (index, entry) in object.enumerated() {
                if index > 0 {
                    Self.put(UInt8(ascii: ","), at: &cursor)
                }
                Self.putString(entry.key, at: &cursor)
                Self.put(UInt8(ascii: ":"), at: &cursor)
                self.emit(entry.value, at: &cursor)
            }
            Self.put(UInt8(ascii: "}"), at: &cursor)
        case .binary(let bytes):
            switch self.binaryPolicy {
            case .reject:
                preconditionFailure("measure(_:) rejects binary values before anything is emitted")
            case .placeholders:
                Self.put("{\"_placeholder\":true,\"num\":", at: &cursor)
                Self.putDecimal(UInt64(self.attachments.count), negative: false, at: &cursor)
                Self.put(UInt8(ascii: "}"), at: &cursor)
                self.attachments.append(bytes)
            case .describe:
                Self.put("<binary ", at: &cursor)
                Self.putDecimal(UInt64(bytes.readableBytes), negative: false, at: &cursor)
                Self.put(" bytes>", at: &cursor)
            }
        }
    }

    @inline(__always)
    static func put(_ byte: UInt8, at cursor: inout UnsafeMutableRawPointer) {
        cursor.storeBytes(of: byte, as: UInt8.self)
        cursor += 1
    }

    @inline(__always)
    static func put(_ text: StaticString, at cursor: inout UnsafeMutableRawPointer) {
        cursor.copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
        cursor += text.utf8CodeUnitCount
    }

    @inline(__always)
    private static func put(_ bytes: UnsafeRawBufferPointer, at cursor: inout UnsafeMutableRawPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        cursor.copyMemory(from: base, byteCount: bytes.count)
        cursor += bytes.count
    }

    /// The number of decimal digits of `value`.
    static func decimalLength(_ value: UInt64) -> Int {
        var length = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            length += 1
        }
        return length
    }

    static func putDecimal(_ magnitude: UInt64, negative: Bool, at cursor: inout UnsafeMutableRawPointer) {
        if negative {
            Self.put(UInt8(ascii: "-"), at: &cursor)
        }
        let length = Self.decimalLength(magnitude)
        var position = length
        var rest = magnitude
        repeat {
            position -= 1
            let digit = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            cursor.storeBytes(of: digit, toByteOffset: position, as: UInt8.self)
            rest /= 10
        } while rest > 0
        cursor += length
    }

    private static func putDouble(_ value: Double, at cursor: inout UnsafeMutableRawPointer) {
        guard value.isFinite else {
            Self.put("null", at: &cursor)  // as JSON.stringify does for NaN and ±Infinity
            return
        }
        if value == value.rounded(.towardZero), value.magnitude < 9_007_199_254_740_992 {
            // Also turns -0 into 0, as JavaScript does.
            Self.putDecimal(UInt64(value.magnitude), negative: value < 0, at: &cursor)
            return
        }
        // Swift's description has the shortest digits that round-trip; only its layout
        // differs from ECMAScript's Number::toString, so take the digits and re-lay them.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of stack for up to 17 digits
        withUnsafeMutableBytes(of: &digits) { digitBytes in
            var digitCount = 0
            var pointPosition = -1
            var exponent = 0
            var exponentNegative = false
            var inExponent = false
            var negative = false
            for byte in value.description.utf8 {
                switch byte {
                case UInt8(ascii: "-"):
                    if inExponent { exponentNegative = true } else { negative = true }
                case UInt8(ascii: "."):
                    pointPosition = digitCount
                case UInt8(ascii: "e"), UInt8(ascii: "E"):
                    inExponent = true
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if inExponent {
                        exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                    } else if digitCount < digitBytes.count {
                        digitBytes[digitCount] = byte
                        digitCount += 1
                    }
                default:
                    break
                }
            }
            if pointPosition < 0 {
                pointPosition = digitCount
            }
            if exponentNegative {
                exponent = -exponent
            }
            var first = 0
            while first < digitCount - 1, digitBytes[first] == UInt8(ascii: "0") {
                first += 1
            }
            var last = digitCount
            while last > first + 1, digitBytes[last - 1] == UInt8(ascii: "0") {
                last -= 1
            }
            // value = 0.d1d2…dk × 10^n, in the terms of ECMA-262 Number::toString.
            let k = last - first
            let n = pointPosition - first + exponent
            let significant = UnsafeRawBufferPointer(rebasing: digitBytes[first..<last])

            if negative {
                Self.put(UInt8(ascii: "-"), at: &cursor)
            }
            if k <= n && n <= 21 {
                Self.put(significant, at: &cursor)
                for _ in 0..<(n - k) {
                    Self.put(UInt8(ascii: "0"), at: &cursor)
                }
            } else if 0 < n && n <= 21 {
                Self.put(UnsafeRawBufferPointer(rebasing: significant[0..<n]), at: &cursor)
                Self.put(UInt8(ascii: "."), at: &cursor)
                Self.put(UnsafeRawBufferPointer(rebasing: significant[n...]), at: &cursor)
            } else if -6 < n && n <= 0 {
                Self.put("0.", at: &cursor)
                for _ in 0..<(-n) {
                    Self.put(UInt8(ascii: "0"), at: &cursor)
                }
                Self.put(significant, at: &cursor)
            } else {
                Self.put(significant[0], at: &cursor)
                if k > 1 {
                    Self.put(UInt8(ascii: "."), at: &cursor)
                    Self.put(UnsafeRawBufferPointer(rebasing: significant[1...]), at: &cursor)
                }
                Self.put(UInt8(ascii: "e"), at: &cursor)
                Self.put(n - 1 < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"), at: &cursor)
                Self.putDecimal(UInt64((n - 1).magnitude), negative: false, at: &cursor)
            }
        }
    }

    private static func putString(_ string: String, at cursor: inout UnsafeMutableRawPointer) {
        Self.put(UInt8(ascii: "\""), at: &cursor)
        var string = string
        string.withUTF8 { utf8 in
            Self.putEscaped(UnsafeRawBufferPointer(utf8), at: &cursor)
        }
        Self.put(UInt8(ascii: "\""), at: &cursor)
    }

    private static func putEscaped(_ bytes: UnsafeRawBufferPointer, at cursor: inout UnsafeMutableRawPointer) {
        let hex: StaticString = "0123456789abcdef"
        var runStart = 0
        for position in bytes.indices {
            let byte = bytes[position]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                continue
            }
            Self.put(UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]), at: &cursor)
            runStart = position + 1
            switch byte {
            case UInt8(ascii: "\""): Self.put("\\\"", at: &cursor)
            case UInt8(ascii: "\\"): Self.put("\\\\", at: &cursor)
            case 0x08: Self.put("\\b", at: &cursor)
            case 0x09: Self.put("\\t", at: &cursor)
            case 0x0A: Self.put("\\n", at: &cursor)
            case 0x0C: Self.put("\\f", at: &cursor)
            case 0x0D: Self.put("\\r", at: &cursor)
            default:
                Self.put("\\u00", at: &cursor)
                Self.put(hex.utf8Start[Int(byte >> 4)], at: &cursor)
                Self.put(hex.utf8Start[Int(byte & 0x0F)], at: &cursor)
            }
        }
        Self.put(UnsafeRawBufferPointer(rebasing: bytes[runStart...]), at: &cursor)
    }
}
