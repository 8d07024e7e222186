import EngineIO

/// How events to a client that does not keep up are shed: once its connection holds
/// `maxBufferedPackets` packets it has not taken yet (or its WebSocket pushes back), new
/// events are dropped as `volatile` ones would be, and `onDrop` is told of each loss.
struct SlowConsumerPolicy: Sendable {
    let maxBufferedPackets: Int
    let onDrop: @Sendable () -> Void

    /// Whether an event for `conn` is dropped now; reports the drop. Call on the loop.
    func drops(_ conn: EngineSocket) -> Bool {
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
    /// Acknowledgements and control packets are never dropped. No Node equivalent: Node
    /// buffers without limit.
    /// - Parameters:
    ///   - maxBufferedPackets: how many engine packets may wait before events are shed.
    ///   - onDrop: called on the socket's event loop for each dropped event.
    public func shedEvents(whenBuffered maxBufferedPackets: Int, onDrop: @escaping @Sendable () -> Void) {
        let policy = SlowConsumerPolicy(maxBufferedPackets: maxBufferedPackets, onDrop: onDrop)
        onLoop { [self] in slowConsumerPolicy = policy }
    }
}
