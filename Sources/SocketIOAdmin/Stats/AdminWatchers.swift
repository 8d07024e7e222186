import Synchronization

/// Whether any admin client anywhere in the cluster is watching, so that development mode
/// costs nothing per event while nobody is: admin clients of this server count directly,
/// those of other servers through a lease their server renews with every `server_stats`.
/// Read once per event (one relaxed load); recomputed when admin clients come and go and
/// on every sampling tick.
final class AdminWatchers: Sendable {
    private let localClients = Atomic<Int>(0)
    /// Until when (milliseconds of the instrumentation's uptime) another server said it has admin clients.
    private let remoteLeaseEnd = Atomic<Int64>(Int64.min)
    private let watched = Atomic<Bool>(false)

    var isWatched: Bool { watched.load(ordering: .relaxed) }
    var hasLocalClients: Bool { localClients.load(ordering: .relaxed) > 0 }

    func clientConnected() {
        localClients.wrappingAdd(1, ordering: .relaxed)
        watched.store(true, ordering: .relaxed)
    }

    func clientDisconnected(nowMilliseconds: Int64) {
        localClients.wrappingSubtract(1, ordering: .relaxed)
        refresh(nowMilliseconds: nowMilliseconds)
    }

    /// Another server has admin clients; trust it until `untilMilliseconds`.
    func remoteClientsSeen(untilMilliseconds: Int64) {
        remoteLeaseEnd.store(untilMilliseconds, ordering: .relaxed)
        watched.store(true, ordering: .relaxed)
    }

    func refresh(nowMilliseconds: Int64) {
        let remote = nowMilliseconds < remoteLeaseEnd.load(ordering: .relaxed)
        watched.store(hasLocalClients || remote, ordering: .relaxed)
    }
}
