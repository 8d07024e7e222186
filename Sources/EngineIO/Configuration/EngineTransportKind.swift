/// The transports an Engine.IO v4 server offers.
public enum EngineTransportKind: String, Sendable, CaseIterable {
    /// HTTP long-polling.
    case polling
    /// WebSocket.
    case websocket
}
