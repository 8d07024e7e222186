import NIOCore

/// The event listeners of one session. Confined to the session's event loop, so they
/// are called without any lock held.
struct EngineSocketListeners {
    var message: [@Sendable (EngineMessage) -> Void] = []
    var packet: [@Sendable (EnginePacket) -> Void] = []
    var packetCreate: [@Sendable (EnginePacket) -> Void] = []
    var upgrading: [@Sendable (EngineTransportKind) -> Void] = []
    var upgrade: [@Sendable (EngineTransportKind) -> Void] = []
    var drain: [@Sendable () -> Void] = []
    var heartbeat: [@Sendable () -> Void] = []
    var close: [@Sendable (EngineCloseReason, String?) -> Void] = []
}
