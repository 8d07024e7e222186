import SocketIO

/// Acting on a socket wherever it is: this server's directly, another server's through the
/// namespace's adapter (`namespace.in(id)`), which a cluster adapter sends to every server;
/// the one holding the socket applies it.
extension ActionExecutor {
    /// How an acknowledged console emit to one socket ended.
    enum AckOutcome: Sendable {
        /// The client replied with these arguments.
        case replied([JSONValue])
        /// No reply before the timeout.
        case timedOut
        /// No reply, for another reason.
        case failed(String)

        var isReply: Bool {
            if case .replied = self { return true }
            return false
        }

        init(_ result: Result<[JSONValue], SocketIOError>) {
            switch result {
            case .success(let reply): self = .replied(reply)
            case .failure(let error): self = error == .ackTimeout ? .timedOut : .failed(String(describing: error))
            }
        }

        /// A broadcast to one socket id: each client's reply is its first argument, and no
        /// reply at all means no server had the socket any more.
        init(broadcast result: Result<[JSONValue], any Error>) {
            switch result {
            case .success(let replies): self = replies.first.map { .replied([$0]) } ?? .failed("the socket is gone")
            case .failure(let error as BroadcastAckTimeout): self = error.responses.first.map { .replied([$0]) } ?? .timedOut
            case .failure(let error): self = .failed(String(describing: error))
            }
        }
    }

    /// Makes one socket join or leave `room`.
    func changeRoom(of entry: SocketEntry, join: Bool, room: String) {
        if let socket = entry.socket {
            if join { socket.join(room) } else { socket.leave(room) }
        } else if entry.isRemote, let namespace = server.namespaces[entry.namespace] {
            if join { namespace.in(entry.id).socketsJoin(room) } else { namespace.in(entry.id).socketsLeave(room) }
        }
    }

    /// Disconnects one socket; with `close`, its whole connection.
    func disconnect(_ entry: SocketEntry, close: Bool) {
        if let socket = entry.socket {
            socket.disconnect(close: close)
        } else if entry.isRemote, let namespace = server.namespaces[entry.namespace] {
            namespace.in(entry.id).disconnectSockets(close: close)
        }
    }

    /// Emits to one socket and waits `timeout` for its reply.
    ///
    /// - Returns: `false` when the socket is gone (nothing was sent).
    /// - Throws: ``SocketIOError`` for a reserved event name.
    func emit(_ command: EmitCommand, to entry: SocketEntry?, timeout: Duration, in namespace: Namespace,
              done: @escaping @Sendable (AckOutcome) -> Void) throws -> Bool {
        if let socket = entry?.socket {
            try socket.timeout(timeout).emit(command.event, command.arguments) { done(AckOutcome($0)) }
            return true
        }
        guard let entry, entry.isRemote else { return false }
        try namespace.to(entry.id).timeout(timeout).emit(command.event, command.arguments) { done(AckOutcome(broadcast: $0)) }
        return true
    }
}
