import EngineIO
import NIOConcurrencyHelpers
import SocketIO

/// Engine traffic for `server_stats` (Node's `registerEngineListeners`): raw connections,
/// disconnections with their reason, and the packets and bytes of data each way.
///
/// Packets are counted from the first time an admin client of the cluster watches, not
/// before: a packet listener touches every packet the server writes (the shared buffer of
/// each broadcast target included), and until someone watches nobody would read the counts.
extension AdminInstrumentation {
    func watchEngine() {
        let traffic = self.traffic
        let clock = self.clock
        server.engine.onConnection { [weak self] conn in
            traffic.record("rawConnection", atMilliseconds: clock.millisecondsSince1970())
            conn.onClose { reason, _ in
                traffic.record("rawDisconnection", subType: reason.rawValue, atMilliseconds: clock.millisecondsSince1970())
            }
            self?.countPackets(of: conn, onlyIfStarted: true)
        }
    }

    /// Counts the packets of every open connection and of every later one (once for all).
    func startCountingPackets() {
        let started = packetCounting.withLockedValue { counting in
            defer { counting.started = true }
            return counting.started
        }
        guard !started else { return }
        for conn in server.engine.clients.values { countPackets(of: conn, onlyIfStarted: false) }
    }

    private func countPackets(of conn: EngineSocket, onlyIfStarted: Bool) {
        let key = ObjectIdentifier(conn)
        let attach = packetCounting.withLockedValue { counting in
            guard counting.started || !onlyIfStarted else { return false }
            return counting.attached.insert(key).inserted
        }
        guard attach else { return }
        let traffic = self.traffic
        let counters = traffic.opened()
        // As Node: only packets that carry data count (not pings, pongs or noops).
        conn.onPacket { packet in
            let bytes = Self.dataBytes(packet)
            if bytes > 0 { counters.received(bytes: bytes) }
        }
        conn.onPacketCreate { packet in
            let bytes = Self.dataBytes(packet)
            if bytes > 0 { counters.sent(bytes: bytes) }
        }
        conn.onClose { [weak self] _, _ in
            traffic.closed(counters)
            self?.packetCounting.withLockedValue { _ = $0.attached.remove(key) }
        }
    }

    /// The size of a packet's data: everything but the type digit of a text packet.
    static func dataBytes(_ packet: EnginePacket) -> Int {
        packet.isBinary ? packet.byteCount : packet.byteCount - 1
    }
}

/// Whether packets are counted yet, and which connections already have their counters.
struct PacketCounting: Sendable {
    var started = false
    var attached: Set<ObjectIdentifier> = []
}
