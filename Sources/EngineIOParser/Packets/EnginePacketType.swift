/// The seven Engine.IO v4 packet types, with their wire digit as raw value.
public enum EnginePacketType: UInt8, Sendable, CaseIterable {
    /// The server's handshake: the session id and timings as JSON.
    case open = 0x30      // "0"
    /// Ends the session.
    case close = 0x31     // "1"
    /// The heartbeat the server sends (and the upgrade probe, with data `probe`).
    case ping = 0x32      // "2"
    /// The answer to a ping.
    case pong = 0x33      // "3"
    /// Data for the layer above: a text or binary message.
    case message = 0x34   // "4"
    /// Sent by the client on the new transport once the probe succeeded.
    case upgrade = 0x35   // "5"
    /// Does nothing: ends a pending long-poll during an upgrade.
    case noop = 0x36      // "6"

    /// The packet type's name as Node's engine.io spells it (`"message"`, `"ping"`, …).
    public var name: String {
        switch self {
        case .open: "open"
        case .close: "close"
        case .ping: "ping"
        case .pong: "pong"
        case .message: "message"
        case .upgrade: "upgrade"
        case .noop: "noop"
        }
    }
}
