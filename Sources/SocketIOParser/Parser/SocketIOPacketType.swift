/// The type of a Socket.IO packet, the first character of its text form.
///
/// Mirrors `PacketType` of `socket.io-parser` (protocol version 5).
public enum SocketIOPacketType: UInt8, Sendable, Hashable, CaseIterable {
    /// `CONNECT` (0): a client joins a namespace; the server answers with the session id.
    case connect = 0
    /// `DISCONNECT` (1): one side leaves a namespace.
    case disconnect = 1
    /// `EVENT` (2): an event name and its arguments.
    case event = 2
    /// `ACK` (3): the reply to an event that asked for one.
    case ack = 3
    /// `CONNECT_ERROR` (4): the server refuses a namespace connection.
    case connectError = 4
    /// `BINARY_EVENT` (5): an event whose arguments hold binary attachments.
    case binaryEvent = 5
    /// `BINARY_ACK` (6): an acknowledgement whose arguments hold binary attachments.
    case binaryAck = 6

    /// Whether the packet is followed by binary attachment messages.
    public var isBinary: Bool {
        switch self {
        case .binaryEvent, .binaryAck: true
        case .connect, .disconnect, .event, .ack, .connectError: false
        }
    }

    /// Whether the packet carries an event, with or without attachments.
    public var isEvent: Bool {
        switch self {
        case .event, .binaryEvent: true
        case .connect, .disconnect, .ack, .connectError, .binaryAck: false
        }
    }

    /// Whether the packet carries an acknowledgement, with or without attachments.
    public var isAck: Bool {
        switch self {
        case .ack, .binaryAck: true
        case .connect, .disconnect, .event, .connectError, .binaryEvent: false
        }
    }
}

extension SocketIOPacketType: CustomStringConvertible {
    /// The protocol's name for the type, such as `BINARY_EVENT`.
    public var description: String {
        switch self {
        case .connect: "CONNECT"
        case .disconnect: "DISCONNECT"
        case .event: "EVENT"
        case .ack: "ACK"
        case .connectError: "CONNECT_ERROR"
        case .binaryEvent: "BINARY_EVENT"
        case .binaryAck: "BINARY_ACK"
        }
    }
}
