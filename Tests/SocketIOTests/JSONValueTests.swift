import NIOCore
import SocketIO
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test("literals build the matching cases")
    func literalsBuildTheMatchingCases() {
        let value: JSONValue = ["a": 1, "b": 2.5, "c": "x", "d": [true, nil]]
        #expect(value["a"] == .int(1))
        #expect(value["b"] == .double(2.5))
        #expect(value["c"] == .string("x"))
        #expect(value["d"] == .array([.bool(true), .null]))
    }

    @Test("numbers compare by value across int and double")
    func numbersCompareByValueAcrossIntAndDouble() {
        #expect(JSONValue.int(1) == .double(1.0))
        #expect(JSONValue.double(-0.0) == .int(0))
        #expect(JSONValue.int(1) != .double(1.5))
        #expect(JSONValue.int(.max) != .double(9_223_372_036_854_775_807.0))  // 2^63 is not Int64.max
        #expect(JSONValue.int(1) != .bool(true))
        #expect(JSONValue.string("1") != .int(1))
    }

    @Test("equal numbers hash alike")
    func equalNumbersHashAlike() {
        let set: Set<JSONValue> = [.int(3), .double(3.0), .double(3.5)]
        #expect(set.count == 2)
        #expect(set.contains(.int(3)))
    }

    @Test("accessors return the payload of the matching case only")
    func accessorsReturnThePayloadOfTheMatchingCaseOnly() {
        let value: JSONValue = ["s": "x", "i": 7, "d": 2.0, "f": 2.5, "b": false, "n": nil, "a": [1], "o": ["k": 1]]
        #expect(value["s"]?.stringValue == "x")
        #expect(value["i"]?.intValue == 7)
        #expect(value["d"]?.intValue == 2)
        #expect(value["f"]?.intValue == nil)
        #expect(value["i"]?.doubleValue == 7)
        #expect(value["b"]?.boolValue == false)
        #expect(value["n"]?.isNull == true)
        #expect(value["a"]?.arrayValue == [1])
        #expect(value["o"]?.objectValue == ["k": 1])
        #expect(value["s"]?.intValue == nil)
        #expect(value["missing"] == nil)
        #expect(value[0] == nil)
        #expect(value["a"]?[0] == 1)
        #expect(value["a"]?[1] == nil)
        #expect(value["a"]?[-1] == nil)
    }

    @Test("binary values are found at any depth")
    func binaryValuesAreFoundAtAnyDepth() {
        let bytes = JSONValue.binary(ByteBuffer(bytes: [1, 2]))
        #expect(bytes.binaryValue == ByteBuffer(bytes: [1, 2]))
        #expect(JSONValue.array([["k": [bytes]]]).containsBinary)
        #expect(!JSONValue.array([["k": [1, "x"]]]).containsBinary)
    }

    @Test("description is compact JSON with binary shown by size")
    func descriptionIsCompactJSONWithBinaryShownBySize() {
        let value: JSONValue = ["a": [1, 2.5, "x\n"], "b": .binary(ByteBuffer(bytes: [1, 2, 3]))]
        #expect(value.description == #"{"a":[1,2.5,"x\n"],"b":<binary 3 bytes>}"#)
    }
}
