import NIOCore

extension EventLoopFuture where Value: Sendable {
    /// Waits for the result, but no later than `deadline`.
    ///
    /// The timer runs on the future's own event loop, so the wait ends as soon as either the
    /// result or the deadline arrives, with no polling. Whatever the future was waiting on keeps
    /// running after a timeout: callers close the channel behind it.
    ///
    /// - Throws: ``TestClientError/timeout`` once `deadline` passes, or the future's own error.
    func get(deadline: NIODeadline) async throws -> Value {
        let bounded = self.eventLoop.makePromise(of: Value.self)
        let timer = self.eventLoop.scheduleTask(deadline: deadline) {
            bounded.fail(TestClientError.timeout)
        }
        self.whenComplete { result in
            timer.cancel()
            // NIO ignores a second completion, so losing the race to the timer is harmless.
            bounded.completeWith(result)
        }
        return try await bounded.futureResult.get()
    }
}

extension NIODeadline {
    /// The instant `duration` from now, for turning the `Duration` bounds of the test API into NIO timers.
    static func after(_ duration: Duration) -> NIODeadline {
        .now() + TimeAmount(duration)
    }
}
