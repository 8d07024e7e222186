public import NIOCore

#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Encodes `Encodable` values into ``JSONValue`` trees without a detour through JSON text.
///
/// Keyed containers keep the order in which keys were encoded (a struct's declaration
/// order for synthesized conformances). `Data` and `ByteBuffer` become
/// ``JSONValue/binary(_:)``, so they travel as Socket.IO binary attachments. `UInt64`
/// values above `Int64.max` become doubles, as JavaScript would see them. `Float`s
/// convert through their shortest decimal form, so `0.1 as Float` encodes as `0.1`.
public struct JSONValueEncoder: Sendable {
    /// Values handed to every `encode(to:)` through `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]
    /// The allocator for the buffers that hold `Data` values.
    public var allocator: ByteBufferAllocator

    /// Creates an encoder.
    ///
    /// - Parameters:
    ///   - userInfo: Values handed to every `encode(to:)`.
    ///   - allocator: The allocator for the buffers that hold `Data` values.
    public init(
        userInfo: [CodingUserInfoKey: any Sendable] = [:],
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) {
        self.userInfo = userInfo
        self.allocator = allocator
    }

    /// Encodes `value` as a JSON value tree.
    ///
    /// - Parameter value: The value to encode.
    /// - Returns: The tree.
    /// - Throws: `EncodingError.invalidValue` when `value` encodes nothing, or whatever
    ///   `value.encode(to:)` throws.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let options = JSONEncodingOptions(userInfo: self.userInfo, allocator: self.allocator)
        if let special = options.specialValue(value) {
            return special
        }
        let root = JSONTreeEncoder(path: .root, options: options)
        try value.encode(to: root)
        guard let storage = root.storage else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values.")
            )
        }
        return storage.resolved()
    }
}

// MARK: - Implementation

/// Settings shared by every encoder of one `encode` call.
private final class JSONEncodingOptions {
    let userInfo: [CodingUserInfoKey: Any]
    let allocator: ByteBufferAllocator

    init(userInfo: [CodingUserInfoKey: any Sendable], allocator: ByteBufferAllocator) {
        self.userInfo = userInfo
        self.allocator = allocator
    }

    /// Values that map to a JSON value directly instead of through `encode(to:)`.
    ///
    /// Compares metatypes rather than casting values: a failed dynamic cast costs far
    /// more, and every nested value goes through here.
    func specialValue<T: Encodable>(_ value: T) -> JSONValue? {
        if T.self == JSONValue.self {
            return (value as! JSONValue)
        }
        if T.self == JSONObject.self {
            return .object(value as! JSONObject)
        }
        if T.self == ByteBuffer.self {
            return .binary(value as! ByteBuffer)
        }
        if T.self == Data.self {
            let data = value as! Data
            var buffer = self.allocator.buffer(capacity: data.count)
            buffer.writeBytes(data)
            return .binary(buffer)
        }
        return nil
    }
}

/// A value under construction: containers are references so that nested containers
/// handed out earlier can still be filled in.
private enum JSONPendingValue {
    case value(JSONValue)
    case array(JSONPendingArray)
    case object(JSONPendingObject)
    case encoder(JSONTreeEncoder)

    func resolved() -> JSONValue {
        switch self {
        case .value(let value):
            return value
        case .array(let array):
            return .array(array.elements.map { $0.resolved() })
        case .object(let object):
            var result = JSONObject(minimumCapacity: object.entries.count)
            for (key, value) in object.entries {
                result.updateValue(value.resolved(), forKey: key)
            }
            return .object(result)
        case .encoder(let encoder):
            return encoder.storage?.resolved() ?? .object(JSONObject())
        }
    }
}

private final class JSONPendingArray {
    var elements: [JSONPendingValue] = []
}

private final class JSONPendingObject {
    /// Entries in encoding order; a repeated key resolves to its last value.
    var entries: [(String, JSONPendingValue)] = []
}

private final class JSONTreeEncoder: Encoder {
    let path: JSONCodingPath
    let options: JSONEncodingOptions
    var storage: JSONPendingValue?

    init(path: JSONCodingPath, options: JSONEncodingOptions) {
        self.path = path
        self.options = options
    }

    var codingPath: [any CodingKey] { self.path.keys }

    var userInfo: [CodingUserInfoKey: Any] { self.options.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: JSONPendingObject
        if case .object(let existing)? = self.storage {
            object = existing
        } else {
            object = JSONPendingObject()
            self.storage = .object(object)
        }
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(encoder: self, object: object, path: self.path))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: JSONPendingArray
        if case .array(let existing)? = self.storage {
            array = existing
        } else {
            array = JSONPendingArray()
            self.storage = .array(array)
        }
        return JSONUnkeyedEncodingContainer(encoder: self, array: array, path: self.path)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueEncodingContainer(encoder: self)
    }

    /// Encodes a nested value, using the direct mapping for special types.
    func box<T: Encodable>(_ value: T, at path: @autoclosure () -> JSONCodingPath) throws -> JSONPendingValue {
        if let special = self.options.specialValue(value) {
            return .value(special)
        }
        let child = JSONTreeEncoder(path: path(), options: self.options)
        try value.encode(to: child)
        return child.storage ?? .value(.object(JSONObject()))
    }
}

private enum JSONEncodingPrimitive {
    static func integer<I: BinaryInteger>(_ value: I) -> JSONValue {
        if let exact = Int64(exactly: value) {
            return .int(exact)
        }
        return .double(Double(value))
    }

    static func float(_ value: Float) -> JSONValue {
        .double(Double(value.description) ?? Double(value))
    }
}

private struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONTreeEncoder
    let object: JSONPendingObject
    let path: JSONCodingPath

    var codingPath: [any CodingKey] { self.path.keys }

    private func set(_ value: JSONValue, _ key: Key) {
        self.object.entries.append((key.stringValue, .value(value)))
    }

    mutating func encodeNil(forKey key: Key) throws { self.set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { self.set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { self.set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { self.set(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { self.set(JSONEncodingPrimitive.float(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { self.set(JSONEncodingPrimitive.integer(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { self.set(JSONEncodingPrimitive.integer(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { self.set(JSONEncodingPrimitive.integer(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { self.set(JSONEncodingPrimitive.integer(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { self.set(JSONEncodingPrimitive.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { self.set(JSONEncodingPrimitive.integer(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { self.set(JSONEncodingPrimitive.integer(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        self.set(JSONEncodingPrimitive.integer(value), key)
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        self.set(JSONEncodingPrimitive.integer(value), key)
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        self.set(JSONEncodingPrimitive.integer(value), key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let boxed = try self.encoder.box(value, at: self.path.appending(key))
        self.object.entries.append((key.stringValue, boxed))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONPendingObject()
        self.object.entries.append((key.stringValue, .object(nested)))
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(encoder: self.encoder, object: nested, path: self.path.appending(key))
        )
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONPendingArray()
        self.object.entries.append((key.stringValue, .array(nested)))
        return JSONUnkeyedEncodingContainer(encoder: self.encoder, array: nested, path: self.path.appending(key))
    }

    mutating func superEncoder() -> any Encoder {
        self.superEncoder(named: JSONValueCodingKey.superKey)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        self.superEncoder(named: key)
    }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let child = JSONTreeEncoder(path: self.path.appending(key), options: self.encoder.options)
        self.object.entries.append((key.stringValue, .encoder(child)))
        return child
    }
}

private struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: JSONTreeEncoder
    let array: JSONPendingArray
    let path: JSONCodingPath

    var codingPath: [any CodingKey] { self.path.keys }

    var count: Int { self.array.elements.count }

    private var nextPath: JSONCodingPath { self.path.appending(index: self.array.elements.count) }

    private func append(_ value: JSONValue) {
        self.array.elements.append(.value(value))
    }

    mutating func encodeNil() throws { self.append(.null) }
    mutating func encode(_ value: Bool) throws { self.append(.bool(value)) }
    mutating func encode(_ value: String) throws { self.append(.string(value)) }
    mutating func encode(_ value: Double) throws { self.append(.double(value)) }
    mutating func encode(_ value: Float) throws { self.append(JSONEncodingPrimitive.float(value)) }
    mutating func encode(_ value: Int) throws { self.append(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: Int8) throws { self.append(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: Int16) throws { self.append(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: Int32) throws { self.append(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: Int64) throws { self.append(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: UInt) throws { self.append(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: UInt8) throws { self.append(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: UInt16) throws { self.append(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: UInt32) throws { self.append(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: UInt64) throws { self.append(JSONEncodingPrimitive.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let boxed = try self.encoder.box(value, at: self.nextPath)
        self.array.elements.append(boxed)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let path = self.nextPath
        let nested = JSONPendingObject()
        self.array.elements.append(.object(nested))
        let container = JSONKeyedEncodingContainer<NestedKey>(encoder: self.encoder, object: nested, path: path)
        return KeyedEncodingContainer(container)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = self.nextPath
        let nested = JSONPendingArray()
        self.array.elements.append(.array(nested))
        return JSONUnkeyedEncodingContainer(encoder: self.encoder, array: nested, path: path)
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONTreeEncoder(path: self.nextPath, options: self.encoder.options)
        self.array.elements.append(.encoder(child))
        return child
    }
}

private struct JSONSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: JSONTreeEncoder

    var codingPath: [any CodingKey] { self.encoder.codingPath }

    private func store(_ value: JSONValue) {
        self.encoder.storage = .value(value)
    }

    mutating func encodeNil() throws { self.store(.null) }
    mutating func encode(_ value: Bool) throws { self.store(.bool(value)) }
    mutating func encode(_ value: String) throws { self.store(.string(value)) }
    mutating func encode(_ value: Double) throws { self.store(.double(value)) }
    mutating func encode(_ value: Float) throws { self.store(JSONEncodingPrimitive.float(value)) }
    mutating func encode(_ value: Int) throws { self.store(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: Int8) throws { self.store(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: Int16) throws { self.store(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: Int32) throws { self.store(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: Int64) throws { self.store(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: UInt) throws { self.store(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: UInt8) throws { self.store(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: UInt16) throws { self.store(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: UInt32) throws { self.store(JSONEncodingPrimitive.integer(value)) }
    mutating func encode(_ value: UInt64) throws { self.store(JSONEncodingPrimitive.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        self.encoder.storage = try self.encoder.box(value, at: self.encoder.path)
    }
}
