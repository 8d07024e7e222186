package import EngineIOParser

/// The transports a test runs over: polling alone, WebSocket alone, and polling upgraded
/// to WebSocket (the default).
package enum TransportMode: String, CaseIterable, Sendable {
    case polling, websocket, upgrade

    package var transports: [EngineTransportKind] {
        switch self {
        case .polling: [.polling]
        case .websocket: [.websocket]
        case .upgrade: [.polling, .websocket]
        }
    }
}
