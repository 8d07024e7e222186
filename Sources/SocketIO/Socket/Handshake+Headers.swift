import NIOHTTP1

extension Handshake {
    /// Headers whose repeats Node drops, keeping the first (`IncomingMessage.headers`): a
    /// second `Host` or `Authorization` is not a list, and joining it would hand the
    /// application a value no client meant.
    static let singletonHeaders: Set<String> = [
        "age", "authorization", "content-length", "content-type", "etag", "expires", "from",
        "host", "if-modified-since", "if-unmodified-since", "last-modified", "location",
        "max-forwards", "proxy-authorization", "referer", "retry-after", "server", "user-agent",
    ]

    /// The request's headers as Node's `IncomingMessage.headers` shows them: names in lower
    /// case, each value as sent; a repeated name keeps its first value if it is a singleton,
    /// joins with `; ` if it is `cookie` (cookie pairs stay one cookie string) and with `, `
    /// otherwise. `set-cookie`, an array in Node, is joined with `, ` here, as a porter sees
    /// in the README: `headers` keeps one string per name.
    ///
    /// - Parameter headers: The request's headers, in the order received.
    /// - Returns: One value per lower-cased name.
    static func nodeHeaders(_ headers: HTTPHeaders) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            guard let previous = result[key] else {
                result[key] = value
                continue
            }
            if singletonHeaders.contains(key) { continue }
            result[key] = previous + (key == "cookie" ? "; " : ", ") + value
        }
        return result
    }
}
