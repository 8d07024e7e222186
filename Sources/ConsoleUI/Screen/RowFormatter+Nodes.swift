public import Monitor

extension RowFormatter {
    /// The nodes view: each namespace's cluster, this server first, then the others with
    /// their state and the time since their last heartbeat; or, without a cluster, that the
    /// server is a single node.
    ///
    /// - Parameters:
    ///   - state: The tables (for ``MonitorState/cluster`` and the remote sockets).
    ///   - now: The time, in nanoseconds since 1970.
    /// - Returns: The lines with their roles.
    public static func nodes(_ state: MonitorState, now: Int64) -> [(String, Role)] {
        guard let cluster = state.cluster else {
            return [
                ("Single-node server", .title),
                ("  The adapter is the in-memory one: every socket is on this server, there is no cluster.", .text),
                ("", .text),
                ("Esc goes back.", .dim),
            ]
        }
        var lines: [(String, Role)] = []
        let rows = cluster.rows(now: now)
        if rows.isEmpty {
            lines.append((cluster.sampledAt == 0 ? "Waiting for the first poll of the cluster…" : "No namespace is on a cluster adapter.", .dim))
        }
        let heading = "  " + TextWidth.fit("NODE", 18) + " " + TextWidth.fit("STATE", 12) + " " + TextWidth.fit("LAST HEARD", 12, alignRight: true) + "  DETAILS"
        var namespace: String?
        for row in rows {
            if row.namespace != namespace {
                namespace = row.namespace
                if !lines.isEmpty { lines.append(("", .text)) }
                let servers = 1 + (cluster.namespaces[row.namespace]?.nodes.count ?? 0)
                lines.append(("Namespace " + Sanitizer.clean(row.namespace, limit: 40) + " — \(servers) server(s)", .title))
                lines.append((heading, .column))
            }
            lines.append(nodeLine(row, cluster: cluster, state: state, now: now))
        }
        lines.append(("", .text))
        var poll = "Sockets on other nodes come from fetchSockets"
        if cluster.sampledAt > 0 { poll += ", last polled " + WallClock.duration(seconds: max(0, now - cluster.sampledAt) / 1_000_000_000) + " ago" }
        lines.append((poll + "; the sockets table names the node of each (NODE).", .dim))
        lines.append(("Esc goes back.", .dim))
        return lines
    }

    private static func nodeLine(_ row: ClusterNodeRow, cluster: ClusterStatus, state: MonitorState, now: Int64) -> (String, Role) {
        let uid = TextWidth.fit(Sanitizer.clean(row.uid, limit: 40), 18)
        guard !row.isLocal else {
            var details = "\(state.remoteSocketCount(in: row.namespace)) socket(s) on other nodes, publish failures \(row.publishFailures ?? 0)"
            if let error = cluster.namespaces[row.namespace]?.fetchError {
                details += "; last fetch failed: " + Sanitizer.clean(error, limit: 80)
            }
            let text = "  " + uid + " " + TextWidth.fit("this server", 12) + " " + TextWidth.fit("-", 12, alignRight: true) + "  " + details
            return (text, .success)
        }
        let silence = row.silence(now: now).map { WallClock.duration(seconds: $0 / 1_000_000_000) + " ago" } ?? "-"
        let role: Role
        switch row.status {
        case .alive: role = .text
        case .late: role = .warning
        case .gone: role = .dim
        }
        let heard = row.lastHeartbeat.map { "heartbeat at " + WallClock.timeOfDay($0) } ?? ""
        let text = "  " + uid + " " + TextWidth.fit(row.status.rawValue, 12) + " " + TextWidth.fit(silence, 12, alignRight: true) + "  " + heard
        return (text, role)
    }
}
