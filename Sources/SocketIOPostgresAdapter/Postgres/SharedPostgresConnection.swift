import Logging
import NIOConcurrencyHelpers
import PostgresNIO

/// One query connection, opened on first use and shared by concurrent callers (every
/// namespace's publisher, attachment reads, the admin session store). A caller never
/// closes a connection that others may be using: a connection found closed is forgotten
/// and the next call opens a new one.
final class SharedPostgresConnection: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let id: Int
    private let logger: Logger
    /// Runs once on each new connection before it is shared (creating a table, say).
    private let prepare: @Sendable (PostgresConnection) async throws -> Void
    private let stored = NIOLockedValueBox<PostgresConnection?>(nil)

    init(configuration: PostgresConnection.Configuration, id: Int, logger: Logger,
         prepare: @escaping @Sendable (PostgresConnection) async throws -> Void = { _ in }) {
        self.configuration = configuration
        self.id = id
        self.logger = logger
        self.prepare = prepare
    }

    /// Runs `body` on the shared connection, connecting first when there is none.
    /// - Throws: what connecting or `body` throws.
    func with<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection: PostgresConnection
        if let existing = stored.withLockedValue({ $0 }), !existing.isClosed {
            connection = existing
        } else {
            let fresh = try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
            do {
                try await prepare(fresh)
            } catch {
                // (Two servers creating one table at once can fail here; the next call retries.)
                try? await fresh.close()
                throw error
            }
            // Callers that found no connection connect at the same time: the first to get here
            // installs its connection, the others use it and close their own.
            let (chosen, extra) = stored.withLockedValue { current -> (PostgresConnection, PostgresConnection?) in
                if let other = current, !other.isClosed { return (other, fresh) }
                current = fresh
                return (fresh, nil)
            }
            try? await extra?.close()
            connection = chosen
        }
        do {
            return try await body(connection)
        } catch {
            if connection.isClosed {
                stored.withLockedValue { if $0 === connection { $0 = nil } }
            }
            throw error
        }
    }

    /// Closes the connection; a later call opens a new one.
    func close() async {
        let current = stored.withLockedValue { current in
            defer { current = nil }
            return current
        }
        try? await current?.close()
    }
}
