/// A recursive-descent RFC 8259 parser over raw bytes.
///
/// Recursion depth is bounded by `maxDepth`, so hostile input cannot exhaust the stack.
/// Strings without escapes are created straight from the input bytes; a scratch array is
/// reused for the ones with escapes. Numbers use an exact fast path (Clinger's) and fall
/// back to the C library's correctly rounded conversion only for long or extreme ones.
struct JSONParser {
    private let bytes: UnsafeRawBufferPointer
    private let maxDepth: Int
    /// Added to local positions so that errors report offsets in the caller's message.
    private let offsetBase: Int
    private var index: Int
    private var depth: Int
    private var scratch: [UInt8]

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int, offsetBase: Int = 0) {
        precondition(maxDepth >= 1, "maxDepth must be at least 1")
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.offsetBase = offsetBase
        self.index = 0
        self.depth = 0
        self.scratch = []
    }

    /// Parses one value surrounded by optional whitespace, and nothing else.
    mutating func parseDocument() throws(JSONError) -> JSONValue {
        self.skipWhitespace()
        let value = try self.parseValue()
        self.skipWhitespace()
        guard self.index == self.bytes.count else {
            throw self.error(.trailingData, at: self.index)
        }
        return value
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONError) -> JSONValue {
        guard self.index < self.bytes.count else {
            throw self.error(.unexpectedEnd, at: self.index)
        }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"):
            return try self.parseObject()
        case UInt8(ascii: "["):
            return try self.parseArray()
        case UInt8(ascii: "\""):
            return .string(try self.parseString())
        case UInt8(ascii: "t"):
            try self.expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try self.expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try self.expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try self.parseNumber()
        default:
            throw self.error(.unexpectedByte, at: self.index)
        }
    }

    private mutating func enterContainer() throws(JSONError) {
        self.depth += 1
        guard self.depth <= self.maxDepth else {
            throw self.error(.depthLimitExceeded, at: self.index)
        }
    }

    private mutating func parseArray() throws(JSONError) -> JSONValue {
        try self.enterContainer()
        self.index += 1  // [
        self.skipWhitespace()
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "]") {
            self.index += 1
            self.depth -= 1
            return .array([])
        }
        // Socket.IO payloads are mostly short arrays and objects: room for four up front
        // spares the reallocations of growing from one.
        var elements: [JSONValue] = []
        elements.reserveCapacity(4)
        while true {
            self.skipWhitespace()
            elements.append(try self.parseValue())
            self.skipWhitespace()
            guard self.index < self.bytes.count else {
                throw self.error(.unexpectedEnd, at: self.index)
            }
            let byte = self.bytes[self.index]
            self.index += 1
            if byte == UInt8(ascii: ",") {
                continue
            }
            if byte == UInt8(ascii: "]") {
                break
            }
            throw self.error(.unexpectedByte, at: self.index - 1)
        }
        self.depth -= 1
        return .array(elements)
    }

    private mutating func parseObject() throws(JSONError) -> JSONValue {
        try self.enterContainer()
        self.index += 1  // {
        self.skipWhitespace()
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "}") {
            self.index += 1
            self.depth -= 1
            return .object(JSONObject())
        }
        var object = JSONObject(minimumCapacity: 4)
        while true {
            self.skipWhitespace()
            guard self.index < self.bytes.count else {
                throw self.error(.unexpectedEnd, at: self.index)
            }
            guard self.bytes[self.index] == UInt8(ascii: "\"") else {
                throw self.error(.unexpectedByte, at: self.index)
            }
            let key = try self.parseString()
            self.skipWhitespace()
            guard self.index < self.bytes.count else {
                throw self.error(.unexpectedEnd, at: self.index)
            }
            guard self.bytes[self.index] == UInt8(ascii: ":") else {
                throw self.error(.unexpectedByte, at: self.index)
            }
            self.index += 1
            self.skipWhitespace()
            let value = try self.parseValue()
            object.updateValue(value, forKey: key)
            self.skipWhitespace()
            guard self.index < self.bytes.count else {
                throw self.error(.unexpectedEnd, at: self.index)
            }
            let byte = self.bytes[self.index]
            self.index += 1
            if byte == UInt8(ascii: ",") {
                continue
            }
            if byte == UInt8(ascii: "}") {
                break
            }
            throw self.error(.unexpectedByte, at: self.index - 1)
        }
        self.depth -= 1
        return .object(object)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let count = literal.utf8CodeUnitCount
        guard self.bytes.count - self.index >= count else {
            throw self.error(.invalidLiteral, at: self.index)
        }
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where self.bytes[self.index + offset] != expected[offset] {
            throw self.error(.invalidLiteral, at: self.index)
        }
        self.index += count
    }

    // MARK: - Strings

    /// Parses the string whose opening quote is at `index`.
    private mutating func parseString() throws(JSONError) -> String {
        let start = self.index + 1
        var cursor = start
        var sawNonASCII = false
        // Fast path: no escapes, so the string is the input bytes themselves.
        while true {
            guard cursor < self.bytes.count else {
                throw self.error(.unexpectedEnd, at: cursor)
            }
            let byte = self.bytes[cursor]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeRawBufferPointer(rebasing: self.bytes[start..<cursor])
                self.index = cursor + 1
                if !sawNonASCII {
                    return String(decoding: run, as: UTF8.self)
                }
                guard let string = String(validating: run, as: UTF8.self) else {
                    throw self.error(.invalidUTF8, at: start)
                }
                return string
            }
            if byte == UInt8(ascii: "\\") {
                break
            }
            if byte < 0x20 {
                throw self.error(.controlCharacterInString, at: cursor)
            }
            if byte >= 0x80 {
                sawNonASCII = true
            }
            cursor += 1
        }
        return try self.parseEscapedString(start: start, firstEscape: cursor)
    }

    private mutating func parseEscapedString(start: Int, firstEscape: Int) throws(JSONError) -> String {
        self.scratch.removeAll(keepingCapacity: true)
        self.scratch.append(contentsOf: self.bytes[start..<firstEscape])
        var cursor = firstEscape
        while true {
            guard cursor < self.bytes.count else {
                throw self.error(.unexpectedEnd, at: cursor)
            }
            let byte = self.bytes[cursor]
            switch byte {
            case UInt8(ascii: "\""):
                self.index = cursor + 1
                guard let string = String(validating: self.scratch, as: UTF8.self) else {
                    throw self.error(.invalidUTF8, at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                cursor = try self.parseEscape(at: cursor)
            case 0..<0x20:
                throw self.error(.controlCharacterInString, at: cursor)
            default:
                self.scratch.append(byte)
                cursor += 1
            }
        }
    }

    /// Decodes the escape at `position` (the backslash) into `scratch`.
    /// - Returns: The position after the escape.
    private mutating func parseEscape(at position: Int) throws(JSONError) -> Int {
        guard position + 1 < self.bytes.count else {
            throw self.error(.unexpectedEnd, at: position + 1)
        }
        let simple: UInt8
        switch self.bytes[position + 1] {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            return try self.parseUnicodeEscape(at: position)
        default:
            throw self.error(.invalidEscape, at: position)
        }
        self.scratch.append(simple)
        return position + 2
    }

    /// Decodes `\uXXXX` at `position`, joining a surrogate pair when one follows.
    ///
    /// A lone surrogate cannot live in a Swift `String`; it becomes U+FFFD, as JavaScript
    /// clients can legitimately send one (a string cut in the middle of an emoji) and
    /// closing their connection over it would be harsher than `JSON.parse`.
    private mutating func parseUnicodeEscape(at position: Int) throws(JSONError) -> Int {
        let first = try self.readHex4(at: position + 2, escapeStart: position)
        var next = position + 6
        var scalar: UInt32
        switch first {
        case 0xD800...0xDBFF:
            if next + 1 < self.bytes.count,
                self.bytes[next] == UInt8(ascii: "\\"),
                self.bytes[next + 1] == UInt8(ascii: "u")
            {
                let second = try self.readHex4(at: next + 2, escapeStart: next)
                if (0xDC00...0xDFFF).contains(second) {
                    scalar = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
                    next += 6
                } else {
                    scalar = 0xFFFD  // the second escape is decoded on its own next round
                }
            } else {
                scalar = 0xFFFD
            }
        case 0xDC00...0xDFFF:
            scalar = 0xFFFD
        default:
            scalar = UInt32(first)
        }
        self.appendUTF8(scalar)
        return next
    }

    private func readHex4(at position: Int, escapeStart: Int) throws(JSONError) -> UInt16 {
        guard position + 4 <= self.bytes.count else {
            throw self.error(.unexpectedEnd, at: self.bytes.count)
        }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = self.bytes[position + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw self.error(.invalidEscape, at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            self.scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            self.scratch.append(UInt8(0xC0 | (scalar >> 6)))
            self.scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            self.scratch.append(UInt8(0xE0 | (scalar >> 12)))
            self.scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            self.scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            self.scratch.append(UInt8(0xF0 | (scalar >> 18)))
            self.scratch.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            self.scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            self.scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    // MARK: - Numbers

    /// Exact powers of ten for the fast path: every one is representable in a `Double`.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    private mutating func parseNumber() throws(JSONError) -> JSONValue {
        let start = self.index
        var cursor = start
        let count = self.bytes.count
        let negative = self.bytes[cursor] == UInt8(ascii: "-")
        if negative {
            cursor += 1
        }
        var mantissa: UInt64 = 0
        var mantissaIsExact = true

        func isDigit(_ position: Int) -> Bool {
            position < count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self.bytes[position])
        }
        func accumulate(_ byte: UInt8) {
            let digit = UInt64(byte &- UInt8(ascii: "0"))
            let (times10, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit)
            if overflow1 || overflow2 {
                mantissaIsExact = false
            } else {
                mantissa = sum
            }
        }

        // Integer part: "0" alone, or a non-zero digit followed by digits.
        guard isDigit(cursor) else {
            throw self.error(.invalidNumber, at: cursor)
        }
        if self.bytes[cursor] == UInt8(ascii: "0") {
            cursor += 1
            if isDigit(cursor) {
                throw self.error(.invalidNumber, at: cursor)  // leading zero
            }
        } else {
            while isDigit(cursor) {
                accumulate(self.bytes[cursor])
                cursor += 1
            }
        }

        var isInteger = true
        var fractionDigits = 0
        if cursor < count, self.bytes[cursor] == UInt8(ascii: ".") {
            isInteger = false
            cursor += 1
            guard isDigit(cursor) else {
                throw self.error(.invalidNumber, at: cursor)
            }
            while isDigit(cursor) {
                if mantissaIsExact {
                    accumulate(self.bytes[cursor])
                    fractionDigits += 1
                }
                cursor += 1
            }
        }

        var exponent = 0
        if cursor < count, self.bytes[cursor] == UInt8(ascii: "e") || self.bytes[cursor] == UInt8(ascii: "E") {
            isInteger = false
            cursor += 1
            var exponentNegative = false
            if cursor < count, self.bytes[cursor] == UInt8(ascii: "+") || self.bytes[cursor] == UInt8(ascii: "-") {
                exponentNegative = self.bytes[cursor] == UInt8(ascii: "-")
                cursor += 1
            }
            guard isDigit(cursor) else {
                throw self.error(.invalidNumber, at: cursor)
            }
            while isDigit(cursor) {
                if exponent < 100_000 {  // saturate: anything this large is 0 or infinity anyway
                    exponent = exponent * 10 + Int(self.bytes[cursor] - UInt8(ascii: "0"))
                }
                cursor += 1
            }
            if exponentNegative {
                exponent = -exponent
            }
        }
        self.index = cursor

        if isInteger && mantissaIsExact {
            if !negative, mantissa <= UInt64(Int64.max) {
                return .int(Int64(mantissa))
            }
            if negative {
                if mantissa == 0 {
                    return .double(-0.0)  // JSON.parse keeps the sign of -0
                }
                if mantissa <= UInt64(Int64.max) {
                    return .int(-Int64(mantissa))
                }
                if mantissa == UInt64(Int64.max) + 1 {
                    return .int(.min)
                }
            }
        }

        // Clinger's fast path: an exact mantissa and an exact power of ten give a
        // correctly rounded quotient or product.
        let decimalExponent = exponent - fractionDigits
        if mantissaIsExact, mantissa <= 1 << 53, (-22...22).contains(decimalExponent) {
            var value = Double(mantissa)
            if decimalExponent < 0 {
                value /= Self.powersOfTen[-decimalExponent]
            } else {
                value *= Self.powersOfTen[decimalExponent]
            }
            return .double(negative ? -value : value)
        }

        let text = String(decoding: UnsafeRawBufferPointer(rebasing: self.bytes[start..<cursor]), as: UTF8.self)
        guard let value = Double(text) else {
            throw self.error(.invalidNumber, at: start)
        }
        return .double(value)
    }

    // MARK: - Helpers

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x09, 0x0A, 0x0D:
                self.index += 1
            default:
                return
            }
        }
    }

    private func error(_ code: JSONError.Code, at position: Int) -> JSONError {
        JSONError(code, at: self.offsetBase + position)
    }
}
