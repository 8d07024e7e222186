/// The seven Engine.IO v4 packet types, with their wire digit as raw value.
public enum EnginePacketType: UInt8, Sendable, CaseIterable {
    case open = 0x30      // "0"
    case close = 0x31     // "1"
    case ping = 0x32      // "2"
    case pong = 0x33      // "3"
    case message = 0x34   // "4"
    case upgrade = 0x35   // "5"
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
