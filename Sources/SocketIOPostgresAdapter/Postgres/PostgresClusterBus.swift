import Foundation
public import Logging
import MessagePack
import NIOConcurrencyHelpers
import NIOCore
public import PostgresNIO
import SocketIO

/// Cluster messages over PostgreSQL LISTEN/NOTIFY, in the format of Node's
/// `@socket.io/postgres-adapter`: JSON in the NOTIFY payload, or, for binary or large
/// messages, msgpack in the attachment table with `{uid, type, attachmentId}` notified.
///
/// The LISTEN connection reconnects with jittered backoff when PostgreSQL goes away;
/// meanwhile publishing fails fast (and is counted) and local delivery is unaffected.
public final class PostgresClusterBus: ClusterBus, @unchecked Sendable {
    private let configuration: PostgresConnection.Configuration
    private let options: PostgresAdapterOptions
    private let logger: Logger

    private struct State {
        var handlers: [String: @Sendable (ClusterMessage) -> Void] = [:]
        var listenTask: Task<Void, Never>?
        var cleanupTask: Task<Void, Never>?
        var listenFailures = 0
        var connected = false
        /// LISTEN connections open now, and the most ever open at once (tests check it is 1).
        var openListenConnections = 0
        var mostListenConnectionsAtOnce = 0
        /// The channels the open LISTEN connection listens on.
        var listeningChannels: Set<String> = []
        var closed = false
    }
    private let state = NIOLockedValueBox(State())
    private let queries: SharedPostgresConnection

    /// Creates a bus; it connects on the first subscription.
    public init(configuration: PostgresConnection.Configuration, options: PostgresAdapterOptions = PostgresAdapterOptions(),
                logger: Logger = Logger(label: "socket.io.postgres")) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        queries = SharedPostgresConnection(configuration: configuration, id: 1, logger: logger)
    }

    /// Whether the LISTEN connection is up now.
    public var isListening: Bool { state.withLockedValue { $0.connected } }
    /// How many times the LISTEN connection failed or dropped.
    public var listenFailures: Int { state.withLockedValue { $0.listenFailures } }
    /// The channels the LISTEN connection listens on now (empty while it is down).
    var listeningChannels: Set<String> { state.withLockedValue { $0.listeningChannels } }
    /// The most LISTEN connections this bus ever had open at once: more than 1 is a bug.
    var mostListenConnectionsAtOnce: Int { state.withLockedValue { $0.mostListenConnectionsAtOnce } }

    private func channel(_ namespace: String) -> String { "\(options.channelPrefix)#\(namespace)" }

    // MARK: Publishing

    public func publish(_ message: ClusterMessage) async throws {
        let json = message.json
        let channel = channel(message.nsp)
        let mayCarryBinary: Set<ClusterMessageType> = [.broadcast, .broadcastAck, .serverSideEmit, .serverSideEmitResponse]
        if mayCarryBinary.contains(message.type), json.containsBinary {
            try await publishWithAttachment(message, json: json, channel: channel)
            return
        }
        let payload = try json.jsonString()
        if payload.utf8.count >= options.payloadThreshold {
            try await publishWithAttachment(message, json: json, channel: channel)
            return
        }
        _ = try await queries.with { connection in
            try await connection.query("SELECT pg_notify(\(channel), \(payload))", logger: self.logger)
        }
    }

    private func publishWithAttachment(_ message: ClusterMessage, json: JSONValue, channel: String) async throws {
        let bytes = try MessagePackEncoder().encode(json)
        let table = try Self.identifier(options.tableName)
        let id: Int64 = try await queries.with { connection in
            let rows = try await connection.query(
                "INSERT INTO \(unescaped: table) (payload) VALUES (\(bytes)) RETURNING id", logger: self.logger
            )
            for try await id in rows.decode(Int64.self) { return id }
            throw PostgresBusError.noAttachmentID
        }
        let header: JSONValue = .object([
            "uid": .string(message.uid), "type": .int(Int64(message.type.rawValue)), "attachmentId": .string(String(id)),
        ])
        let payload = try header.jsonString()
        _ = try await queries.with { connection in
            try await connection.query("SELECT pg_notify(\(channel), \(payload))", logger: self.logger)
        }
    }

    // MARK: Subscribing

    public func subscribe(namespace: String, _ handler: @escaping @Sendable (ClusterMessage) -> Void) async {
        state.withLockedValue { $0.handlers[channel(namespace)] = handler }
        startCleanupIfNeeded()
        restartListening()
    }

    public func unsubscribe(namespace: String) async {
        let remaining = state.withLockedValue { state -> Int in
            state.handlers[channel(namespace)] = nil
            return state.handlers.count
        }
        if remaining == 0 {
            await close()
        } else {
            restartListening()
        }
    }

    /// Stops listening and closes the connections.
    public func close() async {
        let (task, cleanup) = state.withLockedValue { state in
            state.closed = true
            defer {
                state.listenTask = nil
                state.cleanupTask = nil
            }
            return (state.listenTask, state.cleanupTask)
        }
        task?.cancel()
        cleanup?.cancel()
        await task?.value
        await queries.close()
    }

    /// (Re)starts the LISTEN loop with every channel subscribed now.
    ///
    /// The new loop replaces the current one in a single step under the lock and waits for it
    /// to end before connecting: namespaces subscribing at the same moment (a server starting
    /// with several) must never leave two loops running, or every notification would be
    /// delivered twice.
    private func restartListening() {
        let previous = state.withLockedValue { state -> Task<Void, Never>? in
            guard !state.closed else { return nil }
            let previous = state.listenTask
            state.listenTask = Task { [self] in
                await previous?.value
                await listenForever()
            }
            return previous
        }
        // Cancelled outside the lock: its cancellation handlers close a connection.
        previous?.cancel()
    }

    private func listenForever() async {
        while !Task.isCancelled {
            let channels = state.withLockedValue { Array($0.handlers.keys) }
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                state.withLockedValue { state in
                    state.connected = true
                    state.openListenConnections += 1
                    state.mostListenConnectionsAtOnce = max(state.mostListenConnectionsAtOnce, state.openListenConnections)
                    state.listeningChannels = Set(channels)
                }
                logger.info("cluster LISTEN connected", metadata: ["channels": "\(channels)"])
                await withTaskCancellationHandler {
                    await withTaskGroup(of: Void.self) { group in
                        for channel in channels {
                            group.addTask { [self] in
                                try? await connection.listen(on: channel) { notifications in
                                    for try await notification in notifications {
                                        await self.deliver(notification.payload, channel: channel)
                                    }
                                }
                            }
                        }
                        // When one channel's stream ends (connection lost), end them all.
                        await group.next()
                        group.cancelAll()
                    }
                } onCancel: {
                    connection.close().whenComplete { _ in }
                }
                try? await connection.close()
                state.withLockedValue { state in
                    state.openListenConnections -= 1
                    state.listeningChannels = []
                }
            } catch {
                logger.warning("cluster LISTEN connection failed", metadata: ["error": "\(error)"])
            }
            state.withLockedValue {
                $0.connected = false
                $0.listenFailures += 1
            }
            guard !Task.isCancelled else { return }
            // Node waits 2 s ± 50 % before reconnecting.
            try? await Task.sleep(for: .milliseconds(Int.random(in: 1000...3000)))
        }
    }

    private func deliver(_ payload: String, channel: String) async {
        guard let handler = state.withLockedValue({ $0.handlers[channel] }) else { return }
        do {
            let json = try JSONValue(parsing: payload)
            guard var message = ClusterMessage(json: json) else { return }
            if message.data == nil, let attachmentID = json["attachmentId"].flatMap({ $0.stringValue ?? $0.intValue.map(String.init) }),
               let id = Int64(attachmentID) {
                guard let full = try await loadAttachment(id) else { return }
                message = full
            }
            if message.nsp.isEmpty { message.nsp = String(channel.dropFirst(options.channelPrefix.count + 1)) }
            handler(message)
        } catch {
            logger.debug("undecodable cluster notification dropped", metadata: ["error": "\(error)"])
        }
    }

    private func loadAttachment(_ id: Int64) async throws -> ClusterMessage? {
        let table = try Self.identifier(options.tableName)
        let payload: ByteBuffer? = try await queries.with { connection in
            let rows = try await connection.query("SELECT payload FROM \(unescaped: table) WHERE id = \(id)", logger: self.logger)
            for try await payload in rows.decode(ByteBuffer.self) { return payload }
            return nil
        }
        guard let payload else { return nil }
        // The envelope (message, data, packet, its data) wraps a client payload that may itself
        // nest up to the JSON limit.
        return ClusterMessage(json: try MessagePackDecoder(maxDepth: JSONValue.defaultMaxDepth + 8).decode(payload))
    }

    // MARK: Attachment table upkeep

    private func startCleanupIfNeeded() {
        let start = state.withLockedValue { state -> Bool in
            guard state.cleanupTask == nil, !state.closed else { return false }
            state.cleanupTask = Task { [self] in await cleanupForever() }
            return true
        }
        _ = start
    }

    private func cleanupForever() async {
        let table: String
        do { table = try Self.identifier(options.tableName) } catch { return }
        _ = try? await queries.with { connection in
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS \(unescaped: table) (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)",
                logger: self.logger
            )
        }
        let milliseconds = options.cleanupInterval.components.seconds * 1000
            + options.cleanupInterval.components.attoseconds / 1_000_000_000_000_000
        while !Task.isCancelled {
            try? await Task.sleep(for: options.cleanupInterval)
            guard !Task.isCancelled else { return }
            _ = try? await queries.with { connection in
                try await connection.query(
                    "DELETE FROM \(unescaped: table) WHERE created_at < now() - interval '\(unescaped: String(milliseconds)) milliseconds'",
                    logger: self.logger
                )
            }
        }
    }

    /// Table names go into SQL text, so only plain identifiers are accepted.
    static func identifier(_ name: String) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw PostgresBusError.invalidTableName(name)
        }
        return name
    }
}

/// Failures of the PostgreSQL bus.
enum PostgresBusError: Error {
    case noAttachmentID
    case invalidTableName(String)
}
