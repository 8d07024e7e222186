import SocketIO

/// The behaviour the official socket.io-protocol test suite and the benchmark expect of
/// every socket of `/` and `/custom`.
enum TestSuiteHandlers {
    static func install(on namespace: Namespace) {
        namespace.onConnection { socket in
            try? socket.emit("auth", .object(socket.handshake.auth))
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
}
