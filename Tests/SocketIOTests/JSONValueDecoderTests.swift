import Foundation
import NIOCore
import SocketIO
import Testing

@Suite("JSONValueDecoder")
struct JSONValueDecoderTests {
    @Test("nested structs with Data round-trip through JSONValue")
    func nestedStructsWithDataRoundTrip() throws {
        let value = try JSONValue(encoding: CodableFixtures.message)
        #expect(try value.decode(CodableFixtures.Message.self) == CodableFixtures.message)
    }

    @Test("nested structs round-trip through packets with attachments")
    func nestedStructsRoundTripThroughPackets() throws {
        let arguments = try JSONValue(encoding: CodableFixtures.message)
        let encoded = try SocketIOPacketEncoder().encode(.event("message", [arguments]))
        #expect(encoded.attachments.count == 3)
        var decoder = SocketIOPacketDecoder()
        #expect(try decoder.receive(text: encoded.text) == nil)
        var packet: SocketIOPacket?
        for attachment in encoded.attachments {
            packet = try decoder.receive(binary: attachment)
        }
        let decoded = try packet?.arguments.first?.decode(CodableFixtures.Message.self)
        #expect(decoded == CodableFixtures.message)
    }

    @Test("values parsed from JSON text decode into Codable types")
    func valuesParsedFromTextDecode() throws {
        struct Chat: Decodable, Equatable {
            var room: String
            var count: UInt8
            var ratio: Float
            var tags: [String]?
            var meta: [String: Bool]
        }
        let value = try JSONValue(parsing: #"{"room":"lobby","count":2.0,"ratio":0.5,"meta":{"x":true},"ignored":1}"#)
        #expect(try value.decode(Chat.self) == Chat(room: "lobby", count: 2, ratio: 0.5, tags: nil, meta: ["x": true]))
    }

    @Test("explicit nulls decode as nil optionals")
    func explicitNullsDecodeAsNil() throws {
        struct Box: Decodable {
            var value: Int?
        }
        #expect(try JSONValue(parsing: #"{"value":null}"#).decode(Box.self).value == nil)
        #expect(try JSONValue(parsing: "[1,null,3]").decode([Int?].self) == [1, nil, 3])
    }

    @Test("super decoders read the super key")
    func superDecodersReadTheSuperKey() throws {
        let dog = try JSONValue(parsing: #"{"goodBoy":false,"super":{"name":"Fido"}}"#).decode(CodableFixtures.Dog.self)
        #expect(dog.name == "Fido")
        #expect(dog.goodBoy == false)
    }

    @Test("numbers that do not fit the target type are refused")
    func numbersThatDoNotFitAreRefused() {
        #expect(throws: DecodingError.self) { try JSONValue.int(300).decode(UInt8.self) }
        #expect(throws: DecodingError.self) { try JSONValue.int(-1).decode(UInt.self) }
        #expect(throws: DecodingError.self) { try JSONValue.double(2.5).decode(Int.self) }
        #expect(throws: DecodingError.self) { try JSONValue.double(1e300).decode(Float.self) }
        #expect(throws: DecodingError.self) { try JSONValue.string("1").decode(Int.self) }
        #expect(throws: DecodingError.self) { try JSONValue.int(1).decode(Bool.self) }
    }

    @Test("type mismatches name the coding path")
    func typeMismatchesNameTheCodingPath() {
        struct Inner: Decodable { var n: Int }
        struct Outer: Decodable { var items: [Inner] }
        let value: JSONValue = ["items": [["n": 1], ["n": "two"]]]
        let error = #expect(throws: DecodingError.self) { try value.decode(Outer.self) }
        guard case .typeMismatch(_, let context)? = error else {
            Issue.record("expected a type mismatch, got \(String(describing: error))")
            return
        }
        #expect(context.codingPath.map(\.stringValue) == ["items", "Index 1", "n"])
    }

    @Test("missing keys and nulls for required values are reported")
    func missingKeysAreReported() {
        struct Needs: Decodable { var name: String }
        let missing = #expect(throws: DecodingError.self) { try JSONValue.object([:]).decode(Needs.self) }
        guard case .keyNotFound(let key, _)? = missing else {
            Issue.record("expected keyNotFound")
            return
        }
        #expect(key.stringValue == "name")
        let null = #expect(throws: DecodingError.self) { try JSONValue.object(["name": nil]).decode(Needs.self) }
        guard case .valueNotFound? = null else {
            Issue.record("expected valueNotFound")
            return
        }
    }

    @Test("binary fields need binary values")
    func binaryFieldsNeedBinaryValues() {
        #expect(throws: DecodingError.self) { try JSONValue.string("AQID").decode(Data.self) }
        #expect(throws: DecodingError.self) { try JSONValue.array([1]).decode(ByteBuffer.self) }
    }

    @Test("JSONValue decodes from and encodes to Foundation's JSON coders")
    func jsonValueWorksWithFoundationCoders() throws {
        let data = Data(#"{"a":[1,2.5,"x",null,true,{"b":{}}]}"#.utf8)
        let value = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(value == ["a": [1, 2.5, "x", nil, true, ["b": [:]]]])
        let back = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        #expect(back == value)
        let binary = try JSONEncoder().encode(JSONValue.binary(ByteBuffer(bytes: [1, 2, 3])))
        #expect(String(decoding: binary, as: UTF8.self) == #""AQID""#)
    }

    @Test("JSONObject decodes only from objects")
    func jsonObjectDecodesOnlyFromObjects() throws {
        #expect(try JSONValue.object(["k": 1]).decode(JSONObject.self) == ["k": 1])
        #expect(throws: DecodingError.self) { try JSONValue.array([]).decode(JSONObject.self) }
        let viaFoundation = try JSONDecoder().decode(JSONObject.self, from: Data(#"{"k":1}"#.utf8))
        #expect(viaFoundation == ["k": 1])
    }
}
