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
            self?.connectionOpened(conn)
        }
    }

    /// Counts the packets of every open connection and of every later one (once for all).
    func startCountingPackets() {
        // Deciding under the lock that `connectionOpened` takes: a connection that opens while
        // counting starts is either handed over here or counted there, never missed.
        let waiting = packetCounting.withLockedValue { counting -> [EngineSocket] in
            guard !counting.started else { return [] }
            counting.started = true
            defer { counting.waiting.removeAll() }
            return Array(counting.waiting.values)
        }
        for conn in waiting { countPackets(of: conn) }
    }

    /// A new connection: counted at once when counting started, else kept until it does.
    private func connectionOpened(_ conn: EngineSocket) {
        let key = ObjectIdentifier(conn)
        let countNow = packetCounting.withLockedValue { counting -> Bool in
            if counting.started { return true }
            counting.waiting[key] = conn
            return false
        }
        if countNow {
            countPackets(of: conn)
        } else {
            conn.onClose { [weak self] _, _ in
                self?.packetCounting.withLockedValue { _ = $0.waiting.removeValue(forKey: key) }
            }
        }
    }

    private func countPackets(of conn: EngineSocket) {
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
        conn.onClose { _, _ in traffic.closed(counters) }
    }

    /// The size of a packet's data: everything but the type digit of a text packet.
    static func dataBytes(_ packet: EnginePacket) -> Int {
        packet.isBinary ? packet.byteCount : packet.byteCount - 1
    }
}

/// Whether packets are counted yet, and the open connections that wait for it to start.
struct PacketCounting: Sendable {
    var started = false
    var waiting: [ObjectIdentifier: EngineSocket] = [:]
}
