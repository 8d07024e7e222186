import NIOCore
import SocketIO
import Testing
@testable import TestSupport

@Suite("JSON properties")
struct JSONPropertyTests {
    @Test("random trees survive serialize then parse", arguments: 0..<8)
    func randomTreesSurviveSerializeThenParse(batch: Int) throws {
        var random = RandomJSON(seed: 0x5EED_0000 + UInt64(batch))
        for _ in 0..<250 {
            let value = random.value(depth: 5)
            let text = try value.serialized()
            let parsed = try JSONValue(parsing: text)
            #expect(parsed == value, "\(String(buffer: text))")
        }
    }

    @Test("random doubles round-trip bit for bit")
    func randomDoublesRoundTripBitForBit() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<20_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite, value != 0 else { continue }
            let parsed = try JSONValue(parsing: try JSONValue.double(value).serialized())
            #expect(parsed.doubleValue?.bitPattern == value.bitPattern, "\(value)")
        }
    }

    @Test("random integers round-trip exactly")
    func randomIntegersRoundTripExactly() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            let value = Int64(bitPattern: generator.next()) >> (generator.next() % 64)
            let parsed = try JSONValue(parsing: try JSONValue.int(value).serialized())
            guard case .int(let back) = parsed else {
                Issue.record("\(value) did not parse back as an int")
                return
            }
            #expect(back == value)
        }
    }

    @Test("random strings round-trip and never emit raw control bytes")
    func randomStringsRoundTrip() throws {
        var random = RandomJSON(seed: 99)
        for _ in 0..<2_000 {
            let string = random.string(maxLength: 40)
            let text = try JSONValue.string(string).serialized()
            #expect(!text.readableBytesView.contains { $0 < 0x20 })
            #expect(try JSONValue(parsing: text) == .string(string))
        }
    }

    @Test("random byte strings never crash the parser", arguments: 0..<4)
    func randomByteStringsNeverCrashTheParser(batch: Int) {
        var generator = SplitMix64(seed: 0xBAD_0000 + UInt64(batch))
        let alphabet = Array(#"{}[],:"\/ u0123456789abcdefnrtl-+.eE"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xA9, 0xFF]
        for _ in 0..<2_500 {
            let length = Int.random(in: 0...24, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            _ = try? bytes.withUnsafeBytes { try JSONValue(parsing: $0, maxDepth: 4) }
        }
    }

    @Test("mutating a valid document yields a value or an error, never a crash")
    func mutatingAValidDocumentNeverCrashes() throws {
        var random = RandomJSON(seed: 1234)
        var generator = SplitMix64(seed: 4321)
        for _ in 0..<500 {
            var bytes = Array(try random.value(depth: 4).serialized().readableBytesView)
            guard !bytes.isEmpty else { continue }
            for _ in 0..<3 {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[position] = UInt8.random(in: 0...255, using: &generator)
            }
            if let value = try? bytes.withUnsafeBytes({ try JSONValue(parsing: $0) }), Self.isFinite(value) {
                // Whatever parsed must serialize and parse back to itself (infinity aside, which
                // JSON cannot hold).
                #expect(try JSONValue(parsing: try value.serialized()) == value)
            }
        }
    }

    private static func isFinite(_ value: JSONValue) -> Bool {
        switch value {
        case .double(let number): number.isFinite
        case .array(let elements): elements.allSatisfy(isFinite)
        case .object(let object): object.values.allSatisfy(isFinite)
        case .null, .bool, .int, .string, .binary: true
        }
    }
}
