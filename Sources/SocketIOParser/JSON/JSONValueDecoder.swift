import NIOCore

#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Decodes `Decodable` values from ``JSONValue`` trees without a detour through JSON text.
///
/// Numbers convert when they fit exactly: an integer field accepts `2` and `2.0` but
/// not `2.5` or `300` for a `UInt8`. `Data` and `ByteBuffer` fields read
/// ``JSONValue/binary(_:)`` values, the Socket.IO binary attachments.
public struct JSONValueDecoder: Sendable {
    /// Values handed to every `init(from:)` through `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// Creates a decoder.
    ///
    /// - Parameter userInfo: Values handed to every `init(from:)`.
    public init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.userInfo = userInfo
    }

    /// Decodes a value of type `type` from `value`.
    ///
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - value: The tree to read.
    /// - Returns: The decoded value.
    /// - Throws: `DecodingError` when the tree does not fit the type.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        let root = JSONTreeDecoder(value: value, path: .root, userInfo: self.userInfo)
        return try root.unbox(value, as: type, at: .root)
    }
}

// MARK: - Implementation

/// The decoder JSONValue's own `init(from:)` recognises to take the tree as is.
final class JSONTreeDecoder: Decoder {
    let value: JSONValue
    let path: JSONCodingPath
    private let sendableUserInfo: [CodingUserInfoKey: any Sendable]

    init(value: JSONValue, path: JSONCodingPath, userInfo: [CodingUserInfoKey: any Sendable]) {
        self.value = value
        self.path = path
        self.sendableUserInfo = userInfo
    }

    var codingPath: [any CodingKey] { self.path.keys }

    var userInfo: [CodingUserInfoKey: Any] { self.sendableUserInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = self.value else {
            throw self.mismatch(JSONObject.self, self.value, at: self.path)
        }
        return KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(decoder: self, object: object, path: self.path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = self.value else {
            throw self.mismatch([JSONValue].self, self.value, at: self.path)
        }
        return JSONUnkeyedDecodingContainer(decoder: self, elements: elements, path: self.path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        JSONSingleValueDecodingContainer(decoder: self)
    }

    func child(_ value: JSONValue, at path: JSONCodingPath) -> JSONTreeDecoder {
        JSONTreeDecoder(value: value, path: path, userInfo: self.sendableUserInfo)
    }

    /// Decodes a nested value, using the direct mapping for special types.
    func unbox<T: Decodable>(
        _ value: JSONValue,
        as type: T.Type,
        at path: @autoclosure () -> JSONCodingPath
    ) throws -> T {
        if type == JSONValue.self {
            return value as! T
        }
        if type == JSONObject.self {
            guard case .object(let object) = value else { throw self.mismatch(type, value, at: path()) }
            return object as! T
        }
        if type == ByteBuffer.self {
            guard case .binary(let buffer) = value else { throw self.mismatch(type, value, at: path()) }
            return buffer as! T
        }
        if type == Data.self {
            guard case .binary(let buffer) = value else { throw self.mismatch(type, value, at: path()) }
            return Data(buffer.readableBytesView) as! T
        }
        return try T(from: self.child(value, at: path()))
    }

    // MARK: Primitives

    func mismatch(_ type: Any.Type, _ value: JSONValue, at path: JSONCodingPath) -> DecodingError {
        let codingPath = path.keys
        let found: String
        switch value {
        case .null: found = "null"
        case .bool: found = "a boolean"
        case .int, .double: found = "a number"
        case .string: found = "a string"
        case .array: found = "an array"
        case .object: found = "an object"
        case .binary: found = "binary data"
        }
        if case .null = value {
            let description = "Expected \(type) but found null."
            return .valueNotFound(type, DecodingError.Context(codingPath: codingPath, debugDescription: description))
        }
        let description = "Expected \(type) but found \(found)."
        return .typeMismatch(type, DecodingError.Context(codingPath: codingPath, debugDescription: description))
    }

    func bool(_ value: JSONValue, at path: @autoclosure () -> JSONCodingPath) throws -> Bool {
        guard case .bool(let flag) = value else { throw self.mismatch(Bool.self, value, at: path()) }
        return flag
    }

    func string(_ value: JSONValue, at path: @autoclosure () -> JSONCodingPath) throws -> String {
        guard case .string(let string) = value else { throw self.mismatch(String.self, value, at: path()) }
        return string
    }

    func double(_ value: JSONValue, at path: @autoclosure () -> JSONCodingPath) throws -> Double {
        switch value {
        case .double(let number): return number
        case .int(let number): return Double(number)
        case .null, .bool, .string, .array, .object, .binary: throw self.mismatch(Double.self, value, at: path())
        }
    }

    func float(_ value: JSONValue, at path: @autoclosure () -> JSONCodingPath) throws -> Float {
        let number = try self.double(value, at: path())
        guard !number.isFinite || number.magnitude <= Double(Float.greatestFiniteMagnitude) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path().keys, debugDescription: "Number \(number) does not fit in Float.")
            )
        }
        return Float(number)
    }

    func integer<I: FixedWidthInteger>(
        _ value: JSONValue,
        as type: I.Type,
        at path: @autoclosure () -> JSONCodingPath
    ) throws -> I {
        let converted: I?
        switch value {
        case .int(let number): converted = I(exactly: number)
        case .double(let number): converted = I(exactly: number)
        case .null, .bool, .string, .array, .object, .binary: throw self.mismatch(type, value, at: path())
        }
        guard let converted else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path().keys, debugDescription: "Number \(value) does not fit in \(type).")
            )
        }
        return converted
    }
}

private struct JSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JSONTreeDecoder
    let object: JSONObject
    let path: JSONCodingPath

    var codingPath: [any CodingKey] { self.path.keys }

    var allKeys: [Key] { self.object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { self.object.index(forKey: key.stringValue) != nil }

    private func value(for key: Key) throws -> JSONValue {
        guard let value = self.object[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key,
                .init(codingPath: self.path.keys, debugDescription: "No value for key \"\(key.stringValue)\".")
            )
        }
        return value
    }

    private func path(_ key: Key) -> JSONCodingPath { self.path.appending(key) }

    func decodeNil(forKey key: Key) throws -> Bool { try self.value(for: key).isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try self.decoder.bool(self.value(for: key), at: self.path(key))
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try self.decoder.string(self.value(for: key), at: self.path(key))
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try self.decoder.double(self.value(for: key), at: self.path(key))
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try self.decoder.float(self.value(for: key), at: self.path(key))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try self.integer(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try self.integer(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try self.integer(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try self.integer(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try self.integer(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try self.integer(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try self.integer(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try self.integer(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try self.integer(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try self.integer(type, key) }

    private func integer<I: FixedWidthInteger>(_ type: I.Type, _ key: Key) throws -> I {
        try self.decoder.integer(self.value(for: key), as: type, at: self.path(key))
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try self.decoder.unbox(self.value(for: key), as: type, at: self.path(key))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try self.decoder.child(self.value(for: key), at: self.path(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try self.decoder.child(self.value(for: key), at: self.path(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        self.decoder.child(self.object["super"] ?? .null, at: self.path.appending(JSONValueCodingKey.superKey))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        self.decoder.child(self.object[key.stringValue] ?? .null, at: self.path(key))
    }
}

private struct JSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: JSONTreeDecoder
    let elements: [JSONValue]
    let path: JSONCodingPath
    private(set) var currentIndex = 0

    init(decoder: JSONTreeDecoder, elements: [JSONValue], path: JSONCodingPath) {
        self.decoder = decoder
        self.elements = elements
        self.path = path
    }

    var codingPath: [any CodingKey] { self.path.keys }

    var count: Int? { self.elements.count }
    var isAtEnd: Bool { self.currentIndex >= self.elements.count }

    private var currentPath: JSONCodingPath { self.path.appending(index: self.currentIndex) }

    /// Reads the next element with `read`, advancing only when it succeeds.
    private mutating func next<T>(
        _ type: T.Type,
        _ read: (JSONTreeDecoder, JSONValue, () -> JSONCodingPath) throws -> T
    ) throws -> T {
        guard !self.isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                .init(codingPath: self.currentPath.keys, debugDescription: "Unkeyed container is at end.")
            )
        }
        let (path, index) = (self.path, self.currentIndex)
        let result = try read(self.decoder, self.elements[index]) { path.appending(index: index) }
        self.currentIndex += 1
        return result
    }

    mutating func decodeNil() throws -> Bool {
        guard !self.isAtEnd else {
            throw DecodingError.valueNotFound(
                JSONValue.self,
                .init(codingPath: self.currentPath.keys, debugDescription: "Unkeyed container is at end.")
            )
        }
        if self.elements[self.currentIndex].isNull {
            self.currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try self.next(type) { try $0.bool($1, at: $2()) } }
    mutating func decode(_ type: String.Type) throws -> String { try self.next(type) { try $0.string($1, at: $2()) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try self.next(type) { try $0.double($1, at: $2()) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try self.next(type) { try $0.float($1, at: $2()) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try self.integer(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try self.integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try self.integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try self.integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try self.integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try self.integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try self.integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try self.integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try self.integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try self.integer(type) }

    private mutating func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        try self.next(type) { try $0.integer($1, as: type, at: $2()) }
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try self.next(type) { try $0.unbox($1, as: type, at: $2()) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try self.next(KeyedDecodingContainer<NestedKey>.self) { try $0.child($1, at: $2()).container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try self.next((any UnkeyedDecodingContainer).self) { try $0.child($1, at: $2()).unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try self.next((any Decoder).self) { $0.child($1, at: $2()) }
    }
}

private struct JSONSingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: JSONTreeDecoder

    var codingPath: [any CodingKey] { self.decoder.codingPath }
    private var value: JSONValue { self.decoder.value }
    private var path: JSONCodingPath { self.decoder.path }

    func decodeNil() -> Bool { self.value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try self.decoder.bool(self.value, at: self.path) }
    func decode(_ type: String.Type) throws -> String { try self.decoder.string(self.value, at: self.path) }
    func decode(_ type: Double.Type) throws -> Double { try self.decoder.double(self.value, at: self.path) }
    func decode(_ type: Float.Type) throws -> Float { try self.decoder.float(self.value, at: self.path) }
    func decode(_ type: Int.Type) throws -> Int { try self.decoder.integer(self.value, as: type, at: self.path) }
    func decode(_ type: Int8.Type) throws -> Int8 { try self.decoder.integer(self.value, as: type, at: self.path) }
    func decode(_ type: Int16.Type) throws -> Int16 { try self.decoder.integer(self.value, as: type, at: self.path) }
    func decode(_ type: Int32.Type) throws -> Int32 { try self.decoder.integer(self.value, as: type, at: self.path) }
    func decode(_ type: Int64.Type) throws -> Int64 { try self.decoder.integer(self.value, as: type, at: self.path) }
    func decode(_ type: UInt.Type) throws -> UInt { try self.decoder.integer(self.value, as: type, at: self.path) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try self.decoder.integer(self.value, as: type, at: self.path) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try self.decoder.integer(self.value, as: type, at: self.path) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try self.decoder.integer(self.value, as: type, at: self.path) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try self.decoder.integer(self.value, as: type, at: self.path) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try self.decoder.unbox(self.value, as: type, at: self.path)
    }
}
