import NIOCore
import MessagePack
import Testing

import SocketIOParser

/// A value and the exact bytes `@msgpack/msgpack`'s `encode()` writes for the equivalent
/// JavaScript value. Written from the MessagePack specification and msgpack-javascript's
/// `Encoder` (`encodeNumber`: safe integers take the smallest integer form, every other
/// number float 64; strings and binaries take the smallest length form; `Object.keys` order).
struct MessagePackVector: Sendable, CustomTestStringConvertible {
    let name: String
    let value: JSONValue
    let bytes: [UInt8]

    init(_ name: String, _ value: JSONValue, _ hex: String) {
        self.name = name
        self.value = value
        self.bytes = MessagePackTesting.bytes(hex)
    }

    init(_ name: String, _ value: JSONValue, header: String, body: [UInt8]) {
        self.name = name
        self.value = value
        self.bytes = MessagePackTesting.bytes(header) + body
    }

    var testDescription: String { self.name }

    /// Canonical encodings: the encoder must write exactly these bytes, and the decoder must
    /// read them back to an equal value.
    static let canonical: [MessagePackVector] = {
        var vectors: [MessagePackVector] = [
            // nil, booleans
            .init("nil", .null, "c0"),
            .init("false", false, "c2"),
            .init("true", true, "c3"),
            // positive fixint 0x00-0x7f
            .init("int 0", 0, "00"),
            .init("int 1", 1, "01"),
            .init("int 127 (largest positive fixint)", 127, "7f"),
            // uint 8/16/32/64
            .init("int 128 (uint 8)", 128, "cc 80"),
            .init("int 255 (uint 8)", 255, "cc ff"),
            .init("int 256 (uint 16)", 256, "cd 01 00"),
            .init("int 65535 (uint 16)", 65535, "cd ff ff"),
            .init("int 65536 (uint 32)", 65536, "ce 00 01 00 00"),
            .init("int 4294967295 (uint 32)", 4_294_967_295, "ce ff ff ff ff"),
            .init("int 4294967296 (uint 64)", 4_294_967_296, "cf 00 00 00 01 00 00 00 00"),
            .init("int 2^53-1 (uint 64, MAX_SAFE_INTEGER)", 9_007_199_254_740_991, "cf 00 1f ff ff ff ff ff ff"),
            .init("int 2^53 (uint 64, kept exact)", 9_007_199_254_740_992, "cf 00 20 00 00 00 00 00 00"),
            .init("int Int64.max (uint 64, kept exact)", .int(.max), "cf 7f ff ff ff ff ff ff ff"),
            // negative fixint 0xe0-0xff
            .init("int -1", -1, "ff"),
            .init("int -32 (smallest negative fixint)", -32, "e0"),
            // int 8/16/32/64
            .init("int -33 (int 8)", -33, "d0 df"),
            .init("int -128 (int 8)", -128, "d0 80"),
            .init("int -129 (int 16)", -129, "d1 ff 7f"),
            .init("int -32768 (int 16)", -32768, "d1 80 00"),
            .init("int -32769 (int 32)", -32769, "d2 ff ff 7f ff"),
            .init("int -2^31 (int 32)", -2_147_483_648, "d2 80 00 00 00"),
            .init("int -2^31-1 (int 64)", -2_147_483_649, "d3 ff ff ff ff 7f ff ff ff"),
            .init("int -(2^53-1) (int 64, MIN_SAFE_INTEGER)", -9_007_199_254_740_991, "d3 ff e0 00 00 00 00 00 01"),
            .init("int Int64.min (int 64, kept exact)", .int(.min), "d3 80 00 00 00 00 00 00 00"),
            // JavaScript numbers that are not safe integers: float 64
            .init("double 1.5", 1.5, "cb 3f f8 00 00 00 00 00 00"),
            .init("double -1.5", -1.5, "cb bf f8 00 00 00 00 00 00"),
            .init("double 0.1", 0.1, "cb 3f b9 99 99 99 99 99 9a"),
            .init("double 2^53 (not a safe integer)", .double(9_007_199_254_740_992), "cb 43 40 00 00 00 00 00 00"),
            .init("double -2^53 (not a safe integer)", .double(-9_007_199_254_740_992), "cb c3 40 00 00 00 00 00 00"),
            .init("double 1e21", 1e21, "cb 44 4b 1a e4 d6 e2 ef 50"),
            .init("double Infinity", .double(.infinity), "cb 7f f0 00 00 00 00 00 00"),
            .init("double -Infinity", .double(-.infinity), "cb ff f0 00 00 00 00 00 00"),
            .init("double smallest subnormal", .double(.leastNonzeroMagnitude), "cb 00 00 00 00 00 00 00 01"),
            .init("double largest finite", .double(.greatestFiniteMagnitude), "cb 7f ef ff ff ff ff ff ff"),
            // fixstr / str 8/16/32, sized by UTF-8 bytes
            .init("string empty", "", "a0"),
            .init("string a", "a", "a1 61"),
            .init("string é (2 UTF-8 bytes)", "é", "a2 c3 a9"),
            .init("string 😀 (4 UTF-8 bytes)", "😀", "a4 f0 9f 98 80"),
            // fixarray / map with nesting
            .init("array empty", [], "90"),
            .init("array [1, 2, 3]", [1, 2, 3], "93 01 02 03"),
            .init("array of every scalar", [nil, true, false, -1, "x"], "95 c0 c3 c2 ff a1 78"),
            .init("map empty", [:], "80"),
            .init("map {a: 1}", ["a": 1], "81 a1 61 01"),
            .init("map keeps key order {b: 1, a: 2}", ["b": 1, "a": 2], "82 a1 62 01 a1 61 02"),
            .init("nested {a: [1, {b: null}]}", ["a": [1, ["b": nil]]], "81 a1 61 92 01 81 a1 62 c0"),
            // bin 8/16/32
            .init("binary empty", .binary(ByteBuffer()), "c4 00"),
            .init("binary 01 02", .binary(ByteBuffer(bytes: [1, 2])), "c4 02 01 02"),
        ]
        // Length boundaries of every length-prefixed family.
        let ascii = MessagePackTesting.ascii
        for (count, header) in [
            (31, "bf"), (32, "d9 20"), (255, "d9 ff"), (256, "da 01 00"), (65535, "da ff ff"),
            (65536, "db 00 01 00 00"),
        ] {
            vectors.append(
                .init("string of \(count) bytes", .string(ascii(count)), header: header, body: Array(ascii(count).utf8))
            )
        }
        let sixteenAccents = String(repeating: "é", count: 16)  // 16 characters, 32 UTF-8 bytes: str 8
        vectors.append(
            .init(
                "string of 16 é (32 bytes)", .string(sixteenAccents), header: "d9 20",
                body: Array(sixteenAccents.utf8))
        )
        for (count, header) in [(255, "c4 ff"), (256, "c5 01 00"), (65535, "c5 ff ff"), (65536, "c6 00 01 00 00")] {
            let bytes = MessagePackTesting.binary(count)
            vectors.append(
                .init("binary of \(count) bytes", .binary(bytes), header: header, body: MessagePackTesting.array(bytes))
            )
        }
        for (count, header) in [(15, "9f"), (16, "dc 00 10"), (65535, "dc ff ff"), (65536, "dd 00 01 00 00")] {
            let elements = [JSONValue](repeating: nil, count: count)
            vectors.append(
                .init(
                    "array of \(count)", .array(elements), header: header, body: [UInt8](repeating: 0xc0, count: count))
            )
        }
        for (count, header) in [(15, "8f"), (16, "de 00 10"), (65536, "df 00 01 00 00")] {
            var object = JSONObject(minimumCapacity: count)
            var body: [UInt8] = []
            for index in 0..<count {
                // Keys "k0", "k1", … of up to 6 bytes: all fixstr; values true.
                let key = "k\(index)"
                object[key] = true
                body.append(0xa0 + UInt8(key.utf8.count))
                body += key.utf8
                body.append(0xc3)
            }
            vectors.append(.init("map of \(count)", .object(object), header: header, body: body))
        }
        return vectors
    }()
}

@Suite("MessagePackEncoder")
struct MessagePackEncoderTests {
    @Test("writes the bytes @msgpack/msgpack writes", arguments: MessagePackVector.canonical)
    func writesCanonicalBytes(_ vector: MessagePackVector) throws {
        let bytes = try MessagePackTesting.encode(vector.value)
        #expect(bytes == vector.bytes, "got \(MessagePackTesting.hex(bytes.prefix(24)))")
    }

    /// A JavaScript number has no integer/double distinction: msgpack-javascript writes every
    /// safe integer (`Number.isSafeInteger`) in the smallest integer form, whatever produced it.
    @Test(
        "writes integral doubles as JavaScript integers",
        arguments: [
            (3.0, "03"), (0.0, "00"), (-0.0, "00"), (127.0, "7f"), (128.0, "cc 80"), (255.0, "cc ff"),
            (65536.0, "ce 00 01 00 00"), (4_294_967_296.0, "cf 00 00 00 01 00 00 00 00"),
            (9_007_199_254_740_991.0, "cf 00 1f ff ff ff ff ff ff"), (-1.0, "ff"), (-32.0, "e0"),
            (-33.0, "d0 df"), (-32768.0, "d1 80 00"), (-2_147_483_649.0, "d3 ff ff ff ff 7f ff ff ff"),
            (-9_007_199_254_740_991.0, "d3 ff e0 00 00 00 00 00 01"),
        ] as [(Double, String)]
    )
    func writesIntegralDoublesAsIntegers(_ number: Double, _ hex: String) throws {
        #expect(try MessagePackTesting.encode(.double(number)) == MessagePackTesting.bytes(hex))
    }

    @Test("writes NaN as the canonical quiet NaN")
    func writesCanonicalNaN() throws {
        let canonical = MessagePackTesting.bytes("cb 7f f8 00 00 00 00 00 00")
        #expect(try MessagePackTesting.encode(.double(.nan)) == canonical)
        #expect(try MessagePackTesting.encode(.double(-.nan)) == canonical)
        #expect(try MessagePackTesting.encode(.double(.signalingNaN)) == canonical)
        #expect(try MessagePackTesting.encode(.double(Double(nan: 0x1234, signaling: false))) == canonical)
    }

    @Test("writes a binary slice's readable bytes only")
    func writesBinarySliceReadableBytes() throws {
        var buffer = ByteBuffer(bytes: [9, 9, 1, 2, 3, 9])
        buffer.moveReaderIndex(forwardBy: 2)
        buffer.moveWriterIndex(to: 5)
        #expect(try MessagePackTesting.encode(.binary(buffer)) == MessagePackTesting.bytes("c4 03 01 02 03"))
    }

    @Test("appends to an existing buffer")
    func appendsToBuffer() throws {
        var buffer = ByteBuffer(bytes: [0xaa])
        try MessagePackEncoder().encode([1, "a"], into: &buffer)
        #expect(MessagePackTesting.array(buffer) == MessagePackTesting.bytes("aa 92 01 a1 61"))
    }

    @Test("bounds nesting depth and leaves nothing behind on failure")
    func boundsDepth() throws {
        let encoder = MessagePackEncoder(maxDepth: 2)
        #expect(MessagePackTesting.array(try encoder.encode([[1]])) == MessagePackTesting.bytes("91 91 01"))
        #expect(
            MessagePackTesting.array(try encoder.encode(["a": ["b": 1]]))
                == MessagePackTesting.bytes("81 a1 61 81 a1 62 01"))

        var buffer = ByteBuffer(bytes: [0xaa])
        do {
            try encoder.encode([1, [2, [3]]], into: &buffer)
            Issue.record("expected a depth error")
        } catch {
            #expect(error.code == .depthLimitExceeded)
            #expect(error.offset == 4)  // 92 01 92 02 | 91: the third array's header
            #expect(error.description.contains("depth"))
        }
        #expect(MessagePackTesting.array(buffer) == [0xaa])

        #expect(throws: MessagePackError.self) { try encoder.encode(["a": ["b": ["c": nil]]]) }
    }

    @Test("the default depth limit is msgpack-javascript's 100")
    func defaultDepthLimit() throws {
        var value: JSONValue = []
        for _ in 1..<100 {
            value = [value]
        }
        #expect(MessagePackEncoder.defaultMaxDepth == 100)
        #expect(try MessagePackTesting.encode(value).count == 100)  // 100 nested arrays: fine
        #expect(throws: MessagePackError.self) { try MessagePackTesting.encode([value]) }
    }
}
