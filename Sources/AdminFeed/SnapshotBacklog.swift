import Monitor

/// Updates the console has taken from the inbox but not applied yet: the rest of a
/// snapshot, and what arrived after it.
struct Backlog: Sendable {
    /// Sockets applied per drain: about a millisecond of work on this machine's release build.
    static let snapshotSlice = 2_000
    /// Other updates applied per drain: what piled up behind a snapshot (under a flood,
    /// thousands of events) never goes in one frame.
    static let updateSlice = 2_000
    var snapshot: ArraySlice<SnapshotItem> = []
    var snapshotCount = 0
    var deferred: [AdminUpdate] = []
    /// What the reports said since the link connected, while its snapshot is awaited.
    var journal: SnapshotJournal?
}

/// A socket of a snapshot, with the reports about it that came before the snapshot did.
struct SnapshotItem: Sendable {
    var info: SocketInfo
    var newer: [StructuralRecord]
}

/// The reports about each socket between a connection of the link and its snapshot.
struct SnapshotJournal: Sendable {
    /// Each socket's connection, change and room reports, in order.
    var reports: [String: [StructuralRecord]] = [:]
    /// Sockets reported disconnected: the snapshot may still list them.
    var disconnected: Set<String> = []

    mutating func note(_ record: StructuralRecord) {
        switch record {
        case .socketConnected(let info):
            disconnected.remove(info.id)
            reports[info.id, default: []].append(record)
        case .socketUpdated(_, let id, _, _), .joined(_, _, let id), .left(_, _, let id):
            reports[id, default: []].append(record)
        case .socketDisconnected(_, let id, _, _):
            disconnected.insert(id)
            reports[id] = nil
        case .namespaceCreated, .engineOpened, .engineUpgraded, .engineClosed, .note:
            break
        }
    }
}
