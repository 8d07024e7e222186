public import SocketIO

/// The events the load generator in ../shared/bench and the official socket.io-protocol
/// test suite send to a server, answered the way they expect. Shared by `sio-e2e-server`
/// and `sioconsole --bench-handlers`, so both are measured on the same behaviour.
public enum BenchmarkHandlers {
    /// Answers `message`, `message-with-ack`, `join`, `leave` and `broadcast` on every
    /// socket of `namespace`.
    public static func install(on namespace: Namespace) {
        namespace.onConnection { socket in answer(socket, in: namespace) }
    }

    /// Installs the handlers on one socket (for servers that do more at connection time).
    public static func answer(_ socket: Socket, in namespace: Namespace) {
        socket.on("message") { arguments, _ in
            try? socket.emit("message-back", arguments)
        }
        socket.on("message-with-ack") { arguments, ack in
            ack?.send(arguments)
        }
        socket.on("join") { arguments, ack in
            guard let room = arguments.first?.stringValue else { return }
            socket.join(room)
            ack?(.string(room))
        }
        socket.on("leave") { arguments, ack in
            guard let room = arguments.first?.stringValue else { return }
            socket.leave(room)
            ack?(.string(room))
        }
        socket.on("broadcast") { arguments, ack in
            guard let room = arguments.first?.stringValue else { return }
            try? namespace.to(room).emit("broadcast", Array(arguments.dropFirst()))
            ack?()
        }
    }
}
