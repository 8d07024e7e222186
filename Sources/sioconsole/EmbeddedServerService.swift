import Dispatch
import Logging
import NIOSSL
import ServiceLifecycle
import SocketIO
import SocketIOLifecycle
import Synchronization

/// The embedded server run as a swift-service-lifecycle service. The console, not the
/// group, owns SIGINT and SIGTERM (the full screen must give the terminal back first): when
/// it ends, for any reason, it stops the group, which closes the server as
/// `SocketIOService` does (every socket told "server shutting down").
final class EmbeddedServerService: Sendable {
    private let group: ServiceGroup
    private let listening = ListeningOutcome()
    private let running: Task<Void, Never>

    /// Starts the server in the background; ``waitUntilListening()`` says how that went.
    init(io: SocketIOServer, host: String, port: Int, tls: NIOSSLContext?) {
        var logger = Logger(label: "sioconsole.server")
        logger.logLevel = .warning
        let listening = self.listening
        let group = ServiceGroup(configuration: .init(
            services: [SocketIOService(server: io, host: host, port: port, tls: tls,
                                       onListening: { listening.settle(.success($0)) })],
            logger: logger
        ))
        self.group = group
        running = Task.detached {
            do {
                try await group.run()
            } catch {
                listening.settle(.failure(error))
            }
        }
    }

    /// Blocks the calling thread (the console's main thread, before the screen is up) until
    /// the server listens.
    /// - Returns: the bound port.
    /// - Throws: why the server could not listen.
    func waitUntilListening() throws -> Int {
        try listening.wait()
    }

    /// Stops the group and waits until the server is closed.
    func stop() async {
        await group.triggerGracefulShutdown()
        await running.value
    }
}

/// The first outcome of starting to listen: the port, or the failure.
private final class ListeningOutcome: Sendable {
    private let outcome = Mutex<Result<Int, any Error>?>(nil)
    private let settled = DispatchSemaphore(value: 0)

    func settle(_ result: Result<Int, any Error>) {
        let first = outcome.withLock { outcome -> Bool in
            guard outcome == nil else { return false }
            outcome = result
            return true
        }
        if first { settled.signal() }
    }

    func wait() throws -> Int {
        settled.wait()
        return try outcome.withLock { $0! }.get()
    }
}
