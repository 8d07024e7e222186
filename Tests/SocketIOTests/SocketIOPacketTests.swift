import NIOCore
import SocketIO
import Testing

@Suite("SocketIOPacket")
struct SocketIOPacketTests {
    @Test("convenience constructors build the packets Node sends")
    func convenienceConstructorsBuildThePacketsNodeSends() {
        #expect(SocketIOPacket.event("chat", ["hi"], namespace: "/a", ackId: 3).data == ["chat", "hi"])
        #expect(SocketIOPacket.connectError(message: "no", data: ["retry": true]).data == ["message": "no", "data": ["retry": true]])
        #expect(SocketIOPacket.connect(data: ["sid": "x"]).data == ["sid": "x"])
        #expect(SocketIOPacket.disconnect(namespace: "/b").namespace == "/b")
        #expect(SocketIOPacket.ack([1], ackId: 9).type == .ack)
    }

    @Test("reserved event names are the ones socket.io-parser refuses")
    func reservedEventNames() {
        #expect(
            SocketIOPacket.reservedEventNames
                == ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]
        )
    }

    @Test("packet types carry the protocol's numbers and names")
    func packetTypesCarryTheProtocolsNumbersAndNames() {
        #expect(SocketIOPacketType.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5, 6])
        #expect(SocketIOPacketType.binaryAck.description == "BINARY_ACK")
        #expect(SocketIOPacketType.allCases.filter(\.isBinary) == [.binaryEvent, .binaryAck])
        #expect(SocketIOPacketType.allCases.filter(\.isEvent) == [.event, .binaryEvent])
        #expect(SocketIOPacketType.allCases.filter(\.isAck) == [.ack, .binaryAck])
    }

    /// What the decoder should give back for `packet`: the wire type and the attachment count.
    private static func expectedAfterRoundTrip(_ packet: SocketIOPacket, attachments: Int) -> SocketIOPacket {
        var expected = packet
        expected.attachmentCount = attachments
        switch packet.type {
        case .event, .binaryEvent: expected.type = attachments > 0 ? .binaryEvent : .event
        case .ack, .binaryAck: expected.type = attachments > 0 ? .binaryAck : .ack
        case .connect, .disconnect, .connectError: break
        }
        return expected
    }

    private static func roundTrip(_ packet: SocketIOPacket) throws -> SocketIOPacket? {
        let encoded = try SocketIOPacketEncoder().encode(packet)
        var decoder = SocketIOPacketDecoder()
        var decoded = try decoder.receive(text: encoded.text)
        for attachment in encoded.attachments {
            #expect(decoded == nil)
            decoded = try decoder.receive(binary: attachment)
        }
        #expect(!decoder.isAwaitingAttachments)
        return decoded.map { $0 }
    }

    static let everyType: [SocketIOPacket] = [
        .connect(),
        .connect(namespace: "/admin", data: ["token": "123", "n": [1, 2.5]]),
        .disconnect(),
        .disconnect(namespace: "/é,".replacingComma()),
        .event("hello"),
        .event("hello", ["world", 1, nil, ["deep": [true]]], namespace: "/chat", ackId: 0),
        .ack([], ackId: 999_999_999_999_999),
        .ack(["ok", ["n": -0.5]], ackId: 12, namespace: "/admin"),
        .connectError(message: "Not authorized", data: ["content": "Please retry later"]),
        SocketIOPacket(type: .connectError, namespace: "/x", data: "plain message"),
        .event("file", [.binary(ByteBuffer(bytes: [1, 2, 3]))]),
        .event("files", [["a": .binary(ByteBuffer()), "b": [.binary(ByteBuffer(bytes: [0xFF]))]]], namespace: "/up", ackId: 7),
        .ack([.binary(ByteBuffer(bytes: [9])), "x", .binary(ByteBuffer(bytes: [8]))], ackId: 5, namespace: "/bin"),
    ]

    @Test("every packet type survives encode then decode", arguments: everyType)
    func everyPacketTypeSurvivesEncodeThenDecode(packet: SocketIOPacket) throws {
        let encoded = try SocketIOPacketEncoder().encode(packet)
        let decoded = try Self.roundTrip(packet)
        #expect(decoded == Self.expectedAfterRoundTrip(packet, attachments: encoded.attachments.count))
    }

    @Test("random packets with nested binary survive encode then decode", arguments: 0..<4)
    func randomPacketsSurviveEncodeThenDecode(batch: Int) throws {
        var random = RandomJSON(seed: 0xFACE_0000 + UInt64(batch), includesBinary: true)
        let namespaces = ["/", "/admin", "/é", "/a/b", "/😀"]
        for _ in 0..<200 {
            let namespace = namespaces.randomElement(using: &random.generator)!
            let ackId: UInt64? =
                random.int(in: 0...1) == 0
                ? nil : UInt64.random(in: 0...SocketIOPacket.maxAckId, using: &random.generator)
            let arguments = random.elements(depth: 4)
            var name = random.string()
            if SocketIOPacket.reservedEventNames.contains(name) { name += "!" }
            let packet: SocketIOPacket
            switch random.int(in: 0...3) {
            case 0: packet = .event(name, arguments, namespace: namespace, ackId: ackId)
            case 1: packet = .ack(arguments, ackId: ackId ?? 1, namespace: namespace)
            case 2:
                var connect = random.object(depth: 3)
                connect.removeValue(forKey: "_placeholder")
                packet = .connect(namespace: namespace, data: connect.contains { $0.value.containsBinary } ? nil : connect)
            default: packet = .disconnect(namespace: namespace)
            }
            let encoded = try SocketIOPacketEncoder().encode(packet)
            let decoded = try Self.roundTrip(packet)
            #expect(decoded == Self.expectedAfterRoundTrip(packet, attachments: encoded.attachments.count))
        }
    }

    @Test("one encoding can be shared by many decoders")
    func oneEncodingCanBeSharedByManyDecoders() throws {
        let encoded = try SocketIOPacketEncoder().encode(.event("fan", [.binary(ByteBuffer(bytes: [1, 2]))]))
        for _ in 0..<3 {
            var decoder = SocketIOPacketDecoder()
            _ = try decoder.receive(text: encoded.text)
            let packet = try decoder.receive(binary: encoded.attachments[0])
            #expect(packet?.arguments.first == .binary(ByteBuffer(bytes: [1, 2])))
        }
        #expect(String(buffer: encoded.text) == #"51-["fan",{"_placeholder":true,"num":0}]"#)
    }
}

extension String {
    /// Namespaces cannot hold commas; keeps the fixture list readable.
    fileprivate func replacingComma() -> String {
        String(self.map { $0 == "," ? "_" : $0 })
    }
}
