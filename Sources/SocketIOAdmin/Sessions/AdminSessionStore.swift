/// Where the session ids of authenticated admin clients live (Node's `Store`), so that a
/// client reconnecting (or connecting to another server of the cluster, with a shared
/// store) does not send its password again.
public protocol AdminSessionStore: Sendable {
    /// Whether `sessionId` is a live session (Node's `doesSessionExist`).
    /// - Parameter sessionId: the id the client sent as `auth.sessionId`.
    /// - Returns: `true` while the session is kept.
    func doesSessionExist(_ sessionId: String) async -> Bool
    /// Keeps a new session (Node's `saveSession`).
    /// - Parameter sessionId: the id sent to the client in the `session` event.
    func saveSession(_ sessionId: String) async
}
