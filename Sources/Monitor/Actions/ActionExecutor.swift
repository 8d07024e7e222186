import SocketIO
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the operator has selected, which commands act on when they name no target.
public enum Selection: Sendable, Equatable {
    /// Nothing.
    case none
    /// A whole namespace.
    case namespace(String)
    /// A room of a namespace.
    case room(namespace: String, room: String)
    /// One socket.
    case socket(String)
}

/// The immediate result of a command.
public struct ActionOutcome: Sendable, Equatable {
    /// What happened, safe to print.
    public var message: String
    /// Whether it failed or was refused.
    public var isError: Bool

    /// A success.
    public static func done(_ message: String) -> ActionOutcome { ActionOutcome(message: message, isError: false) }
    /// A failure.
    public static func failed(_ message: String) -> ActionOutcome { ActionOutcome(message: message, isError: true) }
}

/// Carries out the operator's acting commands (join, leave, kick, kick!, emit), only
/// through the server's public API: `Socket.join/leave/disconnect`, and the namespace's
/// `in(room).socketsJoin/socketsLeave/disconnectSockets` and `to(…).emit` (with
/// `timeout(…)` for acknowledgements).
/// On a cluster, the sockets of other servers are reached through the namespace as well
/// (`in(id)`, `to(id)`), which the cluster adapter carries to the server that holds them.
///
/// Replies to emits with `--ack` arrive later, on server threads; they are handed to the
/// monitor as ``ConsoleNote``s and show up in the packet stream.
public final class ActionExecutor: ConsoleActions {
    /// The monitor (for the server and for reporting replies).
    public let monitor: Monitor
    /// Whether every acting command is refused.
    public let readOnly: Bool

    /// Creates an executor.
    ///
    /// - Parameters:
    ///   - monitor: The monitor of the server to act on.
    ///   - readOnly: Refuse every acting command.
    public init(monitor: Monitor, readOnly: Bool) {
        self.monitor = monitor
        self.readOnly = readOnly
    }

    var server: SocketIOServer { monitor.server }

    /// Carries out an acting command.
    ///
    /// - Parameters:
    ///   - command: `join`, `leave`, `kick` or `emit` (others are refused: the caller handles them).
    ///   - selection: What the command acts on when it names no target.
    ///   - state: The current tables (to find sockets, rooms and namespaces).
    /// - Returns: What happened.
    public func perform(_ command: ConsoleCommand, selection: Selection, state: MonitorState) -> ActionOutcome {
        if readOnly, command.isActing {
            return .failed("read-only: \(command.name) is refused (started with --read-only)")
        }
        switch command {
        case .join(let room, let ids):
            return changeRooms(join: true, room: room, ids: ids, selection: selection, state: state)
        case .leave(let room, let ids):
            return changeRooms(join: false, room: room, ids: ids, selection: selection, state: state)
        case .kick(let ids, let close):
            return kick(ids: ids, close: close, selection: selection, state: state)
        case .emit(let emit):
            return self.emit(emit, selection: selection, state: state)
        case .filter, .theme, .export, .help, .quit, .pause, .resume, .sockets, .rooms, .show, .nodes:
            return .failed("\(command.name) is not an action")
        }
    }

    // MARK: Rooms

    private func changeRooms(join: Bool, room: String, ids: [String], selection: Selection, state: MonitorState) -> ActionOutcome {
        let verb = join ? "joined" : "left"
        let shownRoom = Sanitizer.clean(room, limit: 60)
        if ids.isEmpty {
            switch selection {
            case .none:
                return .failed("no target: give socket ids, or select a socket or a room")
            case .socket(let id):
                return changeRooms(join: join, room: room, ids: [id], selection: .none, state: state)
            case .room(let name, let selected):
                guard let namespace = server.namespaces[name] else { return .failed("no namespace \(Sanitizer.clean(name, limit: 40))") }
                let count = state.members(of: selected, in: name).count
                if join { namespace.in(selected).socketsJoin(room) } else { namespace.in(selected).socketsLeave(room) }
                return .done("\(count) member(s) of \(Sanitizer.clean(selected, limit: 40)) \(verb) \(shownRoom)")
            case .namespace(let name):
                guard let namespace = server.namespaces[name] else { return .failed("no namespace \(Sanitizer.clean(name, limit: 40))") }
                let count = state.namespaces[name]?.sockets.count ?? 0
                if join { namespace.socketsJoin(room) } else { namespace.socketsLeave(room) }
                return .done("\(count) socket(s) of \(Sanitizer.clean(name, limit: 40)) \(verb) \(shownRoom)")
            }
        }
        let resolved = resolve(ids, state: state)
        if let error = resolved.error { return .failed(error) }
        for entry in resolved.sockets {
            changeRoom(of: entry, join: join, room: room)
        }
        let names = resolved.sockets.map(\.id).joined(separator: ", ")
        return .done("\(names) \(verb) \(shownRoom)" + Self.viaCluster(resolved.sockets))
    }

    // MARK: Kick

    private func kick(ids: [String], close: Bool, selection: Selection, state: MonitorState) -> ActionOutcome {
        let what = close ? "closed the connection of" : "disconnected"
        if ids.isEmpty {
            switch selection {
            case .none:
                return .failed("no target: give socket ids, or select a socket or a room")
            case .socket(let id):
                return kick(ids: [id], close: close, selection: .none, state: state)
            case .room(let name, let room):
                guard let namespace = server.namespaces[name] else { return .failed("no namespace \(Sanitizer.clean(name, limit: 40))") }
                let count = state.members(of: room, in: name).count
                namespace.in(room).disconnectSockets(close: close)
                return .done("\(what) \(count) member(s) of \(Sanitizer.clean(room, limit: 40))")
            case .namespace(let name):
                guard let namespace = server.namespaces[name] else { return .failed("no namespace \(Sanitizer.clean(name, limit: 40))") }
                let count = state.namespaces[name]?.sockets.count ?? 0
                namespace.disconnectSockets(close: close)
                return .done("\(what) \(count) socket(s) of \(Sanitizer.clean(name, limit: 40))")
            }
        }
        let resolved = resolve(ids, state: state)
        if let error = resolved.error { return .failed(error) }
        for entry in resolved.sockets {
            disconnect(entry, close: close)
        }
        return .done("\(what) \(resolved.sockets.map(\.id).joined(separator: ", "))" + Self.viaCluster(resolved.sockets))
    }

    // MARK: Emit

    private func emit(_ command: EmitCommand, selection: Selection, state: MonitorState) -> ActionOutcome {
        // The namespace: given, or the selection's, or the first target socket's, or "/".
        var namespaceName = command.namespace
        var targetRooms: [String] = []
        var targetSockets: [SocketEntry] = []
        for target in command.targets {
            if let socket = state.resolveSocket(target), command.namespace == nil || socket.namespace == command.namespace {
                targetSockets.append(socket)
            } else {
                targetRooms.append(target)
            }
        }
        if command.targets.isEmpty {
            switch selection {
            case .none: break
            case .namespace(let name): namespaceName = namespaceName ?? name
            case .room(let name, let room):
                if namespaceName == nil || namespaceName == name {
                    namespaceName = name
                    targetRooms = [room]
                }
            case .socket(let id):
                if let socket = state.sockets[id], namespaceName == nil || namespaceName == socket.namespace {
                    targetSockets = [socket]
                }
            }
        }
        if namespaceName == nil { namespaceName = targetSockets.first?.namespace ?? "/" }
        let name = namespaceName!
        if let stray = targetSockets.first(where: { $0.namespace != name }) {
            return .failed("socket \(stray.id) is in \(Sanitizer.clean(stray.namespace, limit: 40)), not \(Sanitizer.clean(name, limit: 40)): use --nsp")
        }
        guard let namespace = server.namespaces[name] else {
            return .failed("no namespace \(Sanitizer.clean(name, limit: 40))")
        }
        let rooms = targetRooms + targetSockets.map(\.id)
        // Who it reaches, by the tables (rooms and socket ids are both rooms to the adapter).
        var recipients = Set<String>()
        if rooms.isEmpty {
            recipients = state.namespaces[name]?.sockets ?? []
        } else {
            for room in rooms { recipients.formUnion(state.members(of: room, in: name)) }
        }
        let emitID = monitor.nextEmitID()
        let event = Sanitizer.clean(command.event, limit: 60)
        let targetText = rooms.isEmpty ? "all of \(Sanitizer.clean(name, limit: 40))"
            : rooms.map { Sanitizer.clean($0, limit: 40) }.joined(separator: ", ")
        guard let timeout = command.ackTimeout else {
            do {
                if rooms.isEmpty {
                    try namespace.emit(command.event, command.arguments)
                } else {
                    try namespace.to(rooms).emit(command.event, command.arguments)
                }
            } catch {
                return .failed("emit refused: \(Sanitizer.clean(String(describing: error), limit: 80))")
            }
            return .done("emit #\(emitID) \(event) → \(targetText) (\(recipients.count) socket(s))")
        }
        guard !recipients.isEmpty else {
            return .failed("emit #\(emitID) \(event) → \(targetText): no socket to wait for")
        }
        // One emit per socket, so each reply is attributed to the socket that sent it.
        let tracker = AckTracker(expected: recipients.count)
        let monitor = self.monitor
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        for id in recipients.sorted() {
            let done: @Sendable (AckOutcome) -> Void = { outcome in
                switch outcome {
                case .replied(let reply):
                    monitor.note(ConsoleNote(kind: .reply, message: "reply to emit #\(emitID) from \(id):", namespace: name,
                                             socketID: id, emitID: emitID, event: command.event, arguments: reply))
                case .timedOut, .failed:
                    var why = "no reply within \(milliseconds) ms"
                    if case .failed(let reason) = outcome { why = "no reply: " + reason }
                    monitor.note(ConsoleNote(kind: .error, message: "emit #\(emitID): \(why) from \(id)",
                                             namespace: name, socketID: id, emitID: emitID, event: command.event))
                }
                if let (replied, total) = tracker.record(replied: outcome.isReply) {
                    monitor.note(Self.summary(emitID: emitID, event: event, replied: replied, total: total, namespace: name, name: command.event))
                }
            }
            do {
                // This server's sockets directly; another server's through the cluster.
                if try !self.emit(command, to: state.sockets[id], timeout: timeout, in: namespace, done: done) {
                    monitor.note(ConsoleNote(kind: .error, message: "emit #\(emitID): socket \(id) is gone", namespace: name,
                                             socketID: id, emitID: emitID, event: command.event))
                    if let (replied, total) = tracker.record(replied: false) {
                        monitor.note(Self.summary(emitID: emitID, event: event, replied: replied, total: total, namespace: name, name: command.event))
                    }
                }
            } catch {
                return .failed("emit refused: \(Sanitizer.clean(String(describing: error), limit: 80))")
            }
        }
        return .done("emit #\(emitID) \(event) → \(targetText) (\(recipients.count) socket(s)), waiting \(milliseconds) ms for replies")
    }

    private static func summary(emitID: Int, event: String, replied: Int, total: Int, namespace: String, name: String) -> ConsoleNote {
        ConsoleNote(kind: replied == total ? .info : .error,
                    message: "emit #\(emitID) \(event): \(replied) of \(total) replied, \(total - replied) did not",
                    namespace: namespace, emitID: emitID, event: name)
    }

    // MARK: Export

    /// Writes entries as JSON lines (``LogEntry/jsonLine()``) to `path`.
    ///
    /// - Parameters:
    ///   - entries: The entries, oldest first.
    ///   - path: The file to create or replace.
    /// - Returns: What happened.
    public static func export(_ entries: [LogEntry], to path: String) -> ActionOutcome {
        guard let file = fopen(path, "w") else {
            return .failed("cannot write \(Sanitizer.clean(path, limit: 80)): \(String(cString: strerror(errno)))")
        }
        var failed = false
        for entry in entries {
            let line = entry.jsonLine() + "\n"
            if fputs(line, file) < 0 { failed = true }
        }
        if fclose(file) != 0 { failed = true }
        if failed { return .failed("writing \(Sanitizer.clean(path, limit: 80)) failed: \(String(cString: strerror(errno)))") }
        return .done("exported \(entries.count) entries to \(Sanitizer.clean(path, limit: 80))")
    }

    // MARK: Helpers

    /// What an outcome adds when some sockets are on other servers.
    static func viaCluster(_ sockets: [SocketEntry]) -> String {
        sockets.contains(where: \.isRemote) ? " (on another node: sent through the cluster adapter)" : ""
    }

    private func resolve(_ ids: [String], state: MonitorState) -> (sockets: [SocketEntry], error: String?) {
        var sockets: [SocketEntry] = []
        for id in ids {
            guard let entry = state.resolveSocket(id) else {
                return ([], "no socket \(Sanitizer.clean(id, limit: 40))")
            }
            guard entry.socket != nil || entry.isRemote else { return ([], "socket \(entry.id) is gone") }
            sockets.append(entry)
        }
        return (sockets, nil)
    }
}

/// Counts the replies of one console emit and says when the last one came.
final class AckTracker: Sendable {
    private struct Counts {
        var replied = 0
        var done = 0
    }
    private let counts = Mutex(Counts())
    let expected: Int

    init(expected: Int) {
        self.expected = expected
    }

    /// Records one outcome; returns the totals once every socket has answered or timed out.
    func record(replied: Bool) -> (replied: Int, total: Int)? {
        counts.withLock { counts in
            if replied { counts.replied += 1 }
            counts.done += 1
            return counts.done == expected ? (counts.replied, expected) : nil
        }
    }
}
