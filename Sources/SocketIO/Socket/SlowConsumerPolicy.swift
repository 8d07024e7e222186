import EngineIO

/// How events to a client that does not keep up are shed: once its connection holds
/// `maxBufferedPackets` packets it has not taken yet (or its WebSocket pushes back), new
/// events are dropped as `volatile` ones would be, and `onDrop` is told of each loss.
struct SlowConsumerPolicy: Sendable {
    let maxBufferedPackets: Int
    /// Events never shed: the application vouches that they come at a bounded rate.
    let kept: Set<String>
    let onDrop: @Sendable () -> Void

    /// Whether event `name` for `conn` is dropped now; reports the drop. Call on the loop.
    func drops(_ name: String?, on conn: EngineSocket) -> Bool {
        if let name, kept.contains(name) { return false }
        let congested: Bool
        switch conn.transportName {
        case .polling: congested = conn.bufferedPacketCount >= maxBufferedPackets
        case .websocket: congested = conn.bufferedPacketCount >= maxBufferedPackets || (conn.bufferedPacketCount == 0 && !conn.isWritable)
        }
        if congested { onDrop() }
        return congested
    }
}

extension Socket {
    /// Bounds what waits for this client: while its connection already holds
    /// `maxBufferedPackets` packets it has not taken (a polling client that has not come
    /// back, a WebSocket whose peer reads slowly), further events to this socket are
    /// dropped like `volatile` packets and `onDrop` is called once per dropped event.
    /// Acknowledgements, control packets and the events named in `kept` are never dropped.
    /// No Node equivalent: Node buffers without limit.
    /// - Parameters:
    ///   - maxBufferedPackets: how many engine packets may wait before events are shed.
    ///   - kept: events that always go out (rare ones, such as a periodic summary).
    ///   - onDrop: called on the socket's event loop for each dropped event.
    public func shedEvents(whenBuffered maxBufferedPackets: Int, except kept: Set<String> = [], onDrop: @escaping @Sendable () -> Void) {
        let policy = SlowConsumerPolicy(maxBufferedPackets: maxBufferedPackets, kept: kept, onDrop: onDrop)
        onLoop { [self] in slowConsumerPolicy = policy }
    }
}
