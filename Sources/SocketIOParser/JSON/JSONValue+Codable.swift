import NIOCore

extension JSONValue: Codable {
    /// Decodes any JSON value; with ``JSONValueDecoder`` the tree is taken as is.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the decoder holds nothing JSON-like.
    public init(from decoder: any Decoder) throws {
        if let direct = decoder as? JSONTreeDecoder {
            self = direct.value
            return
        }
        if let container = try? decoder.singleValueContainer() {
            if container.decodeNil() {
                self = .null
                return
            }
            if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
                return
            }
            if let integer = try? container.decode(Int64.self) {
                self = .int(integer)
                return
            }
            if let number = try? container.decode(Double.self) {
                self = .double(number)
                return
            }
            if let string = try? container.decode(String.self) {
                self = .string(string)
                return
            }
        }
        if let keyed = try? decoder.container(keyedBy: JSONMemberKey.self) {
            var object = JSONObject(minimumCapacity: keyed.allKeys.count)
            for key in keyed.allKeys {
                object.updateValue(try keyed.decode(JSONValue.self, forKey: key), forKey: key.stringValue)
            }
            self = .object(object)
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !unkeyed.isAtEnd {
                elements.append(try unkeyed.decode(JSONValue.self))
            }
            self = .array(elements)
            return
        }
        throw DecodingError.dataCorrupted(
            .init(codingPath: decoder.codingPath, debugDescription: "The value is not a JSON value.")
        )
    }

    /// Encodes the value; with ``JSONValueEncoder`` the tree is taken as is. Other encoders
    /// get binary values as `ByteBuffer` encodes itself (a base64 string).
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .int(let integer):
            var container = encoder.singleValueContainer()
            try container.encode(integer)
        case .double(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .string(let string):
            var container = encoder.singleValueContainer()
            try container.encode(string)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements {
                try container.encode(element)
            }
        case .object(let object):
            var container = encoder.container(keyedBy: JSONMemberKey.self)
            for (key, member) in object {
                try container.encode(member, forKey: JSONMemberKey(stringValue: key))
            }
        case .binary(let buffer):
            try buffer.encode(to: encoder)
        }
    }

    /// Encodes `value` as a JSON value tree.
    ///
    /// - Parameters:
    ///   - value: The value to encode.
    ///   - encoder: The encoder to use.
    /// - Throws: Whatever ``JSONValueEncoder/encode(_:)`` throws.
    public init<T: Encodable>(encoding value: T, encoder: JSONValueEncoder = JSONValueEncoder()) throws {
        self = try encoder.encode(value)
    }

    /// Decodes a value of type `type` from this tree.
    ///
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - decoder: The decoder to use.
    /// - Returns: The decoded value.
    /// - Throws: `DecodingError` when the tree does not fit the type.
    public func decode<T: Decodable>(
        _ type: T.Type = T.self,
        decoder: JSONValueDecoder = JSONValueDecoder()
    ) throws -> T {
        try decoder.decode(type, from: self)
    }
}

/// A coding key for arbitrary object members.
private struct JSONMemberKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
