public import Logging
import PostgresNIO
public import SocketIOAdmin

/// Admin UI sessions kept in PostgreSQL, so that an admin client that logged in on one
/// server of a cluster can reconnect to any other with its session id (Node needs its
/// Redis store for that). Sessions last `sessionDuration` (24 h, as Node's `RedisStore`);
/// the table is created on first use and expired rows are deleted as new ones are saved.
///
/// A database that cannot be reached makes `doesSessionExist` answer `false` (the admin
/// client then logs in with its password again) and `saveSession` log the failure.
public final class PostgresAdminSessionStore: AdminSessionStore {
    private let table: String
    private let sessionSeconds: Double
    private let logger: Logger
    private let connection: SharedPostgresConnection

    /// Creates a store on the database at `url`.
    /// - Parameters:
    ///   - url: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, as the adapter takes.
    ///   - tableName: the sessions table (a plain identifier).
    ///   - sessionDuration: how long a saved session stays valid.
    ///   - logger: where failures are reported.
    /// - Throws: ``PostgresURLError`` for a malformed URL, or an error for a table name
    ///   that is not a plain identifier.
    public init(
        url: String,
        tableName: String = "socket_io_admin_sessions",
        sessionDuration: Duration = .seconds(86_400),
        logger: Logger = Logger(label: "socket.io-admin.postgres")
    ) throws {
        let table = try PostgresClusterBus.identifier(tableName)
        self.table = table
        let parts = sessionDuration.components
        sessionSeconds = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        self.logger = logger
        // The table is made on each new connection, so a store works on a fresh database.
        connection = SharedPostgresConnection(configuration: try PostgresURL.configuration(url), id: 2, logger: logger) { connection in
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS \(unescaped: table) (id text PRIMARY KEY, expires_at timestamptz NOT NULL)",
                logger: logger
            )
        }
    }

    /// Whether `sessionId` was saved, by any server on this database, and has not expired.
    public func doesSessionExist(_ sessionId: String) async -> Bool {
        do {
            return try await connection.with { connection in
                let rows = try await connection.query(
                    "SELECT 1 FROM \(unescaped: table) WHERE id = \(sessionId) AND expires_at > now()", logger: logger
                )
                for try await _ in rows.decode(Int32.self) { return true }
                return false
            }
        } catch {
            logger.warning("admin session lookup failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Keeps `sessionId` for the session duration, and forgets the sessions that expired.
    public func saveSession(_ sessionId: String) async {
        do {
            try await connection.with { connection in
                try await connection.query(
                    """
                    INSERT INTO \(unescaped: table) (id, expires_at) VALUES (\(sessionId), now() + make_interval(secs => \(sessionSeconds)))
                    ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at
                    """,
                    logger: logger
                )
                try await connection.query("DELETE FROM \(unescaped: table) WHERE expires_at <= now()", logger: logger)
            }
        } catch {
            logger.warning("admin session not saved", metadata: ["error": "\(error)"])
        }
    }

    /// Closes the database connection (a later call opens a new one).
    public func close() async {
        await connection.close()
    }
}
