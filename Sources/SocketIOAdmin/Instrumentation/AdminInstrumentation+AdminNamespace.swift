import SocketIO

/// The admin namespace itself: who may join it, and what a new admin client is sent.
extension AdminInstrumentation {
    func setUpAdminNamespace() {
        if let authenticator {
            adminNamespace.use { socket in try await authenticator.authenticate(socket) }
        }
        adminNamespace.onServerSideEmit(Self.watchingEvent) { [weak self] _, _ in
            guard let self else { return }
            let lease = Int64(options.serverStatsInterval.components.seconds * 1000 * 3)
            watchers.remoteClientsSeen(untilMilliseconds: clock.uptimeMilliseconds + lease)
            syncTaps()
        }
        // Held strongly: the server keeps its instrumentation alive, as in Node, even when the
        // caller drops what `instrument` returned.
        adminNamespace.onConnection { socket in self.adminClientConnected(socket) }
    }

    /// The admin events a slow admin client still gets (all but the event stream).
    static let neverShed: Set<String> = [
        "server_stats", "config", "session", "all_sockets", "socket_connected", "socket_updated", "socket_disconnected",
        "room_joined", "room_left",
    ]

    /// Node's admin `connection` handler: commands, `config`, then `all_sockets`.
    private func adminClientConnected(_ socket: Socket) {
        // Only the event stream (event_received, event_sent: one report per packet of every
        // client) is shed for an admin client that does not keep up. What its picture is
        // built from always goes out: its config and session, all_sockets, every socket
        // and room change (as many as the clients' own connections and joins), and the
        // stats every few seconds; a lost one would leave a socket listed forever or
        // missing until a reconnection.
        socket.shedEvents(whenBuffered: options.maxBufferedPackets, except: Self.neverShed) { [weak self] in
            self?.countDroppedEvent()
        }
        let wasWatched = watchers.isWatched
        watchers.clientConnected()
        syncTaps()
        if !wasWatched {
            // Other servers start reporting every event now rather than at our next stats.
            try? adminNamespace.serverSideEmit(Self.watchingEvent)
        }
        socket.onDisconnect { [weak self] _, _ in
            guard let self else { return }
            watchers.clientDisconnected(nowMilliseconds: clock.uptimeMilliseconds)
            syncTaps()
        }
        registerCommands(on: socket)
        if let sessionId = authenticator?.takeOpenedSession(for: socket) {
            try? socket.emit("session", .string(sessionId))
        }
        try? socket.emit("config", .object(["supportedFeatures": .array(supportedFeatures.map { .string($0.rawValue) })]))
        guard options.mode == .development else { return }
        Task {
            let sockets = await allSockets()
            try? socket.emit("all_sockets", .array(sockets))
        }
    }

    /// Every socket of every namespace, across the cluster (Node's `fetchAllSockets`). A
    /// namespace whose servers do not all answer in time is reported with what came.
    func allSockets() async -> [JSONValue] {
        let namespaces = server.namespaces.values.sorted { $0.name < $1.name }
        return await withTaskGroup(of: (String, [JSONValue]).self) { group in
            for namespace in namespaces {
                group.addTask {
                    let sockets = (try? await namespace.fetchSockets()) ?? []
                    return (namespace.name, sockets.map { SerializedSocket.json($0, namespace: namespace.name) })
                }
            }
            var byNamespace: [String: [JSONValue]] = [:]
            for await (name, sockets) in group { byNamespace[name] = sockets }
            return namespaces.flatMap { byNamespace[$0.name] ?? [] }
        }
    }
}
