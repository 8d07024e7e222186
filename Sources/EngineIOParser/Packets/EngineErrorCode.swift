/// The error codes an Engine.IO server answers a refused HTTP request with, as Node's
/// `Server.errors`, with the same messages and HTTP statuses.
public enum EngineErrorCode: Int, Sendable, CaseIterable {
    /// `Transport unknown` (400): no or an unsupported `transport` parameter.
    case unknownTransport = 0
    /// `Session ID unknown` (400): the `sid` names no open session.
    case unknownSid = 1
    /// `Bad handshake method` (400): a handshake that is not a GET.
    case badHandshakeMethod = 2
    /// `Bad request` (400): a request the protocol does not allow.
    case badRequest = 3
    /// `Forbidden` (403): refused by `allowRequest` or a middleware.
    case forbidden = 4
    /// `Unsupported protocol version` (400): an `EIO` other than 4.
    case unsupportedProtocolVersion = 5

    /// The message Node sends for this code.
    public var message: String {
        switch self {
        case .unknownTransport: "Transport unknown"
        case .unknownSid: "Session ID unknown"
        case .badHandshakeMethod: "Bad handshake method"
        case .badRequest: "Bad request"
        case .forbidden: "Forbidden"
        case .unsupportedProtocolVersion: "Unsupported protocol version"
        }
    }

    /// 403 for `forbidden`, 400 for every other code.
    public var httpStatus: Int { self == .forbidden ? 403 : 400 }
}

/// Why the engine refused a request: the code, the message sent to the client, and a
/// context for `connection_error` listeners (Node's `context` object, as strings).
public struct EngineRequestError: Error, Sendable, Hashable {
    /// The protocol error code.
    public let code: EngineErrorCode
    /// The message sent to the client (the code's message unless a hook gave another).
    public let message: String
    /// Details for logs and `connection_error` listeners (for example `name`, `sid`).
    public let context: [String: String]

    /// Creates a refusal.
    /// - Parameters:
    ///   - code: the protocol error code.
    ///   - message: the message for the client; defaults to the code's message.
    ///   - context: details for `connection_error` listeners.
    public init(_ code: EngineErrorCode, message: String? = nil, context: [String: String] = [:]) {
        self.code = code
        self.message = message ?? code.message
        self.context = context
    }

    /// The JSON body Node sends: `{"code":N,"message":"…"}`.
    package var jsonBody: String {
        "{\"code\":\(code.rawValue),\"message\":\(JSONString.quote(message))}"
    }
}
