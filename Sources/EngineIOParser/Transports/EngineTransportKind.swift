/// The transports of Engine.IO v4, named as on the wire (`transport=polling`).
public enum EngineTransportKind: String, Sendable, CaseIterable {
    /// HTTP long-polling.
    case polling
    /// WebSocket.
    case websocket
}
