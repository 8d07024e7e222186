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

    /// Node's admin `connection` handler: commands, `config`, then `all_sockets`.
    private func adminClientConnected(_ socket: Socket) {
        // server_stats come every few seconds from each server: never shed, so a client
        // flooded with events still gets them on time.
        socket.shedEvents(whenBuffered: options.maxBufferedPackets, except: ["server_stats"]) { [weak self] in
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
