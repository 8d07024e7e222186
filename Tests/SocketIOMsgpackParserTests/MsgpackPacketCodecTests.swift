import NIOCore
import SocketIOMsgpackParser
import SocketIOParser
import Testing

@Suite("socket.io-msgpack-parser: packets on the wire")
struct MsgpackPacketCodecTests {
    typealias V = MsgpackWireVectors

    /// Each packet beside the bytes Node's msgpack parser writes for it.
    static let vectors: [(SocketIOPacket, String)] = [
        (.connect(), V.connectRoot),
        (.connect(namespace: "/custom", data: ["token": "abc"]), V.connectCustomWithAuth),
        (.disconnect(namespace: "/custom"), V.disconnectCustom),
        (.event("hello", [1]), V.eventRoot),
        (.event("ev", namespace: "/custom", ackId: 42), V.eventCustomWithID),
        (.event("bin", [["file": .binary(ByteBuffer(bytes: [1, 2]))]]), V.eventWithNestedBinary),
        (.ack(["ok", .binary(ByteBuffer(bytes: [1, 2, 3]))], ackId: 7), V.ackWithBinary),
        (.ack([], ackId: 300, namespace: "/custom"), V.ackCustomLargeID),
        (.connectError(message: "nope"), V.connectErrorRoot),
    ]

    static func encode(_ packet: SocketIOPacket) throws -> ByteBuffer {
        guard case .binary(let message) = try SocketIOPacketParser.msgpack.encode(packet, textPrefix: 0x34) else {
            Issue.record("msgpack wrote a text message")
            return ByteBuffer()
        }
        return message
    }

    static func decode(_ message: ByteBuffer) throws -> SocketIOPacket? {
        var decoder = SocketIOPacketParser.msgpack.makeDecoder()
        return try decoder.receive(binary: message)
    }

    @Test("encodes each packet into the bytes Node's msgpack parser writes", arguments: vectors.indices)
    func encodesVector(_ index: Int) throws {
        let (packet, hex) = Self.vectors[index]
        #expect(try Self.encode(packet) == V.bytes(hex))
    }

    @Test("decodes the bytes Node's msgpack parser writes into the packet", arguments: vectors.indices)
    func decodesVector(_ index: Int) throws {
        let (packet, hex) = Self.vectors[index]
        #expect(try Self.decode(V.bytes(hex)) == packet)
    }

    @Test("a binary type goes out as the plain one: binary rides inside data")
    func binaryTypesGoOutPlain() throws {
        var packet = SocketIOPacket.ack(["ok", .binary(ByteBuffer(bytes: [1, 2, 3]))], ackId: 7)
        packet.type = .binaryAck
        #expect(try Self.encode(packet) == V.bytes(V.ackWithBinary))
    }

    @Test("round trips keep every value, binary included, whatever its place")
    func roundTrips() throws {
        let packets: [SocketIOPacket] = [
            .event("mixed", [nil, true, -5, 1.5, "ü", [1, [2, [3]]], ["a": ["b": .binary(ByteBuffer(bytes: [9]))]]]),
            .event("big", [.binary(ByteBuffer(repeating: 7, count: 70_000))], namespace: "/a", ackId: 999_999_999_999_999),
            .connect(namespace: "/custom", data: ["sid": "abc", "pid": "def"]),
            SocketIOPacket(type: .connectError, namespace: "/x", data: "plain string error"),
        ]
        for packet in packets {
            #expect(try Self.decode(try Self.encode(packet)) == packet)
        }
    }

    @Test("reads keys in any order, and a nil data or id as absent (python-socketio's serializer)")
    func readsPythonOrder() throws {
        // python-socketio writes {type, data, nsp} and data as nil when the packet has none.
        let disconnect = "83 \(V.type) 01 \(V.data) c0 \(V.nsp) \(V.root)"
        #expect(try Self.decode(V.bytes(disconnect)) == .disconnect())
        let event = "84 \(V.id) 05 \(V.data) 91 a2 65 76 \(V.nsp) \(V.root) \(V.type) 02"
        #expect(try Self.decode(V.bytes(event)) == .event("ev", ackId: 5))
        let nilID = "84 \(V.type) 02 \(V.data) 91 a2 65 76 \(V.nsp) \(V.root) \(V.id) c0"
        #expect(try Self.decode(V.bytes(nilID)) == .event("ev"))
    }

    @Test("an integral float is an integer, as Number.isInteger has it")
    func acceptsIntegralFloats() throws {
        let event = "84 \(V.type) cb 40 00 00 00 00 00 00 00 \(V.nsp) \(V.root) \(V.data) 91 a2 65 76 \(V.id) cb 40 14 00 00 00 00 00 00"
        #expect(try Self.decode(V.bytes(event)) == .event("ev", ackId: 5))
    }

    @Test("the default parser still writes text and attachments, as the text encoder does")
    func defaultParserIsTheTextEncoder() throws {
        let packet = SocketIOPacket.event("bin", [.binary(ByteBuffer(bytes: [1]))], namespace: "/a", ackId: 3)
        guard case .text(let encoded) = try SocketIOPacketParser.default.encode(packet, textPrefix: nil) else {
            Issue.record("the default parser wrote a binary message")
            return
        }
        #expect(encoded == (try SocketIOPacketEncoder().encode(packet)))
    }

    @Test("parsers are found by the names command lines use")
    func namedParsers() {
        #expect(SocketIOPacketParser.named("msgpack") == .msgpack)
        #expect(SocketIOPacketParser.named("default") == .default)
        #expect(SocketIOPacketParser.named("json") == nil)
        #expect(SocketIOPacketParser.msgpack != .default)
    }
}

extension MsgpackPacketCodecTests {
    /// A browser's `socket.emit("ev", undefined, new Date(1715000000123), new Uint8Array([1, 2]))`
    /// through notepack.io: `d4 00 00`, `d7 00` + milliseconds, and ext 8 type 0 for the bytes.
    @Test("reads what a browser's notepack.io writes: undefined, a Date, an ArrayBuffer")
    func readsNotepackExtensions() throws {
        let hex = "83 \(V.type) 02 \(V.nsp) \(V.root) \(V.data) 94 a2 65 76 d4 00 00 d7 00 00 00 01 8f 4d f7 3e 7b c7 02 00 01 02"
        let expected = SocketIOPacket.event("ev", [nil, "2024-05-06T12:53:20.123Z", .binary(ByteBuffer(bytes: [1, 2]))])
        #expect(try Self.decode(V.bytes(hex)) == expected)
    }
}
