/// Why an Engine.IO client connection could not open or went wrong.
public struct EngineClientError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case invalidURL(String)
        case handshakeRefused(status: Int, body: String)
        case invalidHandshake(String)
        case transportFailed(String)
        case parseError(String)
        case timeout
        case closed
    }

    private let kind: Kind

    /// The URL is not an `http(s)`/`ws(s)` URL.
    public static func invalidURL(_ url: String) -> EngineClientError { .init(kind: .invalidURL(url)) }
    /// The server answered a request with an HTTP error (its body holds the engine's code).
    public static func handshakeRefused(status: Int, body: String) -> EngineClientError {
        .init(kind: .handshakeRefused(status: status, body: body))
    }
    /// The open packet was not the JSON the protocol prescribes.
    public static func invalidHandshake(_ detail: String) -> EngineClientError { .init(kind: .invalidHandshake(detail)) }
    /// A transport failed (connection refused or reset, an HTTP error mid-session).
    public static func transportFailed(_ detail: String) -> EngineClientError { .init(kind: .transportFailed(detail)) }
    /// The server sent something that is not Engine.IO.
    public static func parseError(_ detail: String) -> EngineClientError { .init(kind: .parseError(detail)) }
    /// The connection did not open in time.
    public static let timeout = EngineClientError(kind: .timeout)
    /// The connection was closed.
    public static let closed = EngineClientError(kind: .closed)

    /// The HTTP status of a refused request, if that is what happened.
    public var httpStatus: Int? {
        if case .handshakeRefused(let status, _) = kind { return status }
        return nil
    }

    public var description: String {
        switch kind {
        case .invalidURL(let url): "invalid URL: \(url)"
        case .handshakeRefused(let status, let body): "the server answered \(status): \(body)"
        case .invalidHandshake(let detail): "invalid open packet: \(detail)"
        case .transportFailed(let detail): "transport error: \(detail)"
        case .parseError(let detail): "parse error: \(detail)"
        case .timeout: "timeout"
        case .closed: "the connection is closed"
        }
    }
}
