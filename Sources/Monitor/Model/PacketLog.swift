/// The bounded packet log: a ring of ``LogEntry`` that shifts out its oldest entries, and
/// drops the payloads of old entries (keeping their preview) beyond a byte budget.
public struct PacketLog: Sendable {
    /// The most entries kept.
    public let capacity: Int
    /// The most payload bytes kept.
    public let payloadBudget: Int
    private var storage: [LogEntry] = []
    private var head = 0
    /// The id the next entry gets.
    public private(set) var nextID: UInt64 = 1
    /// Payload bytes currently kept.
    public private(set) var retainedBytes = 0
    /// The oldest id whose payload may still be kept.
    private var evictionCursor: UInt64 = 1

    /// Creates an empty log.
    ///
    /// - Parameters:
    ///   - capacity: The most entries kept, at least 1.
    ///   - payloadBudget: The most payload bytes kept.
    public init(capacity: Int = 10_000, payloadBudget: Int = 32 << 20) {
        self.capacity = max(1, capacity)
        self.payloadBudget = payloadBudget
        storage.reserveCapacity(min(self.capacity, 4096))
    }

    /// The number of entries kept.
    public var count: Int { storage.count }
    /// Whether the log is empty.
    public var isEmpty: Bool { storage.isEmpty }

    /// The entry at `position`, 0 being the oldest kept.
    public subscript(position: Int) -> LogEntry {
        storage[(head + position) % storage.count]
    }

    /// The id of the oldest entry kept.
    public var firstID: UInt64? { storage.isEmpty ? nil : self[0].id }
    /// The id of the newest entry.
    public var lastID: UInt64? { storage.isEmpty ? nil : nextID - 1 }

    /// The entry with `id`, if it is still kept.
    public func entry(id: UInt64) -> LogEntry? {
        guard let position = position(of: id) else { return nil }
        return self[position]
    }

    /// The position of entry `id`, if it is still kept.
    public func position(of id: UInt64) -> Int? {
        guard let first = firstID, id >= first, id < nextID else { return nil }
        return Int(id - first)
    }

    /// The entries with ids greater than `id`, oldest first.
    public func entries(after id: UInt64) -> [LogEntry] {
        guard let first = firstID else { return [] }
        let start = id < first ? 0 : Int(id - first + 1)
        guard start < count else { return [] }
        return (start..<count).map { self[$0] }
    }

    /// Every entry kept, oldest first.
    public var all: [LogEntry] { (0..<count).map { self[$0] } }

    /// Appends `entry`, giving it the next id; the oldest entry goes when the log is full.
    ///
    /// - Parameter entry: The entry (its id is replaced).
    /// - Returns: The id given.
    @discardableResult
    public mutating func append(_ entry: LogEntry) -> UInt64 {
        var entry = entry
        entry.id = nextID
        nextID += 1
        if entry.payload != nil { retainedBytes += entry.payloadBytes }
        if storage.count < capacity {
            storage.append(entry)
        } else {
            let old = storage[head]
            if old.payload != nil { retainedBytes -= old.payloadBytes }
            storage[head] = entry
            head = (head + 1) % capacity
        }
        enforceBudget()
        return entry.id
    }

    /// Removes every entry (ids keep increasing).
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
        retainedBytes = 0
        evictionCursor = nextID
    }

    package mutating func appendResyncMarker(time: Int64) {
        append(LogEntry(time: time, kind: .console, direction: .system, summary: "tables rebuilt from the server (too many changes at once)"))
    }

    private mutating func enforceBudget() {
        guard retainedBytes > payloadBudget, let first = firstID else { return }
        if evictionCursor < first { evictionCursor = first }
        while retainedBytes > payloadBudget, evictionCursor < nextID {
            let index = (head + Int(evictionCursor - first)) % storage.count
            if storage[index].payload != nil {
                retainedBytes -= storage[index].payloadBytes
                storage[index].payload = nil
            }
            evictionCursor += 1
        }
    }
}
