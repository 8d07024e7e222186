public import NIOCore
public import NIOHTTP1

/// An HTTP request as the engine saw it: the first request of a session (Node's
/// `socket.request`) or any request passed to middlewares and hooks.
public struct EngineRequest: Sendable {
    /// The HTTP method.
    public let method: HTTPMethod
    /// The full request target, path and query (`/engine.io/?EIO=4&transport=polling`).
    public let uri: String
    /// The request headers.
    public let headers: HTTPHeaders
    /// The peer's address, when the socket knows it.
    public let remoteAddress: SocketAddress?
    /// The local address the request arrived on.
    public let localAddress: SocketAddress?
    /// The HTTP version.
    public let version: HTTPVersion
    /// The query parameters, percent-decoded; the first value wins for repeated names.
    public let query: [String: String]
    /// Whether the connection is TLS (Node's `request.connection.encrypted`): the engine
    /// sets it when a TLS handler in front of it (NIOSSL's) reported its handshake.
    public let isSecure: Bool

    /// Creates a request description.
    /// - Parameter secure: whether the connection is TLS.
    public init(head: HTTPRequestHead, remoteAddress: SocketAddress?, localAddress: SocketAddress?, secure: Bool = false) {
        self.isSecure = secure
        self.method = head.method
        self.uri = head.uri
        self.headers = head.headers
        self.version = head.version
        self.remoteAddress = remoteAddress
        self.localAddress = localAddress
        self.query = QueryString.parse(head.uri)
    }

    /// The path without the query string.
    public var path: String {
        if let mark = uri.firstIndex(of: "?") { return String(uri[..<mark]) }
        return uri
    }

    /// The remote IP address as text, without the port (`"127.0.0.1"`).
    public var remoteIP: String? { remoteAddress?.ipAddress }
}

/// `application/x-www-form-urlencoded` query parsing, as Node's `querystring`.
enum QueryString {
    static func parse(_ uri: String) -> [String: String] {
        guard let mark = uri.firstIndex(of: "?") else { return [:] }
        var result: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            if result[name] == nil { result[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return result
    }

    /// Percent-decoding with `+` as space; malformed escapes stay as they are.
    static func decode(_ text: Substring) -> String {
        guard text.contains(where: { $0 == "%" || $0 == "+" }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                      let high = hexValue(iterator[iterator.startIndex]),
                      let low = hexValue(iterator[iterator.startIndex + 1]) {
                bytes.append(high << 4 | low)
                iterator.removeFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
