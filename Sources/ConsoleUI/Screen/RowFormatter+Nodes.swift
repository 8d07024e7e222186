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
        if let link = state.link { return attachedServers(state, link: link, now: now) }
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

    /// The servers view of an attached console: every server that sends stats (a node of
    /// the watched cluster), with its figures and whether it still reports.
    static func attachedServers(_ state: MonitorState, link: FeedLink, now: Int64) -> [(String, Role)] {
        var lines: [(String, Role)] = [("Servers reporting to " + Sanitizer.clean(link.url, limit: 60) + " — \(state.servers.count)", .title)]
        guard !state.servers.isEmpty else {
            lines.append(("  No server_stats yet (they come every few seconds from each server).", .dim))
            lines.append(("", .text))
            lines.append(("Esc goes back.", .dim))
            return lines
        }
        let heading = "  " + TextWidth.fit("SERVER", 18) + " " + TextWidth.fit("HOST", 16) + " " + TextWidth.fit("PID", 7, alignRight: true)
            + " " + TextWidth.fit("UPTIME", 8, alignRight: true) + " " + TextWidth.fit("CLIENTS", 8, alignRight: true)
            + " " + TextWidth.fit("STATE", 8) + " " + TextWidth.fit("LAST SEEN", 10, alignRight: true) + "  SOCKETS"
        lines.append((heading, .column))
        for server in state.servers.values.sorted(by: { ($0.id, $0.pid) < ($1.id, $1.pid) }) {
            let health = server.health(now: now)
            let sockets = server.namespaces.map { Sanitizer.clean($0.name, limit: 20) + " \($0.sockets)" }.joined(separator: ", ")
            let text = "  " + TextWidth.fit(Sanitizer.clean(server.id, limit: 40), 18) + " " + TextWidth.fit(Sanitizer.clean(server.hostname, limit: 40), 16)
                + " " + TextWidth.fit(String(server.pid), 7, alignRight: true)
                + " " + TextWidth.fit(WallClock.duration(seconds: Int64(server.uptime)), 8, alignRight: true)
                + " " + TextWidth.fit(String(server.clients), 8, alignRight: true)
                + " " + TextWidth.fit(health.rawValue, 8)
                + " " + TextWidth.fit(WallClock.duration(seconds: max(0, now - server.lastSeen) / 1_000_000_000) + " ago", 10, alignRight: true)
                + "  " + sockets
            lines.append((text, health == .healthy ? .text : .warning))
        }
        lines.append(("", .text))
        lines.append(("A server is late when its stats stop for more than two and a half intervals.", .dim))
        lines.append(("Esc goes back.", .dim))
        return lines
    }
}
