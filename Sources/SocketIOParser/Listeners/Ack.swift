import Synchronization

/// The acknowledgement callback of an event the peer emitted with an ack: call it once
/// to send the reply (Node's `callback(...)` as the last handler argument). Later calls
/// are ignored, as in Node.
public struct Ack: Sendable {
    private final class Once: Sendable {
        let sent = Atomic<Bool>(false)
    }

    private let once = Once()
    private let reply: @Sendable ([JSONValue]) -> Void

    /// Creates an acknowledgement that calls `reply` once (adapters use it to answer
    /// requests that came from other servers).
    public init(reply: @escaping @Sendable ([JSONValue]) -> Void) {
        self.reply = reply
    }

    /// Sends the reply.
    public func callAsFunction(_ arguments: JSONValue...) {
        send(arguments)
    }

    /// Sends the reply with these arguments.
    public func send(_ arguments: [JSONValue]) {
        guard !once.sent.exchange(true, ordering: .relaxed) else { return }
        reply(arguments)
    }

    /// Sends one `Encodable` value as the reply.
    /// - Throws: when the value cannot be encoded.
    public func send<T: Encodable>(encoding value: T) throws {
        send([try JSONValue(encoding: value)])
    }

    /// Whether the reply was already sent.
    public var wasSent: Bool { once.sent.load(ordering: .relaxed) }
}
