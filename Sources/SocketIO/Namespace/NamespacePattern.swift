/// A compiled namespace pattern for ``SocketIOServer/of(pattern:)``, tested like Node's
/// `regex.test(name)`: a match anywhere in the name counts.
struct NamespacePattern: Sendable {
    private let source: String

    /// Compiles `pattern`, so an invalid one fails at registration.
    /// - Throws: the `Regex` compile error.
    init(_ pattern: String) throws {
        _ = try Regex(pattern)
        source = pattern
    }

    /// Whether the pattern matches any part of `name`.
    func matches(_ name: String) -> Bool {
        // `Regex<AnyRegexOutput>` is not `Sendable`; compiling again per test keeps the
        // matcher `Sendable`, and dynamic namespaces are matched once per new name.
        guard let regex = try? Regex(source) else { return false }
        return (try? regex.firstMatch(in: name)) != nil
    }
}
