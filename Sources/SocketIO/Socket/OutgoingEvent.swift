/// An outgoing event as `onAnyOutgoing` listeners see it: its name and arguments.
///
/// A broadcast builds it once and shares it with every target, so watching outgoing
/// traffic (the console does) costs no allocation per delivered packet.
struct OutgoingEvent: Sendable {
    let name: String
    let arguments: [JSONValue]

    /// The event carried by `packet`, or `nil` when it is not an event.
    init?(_ packet: SocketIOPacket) {
        guard let name = packet.eventName else { return nil }
        self.name = name
        self.arguments = Array(packet.arguments)
    }
}
