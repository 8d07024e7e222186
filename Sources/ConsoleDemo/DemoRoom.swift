public import SocketIO

/// The server side of `sioconsole --demo`: a small chat, so that the simulated clients have
/// something to do that every pane of the console shows (rooms, events both ways, acks).
public enum DemoRoom {
    /// The rooms the simulated clients move between.
    public static let rooms = ["lobby", "rust", "swift", "node", "python", "random"]

    /// Answers the demo's events on every socket of `namespace`: `enter` (leave the other
    /// rooms, join one, acknowledged with its member count), `say` (to the sender's room as
    /// `said`), `ping` (acknowledged with the same arguments), and `whoami` (answers
    /// `you-are` with the socket's `data`).
    public static func install(on namespace: Namespace) {
        namespace.onConnection { socket in
            if let name = socket.handshake.auth["name"]?.stringValue { socket.data = ["name": .string(name)] }
            socket.on("enter") { arguments, ack in
                guard let room = arguments.first?.stringValue, rooms.contains(room) else { return }
                for joined in socket.rooms where joined != socket.id && joined != room { socket.leave(joined) }
                socket.join(room)
                Task {
                    let members = (try? await namespace.in(room).fetchSockets().count) ?? 0
                    ack?(.string(room), .int(Int64(members)))
                }
            }
            socket.on("say") { arguments, _ in
                guard let text = arguments.first?.stringValue else { return }
                let name = socket.data["name"]?.stringValue ?? socket.id
                for room in socket.rooms where room != socket.id {
                    try? namespace.to(room).emit("said", ["from": .string(name), "room": .string(room), "text": .string(text)])
                }
            }
            socket.on("ping") { arguments, ack in ack?.send(arguments) }
            socket.on("whoami") { _, _ in try? socket.emit("you-are", socket.data) }
        }
    }
}
