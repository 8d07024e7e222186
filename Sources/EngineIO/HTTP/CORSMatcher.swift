/// An origin pattern for ``CORSOptions/Origin/pattern(_:)``.
struct CORSMatcher: Sendable {
    let pattern: String

    /// Whether the whole origin matches. `Regex` is not `Sendable`, so each check compiles
    /// its own; a pattern that does not compile allows nothing rather than everything.
    func matches(_ origin: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.wholeMatch(in: origin)) != nil
    }
}
