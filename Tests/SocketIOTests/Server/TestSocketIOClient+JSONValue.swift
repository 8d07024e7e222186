import NIOCore
import SocketIO
@testable import TestSupport

/// An event the test client received, its arguments read as `JSONValue` with binary
/// attachments put back where their placeholders were.
struct ReceivedEvent: Sendable, Equatable, CustomStringConvertible {
    var namespace: String
    var name: String
    var arguments: [JSONValue]
    var ackID: UInt64?

    var description: String {
        "\(namespace) \(name) \(arguments)" + (ackID.map { " ack \($0)" } ?? "")
    }
}

/// An acknowledgement the test client received.
struct ReceivedAck: Sendable, Equatable {
    var namespace: String
    var id: UInt64
    var arguments: [JSONValue]
}

extension TestSocketIOPacket {
    /// The payload as JSON, with `{"_placeholder":true,"num":n}` replaced by attachment `n`.
    ///
    /// - Returns: nil when the packet has no payload.
    /// - Throws: when the payload is not JSON, or a placeholder points past the attachments.
    func data() throws -> JSONValue? {
        guard !self.payload.isEmpty else { return nil }
        return try JSONValue(parsing: self.payload).replacingPlaceholders(with: self.attachments)
    }
}

extension JSONValue {
    /// Puts attachments back in place of their placeholders, the way a client's decoder does.
    func replacingPlaceholders(with attachments: [[UInt8]]) throws -> JSONValue {
        switch self {
        case .object(let object):
            if object["_placeholder"] == .bool(true), let number = object["num"]?.intValue {
                guard attachments.indices.contains(Int(number)) else {
                    throw TestSocketIOClientError.unexpected("placeholder \(number) with \(attachments.count) attachment(s)")
                }
                return .binary(ByteBuffer(bytes: attachments[Int(number)]))
            }
            var replaced = JSONObject()
            for (key, value) in object {
                replaced[key] = try value.replacingPlaceholders(with: attachments)
            }
            return .object(replaced)
        case .array(let elements):
            return .array(try elements.map { try $0.replacingPlaceholders(with: attachments) })
        case .null, .bool, .int, .double, .string, .binary:
            return self
        }
    }

    /// Takes binary values out, leaving placeholders, the way a client's encoder does.
    func extractingAttachments(into attachments: inout [[UInt8]]) -> JSONValue {
        switch self {
        case .binary(let buffer):
            attachments.append(Array(buffer.readableBytesView))
            return ["_placeholder": true, "num": .int(Int64(attachments.count - 1))]
        case .object(let object):
            var replaced = JSONObject()
            for (key, value) in object {
                replaced[key] = value.extractingAttachments(into: &attachments)
            }
            return .object(replaced)
        case .array(let elements):
            return .array(elements.map { $0.extractingAttachments(into: &attachments) })
        case .null, .bool, .int, .double, .string:
            return self
        }
    }
}

extension TestSocketIOClient {
    /// Emits an event with `JSONValue` arguments; binary values travel as attachments.
    ///
    /// - Throws: when the connection is closed or a value cannot be written as JSON.
    func emit(_ event: String, _ arguments: JSONValue..., namespace: String = "/", ackID: UInt64? = nil) async throws {
        let (json, attachments) = try Self.encode(arguments)
        try await self.emit(event, argumentsJSON: json, attachments: attachments, namespace: namespace, ackID: ackID)
    }

    /// Answers the server's event `id` with `JSONValue` arguments.
    ///
    /// - Throws: when the connection is closed or a value cannot be written as JSON.
    func sendAck(_ id: UInt64, _ arguments: JSONValue..., namespace: String = "/") async throws {
        let (json, attachments) = try Self.encode(arguments)
        try await self.sendAck(id, argumentsJSON: json, attachments: attachments, namespace: namespace)
    }

    /// The next packet, which must be an event.
    ///
    /// - Throws: ``TestSocketIOClientError/unexpected(_:)`` for any other packet, the errors of
    ///   ``nextPacket(timeout:)`` otherwise.
    func nextEvent(timeout: Duration = .seconds(30)) async throws -> ReceivedEvent {
        let packet = try await self.nextPacket(timeout: timeout)
        guard packet.kind.isEvent, case .array(let items)? = try packet.data(), let name = items.first?.stringValue else {
            throw TestSocketIOClientError.unexpected("expected an event, got \(packet)")
        }
        return ReceivedEvent(namespace: packet.namespace, name: name, arguments: Array(items.dropFirst()), ackID: packet.ackID)
    }

    /// The next packet, which must be an acknowledgement.
    ///
    /// - Throws: ``TestSocketIOClientError/unexpected(_:)`` for any other packet.
    func nextAck(timeout: Duration = .seconds(30)) async throws -> ReceivedAck {
        let packet = try await self.nextPacket(timeout: timeout)
        guard packet.kind.isAck, let id = packet.ackID, case .array(let items)? = try packet.data() else {
            throw TestSocketIOClientError.unexpected("expected an ack, got \(packet)")
        }
        return ReceivedAck(namespace: packet.namespace, id: id, arguments: items)
    }

    /// The next events up to and including the first named `marker`, for proving that
    /// nothing else arrived before it (the server writes to one connection in order).
    ///
    /// - Throws: the errors of ``nextEvent(timeout:)``.
    func events(through marker: String, timeout: Duration = .seconds(30)) async throws -> [ReceivedEvent] {
        var events: [ReceivedEvent] = []
        while true {
            let event = try await self.nextEvent(timeout: timeout)
            events.append(event)
            if event.name == marker { return events }
        }
    }

    private static func encode(_ arguments: [JSONValue]) throws -> (String, [[UInt8]]) {
        var attachments: [[UInt8]] = []
        let replaced = arguments.map { $0.extractingAttachments(into: &attachments) }
        let json = try JSONValue.array(replaced).jsonString()
        // Strip the array's brackets: the client API takes the comma-separated arguments.
        return (String(json.dropFirst().dropLast()), attachments)
    }
}

extension TestSocketIOConnectError {
    /// The payload as JSON (`{"message":…,"data":…}`).
    var json: JSONValue? { try? JSONValue(parsing: self.payload) }
}
