import Foundation

/// Where a client connects: scheme, host and port of an `http`, `https`, `ws` or `wss` URL,
/// plus the URL's path (which Socket.IO reads as the namespace).
public struct EngineClientURL: Sendable, Hashable {
    /// Whether to use TLS (`https`/`wss`).
    public var secure: Bool
    /// The host name or address.
    public var host: String
    /// The TCP port (80 or 443 unless the URL names one).
    public var port: Int
    /// The URL's path, `/` when it has none.
    public var pathname: String
    /// The URL's query parameters.
    public var query: [String: String]

    /// Parses `string`.
    /// - Parameter string: A URL such as `http://127.0.0.1:3000/admin`; a bare `host:port`
    ///   is read as `http`.
    /// - Throws: ``EngineClientError`` when it is not such a URL.
    public init(_ string: String) throws {
        let text = string.contains("://") ? string : "http://" + string
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw EngineClientError.invalidURL(string)
        }
        switch scheme {
        case "http", "ws": secure = false
        case "https", "wss": secure = true
        default: throw EngineClientError.invalidURL(string)
        }
        self.host = host
        self.port = components.port ?? (secure ? 443 : 80)
        self.pathname = components.path.isEmpty ? "/" : components.path
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        self.query = query
    }

    /// The value of a `Host` header for this URL.
    var hostHeader: String {
        let defaultPort = secure ? 443 : 80
        let name = host.contains(":") ? "[\(host)]" : host
        return port == defaultPort ? name : "\(name):\(port)"
    }

    /// The `scheme://host:port` part, which identifies a server for multiplexing.
    public var origin: String { "\(secure ? "https" : "http")://\(hostHeader)" }
}

/// Percent-encodes a query component as `encodeURIComponent` does.
func percentEncoded(_ string: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-_.!~*'()")
    return string.addingPercentEncoding(withAllowedCharacters: allowed) ?? string
}
