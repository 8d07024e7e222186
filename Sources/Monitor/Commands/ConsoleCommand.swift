public import SocketIO

/// A command of the console's `:` line (and of `--headless` standard input).
public enum ConsoleCommand: Sendable, Equatable {
    /// `join <room> [socket-id…]`: the sockets (or the selection) join `room`.
    case join(room: String, sockets: [String])
    /// `leave <room> [socket-id…]`: the sockets (or the selection) leave `room`.
    case leave(room: String, sockets: [String])
    /// `kick [socket-id…]` (namespace disconnect) and `kick! [socket-id…]` (close the
    /// whole connection).
    case kick(sockets: [String], closeConnection: Bool)
    /// `emit [--to room|socket-id]… [--nsp /name] [--ack ms] <event> [json-arg…]`.
    case emit(EmitCommand)
    /// `filter [words…]`, `filter clear`, or `filter` alone to show the current one.
    case filter(FilterChange)
    /// `theme <name|path>`.
    case theme(String)
    /// `export <file.jsonl>`: the packet log as JSON lines.
    case export(path: String)
    /// `help [command]`.
    case help(String?)
    /// `quit`.
    case quit
    /// `pause`: freeze the packet stream (it keeps recording).
    case pause
    /// `resume`: unfreeze the packet stream.
    case resume
    /// `sockets [/nsp]`: list the sockets.
    case sockets(namespace: String?)
    /// `rooms [/nsp]`: list the rooms and their members.
    case rooms(namespace: String?)
    /// `show <socket-id>`: a socket's details.
    case show(socketID: String)
    /// `nodes`: the servers of the cluster (or that the server is a single node).
    case nodes

    /// A change of the stream filter.
    public enum FilterChange: Sendable, Equatable {
        /// Show the current filter.
        case show
        /// Remove the filter.
        case clear
        /// Use this filter.
        case set(LogFilter)
    }

    /// Whether the command acts on the server (refused under `--read-only`).
    public var isActing: Bool {
        switch self {
        case .join, .leave, .kick, .emit: true
        case .filter, .theme, .export, .help, .quit, .pause, .resume, .sockets, .rooms, .show, .nodes: false
        }
    }

    /// The command's name as typed (`kick!` for a connection close).
    public var name: String {
        switch self {
        case .join: "join"
        case .leave: "leave"
        case .kick(_, let close): close ? "kick!" : "kick"
        case .emit: "emit"
        case .filter: "filter"
        case .theme: "theme"
        case .export: "export"
        case .help: "help"
        case .quit: "quit"
        case .pause: "pause"
        case .resume: "resume"
        case .sockets: "sockets"
        case .rooms: "rooms"
        case .show: "show"
        case .nodes: "nodes"
        }
    }
}

/// The arguments of `emit`.
public struct EmitCommand: Sendable, Equatable {
    /// Rooms or socket ids (`--to`, repeatable); empty means the selection, or the whole
    /// namespace when nothing is selected.
    public var targets: [String]
    /// The namespace (`--nsp`); `nil` means the selection's, or `/`.
    public var namespace: String?
    /// Wait this long for each client's acknowledgement (`--ack`), or not at all.
    public var ackTimeout: Duration?
    /// The event name.
    public var event: String
    /// The arguments.
    public var arguments: [JSONValue]

    /// Creates an emit command.
    public init(targets: [String] = [], namespace: String? = nil, ackTimeout: Duration? = nil, event: String, arguments: [JSONValue] = []) {
        self.targets = targets
        self.namespace = namespace
        self.ackTimeout = ackTimeout
        self.event = event
        self.arguments = arguments
    }
}

/// The commands with their syntax and a line of help, for `help`, `?` and completion.
public enum CommandReference {
    /// One command's documentation.
    public struct Entry: Sendable {
        /// The name as typed.
        public let name: String
        /// The syntax.
        public let syntax: String
        /// What it does.
        public let summary: String
        /// Whether it acts on the server.
        public let acting: Bool
    }

    /// Every command, in the order help lists them.
    public static let entries: [Entry] = [
        Entry(name: "join", syntax: "join <room> [socket-id…]", summary: "make sockets join a room (no ids: the selected socket, or every member of the selected room)", acting: true),
        Entry(name: "leave", syntax: "leave <room> [socket-id…]", summary: "make sockets leave a room (no ids: the selection)", acting: true),
        Entry(name: "kick", syntax: "kick [socket-id…]", summary: "disconnect sockets from their namespace (no ids: the selection; a room: all its members)", acting: true),
        Entry(name: "kick!", syntax: "kick! [socket-id…]", summary: "close the sockets' whole connections", acting: true),
        Entry(name: "emit", syntax: "emit [--to room|socket-id]… [--nsp /name] [--ack ms] <event> [json-arg…]", summary: "emit an event to sockets, rooms, the selection or a whole namespace; --ack shows each reply and the timeouts", acting: true),
        Entry(name: "filter", syntax: "filter [event:NAME] [socket:ID] [room:NAME] [nsp:/NAME] [dir:in|out|sys] [text] | filter clear", summary: "filter the packet stream (no words: show the filter)", acting: false),
        Entry(name: "pause", syntax: "pause", summary: "freeze the packet stream (it keeps recording)", acting: false),
        Entry(name: "resume", syntax: "resume", summary: "unfreeze the packet stream", acting: false),
        Entry(name: "sockets", syntax: "sockets [/nsp]", summary: "list sockets", acting: false),
        Entry(name: "rooms", syntax: "rooms [/nsp]", summary: "list rooms and their members", acting: false),
        Entry(name: "show", syntax: "show <socket-id>", summary: "a socket's handshake, rooms and data", acting: false),
        Entry(name: "nodes", syntax: "nodes", summary: "the cluster's servers: id, alive or late, time since the last heartbeat (a single-node server says so)", acting: false),
        Entry(name: "theme", syntax: "theme <name|path>", summary: "switch colour theme", acting: false),
        Entry(name: "export", syntax: "export <file.jsonl>", summary: "write the packet log as JSON lines", acting: false),
        Entry(name: "help", syntax: "help [command]", summary: "list commands", acting: false),
        Entry(name: "quit", syntax: "quit", summary: "leave the console (the server stops with it)", acting: false),
    ]

    /// The command names, for completion.
    public static var names: [String] { entries.map(\.name) }
}
