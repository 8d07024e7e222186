import SocketIO
import NIOCore
import Synchronization

/// A namespace with its rooms.
public struct NamespaceEntry: Sendable {
    /// The name, starting with `/`.
    public let name: String
    /// Each room and its members' ids.
    public internal(set) var rooms: [String: Set<String>] = [:]
    /// The ids of its sockets.
    public internal(set) var sockets: Set<String> = []
}

/// A room in a listing.
public struct RoomSummary: Sendable, Equatable {
    /// The room's name.
    public let name: String
    /// How many sockets are in it.
    public let members: Int
    /// Whether it is a socket's own room (named after its id).
    public let isPrivate: Bool
}

/// The console's model of the live server: namespaces, rooms, sockets, the packet log,
/// rates. A value owned by the console's thread and fed by ``Monitor/drain(into:)``; it
/// knows nothing of terminals, and tests build one by hand.
public struct MonitorState: Sendable {
    /// Limits.
    public let configuration: MonitorConfiguration
    /// Namespaces by name.
    public internal(set) var namespaces: [String: NamespaceEntry] = [:]
    /// Connected sockets by id: this server's, and on a cluster those of the other servers
    /// (``SocketEntry/isRemote``).
    public internal(set) var sockets: [String: SocketEntry] = [:]
    /// The packet log.
    public internal(set) var log: PacketLog
    /// Traffic rates.
    public private(set) var rates = RateHistory()
    /// Traffic totals at the last drain.
    public private(set) var totals = TrafficTotals()
    /// Packets not logged because they came too fast, since the start.
    public private(set) var droppedTotal = 0
    /// Increases whenever namespaces, rooms or sockets change.
    public internal(set) var revision: UInt64 = 0
    /// The cluster as last polled; `nil` on a single-node server (no cluster probe).
    public internal(set) var cluster: ClusterStatus?
    /// The servers that sent Admin UI stats, by ``AttachedServer/key`` (attached consoles only).
    public package(set) var servers: [String: AttachedServer] = [:]
    /// The link to the server, for a console attached over the network; `nil` for one
    /// that watches its own process.
    public package(set) var link: FeedLink?

    /// Rooms of each socket id (may be known before the socket's connect record).
    var socketRooms: [String: Set<String>] = [:]
    /// Engine connection id → (namespace → socket id).
    private var engineSockets: [String: [String: String]] = [:]
    /// Engine connections: id → transport, upgraded.
    private var engines: [String: (transport: String, upgraded: Bool)] = [:]
    /// Recently disconnected ids, so a late room change does not bring them back.
    var gone = RecentSet(capacity: 4096)
    /// The ids of the remote sockets of each namespace.
    var remoteIDs: [String: Set<String>] = [:]
    /// The generation of the last cluster sample merged (0: none since the last reset).
    var clusterGeneration: UInt64 = 0
    /// Event names seen, with the last time; bounded.
    private var events: [String: Int64] = [:]
    private var sortedSocketCache: (revision: UInt64, ids: [String])?

    /// Creates an empty model.
    ///
    /// - Parameter configuration: Log capacity and payload budget.
    public init(configuration: MonitorConfiguration = MonitorConfiguration()) {
        self.configuration = configuration
        log = PacketLog(capacity: configuration.logCapacity, payloadBudget: configuration.payloadBudget)
    }

    // MARK: Queries

    /// Namespace names, `/` first then alphabetical.
    public var namespaceNames: [String] {
        namespaces.keys.sorted { lhs, rhs in lhs == "/" ? rhs != "/" : (rhs == "/" ? false : lhs < rhs) }
    }

    /// The number of engine connections open.
    public var engineCount: Int { engines.count }

    /// The rooms socket `id` is in.
    public func rooms(of id: String) -> Set<String> {
        socketRooms[id] ?? []
    }

    /// The rooms of `namespace`, sorted by name.
    ///
    /// - Parameters:
    ///   - namespace: The namespace.
    ///   - includePrivate: Whether to list each socket's own room.
    /// - Returns: The rooms with their member counts.
    public func rooms(in namespace: String, includePrivate: Bool) -> [RoomSummary] {
        guard let entry = namespaces[namespace] else { return [] }
        var result: [RoomSummary] = []
        for (name, members) in entry.rooms {
            let isPrivate = members.contains(name)
            if isPrivate && !includePrivate { continue }
            result.append(RoomSummary(name: name, members: members.count, isPrivate: isPrivate))
        }
        return result.sorted { $0.name < $1.name }
    }

    /// The members of `room` in `namespace`.
    public func members(of room: String, in namespace: String) -> Set<String> {
        namespaces[namespace]?.rooms[room] ?? []
    }

    /// Socket ids in connection order (oldest first), optionally only one namespace's or
    /// one room's.
    ///
    /// - Parameters:
    ///   - namespace: Only this namespace's sockets.
    ///   - room: Only this room's members (in `namespace`).
    /// - Returns: The ids.
    public mutating func socketIDs(namespace: String? = nil, room: String? = nil) -> [String] {
        let all: [String]
        if let cache = sortedSocketCache, cache.revision == revision {
            all = cache.ids
        } else {
            all = sockets.values.sorted { lhs, rhs in
                lhs.connectedAt == rhs.connectedAt ? lhs.id < rhs.id : lhs.connectedAt < rhs.connectedAt
            }.map(\.id)
            sortedSocketCache = (revision, all)
        }
        guard namespace != nil || room != nil else { return all }
        let roomMembers: Set<String>? = room.map { self.members(of: $0, in: namespace ?? "/") }
        return all.filter { id in
            if let namespace, sockets[id]?.namespace != namespace { return false }
            if let roomMembers, !roomMembers.contains(id) { return false }
            return true
        }
    }

    /// The socket of engine connection `engineID` in `namespace`.
    public func socketID(engineID: String, namespace: String) -> String? {
        engineSockets[engineID]?[namespace]
    }

    /// The socket whose id is `text`, or the only one whose id starts with it.
    public func resolveSocket(_ text: String) -> SocketEntry? {
        if let exact = sockets[text] { return exact }
        guard text.count >= 3 else { return nil }
        let matches = sockets.values.filter { $0.id.hasPrefix(text) }
        return matches.count == 1 ? matches[0] : nil
    }

    /// Event names seen, most recent first.
    public var knownEvents: [String] {
        events.sorted { $0.value > $1.value }.map(\.key)
    }

    /// Every room name of every namespace (private rooms left out), for completion.
    public var allRoomNames: [String] {
        var names = Set<String>()
        for namespace in namespaces.values {
            for (name, members) in namespace.rooms where !members.contains(name) { names.insert(name) }
        }
        return names.sorted()
    }

    // MARK: Updates

    /// Applies a structural record (connections, rooms, console output).
    package mutating func apply(_ record: StructuralRecord, time: Int64) {
        switch record {
        case .namespaceCreated(let name):
            if namespaces[name] == nil {
                namespaces[name] = NamespaceEntry(name: name)
                revision += 1
            }
        case .engineOpened(let id, let transport, _):
            engines[id] = (transport, false)
        case .engineUpgraded(let id, let transport):
            engines[id] = (transport, true)
            var touched: [String] = []
            for (_, socketID) in engineSockets[id] ?? [:] {
                guard var entry = sockets[socketID] else { continue }
                entry.transport = transport
                entry.upgraded = true
                sockets[socketID] = entry
                touched.append(socketID)
            }
            revision += 1
            if let first = touched.sorted().first {
                log.append(LogEntry(time: time, kind: .upgrade, direction: .system, namespace: sockets[first]?.namespace,
                                    socketID: first, summary: "upgraded to \(transport) (engine \(id))"))
            }
        case .engineClosed(let id, _, _):
            engines[id] = nil
            engineSockets[id] = nil
        case .socketConnected(let info):
            connect(info, time: time)
        case .socketDisconnected(let namespace, let id, let reason, let description):
            disconnect(namespace: namespace, id: id, reason: reason, description: description, time: time)
        case .socketUpdated(_, let id, let transport, let data):
            update(id: id, transport: transport, data: data, time: time)
        case .joined(let namespace, let room, let id):
            guard !gone.contains(id) else { return }
            if namespaces[namespace] == nil { namespaces[namespace] = NamespaceEntry(name: namespace) }
            let inserted = namespaces[namespace]!.rooms[room, default: []].insert(id).inserted
            socketRooms[id, default: []].insert(room)
            guard inserted else { return }
            revision += 1
            if room != id {
                log.append(LogEntry(time: time, kind: .join, direction: .system, namespace: namespace, socketID: id, room: room,
                                    summary: "joined " + Sanitizer.clean(room, limit: 80)))
            }
        case .left(let namespace, let room, let id):
            let removed = namespaces[namespace]?.rooms[room]?.remove(id) != nil
            if namespaces[namespace]?.rooms[room]?.isEmpty == true { namespaces[namespace]?.rooms[room] = nil }
            socketRooms[id]?.remove(room)
            guard removed else { return }
            revision += 1
            if room != id {
                log.append(LogEntry(time: time, kind: .leave, direction: .system, namespace: namespace, socketID: id, room: room,
                                    summary: "left " + Sanitizer.clean(room, limit: 80)))
            }
        case .note(let note):
            let kind: LogEntry.Kind = note.kind == .error ? .error : (note.kind == .reply ? .ack : .console)
            var summary = note.message
            if let arguments = note.arguments {
                summary += " " + PayloadFormatter.arguments(arguments, limit: configuration.previewLength)
            }
            log.append(LogEntry(time: time, kind: kind, direction: note.kind == .reply ? .inbound : .system,
                                namespace: note.namespace, socketID: note.socketID, event: note.event, summary: summary,
                                payload: note.arguments, payloadBytes: note.arguments.map(PayloadFormatter.estimatedSize) ?? 0))
        }
    }

    /// Adds a socket that was there before the console looked (a feed's snapshot): into the
    /// tables without a line in the stream each, which a snapshot of 10,000 sockets would bury.
    package mutating func addExisting(_ info: SocketInfo, time: Int64) {
        connect(info, time: time, logged: false)
    }

    private mutating func connect(_ info: SocketInfo, time: Int64, logged: Bool = true) {
        gone.remove(info.id)
        // Listed as remote by a fetch that raced its connection: it is this server's.
        if sockets[info.id]?.isRemote == true { removeRemoteSocket(info.id, namespace: info.namespace, time: time, log: false) }
        if namespaces[info.namespace] == nil { namespaces[info.namespace] = NamespaceEntry(name: info.namespace) }
        var entry = SocketEntry(info: info)
        if let engine = engines[info.engineID], engine.upgraded {
            entry.transport = engine.transport
            entry.upgraded = true
        }
        let previous = sockets[info.id]
        let isNew = previous == nil
        if let previous {
            // Described again (python-socketio repeats socket_connected on every ping): the
            // counts so far stay, the rooms it no longer lists go.
            entry.countedIn = previous.countedIn
            entry.countedOut = previous.countedOut
            for room in (socketRooms[info.id] ?? []).subtracting(info.rooms) {
                namespaces[info.namespace]?.rooms[room]?.remove(info.id)
                if namespaces[info.namespace]?.rooms[room]?.isEmpty == true { namespaces[info.namespace]?.rooms[room] = nil }
                socketRooms[info.id]?.remove(room)
            }
        }
        sockets[info.id] = entry
        namespaces[info.namespace]!.sockets.insert(info.id)
        engineSockets[info.engineID, default: [:]][info.namespace] = info.id
        for room in info.rooms {
            namespaces[info.namespace]!.rooms[room, default: []].insert(info.id)
            socketRooms[info.id, default: []].insert(room)
        }
        revision += 1
        guard isNew, logged else { return }
        var summary = "connected from \(Sanitizer.clean(info.handshake.address, limit: 60)) via \(entry.transport)"
        if info.recovered { summary += " (session recovered)" }
        if !info.handshake.auth.isEmpty {
            summary += " auth " + PayloadFormatter.compact(.object(info.handshake.auth), limit: 80)
        }
        log.append(LogEntry(time: time, kind: .connect, direction: .system, namespace: info.namespace, socketID: info.id,
                            summary: summary, payload: [info.handshake.json], payloadBytes: 512))
    }

    /// Removes a socket that a feed's fresh snapshot no longer lists (it left while the
    /// console was not connected): out of the tables, without a stream line each.
    package mutating func forgetSocket(_ id: String, time: Int64) {
        guard let namespace = sockets[id]?.namespace else { return }
        disconnect(namespace: namespace, id: id, reason: "", description: nil, time: time, logged: false)
    }

    private mutating func disconnect(namespace: String, id: String, reason: String, description: String?, time: Int64,
                                     logged: Bool = true) {
        gone.insert(id)
        guard let entry = sockets.removeValue(forKey: id) else { return }
        namespaces[namespace]?.sockets.remove(id)
        for room in socketRooms.removeValue(forKey: id) ?? [] {
            namespaces[namespace]?.rooms[room]?.remove(id)
            if namespaces[namespace]?.rooms[room]?.isEmpty == true { namespaces[namespace]?.rooms[room] = nil }
        }
        if engineSockets[entry.engineID]?[namespace] == id { engineSockets[entry.engineID]?[namespace] = nil }
        revision += 1
        guard logged else { return }
        var summary = "disconnected: " + reason
        if let description { summary += " (" + Sanitizer.clean(description, limit: 80) + ")" }
        log.append(LogEntry(time: time, kind: .disconnect, direction: .system, namespace: namespace, socketID: id, summary: summary))
    }

    private mutating func update(id: String, transport: String?, data: JSONValue?, time: Int64) {
        guard var entry = sockets[id] else { return }
        if let data { entry.remoteData = data }
        if let transport, transport != entry.transport {
            entry.transport = transport
            entry.upgraded = entry.upgraded || transport == "websocket"
            log.append(LogEntry(time: time, kind: .upgrade, direction: .system, namespace: entry.namespace, socketID: id,
                                summary: "upgraded to " + Sanitizer.clean(transport, limit: 20)))
        }
        sockets[id] = entry
        revision += 1
    }

    /// Adds a captured packet to the log.
    package mutating func append(_ packet: CapturedPacket) {
        switch packet {
        case .event(let record):
            noteEvent(record.event, time: record.time)
            if sockets[record.socketID]?.tap == nil, sockets[record.socketID] != nil {
                if record.direction == .inbound { sockets[record.socketID]!.countedIn += 1 } else { sockets[record.socketID]!.countedOut += 1 }
            }
            let estimated = PayloadFormatter.estimatedSize(record.arguments)
            // Estimated as the encoded packet: type digit, "/nsp,", then ["event",args…].
            let size = record.size > 0 ? record.size : 1 + (record.namespace == "/" ? 0 : record.namespace.utf8.count + 1)
                + estimated + record.event.utf8.count + 2 + (record.arguments.isEmpty ? 0 : 1)
            log.append(LogEntry(
                time: record.time, kind: .event, direction: record.direction, namespace: record.namespace,
                socketID: record.socketID, event: record.event, ackID: record.ackID, size: size,
                summary: PayloadFormatter.arguments(record.arguments, limit: configuration.previewLength),
                payload: record.arguments, payloadBytes: estimated
            ))
        case .ack(let record):
            guard let header = PacketHeader.parse(record.text, skipEngineType: false) else { return }
            var arguments: [JSONValue]?
            if let payload = record.text.getSlice(at: record.text.readerIndex + header.payloadOffset,
                                                   length: record.text.readableBytes - header.payloadOffset),
               let value = try? JSONValue(parsing: payload) {
                arguments = value.arrayValue
            }
            let socket = socketID(engineID: record.engineID, namespace: header.namespace)
            let summary = arguments.map { PayloadFormatter.arguments($0, limit: configuration.previewLength) } ?? "(unreadable)"
            log.append(LogEntry(
                time: record.time, kind: .ack, direction: record.direction, namespace: header.namespace, socketID: socket,
                ackID: header.ackID, size: record.size, summary: summary, payload: arguments,
                payloadBytes: record.size
            ))
        }
    }

    package mutating func countDropped(_ count: Int) {
        droppedTotal += count
        log.append(LogEntry(time: WallClock.nanoseconds(), kind: .dropped, direction: .system,
                            summary: "\(count) packets not logged (more than the log takes per tick); counted in the rates"))
    }

    package mutating func setTotals(_ totals: TrafficTotals, interval: Int64 = 1_000_000_000) {
        self.totals = totals
        rates.sample(totals, time: WallClock.nanoseconds(), interval: interval)
    }

    /// Forgets namespaces, rooms and sockets (before a rebuild); the log stays.
    package mutating func resetTables() {
        namespaces = [:]
        sockets = [:]
        socketRooms = [:]
        engineSockets = [:]
        engines = [:]
        remoteIDs = [:]
        clusterGeneration = 0
        revision += 1
    }

    /// Adds console output to the log (for the console's own messages).
    ///
    /// - Parameter note: The output.
    public mutating func record(_ note: ConsoleNote) {
        apply(.note(note), time: WallClock.nanoseconds())
    }

    private mutating func noteEvent(_ name: String, time: Int64) {
        if events[name] == nil, events.count >= 500 {
            if let oldest = events.min(by: { $0.value < $1.value })?.key { events[oldest] = nil }
        }
        events[name] = time
    }
}

/// A bounded set that forgets its oldest members.
struct RecentSet: Sendable {
    let capacity: Int
    private var members: Set<String> = []
    private var order: [String] = []
    private var head = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    func contains(_ value: String) -> Bool { members.contains(value) }

    /// Forgets `value` (a recovered session came back with the same id).
    mutating func remove(_ value: String) { members.remove(value) }

    mutating func insert(_ value: String) {
        guard members.insert(value).inserted else { return }
        if order.count < capacity {
            order.append(value)
        } else {
            members.remove(order[head])
            order[head] = value
            head = (head + 1) % capacity
        }
    }
}
