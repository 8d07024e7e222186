import EngineIO
import SocketIO

/// Engine traffic for `server_stats` (Node's `registerEngineListeners`): raw connections,
/// disconnections with their reason, and the packets and bytes of data each way.
extension AdminInstrumentation {
    func watchEngine() {
        let traffic = self.traffic
        let clock = self.clock
        server.engine.onConnection { conn in
            traffic.record("rawConnection", atMilliseconds: clock.millisecondsSince1970())
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
            conn.onClose { reason, _ in
                traffic.closed(counters)
                traffic.record("rawDisconnection", subType: reason.rawValue, atMilliseconds: clock.millisecondsSince1970())
            }
        }
    }

    /// The size of a packet's data: everything but the type digit of a text packet.
    static func dataBytes(_ packet: EnginePacket) -> Int {
        packet.isBinary ? packet.byteCount : packet.byteCount - 1
    }
}
