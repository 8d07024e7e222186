public import Monitor
import SocketIO

/// The console's behaviour, without the terminal: takes keys, mouse clicks and command
/// lines, updates the ``ConsoleModel``, and runs actions through its ``ConsoleActions``.
/// The loop in ``SocketIOConsole`` feeds it; tests drive it directly. It works the same
/// whatever its feed: the hooks of a server in this process, or the Admin UI protocol.
public final class ConsoleController {
    /// The model drawn on screen.
    public var model: ConsoleModel
    /// The feed drained on each tick.
    public let feed: any MonitorFeed
    /// Runs acting commands.
    public let executor: any ConsoleActions
    /// Key bindings.
    public let keymap: Keymap
    /// Where themes come from.
    public let library: ThemeLibrary
    /// The theme in use.
    public private(set) var theme: Theme
    /// Called when the theme changes (the terminal re-creates its colours).
    public var onThemeChange: ((Theme) -> Void)?
    /// Set when the operator asked to leave.
    public private(set) var wantsQuit = false
    /// Set when something must be redrawn.
    public var needsRedraw = true
    /// Set when the operator did something: redraw at once, whatever the frame rate.
    public var redrawNow = true
    /// Set when the whole screen must be repainted (Ctrl-L, theme change).
    public var needsRepaint = false
    /// What `q` says: whether leaving stops the server too.
    public let quitStopsServer: Bool
    private var lastSecond: Int64 = 0
    private var lastClick: (row: Int, column: Int, time: Int64)?

    /// Creates a controller.
    ///
    /// - Parameters:
    ///   - monitor: The started monitor.
    ///   - address: Shown in the header.
    ///   - readOnly: Refuse acting commands and keys.
    ///   - theme: The starting theme.
    ///   - library: Where `:theme` looks.
    ///   - quitStopsServer: Whether the quit prompt says the server stops too.
    public convenience init(monitor: Monitor, address: String, readOnly: Bool, theme: Theme, library: ThemeLibrary, quitStopsServer: Bool) {
        self.init(feed: monitor, actions: ActionExecutor(monitor: monitor, readOnly: readOnly), address: address, theme: theme,
                  library: library, quitStopsServer: quitStopsServer)
    }

    /// Creates a controller over any feed.
    ///
    /// - Parameters:
    ///   - feed: The started feed.
    ///   - actions: Carries out acting commands (and says whether they are all refused).
    ///   - address: Shown in the header.
    ///   - theme: The starting theme.
    ///   - library: Where `:theme` looks.
    ///   - quitStopsServer: Whether the quit prompt says the server stops too.
    public init(feed: any MonitorFeed, actions: any ConsoleActions, address: String, theme: Theme, library: ThemeLibrary,
                quitStopsServer: Bool) {
        self.feed = feed
        self.executor = actions
        self.keymap = Keymap()
        self.library = library
        self.theme = theme
        self.quitStopsServer = quitStopsServer
        model = ConsoleModel(state: MonitorState(configuration: feed.configuration), address: address, readOnly: actions.readOnly,
                             themeName: theme.name, startedAt: feed.startedAt)
    }

    // MARK: Tick

    /// Takes in what the monitor recorded; once a second refreshes the header's figures.
    ///
    /// - Parameter now: The time, in nanoseconds since 1970.
    /// - Returns: Whether the screen should be redrawn.
    @discardableResult
    public func tick(now: Int64 = WallClock.nanoseconds()) -> Bool {
        let changed = feed.drain(into: &model.state)
        if changed, model.view.update(model.state) { needsRedraw = true }
        if changed { needsRedraw = true }
        let second = now / 1_000_000_000
        if second != lastSecond {
            lastSecond = second
            model.residentBytes = ProcessMemory.residentBytes()
            model.engineClients = feed.engineClientCount
            model.startedAt = feed.startedAt
            needsRedraw = true
        }
        return needsRedraw
    }

    // MARK: Keys

    /// Handles one key.
    public func handle(_ key: Key) {
        needsRedraw = true
        redrawNow = true
        if let prompt = model.prompt {
            handle(key, prompt: prompt)
            return
        }
        model.message = nil
        guard let action = keymap.action(for: key, in: model.keyContext) else { return }
        perform(action)
    }

    private func handle(_ key: Key, prompt: Prompt) {
        switch prompt {
        case .confirm(_, let action):
            model.prompt = nil
            if key == .character("y") || key == .character("Y") {
                switch action {
                case .quit: wantsQuit = true
                case .command(let command, let selection): execute(command, selection: selection)
                }
            } else {
                model.say("cancelled")
            }
        case .command(var editor):
            switch key {
            case .enter:
                model.prompt = nil
                model.completions = []
                let line = editor.text
                model.history.record(line)
                if !line.trimmingCharacters(in: " \t").isEmpty { run(line) }
                return
            case .escape:
                model.prompt = nil
                model.completions = []
                model.history.reset()
                return
            case .tab:
                complete(&editor)
            case .up:
                if let previous = model.history.previous(current: editor.text) { editor.set(previous) }
            case .down:
                if let next = model.history.next() { editor.set(next) }
            default:
                guard edit(&editor, key: key) else { return }
                model.completions = []
            }
            model.prompt = .command(editor)
        case .filter(var editor, let previous):
            switch key {
            case .enter:
                model.prompt = nil
                model.say(model.view.filter.isEmpty ? "filter cleared" : "filter: " + Sanitizer.clean(model.view.filter.description))
                return
            case .escape:
                model.prompt = nil
                model.view.setFilter(previous, state: model.state)
                return
            default:
                guard edit(&editor, key: key) else { return }
            }
            model.prompt = .filter(editor, previous: previous)
            // Live: every keystroke that yields a valid filter applies it.
            if let filter = try? LogFilter(parsing: editor.text), filter != model.view.filter {
                model.view.setFilter(filter, state: model.state)
                model.selectedEntry = nil
            }
        }
    }

    /// Applies an editing key; `false` when the key is not one.
    private func edit(_ editor: inout LineEditor, key: Key) -> Bool {
        switch key {
        case .character(let character): editor.insert(character)
        case .backspace, .control("h"): editor.backspace()
        case .delete, .control("d"): editor.delete()
        case .left, .control("b"): editor.left()
        case .right, .control("f"): editor.right()
        case .home, .control("a"): editor.home()
        case .end, .control("e"): editor.end()
        case .control("k"): editor.killToEnd()
        case .control("u"): editor.killToStart()
        case .control("w"): editor.deleteWordBackward()
        default: return false
        }
        return true
    }

    private func complete(_ editor: inout LineEditor) {
        let source = CommandCompleter.Source(
            rooms: model.state.allRoomNames, sockets: model.state.socketIDs(), events: model.state.knownEvents,
            namespaces: model.state.namespaceNames, themes: library.names
        )
        let before = editor.textBeforeCursor
        let completion = CommandCompleter.complete(before, source: source)
        if completion.candidates.isEmpty {
            model.completions = ["(no completion)"]
            return
        }
        let completed = completion.apply(to: before)
        if completed == before, completion.candidates.count > 1 {
            model.completions = completion.candidates
        } else {
            editor.replaceBeforeCursor(completed)
            model.completions = completion.candidates.count > 1 ? completion.candidates : []
        }
    }

    // MARK: Actions

    /// Carries out a key's action.
    public func perform(_ action: ConsoleAction) {
        needsRedraw = true
        switch action {
        case .quit:
            model.prompt = .confirm(question: quitStopsServer ? "Quit? The server stops with the console." : "Leave the console?", action: .quit)
        case .help:
            model.overlay = .help
            model.overlayScroll = 0
        case .nodes:
            model.overlay = .nodes
            model.overlayScroll = 0
        case .command:
            model.prompt = .command(LineEditor())
            model.completions = []
        case .filter:
            let current = model.view.filter
            model.prompt = .filter(LineEditor(current.isEmpty ? "" : current.description + " "), previous: current)
        case .clearFilter:
            model.view.setFilter(LogFilter(), state: model.state)
            model.say("filter cleared")
        case .nextPane, .right:
            cycleFocus(by: 1)
        case .previousPane, .left:
            cycleFocus(by: -1)
        case .up: move(by: -1)
        case .down: move(by: 1)
        case .pageUp: move(by: -pageSize)
        case .pageDown: move(by: pageSize)
        case .top: move(toEnd: false)
        case .bottom: move(toEnd: true)
        case .open: open()
        case .back:
            model.overlay = nil
        case .kick, .kickClose:
            confirmKick(close: action == .kickClose)
        case .pause:
            togglePause()
        case .togglePrivate:
            model.showPrivateRooms.toggle()
            model.say(model.showPrivateRooms ? "showing each socket's own room" : "hiding each socket's own room")
        case .redraw:
            needsRepaint = true
        }
    }

    private var pageSize: Int {
        let rect: ScreenLayout.Rect
        if model.overlay != nil { rect = model.layout.body } else {
            switch model.focus {
            case .tree: rect = model.layout.tree
            case .sockets: rect = model.layout.sockets
            case .log: rect = model.layout.log
            }
        }
        return max(1, rect.height - 3)
    }

    private func cycleFocus(by step: Int) {
        guard model.overlay == nil else { return }
        let panes = Pane.allCases
        let index = panes.firstIndex(of: model.focus) ?? 0
        model.focus = panes[(index + step + panes.count) % panes.count]
    }

    private func togglePause() {
        if model.view.isPaused {
            model.view.resume()
            model.say("stream resumed")
        } else {
            model.view.pause(model.state)
            model.say("stream paused (still recording): p resumes")
        }
    }

    private func move(by step: Int) {
        if model.overlay != nil {
            model.overlayScroll = max(0, model.overlayScroll + step)
            return
        }
        switch model.focus {
        case .tree:
            let count = model.treeItems().count
            model.treeIndex = min(max(0, model.treeIndex + step), max(0, count - 1))
            model.socketScroll = 0
            model.selectedSocket = nil
        case .sockets:
            let ids = model.tableSocketIDs()
            guard !ids.isEmpty else { return }
            let current = model.selectedSocket.flatMap { ids.firstIndex(of: $0) } ?? 0
            model.selectedSocket = ids[min(max(0, current + step), ids.count - 1)]
        case .log:
            let ids = model.view.visible
            guard !ids.isEmpty else { return }
            let current = model.selectedEntry.flatMap { id in ids.firstIndex(of: id).map { $0 - ids.startIndex } } ?? ids.count
            let target = current + step
            if target >= ids.count {
                model.selectedEntry = nil
            } else {
                model.selectedEntry = ids[ids.startIndex + max(0, target)]
            }
        }
    }

    private func move(toEnd: Bool) {
        if model.overlay != nil {
            model.overlayScroll = toEnd ? Int.max / 2 : 0
            return
        }
        switch model.focus {
        case .tree:
            model.treeIndex = toEnd ? max(0, model.treeItems().count - 1) : 0
            model.selectedSocket = nil
        case .sockets:
            let ids = model.tableSocketIDs()
            model.selectedSocket = toEnd ? ids.last : ids.first
        case .log:
            model.selectedEntry = toEnd ? nil : model.view.visible.first
        }
    }

    private func open() {
        switch model.focus {
        case .tree:
            model.focus = .sockets
            model.selectedSocket = nil
        case .sockets:
            let ids = model.tableSocketIDs()
            guard let id = model.selectedSocket ?? ids.first else { return model.say("no socket to open", error: true) }
            model.overlay = .details(id)
            model.overlayScroll = 0
        case .log:
            guard let id = model.selectedEntry ?? model.view.visible.last else { return model.say("no packet to open", error: true) }
            model.overlay = .packet(id)
            model.overlayScroll = 0
        }
    }

    private func confirmKick(close: Bool) {
        if model.readOnly {
            model.say("read-only: \(close ? "K (close connection)" : "k (kick)") is refused (started with --read-only)", error: true)
            return
        }
        let selection = model.selection()
        guard case .socket(let id) = selection, let socket = model.state.sockets[id] else {
            model.say("select a socket first", error: true)
            return
        }
        let what = close ? "Close the whole connection of \(id) (every namespace)?" : "Kick \(id) from \(Sanitizer.clean(socket.namespace, limit: 30))?"
        model.prompt = .confirm(question: what, action: .command(.kick(sockets: [id], closeConnection: close), .none))
    }

    // MARK: Commands

    /// Runs a `:` command line.
    public func run(_ line: String) {
        needsRedraw = true
        let command: ConsoleCommand
        do {
            command = try CommandParser.parse(line)
        } catch {
            model.say(error.message, error: true)
            return
        }
        let selection = model.selection()
        // A kick without ids acts on a whole room or namespace when one is selected: ask.
        if case .kick(let ids, let close) = command, ids.isEmpty, !model.readOnly {
            switch selection {
            case .room(_, let room):
                let count = model.state.members(of: room, in: selection.namespace ?? "/").count
                model.prompt = .confirm(question: "\(close ? "Close the connections of" : "Kick") all \(count) member(s) of \(Sanitizer.clean(room, limit: 40))?",
                                        action: .command(command, selection))
                return
            case .namespace(let name):
                let count = model.state.namespaces[name]?.sockets.count ?? 0
                model.prompt = .confirm(question: "\(close ? "Close the connections of" : "Kick") all \(count) socket(s) of \(Sanitizer.clean(name, limit: 40))?",
                                        action: .command(command, selection))
                return
            case .none, .socket:
                break
            }
        }
        execute(command, selection: selection)
    }

    private func execute(_ command: ConsoleCommand, selection: Selection) {
        needsRedraw = true
        switch command {
        case .join, .leave, .kick, .emit:
            report(executor.perform(command, selection: selection, state: model.state))
        case .filter(.show):
            model.say(model.view.filter.isEmpty ? "no filter" : "filter: " + Sanitizer.clean(model.view.filter.description))
        case .filter(.clear):
            model.view.setFilter(LogFilter(), state: model.state)
            model.say("filter cleared")
        case .filter(.set(let filter)):
            model.view.setFilter(filter, state: model.state)
            model.selectedEntry = nil
            model.say("filter: " + Sanitizer.clean(filter.description))
        case .theme(let name):
            do {
                let theme = try library.load(name)
                self.theme = theme
                model.themeName = theme.name
                onThemeChange?(theme)
                needsRepaint = true
                model.say("theme " + Sanitizer.clean(theme.name))
            } catch {
                model.say(Sanitizer.clean(error.description, limit: 200), error: true)
            }
        case .export(let path):
            report(ActionExecutor.export(model.state.log.all, to: path))
        case .help(let topic):
            if let topic, let entry = CommandReference.entries.first(where: { $0.name == topic }) {
                model.say(entry.syntax + " — " + entry.summary)
            } else {
                model.overlay = .help
                model.overlayScroll = 0
            }
        case .quit:
            wantsQuit = true
        case .pause:
            if !model.view.isPaused { togglePause() }
        case .resume:
            if model.view.isPaused { togglePause() }
            model.selectedEntry = nil
        case .sockets(let namespace):
            if let namespace, let index = model.treeItems().firstIndex(of: .namespace(name: namespace, sockets: model.state.namespaces[namespace]?.sockets.count ?? 0)) {
                model.treeIndex = index
            }
            model.overlay = nil
            model.focus = .sockets
        case .rooms(let namespace):
            if let namespace, let index = model.treeItems().firstIndex(where: { $0.namespace == namespace }) {
                model.treeIndex = index
            }
            model.overlay = nil
            model.focus = .tree
        case .nodes:
            model.overlay = .nodes
            model.overlayScroll = 0
        case .show(let id):
            guard let socket = model.state.resolveSocket(id) else {
                model.say("no socket " + Sanitizer.clean(id, limit: 40), error: true)
                return
            }
            model.overlay = .details(socket.id)
            model.overlayScroll = 0
        }
    }

    private func report(_ outcome: ActionOutcome) {
        model.say(outcome.message, error: outcome.isError)
        model.state.record(ConsoleNote(kind: outcome.isError ? .error : .info, message: outcome.message))
        model.view.update(model.state)
    }

    // MARK: Mouse

    /// Handles a click or a wheel turn at a screen cell.
    public func handleMouse(_ action: MouseAction, row: Int, column: Int, now: Int64 = WallClock.nanoseconds()) {
        needsRedraw = true
        redrawNow = true
        guard model.prompt == nil else { return }
        var action = action
        if action == .click {
            if let last = lastClick, last.row == row, last.column == column, now - last.time < 400_000_000 {
                action = .doubleClick
                lastClick = nil
            } else {
                lastClick = (row, column, now)
            }
        }
        if model.overlay != nil {
            switch action {
            case .wheelUp: model.overlayScroll = max(0, model.overlayScroll - 3)
            case .wheelDown: model.overlayScroll += 3
            case .click, .doubleClick: break
            }
            return
        }
        let layout = model.layout
        let pane: Pane
        let firstRow: Int
        if layout.tree.contains(row: row, column: column) {
            pane = .tree
            firstRow = layout.tree.top + 1
        } else if layout.sockets.contains(row: row, column: column) {
            pane = .sockets
            firstRow = layout.sockets.top + 2
        } else if layout.log.contains(row: row, column: column) {
            pane = .log
            firstRow = layout.log.top + 2
        } else {
            return
        }
        model.focus = pane
        switch action {
        case .wheelUp: move(by: -3)
        case .wheelDown: move(by: 3)
        case .click, .doubleClick:
            let offset = row - firstRow
            guard offset >= 0 else { return }
            switch pane {
            case .tree:
                let count = model.treeItems().count
                let index = model.treeScroll + offset
                if index < count {
                    model.treeIndex = index
                    model.selectedSocket = nil
                }
            case .sockets:
                let ids = model.tableSocketIDs()
                let index = model.socketScroll + offset
                if index < ids.count { model.selectedSocket = ids[index] }
            case .log:
                let ids = model.view.visible
                let index = model.logScroll + offset
                if index < ids.count { model.selectedEntry = ids[ids.startIndex + index] }
            }
            if action == .doubleClick { open() }
        }
    }
}

extension Selection {
    var namespace: String? {
        switch self {
        case .none, .socket: nil
        case .namespace(let name): name
        case .room(let namespace, _): namespace
        }
    }
}
