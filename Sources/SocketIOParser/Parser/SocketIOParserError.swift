/// A Socket.IO packet that cannot be encoded or decoded.
///
/// The server answers a decoding failure by closing the client's connection with the
/// disconnect reason `parse error`, as Node does. Match on ``code``.
public struct SocketIOParserError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case emptyPacket
            case unknownPacketType
            case invalidAttachmentCount
            case tooManyAttachments
            case invalidNamespace
            case invalidAckId
            case invalidJSON
            case invalidPayload
            case reservedEventName
            case invalidPlaceholder
            case unexpectedBinaryMessage
            case unexpectedTextMessage
            case binaryNotAllowed
            case textMessageNotAllowed
            case invalidMessagePack
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A text message with no bytes.
        public static let emptyPacket = Code(.emptyPacket)
        /// A first character other than `0`…`6`; with msgpack, a `type` that is not an integer 0…4.
        public static let unknownPacketType = Code(.unknownPacketType)
        /// A binary packet whose `<count>-` prefix is missing, not decimal, or zero.
        public static let invalidAttachmentCount = Code(.invalidAttachmentCount)
        /// More binary attachments than the decoder's limit.
        public static let tooManyAttachments = Code(.tooManyAttachments)
        /// A namespace that is not valid UTF-8 (with msgpack, not a string), or (when encoding)
        /// does not start with `/` or (in the text format) contains a `,`.
        public static let invalidNamespace = Code(.invalidNamespace)
        /// An ack id longer than 15 digits, missing where required, or present where not allowed.
        public static let invalidAckId = Code(.invalidAckId)
        /// A payload that is not well-formed JSON, or nests deeper than the limit.
        public static let invalidJSON = Code(.invalidJSON)
        /// A payload whose shape the packet type does not allow.
        public static let invalidPayload = Code(.invalidPayload)
        /// An event named like one of ``SocketIOPacket/reservedEventNames``.
        public static let reservedEventName = Code(.reservedEventName)
        /// A `{"_placeholder":true}` object whose `num` is not an attachment index.
        public static let invalidPlaceholder = Code(.invalidPlaceholder)
        /// A binary message while no binary packet awaits attachments.
        public static let unexpectedBinaryMessage = Code(.unexpectedBinaryMessage)
        /// A text message while a binary packet still awaits attachments.
        public static let unexpectedTextMessage = Code(.unexpectedTextMessage)
        /// Binary values in a packet type that cannot carry attachments.
        public static let binaryNotAllowed = Code(.binaryNotAllowed)
        /// A text message where the parser reads binary messages only (msgpack).
        public static let textMessageNotAllowed = Code(.textMessageNotAllowed)
        /// A binary message that is not one well-formed MessagePack value (msgpack).
        public static let invalidMessagePack = Code(.invalidMessagePack)

        /// A short English description of the code.
        public var description: String {
            switch self.base {
            case .emptyPacket: "empty packet"
            case .unknownPacketType: "unknown packet type"
            case .invalidAttachmentCount: "invalid attachment count"
            case .tooManyAttachments: "too many attachments"
            case .invalidNamespace: "invalid namespace"
            case .invalidAckId: "invalid ack id"
            case .invalidJSON: "invalid JSON payload"
            case .invalidPayload: "invalid payload"
            case .reservedEventName: "reserved event name"
            case .invalidPlaceholder: "invalid attachment placeholder"
            case .unexpectedBinaryMessage: "binary message without a pending binary packet"
            case .unexpectedTextMessage: "text message while awaiting binary attachments"
            case .binaryNotAllowed: "binary data not allowed in this packet type"
            case .textMessageNotAllowed: "text message, but this parser reads binary messages only"
            case .invalidMessagePack: "invalid MessagePack"
            }
        }
    }

    /// What went wrong.
    public let code: Code
    /// The byte offset in the message where the problem was found, when known.
    public let offset: Int?
    /// Details for people reading logs.
    public let detail: String?

    package init(_ code: Code, at offset: Int? = nil, _ detail: String? = nil) {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    /// A readable account of the error.
    public var description: String {
        var text = "Socket.IO parser error: \(self.code)"
        if let offset {
            text += " at byte \(offset)"
        }
        if let detail {
            text += " (\(detail))"
        }
        return text
    }
}
