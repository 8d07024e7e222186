/// A key as the console reads it.
public enum Key: Hashable, Sendable {
    /// A printable character.
    case character(Character)
    /// Ctrl with a letter (`ctrl("l")`).
    case control(Character)
    /// The arrow keys.
    case up, down, left, right
    /// Page Up, Page Down, Home and End.
    case pageUp, pageDown, home, end
    /// Enter, Esc, Tab, Shift-Tab, Backspace and Delete.
    case enter, escape, tab, backTab, backspace, delete
    /// A function key.
    case function(Int)

    /// How the key is written in help and the key bar.
    public var label: String {
        switch self {
        case .character(" "): "Space"
        case .character(let character): String(character)
        case .control(let character): "^" + String(character).uppercased()
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "Bksp"
        case .delete: "Del"
        case .function(let number): "F\(number)"
        }
    }
}

/// What a key does.
public enum ConsoleAction: String, Sendable, CaseIterable {
    /// Leave the console; show the keys; type a `:` command; type a `/` filter; move the
    /// focus to the next or the previous pane.
    case quit, help, command, filter, nextPane, previousPane
    /// Move the selection by a row, a column, a page, or to the first or the last row.
    case up, down, left, right, pageUp, pageDown, top, bottom
    /// Open the selection's details; close them; kick the selected socket (and with
    /// `kickClose` its whole connection), after a confirmation; pause the stream; show or
    /// hide the sockets' private rooms; clear the filter; redraw the screen; list the servers.
    case open, back, kick, kickClose, pause, togglePrivate, clearFilter, redraw, nodes
}

/// Where the focus is: which bindings apply.
public enum KeyContext: String, Sendable, CaseIterable {
    /// The namespaces and rooms tree.
    case tree
    /// The sockets table.
    case sockets
    /// The packet stream.
    case log
    /// A socket's details.
    case details
    /// One packet opened.
    case packet
    /// The help screen.
    case help
    /// The cluster's nodes.
    case nodes
}

/// One binding: keys, what they do, where, and whether the key bar shows it.
public struct KeyBinding: Sendable {
    /// The keys (the first is the one shown).
    public let keys: [Key]
    /// The action.
    public let action: ConsoleAction
    /// A short name for the key bar.
    public let short: String
    /// A line for the help screen.
    public let description: String
    /// Where it applies (empty: everywhere).
    public let contexts: Set<KeyContext>
    /// Whether the key bar shows it.
    public let inBar: Bool

    /// Creates a binding.
    public init(_ keys: [Key], _ action: ConsoleAction, short: String, description: String, contexts: Set<KeyContext> = [], inBar: Bool = true) {
        self.keys = keys
        self.action = action
        self.short = short
        self.description = description
        self.contexts = contexts
        self.inBar = inBar
    }

    func applies(in context: KeyContext) -> Bool { contexts.isEmpty || contexts.contains(context) }
}

/// The key bindings, as data: the same table answers keys, draws the key bar and the help
/// screen. Specific bindings come before global ones, so `k` kicks in the sockets table
/// and socket details and moves up elsewhere.
public struct Keymap: Sendable {
    /// Every binding, most specific first.
    public let bindings: [KeyBinding]

    /// Creates a keymap.
    public init(bindings: [KeyBinding] = Keymap.standard) {
        self.bindings = bindings
    }

    /// The action of `key` in `context`.
    public func action(for key: Key, in context: KeyContext) -> ConsoleAction? {
        bindings.first { $0.applies(in: context) && $0.keys.contains(key) }?.action
    }

    /// What the key bar shows in `context`: key label and short name.
    public func barItems(in context: KeyContext) -> [(key: String, name: String)] {
        var seen = Set<ConsoleAction>()
        var items: [(String, String)] = []
        for binding in bindings where binding.inBar && binding.applies(in: context) && !seen.contains(binding.action) {
            // A key already used by an earlier (more specific) binding does not apply here.
            guard action(for: binding.keys[0], in: context) == binding.action else { continue }
            seen.insert(binding.action)
            items.append((binding.keys[0].label, binding.short))
        }
        return items
    }

    static let panes: Set<KeyContext> = [.tree, .sockets, .log]
    static let scrolling: Set<KeyContext> = [.tree, .sockets, .log, .details, .packet, .help, .nodes]

    /// The console's bindings.
    public static let standard: [KeyBinding] = [
        KeyBinding([.character("k")], .kick, short: "Kick", description: "kick the selected socket (namespace disconnect), after y", contexts: [.sockets, .details]),
        KeyBinding([.character("K")], .kickClose, short: "Close", description: "close the selected socket's whole connection, after y", contexts: [.sockets, .details]),
        KeyBinding([.enter], .open, short: "Open", description: "drill in: namespace/room → its sockets, socket → details, packet → payload", contexts: panes),
        KeyBinding([.escape, .character("h"), .left], .back, short: "Back", description: "back to the panes", contexts: [.details, .packet, .help, .nodes]),
        KeyBinding([.up, .character("k"), .control("p")], .up, short: "Up", description: "move up", contexts: scrolling, inBar: false),
        KeyBinding([.down, .character("j"), .control("n")], .down, short: "Down", description: "move down", contexts: scrolling, inBar: false),
        KeyBinding([.left, .character("h")], .left, short: "Left", description: "previous pane", contexts: panes, inBar: false),
        KeyBinding([.right, .character("l")], .right, short: "Right", description: "next pane", contexts: panes, inBar: false),
        KeyBinding([.pageUp, .control("b")], .pageUp, short: "PgUp", description: "page up", contexts: scrolling, inBar: false),
        KeyBinding([.pageDown, .control("f")], .pageDown, short: "PgDn", description: "page down", contexts: scrolling, inBar: false),
        KeyBinding([.character("g"), .home], .top, short: "Top", description: "go to the top (the log stops following)", contexts: scrolling, inBar: false),
        KeyBinding([.character("G"), .end], .bottom, short: "Follow", description: "go to the bottom (the stream follows new packets)", contexts: [.log]),
        KeyBinding([.character("G"), .end], .bottom, short: "Bottom", description: "go to the bottom", contexts: [.tree, .sockets, .details, .packet, .help, .nodes], inBar: false),
        KeyBinding([.tab], .nextPane, short: "Pane", description: "next pane", contexts: panes),
        KeyBinding([.backTab], .previousPane, short: "Pane", description: "previous pane", contexts: panes, inBar: false),
        KeyBinding([.character("/")], .filter, short: "Filter", description: "filter the packet stream (event:, socket:, room:, nsp:, dir:, text)"),
        KeyBinding([.character("\\")], .clearFilter, short: "Unfilter", description: "clear the filter", inBar: false),
        KeyBinding([.character("p"), .character(" ")], .pause, short: "Pause", description: "pause / resume the packet stream (it keeps recording)"),
        KeyBinding([.character("i")], .togglePrivate, short: "Id-rooms", description: "show / hide each socket's private room", contexts: [.tree]),
        // Out of the bar (it is full at 80 columns); on a cluster the header shows "nodes N (n)".
        KeyBinding([.character("n")], .nodes, short: "Nodes", description: "the cluster's nodes: id, alive or late, time since the last heartbeat (:nodes)", inBar: false),
        KeyBinding([.character(":")], .command, short: "Cmd", description: "command line (Tab completes, ↑/↓ history): join, leave, kick, kick!, emit, filter, nodes, theme, export, help, quit"),
        KeyBinding([.character("?"), .function(1)], .help, short: "Help", description: "this help"),
        KeyBinding([.control("l")], .redraw, short: "Redraw", description: "redraw the screen", inBar: false),
        KeyBinding([.character("q")], .quit, short: "Quit", description: "quit (asks y first; Ctrl-C quits at once)"),
    ]
}
