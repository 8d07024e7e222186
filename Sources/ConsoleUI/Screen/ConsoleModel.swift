public import Monitor

/// The panes of the main screen.
public enum Pane: String, Sendable, CaseIterable {
    /// Namespaces and rooms.
    case tree
    /// The sockets table.
    case sockets
    /// The packet stream.
    case log
}

/// What covers the panes.
public enum Overlay: Sendable, Equatable {
    /// A socket's details.
    case details(String)
    /// One log entry with its whole payload.
    case packet(UInt64)
    /// Every key and command.
    case help
    /// The servers of the cluster (or that there is one).
    case nodes
}

/// What the bottom line is doing.
public enum Prompt: Sendable, Equatable {
    /// Typing a `:` command.
    case command(LineEditor)
    /// Typing a `/` filter (applied live; Esc restores `previous`).
    case filter(LineEditor, previous: LogFilter)
    /// Waiting for `y` to confirm.
    case confirm(question: String, action: PendingAction)
}

/// An action waiting for confirmation.
public enum PendingAction: Sendable, Equatable {
    /// A command to run.
    case command(ConsoleCommand, Selection)
    /// Leave the console.
    case quit
}

/// One row of the namespaces-and-rooms tree.
public enum TreeItem: Sendable, Equatable {
    /// A namespace with its socket count.
    case namespace(name: String, sockets: Int)
    /// A room with its member count.
    case room(namespace: String, room: RoomSummary)

    var namespace: String {
        switch self {
        case .namespace(let name, _): name
        case .room(let namespace, _): namespace
        }
    }
}

/// Where each part of the screen is, for mouse clicks.
public struct ScreenLayout: Sendable, Equatable {
    /// A rectangle of cells.
    public struct Rect: Sendable, Equatable {
        /// The first row and column, and the size in cells.
        public var top = 0, left = 0, height = 0, width = 0
        func contains(row: Int, column: Int) -> Bool {
            row >= top && row < top + height && column >= left && column < left + width
        }
    }
    /// The tree, sockets and stream panes, and the area between the header and the key bar.
    public var tree = Rect(), sockets = Rect(), log = Rect(), body = Rect()
    /// Rows before the first list row inside each pane (border, column headings).
    public var socketsHeaderRows = 2
    /// The terminal is too small for the panes: a notice is drawn instead.
    public var tooSmall = false
}

/// The state of the full-screen console: the monitor's tables plus what the operator
/// selected, scrolled, typed. Pure data, drawn by ``ConsoleRenderer``.
public struct ConsoleModel: Sendable {
    /// The live tables and log.
    public var state: MonitorState
    /// The filtered, pausable stream.
    public var view = LogView()
    /// The pane with the focus.
    public var focus: Pane = .tree
    /// What covers the panes.
    public var overlay: Overlay?
    /// First line shown in the overlay.
    public var overlayScroll = 0
    /// The selected tree row.
    public var treeIndex = 0
    /// First tree row shown.
    public var treeScroll = 0
    /// Whether each socket's own room is listed.
    public var showPrivateRooms = false
    /// The selected socket (kept by id while rows move).
    public var selectedSocket: String?
    /// First socket row shown.
    public var socketScroll = 0
    /// The selected stream entry; `nil` while following the newest.
    public var selectedEntry: UInt64?
    /// First stream row shown.
    public var logScroll = 0
    /// The bottom line's input, if any.
    public var prompt: Prompt?
    /// A message on the bottom line.
    public var message: (text: String, isError: Bool)?
    /// Completion candidates shown above the command line.
    public var completions: [String] = []
    /// Command history.
    public var history = CommandHistory()
    /// The listen address shown in the header.
    public var address: String
    /// Whether acting commands are refused.
    public var readOnly: Bool
    /// The theme's name (header).
    public var themeName: String
    /// Where things were drawn last (mouse).
    public var layout = ScreenLayout()
    /// The process's resident memory, refreshed about once a second.
    public var residentBytes: Int?
    /// Engine connections open.
    public var engineClients = 0
    /// When the console started (uptime).
    public var startedAt: Int64
    /// The tree rows and table rows last computed, valid while the tables do not change
    /// (with 10,000 sockets, rebuilding them on every frame would cost milliseconds).
    private var treeCache: (revision: UInt64, showPrivate: Bool, items: [TreeItem])?
    private var tableCache: (revision: UInt64, item: TreeItem?, ids: [String])?

    /// Creates a model.
    public init(state: MonitorState, address: String, readOnly: Bool, themeName: String, startedAt: Int64) {
        self.state = state
        self.address = address
        self.readOnly = readOnly
        self.themeName = themeName
        self.startedAt = startedAt
    }

    // MARK: Derived lists

    /// The tree rows: each namespace then its rooms.
    public mutating func treeItems() -> [TreeItem] {
        if let cache = treeCache, cache.revision == state.revision, cache.showPrivate == showPrivateRooms {
            return cache.items
        }
        var items: [TreeItem] = []
        for name in state.namespaceNames {
            items.append(.namespace(name: name, sockets: state.namespaces[name]?.sockets.count ?? 0))
            for room in state.rooms(in: name, includePrivate: showPrivateRooms) {
                items.append(.room(namespace: name, room: room))
            }
        }
        treeCache = (state.revision, showPrivateRooms, items)
        return items
    }

    /// The tree row selected, if any.
    public mutating func selectedTreeItem() -> TreeItem? {
        let items = treeItems()
        guard !items.isEmpty else { return nil }
        return items[min(max(0, treeIndex), items.count - 1)]
    }

    /// The sockets the table lists: those of the selected namespace or room.
    public mutating func tableSocketIDs() -> [String] {
        let item = selectedTreeItem()
        if let cache = tableCache, cache.revision == state.revision, cache.item == item { return cache.ids }
        let ids: [String]
        switch item {
        case .namespace(let name, _)?: ids = state.socketIDs(namespace: name)
        case .room(let namespace, let room)?: ids = state.socketIDs(namespace: namespace, room: room.name)
        case nil: ids = state.socketIDs()
        }
        tableCache = (state.revision, item, ids)
        return ids
    }

    /// What commands act on when they name no target.
    public mutating func selection() -> Selection {
        if let overlay {
            switch overlay {
            case .details(let id): return .socket(id)
            case .packet(let id): return state.log.entry(id: id)?.socketID.map(Selection.socket) ?? .none
            case .help, .nodes: break
            }
        }
        switch focus {
        case .tree:
            switch selectedTreeItem() {
            case .namespace(let name, _)?: return .namespace(name)
            case .room(let namespace, let room)?: return .room(namespace: namespace, room: room.name)
            case nil: return .none
            }
        case .sockets:
            let ids = tableSocketIDs()
            if let selectedSocket, ids.contains(selectedSocket) { return .socket(selectedSocket) }
            return ids.first.map(Selection.socket) ?? .none
        case .log:
            guard let id = selectedEntry ?? view.visible.last, let socket = state.log.entry(id: id)?.socketID,
                  state.sockets[socket] != nil
            else { return .none }
            return .socket(socket)
        }
    }

    /// The context that decides which keys apply.
    public var keyContext: KeyContext {
        switch overlay {
        case .details?: .details
        case .packet?: .packet
        case .help?: .help
        case .nodes?: .nodes
        case nil:
            switch focus {
            case .tree: .tree
            case .sockets: .sockets
            case .log: .log
            }
        }
    }

    /// Shows a message on the bottom line.
    public mutating func say(_ text: String, error: Bool = false) {
        message = (text, error)
    }
}
