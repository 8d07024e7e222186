import NIOCore

extension JSONValue {
    /// Replaces attachment placeholders by the attachments they name, in place.
    ///
    /// Follows `reconstructPacket` of `socket.io-parser`: any object whose `_placeholder`
    /// member is `true` is a placeholder, whatever other members it has, and its `num`
    /// must be an integer index into `attachments` or the packet is refused. Objects whose
    /// `_placeholder` is absent or anything but `true` (`"true"`, `1`) stay plain objects.
    /// The reference lets a non-integral `num` through as `undefined`; this refuses it.
    mutating func replacePlaceholders(with attachments: [ByteBuffer]) throws(SocketIOParserError) {
        switch self {
        case .array(var elements):
            self = .null  // leaves `elements` uniquely referenced
            for index in elements.indices {
                try elements[index].replacePlaceholders(with: attachments)
            }
            self = .array(elements)
        case .object(var object):
            if case .bool(true)? = object["_placeholder"] {
                guard let number = object["num"]?.intValue, number >= 0, number < attachments.count else {
                    throw SocketIOParserError(
                        .invalidPlaceholder,
                        at: nil,
                        "num \(object["num"]?.description ?? "missing") with \(attachments.count) attachment(s)"
                    )
                }
                self = .binary(attachments[Int(number)])
                return
            }
            self = .null
            try object.mutateValues { (member) throws(SocketIOParserError) in
                try member.replacePlaceholders(with: attachments)
            }
            self = .object(object)
        case .null, .bool, .int, .double, .string, .binary:
            return
        }
    }
}
