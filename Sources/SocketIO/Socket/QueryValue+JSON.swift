/// A query value in the JSON forms the cluster, the Admin UI and the console write.
extension QueryValue {
    /// The value as Node serializes `handshake.query` entries: a JSON string for a name sent
    /// once, an array of strings for a repeated one (cluster `fetchSockets`, the Admin UI,
    /// monitors).
    public var json: JSONValue {
        switch self {
        case .single(let value): .string(value)
        case .multiple(let values): .array(values.map(JSONValue.string))
        }
    }

    /// Reads a value back from ``json``: a string, or an array of strings.
    ///
    /// - Parameter json: A query entry as another node or server sent it.
    /// - Returns: `nil` for any other JSON, including an array holding a non-string.
    public init?(json: JSONValue) {
        switch json {
        case .string(let value):
            self = .single(value)
        case .array(let elements):
            var values: [String] = []
            values.reserveCapacity(elements.count)
            for element in elements {
                guard let value = element.stringValue else { return nil }
                values.append(value)
            }
            self = .multiple(values)
        default:
            return nil
        }
    }
}
