import Logging
import NIOCore

extension EngineSocket {
    /// A WebSocket for this polling session opened: it may now probe and upgrade.
    /// - Returns: whether the session accepts the candidate (it refuses a second one).
    func beginUpgrade(_ connection: EngineWebSocketConnection) {
        onLoop { socket in
            guard socket.readyState == .open, case .polling = socket.transport, socket.upgradeCandidate == nil else {
                connection.abort()
                return
            }
            socket.upgradeCandidate = (connection, false)
            socket.upgradeTimer = socket.options.timers.scheduleTask(on: socket.eventLoop, in: socket.options.upgradeTimeout) {
                [weak socket] in
                guard let socket, socket.upgradeCandidate?.connection === connection else { return }
                socket.abandonUpgrade()
            }
        }
    }

    /// A packet from the WebSocket that is trying to take over.
    func receiveOnUpgradeCandidate(_ packet: EnginePacket) {
        guard let candidate = upgradeCandidate, readyState == .open else { return }
        if packet.type == .ping, !packet.isBinary, packet.data == probeData {
            candidate.connection.send(EnginePacket.probePong)
            upgradeCandidate = (candidate.connection, true)
            for listener in listeners.upgrading { listener(.websocket) }
            // A poll waiting now would hold the client back: end it.
            if case .polling(let pendingGet?) = transport, writeBuffer.isEmpty {
                transport = .polling(pendingGet: nil)
                pendingGet.respond(.packets([.noop]))
            }
        } else if packet.type == .upgrade {
            completeUpgrade(to: candidate.connection)
        } else {
            // Anything else on a probing transport is a broken client: drop the candidate.
            abandonUpgrade()
        }
    }

    private func completeUpgrade(to connection: EngineWebSocketConnection) {
        upgradeTimer?.cancel()
        upgradeTimer = nil
        upgradeCandidate = nil
        if case .polling(let pendingGet?) = transport {
            pendingGet.respond(.packets([.noop]))
        }
        transport = .websocket(connection)
        setObservedTransport(.websocket, upgraded: true)
        debugLog("engine session upgraded", ["transport": "websocket"])
        for listener in listeners.upgrade { listener(.websocket) }
        flush()
    }

    /// Forgets the upgrade candidate and closes it; the session stays on polling.
    func abandonUpgrade() {
        upgradeTimer?.cancel()
        upgradeTimer = nil
        if let candidate = upgradeCandidate {
            upgradeCandidate = nil
            candidate.connection.abort()
        }
    }

    private var probeData: ByteBuffer { ByteBuffer(string: "probe") }
}
