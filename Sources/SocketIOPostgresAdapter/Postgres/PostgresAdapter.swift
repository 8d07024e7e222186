public import Logging
import PostgresNIO
public import SocketIO

/// The PostgreSQL adapter (Node's `@socket.io/postgres-adapter`): a ``ClusterAdapter`` on a
/// ``PostgresClusterBus`` shared by every namespace of the server.
public enum PostgresAdapter {
    /// An adapter factory for ``SocketIOServerOptions/adapter``, all namespaces sharing one bus.
    ///
    /// ```swift
    /// var options = SocketIOServerOptions()
    /// options.adapter = try PostgresAdapter.factory(url: "postgres://postgres@127.0.0.1:5432/postgres")
    /// ```
    /// - Throws: ``PostgresURLError`` for a malformed URL.
    public static func factory(
        url: String,
        options: PostgresAdapterOptions = PostgresAdapterOptions(),
        logger: Logger = Logger(label: "socket.io.postgres")
    ) throws -> @Sendable (Namespace) -> Adapter {
        let bus = PostgresClusterBus(configuration: try PostgresURL.configuration(url), options: options, logger: logger)
        return factory(bus: bus, options: options.cluster, logger: logger)
    }

    /// An adapter factory on any bus (tests use an in-process one).
    public static func factory(
        bus: any ClusterBus,
        options: ClusterAdapterOptions = ClusterAdapterOptions(),
        logger: Logger = Logger(label: "socket.io.cluster")
    ) -> @Sendable (Namespace) -> Adapter {
        { namespace in ClusterAdapter(namespace: namespace, bus: bus, options: options, logger: logger) }
    }
}
