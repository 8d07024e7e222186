import EngineIO
import NIOConcurrencyHelpers
import NIOCore

/// The adapter of a namespace (Node's `Adapter`): who is in which room, and how packets
/// reach the sockets a broadcast targets.
///
/// This class is the in-memory adapter, the default. It is the seam of a cluster: a
/// cluster adapter subclasses it, sends broadcasts and requests to the other servers and
/// applies theirs locally with the methods below, which it may call with `local` options.
/// Every method is safe to call from any thread; none holds a lock while calling user
/// code or sending.
open class Adapter: @unchecked Sendable {
    /// The namespace this adapter serves.
    public unowned let namespace: Namespace

    struct Rooms {
        var rooms: [String: Set<String>] = [:]
        var sids: [String: Set<String>] = [:]
    }
    let state = NIOLockedValueBox(Rooms())
    let hooks = NIOLockedValueBox(AdapterHooks())
    let sessions: SessionStore?
    /// The server's wire format, which every broadcast is encoded in once.
    let parser: SocketIOPacketParser

    /// Creates the adapter of `namespace`.
    public init(namespace: Namespace) {
        self.namespace = namespace
        self.sessions = namespace.server.options.connectionStateRecovery.map { SessionStore(options: $0) }
        self.parser = namespace.server.options.parser
    }

    /// Starts the adapter (a cluster adapter connects here). Called once, before use.
    open func initialize() async throws {}

    /// Stops the adapter.
    open func close() async {}

    /// The number of servers in the cluster, this one included.
    open func serverCount() async -> Int { 1 }

    // MARK: Rooms

    /// Adds socket `id` to `rooms` (Node's `addAll`).
    open func addAll(_ id: String, rooms: Set<String>) {
        // Node announces each room as it goes: create-room (if new) right before the
        // socket's join-room of it. Hooks run outside the lock, so record the order here.
        var announcements: [(room: String, created: Bool, joined: Bool)] = []
        state.withLockedValue { state in
            for room in rooms {
                state.sids[id, default: []].insert(room)
                var created = false
                if state.rooms[room] == nil {
                    state.rooms[room] = []
                    created = true
                }
                let joined = state.rooms[room]!.insert(id).inserted
                if created || joined { announcements.append((room, created, joined)) }
            }
        }
        guard !announcements.isEmpty else { return }
        let hooks = self.hooks.withLockedValue { $0 }
        for announcement in announcements {
            if announcement.created { for hook in hooks.createRoom { hook(announcement.room) } }
            if announcement.joined { for hook in hooks.joinRoom { hook(announcement.room, id) } }
        }
    }

    /// Removes socket `id` from `room` (Node's `del`).
    open func del(_ id: String, room: String) {
        var left = false
        var deleted = false
        state.withLockedValue { state in
            state.sids[id]?.remove(room)
            if state.rooms[room]?.remove(id) != nil {
                left = true
                if state.rooms[room]?.isEmpty == true {
                    state.rooms[room] = nil
                    deleted = true
                }
            }
        }
        guard left else { return }
        // Node's order: the socket leaves, then the emptied room is deleted.
        let hooks = self.hooks.withLockedValue { $0 }
        for hook in hooks.leaveRoom { hook(room, id) }
        if deleted { for hook in hooks.deleteRoom { hook(room) } }
    }

    /// Removes socket `id` from every room (Node's `delAll`).
    open func delAll(_ id: String) {
        let rooms = state.withLockedValue { $0.sids[id] ?? [] }
        for room in rooms { del(id, room: room) }
        state.withLockedValue { _ = $0.sids.removeValue(forKey: id) }
    }

    /// The rooms socket `id` is in, or `nil` for an unknown socket.
    open func socketRooms(_ id: String) -> Set<String>? {
        state.withLockedValue { $0.sids[id] }
    }

    /// Every room and its members (local view).
    public var rooms: [String: Set<String>] { state.withLockedValue { $0.rooms } }

    /// The ids of the sockets in `rooms` (all sockets when empty) on this server.
    open func sockets(_ rooms: Set<String>) async -> Set<String> {
        localSocketIDs(BroadcastOptions(rooms: rooms))
    }

    // MARK: Broadcasting

    /// Sends `packet` to the sockets `options` selects (Node's `broadcast`).
    open func broadcast(_ packet: SocketIOPacket, options: BroadcastOptions) {
        var packet = packet
        if let sessions, packet.type == .event, packet.ackId == nil, !options.flags.volatile {
            // Connection state recovery: every broadcast event carries an offset and is
            // kept, so a client that comes back can be sent what it missed.
            let offset = sessions.record(packet: packet, options: options)
            if case .array(var items)? = packet.data {
                items.append(.string(offset))
                packet.data = .array(items)
            }
        }
        deliverLocally(packet, options: options)
    }

    /// Sends `packet` to the sockets `options` selects and gathers their acknowledgements
    /// (Node's `broadcastWithAck`): `clientCount` is called once with the number of
    /// targets, `ack` once per reply with the reply's first argument.
    open func broadcastWithAck(
        _ packet: SocketIOPacket,
        options: BroadcastOptions,
        clientCount: @escaping @Sendable (Int) -> Void,
        ack: @escaping @Sendable (JSONValue) -> Void
    ) {
        var packet = packet
        // One id for every target: ids come from the namespace's counter, so no socket
        // has another pending ack with it, and the packet is encoded once.
        if packet.ackId == nil { packet.ackId = namespace.nextAckID() }
        let targets = localSockets(options)
        clientCount(targets.count)
        guard !targets.isEmpty, let enginePackets = Client.enginePackets(packet, parser: parser) else { return }
        let sendable = packet
        let outgoing = OutgoingEvent(packet)
        Self.onEachLoop(targets) { socket in
            socket.emitExpectingAck(enginePackets, packet: sendable, outgoing: outgoing, reply: ack)
        }
    }

    /// Delivers `packet` to the local sockets `options` selects: encoded once, written
    /// with one hop per event loop.
    public func deliverLocally(_ packet: SocketIOPacket, options: BroadcastOptions) {
        let targets = localSockets(options)
        guard !targets.isEmpty, let enginePackets = Client.enginePackets(packet, parser: parser) else { return }
        let volatile = options.flags.volatile
        // What `onAnyOutgoing` listeners get, built once for every target.
        let outgoing = OutgoingEvent(packet)
        Self.onEachLoop(targets) { socket in
            socket.deliver(enginePackets, outgoing: outgoing, volatile: volatile)
        }
    }

    /// Runs `body` for each socket on the socket's own event loop, one hop per loop.
    static func onEachLoop(_ sockets: [Socket], _ body: @escaping @Sendable (Socket) -> Void) {
        if sockets.count == 1 {
            let socket = sockets[0]
            socket.onLoop { body(socket) }
            return
        }
        var groups: [ObjectIdentifier: (loop: any EventLoop, sockets: [Socket])] = [:]
        for socket in sockets {
            let key = ObjectIdentifier(socket.eventLoop)
            if groups[key] == nil { groups[key] = (socket.eventLoop, []) }
            groups[key]!.sockets.append(socket)
        }
        for group in groups.values {
            let batch = group.sockets
            if group.loop.inEventLoop {
                for socket in batch { body(socket) }
            } else {
                group.loop.execute { for socket in batch { body(socket) } }
            }
        }
    }

    /// The ids `options` selects among this server's sockets.
    func localSocketIDs(_ options: BroadcastOptions) -> Set<String> {
        state.withLockedValue { state in
            var excluded = Set<String>()
            for room in options.except { excluded.formUnion(state.rooms[room] ?? []) }
            if options.rooms.isEmpty {
                return Set(state.sids.keys).subtracting(excluded)
            }
            var ids = Set<String>()
            for room in options.rooms { ids.formUnion(state.rooms[room] ?? []) }
            return ids.subtracting(excluded)
        }
    }

    /// The connected local sockets `options` selects.
    public func localSockets(_ options: BroadcastOptions) -> [Socket] {
        let ids = localSocketIDs(options)
        return namespace.socketsByID(ids)
    }

    // MARK: Operations on many sockets

    /// The sockets `options` selects, with their details (Node's `fetchSockets`).
    open func fetchSockets(_ options: BroadcastOptions) async throws -> [RemoteSocket] {
        localSockets(options).map { RemoteSocket(socket: $0) }
    }

    /// Makes the selected sockets join `rooms` (Node's `addSockets`).
    open func addSockets(_ options: BroadcastOptions, rooms: [String]) {
        for socket in localSockets(options) { socket.join(rooms) }
    }

    /// Makes the selected sockets leave `rooms` (Node's `delSockets`).
    open func delSockets(_ options: BroadcastOptions, rooms: [String]) {
        for socket in localSockets(options) { socket.leave(rooms) }
    }

    /// Disconnects the selected sockets (Node's `disconnectSockets`).
    open func disconnectSockets(_ options: BroadcastOptions, close: Bool) {
        for socket in localSockets(options) { socket.disconnect(close: close) }
    }

    /// Sends an event to the other servers of the cluster (none here).
    open func serverSideEmit(_ arguments: [JSONValue]) {}

    /// Sends an event to the other servers and gathers one reply per server, each the first
    /// argument the server acknowledged with (none here).
    open func serverSideEmitWithAck(_ arguments: [JSONValue], timeout: Duration?) async throws -> [JSONValue] { [] }

    // MARK: Connection state recovery

    /// Keeps what a disconnected socket needs to be restored.
    open func persistSession(_ session: PersistedSession) async {
        sessions?.persist(session)
    }

    /// Restores the session `pid` if it is still kept and `offset` is known, with the
    /// packets it missed.
    open func restoreSession(pid: String, offset: String) async -> RestoredSession? {
        sessions?.restore(pid: pid, offset: offset)
    }

    // MARK: Events

    /// Adds a listener for new rooms (Node's `create-room`).
    public func onCreateRoom(_ listener: @escaping @Sendable (String) -> Void) {
        hooks.withLockedValue { $0.createRoom.append(listener) }
    }
    /// Adds a listener for rooms that became empty (Node's `delete-room`).
    public func onDeleteRoom(_ listener: @escaping @Sendable (String) -> Void) {
        hooks.withLockedValue { $0.deleteRoom.append(listener) }
    }
    /// Adds a listener for sockets joining a room (Node's `join-room`): room, socket id.
    public func onJoinRoom(_ listener: @escaping @Sendable (String, String) -> Void) {
        hooks.withLockedValue { $0.joinRoom.append(listener) }
    }
    /// Adds a listener for sockets leaving a room (Node's `leave-room`): room, socket id.
    public func onLeaveRoom(_ listener: @escaping @Sendable (String, String) -> Void) {
        hooks.withLockedValue { $0.leaveRoom.append(listener) }
    }
}

struct AdapterHooks {
    var createRoom: [@Sendable (String) -> Void] = []
    var deleteRoom: [@Sendable (String) -> Void] = []
    var joinRoom: [@Sendable (String, String) -> Void] = []
    var leaveRoom: [@Sendable (String, String) -> Void] = []
}
