public import Monitor

/// Draws a ``ConsoleModel`` on a ``Canvas``: header with rates and sparklines, the tree,
/// sockets and stream panes (or an overlay), the command line and the key bar.
///
/// It also keeps the selections visible (scroll offsets) and records the layout for the
/// mouse, hence `inout model`.
public enum ConsoleRenderer {
    /// The smallest screen drawn in full; below, a short notice.
    public static let minimumRows = 10
    /// The smallest screen drawn in full; below, a short notice.
    public static let minimumColumns = 40

    /// Draws everything.
    ///
    /// - Parameters:
    ///   - model: What to draw (scroll offsets and layout are updated).
    ///   - canvas: Where.
    ///   - keymap: For the key bar.
    ///   - now: The time, in nanoseconds since 1970.
    public static func draw(_ model: inout ConsoleModel, on canvas: inout some Canvas, keymap: Keymap, now: Int64 = WallClock.nanoseconds()) {
        canvas.clear()
        canvas.setCursor(row: 0, column: 0, visible: false)
        let rows = canvas.rows, columns = canvas.columns
        guard rows >= minimumRows, columns >= minimumColumns else {
            model.layout = ScreenLayout()
            model.layout.tooSmall = true
            let notice = "sioconsole: \(columns)×\(rows) is too small (\(minimumColumns)×\(minimumRows) at least); q quits"
            for (index, chunk) in wrap(notice, width: max(1, columns)).prefix(rows).enumerated() {
                canvas.put(chunk, row: index, column: 0, width: columns, .warning)
            }
            return
        }
        drawHeader(&model, on: &canvas, now: now)
        let body = ScreenLayout.Rect(top: 2, left: 0, height: rows - 4, width: columns)
        model.layout = ScreenLayout()
        model.layout.body = body
        if let overlay = model.overlay {
            drawOverlay(overlay, model: &model, on: &canvas, in: body, keymap: keymap, now: now)
        } else {
            drawPanes(&model, on: &canvas, in: body, now: now)
        }
        drawBottom(&model, on: &canvas, keymap: keymap)
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var rest = text
        while !rest.isEmpty {
            let (head, _) = TextWidth.prefix(rest, fitting: width)
            guard !head.isEmpty else { break }
            lines.append(head)
            rest = String(rest.dropFirst(head.count))
        }
        return lines
    }

    // MARK: Header

    static func drawHeader(_ model: inout ConsoleModel, on canvas: inout some Canvas, now: Int64) {
        let columns = canvas.columns
        var segments: [(String, Role)] = [(" sioconsole ", .title), (model.address, .headerValue)]
        if let link = model.state.link {
            let healthy: Bool = if case .connected = link.status { true } else { false }
            segments.append((" (" + link.summary + ")", healthy ? .header : .warning))
            if !model.state.servers.isEmpty {
                segments.append(("  servers ", .header))
                segments.append(("\(model.state.servers.count) (n)", .headerValue))
            }
            if !link.perSocketData { segments.append(("  aggregates only", .warning)) }
        }
        segments.append(("  up ", .header))
        segments.append((WallClock.duration(seconds: (now - model.startedAt) / 1_000_000_000), .headerValue))
        segments.append(("  clients ", .header))
        segments.append((String(model.engineClients), .headerValue))
        segments.append(("  sockets", .header))
        for name in model.state.namespaceNames {
            segments.append((" " + Sanitizer.clean(name, limit: 20) + " ", .header))
            segments.append((String(model.state.namespaces[name]?.sockets.count ?? 0), .headerValue))
        }
        if let cluster = model.state.cluster {
            segments.append(("  nodes ", .header))
            segments.append(("\(cluster.serverCount) (n)", .headerValue))
        }
        if let rss = model.residentBytes {
            segments.append(("  mem ", .header))
            segments.append((ProcessMemory.format(bytes: rss), .headerValue))
        }
        if model.readOnly { segments.append(("  READ-ONLY", .warning)) }
        drawSegments(segments, row: 0, on: &canvas, width: columns)

        let rates = model.state.rates
        let sparkWidth = columns >= 140 ? 24 : (columns >= 110 ? 16 : (columns >= 90 ? 10 : 6))
        let current = rates.current
        var line: [(String, Role)] = [(" in ", .header)]
        line.append((Sparkline.formatRate(current.packetsIn) + "/s " + ProcessMemory.format(bytes: Int(current.bytesIn)) + "/s ", .headerValue))
        line.append((Sparkline.render(rates.samples.map(\.packetsIn), width: sparkWidth), .chartIn))
        line.append(("  out ", .header))
        line.append((Sparkline.formatRate(current.packetsOut) + "/s " + ProcessMemory.format(bytes: Int(current.bytesOut)) + "/s ", .headerValue))
        line.append((Sparkline.render(rates.samples.map(\.packetsOut), width: sparkWidth), .chartOut))
        line.append(("  dropped ", .header))
        line.append((String(model.state.droppedTotal), model.state.droppedTotal > 0 ? .warning : .headerValue))
        line.append(("  theme ", .header))
        line.append((model.themeName, .headerValue))
        drawSegments(line, row: 1, on: &canvas, width: columns)
    }

    static func drawSegments(_ segments: [(String, Role)], row: Int, on canvas: inout some Canvas, width: Int) {
        var column = 0
        for (text, role) in segments {
            guard column < width else { break }
            let cells = TextWidth.width(of: text)
            canvas.put(text, row: row, column: column, width: width - column, role)
            column += cells
        }
    }

    // MARK: Panes

    static func drawPanes(_ model: inout ConsoleModel, on canvas: inout some Canvas, in body: ScreenLayout.Rect, now: Int64) {
        var topHeight = max(5, body.height * 2 / 5)
        if body.height - topHeight < 5 { topHeight = max(3, body.height - 5) }
        let treeWidth = min(34, max(18, body.width / 4))
        let tree = ScreenLayout.Rect(top: body.top, left: 0, height: topHeight, width: treeWidth)
        let sockets = ScreenLayout.Rect(top: body.top, left: treeWidth, height: topHeight, width: body.width - treeWidth)
        let log = ScreenLayout.Rect(top: body.top + topHeight, left: 0, height: body.height - topHeight, width: body.width)
        model.layout.tree = tree
        model.layout.sockets = sockets
        model.layout.log = log
        drawTree(&model, on: &canvas, in: tree)
        drawSockets(&model, on: &canvas, in: sockets, now: now)
        drawLog(&model, on: &canvas, in: log)
    }

    static func frame(_ title: String, focused: Bool, rect: ScreenLayout.Rect, on canvas: inout some Canvas) {
        canvas.box(top: rect.top, left: rect.left, height: rect.height, width: rect.width,
                   style: Style(focused ? .borderFocus : .border), title: title, titleStyle: Style(focused ? .borderFocus : .title))
    }

    /// Keeps `selected` within the `visible` rows shown from `scroll`.
    static func clampScroll(_ scroll: Int, selected: Int, count: Int, visible: Int) -> Int {
        guard visible > 0, count > visible else { return 0 }
        var scroll = min(max(0, scroll), count - visible)
        if selected < scroll { scroll = selected }
        if selected >= scroll + visible { scroll = selected - visible + 1 }
        return scroll
    }

    static func drawTree(_ model: inout ConsoleModel, on canvas: inout some Canvas, in rect: ScreenLayout.Rect) {
        let focused = model.focus == .tree
        let items = model.treeItems()
        model.treeIndex = items.isEmpty ? 0 : min(max(0, model.treeIndex), items.count - 1)
        frame(model.showPrivateRooms ? "Rooms + id-rooms" : "Rooms", focused: focused, rect: rect, on: &canvas)
        let visible = rect.height - 2, width = rect.width - 2
        model.treeScroll = clampScroll(model.treeScroll, selected: model.treeIndex, count: items.count, visible: visible)
        for row in 0..<max(0, visible) {
            let index = model.treeScroll + row
            guard index < items.count else { break }
            let text: String
            var role: Role = .text
            switch items[index] {
            case .namespace(let name, let count):
                text = TextWidth.fit("▾ " + Sanitizer.clean(name, limit: 40), width - 6) + TextWidth.fit(String(count), 6, alignRight: true)
                role = .title
            case .room(_, let room):
                let marker = room.isPrivate ? "  @ " : "  # "
                text = TextWidth.fit(marker + Sanitizer.clean(room.name, limit: 60), width - 6) + TextWidth.fit(String(room.members), 6, alignRight: true)
                role = room.isPrivate ? .dim : .text
            }
            let selected = index == model.treeIndex
            let style = selected ? Style(focused ? .selection : .selectionInactive) : Style(role)
            canvas.draw(text, row: rect.top + 1 + row, column: rect.left + 1, width: width, style: style, fill: selected)
        }
        if items.isEmpty {
            canvas.put("(no namespace yet)", row: rect.top + 1, column: rect.left + 1, width: width, .dim)
        }
    }

    static func drawSockets(_ model: inout ConsoleModel, on canvas: inout some Canvas, in rect: ScreenLayout.Rect, now: Int64) {
        let focused = model.focus == .sockets
        let ids = model.tableSocketIDs()
        var title = "Sockets"
        switch model.selectedTreeItem() {
        case .namespace(let name, _)?: title += " of " + Sanitizer.clean(name, limit: 30)
        case .room(let namespace, let room)?: title += " in " + Sanitizer.clean(room.name, limit: 30) + " (" + Sanitizer.clean(namespace, limit: 20) + ")"
        case nil: break
        }
        title += " — \(ids.count)"
        frame(title, focused: focused, rect: rect, on: &canvas)
        let width = rect.width - 2
        let visible = rect.height - 3
        guard width > 4, visible > 0 else { return }
        let columns = RowFormatter.socketColumns(width: width, showNamespace: false, showNode: model.state.cluster != nil)
        canvas.draw(RowFormatter.socketHeading(columns, width: width), row: rect.top + 1, column: rect.left + 1, width: width,
                    style: Style(.column), fill: true)
        var selectedIndex = 0
        if let selected = model.selectedSocket, let index = ids.firstIndex(of: selected) {
            selectedIndex = index
        } else {
            model.selectedSocket = ids.first
        }
        model.socketScroll = clampScroll(model.socketScroll, selected: selectedIndex, count: ids.count, visible: visible)
        model.layout.socketsHeaderRows = 2
        for row in 0..<visible {
            let index = model.socketScroll + row
            guard index < ids.count, let socket = model.state.sockets[ids[index]] else { break }
            let selected = index == selectedIndex
            let style = selected ? Style(focused ? .selection : .selectionInactive) : Style(.text)
            canvas.draw(RowFormatter.socketRow(socket, columns: columns, state: model.state, now: now, width: width),
                        row: rect.top + 2 + row, column: rect.left + 1, width: width, style: style, fill: selected)
        }
        if ids.isEmpty {
            let perSocket = model.state.link?.perSocketData ?? true
            let empty = perSocket ? "(no sockets)" : "(the server is in production mode: it sends no per-socket data, only its stats)"
            canvas.put(empty, row: rect.top + 2, column: rect.left + 1, width: width, .dim)
        }
    }

    static func drawLog(_ model: inout ConsoleModel, on canvas: inout some Canvas, in rect: ScreenLayout.Rect) {
        let focused = model.focus == .log
        let visibleIDs = model.view.visible
        var title = "Packets — \(visibleIDs.count)"
        if !model.view.filter.isEmpty { title += " — filter: " + Sanitizer.clean(model.view.filter.description, limit: 60) }
        if model.view.isPaused { title += " — PAUSED (+\(model.view.hiddenByPause) new)" } else if model.selectedEntry == nil { title += " — following" }
        frame(title, focused: focused, rect: rect, on: &canvas)
        let width = rect.width - 2
        let visible = rect.height - 3
        guard width > 4, visible > 0 else { return }
        let showNamespace = model.state.namespaces.count > 1
        canvas.draw(RowFormatter.logHeading(width: width, showNamespace: showNamespace), row: rect.top + 1, column: rect.left + 1,
                    width: width, style: Style(.column), fill: true)
        let count = visibleIDs.count
        var selectedIndex = count - 1
        if let selected = model.selectedEntry {
            if let index = binarySearch(visibleIDs, selected) {
                selectedIndex = index
            } else {
                // The selected line left the log (or the filter): take the nearest after it.
                selectedIndex = visibleIDs.firstIndex { $0 > selected }.map { $0 - visibleIDs.startIndex } ?? count - 1
                model.selectedEntry = count > 0 ? visibleIDs[visibleIDs.startIndex + max(0, selectedIndex)] : nil
            }
        }
        model.logScroll = model.selectedEntry == nil
            ? max(0, count - visible)
            : clampScroll(model.logScroll, selected: selectedIndex, count: count, visible: visible)
        for row in 0..<visible {
            let index = model.logScroll + row
            guard index < count, let entry = model.state.log.entry(id: visibleIDs[visibleIDs.startIndex + index]) else { break }
            let selected = model.selectedEntry != nil && index == selectedIndex
            let style = selected ? Style(focused ? .selection : .selectionInactive) : Style(RowFormatter.role(of: entry))
            canvas.draw(RowFormatter.logLine(entry, width: width, showNamespace: showNamespace), row: rect.top + 2 + row,
                        column: rect.left + 1, width: width, style: style, fill: selected)
        }
        if count == 0 {
            let hint = model.view.filter.isEmpty ? "(nothing yet: packets, connections and room changes appear here)" : "(nothing matches the filter; \\ clears it)"
            canvas.put(hint, row: rect.top + 2, column: rect.left + 1, width: width, .dim)
        }
    }

    /// The position of `id` in the sorted `ids`, relative to their start.
    static func binarySearch(_ ids: ArraySlice<UInt64>, _ id: UInt64) -> Int? {
        var low = ids.startIndex, high = ids.endIndex
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] == id { return middle - ids.startIndex }
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    // MARK: Overlays

    static func overlayLines(_ overlay: Overlay, model: ConsoleModel, keymap: Keymap, now: Int64) -> (title: String, lines: [(String, Role)]) {
        switch overlay {
        case .details(let id):
            guard let socket = model.state.sockets[id] else {
                return ("Socket " + id, [("This socket has disconnected.", .warning)])
            }
            let place = socket.isRemote ? " on another node" : ""
            return ("Socket " + id + place + " (k kick, K close connection)", RowFormatter.socketDetails(socket, state: model.state, now: now))
        case .packet(let id):
            guard let entry = model.state.log.entry(id: id) else {
                return ("Entry #\(id)", [("This entry is no longer in the log.", .warning)])
            }
            return ("Entry #\(id)", RowFormatter.packetDetails(entry))
        case .help:
            return ("Help", RowFormatter.help(keymap: keymap, readOnly: model.readOnly))
        case .nodes:
            let servers = model.state.cluster.map { " — \($0.serverCount) server(s)" } ?? " — single node"
            return ("Nodes" + servers, RowFormatter.nodes(model.state, now: now))
        }
    }

    static func drawOverlay(_ overlay: Overlay, model: inout ConsoleModel, on canvas: inout some Canvas, in rect: ScreenLayout.Rect,
                            keymap: Keymap, now: Int64) {
        let (title, lines) = overlayLines(overlay, model: model, keymap: keymap, now: now)
        frame(title, focused: true, rect: rect, on: &canvas)
        let visible = rect.height - 2, width = rect.width - 2
        model.overlayScroll = min(max(0, model.overlayScroll), max(0, lines.count - visible))
        for row in 0..<max(0, visible) {
            let index = model.overlayScroll + row
            guard index < lines.count else { break }
            canvas.put(lines[index].0, row: rect.top + 1 + row, column: rect.left + 1, width: width, lines[index].1)
        }
        if lines.count > visible {
            let position = " \(model.overlayScroll + 1)-\(min(lines.count, model.overlayScroll + visible))/\(lines.count) "
            canvas.put(position, row: rect.top + rect.height - 1, column: rect.left + max(1, rect.width - position.count - 2), width: position.count, .dim)
        }
    }

    /// How many lines the overlay has (for paging).
    static func overlayLineCount(_ model: ConsoleModel, keymap: Keymap) -> Int {
        guard let overlay = model.overlay else { return 0 }
        return overlayLines(overlay, model: model, keymap: keymap, now: WallClock.nanoseconds()).lines.count
    }

    // MARK: Bottom lines

    static func drawBottom(_ model: inout ConsoleModel, on canvas: inout some Canvas, keymap: Keymap) {
        let rows = canvas.rows, columns = canvas.columns
        let promptRow = rows - 2, barRow = rows - 1
        switch model.prompt {
        case .command(let editor)?:
            drawEditor(":", editor, row: promptRow, on: &canvas, width: columns)
        case .filter(let editor, _)?:
            drawEditor("/", editor, row: promptRow, on: &canvas, width: columns)
        case .confirm(let question, _)?:
            canvas.draw(question + " [y/N]", row: promptRow, column: 0, width: columns, style: Style(.warning), fill: true)
        case nil:
            if let message = model.message {
                canvas.draw(message.text, row: promptRow, column: 0, width: columns, style: Style(message.isError ? .error : .success), fill: true)
            }
        }
        // The key bar: prompt keys while typing, completions after a Tab, else the keymap's.
        canvas.draw("", row: barRow, column: 0, width: columns, style: Style(.keybar), fill: true)
        var items: [(String, String)]
        switch model.prompt {
        case .command?:
            if !model.completions.isEmpty {
                let list = model.completions.prefix(40).map { Sanitizer.clean($0, limit: 40) }.joined(separator: "  ")
                canvas.draw(" " + list, row: barRow, column: 0, width: columns, style: Style(.keybar), fill: true)
                return
            }
            items = [("Enter", "Run"), ("Tab", "Complete"), ("↑↓", "History"), ("Esc", "Cancel")]
        case .filter?:
            items = [("Enter", "Keep"), ("Esc", "Cancel"), ("", "event:NAME socket:ID room:NAME nsp:/N dir:in|out|sys text")]
        case .confirm?:
            items = [("y", "Yes"), ("any key", "No")]
        case nil:
            items = keymap.barItems(in: model.keyContext)
        }
        var column = 0
        for (key, name) in items {
            guard column < columns else { break }
            if !key.isEmpty {
                canvas.draw(key, row: barRow, column: column, width: columns - column, style: Style(.keybarKey), fill: false)
                column += TextWidth.width(of: key)
            }
            canvas.draw(" " + name + "  ", row: barRow, column: column, width: max(0, columns - column), style: Style(.keybar), fill: false)
            column += TextWidth.width(of: name) + 3
        }
    }

    static func drawEditor(_ prefix: String, _ editor: LineEditor, row: Int, on canvas: inout some Canvas, width: Int) {
        let text = Sanitizer.clean(editor.text)
        let beforeCursor = Sanitizer.clean(editor.textBeforeCursor)
        var shown = text
        var cursorColumn = 1 + TextWidth.width(of: beforeCursor)
        if cursorColumn >= width - 1 {
            // Scroll horizontally so the cursor stays on screen.
            let drop = cursorColumn - (width - 2)
            var dropped = 0
            var characters = Substring(text)
            while dropped < drop, let first = characters.first {
                dropped += TextWidth.width(of: first)
                characters.removeFirst()
            }
            shown = String(characters)
            cursorColumn -= dropped
        }
        canvas.draw(prefix + shown, row: row, column: 0, width: width, style: Style(.prompt), fill: true)
        canvas.setCursor(row: row, column: min(width - 1, cursorColumn), visible: true)
    }
}
