import NIOCore
import SocketIO
import Testing

@Suite("SocketIOPacketEncoder")
struct SocketIOPacketEncoderTests {
    private let encoder = SocketIOPacketEncoder()

    private func text(_ packet: SocketIOPacket) throws -> String {
        String(buffer: try self.encoder.encode(packet).text)
    }

    private static let bytes1234 = JSONValue.binary(ByteBuffer(bytes: [1, 2, 3, 4]))

    @Test("packets encode as in the protocol document")
    func packetsEncodeAsInTheProtocolDocument() throws {
        #expect(try self.text(.connect()) == "0")
        #expect(try self.text(.connect(data: ["sid": "wZX3oN0bSVIhsaknAAAI"])) == #"0{"sid":"wZX3oN0bSVIhsaknAAAI"}"#)
        #expect(try self.text(.connect(namespace: "/admin")) == "0/admin,")
        #expect(
            try self.text(.connect(namespace: "/admin", data: ["sid": "oSO0OpakMV_3jnilAAAA"]))
                == #"0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}"#
        )
        #expect(try self.text(.connectError(message: "Not authorized")) == #"4{"message":"Not authorized"}"#)
        #expect(try self.text(.event("foo")) == #"2["foo"]"#)
        #expect(try self.text(.event("bar", namespace: "/admin")) == #"2/admin,["bar"]"#)
        #expect(try self.text(.event("foo", ackId: 12)) == #"212["foo"]"#)
        #expect(try self.text(.ack([], ackId: 12)) == "312[]")
        #expect(try self.text(.event("foo", namespace: "/admin", ackId: 13)) == #"2/admin,13["foo"]"#)
        #expect(try self.text(.ack(["bar"], ackId: 13, namespace: "/admin")) == #"3/admin,13["bar"]"#)
        #expect(try self.text(.disconnect()) == "1")
        #expect(try self.text(.disconnect(namespace: "/admin")) == "1/admin,")
        #expect(try self.text(SocketIOPacket(type: .connectError, data: "plain")) == #"4"plain""#)
    }

    @Test("binary values become placeholders and attachments")
    func binaryValuesBecomePlaceholdersAndAttachments() throws {
        let encoded = try self.encoder.encode(.event("baz", [Self.bytes1234]))
        #expect(String(buffer: encoded.text) == #"51-["baz",{"_placeholder":true,"num":0}]"#)
        #expect(encoded.attachments == [ByteBuffer(bytes: [1, 2, 3, 4])])

        let two = try self.encoder.encode(
            .event("baz", [.binary(ByteBuffer(bytes: [1, 2])), .binary(ByteBuffer(bytes: [3, 4]))], namespace: "/admin")
        )
        #expect(
            String(buffer: two.text)
                == #"52-/admin,["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#
        )
        #expect(two.attachments == [ByteBuffer(bytes: [1, 2]), ByteBuffer(bytes: [3, 4])])
    }

    @Test("binary events and acks carry their ack id after the namespace")
    func binaryPacketsCarryTheirAckId() throws {
        #expect(try self.text(.event("foo", [Self.bytes1234], ackId: 14)) == #"51-14["foo",{"_placeholder":true,"num":0}]"#)
        #expect(try self.text(.ack(["bar", Self.bytes1234], ackId: 15)) == #"61-15["bar",{"_placeholder":true,"num":0}]"#)
    }

    @Test("attachments are numbered depth first")
    func attachmentsAreNumberedDepthFirst() throws {
        let a = JSONValue.binary(ByteBuffer(bytes: [0xA]))
        let b = JSONValue.binary(ByteBuffer(bytes: [0xB]))
        let c = JSONValue.binary(ByteBuffer(bytes: [0xC]))
        let encoded = try self.encoder.encode(.event("e", [["x": [a, ["y": b]]], c]))
        #expect(
            String(buffer: encoded.text)
                == #"53-["e",{"x":[{"_placeholder":true,"num":0},{"y":{"_placeholder":true,"num":1}}]},{"_placeholder":true,"num":2}]"#
        )
        #expect(encoded.attachments.map { $0.getInteger(at: $0.readerIndex, as: UInt8.self) } == [0xA, 0xB, 0xC])
    }

    @Test("the binary type follows the payload, whatever type was given")
    func theBinaryTypeFollowsThePayload() throws {
        #expect(try self.text(SocketIOPacket(type: .binaryEvent, data: ["plain"])) == #"2["plain"]"#)
        #expect(try self.text(SocketIOPacket(type: .binaryAck, data: [], ackId: 1)) == "31[]")
        #expect(try self.text(SocketIOPacket(type: .ack, data: [Self.bytes1234], ackId: 2, attachmentCount: 7)).hasPrefix("61-2["))
    }

    @Test("many attachments get a multi-digit count")
    func manyAttachmentsGetAMultiDigitCount() throws {
        let arguments = (0..<12).map { JSONValue.binary(ByteBuffer(bytes: [UInt8($0)])) }
        let encoded = try self.encoder.encode(.event("many", arguments, namespace: "/a-long-namespace-name", ackId: 999_999_999_999_999))
        #expect(String(buffer: encoded.text).hasPrefix("512-/a-long-namespace-name,999999999999999[\"many\","))
        #expect(encoded.attachments.count == 12)
    }

    @Test("text-only encoding refuses packets with attachments")
    func textOnlyEncodingRefusesAttachments() throws {
        #expect(String(buffer: try self.encoder.encodeText(.event("x"))) == #"2["x"]"#)
        let error = #expect(throws: SocketIOParserError.self) { try self.encoder.encodeText(.event("x", [Self.bytes1234])) }
        #expect(error?.code == .binaryNotAllowed)
    }

    static let invalidPackets: [(String, SocketIOPacket, SocketIOParserError.Code)] = [
        ("namespace without slash", .event("x", namespace: "admin"), .invalidNamespace),
        ("empty namespace", .event("x", namespace: ""), .invalidNamespace),
        ("namespace with comma", .event("x", namespace: "/a,b"), .invalidNamespace),
        ("16-digit ack id", .event("x", ackId: 1_000_000_000_000_000), .invalidAckId),
        ("ack without id", SocketIOPacket(type: .ack, data: []), .invalidAckId),
        ("connect with id", SocketIOPacket(type: .connect, ackId: 1), .invalidAckId),
        ("event without payload", SocketIOPacket(type: .event), .invalidPayload),
        ("event with empty array", SocketIOPacket(type: .event, data: []), .invalidPayload),
        ("event with number name", SocketIOPacket(type: .event, data: [1]), .invalidPayload),
        ("reserved event name", .event("disconnect"), .reservedEventName),
        ("connect with array", SocketIOPacket(type: .connect, data: []), .invalidPayload),
        ("disconnect with payload", SocketIOPacket(type: .disconnect, data: [:]), .invalidPayload),
        ("connect error without payload", SocketIOPacket(type: .connectError), .invalidPayload),
        ("binary in connect", SocketIOPacket(type: .connect, data: ["f": Self.bytes1234]), .binaryNotAllowed),
        ("binary in connect error", SocketIOPacket(type: .connectError, data: ["f": Self.bytes1234]), .binaryNotAllowed),
    ]

    @Test("invalid packets are refused", arguments: invalidPackets)
    func invalidPacketsAreRefused(name: String, packet: SocketIOPacket, code: SocketIOParserError.Code) {
        let error = #expect(throws: SocketIOParserError.self, "\(name)") { try self.encoder.encode(packet) }
        #expect(error?.code == code, "\(name)")
    }
}
