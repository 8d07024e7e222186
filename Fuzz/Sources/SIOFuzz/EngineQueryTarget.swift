import NIOCore
@testable import EngineIO

/// The engine's query string parsing, a pure function of the request line (what `EIO`,
/// `transport`, `sid` and `handshake.query` come from). The CORS origin check is fuzzed
/// through engine-http: here it would mostly measure the standard library's `Regex`.
enum EngineQueryTarget {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let uri = String(decoding: bytes, as: UTF8.self)
        let first = QueryString.parse(uri)
        let all = QueryString.parseValues(uri)
        // Both views come from the same pairs: the single value is the first of the list.
        require(first.count == all.count, "parse and parseValues disagree on the names")
        for (name, value) in first {
            require(all[name]?.first == value, "parse is not the first of parseValues")
        }
    }
}
