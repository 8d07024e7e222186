import NIOConcurrencyHelpers
import SocketIO
import Synchronization

/// The engine traffic of this server for `server_stats`: packets and bytes in both
/// directions, counted with relaxed atomic adds (they run for every packet of every
/// client, so they must cost next to nothing), and raw connections and disconnections,
/// which are rare enough for a lock. ``sample(atMilliseconds:)`` moves the running counts
/// into the per-second buffer.
final class TrafficCounters: Sendable {
    private let packetsIn = Atomic<Int>(0)
    private let bytesIn = Atomic<Int>(0)
    private let packetsOut = Atomic<Int>(0)
    private let bytesOut = Atomic<Int>(0)
    private let buffer = NIOLockedValueBox(AggregatedEventBuffer())

    func received(bytes: Int) {
        packetsIn.wrappingAdd(1, ordering: .relaxed)
        bytesIn.wrappingAdd(bytes, ordering: .relaxed)
    }

    func sent(bytes: Int) {
        packetsOut.wrappingAdd(1, ordering: .relaxed)
        bytesOut.wrappingAdd(bytes, ordering: .relaxed)
    }

    /// A raw (engine) connection or disconnection, with its reason as sub-type.
    func record(_ type: String, subType: String? = nil, atMilliseconds milliseconds: Int64) {
        buffer.withLockedValue { $0.push(type: type, subType: subType, atMilliseconds: milliseconds) }
    }

    /// Moves the packet and byte counts since the last sample into the second of `milliseconds`.
    func sample(atMilliseconds milliseconds: Int64) {
        let counts = [
            ("packetsIn", packetsIn.exchange(0, ordering: .relaxed)),
            ("packetsOut", packetsOut.exchange(0, ordering: .relaxed)),
            ("bytesIn", bytesIn.exchange(0, ordering: .relaxed)),
            ("bytesOut", bytesOut.exchange(0, ordering: .relaxed)),
        ]
        buffer.withLockedValue { buffer in
            for (type, count) in counts { buffer.push(type: type, count: count, atMilliseconds: milliseconds) }
        }
    }

    /// Samples, then hands out and forgets everything counted so far.
    func drain(atMilliseconds milliseconds: Int64) -> [JSONValue] {
        sample(atMilliseconds: milliseconds)
        return buffer.withLockedValue { $0.takeAll() }
    }
}
