import Foundation
import NIOConcurrencyHelpers

/// What the adapter keeps of a socket that disconnected, for connection state recovery.
public struct PersistedSession: Sendable {
    /// The socket id.
    public var sid: String
    /// The private session id the client proves itself with.
    public var pid: String
    /// The rooms the socket was in.
    public var rooms: Set<String>
    /// The socket's `data`.
    public var data: JSONValue

    /// Creates a session record.
    public init(sid: String, pid: String, rooms: Set<String>, data: JSONValue) {
        self.sid = sid
        self.pid = pid
        self.rooms = rooms
        self.data = data
    }
}

/// A session brought back, with the event payloads it missed (each with its offset last).
public struct RestoredSession: Sendable {
    /// The session as it was persisted.
    public var session: PersistedSession
    /// The `data` arrays of the events it missed, in order.
    public var missedPackets: [[JSONValue]]
}

/// Node's `SessionAwareAdapter` state: broadcast events with their offsets, and the
/// sessions of disconnected sockets, both dropped after `maxDisconnectionDuration`.
final class SessionStore: Sendable {
    private struct StoredPacket {
        let offset: String
        let options: BroadcastOptions
        let data: [JSONValue]
        let time: ContinuousClock.Instant
    }

    private struct State {
        var packets: [StoredPacket] = []
        var sessions: [String: (session: PersistedSession, time: ContinuousClock.Instant)] = [:]
        var counter: UInt64 = 0
    }

    private let state = NIOLockedValueBox(State())
    private let maxAge: Duration

    init(options: ConnectionStateRecoveryOptions) {
        maxAge = options.maxDisconnectionDuration
    }

    /// Keeps a broadcast event and returns its offset.
    func record(packet: SocketIOPacket, options: BroadcastOptions) -> String {
        let now = ContinuousClock.now
        return state.withLockedValue { state in
            dropExpired(&state, now: now)
            state.counter += 1
            // Unique and increasing within this process; the time part keeps offsets of
            // a restarted process apart.
            let offset = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36) + "-" + String(state.counter, radix: 36)
            let data = packet.data?.arrayValue ?? []
            state.packets.append(StoredPacket(offset: offset, options: options, data: data + [.string(offset)], time: now))
            return offset
        }
    }

    func persist(_ session: PersistedSession) {
        let now = ContinuousClock.now
        state.withLockedValue { state in
            dropExpired(&state, now: now)
            state.sessions[session.pid] = (session, now)
        }
    }

    func restore(pid: String, offset: String) -> RestoredSession? {
        let now = ContinuousClock.now
        return state.withLockedValue { state -> RestoredSession? in
            dropExpired(&state, now: now)
            guard let stored = state.sessions.removeValue(forKey: pid) else { return nil }
            guard let index = state.packets.firstIndex(where: { $0.offset == offset }) else { return nil }
            var missed: [[JSONValue]] = []
            let rooms = stored.session.rooms
            for packet in state.packets[(index + 1)...] where Self.reaches(packet.options, rooms: rooms) {
                missed.append(packet.data)
            }
            return RestoredSession(session: stored.session, missedPackets: missed)
        }
    }

    private static func reaches(_ options: BroadcastOptions, rooms: Set<String>) -> Bool {
        let included = options.rooms.isEmpty || !options.rooms.isDisjoint(with: rooms)
        return included && options.except.isDisjoint(with: rooms)
    }

    private func dropExpired(_ state: inout State, now: ContinuousClock.Instant) {
        if let first = state.packets.firstIndex(where: { now - $0.time <= maxAge }) {
            if first > 0 { state.packets.removeFirst(first) }
        } else {
            state.packets.removeAll()
        }
        state.sessions = state.sessions.filter { now - $0.value.time <= maxAge }
    }
}
