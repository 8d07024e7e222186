/// What an admin client may do or expect, sent in the `config` event's `supportedFeatures`
/// (Node's `Feature` enum, in Node's order, plus names of ours that stock clients ignore).
public enum AdminFeature: String, Sendable, CaseIterable {
    /// The `emit` command (Node's `Feature.EMIT`).
    case emit = "EMIT"
    /// The `join` command for one socket (Node's `Feature.JOIN`).
    case join = "JOIN"
    /// The `leave` command for one socket (Node's `Feature.LEAVE`).
    case leave = "LEAVE"
    /// The `_disconnect` command for one socket (Node's `Feature.DISCONNECT`).
    case disconnect = "DISCONNECT"
    /// `join` for every socket of a namespace or room (Node's `Feature.MJOIN`).
    case mjoin = "MJOIN"
    /// `leave` for every socket of a namespace or room (Node's `Feature.MLEAVE`).
    case mleave = "MLEAVE"
    /// `_disconnect` for every socket of a namespace or room (Node's `Feature.MDISCONNECT`).
    case mdisconnect = "MDISCONNECT"
    /// `server_stats` carry `aggregatedEvents` (Node's `Feature.AGGREGATED_EVENTS`).
    case aggregatedEvents = "AGGREGATED_EVENTS"
    /// Every socket, room and event is reported (Node's `Feature.ALL_EVENTS`, development mode).
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
