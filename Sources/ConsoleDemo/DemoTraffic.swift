public import NIOSSL
public import SocketIOClient
import Synchronization

/// The clients of `sioconsole --demo`: real Socket.IO clients (this package's Swift
/// client) over loopback, so that the first thing a newcomer sees is every pane moving.
/// Each one connects with a name, enters a room, chats, moves between rooms, pings with an
/// acknowledgement, asks for its data, and now and then leaves and comes back; a quarter of
/// them stay on long-polling, the others upgrade to WebSocket.
public final class DemoTraffic: Sendable {
    /// The server's URL.
    public let url: String
    /// How many clients run at once.
    public let clientCount: Int
    /// TLS for an `https` server (the embedded server's own certificate as trust root).
    let tls: TLSConfiguration?
    /// The embedded server's packet format, which the simulated clients speak too.
    public let parser: SocketIOPacketParser
    private let tasks = Mutex<[Task<Void, Never>]>([])

    static let names = ["ada", "grace", "linus", "ken", "barbara", "dennis", "margaret", "alan", "edsger", "frances",
                        "john", "radia", "guido", "yukihiro", "bjarne", "anders"]
    static let phrases = ["hello 👋", "anyone here?", "deploying now", "LGTM", "who broke main?", "coffee ☕",
                          "it works on my machine", "rebasing…", "ship it", "안녕하세요", "你好", "brb"]

    /// Clients for the server at `url` (`http://127.0.0.1:PORT`, or `https://…` with `tls`),
    /// speaking the server's packet format.
    public init(url: String, clients: Int = 24, tls: TLSConfiguration? = nil, parser: SocketIOPacketParser = .default) {
        self.url = url
        self.clientCount = clients
        self.tls = tls
        self.parser = parser
    }

    /// Starts the clients, each a little after the one before.
    public func start() {
        let (url, tls, parser) = (self.url, self.tls, self.parser)
        let started = (0..<clientCount).map { index in
            Task.detached {
                try? await Task.sleep(for: .milliseconds(150 * index))
                await Self.live(index: index, url: url, tls: tls, parser: parser)
            }
        }
        tasks.withLock { $0.append(contentsOf: started) }
    }

    /// Stops every client and waits until their connections are closed.
    public func stop() async {
        let running = tasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }

    /// One client's life: sessions of a random length, with pauses between them, until cancelled.
    static func live(index: Int, url: String, tls: TLSConfiguration?, parser: SocketIOPacketParser) async {
        let name = names[index % names.count] + (index < names.count ? "" : String(index / names.count + 1))
        while !Task.isCancelled {
            guard let parsed = try? EngineClientURL(url) else { return }
            var options = SocketIOClientOptions()
            options.tlsConfiguration = tls
            if index % 4 == 3 { options.transports = [.polling] }
            options.parser = parser
            let manager = Manager(url: parsed, options: options)
            let socket = manager.socket("/", auth: .object(["name": .string(name)]))
            socket.connect()
            await session(socket, length: .seconds(Int.random(in: 20...90)))
            await manager.shutdown()
            try? await Task.sleep(for: .seconds(Int.random(in: 2...8)))
        }
    }

    /// Chats, moves and pings for `length` (or until cancelled).
    static func session(_ socket: ClientSocket, length: Duration) async {
        let clock = ContinuousClock()
        let end = clock.now + length
        var waited = 0
        while !socket.connected, waited < 100, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            waited += 1
        }
        _ = try? await socket.timeout(.seconds(5)).emitWithAck("enter", .string(DemoRoom.rooms.randomElement()!))
        while clock.now < end, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(Int.random(in: 1000...4000)))
            guard socket.connected else { continue }
            switch Int.random(in: 0..<20) {
            case 0..<12: try? socket.emit("say", .string(phrases.randomElement()!))
            case 12..<15: _ = try? await socket.timeout(.seconds(5)).emitWithAck("enter", .string(DemoRoom.rooms.randomElement()!))
            case 15..<18: _ = try? await socket.timeout(.seconds(5)).emitWithAck("ping", .int(Int64(Int.random(in: 1...99))))
            default: try? socket.emit("whoami")
            }
        }
    }
}
