import NIOHTTP1

/// Cross-origin resource sharing, with the options and defaults of the `cors` package
/// Node's engine.io uses.
public struct CORSOptions: Sendable {
    /// Which origins are allowed.
    public enum Origin: Sendable {
        /// `Access-Control-Allow-Origin: *`.
        case any
        /// Reflect whatever `Origin` the request has (Node's `origin: true`).
        case reflect
        /// Reflect the request's origin when it is one of these.
        case list([String])
        /// Reflect the request's origin when the whole origin matches this regular expression.
        case pattern(String)
        /// Reflect the request's origin when the function says yes.
        case custom(@Sendable (_ origin: String?) async -> Bool)
    }

    /// Allowed origins; `*` by default.
    public var origin: Origin = .any
    /// Allowed methods, sent on preflight.
    public var methods: [String] = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"]
    /// Allowed request headers; `nil` reflects `Access-Control-Request-Headers`.
    public var allowedHeaders: [String]?
    /// Headers exposed to the page.
    public var exposedHeaders: [String] = []
    /// Whether `Access-Control-Allow-Credentials: true` is sent.
    public var credentials: Bool = false
    /// Preflight cache lifetime in seconds.
    public var maxAge: Int?
    /// The status of a successful preflight answer.
    public var optionsSuccessStatus: Int = 204

    /// Creates CORS options: any origin, the `cors` package's default methods.
    public init(origin: Origin = .any) { self.origin = origin }

    /// Allow every origin (reflecting it, so credentials work too).
    public static var allowAll: CORSOptions { CORSOptions(origin: .reflect) }
}
