import NIOCore

extension EngineSocket {
    /// Sends a ping after `pingInterval`, then expects a pong within `pingTimeout`.
    func schedulePing() {
        pingIntervalTimer?.cancel()
        pingIntervalTimer = options.timers.scheduleTask(on: eventLoop, in: options.pingInterval) { [weak self] in
            guard let self, self.readyState == .open else { return }
            self.sendPackets([.ping])
            self.resetPingTimeout()
        }
    }

    private func resetPingTimeout() {
        pingTimeoutTimer?.cancel()
        pingTimeoutTimer = options.timers.scheduleTask(on: eventLoop, in: options.pingTimeout) { [weak self] in
            self?.finishClose(.pingTimeout, description: nil)
        }
    }
}
