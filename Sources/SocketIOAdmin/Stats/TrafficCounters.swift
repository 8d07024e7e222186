import NIOConcurrencyHelpers
import SocketIO

/// The engine traffic of this server for `server_stats`. Packets and bytes are counted per
/// connection (``ConnectionTraffic``: they run for every packet of every client, so they
/// must cost next to nothing and never bounce a cache line between cores); raw connections
/// and disconnections are rare enough for a lock. ``sample(atMilliseconds:)`` moves the
/// running counts into the per-second buffer.
final class TrafficCounters: Sendable {
    private let live = NIOLockedValueBox([ObjectIdentifier: ConnectionTraffic]())
    /// What closed connections counted since the last sample.
    private let retired = ConnectionTraffic()
    private let buffer = NIOLockedValueBox(AggregatedEventBuffer())

    /// Counters for a new connection, sampled until ``closed(_:)``.
    func opened() -> ConnectionTraffic {
        let traffic = ConnectionTraffic()
        live.withLockedValue { $0[ObjectIdentifier(traffic)] = traffic }
        return traffic
    }

    /// Stops sampling `traffic`, keeping what it counted for the next sample.
    func closed(_ traffic: ConnectionTraffic) {
        live.withLockedValue { _ = $0.removeValue(forKey: ObjectIdentifier(traffic)) }
        retired.absorb(traffic)
    }

    /// A raw (engine) connection or disconnection, with its reason as sub-type.
    func record(_ type: String, subType: String? = nil, atMilliseconds milliseconds: Int64) {
        buffer.withLockedValue { $0.push(type: type, subType: subType, atMilliseconds: milliseconds) }
    }

    /// Moves the packet and byte counts since the last sample into the second of `milliseconds`.
    func sample(atMilliseconds milliseconds: Int64) {
        let connections = live.withLockedValue { Array($0.values) } + [retired]
        var totals: [(type: String, count: Int)] = [("packetsIn", 0), ("packetsOut", 0), ("bytesIn", 0), ("bytesOut", 0)]
        for connection in connections {
            for (index, taken) in connection.take().enumerated() { totals[index].count += taken.count }
        }
        buffer.withLockedValue { buffer in
            for (type, count) in totals { buffer.push(type: type, count: count, atMilliseconds: milliseconds) }
        }
    }

    /// Samples, then hands out and forgets everything counted so far.
    func drain(atMilliseconds milliseconds: Int64) -> [JSONValue] {
        sample(atMilliseconds: milliseconds)
        return buffer.withLockedValue { $0.takeAll() }
    }
}
