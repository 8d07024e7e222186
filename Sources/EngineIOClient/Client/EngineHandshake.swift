import Foundation
public import NIOCore

/// The data of the server's open packet.
public struct EngineHandshake: Sendable, Hashable {
    /// The session id.
    public var sid: String
    /// The transports the server lets this session upgrade to.
    public var upgrades: [String]
    /// How often the server pings.
    public var pingInterval: Duration
    /// How long the server waits for a pong.
    public var pingTimeout: Duration
    /// The largest payload the server accepts (`maxPayload`), in bytes.
    public var maxPayload: Int

    private struct Wire: Decodable {
        var sid: String
        var upgrades: [String]?
        var pingInterval: Int
        var pingTimeout: Int
        var maxPayload: Int?
    }

    /// Reads the JSON of an open packet.
    /// - Throws: ``EngineClientError`` when it is not the open packet's JSON.
    public init(json: ByteBuffer) throws {
        do {
            let wire = try JSONDecoder().decode(Wire.self, from: Data(json.readableBytesView))
            sid = wire.sid
            upgrades = wire.upgrades ?? []
            pingInterval = .milliseconds(wire.pingInterval)
            pingTimeout = .milliseconds(wire.pingTimeout)
            maxPayload = wire.maxPayload ?? 1_000_000
        } catch {
            throw EngineClientError.invalidHandshake(String(buffer: json))
        }
    }
}
