public import Monitor
import SocketIOClient
import SocketIO

/// The operator's acting commands carried out through the Admin UI protocol: `join`,
/// `leave`, `_disconnect` and `emit`, sent to the admin namespace of the attached server,
/// which applies them to its sockets (across its cluster). What the server does not
/// advertise in `supportedFeatures` is refused here with the reason, before anything is sent.
public final class AdminActions: ConsoleActions {
    /// The feed whose connection carries the commands.
    public let feed: AdminFeed
    /// Refuse every acting command (`--read-only`), whatever the server allows.
    public let readOnly: Bool

    /// Creates the actions of `feed`.
    public init(feed: AdminFeed, readOnly: Bool) {
        self.feed = feed
        self.readOnly = readOnly
    }

    /// A target of a command: a namespace, with a room or socket id to narrow it (`nil`: all).
    struct Target: Equatable {
        var namespace: String
        var filter: String?
        /// Whether the filter is one socket (features JOIN, LEAVE, DISCONNECT) rather than
        /// a room or the namespace (MJOIN, MLEAVE, MDISCONNECT).
        var isSocket: Bool
        /// What the outcome calls it.
        var label: String
    }

    public func perform(_ command: ConsoleCommand, selection: Selection, state: MonitorState) -> ActionOutcome {
        if readOnly, command.isActing {
            return .failed("read-only: \(command.name) is refused (started with --read-only)")
        }
        guard feed.socket.connected else {
            return .failed("\(command.name) not sent: not connected to the server (\(feed.link.summary))")
        }
        switch command {
        case .join(let room, let ids), .leave(let room, let ids):
            let isJoin = if case .join = command { true } else { false }
            let targets: [Target]
            switch self.targets(ids, selection: selection, state: state) {
            case .success(let found): targets = found
            case .failure(let error): return .failed(error.message)
            }
            let event = isJoin ? "join" : "leave"
            if let refusal = refusal(event, targets: targets, single: isJoin ? "JOIN" : "LEAVE", many: isJoin ? "MJOIN" : "MLEAVE") {
                return .failed(refusal)
            }
            for target in targets {
                send(event, [.string(target.namespace), .string(room), target.filter.map(JSONValue.string) ?? .null])
            }
            let verb = isJoin ? "join" : "leave"
            return .done("asked the server: \(targets.map(\.label).joined(separator: ", ")) \(verb) \(Sanitizer.clean(room, limit: 60))")
        case .kick(let ids, let close):
            let targets: [Target]
            switch self.targets(ids, selection: selection, state: state) {
            case .success(let found): targets = found
            case .failure(let error): return .failed(error.message)
            }
            if let refusal = refusal(command.name, targets: targets, single: "DISCONNECT", many: "MDISCONNECT") {
                return .failed(refusal)
            }
            for target in targets {
                send("_disconnect", [.string(target.namespace), .bool(close), target.filter.map(JSONValue.string) ?? .null])
            }
            let what = close ? "close the connection of" : "disconnect"
            return .done("asked the server to \(what) \(targets.map(\.label).joined(separator: ", "))")
        case .emit(let emit):
            return self.emit(emit, selection: selection, state: state)
        case .filter, .theme, .export, .help, .quit, .pause, .resume, .sockets, .rooms, .show, .nodes:
            return .failed("\(command.name) is not an action")
        }
    }

    // MARK: Emit

    private func emit(_ command: EmitCommand, selection: Selection, state: MonitorState) -> ActionOutcome {
        guard supports("EMIT") else { return .failed(unsupported("emit", feature: "EMIT")) }
        var targets: [Target] = []
        for name in command.targets {
            if let socket = state.resolveSocket(name), command.namespace == nil || socket.namespace == command.namespace {
                targets.append(Target(namespace: socket.namespace, filter: socket.id, isSocket: true, label: socket.id))
            } else {
                let namespace = command.namespace ?? "/"
                targets.append(Target(namespace: namespace, filter: name, isSocket: false, label: "room " + Sanitizer.clean(name, limit: 40)))
            }
        }
        if targets.isEmpty {
            switch selection {
            case .socket(let id) where command.namespace == nil || state.sockets[id]?.namespace == command.namespace:
                if let socket = state.sockets[id] {
                    targets = [Target(namespace: socket.namespace, filter: id, isSocket: true, label: id)]
                }
            case .room(let namespace, let room) where command.namespace == nil || command.namespace == namespace:
                targets = [Target(namespace: namespace, filter: room, isSocket: false, label: "room " + Sanitizer.clean(room, limit: 40))]
            case .namespace(let namespace) where command.namespace == nil:
                targets = [Target(namespace: namespace, filter: nil, isSocket: false, label: "all of " + Sanitizer.clean(namespace, limit: 40))]
            default:
                break
            }
        }
        if targets.isEmpty {
            let namespace = command.namespace ?? "/"
            targets = [Target(namespace: namespace, filter: nil, isSocket: false, label: "all of " + Sanitizer.clean(namespace, limit: 40))]
        }
        let emitID = feed.nextEmitID()
        let event = Sanitizer.clean(command.event, limit: 60)
        let shown = targets.map(\.label).joined(separator: ", ")
        guard let timeout = command.ackTimeout else {
            for target in targets {
                send("emit", [.string(target.namespace), target.filter.map(JSONValue.string) ?? .null, .string(command.event)] + command.arguments)
            }
            return .done("emit #\(emitID) \(event) → \(shown) (sent through the admin namespace)")
        }
        guard supports("EMIT_WITH_ACK") else {
            return .failed("emit --ack: this server does not return replies (it does not advertise EMIT_WITH_ACK); emit without --ack")
        }
        let feed = self.feed
        for target in targets {
            let arguments: [JSONValue] = [.string(target.namespace), target.filter.map(JSONValue.string) ?? .null, .string(command.event)] + command.arguments
            let label = target.label
            // The server waits with its own timeout and then answers with what it has; this
            // bound only ends a wait for a server that never answers at all.
            do {
                try feed.socket.timeout(timeout + .seconds(10)).emit("emit", arguments) { result in
                    feed.note(Self.replyNote(result, emitID: emitID, event: command.event, target: target, label: label))
                }
            } catch {
                return .failed("emit refused: \(Sanitizer.clean(String(describing: error), limit: 80))")
            }
        }
        return .done("emit #\(emitID) \(event) → \(shown), waiting for replies (the server's own ack timeout applies)")
    }

    /// What the server's `[error or null, [reply, …]]` answer (or none) says.
    static func replyNote(_ result: Result<[JSONValue], SocketIOClientError>, emitID: Int, event: String, target: Target,
                          label: String) -> ConsoleNote {
        let socketID = target.isSocket ? target.filter : nil
        switch result {
        case .failure(let error):
            return ConsoleNote(kind: .error, message: "emit #\(emitID) → \(label): no answer from the server (\(error.message))",
                               namespace: target.namespace, socketID: socketID, emitID: emitID, event: event)
        case .success(let answer):
            let replies = answer.count > 1 ? (answer[1].arrayValue ?? []) : []
            if let error = answer.first, error != .null {
                let message = error["message"]?.stringValue ?? PayloadFormatter.compact(error, limit: 80)
                return ConsoleNote(kind: .error, message: "emit #\(emitID) → \(label): \(replies.count) repl(ies), then: " + Sanitizer.clean(message, limit: 80),
                                   namespace: target.namespace, socketID: socketID, emitID: emitID, event: event, arguments: replies)
            }
            // Short, as the embedded console's: the row's socket column already names the socket.
            let from = target.isSocket ? "reply to emit #\(emitID):" : "replies to emit #\(emitID) from \(label) (\(replies.count)):"
            return ConsoleNote(kind: .reply, message: from,
                               namespace: target.namespace, socketID: socketID, emitID: emitID, event: event, arguments: replies)
        }
    }

    // MARK: Targets

    struct TargetError: Error {
        let message: String
    }

    /// The targets of join, leave and kick: the given sockets, else the selection.
    private func targets(_ ids: [String], selection: Selection, state: MonitorState) -> Result<[Target], TargetError> {
        if ids.isEmpty {
            switch selection {
            case .none:
                return .failure(TargetError(message: "no target: give socket ids, or select a socket or a room"))
            case .socket(let id):
                guard let socket = state.sockets[id] else { return .failure(TargetError(message: "socket \(id) is gone")) }
                return .success([Target(namespace: socket.namespace, filter: id, isSocket: true, label: id)])
            case .room(let namespace, let room):
                let count = state.members(of: room, in: namespace).count
                return .success([Target(namespace: namespace, filter: room, isSocket: false,
                                        label: "\(count) member(s) of " + Sanitizer.clean(room, limit: 40))])
            case .namespace(let namespace):
                let count = state.namespaces[namespace]?.sockets.count ?? 0
                return .success([Target(namespace: namespace, filter: nil, isSocket: false,
                                        label: "\(count) socket(s) of " + Sanitizer.clean(namespace, limit: 40))])
            }
        }
        var targets: [Target] = []
        for id in ids {
            guard let socket = state.resolveSocket(id) else { return .failure(TargetError(message: "no socket \(Sanitizer.clean(id, limit: 40))")) }
            targets.append(Target(namespace: socket.namespace, filter: socket.id, isSocket: true, label: socket.id))
        }
        return .success(targets)
    }

    // MARK: Features

    private func supports(_ feature: String) -> Bool {
        feed.supportedFeatures.contains(feature)
    }

    private func refusal(_ command: String, targets: [Target], single: String, many: String) -> String? {
        if targets.contains(where: \.isSocket), !supports(single) { return unsupported(command, feature: single) }
        if targets.contains(where: { !$0.isSocket }), !supports(many) { return unsupported(command + " on a room or namespace", feature: many) }
        return nil
    }

    private func unsupported(_ what: String, feature: String) -> String {
        let features = feed.supportedFeatures
        if features.isEmpty { return "\(what) refused: the server has not said what it supports yet" }
        return "\(what) refused: the server does not allow it (it does not advertise \(feature); it is read-only or in a restricted mode)"
    }

    private func send(_ event: String, _ arguments: [JSONValue]) {
        try? feed.socket.emit(event, arguments)
    }
}
