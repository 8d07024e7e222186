import NIOCore
import SocketIOMsgpackParser
import SocketIOParser
import Testing

@Suite("socket.io-msgpack-parser: what the decoder and encoder refuse")
struct MsgpackPacketValidationTests {
    typealias V = MsgpackWireVectors

    static func decodeError(_ hex: String, maxDepth: Int = 32) -> SocketIOParserError.Code? {
        var decoder = SocketIOPacketParser.msgpack.makeDecoder(maxDepth: maxDepth)
        do {
            _ = try decoder.receive(binary: V.bytes(hex))
            return nil
        } catch {
            return error.code
        }
    }

    static func encodeError(_ packet: SocketIOPacket) -> SocketIOParserError.Code? {
        do {
            _ = try SocketIOPacketParser.msgpack.encode(packet, textPrefix: nil)
            return nil
        } catch {
            return error.code
        }
    }

    /// `{type: T, nsp: "/", data: D}` with `T` and `D` given as hex.
    static func packet(type: String, data: String? = nil, id: String? = nil) -> String {
        let count = 2 + (data == nil ? 0 : 1) + (id == nil ? 0 : 1)
        var hex = "8\(count) \(V.type) \(type) \(V.nsp) \(V.root)"
        if let data { hex += " \(V.data) \(data)" }
        if let id { hex += " \(V.id) \(id)" }
        return hex
    }

    @Test("a text message is refused: this parser reads binary messages only")
    func refusesText() {
        var decoder = SocketIOPacketParser.msgpack.makeDecoder()
        #expect(throws: SocketIOParserError.self) { _ = try decoder.receive(text: ByteBuffer(string: "0")) }
        do {
            _ = try decoder.receive(text: ByteBuffer(string: "2[\"ev\"]"))
        } catch {
            #expect(error.code == .textMessageNotAllowed)
        }
    }

    @Test("bytes that are not one MessagePack value are refused")
    func refusesMalformedMessagePack() {
        #expect(Self.decodeError("c1") == .invalidMessagePack)
        #expect(Self.decodeError("") == .invalidMessagePack)
        #expect(Self.decodeError(V.connectRoot + " 00") == .invalidMessagePack)  // trailing byte
        #expect(Self.decodeError("83 \(V.type) 02 \(V.nsp) \(V.root) \(V.data) 92 a5 68") == .invalidMessagePack)  // cut short
    }

    @Test("nesting deeper than the limit is refused before it is built")
    func refusesDeepNesting() {
        let deep = String(repeating: "91 ", count: 40) + "01"
        #expect(Self.decodeError(Self.packet(type: "02", data: "92 a2 65 76 " + deep), maxDepth: 32) == .invalidMessagePack)
        let shallow = String(repeating: "91 ", count: 3) + "01"
        #expect(Self.decodeError(Self.packet(type: "02", data: "92 a2 65 76 " + shallow), maxDepth: 32) == nil)
    }

    @Test("the type must be an integer from 0 to 4")
    func refusesBadTypes() {
        #expect(Self.decodeError("92 01 02") == .unknownPacketType)  // not a map
        #expect(Self.decodeError("81 \(V.nsp) \(V.root)") == .unknownPacketType)  // no type
        #expect(Self.decodeError(Self.packet(type: "05", data: "91 a2 65 76")) == .unknownPacketType)  // BINARY_EVENT
        #expect(Self.decodeError(Self.packet(type: "06", data: "90", id: "01")) == .unknownPacketType)  // BINARY_ACK
        #expect(Self.decodeError(Self.packet(type: "ff")) == .unknownPacketType)  // -1
        #expect(Self.decodeError(Self.packet(type: "a1 32", data: "91 a2 65 76")) == .unknownPacketType)  // "2"
        #expect(Self.decodeError(Self.packet(type: "cb 40 04 00 00 00 00 00 00", data: "91 a2 65 76")) == .unknownPacketType)  // 2.5
    }

    @Test("the namespace must be a string")
    func refusesBadNamespaces() {
        #expect(Self.decodeError("81 \(V.type) 00") == .invalidNamespace)
        #expect(Self.decodeError("82 \(V.type) 00 \(V.nsp) 01") == .invalidNamespace)
        #expect(Self.decodeError("82 \(V.type) 00 \(V.nsp) c0") == .invalidNamespace)
    }

    @Test("the payload must fit the type")
    func refusesBadPayloads() {
        #expect(Self.decodeError(Self.packet(type: "00", data: "90")) == .invalidPayload)  // CONNECT [] 
        #expect(Self.decodeError(Self.packet(type: "01", data: "80")) == .invalidPayload)  // DISCONNECT {}
        #expect(Self.decodeError(Self.packet(type: "02")) == .invalidPayload)  // EVENT without data
        #expect(Self.decodeError(Self.packet(type: "02", data: "90")) == .invalidPayload)  // EVENT []
        #expect(Self.decodeError(Self.packet(type: "02", data: "81 a1 61 01")) == .invalidPayload)  // EVENT {a: 1}
        #expect(Self.decodeError(Self.packet(type: "02", data: "91 01")) == .invalidPayload)  // name 1
        #expect(Self.decodeError(Self.packet(type: "03", data: "a2 6f 6b", id: "01")) == .invalidPayload)  // ACK "ok"
        #expect(Self.decodeError(Self.packet(type: "04", data: "01")) == .invalidPayload)  // CONNECT_ERROR 1
        #expect(Self.decodeError(Self.packet(type: "04", data: "a4 6e 6f 70 65")) == nil)  // a string is fine
    }

    @Test("reserved event names are refused")
    func refusesReservedNames() {
        // ["connect"]
        #expect(Self.decodeError(Self.packet(type: "02", data: "91 a7 63 6f 6e 6e 65 63 74")) == .reservedEventName)
    }

    @Test("the id must be a whole number of at most 15 digits, on acks, and only where allowed")
    func refusesBadIDs() {
        let event = "91 a2 65 76"
        #expect(Self.decodeError(Self.packet(type: "02", data: event, id: "a1 31")) == .invalidAckId)  // "1"
        #expect(Self.decodeError(Self.packet(type: "02", data: event, id: "ff")) == .invalidAckId)  // -1
        #expect(Self.decodeError(Self.packet(type: "02", data: event, id: "cb 3f f8 00 00 00 00 00 00")) == .invalidAckId)  // 1.5
        // 10^15, one digit too many
        #expect(Self.decodeError(Self.packet(type: "02", data: event, id: "cf 00 03 8d 7e a4 c6 80 00")) == .invalidAckId)
        #expect(Self.decodeError(Self.packet(type: "03", data: "90")) == .invalidAckId)  // ACK without id
        #expect(Self.decodeError(Self.packet(type: "00", id: "01")) == .invalidAckId)  // CONNECT with id
    }

    @Test("the encoder refuses what the decoder would")
    func encoderRefuses() {
        #expect(Self.encodeError(.event("ev", namespace: "custom")) == .invalidNamespace)
        #expect(Self.encodeError(.event("ev", ackId: 1_000_000_000_000_000)) == .invalidAckId)
        #expect(Self.encodeError(SocketIOPacket(type: .event, data: .array([]))) == .invalidPayload)
        #expect(Self.encodeError(.event("disconnect")) == .reservedEventName)
        #expect(Self.encodeError(SocketIOPacket(type: .ack, data: .array([]))) == .invalidAckId)
        // A comma is fine here: only the text format uses it as a separator.
        #expect(Self.encodeError(.event("ev", namespace: "/a,b")) == nil)
    }
}
