import NIOCore
import SocketIO
import Testing

/// Raw input for the malformed corpus; bytes, so that invalid UTF-8 can be expressed.
struct MalformedInput: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]

    init(_ text: String) {
        self.name = text.debugDescription
        self.bytes = Array(text.utf8)
    }

    init(_ name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    var testDescription: String { self.name }
}

@Suite("JSONParser")
struct JSONParserTests {
    private func parse(_ text: String, maxDepth: Int = JSONValue.defaultMaxDepth) throws -> JSONValue {
        try JSONValue(parsing: ByteBuffer(string: text), maxDepth: maxDepth)
    }

    @Test("parses every kind of value")
    func parsesEveryKindOfValue() throws {
        let value = try self.parse(#" { "n" : null , "t":true,"f":false,"i":-12,"d":1.25,"s":"x","a":[1,[]],"o":{}} "#)
        #expect(value == ["n": nil, "t": true, "f": false, "i": -12, "d": 1.25, "s": "x", "a": [1, []], "o": [:]])
    }

    @Test("top-level scalars are documents")
    func topLevelScalarsAreDocuments() throws {
        #expect(try self.parse("42") == 42)
        #expect(try self.parse("\"x\"") == "x")
        #expect(try self.parse(" null\n") == nil)
        #expect(try self.parse("\t\r\ntrue ") == true)
    }

    @Test("object keys keep document order and a repeated key keeps the last value")
    func objectKeysKeepDocumentOrder() throws {
        let value = try self.parse(#"{"z":1,"a":2,"m":3,"a":4}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value["a"] == 4)
    }

    @Test("objects with many keys parse with all keys in order")
    func objectsWithManyKeysParseInOrder() throws {
        let keys = (0..<500).map { "k\($0)" }
        let text = "{" + keys.map { "\"\($0)\":1" }.joined(separator: ",") + "}"
        #expect(try self.parse(text).objectValue?.keys == keys)
    }

    @Test("integers that fit Int64 stay exact")
    func integersThatFitInt64StayExact() throws {
        #expect(try self.parse("0") == .int(0))
        #expect(try self.parse("9223372036854775807").intValue == .max)
        #expect(try self.parse("-9223372036854775808").intValue == .min)
        #expect(try self.parse("9007199254740993") == .int(9_007_199_254_740_993))
        guard case .int = try self.parse("-1") else {
            Issue.record("-1 should be an int")
            return
        }
    }

    @Test("integers beyond Int64 become doubles")
    func integersBeyondInt64BecomeDoubles() throws {
        #expect(try self.parse("9223372036854775808") == .double(9_223_372_036_854_775_808.0))
        #expect(try self.parse("-9223372036854775809") == .double(-9_223_372_036_854_775_809.0))
        let huge = try self.parse("123456789012345678901234567890")
        guard case .double(let value) = huge else {
            Issue.record("expected a double")
            return
        }
        #expect(value == 1.2345678901234568e29)
    }

    @Test("minus zero keeps its sign")
    func minusZeroKeepsItsSign() throws {
        guard case .double(let value) = try self.parse("-0") else {
            Issue.record("-0 should be a double")
            return
        }
        #expect(value == 0 && value.sign == .minus)
        guard case .double(let fraction) = try self.parse("-0.0") else {
            Issue.record("-0.0 should be a double")
            return
        }
        #expect(fraction.sign == .minus)
    }

    @Test(
        "decimal numbers round to the nearest double",
        arguments: [
            ("0.1", 0.1), ("1e300", 1e300), ("1E2", 100.0), ("1.5e-7", 1.5e-7), ("-2.5", -2.5),
            ("1.0", 1.0), ("0.30000000000000004", 0.30000000000000004), ("5e-324", .leastNonzeroMagnitude),
            ("2.2250738585072011e-308", Double(bitPattern: 0x000F_FFFF_FFFF_FFFF)),
            ("1.7976931348623157e308", 1.7976931348623157e308),
            ("3.141592653589793238462643383279", 3.141592653589793), ("1e-400", 0.0), ("123456.789e3", 123_456_789.0),
            ("0.000001", 0.000001), ("9007199254740993.0", 9_007_199_254_740_992.0), ("1e23", 1e23),
        ]
    )
    func decimalNumbersRoundToTheNearestDouble(text: String, expected: Double) throws {
        guard case .double(let value) = try self.parse(text) else {
            Issue.record("\(text) should be a double")
            return
        }
        #expect(value.bitPattern == expected.bitPattern)
    }

    @Test("numbers too large for a double become infinity as in JavaScript")
    func numbersTooLargeBecomeInfinity() throws {
        #expect(try self.parse("1e400").doubleValue == .infinity)
        #expect(try self.parse("-1e400").doubleValue == -.infinity)
    }

    @Test("escapes decode, including surrogate pairs")
    func escapesDecode() throws {
        let value = try self.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u4E2D\ud83d\ude00""#)
        #expect(value == .string("\"\\/\u{8}\u{C}\n\r\tAé中😀"))
    }

    @Test("raw UTF-8 passes through")
    func rawUTF8PassesThrough() throws {
        #expect(try self.parse("\"héllo 中文 😀\"") == "héllo 中文 😀")
        #expect(try self.parse("\"mixed 😀 \\n é\"") == "mixed 😀 \n é")
    }

    @Test("lone surrogates become U+FFFD")
    func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try self.parse(#""a\ud83db""#) == "a\u{FFFD}b")
        #expect(try self.parse(#""\ude00""#) == "\u{FFFD}")
        #expect(try self.parse(#""\ud83d\u0041""#) == "\u{FFFD}A")
        #expect(try self.parse(#""\ud83d""#) == "\u{FFFD}")
    }

    @Test("nesting up to the depth limit parses and one more level fails")
    func nestingUpToTheDepthLimitParses() throws {
        let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(try self.parse(ok).arrayValue != nil)
        let tooDeep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        let error = #expect(throws: JSONError.self) { try self.parse(tooDeep) }
        #expect(error?.code == .depthLimitExceeded)
        #expect(error?.offset == 32)
        let objects = String(repeating: #"{"a":"#, count: 4) + "1" + String(repeating: "}", count: 4)
        #expect(throws: JSONError.self) { try self.parse(objects, maxDepth: 3) }
        #expect(try self.parse(objects, maxDepth: 4)["a"]?["a"]?["a"]?["a"] == 1)
    }

    @Test("a hostile nesting of a million brackets fails fast without crashing")
    func aHostileNestingFailsFast() {
        let text = String(repeating: "[", count: 1_000_000)
        let error = #expect(throws: JSONError.self) { try self.parse(text) }
        #expect(error?.code == .depthLimitExceeded)
    }

    @Test("errors report the byte offset of the problem")
    func errorsReportTheByteOffset() {
        let error = #expect(throws: JSONError.self) { try self.parse(#"{"a": [1, 2,, 3]}"#) }
        #expect(error?.code == .unexpectedByte)
        #expect(error?.offset == 12)
        #expect(error?.description == "JSON error: unexpected byte at byte 12")
        let trailing = #expect(throws: JSONError.self) { try self.parse("[1] x") }
        #expect(trailing?.code == .trailingData)
        #expect(trailing?.offset == 4)
    }

    @Test("parsing reads only the readable bytes of a buffer")
    func parsingReadsOnlyTheReadableBytes() throws {
        var buffer = ByteBuffer(string: "garbage[1,2]")
        buffer.moveReaderIndex(forwardBy: 7)
        #expect(try JSONValue(parsing: buffer) == [1, 2])
        #expect(buffer.readerIndex == 7)
    }

    @Test("strings parse like buffers")
    func stringsParseLikeBuffers() throws {
        #expect(try JSONValue(parsing: #"{"a":"é"}"#) == ["a": "é"])
        #expect(throws: JSONError.self) { try JSONValue(parsing: "[") }
    }

    static let malformed: [MalformedInput] = [
        .init(""), .init(" "), .init("{"), .init("}"), .init("["), .init("]"), .init("[1,]"), .init("[,1]"),
        .init(#"{"a"}"#), .init(#"{"a":}"#), .init(#"{"a":1,}"#), .init("{a:1}"), .init("{'a':1}"), .init("'x'"),
        .init("\"abc"), .init(#""\x""#), .init(#""\u12""#), .init(#""\u12G4""#), .init("\"a\tb\""),
        .init("\"a\nb\""), .init("\"a\u{0}b\""), .init("01"), .init("-01"), .init("-"), .init("-a"), .init("1."),
        .init(".5"), .init("1e"), .init("1e+"), .init("+1"), .init("0x10"), .init("NaN"), .init("Infinity"),
        .init("-Infinity"), .init("tru"), .init("nul"), .init("nulll"), .init("falsey"), .init("True"),
        .init("true false"), .init("[1 2]"), .init(#"{"a":1 "b":2}"#), .init("[1]]"), .init("{}}"), .init("1 1"),
        .init("--1"), .init("1.e5"), .init("1e5.5"), .init("[-]"), .init("[1,2"), .init(#"{"a":[}"#),
        .init("\u{FEFF}{}"), .init(#"["\"]"#), .init("{\"a\" 1}"), .init("[\"a\",\"b\"\"c\"]"), .init("/* c */ 1"),
        .init("[1,2]\u{0}"), .init("\u{0}"),
        .init("invalid UTF-8 byte", bytes: [0x22, 0xFF, 0x22]),
        .init("overlong slash", bytes: [0x22, 0xC0, 0xAF, 0x22]),
        .init("UTF-8 encoded surrogate", bytes: [0x22, 0xED, 0xA0, 0x80, 0x22]),
        .init("truncated sequence", bytes: [0x22, 0xE4, 0xB8, 0x22]),
        .init("invalid UTF-8 after an escape", bytes: [0x22, 0x5C, 0x6E, 0xFE, 0x22]),
        .init("invalid UTF-8 as a key", bytes: [0x7B, 0x22, 0x80, 0x22, 0x3A, 0x31, 0x7D]),
        .init("33 levels", bytes: Array(repeating: 0x5B, count: 33) + Array(repeating: 0x5D, count: 33)),
    ]

    @Test("malformed input throws", arguments: malformed)
    func malformedInputThrows(input: MalformedInput) {
        #expect(throws: JSONError.self) {
            try input.bytes.withUnsafeBytes { bytes in
                try JSONValue(parsing: bytes)
            }
        }
    }
}
