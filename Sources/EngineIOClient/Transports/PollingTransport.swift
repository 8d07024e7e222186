import EngineIOParser
import NIOCore
import NIOHTTP1

/// HTTP long-polling (`engine.io-client`'s `Polling`): one keep-alive connection for the
/// GETs that wait for packets, another for the POSTs that carry ours, so a pending poll
/// never holds a write back.
final class PollingTransport: EngineClientTransport {
    let kind = EngineTransportKind.polling
    var sid: String?
    weak var delegate: (any EngineClientTransportDelegate)?

    private enum State { case idle, opening, open, closed }
    private var state = State.idle
    private let endpoint: EngineClientEndpoint
    private let getConnection: HTTPConnection
    private let postConnection: HTTPConnection
    private var polling = false
    private var posting = false
    private var paused = false
    private var onPause: (() -> Void)?
    private var closeWhenDrained = false

    init(endpoint: EngineClientEndpoint, sid: String? = nil) {
        self.endpoint = endpoint
        self.sid = sid
        self.getConnection = HTTPConnection(endpoint: endpoint)
        self.postConnection = HTTPConnection(endpoint: endpoint)
    }

    var writable: Bool { state == .open && !posting && !closeWhenDrained }

    func open() {
        guard state == .idle else { return }
        state = .opening
        poll()
    }

    func send(_ packets: [EnginePacket]) {
        guard state == .open, !posting else { return }
        post(PollingPayload.encode(packets)) { [self] in
            delegate?.transportDidDrain(self)
            if closeWhenDrained, !posting { sendClosePacket() }
        }
    }

    func pause(_ done: @escaping () -> Void) {
        paused = true
        onPause = done
        checkPaused()
    }

    func close() {
        guard state == .open else {
            discard()
            return
        }
        if posting {
            closeWhenDrained = true
        } else {
            sendClosePacket()
        }
    }

    func discard() {
        state = .closed
        delegate = nil
        getConnection.close()
        postConnection.close()
    }

    // MARK: Requests

    private func poll() {
        polling = true
        let target = endpoint.requestTarget(.polling, sid: sid)
        getConnection.request(.GET, target, body: nil).whenComplete { [self] result in
            polling = false
            guard state != .closed else { return }
            switch result {
            case .success(let response) where response.head.status == .ok:
                receive(response.body)
            case .success(let response):
                fail(EngineClientError.handshakeRefused(status: Int(response.head.status.code), body: String(buffer: response.body)))
            case .failure(let error):
                fail(error)
            }
        }
    }

    private func receive(_ body: ByteBuffer) {
        let packets: [EnginePacket]
        do {
            packets = try PollingPayload.decode(body)
        } catch {
            closeFromServer(.parseError, error)
            return
        }
        for packet in packets {
            guard state != .closed else { return }
            if state == .opening, packet.type == .open {
                state = .open
                delegate?.transportDidOpen(self)
            }
            if packet.type == .close {
                closeFromServer(.transportClose, nil)
                return
            }
            delegate?.transport(self, didReceive: packet)
        }
        guard state != .closed else { return }
        if paused {
            checkPaused()
        } else if state == .open {
            poll()
        }
    }

    private func post(_ body: ByteBuffer, then: @escaping @Sendable () -> Void) {
        posting = true
        let target = endpoint.requestTarget(.polling, sid: sid)
        postConnection.request(.POST, target, body: body).whenComplete { [self] result in
            posting = false
            guard state != .closed else { return }
            switch result {
            case .success(let response) where response.head.status == .ok:
                then()
                checkPaused()
            case .success(let response):
                fail(EngineClientError.transportFailed("POST answered \(response.head.status.code)"))
            case .failure(let error):
                fail(error)
            }
        }
    }

    private func sendClosePacket() {
        closeWhenDrained = false
        let target = endpoint.requestTarget(.polling, sid: sid)
        state = .closed
        delegate = nil
        let (get, post) = (getConnection, postConnection)
        post.request(.POST, target, body: PollingPayload.encode([.close])).whenComplete { _ in
            get.close()
            post.close()
        }
    }

    private func checkPaused() {
        guard paused, !polling, !posting, let done = onPause else { return }
        onPause = nil
        done()
    }

    private func fail(_ error: any Error) {
        closeFromServer(.transportError, error)
    }

    private func closeFromServer(_ reason: EngineClientCloseReason, _ error: (any Error)?) {
        let delegate = self.delegate
        discard()
        delegate?.transport(self, didCloseWith: reason, error: error)
    }
}

extension PollingTransport: @unchecked Sendable {}
