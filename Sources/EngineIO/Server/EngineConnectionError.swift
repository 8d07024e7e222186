/// A refused request, as Node's `connection_error` event describes it.
public struct EngineConnectionError: Sendable {
    /// The request that was refused.
    public let request: EngineRequest
    /// The protocol error code.
    public let code: EngineErrorCode
    /// The message sent to the client.
    public let message: String
    /// Details (`name`, `sid`, `transport`…).
    public let context: [String: String]
}
