import SocketIO

/// Merging what the cluster poller saw: the nodes of each namespace, and the sockets of the
/// other servers beside this server's own (which the hooks keep up to date between polls).
extension MonitorState {
    /// Above this many remote sockets appearing (or going) in one poll, the log gets one
    /// summary line instead of a line each (the first poll of a busy cluster).
    static let remoteLogLimit = 20

    /// How many sockets of other servers `namespace` has.
    public func remoteSocketCount(in namespace: String) -> Int {
        remoteIDs[namespace]?.count ?? 0
    }

    /// Merges one round of cluster polling.
    ///
    /// - Parameters:
    ///   - sample: What the round saw.
    ///   - time: When it is merged, in nanoseconds since 1970 (the log lines' time).
    mutating func applyCluster(_ sample: ClusterSample, time: Int64) {
        clusterGeneration = sample.generation
        var status = cluster ?? ClusterStatus()
        let names = Set(status.namespaces.keys).union(sample.namespaces.keys)
        for name in names.sorted(by: ClusterStatus.namespaceOrder) {
            let before = status.namespaces[name]?.nodes ?? [:]
            let after = sample.namespaces[name]?.nodes ?? [:]
            for uid in after.keys.sorted() where before[uid] == nil {
                status.forgetDeparture(namespace: name, uid: uid)
                logNode("node \(uid) joined the cluster", namespace: name, time: time)
            }
            for (uid, last) in before.sorted(by: { $0.key < $1.key }) where after[uid] == nil {
                status.remember(ClusterStatus.DepartedNode(namespace: name, uid: uid, lastHeartbeat: last))
                logNode("node \(uid) left the cluster", namespace: name, time: time)
            }
            guard let namespace = sample.namespaces[name] else {
                // No longer on a cluster adapter: its remote sockets go with it.
                status.namespaces[name] = nil
                mergeRemoteSockets([], namespace: name, time: time)
                continue
            }
            let previous = status.namespaces[name]
            status.namespaces[name] = ClusterStatus.Namespace(
                localID: namespace.localID, nodes: namespace.nodes, publishFailures: namespace.publishFailures,
                heartbeatInterval: namespace.heartbeatInterval, heartbeatTimeout: namespace.heartbeatTimeout,
                fetchedAt: namespace.remoteSockets == nil ? previous?.fetchedAt : sample.time, fetchError: namespace.fetchError
            )
            // A failed fetch keeps the sockets last seen.
            if let remote = namespace.remoteSockets { mergeRemoteSockets(remote, namespace: name, time: time) }
        }
        status.sampledAt = sample.time
        cluster = status
    }

    /// Makes the remote sockets of `name` be exactly `remote`, logging who came and went and
    /// their room changes. This server's own sockets, and sockets it saw disconnect, are
    /// never taken for remote ones (a fetch can race a local connection or disconnection).
    mutating func mergeRemoteSockets(_ remote: [RemoteSocketInfo], namespace name: String, time: Int64) {
        var incoming: [String: RemoteSocketInfo] = [:]
        for info in remote where info.namespace == name && !gone.contains(info.id) {
            if let existing = sockets[info.id], !existing.isRemote { continue }
            incoming[info.id] = info
        }
        let previous = remoteIDs[name] ?? []
        let leaving = previous.filter { incoming[$0] == nil }
        let arriving = incoming.values.filter { !previous.contains($0.id) }
        let logLeaving = leaving.count <= Self.remoteLogLimit
        for id in leaving.sorted() {
            removeRemoteSocket(id, namespace: name, time: time, log: logLeaving)
        }
        if !logLeaving {
            logNode("\(leaving.count) sockets on other nodes are gone", namespace: name, time: time)
        }
        for info in incoming.values where previous.contains(info.id) {
            updateRemoteSocket(info, time: time)
        }
        let logArriving = arriving.count <= Self.remoteLogLimit
        for info in arriving.sorted(by: { ($0.handshake.issued, $0.id) < ($1.handshake.issued, $1.id) }) {
            addRemoteSocket(info, time: time, log: logArriving)
        }
        if !logArriving {
            logNode("\(arriving.count) sockets found on other nodes", namespace: name, time: time)
        }
        remoteIDs[name] = incoming.isEmpty ? nil : Set(incoming.keys)
    }

    private mutating func addRemoteSocket(_ info: RemoteSocketInfo, time: Int64, log shouldLog: Bool) {
        let name = info.namespace
        if namespaces[name] == nil { namespaces[name] = NamespaceEntry(name: name) }
        sockets[info.id] = SocketEntry(remote: info)
        namespaces[name]!.sockets.insert(info.id)
        for room in info.rooms { namespaces[name]!.rooms[room, default: []].insert(info.id) }
        socketRooms[info.id] = info.rooms
        revision += 1
        guard shouldLog else { return }
        var summary = "connected on another node, from \(Sanitizer.clean(info.handshake.address, limit: 60))"
        if !info.handshake.auth.isEmpty {
            summary += " auth " + PayloadFormatter.compact(.object(info.handshake.auth), limit: 80)
        }
        log.append(LogEntry(time: time, kind: .connect, direction: .system, namespace: name, socketID: info.id,
                            summary: summary, payload: [info.handshake.json], payloadBytes: 512))
    }

    private mutating func updateRemoteSocket(_ info: RemoteSocketInfo, time: Int64) {
        let name = info.namespace
        if sockets[info.id]?.remoteData != info.data { sockets[info.id]?.remoteData = info.data }
        let before = socketRooms[info.id] ?? []
        guard before != info.rooms else { return }
        for room in before.subtracting(info.rooms).sorted() {
            namespaces[name]?.rooms[room]?.remove(info.id)
            if namespaces[name]?.rooms[room]?.isEmpty == true { namespaces[name]?.rooms[room] = nil }
            if room != info.id {
                log.append(LogEntry(time: time, kind: .leave, direction: .system, namespace: name, socketID: info.id, room: room,
                                    summary: "left " + Sanitizer.clean(room, limit: 80) + " (on another node)"))
            }
        }
        for room in info.rooms.subtracting(before).sorted() {
            namespaces[name]?.rooms[room, default: []].insert(info.id)
            if room != info.id {
                log.append(LogEntry(time: time, kind: .join, direction: .system, namespace: name, socketID: info.id, room: room,
                                    summary: "joined " + Sanitizer.clean(room, limit: 80) + " (on another node)"))
            }
        }
        socketRooms[info.id] = info.rooms
        revision += 1
    }

    /// Forgets a remote socket (gone from its server, or found to be this server's).
    mutating func removeRemoteSocket(_ id: String, namespace name: String, time: Int64, log shouldLog: Bool) {
        remoteIDs[name]?.remove(id)
        guard sockets[id]?.isRemote == true else { return }
        sockets[id] = nil
        namespaces[name]?.sockets.remove(id)
        for room in socketRooms.removeValue(forKey: id) ?? [] {
            namespaces[name]?.rooms[room]?.remove(id)
            if namespaces[name]?.rooms[room]?.isEmpty == true { namespaces[name]?.rooms[room] = nil }
        }
        revision += 1
        guard shouldLog else { return }
        log.append(LogEntry(time: time, kind: .disconnect, direction: .system, namespace: name, socketID: id,
                            summary: "disconnected from another node"))
    }

    private mutating func logNode(_ summary: String, namespace: String, time: Int64) {
        log.append(LogEntry(time: time, kind: .node, direction: .system, namespace: namespace, summary: summary))
    }
}
