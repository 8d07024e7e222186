import Logging
import NIOConcurrencyHelpers
import PostgresNIO

/// The one LISTEN connection of a ``PostgresClusterBus``, kept up for as long as the bus
/// lives: it reconnects with jittered backoff when PostgreSQL goes away, and channels are
/// added and removed on the open connection (LISTEN / UNLISTEN), never by reconnecting,
/// so a namespace created later costs one statement and misses nothing on the others.
///
/// Everything that changes the connection goes through one command stream consumed by one
/// task: two connections can never be open at once (each would deliver every message).
final class PostgresListenLoop: Sendable {
    enum Command: Sendable {
        case listen(String)
        case unlisten(String)
        /// A listener of connection `generation` ended by itself: that connection is lost.
        case lost(generation: Int)
    }

    private struct Status {
        var task: Task<Void, Never>?
        var stopped = false
        var connected = false
        var failures = 0
        var openConnections = 0
        var mostConnectionsAtOnce = 0
        var listening: Set<String> = []
    }

    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    /// The channels subscribed now (read at each connection).
    private let subscribed: @Sendable () -> Set<String>
    private let deliver: @Sendable (_ payload: String, _ channel: String) async -> Void
    private let commands: AsyncStream<Command>
    private let commandInput: AsyncStream<Command>.Continuation
    private let status = NIOLockedValueBox(Status())

    init(configuration: PostgresConnection.Configuration, logger: Logger,
         subscribed: @escaping @Sendable () -> Set<String>,
         deliver: @escaping @Sendable (_ payload: String, _ channel: String) async -> Void) {
        self.configuration = configuration
        self.logger = logger
        self.subscribed = subscribed
        self.deliver = deliver
        (commands, commandInput) = AsyncStream.makeStream(of: Command.self)
    }

    var isConnected: Bool { status.withLockedValue { $0.connected } }
    var failures: Int { status.withLockedValue { $0.failures } }
    /// The channels whose LISTEN PostgreSQL has run on the open connection.
    var listeningChannels: Set<String> { status.withLockedValue { $0.listening } }
    var mostConnectionsAtOnce: Int { status.withLockedValue { $0.mostConnectionsAtOnce } }

    /// Listens on `channel` too, connecting first if this is the first one.
    func listen(_ channel: String) {
        let commands = self.commands
        status.withLockedValue { status in
            guard status.task == nil, !status.stopped else { return }
            status.task = Task { [self] in await run(commands) }
        }
        commandInput.yield(.listen(channel))
    }

    func unlisten(_ channel: String) {
        commandInput.yield(.unlisten(channel))
    }

    /// Closes the connection for good.
    func stop() async {
        let task = status.withLockedValue { status in
            status.stopped = true
            return status.task
        }
        commandInput.finish()
        task?.cancel()
        await task?.value
    }

    private func run(_ commands: AsyncStream<Command>) async {
        var pending = commands.makeAsyncIterator()
        var generation = 0
        while !Task.isCancelled {
            generation += 1
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                status.withLockedValue { status in
                    status.connected = true
                    status.openConnections += 1
                    status.mostConnectionsAtOnce = max(status.mostConnectionsAtOnce, status.openConnections)
                }
                logger.info("cluster LISTEN connected")
                await serve(connection, generation: generation, commands: &pending)
                try? await connection.close()
                status.withLockedValue { status in
                    status.openConnections -= 1
                    status.listening = []
                }
            } catch {
                logger.warning("cluster LISTEN connection failed", metadata: ["error": "\(error)"])
            }
            status.withLockedValue { status in
                status.connected = false
                status.failures += 1
            }
            guard !Task.isCancelled else { return }
            // Node waits 2 s ± 50 % before reconnecting.
            try? await Task.sleep(for: .milliseconds(Int.random(in: 1000...3000)))
        }
    }

    /// Listens on every subscribed channel, then follows the commands until the connection
    /// is lost or the loop is cancelled (the stream then ends).
    private func serve(_ connection: PostgresConnection, generation: Int, commands: inout AsyncStream<Command>.Iterator) async {
        var listeners: [String: Task<Void, Never>] = [:]
        for channel in subscribed() {
            listeners[channel] = listener(channel, on: connection, generation: generation)
        }
        following: while let command = await commands.next() {
            switch command {
            case .listen(let channel):
                guard listeners[channel] == nil, subscribed().contains(channel) else { continue }
                listeners[channel] = listener(channel, on: connection, generation: generation)
            case .unlisten(let channel):
                listeners.removeValue(forKey: channel)?.cancel()
                _ = status.withLockedValue { $0.listening.remove(channel) }
            case .lost(let lostGeneration):
                if lostGeneration == generation { break following }
            }
        }
        // Not awaited: a listener ends when its connection closes, and nothing waits on it.
        for listener in listeners.values { listener.cancel() }
    }

    private func listener(_ channel: String, on connection: PostgresConnection, generation: Int) -> Task<Void, Never> {
        Task { [self] in
            do {
                try await connection.listen(on: channel) { notifications in
                    // PostgreSQL has run the LISTEN: from now on nothing sent there is missed.
                    _ = status.withLockedValue { $0.listening.insert(channel) }
                    for try await notification in notifications {
                        await deliver(notification.payload, channel)
                    }
                }
            } catch where !Task.isCancelled {
                logger.warning("cluster LISTEN ended", metadata: ["channel": "\(channel)", "error": "\(error)"])
            } catch {}
            // Ended without being asked to: the connection is gone.
            if !Task.isCancelled { commandInput.yield(.lost(generation: generation)) }
        }
    }
}
