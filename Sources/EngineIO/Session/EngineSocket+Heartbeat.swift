import NIOCore

extension EngineSocket {
    /// Sends a ping after `pingInterval`, then expects a pong within `pingTimeout`.
    func schedulePing() {
        pingIntervalTimer?.cancel()
        pingIntervalTimer = eventLoop.scheduleTask(in: TimeAmount(options.pingInterval)) { [weak self] in
            guard let self, self.readyState == .open else { return }
            self.sendPackets([.ping])
            self.resetPingTimeout()
        }
    }

    private func resetPingTimeout() {
        pingTimeoutTimer?.cancel()
        pingTimeoutTimer = eventLoop.scheduleTask(in: TimeAmount(options.pingTimeout)) { [weak self] in
            self?.finishClose(.pingTimeout, description: nil)
        }
    }
}
