/// Why a ``TestSocketIOClient`` call failed, beyond a plain timeout (which is
/// ``TestClientError/timeout``, as for the other test clients).
enum TestSocketIOClientError: Error, Equatable {
    /// The connection ended before the awaited packet; `code` is the WebSocket close code, if any.
    case closed(code: UInt16?)
    /// Something arrived that the call did not expect: a different packet, or a message that
    /// is not valid Engine.IO / Socket.IO. Carries a readable description of it.
    case unexpected(String)
    /// The server's Engine.IO open packet was missing or malformed.
    case badHandshake(String)
}

/// The server refused a namespace: its CONNECT_ERROR packet, as the client received it.
struct TestSocketIOConnectError: Error, Equatable {
    /// The namespace that was refused.
    let namespace: String
    /// The packet's JSON payload, exactly as written (`{"message":…,"data":…}`).
    let payload: String
}
