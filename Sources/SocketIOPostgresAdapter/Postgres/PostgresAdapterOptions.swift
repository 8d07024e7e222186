/// The options of the PostgreSQL adapter, named and defaulted as Node's
/// `@socket.io/postgres-adapter`.
public struct PostgresAdapterOptions: Sendable {
    /// The prefix of the notification channels: one channel per namespace,
    /// `<channelPrefix>#<namespace>`.
    public var channelPrefix = "socket.io"
    /// The table for payloads over `payloadThreshold` or with binary data.
    public var tableName = "socket_io_attachments"
    /// JSON payloads this large or larger (in bytes) go through the table: NOTIFY takes at
    /// most 8000 bytes.
    public var payloadThreshold = 8000
    /// How often old attachment rows are deleted, and how old they must be.
    public var cleanupInterval: Duration = .seconds(30)
    /// The cluster protocol's timing.
    public var cluster = ClusterAdapterOptions()

    /// Creates options with Node's defaults.
    public init() {}
}
