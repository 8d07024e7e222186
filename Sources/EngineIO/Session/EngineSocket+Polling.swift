import NIOCore

extension EngineSocket {
    /// A polling GET for this session arrived.
    func handlePoll(_ responder: PollingResponder) {
        onLoop { $0.pollArrived(responder) }
    }

    /// A polling POST with `body` arrived.
    func handlePost(_ body: ByteBuffer, responder: PollingResponder) {
        onLoop { $0.postArrived(body, responder: responder) }
    }

    /// The connection of a polling request went away before it was answered.
    func pollAborted(_ id: ObjectIdentifier) {
        onLoop { socket in
            guard case .polling(let pendingGet?) = socket.transport, pendingGet.id == id else { return }
            socket.transport = .polling(pendingGet: nil)
            socket.onError("poll connection closed prematurely")
        }
    }

    private func pollArrived(_ responder: PollingResponder) {
        guard readyState != .closed else {
            responder.respond(.error(EngineRequestError(.unknownSid, context: ["sid": id])))
            return
        }
        guard case .polling(let pendingGet) = transport else {
            responder.respond(.error(EngineRequestError(.badRequest, context: ["name": "TRANSPORT_MISMATCH"])))
            return
        }
        if pendingGet != nil {
            // Two concurrent polls: the client is broken. Refuse the newcomer and end the
            // session, which releases the first poll with a close packet.
            responder.respond(.error(EngineRequestError(.badRequest, context: ["name": "OVERLAP"])))
            onError("overlap from client")
            return
        }
        transport = .polling(pendingGet: responder)
        if !writeBuffer.isEmpty {
            flush()
        } else if upgradeCandidate?.probed == true {
            // The client is moving to WebSocket: end this poll at once so it can finish.
            transport = .polling(pendingGet: nil)
            responder.respond(.packets([.noop]))
        }
    }

    private func postArrived(_ body: ByteBuffer, responder: PollingResponder) {
        guard readyState != .closed else {
            responder.respond(.error(EngineRequestError(.unknownSid, context: ["sid": id])))
            return
        }
        guard case .polling = transport else {
            responder.respond(.error(EngineRequestError(.badRequest, context: ["name": "TRANSPORT_MISMATCH"])))
            return
        }
        let packets: [EnginePacket]
        do {
            packets = try PollingPayload.decode(body)
        } catch {
            responder.respond(.error(EngineRequestError(.badRequest, context: ["name": "PARSE_ERROR"])))
            onError("\(error)", reason: .parseError)
            return
        }
        responder.respond(.ok)
        for packet in packets {
            guard readyState == .open else { break }
            onPacket(packet)
        }
    }

    /// The client sent more than `maxHttpBufferSize`: the session ends.
    func payloadTooLarge() {
        onLoop { $0.onError("payload too large") }
    }
}
