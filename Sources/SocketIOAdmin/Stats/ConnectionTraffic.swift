import Synchronization

/// The packets and bytes of data of one engine connection. Only its connection's event loop
/// adds to them, so the relaxed atomic adds never contend across cores; the sampler reads
/// them by exchanging them for zero.
final class ConnectionTraffic: Sendable {
    let packetsIn = Atomic<Int>(0)
    let bytesIn = Atomic<Int>(0)
    let packetsOut = Atomic<Int>(0)
    let bytesOut = Atomic<Int>(0)

    func received(bytes: Int) {
        packetsIn.wrappingAdd(1, ordering: .relaxed)
        bytesIn.wrappingAdd(bytes, ordering: .relaxed)
    }

    func sent(bytes: Int) {
        packetsOut.wrappingAdd(1, ordering: .relaxed)
        bytesOut.wrappingAdd(bytes, ordering: .relaxed)
    }

    /// The counts since the last take, in `server_stats` order; the counters restart at zero.
    func take() -> [(type: String, count: Int)] {
        [
            ("packetsIn", packetsIn.exchange(0, ordering: .relaxed)),
            ("packetsOut", packetsOut.exchange(0, ordering: .relaxed)),
            ("bytesIn", bytesIn.exchange(0, ordering: .relaxed)),
            ("bytesOut", bytesOut.exchange(0, ordering: .relaxed)),
        ]
    }

    /// Adds `other`'s counts to these (a closing connection's last counts).
    func absorb(_ other: ConnectionTraffic) {
        for (type, count) in other.take() where count != 0 {
            switch type {
            case "packetsIn": packetsIn.wrappingAdd(count, ordering: .relaxed)
            case "packetsOut": packetsOut.wrappingAdd(count, ordering: .relaxed)
            case "bytesIn": bytesIn.wrappingAdd(count, ordering: .relaxed)
            default: bytesOut.wrappingAdd(count, ordering: .relaxed)
            }
        }
    }
}
