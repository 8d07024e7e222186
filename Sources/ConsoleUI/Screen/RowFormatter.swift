public import Monitor
import SocketIO

/// Builds the text of table rows and of the overlays, as pure functions of the model:
/// everything that came from a client goes through ``Sanitizer`` here.
public enum RowFormatter {
    // MARK: Packet stream

    /// The role a log line is drawn in.
    public static func role(of entry: LogEntry) -> Role {
        switch entry.kind {
        case .event: entry.direction == .inbound ? .inbound : .outbound
        case .ack: .ack
        case .connect, .disconnect, .join, .leave, .upgrade: .system
        case .console: .success
        case .error: .error
        case .dropped: .warning
        case .node: .system
        }
    }

    /// One stream line, fitted to `width` cells:
    /// `time dir [nsp] socket event #ack size preview`.
    public static func logLine(_ entry: LogEntry, width: Int, showNamespace: Bool) -> String {
        let wide = width >= 110
        let direction: String
        switch entry.direction {
        case .inbound: direction = "in "
        case .outbound: direction = "out"
        case .system: direction = "·  "
        }
        var text = WallClock.timeOfDay(entry.time) + " " + direction + " "
        if showNamespace {
            text += TextWidth.fit(Sanitizer.clean(entry.namespace ?? "", limit: 12), wide ? 10 : 7) + " "
        }
        text += TextWidth.fit(entry.socketID.map { String($0.prefix(wide ? 20 : 8)) } ?? "-", wide ? 20 : 8) + " "
        let label: String
        switch entry.kind {
        case .event: label = entry.event ?? ""
        case .ack: label = entry.event.map { "ack " + $0 } ?? "ack"
        case .console: label = "console"
        case .error: label = "error"
        case .dropped: label = "dropped"
        case .node: label = "node"
        case .connect, .disconnect, .join, .leave, .upgrade: label = entry.kind.rawValue
        }
        text += TextWidth.fit(Sanitizer.clean(label, limit: 40), wide ? 18 : 12) + " "
        text += TextWidth.fit(entry.ackID.map { "#\($0)" } ?? "", 5) + " "
        text += TextWidth.fit(entry.size.map(formatSize) ?? "", 6, alignRight: true) + " "
        text += entry.summary
        return TextWidth.fit(text, width)
    }

    /// The heading of the stream's columns.
    public static func logHeading(width: Int, showNamespace: Bool) -> String {
        let wide = width >= 110
        var text = TextWidth.fit("TIME", 12) + " DIR "
        if showNamespace { text += TextWidth.fit("NSP", wide ? 10 : 7) + " " }
        text += TextWidth.fit("SOCKET", wide ? 20 : 8) + " " + TextWidth.fit("EVENT", wide ? 18 : 12) + " "
        text += TextWidth.fit("ACK", 5) + " " + TextWidth.fit("SIZE", 6, alignRight: true) + " PAYLOAD"
        return TextWidth.fit(text, width)
    }

    /// `512B`, `1.2K`, `3.4M`.
    public static func formatSize(_ bytes: Int) -> String {
        if bytes < 1000 { return "\(bytes)B" }
        if bytes < 1_000_000 { return oneDecimal(Double(bytes) / 1024) + "K" }
        return oneDecimal(Double(bytes) / (1024 * 1024)) + "M"
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths >= 100 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }

    // MARK: Sockets table

    /// A column of the sockets table.
    struct Column {
        let title: String
        let width: Int
        let alignRight: Bool
        let value: (SocketEntry, MonitorState, Int64) -> String
    }

    /// The columns that fit `width`, most useful first; ROOMS takes what is left. On a
    /// cluster, NODE says which sockets are on another server (their transport and
    /// counters stay there: `-`).
    static func socketColumns(width: Int, showNamespace: Bool, showNode: Bool = false) -> [Column] {
        var candidates: [(priority: Int, column: Column)] = [
            // Whole ids (20 characters) whenever there is room: they are what commands take.
            (0, Column(title: "ID", width: width >= 45 ? 20 : 12, alignRight: false) { socket, _, _ in socket.id }),
            (1, Column(title: "TRANSPORT", width: 11, alignRight: false) { socket, _, _ in
                socket.isRemote ? "-" : (socket.upgraded ? socket.transport + " ↑" : socket.transport)
            }),
            (2, Column(title: "IN", width: 6, alignRight: true) { socket, _, _ in socket.isRemote ? "-" : String(socket.eventsIn) }),
            (2, Column(title: "OUT", width: 6, alignRight: true) { socket, _, _ in socket.isRemote ? "-" : String(socket.eventsOut) }),
            (3, Column(title: "ADDRESS", width: 15, alignRight: false) { socket, _, _ in Sanitizer.clean(socket.address, limit: 40) }),
            (4, Column(title: "FOR", width: 7, alignRight: true) { socket, _, now in
                WallClock.duration(seconds: (now / 1_000_000 - socket.connectedAt) / 1000)
            }),
        ]
        if showNode {
            candidates.append((1, Column(title: "NODE", width: 6, alignRight: false) { socket, _, _ in socket.node ?? "local" }))
        }
        if showNamespace {
            candidates.append((6, Column(title: "NSP", width: 8, alignRight: false) { socket, _, _ in Sanitizer.clean(socket.namespace, limit: 20) }))
        }
        let roomsMinimum = 10
        var chosen: [(Int, Column)] = []
        var used = roomsMinimum
        for candidate in candidates.sorted(by: { $0.priority < $1.priority }) {
            let needed = candidate.column.width + 1
            if used + needed <= width {
                chosen.append(candidate)
                used += needed
            }
        }
        let roomsWidth = max(0, width - used + roomsMinimum)
        let rooms = Column(title: "ROOMS", width: roomsWidth, alignRight: false) { socket, state, _ in
            let rooms = state.rooms(of: socket.id).filter { $0 != socket.id }.sorted()
            return rooms.isEmpty ? "-" : rooms.map { Sanitizer.clean($0, limit: 30) }.joined(separator: ",")
        }
        // Display order: ID, NODE, NSP, ADDRESS, TRANSPORT, ROOMS, FOR, IN, OUT.
        let order = ["ID", "NODE", "NSP", "ADDRESS", "TRANSPORT", "ROOMS", "FOR", "IN", "OUT"]
        let all = chosen.map(\.1) + (roomsWidth > 0 ? [rooms] : [])
        return order.compactMap { title in all.first { $0.title == title } }
    }

    /// The table's heading.
    static func socketHeading(_ columns: [Column], width: Int) -> String {
        TextWidth.fit(columns.map { TextWidth.fit($0.title, $0.width, alignRight: $0.alignRight) }.joined(separator: " "), width)
    }

    /// One socket row.
    static func socketRow(_ socket: SocketEntry, columns: [Column], state: MonitorState, now: Int64, width: Int) -> String {
        TextWidth.fit(columns.map { TextWidth.fit($0.value(socket, state, now), $0.width, alignRight: $0.alignRight) }.joined(separator: " "), width)
    }

    // MARK: Overlays

    /// A socket's details: identity, rooms, the whole handshake, `data`.
    public static func socketDetails(_ socket: SocketEntry, state: MonitorState, now: Int64) -> [(String, Role)] {
        var lines: [(String, Role)] = []
        func field(_ name: String, _ value: String, _ role: Role = .text) {
            lines.append(("  " + TextWidth.fit(name, 12) + " " + value, role))
        }
        lines.append(("Socket", .title))
        field("id", socket.id)
        field("namespace", Sanitizer.clean(socket.namespace))
        if socket.isRemote {
            field("node", "another server of the cluster (acted on through the cluster adapter)", .warning)
        } else {
            field("engine id", socket.engineID)
            field("transport", socket.transport + (socket.upgraded ? " (upgraded from polling)" : ""))
        }
        field("address", Sanitizer.clean(socket.address))
        field("connected", WallClock.timeOfDay(socket.connectedAt * 1_000_000) + " ("
            + WallClock.duration(seconds: (now / 1_000_000 - socket.connectedAt) / 1000) + " ago)")
        if socket.isRemote {
            field("events", "counted on its own server", .dim)
        } else {
            field("recovered", socket.recovered ? "yes" : "no")
            field("events", "\(socket.eventsIn) in, \(socket.eventsOut) out")
        }
        lines.append(("", .text))
        lines.append(("Rooms", .title))
        let rooms = state.rooms(of: socket.id).sorted()
        for room in rooms {
            lines.append(("  " + Sanitizer.clean(room) + (room == socket.id ? "  (own room)" : ""), room == socket.id ? .dim : .text))
        }
        if rooms.isEmpty { lines.append(("  (none)", .dim)) }
        lines.append(("", .text))
        lines.append(("Handshake", .title))
        let handshake = socket.handshake
        field("time", Sanitizer.clean(handshake.time))
        field("issued", String(handshake.issued) + " (" + WallClock.iso8601(handshake.issued * 1_000_000) + ")")
        field("url", Sanitizer.clean(handshake.url))
        field("address", Sanitizer.clean(handshake.address))
        field("xdomain", String(handshake.xdomain))
        field("secure", String(handshake.secure))
        lines.append(("  headers", .column))
        for (name, value) in handshake.headers.sorted(by: { $0.key < $1.key }) {
            lines.append(("    " + Sanitizer.clean(name) + ": " + Sanitizer.clean(value), .text))
        }
        lines.append(("  query", .column))
        for (name, value) in handshake.query.sorted(by: { $0.key < $1.key }) {
            // A repeated name shows as the JSON array Node would hold, so it never reads as
            // one value that happens to contain commas.
            let shown = value.stringValue.map { Sanitizer.clean($0) } ?? PayloadFormatter.compact(value.json)
            lines.append(("    " + Sanitizer.clean(name) + " = " + shown, .text))
        }
        if handshake.query.isEmpty { lines.append(("    (none)", .dim)) }
        lines.append(("  auth", .column))
        if handshake.auth.isEmpty {
            lines.append(("    (none)", .dim))
        } else {
            for line in PayloadFormatter.pretty(.object(handshake.auth)) { lines.append(("    " + line, .text)) }
        }
        lines.append(("", .text))
        lines.append(("Data", .title))
        if let data = socket.data {
            for line in PayloadFormatter.pretty(data) { lines.append(("  " + line, .text)) }
        } else {
            lines.append(("  (socket gone)", .dim))
        }
        return lines
    }

    /// One log entry, with its whole payload pretty-printed.
    public static func packetDetails(_ entry: LogEntry) -> [(String, Role)] {
        var lines: [(String, Role)] = []
        func field(_ name: String, _ value: String?) {
            guard let value else { return }
            lines.append(("  " + TextWidth.fit(name, 10) + " " + value, .text))
        }
        lines.append(("Entry #\(entry.id)", .title))
        field("time", WallClock.iso8601(entry.time))
        field("kind", entry.kind.rawValue)
        field("direction", entry.direction.rawValue)
        field("namespace", entry.namespace.map { Sanitizer.clean($0) })
        field("socket", entry.socketID)
        field("event", entry.event.map { Sanitizer.clean($0) })
        field("room", entry.room.map { Sanitizer.clean($0) })
        field("ack id", entry.ackID.map(String.init))
        field("size", entry.size.map { "\($0) bytes" })
        lines.append(("", .text))
        if let payload = entry.payload {
            lines.append((entry.kind == .connect ? "Handshake" : "Payload (\(payload.count) argument\(payload.count == 1 ? "" : "s"))", .title))
            let shown: JSONValue = entry.kind == .connect && payload.count == 1 ? payload[0] : .array(payload)
            for line in PayloadFormatter.pretty(shown) { lines.append(("  " + line, role(of: entry) == .system ? .text : role(of: entry))) }
        } else {
            lines.append(("Summary", .title))
            lines.append(("  " + entry.summary, .text))
            if entry.kind == .event || entry.kind == .ack {
                lines.append(("  (the full payload is no longer kept: the log's payload budget was reached)", .dim))
            }
        }
        return lines
    }

    /// Every binding and command.
    public static func help(keymap: Keymap, readOnly: Bool) -> [(String, Role)] {
        var lines: [(String, Role)] = [("Keys", .title)]
        for binding in keymap.bindings {
            let keys = binding.keys.map(\.label).joined(separator: " ")
            let contexts = binding.contexts.isEmpty ? "" : "  [" + KeyContext.allCases.filter(binding.contexts.contains).map(\.rawValue).joined(separator: ", ") + "]"
            lines.append(("  " + TextWidth.fit(keys, 16) + " " + binding.description + contexts, .text))
        }
        lines.append(("  " + TextWidth.fit("mouse", 16) + " click selects (and focuses the pane), the wheel scrolls", .text))
        lines.append(("", .text))
        lines.append(("Commands (type : first)" + (readOnly ? " — read-only: acting commands are refused" : ""), .title))
        for entry in CommandReference.entries {
            lines.append(("  " + entry.syntax, entry.acting && readOnly ? .dim : .column))
            lines.append(("      " + entry.summary, .text))
        }
        lines.append(("", .text))
        lines.append(("Esc closes this help.", .dim))
        return lines
    }
}
