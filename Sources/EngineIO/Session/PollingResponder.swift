import NIOCore

/// Answers one pending polling request, from whichever event loop the session is on.
///
/// The HTTP handler that owns the request creates it; the session calls `respond` once.
struct PollingResponder: Sendable {
    /// Distinguishes requests so a session can tell whether an aborted one is its pending GET.
    let id: ObjectIdentifier
    let answer: @Sendable (PollingAnswer) -> Void

    func respond(_ answer: PollingAnswer) { self.answer(answer) }
}

/// What a session answers a polling request with.
enum PollingAnswer: Sendable {
    /// 200 with a payload of packets.
    case packets([EnginePacket])
    /// 200 with the body `ok` (a POST that was accepted).
    case ok
    /// A protocol error (400/403 with the JSON body).
    case error(EngineRequestError)
    /// 413: the body was over `maxHttpBufferSize`.
    case payloadTooLarge
}
