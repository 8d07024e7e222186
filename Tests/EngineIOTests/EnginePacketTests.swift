@testable import EngineIO
import NIOCore
import Testing
@testable import TestSupport

@Suite struct EnginePacketTests {
    @Test func decodesEveryTextPacketType() throws {
        for type in EnginePacketType.allCases {
            let packet = try EnginePacket.decode(text: ByteBuffer(string: "\(type.rawValue - 0x30)data"))
            #expect(packet.type == type)
            #expect(!packet.isBinary)
            #expect(String(buffer: packet.data) == "data")
        }
    }

    @Test func rejectsUnknownTypesAndEmptyPackets() {
        for bad in ["", "7", "9x", "abc", "b", " 4hello", "-1"] {
            #expect(throws: EngineProtocolError.self) { try EnginePacket.decode(text: ByteBuffer(string: bad)) }
        }
    }

    @Test func messagePacketKeepsTextAndBinaryApart() {
        let text = EnginePacket.message(.string("héllo"))
        #expect(String(buffer: text.wire) == "4héllo")
        #expect(text.message == .string("héllo"))
        let binary = EnginePacket.message(.binary(ByteBuffer(bytes: [1, 2, 3])))
        #expect(binary.isBinary)
        #expect(binary.wire == ByteBuffer(bytes: [1, 2, 3]))
        #expect(binary.message == .binary(ByteBuffer(bytes: [1, 2, 3])))
    }

    @Test func prefixedTextMustStartWithTheMessageDigit() throws {
        let packet = try EnginePacket.message(prefixedText: ByteBuffer(string: "42[\"a\"]"))
        #expect(packet.message?.stringValue == "2[\"a\"]")
        #expect(throws: EngineProtocolError.self) { try EnginePacket.message(prefixedText: ByteBuffer(string: "2")) }
    }

    @Test func dataIsASliceOfTheWire() throws {
        let packet = try EnginePacket.decode(text: ByteBuffer(string: "4"))
        #expect(packet.data.readableBytes == 0)
        #expect(packet.message == .text(ByteBuffer()))
    }
}
