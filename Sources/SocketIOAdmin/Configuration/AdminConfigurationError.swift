/// Why ``instrument(_:options:)`` refused its options (Node throws the same cases).
public struct AdminConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in Node's words where Node has some.
    public let description: String

    static let invalidPasswordHash = AdminConfigurationError(description: "the `password` field must be a valid bcrypt hash")
    static let invalidNamespace = AdminConfigurationError(description: "the admin namespace name must start with \"/\" and be more than \"/\"")
}
