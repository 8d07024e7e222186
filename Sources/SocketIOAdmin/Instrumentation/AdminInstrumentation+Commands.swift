import SocketIO

/// The commands of admin clients (Node's `registerFeatureHandlers`), each acting on every
/// server of the cluster through the target namespace's adapter.
extension AdminInstrumentation {
    /// Listens for the commands the advertised features allow; in read-only mode there are
    /// none, so a command sent anyway reaches no handler and does nothing.
    func registerCommands(on socket: Socket) {
        for (event, feature) in AdminCommand.events where supportedFeatures.contains(feature) {
            socket.on(event) { [weak self] arguments, ack in
                guard let self, let command = AdminCommand(event: event, arguments: arguments) else { return }
                run(command, ack: ack)
            }
        }
    }

    func run(_ command: AdminCommand, ack: Ack?) {
        switch command {
        case .emit(let namespace, let filter, let event, let arguments):
            guard let target = selection(namespace, filter) else { return }
            if let ack, supportedFeatures.contains(.emitWithAck) {
                emitCollectingReplies(target, event: event, arguments: arguments, ack: ack)
            } else {
                try? target.emit(event, arguments)
            }
        case .join(let namespace, let room, let filter):
            selection(namespace, filter)?.socketsJoin([room])
        case .leave(let namespace, let room, let filter):
            selection(namespace, filter)?.socketsLeave([room])
        case .disconnect(let namespace, let close, let filter):
            selection(namespace, filter)?.disconnectSockets(close: close)
        }
    }

    /// The sockets of namespace `name` in room `filter` (all of them without one). Only an
    /// existing namespace: unlike Node's `io.of(nsp)`, a command never creates one, so
    /// made-up names cannot pile namespaces up.
    private func selection(_ name: String, _ filter: String?) -> BroadcastOperator? {
        guard let namespace = server.namespaces[name] else { return nil }
        if let filter { return namespace.in(filter) }
        return namespace.to([String]())
    }

    /// Feature ``AdminFeature/emitWithAck``: the replies, as `[null, replies]`, or
    /// `[{message}, replies so far]` when some client did not answer in time.
    private func emitCollectingReplies(_ target: BroadcastOperator, event: String, arguments: [JSONValue], ack: Ack) {
        do {
            try target.timeout(options.emitAckTimeout).emit(event, arguments) { result in
                switch result {
                case .success(let replies):
                    ack(.null, .array(replies))
                case .failure(let error as BroadcastAckTimeout):
                    ack(.object(["message": "operation has timed out"]), .array(error.responses))
                case .failure(let error):
                    ack(.object(["message": .string("\(error)")]), .array([]))
                }
            }
        } catch {
            ack(.object(["message": .string("\(error)")]), .array([]))
        }
    }
}
