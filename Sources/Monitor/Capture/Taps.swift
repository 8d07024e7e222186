import EngineIO
import NIOCore
import SocketIO
import Synchronization

/// The hooks of one socket (one client in one namespace).
///
/// Its closures run on the socket's event loop. They count, and when the loop's shard has
/// room they push one record holding references the server already made: no formatting,
/// no copying, no blocking.
final class SocketTap: Sendable {
    let id: String
    let namespace: String
    let engineID: String
    /// The socket, for reading `data` and acting on it; weak, so a socket that has gone is freed.
    weak let socket: Socket?
    let shard: PacketShard
    let connection: ConnectionTap?
    let hub: CaptureHub
    /// Events received and sent (`onAny` / `onAnyOutgoing`).
    let eventsIn = Atomic<Int>(0)
    let eventsOut = Atomic<Int>(0)

    init(socket: Socket, shard: PacketShard, connection: ConnectionTap?, hub: CaptureHub) {
        self.id = socket.id
        self.namespace = socket.namespace.name
        self.engineID = socket.conn.id
        self.socket = socket
        self.shard = shard
        self.connection = connection
        self.hub = hub
    }

    func incoming(_ event: String, _ arguments: [JSONValue]) {
        eventsIn.addFromOwner(1)
        let pending = connection?.takePending()
        guard hub.isCapturing, shard.admit() else { return }
        shard.push(.event(EventRecord(
            time: WallClock.nanoseconds(), direction: .inbound, namespace: namespace, socketID: id, event: event,
            arguments: arguments, ackID: pending?.ackID, size: pending?.bytes ?? 0
        )))
    }

    func outgoing(_ event: String, _ arguments: [JSONValue]) {
        eventsOut.addFromOwner(1)
        guard hub.isCapturing, shard.admit() else { return }
        shard.push(.event(EventRecord(
            time: WallClock.nanoseconds(), direction: .outbound, namespace: namespace, socketID: id, event: event,
            arguments: arguments, ackID: nil, size: 0
        )))
    }

    func disconnected(_ reason: DisconnectReason, _ description: String?) {
        guard hub.isActive else { return }
        hub.socketGone(self)
        hub.structural.push(.socketDisconnected(namespace: namespace, id: id, reason: reason.rawValue, description: description))
    }
}

/// The hooks of one engine connection: traffic counters, and the ack id and size of the
/// packet being received, which the socket's `onAny` then picks up.
///
/// Confined to the connection's event loop: the engine calls `onPacket` listeners there,
/// right before the Socket.IO layer decodes the same packet and calls `onAny`, so the
/// mutable fields need no lock.
final class ConnectionTap: @unchecked Sendable {
    let id: String
    let shard: PacketShard
    let hub: CaptureHub
    private var pendingAckID: UInt64?
    private var pendingBytes = 0

    init(id: String, shard: PacketShard, hub: CaptureHub) {
        self.id = id
        self.shard = shard
        self.hub = hub
    }

    func takePending() -> (ackID: UInt64?, bytes: Int) {
        defer {
            pendingAckID = nil
            pendingBytes = 0
        }
        return (pendingAckID, pendingBytes)
    }

    func received(_ packet: EnginePacket) {
        guard packet.type == .message else { return }
        let size = packet.byteCount
        shard.packetsIn.addFromOwner(1)
        shard.bytesIn.addFromOwner(size)
        if packet.isBinary {
            if case .binary = hub.parser.format {
                receivedWholePacket(packet)
            } else {
                pendingBytes += size
            }
            return
        }
        guard let type = packet.wire.getInteger(at: packet.wire.readerIndex + 1, as: UInt8.self) else { return }
        switch type {
        case UInt8(ascii: "2"), UInt8(ascii: "5"):
            pendingAckID = PacketHeader.parse(packet.wire, skipEngineType: true)?.ackID
            pendingBytes = size - 1
        case UInt8(ascii: "3"), UInt8(ascii: "6"):
            pushAck(packet, direction: .inbound)
        default:
            break
        }
    }

    func sent(_ packet: EnginePacket) {
        guard packet.type == .message else { return }
        shard.packetsOut.addFromOwner(1)
        shard.bytesOut.addFromOwner(packet.byteCount)
        if packet.isBinary, case .binary = hub.parser.format {
            if let decoded = Self.decodeWholePacket(packet, parser: hub.parser), decoded.type.isAck {
                pushAck(decoded, size: packet.byteCount, direction: .outbound)
            }
            return
        }
        guard !packet.isBinary,
              let type = packet.wire.getInteger(at: packet.wire.readerIndex + 1, as: UInt8.self),
              type == UInt8(ascii: "3") || type == UInt8(ascii: "6")
        else { return }
        pushAck(packet, direction: .outbound)
    }

    /// A packet of a parser that sends each packet as one binary message (msgpack): its ack
    /// id and size, as the text branch takes them from the text.
    private func receivedWholePacket(_ packet: EnginePacket) {
        guard let decoded = Self.decodeWholePacket(packet, parser: hub.parser) else { return }
        if decoded.type.isEvent {
            pendingAckID = decoded.ackId
            pendingBytes = packet.byteCount
        } else if decoded.type.isAck {
            pushAck(decoded, size: packet.byteCount, direction: .inbound)
        }
    }

    private static func decodeWholePacket(_ packet: EnginePacket, parser: SocketIOPacketParser) -> SocketIOPacket? {
        var decoder = parser.makeDecoder()
        return try? decoder.receive(binary: packet.data)
    }

    /// Records an ack that arrived or left as one binary message, in the text form the log
    /// reads (binary values as placeholders, as the default parser shows them).
    private func pushAck(_ ack: SocketIOPacket, size: Int, direction: Direction) {
        guard hub.isCapturing, shard.admit(), let text = try? SocketIOPacketEncoder().encode(ack).text else { return }
        shard.push(.ack(RawAckRecord(time: WallClock.nanoseconds(), direction: direction, engineID: id, text: text, size: size)))
    }

    private func pushAck(_ packet: EnginePacket, direction: Direction) {
        guard hub.isCapturing, shard.admit() else { return }
        shard.push(.ack(RawAckRecord(
            time: WallClock.nanoseconds(), direction: direction, engineID: id, text: packet.data, size: packet.byteCount - 1
        )))
    }
}
