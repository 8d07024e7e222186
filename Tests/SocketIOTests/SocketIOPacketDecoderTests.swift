import NIOCore
import SocketIO
import Testing
@testable import TestSupport

@Suite("SocketIOPacketDecoder")
struct SocketIOPacketDecoderTests {
    private func decode(_ text: String) throws -> SocketIOPacket? {
        var decoder = SocketIOPacketDecoder()
        return try decoder.receive(text: ByteBuffer(string: text))
    }

    @Test("packets from the protocol document decode")
    func packetsFromTheProtocolDocumentDecode() throws {
        #expect(try self.decode("0") == .connect())
        #expect(try self.decode(#"0{"token":"123"}"#) == .connect(data: ["token": "123"]))
        #expect(try self.decode("0/admin,") == .connect(namespace: "/admin"))
        #expect(try self.decode(#"0/admin,{"sid":"x"}"#) == .connect(namespace: "/admin", data: ["sid": "x"]))
        #expect(try self.decode(#"4{"message":"Not authorized"}"#) == .connectError(message: "Not authorized"))
        #expect(try self.decode(#"2["foo"]"#) == .event("foo"))
        #expect(try self.decode(#"2/admin,["bar"]"#) == .event("bar", namespace: "/admin"))
        #expect(try self.decode(#"212["foo"]"#) == .event("foo", ackId: 12))
        #expect(try self.decode("312[]") == .ack([], ackId: 12))
        #expect(try self.decode(#"2/admin,13["foo"]"#) == .event("foo", namespace: "/admin", ackId: 13))
        #expect(try self.decode(#"3/admin,13["bar"]"#) == .ack(["bar"], ackId: 13, namespace: "/admin"))
        #expect(try self.decode("1") == .disconnect())
        #expect(try self.decode("1/admin,") == .disconnect(namespace: "/admin"))
        #expect(
            try self.decode(#"2456["message-with-ack",1,"2",{"3":[false]}]"#)
                == .event("message-with-ack", [1, "2", ["3": [false]]], ackId: 456)
        )
    }

    @Test("a namespace may run to the end of the message, as the official test suite sends it")
    func aNamespaceMayRunToTheEnd() throws {
        #expect(try self.decode("0/random") == .connect(namespace: "/random"))
        #expect(try self.decode("1/custom") == .disconnect(namespace: "/custom"))
        #expect(try self.decode("0/") == .connect())
        #expect(try self.decode("0/,") == .connect())
    }

    @Test("event accessors expose the name and arguments")
    func eventAccessorsExposeTheNameAndArguments() throws {
        let packet = try #require(try self.decode(#"2["chat","hi",{"n":1}]"#))
        #expect(packet.eventName == "chat")
        #expect(Array(packet.arguments) == ["hi", ["n": 1]])
        let ack = try #require(try self.decode(#"37["ok",2]"#))
        #expect(ack.eventName == nil)
        #expect(Array(ack.arguments) == ["ok", 2])
    }

    @Test("a binary packet waits for its attachments and then replaces its placeholders")
    func aBinaryPacketWaitsForItsAttachments() throws {
        var decoder = SocketIOPacketDecoder()
        let text = ByteBuffer(string: #"52-/admin,789["message",{"_placeholder":true,"num":1},{"k":{"_placeholder":true,"num":0}}]"#)
        #expect(try decoder.receive(text: text) == nil)
        #expect(decoder.isAwaitingAttachments)
        #expect(try decoder.receive(binary: ByteBuffer(bytes: [1, 2, 3])) == nil)
        let packet = try decoder.receive(binary: ByteBuffer(bytes: [4, 5, 6]))
        #expect(!decoder.isAwaitingAttachments)
        #expect(
            packet
                == SocketIOPacket(
                    type: .binaryEvent,
                    namespace: "/admin",
                    data: ["message", .binary(ByteBuffer(bytes: [4, 5, 6])), ["k": .binary(ByteBuffer(bytes: [1, 2, 3]))]],
                    ackId: 789,
                    attachmentCount: 2
                )
        )
        // The decoder is ready for the next packet.
        #expect(try decoder.receive(text: ByteBuffer(string: #"2["next"]"#)) == .event("next"))
    }

    @Test("placeholders follow the reference: _placeholder true marks one, anything else stays an object")
    func placeholdersFollowTheReference() throws {
        var decoder = SocketIOPacketDecoder()
        let text =
            #"61-3[{"_placeholder":true,"num":0,"extra":1},{"_placeholder":"true","num":0},"#
            + #"{"_placeholder":1,"num":0},{"num":0},{"_placeholder":true,"num":0.0}]"#
        #expect(try decoder.receive(text: text) == nil)
        let packet = try #require(try decoder.receive(binary: ByteBuffer(bytes: [7])))
        let seven = JSONValue.binary(ByteBuffer(bytes: [7]))
        #expect(
            packet.data
                == [
                    seven, ["_placeholder": "true", "num": 0], ["_placeholder": 1, "num": 0], ["num": 0], seven,
                ]
        )
    }

    @Test("placeholders in a plain event stay objects")
    func placeholdersInAPlainEventStayObjects() throws {
        let packet = try self.decode(#"2["e",{"_placeholder":true,"num":0}]"#)
        #expect(packet?.data == ["e", ["_placeholder": true, "num": 0]])
    }

    static let badPlaceholders = [
        #"51-["e",{"_placeholder":true,"num":1}]"#,
        #"51-["e",{"_placeholder":true,"num":-1}]"#,
        #"51-["e",{"_placeholder":true,"num":"0"}]"#,
        #"51-["e",{"_placeholder":true}]"#,
        #"51-["e",{"_placeholder":true,"num":0.5}]"#,
        #"51-["e",[[{"_placeholder":true,"num":null}]]]"#,
    ]

    @Test("a placeholder that names no attachment is refused", arguments: badPlaceholders)
    func aPlaceholderThatNamesNoAttachmentIsRefused(text: String) throws {
        var decoder = SocketIOPacketDecoder()
        #expect(try decoder.receive(text: text) == nil)
        let error = #expect(throws: SocketIOParserError.self) { try decoder.receive(binary: ByteBuffer(bytes: [1])) }
        #expect(error?.code == .invalidPlaceholder)
        #expect(!decoder.isAwaitingAttachments)
    }

    @Test("a binary message with no pending binary packet is refused")
    func aBinaryMessageWithNoPendingPacketIsRefused() throws {
        var decoder = SocketIOPacketDecoder()
        let error = #expect(throws: SocketIOParserError.self) { try decoder.receive(binary: ByteBuffer(bytes: [1])) }
        #expect(error?.code == .unexpectedBinaryMessage)
        _ = try decoder.receive(text: #"2["x"]"#)
        #expect(throws: SocketIOParserError.self) { try decoder.receive(binary: ByteBuffer(bytes: [1])) }
    }

    @Test("a text message while attachments are pending is refused and resets the decoder")
    func aTextMessageWhileAttachmentsArePendingIsRefused() throws {
        var decoder = SocketIOPacketDecoder()
        #expect(try decoder.receive(text: #"52-["e",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#) == nil)
        #expect(try decoder.receive(binary: ByteBuffer(bytes: [1])) == nil)
        let error = #expect(throws: SocketIOParserError.self) { try decoder.receive(text: #"2["x"]"#) }
        #expect(error?.code == .unexpectedTextMessage)
        #expect(!decoder.isAwaitingAttachments)
        #expect(try decoder.receive(text: #"2["x"]"#) == .event("x"))
    }

    @Test("reset drops a partly received packet")
    func resetDropsAPartlyReceivedPacket() throws {
        var decoder = SocketIOPacketDecoder()
        #expect(try decoder.receive(text: #"51-["e",{"_placeholder":true,"num":0}]"#) == nil)
        decoder.reset()
        #expect(!decoder.isAwaitingAttachments)
        #expect(throws: SocketIOParserError.self) { try decoder.receive(binary: ByteBuffer(bytes: [1])) }
    }

    @Test("the attachment limit is an init parameter")
    func theAttachmentLimitIsAnInitParameter() throws {
        let text = #"53-["e",{"_placeholder":true,"num":0}]"#
        var strict = SocketIOPacketDecoder(maxAttachments: 2)
        let error = #expect(throws: SocketIOParserError.self) { try strict.receive(text: text) }
        #expect(error?.code == .tooManyAttachments)
        var lenient = SocketIOPacketDecoder(maxAttachments: 3)
        #expect(try lenient.receive(text: text) == nil)
    }

    @Test("the depth limit is an init parameter")
    func theDepthLimitIsAnInitParameter() throws {
        let text = #"2["e",[[[1]]]]"#
        var strict = SocketIOPacketDecoder(maxDepth: 3)
        let error = #expect(throws: SocketIOParserError.self) { try strict.receive(text: text) }
        #expect(error?.code == .invalidJSON)
        #expect(error?.offset == 8)
        var lenient = SocketIOPacketDecoder(maxDepth: 4)
        #expect(try lenient.receive(text: text) != nil)
    }

    @Test("errors describe themselves with code, offset and detail")
    func errorsDescribeThemselves() {
        let error = #expect(throws: SocketIOParserError.self) { try self.decode(#"2/admin,["a",]"#) }
        #expect(error?.code == .invalidJSON)
        #expect(error?.offset == 13)
        #expect(error?.description == "Socket.IO parser error: invalid JSON payload at byte 13 (unexpected byte)")
    }

    static let malformed: [String] = [
        "", "7", "9[]", "a", "-", " 2[\"a\"]", "+2[\"a\"]",
        "2", "2{}", "2[]", "2[1]", "2[null]", "2\"event\"", "2[\"connect\"]", "2[\"disconnect\"]", "2[\"newListener\"]",
        "2/admin,[\"a\",]", "2abc[\"a\"]", "2[\"a\"]x", "2[\"a\"", "2[\"a\"] [\"b\"]", "2/admin[\"a\"]",
        "21234567890123456[\"a\"]", "2,[\"a\"]",
        "3", "3[]", "31{}", "31\"x\"", "3/admin,[1]",
        "0[]", "0\"x\"", "01{}", "0/admin,1", "0null",
        "1{}", "1/admin,{}", "11", "1[]",
        "4", "4[]", "41\"x\"", "4/admin,", "4null", "4 1",
        "5[\"a\",{\"_placeholder\":true,\"num\":0}]", "50-[\"a\"]", "5x-[\"a\"]", "51[\"a\"]", "5-[\"a\"]",
        "511-[\"a\"]", "599999999999999999999999-[\"a\"]", "51-", "51-[]", "51-[1]", "51-{}",
        "6-1[\"a\"]", "61-[\"a\"]", "61-1{}",
        "2[" + String(repeating: "[", count: 40) + String(repeating: "]", count: 41),
        "2[\"\\ud83d\\u12\"]", "2[\"a\tb\"]",
    ]

    @Test("malformed packets are refused", arguments: malformed)
    func malformedPacketsAreRefused(text: String) {
        #expect(throws: SocketIOParserError.self) { try self.decode(text) }
    }

    static let malformedBytes: [[UInt8]] = [
        Array("2/".utf8) + [0xFF, 0xFE] + Array(",[\"a\"]".utf8),
        Array("2[\"".utf8) + [0xC0, 0xAF] + Array("\"]".utf8),
        [0x32, 0x00],
    ]

    @Test("malformed bytes are refused", arguments: malformedBytes)
    func malformedBytesAreRefused(bytes: [UInt8]) {
        var decoder = SocketIOPacketDecoder()
        #expect(throws: SocketIOParserError.self) { try decoder.receive(text: ByteBuffer(bytes: bytes)) }
    }

    @Test("random messages never crash the decoder")
    func randomMessagesNeverCrashTheDecoder() {
        var generator = SplitMix64(seed: 0x50C1E7)
        let alphabet = Array(#"0123456-/,[]{}"_placeholder:truenum"#.utf8) + [0x00, 0xFF]
        var decoder = SocketIOPacketDecoder()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...20, using: &generator)
            var buffer = ByteBuffer()
            for _ in 0..<length {
                buffer.writeInteger(alphabet.randomElement(using: &generator)!)
            }
            if Int.random(in: 0...3, using: &generator) == 0 {
                _ = try? decoder.receive(binary: buffer)
            } else {
                _ = try? decoder.receive(text: buffer)
            }
        }
    }
}
