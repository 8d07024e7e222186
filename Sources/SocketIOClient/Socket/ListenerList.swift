import SocketIOParser

/// Listeners in call order, each with an id, some called only once.
struct ListenerList<Handler: Sendable>: Sendable {
    struct Entry: Sendable {
        let id: ListenerID
        let handler: Handler
        let once: Bool
    }

    private(set) var entries: [Entry] = []
    private var nextID: UInt64 = 0

    mutating func add(_ handler: Handler, once: Bool = false, prepend: Bool = false) -> ListenerID {
        nextID += 1
        let entry = Entry(id: ListenerID(value: nextID), handler: handler, once: once)
        if prepend {
            entries.insert(entry, at: 0)
        } else {
            entries.append(entry)
        }
        return entry.id
    }

    mutating func remove(_ id: ListenerID?) {
        entries.removeAll { id == nil || $0.id == id }
    }

    /// The handlers to call now; drops the `once` ones.
    mutating func handlers() -> [Handler] {
        let handlers = entries.map(\.handler)
        if entries.contains(where: \.once) { entries.removeAll(where: \.once) }
        return handlers
    }

    var ids: [ListenerID] { entries.map(\.id) }
    var isEmpty: Bool { entries.isEmpty }
}
