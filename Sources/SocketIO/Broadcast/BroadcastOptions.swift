/// What a broadcast targets and how (Node's `BroadcastOptions`): the adapter receives it
/// with every broadcast and cluster request.
public struct BroadcastOptions: Sendable, Hashable {
    /// Rooms whose members receive the packet; empty means every socket of the namespace.
    public var rooms: Set<String> = []
    /// Rooms (or socket ids) whose members are left out.
    public var except: Set<String> = []
    /// The flags.
    public var flags = BroadcastFlags()

    /// Creates options.
    public init(rooms: Set<String> = [], except: Set<String> = [], flags: BroadcastFlags = BroadcastFlags()) {
        self.rooms = rooms
        self.except = except
        self.flags = flags
    }
}

/// Broadcast modifiers (Node's `BroadcastFlags`).
public struct BroadcastFlags: Sendable, Hashable {
    /// Drop the packet for clients that cannot take it right now.
    public var volatile = false
    /// Whether to compress; accepted for parity, without effect (see the README).
    public var compress = true
    /// Only this server, not the rest of the cluster.
    public var local = false
    /// How long to wait for acknowledgements.
    public var timeout: Duration?
    /// Set by the server when the emitting socket should be left out.
    public var broadcast = false

    /// Creates default flags.
    public init() {}
}
