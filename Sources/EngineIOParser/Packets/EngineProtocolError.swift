/// A packet or payload that does not follow the Engine.IO v4 wire format.
public struct EngineProtocolError: Error, Hashable, CustomStringConvertible {
    /// What was wrong with the input.
    public let reason: String

    static func invalidPacket(_ reason: String) -> EngineProtocolError { EngineProtocolError(reason: reason) }

    public var description: String { "invalid Engine.IO packet: \(reason)" }
}
