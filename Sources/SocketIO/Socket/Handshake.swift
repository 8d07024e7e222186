import Foundation
import NIOHTTP1

/// The details of a socket's connection (Node's `socket.handshake`).
public struct Handshake: Sendable, Hashable {
    /// The request headers as Node's `IncomingMessage.headers`: names in lower case; a
    /// repeated header joined with `, ` (`cookie` with `; `), except singletons such as
    /// `host`, `authorization` or `user-agent`, which keep their first value. Node's
    /// `set-cookie` array is joined with `, ` here.
    public var headers: [String: String]
    /// The creation date, as JavaScript's `Date.toString()` would print it.
    public var time: String
    /// The client's IP address.
    public var address: String
    /// Whether the request was cross-domain (it had an `Origin` header).
    public var xdomain: Bool
    /// Whether the connection was over TLS (Node's `secure`: the connection's own TLS, not
    /// an `X-Forwarded-Proto` header from a proxy).
    public var secure: Bool
    /// The creation date in milliseconds since 1970.
    public var issued: Int64
    /// The request URL of the first request.
    public var url: String
    /// The query parameters of the first request, in Node's `querystring` shape: a
    /// ``QueryValue/single(_:)`` string for a name sent once, ``QueryValue/multiple(_:)``
    /// with every value in order for a repeated one. `EIO` and `transport` included.
    public var query: [String: QueryValue]
    /// The `auth` object of the CONNECT packet.
    public var auth: JSONObject

    /// Creates a handshake from its parts.
    public init(headers: [String: String], time: String, address: String, xdomain: Bool, secure: Bool,
                issued: Int64, url: String, query: [String: QueryValue], auth: JSONObject) {
        self.headers = headers
        self.time = time
        self.address = address
        self.xdomain = xdomain
        self.secure = secure
        self.issued = issued
        self.url = url
        self.query = query
        self.auth = auth
    }

    init(request: EngineRequest, auth: JSONObject, now: Date = Date()) {
        self.init(
            headers: Self.nodeHeaders(request.headers),
            time: Self.javaScriptDateString(now),
            address: request.remoteIP ?? "",
            xdomain: request.headers.first(name: "origin") != nil,
            secure: request.isSecure,
            issued: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)),
            url: request.uri,
            query: request.queryValues,
            auth: auth
        )
    }

    /// The handshake as JSON, in the shape Node serializes it (used by `fetchSockets`
    /// across a cluster and by monitors).
    public var json: JSONValue {
        var headerObject = JSONObject()
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { headerObject[name] = .string(value) }
        var queryObject = JSONObject()
        for (name, value) in query.sorted(by: { $0.key < $1.key }) { queryObject[name] = value.json }
        let object: JSONObject = [
            "headers": .object(headerObject), "time": .string(time), "address": .string(address),
            "xdomain": .bool(xdomain), "secure": .bool(secure), "issued": .int(issued),
            "url": .string(url), "query": .object(queryObject), "auth": .object(auth),
        ]
        return .object(object)
    }

    /// Reads a handshake back from ``json``; missing fields get empty values.
    ///
    /// A query entry may be a string or an array of strings (a repeated name); a header may
    /// be an array too (Node's `set-cookie`), read back joined with `, `. Any other value is
    /// kept as its JSON text rather than dropped.
    public init(json: JSONValue) {
        func headers(_ value: JSONValue?) -> [String: String] {
            var result: [String: String] = [:]
            for (key, value) in value?.objectValue ?? JSONObject() {
                result[key] = QueryValue(json: value).map { $0.values.joined(separator: ", ") } ?? "\(value)"
            }
            return result
        }
        func query(_ value: JSONValue?) -> [String: QueryValue] {
            var result: [String: QueryValue] = [:]
            for (key, value) in value?.objectValue ?? JSONObject() { result[key] = QueryValue(json: value) ?? .single("\(value)") }
            return result
        }
        self.init(
            headers: headers(json["headers"]), time: json["time"]?.stringValue ?? "",
            address: json["address"]?.stringValue ?? "", xdomain: json["xdomain"]?.boolValue ?? false,
            secure: json["secure"]?.boolValue ?? false, issued: json["issued"]?.intValue ?? 0,
            url: json["url"]?.stringValue ?? "", query: query(json["query"]),
            auth: json["auth"]?.objectValue ?? JSONObject()
        )
    }

    private static func javaScriptDateString(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'"
        return formatter.string(from: date)
    }
}
