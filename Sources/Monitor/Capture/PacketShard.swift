import Synchronization

/// The capture buffer and traffic counters of one event loop.
///
/// Every connection's hooks run on its event loop (the engine and the Socket.IO layer call
/// `packet`, `packetCreate`, `onAny` and `onAnyOutgoing` listeners there), so each loop
/// writes to its own shard: the lock is uncontended (only the console's drain takes it
/// too) and the counters have a single writer. When the buffer is full the hooks stop building records and only count
/// what they drop: a flood costs a flag check and an increment per packet.
final class PacketShard: Sendable {
    /// Engine message packets and bytes received and sent on this loop.
    let packetsIn = Atomic<Int>(0)
    let packetsOut = Atomic<Int>(0)
    let bytesIn = Atomic<Int>(0)
    let bytesOut = Atomic<Int>(0)
    /// Packets not recorded because the buffer was full, since the start (the drain
    /// reports the difference, so this counter keeps a single writer).
    let dropped = Atomic<Int>(0)
    private let droppedReported = Atomic<Int>(0)
    /// Set when the buffer is full, cleared by the drain; read without the lock.
    private let full = Atomic<Bool>(false)
    private let buffer: Mutex<[CapturedPacket]>
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        var items: [CapturedPacket] = []
        items.reserveCapacity(self.capacity)
        buffer = Mutex(items)
    }

    /// Whether a record would be kept now; when not, the drop is counted.
    @inline(__always)
    func admit() -> Bool {
        if full.load(ordering: .relaxed) {
            dropped.addFromOwner(1)
            return false
        }
        return true
    }

    /// Keeps `record` if there is room (call after ``admit()`` said yes).
    func push(_ record: CapturedPacket) {
        let accepted = buffer.withLock { items -> Bool in
            guard items.count < capacity else { return false }
            items.append(record)
            if items.count == capacity { full.store(true, ordering: .relaxed) }
            return true
        }
        if !accepted { dropped.addFromOwner(1) }
    }

    /// Takes everything recorded so far, and the number dropped since the last drain.
    func drain() -> (records: [CapturedPacket], dropped: Int) {
        var fresh: [CapturedPacket] = []
        fresh.reserveCapacity(capacity)
        let records = buffer.withLock { items -> [CapturedPacket] in
            swap(&items, &fresh)
            full.store(false, ordering: .relaxed)
            return fresh
        }
        let total = dropped.load(ordering: .relaxed)
        let reported = droppedReported.exchange(total, ordering: .relaxed)
        return (records, total &- reported)
    }

    /// The counters' current totals.
    var totals: TrafficTotals {
        TrafficTotals(
            packetsIn: packetsIn.load(ordering: .relaxed), packetsOut: packetsOut.load(ordering: .relaxed),
            bytesIn: bytesIn.load(ordering: .relaxed), bytesOut: bytesOut.load(ordering: .relaxed)
        )
    }
}

extension Atomic where Value == Int {
    /// Adds `amount` when this thread is the counter's only writer (the event loop that owns
    /// it): a plain load and store, no locked read-modify-write on the packet path. Readers
    /// on other threads see whole values, at most one update late.
    @inline(__always)
    func addFromOwner(_ amount: Int) {
        store(load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }
}

/// Packet and byte counts in both directions since the monitor started.
public struct TrafficTotals: Sendable, Equatable {
    /// Message packets received.
    public var packetsIn = 0
    /// Message packets sent.
    public var packetsOut = 0
    /// Bytes received in message packets.
    public var bytesIn = 0
    /// Bytes sent in message packets.
    public var bytesOut = 0

    /// Creates totals.
    public init(packetsIn: Int = 0, packetsOut: Int = 0, bytesIn: Int = 0, bytesOut: Int = 0) {
        self.packetsIn = packetsIn
        self.packetsOut = packetsOut
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
    }

    package static func + (lhs: TrafficTotals, rhs: TrafficTotals) -> TrafficTotals {
        TrafficTotals(packetsIn: lhs.packetsIn + rhs.packetsIn, packetsOut: lhs.packetsOut + rhs.packetsOut,
                      bytesIn: lhs.bytesIn + rhs.bytesIn, bytesOut: lhs.bytesOut + rhs.bytesOut)
    }
}

/// The ordered queue of structural records: connections, rooms, console output.
///
/// These must not be lost (the tables are built from them), so they are never sampled; the
/// queue is still bounded, and when it overflows the monitor rebuilds its tables from the
/// server instead.
final class StructuralQueue: Sendable {
    private struct State {
        var items: [Stamped<StructuralRecord>] = []
        var overflowed = false
    }
    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
    }

    func push(_ record: StructuralRecord, time: Int64 = WallClock.nanoseconds()) {
        state.withLock { state in
            guard state.items.count < capacity else {
                state.overflowed = true
                return
            }
            state.items.append(Stamped(time: time, record: record))
        }
    }

    func drain() -> (records: [Stamped<StructuralRecord>], overflowed: Bool) {
        state.withLock { state in
            defer {
                state.items = []
                state.overflowed = false
            }
            return (state.items, state.overflowed)
        }
    }
}
