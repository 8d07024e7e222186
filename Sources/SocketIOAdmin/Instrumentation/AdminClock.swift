import Foundation
import SocketIO

/// The instrumentation's time: wall-clock milliseconds for the dates in events and the
/// per-second buckets, and seconds since instrumentation for `uptime`. Tests pass their own.
struct AdminClock: Sendable {
    let millisecondsSince1970: @Sendable () -> Int64
    let uptimeSeconds: @Sendable () -> Double

    static var system: AdminClock {
        let start = ContinuousClock.now
        return AdminClock(
            millisecondsSince1970: { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) },
            uptimeSeconds: {
                let elapsed = ContinuousClock.now - start
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            }
        )
    }

    var uptimeMilliseconds: Int64 { Int64(uptimeSeconds() * 1000) }
    /// Now, as the events carry it.
    var nowJSON: JSONValue { .string(JavaScriptDate.isoString(millisecondsSince1970: millisecondsSince1970())) }
}
