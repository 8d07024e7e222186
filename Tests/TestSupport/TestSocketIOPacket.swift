/// One Socket.IO packet as the test client sees it on the wire: the header parsed, the JSON
/// payload kept as the text the server wrote, and binary attachments as raw bytes.
///
/// Keeping the payload as text keeps this layer free of any JSON model, so the tests decide
/// how to read it (the SocketIO tests parse it into `JSONValue`).
struct TestSocketIOPacket: Sendable, Hashable, CustomStringConvertible {
    /// The packet types of the Socket.IO v5 protocol, with their wire digit.
    enum Kind: Int, Sendable, Hashable {
        case connect = 0
        case disconnect = 1
        case event = 2
        case ack = 3
        case connectError = 4
        case binaryEvent = 5
        case binaryAck = 6

        /// Whether packets of this type announce binary attachments (`51-…`).
        var isBinary: Bool { self == .binaryEvent || self == .binaryAck }
        /// Whether this is an event, with or without attachments.
        var isEvent: Bool { self == .event || self == .binaryEvent }
        /// Whether this is an acknowledgement, with or without attachments.
        var isAck: Bool { self == .ack || self == .binaryAck }
    }

    var kind: Kind
    /// The namespace, `/` when the packet names none.
    var namespace: String
    /// The acknowledgement id, when the packet carries one.
    var ackID: UInt64?
    /// The JSON payload exactly as it was written; empty when there is none.
    var payload: String
    /// The binary attachments, in placeholder order.
    var attachments: [[UInt8]]

    init(kind: Kind, namespace: String = "/", ackID: UInt64? = nil, payload: String = "", attachments: [[UInt8]] = []) {
        self.kind = kind
        self.namespace = namespace
        self.ackID = ackID
        self.payload = payload
        self.attachments = attachments
    }

    /// The Engine.IO message text of this packet (without the engine's leading `4`).
    /// Attachments are sent separately, as binary messages, right after it.
    var encodedText: String {
        var text = String(self.kind.rawValue)
        if self.kind.isBinary {
            text += "\(self.attachments.count)-"
        }
        if self.namespace != "/" {
            text += self.namespace + ","
        }
        if let ackID = self.ackID {
            text += String(ackID)
        }
        return text + self.payload
    }

    var description: String {
        let suffix = self.attachments.isEmpty ? "" : " + \(self.attachments.count) attachment(s)"
        return self.encodedText + suffix
    }

    /// Parses the header of a Socket.IO packet the way the official parser does.
    ///
    /// - Parameter text: The Engine.IO message text, without the engine's leading `4`.
    /// - Returns: The packet (attachments still empty) and the number of attachments that
    ///   follow it, or nil when the header is not valid.
    static func parseHeader(_ text: String) -> (packet: TestSocketIOPacket, expectedAttachments: Int)? {
        let characters = Array(text)
        var index = 0
        guard let first = characters.first, let digit = first.wholeNumberValue, let kind = Kind(rawValue: digit) else {
            return nil
        }
        index = 1

        var expectedAttachments = 0
        if kind.isBinary {
            var digits = ""
            while index < characters.count, characters[index] != "-" {
                digits.append(characters[index])
                index += 1
            }
            guard index < characters.count, let count = Int(digits) else { return nil }
            expectedAttachments = count
            index += 1  // the "-"
        }

        var namespace = "/"
        if index < characters.count, characters[index] == "/" {
            let start = index
            while index < characters.count, characters[index] != "," {
                index += 1
            }
            namespace = String(characters[start..<index])
            if index < characters.count { index += 1 }  // the ","
        }

        var ackID: UInt64?
        var digits = ""
        while index < characters.count, characters[index].isASCII, characters[index].isNumber {
            digits.append(characters[index])
            index += 1
        }
        if !digits.isEmpty {
            guard let id = UInt64(digits) else { return nil }
            ackID = id
        }

        let packet = TestSocketIOPacket(
            kind: kind,
            namespace: namespace,
            ackID: ackID,
            payload: String(characters[index...])
        )
        return (packet, expectedAttachments)
    }

    /// `string` as a JSON string literal, for building payloads by hand.
    static func jsonQuoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
