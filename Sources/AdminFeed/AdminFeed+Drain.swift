public import Monitor
import SocketIO
import SocketIOClient
import Synchronization

/// Draining: the queued reports into the model, on the console's thread.
extension AdminFeed {
    /// Applies what the server reported since the last call.
    @discardableResult
    public func drain(into state: inout MonitorState) -> Bool {
        let batch = inbox.take()
        var changed = false
        if state.link != batch.link {
            if let before = state.link, before.status != batch.link.status { logLinkChange(batch.link, into: &state) }
            if state.link == nil { logLinkChange(batch.link, into: &state) }
            state.link = batch.link
            changed = true
        }
        // A snapshot (all_sockets) goes in a slice per drain, so that 10,000 sockets never
        // hold the screen; what came after it waits behind it, in order.
        let snapshotChanged = backlog.withLock { backlog in
            backlog.deferred.append(contentsOf: batch.updates)
            return applyBacklog(&backlog, to: &state)
        }
        changed = changed || snapshotChanged
        if batch.dropped > 0 {
            state.countDropped(batch.dropped)
            changed = true
        }
        if batch.overflowed {
            // Too much at once to keep in order: start again from a fresh all_sockets.
            state.record(ConsoleNote(kind: .error, message: "too many changes at once: reconnecting for a fresh picture"))
            socket.disconnect()
            socket.connect()
        }
        state.setTotals(batch.totals, interval: 2_000_000_000)
        return changed
    }

    /// Applies the deferred updates in order; a snapshot among them replaces the tables and
    /// goes in ``Backlog/snapshotSlice`` sockets per call.
    ///
    /// - Returns: Whether anything was applied.
    private func applyBacklog(_ backlog: inout Backlog, to state: inout MonitorState) -> Bool {
        var applied = false
        var next = 0
        // Bounded like a snapshot: what waited behind one goes in slices too.
        while next < Backlog.updateSlice {
            if !backlog.snapshot.isEmpty {
                let now = WallClock.nanoseconds()
                let slice = backlog.snapshot.prefix(Backlog.snapshotSlice)
                for item in slice {
                    state.addExisting(item.info, time: now)
                    for record in item.newer { state.apply(record, time: now) }
                }
                backlog.snapshot.removeFirst(slice.count)
                applied = true
                if !backlog.snapshot.isEmpty { break }
                state.record(ConsoleNote(kind: .info, message: "\(backlog.snapshotCount) socket(s) on the server"))
            }
            guard next < backlog.deferred.count else { break }
            let update = backlog.deferred[next]
            next += 1
            applied = true
            switch update {
            case .linked:
                backlog.journal = SnapshotJournal()
            case .allSockets(let sockets):
                startSnapshot(sockets, backlog: &backlog, state: &state)
            case .structural(let record):
                backlog.journal?.note(record)
                apply(update, to: &state)
            default:
                apply(update, to: &state)
            }
        }
        backlog.deferred.removeFirst(next)
        return applied
    }

    /// Starts applying a snapshot. The server gathered it at some moment after the link
    /// connected, and the reports that came since may be older or newer than it: each
    /// listed socket gets the snapshot's description, then its reports again in order (a
    /// join the snapshot already has changes nothing; one it missed is restored); a socket
    /// reported disconnected stays out; a socket that neither the snapshot nor the reports
    /// know is dropped (it left while the console was away).
    private func startSnapshot(_ sockets: [SocketInfo], backlog: inout Backlog, state: inout MonitorState) {
        let now = WallClock.nanoseconds()
        let journal = backlog.journal ?? SnapshotJournal()
        backlog.journal = nil
        let listed = Set(sockets.map(\.id))
        let departed = state.sockets.keys.filter { !listed.contains($0) && journal.reports[$0] == nil }
        for id in departed { state.forgetSocket(id, time: now) }
        if !departed.isEmpty {
            state.record(ConsoleNote(kind: .info, message: "\(departed.count) socket(s) left while the console was not connected"))
        }
        for server in state.servers.values {
            for namespace in server.namespaces { state.apply(.namespaceCreated(namespace.name), time: now) }
        }
        backlog.snapshot = sockets.filter { !journal.disconnected.contains($0.id) }
            .map { SnapshotItem(info: $0, newer: journal.reports[$0.id] ?? []) }[...]
        backlog.snapshotCount = sockets.count
        if sockets.isEmpty { state.record(ConsoleNote(kind: .info, message: "no socket on the server")) }
    }

    private func apply(_ update: AdminUpdate, to state: inout MonitorState) {
        let now = WallClock.nanoseconds()
        switch update {
        case .config(let features):
            let mode = FeedLink.reportsPerSocket(features: features)
                ? "development mode: every socket, room and event is reported"
                : "production mode: the server sends only its stats (no sockets, rooms or events)"
            state.record(ConsoleNote(kind: .info, message: "server features: " + (features.isEmpty ? "none" : features.joined(separator: " ")) + " — " + mode))
        case .session, .linked:
            break
        case .allSockets:
            break  // see applyBacklog
        case .structural(let record):
            state.apply(record, time: now)
        case .packet(let record):
            state.append(.event(record))
        case .stats(var server, _):
            if let previous = state.servers[server.key], server.lastSeen > previous.lastSeen {
                server.interval = min(max(server.lastSeen - previous.lastSeen, 500_000_000), 60_000_000_000)
            } else if state.servers[server.key] == nil {
                state.record(ConsoleNote(kind: .info, message: "server " + Sanitizer.clean(server.id, limit: 60) + " reports (host "
                    + Sanitizer.clean(server.hostname, limit: 60) + ", pid \(server.pid))"))
            }
            state.servers[server.key] = server
            for (key, silent) in state.servers where silent.isForgotten(now: now) {
                state.servers[key] = nil
                state.record(ConsoleNote(kind: .error, message: "server " + Sanitizer.clean(silent.id, limit: 60) + " (pid \(silent.pid)) stopped reporting"))
            }
            for namespace in server.namespaces { state.apply(.namespaceCreated(namespace.name), time: now) }
            let healthy = state.servers.values.filter { $0.health(now: now) == .healthy }
            clients.store(healthy.reduce(0) { $0 + $1.clients }, ordering: .relaxed)
            let start = healthy.map { $0.lastSeen - Int64($0.uptime * 1e9) }.min() ?? 0
            serverStart.store(start, ordering: .relaxed)
        }
    }

    private func logLinkChange(_ link: FeedLink, into state: inout MonitorState) {
        let kind: ConsoleNote.Kind
        switch link.status {
        case .connected, .connecting: kind = .info
        case .reconnecting, .refused: kind = .error
        }
        state.record(ConsoleNote(kind: kind, message: "attached to " + Sanitizer.clean(link.url, limit: 80) + ": " + link.summary))
    }
}
