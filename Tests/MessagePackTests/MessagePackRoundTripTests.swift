import NIOCore
import MessagePack
import Testing

import SocketIOParser

@Suite("MessagePack round trips")
struct MessagePackRoundTripTests {
    /// Random trees with every scalar kind, binary values and size-class boundaries
    /// (strings of 31/32/255/256 bytes, binaries of 255/256/65535/65536 bytes, containers of
    /// 15/16/17 entries) decode to an equal tree, and re-encoding gives the same bytes.
    @Test("random trees survive encode then decode", arguments: [1, 2, 3, 4] as [UInt64])
    func randomTrees(seed: UInt64) throws {
        var trees = MessagePackRandomTrees(seed: seed)
        let encoder = MessagePackEncoder()
        let decoder = MessagePackDecoder()
        for _ in 0..<150 {
            let value = trees.value(depth: 4)
            let encoded = try encoder.encode(value)
            let decoded = try decoder.decode(encoded)
            #expect(MessagePackTesting.same(decoded, value), "\(value)")
            let reencoded = try encoder.encode(decoded)
            #expect(reencoded == encoded)
        }
    }

    /// Values that JavaScript would see the same way survive as equal `JSONValue`s, even where
    /// the case changes: an integral double comes back as `.int`, a huge uint 64 as `.double`.
    @Test("numbers keep their JavaScript value")
    func numbers() throws {
        let samples: [JSONValue] = [
            .double(3), .double(-0.0), .double(9_007_199_254_740_991), .double(-9_007_199_254_740_991),
            .double(9_007_199_254_740_992), .double(0.5), .int(.max), .int(.min), .int((1 << 53) + 1),
        ]
        for sample in samples {
            #expect(try MessagePackTesting.decode(MessagePackTesting.encode(sample)) == sample)
        }
        #expect(try MessagePackTesting.decode(MessagePackTesting.encode(.double(3))) == .int(3))
        guard case .double(let nan) = try MessagePackTesting.decode(MessagePackTesting.encode(.double(.nan))) else {
            Issue.record("NaN did not decode as a double")
            return
        }
        #expect(nan.isNaN)
    }

    @Test("deep trees up to the depth limit round-trip")
    func deepTrees() throws {
        var value: JSONValue = .binary(ByteBuffer(bytes: [0xde, 0xad]))
        for level in 0..<JSONValue.defaultMaxDepth {
            value = level.isMultiple(of: 2) ? [value] : ["k": value]
        }
        #expect(try MessagePackTesting.decode(MessagePackTesting.encode(value)) == value)
        #expect(throws: MessagePackError.self) { try MessagePackTesting.decode(MessagePackTesting.encode([value])) }
    }

    @Test("large containers and strings round-trip")
    func largeValues() throws {
        var object = JSONObject()
        for index in 0..<70_000 {
            object["key\(index)"] = index.isMultiple(of: 2) ? .int(Int64(index)) : .string("v\(index)")
        }
        let value: JSONValue = [
            .object(object),
            .array((0..<70_000).map { .int(Int64($0)) }),
            .string(String(repeating: "é😀", count: 20_000)),
            .binary(MessagePackTesting.binary(100_000)),
        ]
        let encoded = try MessagePackTesting.encode(value)
        #expect(Array(encoded.prefix(2)) == [0x94, 0xdf])  // array of 4, then map 32
        #expect(try MessagePackTesting.decode(encoded) == value)
    }
}
