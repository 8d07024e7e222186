/// Where the console's model comes from: the hooks of a server in the same process
/// (``Monitor``), or the Admin UI protocol of a server anywhere (`sioconsole attach`). The
/// console drains a feed into its ``MonitorState`` on every tick and never asks which kind
/// it has; the screens are the same.
public protocol MonitorFeed: AnyObject, Sendable {
    /// Limits of the model the feed fills.
    var configuration: MonitorConfiguration { get }
    /// When the watched server (or, when that is unknown, the feed) started, in
    /// nanoseconds since 1970: the header's uptime.
    var startedAt: Int64 { get }
    /// Engine connections open on the watched server (all its nodes), as last known.
    var engineClientCount: Int { get }
    /// Starts recording (installs hooks, or connects). Calling it again does nothing.
    func start()
    /// Stops recording (and disconnects a remote feed).
    func stop()
    /// Moves everything recorded since the last call into `state`.
    ///
    /// - Parameter state: The model, owned by the caller's thread.
    /// - Returns: Whether anything changed.
    @discardableResult
    func drain(into state: inout MonitorState) -> Bool
}

/// Carries out the operator's acting commands (join, leave, kick, kick!, emit) on the
/// watched server: through its API in the same process (``ActionExecutor``), or through
/// the Admin UI protocol's commands.
public protocol ConsoleActions: Sendable {
    /// Whether every acting command is refused.
    var readOnly: Bool { get }
    /// Carries out an acting command.
    ///
    /// - Parameters:
    ///   - command: `join`, `leave`, `kick` or `emit` (others are refused: the caller handles them).
    ///   - selection: What the command acts on when it names no target.
    ///   - state: The current tables (to find sockets, rooms and namespaces).
    /// - Returns: What happened.
    func perform(_ command: ConsoleCommand, selection: Selection, state: MonitorState) -> ActionOutcome
}
