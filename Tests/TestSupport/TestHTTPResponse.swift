/// A complete HTTP response as the test client received it: nothing decoded beyond the
/// HTTP framing, so `Content-Encoding` and friends are left for the test to check.
struct TestHTTPResponse: Sendable {
    /// The status code, such as 200 or 400.
    let status: Int
    /// Header fields in the order the server sent them, names as sent.
    let headers: [(String, String)]
    /// The body with chunked framing removed, but otherwise as it came off the wire.
    let body: [UInt8]

    /// The body read as UTF-8, with invalid bytes replaced rather than failing the test early.
    var text: String {
        String(decoding: self.body, as: UTF8.self)
    }

    /// The first value of the header `name`, matched case-insensitively as HTTP requires.
    func header(_ name: String) -> String? {
        self.headerValues(name).first
    }

    /// Every value of the header `name` in order, for fields the server may repeat (`Set-Cookie`).
    func headerValues(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return self.headers.filter { $0.0.lowercased() == wanted }.map(\.1)
    }
}
