import NIOConcurrencyHelpers
public import NIOCore

/// A clock that only moves when told to, for tests of time-dependent behaviour over real
/// connections: heartbeats, timeouts and expiries fire exactly when the test advances past
/// them, however loaded the machine is.
///
/// Timers still run on the event loop they were scheduled for, so the code under test keeps
/// its threading; ``advance(by:)`` only queues them there.
public final class ManualTimerSource: TimerSource {
    private struct Pending {
        let id: UInt64
        let deadline: Duration
        let delay: Duration
        let loop: any EventLoop
        let timer: Timer
    }

    /// One scheduled task; fires or is cancelled, never both.
    private final class Timer: Sendable {
        private let task: @Sendable () -> Void
        private let promise: EventLoopPromise<Void>
        private let settled = NIOLockedValueBox(false)

        init(task: @escaping @Sendable () -> Void, promise: EventLoopPromise<Void>) {
            self.task = task
            self.promise = promise
        }

        /// Called on the timer's loop: runs the task unless it was cancelled.
        func fire() {
            guard settled.withLockedValue({ done in defer { done = true }; return !done }) else { return }
            task()
            promise.succeed(())
        }

        /// Whether the task can no longer run.
        func cancel() -> Bool {
            settled.withLockedValue { done in defer { done = true }; return !done }
        }

        // A timer the test never reached is dropped with its clock: its promise must still
        // be completed (NIO insists), as a cancellation.
        deinit {
            if cancel() { promise.fail(EventLoopError.cancelled) }
        }
    }

    private struct State {
        var elapsed: Duration = .zero
        var nextID: UInt64 = 0
        var pending: [Pending] = []
    }

    private let origin = ContinuousClock.now
    private let state = NIOLockedValueBox(State())

    /// A clock at zero with nothing scheduled.
    public init() {}

    /// The start instant plus every ``advance(by:)`` so far.
    public var now: ContinuousClock.Instant { origin + state.withLockedValue { $0.elapsed } }

    /// How much time the test has moved this clock.
    public var elapsed: Duration { state.withLockedValue { $0.elapsed } }

    public func scheduleTask(on loop: any EventLoop, in delay: Duration, _ task: @escaping @Sendable () -> Void) -> Scheduled<Void> {
        let promise = loop.makePromise(of: Void.self)
        let timer = Timer(task: task, promise: promise)
        let id = state.withLockedValue { state -> UInt64 in
            state.nextID += 1
            state.pending.append(Pending(id: state.nextID, deadline: state.elapsed + max(delay, .zero), delay: delay, loop: loop, timer: timer))
            return state.nextID
        }
        return Scheduled(promise: promise) { [weak self] in
            _ = timer.cancel()
            self?.state.withLockedValue { $0.pending.removeAll { $0.id == id } }
        }
    }

    /// The delays of the timers waiting to fire, in the order they were scheduled.
    public var pendingDelays: [Duration] { state.withLockedValue { $0.pending.map(\.delay) } }

    /// Whether a timer of exactly `delay` is waiting, so a test can advance only once the
    /// code under test has armed the timer it means to fire.
    public func hasPending(delay: Duration) -> Bool {
        state.withLockedValue { $0.pending.contains { $0.delay == delay } }
    }

    /// Moves the clock forward and queues every timer now due on its event loop, earliest
    /// deadline first.
    ///
    /// - Parameter duration: How far to move (not negative).
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "time only moves forward")
        let due = state.withLockedValue { state -> [Pending] in
            state.elapsed += duration
            let now = state.elapsed
            let due = state.pending.filter { $0.deadline <= now }
            state.pending.removeAll { $0.deadline <= now }
            return due.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
        }
        for entry in due {
            let timer = entry.timer
            entry.loop.execute { timer.fire() }
        }
    }

    /// Waits until the code under test has armed a timer of `delay`, then advances the clock
    /// by `delay`: the usual step of a test that fires one timeout.
    ///
    /// - Parameters:
    ///   - delay: The timer's delay, as the code under test scheduled it.
    ///   - bound: How much real time the code under test gets to arm it.
    /// - Returns: `false`, with the clock unmoved, when no such timer was armed in time.
    public func advanceWhenArmed(_ delay: Duration, within bound: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + bound
        while !hasPending(delay: delay) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        advance(by: delay)
        return true
    }
}
