import Foundation
import NIOCore
import SocketIO
import Testing

/// Types shared by the encoder and decoder suites.
enum CodableFixtures {
    enum Mood: String, Codable, Equatable {
        case happy, grumpy
    }

    enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case square(side: Int)
        case empty
    }

    struct Attachment: Codable, Equatable {
        var name: String
        var bytes: Data
        var raw: ByteBuffer?
    }

    struct Numbers: Codable, Equatable {
        var int: Int = -1
        var int8: Int8 = .min
        var int16: Int16 = .max
        var int32: Int32 = .min
        var int64: Int64 = .max
        var uint: UInt = 1
        var uint8: UInt8 = .max
        var uint16: UInt16 = .max
        var uint32: UInt32 = .max
        var uint64: UInt64 = UInt64(Int64.max)
        var float: Float = 0.1
        var double: Double = 1e-7
    }

    struct Message: Codable, Equatable {
        var id: UInt64
        var text: String
        var mood: Mood
        var tags: [String]
        var counts: [String: Int]
        var byNumber: [Int: String]
        var shapes: [Shape]
        var reply: String?
        var attachment: Attachment?
        var attachments: [Attachment]
        var matrix: [[Double]]
        var numbers: Numbers
        var extra: JSONValue
    }

    static let message = Message(
        id: 42,
        text: "héllo \"world\"",
        mood: .grumpy,
        tags: ["a", "b"],
        counts: ["x": 1],
        byNumber: [7: "seven"],
        shapes: [.circle(radius: 1.5), .square(side: 2), .empty],
        reply: nil,
        attachment: Attachment(name: "one", bytes: Data([1, 2, 3]), raw: ByteBuffer(bytes: [9])),
        attachments: [Attachment(name: "two", bytes: Data(), raw: nil)],
        matrix: [[1, 2.5], []],
        numbers: Numbers(),
        extra: ["free": [1, "form"]]
    )

    class Animal: Codable {
        var name: String
        init(name: String) { self.name = name }
    }

    final class Dog: Animal {
        var goodBoy: Bool

        init(name: String, goodBoy: Bool) {
            self.goodBoy = goodBoy
            super.init(name: name)
        }

        enum CodingKeys: String, CodingKey { case goodBoy }

        required init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.goodBoy = try container.decode(Bool.self, forKey: .goodBoy)
            try super.init(from: container.superDecoder())
        }

        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.goodBoy, forKey: .goodBoy)
            try super.encode(to: container.superEncoder())
        }
    }
}

@Suite("JSONValueEncoder")
struct JSONValueEncoderTests {
    @Test("structs encode to objects in declaration order")
    func structsEncodeToObjectsInDeclarationOrder() throws {
        let value = try JSONValue(encoding: CodableFixtures.message)
        #expect(
            value.objectValue?.keys == [
                "id", "text", "mood", "tags", "counts", "byNumber", "shapes", "attachment", "attachments",
                "matrix", "numbers", "extra",
            ]
        )
        #expect(value["id"] == 42)
        #expect(value["mood"] == "grumpy")
        #expect(value["reply"] == nil)  // nil optionals are left out, as JSONEncoder does
        #expect(value["counts"] == ["x": 1])
        #expect(value["byNumber"] == ["7": "seven"])
        #expect(value["shapes"]?[0] == ["circle": ["radius": 1.5]])
        #expect(value["extra"] == ["free": [1, "form"]])
    }

    @Test("Data and ByteBuffer encode as binary values")
    func dataAndByteBufferEncodeAsBinaryValues() throws {
        let value = try JSONValue(encoding: CodableFixtures.message)
        #expect(value["attachment"]?["bytes"] == .binary(ByteBuffer(bytes: [1, 2, 3])))
        #expect(value["attachment"]?["raw"] == .binary(ByteBuffer(bytes: [9])))
        #expect(value["attachments"]?[0]?["bytes"] == .binary(ByteBuffer()))
        #expect(try JSONValue(encoding: Data([5])) == .binary(ByteBuffer(bytes: [5])))
    }

    @Test("fixed-width numbers encode exactly and floats by their shortest decimal")
    func numbersEncodeExactly() throws {
        let value = try JSONValue(encoding: CodableFixtures.Numbers())
        #expect(value["int8"] == .int(-128))
        #expect(value["uint64"] == .int(.max))
        #expect(value["float"] == .double(0.1))
        #expect(value["double"] == .double(1e-7))
        #expect(try JSONValue(encoding: UInt64.max) == .double(18_446_744_073_709_551_615.0))
    }

    @Test("top-level scalars, arrays and optionals encode directly")
    func topLevelScalarsEncodeDirectly() throws {
        #expect(try JSONValue(encoding: "x") == "x")
        #expect(try JSONValue(encoding: [1, 2]) == [1, 2])
        #expect(try JSONValue(encoding: [Int?.none, 3]) == [nil, 3])
        #expect(try JSONValue(encoding: Int?.none) == nil)
        #expect(try JSONValue(encoding: ["k": [true]]) == ["k": [true]])
    }

    @Test("super encoders nest under the super key")
    func superEncodersNestUnderTheSuperKey() throws {
        let value = try JSONValue(encoding: CodableFixtures.Dog(name: "Rex", goodBoy: true))
        #expect(value == ["goodBoy": true, "super": ["name": "Rex"]])
    }

    @Test("a value that encodes nothing is an error")
    func aValueThatEncodesNothingIsAnError() {
        struct Silent: Encodable {
            func encode(to encoder: any Encoder) throws {}
        }
        #expect(throws: EncodingError.self) { try JSONValue(encoding: Silent()) }
    }

    @Test("encoded values serialize to the JSON Foundation would produce")
    func encodedValuesSerializeLikeFoundation() throws {
        struct Simple: Codable {
            var b: Int
            var a: String
            var c: [Double]
        }
        let simple = Simple(b: 1, a: "x", c: [0.5, 2])
        let ours = try JSONValue(encoding: simple).jsonString()
        let foundation = JSONEncoder()
        foundation.outputFormatting = []
        // Foundation hands keys over in no particular order, so compare member by member.
        let theirs = try #require(try JSONDecoder().decode(JSONValue.self, from: foundation.encode(simple)).objectValue)
        let parsed = try #require(try JSONValue(parsing: ours).objectValue)
        #expect(Set(theirs.keys) == Set(parsed.keys))
        for (key, value) in parsed {
            #expect(theirs[key] == value)
        }
        #expect(ours == #"{"b":1,"a":"x","c":[0.5,2]}"#)
    }
}
