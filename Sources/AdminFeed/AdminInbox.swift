import Monitor
import Synchronization

/// What the client's callbacks queued for the console's thread: updates in arrival order
/// (events beyond a bound are counted, not kept), the link's state, and the traffic summed
/// from every server's stats.
final class AdminInbox: Sendable {
    struct Batch {
        var updates: [AdminUpdate]
        var link: FeedLink
        var dropped: Int
        var overflowed: Bool
        var totals: TrafficTotals
    }

    private struct Contents {
        var updates: [AdminUpdate] = []
        var packets = 0
        var dropped = 0
        var overflowed = false
        var link: FeedLink
        var totals = TrafficTotals()
    }

    private let contents: Mutex<Contents>
    private let packetLimit: Int
    /// Structural updates beyond this many between two drains mean the console cannot keep up.
    private let structuralLimit = 1 << 18

    init(link: FeedLink, packetLimit: Int) {
        contents = Mutex(Contents(link: link))
        self.packetLimit = packetLimit
    }

    var link: FeedLink { contents.withLock { $0.link } }

    func push(_ update: AdminUpdate) {
        contents.withLock { contents in
            switch update {
            case .packet:
                guard contents.packets < packetLimit else {
                    contents.dropped += 1
                    return
                }
                contents.packets += 1
            case .stats(_, let traffic):
                contents.totals = contents.totals + traffic
            default:
                guard contents.updates.count < structuralLimit else {
                    contents.overflowed = true
                    return
                }
            }
            contents.updates.append(update)
        }
    }

    func setLink(_ change: (inout FeedLink) -> Void) {
        contents.withLock { change(&$0.link) }
    }

    func take() -> Batch {
        contents.withLock { contents in
            defer {
                contents.updates = []
                contents.packets = 0
                contents.dropped = 0
                contents.overflowed = false
            }
            return Batch(updates: contents.updates, link: contents.link, dropped: contents.dropped,
                         overflowed: contents.overflowed, totals: contents.totals)
        }
    }
}

/// The session id the server handed out (basic authentication), shared with the auth
/// provider that runs on every connection attempt.
final class AdminSession: Sendable {
    private let value = Mutex<String?>(nil)

    var id: String? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
