/// How cluster messages travel between servers: the one seam between the cluster logic
/// and a transport (PostgreSQL LISTEN/NOTIFY, or an in-process bus in tests).
public protocol ClusterBus: Sendable {
    /// Delivers `message` to every other server listening on its namespace. Messages
    /// published by one caller arrive in the order they were published.
    /// - Throws: when the transport cannot send it now.
    func publish(_ message: ClusterMessage) async throws

    /// Starts delivering the messages of `namespace` to `handler`, including this
    /// server's own (the adapter ignores those by `uid`).
    func subscribe(namespace: String, _ handler: @escaping @Sendable (ClusterMessage) -> Void) async

    /// Stops delivering the messages of `namespace`.
    func unsubscribe(namespace: String) async
}
