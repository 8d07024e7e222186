/// The part of the packet log the operator sees: the entries that pass the filter, and
/// where the stream was paused.
///
/// It is updated incrementally: each ``update(_:)`` looks only at the entries added since
/// the last one, so a flood costs the new lines, not the whole log.
public struct LogView: Sendable {
    /// The filter.
    public private(set) var filter = LogFilter()
    /// The ids of the entries that pass, oldest first.
    public private(set) var ids: [UInt64] = []
    /// The id after which entries are hidden while paused.
    public private(set) var pausedAt: UInt64?
    private var scanned: UInt64 = 0

    /// Creates a view that shows everything.
    public init() {}

    /// Whether the stream is paused.
    public var isPaused: Bool { pausedAt != nil }

    /// The ids shown: all of ``ids``, or those up to the pause.
    public var visible: ArraySlice<UInt64> {
        guard let pausedAt else { return ids[...] }
        var end = ids.count
        while end > 0, ids[end - 1] > pausedAt { end -= 1 }
        return ids[..<end]
    }

    /// How many entries arrived (and pass the filter) since the pause.
    public var hiddenByPause: Int { ids.count - visible.count }

    /// Takes in the entries added to `state`'s log since the last call, and forgets those
    /// the log no longer keeps.
    ///
    /// - Parameter state: The model.
    /// - Returns: Whether the visible list changed.
    @discardableResult
    public mutating func update(_ state: MonitorState) -> Bool {
        let log = state.log
        var changed = false
        if let first = log.firstID {
            var drop = 0
            while drop < ids.count, ids[drop] < first { drop += 1 }
            if drop > 0 {
                ids.removeFirst(drop)
                changed = true
            }
        } else if !ids.isEmpty {
            ids.removeAll()
            changed = true
        }
        guard let last = log.lastID, last > scanned else { return changed }
        for entry in log.entries(after: scanned) where filter.isEmpty || filter.matches(entry, roomsOf: { state.rooms(of: $0) }) {
            ids.append(entry.id)
            changed = true
        }
        scanned = last
        return changed
    }

    /// Uses `filter` from now on, re-reading the whole log.
    ///
    /// - Parameters:
    ///   - filter: The new filter.
    ///   - state: The model.
    public mutating func setFilter(_ filter: LogFilter, state: MonitorState) {
        self.filter = filter
        ids.removeAll()
        scanned = 0
        update(state)
    }

    /// Freezes what is shown at the newest entry of `state`.
    public mutating func pause(_ state: MonitorState) {
        pausedAt = state.log.lastID ?? 0
    }

    /// Shows new entries again.
    public mutating func resume() {
        pausedAt = nil
    }
}
