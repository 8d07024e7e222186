/// What an admin client may do or expect, sent in the `config` event's `supportedFeatures`
/// (Node's `Feature` enum, in Node's order, plus names of ours that stock clients ignore).
public enum AdminFeature: String, Sendable, CaseIterable {
    case emit = "EMIT"
    case join = "JOIN"
    case leave = "LEAVE"
    case disconnect = "DISCONNECT"
    case mjoin = "MJOIN"
    case mleave = "MLEAVE"
    case mdisconnect = "MDISCONNECT"
    case aggregatedEvents = "AGGREGATED_EVENTS"
    case allEvents = "ALL_EVENTS"
    /// Ours: an `emit` sent with an acknowledgement is acknowledged with
    /// `[error or null, [reply, …]]` once every targeted client answered or
    /// ``AdminOptions/emitAckTimeout`` passed.
    case emitWithAck = "EMIT_WITH_ACK"

    /// The features a server with these options advertises, in Node's order.
    static func advertised(readonly: Bool, mode: AdminMode) -> [AdminFeature] {
        var features: [AdminFeature] = readonly ? [] : [.emit, .join, .leave, .disconnect, .mjoin, .mleave, .mdisconnect]
        features.append(.aggregatedEvents)
        if mode == .development { features.append(.allEvents) }
        if !readonly { features.append(.emitWithAck) }
        return features
    }
}
