import SocketIOParser

/// What the targets' checks need to know about a value beyond equality.
extension JSONValue {
    /// Whether an infinite or NaN number sits anywhere in the value.
    var containsNonFinite: Bool {
        switch self {
        case .double(let double): !double.isFinite
        case .array(let elements): elements.contains(where: \.containsNonFinite)
        case .object(let entries): entries.contains(where: { $0.value.containsNonFinite })
        case .null, .bool, .int, .string, .binary: false
        }
    }

    /// Whether a NaN sits anywhere in the value (NaN never equals itself).
    var containsNaN: Bool {
        switch self {
        case .double(let double): double.isNaN
        case .array(let elements): elements.contains(where: \.containsNaN)
        case .object(let entries): entries.contains(where: { $0.value.containsNaN })
        case .null, .bool, .int, .string, .binary: false
        }
    }

    /// The value as JSON text carries it: `JSON.stringify` writes a number that is not
    /// finite (`1e400` read as `Infinity`) as `null`, and so does the encoder.
    var nonFiniteAsNull: JSONValue {
        switch self {
        case .double(let double): double.isFinite ? self : .null
        case .array(let elements): .array(elements.map(\.nonFiniteAsNull))
        case .object(let entries): .object(JSONObject(entries.map { ($0.key, $0.value.nonFiniteAsNull) }))
        case .null, .bool, .int, .string, .binary: self
        }
    }
}
