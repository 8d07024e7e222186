import SocketIO

/// Counts of engine events per second, type and sub-type, in the order they first
/// happened (Node's `EventBuffer`): what `server_stats` carries as `aggregatedEvents`.
struct AggregatedEventBuffer: Sendable {
    struct Key: Hashable, Sendable {
        let timestamp: Int64
        let type: String
        let subType: String?
    }

    private var order: [Key] = []
    private var counts: [Key: Int] = [:]

    /// Adds `count` events of `type` in the second that contains `milliseconds`.
    mutating func push(type: String, subType: String? = nil, count: Int = 1, atMilliseconds milliseconds: Int64) {
        guard count > 0 else { return }
        let key = Key(timestamp: milliseconds - milliseconds % 1000, type: type, subType: subType)
        if let current = counts[key] {
            counts[key] = current + count
        } else {
            counts[key] = count
            order.append(key)
        }
    }

    var isEmpty: Bool { order.isEmpty }

    /// The entries as Node sends them (`subType` only when there is one), then empty.
    mutating func takeAll() -> [JSONValue] {
        defer {
            order.removeAll(keepingCapacity: true)
            counts.removeAll(keepingCapacity: true)
        }
        return order.map { key in
            var entry: JSONObject = ["timestamp": .int(key.timestamp), "type": .string(key.type)]
            if let subType = key.subType { entry["subType"] = .string(subType) }
            entry["count"] = .int(Int64(counts[key] ?? 0))
            return .object(entry)
        }
    }
}
