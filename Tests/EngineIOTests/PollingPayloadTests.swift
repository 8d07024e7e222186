@testable import EngineIO
import NIOCore
import Testing
@testable import TestSupport

@Suite struct PollingPayloadTests {
    @Test func joinsPacketsWithTheRecordSeparator() {
        let body = PollingPayload.encode([
            .message(.string("hello")),
            .message(.binary(ByteBuffer(bytes: [1, 2, 3, 4]))),
            .text(.ping),
        ])
        #expect(String(buffer: body) == "4hello\u{1e}bAQIDBA==\u{1e}2")
    }

    @Test func splitsRecordsAndDecodesBase64() throws {
        let packets = try PollingPayload.decode(ByteBuffer(string: "4test1\u{1e}4test2\u{1e}bAQIDBA==\u{1e}3"))
        #expect(packets.count == 4)
        #expect(packets[0].message?.stringValue == "test1")
        #expect(packets[1].message?.stringValue == "test2")
        #expect(packets[2].message == .binary(ByteBuffer(bytes: [1, 2, 3, 4])))
        #expect(packets[3].type == .pong)
    }

    @Test func malformedPayloadsThrow() {
        let corpus = ["", "\u{1e}", "4a\u{1e}", "\u{1e}4a", "abc", "4a\u{1e}\u{1e}4b", "b@@@@", "bA", "bAQ=\u{1e}x", "9", "b====",
                      "bAQIDBA=x", "bA=B="]
        for body in corpus {
            #expect(throws: EngineProtocolError.self, "\(body.debugDescription)") {
                try PollingPayload.decode(ByteBuffer(string: body))
            }
        }
    }

    @Test func randomPacketListsRoundTrip() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<300 {
            var packets: [EnginePacket] = []
            for _ in 0..<Int(generator.next() % 5 + 1) {
                let length = Int(generator.next() % 40)
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                if generator.next() % 2 == 0 {
                    packets.append(.message(.binary(ByteBuffer(bytes: bytes))))
                } else {
                    // Text must not contain the record separator, which the format reserves.
                    let text = String(decoding: bytes.map { 0x20 + $0 % 0x5E }, as: UTF8.self)
                    packets.append(.message(.string(text)))
                }
            }
            let decoded = try PollingPayload.decode(PollingPayload.encode(packets))
            #expect(decoded.map(\.message) == packets.map(\.message))
        }
    }
}

