public import NIOCore

/// Where the engine, and the Socket.IO layers above it, get their timers and their sense of
/// "now": heartbeats, connect, upgrade, close, header and acknowledgement timeouts, cluster
/// heartbeats.
///
/// Production code uses ``EventLoopTimerSource`` (the event loop's own timers). Tests use
/// ``ManualTimerSource`` and move time themselves, so that a timeout fires when the test
/// says so and never because the machine happened to be busy.
public protocol TimerSource: Sendable {
    /// The current instant on this source's monotonic clock.
    var now: ContinuousClock.Instant { get }

    /// Runs `task` on `loop` once `delay` has passed on this source's clock.
    ///
    /// - Parameters:
    ///   - loop: The event loop `task` runs on.
    ///   - delay: How long from now.
    ///   - task: The work; it does not run if the returned handle is cancelled first (on
    ///     `loop`).
    /// - Returns: A handle that cancels the task.
    func scheduleTask(on loop: any EventLoop, in delay: Duration, _ task: @escaping @Sendable () -> Void) -> Scheduled<Void>
}

/// The timers of the event loops themselves, on the system's monotonic clock.
public struct EventLoopTimerSource: TimerSource {
    /// Timers on the event loops' own clocks.
    public init() {}

    public var now: ContinuousClock.Instant { .now }

    public func scheduleTask(on loop: any EventLoop, in delay: Duration, _ task: @escaping @Sendable () -> Void) -> Scheduled<Void> {
        loop.scheduleTask(in: TimeAmount(delay), task)
    }
}
