import Synchronization

/// How many event reports (`event_received`, `event_sent`) this server sends its admin
/// clients in one second: beyond it, the reports of that second are counted as dropped
/// before anything is built. Under a broadcast flood a server makes one report per
/// delivery, tens of thousands a second; no admin screen shows that many, and building,
/// sending and parsing them would cost the server and the admin client a core each.
final class EventReportBudget: Sendable {
    /// Reports allowed per second; `nil`: no limit (Node's behaviour).
    let perSecond: Int?
    private let spent = Mutex((second: Int64.min, count: 0))

    init(perSecond: Int?) {
        self.perSecond = perSecond
    }

    /// Takes one report from the budget of the second of `milliseconds`; `false` when it is spent.
    func take(atMilliseconds milliseconds: Int64) -> Bool {
        guard let perSecond else { return true }
        let second = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        return spent.withLock { spent in
            if spent.second != second { spent = (second, 0) }
            guard spent.count < perSecond else { return false }
            spent.count += 1
            return true
        }
    }
}
