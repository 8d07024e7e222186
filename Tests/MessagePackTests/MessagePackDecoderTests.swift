import NIOCore
import MessagePack
import Testing

import SocketIOParser

/// Input the decoder must refuse, with the error code it must give.
struct MalformedMessagePack: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let code: MessagePackError.Code
    let offset: Int?
    let maxDepth: Int

    init(_ name: String, _ hex: String, _ code: MessagePackError.Code, at offset: Int? = nil, maxDepth: Int = 32) {
        self.init(name, MessagePackTesting.bytes(hex), code, at: offset, maxDepth: maxDepth)
    }

    init(_ name: String, _ bytes: [UInt8], _ code: MessagePackError.Code, at offset: Int? = nil, maxDepth: Int = 32) {
        self.name = name
        self.bytes = bytes
        self.code = code
        self.offset = offset
        self.maxDepth = maxDepth
    }

    var testDescription: String { self.name }

    static let corpus: [MalformedMessagePack] = [
        // Missing or cut-short values.
        .init("empty input", "", .unexpectedEnd, at: 0),
        .init("uint 8 without its byte", "cc", .unexpectedEnd, at: 0),
        .init("uint 16 with one byte", "cd 01", .unexpectedEnd, at: 0),
        .init("uint 32 with three bytes", "ce 00 00 01", .unexpectedEnd, at: 0),
        .init("uint 64 with seven bytes", "cf 00 00 00 00 00 00 01", .unexpectedEnd, at: 0),
        .init("int 8 without its byte", "d0", .unexpectedEnd, at: 0),
        .init("int 16 with one byte", "d1 ff", .unexpectedEnd, at: 0),
        .init("int 32 with two bytes", "d2 ff ff", .unexpectedEnd, at: 0),
        .init("int 64 with four bytes", "d3 ff ff ff ff", .unexpectedEnd, at: 0),
        .init("float 32 with three bytes", "ca 3f c0 00", .unexpectedEnd, at: 0),
        .init("float 64 with four bytes", "cb 3f f8 00 00", .unexpectedEnd, at: 0),
        .init("str 8 without its length", "d9", .unexpectedEnd, at: 0),
        .init("str 16 with half a length", "da 00", .unexpectedEnd, at: 0),
        .init("bin 32 with half a length", "c6 00 00", .unexpectedEnd, at: 0),
        .init("array 16 with half a length", "dc 00", .unexpectedEnd, at: 0),
        .init("map 32 with three length bytes", "df 00 00 00", .unexpectedEnd, at: 0),
        .init("ext 8 without its type", "c7 04", .unexpectedEnd, at: 0),
        .init("fixext 1 without its type", "d4", .unexpectedEnd, at: 0),
        .init("array declaring more elements than bytes", "93 01 02", .lengthExceedsInput, at: 0),
        .init("array missing its last element", "92 a1 61", .unexpectedEnd, at: 3),
        .init("map key without a value", "81 a1 61", .unexpectedEnd, at: 3),
        .init("map missing its second key", "82 a1 61 01 a1", .lengthExceedsInput, at: 4),
        // Declared lengths beyond the input (nothing may be allocated for them).
        .init("fixstr longer than the input", "a5 61 62", .lengthExceedsInput, at: 0),
        .init("str 8 longer than the input", "d9 05 61 62", .lengthExceedsInput, at: 0),
        .init("str 16 longer than the input", "da 01 00 61", .lengthExceedsInput, at: 0),
        .init("str 32 declaring 4 GiB", "db ff ff ff ff 61", .lengthExceedsInput, at: 0),
        .init("bin 8 longer than the input", "c4 03 01 02", .lengthExceedsInput, at: 0),
        .init("bin 16 longer than the input", "c5 ff ff 00", .lengthExceedsInput, at: 0),
        .init("bin 32 declaring 4 GiB", "c6 ff ff ff ff", .lengthExceedsInput, at: 0),
        .init("array 16 declaring 65535 elements", "dc ff ff c0 c0", .lengthExceedsInput, at: 0),
        .init("array 32 declaring 4 G elements", "dd ff ff ff ff c0", .lengthExceedsInput, at: 0),
        .init("map 16 declaring 65535 entries", "de ff ff a1 61 01", .lengthExceedsInput, at: 0),
        .init("map 32 declaring 4 G entries", "df ff ff ff ff a1 61 01", .lengthExceedsInput, at: 0),
        .init("map 16 declaring one entry too many for its bytes", "de 00 03 a1 61 01 c0", .lengthExceedsInput, at: 0),
        .init("ext 32 declaring 4 GiB", "c9 ff ff ff ff ff 00", .lengthExceedsInput, at: 0),
        .init(
            "fixext 16 with 15 bytes", "d8 ff 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
            .lengthExceedsInput, at: 0),
        .init("nested string longer than the input", "92 01 a3 61", .lengthExceedsInput, at: 2),
        // Invalid type byte.
        .init("0xc1 alone", "c1", .invalidTypeByte, at: 0),
        .init("0xc1 inside an array", "92 01 c1", .invalidTypeByte, at: 2),
        .init("0xc1 as a map key", "81 c1 01", .nonStringMapKey, at: 1),
        // Map keys that are not strings.
        .init("positive fixint key", "81 01 02", .nonStringMapKey, at: 1),
        .init("negative fixint key", "81 ff 02", .nonStringMapKey, at: 1),
        .init("uint 16 key", "81 cd 01 00 02", .nonStringMapKey, at: 1),
        .init("nil key", "81 c0 02", .nonStringMapKey, at: 1),
        .init("boolean key", "81 c3 02", .nonStringMapKey, at: 1),
        .init("float 64 key", "81 cb 3f f8 00 00 00 00 00 00 02", .nonStringMapKey, at: 1),
        .init("binary key", "81 c4 01 61 02", .nonStringMapKey, at: 1),
        .init("array key", "81 90 02", .nonStringMapKey, at: 1),
        .init("map key", "81 80 02", .nonStringMapKey, at: 1),
        .init("timestamp key", "81 d6 ff 00 00 00 00 02", .nonStringMapKey, at: 1),
        .init("second key not a string", "82 a1 61 01 02 03", .nonStringMapKey, at: 4),
        .init("nested map with an integer key", "81 a1 61 81 07 08", .nonStringMapKey, at: 4),
        // Extensions other than the timestamp, and bad timestamps.
        .init("fixext 1 of type 1", "d4 01 00", .unsupportedExtension, at: 0),
        .init(
            "fixext 16 of type 127", "d8 7f 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", .unsupportedExtension,
            at: 0),
        .init("ext 8 of type -2", "c7 02 fe 00 00", .unsupportedExtension, at: 0),
        .init("empty ext 8 of type 5", "c7 00 05", .unsupportedExtension, at: 0),
        .init("timestamp in a fixext 1", "d4 ff 00", .invalidTimestamp, at: 0),
        .init("timestamp in a fixext 2", "d5 ff 00 00", .invalidTimestamp, at: 0),
        .init(
            "timestamp in a fixext 16", "d8 ff 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00", .invalidTimestamp,
            at: 0),
        .init("timestamp of 3 bytes in an ext 8", "c7 03 ff 00 00 00", .invalidTimestamp, at: 0),
        .init("timestamp 64 with 10^9 nanoseconds", "d7 ff ee 6b 28 00 00 00 00 00", .invalidTimestamp, at: 0),
        .init(
            "timestamp 96 with 10^9 nanoseconds", "c7 0c ff 3b 9a ca 00 00 00 00 00 00 00 00 00", .invalidTimestamp,
            at: 0),
        .init(
            "timestamp 96 past a JavaScript Date's range", "c7 0c ff 00 00 00 00 7f ff ff ff ff ff ff ff",
            .invalidTimestamp, at: 0),
        .init(
            "timestamp 96 before a JavaScript Date's range", "c7 0c ff 00 00 00 00 80 00 00 00 00 00 00 00",
            .invalidTimestamp, at: 0),
        .init(
            "timestamp 96 one second past 8.64e15 ms", "c7 0c ff 00 00 00 00 00 00 07 db a8 21 80 01",
            .invalidTimestamp, at: 0),
        .init("ext 8 timestamp declaring more than the input", "c7 0c ff 00 00", .lengthExceedsInput, at: 0),
        // Trailing bytes.
        .init("two values", "c0 c0", .trailingData, at: 1),
        .init("array followed by a byte", "91 01 02", .trailingData, at: 2),
        .init("string followed by a byte", "a1 61 62", .trailingData, at: 2),
        // Depth.
        .init("33 nested arrays", [UInt8](repeating: 0x91, count: 33) + [0xc0], .depthLimitExceeded, at: 32),
        .init(
            "33 nested maps", Array([[UInt8]](repeating: [0x81, 0xa1, 0x6b], count: 33).joined()) + [0xc0],
            .depthLimitExceeded, at: 96),
        .init(
            "alternating arrays and maps past the limit",
            Array([[UInt8]](repeating: [0x91, 0x81, 0xa0], count: 17).joined()) + [0xc0], .depthLimitExceeded, at: 48),
        .init("a million nested arrays", [UInt8](repeating: 0x91, count: 1_000_000), .depthLimitExceeded, at: 32),
        .init("nested arrays past a custom limit of 1", "91 91 c0", .depthLimitExceeded, at: 1, maxDepth: 1),
        .init("map in an array past a custom limit of 1", "91 80", .depthLimitExceeded, at: 1, maxDepth: 1),
    ]
}

@Suite("MessagePackDecoder")
struct MessagePackDecoderTests {
    @Test("reads every canonical encoding back", arguments: MessagePackVector.canonical)
    func readsCanonicalEncodings(_ vector: MessagePackVector) throws {
        let value = try MessagePackTesting.decode(vector.bytes)
        #expect(value == vector.value)
    }

    @Test(
        "reads non-minimal and JavaScript-only forms",
        arguments: [
            ("cd 00 05", 5), ("ce 00 00 00 05", 5), ("cf 00 00 00 00 00 00 00 05", 5),
            ("d0 05", 5), ("d1 00 05", 5), ("d2 ff ff ff fb", -5), ("d3 ff ff ff ff ff ff ff fb", -5),
            ("cc ff", 255), ("d0 80", -128), ("d9 01 61", "a"), ("da 00 01 61", "a"), ("db 00 00 00 01 61", "a"),
            ("c5 00 01 07", .binary(ByteBuffer(bytes: [7]))), ("c6 00 00 00 01 07", .binary(ByteBuffer(bytes: [7]))),
            ("dc 00 01 01", [1]), ("dd 00 00 00 01 01", [1]),
            ("de 00 01 a1 61 01", ["a": 1]), ("df 00 00 00 01 a1 61 01", ["a": 1]),
            ("de 00 00", [:]), ("dc 00 00", []), ("d9 00", ""),
            // float 32 (never written by Node, but valid MessagePack)
            ("ca 3f c0 00 00", 1.5), ("ca 7f 80 00 00", .double(.infinity)), ("ca 00 00 00 00", 0),
            ("ca 3d cc cc cd", .double(Double(Float(0.1)))),
            // float 64 holding an integer: JavaScript sees the number 3
            ("cb 40 08 00 00 00 00 00 00", 3),
            // uint 64 above Int64.max: the nearest double, as in JavaScript
            ("cf ff ff ff ff ff ff ff ff", .double(18_446_744_073_709_551_615.0)),
            ("cf 80 00 00 00 00 00 00 00", .double(9_223_372_036_854_775_808.0)),
            // duplicate keys: the last value wins, at the key's first position
            ("82 a1 61 01 a1 61 02", ["a": 2]),
            ("83 a1 61 01 a1 62 02 a1 61 03", ["a": 3, "b": 2]),
            // map keys in str 8/16/32
            ("81 d9 01 6b c3", ["k": true]), ("81 da 00 01 6b c3", ["k": true]),
            ("81 db 00 00 00 01 6b c3", ["k": true]),
        ] as [(String, JSONValue)]
    )
    func readsOtherForms(_ hex: String, _ expected: JSONValue) throws {
        let value = try MessagePackTesting.decode(MessagePackTesting.bytes(hex))
        #expect(value == expected)
    }

    /// msgpack-javascript writes a `Date` as the timestamp extension and reads it back as
    /// `new Date(sec * 1000 + nsec / 1e6)`; Socket.IO sends that on as `toISOString()`.
    /// Expected strings were produced by Node's `new Date(ms).toISOString()`.
    @Test(
        "reads timestamps as the ISO string of the JavaScript Date",
        arguments: [
            ("timestamp 32: epoch", "d6 ff 00 00 00 00", "1970-01-01T00:00:00.000Z"),
            ("timestamp 32: 1700000000 s", "d6 ff 65 53 f1 00", "2023-11-14T22:13:20.000Z"),
            ("timestamp 32: largest", "d6 ff ff ff ff ff", "2106-02-07T06:28:15.000Z"),
            // nsec30 = 123456789 (ms part truncated to .123), sec34 = 1700000000
            ("timestamp 64: 1700000000.123456789 s", "d7 ff 1d 6f 34 54 65 53 f1 00", "2023-11-14T22:13:20.123Z"),
            // sec34 = 2^34 - 1, nsec = 999999999: JavaScript's double sum rounds up to the next second
            ("timestamp 64: largest", "d7 ff ee 6b 27 ff ff ff ff ff", "2514-05-30T01:53:04.000Z"),
            ("timestamp 96: -1 s", "c7 0c ff 00 00 00 00 ff ff ff ff ff ff ff ff", "1969-12-31T23:59:59.000Z"),
            // -1 s + 1 ns = -999.999999 ms, truncated toward zero by the Date constructor
            ("timestamp 96: -1 s + 1 ns", "c7 0c ff 00 00 00 01 ff ff ff ff ff ff ff ff", "1969-12-31T23:59:59.001Z"),
            ("timestamp 96: year 10000", "c7 0c ff 00 00 00 00 00 00 00 3a ff f4 41 80", "+010000-01-01T00:00:00.000Z"),
            ("timestamp 96: year -1", "c7 0c ff 00 00 00 00 ff ff ff f1 84 aa 50 80", "-000001-01-01T00:00:00.000Z"),
            (
                "timestamp 96: year 0, last millisecond", "c7 0c ff 3b 8b 87 c0 ff ff ff f1 88 6e 08 ff",
                "0000-12-31T23:59:59.999Z"
            ),
            (
                "timestamp 96: 8.64e15 ms, the latest Date", "c7 0c ff 00 00 00 00 00 00 07 db a8 21 80 00",
                "+275760-09-13T00:00:00.000Z"
            ),
            (
                "timestamp 96: -8.64e15 ms, the earliest Date", "c7 0c ff 00 00 00 00 ff ff f8 24 57 de 80 00",
                "-271821-04-20T00:00:00.000Z"
            ),
            ("timestamp 32 in an ext 8", "c7 04 ff 65 53 f1 00", "2023-11-14T22:13:20.000Z"),
            ("timestamp 32 in an ext 32", "c9 00 00 00 04 ff 65 53 f1 00", "2023-11-14T22:13:20.000Z"),
        ]
    )
    func readsTimestamps(_ name: String, _ hex: String, _ expected: String) throws {
        #expect(try MessagePackTesting.decode(MessagePackTesting.bytes(hex)) == .string(expected))
    }

    @Test("replaces invalid UTF-8 with U+FFFD, as Node's TextDecoder does")
    func repairsInvalidUTF8() throws {
        #expect(try MessagePackTesting.decode(MessagePackTesting.bytes("a2 ff 61")) == "\u{FFFD}a")
        // A lone surrogate, as Node writes a JavaScript string holding one.
        let surrogate = try MessagePackTesting.decode(MessagePackTesting.bytes("a4 61 ed a0 80"))
        guard case .string(let text) = surrogate else {
            Issue.record("expected a string, got \(surrogate)")
            return
        }
        #expect(text.hasPrefix("a"))
        #expect(text.unicodeScalars.dropFirst().allSatisfy { $0 == "\u{FFFD}" })
        #expect(try MessagePackTesting.decode(MessagePackTesting.bytes("81 a1 ff 01")) == ["\u{FFFD}": 1])
    }

    @Test("binary values are the bytes, whatever the input's reader index")
    func binaryAndReaderIndex() throws {
        var buffer = ByteBuffer(bytes: MessagePackTesting.bytes("ff ff 91 c4 02 01 02 c1"))
        buffer.moveReaderIndex(forwardBy: 2)
        buffer.moveWriterIndex(to: 7)
        let value = try MessagePackDecoder().decode(buffer)
        #expect(value == [.binary(ByteBuffer(bytes: [1, 2]))])
        #expect(buffer.readerIndex == 2)

        buffer.moveWriterIndex(to: 8)  // now the 0xc1 is readable: an error at offset 5 from the reader index
        #expect(throws: MessagePackError.self) { try MessagePackDecoder().decode(buffer) }
        do {
            _ = try MessagePackDecoder().decode(buffer)
        } catch {
            #expect(error.code == .trailingData)
            #expect(error.offset == 5)
        }
    }

    @Test("decodes byte arrays too")
    func decodesSequences() throws {
        #expect(try MessagePackDecoder().decode([0x92, 0xc3, 0xa1, 0x78] as [UInt8]) == [true, "x"])
    }

    @Test("accepts nesting up to the limit")
    func acceptsNestingUpToTheLimit() throws {
        let thirtyTwo = [UInt8](repeating: 0x91, count: 32) + [0xc0]
        var expected: JSONValue = nil
        for _ in 0..<32 {
            expected = [expected]
        }
        #expect(try MessagePackTesting.decode(thirtyTwo) == expected)
        #expect(try MessagePackDecoder(maxDepth: 33).decode([0x91] + thirtyTwo) == [expected])
        // Empty containers count too: the top-level container is at depth 1, its children at 2.
        let flat = MessagePackTesting.bytes("82 a1 61 01 a1 62 a0")
        #expect(try MessagePackDecoder(maxDepth: 1).decode(flat) == ["a": 1, "b": ""])
        #expect(throws: MessagePackError.self) {
            try MessagePackDecoder(maxDepth: 1).decode(MessagePackTesting.bytes("91 90"))
        }
    }

    @Test("refuses malformed input with the right code and offset", arguments: MalformedMessagePack.corpus)
    func refusesMalformedInput(_ input: MalformedMessagePack) {
        guard let error = MessagePackTesting.decodeError(input.bytes, maxDepth: input.maxDepth) else {
            Issue.record("decoded \(input.name) without error")
            return
        }
        #expect(error.code == input.code, "\(error)")
        if let offset = input.offset {
            #expect(error.offset == offset, "\(error)")
        }
        #expect(error.description.hasPrefix("MessagePack error: "))
    }

    @Test("the malformed corpus is large enough")
    func corpusSize() {
        #expect(MalformedMessagePack.corpus.count >= 40)
    }

    @Test(
        "refuses every truncation of valid encodings",
        arguments: MessagePackVector.canonical.filter { $0.bytes.count < 600 })
    func refusesTruncations(_ vector: MessagePackVector) {
        for length in 0..<vector.bytes.count {
            let prefix = Array(vector.bytes.prefix(length))
            guard let error = MessagePackTesting.decodeError(prefix) else {
                Issue.record("decoded a \(length)-byte prefix of \(vector.name)")
                continue
            }
            #expect(
                error.code == .unexpectedEnd || error.code == .lengthExceedsInput,
                "\(vector.name) cut to \(length) bytes: \(error)"
            )
        }
    }

    @Test("errors describe themselves")
    func errorDescriptions() {
        let error = MessagePackTesting.decodeError(MessagePackTesting.bytes("92 01 db ff ff ff ff"))
        #expect(error?.code == .lengthExceedsInput)
        #expect(error?.offset == 2)
        #expect(
            error?.description
                == "MessagePack error: declared length exceeds the remaining input at byte 2"
                + " (str 32 declares 4294967295 bytes, 0 remain)"
        )
        let keyError = MessagePackTesting.decodeError(MessagePackTesting.bytes("81 cc 01 02"))
        #expect(keyError?.description == "MessagePack error: map key is not a string at byte 1 (key type byte 0xcc)")
    }

    /// 10 000 random inputs: uniform random bytes, bytes drawn from the interesting type
    /// bytes and small lengths, and valid encodings with bytes flipped, inserted or cut.
    /// None may crash; whatever decodes must re-encode to something that decodes the same.
    @Test("never crashes on random input")
    func fuzz() throws {
        var random = MessagePackRandomSource(seed: 0x5eed_f022)
        var trees = MessagePackRandomTrees(seed: 0x7233)
        let interesting: [UInt8] = [
            0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x8f, 0x90, 0x91, 0x92, 0x9f, 0xa0, 0xa1, 0xa3, 0xbf,
            0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
            0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf,
            0xe0, 0xff, 0x02, 0x04, 0x08, 0x0c, 0x10, 0x61,
        ]
        var seeds: [[UInt8]] = MessagePackVector.canonical.map(\.bytes).filter { $0.count < 64 }
        for _ in 0..<50 {
            seeds.append(try MessagePackTesting.encode(trees.value(depth: 3)))
        }

        var decoded = 0
        let decoder = MessagePackDecoder(maxDepth: 8)
        for iteration in 0..<10_000 {
            var bytes: [UInt8]
            switch iteration % 3 {
            case 0:
                bytes = (0..<Int.random(in: 0...48, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            case 1:
                bytes = (0..<Int.random(in: 0...48, using: &random)).map { _ in
                    interesting.randomElement(using: &random)!
                }
            default:
                bytes = seeds.randomElement(using: &random)!
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let position = Int.random(in: 0...bytes.count, using: &random)
                    switch Int.random(in: 0...2, using: &random) {
                    case 0 where position < bytes.count:
                        bytes[position] = UInt8.random(in: 0...255, using: &random)
                    case 1:
                        bytes.insert(interesting.randomElement(using: &random)!, at: position)
                    default:
                        bytes.removeLast(min(bytes.count, Int.random(in: 0...3, using: &random)))
                    }
                }
            }
            let value: JSONValue
            do {
                value = try decoder.decode(ByteBuffer(bytes: bytes))
            } catch {
                #expect(
                    error.offset >= 0 && error.offset <= bytes.count, "\(error) for \(MessagePackTesting.hex(bytes))")
                continue
            }
            decoded += 1
            let again = try decoder.decode(try MessagePackEncoder().encode(value))
            #expect(MessagePackTesting.same(again, value), "unstable round trip of \(MessagePackTesting.hex(bytes))")
        }
        #expect(decoded > 500, "the fuzzer should also reach valid inputs")
    }
}
