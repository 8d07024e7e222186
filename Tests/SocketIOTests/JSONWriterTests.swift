import NIOCore
import SocketIO
import Testing

@Suite("JSONWriter")
struct JSONWriterTests {
    private func json(_ value: JSONValue) throws -> String {
        try value.jsonString()
    }

    @Test("output is compact and keeps key order")
    func outputIsCompactAndKeepsKeyOrder() throws {
        let value: JSONValue = ["z": [1, true, nil], "a": ["x": "y"], "m": [], "e": [:]]
        #expect(try self.json(value) == #"{"z":[1,true,null],"a":{"x":"y"},"m":[],"e":{}}"#)
    }

    @Test(
        "doubles are written as JavaScript writes them",
        arguments: [
            (0.1, "0.1"), (1.0, "1"), (-1.0, "-1"), (-0.0, "0"), (1.5, "1.5"), (-1.5, "-1.5"), (100.0, "100"),
            (123.456, "123.456"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
            (1.2345678901234568e20, "123456789012345680000"), (1e-7, "1e-7"), (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"), (1.2e-6, "0.0000012"), (1e300, "1e+300"), (-1e300, "-1e+300"),
            (.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
            (9_007_199_254_740_992.0, "9007199254740992"), (0.30000000000000004, "0.30000000000000004"),
            (4.35, "4.35"), (1e16, "10000000000000000"), (2.5e-5, "0.000025"), (123e-20, "1.23e-18"),
            (1.7976931348623157e21, "1.7976931348623157e+21"), (-9_223_372_036_854_775_808.0, "-9223372036854776000"),
        ]
    )
    func doublesAreWrittenAsJavaScriptWritesThem(value: Double, expected: String) throws {
        #expect(try self.json(.double(value)) == expected)
    }

    @Test("non-finite doubles become null as JSON.stringify does")
    func nonFiniteDoublesBecomeNull() throws {
        #expect(try self.json([.double(.nan), .double(.infinity), .double(-.infinity)]) == "[null,null,null]")
    }

    @Test("integers are written exactly, including the Int64 bounds")
    func integersAreWrittenExactly() throws {
        #expect(try self.json([.int(.min), .int(.max), 0, -7]) == "[-9223372036854775808,9223372036854775807,0,-7]")
    }

    @Test("strings escape quotes, backslashes and control characters and keep the rest")
    func stringsEscapeWhatJSONRequires() throws {
        let text = "q\" b\\ s/ \u{8}\u{C}\n\r\t \u{0}\u{1F}\u{7F} é中😀 \u{2028}"
        #expect(try self.json(.string(text)) == "\"q\\\" b\\\\ s/ \\b\\f\\n\\r\\t \\u0000\\u001f\u{7F} é中😀 \u{2028}\"")
    }

    @Test("keys are escaped like strings")
    func keysAreEscapedLikeStrings() throws {
        #expect(try self.json(["a\"b\n": 1]) == #"{"a\"b\n":1}"#)
    }

    @Test("binary values cannot be written as plain JSON")
    func binaryValuesCannotBeWrittenAsPlainJSON() {
        let error = #expect(throws: JSONError.self) {
            try self.json(["file": .binary(ByteBuffer(bytes: [1]))])
        }
        #expect(error?.code == .binaryNotSerializable)
        #expect(error?.offset == nil)
    }

    @Test("a failed write leaves the buffer untouched")
    func aFailedWriteLeavesTheBufferUntouched() {
        var buffer = ByteBuffer(string: "keep")
        #expect(throws: JSONError.self) {
            try JSONValue.array(["long string before the binary value", .binary(ByteBuffer())]).write(to: &buffer)
        }
        #expect(String(buffer: buffer) == "keep")
    }

    @Test("writing appends to what the buffer already holds")
    func writingAppendsToTheBuffer() throws {
        var buffer = ByteBuffer(string: "42")
        try JSONValue.array(["hello", 1]).write(to: &buffer)
        #expect(String(buffer: buffer) == #"42["hello",1]"#)
    }

    @Test("serialized output parses back to an equal value")
    func serializedOutputParsesBack() throws {
        let value: JSONValue = ["a": [1, 2.5, "x\u{0}y", ["b": nil]], "c": -0.000123]
        #expect(try JSONValue(parsing: try value.serialized()) == value)
    }
}
