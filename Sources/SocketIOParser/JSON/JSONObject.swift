/// A JSON object that keeps its keys in insertion order.
///
/// Socket.IO peers are JavaScript programs, where object keys have an order that
/// users see (`Object.keys`, `JSON.stringify`). `JSONObject` preserves it: keys stay
/// where they were first inserted, and setting an existing key replaces its value in
/// place, so a parsed object with a duplicate key keeps the last value at the first
/// position, as `JSON.parse` does.
///
/// Equality is order-sensitive, like an ordered dictionary's.
public struct JSONObject: Sendable {
    /// A key and its value.
    public typealias Element = (key: String, value: JSONValue)

    /// The number of entries above which lookups use a hash index instead of a scan.
    private static let indexThreshold = 12

    /// A struct rather than the `Element` tuple: tuples get their runtime metadata through
    /// a lookup on every generic operation, which showed in parser profiles.
    private struct Entry: Sendable {
        var key: String
        var value: JSONValue
    }

    private var entries: [Entry]
    /// Positions of keys in `entries`, built only for large objects so that small ones,
    /// the common case, cost one allocation and a short scan.
    private var positions: [String: Int]?

    /// Creates an empty object.
    public init() {
        self.entries = []
        self.positions = nil
    }

    /// Creates an empty object with room for `minimumCapacity` entries.
    ///
    /// - Parameter minimumCapacity: The number of entries to reserve room for.
    public init(minimumCapacity: Int) {
        self.entries = []
        self.entries.reserveCapacity(minimumCapacity)
        self.positions = nil
    }

    /// Creates an object from key-value pairs; for a repeated key the last value wins
    /// and the key keeps its first position.
    ///
    /// - Parameter pairs: The entries in order.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        self.init(minimumCapacity: pairs.underestimatedCount)
        for (key, value) in pairs {
            self.updateValue(value, forKey: key)
        }
    }

    /// The keys in order.
    public var keys: [String] {
        self.entries.map(\.key)
    }

    /// The values in key order.
    public var values: [JSONValue] {
        self.entries.map(\.value)
    }

    /// The position of `key`, or `nil` when the object has no such key.
    ///
    /// - Parameter key: The key to look up.
    /// - Returns: The index of the entry for `key`.
    public func index(forKey key: String) -> Int? {
        if let positions = self.positions {
            return positions[key]
        }
        return self.entries.firstIndex { $0.key == key }
    }

    /// The value for `key`; setting `nil` removes the entry.
    ///
    /// - Parameter key: The key to look up.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let index = self.index(forKey: key) else { return nil }
            return self.entries[index].value
        }
        set {
            if let newValue {
                self.updateValue(newValue, forKey: key)
            } else {
                self.removeValue(forKey: key)
            }
        }
    }

    /// Sets the value for `key`, keeping the key's position when it already exists.
    ///
    /// - Parameters:
    ///   - value: The new value.
    ///   - key: The key to set.
    /// - Returns: The value that was replaced, or `nil` when the key is new.
    @discardableResult
    public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
        if let index = self.index(forKey: key) {
            let old = self.entries[index].value
            self.entries[index].value = value
            return old
        }
        self.entries.append(Entry(key: key, value: value))
        if self.positions != nil {
            self.positions![key] = self.entries.count - 1
        } else if self.entries.count > Self.indexThreshold {
            self.rebuildPositions()
        }
        return nil
    }

    /// Removes the entry for `key`.
    ///
    /// - Parameter key: The key to remove.
    /// - Returns: The removed value, or `nil` when there was none.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let index = self.index(forKey: key) else { return nil }
        let removed = self.entries.remove(at: index)
        if self.positions != nil {
            self.positions = nil
            if self.entries.count > Self.indexThreshold {
                self.rebuildPositions()
            }
        }
        return removed.value
    }

    private mutating func rebuildPositions() {
        var positions = [String: Int](minimumCapacity: self.entries.count * 2)
        for (index, entry) in self.entries.enumerated() {
            positions[entry.key] = index
        }
        self.positions = positions
    }

    /// Applies `body` to every value in place, without copying the storage.
    mutating func mutateValues<E: Error>(_ body: (inout JSONValue) throws(E) -> Void) throws(E) {
        for index in self.entries.indices {
            try body(&self.entries[index].value)
        }
    }
}

extension JSONObject: RandomAccessCollection {
    /// The position of the first entry.
    public var startIndex: Int { self.entries.startIndex }

    /// The position past the last entry.
    public var endIndex: Int { self.entries.endIndex }

    /// The entry at `position`.
    ///
    /// - Parameter position: A valid index of the object.
    public subscript(position: Int) -> Element {
        let entry = self.entries[position]
        return (key: entry.key, value: entry.value)
    }
}

extension JSONObject: Hashable {
    /// Compares keys and values in order.
    ///
    /// - Parameters:
    ///   - lhs: An object.
    ///   - rhs: Another object.
    /// - Returns: Whether both hold the same entries in the same order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (left, right) in zip(lhs.entries, rhs.entries) {
            guard left.key == right.key, left.value == right.value else { return false }
        }
        return true
    }

    /// Hashes keys and values in order.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.entries.count)
        for entry in self.entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object from a literal; for a repeated key the last value wins.
    ///
    /// - Parameter elements: The entries in order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The object as compact JSON; binary values are shown by size.
    public var description: String {
        JSONValue.object(self).description
    }
}
