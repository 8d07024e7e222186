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
/// The LISTEN connection (`PostgresListenLoop`) reconnects with jittered backoff when
/// PostgreSQL goes away; meanwhile publishing fails fast (and is counted) and local delivery
/// is unaffected.
public final class PostgresClusterBus: ClusterBus, @unchecked Sendable {
    private let configuration: PostgresConnection.Configuration
    private let options: PostgresAdapterOptions
    private let logger: Logger

    private struct State {
        var handlers: [String: @Sendable (ClusterMessage) -> Void] = [:]
        var cleanupTask: Task<Void, Never>?
        var closed = false
    }
    private let state = NIOLockedValueBox(State())
    private let listenLoop: PostgresListenLoop
    private let queries: SharedPostgresConnection

    /// Creates a bus; it connects on the first subscription.
    public init(configuration: PostgresConnection.Configuration, options: PostgresAdapterOptions = PostgresAdapterOptions(),
                logger: Logger = Logger(label: "socket.io.postgres")) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        queries = SharedPostgresConnection(configuration: configuration, id: 1, logger: logger)
        let state = self.state
        // The loop holds the bus weakly: a bus nobody holds any more stops delivering.
        let reference = WeakBusReference()
        listenLoop = PostgresListenLoop(
            configuration: configuration, logger: logger,
            subscribed: { state.withLockedValue { Set($0.handlers.keys) } },
            deliver: { payload, channel in await reference.bus?.deliver(payload, channel: channel) }
        )
        reference.bus = self
    }

    /// Whether the LISTEN connection is up now.
    public var isListening: Bool { listenLoop.isConnected }
    /// How many times the LISTEN connection failed or dropped.
    public var listenFailures: Int { listenLoop.failures }
    /// The channels PostgreSQL has confirmed LISTEN on for the open connection (empty while it is down).
    var listeningChannels: Set<String> { listenLoop.listeningChannels }
    /// The most LISTEN connections this bus ever had open at once: more than 1 is a bug.
    var mostListenConnectionsAtOnce: Int { listenLoop.mostConnectionsAtOnce }

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
        let open = state.withLockedValue { state -> Bool in
            guard !state.closed else { return false }
            state.handlers[channel(namespace)] = handler
            return true
        }
        guard open else { return }
        startCleanupIfNeeded()
        listenLoop.listen(channel(namespace))
    }

    public func unsubscribe(namespace: String) async {
        let remaining = state.withLockedValue { state -> Int in
            state.handlers[channel(namespace)] = nil
            return state.handlers.count
        }
        if remaining == 0 {
            await close()
        } else {
            listenLoop.unlisten(channel(namespace))
        }
    }

    /// Stops listening and closes the connections.
    public func close() async {
        let cleanup = state.withLockedValue { state in
            state.closed = true
            defer { state.cleanupTask = nil }
            return state.cleanupTask
        }
        cleanup?.cancel()
        await listenLoop.stop()
        await queries.close()
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

/// A bus, held weakly, for the closures of its LISTEN loop.
private final class WeakBusReference: Sendable {
    private struct Weak { weak var bus: PostgresClusterBus? }
    private let box = NIOLockedValueBox(Weak())
    var bus: PostgresClusterBus? {
        get { box.withLockedValue { $0.bus } }
        set { box.withLockedValue { $0.bus = newValue } }
    }
}

/// Failures of the PostgreSQL bus.
enum PostgresBusError: Error {
    case noAttachmentID
    case invalidTableName(String)
}
